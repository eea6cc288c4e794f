/* emit_manifests.c: the app's Namespace and Ingress, outside its chart. */
#include "buf.h"
#include "emit.h"

/*
 * The Namespace is applied before the release (it carries the Pod
 * Security labels that admit the pods) and the Ingress after it, so
 * cert-manager requests a certificate only once the Service exists.
 */
int
emit_manifests(const struct model_app *app, struct tree *t)
{
	struct buf path = BUF_INIT;
	struct tmpl_vars *v;
	int rc;

	v = emit_app_vars(app);
	rc = 0;
	buf_printf(&path, "manifests/%s-namespace.yaml", app->name);
	if (emit_file(t, path.data, "k8s/namespace.yaml.tmpl", v, 0644) < 0)
		rc = -1;
	if (app->nhosts > 0) {
		buf_reset(&path);
		buf_printf(&path, "manifests/%s-ingress.yaml", app->name);
		if (emit_file(t, path.data, "k8s/ingress.yaml.tmpl", v,
		    0644) < 0)
			rc = -1;
	}
	buf_free(&path);
	tmpl_vars_free(v);
	return rc;
}
