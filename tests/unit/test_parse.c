/* test_parse.c: the tree the parser builds, positions, and recovery. */
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
#include "parse.h"

#include "front_fixture.h"

static struct ast_file *
parse(struct fixture *f, const char *src, size_t len)
{
	struct ast_file *file;

	diag_source(f->diag, "t.rail", src, len);
	file = parse_file(f->arena, f->diag, "t.rail", src, len);
	fflush(f->out);
	return file;
}

static void
test_statement_shapes(void **state)
{
	struct fixture *f = *state;
	static const char src[] =
	    "app shop {\n"
	    "\tcpu 100m..500m  # a comment\n"
	    "\tenv MOTD = \"a \\\"b\\\"\"\n"
	    "\tsecret K = random(50)\n"
	    "\n"
	    "\thost a.example.org {\n"
	    "\t}\n"
	    "}";		/* no final newline */
	struct ast_stmt *app, *s;
	struct ast_file *file;

	file = parse(f, src, sizeof(src) - 1);
	assert_int_equal(diag_count(f->diag), 0);
	app = file->body;
	assert_non_null(app);
	assert_null(app->next);
	assert_string_equal(app->key->text, "app");
	assert_int_equal(app->nargs, 1);
	assert_true(app->block);

	s = app->body;
	assert_string_equal(s->key->text, "cpu");
	assert_string_equal(s->args[0]->text, "100m..500m");
	assert_int_equal(s->args[0]->pos.line, 2);
	assert_int_equal(s->args[0]->pos.col, 13);	/* after a tab */
	assert_int_equal(s->args[0]->pos.len, 10);

	s = s->next;
	assert_non_null(s->value);
	assert_int_equal(s->value->kind, AST_STRING);
	assert_string_equal(s->value->text, "a \"b\"");
	assert_string_equal(s->value->raw, "a \\\"b\\\"");

	s = s->next;
	assert_int_equal(s->value->kind, AST_CALL);
	assert_string_equal(s->value->text, "random");
	assert_int_equal(s->value->nargs, 1);
	assert_string_equal(s->value->args[0]->text, "50");

	s = s->next;		/* the blank line is no statement */
	assert_string_equal(s->key->text, "host");
	assert_true(s->block);
	assert_null(s->body);
	assert_null(s->next);
}

static void
test_recovery_reports_each_error(void **state)
{
	struct fixture *f = *state;
	static const char src[] =
	    "app a {\n"
	    "\tport = = 1\n"		/* statement-level recovery */
	    "\thost h { tls x }\n"	/* block-level recovery */
	    "\tcpu 1\n"
	    "}\n"
	    "app b {\n"
	    "\tenv X = (\n"
	    "}\n";
	struct ast_file *file;

	file = parse(f, src, sizeof(src) - 1);
	assert_int_equal(diag_count(f->diag), 3);
	/* both apps survive, with what could be parsed */
	assert_non_null(file->body);
	assert_string_equal(file->body->args[0]->text, "a");
	assert_non_null(file->body->next);
	assert_string_equal(file->body->next->args[0]->text, "b");
}

static void
test_lexical_errors(void **state)
{
	struct fixture *f = *state;
	static const char src[] = "a \"x\\q\" $ \"open\nb \xff\x00\n";

	(void)parse(f, src, sizeof(src) - 1);
	/* bad escape, stray '$', unterminated string, 0xff, NUL */
	assert_int_equal(diag_count(f->diag), 5);
	assert_non_null(strstr(f->text, "unknown escape sequence '\\q'"));
	assert_non_null(strstr(f->text, "stray '$' in input"));
	assert_non_null(strstr(f->text, "unterminated string"));
	assert_non_null(strstr(f->text, "stray byte 0xff in input"));
	assert_non_null(strstr(f->text, "stray byte 0x00 in input"));
}

static void
test_unclosed_block_note(void **state)
{
	struct fixture *f = *state;
	static const char src[] = "app a {\n\thost h {\n";

	(void)parse(f, src, sizeof(src) - 1);
	assert_int_equal(diag_count(f->diag), 1);
	assert_non_null(strstr(f->text, "unexpected end of file"));
	assert_non_null(strstr(f->text,
	    "t.rail:2:16: note: this '{' is not closed"));
}

static void
test_empty_input(void **state)
{
	struct fixture *f = *state;
	struct ast_file *file;

	file = parse(f, "", 0);
	assert_int_equal(diag_count(f->diag), 0);
	assert_null(file->body);
	file = parse(f, "# only a comment", 16);
	assert_int_equal(diag_count(f->diag), 0);
	assert_null(file->body);
}

static void
test_deep_nesting(void **state)
{
	struct fixture *f = *state;
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; i < 5000; i++)
		buf_adds(&b, "a {\n");
	(void)parse(f, b.data, b.len);
	/* one error, in words an operator understands, and no crash */
	assert_int_equal(diag_count(f->diag), 1);
	assert_non_null(strstr(f->text, "error: blocks nest too deeply"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_statement_shapes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_recovery_reports_each_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lexical_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unclosed_block_note, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_empty_input, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_deep_nesting, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
