/* test_sops_rules.c: encryption rules, the regex subset, the metadata. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "sops_impl.h"

static void
want_ere(const char *re2, const char *ere)
{
	struct buf out = BUF_INIT, why = BUF_INIT;

	if (sops_regex_translate(re2, &out, &why) != 0)
		fail_msg("'%s': %s", re2, why.data);
	assert_string_equal(out.data, ere);
	buf_free(&out);
	buf_free(&why);
}

static void
want_refused(const char *re2)
{
	struct buf out = BUF_INIT, why = BUF_INIT;

	assert_int_equal(sops_regex_translate(re2, &out, &why), -1);
	assert_true(why.len > 0);
	buf_free(&out);
	buf_free(&why);
}

static void
test_regex_subset(void **state)
{
	(void)state;
	want_ere("^(data|stringData)$", "^(data|stringData)$");
	want_ere("^(?:a|b)$", "^(a|b)$");
	want_ere("\\d+_key", "[0-9]+_key");
	want_ere("[\\w.]", "[0-9A-Za-z_.]");
	want_ere("a\\.b\\-c", "a\\.b-c");
	want_refused("(?i)password");
	want_refused("a*?");
	want_refused("\\bword");
	want_refused("\\pL");
	want_refused("[a");
}

/* Repetitions glibc would expand past all bounds are refused, as RE2 does. */
static void
test_regex_size(void **state)
{
	(void)state;
	want_ere("^a{2,3}b{4}c{1,}$", "^a{2,3}b{4}c{1,}$");
	want_ere("^(?:ab){1000}$", "^(ab){1000}$");
	want_ere("((a+)+)+", "((a+)+)+");
	want_ere("x{y}", "x{y}");
	want_refused("e++");
	want_refused("e*+");
	want_refused("e?*");
	want_refused("a{2}{3}");
	want_refused("a{1001}");
	want_refused("a{0,1001}");
	want_refused("a{99999999999999999999}");
	want_refused("((a{100}){101})");
	want_refused("(((((((((((((((a+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)");
	want_refused("(((((((((((((((((((((((((((((((((a)))))))))))))))))"
	    ")))))))))))))))))");
}

/* Whether a leaf at the given path is encrypted under a rule. */
static int
enc(enum sops_rule kind, const char *value, const char *const *keys)
{
	struct sops_rules r;
	struct sops_path p = { NULL, NULL, 0, 0 };
	struct buf why = BUF_INIT;
	int e;

	assert_int_equal(sops_rules_init(&r, kind, value, &why), SOPS_OK);
	for (; *keys != NULL; keys++)
		sops_path_push(&p, *keys, strlen(*keys));
	e = sops_rules_encrypt(&r, &p);
	sops_rules_free(&r);
	sops_path_free(&p);
	buf_free(&why);
	return e;
}

static void
test_rules(void **state)
{
	static const char *const top[] = { "password", NULL };
	static const char *const under[] = { "data", "x", NULL };
	static const char *const clear[] = { "a_unencrypted", "b", NULL };
	static const char *const none[] = { NULL };
	struct sops_rules r;
	struct buf why = BUF_INIT;

	(void)state;
	/* Any component counts, in every rule. */
	assert_true(enc(SOPS_UNENCRYPTED_SUFFIX, "_unencrypted", top));
	assert_false(enc(SOPS_UNENCRYPTED_SUFFIX, "_unencrypted", clear));
	assert_true(enc(SOPS_ENCRYPTED_REGEX, "^(data|stringData)$", under));
	assert_false(enc(SOPS_ENCRYPTED_REGEX, "^(data|stringData)$", top));
	/* An unanchored search, as Go's regexp.Match. */
	assert_true(enc(SOPS_ENCRYPTED_REGEX, "ass", top));
	assert_false(enc(SOPS_UNENCRYPTED_REGEX, "^pass", top));
	assert_true(enc(SOPS_ENCRYPTED_SUFFIX, "word", top));
	/* A top-level comment has an empty path. */
	assert_false(enc(SOPS_ENCRYPTED_REGEX, ".*", none));
	assert_true(enc(SOPS_UNENCRYPTED_SUFFIX, "_unencrypted", none));
	assert_int_equal(sops_rules_init(&r, SOPS_ENCRYPTED_COMMENT_REGEX,
	    "x", &why), SOPS_ERR_UNSUPPORTED);
	buf_free(&why);
}

/*
 * A regex is compiled once per run and remembers its answers by key:
 * they must stay right when the rule comes back inverted, when the same
 * key is asked again, and for a key with a NUL in it.
 */
static void
test_rules_again(void **state)
{
	static const char *const hit[] = { "stringData", "x", NULL };
	static const char *const miss[] = { "metadata", "name", NULL };
	static const char *const near[] = { "stringDat", NULL };
	const char *v = "^(stringData)$";
	struct sops_rules r;
	struct sops_path p = { NULL, NULL, 0, 0 };
	struct buf why = BUF_INIT;
	int i, e;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_true(enc(SOPS_ENCRYPTED_REGEX, v, hit));
		assert_false(enc(SOPS_ENCRYPTED_REGEX, v, miss));
		assert_false(enc(SOPS_ENCRYPTED_REGEX, v, near));
		assert_false(enc(SOPS_UNENCRYPTED_REGEX, v, hit));
		assert_true(enc(SOPS_UNENCRYPTED_REGEX, v, miss));
	}
	/* A key with a NUL gets the same answer twice; the key before
	 * its NUL still gets its own. */
	assert_int_equal(sops_rules_init(&r, SOPS_ENCRYPTED_REGEX,
	    "^stringData$", &why), SOPS_OK);
	sops_path_push(&p, "stringData\0x", 12);
	e = sops_rules_encrypt(&r, &p);
	assert_int_equal(sops_rules_encrypt(&r, &p), e);
	sops_path_pop(&p);
	sops_path_push(&p, "stringData", 10);
	assert_true(sops_rules_encrypt(&r, &p));
	sops_rules_free(&r);
	sops_path_free(&p);
	buf_free(&why);
}

static void
test_aad(void **state)
{
	struct sops_path p = { NULL, NULL, 0, 0 };
	struct buf b = BUF_INIT;

	(void)state;
	sops_path_aad(&p, &b);
	assert_string_equal(b.data, ":");
	buf_reset(&b);
	sops_path_push(&p, "caf\xC3\xA9", 5);
	sops_path_push(&p, "a:b", 3);
	sops_path_aad(&p, &b);
	assert_string_equal(b.data, "caf\xC3\xA9:a:b:");
	buf_free(&b);
	sops_path_free(&p);
}

static int
meta(const char *yaml, struct sops_meta *m, struct buf *why)
{
	struct yaml_docs docs = { NULL, 0, 0 };
	int rc;

	assert_int_equal(yaml_parse(yaml, strlen(yaml), &docs, why), 0);
	rc = sops_meta_parse(docs.docs[0], m, why);
	yaml_docs_free(&docs);
	return rc;
}

static void
test_metadata(void **state)
{
	struct sops_meta m;
	struct buf why = BUF_INIT, aad = BUF_INIT;

	(void)state;
	/* A 3.7 layout: empty lists, recipient before enc. */
	assert_int_equal(meta("kms: []\nage:\n-   recipient: age1x\n"
	    "    enc: E\nLastModified: '2021-11-05T00:56:57.5+01:00'\n"
	    "mac: M\npgp: []\nversion: 3.7.1\n", &m, &why), SOPS_OK);
	assert_int_equal(m.nage, 1);
	assert_string_equal(m.age[0].recipient, "age1x");
	assert_int_equal(m.rule, SOPS_UNENCRYPTED_SUFFIX);
	assert_string_equal(m.rule_value, "_unencrypted");
	assert_int_equal(sops_meta_mac_aad(&m, &aad, &why), SOPS_OK);
	assert_string_equal(aad.data, "2021-11-05T00:56:57+01:00");
	sops_meta_free(&m);

	/* One key group reads like the top level; two need Shamir. */
	assert_int_equal(meta("key_groups:\n- age: [{recipient: r, enc: e}]\n"
	    "lastmodified: 2021-11-05T00:56:57Z\nmac: M\n"
	    "mac_only_encrypted: true\nencrypted_regex: ^x$\n", &m, &why),
	    SOPS_OK);
	assert_int_equal(m.nage, 1);
	assert_true(m.mac_only_encrypted);
	assert_int_equal(m.rule, SOPS_ENCRYPTED_REGEX);
	sops_meta_free(&m);
	assert_int_equal(meta("key_groups:\n- age: [{recipient: r, enc: e}]\n"
	    "- age: [{recipient: s, enc: f}]\nlastmodified: "
	    "2021-11-05T00:56:57Z\n", &m, &why), SOPS_ERR_UNSUPPORTED);
	sops_meta_free(&m);
	assert_int_equal(meta("age: [{recipient: r, enc: e}]\n"
	    "lastmodified: yesterday\n", &m, &why), SOPS_ERR_FORMAT);
	sops_meta_free(&m);
	assert_int_equal(meta("age: [{recipient: r, enc: e}]\n"
	    "lastmodified: 2021-11-05T00:56:57Z\nencrypted_regex: a\n"
	    "unencrypted_suffix: b\n", &m, &why), SOPS_ERR_FORMAT);
	sops_meta_free(&m);
	assert_int_equal(meta("lastmodified: 2021-11-05T00:56:57Z\n", &m,
	    &why), SOPS_ERR_FORMAT);
	sops_meta_free(&m);
	buf_free(&why);
	buf_free(&aad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regex_subset),
		cmocka_unit_test(test_regex_size),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_rules_again),
		cmocka_unit_test(test_aad),
		cmocka_unit_test(test_metadata),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
