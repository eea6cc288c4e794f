/* bech32.c: Bech32 encoding and strict decoding (BIP 173 checksum). */
#include <string.h>

#include "bech32.h"

static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static unsigned long
polymod_step(unsigned long chk, unsigned v)
{
	static const unsigned long gen[5] = {
		0x3b6a57b2UL, 0x26508e6dUL, 0x1ea119faUL, 0x3d4233ddUL,
		0x2a1462b3UL
	};
	unsigned long top;
	int i;

	top = chk >> 25;
	chk = ((chk & 0x1ffffffUL) << 5) ^ v;
	for (i = 0; i < 5; i++)
		if ((top >> i) & 1)
			chk ^= gen[i];
	return chk;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* The checksum covers the HRP expanded to high bits, 0, low bits. */
static unsigned long
polymod_hrp(const char *hrp, size_t n)
{
	unsigned long chk;
	size_t i;

	chk = 1;
	for (i = 0; i < n; i++)
		chk = polymod_step(chk, (unsigned)lower(hrp[i]) >> 5);
	chk = polymod_step(chk, 0);
	for (i = 0; i < n; i++)
		chk = polymod_step(chk, (unsigned)lower(hrp[i]) & 31);
	return chk;
}

int
bech32_encode(struct buf *out, const char *hrp, const unsigned char *v,
    size_t n)
{
	unsigned long chk;
	size_t i, hlen;

	hlen = strlen(hrp);
	if (hlen == 0)
		return -1;
	for (i = 0; i < hlen; i++)
		if (hrp[i] < 33 || hrp[i] > 126)
			return -1;
	chk = polymod_hrp(hrp, hlen);
	for (i = 0; i < hlen; i++)
		buf_addc(out, lower(hrp[i]));
	buf_addc(out, '1');
	for (i = 0; i < n; i++) {
		if (v[i] > 31)
			return -1;
		chk = polymod_step(chk, v[i]);
		buf_addc(out, charset[v[i]]);
	}
	for (i = 0; i < 6; i++)
		chk = polymod_step(chk, 0);
	chk ^= 1;
	for (i = 0; i < 6; i++)
		buf_addc(out, charset[(chk >> (5 * (5 - i))) & 31]);
	return 0;
}

/* Printable ASCII only, and never both cases. */
static int
check_chars(const char *s, size_t len)
{
	int up, low;
	size_t i;

	up = low = 0;
	for (i = 0; i < len; i++) {
		if (s[i] < 33 || s[i] > 126)
			return -1;
		up |= s[i] >= 'A' && s[i] <= 'Z';
		low |= s[i] >= 'a' && s[i] <= 'z';
	}
	return up && low ? -1 : 0;
}

int
bech32_decode(const char *s, size_t len, struct buf *hrp, struct buf *data)
{
	const char *sep, *p;
	unsigned long chk;
	size_t hlen, i;

	if (check_chars(s, len) != 0)
		return -1;
	for (sep = NULL, i = 0; i < len; i++)
		if (s[i] == '1')
			sep = s + i;
	if (sep == NULL || sep == s || (size_t)(s + len - sep) < 7)
		return -1;
	hlen = (size_t)(sep - s);
	chk = polymod_hrp(s, hlen);
	buf_reset(hrp);
	buf_reset(data);
	for (i = 0; i < hlen; i++)
		buf_addc(hrp, lower(s[i]));
	for (i = hlen + 1; i < len; i++) {
		if ((p = strchr(charset, lower(s[i]))) == NULL)
			return -1;
		chk = polymod_step(chk, (unsigned)(p - charset));
		if (i + 6 < len)
			buf_addc(data, (int)(p - charset));
	}
	return chk == 1 ? 0 : -1;
}

int
bech32_to5(struct buf *out, const unsigned char *p, size_t n)
{
	unsigned acc;
	size_t i;
	int bits;

	acc = 0;
	bits = 0;
	for (i = 0; i < n; i++) {
		acc = (acc << 8 | p[i]) & 0xfff;
		for (bits += 8; bits >= 5; bits -= 5)
			buf_addc(out, (int)(acc >> (bits - 5)) & 31);
	}
	if (bits > 0)
		buf_addc(out, (int)(acc << (5 - bits)) & 31);
	return 0;
}

int
bech32_to8(struct buf *out, const unsigned char *v, size_t n)
{
	unsigned acc;
	size_t i;
	int bits;

	acc = 0;
	bits = 0;
	for (i = 0; i < n; i++) {
		if (v[i] > 31)
			return -1;
		acc = (acc << 5 | v[i]) & 0xfff;
		for (bits += 5; bits >= 8; bits -= 8)
			buf_addc(out, (int)(acc >> (bits - 8)) & 0xff);
	}
	if (bits >= 5 || (acc & ((1u << bits) - 1)) != 0)
		return -1;
	return 0;
}
