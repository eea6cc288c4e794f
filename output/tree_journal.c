/* tree_journal.c: the journal of a commit, and recovery from a killed run. */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fdio.h"
#include "tree.h"
#include "tree_impl.h"

/*
 * The journal is a text file, one step per line, fields separated by
 * tabs (output paths hold neither tabs nor newlines):
 *
 *	railgen-journal 1
 *	published 0|1
 *	mkdir	PATH
 *	rename	TMP	PATH
 *	chmod	MODE	PATH		(MODE in octal)
 *	unlink	PATH
 *	end
 *
 * It is written to TREE_JOURNAL_NEW, synced and renamed into place, so a
 * journal that exists is complete.  Staging starts only once the
 * journal listing its temporary files and directories is on disk, the
 * journal says "published 1" only once every staged file is (one
 * syncfs, see TREE_BULK_SYNC in tree_plan.c), and publishing starts
 * only after that.  The journal goes only once a second sync has put
 * every rename on disk.  Every step can be taken twice: a rename whose
 * temporary file is gone was done, an unlink of a missing file is done.
 */

#define TREE_JOURNAL_NEW	TREE_JOURNAL ".new"
#define JOURNAL_MAGIC		"railgen-journal 1"

static struct tree_op *
op_push(struct tree_journal *j, enum tree_op_kind kind, const char *path)
{
	struct tree_op *op;

	if (j->nops == j->cap) {
		j->cap = j->cap ? j->cap * 2 : 16;
		j->ops = xrealloc(j->ops, j->cap * sizeof *j->ops);
	}
	op = &j->ops[j->nops++];
	memset(op, 0, sizeof *op);
	op->kind = kind;
	op->path = xstrdup(path);
	return op;
}

void
tree_journal_of_plan(struct tree_journal *j, const struct tree_plan *plan)
{
	const struct tree_change *c;
	struct tree_op *op;
	size_t i;

	memset(j, 0, sizeof *j);
	for (i = 0; i < plan->nmkdirs; i++)
		op_push(j, TREE_OP_MKDIR, plan->mkdirs[i]);
	for (i = 0; i < plan->nchanges; i++) {
		c = &plan->changes[i];
		if (c->tmp != NULL) {
			op = op_push(j, TREE_OP_RENAME, c->path);
			op->tmp = xstrdup(c->tmp);
		} else if (c->state == TREE_MODE) {
			op = op_push(j, TREE_OP_CHMOD, c->path);
			op->mode = c->file->mode & ~plan->umask & 07777;
		} else if (c->state == TREE_GONE)
			op_push(j, TREE_OP_UNLINK, c->path);
	}
}

void
tree_journal_free(struct tree_journal *j)
{
	size_t i;

	for (i = 0; i < j->nops; i++) {
		free(j->ops[i].path);
		free(j->ops[i].tmp);
	}
	free(j->ops);
	memset(j, 0, sizeof *j);
}

static void
journal_text(const struct tree_journal *j, struct buf *b)
{
	const struct tree_op *op;
	size_t i;

	buf_printf(b, "%s\npublished %d\n", JOURNAL_MAGIC, j->published);
	for (i = 0; i < j->nops; i++) {
		op = &j->ops[i];
		switch (op->kind) {
		case TREE_OP_MKDIR:
			buf_printf(b, "mkdir\t%s\n", op->path);
			break;
		case TREE_OP_RENAME:
			buf_printf(b, "rename\t%s\t%s\n", op->tmp, op->path);
			break;
		case TREE_OP_CHMOD:
			buf_printf(b, "chmod\t%04o\t%s\n", op->mode, op->path);
			break;
		case TREE_OP_UNLINK:
			buf_printf(b, "unlink\t%s\n", op->path);
			break;
		}
	}
	buf_adds(b, "end\n");
}

int
tree_journal_write(int rootfd, const char *dir, const struct tree_journal *j,
    struct buf *err)
{
	struct buf b = BUF_INIT;
	int fd;

	journal_text(j, &b);
	if (unlinkat(rootfd, TREE_JOURNAL_NEW, 0) < 0 && errno != ENOENT)
		goto fail;
	fd = openat(rootfd, TREE_JOURNAL_NEW, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		goto fail;
	if (fd_write_all(fd, b.data, b.len) < 0 || fsync(fd) < 0) {
		close(fd);
		unlinkat(rootfd, TREE_JOURNAL_NEW, 0);
		goto fail;
	}
	if (tree_fault_hook != NULL)
		tree_fault_hook("journal");
	if (close(fd) < 0 || renameat(rootfd, TREE_JOURNAL_NEW, rootfd,
	    TREE_JOURNAL) < 0 || fsync(rootfd) < 0) {
		unlinkat(rootfd, TREE_JOURNAL_NEW, 0);
		goto fail;
	}
	buf_free(&b);
	return 0;
fail:
	buf_free(&b);
	return tree_syserr(err, dir, TREE_JOURNAL, "cannot write the journal");
}

/* Its own temporary file, in the same directory as path. */
static int
tmp_ok(const char *tmp, const char *path)
{
	const char *base = tree_base(tmp);
	size_t n = strlen(base);

	return tree_path_ok(tmp) && tree_dirlen(tmp) == tree_dirlen(path) &&
	    strncmp(tmp, path, tree_dirlen(path)) == 0 &&
	    strncmp(base, ".railgen-", 9) == 0 && n > 13 &&
	    strcmp(base + n - 4, ".tmp") == 0;
}

/* Splits line at tabs into at most max fields; returns their number. */
static int
fields(char *line, char **f, int max)
{
	int n;

	for (n = 0; n < max; n++) {
		f[n] = line;
		if ((line = strchr(line, '\t')) == NULL)
			return n + 1;
		*line++ = '\0';
	}
	return -1;
}

static int
parse_op(struct tree_journal *j, char *line)
{
	struct tree_op *op;
	char *f[3], *end;
	long mode;
	int n;

	if ((n = fields(line, f, 3)) < 2 || !tree_path_ok(f[n - 1]))
		return -1;
	if (n == 2 && strcmp(f[0], "mkdir") == 0)
		op_push(j, TREE_OP_MKDIR, f[1]);
	else if (n == 2 && strcmp(f[0], "unlink") == 0)
		op_push(j, TREE_OP_UNLINK, f[1]);
	else if (n == 3 && strcmp(f[0], "rename") == 0 && tmp_ok(f[1], f[2])) {
		op = op_push(j, TREE_OP_RENAME, f[2]);
		op->tmp = xstrdup(f[1]);
	} else if (n == 3 && strcmp(f[0], "chmod") == 0) {
		mode = strtol(f[1], &end, 8);
		if (*f[1] == '\0' || *end != '\0' || mode < 0 || mode > 07777)
			return -1;
		op = op_push(j, TREE_OP_CHMOD, f[2]);
		op->mode = (int)mode;
	} else
		return -1;
	return 0;
}

/* Parses text (NUL-terminated, modified); -1 on anything malformed. */
static int
journal_parse(struct tree_journal *j, char *text)
{
	char *line, *nl;
	int n;

	memset(j, 0, sizeof *j);
	for (line = text, n = 0; *line != '\0'; line = nl + 1, n++) {
		if ((nl = strchr(line, '\n')) == NULL)
			return -1;
		*nl = '\0';
		if (n == 0 && strcmp(line, JOURNAL_MAGIC) != 0)
			return -1;
		if (n == 1 && strcmp(line, "published 0") != 0 &&
		    strcmp(line, "published 1") != 0)
			return -1;
		if (n == 1)
			j->published = line[10] == '1';
		if (n < 2)
			continue;
		if (strcmp(line, "end") == 0)
			return nl[1] == '\0' ? 0 : -1;
		if (parse_op(j, line) < 0)
			return -1;
	}
	return -1;
}

/* The directories whose entries changed, to fsync once each. */
struct dirset {
	char	**v;
	size_t	 n, cap;
};

static void
dirset_add(struct dirset *s, const char *path, size_t len)
{
	if (s->n > 0 && strlen(s->v[s->n - 1]) == len &&
	    strncmp(s->v[s->n - 1], path, len) == 0)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = xstrndup(path, len);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Makes the steps taken durable.  With a bulk sync (TREE_BULK_SYNC in
 * tree_plan.c) one syncfs covers every changed directory; otherwise
 * each is fsynced once.
 */
static int
dirset_sync(int rootfd, const char *dir, struct dirset *s, struct buf *err)
{
	size_t i;
	int rc = 0;

	if (tree_bulk_sync && s->n > 0 && tree_sync_all(rootfd) < 0)
		rc = tree_syserr(err, dir, ".", "cannot sync the directory");
	if (!tree_bulk_sync && s->n > 0)
		qsort(s->v, s->n, sizeof *s->v, cmp_str);
	for (i = 0; i < s->n && !tree_bulk_sync; i++) {
		if (i > 0 && strcmp(s->v[i], s->v[i - 1]) == 0)
			continue;
		if (rc == 0 && tree_sync_dir(rootfd, s->v[i],
		    strlen(s->v[i])) < 0 && errno != ENOENT)
			rc = tree_syserr(err, dir, s->v[i],
			    "cannot sync the directory");
	}
	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	return rc;
}

static int
do_rename(int rootfd, struct tree_dircache *dc, const struct tree_op *op)
{
	int dfd, rc;

	dfd = tree_dircache_open(dc, rootfd, op->path, tree_dirlen(op->path));
	if (dfd < 0)
		return -1;
	rc = renameat(dfd, tree_base(op->tmp), dfd, tree_base(op->path));
	if (rc < 0 && errno == ENOENT)
		rc = 0;		/* renamed before the run was killed */
	return rc;
}

static int
do_chmod(int rootfd, struct tree_dircache *dc, const struct tree_op *op)
{
	int dfd, fd, rc;

	dfd = tree_dircache_open(dc, rootfd, op->path, tree_dirlen(op->path));
	if (dfd < 0)
		return -1;
	fd = openat(dfd, tree_base(op->path),
	    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	rc = fchmod(fd, (mode_t)op->mode);
	close(fd);
	return rc;
}

/* The length of the parent of the directory path[0, n), n > 0. */
static size_t
up(const char *path, size_t n)
{
	while (n > 0 && path[n - 1] != '/')
		n--;
	return n > 0 ? n - 1 : 0;
}

/*
 * Removes the directory path[0, n) when it is empty.  rmdir refuses a
 * directory that holds anything, which is the test.
 */
static int
prune_dir(int rootfd, const char *path, size_t n)
{
	size_t p = up(path, n), skip = p > 0 ? p + 1 : 0;
	char *name;
	int dfd, rc;

	if ((dfd = tree_open_dir(rootfd, path, p)) < 0)
		return -1;
	name = xstrndup(path + skip, n - skip);
	rc = unlinkat(dfd, name, AT_REMOVEDIR);
	free(name);
	close(dfd);
	return rc;
}

/*
 * Removes path, then each directory above it that this leaves empty
 * (never the output directory itself), and notes the directory whose
 * entries changed last.
 */
static int
do_unlink(int rootfd, const struct tree_op *op, struct dirset *s)
{
	const char *path = op->path;
	size_t n;
	int dfd, rc;

	n = tree_dirlen(path);
	if ((dfd = tree_open_dir(rootfd, path, n)) < 0)
		return errno == ENOENT ? 0 : -1;
	rc = unlinkat(dfd, tree_base(path), 0);
	close(dfd);
	if (rc < 0 && errno != ENOENT)
		return -1;
	while (n > 0 && prune_dir(rootfd, path, n) == 0)
		n = up(path, n);
	dirset_add(s, path, n);
	return 0;
}

static int
replay_op(int rootfd, const char *dir, const struct tree_op *op,
    struct tree_dircache *dc, struct dirset *s, struct buf *err)
{
	switch (op->kind) {
	case TREE_OP_MKDIR:
		return 0;
	case TREE_OP_RENAME:
		if (do_rename(rootfd, dc, op) < 0)
			return tree_syserr(err, dir, op->path,
			    "cannot replace");
		dirset_add(s, op->path, tree_dirlen(op->path));
		return 0;
	case TREE_OP_CHMOD:
		if (do_chmod(rootfd, dc, op) < 0)
			return tree_syserr(err, dir, op->path,
			    "cannot change its mode");
		/* So that a bulk sync also covers a commit of modes only. */
		dirset_add(s, op->path, tree_dirlen(op->path));
		return 0;
	case TREE_OP_UNLINK:
		/* Directories may go: no descriptor to one may outlive it. */
		tree_dircache_clear(dc);
		if (do_unlink(rootfd, op, s) < 0)
			return tree_syserr(err, dir, op->path,
			    "cannot remove");
		return 0;
	}
	return 0;
}

int
tree_journal_replay(int rootfd, const char *dir,
    const struct tree_journal *j, struct buf *err)
{
	struct tree_dircache dc;
	struct dirset s;
	size_t i;
	int rc = 0;

	memset(&s, 0, sizeof s);
	tree_dircache_init(&dc);
	for (i = 0; i < j->nops && rc == 0; i++) {
		if (tree_fault_hook != NULL && j->ops[i].kind != TREE_OP_MKDIR)
			tree_fault_hook("publish");
		rc = replay_op(rootfd, dir, &j->ops[i], &dc, &s, err);
	}
	tree_dircache_clear(&dc);
	if (dirset_sync(rootfd, dir, &s, err) < 0)
		rc = -1;
	if (rc < 0)
		return -1;
	if (tree_fault_hook != NULL)
		tree_fault_hook("drop");
	/* Every step is on disk: the journal has done its work. */
	if (unlinkat(rootfd, TREE_JOURNAL, 0) < 0 || fsync(rootfd) < 0)
		return tree_syserr(err, dir, TREE_JOURNAL,
		    "cannot remove the journal");
	return 0;
}

void
tree_journal_undo(int rootfd, const struct tree_journal *j)
{
	const struct tree_op *op;
	size_t i;
	int dfd;

	for (i = 0; i < j->nops; i++) {
		op = &j->ops[i];
		if (op->kind != TREE_OP_RENAME)
			continue;
		if ((dfd = tree_open_parent(rootfd, op->tmp)) < 0)
			continue;
		unlinkat(dfd, tree_base(op->tmp), 0);
		close(dfd);
	}
	for (i = j->nops; i-- > 0;) {
		op = &j->ops[i];
		if (op->kind == TREE_OP_MKDIR)
			prune_dir(rootfd, op->path, strlen(op->path));
	}
	fsync(rootfd);
	unlinkat(rootfd, TREE_JOURNAL, 0);
	fsync(rootfd);
}

/* Reads the journal of dir: 1 found, 0 none, -1 (err) unreadable. */
static int
journal_read(int rootfd, const char *dir, struct tree_journal *j,
    struct buf *err)
{
	struct buf b = BUF_INIT;
	struct stat st;
	int fd, rc;

	memset(j, 0, sizeof *j);
	fd = openat(rootfd, TREE_JOURNAL, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
	    O_NONBLOCK);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return tree_syserr(err, dir, TREE_JOURNAL, "cannot open");
	rc = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    fd_read_all(fd, &b, 0) == 0 ? 1 : -1;
	close(fd);
	if (rc < 0) {
		buf_free(&b);
		return tree_syserr(err, dir, TREE_JOURNAL, "cannot read");
	}
	buf_addc(&b, '\0');
	if (strlen(b.data) + 1 != b.len || journal_parse(j, b.data) < 0) {
		buf_printf(err, "%s/%s: not a journal railgen wrote; check "
		    "the directory and remove it\n", dir, TREE_JOURNAL);
		tree_journal_free(j);
		rc = -1;
	}
	buf_free(&b);
	return rc;
}

int
tree_recover(const char *dir, struct buf *err)
{
	struct tree_journal j;
	struct stat st;
	int rootfd, rc;

	if ((rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? TREE_RECOVER_NONE :
		    tree_syserr(err, dir, ".", "cannot open");
	/*
	 * A journal that was never renamed into place did not count.  Look
	 * first: unlinking nothing fails on a read-only file system, where
	 * a run that changes no file must still succeed.
	 */
	if (fstatat(rootfd, TREE_JOURNAL_NEW, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    unlinkat(rootfd, TREE_JOURNAL_NEW, 0) < 0 && errno != ENOENT) {
		rc = tree_syserr(err, dir, TREE_JOURNAL_NEW, "cannot remove");
		close(rootfd);
		return rc;
	}
	rc = journal_read(rootfd, dir, &j, err);
	if (rc > 0 && j.published)
		rc = tree_journal_replay(rootfd, dir, &j, err) < 0 ? -1 :
		    TREE_RECOVER_DONE;
	else if (rc > 0) {
		tree_journal_undo(rootfd, &j);
		rc = TREE_RECOVER_UNDONE;
	}
	tree_journal_free(&j);
	close(rootfd);
	return rc;
}

int
tree_pending(const char *dir)
{
	struct buf b = BUF_INIT;
	struct stat st;
	int pending;

	buf_printf(&b, "%s/%s", dir, TREE_JOURNAL);
	pending = lstat(b.data, &st) == 0;
	buf_free(&b);
	return pending;
}
