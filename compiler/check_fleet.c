/* check_fleet.c: rules across apps and files: who owns which name. */
#include <stdbool.h>
#include <string.h>

#include "check_int.h"

/*
 * Every app is compared with those before it, in the order of the files
 * on the command line, so the second claim is the one reported and the
 * note points at the first.  Each name appears once per app already
 * (the per-app checks saw to that).
 */

static bool
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static bool
pos_same(const struct model_pos *a, const struct model_pos *b)
{
	return strcmp(a->file, b->file) == 0 && a->line == b->line &&
	    a->col == b->col;
}

static const struct model_reserve *
reserved(const struct model *m, enum model_reserve_kind kind,
    const char *name)
{
	size_t i;

	for (i = 0; i < m->nreserves; i++)
		if (m->reserves[i].kind == kind &&
		    same(m->reserves[i].name, name))
			return &m->reserves[i];
	return NULL;
}

static void
note_reserve(struct checker *c, const struct model_reserve *r)
{
	if (r->owner != NULL)
		diag_note(c->diag, &r->pos, "reserved for %s here", r->owner);
	else
		diag_note(c->diag, &r->pos, "reserved here");
}

static bool
release_taken(struct checker *c, size_t i)
{
	const struct model_app *a = &c->model->apps[i], *b;
	size_t j;

	for (j = 0; j < i; j++) {
		b = &c->model->apps[j];
		if (!same(a->name, b->name))
			continue;
		diag_error(c->diag, &a->pos, "app '%s' is declared twice",
		    a->name);
		diag_note(c->diag, &b->pos, "first declared here");
		diag_hint(c->diag, "the app name is its Helm release; a "
		    "release belongs to one app");
		return true;
	}
	return false;
}

/* The namespace of the database cluster of any app is not for apps. */
static void
namespace_database(struct checker *c, const struct model_app *a)
{
	const struct model_database *db;
	size_t k;

	for (k = 0; k < c->model->napps; k++) {
		db = c->model->apps[k].database;
		if (db == NULL || !same(db->cluster_namespace, a->namespace))
			continue;
		diag_error(c->diag, &a->namespace_pos, "namespace '%s' holds "
		    "the database cluster '%s'", a->namespace, db->cluster);
		diag_note(c->diag, &db->cluster_pos, "cluster '%s' is in "
		    "namespace '%s' here", db->cluster, db->cluster_namespace);
		diag_hint(c->diag, "an app needs a namespace of its own");
		return;
	}
}

static void
namespace_taken(struct checker *c, size_t i, bool dup)
{
	const struct model_app *a = &c->model->apps[i], *b;
	const struct model_reserve *r;
	size_t j;

	if ((r = reserved(c->model, RESERVE_NAMESPACE, a->namespace))) {
		diag_error(c->diag, &a->namespace_pos, "namespace '%s' is "
		    "reserved", a->namespace);
		note_reserve(c, r);
		return;
	}
	namespace_database(c, a);
	if (dup && pos_same(&a->namespace_pos, &a->pos))
		return;
	for (j = 0; j < i; j++) {
		b = &c->model->apps[j];
		if (!same(a->namespace, b->namespace))
			continue;
		diag_error(c->diag, &a->namespace_pos, "namespace '%s' already "
		    "belongs to app '%s'", a->namespace, b->name);
		diag_note(c->diag, &b->namespace_pos, "app '%s' takes it here",
		    b->name);
		return;
	}
}

static void
alias_taken(struct checker *c, size_t i, bool dup)
{
	const struct model_app *a = &c->model->apps[i], *b;
	size_t j;

	if (dup && pos_same(&a->alias_pos, &a->pos))
		return;
	for (j = 0; j < i; j++) {
		b = &c->model->apps[j];
		if (!same(a->alias, b->alias))
			continue;
		diag_error(c->diag, &a->alias_pos, "alias '%s' already "
		    "belongs to app '%s'", a->alias, b->name);
		diag_note(c->diag, &b->alias_pos, "app '%s' takes it here",
		    b->name);
		diag_hint(c->diag, "the alias prefixes the app's Makefile "
		    "targets");
		return;
	}
}

static void
host_taken(struct checker *c, size_t i, const struct model_host *h)
{
	const struct model_reserve *r;
	const struct model_app *b;
	size_t j, k;

	if ((r = reserved(c->model, RESERVE_HOST, h->name)) != NULL) {
		diag_error(c->diag, &h->pos, "host '%s' is reserved", h->name);
		note_reserve(c, r);
		return;
	}
	for (j = 0; j < i; j++) {
		b = &c->model->apps[j];
		for (k = 0; k < b->nhosts; k++) {
			if (!same(h->name, b->hosts[k].name))
				continue;
			diag_error(c->diag, &h->pos, "host '%s' already "
			    "belongs to app '%s'", h->name, b->name);
			diag_note(c->diag, &b->hosts[k].pos, "app '%s' takes "
			    "it here", b->name);
			return;
		}
	}
}

static bool
same_cluster(const struct model_database *a, const struct model_database *b)
{
	return same(a->cluster, b->cluster) &&
	    same(a->cluster_namespace, b->cluster_namespace);
}

/* In one cnpg cluster, a database and a role belong to one app. */
static void
database_shared(struct checker *c, size_t i)
{
	const struct model_database *a = c->model->apps[i].database, *b;
	const struct model_app *other;
	size_t j;

	for (j = 0; a != NULL && a->cluster != NULL && j < i; j++) {
		other = &c->model->apps[j];
		if ((b = other->database) == NULL || !same_cluster(a, b))
			continue;
		if (same(a->name, b->name)) {
			diag_error(c->diag, &a->pos, "database '%s' in cluster "
			    "'%s' already belongs to app '%s'", a->name,
			    a->cluster, other->name);
			diag_note(c->diag, &b->pos, "app '%s' takes it here",
			    other->name);
		}
		if (same(a->role, b->role)) {
			diag_error(c->diag, &a->role_pos, "role '%s' in "
			    "cluster '%s' already belongs to app '%s'",
			    a->role, a->cluster, other->name);
			diag_note(c->diag, &b->role_pos, "app '%s' takes it "
			    "here", other->name);
			diag_hint(c->diag, "each app logs in with a role of "
			    "its own");
		}
	}
}

/*
 * Files compiled in different sets may each reserve the Gitea host;
 * that is fine as long as they agree on who owns it.
 */
static void
reserve_twice(struct checker *c)
{
	const struct model_reserve *r, *q;
	size_t i, j;

	for (i = 0; i < c->model->nreserves; i++) {
		r = &c->model->reserves[i];
		for (j = 0; j < i; j++) {
			q = &c->model->reserves[j];
			if (q->kind != r->kind || !same(q->name, r->name))
				continue;
			if (same(q->owner, r->owner) ||
			    (q->owner == NULL && r->owner == NULL))
				break;
			diag_error(c->diag, &r->pos, "'%s' is reserved again "
			    "with another owner", r->name);
			diag_note(c->diag, &q->pos, "first reserved here");
			break;
		}
	}
}

void
check_fleet_rules(struct checker *c)
{
	struct model_app *a;
	size_t i, k;
	bool dup;

	reserve_twice(c);
	for (i = 0; i < c->model->napps; i++) {
		a = &c->model->apps[i];
		dup = release_taken(c, i);
		namespace_taken(c, i, dup);
		alias_taken(c, i, dup);
		for (k = 0; k < a->nhosts; k++)
			host_taken(c, i, &a->hosts[k]);
		database_shared(c, i);
	}
}
