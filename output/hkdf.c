/* hkdf.c: HKDF-SHA-256 built from libsodium's HMAC-SHA-256. */
#include <string.h>

#include <sodium.h>

#include "hkdf.h"

/* PRK = HMAC(salt, ikm).  HMAC pads a short key with zeros, so an empty
 * salt already behaves as 32 zero bytes. */
static void
hkdf_extract(unsigned char prk[HKDF_SHA256_LEN], const void *ikm,
    size_t ikmlen, const void *salt, size_t saltlen)
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, salt, saltlen);
	crypto_auth_hmacsha256_update(&st, ikm, ikmlen);
	crypto_auth_hmacsha256_final(&st, prk);
	sodium_memzero(&st, sizeof st);
}

/* T(i) = HMAC(PRK, T(i-1) || info || i), concatenated until outlen. */
static void
hkdf_expand(unsigned char *out, size_t outlen,
    const unsigned char prk[HKDF_SHA256_LEN], const void *info,
    size_t infolen)
{
	crypto_auth_hmacsha256_state st;
	unsigned char t[HKDF_SHA256_LEN];
	unsigned char ctr;
	size_t off, n;

	for (off = 0, ctr = 1; off < outlen; off += n, ctr++) {
		crypto_auth_hmacsha256_init(&st, prk, HKDF_SHA256_LEN);
		if (off > 0)
			crypto_auth_hmacsha256_update(&st, t, sizeof t);
		crypto_auth_hmacsha256_update(&st, info, infolen);
		crypto_auth_hmacsha256_update(&st, &ctr, 1);
		crypto_auth_hmacsha256_final(&st, t);
		n = outlen - off < sizeof t ? outlen - off : sizeof t;
		memcpy(out + off, t, n);
	}
	sodium_memzero(&st, sizeof st);
	sodium_memzero(t, sizeof t);
}

int
hkdf_sha256(void *out, size_t outlen, const void *ikm, size_t ikmlen,
    const void *salt, size_t saltlen, const void *info, size_t infolen)
{
	unsigned char prk[HKDF_SHA256_LEN];

	if (outlen == 0 || outlen > HKDF_SHA256_MAXOUT)
		return -1;
	/* libsodium declares its pointers non-null even for length 0. */
	if (salt == NULL)
		salt = "";
	if (ikm == NULL)
		ikm = "";
	if (info == NULL)
		info = "";
	hkdf_extract(prk, ikm, ikmlen, salt, saltlen);
	hkdf_expand(out, outlen, prk, info, infolen);
	sodium_memzero(prk, sizeof prk);
	return 0;
}
