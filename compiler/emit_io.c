/* emit_io.c: previous files, identities, environment and clock for emitters. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "age.h"
#include "buf.h"
#include "emit.h"
#include "fdio.h"
#include "sops.h"
#include "tree.h"

/*
 * The driver's side of struct emit_ctx.  Previous files are read below
 * the output directory one path component at a time with O_NOFOLLOW, as
 * the tree writer walks it, so a symbolic link planted there is refused
 * rather than followed.  The keyring is loaded on first use only: a run
 * that keeps every secret never reads a key.
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

/* Why fd (from openat, -1 on failure) cannot be read into b, or NULL. */
static const char *
read_regular(int fd, struct buf *b)
{
	struct stat st;

	if (fd < 0)
		return errno == ELOOP ? "it is a symbolic link" :
		    strerror(errno);
	if (fstat(fd, &st) != 0)
		return strerror(errno);
	if (!S_ISREG(st.st_mode))
		return "it is not a regular file";
	if (fd_read_regular(fd, (size_t)st.st_size, b, PREV_MAX) != 0)
		return strerror(errno);
	return NULL;
}

static int
io_prev(struct emit_ctx *ctx, const char *path, const char **text,
    size_t *len, struct buf *why)
{
	struct io *io = ctx->arg;
	struct buf b = BUF_INIT;
	const char *base, *err;
	int dirfd, fd;

	if ((dirfd = tree_dirs_parent(io->dirs, path, &base)) < 0) {
		if (errno == ENOENT)
			return 0;
		buf_printf(why, "cannot open the directory of %s/%s: %s",
		    io->outdir, path, errno == ELOOP || errno == ENOTDIR ?
		    "a symbolic link or a file is in the way" :
		    strerror(errno));
		return -1;
	}
	fd = openat(dirfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	err = read_regular(fd, &b);
	if (fd >= 0)
		close(fd);
	if (err != NULL) {
		buf_printf(why, "cannot read %s/%s: %s", io->outdir, path,
		    err);
		buf_free(&b);
		return -1;
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
