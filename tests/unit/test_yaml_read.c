/* test_yaml_read.c: the libyaml reader: types, keys, aliases, comments. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "yamltree.h"

static struct yaml_node *
parse1(const char *in)
{
	struct yaml_docs docs = { NULL, 0, 0 };
	struct buf why = BUF_INIT;
	struct yaml_node *root;

	if (yaml_parse(in, strlen(in), &docs, &why) != 0)
		fail_msg("parse: %s", why.data);
	assert_int_equal(docs.len, 1);
	root = docs.docs[0];
	docs.len = 0;
	yaml_docs_free(&docs);
	buf_free(&why);
	return root;
}

static void
parse_fails(const char *in, const char *reason)
{
	struct yaml_docs docs = { NULL, 0, 0 };
	struct buf why = BUF_INIT;

	assert_int_equal(yaml_parse(in, strlen(in), &docs, &why), -1);
	assert_int_equal(docs.len, 0);
	if (strstr(why.data, reason) == NULL)
		fail_msg("'%s' lacks '%s'", why.data, reason);
	buf_free(&why);
}

static void
test_keys(void **state)
{
	(void)state;
	parse_fails("a: 1\nb: 2\na: 3\n", "3:1: mapping key 'a' already");
	parse_fails("a: 1\n\"a\": 2\n", "already defined");
	parse_fails("1: x\n", "1:1: mapping key is not a string (it is "
	    "a int)");
	parse_fails("true: x\n", "not a string");
	parse_fails("~: x\n", "not a string");
	parse_fails("2024-01-02: x\n", "not a string");
	parse_fails("? [a]\n: x\n", "not a string");
	parse_fails("a: [\n", "");
	parse_fails("a: !!int abc\n", "cannot decode");
}

static void
test_types(void **state)
{
	struct yaml_node *r;

	(void)state;
	r = parse1("a: !!str 12\nb: !!int \"5\"\nc: !!float 1\n"
	    "d: !!binary |\n  aGVs\n  bG8=\ne: \"1\"\nf: '017'\ng: 017\n"
	    "h: |\n  x\ni: !custom 5\nj: ! 5\n\"1\": k\n");
	assert_int_equal(yaml_map_get(r, "a")->kind, YAML_STR);
	assert_int_equal(yaml_map_get(r, "b")->kind, YAML_INT);
	assert_int_equal(yaml_map_get(r, "c")->kind, YAML_FLOAT);
	assert_int_equal(yaml_map_get(r, "e")->kind, YAML_STR);
	assert_int_equal(yaml_map_get(r, "f")->kind, YAML_STR);
	assert_true(yaml_map_get(r, "g")->v.i == 15);
	assert_string_equal(yaml_map_get(r, "h")->v.str.s, "x\n");
	assert_string_equal(yaml_map_get(r, "d")->v.str.s, "hello");
	assert_int_equal(yaml_map_get(r, "i")->kind, YAML_STR);
	assert_int_equal(yaml_map_get(r, "j")->kind, YAML_INT);
	assert_string_equal(yaml_map_get(r, "1")->v.str.s, "k");
	yaml_node_free(r);
	r = parse1("d: !!binary aGVsbG8=\n");
	assert_string_equal(yaml_map_get(r, "d")->v.str.s, "hello");
	yaml_node_free(r);
}

static void
test_aliases(void **state)
{
	struct yaml_node *r, *aa;

	(void)state;
	r = parse1("base: &b {k: 1}\nx: *b\n&key name: v\ny: *key\n"
	    "aa:\n  <<: *b\n  m: 2\n");
	assert_true(yaml_node_equal(yaml_map_get(r, "x"),
	    yaml_map_get(r, "base")));
	assert_string_equal(yaml_map_get(r, "y")->v.str.s, "name");
	aa = yaml_map_get(r, "aa");
	/* "<<" is an ordinary key: nothing is merged. */
	assert_int_equal(aa->v.map.len, 2);
	assert_non_null(yaml_map_get(aa, "<<"));
	assert_null(yaml_map_get(aa, "k"));
	yaml_node_free(r);
	parse_fails("a: *nope\n", "unknown anchor");
	parse_fails("a: &a [*a]\n", "unknown anchor");
	/* The billion laughs. */
	parse_fails("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	    "g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
	    "excessive aliasing");
}

static void
test_documents(void **state)
{
	struct yaml_docs docs = { NULL, 0, 0 };
	struct buf why = BUF_INIT;
	static const char in[] = "---\na: 1\n---\n---\n- x\n...\n";

	(void)state;
	assert_int_equal(yaml_parse(in, strlen(in), &docs, &why), 0);
	assert_int_equal(docs.len, 3);
	assert_int_equal(docs.docs[0]->kind, YAML_MAP);
	assert_int_equal(docs.docs[1]->kind, YAML_NULL);
	assert_int_equal(docs.docs[2]->kind, YAML_SEQ);
	yaml_docs_free(&docs);
	assert_int_equal(yaml_parse("", 0, &docs, &why), 0);
	assert_int_equal(docs.len, 0);
	buf_free(&why);
}

/* The comment items of a collection, as "text|i" (i: inline). */
static void
comments_of(const struct yaml_node *n, struct buf *out)
{
	size_t i, len = n->kind == YAML_MAP ? n->v.map.len : n->v.seq.len;

	for (i = 0; i < len; i++) {
		const struct yaml_node *v = n->kind == YAML_MAP ?
		    n->v.map.items[i].value : n->v.seq.items[i];

		if (v->kind == YAML_COMMENT)
			buf_printf(out, "[%s%s]", v->v.str.s,
			    v->v.str.inline_ ? "|i" : "");
		else if (n->kind == YAML_MAP)
			buf_printf(out, "%s ", n->v.map.items[i].key);
		else
			buf_adds(out, "- ");
	}
}

static void
want_comments(const struct yaml_node *n, const char *want)
{
	struct buf b = BUF_INIT;

	comments_of(n, &b);
	assert_string_equal(b.data ? b.data : "", want);
	buf_free(&b);
}

/*
 * libyaml counts columns in characters: after multi-byte text, a column
 * is no byte offset, and a '#' in a quoted scalar must stay text.
 */
static void
test_comment_utf8(void **state)
{
	struct yaml_node *r;

	(void)state;
	r = parse1(
	    "a: '\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9 #x' #ia\n"
	    "b: \"\xE2\x82\xAC #y\" #ib\n"
	    "c: 1 #ic\n");
	want_comments(r, "[ia|i]a [ib|i]b [ic|i]c ");
	assert_string_equal(yaml_map_get(r, "a")->v.str.s,
	    "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9 #x");
	yaml_node_free(r);
}

static void
test_comment_places(void **state)
{
	struct yaml_node *r;

	(void)state;
	r = parse1(
	    "#top\n"
	    "a: 1 #ia\n"
	    "b: #kb\n"
	    "    #hc\n"
	    "    c: '#not' #ic\n"
	    "    l: | #il\n"
	    "        # not a comment\n"
	    "    #fb\n"
	    "#hd\n"
	    "d:\n"
	    "    - x #ix\n"
	    "    #hy\n"
	    "    - y\n"
	    "      #fd\n"
	    "e: \"a #b\"\n"
	    "#end\n");
	want_comments(r, "[top][ia|i]a [kb]b [hd]d e [end]");
	want_comments(yaml_map_get(r, "b"), "[hc][ic|i]c [il|i]l [fb]");
	assert_string_equal(yaml_map_get(yaml_map_get(r, "b"), "l")->v.str.s,
	    "# not a comment\n");
	want_comments(yaml_map_get(r, "d"), "[ix|i]- [hy]- [fd]");
	assert_string_equal(yaml_map_get(r, "e")->v.str.s, "a #b");
	yaml_node_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_comment_places),
		cmocka_unit_test(test_comment_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
