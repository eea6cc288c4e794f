/* tree.c: an in-memory file tree, written atomically or compared with disk. */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "tree.h"

void
tree_init(struct tree *t)
{
	memset(t, 0, sizeof *t);
}

void
tree_free(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->nfiles; i++) {
		free(t->files[i].path);
		free(t->files[i].data);
	}
	free(t->files);
	buf_free(&t->errors);
	memset(t, 0, sizeof *t);
}

void
tree_error(struct tree *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&t->errors, fmt, ap);
	va_end(ap);
	buf_addc(&t->errors, '\n');
	t->nerrors++;
}

/* Relative, no empty, "." or ".." component, no trailing slash. */
static int
path_ok(const char *path)
{
	const char *p, *c;
	size_t n;

	if (*path == '\0' || *path == '/')
		return 0;
	for (c = path;; c = p + 1) {
		p = strchr(c, '/');
		n = p != NULL ? (size_t)(p - c) : strlen(c);
		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		if (p == NULL)
			return 1;
	}
}

/* Index of the first file whose path is not below key (binary search). */
static size_t
lower_bound(const struct tree *t, const char *key)
{
	size_t lo, hi, mid;

	lo = 0;
	hi = t->nfiles;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(t->files[mid].path, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct tree_file *
tree_get(const struct tree *t, const char *path)
{
	size_t i;

	i = lower_bound(t, path);
	if (i < t->nfiles && strcmp(t->files[i].path, path) == 0)
		return &t->files[i];
	return NULL;
}

/* Is path a file's directory, or a file's path one of path's dirs? */
static int
dir_clash(const struct tree *t, const char *path)
{
	struct buf b = BUF_INIT;
	const char *p;
	size_t i;
	int clash;

	clash = 0;
	for (p = strchr(path, '/'); p != NULL && !clash;
	    p = strchr(p + 1, '/')) {
		buf_reset(&b);
		buf_add(&b, path, (size_t)(p - path));
		clash = tree_get(t, b.data) != NULL;
	}
	buf_reset(&b);
	buf_printf(&b, "%s/", path);
	i = lower_bound(t, b.data);
	if (i < t->nfiles && strncmp(t->files[i].path, b.data, b.len) == 0)
		clash = 1;
	buf_free(&b);
	return clash;
}

static int
insert(struct tree *t, const char *path, char *data, size_t len, int mode)
{
	struct tree_file *f;
	size_t i;

	if (!path_ok(path)) {
		tree_error(t, "%s: not a valid output path", path);
		return -1;
	}
	if (tree_get(t, path) != NULL) {
		tree_error(t, "%s: generated twice", path);
		return -1;
	}
	if (dir_clash(t, path)) {
		tree_error(t, "%s: both a file and a directory", path);
		return -1;
	}
	if (t->nfiles == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->files = xrealloc(t->files, t->cap * sizeof *t->files);
	}
	i = lower_bound(t, path);
	memmove(&t->files[i + 1], &t->files[i],
	    (t->nfiles - i) * sizeof *t->files);
	t->nfiles++;
	f = &t->files[i];
	f->path = xstrdup(path);
	f->data = data;
	f->len = len;
	f->mode = mode & 07777;
	return 0;
}

int
tree_add(struct tree *t, const char *path, const void *data, size_t len,
    int mode)
{
	char *copy;

	copy = xmalloc(len + 1);
	if (len > 0)
		memcpy(copy, data, len);
	copy[len] = '\0';
	if (insert(t, path, copy, len, mode) < 0) {
		free(copy);
		return -1;
	}
	return 0;
}

int
tree_add_buf(struct tree *t, const char *path, struct buf *b, int mode)
{
	size_t len;
	char *data;

	data = buf_detach(b, &len);
	if (insert(t, path, data, len, mode) < 0) {
		free(data);
		return -1;
	}
	return 0;
}

/* Disk access. */

static int
syserr(struct buf *err, const char *dir, const char *path, const char *what)
{
	buf_printf(err, "%s/%s: %s: %s\n", dir, path, what, strerror(errno));
	return -1;
}

/*
 * Opens the directory that holds path below rootfd, one component at a
 * time without following symbolic links.  With create, missing
 * directories are made and their parent synced.  Returns the descriptor,
 * or -1 with errno set (ENOENT: a directory is missing).
 */
static int
open_parent(int rootfd, const char *path, int create)
{
	char name[4096];
	const char *c, *p;
	int fd, next;
	size_t n;

	if ((fd = dup(rootfd)) < 0)
		return -1;
	for (c = path; (p = strchr(c, '/')) != NULL; c = p + 1) {
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
		if (next < 0 && errno == ENOENT && create) {
			if (mkdirat(fd, name, 0777) < 0 || fsync(fd) < 0) {
				close(fd);
				return -1;
			}
			next = openat(fd, name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		close(fd);
		if (next < 0)
			return -1;
		fd = next;
	}
	return fd;
}

static const char *
base_name(const char *path)
{
	const char *s;

	s = strrchr(path, '/');
	return s != NULL ? s + 1 : path;
}

static int
read_all(int fd, struct buf *b)
{
	char chunk[8192];
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		buf_add(b, chunk, (size_t)n);
	}
}

/* Reads a regular file; anything else fails with EISDIR or EINVAL. */
static int
read_all_regular(int fd, const struct stat *st, struct buf *b)
{
	if (!S_ISREG(st->st_mode)) {
		errno = S_ISDIR(st->st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	return read_all(fd, b);
}

/* Fills c->old, c->oldmode and c->state from the disk. */
static int
look(struct tree_plan *plan, struct tree_change *c, struct buf *err)
{
	const char *path = c->file->path;
	struct buf b = BUF_INIT;
	struct stat st;
	int dfd, fd, want;

	c->state = TREE_NEW;
	c->oldmode = -1;
	if (plan->rootfd < 0)
		return 0;
	if ((dfd = open_parent(plan->rootfd, path, 0)) < 0) {
		if (errno == ENOENT)
			return 0;
		return syserr(err, plan->dir, path, errno == ENOTDIR ||
		    errno == ELOOP ? "a parent is not a directory" :
		    "cannot open its directory");
	}
	fd = openat(dfd, base_name(path), O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
	    O_NONBLOCK);
	close(dfd);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return syserr(err, plan->dir, path, errno == ELOOP ?
		    "a symbolic link, refusing to follow it" : "cannot open");
	if (fstat(fd, &st) < 0 || read_all_regular(fd, &st, &b) < 0) {
		syserr(err, plan->dir, path, "cannot read it as a file");
		close(fd);
		buf_free(&b);
		return -1;
	}
	close(fd);
	c->oldlen = b.len;
	c->old = buf_detach(&b, NULL);
	c->oldmode = (int)(st.st_mode & 07777);
	want = c->file->mode & ~plan->umask;
	if (c->oldlen != c->file->len ||
	    memcmp(c->old, c->file->data, c->oldlen) != 0)
		c->state = TREE_CHANGED;
	else
		c->state = c->oldmode == want ? TREE_SAME : TREE_MODE;
	return 0;
}

int
tree_plan_make(struct tree_plan *plan, const struct tree *t, const char *dir,
    struct buf *err)
{
	mode_t m;
	size_t i;

	memset(plan, 0, sizeof *plan);
	plan->dir = xstrdup(dir);
	m = umask(0);
	umask(m);
	plan->umask = (int)m;
	plan->rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (plan->rootfd < 0 && errno != ENOENT)
		return syserr(err, dir, ".", "cannot open");
	plan->changes = xcalloc(t->nfiles, sizeof *plan->changes);
	plan->nchanges = t->nfiles;
	for (i = 0; i < t->nfiles; i++) {
		plan->changes[i].file = &t->files[i];
		plan->changes[i].dirfd = -1;
	}
	for (i = 0; i < t->nfiles; i++) {
		if (look(plan, &plan->changes[i], err) < 0)
			return -1;
	}
	return 0;
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
			syserr(err, s, ".", "cannot create");
			free(s);
			return -1;
		}
		*p = '/';
	}
	free(s);
	if (mkdir(plan->dir, 0777) < 0 && errno != EEXIST)
		return syserr(err, plan->dir, ".", "cannot create");
	plan->rootfd = open(plan->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (plan->rootfd < 0)
		return syserr(err, plan->dir, ".", "cannot open");
	return 0;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Creates a temporary file in c->dirfd that no one else can have made. */
static int
create_tmp(struct tree_change *c)
{
	static unsigned long counter;
	char name[64];
	int fd;

	for (;;) {
		snprintf(name, sizeof name, ".railgen-%ld-%lu.tmp",
		    (long)getpid(), counter++);
		fd = openat(c->dirfd, name, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd >= 0)
		c->tmp = xstrdup(name);
	return fd;
}

static int
stage_one(struct tree_plan *plan, struct tree_change *c, struct buf *err)
{
	const struct tree_file *f = c->file;
	int fd;

	c->dirfd = open_parent(plan->rootfd, f->path, 1);
	if (c->dirfd < 0)
		return syserr(err, plan->dir, f->path,
		    "cannot create its directory");
	if (c->state == TREE_MODE)
		return 0;
	if ((fd = create_tmp(c)) < 0)
		return syserr(err, plan->dir, f->path,
		    "cannot create a temporary file beside it");
	if (write_all(fd, f->data, f->len) < 0 ||
	    fchmod(fd, (mode_t)(f->mode & ~plan->umask)) < 0 ||
	    fsync(fd) < 0) {
		syserr(err, plan->dir, f->path, "cannot write");
		close(fd);
		return -1;
	}
	if (close(fd) < 0)
		return syserr(err, plan->dir, f->path, "cannot write");
	return 0;
}

int
tree_plan_stage(struct tree_plan *plan, struct buf *err)
{
	size_t i;

	if (tree_plan_ndiff(plan) == 0)
		return 0;
	if (plan->rootfd < 0 && make_root(plan, err) < 0)
		return -1;
	for (i = 0; i < plan->nchanges; i++) {
		if (plan->changes[i].state == TREE_SAME)
			continue;
		if (stage_one(plan, &plan->changes[i], err) < 0)
			return -1;
	}
	plan->staged = 1;
	return 0;
}

static int
set_mode(struct tree_plan *plan, struct tree_change *c)
{
	int fd, rc;

	fd = openat(c->dirfd, base_name(c->file->path),
	    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	rc = fchmod(fd, (mode_t)(c->file->mode & ~plan->umask));
	close(fd);
	return rc;
}

int
tree_plan_publish(struct tree_plan *plan, struct buf *err)
{
	struct tree_change *c;
	size_t i;

	if (!plan->staged)
		return 0;
	for (i = 0; i < plan->nchanges; i++) {
		c = &plan->changes[i];
		if (c->state == TREE_SAME)
			continue;
		if (c->tmp != NULL) {
			if (renameat(c->dirfd, c->tmp, c->dirfd,
			    base_name(c->file->path)) < 0)
				return syserr(err, plan->dir, c->file->path,
				    "cannot replace");
			free(c->tmp);
			c->tmp = NULL;
		} else if (set_mode(plan, c) < 0)
			return syserr(err, plan->dir, c->file->path,
			    "cannot change its mode");
		if (fsync(c->dirfd) < 0)
			return syserr(err, plan->dir, c->file->path,
			    "cannot sync its directory");
	}
	return 0;
}

void
tree_plan_free(struct tree_plan *plan)
{
	struct tree_change *c;
	size_t i;

	for (i = 0; i < plan->nchanges; i++) {
		c = &plan->changes[i];
		if (c->tmp != NULL && c->dirfd >= 0)
			unlinkat(c->dirfd, c->tmp, 0);
		if (c->dirfd >= 0)
			close(c->dirfd);
		free(c->tmp);
		free(c->old);
	}
	if (plan->rootfd >= 0)
		close(plan->rootfd);
	free(plan->changes);
	free(plan->dir);
	memset(plan, 0, sizeof *plan);
	plan->rootfd = -1;
}

int
tree_commit(const struct tree *t, const char *dir, struct buf *err)
{
	struct tree_plan plan;
	int rc;

	if (t->nerrors > 0) {
		buf_printf(err, "%s: not written: %d error%s reported\n",
		    dir, t->nerrors, t->nerrors == 1 ? "" : "s");
		return -1;
	}
	rc = -1;
	if (tree_plan_make(&plan, t, dir, err) == 0 &&
	    tree_plan_stage(&plan, err) == 0 &&
	    tree_plan_publish(&plan, err) == 0)
		rc = (int)tree_plan_ndiff(&plan);
	tree_plan_free(&plan);
	return rc;
}

int
tree_compare(const struct tree *t, const char *dir, tree_diff_fn fn,
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
