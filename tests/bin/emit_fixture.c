/* emit_fixture.c: emit models built in C, standing in for the front end. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "emit.h"
#include "model.h"
#include "tree.h"

/*
 *	emit_fixture NAME DIR	writes the output tree of model NAME to DIR
 *	emit_fixture -l		lists the models
 *
 * The models hold what the front end would make of the examples: vergabe
 * states every fact of issue 2's vergabe example; minimal is a prebuilt
 * image without a database; fleet is two apps in one tree that use what
 * the others do not (replicas, volumes, DatabaseRole, several hosts,
 * another ingress class, a supplied secret).
 *
 * TODO: once the front end is on main, the golden trees come from the
 * real examples and this program goes.
 */

#define NOPOS	{ NULL, 0, 0, 0 }
#define DEMO_RECIPIENT \
	"age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"

static struct model_probe
probe(const char *path, int period, int timeout, int fail)
{
	struct model_probe p;

	memset(&p, 0, sizeof p);
	p.enabled = true;
	p.path = path;
	p.period_s = period;
	p.timeout_s = timeout;
	p.failure_threshold = fail;
	return p;
}

static struct model_django
django(const char *source, const char *module)
{
	static char wsgi[128], settings[128];
	struct model_django d;

	snprintf(wsgi, sizeof wsgi, "%s.wsgi:application", module);
	snprintf(settings, sizeof settings, "%s.settings.prod", module);
	memset(&d, 0, sizeof d);
	d.source = source;
	d.python = "3.12";
	d.node = "22";
	d.wsgi = wsgi;
	d.settings = settings;
	d.assets = "static/dist";
	d.static_root = "/app/staticfiles";
	d.workers = 2;
	d.threads = 4;
	d.timeout_s = 30;
	d.uid = 10001;
	return d;
}

static struct model_resources
resources(const char *cr, const char *cl, const char *mr, const char *ml)
{
	struct model_resources r;

	memset(&r, 0, sizeof r);
	r.cpu_request.text = cr;
	r.cpu_limit.text = cl;
	r.mem_request.text = mr;
	r.mem_limit.text = ml;
	return r;
}

/* vergabe: every fact of the vergabe-teilnahme deployment. */

static struct model_env vergabe_env[] = {
	{ "DJANGO_SETTINGS_MODULE", "vergabe_teilnahme.settings.prod" },
	{ "ALLOWED_HOSTS", "vergabe-teilnahme.whywhynot.de" },
	{ "CSRF_TRUSTED_ORIGINS", "https://vergabe-teilnahme.whywhynot.de" },
	{ "DJANGO_LANGUAGE_CODE", "de" },
};

static struct model_secret vergabe_secrets[] = {
	{ "DJANGO_SECRET_KEY", SECRET_RANDOM, 50, NULL, NOPOS },
};

static struct model_database vergabe_db = {
	.engine = "postgresql",
	.version = 16,
	.name = "vergabe_db",
	.cluster = "apps-pg",
	.cluster_namespace = "databases",
	.role = "vergabe",
	.url_env = "DATABASE_URL",
	.operator_major = 1,
	.operator_minor = 25,
	.database_role = false,
	.connection_limit = 20,
	.resource_name = "apps-pg-vergabe-db",
	.password_secret = "apps-pg-vergabe",
	.service_host = "apps-pg-rw.databases.svc",
	.service_port = 5432,
};

static struct model_host vergabe_hosts[] = {
	{ "vergabe-teilnahme.whywhynot.de", "traefik", "letsencrypt-prod",
	    "vergabe-teilnahme-tls", NOPOS },
};

static struct model_task vergabe_tasks[] = {
	{ "migrate", "python manage.py migrate --noinput", false },
	{ "seed", "python manage.py seed", false },
	{ "createsuperuser", "python manage.py createsuperuser", true },
};

static struct model_smoke vergabe_smokes[] = {
	{ "/healthz", 200, NULL },
	{ "/static/admin/css/base.css", 200, "text/css" },
	{ "/admin/login/", 200, NULL },
};

static const char *demo_recipients[] = { DEMO_RECIPIENT };

static void
fill_vergabe(struct model_app *a)
{
	a->name = "vergabe-teilnahme";
	a->namespace = "vergabe-teilnahme";
	a->alias = "vergabe";
	a->source_file = "examples/vergabe.rail";
	a->image.ref = "gitea.coulomb.social/coulomb/vergabe-teilnahme:"
	    "3f9c2e1a7b4d";
	a->image.registry = "gitea.coulomb.social";
	a->image.repository = "coulomb/vergabe-teilnahme";
	a->image.name = "gitea.coulomb.social/coulomb/vergabe-teilnahme";
	a->image.tag = "3f9c2e1a7b4d";
	a->build = BUILD_DJANGO;
	a->django = django("../vergabe-teilnahme", "vergabe_teilnahme");
	a->port = 8000;
	a->replicas = 1;
	a->resources = resources("100m", "500m", "256Mi", "512Mi");
	a->probes[PROBE_STARTUP] = probe("/healthz", 5, 1, 30);
	a->probes[PROBE_READINESS] = probe("/healthz", 10, 2, 3);
	a->probes[PROBE_LIVENESS] = probe("/healthz", 30, 3, 3);
	a->env = vergabe_env;
	a->nenv = sizeof vergabe_env / sizeof vergabe_env[0];
	a->secrets = vergabe_secrets;
	a->nsecrets = 1;
	a->database = &vergabe_db;
	a->hosts = vergabe_hosts;
	a->nhosts = 1;
	a->tasks = vergabe_tasks;
	a->ntasks = 3;
	a->smokes = vergabe_smokes;
	a->nsmokes = 3;
	a->recipients = demo_recipients;
	a->nrecipients = 1;
}

/* minimal: a prebuilt image pinned by digest, no database, no secret. */

static struct model_host minimal_hosts[] = {
	{ "hello.example.org", "traefik", "letsencrypt-prod", "hello-tls",
	    NOPOS },
};

static struct model_smoke minimal_smokes[] = {
	{ "/", 200, "text/html" },
};

static void
fill_minimal(struct model_app *a)
{
	a->name = "hello";
	a->namespace = "hello";
	a->alias = "hello";
	a->source_file = "examples/minimal.rail";
	a->image.ref = "ghcr.io/example/hello@sha256:"
	    "0b7d3c3f2e1a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c";
	a->image.registry = "ghcr.io";
	a->image.repository = "example/hello";
	a->image.name = "ghcr.io/example/hello";
	a->image.digest = "sha256:"
	    "0b7d3c3f2e1a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c";
	a->build = BUILD_IMAGE;
	a->port = 8080;
	a->replicas = 1;
	a->resources = resources("50m", "200m", "32Mi", "64Mi");
	a->probes[PROBE_READINESS] = probe("/", 10, 1, 3);
	a->probes[PROBE_LIVENESS] = probe("/", 20, 1, 3);
	a->hosts = minimal_hosts;
	a->nhosts = 1;
	a->smokes = minimal_smokes;
	a->nsmokes = 1;
}

/* fleet: two apps in one tree. */

static struct model_env shop_env[] = {
	{ "DJANGO_SETTINGS_MODULE", "shop.settings.prod" },
	{ "ALLOWED_HOSTS", "shop.example.org,www.shop.example.org" },
	{ "GREETING", "Grüß \"Gott\" \\ $HOME `id` 'x'" },
};

static struct model_secret shop_secrets[] = {
	{ "DJANGO_SECRET_KEY", SECRET_RANDOM, 64, NULL, NOPOS },
	{ "STRIPE_API_KEY", SECRET_SUPPLIED, 0, "SHOP_STRIPE_API_KEY", NOPOS },
};

static struct model_database shop_db = {
	.engine = "postgresql",
	.version = 17,
	.name = "shop",
	.cluster = "apps-pg",
	.cluster_namespace = "databases",
	.role = "shop_app",
	.url_env = "DATABASE_URL",
	.operator_major = 1,
	.operator_minor = 30,
	.database_role = true,
	.connection_limit = 40,
	.resource_name = "apps-pg-shop",
	.password_secret = "apps-pg-shop-app",
	.service_host = "apps-pg-rw.databases.svc",
	.service_port = 5432,
};

static struct model_host shop_hosts[] = {
	{ "shop.example.org", "traefik", "letsencrypt-prod", "shop-tls",
	    NOPOS },
	{ "www.shop.example.org", "traefik", "letsencrypt-prod",
	    "shop-www-tls", NOPOS },
};

static struct model_volume shop_volumes[] = {
	{ "media", "/app/media", { "5Gi", 0 }, ACCESS_RWX, "longhorn" },
};

static struct model_task shop_tasks[] = {
	{ "migrate", "python manage.py migrate --noinput", false },
	{ "reindex", "python manage.py update_index --remove 'all' $SHOP", false },
};

static struct model_smoke shop_smokes[] = {
	{ "/healthz", 200, NULL },
	{ "/static/admin/css/base.css", 200, "text/css" },
};

static struct model_host blog_hosts[] = {
	{ "blog.example.org", "nginx", "letsencrypt-staging", "blog-tls",
	    NOPOS },
};

static struct model_volume blog_volumes[] = {
	{ "content", "/var/lib/blog", { "1Gi", 0 }, ACCESS_RWO, NULL },
};

static void
fill_shop(struct model_app *a)
{
	a->name = "shop";
	a->namespace = "shop";
	a->alias = "shop";
	a->source_file = "examples/fleet.rail";
	a->image.ref = "registry.example.org/shop/web:v2.4.1";
	a->image.registry = "registry.example.org";
	a->image.repository = "shop/web";
	a->image.name = "registry.example.org/shop/web";
	a->image.tag = "v2.4.1";
	a->build = BUILD_DJANGO;
	a->django = django("../shop", "shop");
	a->django.python = "3.13";
	a->django.node = "24";
	a->django.workers = 3;
	a->port = 8000;
	a->replicas = 3;
	a->resources = resources("250m", "1", "384Mi", "768Mi");
	a->probes[PROBE_STARTUP] = probe("/healthz", 5, 1, 24);
	a->probes[PROBE_READINESS] = probe("/readyz", 10, 2, 3);
	a->probes[PROBE_LIVENESS] = probe("/healthz", 20, 3, 3);
	a->env = shop_env;
	a->nenv = sizeof shop_env / sizeof shop_env[0];
	a->secrets = shop_secrets;
	a->nsecrets = 2;
	a->database = &shop_db;
	a->hosts = shop_hosts;
	a->nhosts = 2;
	a->volumes = shop_volumes;
	a->nvolumes = 1;
	a->tasks = shop_tasks;
	a->ntasks = 2;
	a->smokes = shop_smokes;
	a->nsmokes = 2;
	a->recipients = demo_recipients;
	a->nrecipients = 1;
}

static void
fill_blog(struct model_app *a)
{
	a->name = "blog";
	a->namespace = "blog-prod";
	a->alias = "blog";
	a->source_file = "examples/fleet.rail";
	a->image.ref = "docker.io/example/blog:1.8.0";
	a->image.registry = "docker.io";
	a->image.repository = "example/blog";
	a->image.name = "docker.io/example/blog";
	a->image.tag = "1.8.0";
	a->build = BUILD_IMAGE;
	a->port = 3000;
	a->replicas = 1;
	a->resources = resources("100m", "300m", "128Mi", "256Mi");
	a->probes[PROBE_STARTUP] = probe("/ping", 3, 1, 20);
	a->probes[PROBE_LIVENESS] = probe("/ping", 15, 2, 4);
	a->hosts = blog_hosts;
	a->nhosts = 1;
	a->volumes = blog_volumes;
	a->nvolumes = 1;
}

static struct model_app apps[2];

static int
build(const char *name, struct model *m)
{
	memset(m, 0, sizeof *m);
	memset(apps, 0, sizeof apps);
	m->apps = apps;
	if (strcmp(name, "vergabe") == 0) {
		fill_vergabe(&apps[0]);
		m->napps = 1;
	} else if (strcmp(name, "minimal") == 0) {
		fill_minimal(&apps[0]);
		m->napps = 1;
	} else if (strcmp(name, "fleet") == 0) {
		fill_shop(&apps[0]);
		fill_blog(&apps[1]);
		m->napps = 2;
	} else
		return -1;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct buf err = BUF_INIT;
	struct model m;
	struct tree t;
	int rc;

	if (argc == 2 && strcmp(argv[1], "-l") == 0) {
		puts("vergabe\nminimal\nfleet");
		return 0;
	}
	if (argc != 3 || build(argv[1], &m) < 0) {
		fputs("usage: emit_fixture vergabe|minimal|fleet DIR\n"
		    "       emit_fixture -l\n", stderr);
		return 2;
	}
	tree_init(&t);
	emit_all(&m, &t);
	rc = 0;
	if (t.nerrors > 0) {
		fputs(t.errors.data, stderr);
		rc = 1;
	} else if (tree_commit(&t, argv[2], &err) < 0) {
		fputs(err.data, stderr);
		rc = 3;
	}
	tree_free(&t);
	buf_free(&err);
	return rc;
}
