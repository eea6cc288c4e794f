/* value.h: the shapes words must have: names, numbers, sizes, images. */
#ifndef RAILGEN_VALUE_H
#define RAILGEN_VALUE_H

#include <stdbool.h>

#include "arena.h"
#include "model.h"

/*
 * Each check returns NULL when the word is well formed, or a short
 * reason ("must start with a letter") that the caller puts into its
 * message.  Reasons are static strings.
 */

enum value_name {
	NAME_LABEL,		/* DNS-1123 label: a-z 0-9 '-' */
	NAME_LABEL1035,		/* DNS-1035 label: starts with a letter */
	NAME_HOST,		/* DNS-1123 subdomain of two labels or more */
	NAME_SUBDOMAIN,		/* DNS-1123 subdomain: labels joined by '.' */
	NAME_PG,		/* unquoted PostgreSQL name: a-z 0-9 '_' */
	NAME_ENV		/* environment variable: A-Z a-z 0-9 '_' */
};

/* Syntax only; limits on length are the caller's (they differ by use). */
const char	*value_name(const char *, enum value_name);

/* A whole number in [0, max]. */
const char	*value_uint(const char *, long long max, long long *);
/* "MAJOR.MINOR", both whole numbers. */
const char	*value_version(const char *, int *major, int *minor);

/* Kubernetes CPU: "250m" or cores "0.5", "2"; result in millicores. */
const char	*value_cpu(const char *, long long *milli);
/* Kubernetes memory: "256Mi", "1G", "1048576"; result in bytes. */
const char	*value_memory(const char *, long long *bytes);
/* "5s", "1m30s", "2h", "1500ms" if whole seconds; result in seconds. */
const char	*value_duration(const char *, int *seconds);

/*
 * An absolute path without empty, "." or ".." components; "/" alone is
 * refused when root is false.
 */
const char	*value_path(const char *, bool root);

/* An HTTP request path: starts with '/', no blanks, controls or '#'. */
const char	*value_http_path(const char *);

enum value_image {
	IMAGE_OK,
	IMAGE_INVALID,		/* not a reference; *why says why */
	IMAGE_UNPINNED,		/* neither tag nor digest */
	IMAGE_LATEST		/* tag "latest" and no digest */
};

/*
 * Splits an image reference the way Docker does: the first component is
 * a registry when it holds '.' or ':' or is "localhost"; otherwise the
 * registry is docker.io (and a single-component repository gets
 * "library/").  Fields of *img point into the arena.
 */
enum value_image value_image(struct arena *, const char *,
		    struct model_image *, const char **why);

/* The form only ("age1", 58 Bech32 characters); not the checksum. */
const char	*value_age_recipient(const char *);

#endif
