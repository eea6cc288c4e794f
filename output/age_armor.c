/* age_armor.c: strict reading of age's PEM-like ASCII armor. */
#include <string.h>

#include "age_impl.h"
#include "base64.h"

/*
 * Design: the armor is read line by line and every data line is decoded
 * on its own.  Decoding the joined lines at once would accept what age
 * refuses: short lines in the middle or '=' split across lines.  Slack
 * is allowed only where age allows it: whitespace before BEGIN and after
 * END (each under 1 KiB, as Go's reader), CRLF line ends, and a missing
 * newline after END.
 */

#define ARMOR_BEGIN	"-----BEGIN AGE ENCRYPTED FILE-----"
#define ARMOR_END	"-----END AGE ENCRYPTED FILE-----"
#define ARMOR_SLACK	1024
#define ARMOR_COLS	64

struct cursor {
	const char	*p;
	size_t		 len;
	size_t		 off;
};

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\v' || c == '\f';
}

/*
 * The next line without its LF (and one CR before the LF).  *eol says
 * whether an LF ended it.  Returns -1 at the end of the input.
 */
static int
next_line(struct cursor *c, const char **line, size_t *n, int *eol)
{
	const char *nl;
	size_t rest;

	if (c->off >= c->len)
		return -1;
	*line = c->p + c->off;
	rest = c->len - c->off;
	if ((nl = memchr(*line, '\n', rest)) == NULL) {
		*n = rest;
		*eol = 0;
		c->off = c->len;
		return 0;
	}
	*n = (size_t)(nl - *line);
	*eol = 1;
	c->off += *n + 1;
	if (*n > 0 && (*line)[*n - 1] == '\r')
		(*n)--;
	return 0;
}

static int
is(const char *line, size_t n, const char *want)
{
	return n == strlen(want) && memcmp(line, want, n) == 0;
}

static int
fail(struct buf *why, const char *msg)
{
	buf_adds(why, msg);
	return AGE_ERR_ARMOR;
}

static int
skip_leading(struct cursor *c, struct buf *why)
{
	while (c->off < c->len && is_space((unsigned char)c->p[c->off]))
		c->off++;
	if (c->off >= ARMOR_SLACK)
		return fail(why, "too much whitespace before the armor");
	return AGE_OK;
}

static int
check_trailing(struct cursor *c, struct buf *why)
{
	size_t i;

	if (c->len - c->off >= ARMOR_SLACK)
		return fail(why, "too much data after the armor");
	for (i = c->off; i < c->len; i++)
		if (!is_space((unsigned char)c->p[i]))
			return fail(why, "data after the armor END line");
	return AGE_OK;
}

/* One data line: non-empty, at most 64 columns, strict padded base64. */
static int
data_line(const char *line, size_t n, struct buf *out, size_t *got,
    struct buf *why)
{
	unsigned char bin[ARMOR_COLS / 4 * 3];

	if (n == 0)
		return fail(why, "empty line inside the armor");
	if (n > ARMOR_COLS)
		return fail(why, "armor line longer than 64 columns");
	if (base64_decode(line, n, bin, sizeof bin, got, 1) != 0)
		return fail(why, "armor line is not canonical base64");
	buf_add(out, bin, *got);
	return AGE_OK;
}

int
age_armor_decode(const char *text, size_t len, struct buf *out,
    struct buf *why)
{
	struct cursor c = { text, len, 0 };
	const char *line;
	size_t n, got;
	int eol, rc, last;

	if ((rc = skip_leading(&c, why)) != AGE_OK)
		return rc;
	if (next_line(&c, &line, &n, &eol) != 0 || !eol ||
	    !is(line, n, ARMOR_BEGIN))
		return fail(why, "no armor BEGIN line");
	for (last = 0;;) {
		if (next_line(&c, &line, &n, &eol) != 0)
			return fail(why, "no armor END line");
		if (is(line, n, ARMOR_END))
			return check_trailing(&c, why);
		if (!eol)
			return fail(why, "no armor END line");
		if (last)
			return fail(why, "short armor line before the end");
		if ((rc = data_line(line, n, out, &got, why)) != AGE_OK)
			return rc;
		last = got < ARMOR_COLS / 4 * 3;
	}
}
