/* test_bech32.c: Bech32 against BIP 173's vectors and age's key strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "bech32.h"

static int
decode(const char *s, struct buf *hrp, struct buf *data)
{
	return bech32_decode(s, strlen(s), hrp, data);
}

/* BIP 173 valid checksums; each must re-encode to its lower-case form. */
static void
test_bip173_valid(void **state)
{
	static const char *const ok[] = {
		"A12UEL5L",
		"a12uel5l",
		"an83characterlonghumanreadablepartthatcontainsthenumber1"
		"andtheexcludedcharactersbio1tt5tgs",
		"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
		"11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
		"qqqqqqqqqqqqqqqqqqqqqqqc8247j",
		"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
		"?1ezyfcl",
	};
	struct buf hrp = BUF_INIT, data = BUF_INIT, again = BUF_INIT;
	size_t i, j, n;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_int_equal(decode(ok[i], &hrp, &data), 0);
		buf_reset(&again);
		assert_int_equal(bech32_encode(&again, hrp.data,
		    (unsigned char *)data.data, data.len), 0);
		n = strlen(ok[i]);
		assert_int_equal(again.len, n);
		for (j = 0; j < n; j++)
			assert_int_equal(again.data[j],
			    ok[i][j] >= 'A' && ok[i][j] <= 'Z' ?
			    ok[i][j] + 32 : ok[i][j]);
	}
	assert_int_equal(decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
	    &hrp, &data), 0);
	assert_string_equal(hrp.data, "abcdef");
	assert_int_equal(data.len, 32);
	for (j = 0; j < 32; j++)
		assert_int_equal((unsigned char)data.data[j], j);
	buf_free(&hrp);
	buf_free(&data);
	buf_free(&again);
}

static void
test_bip173_invalid(void **state)
{
	static const char *const bad[] = {
		"\x20" "1nwldj5",	/* HRP character out of range */
		"\x7f" "1axkwrx",
		"\x80" "1eym55h",
		"pzry9x0s0muk",		/* no separator */
		"1pzry9x0s0muk",	/* empty HRP */
		"x1b4n0q5v",		/* invalid data character */
		"li1dgmt3",		/* too short checksum */
		"de1lg7wt\xff",		/* invalid character in checksum */
		"A1G7SGD8",		/* checksum made with upper-case HRP */
		"10a06t8",		/* empty HRP */
		"1qzzfhee",		/* empty HRP */
		"A12uEL5L",		/* mixed case */
		"a12uel5m",		/* one character changed */
		"a12uel5",		/* truncated */
		"",
	};
	struct buf hrp = BUF_INIT, data = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(decode(bad[i], &hrp, &data), -1);
	buf_free(&hrp);
	buf_free(&data);
}

/*
 * BIP 173 rejects this string only for exceeding 90 characters; age keys
 * have no length limit (post-quantum keys are ~1900 characters), so the
 * decoder accepts it on purpose.
 */
static void
test_no_length_limit(void **state)
{
	struct buf hrp = BUF_INIT, data = BUF_INIT;

	(void)state;
	assert_int_equal(decode("an84characterslonghumanreadablepartthat"
	    "containsthenumber1andtheexcludedcharactersbio1569pvx",
	    &hrp, &data), 0);
	buf_free(&hrp);
	buf_free(&data);
}

static void
key_roundtrip(const char *s, const char *hrp_want, unsigned char byte)
{
	struct buf hrp = BUF_INIT, v = BUF_INIT, bytes = BUF_INIT;
	struct buf again = BUF_INIT, v5 = BUF_INIT;
	unsigned char want[32];
	size_t i;

	memset(want, byte, sizeof want);
	assert_int_equal(decode(s, &hrp, &v), 0);
	assert_string_equal(hrp.data, hrp_want);
	assert_int_equal(bech32_to8(&bytes, (unsigned char *)v.data, v.len), 0);
	assert_int_equal(bytes.len, 32);
	if (byte != 0)
		assert_memory_equal(bytes.data, want, 32);
	assert_int_equal(bech32_to5(&v5, (unsigned char *)bytes.data, 32), 0);
	assert_int_equal(v5.len, 52);
	assert_int_equal(bech32_encode(&again, hrp.data,
	    (unsigned char *)v5.data, v5.len), 0);
	for (i = 0; i < again.len; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			again.data[i] = (char)(again.data[i] - 32);
	assert_string_equal(again.data, s);
	buf_free(&hrp);
	buf_free(&v);
	buf_free(&bytes);
	buf_free(&again);
	buf_free(&v5);
}

/* The age spec's example identity is 32 bytes of 0x42. */
static void
test_age_keys(void **state)
{
	(void)state;
	key_roundtrip("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPY"
	    "YSJZGFPYYSJZGFPQ4EGAEX", "age-secret-key-", 0x42);
	key_roundtrip("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexv"
	    "n73equnujwj", "age", 0);
	key_roundtrip("age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66"
	    "mv4q47ryef", "age", 0);
}

/* Leftover bits: fewer than 5 and all zero, else the conversion fails. */
static void
test_regroup(void **state)
{
	struct buf out = BUF_INIT;
	/* 11111 11100 is one 0xff byte; a set low bit is not padding. */
	static const unsigned char pad_ok[] = { 31, 28 };
	static const unsigned char pad_bad[] = { 31, 29 };
	static const unsigned char too_long[] = { 31, 28, 0 };

	(void)state;
	assert_int_equal(bech32_to8(&out, pad_ok, 2), 0);
	assert_int_equal(out.len, 1);
	assert_int_equal((unsigned char)out.data[0], 0xff);
	buf_reset(&out);
	assert_int_equal(bech32_to8(&out, pad_bad, 2), -1);
	buf_reset(&out);
	assert_int_equal(bech32_to8(&out, too_long, 3), -1);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bip173_valid),
		cmocka_unit_test(test_bip173_invalid),
		cmocka_unit_test(test_no_length_limit),
		cmocka_unit_test(test_age_keys),
		cmocka_unit_test(test_regroup),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
