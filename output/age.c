/* age.c: age encryption and decryption of whole files and short secrets. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "age_impl.h"
#include "base64.h"

const char *
age_status_str(int rc)
{
	switch (rc) {
	case AGE_OK:		return "ok";
	case AGE_ERR_HEADER:	return "header failure";
	case AGE_ERR_NO_MATCH:	return "no match";
	case AGE_ERR_HMAC:	return "HMAC failure";
	case AGE_ERR_PAYLOAD:	return "payload failure";
	case AGE_ERR_ARMOR:	return "armor failure";
	case AGE_ERR_KEY:	return "key error";
	case AGE_ERR_IO:	return "I/O error";
	default:		return "unknown error";
	}
}

/* The header must hold a stanza, and an scrypt stanza must be alone
 * (checked for every header, which is stricter than Go and safe). */
static int
check_stanzas(const struct age_header *h, struct buf *why)
{
	size_t i;

	for (i = 0; i < h->nst; i++) {
		if (strcmp(h->st[i].args[0], "scrypt") == 0 && h->nst > 1) {
			buf_adds(why, "scrypt stanza is not alone");
			return AGE_ERR_HEADER;
		}
	}
	return AGE_OK;
}

/* Tries the identities in order; the first that opens a stanza wins. */
static int
find_file_key(const struct age_header *h, const struct age_keyring *kr,
    unsigned char fk[AGE_FILE_KEY_LEN], struct buf *why)
{
	const struct age_ident *id;
	size_t i;
	int rc;

	for (i = 0; kr != NULL && i < kr->n; i++) {
		id = &kr->ids[i];
		rc = id->is_pass ?
		    age_scrypt_unwrap(h, id->pass, id->passlen, fk, why) :
		    age_x25519_unwrap(h, id->sk, fk, why);
		if (rc != AGE_ERR_NO_MATCH)
			return rc;
	}
	buf_adds(why, "no identity matched any recipient");
	return AGE_ERR_NO_MATCH;
}

static int
open_header(struct age_reader *in, unsigned char fk[AGE_FILE_KEY_LEN],
    const struct age_keyring *kr, struct buf *why)
{
	struct buf raw = BUF_INIT;
	struct age_header h;
	unsigned char mac[32];
	int rc;

	if ((rc = age_header_read(in, &raw, why)) != AGE_OK ||
	    (rc = age_header_parse((unsigned char *)raw.data, raw.len, &h,
	    why)) != AGE_OK) {
		buf_free(&raw);
		return rc;
	}
	if ((rc = check_stanzas(&h, why)) == AGE_OK &&
	    (rc = find_file_key(&h, kr, fk, why)) == AGE_OK) {
		age_header_mac(mac, fk, raw.data, h.maclen);
		if (crypto_verify_32(mac, h.mac) != 0) {
			buf_adds(why, "header MAC does not verify");
			rc = AGE_ERR_HMAC;
		}
	}
	age_header_free(&h);
	buf_free(&raw);
	return rc;
}

int
age_decrypt(struct age_reader *in, struct age_writer *out,
    const struct age_keyring *kr, struct buf *why)
{
	unsigned char fk[AGE_FILE_KEY_LEN], nonce[AGE_NONCE_LEN];
	int rc;

	age_sodium_init();
	if ((rc = open_header(in, fk, kr, why)) != AGE_OK)
		goto out;
	if (age_read(in, nonce, sizeof nonce) != sizeof nonce) {
		buf_adds(why, in->err ? "read error" :
		    "file ends before the payload nonce");
		rc = in->err ? AGE_ERR_IO : AGE_ERR_HEADER;
		goto out;
	}
	rc = age_stream_decrypt(in, out, fk, nonce, why);
out:
	sodium_memzero(fk, sizeof fk);
	return rc;
}

/* Builds and MACs the header, writes it and the nonce, then the payload. */
static int
encrypt_to(struct age_header *h, const unsigned char fk[AGE_FILE_KEY_LEN],
    struct age_reader *in, struct age_writer *out, struct buf *why)
{
	struct buf hdr = BUF_INIT;
	unsigned char mac[32], nonce[AGE_NONCE_LEN];
	int rc;

	age_header_encode(&hdr, h);
	age_header_mac(mac, fk, hdr.data, hdr.len);
	buf_addc(&hdr, ' ');
	base64_encode(&hdr, mac, sizeof mac, 0);
	buf_addc(&hdr, '\n');
	randombytes_buf(nonce, sizeof nonce);
	age_write(out, hdr.data, hdr.len);
	age_write(out, nonce, sizeof nonce);
	buf_free(&hdr);
	if (out->err) {
		buf_adds(why, "write error");
		return AGE_ERR_IO;
	}
	if ((rc = age_stream_encrypt(in, out, fk, nonce, why)) != AGE_OK)
		return rc;
	if (age_writer_finish(out) != 0) {
		buf_adds(why, "write error");
		return AGE_ERR_IO;
	}
	return AGE_OK;
}

static int
add_recipients(struct age_header *h, const unsigned char *fk,
    const char *const *rcpt, size_t n, struct buf *why)
{
	unsigned char pk[AGE_KEY_LEN];
	size_t i;
	int rc;

	if (n == 0) {
		buf_adds(why, "no recipients");
		return AGE_ERR_KEY;
	}
	for (i = 0; i < n; i++) {
		if ((rc = age_recipient_parse(rcpt[i], strlen(rcpt[i]), pk,
		    why)) != AGE_OK ||
		    (rc = age_x25519_wrap(h, fk, pk, why)) != AGE_OK) {
			buf_printf(why, " (recipient %zu)", i + 1);
			return rc;
		}
	}
	return AGE_OK;
}

int
age_encrypt(struct age_reader *in, struct age_writer *out,
    const char *const *rcpt, size_t n, const char *pass, size_t passlen,
    int logn, struct buf *why)
{
	struct age_header h;
	unsigned char fk[AGE_FILE_KEY_LEN];
	int rc;

	age_sodium_init();
	memset(&h, 0, sizeof h);
	randombytes_buf(fk, sizeof fk);
	if (pass != NULL && n > 0) {
		buf_adds(why, "a passphrase cannot be combined with "
		    "recipients");
		rc = AGE_ERR_KEY;
	} else if (pass != NULL)
		rc = age_scrypt_wrap(&h, fk, pass, passlen, logn, why);
	else
		rc = add_recipients(&h, fk, rcpt, n, why);
	if (rc == AGE_OK)
		rc = encrypt_to(&h, fk, in, out, why);
	sodium_memzero(fk, sizeof fk);
	age_header_free(&h);
	return rc;
}

int
age_wrap(const unsigned char *secret, size_t len,
    const char *const *recipients, size_t nrecipients, struct buf *armored,
    struct buf *why)
{
	struct age_reader in = { secret, len, 0, NULL, 0 };
	struct age_writer out;
	size_t before;
	int rc;

	memset(&out, 0, sizeof out);
	out.b = armored;
	before = armored->len;
	age_armor_begin(&out);
	rc = age_encrypt(&in, &out, recipients, nrecipients, NULL, 0, 0, why);
	/* A failed wrap leaves nothing behind, not even the BEGIN line. */
	if (rc != AGE_OK && armored->data != NULL) {
		armored->len = before;
		armored->data[before] = '\0';
	}
	return rc;
}

int
age_unwrap(const char *armored, size_t len, const struct age_keyring *kr,
    struct buf *secret, struct buf *why)
{
	struct buf bin = BUF_INIT;
	struct age_reader in;
	struct age_writer out;
	int rc;

	memset(&out, 0, sizeof out);
	if ((rc = age_armor_decode(armored, len, &bin, why)) != AGE_OK) {
		buf_free(&bin);
		return rc;
	}
	memset(&in, 0, sizeof in);
	in.mem = (unsigned char *)bin.data;
	in.len = bin.len;
	/* The plaintext is shorter than the file: no realloc will leave a
	 * copy of it behind. */
	buf_grow(secret, bin.len);
	out.b = secret;
	rc = age_decrypt(&in, &out, kr, why);
	if (rc != AGE_OK)
		buf_wipe(secret);
	buf_free(&bin);
	return rc;
}
