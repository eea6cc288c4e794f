/* test_diag.c: display widths, caret rendering and suggestions of diag. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "diag.h"

static void
test_width_ascii_and_tabs(void **state)
{
	(void)state;
	assert_int_equal(diag_width("port", 4, 1), 4);
	/* a tab runs to the next multiple of 8, wherever it starts */
	assert_int_equal(diag_width("\t", 1, 1), 8);
	assert_int_equal(diag_width("\t", 1, 5), 4);
	assert_int_equal(diag_width("\t", 1, 9), 8);
	assert_int_equal(diag_width("ab\tc", 4, 1), 9);
	assert_int_equal(diag_width("", 0, 3), 0);
}

static void
test_width_utf8(void **state)
{
	(void)state;
	/* é is two bytes, one column; 日 is three bytes, two columns */
	assert_int_equal(diag_width("\xc3\xa9", 2, 1), 1);
	assert_int_equal(diag_width("\xe6\x97\xa5", 3, 1), 2);
	/* e + combining acute accent: one column */
	assert_int_equal(diag_width("e\xcc\x81", 3, 1), 1);
	/* an emoji from the supplementary plane: two columns */
	assert_int_equal(diag_width("\xf0\x9f\x98\x80", 4, 1), 2);
}

static void
test_width_odd_bytes(void **state)
{
	(void)state;
	/* invalid UTF-8 and control bytes are shown as <xx> */
	assert_int_equal(diag_width("\xff", 1, 1), 4);
	assert_int_equal(diag_width("\x01", 1, 1), 4);
	assert_int_equal(diag_width("\x7f", 1, 1), 4);
	/* overlong encoding of '/', a surrogate, a truncated sequence */
	assert_int_equal(diag_width("\xc0\xaf", 2, 1), 8);
	assert_int_equal(diag_width("\xed\xa0\x80", 3, 1), 12);
	assert_int_equal(diag_width("\xe6\x97", 2, 1), 8);
}

static void
test_utf8_len(void **state)
{
	(void)state;
	assert_int_equal(diag_utf8_len("a", 1), 1);
	assert_int_equal(diag_utf8_len("\xc3\xa9", 2), 2);
	assert_int_equal(diag_utf8_len("\xf4\x8f\xbf\xbf", 4), 4);
	assert_int_equal(diag_utf8_len("\xf4\x90\x80\x80", 4), 0);
	assert_int_equal(diag_utf8_len("\xc3", 1), 0);
	assert_int_equal(diag_utf8_len("", 0), 0);
}

static void
test_render(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	diag_render(&b, "\tx\xffy\x01", 5);
	assert_string_equal(b.data, "        x<ff>y<01>");
	buf_reset(&b);
	diag_render(&b, "ab\tc", 4);
	assert_string_equal(b.data, "ab      c");
	buf_free(&b);
}

/* Runs one error through a diag writing to memory; returns the text. */
static char *
report(const char *src, const struct model_pos *pos, const char *msg)
{
	struct diag *d;
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&out, &len);
	assert_non_null(fp);
	d = diag_new(fp);
	diag_source(d, "t.rail", src, strlen(src));
	diag_error(d, pos, "%s", msg);
	diag_hint(d, "did you mean '%s'?", "replicas");
	assert_int_equal(diag_count(d), 1);
	assert_int_equal(diag_status(d), DIAG_EXIT_INPUT);
	diag_free(d);
	fclose(fp);
	return out;
}

static void
test_caret_under_token(void **state)
{
	struct model_pos pos = { "t.rail", 2, 9, 7 };
	char *out;

	(void)state;
	out = report("app x {\n\treplica 2\n}\n", &pos,
	    "unknown key 'replica'");
	assert_string_equal(out,
	    "t.rail:2:9: error: unknown key 'replica'\n"
	    "    2 |         replica 2\n"
	    "      |         ^~~~~~~\n"
	    "hint: did you mean 'replicas'?\n");
	free(out);
}

static void
test_caret_after_wide_text(void **state)
{
	/* "日本" takes four columns, so x sits at column 9 */
	struct model_pos pos = { "t.rail", 1, 9, 1 };
	char *out;

	(void)state;
	out = report("a \"\xe6\x97\xa5\xe6\x9c\xac\" x\r\n", &pos, "stray");
	assert_string_equal(out,
	    "t.rail:1:9: error: stray\n"
	    "    1 | a \"\xe6\x97\xa5\xe6\x9c\xac\" x\n"
	    "      |         ^\n"
	    "hint: did you mean 'replicas'?\n");
	free(out);
}

/*
 * A line past 512 bytes is quoted as a window of 40 columns before the
 * caret and 80 from it, so that a thousand errors on one long line do
 * not print it whole a thousand times; a token running past the window
 * gets tildes only as far as the window goes.
 */
static void
test_long_line_window(void **state)
{
	struct model_pos pos = { "t.rail", 1, 500, 3 };
	struct model_pos tail = { "t.rail", 1, 530, 200 };
	char text[1002], want[512];
	char *out;

	(void)state;
	memset(text, 'x', 1000);
	memcpy(text + 1000, "\n", 2);
	out = report(text, &pos, "stray");
	snprintf(want, sizeof(want), "t.rail:1:500: error: stray\n"
	    "    1 | ...%.120s...\n      | %43s^~~\n"
	    "hint: did you mean 'replicas'?\n", text, "");
	assert_string_equal(out, want);
	free(out);

	out = report(text, &tail, "stray");
	snprintf(want, sizeof(want), "t.rail:1:530: error: stray\n"
	    "    1 | ...%.120s...\n      | %43s^%.79s\n"
	    "hint: did you mean 'replicas'?\n", text, "",
	    "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"
	    "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~");
	assert_string_equal(out, want);
	free(out);
}

/* At the start of a long line nothing is cut on the left. */
static void
test_long_line_start(void **state)
{
	struct model_pos pos = { "t.rail", 1, 3, 1 };
	char text[1002], want[512];
	char *out;

	(void)state;
	memset(text, 'x', 1000);
	memcpy(text + 1000, "\n", 2);
	out = report(text, &pos, "stray");
	snprintf(want, sizeof(want), "t.rail:1:3: error: stray\n"
	    "    1 | %.82s...\n      |   ^\n"
	    "hint: did you mean 'replicas'?\n", text);
	assert_string_equal(out, want);
	free(out);
}

static void
test_no_line(void **state)
{
	struct model_pos pos = { "t.rail", 0, 0, 0 };
	char *out;

	(void)state;
	out = report("", &pos, "no app is declared");
	assert_string_equal(out, "t.rail: error: no app is declared\n"
	    "hint: did you mean 'replicas'?\n");
	free(out);
}

static void
test_last_line_without_newline(void **state)
{
	struct model_pos pos = { "t.rail", 2, 1, 3 };
	char *out;

	(void)state;
	out = report("a\nbcd", &pos, "x");
	assert_string_equal(out, "t.rail:2:1: error: x\n"
	    "    2 | bcd\n      | ^~~\nhint: did you mean 'replicas'?\n");
	free(out);
}

static void
test_status_worst_wins(void **state)
{
	struct diag *d;
	FILE *fp;

	(void)state;
	fp = fopen("/dev/null", "w");
	assert_non_null(fp);
	d = diag_new(fp);
	assert_int_equal(diag_status(d), DIAG_EXIT_OK);
	diag_usage(d, "bad option");
	assert_int_equal(diag_status(d), DIAG_EXIT_USAGE);
	diag_system(d, 2, "cannot open '%s'", "x");
	assert_int_equal(diag_status(d), DIAG_EXIT_SYSTEM);
	diag_error(d, NULL, "later input error");
	assert_int_equal(diag_status(d), DIAG_EXIT_SYSTEM);
	assert_int_equal(diag_count(d), 3);
	diag_free(d);
	fclose(fp);
}

/* Past DIAG_MAX_SHOWN errors, one note; later errors are counted only. */
static void
test_error_limit(void **state)
{
	struct model_pos pos = { "t.rail", 1, 1, 1 };
	struct diag *d;
	char *out, *p;
	size_t len;
	FILE *fp;
	int i, n;

	(void)state;
	fp = open_memstream(&out, &len);
	assert_non_null(fp);
	d = diag_new(fp);
	diag_source(d, "t.rail", "x\n", 2);
	for (i = 0; i < DIAG_MAX_SHOWN + 5; i++) {
		diag_error(d, &pos, "error %d", i);
		diag_hint(d, "hint %d", i);
		diag_note(d, &pos, "note %d", i);
		assert_false(diag_full(d) != (i >= DIAG_MAX_SHOWN));
	}
	assert_int_equal(diag_count(d), DIAG_MAX_SHOWN + 5);
	assert_int_equal(diag_status(d), DIAG_EXIT_INPUT);
	/* a system error after the limit is still shown */
	diag_fail(d, "disk gone");
	diag_free(d);
	fclose(fp);

	for (n = 0, p = out; (p = strstr(p, ": error: error ")) != NULL; p++)
		n++;
	assert_int_equal(n, DIAG_MAX_SHOWN);
	assert_non_null(strstr(out, "hint 19\n"));
	assert_null(strstr(out, "error 20"));
	assert_null(strstr(out, "hint 20"));
	assert_null(strstr(out, "note 20"));
	p = strstr(out, "railgen: note: more than 20 errors; the rest are "
	    "not shown\n");
	assert_non_null(p);
	assert_null(strstr(p + strlen("railgen: note: more"), "more than"));
	assert_non_null(strstr(out, "railgen: error: disk gone\n"));
	free(out);
}

static void
test_distance(void **state)
{
	(void)state;
	assert_int_equal(diag_distance("replica", "replicas"), 1);
	assert_int_equal(diag_distance("tsl", "tls"), 1);	/* a swap */
	assert_int_equal(diag_distance("imgae", "image"), 1);
	assert_int_equal(diag_distance("", "abc"), 3);
	assert_int_equal(diag_distance("kitten", "sitting"), 3);
	assert_int_equal(diag_distance("same", "same"), 0);
}

static void
test_suggest(void **state)
{
	static const char *const keys[] = { "port", "replicas", "image",
	    "namespace", "env" };

	(void)state;
	assert_string_equal(diag_suggest("replica", keys, 5), "replicas");
	assert_string_equal(diag_suggest("namspace", keys, 5), "namespace");
	assert_string_equal(diag_suggest("prot", keys, 5), "port");
	assert_string_equal(diag_suggest("en", keys, 5), "env");
	/* too far from everything: no suggestion */
	assert_null(diag_suggest("volume", keys, 5));
	assert_null(diag_suggest("xyz", keys, 5));
	/* an exact match is not a suggestion */
	assert_null(diag_suggest("port", keys, 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_ascii_and_tabs),
		cmocka_unit_test(test_width_utf8),
		cmocka_unit_test(test_width_odd_bytes),
		cmocka_unit_test(test_utf8_len),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_caret_under_token),
		cmocka_unit_test(test_caret_after_wide_text),
		cmocka_unit_test(test_long_line_window),
		cmocka_unit_test(test_long_line_start),
		cmocka_unit_test(test_no_line),
		cmocka_unit_test(test_last_line_without_newline),
		cmocka_unit_test(test_status_worst_wins),
		cmocka_unit_test(test_error_limit),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_suggest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
