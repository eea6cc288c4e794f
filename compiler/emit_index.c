/* emit_index.c: railgen.mk, the one Makefile that includes every app's. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "emit.h"

/*
 * The index belongs to the fleet, not to an app, so it must not depend
 * on the order the .rail files were given in: apps are listed by name
 * and the sources sorted, each once.
 */

static int
cmp_app(const void *a, const void *b)
{
	const struct model_app *x = *(const struct model_app *const *)a;
	const struct model_app *y = *(const struct model_app *const *)b;

	return strcmp(x->name, y->name);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
emit_sources(const struct model *m, struct buf *out)
{
	const char **src;
	size_t i, n;

	src = xcalloc(m->napps + 1, sizeof *src);
	for (i = 0; i < m->napps; i++)
		src[i] = m->apps[i].source_file;
	qsort(src, m->napps, sizeof *src, cmp_str);
	for (i = n = 0; i < m->napps; i++) {
		if (i > 0 && strcmp(src[i], src[i - 1]) == 0)
			continue;
		if (n++ > 0)
			buf_adds(out, ", ");
		emit_comment_text(out, src[i]);
	}
	buf_add(out, "", 0);
	free(src);
}

static void
set_apps(struct tmpl_vars *v, const struct model *m)
{
	const struct model_app **apps;
	struct buf names = BUF_INIT, aliases = BUF_INIT;
	struct tmpl_vars *item;
	size_t i;

	apps = xcalloc(m->napps, sizeof *apps);
	for (i = 0; i < m->napps; i++)
		apps[i] = &m->apps[i];
	qsort(apps, m->napps, sizeof *apps, cmp_app);
	tmpl_set_list(v, "apps");
	for (i = 0; i < m->napps; i++) {
		item = tmpl_add_item(v, "apps");
		tmpl_set(item, "app", apps[i]->name);
		buf_printf(&names, "%s%s", i > 0 ? " " : "", apps[i]->name);
		buf_printf(&aliases, "%s%s", i > 0 ? " " : "",
		    apps[i]->alias);
	}
	tmpl_set(v, "names", names.data);
	tmpl_set(v, "aliases", aliases.data);
	buf_free(&names);
	buf_free(&aliases);
	free(apps);
}

int
emit_index(const struct model *m, struct tree *t)
{
	struct buf src = BUF_INIT;
	struct tmpl_vars *v;
	int rc;

	if (m->napps == 0)
		return 0;
	v = tmpl_vars_new(NULL);
	emit_sources(m, &src);
	tmpl_set(v, "sources", src.data);
	buf_free(&src);
	set_apps(v, m);
	rc = emit_file(t, EMIT_INDEX, "make/index.mk.tmpl", v, 0644);
	tmpl_vars_free(v);
	return rc;
}
