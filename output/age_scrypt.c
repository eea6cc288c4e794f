/* age_scrypt.c: the scrypt (passphrase) recipient stanza. */
#include <string.h>

#include <sodium.h>

#include "age_impl.h"
#include "base64.h"

#define SCRYPT_LABEL	"age-encryption.org/v1/scrypt"
#define SCRYPT_SALT_LEN	16

static const unsigned char zero_nonce[12];

/*
 * key = scrypt(pass, label || salt, N = 2^logn, r = 8, p = 1).  The
 * low-level call is used on purpose: the high-level one derives N, r and
 * p from limits and wants another salt size.  Returns -1 when scrypt
 * cannot get its memory.
 */
static int
derive(unsigned char key[AGE_KEY_LEN], const char *pass, size_t passlen,
    const unsigned char salt[SCRYPT_SALT_LEN], int logn)
{
	unsigned char s[sizeof SCRYPT_LABEL - 1 + SCRYPT_SALT_LEN];

	memcpy(s, SCRYPT_LABEL, sizeof SCRYPT_LABEL - 1);
	memcpy(s + sizeof SCRYPT_LABEL - 1, salt, SCRYPT_SALT_LEN);
	return crypto_pwhash_scryptsalsa208sha256_ll(
	    (const uint8_t *)pass, passlen, s, sizeof s,
	    (uint64_t)1 << logn, 8, 1, key, AGE_KEY_LEN);
}

int
age_scrypt_wrap(struct age_header *h, const unsigned char fk[AGE_FILE_KEY_LEN],
    const char *pass, size_t passlen, int logn, struct buf *why)
{
	unsigned char salt[SCRYPT_SALT_LEN], key[AGE_KEY_LEN];
	unsigned char body[AGE_FILE_KEY_LEN + AGE_TAG_LEN];
	struct buf b64 = BUF_INIT;
	char num[16];
	const char *args[3];

	if (logn < 1 || logn > AGE_SCRYPT_MAX_LOGN) {
		buf_printf(why, "scrypt work factor must be 1..%d",
		    AGE_SCRYPT_MAX_LOGN);
		return AGE_ERR_KEY;
	}
	if (passlen == 0) {
		buf_adds(why, "empty passphrase");
		return AGE_ERR_KEY;
	}
	randombytes_buf(salt, sizeof salt);
	if (derive(key, pass, passlen, salt, logn) != 0) {
		buf_adds(why, "scrypt could not allocate its memory");
		return AGE_ERR_IO;
	}
	crypto_aead_chacha20poly1305_ietf_encrypt(body, NULL, fk,
	    AGE_FILE_KEY_LEN, NULL, 0, NULL, zero_nonce, key);
	sodium_memzero(key, sizeof key);
	base64_encode(&b64, salt, sizeof salt, 0);
	snprintf(num, sizeof num, "%d", logn);
	args[0] = "scrypt";
	args[1] = b64.data;
	args[2] = num;
	age_header_add(h, args, 3, body, sizeof body);
	buf_free(&b64);
	return AGE_OK;
}

/* The work factor: decimal, no sign or leading zero, within the cap. */
static int
parse_logn(const char *s, int *logn)
{
	long v;

	if (*s < '1' || *s > '9')
		return -1;
	for (v = 0; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > AGE_SCRYPT_MAX_LOGN)
			return -1;
	}
	*logn = (int)v;
	return 0;
}

static int
fail(struct buf *why, const char *msg)
{
	buf_adds(why, msg);
	return AGE_ERR_HEADER;
}

static int
unwrap_one(const struct age_stanza *s, const char *pass, size_t passlen,
    unsigned char fk[AGE_FILE_KEY_LEN], struct buf *why)
{
	unsigned char salt[SCRYPT_SALT_LEN], key[AGE_KEY_LEN];
	int logn, rc;

	if (s->nargs != 3)
		return fail(why, "scrypt stanza needs exactly two arguments");
	if (base64_decode_exact(s->args[1], strlen(s->args[1]), salt,
	    sizeof salt) != 0)
		return fail(why, "scrypt salt is not 16 bytes of base64");
	if (parse_logn(s->args[2], &logn) != 0)
		return fail(why, "scrypt work factor is malformed or too "
		    "large");
	if (s->bodylen != AGE_FILE_KEY_LEN + AGE_TAG_LEN)
		return fail(why, "scrypt stanza body is not 32 bytes");
	if (derive(key, pass, passlen, salt, logn) != 0) {
		buf_adds(why, "scrypt could not allocate its memory");
		return AGE_ERR_IO;
	}
	rc = crypto_aead_chacha20poly1305_ietf_decrypt(fk, NULL, NULL,
	    s->body, s->bodylen, NULL, 0, zero_nonce, key) == 0 ?
	    AGE_OK : AGE_ERR_NO_MATCH;
	sodium_memzero(key, sizeof key);
	return rc;
}

/* The caller has already refused an scrypt stanza that is not alone. */
int
age_scrypt_unwrap(const struct age_header *h, const char *pass,
    size_t passlen, unsigned char fk[AGE_FILE_KEY_LEN], struct buf *why)
{
	size_t i;

	for (i = 0; i < h->nst; i++)
		if (strcmp(h->st[i].args[0], "scrypt") == 0)
			return unwrap_one(&h->st[i], pass, passlen, fk, why);
	return AGE_ERR_NO_MATCH;
}
