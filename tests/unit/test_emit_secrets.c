/* test_emit_secrets.c: what the SOPS emitter asks of its context, and when. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "age.h"
#include "arena.h"
#include "buf.h"
#include "check.h"
#include "diag.h"
#include "emit.h"
#include "parse.h"
#include "secret.h"
#include "sops.h"
#include "tree.h"

/*
 * The emitter is driven through a fake context: previous files come
 * from an earlier tree, and the keyring and getenv callbacks count their
 * calls, so the tests can tell that a key or a variable is read only
 * when a secret is made or must be decrypted, as DESIGN.md requires.
 */

#define VALUES	"helm/shop-values.sops.yaml"
#define PLATFORM	"platform/apps-pg/shop-database.yaml"
#define SUPPLIED	"sk-supplied-value-for-the-test"

struct fx {
	struct arena		*arena;
	struct diag		*diag;
	FILE			*out;
	char			*text;		/* what diag printed */
	size_t			 len;
	struct age_keyring	*kr;
	int			 give_key;	/* keyring callback: identity */
	struct buf		 recipient;
	const struct tree	*prev;		/* earlier output, or NULL */
	int			 nkeyring, ngetenv;
	struct emit_ctx		 ctx;
	struct model		*model;
};

static int
fake_prev(struct emit_ctx *ctx, const char *path, const char **text,
    size_t *len, struct buf *why)
{
	struct fx *f = ctx->arg;
	const struct tree_file *tf;

	(void)why;
	if (f->prev == NULL || (tf = tree_get(f->prev, path)) == NULL)
		return 0;
	*text = tf->data;
	*len = tf->len;
	return 1;
}

static int
fake_keyring(struct emit_ctx *ctx, const struct age_keyring **kr,
    struct buf *why)
{
	struct fx *f = ctx->arg;
	static struct age_keyring *empty;

	(void)why;
	f->nkeyring++;
	if (empty == NULL)
		empty = age_keyring_new();
	*kr = f->give_key ? f->kr : empty;
	return SOPS_OK;
}

static const char *
fake_getenv(struct emit_ctx *ctx, const char *name)
{
	struct fx *f = ctx->arg;

	f->ngetenv++;
	return strcmp(name, "T_API") == 0 ? SUPPLIED : NULL;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct buf id = BUF_INIT, why = BUF_INIT;

	if (f == NULL)
		return -1;
	f->kr = age_keyring_new();
	age_identity_generate(&id, &f->recipient, (time_t)1800000000);
	if (f->recipient.len > 0 && f->recipient.data[f->recipient.len - 1]
	    == '\n')
		f->recipient.data[--f->recipient.len] = '\0';
	if (age_keyring_add(f->kr, id.data, id.len, &why) != 0)
		return -1;
	buf_wipe(&id);
	buf_free(&why);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	age_keyring_free(f->kr);
	buf_free(&f->recipient);
	free(f);
	return 0;
}

/* Checks the model of src; extra goes into the app block. */
static void
start(struct fx *f, const char *extra)
{
	struct ast_file *file;
	struct buf src = BUF_INIT;

	buf_printf(&src, "app shop {\n"
	    "\timage registry.example/shop:1.0.0\n"
	    "\tport 8000\n"
	    "\tsecret SECRET_KEY = random(40)\n"
	    "\tsecret API_KEY = env(T_API)\n"
	    "%s"
	    "\tdatabase shop {\n"
	    "\t\tcluster apps-pg in databases\n"
	    "\t}\n"
	    "\trecipients %s\n"
	    "}\n", extra, f->recipient.data);
	f->arena = arena_new();
	f->out = open_memstream(&f->text, &f->len);
	f->diag = diag_new(f->out);
	file = parse_file(f->arena, f->diag, "t.rail",
	    arena_strndup(f->arena, src.data, src.len), src.len);
	assert_non_null(file);
	f->model = check_fleet(f->arena, f->diag, &file, 1);
	assert_non_null(f->model);
	assert_int_equal(diag_count(f->diag), 0);
	buf_free(&src);

	memset(&f->ctx, 0, sizeof f->ctx);
	f->ctx.diag = f->diag;
	f->ctx.outdir = "out";
	f->ctx.now = 1800000000;
	f->ctx.prev = fake_prev;
	f->ctx.keyring = fake_keyring;
	f->ctx.getenv = fake_getenv;
	f->ctx.arg = f;
	f->nkeyring = f->ngetenv = 0;
}

static void
finish(struct fx *f)
{
	diag_free(f->diag);
	fclose(f->out);
	free(f->text);
	f->text = NULL;
	arena_free(f->arena);
}

static int
run(struct fx *f, struct tree *t)
{
	int rc;

	tree_init(t);
	rc = emit_secrets(&f->model->apps[0], &f->ctx, t);
	fflush(f->out);
	return rc;
}

/* The value at doc 0 / k1 / k2 of a decrypted file, copied (wipe it). */
static void
decrypted(struct fx *f, const struct tree *t, const char *path,
    const char *k1, const char *k2, struct buf *out)
{
	const struct tree_file *tf = tree_get(t, path);
	const struct yaml_node *n;
	struct sops_file *sf = NULL;
	struct buf why = BUF_INIT;

	assert_non_null(tf);
	assert_int_equal(sops_decrypt(tf->data, tf->len, f->kr, &sf, &why),
	    SOPS_OK);
	n = yaml_map_get(yaml_map_get(sf->docs.docs[0], k1), k2);
	assert_non_null(n);
	assert_int_equal(n->kind, YAML_STR);
	buf_add(out, n->v.str.s, n->v.str.len);
	sops_file_free(sf);
	buf_free(&why);
}

/* A first run reads no key; the supplied variable once; one password. */
static void
test_fresh(void **state)
{
	struct fx *f = *state;
	struct buf pw = BUF_INIT, dsn = BUF_INIT, from = BUF_INIT;
	struct buf v = BUF_INIT;
	struct tree t;

	start(f, "");
	assert_int_equal(run(f, &t), 0);
	assert_int_equal(f->nkeyring, 0);
	assert_int_equal(f->ngetenv, 1);
	assert_non_null(tree_get(&t, VALUES));
	assert_non_null(tree_get(&t, PLATFORM));

	decrypted(f, &t, PLATFORM, "stringData", "password", &pw);
	decrypted(f, &t, VALUES, "secrets", "DATABASE_URL", &dsn);
	assert_int_equal(secret_url_password(dsn.data, dsn.len, &from), 0);
	assert_int_equal(pw.len, SECRET_PASSWORD_LEN);
	assert_string_equal(from.data, pw.data);
	decrypted(f, &t, VALUES, "secrets", "API_KEY", &v);
	assert_string_equal(v.data, SUPPLIED);
	buf_wipe(&v);
	decrypted(f, &t, VALUES, "secrets", "SECRET_KEY", &v);
	assert_int_equal(v.len, 40);
	assert_int_equal(strspn(v.data, SECRET_ALPHABET), 40);
	/* The clear text holds none of them. */
	assert_null(strstr(tree_get(&t, VALUES)->data, v.data));
	assert_null(strstr(tree_get(&t, PLATFORM)->data, pw.data));
	assert_null(strstr(tree_get(&t, VALUES)->data, SUPPLIED));
	buf_wipe(&v);
	buf_wipe(&pw);
	buf_wipe(&dsn);
	buf_wipe(&from);
	tree_free(&t);
	finish(f);
}

/* Over its own output: the same bytes, no key, no variable. */
static void
test_unchanged(void **state)
{
	struct fx *f = *state;
	const struct tree_file *a, *b;
	struct tree first, again;
	const char *paths[] = { VALUES, PLATFORM };
	size_t i;

	start(f, "");
	assert_int_equal(run(f, &first), 0);
	finish(f);
	start(f, "");
	f->prev = &first;
	assert_int_equal(run(f, &again), 0);
	assert_int_equal(f->nkeyring, 0);
	assert_int_equal(f->ngetenv, 0);
	for (i = 0; i < 2; i++) {
		a = tree_get(&first, paths[i]);
		b = tree_get(&again, paths[i]);
		assert_non_null(b);
		assert_int_equal(a->len, b->len);
		assert_memory_equal(a->data, b->data, a->len);
	}
	f->prev = NULL;
	tree_free(&first);
	tree_free(&again);
	finish(f);
}

/*
 * A new secret: without an identity an error, no file; with one, the
 * key is asked for once and the variable not at all (random secret).
 */
static void
test_new_secret(void **state)
{
	struct fx *f = *state;
	struct tree first, next;

	start(f, "");
	assert_int_equal(run(f, &first), 0);
	finish(f);

	start(f, "\tsecret TOKEN = random(16)\n");
	f->prev = &first;
	assert_int_equal(run(f, &next), -1);
	assert_true(f->nkeyring >= 1);
	assert_int_equal(f->ngetenv, 0);
	assert_null(tree_get(&next, VALUES));
	assert_non_null(strstr(f->text, "secret 'TOKEN' is new"));
	assert_non_null(strstr(f->text, "SOPS_AGE_KEY_FILE"));
	tree_free(&next);
	finish(f);

	start(f, "\tsecret TOKEN = random(16)\n");
	f->prev = &first;
	f->give_key = 1;
	assert_int_equal(run(f, &next), 0);
	assert_int_equal(f->nkeyring, 1);
	assert_int_equal(f->ngetenv, 0);
	assert_non_null(strstr(tree_get(&next, VALUES)->data,
	    "    TOKEN: ENC["));
	f->give_key = 0;
	f->prev = NULL;
	tree_free(&first);
	tree_free(&next);
	finish(f);
}

/* --rotate of a supplied secret reads its variable again. */
static void
test_rotate_supplied(void **state)
{
	struct fx *f = *state;
	static const char *const rot[] = { "shop/API_KEY" };
	struct tree first, next;

	start(f, "");
	assert_int_equal(run(f, &first), 0);
	finish(f);
	start(f, "");
	f->prev = &first;
	f->give_key = 1;
	f->ctx.rotate = rot;
	f->ctx.nrotate = 1;
	assert_int_equal(emit_rotate_check(f->model, &f->ctx), 0);
	assert_int_equal(run(f, &next), 0);
	assert_int_equal(f->ngetenv, 1);
	assert_int_equal(f->nkeyring, 1);
	f->give_key = 0;
	f->prev = NULL;
	tree_free(&first);
	tree_free(&next);
	finish(f);
}

/* --check: a file that would change is drift; nothing is read. */
static void
test_check_drift(void **state)
{
	struct fx *f = *state;
	struct tree first, next;
	const struct tree_file *a, *b;

	start(f, "");
	assert_int_equal(run(f, &first), 0);
	finish(f);
	start(f, "\tsecret TOKEN = random(16)\n");
	f->prev = &first;
	f->ctx.check = true;
	assert_int_equal(run(f, &next), 0);
	assert_int_equal(f->nkeyring, 0);
	assert_int_equal(f->ngetenv, 0);
	assert_int_equal(diag_status(f->diag), DIAG_EXIT_INPUT);
	assert_non_null(strstr(f->text, "drift: out/" VALUES ": must "
	    "change"));
	a = tree_get(&first, VALUES);
	b = tree_get(&next, VALUES);
	assert_non_null(b);
	assert_memory_equal(a->data, b->data, a->len);
	f->prev = NULL;
	tree_free(&first);
	tree_free(&next);
	finish(f);
}

/* Unknown --rotate names are a usage error, and so is --check with it. */
static void
test_rotate_names(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = { "SECRET_KY" };
	static const char *const ok[] = { "SECRET_KEY", "DATABASE_URL",
	    "shop/API_KEY" };

	start(f, "");
	f->ctx.rotate = ok;
	f->ctx.nrotate = 3;
	assert_int_equal(emit_rotate_check(f->model, &f->ctx), 0);
	f->ctx.check = true;
	assert_int_equal(emit_rotate_check(f->model, &f->ctx), -1);
	f->ctx.check = false;
	f->ctx.rotate = bad;
	f->ctx.nrotate = 1;
	assert_int_equal(emit_rotate_check(f->model, &f->ctx), -1);
	fflush(f->out);
	assert_non_null(strstr(f->text, "did you mean 'SECRET_KEY'?"));
	assert_int_equal(diag_status(f->diag), DIAG_EXIT_USAGE);
	finish(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh),
		cmocka_unit_test(test_unchanged),
		cmocka_unit_test(test_new_secret),
		cmocka_unit_test(test_rotate_supplied),
		cmocka_unit_test(test_check_drift),
		cmocka_unit_test(test_rotate_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
