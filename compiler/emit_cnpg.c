/* emit_cnpg.c: the login role as a patch for the Cluster's managed roles. */
#include "buf.h"
#include "emit.h"

/*
 * The platform files sit in the platform repository, beside the
 * Cluster.  The Database, the DatabaseRole (operator 1.30 or newer) and
 * the password Secret share one SOPS file, written by emit_secrets.c.
 * Older operators only know roles listed in the Cluster's
 * spec.managed.roles, which is one atomic list shared by every app of
 * the cluster, so for them the role comes here as an RFC 6902 patch
 * that appends one entry (usable by kustomize or kubectl patch) rather
 * than as a Cluster manifest that would replace the list.
 */
int
emit_cnpg(const struct model_app *app, struct tree *t)
{
	const struct model_database *db = app->database;
	struct buf path = BUF_INIT;
	struct tmpl_vars *v;
	int rc;

	if (db == NULL || db->database_role)
		return 0;
	v = emit_app_vars(app);
	buf_printf(&path, "platform/%s/%s-role-patch.yaml", db->cluster,
	    app->name);
	rc = emit_file(t, path.data, "cnpg/role-patch.yaml.tmpl", v, 0644);
	buf_free(&path);
	tmpl_vars_free(v);
	return rc;
}
