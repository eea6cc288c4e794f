/* check_blocks.c: host, volume and build django blocks; tasks, smokes. */
#include <string.h>

#include "check_int.h"
#include "value.h"

#define HOST_MAX	253	/* DNS-1123 subdomain */
#define TASK_MAX	40	/* a Makefile target suffix */

/*
 * Where the usual controllers run: k3s installs Traefik into
 * kube-system, the ingress-nginx chart into ingress-nginx.  NULL for any
 * other class, which must say where it runs.
 */
static const char *
known_ingress_namespace(const char *ingress_class)
{
	if (strcmp(ingress_class, "traefik") == 0)
		return "kube-system";
	if (strcmp(ingress_class, "nginx") == 0)
		return "ingress-nginx";
	return NULL;
}

void
check_key_host(struct checker *c, const struct ast_stmt *s)
{
	struct model_app *app = c->app;
	const struct ast_value *v = s->args[0];
	struct model_host *h;
	size_t i, n = app->nhosts;

	for (i = 0; i < n; i++) {
		if (strcmp(app->hosts[i].name, v->text) != 0)
			continue;
		diag_error(c->diag, &v->pos, "duplicate host '%s'", v->text);
		diag_note(c->diag, &app->hosts[i].pos, "first declared here");
		return;
	}
	app->hosts = arena_grow(c->arena, app->hosts, &c->caps.hosts, n,
	    sizeof(*app->hosts));
	c->host_tls_pos = arena_grow(c->arena, c->host_tls_pos,
	    &c->caps.host_tls, n, sizeof(*c->host_tls_pos));
	h = &app->hosts[app->nhosts++];
	memset(h, 0, sizeof(*h));
	h->name = v->text;
	h->pos = v->pos;
	c->host_tls_pos[n] = v->pos;
	(void)check_name(c, v, "host name", NAME_HOST, HOST_MAX);

	c->host = h;
	check_block(c, &check_host, s->body);
	c->host = NULL;
	if (h->ingress_class == NULL)
		h->ingress_class = "traefik";
	if (h->ingress_namespace == NULL)
		h->ingress_namespace =
		    known_ingress_namespace(h->ingress_class);
	h->tls_secret = arena_printf(c->arena, "%s-tls", app->name);
	if (h->issuer == NULL) {
		diag_error(c->diag, &v->pos, "host '%s' has no TLS issuer",
		    v->text);
		diag_hint(c->diag, "add 'tls ISSUER' to the block, naming a "
		    "cert-manager ClusterIssuer such as letsencrypt-prod");
	}
}

/*
 * 'ingress CLASS [in NAMESPACE]': the namespace is where the controller's
 * pods run, which the NetworkPolicy lets in.
 */
void
check_key_ingress(struct checker *c, const struct ast_stmt *s)
{
	c->host->ingress_class = check_arg(s, 0);
	(void)check_name(c, s->args[0], "ingress class", NAME_SUBDOMAIN,
	    HOST_MAX);
	if (s->nargs == 1) {
		if (known_ingress_namespace(check_arg(s, 0)) != NULL)
			return;
		diag_error(c->diag, &s->args[0]->pos, "where does the ingress "
		    "controller of class '%s' run?", check_arg(s, 0));
		diag_hint(c->diag, "write 'ingress %s in NAMESPACE'; the "
		    "app's NetworkPolicy admits traffic from that namespace "
		    "only", check_arg(s, 0));
		c->host->ingress_namespace = check_arg(s, 0);
		return;
	}
	if (s->nargs != 3 || strcmp(check_arg(s, 1), "in") != 0) {
		if (strcmp(check_arg(s, 1), "in") == 0)
			diag_error(c->diag, &s->args[1]->pos, "expected a "
			    "namespace after 'in'");
		else
			diag_error(c->diag, &s->args[1]->pos, "expected 'in "
			    "NAMESPACE' after the ingress class, found '%s'",
			    check_arg(s, 1));
		check_usage(c, s);
		return;
	}
	c->host->ingress_namespace = check_arg(s, 2);
	(void)check_name(c, s->args[2], "ingress namespace", NAME_LABEL, 63);
}

void
check_key_tls(struct checker *c, const struct ast_stmt *s)
{
	c->host->issuer = check_arg(s, 0);
	c->host_tls_pos[c->app->nhosts - 1] = s->args[0]->pos;
	(void)check_name(c, s->args[0], "issuer", NAME_SUBDOMAIN, HOST_MAX);
}

void
check_key_volume(struct checker *c, const struct ast_stmt *s)
{
	struct model_app *app = c->app;
	const struct ast_value *v = s->args[0];
	struct model_volume *vol;
	size_t i, n = app->nvolumes;

	for (i = 0; i < n; i++) {
		if (strcmp(app->volumes[i].name, v->text) != 0)
			continue;
		diag_error(c->diag, &v->pos, "duplicate volume '%s'",
		    v->text);
		diag_note(c->diag, &c->vol_name_pos[i], "first declared here");
		return;
	}
	app->volumes = arena_grow(c->arena, app->volumes, &c->caps.volumes,
	    n, sizeof(*app->volumes));
	c->vol_pos = arena_grow(c->arena, c->vol_pos, &c->caps.vol_pos, n,
	    sizeof(*c->vol_pos));
	c->vol_name_pos = arena_grow(c->arena, c->vol_name_pos,
	    &c->caps.vol_name, n, sizeof(*c->vol_name_pos));
	vol = &app->volumes[app->nvolumes++];
	memset(vol, 0, sizeof(*vol));
	vol->name = v->text;
	vol->access = ACCESS_RWO;
	c->vol_pos[n] = v->pos;
	c->vol_name_pos[n] = v->pos;
	(void)check_name(c, v, "volume name", NAME_LABEL, 63);

	c->vol = vol;
	check_block(c, &check_volume, s->body);
	c->vol = NULL;
	if (vol->size.text == NULL)
		vol->size = (struct model_quantity){ "1Gi", 1LL << 30 };
	if (vol->mount == NULL) {
		diag_error(c->diag, &v->pos, "volume '%s' has no mount path",
		    v->text);
		diag_hint(c->diag, "add 'mount PATH' to the block, such as "
		    "'mount /app/media'");
		return;
	}
	/* Kubernetes refuses a pod with two volumes at one path. */
	for (i = 0; i < n; i++) {
		if (app->volumes[i].mount == NULL ||
		    strcmp(app->volumes[i].mount, vol->mount) != 0)
			continue;
		diag_error(c->diag, &v->pos, "volume '%s' mounts '%s', as "
		    "volume '%s' does", v->text, vol->mount,
		    app->volumes[i].name);
		diag_note(c->diag, &c->vol_name_pos[i], "volume '%s' declared "
		    "here", app->volumes[i].name);
		break;
	}
}

void
check_key_mount(struct checker *c, const struct ast_stmt *s)
{
	const char *why;

	c->vol->mount = check_arg(s, 0);
	if ((why = value_path(c->vol->mount, false)) != NULL)
		diag_error(c->diag, &s->args[0]->pos, "invalid mount path "
		    "'%s': %s", c->vol->mount, why);
}

void
check_key_size(struct checker *c, const struct ast_stmt *s)
{
	struct model_quantity *q = &c->vol->size;
	const char *why;

	q->text = check_arg(s, 0);
	if ((why = value_memory(q->text, &q->milli)) != NULL)
		diag_error(c->diag, &s->args[0]->pos, "invalid volume size "
		    "'%s': %s", q->text, why);
}

void
check_key_access(struct checker *c, const struct ast_stmt *s)
{
	static const char *const modes[] = { "rwo", "rwx", "rwop" };
	const char *m = check_arg(s, 0);
	size_t k;

	for (k = 0; k < 3 && strcmp(m, modes[k]) != 0; k++)
		;
	if (k == 3) {
		diag_error(c->diag, &s->args[0]->pos, "unknown access mode "
		    "'%s'", m);
		check_suggest(c, m, modes, 3);
		return;
	}
	c->vol->access = k == 0 ? ACCESS_RWO : k == 1 ? ACCESS_RWX :
	    ACCESS_RWOP;
	c->vol_pos[c->app->nvolumes - 1] = s->args[0]->pos;
}

void
check_key_class(struct checker *c, const struct ast_stmt *s)
{
	c->vol->storage_class = check_arg(s, 0);
	(void)check_name(c, s->args[0], "storage class", NAME_SUBDOMAIN,
	    HOST_MAX);
}

/* Targets the Makefile fragment has anyway, as ALIAS-NAME. */
static void
task_target_free(struct checker *c, const struct ast_value *v)
{
	static const char *const taken[] = { "image", "deploy", "render",
	    "status", "rollback", "logs", "smoke", "help" };
	size_t i;

	for (i = 0; i < sizeof(taken) / sizeof(*taken); i++) {
		if (strcmp(v->text, taken[i]) != 0)
			continue;
		diag_error(c->diag, &v->pos, "task name '%s' is taken by a "
		    "generated Makefile target", v->text);
		diag_hint(c->diag, "'%s-%s' already exists; name the task "
		    "otherwise", c->app->alias ? c->app->alias : c->app->name,
		    v->text);
		return;
	}
}

static bool
task_interactive(struct checker *c, const struct ast_stmt *s)
{
	static const char *const opts[] = { "interactive" };

	if (s->nargs < 2)
		return strcmp(check_arg(s, 0), "createsuperuser") == 0;
	if (strcmp(check_arg(s, 1), "interactive") == 0)
		return true;
	diag_error(c->diag, &s->args[1]->pos, "unknown task option '%s'",
	    check_arg(s, 1));
	check_suggest(c, check_arg(s, 1), opts, 1);
	return false;
}

void
check_key_task(struct checker *c, const struct ast_stmt *s)
{
	struct model_app *app = c->app;
	const struct ast_value *v = s->args[0];
	struct model_task *t;
	size_t i, n = app->ntasks;

	for (i = 0; i < n; i++) {
		if (strcmp(app->tasks[i].name, v->text) != 0)
			continue;
		diag_error(c->diag, &v->pos, "duplicate task '%s'", v->text);
		diag_note(c->diag, &c->task_pos[i], "first defined here");
		return;
	}
	app->tasks = arena_grow(c->arena, app->tasks, &c->caps.tasks, n,
	    sizeof(*app->tasks));
	c->task_pos = arena_grow(c->arena, c->task_pos, &c->caps.task_pos, n,
	    sizeof(*c->task_pos));
	t = &app->tasks[app->ntasks++];
	t->name = v->text;
	t->command = s->value->text;
	c->task_pos[n] = v->pos;
	if (check_name(c, v, "task name", NAME_LABEL1035, TASK_MAX))
		task_target_free(c, v);
	t->interactive = task_interactive(c, s);
	if (s->value->kind == AST_CALL)
		diag_error(c->diag, &s->value->pos, "task command '%s(...)' "
		    "is not a string", s->value->text);
	else if (s->value->text[0] == '\0')
		diag_error(c->diag, &s->value->pos, "task '%s' has an empty "
		    "command", v->text);
}

/* "type/subtype", each an RFC 6838 name. */
static bool
media_type(const char *s)
{
	const char *slash = strchr(s, '/');
	const char *p;

	if (slash == NULL || slash == s || slash[1] == '\0')
		return false;
	for (p = s; *p != '\0'; p++)
		if (p != slash && strchr("abcdefghijklmnopqrstuvwxyz"
		    "0123456789!#$&^_.+-", *p) == NULL)
			return false;
	return true;
}

static void
smoke_options(struct checker *c, const struct ast_stmt *s,
    struct model_smoke *sm)
{
	static const char *const opts[] = { "status", "type" };
	const struct ast_value *o, *v;
	size_t i;

	for (i = 1; i < s->nargs; i += 2) {
		o = s->args[i];
		if (strcmp(o->text, "status") != 0 &&
		    strcmp(o->text, "type") != 0) {
			diag_error(c->diag, &o->pos, "unknown smoke option "
			    "'%s'", o->text);
			check_suggest(c, o->text, opts, 2);
			continue;
		}
		if (i + 1 == s->nargs) {
			diag_error(c->diag, &o->pos, "'%s' needs a value",
			    o->text);
			check_usage(c, s);
			break;
		}
		v = s->args[i + 1];
		if (o->text[0] == 's')
			(void)check_int(c, v, "HTTP status", 100, 599,
			    &sm->status);
		else if (media_type(v->text))
			sm->content_type = v->text;
		else {
			diag_error(c->diag, &v->pos, "invalid media type "
			    "'%s'", v->text);
			diag_hint(c->diag, "write TYPE/SUBTYPE, such as "
			    "text/css");
		}
	}
}

void
check_key_smoke(struct checker *c, const struct ast_stmt *s)
{
	struct model_app *app = c->app;
	const struct ast_value *v = s->args[0];
	struct model_smoke *sm;
	const char *why;
	size_t n = app->nsmokes;

	app->smokes = arena_grow(c->arena, app->smokes, &c->caps.smokes, n,
	    sizeof(*app->smokes));
	c->smoke_pos = arena_grow(c->arena, c->smoke_pos, &c->caps.smoke_pos,
	    n, sizeof(*c->smoke_pos));
	sm = &app->smokes[app->nsmokes++];
	memset(sm, 0, sizeof(*sm));
	sm->path = v->text;
	sm->status = 200;
	c->smoke_pos[n] = v->pos;
	if ((why = value_http_path(v->text)) != NULL)
		diag_error(c->diag, &v->pos, "invalid smoke path '%s': %s",
		    v->text, why);
	smoke_options(c, s, sm);
}

/* Dotted Python names: settings modules, "module:callable". */
static bool
python_dotted(const char *s, size_t n)
{
	size_t i;
	bool start = true;

	for (i = 0; i < n; i++) {
		if (s[i] == '.' && !start) {
			start = true;
			continue;
		}
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (!start && s[i] >= '0' && s[i] <= '9')))
			return false;
		start = false;
	}
	return n > 0 && !start;
}

/* A path inside the repository: relative, no "..", no empty part. */
static const char *
relative_path(const char *p)
{
	char buf[4096];

	if (p[0] == '/')
		return "must be relative";
	if (strlen(p) + 2 > sizeof(buf))
		return "is too long";
	buf[0] = '/';
	strcpy(buf + 1, p);
	return value_path(buf, false);
}

void
check_key_source(struct checker *c, const struct ast_stmt *s)
{
	const char *p = check_arg(s, 0);

	c->app->django.source = p;
	if (p[0] == '/') {
		diag_error(c->diag, &s->args[0]->pos, "source path '%s' must "
		    "be relative", p);
		diag_hint(c->diag, "an absolute path would tie the output to "
		    "one machine");
	}
}

void
check_key_python(struct checker *c, const struct ast_stmt *s)
{
	const struct ast_value *v = s->args[0];
	int major, minor;

	c->app->django.python = v->text;
	if (value_version(v->text, &major, &minor) != NULL) {
		diag_error(c->diag, &v->pos, "invalid python version '%s'",
		    v->text);
		diag_hint(c->diag, "write MAJOR.MINOR, such as 'python 3.12'");
	} else if (major != 3 || minor < 10) {
		diag_error(c->diag, &v->pos, "python %s is not supported",
		    v->text);
		diag_hint(c->diag, "Django 5.2 and 6 need Python 3.10 or "
		    "newer");
	}
}

void
check_key_node(struct checker *c, const struct ast_stmt *s)
{
	int major;

	c->app->django.node = check_arg(s, 0);
	(void)check_int(c, s->args[0], "node version", 18, 99, &major);
}

void
check_key_wsgi(struct checker *c, const struct ast_stmt *s)
{
	const char *w = check_arg(s, 0), *colon = strchr(w, ':');

	c->app->django.wsgi = w;
	if (colon == NULL || !python_dotted(w, (size_t)(colon - w)) ||
	    !python_dotted(colon + 1, strlen(colon + 1))) {
		diag_error(c->diag, &s->args[0]->pos, "invalid WSGI "
		    "application '%s'", w);
		diag_hint(c->diag, "write MODULE:CALLABLE, such as "
		    "'mysite.wsgi:application'");
	}
}

void
check_key_settings(struct checker *c, const struct ast_stmt *s)
{
	const char *m = check_arg(s, 0);

	c->app->django.settings = m;
	if (!python_dotted(m, strlen(m))) {
		diag_error(c->diag, &s->args[0]->pos, "invalid settings "
		    "module '%s'", m);
		diag_hint(c->diag, "write a dotted Python module name, such "
		    "as 'mysite.settings.prod'");
	} else if (c->app->django.wsgi == NULL)
		c->app->django.wsgi = arena_printf(c->arena,
		    "%.*s.wsgi:application", (int)strcspn(m, "."), m);
}

void
check_key_assets(struct checker *c, const struct ast_stmt *s)
{
	const char *why;

	c->app->django.assets = check_arg(s, 0);
	if ((why = relative_path(check_arg(s, 0))) != NULL)
		diag_error(c->diag, &s->args[0]->pos, "invalid assets path "
		    "'%s': %s", check_arg(s, 0), why);
}

void
check_key_static_root(struct checker *c, const struct ast_stmt *s)
{
	const char *why;

	c->app->django.static_root = check_arg(s, 0);
	if ((why = value_path(check_arg(s, 0), false)) != NULL)
		diag_error(c->diag, &s->args[0]->pos, "invalid static root "
		    "'%s': %s", check_arg(s, 0), why);
}

void
check_key_workers(struct checker *c, const struct ast_stmt *s)
{
	(void)check_int(c, s->args[0], "workers", 1, 64,
	    &c->app->django.workers);
}

void
check_key_threads(struct checker *c, const struct ast_stmt *s)
{
	(void)check_int(c, s->args[0], "threads", 1, 64,
	    &c->app->django.threads);
}

void
check_key_timeout(struct checker *c, const struct ast_stmt *s)
{
	const struct ast_value *v = s->args[0];
	const char *why;
	int n;

	if ((why = value_duration(v->text, &n)) != NULL)
		diag_error(c->diag, &v->pos, "invalid timeout '%s': %s",
		    v->text, why);
	else if (n < 1 || n > 3600)
		diag_error(c->diag, &v->pos, "timeout %s is out of range "
		    "(1s to 1h)", v->text);
	else
		c->app->django.timeout_s = n;
}

void
check_key_uid(struct checker *c, const struct ast_stmt *s)
{
	if (strcmp(check_arg(s, 0), "0") == 0) {
		diag_error(c->diag, &s->args[0]->pos, "uid 0 is root");
		diag_hint(c->diag, "pods run as a non-root user under the "
		    "restricted Pod Security Standard");
		return;
	}
	(void)check_int(c, s->args[0], "uid", 1, 2147483647,
	    &c->app->django.uid);
}
