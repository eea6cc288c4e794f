/* test_fmt.c: comments in the tree, fmt_text and fmt_same from inside. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "ast.h"
#include "buf.h"
#include "diag.h"
#include "fmt.h"
#include "parse.h"

#include "front_fixture.h"

static struct ast_file *
parse(struct fixture *f, const char *src)
{
	struct ast_file *file;

	diag_source(f->diag, "t.rail", src, strlen(src));
	file = parse_file(f->arena, f->diag, "t.rail", src, strlen(src));
	fflush(f->out);
	assert_int_equal(diag_count(f->diag), 0);
	return file;
}

/* fmt_text of src, which must succeed; the caller frees the result. */
static char *
format(struct fixture *f, const char *src)
{
	struct buf b = BUF_INIT;

	diag_source(f->diag, "t.rail", src, strlen(src));
	assert_int_equal(fmt_text(f->diag, "t.rail", src, strlen(src), &b),
	    0);
	return buf_detach(&b, NULL);
}

static void
test_comments_recorded(void **state)
{
	struct fixture *f = *state;
	struct ast_file *file;

	file = parse(f, "# one  \r\napp a {\t\t# two\n\t}\n#\n");
	assert_int_equal(file->ncomments, 3);
	assert_int_equal(file->comments[0].len, 5);
	assert_memory_equal(file->comments[0].text, "# one", 5);
	assert_int_equal(file->comments[0].pos.line, 1);
	assert_int_equal(file->comments[1].pos.line, 2);
	/* two tabs from column 8: the first runs to 9, the second to 17 */
	assert_int_equal(file->comments[1].pos.col, 17);
	assert_int_equal(file->comments[2].len, 1);
	/* the '}' of the block, on a line of its own */
	assert_int_equal(file->body->close_pos.line, 3);
	assert_int_equal(file->body->close_pos.col, 9);
}

/* A NUL byte is a stray byte in code, but a comment may hold one. */
static void
test_comment_with_nul(void **state)
{
	struct fixture *f = *state;
	static const char src[] = "a b  # x\0y\n";
	struct ast_file *file;
	struct buf b = BUF_INIT;

	diag_source(f->diag, "t.rail", src, sizeof(src) - 1);
	file = parse_file(f->arena, f->diag, "t.rail", src, sizeof(src) - 1);
	assert_int_equal(diag_count(f->diag), 0);
	assert_int_equal(file->comments[0].len, 5);
	assert_int_equal(fmt_text(f->diag, "t.rail", src, sizeof(src) - 1,
	    &b), 0);
	assert_int_equal(b.len, sizeof(src) - 1);
	assert_memory_equal(b.data, src, b.len);
	buf_free(&b);
}

static void
test_syntax_error_appends_nothing(void **state)
{
	struct fixture *f = *state;
	static const char src[] = "app a {\n\tport = = 1\n}\n";
	struct buf b = BUF_INIT;

	buf_adds(&b, "kept");
	diag_source(f->diag, "t.rail", src, sizeof(src) - 1);
	assert_int_equal(fmt_text(f->diag, "t.rail", src, sizeof(src) - 1,
	    &b), -1);
	assert_string_equal(b.data, "kept");
	fflush(f->out);
	assert_non_null(strstr(f->text, "t.rail:2:16: error: syntax error"));
	buf_free(&b);
}

static void
test_canonical_and_idempotent(void **state)
{
	struct fixture *f = *state;
	char *once, *twice;

	once = format(f, "app  a { image \"x:1\"   # c\n  port 8080\n}");
	assert_string_equal(once,
	    "app a {\n"
	    "\timage x:1  # c\n"
	    "\tport  8080\n"
	    "}\n");
	twice = format(f, once);
	assert_string_equal(once, twice);
	free(once);
	free(twice);
}

static void
test_empty_stays_empty(void **state)
{
	struct fixture *f = *state;
	char *out;

	out = format(f, "\n  \n\t\n");
	assert_string_equal(out, "");
	free(out);
}

/* fmt_same tells layout from meaning. */
static void
test_same(void **state)
{
	struct fixture *f = *state;
	struct ast_file *a;

	a = parse(f, "app a {\n\tenv X = \"1\"  # c\n}\n");
	/* quoting, spacing and indentation do not count */
	assert_true(fmt_same(a, parse(f,
	    "app \"a\"   {\n  env X = 1 # c\n  }")));
	/* texts, comments, their places and blank lines do */
	assert_false(fmt_same(a, parse(f, "app a {\n\tenv X = \"2\"  # c\n}")));
	assert_false(fmt_same(a, parse(f, "app a {\n\tenv X = 1  # d\n}")));
	assert_false(fmt_same(a, parse(f, "app a {\n\tenv X = 1\n# c\n}")));
	assert_false(fmt_same(a, parse(f, "app a {\n\tenv X = 1\n}  # c")));
	assert_false(fmt_same(a, parse(f,
	    "app a {\n\tenv X = 1  # c\n\n\tport 1\n}")));
	assert_false(fmt_same(a, parse(f, "app a {\n\tenv X = x()  # c\n}")));
	assert_false(fmt_same(a, parse(f, "app a {\n\tenv X Y = 1  # c\n}")));
	assert_false(fmt_same(a, parse(f,
	    "app a {\n\tenv X {\n\t}  # c\n}")));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_comments_recorded, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_comment_with_nul, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_syntax_error_appends_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_canonical_and_idempotent,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_stays_empty, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_same, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
