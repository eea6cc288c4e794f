/* driver.c: runs the stages in order and stops after a failed one. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "check.h"
#include "commit.h"
#include "driver.h"
#include "dump.h"
#include "emit.h"
#include "inputs.h"
#include "parse.h"
#include "tree.h"

#define STDIN_NAME	"<stdin>"

/* The inputs of one run; everything lives in the arena. */
struct run {
	const struct driver_opts *opts;
	struct diag		*diag;
	struct arena		*arena;
	const char		**inputs;	/* directories expanded */
	size_t			 ninputs;
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
	size_t i;

	for (i = 0; i < r->ninputs; i++) {
		stage(r, "reading", r->inputs[i]);
		r->names[i] = strcmp(r->inputs[i], "-") == 0 ? STDIN_NAME :
		    r->inputs[i];
		r->texts[i] = read_file(r, r->inputs[i], &r->lens[i]);
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

	for (i = 0; i < r->ninputs; i++) {
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
	r->model = check_fleet(r->arena, r->diag, r->files, r->ninputs);
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

/* -o's value without trailing slashes, so messages name "out/mk/a.mk". */
static const char *
outdir_name(struct run *r)
{
	const char *dir = r->opts->outdir ? r->opts->outdir : "out";
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	return arena_strndup(r->arena, dir, n);
}

static void
stage_emit(struct run *r)
{
	struct emit_ctx ctx;
	struct tree t;

	r->outdir = outdir_name(r);
	/* Before anything reads the directory (the SOPS files). */
	if (!commit_begin(r->diag, r->outdir, r->opts->mode == DRIVER_CHECK))
		return;
	tree_init(&t);
	stage(r, "emitting", NULL);
	if (emit_io_init(&ctx, r->diag, r->outdir, r->opts->mode ==
	    DRIVER_CHECK, r->opts->rotate, r->opts->nrotate) != 0 ||
	    emit_all(r->model, &ctx, &t) != 0 || t.nerrors > 0)
		report_tree_errors(r, &t);
	else if (r->opts->mode == DRIVER_CHECK) {
		stage(r, "comparing with", r->outdir);
		commit_check(r->diag, r->model, &t, r->outdir, stdout);
	} else {
		stage(r, "writing", r->outdir);
		commit_write(r->diag, r->model, &t, r->outdir,
		    r->opts->force);
	}
	emit_io_free(&ctx);
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
	r.inputs = inputs_expand(r.arena, d, o->files, o->nfiles, &r.ninputs);
	r.names = arena_alloc(r.arena, (r.ninputs + 1) * sizeof(*r.names));
	r.texts = arena_alloc(r.arena, (r.ninputs + 1) * sizeof(*r.texts));
	r.lens = arena_alloc(r.arena, (r.ninputs + 1) * sizeof(*r.lens));
	r.files = arena_alloc(r.arena, (r.ninputs + 1) * sizeof(*r.files));

	if (diag_count(d) == 0 && stage_read(&r) && stage_parse(&r) &&
	    stage_check(&r)) {
		if (o->mode == DRIVER_DUMP)
			stage_dump(&r);
		else
			stage_emit(&r);
	}
	status = diag_status(d);
	arena_free(r.arena);
	return status;
}
