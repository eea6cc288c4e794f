/* test_base64.c: the strict base64 codec on canonical and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "base64.h"

static int
dec(const char *s, int padded, size_t *n)
{
	unsigned char out[64];

	return base64_decode(s, strlen(s), out, sizeof out, n, padded);
}

/* RFC 4648 section 10, both variants. */
static void
test_rfc4648(void **state)
{
	static const char *const in[] = { "", "f", "fo", "foo", "foob",
	    "fooba", "foobar" };
	static const char *const pad[] = { "", "Zg==", "Zm8=", "Zm9v",
	    "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
	static const char *const raw[] = { "", "Zg", "Zm8", "Zm9v",
	    "Zm9vYg", "Zm9vYmE", "Zm9vYmFy" };
	unsigned char out[16];
	struct buf b = BUF_INIT;
	size_t i, n;

	(void)state;
	for (i = 0; i < 7; i++) {
		buf_reset(&b);
		base64_encode(&b, in[i], strlen(in[i]), 1);
		assert_string_equal(b.data != NULL ? b.data : "", pad[i]);
		buf_reset(&b);
		base64_encode(&b, in[i], strlen(in[i]), 0);
		assert_string_equal(b.data != NULL ? b.data : "", raw[i]);
		assert_int_equal(base64_decode(pad[i], strlen(pad[i]), out,
		    sizeof out, &n, 1), 0);
		assert_int_equal(n, strlen(in[i]));
		assert_memory_equal(out, in[i], n);
		assert_int_equal(base64_decode(raw[i], strlen(raw[i]), out,
		    sizeof out, &n, 0), 0);
		assert_int_equal(n, strlen(in[i]));
		assert_memory_equal(out, in[i], n);
	}
	buf_free(&b);
}

static void
test_reject_unpadded(void **state)
{
	static const char *const bad[] = {
		"Zg==",		/* padding where none is allowed */
		"Zm8=",
		"Zg=",
		"Z",		/* len % 4 == 1 */
		"Zm9vY",
		"Zm9v\n",	/* LF, CR, space, tab */
		"Zm9v\r",
		"Zm 9v",
		"\tZm9v",
		"Zm-v",		/* URL-safe alphabet */
		"Zm_v",
		"Zh",		/* non-canonical: low bits of 'h' set */
		"Zm9",		/* non-canonical: '9' carries a set low bit */
		"Zm9vYmF=",
		"Zm9\xc3\xa9",	/* non-ASCII */
	};
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(dec(bad[i], 0, &n), -1);
}

static void
test_reject_padded(void **state)
{
	static const char *const bad[] = {
		"Zg",		/* missing padding */
		"Zg=",
		"Zm8",
		"Zg===",	/* surplus padding */
		"Zm9v====",
		"Zh==",		/* non-canonical */
		"Zm9=",
		"Zm9vYmF=",
		"Z===",
		"=Zm9",		/* padding not at the end */
		"Zg==Zg==",
		"Zm9v\n",
		" Zm9v",
	};
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(dec(bad[i], 1, &n), -1);
}

/* age's fixed sizes: 16 bytes are 22 characters, 32 bytes 43. */
/*
 * Every byte from 0x80 up is refused, in every position, in both
 * variants: libsodium alone took 0xFF for '/' (found by fuzzing).
 */
static void
test_reject_high_bytes(void **state)
{
	char s[5];
	size_t n, pos;
	int c;

	(void)state;
	for (c = 0x80; c <= 0xFF; c++)
		for (pos = 0; pos < 4; pos++) {
			memcpy(s, "Zm9v", 5);
			s[pos] = (char)c;
			assert_int_equal(dec(s, 0, &n), -1);
			assert_int_equal(dec(s, 1, &n), -1);
		}
	/* And in ASCII, everything outside the alphabet. */
	for (c = 1; c < 0x80; c++) {
		memcpy(s, "Zm9v", 5);
		s[3] = (char)c;
		if (strchr("+/" "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789", c) == NULL)
			assert_int_equal(dec(s, 0, &n), -1);
	}
}

static void
test_exact(void **state)
{
	unsigned char out[32];
	static const char mac[] = "WyJp9F/9FOZh7gJdheq2WIJcwHgYc8NIVh3ddwhrcNg";
	static const char off[] = "WyJp9F/9FOZh7gJdheq2WIJcwHgYc8NIVh3ddwhrcNh";

	(void)state;
	assert_int_equal(base64_decode_exact(mac, 43, out, 32), 0);
	assert_int_equal(out[0], 0x5b);
	assert_int_equal(base64_decode_exact(off, 43, out, 32), -1);
	assert_int_equal(base64_decode_exact(mac, 42, out, 32), -1);
	assert_int_equal(base64_decode_exact(mac, 43, out, 31), -1);
	assert_int_equal(base64_decode_exact("rF0/NwblUHHTpgQgRpe5CQ", 22, out,
	    16), 0);
	assert_int_equal(base64_decode_exact("rF0/NwblUHHTpgQgRpe5CQ", 22, out,
	    32), -1);
	assert_int_equal(base64_decode_exact("", 0, out, 0), 0);
}

/* The decoder must stop at the output size, not write past it. */
static void
test_capacity(void **state)
{
	unsigned char out[4];
	size_t n;

	(void)state;
	assert_int_equal(base64_decode("Zm9vYmFy", 8, out, 4, &n, 0), -1);
	assert_int_equal(base64_decode("Zm9vYg", 6, out, 4, &n, 0), 0);
	assert_int_equal(n, 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4648),
		cmocka_unit_test(test_reject_unpadded),
		cmocka_unit_test(test_reject_padded),
		cmocka_unit_test(test_reject_high_bytes),
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_capacity),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
