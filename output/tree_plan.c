/* tree_plan.c: compare a tree with a directory, then stage and publish it. */
#ifdef __linux__
#define _GNU_SOURCE		/* syncfs(2) */
#endif
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

void (*tree_fault_hook)(const char *);

int
tree_syserr(struct buf *err, const char *dir, const char *path,
    const char *what)
{
	buf_printf(err, "%s/%s: %s: %s\n", dir, path, what, strerror(errno));
	return -1;
}

int
tree_open_dir(int rootfd, const char *path, size_t len)
{
	char name[4096];
	const char *c, *p, *end = path + len;
	int fd, next;
	size_t n;

	if ((fd = dup(rootfd)) < 0)
		return -1;
	for (c = path; c < end; c = p + 1) {
		p = memchr(c, '/', (size_t)(end - c));
		if (p == NULL)
			p = end;
		n = (size_t)(p - c);
		if (n >= sizeof name) {
			close(fd);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(name, c, n);
		name[n] = '\0';
		next = openat(fd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		if (next < 0)
			return -1;
		fd = next;
	}
	return fd;
}

size_t
tree_dirlen(const char *path)
{
	const char *s;

	s = strrchr(path, '/');
	return s != NULL ? (size_t)(s - path) : 0;
}

int
tree_open_parent(int rootfd, const char *path)
{
	return tree_open_dir(rootfd, path, tree_dirlen(path));
}

const char *
tree_base(const char *path)
{
	const char *s;

	s = strrchr(path, '/');
	return s != NULL ? s + 1 : path;
}

int
tree_sync_dir(int rootfd, const char *path, size_t len)
{
	int fd, rc;

	if ((fd = tree_open_dir(rootfd, path, len)) < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

void
tree_dircache_init(struct tree_dircache *c)
{
	size_t i;

	memset(c, 0, sizeof *c);
	for (i = 0; i < TREE_DIRCACHE; i++)
		c->fd[i] = -1;
}

void
tree_dircache_clear(struct tree_dircache *c)
{
	size_t i;

	for (i = 0; i < TREE_DIRCACHE; i++) {
		if (c->fd[i] >= 0)
			close(c->fd[i]);
		free(c->path[i]);
	}
	tree_dircache_init(c);
}

int
tree_dircache_open(struct tree_dircache *c, int rootfd, const char *path,
    size_t len)
{
	unsigned i;
	int fd;

	for (i = 0; i < TREE_DIRCACHE; i++)
		if (c->fd[i] >= 0 && c->len[i] == len &&
		    memcmp(c->path[i], path, len) == 0)
			return c->fd[i];
	if ((fd = tree_open_dir(rootfd, path, len)) < 0)
		return -1;
	i = c->next;
	c->next = (c->next + 1) % TREE_DIRCACHE;
	if (c->fd[i] >= 0)
		close(c->fd[i]);
	free(c->path[i]);
	c->fd[i] = fd;
	c->path[i] = xstrndup(path, len);
	c->len[i] = len;
	return fd;
}

/*
 * TREE_BULK_SYNC: how staged files become durable.
 *
 * The journal's guarantee needs one ordering only: every staged file
 * and every directory made for it must be on disk before the journal
 * says "published 1", since recovery then renames the staged files into
 * place without looking at them; and every rename must be on disk
 * before the journal goes.  An fsync per file and per directory gives
 * that, at the price of one journal commit of the filesystem each: a
 * fresh tree of a thousand apps (over 20k files) took 20 s that way.
 *
 * On Linux the files are written without any fsync, then one syncfs(2)
 * on the output filesystem makes all of them and their directories
 * durable at once, in one commit; the published journal is written
 * (fsync, rename, fsync of its directory) only after syncfs returned
 * without error.  After the renames, a second syncfs stands in for the
 * fsync of each changed directory, before the journal is dropped.
 * Since Linux 5.8 syncfs reports a writeback error of the filesystem
 * that happened after the descriptor was opened; the root is opened
 * before anything is staged, so a failed write-back fails the commit,
 * and the staged files are undone as for any other error.  syncfs also
 * writes back whatever other programs left dirty on that filesystem,
 * which costs time but never correctness.
 *
 * Elsewhere each file and each new directory's parent is fsynced as it
 * is staged, and tree_sync_all is an fsync of the root alone (the
 * changed directories are then fsynced one by one).
 */
#ifdef __linux__
const int tree_bulk_sync = 1;

int
tree_sync_all(int rootfd)
{
	return syncfs(rootfd);
}
#else
const int tree_bulk_sync = 0;

int
tree_sync_all(int rootfd)
{
	return fsync(rootfd);
}
#endif

/*
 * Reads the regular file at path below rootfd, reaching its directory
 * through cache, into b (at most max bytes; 0: no bound).  Returns 1 with
 * its permission bits in *mode, 0 when there is nothing there (or a
 * directory on the way is missing), -1 with errno and *step otherwise.
 */
static int
read_below(int rootfd, struct tree_dircache *cache, const char *path,
    size_t max, struct buf *b, int *mode, enum tree_read_step *step)
{
	struct stat st;
	int dfd, fd, rc, e;

	*step = TREE_READ_DIR;
	if ((dfd = tree_dircache_open(cache, rootfd, path,
	    tree_dirlen(path))) < 0)
		return errno == ENOENT ? 0 : -1;
	*step = TREE_READ_OPEN;
	fd = openat(dfd, tree_base(path), O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
	    O_NONBLOCK);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	rc = -1;
	*step = TREE_READ_FILE;
	if (fstat(fd, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			*step = TREE_READ_KIND;
			errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		} else if (fd_read_regular(fd, (size_t)st.st_size, b,
		    max) == 0) {
			*mode = (int)(st.st_mode & 07777);
			rc = 1;
		}
	}
	e = errno;	/* the caller reports why, after close */
	close(fd);
	errno = e;
	return rc;
}

/*
 * Reads the regular file at path below the plan's directory into b.
 * Returns 1, 0 when there is nothing there (or a directory on the way is
 * missing), -1 with a message in err for anything else.
 */
static int
read_existing(struct tree_plan *plan, const char *path, struct buf *b,
    int *mode, struct buf *err)
{
	enum tree_read_step step;
	int rc;

	rc = read_below(plan->rootfd, plan->dirs, path, 0, b, mode, &step);
	if (rc >= 0)
		return rc;
	switch (step) {
	case TREE_READ_DIR:
		return tree_syserr(err, plan->dir, path, errno == ENOTDIR ||
		    errno == ELOOP ? "a parent is not a directory" :
		    "cannot open its directory");
	case TREE_READ_OPEN:
		return tree_syserr(err, plan->dir, path, errno == ELOOP ?
		    "a symbolic link, refusing to follow it" : "cannot open");
	default:
		return tree_syserr(err, plan->dir, path,
		    "cannot read it as a file");
	}
}

struct tree_dirs {
	char			*dir;
	int			 rootfd;	/* -1 until opened */
	struct tree_dircache	 cache;
};

struct tree_dirs *
tree_dirs_new(const char *dir)
{
	struct tree_dirs *d;

	d = xcalloc(1, sizeof *d);
	d->dir = xstrdup(dir);
	d->rootfd = -1;
	tree_dircache_init(&d->cache);
	return d;
}

int
tree_dirs_read(struct tree_dirs *d, const char *path, size_t max,
    struct buf *b, enum tree_read_step *step)
{
	int mode;

	*step = TREE_READ_DIR;
	if (d->rootfd < 0 &&
	    (d->rootfd = open(d->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -1;
	return read_below(d->rootfd, &d->cache, path, max, b, &mode, step);
}

void
tree_dirs_free(struct tree_dirs *d)
{
	if (d == NULL)
		return;
	tree_dircache_clear(&d->cache);
	if (d->rootfd >= 0)
		close(d->rootfd);
	free(d->dir);
	free(d);
}

/* Fills c->old, c->oldmode and c->state from the disk. */
static int
look(struct tree_plan *plan, struct tree_change *c, struct buf *err)
{
	const struct tree_file *f = c->file;
	struct buf b = BUF_INIT;
	int rc;

	c->state = TREE_NEW;
	c->oldmode = -1;
	if (plan->rootfd < 0)
		return 0;
	rc = read_existing(plan, c->path, &b, &c->oldmode, err);
	if (rc <= 0) {
		buf_free(&b);
		return rc;
	}
	c->oldlen = b.len;
	if (b.len != f->len || memcmp(b.data, f->data, b.len) != 0) {
		c->state = TREE_CHANGED;
		c->old = c->oldbuf = buf_detach(&b, NULL);
		return 0;
	}
	/* most files of a rerun: keep one copy of the bytes, not two */
	c->state = (c->oldmode ^ f->mode) & 0100 ? TREE_MODE : TREE_SAME;
	c->old = f->data;
	buf_free(&b);
	return 0;
}

static struct tree_change *
plan_push(struct tree_plan *plan)
{
	struct tree_change *c;

	if (plan->nchanges == plan->cap) {
		plan->cap = plan->cap ? plan->cap * 2 : 16;
		plan->changes = xrealloc(plan->changes,
		    plan->cap * sizeof *plan->changes);
	}
	c = &plan->changes[plan->nchanges++];
	memset(c, 0, sizeof *c);
	c->oldmode = -1;
	return c;
}

int
tree_plan_make(struct tree_plan *plan, struct tree *t, const char *dir,
    struct buf *err)
{
	struct tree_change *c;
	mode_t m;
	size_t i;

	tree_sort(t);
	memset(plan, 0, sizeof *plan);
	plan->dir = xstrdup(dir);
	plan->dirs = xmalloc(sizeof *plan->dirs);
	tree_dircache_init(plan->dirs);
	plan->tree = t;
	m = umask(0);
	umask(m);
	plan->umask = (int)m;
	plan->rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (plan->rootfd < 0 && errno != ENOENT)
		return tree_syserr(err, dir, ".", "cannot open");
	for (i = 0; i < t->nfiles; i++) {
		c = plan_push(plan);
		c->file = &t->files[i];
		c->path = c->file->path;
		if (look(plan, c, err) < 0)
			return -1;
	}
	return 0;
}

int
tree_plan_remove(struct tree_plan *plan, const char *path, struct buf *err)
{
	struct tree_change *c;
	struct buf b = BUF_INIT;
	int rc, mode;

	if (!tree_path_ok(path) || tree_get(plan->tree, path) != NULL) {
		buf_printf(err, "%s/%s: not a file to remove\n", plan->dir,
		    path);
		return -1;
	}
	if (plan->rootfd < 0)
		return 0;
	rc = read_existing(plan, path, &b, &mode, err);
	if (rc <= 0) {
		buf_free(&b);
		return rc;
	}
	c = plan_push(plan);
	c->path = xstrdup(path);
	c->state = TREE_GONE;
	c->oldlen = b.len;
	c->old = c->oldbuf = buf_detach(&b, NULL);
	c->oldmode = mode;
	return 1;
}

size_t
tree_plan_ndiff(const struct tree_plan *plan)
{
	size_t i, n;

	n = 0;
	for (i = 0; i < plan->nchanges; i++)
		if (plan->changes[i].state != TREE_SAME)
			n++;
	return n;
}

/* mkdir -p for the output directory itself, which may be a symlink. */
static int
make_root(struct tree_plan *plan, struct buf *err)
{
	char *p, *s;

	s = xstrdup(plan->dir);
	for (p = s + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(s, 0777) < 0 && errno != EEXIST) {
			tree_syserr(err, s, ".", "cannot create");
			free(s);
			return -1;
		}
		*p = '/';
	}
	free(s);
	if (mkdir(plan->dir, 0777) < 0 && errno != EEXIST)
		return tree_syserr(err, plan->dir, ".", "cannot create");
	plan->rootfd = open(plan->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (plan->rootfd < 0)
		return tree_syserr(err, plan->dir, ".", "cannot open");
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The directories staging must make, parents first: every missing
 * ancestor of a new file.  Sorting puts a directory before what it holds
 * (a prefix sorts first) and brings duplicates together.
 */
static void
plan_dirs(struct tree_plan *plan)
{
	const char *path, *prev = NULL;
	struct stat st;
	size_t i, n, cap = 0, k;
	char *d;

	for (i = 0; i < plan->nchanges; i++) {
		if (plan->changes[i].state != TREE_NEW)
			continue;
		path = plan->changes[i].path;
		n = tree_dirlen(path);
		if (prev != NULL && tree_dirlen(prev) == n &&
		    strncmp(prev, path, n) == 0)
			continue;
		prev = path;
		for (k = 1; k <= n; k++) {
			if (k < n && path[k] != '/')
				continue;
			d = xstrndup(path, k);
			if (fstatat(plan->rootfd, d, &st, AT_SYMLINK_NOFOLLOW)
			    == 0 || errno != ENOENT) {
				free(d);
				continue;
			}
			if (plan->nmkdirs == cap) {
				cap = cap ? cap * 2 : 16;
				plan->mkdirs = xrealloc(plan->mkdirs,
				    cap * sizeof *plan->mkdirs);
			}
			plan->mkdirs[plan->nmkdirs++] = d;
		}
	}
	if (plan->nmkdirs == 0)
		return;
	qsort(plan->mkdirs, plan->nmkdirs, sizeof *plan->mkdirs, cmp_str);
	for (i = k = 1; i < plan->nmkdirs; i++) {
		if (strcmp(plan->mkdirs[i], plan->mkdirs[k - 1]) == 0)
			free(plan->mkdirs[i]);
		else
			plan->mkdirs[k++] = plan->mkdirs[i];
	}
	plan->nmkdirs = k;
}

/* Names a temporary file beside each file to write. */
static void
plan_tmps(struct tree_plan *plan)
{
	static unsigned long counter;
	struct tree_change *c;
	struct buf b = BUF_INIT;
	long pid = (long)getpid();
	size_t i, n;

	for (i = 0; i < plan->nchanges; i++) {
		c = &plan->changes[i];
		if (c->state != TREE_NEW && c->state != TREE_CHANGED)
			continue;
		n = tree_dirlen(c->path);
		buf_reset(&b);
		if (n > 0)
			buf_printf(&b, "%.*s/", (int)n, c->path);
		buf_printf(&b, ".railgen-%ld-%lu.tmp", pid, counter++);
		free(c->tmp);
		c->tmp = xstrdup(b.data);
	}
	buf_free(&b);
}

static int
make_dir(struct tree_plan *plan, const char *path, struct buf *err)
{
	int dfd;

	dfd = tree_dircache_open(plan->dirs, plan->rootfd, path,
	    tree_dirlen(path));
	if (dfd < 0)
		return tree_syserr(err, plan->dir, path,
		    "cannot open the directory to hold it");
	if ((mkdirat(dfd, tree_base(path), 0777) < 0 && errno != EEXIST) ||
	    (!tree_bulk_sync && fsync(dfd) < 0))
		return tree_syserr(err, plan->dir, path, "cannot create");
	return 0;
}

/* The bytes of c into its temporary file; fsync waits (TREE_BULK_SYNC). */
static int
stage_one(struct tree_plan *plan, struct tree_change *c, struct buf *err)
{
	const struct tree_file *f = c->file;
	int dfd, fd;

	dfd = tree_dircache_open(plan->dirs, plan->rootfd, c->path,
	    tree_dirlen(c->path));
	if (dfd < 0)
		return tree_syserr(err, plan->dir, c->path,
		    "cannot create its directory");
	/* created with its final mode: the umask applies as fchmod's would */
	fd = openat(dfd, tree_base(c->tmp), O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, (mode_t)(f->mode & 07777));
	if (fd < 0)
		return tree_syserr(err, plan->dir, c->path,
		    "cannot create a temporary file beside it");
	if (fd_write_all(fd, f->data, f->len) < 0 ||
	    (!tree_bulk_sync && fsync(fd) < 0)) {
		tree_syserr(err, plan->dir, c->path, "cannot write");
		close(fd);
		return -1;
	}
	if (close(fd) < 0)
		return tree_syserr(err, plan->dir, c->path, "cannot write");
	return 0;
}

/* Directories first, then the files; the journal already lists both. */
static int
stage_all(struct tree_plan *plan, struct buf *err)
{
	struct tree_change *c;
	size_t i;

	for (i = 0; i < plan->nmkdirs; i++) {
		if (tree_fault_hook != NULL)
			tree_fault_hook("mkdir");
		if (make_dir(plan, plan->mkdirs[i], err) < 0)
			return -1;
	}
	for (i = 0; i < plan->nchanges; i++) {
		c = &plan->changes[i];
		if (c->tmp == NULL)
			continue;
		if (tree_fault_hook != NULL)
			tree_fault_hook("stage");
		if (stage_one(plan, c, err) < 0)
			return -1;
	}
	/* Nothing is published before all of it is on disk. */
	if (tree_sync_all(plan->rootfd) < 0)
		return tree_syserr(err, plan->dir, ".",
		    "cannot write the staged files to disk");
	return 0;
}

static void
plan_undo(struct tree_plan *plan)
{
	struct tree_journal j;

	tree_journal_of_plan(&j, plan);
	tree_journal_undo(plan->rootfd, &j);
	tree_journal_free(&j);
	plan->staged = 0;
}

int
tree_plan_stage(struct tree_plan *plan, struct buf *err)
{
	struct tree_journal j;
	int rc;

	if (tree_plan_ndiff(plan) == 0)
		return 0;
	if (plan->rootfd < 0 && make_root(plan, err) < 0)
		return -1;
	plan_dirs(plan);
	plan_tmps(plan);
	tree_journal_of_plan(&j, plan);
	rc = tree_journal_write(plan->rootfd, plan->dir, &j, err);
	tree_journal_free(&j);
	if (rc < 0)
		return -1;
	plan->staged = 1;
	if (stage_all(plan, err) < 0) {
		plan_undo(plan);
		return -1;
	}
	return 0;
}

int
tree_plan_publish(struct tree_plan *plan, struct buf *err)
{
	struct tree_journal j;
	int rc;

	if (plan->staged != 1)
		return 0;
	tree_journal_of_plan(&j, plan);
	j.published = 1;
	rc = tree_journal_write(plan->rootfd, plan->dir, &j, err);
	if (rc == 0) {
		/* From here on the commit happens: recovery finishes it. */
		plan->staged = 2;
		rc = tree_journal_replay(plan->rootfd, plan->dir, &j, err);
	}
	tree_journal_free(&j);
	return rc;
}

void
tree_plan_free(struct tree_plan *plan)
{
	struct tree_change *c;
	size_t i;

	if (plan->staged == 1)
		plan_undo(plan);
	if (plan->dirs != NULL) {
		tree_dircache_clear(plan->dirs);
		free(plan->dirs);
	}
	for (i = 0; i < plan->nchanges; i++) {
		c = &plan->changes[i];
		if (c->state == TREE_GONE)
			free((char *)c->path);
		free(c->tmp);
		free(c->oldbuf);
	}
	for (i = 0; i < plan->nmkdirs; i++)
		free(plan->mkdirs[i]);
	free(plan->mkdirs);
	if (plan->rootfd >= 0)
		close(plan->rootfd);
	free(plan->changes);
	free(plan->dir);
	memset(plan, 0, sizeof *plan);
	plan->rootfd = -1;
}

int
tree_commit(struct tree *t, const char *dir, struct buf *err)
{
	struct tree_plan plan;
	int rc;

	if (t->nerrors > 0) {
		buf_printf(err, "%s: not written: %d error%s reported\n",
		    dir, t->nerrors, t->nerrors == 1 ? "" : "s");
		return -1;
	}
	if (tree_recover(dir, err) < 0)
		return -1;
	rc = -1;
	if (tree_plan_make(&plan, t, dir, err) == 0 &&
	    tree_plan_stage(&plan, err) == 0 &&
	    tree_plan_publish(&plan, err) == 0)
		rc = (int)tree_plan_ndiff(&plan);
	tree_plan_free(&plan);
	return rc;
}

int
tree_compare(struct tree *t, const char *dir, tree_diff_fn fn,
    void *arg, struct buf *err)
{
	struct tree_plan plan;
	size_t i;
	int n;

	n = -1;
	if (tree_plan_make(&plan, t, dir, err) < 0)
		goto out;
	n = 0;
	for (i = 0; i < plan.nchanges; i++) {
		if (plan.changes[i].state == TREE_SAME)
			continue;
		if (fn(arg, &plan.changes[i]) < 0) {
			buf_printf(err, "%s: comparison stopped\n", dir);
			n = -1;
			goto out;
		}
		n++;
	}
out:
	tree_plan_free(&plan);
	return n;
}
