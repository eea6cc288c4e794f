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

/*
 * glibc's regcomp expands repetitions into copies of what they repeat
 * (a+ as aa*, a{3,5} as aaaa?a?), so a short rule with nested or
 * stacked repetitions can ask for billions of nodes: a fuzzer found
 * "e++++..." taking 2 GiB.  RE2, which sops uses, refuses a repetition
 * of a repetition and counts over 1000, and bounds a program's size;
 * so does railgen, counting the nodes the expansion would make.
 */
#define RX_DEPTH	32	/* groups open at once */
#define RX_COUNT_MAX	1000	/* the largest {n}, as in RE2 */
#define RX_SIZE_MAX	10000	/* atoms once repetitions are expanded */

struct rx_size {
	size_t	 size[RX_DEPTH + 1];	/* each open group's, so far */
	size_t	 last;			/* the atom before; 0: none */
	int	 depth;
	int	 repeated;		/* the token before was a repetition */
};

static int
rx_add(struct rx_size *z, size_t n, struct buf *why)
{
	z->size[z->depth] += n;
	z->last = n;
	z->repeated = 0;
	if (z->size[z->depth] <= RX_SIZE_MAX)
		return 0;
	buf_printf(why, "regex is too large once its repetitions are "
	    "expanded (over %d atoms)", RX_SIZE_MAX);
	return -1;
}

/* The atom before repeated k times in all. */
static int
rx_repeat(struct rx_size *z, size_t k, struct buf *why)
{
	size_t last = z->last;

	if (z->repeated) {
		buf_adds(why, "regex repeats a repetition (such as 'a++'), "
		    "which RE2 refuses too");
		return -1;
	}
	if (last == 0 || k <= 1) {
		z->repeated = 1;
		return 0;
	}
	z->size[z->depth] -= last;
	if (rx_add(z, last * k, why) != 0)
		return -1;
	z->repeated = 1;
	return 0;
}

/*
 * A counted repetition {m}, {m,} or {m,n} at s: its length, with the
 * copies it makes in *k; 0 when s is no such thing (a plain '{').
 */
static size_t
rx_count(const char *s, size_t *k, int *toobig)
{
	const char *p = s + 1;
	unsigned long m = 0, n;
	int open = 0;

	if (*p < '0' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++)	/* stops growing past max */
		if (m <= RX_COUNT_MAX)
			m = m * 10 + (unsigned long)(*p - '0');
	n = m;
	if (*p == ',' && (p[1] < '0' || p[1] > '9')) {
		open = 1;	/* {m,}: m copies and a starred one */
		p++;
	} else if (*p == ',') {
		for (n = 0, p++; *p >= '0' && *p <= '9'; p++)
			if (n <= RX_COUNT_MAX)
				n = n * 10 + (unsigned long)(*p - '0');
	}
	if (*p != '}')
		return 0;
	*toobig = m > RX_COUNT_MAX || n > RX_COUNT_MAX;
	*k = open ? m + 1 : n > m ? n : m;
	return (size_t)(p - s) + 1;
}

int
sops_regex_translate(const char *s, struct buf *out, struct buf *why)
{
	struct rx_size z;
	size_t k, len;
	int toobig;

	memset(&z, 0, sizeof z);
	for (; *s != '\0'; s++) {
		if ((*s == '*' || *s == '+' || *s == '?' || *s == '}') &&
		    s[1] == '?') {
			buf_adds(why, "lazy repetition is not supported");
			return -1;
		}
		if (*s == '[') {
			if (bracket(&s, out, why) != 0 ||
			    rx_add(&z, 1, why) != 0)
				return -1;
		} else if (*s == '\\') {
			if (escape(*++s, out, why) != 0 ||
			    rx_add(&z, 1, why) != 0)
				return -1;
		} else if (*s == '(') {
			if (s[1] == '?' && s[2] != ':') {
				buf_adds(why, "regex flags and named groups "
				    "are not supported");
				return -1;
			}
			if (z.depth == RX_DEPTH) {
				buf_printf(why, "regex nests groups deeper "
				    "than %d", RX_DEPTH);
				return -1;
			}
			buf_addc(out, '(');
			if (s[1] == '?')
				s += 2;
			z.size[++z.depth] = 0;
			z.last = 0;
			z.repeated = 0;
		} else if (*s == ')' && z.depth > 0) {
			buf_addc(out, ')');
			z.depth--;
			if (rx_add(&z, z.size[z.depth + 1], why) != 0)
				return -1;
		} else if (*s == '|') {
			buf_addc(out, '|');
			z.last = 0;
			z.repeated = 0;
		} else if (*s == '*' || *s == '+' || *s == '?') {
			buf_addc(out, *s);
			if (rx_repeat(&z, *s == '+' ? 2 : 1, why) != 0)
				return -1;
		} else if (*s == '{' && (len = rx_count(s, &k, &toobig)) > 0) {
			if (toobig) {
				buf_printf(why, "regex repetition count over "
				    "%d", RX_COUNT_MAX);
				return -1;
			}
			buf_add(out, s, len);
			if (rx_repeat(&z, k, why) != 0)
				return -1;
			s += len - 1;
		} else {
			buf_addc(out, *s);
			if (rx_add(&z, 1, why) != 0)
				return -1;
		}
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
