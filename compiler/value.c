/* value.c: checks and parses the words of the language (names, sizes...). */
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "value.h"

static bool
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f');
}

static const char *
label(const char *s, size_t n, bool dns1035)
{
	size_t i;

	if (n == 0)
		return "is empty";
	for (i = 0; i < n; i++) {
		if (is_upper(s[i]))
			return "must be lower case";
		if (!is_lower(s[i]) && !is_digit(s[i]) && s[i] != '-')
			return "may hold only lower-case letters, digits "
			    "and '-'";
	}
	if (s[0] == '-' || s[n - 1] == '-')
		return "must start and end with a letter or a digit";
	if (dns1035 && !is_lower(s[0]))
		return "must start with a letter";
	return NULL;
}

static const char *
host(const char *s, size_t min_labels)
{
	const char *dot;
	size_t n, i, labels = 0;

	if (s[0] == '*')
		return "may not be a wildcard";
	if (strlen(s) > 253)
		return "is longer than 253 characters";
	for (;; s = dot + 1) {
		dot = strchr(s, '.');
		n = dot ? (size_t)(dot - s) : strlen(s);
		if (n == 0)
			return "has an empty label";
		if (n > 63)
			return "has a label longer than 63 characters";
		for (i = 0; i < n; i++) {
			if (is_upper(s[i]))
				return "must be lower case";
			if (!is_lower(s[i]) && !is_digit(s[i]) && s[i] != '-')
				return "may hold only lower-case letters, "
				    "digits, '-' and '.'";
		}
		if (s[0] == '-' || s[n - 1] == '-')
			return "has a label that starts or ends with '-'";
		labels++;
		if (dot == NULL)
			break;
	}
	return labels < min_labels ? "must be a fully qualified name such "
	    "as app.example.org" : NULL;
}

static const char *
pg_name(const char *s)
{
	size_t i;

	if (s[0] == '\0')
		return "is empty";
	for (i = 0; s[i] != '\0'; i++) {
		if (is_upper(s[i]))
			return "must be lower case";
		if (!is_lower(s[i]) && !is_digit(s[i]) && s[i] != '_')
			return "may hold only lower-case letters, digits "
			    "and '_'";
	}
	return is_digit(s[0]) ? "must start with a letter or '_'" : NULL;
}

static const char *
env_name(const char *s)
{
	size_t i;

	if (s[0] == '\0')
		return "is empty";
	for (i = 0; s[i] != '\0'; i++)
		if (!is_upper(s[i]) && !is_lower(s[i]) && !is_digit(s[i]) &&
		    s[i] != '_')
			return "may hold only letters, digits and '_'";
	return is_digit(s[0]) ? "must start with a letter or '_'" : NULL;
}

const char *
value_name(const char *s, enum value_name kind)
{
	switch (kind) {
	case NAME_LABEL:
		return label(s, strlen(s), false);
	case NAME_LABEL1035:
		return label(s, strlen(s), true);
	case NAME_HOST:
		return host(s, 2);
	case NAME_SUBDOMAIN:
		return host(s, 1);
	case NAME_PG:
		return pg_name(s);
	case NAME_ENV:
		return env_name(s);
	}
	return "is not a name";
}

/* Reads the digits at *sp into *v; NULL on success. */
static const char *
digits(const char **sp, long long max, long long *v)
{
	const char *s = *sp;

	if (!is_digit(*s))
		return "is not a whole number";
	for (*v = 0; is_digit(*s); s++) {
		if (*v > (max - (*s - '0')) / 10)
			return "is too large";
		*v = *v * 10 + (*s - '0');
	}
	*sp = s;
	return NULL;
}

const char *
value_uint(const char *s, long long max, long long *v)
{
	const char *why;

	if ((why = digits(&s, max, v)) != NULL)
		return why;
	return *s == '\0' ? NULL : "is not a whole number";
}

const char *
value_version(const char *s, int *major, int *minor)
{
	long long a, b;

	if (digits(&s, 9999, &a) != NULL || *s++ != '.' ||
	    digits(&s, 9999, &b) != NULL || *s != '\0')
		return "is not a version of the form MAJOR.MINOR";
	*major = (int)a;
	*minor = (int)b;
	return NULL;
}

/* Largest CPU amount accepted: a million cores is plenty. */
#define CPU_MAX_MILLI	1000000000LL

const char *
value_cpu(const char *s, long long *milli)
{
	long long whole, frac = 0, scale = 1000;

	if (digits(&s, CPU_MAX_MILLI, &whole) != NULL)
		return "is not a CPU amount such as 250m or 0.5";
	if (*s == 'm' && s[1] == '\0') {
		*milli = whole;
	} else {
		if (*s == '.') {
			s++;
			if (!is_digit(*s))
				return "is not a CPU amount such as 250m "
				    "or 0.5";
			for (; is_digit(*s) && scale > 1; s++) {
				scale /= 10;
				frac += (*s - '0') * scale;
			}
			if (is_digit(*s))
				return "is finer than a millicore";
		}
		if (*s != '\0')
			return "is not a CPU amount such as 250m or 0.5";
		if (whole > CPU_MAX_MILLI / 1000)
			return "is too large";
		*milli = whole * 1000 + frac;
	}
	return *milli == 0 ? "must be more than zero" : NULL;
}

struct unit {
	const char	*name;
	long long	 factor;
};

static const struct unit mem_units[] = {
	{ "Ki", 1LL << 10 }, { "Mi", 1LL << 20 }, { "Gi", 1LL << 30 },
	{ "Ti", 1LL << 40 }, { "Pi", 1LL << 50 }, { "Ei", 1LL << 60 },
	{ "k", 1000LL }, { "M", 1000000LL }, { "G", 1000000000LL },
	{ "T", 1000000000000LL }, { "P", 1000000000000000LL },
	{ "E", 1000000000000000000LL }, { "", 1 }
};

const char *
value_memory(const char *s, long long *bytes)
{
	long long n;
	size_t i;

	if (digits(&s, LLONG_MAX, &n) != NULL)
		return "is not a memory size such as 256Mi or 1Gi";
	for (i = 0; i < sizeof(mem_units) / sizeof(*mem_units); i++) {
		if (strcmp(s, mem_units[i].name) != 0)
			continue;
		if (n > LLONG_MAX / mem_units[i].factor)
			return "is too large";
		*bytes = n * mem_units[i].factor;
		return *bytes == 0 ? "must be more than zero" : NULL;
	}
	return "has an unknown unit (use Ki, Mi, Gi, Ti or k, M, G, T)";
}

const char *
value_duration(const char *s, int *seconds)
{
	long long n, ms = 0, f;

	if (*s == '\0')
		return "is empty";
	while (*s != '\0') {
		if (digits(&s, INT_MAX, &n) != NULL)
			return "is not a duration such as 5s, 1m or 1m30s";
		if (s[0] == 'm' && s[1] == 's')
			f = 1, s += 2;
		else if (*s == 's' || *s == 'm' || *s == 'h')
			f = *s == 's' ? 1000 : *s == 'm' ? 60000 : 3600000,
			    s++;
		else
			return *s == '\0' ? "needs a unit (s, m or h)" :
			    "is not a duration such as 5s, 1m or 1m30s";
		if (n > ((long long)INT_MAX * 1000 - ms) / f)
			return "is too long";
		ms += n * f;
	}
	if (ms % 1000 != 0)
		return "is not a whole number of seconds";
	*seconds = (int)(ms / 1000);
	return NULL;
}

const char *
value_path(const char *s, bool root)
{
	const char *p, *slash;
	size_t n;

	if (s[0] != '/')
		return "must be an absolute path";
	if (s[1] == '\0')
		return root ? NULL : "may not be '/'";
	for (p = s + 1;; p = slash + 1) {
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0)
			return "has an empty component";
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' &&
		    p[1] == '.'))
			return "may not hold '.' or '..'";
		if (slash == NULL)
			return NULL;
	}
}

static bool
is_alnum(char c)
{
	return is_lower(c) || is_digit(c);
}

/* A repository path component: [a-z0-9]+ joined by '.', '_', '__', '-'+. */
static bool
repo_component(const char *s, size_t n)
{
	size_t i = 0;

	for (;;) {
		if (i >= n || !is_alnum(s[i]))
			return false;
		while (i < n && is_alnum(s[i]))
			i++;
		if (i == n)
			return true;
		if (s[i] == '.')
			i++;
		else if (s[i] == '_')
			i += i + 1 < n && s[i + 1] == '_' ? 2 : 1;
		else if (s[i] == '-')
			while (i < n && s[i] == '-')
				i++;
		else
			return false;
	}
}

static bool
registry_like(const char *s, size_t n)
{
	return memchr(s, '.', n) != NULL || memchr(s, ':', n) != NULL ||
	    (n == 9 && memcmp(s, "localhost", 9) == 0);
}

static bool
registry_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_lower(s[i]) && !is_digit(s[i]) && !is_upper(s[i]) &&
		    strchr(".-:", s[i]) == NULL)
			return false;
	return n > 0 && s[0] != '.' && s[0] != '-' && s[n - 1] != '.';
}

static const char *
repo_path(const char *s, size_t n)
{
	const char *slash;
	size_t len;

	for (;;) {
		slash = memchr(s, '/', n);
		len = slash ? (size_t)(slash - s) : n;
		if (!repo_component(s, len))
			return "has a repository name that is not lower-case "
			    "letters and digits joined by '.', '_' or '-'";
		if (slash == NULL)
			return NULL;
		n -= len + 1;
		s = slash + 1;
	}
}

static bool
tag_ok(const char *t)
{
	size_t i, n = strlen(t);

	if (n == 0 || n > 128 || t[0] == '.' || t[0] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!is_lower(t[i]) && !is_upper(t[i]) && !is_digit(t[i]) &&
		    strchr("_.-", t[i]) == NULL)
			return false;
	return true;
}

static bool
digest_ok(const char *d)
{
	size_t i, want;

	if (strncmp(d, "sha256:", 7) == 0)
		want = 64, d += 7;
	else if (strncmp(d, "sha512:", 7) == 0)
		want = 128, d += 7;
	else
		return false;
	for (i = 0; d[i] != '\0'; i++)
		if (!is_hex(d[i]))
			return false;
	return i == want;
}

const char *
value_http_path(const char *s)
{
	const unsigned char *p;

	if (s[0] != '/')
		return "must start with '/'";
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p <= ' ' || *p >= 0x7F)
			return "may not hold blanks, control characters or "
			    "characters outside ASCII";
		if (strchr("#\"<>\\^`{|}", *p) != NULL)
			return "holds a character that needs escaping in a "
			    "URL (use %XX)";
	}
	return NULL;
}

/* Takes tag and digest off ref; *namelen is what comes before them. */
static const char *
split_ref(struct arena *a, const char *ref, struct model_image *img,
    size_t *namelen)
{
	const char *at, *colon, *slash;

	at = strchr(ref, '@');
	*namelen = at ? (size_t)(at - ref) : strlen(ref);
	if (at != NULL) {
		img->digest = arena_strdup(a, at + 1);
		if (!digest_ok(img->digest))
			return "has a digest that is not sha256: and 64 "
			    "hex digits";
	}
	slash = memchr(ref, '/', *namelen);
	colon = memchr(slash ? slash : ref, ':',
	    *namelen - (size_t)((slash ? slash : ref) - ref));
	if (colon != NULL) {
		img->tag = arena_strndup(a, colon + 1,
		    *namelen - (size_t)(colon + 1 - ref));
		*namelen = (size_t)(colon - ref);
		if (!tag_ok(img->tag))
			return "has a tag that is not letters, digits, '_', "
			    "'.' and '-' (at most 128, not starting with "
			    "'.' or '-')";
	}
	return NULL;
}

enum value_image
value_image(struct arena *a, const char *ref, struct model_image *img,
    const char **why)
{
	const char *slash;
	size_t n, rlen;

	memset(img, 0, sizeof(*img));
	img->ref = ref;
	if ((*why = split_ref(a, ref, img, &n)) != NULL)
		return IMAGE_INVALID;
	if (n > 255) {
		*why = "has a name longer than 255 characters";
		return IMAGE_INVALID;
	}
	slash = memchr(ref, '/', n);
	if (slash != NULL && registry_like(ref, (size_t)(slash - ref))) {
		rlen = (size_t)(slash - ref);
		if (!registry_ok(ref, rlen)) {
			*why = "has a registry that is not a host name";
			return IMAGE_INVALID;
		}
		img->registry = arena_strndup(a, ref, rlen);
		img->repository = arena_strndup(a, slash + 1, n - rlen - 1);
	} else {
		img->registry = "docker.io";
		img->repository = slash ? arena_strndup(a, ref, n) :
		    arena_printf(a, "library/%.*s", (int)n, ref);
	}
	if ((*why = repo_path(img->repository, strlen(img->repository)))
	    != NULL)
		return IMAGE_INVALID;
	img->name = arena_printf(a, "%s/%s", img->registry, img->repository);
	if (img->digest == NULL && img->tag == NULL)
		return IMAGE_UNPINNED;
	if (img->digest == NULL && strcmp(img->tag, "latest") == 0)
		return IMAGE_LATEST;
	return IMAGE_OK;
}

/* The checksum is the age module's to verify (check_env.c calls it). */
#define BECH32_ALPHABET	"qpzry9x8gf2tvdw0s3jn54khce6mua7l"
#define AGE_RECIPIENT_LEN	62	/* "age1", 52 data and 6 check chars */

const char *
value_age_recipient(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (is_upper(s[i]))
			return "must be lower case";
	if (strncmp(s, "age1", 4) != 0)
		return "does not start with 'age1'";
	for (i = 4; s[i] != '\0'; i++) {
		if (strchr(BECH32_ALPHABET, s[i]) == NULL)
			return "holds a character outside the Bech32 alphabet";
	}
	return i == AGE_RECIPIENT_LEN ? NULL :
	    "is not 62 characters long, as an X25519 recipient is";
}
