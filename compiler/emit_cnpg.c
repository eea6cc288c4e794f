/* emit_cnpg.c: the app's database and login role in CloudNativePG. */
#include "buf.h"
#include "emit.h"

/*
 * These files belong to the platform repository, beside the Cluster.
 * The Database object is always written.  The role is a DatabaseRole
 * object when the operator is 1.30 or newer; older operators only know
 * roles listed in the Cluster's spec.managed.roles, which is one atomic
 * list shared by every app of the cluster, so the role comes as an RFC
 * 6902 patch that appends one entry (usable by kustomize or kubectl
 * patch) rather than as a Cluster manifest that would replace the list.
 */
int
emit_cnpg(const struct model_app *app, struct tree *t)
{
	const struct model_database *db = app->database;
	struct buf path = BUF_INIT;
	struct tmpl_vars *v;
	int rc;

	if (db == NULL)
		return 0;
	v = emit_app_vars(app);
	rc = 0;
	buf_printf(&path, "platform/%s/%s-database.yaml", db->cluster,
	    app->name);
	if (emit_file(t, path.data, "cnpg/database.yaml.tmpl", v, 0644) < 0)
		rc = -1;
	if (!db->database_role) {
		buf_reset(&path);
		buf_printf(&path, "platform/%s/%s-role-patch.yaml",
		    db->cluster, app->name);
		if (emit_file(t, path.data, "cnpg/role-patch.yaml.tmpl", v,
		    0644) < 0)
			rc = -1;
	}
	buf_free(&path);
	tmpl_vars_free(v);
	return rc;
}
