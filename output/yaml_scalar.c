/* yaml_scalar.c: scalar typing and number/time text as go-yaml and Go do. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yamltree.h"
#include "yaml_impl.h"

/*
 * SOPS hashes and encrypts values in the form Go prints them, so this file
 * reproduces three Go behaviours: go-yaml v3's resolver for plain scalars,
 * strconv's shortest float formatting ('f' and 'g' with precision -1) and
 * the time package's RFC 3339 forms.  The shortest digits come from
 * printf with rising precision, checked by reading them back with strtod.
 */

#define MAXDIGITS	17

/* The decimal digits of a finite double: value = 0.d1d2...dn x 10^dp. */
struct digits {
	char	d[MAXDIGITS + 8];
	int	nd;
	int	dp;
	int	neg;
};

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Reads "%.*e" output into mantissa digits m (as an integer) and exp. */
static void
split_e(const char *s, unsigned long long *m, int *exp, int *ndig)
{
	*m = 0;
	*ndig = 0;
	for (; *s != 'e'; s++) {
		if (is_digit((unsigned char)*s)) {
			*m = *m * 10 + (unsigned long long)(*s - '0');
			(*ndig)++;
		}
	}
	*exp = atoi(s + 1);
}

/* Does m x 10^(exp - (ndig - 1)) read back as x? */
static int
round_trips(unsigned long long m, int exp, int ndig, double x)
{
	char b[64];

	snprintf(b, sizeof b, "%llue%d", m, exp - (ndig - 1));
	return strtod(b, NULL) == x;
}

static void
set_digits(struct digits *dg, unsigned long long m, int exp, int ndig)
{
	char b[32];
	int n;

	n = snprintf(b, sizeof b, "%llu", m);
	/* A carry (999 + 1) adds a digit and moves the exponent. */
	exp += n - ndig;
	while (n > 1 && b[n - 1] == '0')
		n--;
	memcpy(dg->d, b, (size_t)n);
	dg->d[n] = '\0';
	dg->nd = n;
	dg->dp = exp + 1;
}

/*
 * The shortest digits that read back as x (finite).  For each precision
 * the correctly rounded candidate is tried first, then its neighbour on
 * the other side of x: near a power of two the rounding interval is
 * lopsided and only the farther one may round-trip.
 */
static void
shortest(double x, struct digits *dg)
{
	char b[64];
	unsigned long long m;
	int p, exp, ndig;
	double r;

	dg->neg = signbit(x) != 0;
	x = fabs(x);
	if (x == 0) {
		dg->nd = 0;
		dg->dp = 0;
		dg->d[0] = '\0';
		return;
	}
	for (p = 1; p <= MAXDIGITS; p++) {
		snprintf(b, sizeof b, "%.*e", p - 1, x);
		split_e(b, &m, &exp, &ndig);
		r = strtod(b, NULL);
		if (r == x) {
			set_digits(dg, m, exp, ndig);
			return;
		}
		if (r > x && m > 1 && round_trips(m - 1, exp, ndig, x)) {
			set_digits(dg, m - 1, exp, ndig);
			return;
		}
		if (r < x && round_trips(m + 1, exp, ndig, x)) {
			set_digits(dg, m + 1, exp, ndig);
			return;
		}
	}
	/* Unreachable: 17 significant digits always round-trip. */
	snprintf(b, sizeof b, "%.16e", x);
	split_e(b, &m, &exp, &ndig);
	set_digits(dg, m, exp, ndig);
}

/* Digit i of the number, '0' outside the stored digits. */
static char
digit_at(const struct digits *dg, int i)
{
	return i >= 0 && i < dg->nd ? dg->d[i] : '0';
}

/* Go's %f with prec fraction digits. */
static void
fmt_f(struct buf *b, const struct digits *dg, int prec)
{
	int i;

	if (dg->neg)
		buf_addc(b, '-');
	if (dg->dp > 0) {
		for (i = 0; i < dg->dp; i++)
			buf_addc(b, digit_at(dg, i));
	} else
		buf_addc(b, '0');
	if (prec > 0) {
		buf_addc(b, '.');
		for (i = 0; i < prec; i++)
			buf_addc(b, digit_at(dg, dg->dp + i));
	}
}

/* Go's %e with prec fraction digits and a two-digit minimum exponent. */
static void
fmt_e(struct buf *b, const struct digits *dg, int prec)
{
	int i, exp;

	if (dg->neg)
		buf_addc(b, '-');
	buf_addc(b, dg->nd ? dg->d[0] : '0');
	if (prec > 0) {
		buf_addc(b, '.');
		for (i = 1; i <= prec; i++)
			buf_addc(b, digit_at(dg, i));
	}
	exp = dg->nd ? dg->dp - 1 : 0;
	buf_printf(b, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
}

static int
fmt_special(struct buf *b, double x)
{
	if (isnan(x))
		buf_adds(b, "NaN");
	else if (isinf(x))
		buf_adds(b, x > 0 ? "+Inf" : "-Inf");
	else
		return 0;
	return 1;
}

void
yaml_fmt_float_f(struct buf *b, double x)
{
	struct digits dg;
	int prec;

	if (fmt_special(b, x))
		return;
	shortest(x, &dg);
	prec = dg.nd - dg.dp;
	fmt_f(b, &dg, prec > 0 ? prec : 0);
}

/* Go's shortest %g: exponent form when the exponent is < -4 or >= 6. */
void
yaml_fmt_float_g(struct buf *b, double x)
{
	struct digits dg;
	int exp, prec;

	if (fmt_special(b, x))
		return;
	shortest(x, &dg);
	exp = dg.dp - 1;
	if (exp < -4 || exp >= 6) {
		fmt_e(b, &dg, dg.nd - 1);
		return;
	}
	prec = dg.nd - dg.dp;
	fmt_f(b, &dg, prec > 0 ? prec : 0);
}

/* ECMAScript Number::toString for finite values. */
void
yaml_fmt_float_js(struct buf *b, double x)
{
	struct digits dg;
	int i, n, k, e;

	if (isnan(x) || isinf(x)) {
		buf_adds(b, isnan(x) ? "NaN" : x > 0 ? "Infinity" :
		    "-Infinity");
		return;
	}
	if (x == 0) {
		buf_addc(b, '0');
		return;
	}
	shortest(x, &dg);
	if (dg.neg)
		buf_addc(b, '-');
	k = dg.nd;
	n = dg.dp;
	if (k <= n && n <= 21) {
		buf_add(b, dg.d, (size_t)k);
		for (i = k; i < n; i++)
			buf_addc(b, '0');
	} else if (0 < n && n <= 21) {
		buf_add(b, dg.d, (size_t)n);
		buf_addc(b, '.');
		buf_add(b, dg.d + n, (size_t)(k - n));
	} else if (-6 < n && n <= 0) {
		buf_adds(b, "0.");
		for (i = 0; i < -n; i++)
			buf_addc(b, '0');
		buf_add(b, dg.d, (size_t)k);
	} else {
		e = n - 1;
		buf_addc(b, dg.d[0]);
		if (k > 1) {
			buf_addc(b, '.');
			buf_add(b, dg.d + 1, (size_t)(k - 1));
		}
		buf_printf(b, "e%c%d", e < 0 ? '-' : '+', e < 0 ? -e : e);
	}
}

/* Case-insensitive prefix test of s[0..len) against lower-case word. */
static int
ieq(const char *s, size_t len, const char *word)
{
	size_t i;

	if (len != strlen(word))
		return 0;
	for (i = 0; i < len; i++) {
		int c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != word[i])
			return 0;
	}
	return 1;
}

/*
 * True when s[i..len) is empty or exactly an exponent: [eE][-+]?[0-9]+,
 * the tail both float grammars below share.
 */
static int
exponent_ends(const char *s, size_t i, size_t len)
{
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i == len || !is_digit((unsigned char)s[i]))
			return 0;
		while (i < len && is_digit((unsigned char)s[i]))
			i++;
	}
	return i == len;
}

/* The decimal grammar ParseFloat accepts: digits, '.', exponent. */
static int
decimal_ok(const char *s, size_t len)
{
	size_t i = 0, nd = 0;

	for (; i < len && is_digit((unsigned char)s[i]); i++)
		nd++;
	if (i < len && s[i] == '.')
		for (i++; i < len && is_digit((unsigned char)s[i]); i++)
			nd++;
	if (nd == 0)
		return 0;
	return exponent_ends(s, i, len);
}

static int
is_xdigit(int c)
{
	return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* Hexadecimal floats need a 'p' exponent in Go. */
static int
hexfloat_ok(const char *s, size_t len)
{
	size_t i = 2, nd = 0;

	if (len < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return 0;
	for (; i < len && is_xdigit((unsigned char)s[i]); i++)
		nd++;
	if (i < len && s[i] == '.')
		for (i++; i < len && is_xdigit((unsigned char)s[i]); i++)
			nd++;
	if (nd == 0 || i == len || (s[i] != 'p' && s[i] != 'P'))
		return 0;
	i++;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i == len)
		return 0;
	for (; i < len; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

int
yaml_parse_float(const char *s, size_t len, double *out)
{
	char tmp[512];
	const char *body = s;
	size_t blen = len;
	int neg = 0;
	double v;

	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		body++;
		blen--;
	}
	if (ieq(body, blen, "inf") || ieq(body, blen, "infinity")) {
		*out = neg ? -HUGE_VAL : HUGE_VAL;
		return 0;
	}
	if (ieq(body, blen, "nan") && body == s) {
		*out = NAN;
		return 0;
	}
	if (!decimal_ok(body, blen) && !hexfloat_ok(body, blen))
		return -1;
	if (len >= sizeof tmp)
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	errno = 0;
	v = strtod(tmp, NULL);
	/* Underflow gives zero or a subnormal in Go too; overflow fails. */
	if (errno == ERANGE && isinf(v))
		return -1;
	*out = v;
	return 0;
}

/* strconv.ParseUint(s, 0, 64) after the sign was taken off. */
static int
parse_uint0(const char *s, size_t len, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;
	size_t i = 0;

	if (len == 0)
		return -1;
	if (s[0] == '0') {
		int c = len >= 3 ? s[1] | 0x20 : 0;

		if (c == 'b' || c == 'o' || c == 'x') {
			base = c == 'b' ? 2 : c == 'o' ? 8 : 16;
			i = 2;
		} else {
			base = 8;
			i = 1;
		}
	}
	for (; i < len; i++) {
		int c = (unsigned char)s[i];
		unsigned d;

		if (is_digit(c))
			d = (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (unsigned)((c | 0x20) - 'a' + 10);
		else
			return -1;
		if (d >= base)
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -2;		/* out of range */
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/* strconv.ParseInt(s, 0, 64). */
static int
parse_int0(const char *s, size_t len, int64_t *out)
{
	uint64_t u;
	int neg = 0;

	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		s++;
		len--;
	}
	if (parse_uint0(s, len, &u) != 0)
		return -1;
	if (!neg && u > (uint64_t)INT64_MAX)
		return -1;
	if (neg && u > (uint64_t)INT64_MAX + 1)
		return -1;
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

/* ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static int
yaml_style_float(const char *s, size_t len)
{
	size_t i = 0, n = 0;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i < len && s[i] == '.') {
		for (i++; i < len && is_digit((unsigned char)s[i]); i++)
			n++;
		if (n == 0)
			return 0;
	} else {
		for (; i < len && is_digit((unsigned char)s[i]); i++)
			n++;
		if (n == 0)
			return 0;
		if (i < len && s[i] == '.')
			for (i++; i < len && is_digit((unsigned char)s[i]); i++)
				;
	}
	return exponent_ends(s, i, len);
}

static int
in_list(const char *s, size_t len, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == len && memcmp(*list, s, len) == 0)
			return 1;
	return 0;
}

/* go-yaml's table of exact plain words. */
static int
resolve_word(const char *s, size_t len, struct yaml_node *out)
{
	static const char *const t[] = { "true", "True", "TRUE", NULL };
	static const char *const f[] = { "false", "False", "FALSE", NULL };
	static const char *const nul[] = { "", "~", "null", "Null", "NULL",
	    NULL };
	static const char *const nan[] = { ".nan", ".NaN", ".NAN", NULL };
	static const char *const inf[] = { ".inf", ".Inf", ".INF", "+.inf",
	    "+.Inf", "+.INF", NULL };
	static const char *const ninf[] = { "-.inf", "-.Inf", "-.INF",
	    NULL };

	if (in_list(s, len, t) || in_list(s, len, f)) {
		out->kind = YAML_BOOL;
		out->v.b = in_list(s, len, t);
	} else if (in_list(s, len, nul))
		out->kind = YAML_NULL;
	else if (in_list(s, len, nan)) {
		out->kind = YAML_FLOAT;
		out->v.f = NAN;
	} else if (in_list(s, len, inf) || in_list(s, len, ninf)) {
		out->kind = YAML_FLOAT;
		out->v.f = in_list(s, len, inf) ? HUGE_VAL : -HUGE_VAL;
	} else
		return 0;
	return 1;
}

/* Ints, uints and floats of a scalar starting with a digit or sign. */
static int
resolve_number(const char *s, size_t len, struct yaml_node *out)
{
	char plain[512];
	size_t i, n = 0;
	int64_t iv;
	uint64_t uv;
	double fv;

	if (len >= sizeof plain)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] != '_')
			plain[n++] = s[i];
	if (parse_int0(plain, n, &iv) == 0) {
		out->kind = YAML_INT;
		out->v.i = iv;
	} else if (parse_uint0(plain, n, &uv) == 0) {
		out->kind = YAML_UINT;
		out->v.u = uv;
	} else if (yaml_style_float(plain, n) &&
	    yaml_parse_float(plain, n, &fv) == 0) {
		out->kind = YAML_FLOAT;
		out->v.f = fv;
	} else
		return 0;
	return 1;
}

void
yaml_resolve_into(const char *s, size_t len, struct yaml_node *out)
{
	int c = len ? (unsigned char)s[0] : 0;
	double fv;

	out->kind = YAML_STR;
	if (len == 0 || strchr("yYnNtTfFoO~.+-0123456789", c) != NULL) {
		if (resolve_word(s, len, out))
			return;
	}
	if (c == '.') {
		if (yaml_parse_float(s, len, &fv) == 0) {
			out->kind = YAML_FLOAT;
			out->v.f = fv;
		}
	} else if (c == '+' || c == '-' || is_digit(c)) {
		if (yaml_parse_timestamp(s, len, &out->v.t) == 0)
			out->kind = YAML_TIME;
		else
			resolve_number(s, len, out);
	}
}

struct yaml_node *
yaml_resolve_plain(const char *s, size_t len)
{
	struct yaml_node tmp;
	struct yaml_node *n;

	yaml_resolve_into(s, len, &tmp);
	if (tmp.kind == YAML_STR)
		return yaml_strn(s, len);
	n = yaml_null();
	*n = tmp;
	return n;
}

int
yaml_is_old_bool(const char *s, size_t len)
{
	static const char *const w[] = { "y", "Y", "yes", "Yes", "YES",
	    "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF",
	    NULL };

	return in_list(s, len, w);
}

/* ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$ */
int
yaml_is_base60_float(const char *s, size_t len)
{
	size_t i = 0;
	int groups = 0;

	if (memchr(s, ':', len) == NULL)
		return 0;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i == len || !is_digit((unsigned char)s[i]))
		return 0;
	for (i++; i < len && (is_digit((unsigned char)s[i]) || s[i] == '_');
	    i++)
		;
	while (i < len && s[i] == ':') {
		size_t start = ++i;

		while (i < len && is_digit((unsigned char)s[i]) &&
		    i - start < 2)
			i++;
		if (i == start || (i - start == 2 && s[start] > '5'))
			return 0;
		groups++;
	}
	if (groups == 0)
		return 0;
	if (i < len && s[i] == '.')
		for (i++; i < len && (is_digit((unsigned char)s[i]) ||
		    s[i] == '_'); i++)
			;
	return i == len;
}

int
yaml_utf8_valid(const char *p, size_t len)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i], cp;
		size_t n, k;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3, cp = c & 0x07;
		else
			return 0;
		if (i + n >= len)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 29;
	return dm[m - 1];
}

int64_t
yaml_time_epoch(const struct yaml_time *t)
{
	int64_t days = days_from_civil(t->year, t->month, t->day);

	return days * 86400 + t->hour * 3600 + t->min * 60 + t->sec -
	    (int64_t)t->offset * 60;
}

void
yaml_time_from_epoch(int64_t s, struct yaml_time *t)
{
	int64_t z, era, doe, yoe, doy, mp, days;

	days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	s -= days * 86400;
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	t->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	t->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	t->year = (int)(yoe + era * 400 + (t->month <= 2));
	t->hour = (int)(s / 3600);
	t->min = (int)(s / 60 % 60);
	t->sec = (int)(s % 60);
	t->nsec = 0;
	t->offset = 0;
}

/* Reads 1 or 2 digits (exactly 2 when fixed), as Go's getnum. */
static int
getnum(const char *s, size_t len, size_t *i, int fixed, int *out)
{
	if (*i >= len || !is_digit((unsigned char)s[*i]))
		return -1;
	*out = s[*i] - '0';
	(*i)++;
	if (*i < len && is_digit((unsigned char)s[*i])) {
		*out = *out * 10 + s[*i] - '0';
		(*i)++;
	} else if (fixed)
		return -1;
	return 0;
}

static int
expect(const char *s, size_t len, size_t *i, char c)
{
	if (*i >= len || s[*i] != c)
		return -1;
	(*i)++;
	return 0;
}

/* ".123" or ",123" (any number of digits, nine kept) after seconds. */
static void
fraction(const char *s, size_t len, size_t *i, int comma_ok, long *nsec)
{
	long scale = 100000000;

	*nsec = 0;
	if (*i + 1 >= len || !(s[*i] == '.' || (comma_ok && s[*i] == ',')) ||
	    !is_digit((unsigned char)s[*i + 1]))
		return;
	for ((*i)++; *i < len && is_digit((unsigned char)s[*i]); (*i)++) {
		*nsec += (s[*i] - '0') * scale;
		scale /= 10;
	}
}

/* "Z" or "+hh:mm"; UTC offsets in minutes. */
static int
zone(const char *s, size_t len, size_t *i, int *offset)
{
	int hh, mm, sign;

	if (*i < len && s[*i] == 'Z') {
		(*i)++;
		*offset = 0;
		return 0;
	}
	if (*i >= len || (s[*i] != '+' && s[*i] != '-'))
		return -1;
	sign = s[*i] == '-' ? -1 : 1;
	(*i)++;
	if (getnum(s, len, i, 1, &hh) || expect(s, len, i, ':') ||
	    getnum(s, len, i, 1, &mm) || hh > 24 || mm > 60)
		return -1;
	*offset = sign * (hh * 60 + mm);
	return 0;
}

static int
time_valid(const struct yaml_time *t)
{
	return t->month >= 1 && t->month <= 12 && t->day >= 1 &&
	    t->day <= days_in_month(t->year, t->month) && t->hour < 24 &&
	    t->min < 60 && t->sec < 60;
}

static int
parse_year(const char *s, size_t len, size_t *i, int *year)
{
	size_t k;

	if (len < 5)
		return -1;
	for (k = 0; k < 4; k++)
		if (!is_digit((unsigned char)s[k]))
			return -1;
	*year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	    (s[2] - '0') * 10 + (s[3] - '0');
	*i = 4;
	return 0;
}

int
yaml_parse_timestamp(const char *s, size_t len, struct yaml_time *t)
{
	struct yaml_time v;
	size_t i;
	char sep;

	memset(&v, 0, sizeof v);
	if (parse_year(s, len, &i, &v.year) || expect(s, len, &i, '-') ||
	    getnum(s, len, &i, 0, &v.month) || expect(s, len, &i, '-') ||
	    getnum(s, len, &i, 0, &v.day))
		return -1;
	if (i < len) {
		sep = s[i++];
		if (sep != 'T' && sep != 't' && sep != ' ')
			return -1;
		if (getnum(s, len, &i, 0, &v.hour) ||
		    expect(s, len, &i, ':') ||
		    getnum(s, len, &i, 0, &v.min) ||
		    expect(s, len, &i, ':') ||
		    getnum(s, len, &i, 0, &v.sec))
			return -1;
		fraction(s, len, &i, 1, &v.nsec);
		if (sep != ' ' && zone(s, len, &i, &v.offset))
			return -1;
	}
	if (i != len || !time_valid(&v))
		return -1;
	*t = v;
	return 0;
}

int
yaml_parse_rfc3339(const char *s, size_t len, struct yaml_time *t)
{
	struct yaml_time v;
	size_t i;

	memset(&v, 0, sizeof v);
	if (parse_year(s, len, &i, &v.year) || expect(s, len, &i, '-') ||
	    getnum(s, len, &i, 1, &v.month) || expect(s, len, &i, '-') ||
	    getnum(s, len, &i, 1, &v.day) || expect(s, len, &i, 'T') ||
	    getnum(s, len, &i, 1, &v.hour) || expect(s, len, &i, ':') ||
	    getnum(s, len, &i, 1, &v.min) || expect(s, len, &i, ':') ||
	    getnum(s, len, &i, 1, &v.sec))
		return -1;
	fraction(s, len, &i, 0, &v.nsec);
	if (zone(s, len, &i, &v.offset) || i != len || !time_valid(&v))
		return -1;
	*t = v;
	return 0;
}

/* RFC 3339 in the time's own offset; nano adds the fraction without
 * trailing zeros (Go's RFC3339Nano). */
void
yaml_fmt_time(struct buf *b, const struct yaml_time *t, int nano)
{
	char frac[16];
	int n;

	buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d", t->year, t->month,
	    t->day, t->hour, t->min, t->sec);
	if (nano && t->nsec > 0) {
		n = snprintf(frac, sizeof frac, "%09ld", t->nsec);
		while (n > 0 && frac[n - 1] == '0')
			n--;
		buf_addc(b, '.');
		buf_add(b, frac, (size_t)n);
	}
	if (t->offset == 0)
		buf_addc(b, 'Z');
	else
		buf_printf(b, "%c%02d:%02d", t->offset < 0 ? '-' : '+',
		    abs(t->offset) / 60, abs(t->offset) % 60);
}
