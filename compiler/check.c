/* check.c: the key tables of each block and the walk that applies them. */
#include <string.h>

#include "buf.h"
#include "check.h"
#include "check_int.h"
#include "value.h"

#define NKEYS(t)	(sizeof(t) / sizeof(*(t)))
#define MAX_KEYS	32	/* more than any table holds */

static const struct key top_keys[] = {
	{ "app", SHAPE_BLOCK, 1, 1, true, check_key_app,
	    "'app NAME { ... }'" },
	{ "reserve", SHAPE_LINE, 2, 4, true, check_key_reserve,
	    "'reserve host NAME [owner TEXT]' or "
	    "'reserve namespace NAME [owner TEXT]'" },
};

static const struct key app_keys[] = {
	{ "namespace", SHAPE_LINE, 1, 1, false, check_key_namespace,
	    "'namespace NAME'" },
	{ "alias", SHAPE_LINE, 1, 1, false, check_key_alias,
	    "'alias NAME'" },
	{ "image", SHAPE_LINE, 1, 1, false, check_key_image,
	    "'image REGISTRY/REPOSITORY:TAG' or 'image ...@sha256:DIGEST'" },
	{ "build", SHAPE_LINE | SHAPE_BLOCK, 1, 1, false, check_key_build,
	    "'build django { ... }' or 'build image'" },
	{ "port", SHAPE_LINE, 1, 1, false, check_key_port,
	    "'port NUMBER'" },
	{ "replicas", SHAPE_LINE, 1, 1, false, check_key_replicas,
	    "'replicas NUMBER'" },
	{ "cpu", SHAPE_LINE, 1, 1, false, check_key_cpu,
	    "'cpu REQUEST..LIMIT', such as 'cpu 100m..500m'" },
	{ "memory", SHAPE_LINE, 1, 1, false, check_key_memory,
	    "'memory REQUEST..LIMIT', such as 'memory 256Mi..512Mi'" },
	{ "probe", SHAPE_LINE, 3, 11, true, check_key_probe,
	    "'probe startup|readiness|liveness http PATH [every DURATION] "
	    "[timeout DURATION] [fail COUNT] [after DURATION]'" },
	{ "env", SHAPE_ASSIGN, 1, 1, true, check_key_env,
	    "'env NAME = \"VALUE\"'" },
	{ "secret", SHAPE_ASSIGN, 1, 1, true, check_key_secret,
	    "'secret NAME = random(LENGTH)' or "
	    "'secret NAME = env(VARIABLE)'" },
	{ "database", SHAPE_BLOCK, 1, 1, false, check_key_database,
	    "'database NAME { cluster CLUSTER in NAMESPACE ... }'" },
	{ "host", SHAPE_BLOCK, 1, 1, true, check_key_host,
	    "'host NAME { tls ISSUER }'" },
	{ "volume", SHAPE_BLOCK, 1, 1, true, check_key_volume,
	    "'volume NAME { mount PATH ... }'" },
	{ "task", SHAPE_ASSIGN, 1, 2, true, check_key_task,
	    "'task NAME [interactive] = \"COMMAND\"'" },
	{ "smoke", SHAPE_LINE, 1, 5, true, check_key_smoke,
	    "'smoke PATH [status CODE] [type MEDIA-TYPE]'" },
	{ "recipients", SHAPE_LINE, 1, -1, true, check_key_recipients,
	    "'recipients age1... [age1...]'" },
};

static const struct key django_keys[] = {
	{ "source", SHAPE_LINE, 1, 1, false, check_key_source,
	    "'source PATH'" },
	{ "python", SHAPE_LINE, 1, 1, false, check_key_python,
	    "'python VERSION', such as 'python 3.12'" },
	{ "node", SHAPE_LINE, 1, 1, false, check_key_node,
	    "'node VERSION', such as 'node 22'" },
	{ "wsgi", SHAPE_LINE, 1, 1, false, check_key_wsgi,
	    "'wsgi MODULE:CALLABLE'" },
	{ "settings", SHAPE_LINE, 1, 1, false, check_key_settings,
	    "'settings MODULE'" },
	{ "assets", SHAPE_LINE, 1, 1, false, check_key_assets,
	    "'assets PATH'" },
	{ "static-root", SHAPE_LINE, 1, 1, false, check_key_static_root,
	    "'static-root PATH'" },
	{ "workers", SHAPE_LINE, 1, 1, false, check_key_workers,
	    "'workers NUMBER'" },
	{ "threads", SHAPE_LINE, 1, 1, false, check_key_threads,
	    "'threads NUMBER'" },
	{ "timeout", SHAPE_LINE, 1, 1, false, check_key_timeout,
	    "'timeout DURATION'" },
	{ "uid", SHAPE_LINE, 1, 1, false, check_key_uid,
	    "'uid NUMBER'" },
};

static const struct key database_keys[] = {
	{ "engine", SHAPE_LINE, 1, 2, false, check_key_engine,
	    "'engine postgresql [VERSION]'" },
	{ "cluster", SHAPE_LINE, 3, 3, false, check_key_cluster,
	    "'cluster NAME in NAMESPACE'" },
	{ "role", SHAPE_LINE, 1, -1, true, check_key_role,
	    "'role NAME'" },
	{ "url", SHAPE_LINE, 1, 1, false, check_key_url,
	    "'url ENV-NAME'" },
	{ "operator", SHAPE_LINE, 1, 1, false, check_key_operator,
	    "'operator VERSION', such as 'operator 1.30'" },
	{ "connections", SHAPE_LINE, 1, 1, false, check_key_connections,
	    "'connections NUMBER'" },
};

static const struct key host_keys[] = {
	{ "ingress", SHAPE_LINE, 1, 3, false, check_key_ingress,
	    "'ingress CLASS [in NAMESPACE]'" },
	{ "tls", SHAPE_LINE, 1, 1, false, check_key_tls,
	    "'tls ISSUER'" },
};

static const struct key volume_keys[] = {
	{ "mount", SHAPE_LINE, 1, 1, false, check_key_mount,
	    "'mount PATH'" },
	{ "size", SHAPE_LINE, 1, 1, false, check_key_size,
	    "'size SIZE', such as 'size 1Gi'" },
	{ "access", SHAPE_LINE, 1, 1, false, check_key_access,
	    "'access rwo|rwx|rwop'" },
	{ "class", SHAPE_LINE, 1, 1, false, check_key_class,
	    "'class STORAGE-CLASS'" },
};

const struct context check_top = {
	"at the top level", top_keys, NKEYS(top_keys) };
const struct context check_app = {
	"in an app block", app_keys, NKEYS(app_keys) };
const struct context check_django = {
	"in a 'build django' block", django_keys, NKEYS(django_keys) };
const struct context check_database = {
	"in a database block", database_keys, NKEYS(database_keys) };
const struct context check_host = {
	"in a host block", host_keys, NKEYS(host_keys) };
const struct context check_volume = {
	"in a volume block", volume_keys, NKEYS(volume_keys) };

static const struct context *const contexts[] = {
	&check_top, &check_app, &check_django, &check_database, &check_host,
	&check_volume
};

static const struct key *
key_find(const struct context *ctx, const char *name)
{
	size_t i;

	for (i = 0; i < ctx->nkeys; i++)
		if (strcmp(ctx->keys[i].name, name) == 0)
			return &ctx->keys[i];
	return NULL;
}

/* A near miss in this block first; else the block the key belongs in. */
static void
unknown_key(struct checker *c, const struct context *ctx,
    const struct ast_stmt *s)
{
	const char *cands[MAX_KEYS];
	const char *name = s->key->text;
	size_t i;

	diag_error(c->diag, &s->key->pos, "unknown key '%s'", name);
	for (i = 0; i < ctx->nkeys; i++)
		cands[i] = ctx->keys[i].name;
	if (diag_suggest(name, cands, ctx->nkeys) != NULL) {
		check_suggest(c, name, cands, ctx->nkeys);
		return;
	}
	for (i = 0; i < NKEYS(contexts); i++) {
		if (contexts[i] != ctx && key_find(contexts[i], name)) {
			diag_hint(c->diag, "'%s' belongs %s", name,
			    contexts[i]->name);
			return;
		}
	}
}

static void
usage_error(struct checker *c, const struct key *k,
    const struct model_pos *pos, const char *fmt, const char *name)
{
	diag_error(c->diag, pos, fmt, name);
	diag_hint(c->diag, "write %s", k->usage);
}

static bool
shape_ok(struct checker *c, const struct key *k, const struct ast_stmt *s)
{
	struct model_pos pos = ast_stmt_pos(s), extra;
	const char *name = k->name;

	if (s->value != NULL && !(k->shape & SHAPE_ASSIGN))
		usage_error(c, k, &s->eq_pos, "'%s' takes no '='", name);
	else if (s->value == NULL && k->shape == SHAPE_ASSIGN)
		usage_error(c, k, &pos, "'%s' needs '= VALUE'", name);
	else if (s->block && !(k->shape & SHAPE_BLOCK))
		usage_error(c, k, &s->open_pos, "'%s' takes no block", name);
	else if (!s->block && k->shape == SHAPE_BLOCK)
		usage_error(c, k, &pos, "'%s' needs a block", name);
	else if ((int)s->nargs < k->min)
		usage_error(c, k, &pos, s->nargs == 0 ?
		    "'%s' needs a value" : "too few arguments for '%s'", name);
	else if (k->max >= 0 && (int)s->nargs > k->max) {
		extra = ast_pos_span(&s->args[k->max]->pos,
		    &s->args[s->nargs - 1]->pos);
		usage_error(c, k, &extra, "too many arguments for '%s'", name);
	} else
		return true;
	return false;
}

void
check_block(struct checker *c, const struct context *ctx,
    const struct ast_stmt *body)
{
	const struct ast_stmt *first[MAX_KEYS] = { NULL };
	const struct ast_stmt *s;
	const struct key *k;
	size_t i;

	for (s = body; s != NULL; s = s->next) {
		if ((k = key_find(ctx, s->key->text)) == NULL) {
			unknown_key(c, ctx, s);
			continue;
		}
		i = (size_t)(k - ctx->keys);
		if (!k->many && first[i] != NULL) {
			diag_error(c->diag, &s->key->pos, "duplicate key '%s'",
			    k->name);
			diag_note(c->diag, &first[i]->key->pos,
			    "first set here");
			continue;
		}
		if (first[i] == NULL)
			first[i] = s;
		if (shape_ok(c, k, s))
			k->fn(c, s);
	}
}

const char *
check_arg(const struct ast_stmt *s, size_t i)
{
	return s->args[i]->text;
}

void
check_usage(struct checker *c, const struct ast_stmt *s)
{
	size_t i, j;

	for (i = 0; i < NKEYS(contexts); i++)
		for (j = 0; j < contexts[i]->nkeys; j++)
			if (strcmp(contexts[i]->keys[j].name,
			    s->key->text) == 0) {
				diag_hint(c->diag, "write %s",
				    contexts[i]->keys[j].usage);
				return;
			}
}

/* A near miss, or else the short list of what would have been right. */
void
check_suggest(struct checker *c, const char *word, const char *const *cands,
    size_t n)
{
	struct buf b = BUF_INIT;
	const char *best;
	size_t i;

	if ((best = diag_suggest(word, cands, n)) != NULL) {
		diag_hint(c->diag, "did you mean '%s'?", best);
		return;
	}
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s'%s'", i == 0 ? "" : i + 1 == n ? " and " :
		    ", ", cands[i]);
	diag_hint(c->diag, n == 1 ? "the only choice is %s" :
	    "the choices are %s", b.data);
	buf_free(&b);
}

/* A name of kind (enum value_name) no longer than max (0: any). */
bool
check_name(struct checker *c, const struct ast_value *v, const char *what,
    int kind, size_t max)
{
	const char *why;
	size_t len = strlen(v->text);

	if ((why = value_name(v->text, (enum value_name)kind)) != NULL) {
		diag_error(c->diag, &v->pos, "invalid %s '%s': %s", what,
		    v->text, why);
		return false;
	}
	if (max > 0 && len > max) {
		diag_error(c->diag, &v->pos, "%s '%s' is %zu characters long; "
		    "the limit is %zu", what, v->text, len, max);
		return false;
	}
	return true;
}

bool
check_int(struct checker *c, const struct ast_value *v, const char *what,
    long long min, long long max, int *out)
{
	long long n;
	const char *why;

	if ((why = value_uint(v->text, max, &n)) != NULL &&
	    strcmp(why, "is too large") != 0) {
		diag_error(c->diag, &v->pos, "%s '%s' %s", what, v->text,
		    why);
		return false;
	}
	if (why != NULL || n < min) {
		diag_error(c->diag, &v->pos, "%s %s is out of range "
		    "(%lld to %lld)", what, v->text, min, max);
		return false;
	}
	*out = (int)n;
	return true;
}

/* The place of raw[off..off+n) of a value, for a caret inside a token. */
struct model_pos
check_subpos(const struct ast_value *v, size_t off, size_t n)
{
	struct model_pos p = v->pos;
	int start = p.col + (v->kind == AST_STRING);

	p.col = start + diag_width(v->raw, off, start);
	p.len = diag_width(v->raw + off, n, p.col);
	return p;
}

struct model *
check_fleet(struct arena *a, struct diag *d, struct ast_file *const *files,
    size_t nfiles)
{
	struct checker c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.arena = a;
	c.diag = d;
	c.model = arena_alloc(a, sizeof(*c.model));
	for (i = 0; i < nfiles; i++)
		check_block(&c, &check_top, files[i]->body);
	if (c.model->napps == 0 && nfiles > 0) {
		diag_error(d, &(struct model_pos){ files[0]->name, 0, 0, 0 },
		    "no app is declared");
		diag_hint(d, "declare one with 'app NAME { ... }'");
	}
	check_fleet_rules(&c);
	return c.model;
}
