/* inputs.c: expand directories given on the command line into .rail files. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "inputs.h"

struct list {
	const char	**v;
	size_t		 n, cap;
};

static void
push(struct arena *a, struct list *l, const char *s)
{
	if (l->n == l->cap)
		l->v = arena_grow(a, l->v, &l->cap, l->n, sizeof *l->v);
	l->v[l->n++] = s;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
is_rail(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".rail") == 0;
}

/* A regular file, or a link to one, as the shell's *.rail would find. */
static int
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void
expand_dir(struct arena *a, struct diag *d, const char *dir, struct list *l)
{
	struct dirent *e;
	const char *path;
	size_t first = l->n, len = strlen(dir);
	DIR *dp;

	if ((dp = opendir(dir)) == NULL) {
		diag_system(d, errno, "cannot read the directory '%s'", dir);
		return;
	}
	while ((e = readdir(dp)) != NULL) {
		if (!is_rail(e->d_name))
			continue;
		path = arena_printf(a, "%s%s%s", dir,
		    len > 0 && dir[len - 1] == '/' ? "" : "/", e->d_name);
		if (is_file(path))
			push(a, l, path);
	}
	closedir(dp);
	if (l->n > first)
		qsort(l->v + first, l->n - first, sizeof *l->v, cmp_str);
	else {
		diag_usage(d, "no .rail file in the directory '%s'", dir);
		diag_hint(d, "railgen reads the *.rail files directly in a "
		    "directory, not those below it");
	}
}

const char **
inputs_expand(struct arena *a, struct diag *d, const char *const *args,
    size_t nargs, size_t *n)
{
	struct list l = { NULL, 0, 0 };
	struct stat st;
	size_t i;

	for (i = 0; i < nargs; i++) {
		if (strcmp(args[i], "-") != 0 && stat(args[i], &st) == 0 &&
		    S_ISDIR(st.st_mode))
			expand_dir(a, d, args[i], &l);
		else
			push(a, &l, args[i]);
	}
	push(a, &l, NULL);
	*n = l.n - 1;
	return l.v;
}
