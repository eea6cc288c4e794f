/* emit_runbook.c: docs/<app>.md, how to run and repair the deployment. */
#include "buf.h"
#include "emit.h"

int
emit_runbook(const struct model_app *app, struct tree *t)
{
	struct buf path = BUF_INIT;
	struct tmpl_vars *v;
	int rc;

	v = emit_app_vars(app);
	buf_printf(&path, "docs/%s.md", app->name);
	rc = emit_file(t, path.data, "docs/runbook.md.tmpl", v, 0644);
	buf_free(&path);
	tmpl_vars_free(v);
	return rc;
}
