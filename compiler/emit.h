/* emit.h: turn the checked model into the files of the output tree. */
#ifndef RAILGEN_EMIT_H
#define RAILGEN_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "model.h"
#include "tmpl.h"
#include "tree.h"

/*
 * Each emitter reads one app of the model and adds its files to the tree
 * (paths as in DESIGN.md's output layout).  They never write to disk and
 * never print: a problem is recorded in the tree (tree_error), which is
 * then not committed.  Output depends on the model alone, so the same
 * model gives the same bytes.
 *
 * Every emitter returns 0, or -1 after recording an error.
 */

/*
 * What the SOPS emitters need beyond the model, handed in by the driver
 * (emit_io.c) so that no emitter touches the disk, the environment or
 * the clock itself.  They report through diag, which also decides the
 * exit status: an identity or variable that is missing is an input
 * error (1), and with check set, a SOPS file that must change is drift.
 */
struct age_keyring;

struct emit_ctx {
	struct diag		*diag;
	const char		*outdir;	/* for messages only */
	bool			 check;		/* --check: generate nothing */
	int64_t			 now;		/* lastmodified, seconds */
	const char *const	*rotate;	/* --rotate NAME or APP/NAME */
	size_t			 nrotate;

	/*
	 * The bytes of path in the output directory: 1 and *text (owned by
	 * the context, NUL-terminated, valid until it is freed), 0 when
	 * there is no such file, or -1 with a reason in *why.
	 */
	int	(*prev)(struct emit_ctx *, const char *path,
		    const char **text, size_t *len, struct buf *why);
	/*
	 * The age identities, loaded from sops's sources on the first call
	 * and kept: a sops status, with a reason in *why when not SOPS_OK.
	 * The keyring may hold no identity at all.
	 */
	int	(*keyring)(struct emit_ctx *, const struct age_keyring **,
		    struct buf *why);
	/* A variable of railgen's environment, or NULL when unset. */
	const char	*(*getenv)(struct emit_ctx *, const char *name);
	void		*arg;		/* the callbacks' own state */
};

/*
 * The driver's context (emit_io.c): previous files read from outdir,
 * identities from sops's sources, getenv, and SOURCE_DATE_EPOCH or the
 * clock.  Returns 0, or -1 after reporting a bad SOURCE_DATE_EPOCH;
 * emit_io_free must be called either way.
 */
int	emit_io_init(struct emit_ctx *, struct diag *, const char *outdir,
	    bool check, const char *const *rotate, size_t nrotate);
void	emit_io_free(struct emit_ctx *);

/* All artifacts of every app of m. */
int	emit_all(const struct model *m, struct emit_ctx *, struct tree *);

/* app/<app>/Dockerfile and .dockerignore (only for `build django`). */
int	emit_dockerfile(const struct model_app *, struct tree *);

/* releases/<app>/: the Helm chart. */
int	emit_chart(const struct model_app *, struct tree *);

/* manifests/<app>-namespace.yaml and manifests/<app>-ingress.yaml. */
int	emit_manifests(const struct model_app *, struct tree *);

/* platform/<cluster>/<app>-role-patch.yaml, for operators before 1.30. */
int	emit_cnpg(const struct model_app *, struct tree *);

/*
 * The SOPS files of an app (emit_secrets.c): helm/<app>-values.sops.yaml,
 * the release values with the secrets encrypted, and, with a database,
 * platform/<cluster>/<app>-database.yaml: the role's basic-auth Secret
 * (password encrypted), the Database and, from operator 1.30, the
 * DatabaseRole.  Secrets already written are kept byte for byte.
 */
int	emit_secrets(const struct model_app *, struct emit_ctx *,
	    struct tree *);

/* .sops.yaml: the creation rules of every SOPS file of the fleet. */
int	emit_sops_config(const struct model *, struct tree *);

/* Refuses --rotate names that name no secret, and --rotate with --check. */
int	emit_rotate_check(const struct model *, struct emit_ctx *);

/* The encrypted_regex of the two kinds of SOPS file. */
#define EMIT_VALUES_REGEX	"^(secrets)$"
#define EMIT_PLATFORM_REGEX	"^(password)$"

/* mk/<app>.mk: the operator's make targets. */
int	emit_makefile(const struct model_app *, struct tree *);

/* docs/<app>.md: the runbook. */
int	emit_runbook(const struct model_app *, struct tree *);

/*
 * EMIT_INDEX: a Makefile that includes every app's mk/<app>.mk and
 * lists them all in `make help`; the same bytes for any order of the
 * inputs.  Nothing when m has no app.
 */
#define EMIT_INDEX	"railgen.mk"
int	emit_index(const struct model *m, struct tree *);

/*
 * Appends the .rail files the apps of m come from, sorted, each once,
 * separated by ", ", as a comment can hold them: for the headers of
 * files that belong to the whole fleet.
 */
void	emit_sources(const struct model *m, struct buf *out);

/*
 * Shared by the emitters (emit.c).  emit_app_vars returns a new scope
 * with every fact of app that templates use (the names are listed in
 * emit.c); the caller frees it.  Names set in it shadow those facts;
 * a list of them must not be added to.  emit_file renders template tmpl with
 * vars into path, recording any template error in the tree.
 */
struct tmpl_vars	*emit_app_vars(const struct model_app *);
int			 emit_file(struct tree *, const char *path,
			    const char *tmpl, const struct tmpl_vars *,
			    int mode);

/* Appends a file name made safe for a comment of any format. */
void			 emit_comment_text(struct buf *, const char *source);

/* The path the liveness probe checks, else readiness, startup, or "". */
const char		*emit_health_path(const struct model_app *);

#endif
