/* base64.h: strict RFC 4648 base64 (standard alphabet) for age and SOPS. */
#ifndef RAILGEN_BASE64_H
#define RAILGEN_BASE64_H

#include <stddef.h>

#include "buf.h"

/*
 * Strictness is the point of these decoders: they reject any byte outside
 * the alphabet (CR, LF and spaces included), '=' where the variant has no
 * padding, a length that no encoding can have, and non-canonical encodings
 * (non-zero unused bits in the last character).  They return 0 or -1.
 */

/* Appends the encoding of p[0..n); padded selects '=' padding. */
void	base64_encode(struct buf *, const void *p, size_t n, int padded);

/* Decodes s[0..len), unpadded, into exactly want bytes at out. */
int	base64_decode_exact(const char *s, size_t len, void *out,
	    size_t want);

/*
 * Decodes s[0..len) into out (at most max bytes) and stores the decoded
 * length in *outlen.  padded selects the padded variant, in which the
 * length must be a multiple of 4.
 */
int	base64_decode(const char *s, size_t len, void *out, size_t max,
	    size_t *outlen, int padded);

#endif
