/* bech32.h: Bech32 strings (BIP 173 checksum) as age keys use them. */
#ifndef RAILGEN_BECH32_H
#define RAILGEN_BECH32_H

#include <stddef.h>

#include "buf.h"

/*
 * Unlike BIP 173 there is no 90-character limit: age's post-quantum keys
 * are much longer.  Everything else follows BIP 173: the separator is the
 * last '1', the human-readable part (HRP) is non-empty printable ASCII,
 * at least six checksum characters follow, and mixed case is refused.
 */

/*
 * Appends the lower-case Bech32 string for hrp and the 5-bit values
 * v[0..n).  The caller upper-cases the result when it wants that form.
 * Returns -1 when the HRP or a value is out of range.
 */
int	bech32_encode(struct buf *out, const char *hrp,
	    const unsigned char *v, size_t n);

/*
 * Decodes s[0..len).  On success stores the HRP (lower-cased) in *hrp and
 * the 5-bit data values (checksum removed) in *data, both replacing what
 * the buffers held, and returns 0; returns -1 on any defect.
 */
int	bech32_decode(const char *s, size_t len, struct buf *hrp,
	    struct buf *data);

/*
 * Regroups bits: bytes to 5-bit values (pad the last group with zero
 * bits) or 5-bit values to bytes (fewer than 5 leftover bits, all zero,
 * else -1).  Appends to out.
 */
int	bech32_to5(struct buf *out, const unsigned char *p, size_t n);
int	bech32_to8(struct buf *out, const unsigned char *v, size_t n);

#endif
