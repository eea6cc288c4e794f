/* dump.c: writes the model as JSON with a fixed key order. */
#include <stdbool.h>
#include <string.h>

#include "dump.h"

#define JSON_DEPTH	16	/* the model nests 5 deep */

/* A JSON writer that places commas, newlines and indentation. */
struct json {
	struct buf	*out;
	int		 depth;
	bool		 first[JSON_DEPTH];
};

static void
indent(struct json *j)
{
	int i;

	for (i = 0; i < j->depth; i++)
		buf_adds(j->out, "  ");
}

/* Starts a member (key not NULL) or an array element. */
static void
item(struct json *j, const char *key)
{
	if (j->depth > 0) {
		buf_adds(j->out, j->first[j->depth] ? "\n" : ",\n");
		j->first[j->depth] = false;
		indent(j);
	}
	if (key != NULL)
		buf_printf(j->out, "\"%s\": ", key);
}

static void
begin(struct json *j, const char *key, char c)
{
	item(j, key);
	buf_addc(j->out, c);
	j->depth++;
	j->first[j->depth] = true;
}

static void
end(struct json *j, char c)
{
	bool empty = j->first[j->depth];

	j->depth--;
	if (!empty) {
		buf_addc(j->out, '\n');
		indent(j);
	}
	buf_addc(j->out, c);
}

static void
str(struct json *j, const char *key, const char *s)
{
	const unsigned char *p;

	item(j, key);
	if (s == NULL) {
		buf_adds(j->out, "null");
		return;
	}
	buf_addc(j->out, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(j->out, "\\%c", *p);
		else if (*p == '\n')
			buf_adds(j->out, "\\n");
		else if (*p == '\t')
			buf_adds(j->out, "\\t");
		else if (*p < 0x20 || *p == 0x7F)
			buf_printf(j->out, "\\u%04x", *p);
		else
			buf_addc(j->out, (char)*p);
	}
	buf_addc(j->out, '"');
}

static void
num(struct json *j, const char *key, long long n)
{
	item(j, key);
	buf_printf(j->out, "%lld", n);
}

static void
boolean(struct json *j, const char *key, bool b)
{
	item(j, key);
	buf_adds(j->out, b ? "true" : "false");
}

static void
null(struct json *j, const char *key)
{
	item(j, key);
	buf_adds(j->out, "null");
}

static void
pos(struct json *j, const char *key, const struct model_pos *p)
{
	begin(j, key, '{');
	str(j, "file", p->file);
	num(j, "line", p->line);
	num(j, "col", p->col);
	num(j, "len", p->len);
	end(j, '}');
}

static void
image(struct json *j, const struct model_image *im)
{
	begin(j, "image", '{');
	str(j, "ref", im->ref);
	str(j, "registry", im->registry);
	str(j, "repository", im->repository);
	str(j, "name", im->name);
	str(j, "tag", im->tag);
	str(j, "digest", im->digest);
	end(j, '}');
}

static void
django(struct json *j, const struct model_app *a)
{
	const struct model_django *d = &a->django;

	if (a->build != BUILD_DJANGO) {
		null(j, "django");
		return;
	}
	begin(j, "django", '{');
	str(j, "source", d->source);
	str(j, "python", d->python);
	str(j, "node", d->node);
	str(j, "wsgi", d->wsgi);
	str(j, "settings", d->settings);
	str(j, "assets", d->assets);
	str(j, "static_root", d->static_root);
	num(j, "workers", d->workers);
	num(j, "threads", d->threads);
	num(j, "timeout_s", d->timeout_s);
	num(j, "uid", d->uid);
	end(j, '}');
}

static void
quantity(struct json *j, const char *key, const struct model_quantity *q)
{
	begin(j, key, '{');
	str(j, "text", q->text);
	num(j, "milli", q->milli);
	end(j, '}');
}

static void
resources(struct json *j, const struct model_resources *r)
{
	begin(j, "resources", '{');
	quantity(j, "cpu_request", &r->cpu_request);
	quantity(j, "cpu_limit", &r->cpu_limit);
	quantity(j, "mem_request", &r->mem_request);
	quantity(j, "mem_limit", &r->mem_limit);
	end(j, '}');
}

static void
probes(struct json *j, const struct model_probe *p)
{
	static const char *const names[PROBE__COUNT] = {
		"startup", "readiness", "liveness"
	};
	int k;

	begin(j, "probes", '{');
	for (k = 0; k < PROBE__COUNT; k++) {
		begin(j, names[k], '{');
		boolean(j, "enabled", p[k].enabled);
		str(j, "path", p[k].path);
		num(j, "period_s", p[k].period_s);
		num(j, "timeout_s", p[k].timeout_s);
		num(j, "failure_threshold", p[k].failure_threshold);
		num(j, "initial_delay_s", p[k].initial_delay_s);
		end(j, '}');
	}
	end(j, '}');
}

static void
env(struct json *j, const struct model_app *a)
{
	size_t i;

	begin(j, "env", '[');
	for (i = 0; i < a->nenv; i++) {
		begin(j, NULL, '{');
		str(j, "name", a->env[i].name);
		str(j, "value", a->env[i].value);
		end(j, '}');
	}
	end(j, ']');
}

static void
secrets(struct json *j, const struct model_app *a)
{
	const struct model_secret *s;
	size_t i;

	begin(j, "secrets", '[');
	for (i = 0; i < a->nsecrets; i++) {
		s = &a->secrets[i];
		begin(j, NULL, '{');
		str(j, "name", s->name);
		str(j, "source", s->source == SECRET_RANDOM ? "random" :
		    "supplied");
		num(j, "length", s->length);
		str(j, "from", s->from);
		pos(j, "pos", &s->pos);
		end(j, '}');
	}
	end(j, ']');
}

static void
database(struct json *j, const struct model_database *d)
{
	if (d == NULL) {
		null(j, "database");
		return;
	}
	begin(j, "database", '{');
	str(j, "engine", d->engine);
	num(j, "version", d->version);
	str(j, "name", d->name);
	str(j, "cluster", d->cluster);
	str(j, "cluster_namespace", d->cluster_namespace);
	str(j, "role", d->role);
	str(j, "url_env", d->url_env);
	num(j, "operator_major", d->operator_major);
	num(j, "operator_minor", d->operator_minor);
	boolean(j, "database_role", d->database_role);
	num(j, "connection_limit", d->connection_limit);
	str(j, "resource_name", d->resource_name);
	str(j, "password_secret", d->password_secret);
	str(j, "service_host", d->service_host);
	num(j, "service_port", d->service_port);
	pos(j, "pos", &d->pos);
	pos(j, "role_pos", &d->role_pos);
	pos(j, "cluster_pos", &d->cluster_pos);
	end(j, '}');
}

static void
hosts(struct json *j, const struct model_app *a)
{
	const struct model_host *h;
	size_t i;

	begin(j, "hosts", '[');
	for (i = 0; i < a->nhosts; i++) {
		h = &a->hosts[i];
		begin(j, NULL, '{');
		str(j, "name", h->name);
		str(j, "ingress_class", h->ingress_class);
		str(j, "ingress_namespace", h->ingress_namespace);
		str(j, "issuer", h->issuer);
		str(j, "tls_secret", h->tls_secret);
		pos(j, "pos", &h->pos);
		end(j, '}');
	}
	end(j, ']');
}

static void
volumes(struct json *j, const struct model_app *a)
{
	static const char *const access[] = { "rwo", "rwx", "rwop" };
	const struct model_volume *v;
	size_t i;

	begin(j, "volumes", '[');
	for (i = 0; i < a->nvolumes; i++) {
		v = &a->volumes[i];
		begin(j, NULL, '{');
		str(j, "name", v->name);
		str(j, "mount", v->mount);
		quantity(j, "size", &v->size);
		str(j, "access", access[v->access]);
		str(j, "storage_class", v->storage_class);
		end(j, '}');
	}
	end(j, ']');
}

static void
tasks_smokes(struct json *j, const struct model_app *a)
{
	size_t i;

	begin(j, "tasks", '[');
	for (i = 0; i < a->ntasks; i++) {
		begin(j, NULL, '{');
		str(j, "name", a->tasks[i].name);
		str(j, "command", a->tasks[i].command);
		boolean(j, "interactive", a->tasks[i].interactive);
		end(j, '}');
	}
	end(j, ']');
	begin(j, "smokes", '[');
	for (i = 0; i < a->nsmokes; i++) {
		begin(j, NULL, '{');
		str(j, "path", a->smokes[i].path);
		num(j, "status", a->smokes[i].status);
		str(j, "content_type", a->smokes[i].content_type);
		end(j, '}');
	}
	end(j, ']');
}

static void
app(struct json *j, const struct model_app *a)
{
	size_t i;

	begin(j, NULL, '{');
	str(j, "name", a->name);
	str(j, "namespace", a->namespace);
	str(j, "alias", a->alias);
	str(j, "source_file", a->source_file);
	pos(j, "pos", &a->pos);
	pos(j, "namespace_pos", &a->namespace_pos);
	pos(j, "alias_pos", &a->alias_pos);
	image(j, &a->image);
	str(j, "build", a->build == BUILD_DJANGO ? "django" : "image");
	django(j, a);
	num(j, "port", a->port);
	num(j, "replicas", a->replicas);
	resources(j, &a->resources);
	probes(j, a->probes);
	env(j, a);
	secrets(j, a);
	database(j, a->database);
	hosts(j, a);
	volumes(j, a);
	tasks_smokes(j, a);
	begin(j, "recipients", '[');
	for (i = 0; i < a->nrecipients; i++)
		str(j, NULL, a->recipients[i]);
	end(j, ']');
	end(j, '}');
}

void
dump_model_json(const struct model *m, struct buf *out)
{
	struct json j;
	const struct model_reserve *r;
	size_t i;

	memset(&j, 0, sizeof(j));
	j.out = out;
	begin(&j, NULL, '{');
	begin(&j, "apps", '[');
	for (i = 0; i < m->napps; i++)
		app(&j, &m->apps[i]);
	end(&j, ']');
	begin(&j, "reserves", '[');
	for (i = 0; i < m->nreserves; i++) {
		r = &m->reserves[i];
		begin(&j, NULL, '{');
		str(&j, "kind", r->kind == RESERVE_HOST ? "host" :
		    "namespace");
		str(&j, "name", r->name);
		str(&j, "owner", r->owner);
		pos(&j, "pos", &r->pos);
		end(&j, '}');
	}
	end(&j, ']');
	end(&j, '}');
	buf_addc(out, '\n');
}
