/* fuzz_bech32.c: libFuzzer target for Bech32 and age key strings. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "age_impl.h"
#include "bech32.h"
#include "buf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* What decodes encodes back to the input, lower-cased. */
static void
bech32_roundtrip(const char *s, size_t n)
{
	struct buf hrp = BUF_INIT, v = BUF_INIT, enc = BUF_INIT;
	struct buf bytes = BUF_INIT;
	size_t i;

	if (bech32_decode(s, n, &hrp, &v) == 0) {
		if (bech32_encode(&enc, hrp.data, (unsigned char *)v.data,
		    v.len) != 0 || enc.len != n)
			abort();
		for (i = 0; i < n; i++)
			if (enc.data[i] != tolower((unsigned char)s[i]))
				abort();
		(void)bech32_to8(&bytes, (unsigned char *)v.data, v.len);
	}
	buf_free(&hrp);
	buf_free(&v);
	buf_free(&enc);
	buf_free(&bytes);
}

/* An accepted recipient formats back to itself. */
static void
recipient(const char *s, size_t n)
{
	unsigned char pk[AGE_KEY_LEN];
	struct buf why = BUF_INIT, fmt = BUF_INIT;

	if (age_recipient_parse(s, n, pk, &why) == AGE_OK) {
		age_recipient_format(&fmt, pk);
		if (fmt.len != n || memcmp(fmt.data, s, n) != 0)
			abort();
	}
	buf_free(&why);
	buf_free(&fmt);
}

/* The input as an identity file; its keys must give recipients. */
static void
identities(const char *s, size_t n)
{
	struct age_keyring *kr;
	struct buf why = BUF_INIT, rcpt = BUF_INIT;

	kr = age_keyring_new();
	if (age_keyring_add(kr, s, n, &why) == 0)
		age_keyring_recipients(kr, &rcpt);
	age_keyring_free(kr);
	buf_free(&why);
	buf_free(&rcpt);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	bech32_roundtrip(s, size);
	recipient(s, size);
	identities(s, size);
	return 0;
}
