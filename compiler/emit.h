/* emit.h: turn the checked model into the files of the output tree. */
#ifndef RAILGEN_EMIT_H
#define RAILGEN_EMIT_H

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

/* All artifacts of every app of m. */
int	emit_all(const struct model *m, struct tree *);

/* app/<app>/Dockerfile and .dockerignore (only for `build django`). */
int	emit_dockerfile(const struct model_app *, struct tree *);

/* releases/<app>/: the Helm chart. */
int	emit_chart(const struct model_app *, struct tree *);

/* manifests/<app>-namespace.yaml and manifests/<app>-ingress.yaml. */
int	emit_manifests(const struct model_app *, struct tree *);

/* platform/<cluster>/: the CloudNativePG Database and login role. */
int	emit_cnpg(const struct model_app *, struct tree *);

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
 * emit.c); the caller frees it.  emit_file renders template tmpl with
 * vars into path, recording any template error in the tree.
 */
struct tmpl_vars	*emit_app_vars(const struct model_app *);
int			 emit_file(struct tree *, const char *path,
			    const char *tmpl, const struct tmpl_vars *,
			    int mode);

/* The path the liveness probe checks, else readiness, startup, or "". */
const char		*emit_health_path(const struct model_app *);

#endif
