/* driver.c: runs the stages in order and stops after a failed one. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "check.h"
#include "driver.h"
#include "dump.h"
#include "emit.h"
#include "parse.h"
#include "tree.h"

#define STDIN_NAME	"<stdin>"

/* The inputs of one run; everything lives in the arena. */
struct run {
	const struct driver_opts *opts;
	struct diag		*diag;
	struct arena		*arena;
	const char		**names;	/* as diagnostics show them */
	const char		**texts;
	size_t			 *lens;
	struct ast_file		**files;
	struct model		*model;
	const char		*outdir;
};

static void
stage(const struct run *r, const char *what, const char *arg)
{
	if (r->opts->verbose)
		fprintf(stderr, "railgen: %s%s%s\n", what, arg ? " " : "",
		    arg ? arg : "");
}

/* Whole file into the arena; NULL (reported) when it cannot be read. */
static const char *
read_file(struct run *r, const char *path, size_t *len)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	const char *text = NULL;
	bool std = strcmp(path, "-") == 0;
	FILE *fp;
	size_t n;

	if ((fp = std ? stdin : fopen(path, "rb")) == NULL) {
		diag_system(r->diag, errno, "cannot open '%s'", path);
		return NULL;
	}
	errno = 0;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(fp))
		diag_system(r->diag, errno ? errno : EIO, "cannot read '%s'",
		    path);
	else {
		text = arena_strndup(r->arena, b.data ? b.data : "", b.len);
		*len = b.len;
	}
	if (!std)
		(void)fclose(fp);
	buf_free(&b);
	return text;
}

static bool
stage_read(struct run *r)
{
	const struct driver_opts *o = r->opts;
	size_t i;

	for (i = 0; i < o->nfiles; i++) {
		stage(r, "reading", o->files[i]);
		r->names[i] = strcmp(o->files[i], "-") == 0 ? STDIN_NAME :
		    o->files[i];
		r->texts[i] = read_file(r, o->files[i], &r->lens[i]);
		if (r->texts[i] != NULL)
			diag_source(r->diag, r->names[i], r->texts[i],
			    r->lens[i]);
	}
	return diag_count(r->diag) == 0;
}

static bool
stage_parse(struct run *r)
{
	size_t i;

	for (i = 0; i < r->opts->nfiles; i++) {
		stage(r, "parsing", r->names[i]);
		r->files[i] = parse_file(r->arena, r->diag, r->names[i],
		    r->texts[i], r->lens[i]);
	}
	return diag_count(r->diag) == 0;
}

static bool
stage_check(struct run *r)
{
	stage(r, "checking", NULL);
	r->model = check_fleet(r->arena, r->diag, r->files, r->opts->nfiles);
	return diag_count(r->diag) == 0;
}

static void
stage_dump(struct run *r)
{
	struct buf b = BUF_INIT;

	stage(r, "dumping the model", NULL);
	dump_model_json(r->model, &b);
	errno = 0;
	if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0
	    || ferror(stdout))
		diag_system(r->diag, errno ? errno : EIO, "cannot write the "
		    "model to standard output");
	buf_free(&b);
}

/* Reports the tree's own errors: they mean an emitter could not finish. */
static void
report_tree_errors(struct run *r, const struct tree *t)
{
	const char *line, *nl;

	for (line = t->errors.data; line != NULL && *line != '\0';
	    line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line);
		diag_fail(r->diag, "%.*s", (int)(nl - line), line);
		if (*nl == '\0')
			break;
	}
}

/* --check: one line per file that differs; drift is an input error. */
static int
report_drift(void *arg, const struct tree_change *c)
{
	struct run *r = arg;
	static const char *const what[] = {
		[TREE_SAME] = "unchanged",
		[TREE_NEW] = "missing",
		[TREE_CHANGED] = "differs",
		[TREE_MODE] = "has other permissions"
	};

	diag_drift(r->diag, "%s/%s: %s", r->outdir, c->file->path,
	    what[c->state]);
	return 0;
}

static void
stage_emit(struct run *r)
{
	struct buf err = BUF_INIT;
	struct emit_ctx ctx;
	struct tree t;

	r->outdir = r->opts->outdir ? r->opts->outdir : "out";
	tree_init(&t);
	stage(r, "emitting", NULL);
	if (emit_io_init(&ctx, r->diag, r->outdir, r->opts->mode ==
	    DRIVER_CHECK, r->opts->rotate, r->opts->nrotate) != 0 ||
	    emit_all(r->model, &ctx, &t) != 0 || t.nerrors > 0)
		report_tree_errors(r, &t);
	else if (r->opts->mode == DRIVER_CHECK) {
		stage(r, "comparing with", r->outdir);
		if (tree_compare(&t, r->outdir, report_drift, r, &err) < 0)
			diag_fail(r->diag, "%s", err.data);
	} else {
		stage(r, "writing", r->outdir);
		if (tree_commit(&t, r->outdir, &err) < 0)
			diag_fail(r->diag, "%s", err.data);
	}
	emit_io_free(&ctx);
	buf_free(&err);
	tree_free(&t);
}

int
driver_run(const struct driver_opts *o, struct diag *d)
{
	struct run r;
	int status;

	memset(&r, 0, sizeof(r));
	r.opts = o;
	r.diag = d;
	r.arena = arena_new();
	r.names = arena_alloc(r.arena, (o->nfiles + 1) * sizeof(*r.names));
	r.texts = arena_alloc(r.arena, (o->nfiles + 1) * sizeof(*r.texts));
	r.lens = arena_alloc(r.arena, (o->nfiles + 1) * sizeof(*r.lens));
	r.files = arena_alloc(r.arena, (o->nfiles + 1) * sizeof(*r.files));

	if (stage_read(&r) && stage_parse(&r) && stage_check(&r)) {
		if (o->mode == DRIVER_DUMP)
			stage_dump(&r);
		else
			stage_emit(&r);
	}
	status = diag_status(d);
	arena_free(r.arena);
	return status;
}
