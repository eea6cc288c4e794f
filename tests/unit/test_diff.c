/* test_diff.c: the unified diff writer, on cases with one right answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "diff.h"

/* The diff of a into b with ctx lines of context, hunks only. */
static char *
hunks(const char *a, const char *b, int ctx, size_t *nh)
{
	struct buf out = BUF_INIT;
	const char *p;
	char *s;

	*nh = diff_unified(&out, "a/f", a, strlen(a), "b/f", b, strlen(b),
	    ctx);
	if (*nh == 0) {
		assert_int_equal(out.len, 0);
		buf_free(&out);
		return NULL;
	}
	assert_true(strncmp(out.data, "--- a/f\n+++ b/f\n", 16) == 0);
	p = out.data + 16;
	s = xstrdup(p);
	buf_free(&out);
	return s;
}

static void
expect(const char *a, const char *b, int ctx, size_t want_nh,
    const char *want)
{
	size_t nh;
	char *got;

	got = hunks(a, b, ctx, &nh);
	assert_int_equal(nh, want_nh);
	if (want == NULL)
		assert_null(got);
	else
		assert_string_equal(got, want);
	free(got);
}

static void
test_equal(void **state)
{
	(void)state;
	expect("", "", 3, 0, NULL);
	expect("a\nb\n", "a\nb\n", 3, 0, NULL);
	expect("no newline", "no newline", 3, 0, NULL);
}

static void
test_whole_files(void **state)
{
	(void)state;
	expect("", "a\nb\n", 3, 1, "@@ -0,0 +1,2 @@\n+a\n+b\n");
	expect("a\nb\n", "", 3, 1, "@@ -1,2 +0,0 @@\n-a\n-b\n");
	expect("a\n", "b\n", 3, 1, "@@ -1 +1 @@\n-a\n+b\n");
}

static void
test_no_newline(void **state)
{
	(void)state;
	expect("a\nb", "a\nb\n", 3, 1,
	    "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
	expect("a\nb\n", "a\nc", 3, 1,
	    "@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at end of file\n");
	expect("x", "", 3, 1,
	    "@@ -1 +0,0 @@\n-x\n\\ No newline at end of file\n");
}

static void
test_context(void **state)
{
	const char *a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";

	(void)state;
	/* Line 2 and line 9 change: six lines apart, contexts touch. */
	expect(a, "1\nB\n3\n4\n5\n6\n7\n8\nI\n10\n11\n12\n", 3, 1,
	    "@@ -1,12 +1,12 @@\n 1\n-2\n+B\n 3\n 4\n 5\n 6\n 7\n 8\n"
	    "-9\n+I\n 10\n 11\n 12\n");
	/* Line 2 and line 10: seven apart, two hunks. */
	expect(a, "1\nB\n3\n4\n5\n6\n7\n8\n9\nJ\n11\n12\n", 3, 2,
	    "@@ -1,5 +1,5 @@\n 1\n-2\n+B\n 3\n 4\n 5\n"
	    "@@ -7,6 +7,6 @@\n 7\n 8\n 9\n-10\n+J\n 11\n 12\n");
	/* No context: ranges of one line and empty ranges. */
	expect("a\nb\nc\n", "a\nc\n", 0, 1, "@@ -2 +1,0 @@\n-b\n");
	expect("a\nc\n", "a\nb\nc\n", 0, 1, "@@ -1,0 +2 @@\n+b\n");
	expect("a\nb\nc\nd\n", "a\nB\nc\nD\n", 0, 2,
	    "@@ -2 +2 @@\n-b\n+B\n@@ -4 +4 @@\n-d\n+D\n");
}

/* A shortest script: one line moved is one deletion, one insertion. */
static void
test_shortest(void **state)
{
	(void)state;
	expect("a\nb\nc\nd\ne\n", "b\nc\nd\ne\na\n", 0, 2,
	    "@@ -1 +0,0 @@\n-a\n@@ -5,0 +5 @@\n+a\n");
	expect("x\na\nb\nc\ny\n", "a\nb\nc\n", 1, 2,
	    "@@ -1,2 +1 @@\n-x\n a\n@@ -4,2 +3 @@\n c\n-y\n");
}

/* Lines with NUL bytes and long texts are compared byte for byte. */
static void
test_bytes(void **state)
{
	struct buf a = BUF_INIT, b = BUF_INIT, out = BUF_INIT;
	size_t i, nh;

	(void)state;
	buf_add(&a, "x\0y\n", 4);
	buf_add(&b, "x\0z\n", 4);
	nh = diff_unified(&out, "a", a.data, a.len, "b", b.data, b.len, 3);
	assert_int_equal(nh, 1);
	assert_int_equal(out.len, 34);
	assert_memory_equal(out.data, "--- a\n+++ b\n@@ -1 +1 @@\n"
	    "-x\0y\n+x\0z\n", 34);
	buf_reset(&a);
	buf_reset(&b);
	buf_reset(&out);
	for (i = 0; i < 20000; i++) {
		buf_printf(&a, "line %zu\n", i);
		buf_printf(&b, "line %zu\n", i % 1000 == 0 ? i + 1 : i);
	}
	nh = diff_unified(&out, "a", a.data, a.len, "b", b.data, b.len, 3);
	assert_int_equal(nh, 20);
	buf_free(&a);
	buf_free(&b);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_whole_files),
		cmocka_unit_test(test_no_newline),
		cmocka_unit_test(test_context),
		cmocka_unit_test(test_shortest),
		cmocka_unit_test(test_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
