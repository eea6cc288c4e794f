/* hkdf.h: HKDF-SHA-256 (RFC 5869), which libsodium 1.0.18 lacks. */
#ifndef RAILGEN_HKDF_H
#define RAILGEN_HKDF_H

#include <stddef.h>

#define HKDF_SHA256_LEN		32
#define HKDF_SHA256_MAXOUT	(255 * HKDF_SHA256_LEN)

/*
 * Derives outlen bytes (1..HKDF_SHA256_MAXOUT) into out from the input
 * keying material, salt (may be empty: treated as 32 zero bytes, as the
 * RFC says) and info.  Returns 0, or -1 when outlen is out of range.
 * Intermediate keys are wiped before returning.
 */
int	hkdf_sha256(void *out, size_t outlen,
	    const void *ikm, size_t ikmlen,
	    const void *salt, size_t saltlen,
	    const void *info, size_t infolen);

#endif
