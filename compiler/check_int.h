/* check_int.h: what the parts of the checker (check*.c) share. */
#ifndef RAILGEN_CHECK_INT_H
#define RAILGEN_CHECK_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "model.h"

/*
 * Design: a block is a list of generic statements.  check_block looks
 * each key up in the table of its context (app, host, database, ...),
 * reports unknown and repeated keys and statements of the wrong shape,
 * and calls the key's handler, which checks the arguments and fills the
 * model.  What depends on several statements (defaults, references,
 * replicas against volumes) is done when the block ends.
 */

enum shape {
	SHAPE_LINE = 1,			/* KEY ARG... */
	SHAPE_ASSIGN = 2,		/* KEY ARG... = VALUE */
	SHAPE_BLOCK = 4			/* KEY ARG... { ... } */
};

struct checker;
typedef void	key_fn(struct checker *, const struct ast_stmt *);

struct key {
	const char	*name;
	unsigned	 shape;		/* enum shape bits allowed */
	int		 min, max;	/* argument count; max -1: no limit */
	bool		 many;		/* may appear more than once */
	key_fn		*fn;
	const char	*usage;		/* shown when the shape is wrong */
};

struct context {
	const char		*name;	/* "an app", "a host block" */
	const struct key	*keys;
	size_t			 nkeys;
};

/*
 * Capacities of the arrays of the app being checked: the model's and
 * the checker's own side arrays (positions), each grown on its own.
 */
struct app_caps {
	size_t	env, env_raw, env_pos, secrets, hosts, host_tls, volumes,
		vol_pos, vol_name, tasks, task_pos, smokes, smoke_pos,
		recipients, rcpt_pos, names, name_pos;
};

struct checker {
	struct arena		*arena;
	struct diag		*diag;
	struct model		*model;
	size_t			 capps, creserves;

	struct model_app	*app;	/* being checked */
	bool			 namespace_ok;	/* well formed */
	struct app_caps		 caps;
	struct ast_value	**env_raw;	/* env values as written */
	struct model_pos	*env_pos;	/* env names */
	const struct ast_stmt	*replicas;	/* NULL: default */
	struct model_pos	*vol_pos;	/* access of each volume */
	struct model_pos	*vol_name_pos;
	struct model_pos	*smoke_pos;
	struct model_pos	*host_tls_pos;
	struct model_pos	*task_pos;
	struct model_pos	*rcpt_pos;
	const char		**names;	/* env names taken so far */
	struct model_pos	*name_pos;
	size_t			 nnames;
	bool			 probe_seen[PROBE__COUNT];
	struct model_pos	 probe_pos[PROBE__COUNT];

	struct model_database	*db;	/* block being checked */
	bool			 db_role;
	struct model_pos	 db_url_pos;
	struct model_host	*host;
	struct model_volume	*vol;
};

extern const struct context	check_top, check_app, check_django,
				check_database, check_host, check_volume;

void	 check_block(struct checker *, const struct context *,
	    const struct ast_stmt *body);

/* Helpers for handlers. */
const char	*check_arg(const struct ast_stmt *, size_t);
bool		 check_name(struct checker *, const struct ast_value *,
		    const char *what, int kind, size_t max);
bool		 check_int(struct checker *, const struct ast_value *,
		    const char *what, long long min, long long max, int *);
struct model_pos check_subpos(const struct ast_value *, size_t off,
		    size_t n);
void		 check_usage(struct checker *, const struct ast_stmt *);
/* Hints "did you mean", or lists the candidates when none is close. */
void		 check_suggest(struct checker *, const char *word,
		    const char *const *cands, size_t n);
/* Claims an env name for the app; false (reported) when taken. */
bool		 check_env_name(struct checker *, const char *name,
		    const struct model_pos *);
/* Expands ${...} in the env values once the whole app is known. */
void		 check_env_expand(struct checker *);

/* Handlers, one per key (check_app.c, check_env.c, check_db.c, ...). */
key_fn	check_key_app, check_key_reserve;
key_fn	check_key_namespace, check_key_alias, check_key_image,
	check_key_build, check_key_port, check_key_replicas, check_key_cpu,
	check_key_memory, check_key_probe, check_key_env, check_key_secret,
	check_key_database, check_key_host, check_key_volume, check_key_task,
	check_key_smoke, check_key_recipients;
key_fn	check_key_source, check_key_python, check_key_node, check_key_wsgi,
	check_key_settings, check_key_assets, check_key_static_root,
	check_key_workers, check_key_threads, check_key_timeout,
	check_key_uid;
key_fn	check_key_engine, check_key_cluster, check_key_role, check_key_url,
	check_key_operator, check_key_connections;
key_fn	check_key_ingress, check_key_tls;
key_fn	check_key_mount, check_key_size, check_key_access, check_key_class;

/* Rules across apps and files (check_fleet.c). */
void	 check_fleet_rules(struct checker *);

#endif
