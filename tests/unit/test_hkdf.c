/* test_hkdf.c: HKDF-SHA-256 against RFC 5869 appendix A and age's KATs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "hkdf.h"

static size_t
unhex(unsigned char *out, size_t max, const char *hex)
{
	size_t n;

	assert_int_equal(sodium_hex2bin(out, max, hex, strlen(hex), NULL,
	    &n, NULL), 0);
	return n;
}

static void
range(unsigned char *p, size_t n, unsigned first)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(first + i);
}

static void
expect_okm(const char *hex, const unsigned char *ikm, size_t ikmlen,
    const unsigned char *salt, size_t saltlen, const unsigned char *info,
    size_t infolen)
{
	unsigned char want[128], got[128];
	size_t n;

	n = unhex(want, sizeof want, hex);
	assert_int_equal(hkdf_sha256(got, n, ikm, ikmlen, salt, saltlen,
	    info, infolen), 0);
	assert_memory_equal(got, want, n);
}

/* RFC 5869 A.1: basic test case. */
static void
test_rfc5869_case1(void **state)
{
	unsigned char ikm[22], salt[13], info[10];

	(void)state;
	memset(ikm, 0x0b, sizeof ikm);
	range(salt, sizeof salt, 0x00);
	range(info, sizeof info, 0xf0);
	expect_okm("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db0"
	    "2d56ecc4c5bf34007208d5b887185865", ikm, sizeof ikm, salt,
	    sizeof salt, info, sizeof info);
}

/* RFC 5869 A.2: longer inputs and outputs (three HMAC blocks). */
static void
test_rfc5869_case2(void **state)
{
	unsigned char ikm[80], salt[80], info[80];

	(void)state;
	range(ikm, sizeof ikm, 0x00);
	range(salt, sizeof salt, 0x60);
	range(info, sizeof info, 0xb0);
	expect_okm("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050"
	    "cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8"
	    "367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87",
	    ikm, sizeof ikm, salt, sizeof salt, info, sizeof info);
}

/* RFC 5869 A.3: empty salt and info. */
static void
test_rfc5869_case3(void **state)
{
	unsigned char ikm[22], zero[32];

	(void)state;
	memset(ikm, 0x0b, sizeof ikm);
	expect_okm("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec345"
	    "4e5f3c738d2d9d201395faa4b61a96c8", ikm, sizeof ikm, NULL, 0,
	    NULL, 0);
	/* An empty salt is the same as HashLen zero bytes. */
	memset(zero, 0, sizeof zero);
	expect_okm("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec345"
	    "4e5f3c738d2d9d201395faa4b61a96c8", ikm, sizeof ikm, zero,
	    sizeof zero, NULL, 0);
}

/* age's header MAC key for the CCTV "x25519" vector (file key YELLOW
 * SUBMARINE, empty salt, info "header"). */
static void
test_age_header_key(void **state)
{
	static const char fk[] = "YELLOW SUBMARINE";

	(void)state;
	expect_okm("a4bf3b9f4e908993e678eb71e558faedac5829d1d632c50225217c"
	    "066fec77d2", (const unsigned char *)fk, 16, NULL, 0,
	    (const unsigned char *)"header", 6);
}

static void
test_lengths(void **state)
{
	unsigned char out[HKDF_SHA256_MAXOUT + 1];

	(void)state;
	assert_int_equal(hkdf_sha256(out, 0, "k", 1, NULL, 0, NULL, 0), -1);
	assert_int_equal(hkdf_sha256(out, HKDF_SHA256_MAXOUT + 1, "k", 1,
	    NULL, 0, NULL, 0), -1);
	assert_int_equal(hkdf_sha256(out, HKDF_SHA256_MAXOUT, "k", 1,
	    NULL, 0, NULL, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc5869_case1),
		cmocka_unit_test(test_rfc5869_case2),
		cmocka_unit_test(test_rfc5869_case3),
		cmocka_unit_test(test_age_header_key),
		cmocka_unit_test(test_lengths),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
