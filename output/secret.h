/* secret.h: secret values drawn from the CSPRNG, and passwords in URLs. */
#ifndef RAILGEN_SECRET_H
#define RAILGEN_SECRET_H

#include <stddef.h>

#include "buf.h"

/*
 * Generated secrets are strings over the 64 characters of base64url
 * (RFC 4648 section 5): each character carries exactly 6 bits from
 * libsodium's CSPRNG, with no modulo bias, and the value needs no
 * quoting in YAML, a shell, an environment variable or a URL.
 */
#define SECRET_ALPHABET \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

/* Length of the database password railgen generates (192 bits). */
#define SECRET_PASSWORD_LEN	32

/*
 * Appends len random characters of SECRET_ALPHABET to *out, which the
 * caller must buf_wipe.  The buffer is grown once beforehand, so no copy
 * of the secret is left behind in freed memory.
 */
void	secret_random(struct buf *out, size_t len);

/*
 * Appends s[0..len) percent-encoded for the user or password part of a
 * URL (RFC 3986): every byte except ALPHA, DIGIT and "-._~" becomes %XX
 * with upper-case hex digits.
 */
void	secret_url_encode(struct buf *out, const char *s, size_t len);

/* Appends s[0..len) percent-decoded; -1 (out unchanged) on a bad %. */
int	secret_url_decode(struct buf *out, const char *s, size_t len);

/*
 * Appends the decoded password of url ("scheme://user:password@host...")
 * to *out; -1 (out unchanged) when the URL has no password or a bad
 * escape.  The caller wipes *out.
 */
int	secret_url_password(const char *url, size_t len, struct buf *out);

#endif
