/* emit_dockerfile.c: the image build of a Django app, for its own repo. */
#include "buf.h"
#include "emit.h"

/*
 * The HEALTHCHECK runs Python (slim images have no curl): a one-line
 * program with the URL as a single-quoted Python string.
 */
static void
set_healthcheck(struct tmpl_vars *v, const struct model_app *app,
    const char *path)
{
	struct buf b = BUF_INIT;
	const char *p;

	buf_printf(&b, "import urllib.request; urllib.request.urlopen("
	    "'http://127.0.0.1:%d", app->port);
	for (p = path; *p != '\0'; p++) {
		if (*p == '\\' || *p == '\'')
			buf_addc(&b, '\\');
		buf_addc(&b, *p);
	}
	buf_adds(&b, "', timeout=4)");
	tmpl_set(v, "healthcheck_code", b.data);
	buf_free(&b);
}

/*
 * Only `build django` has a Dockerfile; a prebuilt image is used as it
 * is.  The file is written for the application repository's root (the
 * build context), next to its .dockerignore.
 */
int
emit_dockerfile(const struct model_app *app, struct tree *t)
{
	struct tmpl_vars *v;
	struct buf path = BUF_INIT;
	int rc;

	if (app->build != BUILD_DJANGO)
		return 0;
	v = emit_app_vars(app);
	set_healthcheck(v, app, emit_health_path(app));
	tmpl_setf(v, "assets_from", "/src/%s", app->django.assets);
	tmpl_setf(v, "assets_to", "./%s", app->django.assets);
	rc = 0;
	buf_printf(&path, "app/%s/Dockerfile", app->name);
	if (emit_file(t, path.data, "docker/Dockerfile.tmpl", v, 0644) < 0)
		rc = -1;
	buf_reset(&path);
	buf_printf(&path, "app/%s/.dockerignore", app->name);
	if (emit_file(t, path.data, "docker/dockerignore.tmpl", v, 0644) < 0)
		rc = -1;
	buf_free(&path);
	tmpl_vars_free(v);
	return rc;
}
