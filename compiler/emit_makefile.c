/* emit_makefile.c: mk/<app>.mk, the operator's targets for one app. */
#include "buf.h"
#include "emit.h"

int
emit_makefile(const struct model_app *app, struct tree *t)
{
	struct buf path = BUF_INIT;
	struct tmpl_vars *v;
	int rc;

	v = emit_app_vars(app);
	buf_printf(&path, "mk/%s.mk", app->name);
	rc = emit_file(t, path.data, "make/app.mk.tmpl", v, 0644);
	buf_free(&path);
	tmpl_vars_free(v);
	return rc;
}
