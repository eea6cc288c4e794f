/* test_secret.c: generated secrets and the percent-encoding of passwords. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "secret.h"

/* Length, alphabet, and every character of it in a long draw. */
static void
test_random(void **state)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	int seen[256] = { 0 };
	size_t i, nseen = 0;

	(void)state;
	secret_random(&a, 4096);
	assert_int_equal(a.len, 4096);
	assert_int_equal(strlen(a.data), 4096);
	for (i = 0; i < a.len; i++) {
		assert_non_null(strchr(SECRET_ALPHABET, a.data[i]));
		if (!seen[(unsigned char)a.data[i]]++)
			nseen++;
	}
	/* Missing one of 64 in 4096 draws: about 64 * e^-64. */
	assert_int_equal(nseen, 64);
	secret_random(&b, 50);
	assert_int_equal(b.len, 50);
	assert_memory_not_equal(a.data, b.data, 50);
	buf_wipe(&a);
	buf_wipe(&b);
}

/* Appending keeps what the buffer held. */
static void
test_random_appends(void **state)
{
	struct buf a = BUF_INIT;

	(void)state;
	buf_adds(&a, "pw=");
	secret_random(&a, 16);
	assert_int_equal(a.len, 19);
	assert_memory_equal(a.data, "pw=", 3);
	buf_wipe(&a);
}

static void
test_encode(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "" },
		{ "Az09-._~", "Az09-._~" },
		{ "p@ss:w/rd", "p%40ss%3Aw%2Frd" },
		{ "a b%c+d", "a%20b%25c%2Bd" },
		{ "\xc3\xbc", "%C3%BC" },
		{ "?#[]!$&'()*,;=",
		    "%3F%23%5B%5D%21%24%26%27%28%29%2A%2C%3B%3D" },
	};
	struct buf b = BUF_INIT, d = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		buf_reset(&d);
		secret_url_encode(&b, cases[i].in, strlen(cases[i].in));
		assert_string_equal(b.data, cases[i].out);
		assert_int_equal(secret_url_decode(&d, b.data, b.len), 0);
		assert_string_equal(d.data, cases[i].in);
	}
	buf_free(&b);
	buf_free(&d);
}

static void
test_decode_bad(void **state)
{
	static const char *const bad[] = { "%", "%4", "a%zz", "%4g", "x%" };
	struct buf d = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		buf_reset(&d);
		buf_adds(&d, "keep");
		assert_int_equal(secret_url_decode(&d, bad[i],
		    strlen(bad[i])), -1);
		assert_string_equal(d.data, "keep");
	}
	buf_reset(&d);
	assert_int_equal(secret_url_decode(&d, "%41%62", 6), 0);
	assert_string_equal(d.data, "Ab");
	buf_free(&d);
}

static void
test_password(void **state)
{
	static const struct {
		const char *url, *pw;
	} ok[] = {
		{ "postgresql://vergabe:s3cr3t@h.svc:5432/db", "s3cr3t" },
		{ "postgresql://u:p%40ss%3Aw%2F@h/db?sslmode=require",
		    "p@ss:w/" },
		{ "postgresql://u:a:b@h", "a:b" },
		{ "postgresql://u:@h/db", "" },
		{ "x://u:p@h#frag@x", "p" },
	};
	static const char *const none[] = {
		"postgresql://vergabe@h/db", "postgresql://h/db",
		"postgresql:/u:p@h", "u:p@h", "postgresql://u:%zz@h",
		"postgresql://h/u:p@x",
	};
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		buf_reset(&b);
		assert_int_equal(secret_url_password(ok[i].url,
		    strlen(ok[i].url), &b), 0);
		assert_string_equal(b.data != NULL ? b.data : "", ok[i].pw);
	}
	for (i = 0; i < sizeof none / sizeof none[0]; i++) {
		buf_reset(&b);
		assert_int_equal(secret_url_password(none[i],
		    strlen(none[i]), &b), -1);
		assert_int_equal(b.len, 0);
	}
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_random_appends),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_decode_bad),
		cmocka_unit_test(test_password),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
