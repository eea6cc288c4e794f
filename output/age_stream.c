/* age_stream.c: the STREAM payload, sealed in 64 KiB chunks. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "age_impl.h"
#include "hkdf.h"

/*
 * Chunk nonce: an 88-bit big-endian counter in bytes 0..10 and the final
 * flag in byte 11.  Every chunk but the last holds exactly 64 KiB; the
 * last holds 1..64 KiB, and is empty only when the whole payload is.
 */

struct stream {
	unsigned char	 key[AGE_KEY_LEN];
	unsigned char	 nonce[12];
	uint64_t	 counter;
	unsigned char	*buf;		/* AGE_SEALED_LEN, wiped on close */
	unsigned char	*plain;		/* AGE_CHUNK_LEN, wiped on close */
};

static void
stream_open(struct stream *s, const unsigned char fk[AGE_FILE_KEY_LEN],
    const unsigned char nonce[AGE_NONCE_LEN])
{
	hkdf_sha256(s->key, sizeof s->key, fk, AGE_FILE_KEY_LEN, nonce,
	    AGE_NONCE_LEN, "payload", 7);
	memset(s->nonce, 0, sizeof s->nonce);
	s->counter = 0;
	s->buf = xmalloc(AGE_SEALED_LEN);
	s->plain = xmalloc(AGE_CHUNK_LEN);
}

static void
stream_close(struct stream *s)
{
	sodium_memzero(s->buf, AGE_SEALED_LEN);
	free(s->buf);
	sodium_memzero(s->plain, AGE_CHUNK_LEN);
	free(s->plain);
	sodium_memzero(s->key, sizeof s->key);
}

static void
set_nonce(struct stream *s, int final)
{
	int i;

	for (i = 0; i < 8; i++)
		s->nonce[3 + i] = (unsigned char)(s->counter >> (56 - 8 * i));
	s->nonce[11] = final ? 1 : 0;
}

static int
fail(struct buf *why, int rc, const char *msg)
{
	buf_adds(why, msg);
	return rc;
}

/* Seals the n bytes at the start of s->buf in place and writes them. */
static int
seal(struct stream *s, struct age_writer *w, size_t n, int final)
{
	set_nonce(s, final);
	crypto_aead_chacha20poly1305_ietf_encrypt(s->buf, NULL, s->buf, n,
	    NULL, 0, NULL, s->nonce, s->key);
	s->counter++;
	return age_write(w, s->buf, n + AGE_TAG_LEN);
}

/*
 * A full chunk is final only when the input ends right after it, so one
 * byte is read ahead and carried into the next chunk.
 */
int
age_stream_encrypt(struct age_reader *r, struct age_writer *w,
    const unsigned char fk[AGE_FILE_KEY_LEN],
    const unsigned char nonce[AGE_NONCE_LEN], struct buf *why)
{
	struct stream s;
	unsigned char ahead = 0;
	size_t n, have;
	int rc;

	stream_open(&s, fk, nonce);
	rc = AGE_OK;
	for (have = 0;;) {
		n = have + age_read(r, s.buf + have, AGE_CHUNK_LEN - have);
		have = n == AGE_CHUNK_LEN ? age_read(r, &ahead, 1) : 0;
		if (r->err) {
			rc = fail(why, AGE_ERR_IO, "read error");
			break;
		}
		if (seal(&s, w, n, have == 0) != 0) {
			rc = fail(why, AGE_ERR_IO, "write error");
			break;
		}
		if (have == 0)
			break;
		s.buf[0] = ahead;
	}
	sodium_memzero(&ahead, sizeof ahead);
	stream_close(&s);
	return rc;
}

/*
 * Opens one chunk of n sealed bytes into s->plain.  A short chunk must be
 * final; a full one is tried as non-final, then as final.  Never in
 * place: libsodium zeroes the output of a failed open, which would
 * destroy the ciphertext needed for the second try.
 */
static int
open_chunk(struct stream *s, size_t n, int *final)
{
	*final = n < AGE_SEALED_LEN;
	set_nonce(s, *final);
	if (crypto_aead_chacha20poly1305_ietf_decrypt(s->plain, NULL, NULL,
	    s->buf, n, NULL, 0, s->nonce, s->key) == 0)
		return 0;
	if (*final)
		return -1;
	*final = 1;
	set_nonce(s, 1);
	return crypto_aead_chacha20poly1305_ietf_decrypt(s->plain, NULL, NULL,
	    s->buf, n, NULL, 0, s->nonce, s->key);
}

static int
decrypt_chunks(struct stream *s, struct age_reader *r, struct age_writer *w,
    struct buf *why)
{
	unsigned char extra;
	size_t n;
	int final;

	for (;;) {
		n = age_read(r, s->buf, AGE_SEALED_LEN);
		if (r->err)
			return fail(why, AGE_ERR_IO, "read error");
		if (n == 0)
			return fail(why, AGE_ERR_PAYLOAD, s->counter == 0 ?
			    "no payload chunks" : "payload has no final chunk");
		if (n < AGE_TAG_LEN)
			return fail(why, AGE_ERR_PAYLOAD, "truncated chunk");
		if (n == AGE_TAG_LEN && s->counter > 0)
			return fail(why, AGE_ERR_PAYLOAD,
			    "final chunk is empty");
		if (open_chunk(s, n, &final) != 0)
			return fail(why, AGE_ERR_PAYLOAD,
			    "payload chunk does not authenticate");
		if (age_write(w, s->plain, n - AGE_TAG_LEN) != 0)
			return fail(why, AGE_ERR_IO, "write error");
		s->counter++;
		if (final)
			break;
	}
	if (age_read(r, &extra, 1) != 0)
		return fail(why, AGE_ERR_PAYLOAD, "data after the final chunk");
	if (r->err)
		return fail(why, AGE_ERR_IO, "read error");
	return AGE_OK;
}

int
age_stream_decrypt(struct age_reader *r, struct age_writer *w,
    const unsigned char fk[AGE_FILE_KEY_LEN],
    const unsigned char nonce[AGE_NONCE_LEN], struct buf *why)
{
	struct stream s;
	int rc;

	stream_open(&s, fk, nonce);
	rc = decrypt_chunks(&s, r, w, why);
	stream_close(&s);
	return rc;
}
