/* base64.c: strict base64 on libsodium's constant-time codec. */
#include <sodium.h>

#include "base64.h"

/*
 * libsodium 1.0.18 is strict exactly as age needs when both the ignore
 * set and the b64_end pointer are NULL: it must then consume all input,
 * so trailing padding, LF or spaces fail instead of ending the decode
 * early.  Never pass b64_end here.
 */

/*
 * libsodium 1.0.18 reads each input byte as a plain char: on a signed
 * char platform bytes from 0x80 up turn negative and its constant-time
 * compares take some of them for alphabet characters (0xFF decodes as
 * '/').  Found by fuzzing the age header.  So every byte is checked
 * here first; '=' is left to libsodium, which knows where it may stand.
 */
static int
in_alphabet(const char *s, size_t len)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '+' || c == '/' ||
		    c == '='))
			return 0;
	}
	return 1;
}

static int
variant(int padded)
{
	return padded ? sodium_base64_VARIANT_ORIGINAL :
	    sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
}

void
base64_encode(struct buf *b, const void *p, size_t n, int padded)
{
	size_t need;

	need = sodium_base64_ENCODED_LEN(n, variant(padded));
	buf_grow(b, need);
	sodium_bin2base64(b->data + b->len, need, p, n, variant(padded));
	b->len += need - 1;
}

int
base64_decode(const char *s, size_t len, void *out, size_t max,
    size_t *outlen, int padded)
{
	size_t got;

	/* sodium reads nothing from s when len is 0, even for a NULL s. */
	if ((padded && len % 4 != 0) || !in_alphabet(s, len))
		return -1;
	if (sodium_base642bin(out, max, s, len, NULL, &got, NULL,
	    variant(padded)) != 0)
		return -1;
	*outlen = got;
	return 0;
}

int
base64_decode_exact(const char *s, size_t len, void *out, size_t want)
{
	size_t got;

	if (base64_decode(s, len, out, want, &got, 0) != 0 || got != want)
		return -1;
	return 0;
}
