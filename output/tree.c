/* tree.c: the in-memory file tree that emitters fill. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tree.h"

/*
 * The index maps every file's path to its place in files[], and every
 * directory above a file, under a copy of its path, to TREE_DIR.
 */
#define TREE_DIR	((size_t)-1)

void
tree_init(struct tree *t)
{
	memset(t, 0, sizeof *t);
	t->sorted = 1;
}

void
tree_free(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->nfiles; i++) {
		free(t->files[i].path);
		free(t->files[i].data);
	}
	for (i = 0; i < t->index.cap; i++)
		if (t->index.slots[i].key != NULL &&
		    t->index.slots[i].val == TREE_DIR)
			free((char *)t->index.slots[i].key);
	strmap_free(&t->index);
	free(t->files);
	buf_free(&t->errors);
	memset(t, 0, sizeof *t);
	t->sorted = 1;
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

/* Adds key, a file at index file or a directory (TREE_DIR), if not there. */
static void
index_add(struct tree *t, const char *key, size_t len, size_t file)
{
	struct strmap_slot *sl;
	bool added;

	sl = strmap_put(&t->index, key, len, &added);
	if (!added)
		return;
	if (file == TREE_DIR)
		sl->key = xstrndup(key, len);
	sl->val = file;
}

const struct tree_file *
tree_get(const struct tree *t, const char *path)
{
	const struct strmap_slot *sl;

	sl = strmap_get(&t->index, path, strlen(path));
	return sl != NULL && sl->val != TREE_DIR ? &t->files[sl->val] : NULL;
}

/* Is path a file's directory, or a file's path one of path's dirs? */
static int
dir_clash(const struct tree *t, const char *path)
{
	const struct strmap_slot *sl;
	const char *p;

	for (p = strchr(path, '/'); p != NULL; p = strchr(p + 1, '/'))
		if ((sl = strmap_get(&t->index, path, (size_t)(p - path))) !=
		    NULL && sl->val != TREE_DIR)
			return 1;
	sl = strmap_get(&t->index, path, strlen(path));
	return sl != NULL && sl->val == TREE_DIR;
}

static int
insert(struct tree *t, const char *path, char *data, size_t len, int mode)
{
	struct tree_file *f;
	const char *p;

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
	if (t->nfiles > 0 && strcmp(t->files[t->nfiles - 1].path, path) > 0)
		t->sorted = 0;
	f = &t->files[t->nfiles];
	f->path = xstrdup(path);
	f->data = data;
	f->len = len;
	f->mode = mode & 07777;
	index_add(t, f->path, strlen(f->path), t->nfiles);
	for (p = strchr(path, '/'); p != NULL; p = strchr(p + 1, '/'))
		index_add(t, path, (size_t)(p - path), TREE_DIR);
	t->nfiles++;
	return 0;
}

static int
path_order(const void *a, const void *b)
{
	return strcmp(((const struct tree_file *)a)->path,
	    ((const struct tree_file *)b)->path);
}

void
tree_sort(struct tree *t)
{
	size_t i;

	if (t->sorted)
		return;
	qsort(t->files, t->nfiles, sizeof *t->files, path_order);
	for (i = 0; i < t->nfiles; i++)
		strmap_get(&t->index, t->files[i].path,
		    strlen(t->files[i].path))->val = i;
	t->sorted = 1;
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
