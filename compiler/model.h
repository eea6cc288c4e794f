/* model.h: the checked, resolved deployment; the only thing emitters read. */
#ifndef RAILGEN_MODEL_H
#define RAILGEN_MODEL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Every field holds its final value: defaults are filled in, references
 * such as ${host} are expanded, and every rule of DESIGN.md has been
 * checked.  Strings and arrays live in the arena the model was built in
 * and are never NULL unless a comment says so.  Arrays keep source
 * order; emitters must not depend on anything else (no hashing, no
 * pointers, no clock).
 *
 * The source position of a fact is kept only where a later, cross-file
 * phase needs it for a diagnostic (see struct model_pos).
 */

struct model_pos {
	const char	*file;		/* as named on the command line */
	int		 line;		/* 1-based */
	int		 col;		/* 1-based, display columns */
	int		 len;		/* display width of the token */
};

enum model_build {
	BUILD_IMAGE,			/* prebuilt image: no Dockerfile */
	BUILD_DJANGO
};

enum model_probe_kind {
	PROBE_STARTUP,
	PROBE_READINESS,
	PROBE_LIVENESS,
	PROBE__COUNT
};

struct model_image {
	const char	*ref;		/* full reference as written */
	const char	*registry;	/* "gitea.coulomb.social" */
	const char	*repository;	/* "coulomb/vergabe-teilnahme" */
	const char	*name;		/* registry/repository */
	const char	*tag;		/* NULL when pinned by digest only */
	const char	*digest;	/* "sha256:..." or NULL */
};

struct model_django {
	const char	*source;	/* path of the app repo, relative */
	const char	*python;	/* "3.12" */
	const char	*node;		/* "22" */
	const char	*wsgi;		/* "module.wsgi:application" */
	const char	*settings;	/* Django settings module */
	const char	*assets;	/* built asset folder, "static/dist" */
	const char	*static_root;	/* collectstatic target */
	int		 workers;	/* gunicorn workers, default 2 */
	int		 threads;	/* gunicorn threads, default 4 */
	int		 timeout_s;	/* gunicorn timeout, default 30 */
	int		 uid;		/* numeric non-root user: 10001 */
};

/* Kubernetes quantities: the canonical text and its value for checks. */
struct model_quantity {
	const char	*text;		/* "100m", "256Mi" */
	long long	 milli;		/* cpu: millicores; memory: bytes */
};

struct model_resources {
	struct model_quantity	cpu_request, cpu_limit;
	struct model_quantity	mem_request, mem_limit;
};

struct model_probe {
	bool		 enabled;
	const char	*path;		/* GET path; NULL when disabled */
	int		 period_s;
	int		 timeout_s;
	int		 failure_threshold;
	int		 initial_delay_s;
};

struct model_env {
	const char	*name;
	const char	*value;		/* references expanded */
};

enum model_secret_source {
	SECRET_RANDOM,			/* generated once from the CSPRNG */
	SECRET_SUPPLIED			/* read from an environment variable */
};

struct model_secret {
	const char		*name;	/* env name in the container */
	enum model_secret_source source;
	int			 length;	/* SECRET_RANDOM: characters */
	const char		*from;	/* SECRET_SUPPLIED: variable name */
	struct model_pos	 pos;
};

struct model_database {
	const char	*engine;	/* "postgresql" */
	int		 version;	/* major, 16 */
	const char	*name;		/* database name inside PostgreSQL */
	const char	*cluster;	/* cnpg Cluster, "apps-pg" */
	const char	*cluster_namespace;	/* "databases" */
	const char	*role;		/* login role that owns the database */
	const char	*url_env;	/* env name of the DSN */
	int		 operator_major;	/* cnpg operator: 1.25 */
	int		 operator_minor;
	bool		 database_role;	/* operator >= 1.30: DatabaseRole */
	int		 connection_limit;	/* default 20 */
	const char	*resource_name;	/* Database object: "<cluster>-<db>" */
	const char	*password_secret;	/* basic-auth, cluster ns */
	const char	*service_host;	/* "<cluster>-rw.<ns>.svc" */
	int		 service_port;	/* 5432 */
	struct model_pos pos;		/* of the database name */
	struct model_pos role_pos;
	struct model_pos cluster_pos;	/* of the cluster name */
};

struct model_host {
	const char	*name;		/* FQDN */
	const char	*ingress_class;	/* "traefik" */
	const char	*ingress_namespace;	/* where the controller runs */
	const char	*issuer;	/* cert-manager ClusterIssuer */
	const char	*tls_secret;	/* "<app>-tls" */
	struct model_pos pos;
};

enum model_access {
	ACCESS_RWO,			/* ReadWriteOnce */
	ACCESS_RWX,			/* ReadWriteMany */
	ACCESS_RWOP			/* ReadWriteOncePod */
};

struct model_volume {
	const char		*name;
	const char		*mount;	/* absolute path in the container */
	struct model_quantity	 size;
	enum model_access	 access;
	const char		*storage_class;	/* NULL: cluster default */
};

struct model_task {
	const char	*name;		/* migrate, seed, ... */
	const char	*command;	/* shell words, run with sh -c */
	bool		 interactive;	/* needs a TTY (createsuperuser) */
};

struct model_smoke {
	const char	*path;		/* request path on the first host */
	int		 status;	/* expected HTTP status */
	const char	*content_type;	/* prefix to match, or NULL */
};

struct model_app {
	const char		*name;		/* app and Helm release name */
	const char		*namespace;
	const char		*alias;		/* Makefile target prefix */
	const char		*source_file;	/* the .rail file, as given */
	struct model_pos	 pos;		/* of the app name */
	struct model_pos	 namespace_pos;
	struct model_pos	 alias_pos;

	struct model_image	 image;
	enum model_build	 build;
	struct model_django	 django;	/* valid when BUILD_DJANGO */

	int			 port;		/* container port: 8000 */
	int			 replicas;	/* default 1 */
	struct model_resources	 resources;
	struct model_probe	 probes[PROBE__COUNT];

	struct model_env	*env;
	size_t			 nenv;
	struct model_secret	*secrets;
	size_t			 nsecrets;
	struct model_database	*database;	/* NULL: no database */
	struct model_host	*hosts;
	size_t			 nhosts;
	struct model_volume	*volumes;
	size_t			 nvolumes;
	struct model_task	*tasks;
	size_t			 ntasks;
	struct model_smoke	*smokes;
	size_t			 nsmokes;
	const char		**recipients;	/* age1... */
	size_t			 nrecipients;
};

enum model_reserve_kind {
	RESERVE_HOST,
	RESERVE_NAMESPACE
};

/* Something railgen does not generate but must not collide with. */
struct model_reserve {
	enum model_reserve_kind	 kind;
	const char		*name;
	const char		*owner;		/* free text, or NULL */
	struct model_pos	 pos;
};

struct model {
	struct model_app	*apps;
	size_t			 napps;
	struct model_reserve	*reserves;
	size_t			 nreserves;
};

#endif
