/* test_yaml_scalar.c: go-yaml v3 typing and Go's number and time text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "yamltree.h"

static struct yaml_node *
res(const char *s)
{
	return yaml_resolve_plain(s, strlen(s));
}

static void
want_kind(const char *s, enum yaml_kind k)
{
	struct yaml_node *n = res(s);

	if (n->kind != k)
		fail_msg("'%s' resolved to %s, not %s", s,
		    yaml_kind_name(n->kind), yaml_kind_name(k));
	yaml_node_free(n);
}

static void
want_int(const char *s, int64_t v)
{
	struct yaml_node *n = res(s);

	assert_int_equal(n->kind, YAML_INT);
	assert_true(n->v.i == v);
	yaml_node_free(n);
}

static void
want_float(const char *s, double v)
{
	struct yaml_node *n = res(s);

	assert_int_equal(n->kind, YAML_FLOAT);
	if (isnan(v))
		assert_true(isnan(n->v.f));
	else
		assert_true(n->v.f == v && signbit(n->v.f) == signbit(v));
	yaml_node_free(n);
}

/* Section 9 of the spec: what go-yaml makes of plain scalars. */
static void
test_resolver(void **state)
{
	(void)state;
	want_kind("true", YAML_BOOL);
	want_kind("True", YAML_BOOL);
	want_kind("FALSE", YAML_BOOL);
	want_kind("yes", YAML_STR);
	want_kind("on", YAML_STR);
	want_kind("y", YAML_STR);
	want_kind("tRue", YAML_STR);
	want_kind("", YAML_NULL);
	want_kind("~", YAML_NULL);
	want_kind("Null", YAML_NULL);
	want_kind("nulL", YAML_STR);
	want_kind("<<", YAML_STR);
	want_int("42", 42);
	want_int("-5", -5);
	want_int("+5", 5);
	want_int("0x1F", 31);
	want_int("0o17", 15);
	want_int("017", 15);
	want_int("0b101", 5);
	want_int("1_000", 1000);
	want_int("-9223372036854775808", INT64_MIN);
	want_kind("9223372036854775808", YAML_UINT);
	want_kind("18446744073709551616", YAML_FLOAT);
	want_float("08", 8);
	want_float("1.50", 1.5);
	want_float("1e21", 1e21);
	want_float(".5", 0.5);
	want_float("-0.0", -0.0);
	want_float(".inf", INFINITY);
	want_float("+.Inf", INFINITY);
	want_float("-.INF", -INFINITY);
	want_float(".nan", NAN);
	want_kind(".iNf", YAML_STR);
	want_kind("1e400", YAML_STR);
	want_kind("1:20", YAML_STR);
	want_kind("0x", YAML_STR);
	want_kind("-", YAML_STR);
	want_kind("1.2.3", YAML_STR);
	want_kind("3.13.3", YAML_STR);
	want_kind("2024-01-02", YAML_TIME);
	want_kind("2024-1-2", YAML_TIME);
	want_kind("2024-01-02T10:20:30Z", YAML_TIME);
	want_kind("2024-01-02t10:20:30.5+01:00", YAML_TIME);
	want_kind("2024-01-02 10:20:30", YAML_TIME);
	want_kind("2024-01-02T10:20:30", YAML_STR);
	want_kind("2024-01-02 10:20:30Z", YAML_STR);
	want_kind("2024-02-30", YAML_STR);
	want_kind("2023-02-29", YAML_STR);
	want_kind("2024-02-29", YAML_TIME);
}

static void
want_fmt(void (*fmt)(struct buf *, double), double v, const char *s)
{
	struct buf b = BUF_INIT;

	fmt(&b, v);
	assert_string_equal(b.data, s);
	buf_free(&b);
}

/* Checks 'f' text made of a head, n zeros and a tail. */
static void
want_padded(double v, const char *head, size_t n, const char *tail)
{
	struct buf want = BUF_INIT;
	size_t i;

	buf_adds(&want, head);
	for (i = 0; i < n; i++)
		buf_addc(&want, '0');
	buf_adds(&want, tail);
	want_fmt(yaml_fmt_float_f, v, want.data);
	buf_free(&want);
}

static void
test_float_text(void **state)
{
	(void)state;
	/* strconv.FormatFloat(v, 'f', -1, 64): what sops encrypts. */
	want_fmt(yaml_fmt_float_f, 1e21, "1000000000000000000000");
	want_fmt(yaml_fmt_float_f, 1.0, "1");
	want_fmt(yaml_fmt_float_f, -0.0, "-0");
	want_fmt(yaml_fmt_float_f, 0.1, "0.1");
	want_fmt(yaml_fmt_float_f, 1.5e-7, "0.00000015");
	want_fmt(yaml_fmt_float_f, 3.14, "3.14");
	want_fmt(yaml_fmt_float_f, 1234567.125, "1234567.125");
	want_fmt(yaml_fmt_float_f, INFINITY, "+Inf");
	want_fmt(yaml_fmt_float_f, -INFINITY, "-Inf");
	want_fmt(yaml_fmt_float_f, NAN, "NaN");
	/* The extremes are written out in full, never with an exponent. */
	want_padded(5e-324, "0.", 323, "5");
	want_padded(1.7976931348623157e308, "17976931348623157", 292, "");
	/* strconv.FormatFloat(v, 'g', -1, 64): what go-yaml prints. */
	want_fmt(yaml_fmt_float_g, 1e21, "1e+21");
	want_fmt(yaml_fmt_float_g, 1e6, "1e+06");
	want_fmt(yaml_fmt_float_g, 123456.7, "123456.7");
	want_fmt(yaml_fmt_float_g, 1234567.0, "1.234567e+06");
	want_fmt(yaml_fmt_float_g, 0.0001, "0.0001");
	want_fmt(yaml_fmt_float_g, 0.00001, "1e-05");
	want_fmt(yaml_fmt_float_g, 1.5, "1.5");
	want_fmt(yaml_fmt_float_g, 0, "0");
	want_fmt(yaml_fmt_float_g, 1e100, "1e+100");
	/* JavaScript, for the JSON view the fixtures were written in. */
	want_fmt(yaml_fmt_float_js, 1234568000, "1234568000");
	want_fmt(yaml_fmt_float_js, 1e21, "1e+21");
	want_fmt(yaml_fmt_float_js, 1.5e-7, "1.5e-7");
	want_fmt(yaml_fmt_float_js, 0.000001, "0.000001");
	want_fmt(yaml_fmt_float_js, 25.4, "25.4");
}

static void
test_shortest_digits(void **state)
{
	/* Neighbours of powers of two, where the rounding interval is
	 * lopsided, and values that need all 17 digits. */
	static const double v[] = { 9007199254740993.0, 5e-324,
	    2.2250738585072014e-308, 0.30000000000000004, 1.0 / 3,
	    144115188075855877.0, 4.35e-5, 8.41e21, 5.0e-310 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct buf b = BUF_INIT;
		double back;

		yaml_fmt_float_g(&b, v[i]);
		assert_int_equal(yaml_parse_float(b.data, b.len, &back), 0);
		assert_true(back == v[i]);
		buf_free(&b);
	}
	want_fmt(yaml_fmt_float_g, 0.30000000000000004,
	    "0.30000000000000004");
	want_fmt(yaml_fmt_float_g, 5e-324, "5e-324");
}

static void
test_times(void **state)
{
	struct yaml_time t;
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(yaml_parse_timestamp("2024-01-02", 10, &t), 0);
	yaml_fmt_time(&b, &t, 1);
	assert_string_equal(b.data, "2024-01-02T00:00:00Z");
	buf_reset(&b);
	assert_int_equal(yaml_parse_timestamp("2024-1-2T3:4:5.120+01:30",
	    24, &t), 0);
	yaml_fmt_time(&b, &t, 1);
	assert_string_equal(b.data, "2024-01-02T03:04:05.12+01:30");
	assert_true(yaml_time_epoch(&t) == 1704159245);
	buf_reset(&b);
	assert_int_equal(yaml_parse_rfc3339("2026-08-21T02:55:45Z", 20, &t),
	    0);
	assert_int_equal(yaml_parse_rfc3339("2026-8-21T02:55:45Z", 19, &t),
	    -1);
	assert_int_equal(yaml_parse_rfc3339("2026-08-21t02:55:45Z", 20, &t),
	    -1);
	yaml_time_from_epoch(0, &t);
	yaml_fmt_time(&b, &t, 0);
	assert_string_equal(b.data, "1970-01-01T00:00:00Z");
	buf_reset(&b);
	yaml_time_from_epoch(1787280945, &t);
	yaml_fmt_time(&b, &t, 0);
	assert_string_equal(b.data, "2026-08-21T02:55:45Z");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolver),
		cmocka_unit_test(test_float_text),
		cmocka_unit_test(test_shortest_digits),
		cmocka_unit_test(test_times),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
