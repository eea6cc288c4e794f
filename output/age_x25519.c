/* age_x25519.c: the X25519 recipient stanza, wrapping and unwrapping. */
#include <string.h>

#include <sodium.h>

#include "age_impl.h"
#include "base64.h"
#include "hkdf.h"

#define X25519_LABEL	"age-encryption.org/v1/X25519"

static const unsigned char zero_nonce[12];

/* key = HKDF(shared, salt = share || recipient, label). */
static void
wrap_key(unsigned char key[AGE_KEY_LEN], const unsigned char ss[AGE_KEY_LEN],
    const unsigned char share[AGE_KEY_LEN],
    const unsigned char pk[AGE_KEY_LEN])
{
	unsigned char salt[2 * AGE_KEY_LEN];

	memcpy(salt, share, AGE_KEY_LEN);
	memcpy(salt + AGE_KEY_LEN, pk, AGE_KEY_LEN);
	hkdf_sha256(key, AGE_KEY_LEN, ss, AGE_KEY_LEN, salt, sizeof salt,
	    X25519_LABEL, strlen(X25519_LABEL));
}

int
age_x25519_wrap(struct age_header *h, const unsigned char fk[AGE_FILE_KEY_LEN],
    const unsigned char pk[AGE_KEY_LEN], struct buf *why)
{
	unsigned char e[AGE_KEY_LEN], share[AGE_KEY_LEN], ss[AGE_KEY_LEN];
	unsigned char key[AGE_KEY_LEN];
	unsigned char body[AGE_FILE_KEY_LEN + AGE_TAG_LEN];
	struct buf arg = BUF_INIT;
	const char *args[2];
	int rc;

	rc = AGE_OK;
	randombytes_buf(e, sizeof e);
	crypto_scalarmult_base(share, e);
	/* An all-zero shared secret means a low-order recipient. */
	if (crypto_scalarmult(ss, e, pk) != 0) {
		buf_adds(why, "recipient is a low-order point");
		rc = AGE_ERR_KEY;
		goto out;
	}
	wrap_key(key, ss, share, pk);
	crypto_aead_chacha20poly1305_ietf_encrypt(body, NULL, fk,
	    AGE_FILE_KEY_LEN, NULL, 0, NULL, zero_nonce, key);
	base64_encode(&arg, share, sizeof share, 0);
	args[0] = "X25519";
	args[1] = arg.data;
	age_header_add(h, args, 2, body, sizeof body);
	buf_free(&arg);
out:
	sodium_memzero(e, sizeof e);
	sodium_memzero(ss, sizeof ss);
	sodium_memzero(key, sizeof key);
	return rc;
}

/*
 * One X25519 stanza.  Structural faults are fatal even when another
 * stanza would match; only a failed AEAD open means "not for us".
 */
static int
unwrap_one(const struct age_stanza *s, const unsigned char sk[AGE_KEY_LEN],
    const unsigned char pk[AGE_KEY_LEN], unsigned char fk[AGE_FILE_KEY_LEN],
    struct buf *why)
{
	unsigned char share[AGE_KEY_LEN], ss[AGE_KEY_LEN], key[AGE_KEY_LEN];
	int rc;

	if (s->nargs != 2) {
		buf_adds(why, "X25519 stanza needs exactly one argument");
		return AGE_ERR_HEADER;
	}
	if (base64_decode_exact(s->args[1], strlen(s->args[1]), share,
	    sizeof share) != 0) {
		buf_adds(why, "X25519 share is not 32 bytes of base64");
		return AGE_ERR_HEADER;
	}
	if (s->bodylen != AGE_FILE_KEY_LEN + AGE_TAG_LEN) {
		buf_adds(why, "X25519 stanza body is not 32 bytes");
		return AGE_ERR_HEADER;
	}
	if (crypto_scalarmult(ss, sk, share) != 0) {
		sodium_memzero(ss, sizeof ss);
		buf_adds(why, "X25519 share is a low-order point");
		return AGE_ERR_HEADER;
	}
	wrap_key(key, ss, share, pk);
	rc = crypto_aead_chacha20poly1305_ietf_decrypt(fk, NULL, NULL,
	    s->body, s->bodylen, NULL, 0, zero_nonce, key) == 0 ?
	    AGE_OK : AGE_ERR_NO_MATCH;
	sodium_memzero(ss, sizeof ss);
	sodium_memzero(key, sizeof key);
	return rc;
}

int
age_x25519_unwrap(const struct age_header *h,
    const unsigned char sk[AGE_KEY_LEN], unsigned char fk[AGE_FILE_KEY_LEN],
    struct buf *why)
{
	unsigned char pk[AGE_KEY_LEN];
	size_t i;
	int rc;

	crypto_scalarmult_base(pk, sk);
	for (i = 0; i < h->nst; i++) {
		if (strcmp(h->st[i].args[0], "X25519") != 0)
			continue;
		rc = unwrap_one(&h->st[i], sk, pk, fk, why);
		if (rc != AGE_ERR_NO_MATCH)
			return rc;
	}
	return AGE_ERR_NO_MATCH;
}
