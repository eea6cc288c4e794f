/* secret.c: random secret strings, and percent-encoding of passwords. */
#include <string.h>

#include <sodium.h>

#include "age_impl.h"
#include "secret.h"

void
secret_random(struct buf *out, size_t len)
{
	unsigned char chunk[64];
	size_t i, n;

	age_sodium_init();
	buf_grow(out, len);
	while (len > 0) {
		n = len < sizeof chunk ? len : sizeof chunk;
		randombytes_buf(chunk, n);
		/* 64 characters: the low 6 bits index them uniformly. */
		for (i = 0; i < n; i++)
			buf_addc(out, SECRET_ALPHABET[chunk[i] & 0x3f]);
		len -= n;
	}
	sodium_memzero(chunk, sizeof chunk);
}

static int
unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

void
secret_url_encode(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;
	size_t i;

	/* At most three bytes each: grown once, for the same reason. */
	buf_grow(out, 3 * len);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (unreserved(c))
			buf_addc(out, c);
		else {
			buf_addc(out, '%');
			buf_addc(out, hex[c >> 4]);
			buf_addc(out, hex[c & 0xf]);
		}
	}
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
secret_url_decode(struct buf *out, const char *s, size_t len)
{
	size_t i, start = out->len;
	int hi, lo;

	buf_grow(out, len);
	for (i = 0; i < len; i++) {
		if (s[i] != '%') {
			buf_addc(out, s[i]);
			continue;
		}
		hi = i + 2 < len ? hexval((unsigned char)s[i + 1]) : -1;
		lo = i + 2 < len ? hexval((unsigned char)s[i + 2]) : -1;
		if (hi < 0 || lo < 0) {
			sodium_memzero(out->data + start, out->len - start);
			out->len = start;
			out->data[start] = '\0';
			return -1;
		}
		buf_addc(out, hi << 4 | lo);
		i += 2;
	}
	return 0;
}

/*
 * The authority is what follows "scheme://" up to the first '/', '?' or
 * '#'; its user information ends at the last '@' (an '@' in a password
 * is always escaped), and the password follows the first ':' there.
 */
int
secret_url_password(const char *url, size_t len, struct buf *out)
{
	const char *p, *end, *at, *colon;

	if ((p = memchr(url, ':', len)) == NULL || (size_t)(url + len - p) <
	    3 || p[1] != '/' || p[2] != '/')
		return -1;
	p += 3;
	for (end = p; end < url + len && *end != '/' && *end != '?' &&
	    *end != '#'; end++)
		;
	for (at = NULL, colon = p; colon < end; colon++)
		if (*colon == '@')
			at = colon;
	if (at == NULL || (colon = memchr(p, ':', (size_t)(at - p))) == NULL)
		return -1;
	return secret_url_decode(out, colon + 1, (size_t)(at - colon - 1));
}
