/* check_env.c: env and secret statements, recipients, ${...} references. */
#include <string.h>
#include <strings.h>

#include "age.h"
#include "buf.h"
#include "check_int.h"
#include "value.h"

#define SECRET_MIN	16	/* shorter generated secrets are guessable */
#define SECRET_MAX	4096

/* Names DESIGN.md calls secret-looking: *SECRET*, *PASSWORD*, ... */
static bool
looks_secret(const char *name)
{
	static const char *const parts[] = { "SECRET", "PASSWORD", "TOKEN" };
	size_t i, n = strlen(name), k;

	for (i = 0; i < n; i++)
		for (k = 0; k < 3; k++)
			if (strncasecmp(name + i, parts[k],
			    strlen(parts[k])) == 0)
				return true;
	return n >= 4 && strcasecmp(name + n - 4, "_KEY") == 0;
}

/* DEBUG itself, and DEBUG_X or X_DEBUG (DJANGO_DEBUG, DEBUG_TOOLBAR). */
static bool
looks_debug(const char *name)
{
	size_t n = strlen(name);

	return strcasecmp(name, "DEBUG") == 0 ||
	    strncasecmp(name, "DEBUG_", 6) == 0 ||
	    (n > 6 && strcasecmp(name + n - 6, "_DEBUG") == 0);
}

/* What django-environ, Flask and most settings parsers read as true. */
static bool
is_true(const char *v)
{
	static const char *const yes[] = { "1", "true", "t", "yes", "y",
	    "on", "ok" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		if (strcasecmp(v, yes[i]) == 0)
			return true;
	return false;
}

bool
check_env_name(struct checker *c, const char *name,
    const struct model_pos *pos)
{
	size_t i;

	for (i = 0; i < c->nnames; i++) {
		if (strcmp(c->names[i], name) != 0)
			continue;
		diag_error(c->diag, pos, "duplicate env name '%s'", name);
		diag_note(c->diag, &c->name_pos[i], "first defined here");
		return false;
	}
	c->names = arena_grow(c->arena, c->names, &c->caps.names, c->nnames,
	    sizeof(*c->names));
	c->name_pos = arena_grow(c->arena, c->name_pos, &c->caps.name_pos,
	    c->nnames, sizeof(*c->name_pos));
	c->names[c->nnames] = name;
	c->name_pos[c->nnames++] = *pos;
	return true;
}

static void
env_add(struct checker *c, const struct ast_value *name,
    struct ast_value *v)
{
	struct model_app *app = c->app;
	size_t n = app->nenv;

	app->env = arena_grow(c->arena, app->env, &c->caps.env, n,
	    sizeof(*app->env));
	c->env_raw = arena_grow(c->arena, c->env_raw, &c->caps.env_raw, n,
	    sizeof(*c->env_raw));
	c->env_pos = arena_grow(c->arena, c->env_pos, &c->caps.env_pos, n,
	    sizeof(*c->env_pos));
	app->env[n].name = name->text;
	app->env[n].value = v->text;
	c->env_raw[n] = v;
	c->env_pos[n] = name->pos;
	app->nenv++;
}

void
check_key_env(struct checker *c, const struct ast_stmt *s)
{
	const struct ast_value *name = s->args[0];
	struct ast_value *v = s->value;

	(void)check_name(c, name, "env name", NAME_ENV, 0);
	check_env_name(c, name->text, &name->pos);
	if (v->kind == AST_CALL) {
		diag_error(c->diag, &v->pos, "env value '%s(...)' is not a "
		    "string", v->text);
		diag_hint(c->diag, "generated and supplied values are "
		    "secrets: 'secret %s = %s(...)'", name->text, v->text);
		return;
	}
	if (looks_secret(name->text)) {
		diag_error(c->diag, &name->pos, "'%s' looks like a secret but "
		    "has a literal value", name->text);
		diag_hint(c->diag, "declare it with 'secret %s = random(50)', "
		    "or with 'secret %s = env(VARIABLE)' to supply it",
		    name->text, name->text);
		return;
	}
	if (looks_debug(name->text) && is_true(v->text)) {
		diag_error(c->diag, &v->pos, "'%s' is set to a true value",
		    name->text);
		diag_hint(c->diag, "railgen deploys for production only; "
		    "remove the line or set it to \"false\"");
	}
	env_add(c, name, v);
}

static void
secret_call(struct checker *c, const struct ast_value *v,
    struct model_secret *sec)
{
	static const char *const fns[] = { "random", "env" };

	if (strcmp(v->text, "random") != 0 && strcmp(v->text, "env") != 0) {
		diag_error(c->diag, &v->pos, "unknown function '%s'", v->text);
		check_suggest(c, v->text, fns, 2);
		return;
	}
	if (v->nargs != 1) {
		diag_error(c->diag, &v->pos, "%s() takes one argument, %s",
		    v->text, v->text[0] == 'r' ? "the length" :
		    "the name of a variable");
		return;
	}
	if (v->text[0] == 'r') {
		sec->source = SECRET_RANDOM;
		(void)check_int(c, v->args[0], "secret length", SECRET_MIN,
		    SECRET_MAX, &sec->length);
	} else {
		sec->source = SECRET_SUPPLIED;
		sec->from = v->args[0]->text;
		(void)check_name(c, v->args[0], "variable name", NAME_ENV, 0);
	}
}

void
check_key_secret(struct checker *c, const struct ast_stmt *s)
{
	struct model_app *app = c->app;
	const struct ast_value *name = s->args[0];
	struct model_secret *sec;

	(void)check_name(c, name, "secret name", NAME_ENV, 0);
	check_env_name(c, name->text, &name->pos);
	if (s->value->kind != AST_CALL) {
		diag_error(c->diag, &s->value->pos, "secret '%s' needs "
		    "random(LENGTH) or env(VARIABLE)", name->text);
		diag_hint(c->diag, "a value written here would be stored in "
		    "clear; generate it with random(50) or supply it with "
		    "env(VARIABLE)");
		return;
	}
	app->secrets = arena_grow(c->arena, app->secrets, &c->caps.secrets,
	    app->nsecrets, sizeof(*app->secrets));
	sec = &app->secrets[app->nsecrets++];
	memset(sec, 0, sizeof(*sec));
	sec->name = name->text;
	sec->pos = name->pos;
	secret_call(c, s->value, sec);
}

/* The form first, for a precise reason; then the age module's checksum. */
static bool
recipient_ok(const char *s, struct buf *why)
{
	const char *form;

	if ((form = value_age_recipient(s)) != NULL) {
		buf_adds(why, form);
		return false;
	}
	if (age_recipient_check(s, why) == 0)
		return true;
	buf_reset(why);
	buf_adds(why, "fails the Bech32 checksum (a character is mistyped)");
	return false;
}

void
check_key_recipients(struct checker *c, const struct ast_stmt *s)
{
	struct model_app *app = c->app;
	struct buf why = BUF_INIT;
	const struct ast_value *v;
	size_t i, j;

	for (i = 0; i < s->nargs; i++) {
		v = s->args[i];
		buf_reset(&why);
		if (!recipient_ok(v->text, &why)) {
			diag_error(c->diag, &v->pos, "invalid age recipient "
			    "'%s': %s", v->text, why.data);
			diag_hint(c->diag, "a recipient is the 'age1...' line "
			    "that 'age-keygen -y KEYFILE' prints");
			continue;
		}
		for (j = 0; j < app->nrecipients; j++)
			if (strcmp(app->recipients[j], v->text) == 0)
				break;
		if (j < app->nrecipients) {
			diag_error(c->diag, &v->pos, "duplicate recipient");
			diag_note(c->diag, &c->rcpt_pos[j], "first named here");
			continue;
		}
		app->recipients = arena_grow(c->arena, app->recipients,
		    &c->caps.recipients, j, sizeof(*app->recipients));
		c->rcpt_pos = arena_grow(c->arena, c->rcpt_pos,
		    &c->caps.rcpt_pos, j, sizeof(*c->rcpt_pos));
		app->recipients[j] = v->text;
		c->rcpt_pos[j] = v->pos;
		app->nrecipients++;
	}
	buf_free(&why);
}

static const char *const ref_names[] = {
	"host", "hosts", "app", "namespace", "port"
};

static const char *
ref_value(struct checker *c, size_t k)
{
	struct model_app *app = c->app;
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	switch (k) {
	case 0:
		return app->hosts[0].name;
	case 1:
		for (i = 0; i < app->nhosts; i++)
			buf_printf(&b, "%s%s", i ? "," : "",
			    app->hosts[i].name);
		s = arena_strdup(c->arena, b.data);
		buf_free(&b);
		return s;
	case 2:
		return app->name;
	case 3:
		return app->namespace;
	default:
		return arena_printf(c->arena, "%d", app->port);
	}
}

/*
 * Steps r to its next "${" or "$${", which the resolved text meets in
 * the same order (escapes never make or hide either).
 */
static const char *
raw_next(const char *r)
{
	for (; *r != '\0'; r++)
		if (r[0] == '$' && (r[1] == '{' ||
		    (r[1] == '$' && r[2] == '{')))
			return r;
	return r;
}

/* Reports a bad reference at raw[off..] up to its '}' or the end. */
static void
ref_error(struct checker *c, const struct ast_value *v, const char *r,
    const char *name, size_t n)
{
	const char *end = strchr(r, '}'), *w, *best;
	size_t off = (size_t)(r - v->raw);
	struct model_pos p;

	p = check_subpos(v, off, end ? (size_t)(end - r) + 1 : strlen(r));
	if (end == NULL) {
		diag_error(c->diag, &p, "unterminated reference");
		diag_hint(c->diag, "write '${NAME}'");
	} else if (n == 4 && strncmp(name, "host", 4) == 0) {
		diag_error(c->diag, &p, "'${host}' needs a host, but app '%s' "
		    "declares none", c->app->name);
	} else if (n == 5 && strncmp(name, "hosts", 5) == 0) {
		diag_error(c->diag, &p, "'${hosts}' needs a host, but app "
		    "'%s' declares none", c->app->name);
	} else {
		w = arena_strndup(c->arena, name, n);
		diag_error(c->diag, &p, "unknown reference '${%s}'", w);
		if ((best = diag_suggest(w, ref_names, 5)) != NULL)
			diag_hint(c->diag, "did you mean '${%s}'?", best);
		else
			diag_hint(c->diag, "the references are ${host}, "
			    "${hosts}, ${app}, ${namespace} and ${port}");
	}
}

static size_t
ref_find(const char *name, size_t n)
{
	size_t k;

	for (k = 0; k < 5; k++)
		if (strlen(ref_names[k]) == n &&
		    strncmp(ref_names[k], name, n) == 0)
			break;
	return k;
}

static void
expand_one(struct checker *c, size_t i)
{
	const struct ast_value *v = c->env_raw[i];
	const char *t = v->text, *r = v->raw, *end;
	struct buf b = BUF_INIT;
	size_t k;

	while (*t != '\0') {
		if (t[0] != '$' || (t[1] != '{' && !(t[1] == '$' &&
		    t[2] == '{'))) {
			buf_addc(&b, *t++);
			continue;
		}
		r = raw_next(r);
		if (t[1] == '$') {		/* "$${" is a literal "${" */
			buf_adds(&b, "${");
			t += 3, r += 3;
			continue;
		}
		end = strchr(t + 2, '}');
		k = end ? ref_find(t + 2, (size_t)(end - t - 2)) : 5;
		if (k == 5 || (k < 2 && c->app->nhosts == 0)) {
			ref_error(c, v, r, t + 2, end ? (size_t)(end - t - 2) :
			    0);
			if (end == NULL)
				break;
		} else
			buf_adds(&b, ref_value(c, k));
		t = end + 1, r += 2;
	}
	c->app->env[i].value = arena_strndup(c->arena, b.data ? b.data : "",
	    b.len);
	buf_free(&b);
}

void
check_env_expand(struct checker *c)
{
	size_t i;

	for (i = 0; i < c->app->nenv; i++)
		expand_one(c, i);
}
