/* check_app.c: the app block: its simple keys, probes, and its defaults. */
#include <string.h>

#include "check_int.h"
#include "value.h"

/* Limits from Kubernetes and Helm; DESIGN.md asks for each. */
#define RELEASE_MAX	53	/* Helm release name */
#define NAMESPACE_MAX	63	/* DNS-1123 label */
#define ALIAS_MAX	40	/* leaves room for "-createsuperuser" */

static void
app_reset(struct checker *c, struct model_app *app)
{
	memset(app, 0, sizeof(*app));
	memset(&c->caps, 0, sizeof(c->caps));
	c->app = app;
	c->env_raw = NULL;
	c->env_pos = NULL;
	c->replicas = NULL;
	c->vol_pos = NULL;
	c->vol_name_pos = NULL;
	c->smoke_pos = NULL;
	c->host_tls_pos = NULL;
	c->task_pos = NULL;
	c->rcpt_pos = NULL;
	c->names = NULL;
	c->name_pos = NULL;
	c->nnames = 0;
	c->namespace_ok = true;
	memset(c->probe_seen, 0, sizeof(c->probe_seen));
}

static void
app_defaults_django(struct model_django *d)
{
	if (d->source == NULL)
		d->source = ".";
	if (d->python == NULL)
		d->python = "3.12";
	if (d->node == NULL)
		d->node = "22";
	if (d->assets == NULL)
		d->assets = "static/dist";
	if (d->static_root == NULL)
		d->static_root = "/app/staticfiles";
	if (d->workers == 0)
		d->workers = 2;
	if (d->threads == 0)
		d->threads = 4;
	if (d->timeout_s == 0)
		d->timeout_s = 30;
	if (d->uid == 0)
		d->uid = 10001;
}

static void
quantity_default(struct model_quantity *q, const char *text, long long v)
{
	if (q->text != NULL)
		return;
	q->text = text;
	q->milli = v;
}

static void
app_defaults(struct checker *c)
{
	struct model_app *app = c->app;
	struct model_resources *r = &app->resources;

	if (app->namespace == NULL) {
		app->namespace = app->name;
		app->namespace_pos = app->pos;
	}
	if (app->alias == NULL) {
		app->alias = app->name;
		app->alias_pos = app->pos;
	}
	if (app->port == 0)
		app->port = 8000;
	if (app->replicas == 0)
		app->replicas = 1;
	quantity_default(&r->cpu_request, "100m", 100);
	quantity_default(&r->cpu_limit, "500m", 500);
	quantity_default(&r->mem_request, "256Mi", 256LL << 20);
	quantity_default(&r->mem_limit, "512Mi", 512LL << 20);
	if (app->build == BUILD_DJANGO)
		app_defaults_django(&app->django);
}

/* A ReadWriteOnce volume attaches to one node: one replica only. */
static void
check_replicas_volumes(struct checker *c)
{
	struct model_app *app = c->app;
	size_t i;

	if (app->replicas <= 1)
		return;
	for (i = 0; i < app->nvolumes; i++) {
		if (app->volumes[i].access == ACCESS_RWX)
			continue;
		diag_error(c->diag, &c->vol_pos[i], "volume '%s' is %s, but "
		    "the app runs %d replicas", app->volumes[i].name,
		    app->volumes[i].access == ACCESS_RWO ? "ReadWriteOnce" :
		    "ReadWriteOncePod", app->replicas);
		diag_note(c->diag, &c->replicas->args[0]->pos,
		    "replicas set here");
		diag_hint(c->diag, "use 'access rwx' on storage that offers "
		    "it, or 'replicas 1'");
	}
}

/* One Ingress serves every host of an app, with one class and issuer. */
static void
check_hosts_agree(struct checker *c)
{
	struct model_app *app = c->app;
	struct model_host *h, *first = &app->hosts[0];
	size_t i;

	for (i = 1; i < app->nhosts; i++) {
		h = &app->hosts[i];
		if (h->issuer == NULL || first->issuer == NULL)
			continue;
		if (strcmp(h->issuer, first->issuer) != 0) {
			diag_error(c->diag, &c->host_tls_pos[i], "host '%s' "
			    "uses issuer '%s', but host '%s' uses '%s'",
			    h->name, h->issuer, first->name, first->issuer);
			diag_note(c->diag, &c->host_tls_pos[0],
			    "issuer of '%s' set here", first->name);
			diag_hint(c->diag, "the hosts of one app share one "
			    "Ingress, which names one issuer");
		}
		if (strcmp(h->ingress_class, first->ingress_class) != 0) {
			diag_error(c->diag, &h->pos, "host '%s' uses ingress "
			    "class '%s', but host '%s' uses '%s'", h->name,
			    h->ingress_class, first->name,
			    first->ingress_class);
			diag_hint(c->diag, "the hosts of one app share one "
			    "Ingress, which has one class");
		}
	}
}

/*
 * Namespaces are dedicated to one app; the rule applies to a namespace
 * that defaults to the app name too.
 */
static void
check_namespace_dedicated(struct checker *c)
{
	const struct model_app *app = c->app;
	const char *ns = app->namespace;

	if (strcmp(ns, "default") == 0)
		diag_error(c->diag, &app->namespace_pos, "namespace 'default' "
		    "is refused");
	else if (strncmp(ns, "kube-", 5) == 0)
		diag_error(c->diag, &app->namespace_pos, "namespace '%s' "
		    "belongs to Kubernetes", ns);
	else
		return;
	if (app->namespace_pos.col == app->pos.col &&
	    app->namespace_pos.line == app->pos.line)
		diag_hint(c->diag, "the namespace defaults to the app name; "
		    "name another with 'namespace NAME'");
	else
		diag_hint(c->diag, "give the app a namespace of its own, such "
		    "as '%s'", app->name);
}

/* The alias may default to an app name too long to prefix targets. */
static void
check_alias_default(struct checker *c)
{
	const struct model_app *app = c->app;

	if (app->alias != app->name || strlen(app->alias) <= ALIAS_MAX)
		return;
	diag_error(c->diag, &app->pos, "app name '%s' is too long to be the "
	    "alias; the limit is %d", app->name, ALIAS_MAX);
	diag_hint(c->diag, "name a shorter Makefile target prefix with "
	    "'alias NAME'");
}

static void
check_app_finish(struct checker *c)
{
	struct model_app *app = c->app;
	size_t i;

	if (app->image.ref == NULL) {
		diag_error(c->diag, &app->pos, "app '%s' has no image",
		    app->name);
		diag_hint(c->diag, "write 'image REGISTRY/REPOSITORY:TAG'");
	}
	app_defaults(c);
	if (c->namespace_ok)
		check_namespace_dedicated(c);
	check_alias_default(c);
	check_env_expand(c);
	if (app->nhosts == 0) {
		for (i = 0; i < app->nsmokes; i++) {
			diag_error(c->diag, &c->smoke_pos[i], "smoke check "
			    "'%s' needs a host", app->smokes[i].path);
			diag_hint(c->diag, "smoke checks request the first "
			    "host; declare one with 'host NAME { tls ISSUER "
			    "}'");
		}
	}
	check_replicas_volumes(c);
	if (app->nhosts > 1)
		check_hosts_agree(c);
	if ((app->nsecrets > 0 || app->database != NULL) &&
	    app->nrecipients == 0) {
		diag_error(c->diag, &app->pos, "app '%s' has secrets but no "
		    "age recipients", app->name);
		diag_hint(c->diag, "add 'recipients age1...' naming who may "
		    "decrypt them");
	}
}

void
check_key_app(struct checker *c, const struct ast_stmt *s)
{
	struct model *m = c->model;
	const struct ast_value *name = s->args[0];
	struct model_app *app;

	m->apps = arena_grow(c->arena, m->apps, &c->capps, m->napps,
	    sizeof(*m->apps));
	app = &m->apps[m->napps++];
	app_reset(c, app);
	app->name = name->text;
	app->pos = name->pos;
	app->source_file = name->pos.file;
	if (!check_name(c, name, "app name", NAME_LABEL1035, RELEASE_MAX)) {
		if (value_name(name->text, NAME_LABEL1035) != NULL)
			diag_hint(c->diag, "the app name is also its Helm "
			    "release and Service name (a DNS-1035 label)");
		else
			diag_hint(c->diag, "the app name is also its Helm "
			    "release name, which may have at most %d "
			    "characters", RELEASE_MAX);
	}
	check_block(c, &check_app, s->body);
	check_app_finish(c);
	c->app = NULL;
}

static void
reserve_owner(struct checker *c, const struct ast_stmt *s,
    struct model_reserve *r)
{
	static const char *const opts[] = { "owner" };

	if (s->nargs < 3)
		return;
	if (strcmp(check_arg(s, 2), "owner") != 0) {
		diag_error(c->diag, &s->args[2]->pos, "unknown option '%s'",
		    check_arg(s, 2));
		check_suggest(c, check_arg(s, 2), opts, 1);
	} else if (s->nargs == 3) {
		diag_error(c->diag, &s->args[2]->pos, "'owner' needs a value");
		check_usage(c, s);
	} else
		r->owner = check_arg(s, 3);
}

void
check_key_reserve(struct checker *c, const struct ast_stmt *s)
{
	static const char *const kinds[] = { "host", "namespace" };
	struct model *m = c->model;
	struct model_reserve *r;
	const char *kind = check_arg(s, 0);

	if (strcmp(kind, "host") != 0 && strcmp(kind, "namespace") != 0) {
		diag_error(c->diag, &s->args[0]->pos, "unknown reserve kind "
		    "'%s'", kind);
		check_suggest(c, kind, kinds, 2);
		return;
	}
	m->reserves = arena_grow(c->arena, m->reserves, &c->creserves,
	    m->nreserves, sizeof(*m->reserves));
	r = &m->reserves[m->nreserves++];
	memset(r, 0, sizeof(*r));
	r->kind = kind[0] == 'h' ? RESERVE_HOST : RESERVE_NAMESPACE;
	r->name = check_arg(s, 1);
	r->pos = s->args[1]->pos;
	if (r->kind == RESERVE_HOST)
		(void)check_name(c, s->args[1], "host name", NAME_HOST, 253);
	else
		(void)check_name(c, s->args[1], "namespace", NAME_LABEL,
		    NAMESPACE_MAX);
	reserve_owner(c, s, r);
}

void
check_key_namespace(struct checker *c, const struct ast_stmt *s)
{
	const struct ast_value *v = s->args[0];

	c->app->namespace = v->text;
	c->app->namespace_pos = v->pos;
	c->namespace_ok = check_name(c, v, "namespace", NAME_LABEL,
	    NAMESPACE_MAX);
}

void
check_key_alias(struct checker *c, const struct ast_stmt *s)
{
	c->app->alias = check_arg(s, 0);
	c->app->alias_pos = s->args[0]->pos;
	if (!check_name(c, s->args[0], "alias", NAME_LABEL1035, ALIAS_MAX))
		diag_hint(c->diag, "the alias prefixes Makefile targets, "
		    "such as '%s-deploy'", c->app->name);
}

static void
pin_hint(struct checker *c)
{
	diag_hint(c->diag, "pin it with a tag other than 'latest', such as "
	    "the commit (':3f9c2e1a7b4d'), or a digest ('@sha256:...')");
}

void
check_key_image(struct checker *c, const struct ast_stmt *s)
{
	const struct ast_value *v = s->args[0];
	struct model_pos p;
	const char *why;

	switch (value_image(c->arena, v->text, &c->app->image, &why)) {
	case IMAGE_OK:
		return;
	case IMAGE_INVALID:
		diag_error(c->diag, &v->pos, "invalid image reference '%s': %s",
		    v->text, why);
		break;
	case IMAGE_UNPINNED:
		diag_error(c->diag, &v->pos, "image '%s' is not pinned",
		    v->text);
		pin_hint(c);
		break;
	case IMAGE_LATEST:
		p = check_subpos(v, strlen(v->raw) - 6, 6);
		diag_error(c->diag, &p, "image '%s' uses the tag 'latest'",
		    v->text);
		pin_hint(c);
		break;
	}
	if (c->app->image.ref == NULL)
		c->app->image.ref = v->text;
}

void
check_key_build(struct checker *c, const struct ast_stmt *s)
{
	static const char *const kinds[] = { "django", "image" };
	const char *kind = check_arg(s, 0);

	if (strcmp(kind, "image") == 0) {
		c->app->build = BUILD_IMAGE;
		if (s->block) {
			diag_error(c->diag, &s->open_pos, "'build image' "
			    "takes no block");
			diag_hint(c->diag, "a prebuilt image needs no build "
			    "settings");
		}
		return;
	}
	if (strcmp(kind, "django") != 0) {
		diag_error(c->diag, &s->args[0]->pos, "unknown build kind "
		    "'%s'", kind);
		check_suggest(c, kind, kinds, 2);
		return;
	}
	c->app->build = BUILD_DJANGO;
	if (!s->block) {
		diag_error(c->diag, &s->args[0]->pos, "'build django' needs a "
		    "block");
		diag_hint(c->diag, "write 'build django { settings MODULE }'");
		return;
	}
	check_block(c, &check_django, s->body);
	if (c->app->django.settings == NULL) {
		diag_error(c->diag, &s->args[0]->pos, "'build django' names "
		    "no settings module");
		diag_hint(c->diag, "write 'settings MODULE' in the block, such "
		    "as 'settings mysite.settings.prod'");
	}
}

void
check_key_port(struct checker *c, const struct ast_stmt *s)
{
	int port;

	if (!check_int(c, s->args[0], "port", 1, 65535, &port))
		return;
	c->app->port = port;
	if (port < 1024) {
		diag_error(c->diag, &s->args[0]->pos, "port %d is privileged",
		    port);
		diag_hint(c->diag, "the container runs as a non-root user "
		    "without NET_BIND_SERVICE; use 1024 or above, such as "
		    "8000");
	}
}

void
check_key_replicas(struct checker *c, const struct ast_stmt *s)
{
	int n;

	c->replicas = s;
	if (check_int(c, s->args[0], "replicas", 1, 100, &n))
		c->app->replicas = n;
}

/*
 * "REQUEST..LIMIT", or one amount for both.  On error the quantity
 * stays unset; the checker has reported why.
 */
static void
resource(struct checker *c, const struct ast_stmt *s, bool cpu,
    struct model_quantity *req, struct model_quantity *lim)
{
	const struct ast_value *v = s->args[0];
	const char *text = v->raw, *dots, *why;
	struct model_quantity q[2];
	struct model_pos p;
	size_t off[2], len[2], i;
	bool ok = true;

	dots = strstr(text, "..");
	off[0] = 0;
	len[0] = dots ? (size_t)(dots - text) : strlen(text);
	off[1] = dots ? len[0] + 2 : 0;
	len[1] = strlen(text) - off[1];
	for (i = 0; i < 2; i++) {
		q[i].text = arena_strndup(c->arena, text + off[i], len[i]);
		why = cpu ? value_cpu(q[i].text, &q[i].milli) :
		    value_memory(q[i].text, &q[i].milli);
		if (why == NULL || (i == 1 && !dots))
			continue;
		p = check_subpos(v, off[i], len[i]);
		diag_error(c->diag, &p, "invalid %s %s '%s': %s",
		    cpu ? "cpu" : "memory", i == 0 ? "request" : "limit",
		    q[i].text, why);
		ok = false;
	}
	if (!ok)
		return;
	if (q[0].milli > q[1].milli) {
		diag_error(c->diag, &v->pos, "%s request %s is more than its "
		    "limit %s", cpu ? "cpu" : "memory", q[0].text, q[1].text);
		return;
	}
	*req = q[0];
	*lim = q[1];
}

void
check_key_cpu(struct checker *c, const struct ast_stmt *s)
{
	struct model_resources *r = &c->app->resources;

	resource(c, s, true, &r->cpu_request, &r->cpu_limit);
}

void
check_key_memory(struct checker *c, const struct ast_stmt *s)
{
	struct model_resources *r = &c->app->resources;

	resource(c, s, false, &r->mem_request, &r->mem_limit);
}

static const char *const probe_kinds[PROBE__COUNT] = {
	"startup", "readiness", "liveness"
};

static bool
probe_duration(struct checker *c, const struct ast_value *v,
    const char *what, int min, int *out)
{
	const char *why;
	int n;

	if ((why = value_duration(v->text, &n)) != NULL) {
		diag_error(c->diag, &v->pos, "invalid probe %s '%s': %s",
		    what, v->text, why);
		return false;
	}
	if (n < min || n > 3600) {
		diag_error(c->diag, &v->pos, "probe %s %s is out of range "
		    "(%ds to 1h)", what, v->text, min);
		return false;
	}
	*out = n;
	return true;
}

/* The options after the path: each a word and its value, once. */
static void
probe_options(struct checker *c, const struct ast_stmt *s,
    struct model_probe *p)
{
	static const char *const opts[] = { "every", "timeout", "fail",
	    "after" };
	const struct ast_value *seen[4] = { NULL }, *o, *v;
	size_t i, k;

	for (i = 3; i < s->nargs; i += 2) {
		o = s->args[i];
		for (k = 0; k < 4 && strcmp(o->text, opts[k]) != 0; k++)
			;
		if (k == 4) {
			diag_error(c->diag, &o->pos, "unknown probe option "
			    "'%s'", o->text);
			check_suggest(c, o->text, opts, 4);
			continue;
		}
		if (seen[k] != NULL) {
			diag_error(c->diag, &o->pos, "duplicate probe option "
			    "'%s'", o->text);
			diag_note(c->diag, &seen[k]->pos, "first set here");
			continue;
		}
		seen[k] = o;
		if (i + 1 == s->nargs) {
			diag_error(c->diag, &o->pos, "'%s' needs a value",
			    o->text);
			check_usage(c, s);
			continue;
		}
		v = s->args[i + 1];
		if (k == 0)
			(void)probe_duration(c, v, "period", 1, &p->period_s);
		else if (k == 1)
			(void)probe_duration(c, v, "timeout", 1,
			    &p->timeout_s);
		else if (k == 2)
			(void)check_int(c, v, "probe failure threshold", 1,
			    1000, &p->failure_threshold);
		else
			(void)probe_duration(c, v, "delay", 0,
			    &p->initial_delay_s);
	}
	if (seen[1] != NULL && p->timeout_s > p->period_s)
		diag_error(c->diag, &seen[1]->pos, "probe timeout %ds is "
		    "longer than its period %ds", p->timeout_s, p->period_s);
}

void
check_key_probe(struct checker *c, const struct ast_stmt *s)
{
	const struct ast_value *kind = s->args[0];
	struct model_probe *p;
	const char *why;
	size_t k;

	for (k = 0; k < PROBE__COUNT; k++)
		if (strcmp(kind->text, probe_kinds[k]) == 0)
			break;
	if (k == PROBE__COUNT) {
		diag_error(c->diag, &kind->pos, "unknown probe kind '%s'",
		    kind->text);
		check_suggest(c, kind->text, probe_kinds, PROBE__COUNT);
		return;
	}
	if (c->probe_seen[k]) {
		diag_error(c->diag, &kind->pos, "duplicate %s probe",
		    kind->text);
		diag_note(c->diag, &c->probe_pos[k], "first declared here");
		return;
	}
	c->probe_seen[k] = true;
	c->probe_pos[k] = kind->pos;
	if (strcmp(check_arg(s, 1), "http") != 0) {
		diag_error(c->diag, &s->args[1]->pos, "unsupported probe type "
		    "'%s'", check_arg(s, 1));
		diag_hint(c->diag, "probes are HTTP GET requests: 'probe %s "
		    "http /healthz'", kind->text);
		return;
	}
	p = &c->app->probes[k];
	*p = (struct model_probe){ true, check_arg(s, 2), 10, 1, 3, 0 };
	if ((why = value_http_path(p->path)) != NULL)
		diag_error(c->diag, &s->args[2]->pos, "invalid probe path "
		    "'%s': %s", p->path, why);
	probe_options(c, s, p);
}
