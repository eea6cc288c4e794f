/* test_tmpl.c: the template expander and its quoting filters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "tmpl.h"

/* Expands text with vars; returns the output, or the error with "ERR:". */
static char *
expand(const char *text, const struct tmpl_vars *vars)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	char *s;

	if (tmpl_expand(&out, "t", text, strlen(text), vars, &err) < 0) {
		buf_free(&out);
		buf_adds(&out, "ERR:");
		buf_add(&out, err.data, err.len);
	}
	buf_free(&err);
	s = buf_detach(&out, NULL);
	return s;
}

static void
expect(const char *text, const struct tmpl_vars *vars, const char *want)
{
	char *got;

	got = expand(text, vars);
	assert_string_equal(got, want);
	free(got);
}

static void
expect_err(const char *text, const struct tmpl_vars *vars, const char *want)
{
	char *got;

	got = expand(text, vars);
	if (strncmp(got, "ERR:", 4) != 0 || strstr(got, want) == NULL)
		fail_msg("want an error with '%s', got '%s'", want, got);
	free(got);
}

static char *
filtered(int (*fn)(struct buf *, const char *), const char *s)
{
	struct buf b = BUF_INIT;

	if (fn(&b, s) < 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static void
expect_filter(int (*fn)(struct buf *, const char *), const char *s,
    const char *want)
{
	char *got;

	got = filtered(fn, s);
	if (want == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_text_and_values(void **state)
{
	struct tmpl_vars *v;

	(void)state;
	v = tmpl_vars_new(NULL);
	tmpl_set(v, "app", "vergabe");
	tmpl_setf(v, "port", "%d", 8000);
	expect("", v, "");
	expect("no tags {{ .Values.x }} ${HOME} $(X) @ @x {x}", v,
	    "no tags {{ .Values.x }} ${HOME} $(X) @ @x {x}");
	expect("@{app}:@{port}\n", v, "vergabe:8000\n");
	expect("literal @@{app} and @@@{app}", v,
	    "literal @{app} and @@{app}");
	tmpl_set(v, "app", "other");
	expect("@{app}", v, "other");
	tmpl_vars_free(v);
}

/* A scope of many names (indexed past a few): every one found, reset. */
static void
test_many_names(void **state)
{
	struct tmpl_vars *base, *v;
	char name[16], want[32], text[32];
	int i;

	(void)state;
	base = tmpl_vars_new(NULL);
	tmpl_set(base, "outer", "o");
	v = tmpl_vars_new(base);
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "n%d", i);
		tmpl_setf(v, name, "v%d", i);
	}
	tmpl_set(v, "n7", "seven");
	for (i = 0; i < 300; i++) {
		snprintf(text, sizeof text, "@{n%d}@{outer}", i);
		snprintf(want, sizeof want, "v%do", i);
		expect(text, v, i == 7 ? "seveno" : want);
	}
	expect_err("@{n300}", v, "n300");
	tmpl_vars_free(v);
	tmpl_vars_free(base);
}

static void
test_parent_scope(void **state)
{
	struct tmpl_vars *base, *v;

	(void)state;
	base = tmpl_vars_new(NULL);
	tmpl_set(base, "a", "base-a");
	tmpl_set(base, "b", "base-b");
	v = tmpl_vars_new(base);
	tmpl_set(v, "a", "child-a");
	expect("@{a} @{b}", v, "child-a base-b");
	tmpl_vars_free(v);
	tmpl_vars_free(base);
}

static void
test_sections(void **state)
{
	struct tmpl_vars *v;

	(void)state;
	v = tmpl_vars_new(NULL);
	tmpl_set_bool(v, "yes", true);
	tmpl_set_bool(v, "no", false);
	tmpl_set_list(v, "empty");
	expect("a@{?yes}b@{/yes}c@{?no}d@{/no}e", v, "abce");
	expect("a@{!yes}b@{/yes}c@{!no}d@{/no}e", v, "acde");
	expect("@{?empty}x@{/empty}@{!empty}y@{/empty}", v, "y");
	/* Standalone tags take their line with them, indented or not. */
	expect("one\n@{?yes}\ntwo\n@{/yes}\nthree\n", v, "one\ntwo\nthree\n");
	expect("one\n  @{?no}  \ntwo\n  @{/no}\nthree\n", v, "one\nthree\n");
	expect("x\n@{?yes}\ny@{/yes}", v, "x\ny");
	expect("@{?yes}\ny\n@{/yes}", v, "y\n");
	/* A tag sharing its line with text keeps the line. */
	expect("k: @{?yes}v@{/yes}\n", v, "k: v\n");
	expect("@{?yes}a\n@{/yes}b\n", v, "a\nb\n");
	expect("@{?yes}@{?no}x@{/no}@{/yes}z", v, "z");
	tmpl_vars_free(v);
}

static void
test_loops(void **state)
{
	struct tmpl_vars *v, *it, *inner;
	const char *names[] = { "A", "B", "C" };
	size_t i;

	(void)state;
	v = tmpl_vars_new(NULL);
	tmpl_set(v, "name", "outer");
	tmpl_set(v, "ns", "prod");
	for (i = 0; i < 3; i++) {
		it = tmpl_add_item(v, "env");
		tmpl_set(it, "name", names[i]);
		inner = tmpl_add_item(it, "sub");
		tmpl_setf(inner, "x", "%zu", i);
	}
	expect("@{*env}@{name}=@{ns}@{!_last},@{/_last}@{/env}", v,
	    "A=prod,B=prod,C=prod");
	expect("[\n@{*env}\n  @{_index}: @{name}@{?_first} first@{/_first}\n"
	    "@{/env}\n]\n", v, "[\n  1: A first\n  2: B\n  3: C\n]\n");
	expect("@{*env}@{*sub}@{name}@{x}@{_index} @{/sub}@{/env}@{name}", v,
	    "A01 B11 C21 outer");
	tmpl_set_list(v, "none");
	expect("a@{*none}x@{/none}b", v, "ab");
	tmpl_vars_free(v);
}

static void
test_errors(void **state)
{
	struct tmpl_vars *v;

	(void)state;
	v = tmpl_vars_new(NULL);
	tmpl_set(v, "x", "1");
	tmpl_set(v, "nl", "a\nb");
	tmpl_set_list(v, "l");
	expect_err("ok\n@{missing}", v, "t:2: undefined variable 'missing'");
	expect_err("@{?missing}x@{/missing}", v, "undefined variable");
	expect_err("@{*missing}x@{/missing}", v, "undefined list");
	expect_err("@{?x}never closed", v, "t:1: section 'x' is not closed");
	expect_err("@{?x}a@{/y}", v, "'@{/y}' closes no open section");
	expect_err("@{/x}", v, "closes no open section");
	expect_err("@{x|nope}", v, "unknown filter 'nope'");
	expect_err("@{ x}", v, "malformed tag");
	expect_err("@{x", v, "malformed tag");
	expect_err("@{}", v, "malformed tag");
	expect_err("@{l}", v, "'l' is a list, not a value");
	expect_err("@{*x}a@{/x}", v, "'x' is a value, not a list");
	expect_err("@{nl|mk}", v, "cannot be written with filter 'mk'");
	tmpl_vars_free(v);
}

static void
test_render_embedded(void **state)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	struct tmpl_vars *v;

	(void)state;
	v = tmpl_vars_new(NULL);
	assert_int_equal(tmpl_render(&out, "no/such.tmpl", v, &err), -1);
	assert_non_null(strstr(err.data, "no such template"));
	buf_free(&out);
	buf_free(&err);
	tmpl_vars_free(v);
}

static void
test_quote_dq(void **state)
{
	(void)state;
	expect_filter(tmpl_quote_dq, "", "\"\"");
	expect_filter(tmpl_quote_dq, "plain", "\"plain\"");
	expect_filter(tmpl_quote_dq, "a\"b\\c", "\"a\\\"b\\\\c\"");
	expect_filter(tmpl_quote_dq, "l1\nl2\tt\rr", "\"l1\\nl2\\tt\\rr\"");
	expect_filter(tmpl_quote_dq, "\x01\x1f\x7f",
	    "\"\\u0001\\u001f\\u007f\"");
	expect_filter(tmpl_quote_dq, "yes: no # {x}", "\"yes: no # {x}\"");
	expect_filter(tmpl_quote_dq, "gr\xc3\xbc\xc3\x9f",
	    "\"gr\xc3\xbc\xc3\x9f\"");
	expect_filter(tmpl_quote_dq, "a\xc2\x85" "b\xe2\x80\xa8" "c\xe2\x80\xa9"
	    "d\xef\xbb\xbf", "\"a\\u0085b\\u2028c\\u2029d\\ufeff\"");
	/* Neighbours of the escaped sequences pass through. */
	expect_filter(tmpl_quote_dq, "\xc2\xa9\xe2\x80\x94",
	    "\"\xc2\xa9\xe2\x80\x94\"");
}

static void
test_quote_shell_make(void **state)
{
	(void)state;
	expect_filter(tmpl_quote_sh, "", "''");
	expect_filter(tmpl_quote_sh, "a b", "'a b'");
	expect_filter(tmpl_quote_sh, "it's $HOME", "'it'\\''s $HOME'");
	expect_filter(tmpl_quote_mk, "echo $HOME", "'echo $$HOME'");
	expect_filter(tmpl_quote_mk, "it's", "'it'\\''s'");
	expect_filter(tmpl_quote_mk, "a\nb", NULL);
	expect_filter(tmpl_quote_mkvar, "../app", "../app");
	expect_filter(tmpl_quote_mkvar, "a$b#c", "a$$b\\#c");
	expect_filter(tmpl_quote_mkvar, "it's", NULL);
	expect_filter(tmpl_quote_mkvar, "a\\b", NULL);
	expect_filter(tmpl_quote_mkvar, " lead", NULL);
}

static void
test_quote_code(void **state)
{
	(void)state;
	expect_filter(tmpl_quote_code, "make x", "`make x`");
	expect_filter(tmpl_quote_code, "a`b", "``a`b``");
	expect_filter(tmpl_quote_code, "a``b`", "``` a``b` ```");
	expect_filter(tmpl_quote_code, " both ", "`  both  `");
	expect_filter(tmpl_quote_code, "x\ny", NULL);
	expect_filter(tmpl_quote_code, "x\ry", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_and_values),
		cmocka_unit_test(test_parent_scope),
		cmocka_unit_test(test_many_names),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_loops),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_render_embedded),
		cmocka_unit_test(test_quote_dq),
		cmocka_unit_test(test_quote_shell_make),
		cmocka_unit_test(test_quote_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
