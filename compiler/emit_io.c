/* emit_io.c: previous files, identities, environment and clock for emitters. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "age.h"
#include "buf.h"
#include "emit.h"
#include "sops.h"
#include "tree.h"

/*
 * The driver's side of struct emit_ctx.  Previous files are read below
 * the output directory by tree_dirs_read, as the planner reads them, so
 * a symbolic link planted there is refused rather than followed.  The
 * keyring is loaded on first use only: a run that keeps every secret
 * never reads a key.
 */

#define PREV_MAX	(64 << 20)

struct io {
	const char		*outdir;
	struct tree_dirs	*dirs;		/* below outdir, kept open */
	char			**texts;	/* previous files handed out */
	size_t			 ntexts;
	struct age_keyring	*kr;
	int			 loaded;
	int			 krstatus;
	struct buf		 krwhy;
};

static int
io_prev(struct emit_ctx *ctx, const char *path, const char **text,
    size_t *len, struct buf *why)
{
	struct io *io = ctx->arg;
	struct buf b = BUF_INIT;
	enum tree_read_step step;
	const char *reason;
	int rc;

	if ((rc = tree_dirs_read(io->dirs, path, PREV_MAX, &b, &step)) < 0) {
		reason = strerror(errno);
		if (step == TREE_READ_DIR && (errno == ELOOP ||
		    errno == ENOTDIR))
			reason = "a symbolic link or a file is in the way";
		else if (step == TREE_READ_OPEN && errno == ELOOP)
			reason = "it is a symbolic link";
		else if (step == TREE_READ_KIND)
			reason = "it is not a regular file";
		buf_printf(why, step == TREE_READ_DIR ? "cannot open the "
		    "directory of %s/%s: %s" : "cannot read %s/%s: %s",
		    io->outdir, path, reason);
	}
	if (rc <= 0) {
		buf_free(&b);
		return rc;
	}
	io->texts = xrealloc(io->texts, (io->ntexts + 1) * sizeof *io->texts);
	*len = b.len;
	*text = io->texts[io->ntexts++] = buf_detach(&b, NULL);
	return 1;
}

static int
io_keyring(struct emit_ctx *ctx, const struct age_keyring **kr,
    struct buf *why)
{
	struct io *io = ctx->arg;

	if (!io->loaded) {
		io->loaded = 1;
		io->kr = age_keyring_new();
		io->krstatus = sops_identities_load(io->kr, &io->krwhy);
	}
	*kr = io->kr;
	if (io->krstatus != SOPS_OK)
		buf_add(why, io->krwhy.data, io->krwhy.len);
	return io->krstatus;
}

static const char *
io_getenv(struct emit_ctx *ctx, const char *name)
{
	(void)ctx;
	return getenv(name);
}

/* SOURCE_DATE_EPOCH when set (reproducible builds), else the clock. */
static int
io_now(struct diag *d, int64_t *now)
{
	const char *v = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long n;

	if (v == NULL || *v == '\0') {
		*now = (int64_t)time(NULL);
		return 0;
	}
	errno = 0;
	n = strtoll(v, &end, 10);
	if (*v < '0' || *v > '9' || *end != '\0' || errno != 0 ||
	    n > 253402300799LL) {
		diag_error(d, NULL, "SOURCE_DATE_EPOCH is '%s', not a number "
		    "of seconds since 1970 before the year 10000", v);
		return -1;
	}
	*now = (int64_t)n;
	return 0;
}

int
emit_io_init(struct emit_ctx *ctx, struct diag *d, const char *outdir,
    bool check, const char *const *rotate, size_t nrotate)
{
	struct io *io;

	memset(ctx, 0, sizeof *ctx);
	io = xcalloc(1, sizeof *io);
	io->outdir = outdir;
	io->dirs = tree_dirs_new(outdir);
	ctx->diag = d;
	ctx->outdir = outdir;
	ctx->check = check;
	ctx->rotate = rotate;
	ctx->nrotate = nrotate;
	ctx->prev = io_prev;
	ctx->keyring = io_keyring;
	ctx->getenv = io_getenv;
	ctx->arg = io;
	return io_now(d, &ctx->now);
}

void
emit_io_free(struct emit_ctx *ctx)
{
	struct io *io = ctx->arg;
	size_t i;

	if (io == NULL)
		return;
	for (i = 0; i < io->ntexts; i++)
		free(io->texts[i]);
	free(io->texts);
	tree_dirs_free(io->dirs);
	if (io->kr != NULL)
		age_keyring_free(io->kr);
	buf_free(&io->krwhy);
	free(io);
	ctx->arg = NULL;
}
