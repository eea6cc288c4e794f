/* check_db.c: the database block: engine, cnpg cluster, login role. */
#include <string.h>

#include "check_int.h"
#include "value.h"

#define PG_NAME_MAX	63	/* NAMEDATALEN - 1 */
#define CLUSTER_MAX	50	/* cnpg webhook: Cluster names */
#define PG_MIN		13	/* majors CloudNativePG images ship */
#define PG_MAX		18
#define OPERATOR_MIN	25	/* 1.25 brought the Database resource */
#define OPERATOR_ROLE	30	/* 1.30 brought DatabaseRole */

/* Names CloudNativePG keeps for itself (cnpg.md section 2). */
static bool
role_reserved(struct checker *c, const struct ast_value *v, const char *name,
    const struct model_pos *pos)
{
	if (strcmp(name, "postgres") == 0 ||
	    strcmp(name, "streaming_replica") == 0 ||
	    strncmp(name, "pg_", 3) == 0 || strncmp(name, "cnpg_", 5) == 0) {
		diag_error(c->diag, pos, "role name '%s' is reserved", name);
		diag_hint(c->diag, "PostgreSQL and CloudNativePG keep "
		    "postgres, streaming_replica, pg_* and cnpg_*");
	} else if (strcmp(name, "app") == 0) {
		diag_error(c->diag, pos, "role name 'app' is reserved");
		diag_hint(c->diag, "'app' owns the cluster's bootstrap "
		    "database; give each app a role of its own");
	} else
		return false;
	if (v == NULL)
		diag_hint(c->diag, "the role defaults to the database name; "
		    "name one with 'role NAME'");
	return true;
}

static void
database_reserved(struct checker *c, const struct ast_value *v)
{
	if (strcmp(v->text, "postgres") == 0 ||
	    strcmp(v->text, "template0") == 0 ||
	    strcmp(v->text, "template1") == 0) {
		diag_error(c->diag, &v->pos, "database name '%s' is reserved",
		    v->text);
		diag_hint(c->diag, "PostgreSQL keeps postgres, template0 and "
		    "template1 for itself");
	} else if (strcmp(v->text, "app") == 0) {
		diag_error(c->diag, &v->pos, "database name 'app' is "
		    "reserved");
		diag_hint(c->diag, "'app' is the cluster's bootstrap "
		    "database; give each app a database of its own");
	}
}

/* Kubernetes names from PostgreSQL ones: '_' is not allowed there. */
static const char *
k8s_name(struct checker *c, const char *fmt, const char *a, const char *b)
{
	char *s, *p;

	s = arena_printf(c->arena, fmt, a, b);
	for (p = s; *p != '\0'; p++)
		if (*p == '_')
			*p = '-';
	return s;
}

static void
derived_names(struct checker *c, struct model_database *db)
{
	const char *why;

	db->resource_name = k8s_name(c, "%s-%s", db->cluster, db->name);
	db->password_secret = k8s_name(c, "%s-%s-password", db->cluster,
	    db->role);
	db->service_host = arena_printf(c->arena, "%s-rw.%s.svc", db->cluster,
	    db->cluster_namespace);
	if ((why = value_name(db->resource_name, NAME_SUBDOMAIN)) != NULL)
		diag_error(c->diag, &db->pos, "database '%s' gives the "
		    "resource name '%s', which %s", db->name,
		    db->resource_name, why);
}

static void
check_database_finish(struct checker *c)
{
	struct model_database *db = c->db;

	if (db->engine == NULL)
		db->engine = "postgresql";
	if (db->version == 0)
		db->version = 16;
	if (!c->db_role) {
		db->role = db->name;
		db->role_pos = db->pos;
		(void)role_reserved(c, NULL, db->role, &db->pos);
	}
	if (db->url_env == NULL)
		db->url_env = "DATABASE_URL";
	if (!check_env_name(c, db->url_env, &c->db_url_pos) &&
	    c->db_url_pos.line == db->pos.line &&
	    c->db_url_pos.col == db->pos.col)
		diag_hint(c->diag, "the database's DSN goes to %s unless "
		    "'url ENV-NAME' names another variable", db->url_env);
	if (db->operator_major == 0) {
		db->operator_major = 1;
		db->operator_minor = OPERATOR_MIN;
	}
	db->database_role = db->operator_major > 1 ||
	    db->operator_minor >= OPERATOR_ROLE;
	if (db->connection_limit == 0)
		db->connection_limit = 20;
	db->service_port = 5432;
	if (db->cluster == NULL) {
		diag_error(c->diag, &db->pos, "database '%s' names no cluster",
		    db->name);
		diag_hint(c->diag, "write 'cluster NAME in NAMESPACE' in the "
		    "block");
		return;
	}
	derived_names(c, db);
}

void
check_key_database(struct checker *c, const struct ast_stmt *s)
{
	const struct ast_value *v = s->args[0];
	struct model_database *db;

	db = arena_alloc(c->arena, sizeof(*db));
	db->name = v->text;
	db->pos = v->pos;
	c->db = db;
	c->db_role = false;
	c->db_url_pos = v->pos;
	if (check_name(c, v, "database name", NAME_PG, PG_NAME_MAX))
		database_reserved(c, v);
	check_block(c, &check_database, s->body);
	check_database_finish(c);
	c->app->database = db;
	c->db = NULL;
}

void
check_key_engine(struct checker *c, const struct ast_stmt *s)
{
	static const char *const engines[] = { "postgresql" };
	struct model_database *db = c->db;

	if (strcmp(check_arg(s, 0), "postgresql") != 0) {
		diag_error(c->diag, &s->args[0]->pos, "unsupported database "
		    "engine '%s'", check_arg(s, 0));
		if (diag_suggest(check_arg(s, 0), engines, 1) != NULL)
			check_suggest(c, check_arg(s, 0), engines, 1);
		else
			diag_hint(c->diag, "railgen provisions PostgreSQL "
			    "through CloudNativePG");
		return;
	}
	db->engine = "postgresql";
	if (s->nargs == 2)
		(void)check_int(c, s->args[1], "postgresql version", PG_MIN,
		    PG_MAX, &db->version);
}

void
check_key_cluster(struct checker *c, const struct ast_stmt *s)
{
	struct model_database *db = c->db;

	db->cluster = check_arg(s, 0);
	db->cluster_pos = s->args[0]->pos;
	db->cluster_namespace = check_arg(s, 2);
	if (!check_name(c, s->args[0], "cluster name", NAME_LABEL1035,
	    CLUSTER_MAX))
		diag_hint(c->diag, "CloudNativePG cluster names are DNS-1035 "
		    "labels of at most %d characters", CLUSTER_MAX);
	if (strcmp(check_arg(s, 1), "in") != 0) {
		diag_error(c->diag, &s->args[1]->pos, "expected 'in', found "
		    "'%s'", check_arg(s, 1));
		check_usage(c, s);
	}
	(void)check_name(c, s->args[2], "cluster namespace", NAME_LABEL, 63);
}

static void
role_flags(struct checker *c, const struct ast_stmt *s)
{
	static const char *const flags[] = { "login", "superuser",
	    "createdb", "createrole", "replication", "bypassrls" };
	const struct ast_value *f;
	size_t i, k;

	for (i = 1; i < s->nargs; i++) {
		f = s->args[i];
		for (k = 0; k < 6 && strcmp(f->text, flags[k]) != 0; k++)
			;
		if (k == 0)
			continue;
		if (k < 6) {
			diag_error(c->diag, &f->pos, "role '%s' may not have "
			    "'%s'", check_arg(s, 0), f->text);
			diag_hint(c->diag, "the app's login role owns its "
			    "database and needs no other privilege");
		} else if (strcmp(f->text, "nologin") == 0) {
			diag_error(c->diag, &f->pos, "role '%s' must log in",
			    check_arg(s, 0));
			diag_hint(c->diag, "the app connects with this role");
		} else {
			diag_error(c->diag, &f->pos, "unknown role attribute "
			    "'%s'", f->text);
			check_suggest(c, f->text, flags, 1);
		}
	}
}

void
check_key_role(struct checker *c, const struct ast_stmt *s)
{
	struct model_database *db = c->db;
	const struct ast_value *v = s->args[0];

	if (c->db_role) {
		diag_error(c->diag, &v->pos, "database '%s' already has a "
		    "login role", db->name);
		diag_note(c->diag, &db->role_pos, "login role '%s' set here",
		    db->role);
		diag_hint(c->diag, "one login role owns a database; give "
		    "another app a database of its own");
		return;
	}
	c->db_role = true;
	db->role = v->text;
	db->role_pos = v->pos;
	if (check_name(c, v, "role name", NAME_PG, PG_NAME_MAX))
		(void)role_reserved(c, v, v->text, &v->pos);
	role_flags(c, s);
}

void
check_key_url(struct checker *c, const struct ast_stmt *s)
{
	c->db->url_env = check_arg(s, 0);
	c->db_url_pos = s->args[0]->pos;
	(void)check_name(c, s->args[0], "env name", NAME_ENV, 0);
}

void
check_key_operator(struct checker *c, const struct ast_stmt *s)
{
	const struct ast_value *v = s->args[0];
	int major, minor;
	const char *why;

	if ((why = value_version(v->text, &major, &minor)) != NULL) {
		diag_error(c->diag, &v->pos, "operator version '%s' %s",
		    v->text, why);
		return;
	}
	if (major < 1 || (major == 1 && minor < OPERATOR_MIN)) {
		diag_error(c->diag, &v->pos, "CloudNativePG %s has no Database "
		    "resource", v->text);
		diag_hint(c->diag, "railgen needs operator 1.%d or newer",
		    OPERATOR_MIN);
		return;
	}
	c->db->operator_major = major;
	c->db->operator_minor = minor;
}

void
check_key_connections(struct checker *c, const struct ast_stmt *s)
{
	(void)check_int(c, s->args[0], "connection limit", 1, 10000,
	    &c->db->connection_limit);
}
