/* tree.c: the in-memory file tree that emitters fill. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int
tree_path_ok(const char *path)
{
	const char *p, *c;
	size_t n;

	if (*path == '\0' || *path == '/')
		return 0;
	for (p = path; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
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

	if (!tree_path_ok(path)) {
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
