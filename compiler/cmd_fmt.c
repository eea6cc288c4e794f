/* cmd_fmt.c: "railgen fmt", .rail files rewritten in their canonical layout. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "cmd.h"
#include "diag.h"
#include "fdio.h"
#include "fmt.h"

/*
 *   railgen fmt FILE...           rewrites each file that is not in the
 *                                 canonical layout (fmt.h)
 *   railgen fmt --check FILE...   writes nothing; prints the name of each
 *                                 file that is not, one per line
 *   railgen fmt [--check] [-]     standard input, formatted to standard
 *                                 output (or checked)
 *
 * A file is replaced atomically: the new text goes to a temporary file in
 * the same directory, which is synced, given the old file's permission
 * bits and renamed over it; a symbolic link is followed and stays a link.
 * A file already canonical is not written at all, so its inode and mtime
 * stay.  A file with syntax errors is reported as the compiler reports it
 * and left alone; the others are still formatted.
 *
 * Exit status: 0 done, or every file canonical (--check); 1 syntax
 * errors, or some file not canonical (--check); 2 usage; 3 I/O failure.
 */

#define STDIN_NAME	"<stdin>"

struct fmt_run {
	struct diag	*diag;
	struct arena	*arena;		/* the texts diag quotes from */
	bool		 check;
	int		 changed;	/* files not canonical */
};

static void
usage(FILE *fp)
{
	fputs("usage: railgen fmt [--check] [FILE.rail...]\n", fp);
}

/* Whole input of fd into the arena; NULL (reported) on a read error. */
static const char *
slurp(struct fmt_run *r, int fd, const char *path, size_t *len)
{
	struct buf b = BUF_INIT;
	const char *text = NULL;

	if (fd_read_all(fd, &b, 0) != 0)
		diag_system(r->diag, errno, "cannot read '%s'", path);
	else {
		text = arena_strndup(r->arena, b.data, b.len);
		*len = b.len;
	}
	buf_free(&b);
	return text;
}


/* Makes the rename durable; a failure is reported, the file is new. */
static int
dir_sync(struct fmt_run *r, const char *dir)
{
	int fd, rc = 0;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) < 0 || fsync(fd) != 0) {
		diag_system(r->diag, errno, "cannot sync directory '%s'", dir);
		rc = -1;
	}
	if (fd >= 0)
		(void)close(fd);
	return rc;
}

/*
 * Writes b to a temporary file beside real (a resolved path), then
 * renames it over real.  On failure the temporary file is removed and
 * real is as it was.
 */
static int
replace(struct fmt_run *r, const char *path, const char *real,
    const struct buf *b, mode_t mode)
{
	const char *slash = strrchr(real, '/');
	char *dir, *tmp;
	int fd, rc = -1;

	dir = xstrndup(real, slash == real ? 1 : (size_t)(slash - real));
	tmp = xmalloc(strlen(real) + sizeof(".fmt-XXXXXX") + 1);
	sprintf(tmp, "%s/.%s.fmt-XXXXXX", slash == real ? "" : dir,
	    slash + 1);
	if ((fd = mkstemp(tmp)) < 0) {
		diag_system(r->diag, errno, "cannot create a temporary file "
		    "beside '%s'", path);
		goto out;
	}
	if (fd_write_all(fd, b->data, b->len) != 0 ||
	    fchmod(fd, mode & 07777) != 0 || fsync(fd) != 0) {
		diag_system(r->diag, errno, "cannot write '%s'", tmp);
		(void)close(fd);
		(void)unlink(tmp);
		goto out;
	}
	if (close(fd) != 0 || rename(tmp, real) != 0) {
		diag_system(r->diag, errno, "cannot replace '%s'", path);
		(void)unlink(tmp);
		goto out;
	}
	rc = dir_sync(r, dir);
out:
	free(dir);
	free(tmp);
	return rc;
}

/* Standard input to standard output, or only checked. */
static void
fmt_stdin(struct fmt_run *r)
{
	struct buf b = BUF_INIT;
	const char *text;
	size_t len;

	if ((text = slurp(r, STDIN_FILENO, STDIN_NAME, &len)) == NULL)
		return;
	diag_source(r->diag, STDIN_NAME, text, len);
	if (fmt_text(r->diag, STDIN_NAME, text, len, &b) == 0) {
		if (r->check && (b.len != len ||
		    memcmp(b.data ? b.data : "", text, len) != 0)) {
			r->changed++;
			puts(STDIN_NAME);
		} else if (!r->check)
			fwrite(b.data ? b.data : "", 1, b.len, stdout);
	}
	buf_free(&b);
}

static const char *
file_read(struct fmt_run *r, const char *path, size_t *len,
    struct stat *st)
{
	const char *text = NULL;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0) {
		diag_system(r->diag, errno, "cannot open '%s'", path);
		return NULL;
	}
	if (fstat(fd, st) != 0)
		diag_system(r->diag, errno, "cannot read '%s'", path);
	else if (S_ISDIR(st->st_mode))
		diag_system(r->diag, EISDIR, "cannot read '%s'", path);
	else if (!S_ISREG(st->st_mode)) {
		diag_error(r->diag, &(struct model_pos){ path, 0, 0, 0 },
		    "not a regular file");
		diag_hint(r->diag, "'railgen fmt - < FILE' formats standard "
		    "input to standard output");
	} else
		text = slurp(r, fd, path, len);
	(void)close(fd);
	return text;
}

static void
fmt_path(struct fmt_run *r, const char *path)
{
	struct buf b = BUF_INIT;
	const char *text;
	char *real = NULL;
	struct stat st;
	size_t len;

	if ((text = file_read(r, path, &len, &st)) == NULL)
		return;
	diag_source(r->diag, path, text, len);
	if (fmt_text(r->diag, path, text, len, &b) != 0 ||
	    (b.len == len && memcmp(b.data ? b.data : "", text, len) == 0))
		goto out;
	r->changed++;
	if (r->check)
		puts(path);
	else if ((real = realpath(path, NULL)) == NULL)
		diag_system(r->diag, errno, "cannot resolve '%s'", path);
	else
		(void)replace(r, path, real, &b, st.st_mode);
out:
	free(real);
	buf_free(&b);
}

/* Options first or anywhere; "--" ends them; "-" is standard input. */
static int
args_parse(int argc, char *argv[], struct fmt_run *r, const char **files,
    int *nfiles)
{
	bool only_files = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (only_files || argv[i][0] != '-' || argv[i][1] == '\0')
			files[(*nfiles)++] = argv[i];
		else if (strcmp(argv[i], "--") == 0)
			only_files = true;
		else if (strcmp(argv[i], "--check") == 0)
			r->check = true;
		else if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return DIAG_EXIT_OK;
		} else {
			diag_usage(r->diag, "fmt: unknown option '%s'",
			    argv[i]);
			usage(stderr);
			return DIAG_EXIT_USAGE;
		}
	}
	return -1;
}

static int
stdout_status(struct fmt_run *r)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		diag_system(r->diag, errno ? errno : EIO, "cannot write to "
		    "standard output");
	return diag_status(r->diag);
}

int
cmd_fmt(int argc, char *argv[])
{
	struct fmt_run r;
	const char **files;
	int nfiles = 0, i, status;

	memset(&r, 0, sizeof(r));
	r.diag = diag_new(stderr);
	r.arena = arena_new();
	files = xcalloc((size_t)argc + 1, sizeof(*files));
	if ((status = args_parse(argc, argv, &r, files, &nfiles)) < 0) {
		if (nfiles == 0)
			fmt_stdin(&r);
		for (i = 0; i < nfiles; i++) {
			if (strcmp(files[i], "-") == 0)
				fmt_stdin(&r);
			else
				fmt_path(&r, files[i]);
		}
		status = stdout_status(&r);
		if (status == DIAG_EXIT_OK && r.check && r.changed > 0)
			status = DIAG_EXIT_INPUT;
	} else if (status == DIAG_EXIT_OK)
		status = stdout_status(&r);
	else
		status = diag_status(r.diag);
	free(files);
	arena_free(r.arena);
	diag_free(r.diag);
	return status;
}
