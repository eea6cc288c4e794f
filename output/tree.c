/* tree.c: the in-memory file tree that emitters fill. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tree.h"

/*
 * The index: every file's path, and every directory above a file, in an
 * open-addressing table.  A slot of a directory has file -1.
 */
struct tree_slot {
	const char	*key;		/* a file's path, or a copy */
	size_t		 len;
	long		 file;		/* index in files[], or -1 */
};

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
	for (i = 0; i < t->nslots; i++)
		if (t->slots[i].key != NULL && t->slots[i].file < 0)
			free((char *)t->slots[i].key);
	free(t->slots);
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

static uint64_t
path_hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/* The slot of key[0, len): the one holding it, or the empty one to use. */
static struct tree_slot *
slot_find(struct tree_slot *slots, size_t n, const char *key, size_t len)
{
	size_t i = (size_t)path_hash(key, len) & (n - 1);

	while (slots[i].key != NULL && (slots[i].len != len ||
	    memcmp(slots[i].key, key, len) != 0))
		i = (i + 1) & (n - 1);
	return &slots[i];
}

static const struct tree_slot *
lookup(const struct tree *t, const char *key, size_t len)
{
	const struct tree_slot *sl;

	if (t->nslots == 0)
		return NULL;
	sl = slot_find(t->slots, t->nslots, key, len);
	return sl->key != NULL ? sl : NULL;
}

/* Adds key (a file at index file, or a directory: -1) if not there. */
static void
index_add(struct tree *t, const char *key, size_t len, long file)
{
	struct tree_slot *old, *sl;
	size_t i, n;

	if (2 * (t->nused + 1) > t->nslots) {
		old = t->slots;
		n = t->nslots;
		t->nslots = n ? 2 * n : 256;
		t->slots = xcalloc(t->nslots, sizeof *t->slots);
		for (i = 0; i < n; i++)
			if (old[i].key != NULL)
				*slot_find(t->slots, t->nslots, old[i].key,
				    old[i].len) = old[i];
		free(old);
	}
	sl = slot_find(t->slots, t->nslots, key, len);
	if (sl->key != NULL)
		return;
	sl->key = file >= 0 ? key : xstrndup(key, len);
	sl->len = len;
	sl->file = file;
	t->nused++;
}

const struct tree_file *
tree_get(const struct tree *t, const char *path)
{
	const struct tree_slot *sl;

	sl = lookup(t, path, strlen(path));
	return sl != NULL && sl->file >= 0 ? &t->files[sl->file] : NULL;
}

/* Is path a file's directory, or a file's path one of path's dirs? */
static int
dir_clash(const struct tree *t, const char *path)
{
	const struct tree_slot *sl;
	const char *p;

	for (p = strchr(path, '/'); p != NULL; p = strchr(p + 1, '/'))
		if ((sl = lookup(t, path, (size_t)(p - path))) != NULL &&
		    sl->file >= 0)
			return 1;
	sl = lookup(t, path, strlen(path));
	return sl != NULL && sl->file < 0;
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
	index_add(t, f->path, strlen(f->path), (long)t->nfiles);
	for (p = strchr(path, '/'); p != NULL; p = strchr(p + 1, '/'))
		index_add(t, path, (size_t)(p - path), -1);
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
		slot_find(t->slots, t->nslots, t->files[i].path,
		    strlen(t->files[i].path))->file = (long)i;
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
