/* sops_rules.c: key paths and the rules that pick the encrypted leaves. */
#include <stdlib.h>
#include <string.h>

#include "sops_impl.h"

void
sops_path_push(struct sops_path *p, const char *key, size_t len)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->keys = xrealloc(p->keys, p->cap * sizeof *p->keys);
		p->lens = xrealloc(p->lens, p->cap * sizeof *p->lens);
	}
	p->keys[p->n] = key;
	p->lens[p->n] = len;
	p->n++;
}

void
sops_path_pop(struct sops_path *p)
{
	p->n--;
}

void
sops_path_free(struct sops_path *p)
{
	free(p->keys);
	free(p->lens);
	memset(p, 0, sizeof *p);
}

/* No escaping: sops joins raw keys, so "a:b" and a -> b share an AAD. */
void
sops_path_aad(const struct sops_path *p, struct buf *b)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		buf_add(b, p->keys[i], p->lens[i]);
		buf_addc(b, ':');
	}
	if (p->n == 0)
		buf_addc(b, ':');
}

const char *
sops_rule_name(enum sops_rule r)
{
	static const char *const names[] = { "unencrypted_suffix",
	    "encrypted_suffix", "unencrypted_regex", "encrypted_regex",
	    "unencrypted_comment_regex", "encrypted_comment_regex" };

	return names[r];
}

/* A bracket expression: RE2 escapes inside become ERE members. */
static int
bracket(const char **sp, struct buf *out, struct buf *why)
{
	const char *s = *sp + 1;

	buf_addc(out, '[');
	if (*s == '^')
		buf_addc(out, *s++);
	if (*s == ']')
		buf_addc(out, *s++);
	for (; *s != '\0' && *s != ']'; s++) {
		if (*s != '\\') {
			buf_addc(out, *s);
			continue;
		}
		s++;
		if (*s == 'd')
			buf_adds(out, "0-9");
		else if (*s == 'w')
			buf_adds(out, "0-9A-Za-z_");
		else if (*s == 's')
			buf_adds(out, "\t\n\f\r ");
		else if (*s != '\0' && strchr(".*+?(){}|$/#:@!%&=,;<>'\"~`",
		    *s) != NULL)
			buf_addc(out, *s);
		else {
			buf_printf(why, "regex escape '\\%c' inside brackets "
			    "is not supported", *s ? *s : ' ');
			return -1;
		}
	}
	if (*s != ']') {
		buf_adds(why, "regex has an unclosed '['");
		return -1;
	}
	buf_addc(out, ']');
	*sp = s;
	return 0;
}

/* An escape outside brackets. */
static int
escape(char c, struct buf *out, struct buf *why)
{
	static const struct {
		char		 c;
		const char	*ere;
	} classes[] = {
		{ 'd', "[0-9]" }, { 'D', "[^0-9]" },
		{ 'w', "[0-9A-Za-z_]" }, { 'W', "[^0-9A-Za-z_]" },
		{ 's', "[\t\n\f\r ]" }, { 'S', "[^\t\n\f\r ]" },
		{ 'n', "\n" }, { 't', "\t" }
	};
	size_t i;

	for (i = 0; i < sizeof classes / sizeof classes[0]; i++) {
		if (classes[i].c == c) {
			buf_adds(out, classes[i].ere);
			return 0;
		}
	}
	/* ERE's own metacharacters stay escaped, others become plain. */
	if (c != '\0' && strchr(".[]{}()\\*+?^$|", c)) {
		buf_addc(out, '\\');
		buf_addc(out, c);
		return 0;
	}
	if (c != '\0' && strchr("-/#:@!%&=,;<>'\"~`_", c)) {
		buf_addc(out, c);
		return 0;
	}
	buf_printf(why, "regex escape '\\%c' is not supported", c ? c : ' ');
	return -1;
}

int
sops_regex_translate(const char *s, struct buf *out, struct buf *why)
{
	for (; *s != '\0'; s++) {
		if (*s == '[') {
			if (bracket(&s, out, why) != 0)
				return -1;
		} else if (*s == '\\') {
			if (escape(*++s, out, why) != 0)
				return -1;
		} else if (*s == '(' && s[1] == '?') {
			if (s[2] != ':') {
				buf_adds(why, "regex flags and named groups "
				    "are not supported");
				return -1;
			}
			buf_addc(out, '(');
			s += 2;
		} else if ((*s == '*' || *s == '+' || *s == '?' ||
		    *s == '}') && s[1] == '?') {
			buf_adds(why, "lazy repetition is not supported");
			return -1;
		} else
			buf_addc(out, *s);
	}
	if (out->data == NULL)
		buf_add(out, "", 0);
	return 0;
}

/*
 * Compiled regexes, kept for the whole run.  railgen writes two SOPS
 * files per app under the same two rules and walks each file several
 * times; compiling the regex for every walk, and glibc's matcher then
 * building its tables again on the first searches, cost more than the
 * matching did.  The keys repeat as well ("secrets", "spec", "name"),
 * so each regex keeps its answers for short keys.  Past RX_MAX rules
 * (only a long-running fuzzer sees as many) a rule gets its own.
 */
#define RX_MAX		8
#define MEMO_MAX	256
#define MEMO_KEY_MAX	64

struct sops_regex {
	char		*value;		/* the rule as written */
	regex_t		 re;
	int		 shared;	/* in rx_cache, never freed */
	size_t		 nmemo;
	struct {
		char	*key;		/* NUL-terminated copy */
		size_t	 len;
		int	 hit;
	} memo[MEMO_MAX];
};

static struct sops_regex	*rx_cache[RX_MAX];
static size_t			 rx_n;

static void
rx_free(struct sops_regex *x)
{
	size_t i;

	for (i = 0; i < x->nmemo; i++)
		free(x->memo[i].key);
	regfree(&x->re);
	free(x->value);
	free(x);
}

/* The compiled form of value, shared when there is room; NULL: error. */
static struct sops_regex *
rx_get(enum sops_rule kind, const char *value, struct buf *why, int *rc)
{
	struct buf ere = BUF_INIT;
	struct sops_regex *x;
	size_t i;

	for (i = 0; i < rx_n; i++)
		if (strcmp(rx_cache[i]->value, value) == 0)
			return rx_cache[i];
	if (sops_regex_translate(value, &ere, why) != 0) {
		buf_free(&ere);
		*rc = SOPS_ERR_UNSUPPORTED;
		return NULL;
	}
	x = xcalloc(1, sizeof *x);
	if (regcomp(&x->re, ere.data, REG_EXTENDED | REG_NOSUB) != 0) {
		buf_free(&ere);
		free(x);
		buf_printf(why, "invalid %s '%s'", sops_rule_name(kind),
		    value);
		*rc = SOPS_ERR_INPUT;
		return NULL;
	}
	buf_free(&ere);
	x->value = xstrdup(value);
	if (rx_n < RX_MAX) {
		x->shared = 1;
		rx_cache[rx_n++] = x;
	}
	return x;
}

int
sops_rules_init(struct sops_rules *r, enum sops_rule kind, const char *value,
    struct buf *why)
{
	int rc = SOPS_OK;

	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->value = value;
	if (kind == SOPS_UNENCRYPTED_COMMENT_REGEX ||
	    kind == SOPS_ENCRYPTED_COMMENT_REGEX) {
		buf_printf(why, "the %s rule is not supported",
		    sops_rule_name(kind));
		return SOPS_ERR_UNSUPPORTED;
	}
	if (kind != SOPS_UNENCRYPTED_REGEX && kind != SOPS_ENCRYPTED_REGEX)
		return SOPS_OK;
	r->rx = rx_get(kind, value, why, &rc);
	return rc;
}

void
sops_rules_free(struct sops_rules *r)
{
	if (r->rx != NULL && !r->rx->shared)
		rx_free(r->rx);
	r->rx = NULL;
}

static int
ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return n <= len && memcmp(s + len - n, suffix, n) == 0;
}

/* An unanchored search, as Go's regexp.Match. */
static int
matches(const struct sops_rules *r, const char *s, size_t len)
{
	struct sops_regex *x = r->rx;
	size_t i;
	char *z;
	int m;

	for (i = 0; i < x->nmemo; i++)
		if (x->memo[i].len == len && memcmp(x->memo[i].key, s,
		    len) == 0)
			return x->memo[i].hit;
	z = xstrndup(s, len);
	m = regexec(&x->re, z, 0, NULL, 0) == 0;
	/* A key with a NUL in it is matched up to the NUL, never kept. */
	if (x->nmemo < MEMO_MAX && len <= MEMO_KEY_MAX && strlen(z) == len) {
		x->memo[x->nmemo].key = z;
		x->memo[x->nmemo].len = len;
		x->memo[x->nmemo++].hit = m;
	} else
		free(z);
	return m;
}

/* Any path component that ends with the suffix or matches the regex. */
static int
any_component(const struct sops_rules *r, const struct sops_path *p)
{
	size_t i;
	int regex = r->kind == SOPS_UNENCRYPTED_REGEX ||
	    r->kind == SOPS_ENCRYPTED_REGEX;

	for (i = 0; i < p->n; i++) {
		if (regex ? matches(r, p->keys[i], p->lens[i]) :
		    ends_with(p->keys[i], p->lens[i], r->value))
			return 1;
	}
	return 0;
}

int
sops_rules_encrypt(const struct sops_rules *r, const struct sops_path *p)
{
	int any = any_component(r, p);

	switch (r->kind) {
	case SOPS_UNENCRYPTED_SUFFIX:
	case SOPS_UNENCRYPTED_REGEX:
		return !any;
	case SOPS_ENCRYPTED_SUFFIX:
	case SOPS_ENCRYPTED_REGEX:
		return any;
	default:
		return 1;
	}
}
