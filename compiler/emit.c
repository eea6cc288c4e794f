/* emit.c: run every emitter, and the template variables they share. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "emit.h"
#include "model.h"
#include "secret.h"
#include "tmpl.h"
#include "tree.h"

/*
 * Templates see the model through flat variables set here, one name per
 * fact; the names are the vocabulary of templates/.  Values are the
 * model's own text: quoting for the target format is the template's job
 * (its @{name|filter}), so no value is escaped twice or not at all.
 */

/*
 * The variables of the app emit_all is on, made once for its seven
 * emitters: emit_app_vars hands each a new scope on top of them, which
 * holds what that emitter adds.  Outside emit_all's loop both are NULL
 * and emit_app_vars makes the variables anew.
 */
static const struct model_app	*shared_app;
static struct tmpl_vars		*shared_vars;

static struct tmpl_vars	*app_vars(const struct model_app *);

int
emit_all(const struct model *m, struct emit_ctx *ctx, struct tree *t)
{
	const struct model_app *app;
	size_t i;
	int rc;

	if (emit_rotate_check(m, ctx) < 0)
		return -1;
	rc = 0;
	for (i = 0; i < m->napps; i++) {
		app = &m->apps[i];
		shared_vars = app_vars(app);
		shared_app = app;
		if (emit_dockerfile(app, t) < 0)
			rc = -1;
		if (emit_chart(app, t) < 0)
			rc = -1;
		if (emit_manifests(app, t) < 0)
			rc = -1;
		if (emit_cnpg(app, t) < 0)
			rc = -1;
		if (emit_makefile(app, t) < 0)
			rc = -1;
		if (emit_runbook(app, t) < 0)
			rc = -1;
		if (emit_secrets(app, ctx, t) < 0)
			rc = -1;
		shared_app = NULL;
		tmpl_vars_free(shared_vars);
		shared_vars = NULL;
	}
	if (emit_sops_config(m, t) < 0)
		rc = -1;
	if (emit_index(m, t) < 0)
		rc = -1;
	return rc;
}

int
emit_file(struct tree *t, const char *path, const char *tmpl,
    const struct tmpl_vars *vars, int mode)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	int rc;

	if (tmpl_render(&out, tmpl, vars, &err) < 0) {
		if (err.len > 0 && err.data[err.len - 1] == '\n')
			err.data[--err.len] = '\0';
		tree_error(t, "%s: %s", path, err.data);
		rc = -1;
	} else
		rc = tree_add_buf(t, path, &out, mode);
	buf_free(&out);
	buf_free(&err);
	return rc;
}

/*
 * The source file name goes into comments of every format: control
 * characters become '?', and so does the last character of "*" "/" and
 * "-->", which would end a Go template or HTML comment early.
 */
void
emit_comment_text(struct buf *b, const char *source)
{
	const char *p;

	for (p = source; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f ||
		    (*p == '/' && p > source && p[-1] == '*') ||
		    (*p == '>' && p - source >= 2 && p[-1] == '-' &&
		    p[-2] == '-'))
			buf_addc(b, '?');
		else
			buf_addc(b, *p);
	}
	buf_add(b, "", 0);
}

static void
set_source(struct tmpl_vars *v, const char *source)
{
	struct buf b = BUF_INIT;

	emit_comment_text(&b, source);
	tmpl_set(v, "source", b.data);
	buf_free(&b);
}

/* VERGABE from the alias vergabe: the prefix of make variables. */
static void
set_mkprefix(struct tmpl_vars *v, const char *alias)
{
	struct buf b = BUF_INIT;
	const char *p;

	for (p = alias; *p != '\0'; p++)
		buf_addc(&b, isalnum((unsigned char)*p) ?
		    toupper((unsigned char)*p) : '_');
	buf_add(&b, "", 0);
	tmpl_set(v, "mkprefix", b.data);
	buf_free(&b);
}

static void
set_image(struct tmpl_vars *v, const struct model_image *im)
{
	tmpl_set(v, "image_ref", im->ref);
	tmpl_set(v, "image_name", im->name);
	tmpl_set(v, "image_registry", im->registry);
	tmpl_set(v, "image_tag", im->tag != NULL ? im->tag : "");
	tmpl_set(v, "image_digest", im->digest != NULL ? im->digest : "");
	tmpl_set(v, "app_version", im->tag != NULL ? im->tag : im->digest);
}

/* gunicorn's graceful timeout, kept under the pod's grace period. */
#define GRACEFUL_S	25
#define GRACE_S		35
#define PRESTOP_S	5

static void
set_django(struct tmpl_vars *v, const struct model_app *app)
{
	const struct model_django *d = &app->django;

	tmpl_set_bool(v, "django", app->build == BUILD_DJANGO);
	tmpl_setf(v, "grace_period", "%d", app->build == BUILD_DJANGO ?
	    GRACE_S : 30);
	if (app->build != BUILD_DJANGO)
		return;
	tmpl_set(v, "src_dir", d->source);
	tmpl_set(v, "python", d->python);
	tmpl_set(v, "node", d->node);
	tmpl_set(v, "wsgi", d->wsgi);
	tmpl_set(v, "settings", d->settings);
	tmpl_set(v, "assets", d->assets);
	tmpl_set(v, "static_root", d->static_root);
	tmpl_setf(v, "workers", "%d", d->workers);
	tmpl_setf(v, "threads", "%d", d->threads);
	tmpl_setf(v, "timeout", "%d", d->timeout_s);
	tmpl_setf(v, "graceful_timeout", "%d", GRACEFUL_S);
	tmpl_setf(v, "prestop", "%d", PRESTOP_S);
	tmpl_setf(v, "uid", "%d", d->uid);
}

static void
set_resources(struct tmpl_vars *v, const struct model_resources *r)
{
	tmpl_set(v, "cpu_request", r->cpu_request.text);
	tmpl_set(v, "cpu_limit", r->cpu_limit.text);
	tmpl_set(v, "mem_request", r->mem_request.text);
	tmpl_set(v, "mem_limit", r->mem_limit.text);
}

const char *
emit_health_path(const struct model_app *app)
{
	static const int order[] = {
		PROBE_LIVENESS, PROBE_READINESS, PROBE_STARTUP
	};
	size_t i;

	for (i = 0; i < sizeof order / sizeof order[0]; i++)
		if (app->probes[order[i]].enabled)
			return app->probes[order[i]].path;
	return "";
}

static void
set_probes(struct tmpl_vars *v, const struct model_app *app)
{
	static const char *kinds[PROBE__COUNT] = {
		"startup", "readiness", "liveness"
	};
	/* A disabled probe keeps Kubernetes' defaults in values.yaml. */
	static const struct model_probe off = { false, "/", 10, 1, 3, 0 };
	const struct model_probe *p;
	struct tmpl_vars *it;
	size_t i;

	tmpl_set_list(v, "probes");
	for (i = 0; i < PROBE__COUNT; i++) {
		p = &app->probes[i];
		it = tmpl_add_item(v, "probes");
		tmpl_set(it, "kind", kinds[i]);
		tmpl_set_bool(it, "enabled", p->enabled);
		if (!p->enabled)
			p = &off;
		tmpl_set(it, "path", p->path);
		tmpl_setf(it, "period", "%d", p->period_s);
		tmpl_setf(it, "timeout", "%d", p->timeout_s);
		tmpl_setf(it, "failure", "%d", p->failure_threshold);
		tmpl_setf(it, "initial_delay", "%d", p->initial_delay_s);
	}
	tmpl_set(v, "health_path", emit_health_path(app));
}

static void
set_env(struct tmpl_vars *v, const struct model_app *app)
{
	struct tmpl_vars *it;
	size_t i;

	tmpl_set_list(v, "env");
	for (i = 0; i < app->nenv; i++) {
		it = tmpl_add_item(v, "env");
		tmpl_set(it, "name", app->env[i].name);
		tmpl_set(it, "value", app->env[i].value);
	}
}

/*
 * secrets: what the .rail file declares; secret_keys: every key of the
 * chart's secret values, which adds the database DSN.
 */
static void
set_secrets(struct tmpl_vars *v, const struct model_app *app)
{
	const struct model_secret *s;
	struct tmpl_vars *it;
	size_t i;

	tmpl_set_list(v, "secrets");
	tmpl_set_list(v, "secret_keys");
	for (i = 0; i < app->nsecrets; i++) {
		s = &app->secrets[i];
		it = tmpl_add_item(v, "secrets");
		tmpl_set(it, "name", s->name);
		tmpl_set_bool(it, "random", s->source == SECRET_RANDOM);
		tmpl_setf(it, "length", "%d", s->length);
		tmpl_set(it, "from", s->from != NULL ? s->from : "");
		it = tmpl_add_item(v, "secret_keys");
		tmpl_set(it, "name", s->name);
		tmpl_set(it, "what", s->source == SECRET_RANDOM ?
		    "generated" : "supplied");
	}
	if (app->database != NULL) {
		it = tmpl_add_item(v, "secret_keys");
		tmpl_set(it, "name", app->database->url_env);
		tmpl_set(it, "what", "database");
	}
	tmpl_set_bool(v, "has_secrets", app->nsecrets > 0 ||
	    app->database != NULL);
}

/* "apps-pg-vergabe" for role vergabe: a DNS name for the role object. */
static void
set_role_resource(struct tmpl_vars *v, const struct model_database *db)
{
	struct buf b = BUF_INIT;
	const char *p;

	buf_printf(&b, "%s-", db->cluster);
	for (p = db->role; *p != '\0'; p++)
		buf_addc(&b, *p == '_' ? '-' : tolower((unsigned char)*p));
	tmpl_set(v, "db_role_resource", b.data);
	buf_free(&b);
}

static void
set_database(struct tmpl_vars *v, const struct model_app *app)
{
	const struct model_database *db = app->database;

	tmpl_set_bool(v, "db", db != NULL);
	if (db == NULL)
		return;
	tmpl_set(v, "db_engine", db->engine);
	tmpl_setf(v, "db_version", "%d", db->version);
	tmpl_set(v, "db_name", db->name);
	tmpl_set(v, "db_cluster", db->cluster);
	tmpl_set(v, "db_namespace", db->cluster_namespace);
	tmpl_set(v, "db_role", db->role);
	tmpl_set(v, "db_url_env", db->url_env);
	tmpl_setf(v, "db_operator", "%d.%d", db->operator_major,
	    db->operator_minor);
	tmpl_set_bool(v, "db_role_crd", db->database_role);
	tmpl_setf(v, "db_conn_limit", "%d", db->connection_limit);
	tmpl_set(v, "db_resource", db->resource_name);
	tmpl_set(v, "db_password_secret", db->password_secret);
	tmpl_set(v, "db_host", db->service_host);
	tmpl_setf(v, "db_port", "%d", db->service_port);
	tmpl_setf(v, "password_length", "%d", SECRET_PASSWORD_LEN);
	tmpl_setf(v, "db_role_comment", "login role of %s (railgen)",
	    app->name);
	set_role_resource(v, db);
}

static void
add_unique(struct tmpl_vars *v, const char *list, const char *key,
    const char *value, const char **seen, size_t *nseen)
{
	struct tmpl_vars *it;
	size_t i;

	for (i = 0; i < *nseen; i++)
		if (strcmp(seen[i], value) == 0)
			return;
	seen[(*nseen)++] = value;
	it = tmpl_add_item(v, list);
	tmpl_set(it, key, value);
}

/*
 * One Ingress per host: the first is named after the app, the others get
 * a number, so that hosts with different classes or issuers can coexist.
 */
static void
set_hosts(struct tmpl_vars *v, const struct model_app *app)
{
	const struct model_host *h;
	struct tmpl_vars *it;
	const char **seen;
	size_t i, nseen;

	tmpl_set_list(v, "hosts");
	tmpl_set_list(v, "ingress_namespaces");
	seen = xcalloc(app->nhosts + 1, sizeof *seen);
	nseen = 0;
	for (i = 0; i < app->nhosts; i++) {
		h = &app->hosts[i];
		it = tmpl_add_item(v, "hosts");
		tmpl_set(it, "host", h->name);
		tmpl_set(it, "ingress_class", h->ingress_class);
		tmpl_set(it, "issuer", h->issuer);
		tmpl_set(it, "tls_secret", h->tls_secret);
		tmpl_set_bool(it, "traefik",
		    strcmp(h->ingress_class, "traefik") == 0);
		if (i == 0)
			tmpl_set(it, "ingress_name", app->name);
		else
			tmpl_setf(it, "ingress_name", "%s-%zu", app->name,
			    i + 1);
		add_unique(v, "ingress_namespaces", "ns",
		    h->ingress_namespace, seen, &nseen);
	}
	free(seen);
	tmpl_set_bool(v, "has_hosts", app->nhosts > 0);
	tmpl_set(v, "first_host", app->nhosts > 0 ? app->hosts[0].name : "");
}

static const char *
access_mode(enum model_access a)
{
	switch (a) {
	case ACCESS_RWO:
		return "ReadWriteOnce";
	case ACCESS_RWX:
		return "ReadWriteMany";
	case ACCESS_RWOP:
		return "ReadWriteOncePod";
	}
	return "ReadWriteOnce";
}

static void
set_volumes(struct tmpl_vars *v, const struct model_app *app)
{
	const struct model_volume *vol;
	struct tmpl_vars *it;
	bool single;
	size_t i;

	tmpl_set_list(v, "volumes");
	single = false;
	for (i = 0; i < app->nvolumes; i++) {
		vol = &app->volumes[i];
		it = tmpl_add_item(v, "volumes");
		tmpl_set(it, "name", vol->name);
		tmpl_set(it, "mount", vol->mount);
		tmpl_set(it, "size", vol->size.text);
		tmpl_set(it, "access", access_mode(vol->access));
		tmpl_set(it, "storage_class", vol->storage_class != NULL ?
		    vol->storage_class : "");
		if (vol->access != ACCESS_RWX)
			single = true;
	}
	tmpl_set_bool(v, "has_volumes", app->nvolumes > 0);
	tmpl_set_bool(v, "single_writer", single);
}

static void
set_tasks(struct tmpl_vars *v, const struct model_app *app)
{
	const struct model_task *task;
	struct tmpl_vars *it;
	const char *migrate;
	size_t i;

	tmpl_set_list(v, "tasks");
	migrate = "";
	for (i = 0; i < app->ntasks; i++) {
		task = &app->tasks[i];
		it = tmpl_add_item(v, "tasks");
		tmpl_set(it, "name", task->name);
		tmpl_set(it, "command", task->command);
		tmpl_set_bool(it, "interactive", task->interactive);
		tmpl_setf(it, "target", "%s-%s", app->alias, task->name);
		tmpl_setf(it, "task_help", "run task %s in a web pod%s",
		    task->name, task->interactive ? " (interactive)" : "");
		if (strcmp(task->name, "migrate") == 0)
			migrate = task->command;
	}
	tmpl_set_bool(v, "has_migrate", *migrate != '\0');
	tmpl_setf(v, "migrate_job", "%s-migrate", app->name);
	tmpl_set(v, "migrate_command", migrate);
}

static void
add_smoke(struct tmpl_vars *v, const struct model_app *app,
    const char *path, int status, const char *content_type)
{
	struct tmpl_vars *it;

	it = tmpl_add_item(v, "smokes");
	tmpl_set(it, "path", path);
	tmpl_setf(it, "status", "%d", status);
	tmpl_set(it, "content_type", content_type != NULL ? content_type : "");
	tmpl_setf(it, "url", "https://%s%s", app->hosts[0].name, path);
}

/*
 * Smoke checks run against the first host over HTTPS; without any
 * declared, the health probe's path must answer 200.
 */
static void
set_smokes(struct tmpl_vars *v, const struct model_app *app)
{
	const struct model_smoke *s;
	size_t i;

	tmpl_set_list(v, "smokes");
	if (app->nhosts == 0)
		return;
	for (i = 0; i < app->nsmokes; i++) {
		s = &app->smokes[i];
		add_smoke(v, app, s->path, s->status, s->content_type);
	}
	if (app->nsmokes == 0 && *emit_health_path(app) != '\0')
		add_smoke(v, app, emit_health_path(app), 200, NULL);
}

static void
set_recipients(struct tmpl_vars *v, const struct model_app *app)
{
	struct tmpl_vars *it;
	size_t i;

	tmpl_set_list(v, "recipients");
	for (i = 0; i < app->nrecipients; i++) {
		it = tmpl_add_item(v, "recipients");
		tmpl_set(it, "recipient", app->recipients[i]);
	}
}

/* Where each artifact of the app goes in the tree. */
static void
set_paths(struct tmpl_vars *v, const struct model_app *app)
{
	const char *n = app->name;

	tmpl_setf(v, "chart_dir", "releases/%s", n);
	tmpl_setf(v, "chart_values", "releases/%s/values.yaml", n);
	tmpl_setf(v, "values_file", "helm/%s-values.sops.yaml", n);
	tmpl_setf(v, "ns_manifest", "manifests/%s-namespace.yaml", n);
	tmpl_setf(v, "ingress_manifest", "manifests/%s-ingress.yaml", n);
	tmpl_setf(v, "mk_file", "mk/%s.mk", n);
	tmpl_setf(v, "runbook", "docs/%s.md", n);
	tmpl_setf(v, "dockerfile", "app/%s/Dockerfile", n);
	tmpl_setf(v, "dockerignore", "app/%s/.dockerignore", n);
	tmpl_set(v, "sops_config", ".sops.yaml");
	if (app->database == NULL)
		return;
	tmpl_setf(v, "db_file", "platform/%s/%s-database.yaml",
	    app->database->cluster, n);
	tmpl_setf(v, "db_patch_file", "platform/%s/%s-role-patch.yaml",
	    app->database->cluster, n);
}

struct tmpl_vars *
emit_app_vars(const struct model_app *app)
{
	if (app == shared_app)
		return tmpl_vars_new(shared_vars);
	return app_vars(app);
}

static struct tmpl_vars *
app_vars(const struct model_app *app)
{
	struct tmpl_vars *v;

	v = tmpl_vars_new(NULL);
	set_source(v, app->source_file);
	tmpl_set(v, "app", app->name);
	tmpl_set(v, "namespace", app->namespace);
	tmpl_set(v, "alias", app->alias);
	set_mkprefix(v, app->alias);
	set_image(v, &app->image);
	set_django(v, app);
	tmpl_setf(v, "port", "%d", app->port);
	tmpl_setf(v, "replicas", "%d", app->replicas);
	tmpl_set_bool(v, "multi", app->replicas > 1);
	set_resources(v, &app->resources);
	set_probes(v, app);
	set_env(v, app);
	set_secrets(v, app);
	set_database(v, app);
	set_hosts(v, app);
	set_volumes(v, app);
	set_tasks(v, app);
	set_smokes(v, app);
	set_recipients(v, app);
	set_paths(v, app);
	return v;
}
