/* emit_chart.c: the Helm chart of an app, releases/<app>/. */
#include <stdio.h>

#include "buf.h"
#include "emit.h"

/*
 * The chart's templates read everything from values.yaml, which holds
 * the model's facts; values.schema.json rejects keys it does not know,
 * so a typo in an override fails at lint time.  Every template is
 * written for every app and renders nothing when its object is not
 * needed (no PodDisruptionBudget for one replica, no claim without a
 * volume), so changing a value never needs a new chart file.
 */
static const struct {
	const char	*path;		/* below releases/<app>/ */
	const char	*tmpl;
} files[] = {
	{ "Chart.yaml", "chart/Chart.yaml.tmpl" },
	{ ".helmignore", "chart/helmignore.tmpl" },
	{ "values.yaml", "chart/values.yaml.tmpl" },
	{ "values.schema.json", "chart/values.schema.json.tmpl" },
	{ "templates/_helpers.tpl", "chart/helpers.tpl.tmpl" },
	{ "templates/NOTES.txt", "chart/NOTES.txt.tmpl" },
	{ "templates/deployment.yaml", "chart/deployment.yaml.tmpl" },
	{ "templates/migrate-job.yaml", "chart/migrate-job.yaml.tmpl" },
	{ "templates/networkpolicy.yaml", "chart/networkpolicy.yaml.tmpl" },
	{ "templates/pdb.yaml", "chart/pdb.yaml.tmpl" },
	{ "templates/pvc.yaml", "chart/pvc.yaml.tmpl" },
	{ "templates/secret.yaml", "chart/secret.yaml.tmpl" },
	{ "templates/service.yaml", "chart/service.yaml.tmpl" },
	{ "templates/serviceaccount.yaml", "chart/serviceaccount.yaml.tmpl" },
};

int
emit_chart(const struct model_app *app, struct tree *t)
{
	struct buf path = BUF_INIT;
	struct tmpl_vars *v;
	size_t i;
	int rc;

	v = emit_app_vars(app);
	tmpl_setf(v, "chart_description", "%s, as deployed by railgen",
	    app->name);
	tmpl_setf(v, "schema_title", "values of the %s chart", app->name);
	rc = 0;
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		buf_reset(&path);
		buf_printf(&path, "releases/%s/%s", app->name, files[i].path);
		if (emit_file(t, path.data, files[i].tmpl, v, 0644) < 0)
			rc = -1;
	}
	buf_free(&path);
	tmpl_vars_free(v);
	return rc;
}
