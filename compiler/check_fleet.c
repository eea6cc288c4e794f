/* check_fleet.c: rules across apps and files: who owns which name. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "strmap.h"

/*
 * Every app is compared with those before it, in the order of the files
 * on the command line, so the second claim is the one reported and the
 * note points at the first.  Each name appears once per app already
 * (the per-app checks saw to that).
 *
 * The earlier claims of a name are found through an index of claims,
 * not by walking every app before, so a fleet of n apps is checked in
 * time linear in n.
 */

/* One app's claim to a name; the claims of one name chain in app order. */
struct claim {
	size_t			 app;
	const struct model_pos	*pos;	/* where the app claims it */
	struct claim		*next;
};

/* The claims of one name, first to last. */
struct claim_chain {
	struct claim		*first, *last;
};

/* Names of every kind, each kind under its own prefix byte. */
struct claims {
	struct arena		*arena;
	struct strmap		 names;		/* key to its chain */
	struct claim_chain	*chains;
	size_t			 nchains, cap;
};

enum claim_kind {
	CLAIM_RELEASE = 'a', CLAIM_NAMESPACE, CLAIM_ALIAS, CLAIM_HOST,
	CLAIM_DATABASE, CLAIM_ROLE, CLAIM_CLUSTER_NAMESPACE
};

/* "kind:part\x1fpart...": the key of a name made of parts. */
static const char *
claim_key(struct claims *cl, enum claim_kind kind, const char *a,
    const char *b, const char *d)
{
	return arena_printf(cl->arena, "%c:%s%s%s%s%s", (int)kind, a,
	    b ? "\x1f" : "", b ? b : "", d ? "\x1f" : "", d ? d : "");
}

/* The first claim of key, or NULL. */
static const struct claim *
claim_first(const struct claims *cl, const char *key)
{
	const struct strmap_slot *sl;

	sl = strmap_get(&cl->names, key, strlen(key));
	return sl != NULL ? cl->chains[sl->val].first : NULL;
}

static void
claim_add(struct claims *cl, const char *key, size_t app,
    const struct model_pos *pos)
{
	struct strmap_slot *sl;
	struct claim *c;
	bool added;

	c = arena_alloc(cl->arena, sizeof *c);
	*c = (struct claim){ app, pos, NULL };
	sl = strmap_put(&cl->names, key, strlen(key), &added);
	if (!added) {
		cl->chains[sl->val].last = cl->chains[sl->val].last->next = c;
		return;
	}
	if (cl->nchains == cl->cap) {
		cl->cap = cl->cap ? 2 * cl->cap : 64;
		cl->chains = xrealloc(cl->chains,
		    cl->cap * sizeof *cl->chains);
	}
	cl->chains[cl->nchains] = (struct claim_chain){ c, c };
	sl->val = cl->nchains++;
}

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

/* The earlier app that claims key, or NULL; its claim in *first. */
static const struct model_app *
claimed(struct checker *c, const struct claims *cl, const char *key,
    const struct claim **first)
{
	*first = claim_first(cl, key);
	return *first != NULL ? &c->model->apps[(*first)->app] : NULL;
}

static bool
release_taken(struct checker *c, struct claims *cl, size_t i)
{
	const struct model_app *a = &c->model->apps[i], *b;
	const struct claim *first;

	if (a->name == NULL)
		return false;
	b = claimed(c, cl, claim_key(cl, CLAIM_RELEASE, a->name, NULL, NULL),
	    &first);
	if (b == NULL)
		return false;
	diag_error(c->diag, &a->pos, "app '%s' is declared twice", a->name);
	diag_note(c->diag, &b->pos, "first declared here");
	diag_hint(c->diag, "the app name is its Helm release; a release "
	    "belongs to one app");
	return true;
}

/* The namespace of the database cluster of any app is not for apps. */
static void
namespace_database(struct checker *c, struct claims *cl,
    const struct model_app *a)
{
	const struct model_database *db;
	const struct claim *first;
	const struct model_app *b;

	b = claimed(c, cl, claim_key(cl, CLAIM_CLUSTER_NAMESPACE,
	    a->namespace, NULL, NULL), &first);
	if (b == NULL)
		return;
	db = b->database;
	diag_error(c->diag, &a->namespace_pos, "namespace '%s' holds the "
	    "database cluster '%s'", a->namespace, db->cluster);
	diag_note(c->diag, &db->cluster_pos, "cluster '%s' is in namespace "
	    "'%s' here", db->cluster, db->cluster_namespace);
	diag_hint(c->diag, "an app needs a namespace of its own");
}

static void
namespace_taken(struct checker *c, struct claims *cl, size_t i, bool dup)
{
	const struct model_app *a = &c->model->apps[i], *b;
	const struct model_reserve *r;
	const struct claim *first;

	if ((r = reserved(c->model, RESERVE_NAMESPACE, a->namespace))) {
		diag_error(c->diag, &a->namespace_pos, "namespace '%s' is "
		    "reserved", a->namespace);
		note_reserve(c, r);
		return;
	}
	if (a->namespace == NULL)
		return;
	namespace_database(c, cl, a);
	if (dup && pos_same(&a->namespace_pos, &a->pos))
		return;
	b = claimed(c, cl, claim_key(cl, CLAIM_NAMESPACE, a->namespace, NULL,
	    NULL), &first);
	if (b == NULL)
		return;
	diag_error(c->diag, &a->namespace_pos, "namespace '%s' already "
	    "belongs to app '%s'", a->namespace, b->name);
	diag_note(c->diag, &b->namespace_pos, "app '%s' takes it here",
	    b->name);
}

static void
alias_taken(struct checker *c, struct claims *cl, size_t i, bool dup)
{
	const struct model_app *a = &c->model->apps[i], *b;
	const struct claim *first;

	if (a->alias == NULL || (dup && pos_same(&a->alias_pos, &a->pos)))
		return;
	b = claimed(c, cl, claim_key(cl, CLAIM_ALIAS, a->alias, NULL, NULL),
	    &first);
	if (b == NULL)
		return;
	diag_error(c->diag, &a->alias_pos, "alias '%s' already belongs to "
	    "app '%s'", a->alias, b->name);
	diag_note(c->diag, &b->alias_pos, "app '%s' takes it here", b->name);
	diag_hint(c->diag, "the alias prefixes the app's Makefile targets");
}

static void
host_taken(struct checker *c, struct claims *cl, const struct model_host *h)
{
	const struct model_reserve *r;
	const struct claim *first;
	const struct model_app *b;

	if ((r = reserved(c->model, RESERVE_HOST, h->name)) != NULL) {
		diag_error(c->diag, &h->pos, "host '%s' is reserved", h->name);
		note_reserve(c, r);
		return;
	}
	if (h->name == NULL)
		return;
	b = claimed(c, cl, claim_key(cl, CLAIM_HOST, h->name, NULL, NULL),
	    &first);
	if (b == NULL)
		return;
	diag_error(c->diag, &h->pos, "host '%s' already belongs to app '%s'",
	    h->name, b->name);
	diag_note(c->diag, first->pos, "app '%s' takes it here", b->name);
}

/* Whether db is in a cluster that can be named: cluster and namespace. */
static bool
in_cluster(const struct model_database *db)
{
	return db != NULL && db->cluster != NULL &&
	    db->cluster_namespace != NULL;
}

/*
 * In one cnpg cluster, a database and a role belong to one app: every
 * earlier app that has either is reported, in app order, the database
 * first.
 */
static void
database_shared(struct checker *c, struct claims *cl, size_t i)
{
	const struct model_database *a = c->model->apps[i].database;
	const struct claim *dn = NULL, *rn = NULL;
	const struct model_app *other;
	size_t j;

	if (!in_cluster(a))
		return;
	if (a->name != NULL)
		dn = claim_first(cl, claim_key(cl, CLAIM_DATABASE, a->cluster,
		    a->cluster_namespace, a->name));
	if (a->role != NULL)
		rn = claim_first(cl, claim_key(cl, CLAIM_ROLE, a->cluster,
		    a->cluster_namespace, a->role));
	while (dn != NULL || rn != NULL) {
		j = dn == NULL ? rn->app : rn == NULL ? dn->app :
		    dn->app < rn->app ? dn->app : rn->app;
		other = &c->model->apps[j];
		if (dn != NULL && dn->app == j) {
			diag_error(c->diag, &a->pos, "database '%s' in cluster "
			    "'%s' already belongs to app '%s'", a->name,
			    a->cluster, other->name);
			diag_note(c->diag, &other->database->pos, "app '%s' "
			    "takes it here", other->name);
			dn = dn->next;
		}
		if (rn != NULL && rn->app == j) {
			diag_error(c->diag, &a->role_pos, "role '%s' in "
			    "cluster '%s' already belongs to app '%s'",
			    a->role, a->cluster, other->name);
			diag_note(c->diag, &other->database->role_pos, "app "
			    "'%s' takes it here", other->name);
			diag_hint(c->diag, "each app logs in with a role of "
			    "its own");
			rn = rn->next;
		}
	}
}

/* App i's names, for the apps after it to be checked against. */
static void
claim_app(struct claims *cl, const struct model_app *a, size_t i)
{
	const struct model_database *db = a->database;
	size_t k;

	if (a->name != NULL)
		claim_add(cl, claim_key(cl, CLAIM_RELEASE, a->name, NULL,
		    NULL), i, &a->pos);
	if (a->namespace != NULL)
		claim_add(cl, claim_key(cl, CLAIM_NAMESPACE, a->namespace,
		    NULL, NULL), i, &a->namespace_pos);
	if (a->alias != NULL)
		claim_add(cl, claim_key(cl, CLAIM_ALIAS, a->alias, NULL,
		    NULL), i, &a->alias_pos);
	for (k = 0; k < a->nhosts; k++)
		if (a->hosts[k].name != NULL)
			claim_add(cl, claim_key(cl, CLAIM_HOST,
			    a->hosts[k].name, NULL, NULL), i,
			    &a->hosts[k].pos);
	if (!in_cluster(db))
		return;
	if (db->name != NULL)
		claim_add(cl, claim_key(cl, CLAIM_DATABASE, db->cluster,
		    db->cluster_namespace, db->name), i, &db->pos);
	if (db->role != NULL)
		claim_add(cl, claim_key(cl, CLAIM_ROLE, db->cluster,
		    db->cluster_namespace, db->role), i, &db->role_pos);
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
	struct claims cl = { c->arena, STRMAP_INIT, NULL, 0, 0 };
	const struct model_database *db;
	struct model_app *a;
	size_t i, k;
	bool dup;

	reserve_twice(c);
	/* any app's cluster namespace, whichever app comes first */
	for (i = 0; i < c->model->napps; i++) {
		db = c->model->apps[i].database;
		if (db != NULL && db->cluster_namespace != NULL)
			claim_add(&cl, claim_key(&cl, CLAIM_CLUSTER_NAMESPACE,
			    db->cluster_namespace, NULL, NULL), i,
			    &db->cluster_pos);
	}
	for (i = 0; i < c->model->napps; i++) {
		a = &c->model->apps[i];
		dup = release_taken(c, &cl, i);
		namespace_taken(c, &cl, i, dup);
		alias_taken(c, &cl, i, dup);
		for (k = 0; k < a->nhosts; k++)
			host_taken(c, &cl, &a->hosts[k]);
		database_shared(c, &cl, i);
		claim_app(&cl, a, i);
	}
	strmap_free(&cl.names);
	free(cl.chains);
}
