/* emit_secrets.c: an app's SOPS files, keeping every secret already written. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "age.h"
#include "buf.h"
#include "emit.h"
#include "secret.h"
#include "sops.h"
#include "yamltree.h"

/*
 * Design note.  An app with secrets gets two SOPS files: the release
 * values (V, helm/<app>-values.sops.yaml: secrets under `secrets`, the
 * database DSN among them) and, with a database, the platform file (P:
 * the role's basic-auth Secret first, its `password` encrypted, then the
 * DatabaseRole and Database).  Both are built in clear from templates,
 * and every secret leaf is either YAML_KEEP, which sops_write fills from
 * the previous file without any key, or a value generated now.
 *
 * A value is generated only when the previous file lacks it or
 * --rotate names it; nothing existing is ever regenerated silently.  The
 * one password lives in both files.  It is drawn anew only when neither
 * file holds it (or on rotation); when one file is missing or the DSN
 * must be rebuilt (V's clear `database` record, what the DSN was built
 * from, differs from the model), the password is decrypted from the
 * other file, which needs an age identity.
 *
 * Keys are loaded only when needed: first sops_write runs without a
 * keyring, and only when it answers SOPS_ERR_NO_IDENTITY is one loaded.
 * Every reason a key is needed is collected beforehand, so that the
 * error names them all.  With --check nothing is generated, decrypted or
 * read from the environment: a file that would have to change is drift.
 */

/* Why an identity is needed, or why --check sees drift. */
struct reason {
	const struct model_pos	*pos;	/* NULL: no place in the .rail file */
	char			*text;
};

/* One SOPS file: where it goes, what was there, what it will hold. */
struct sfile {
	char			*path;
	const char		*regex;		/* encrypted_regex */
	const char		*prev;		/* borrowed from ctx, or NULL */
	size_t			 prevlen;
	struct sops_file	*old;		/* prev, parsed, encrypted */
	struct yaml_docs	 docs;		/* the plaintext to write */
	struct yaml_node	*slots;		/* the map secrets go into */
	int			 fresh;		/* gets a value made now */
};

struct plan {
	const struct model_app	*app;
	struct emit_ctx		*ctx;
	struct tree		*t;
	struct tmpl_vars	*vars;
	struct sfile		 v, p;
	struct reason		*why;
	size_t			 nwhy;
	struct sfile		*from;		/* where the password is read */
	int			 newpw;		/* draw a new password */
	int			 keyerr;	/* missing key reported */
	struct buf		 password;	/* wiped */
};

static void
reason(struct plan *pl, const struct model_pos *pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
reason(struct plan *pl, const struct model_pos *pos, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	for (i = 0; i < pl->nwhy; i++)
		if (strcmp(pl->why[i].text, b.data) == 0) {
			buf_free(&b);
			return;
		}
	pl->why = xrealloc(pl->why, (pl->nwhy + 1) * sizeof *pl->why);
	pl->why[pl->nwhy].pos = pos;
	pl->why[pl->nwhy++].text = buf_detach(&b, NULL);
}

/* The file's place for diag: "out/helm/x.sops.yaml", no line. */
static void
file_pos(const struct plan *pl, const struct sfile *sf, struct buf *name,
    struct model_pos *pos)
{
	buf_printf(name, "%s/%s", pl->ctx->outdir, sf->path);
	memset(pos, 0, sizeof *pos);
	pos->file = name->data;
}

static void
file_error(struct plan *pl, const struct sfile *sf, const char *what,
    const char *why)
{
	struct buf name = BUF_INIT;
	struct model_pos pos;

	file_pos(pl, sf, &name, &pos);
	diag_error(pl->ctx->diag, &pos, "%s: %s", what, why);
	buf_free(&name);
}

/* ---- the previous files, read without any key ---------------------- */

static int
load_prev(struct plan *pl, struct sfile *sf)
{
	struct buf why = BUF_INIT;
	int rc;

	rc = pl->ctx->prev(pl->ctx, sf->path, &sf->prev, &sf->prevlen, &why);
	if (rc < 0) {
		diag_fail(pl->ctx->diag, "%s", why.data);
		buf_free(&why);
		return -1;
	}
	if (rc == 0) {
		sf->prev = NULL;
		buf_free(&why);
		return 0;
	}
	if (sops_file_parse(sf->prev, sf->prevlen, &sf->old, &why) !=
	    SOPS_OK) {
		file_error(pl, sf, "not a SOPS file railgen can read",
		    why.data);
		diag_hint(pl->ctx->diag, "it holds the secrets railgen keeps: "
		    "restore it from version control, or remove it to have "
		    "new secrets made");
		buf_free(&why);
		return -1;
	}
	buf_free(&why);
	return 0;
}

/* The value at doc 0 / k1 / k2 of a previous file, or NULL. */
static const struct yaml_node *
old_get(const struct sfile *sf, const char *k1, const char *k2)
{
	const struct yaml_node *n;

	if (sf->old == NULL || sf->old->docs.len == 0)
		return NULL;
	n = yaml_map_get(sf->old->docs.docs[0], k1);
	if (n == NULL || n->kind != YAML_MAP)
		return NULL;
	return k2 != NULL ? yaml_map_get(n, k2) : n;
}

static int
old_has(const struct sfile *sf, const char *k1, const char *k2)
{
	const struct yaml_node *n = old_get(sf, k1, k2);

	return n != NULL && n->kind == YAML_STR;
}

/* ---- the plaintext trees -------------------------------------------- */

static int
render(struct plan *pl, struct sfile *sf, const char *tmpl)
{
	struct buf text = BUF_INIT, why = BUF_INIT;
	int rc = -1;

	if (tmpl_render(&text, tmpl, pl->vars, &why) < 0)
		tree_error(pl->t, "%s: %s", sf->path, why.data);
	else if (yaml_parse(text.data, text.len, &sf->docs, &why) < 0)
		tree_error(pl->t, "%s: template %s is not YAML: %s", sf->path,
		    tmpl, why.data);
	else if (sf->docs.len == 0 || sf->docs.docs[0]->kind != YAML_MAP)
		tree_error(pl->t, "%s: template %s holds no mapping",
		    sf->path, tmpl);
	else
		rc = 0;
	buf_free(&text);
	buf_free(&why);
	return rc;
}

static int
values_tree(struct plan *pl)
{
	struct yaml_node *root;

	if (render(pl, &pl->v, "helm/values.sops.yaml.tmpl") < 0)
		return -1;
	root = pl->v.docs.docs[0];
	yaml_map_add_comment(root, " Encrypted: the chart makes them the "
	    "release's Secret, the pods' env.");
	pl->v.slots = yaml_map_new();
	yaml_map_add(root, "secrets", pl->v.slots);
	return 0;
}

static int
platform_tree(struct plan *pl)
{
	struct yaml_node *data;

	if (render(pl, &pl->p, "cnpg/database.yaml.tmpl") < 0)
		return -1;
	data = yaml_map_get(pl->p.docs.docs[0], "stringData");
	if (data == NULL || data->kind != YAML_MAP) {
		tree_error(pl->t, "%s: the Secret has no stringData",
		    pl->p.path);
		return -1;
	}
	pl->p.slots = data;
	return 0;
}

/* ---- what to keep and what to make ---------------------------------- */

static int
rotated(const struct plan *pl, const char *name)
{
	const struct emit_ctx *ctx = pl->ctx;
	size_t i, n = strlen(pl->app->name);

	for (i = 0; i < ctx->nrotate; i++)
		if (strcmp(ctx->rotate[i], name) == 0 ||
		    (strncmp(ctx->rotate[i], pl->app->name, n) == 0 &&
		    ctx->rotate[i][n] == '/' &&
		    strcmp(ctx->rotate[i] + n + 1, name) == 0))
			return 1;
	return 0;
}

/* A slot: kept from the previous file, or (null) to be filled now. */
static void
slot(struct sfile *sf, const char *key, int keep)
{
	yaml_map_add(sf->slots, key, keep ? yaml_keep() : yaml_null());
	if (!keep)
		sf->fresh = 1;
}

static void
plan_secret(struct plan *pl, const struct model_secret *s)
{
	int had = old_has(&pl->v, "secrets", s->name);
	int rot = rotated(pl, s->name);

	slot(&pl->v, s->name, had && !rot);
	if (had && rot)
		reason(pl, &s->pos, "--rotate %s: secret '%s' gets a new "
		    "value", s->name, s->name);
	else if (!had && pl->v.old != NULL)
		reason(pl, &s->pos, "secret '%s' is new", s->name);
}

/* Whether V's clear record of what the DSN connects to still holds. */
static int
record_same(const struct plan *pl)
{
	const struct yaml_node *old = old_get(&pl->v, "database", NULL);
	const struct yaml_node *now;

	now = yaml_map_get(pl->v.docs.docs[0], "database");
	return old != NULL && now != NULL && yaml_node_equal(old, now);
}

static void
plan_fresh_password(struct plan *pl, int rot)
{
	const struct model_database *db = pl->app->database;

	pl->newpw = 1;
	slot(&pl->v, db->url_env, 0);
	slot(&pl->p, "password", 0);
	if (rot && (pl->v.old != NULL || pl->p.old != NULL))
		reason(pl, &db->pos, "--rotate %s: the password of role '%s' "
		    "is made anew, in both files", db->url_env, db->role);
	else if (pl->v.old != NULL || pl->p.old != NULL)
		reason(pl, &db->pos, "neither %s nor %s holds the password of "
		    "role '%s': a new one is made", pl->v.path, pl->p.path,
		    db->role);
}

static void
plan_database(struct plan *pl)
{
	const struct model_database *db = pl->app->database;
	int vhas = old_has(&pl->v, "secrets", db->url_env);
	int phas = old_has(&pl->p, "stringData", "password");
	int same = vhas && record_same(pl);
	int rot = rotated(pl, db->url_env);

	if (rot || (!vhas && !phas)) {
		plan_fresh_password(pl, rot);
		return;
	}
	slot(&pl->v, db->url_env, same);
	slot(&pl->p, "password", phas);
	if (!same || !phas)
		pl->from = phas ? &pl->p : &pl->v;
	if (!same && vhas)
		reason(pl, &db->pos, "database '%s' moved or changed its role: "
		    "the DSN in '%s' is rebuilt with the role's password",
		    db->name, db->url_env);
	else if (!same && pl->v.old == NULL)
		reason(pl, &db->pos, "%s is missing: the DSN in '%s' is built "
		    "with the password from %s", pl->v.path, db->url_env,
		    pl->p.path);
	else if (!same)
		reason(pl, &db->pos, "'%s' is new: the DSN is built with the "
		    "password from %s", db->url_env, pl->p.path);
	if (!phas && pl->p.old == NULL)
		reason(pl, &db->pos, "%s is missing: its password is taken "
		    "from the DSN in %s", pl->p.path, pl->v.path);
	else if (!phas)
		reason(pl, &db->pos, "%s does not hold the password of role "
		    "'%s': it is taken from the DSN in %s", pl->p.path,
		    db->role, pl->v.path);
}

/* Secrets the previous values file holds that the model dropped. */
static void
plan_removed(struct plan *pl)
{
	const struct yaml_node *old = old_get(&pl->v, "secrets", NULL);
	size_t i;

	for (i = 0; old != NULL && i < old->v.map.len; i++) {
		const struct yaml_pair *q = &old->v.map.items[i];

		if (q->key != NULL && yaml_map_getn(pl->v.slots, q->key,
		    q->keylen) == NULL)
			reason(pl, NULL, "secret '%.*s' was removed",
			    (int)q->keylen, q->key);
	}
}

static void
plan_recipients(struct plan *pl, const struct sfile *sf)
{
	const struct model_app *app = pl->app;
	size_t i, k;

	for (i = 0; sf->old != NULL && i < app->nrecipients; i++) {
		for (k = 0; k < sf->old->meta.nage; k++)
			if (strcmp(sf->old->meta.age[k].recipient,
			    app->recipients[i]) == 0)
				break;
		if (k == sf->old->meta.nage)
			reason(pl, &app->pos, "recipient %s is new: the data "
			    "key is wrapped for it", app->recipients[i]);
	}
}

static void
plan_all(struct plan *pl)
{
	size_t i;

	for (i = 0; i < pl->app->nsecrets; i++)
		plan_secret(pl, &pl->app->secrets[i]);
	if (pl->app->database != NULL)
		plan_database(pl);
	plan_removed(pl);
	plan_recipients(pl, &pl->v);
	if (pl->app->database != NULL)
		plan_recipients(pl, &pl->p);
}

/* ---- identities ------------------------------------------------------ */

static void
report_no_identity(struct plan *pl)
{
	struct diag *d = pl->ctx->diag;
	size_t i;

	if (pl->keyerr++)
		return;
	diag_error(d, &pl->app->pos, "the SOPS files of '%s' must change, "
	    "which needs an age identity that opens them, and none was "
	    "found; nothing was written", pl->app->name);
	for (i = 0; i < pl->nwhy; i++)
		diag_note(d, pl->why[i].pos, "%s", pl->why[i].text);
	if (pl->nwhy == 0)
		diag_note(d, NULL, "their encryption rules or recipients "
		    "changed");
	diag_hint(d, "%s", SOPS_IDENTITY_HINT);
}

/* The loaded identities, or NULL after reporting why there are none. */
static const struct age_keyring *
keyring(struct plan *pl)
{
	const struct age_keyring *kr = NULL;
	struct buf why = BUF_INIT;
	int rc;

	rc = pl->ctx->keyring(pl->ctx, &kr, &why);
	if (rc == SOPS_ERR_SYSTEM) {
		if (!pl->keyerr++)
			diag_fail(pl->ctx->diag, "%s", why.data);
		kr = NULL;
	} else if (rc != SOPS_OK) {
		if (!pl->keyerr++) {
			diag_error(pl->ctx->diag, NULL, "%s", why.data);
			diag_hint(pl->ctx->diag, "%s", SOPS_IDENTITY_HINT);
		}
		kr = NULL;
	} else if (kr == NULL || age_keyring_count(kr) == 0) {
		report_no_identity(pl);
		kr = NULL;
	}
	buf_free(&why);
	return kr;
}

/* A sops failure on sf, with the hint that fits it. */
static void
sops_error(struct plan *pl, const struct sfile *sf, int rc, const char *why)
{
	if (rc == SOPS_ERR_NO_IDENTITY) {
		report_no_identity(pl);
		return;
	}
	if (rc == SOPS_ERR_SYSTEM) {
		diag_fail(pl->ctx->diag, "%s/%s: %s", pl->ctx->outdir,
		    sf->path, why);
		return;
	}
	file_error(pl, sf, sops_status_str(rc), why);
	if (rc == SOPS_ERR_NO_MATCH)
		diag_hint(pl->ctx->diag, "%s", SOPS_IDENTITY_HINT);
}

/* ---- the password and the values ----------------------------------- */

/* The password held by a decrypted previous file, into pl->password. */
static int
take_password(struct plan *pl, const struct sops_file *f)
{
	const struct model_database *db = pl->app->database;
	const struct yaml_node *n;
	int platform = pl->from == &pl->p;

	n = yaml_map_get(f->docs.docs[0], platform ? "stringData" :
	    "secrets");
	if (n != NULL && n->kind == YAML_MAP)
		n = yaml_map_get(n, platform ? "password" : db->url_env);
	if (n == NULL || n->kind != YAML_STR)
		return -1;
	if (platform) {
		buf_grow(&pl->password, n->v.str.len);
		buf_add(&pl->password, n->v.str.s, n->v.str.len);
	}
	else if (secret_url_password(n->v.str.s, n->v.str.len,
	    &pl->password) < 0)
		return -1;
	return pl->password.len > 0 ? 0 : -1;
}

static int
read_password(struct plan *pl)
{
	const struct age_keyring *kr;
	struct sops_file *f = NULL;
	struct buf why = BUF_INIT;
	int rc;

	if ((kr = keyring(pl)) == NULL)
		return -1;
	rc = sops_decrypt(pl->from->prev, pl->from->prevlen, kr, &f, &why);
	if (rc != SOPS_OK)
		sops_error(pl, pl->from, rc, why.data);
	else if ((rc = take_password(pl, f)) != 0)
		file_error(pl, pl->from, "no database password", "the "
		    "decrypted file holds no password railgen can use");
	sops_file_free(f);
	buf_free(&why);
	return rc == 0 ? 0 : -1;
}

/* The DSN of the database with the password, into *dsn (wiped later). */
static void
build_dsn(const struct plan *pl, struct buf *dsn)
{
	const struct model_database *db = pl->app->database;

	/* Grown once, to the most it can take: no stray copy on realloc. */
	buf_grow(dsn, sizeof "postgresql://:@:65535/?sslmode=require" +
	    3 * (strlen(db->role) + pl->password.len + strlen(db->name)) +
	    strlen(db->service_host));
	buf_adds(dsn, "postgresql://");
	secret_url_encode(dsn, db->role, strlen(db->role));
	buf_addc(dsn, ':');
	secret_url_encode(dsn, pl->password.data, pl->password.len);
	buf_printf(dsn, "@%s:%d/", db->service_host, db->service_port);
	secret_url_encode(dsn, db->name, strlen(db->name));
	buf_adds(dsn, "?sslmode=require");
}

/* Puts s[0..n) into the slot key of sf when it is waiting for a value. */
static void
fill(struct sfile *sf, const char *key, const char *s, size_t n)
{
	struct yaml_node *slot = yaml_map_get(sf->slots, key);

	if (slot != NULL && slot->kind == YAML_NULL)
		yaml_node_replace(slot, yaml_strn(s, n));
}

static int
fill_secret(struct plan *pl, const struct model_secret *s)
{
	struct yaml_node *slot = yaml_map_get(pl->v.slots, s->name);
	struct buf b = BUF_INIT;
	const char *v;

	if (slot == NULL || slot->kind != YAML_NULL)
		return 0;
	if (s->source == SECRET_RANDOM) {
		secret_random(&b, (size_t)s->length);
		fill(&pl->v, s->name, b.data, b.len);
		buf_wipe(&b);
		return 0;
	}
	if ((v = pl->ctx->getenv(pl->ctx, s->from)) == NULL || *v == '\0') {
		diag_error(pl->ctx->diag, &s->pos, "secret '%s' needs a value "
		    "and the variable '%s' is %s", s->name, s->from,
		    v == NULL ? "not set" : "empty");
		diag_hint(pl->ctx->diag, "set %s in railgen's environment; it "
		    "is read only when the secret is created or rotated",
		    s->from);
		return -1;
	}
	fill(&pl->v, s->name, v, strlen(v));
	return 0;
}

static int
fill_all(struct plan *pl)
{
	const struct model_database *db = pl->app->database;
	struct buf dsn = BUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; i < pl->app->nsecrets; i++)
		if (fill_secret(pl, &pl->app->secrets[i]) < 0)
			rc = -1;
	if (db == NULL || rc < 0)
		return rc;
	if (pl->newpw)
		secret_random(&pl->password, SECRET_PASSWORD_LEN);
	else if (pl->from != NULL && read_password(pl) < 0)
		return -1;
	if (pl->password.len > 0) {
		build_dsn(pl, &dsn);
		fill(&pl->v, db->url_env, dsn.data, dsn.len);
		fill(&pl->p, "password", pl->password.data,
		    pl->password.len);
	}
	buf_wipe(&dsn);
	return 0;
}

/* ---- writing ----------------------------------------------------------- */

static void
write_init(const struct plan *pl, const struct sfile *sf,
    struct sops_write *w)
{
	memset(w, 0, sizeof *w);
	w->plain = sf->docs;
	w->encrypted_regex = sf->regex;
	w->mac_only_encrypted = 1;
	w->recipients = pl->app->recipients;
	w->nrecipients = pl->app->nrecipients;
	w->prev = sf->prev;
	w->prevlen = sf->prevlen;
	w->prev_file = sf->old;
	w->now = pl->ctx->now;
}

static int
write_file(struct plan *pl, struct sfile *sf)
{
	struct buf out = BUF_INIT, why = BUF_INIT;
	struct sops_write w;
	int rc;

	write_init(pl, sf, &w);
	rc = sops_write(&w, &out, &why);
	if (rc == SOPS_ERR_NO_IDENTITY) {
		if ((w.keyring = keyring(pl)) == NULL) {
			buf_free(&why);
			return -1;
		}
		buf_reset(&why);
		rc = sops_write(&w, &out, &why);
	}
	if (rc != SOPS_OK)
		sops_error(pl, sf, rc, why.data);
	else if (tree_add_buf(pl->t, sf->path, &out, 0644) < 0)
		rc = SOPS_ERR_INPUT;
	buf_free(&out);
	buf_free(&why);
	return rc == SOPS_OK ? 0 : -1;
}

/* --check: the file as it is, or drift when it would have to change. */
static int
check_file(struct plan *pl, struct sfile *sf)
{
	struct buf out = BUF_INIT, why = BUF_INIT, all = BUF_INIT;
	struct sops_write w;
	size_t i;
	int rc = SOPS_ERR_NO_IDENTITY;

	if (sf->prev == NULL) {
		diag_drift(pl->ctx->diag, "%s/%s: missing", pl->ctx->outdir,
		    sf->path);
		return 0;
	}
	write_init(pl, sf, &w);
	if (!sf->fresh)
		rc = sops_write(&w, &out, &why);
	if (rc == SOPS_OK) {
		if (tree_add_buf(pl->t, sf->path, &out, 0644) < 0)
			rc = SOPS_ERR_INPUT;
	} else if (rc == SOPS_ERR_NO_IDENTITY) {
		for (i = 0; i < pl->nwhy; i++)
			buf_printf(&all, "; %s", pl->why[i].text);
		diag_drift(pl->ctx->diag, "%s/%s: must change (run railgen "
		    "with an age identity)%s", pl->ctx->outdir, sf->path,
		    all.len > 0 ? all.data : "");
		rc = tree_add(pl->t, sf->path, sf->prev, sf->prevlen, 0644) <
		    0 ? SOPS_ERR_INPUT : SOPS_OK;
	} else
		sops_error(pl, sf, rc, why.data);
	buf_free(&out);
	buf_free(&why);
	buf_free(&all);
	return rc == SOPS_OK ? 0 : -1;
}

/* ---- one app ----------------------------------------------------------- */

static void
sfile_free(struct sfile *sf)
{
	free(sf->path);
	sops_file_free(sf->old);
	yaml_docs_free(&sf->docs);
}

static void
plan_free(struct plan *pl)
{
	size_t i;

	sfile_free(&pl->v);
	sfile_free(&pl->p);
	for (i = 0; i < pl->nwhy; i++)
		free(pl->why[i].text);
	free(pl->why);
	buf_wipe(&pl->password);
	tmpl_vars_free(pl->vars);
}

static int
plan_init(struct plan *pl, const struct model_app *app,
    struct emit_ctx *ctx, struct tree *t)
{
	struct buf b = BUF_INIT;

	memset(pl, 0, sizeof *pl);
	pl->app = app;
	pl->ctx = ctx;
	pl->t = t;
	pl->vars = emit_app_vars(app);
	buf_printf(&b, "helm/%s-values.sops.yaml", app->name);
	pl->v.path = buf_detach(&b, NULL);
	pl->v.regex = EMIT_VALUES_REGEX;
	if (load_prev(pl, &pl->v) < 0 || values_tree(pl) < 0)
		return -1;
	if (app->database == NULL)
		return 0;
	buf_printf(&b, "platform/%s/%s-database.yaml", app->database->cluster,
	    app->name);
	pl->p.path = buf_detach(&b, NULL);
	pl->p.regex = EMIT_PLATFORM_REGEX;
	if (load_prev(pl, &pl->p) < 0 || platform_tree(pl) < 0)
		return -1;
	return 0;
}

static int
write_all(struct plan *pl)
{
	int rc = 0;

	if (pl->ctx->check) {
		rc = check_file(pl, &pl->v);
		if (pl->app->database != NULL && check_file(pl, &pl->p) < 0)
			rc = -1;
		return rc;
	}
	if (fill_all(pl) < 0) {
		/* Name a missing identity too, not one problem per run. */
		if (pl->nwhy > 0 && pl->v.old != NULL)
			(void)keyring(pl);
		return -1;
	}
	rc = write_file(pl, &pl->v);
	if (pl->app->database != NULL && write_file(pl, &pl->p) < 0)
		rc = -1;
	return rc;
}

int
emit_secrets(const struct model_app *app, struct emit_ctx *ctx,
    struct tree *t)
{
	struct plan pl;
	int rc;

	if (app->nsecrets == 0 && app->database == NULL)
		return 0;
	rc = plan_init(&pl, app, ctx, t);
	if (rc == 0) {
		plan_all(&pl);
		rc = write_all(&pl);
	}
	plan_free(&pl);
	return rc;
}
