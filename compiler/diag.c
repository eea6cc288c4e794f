/* diag.c: formats diagnostics GCC's way and keeps the exit status. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"

#define TABSTOP		8
#define GUTTER_MIN	5	/* digits GCC reserves for line numbers */

struct source {
	const char	*file;
	const char	*text;		/* borrowed */
	size_t		 len;
	size_t		*lines;		/* offset of each line's first byte */
	size_t		 nlines;
};

struct diag {
	FILE		*out;
	struct source	*srcs;
	size_t		 nsrcs;
	int		 errors;
	int		 shown;		/* input errors shown */
	int		 status;	/* worst enum diag_exit so far */
	bool		 muted;		/* the last error was not shown */
	bool		 full;		/* an input error was not shown */
};

struct diag *
diag_new(FILE *out)
{
	struct diag *d;

	d = xcalloc(1, sizeof(*d));
	d->out = out;
	return d;
}

void
diag_free(struct diag *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nsrcs; i++)
		free(d->srcs[i].lines);
	free(d->srcs);
	free(d);
}

void
diag_source(struct diag *d, const char *file, const char *text, size_t len)
{
	struct source *s;
	size_t i, cap;

	d->srcs = xrealloc(d->srcs, (d->nsrcs + 1) * sizeof(*d->srcs));
	s = &d->srcs[d->nsrcs++];
	s->file = file;
	s->text = text;
	s->len = len;
	cap = 16;
	s->lines = xmalloc(cap * sizeof(*s->lines));
	s->lines[0] = 0;
	s->nlines = 1;
	for (i = 0; i < len; i++) {
		if (text[i] != '\n' || i + 1 == len)
			continue;
		if (s->nlines == cap) {
			cap *= 2;
			s->lines = xrealloc(s->lines, cap * sizeof(*s->lines));
		}
		s->lines[s->nlines++] = i + 1;
	}
}

/*
 * Decodes one UTF-8 sequence strictly (no overlong forms, surrogates or
 * values past U+10FFFF).  Returns its length, or 0 when s does not start
 * with a valid sequence.
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2, c = s[0] & 0x1F, min = 0x80;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3, c = s[0] & 0x0F, min = 0x800;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4, c = s[0] & 0x07, min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t
diag_utf8_len(const char *s, size_t n)
{
	uint32_t cp;

	return n == 0 ? 0 : utf8_decode((const unsigned char *)s, n, &cp);
}

struct range {
	uint32_t	lo, hi;
};

/* Combining marks and format characters that take no column. */
static const struct range zero_width[] = {
	{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD },
	{ 0x0610, 0x061A }, { 0x064B, 0x065F }, { 0x0E31, 0x0E31 },
	{ 0x0E34, 0x0E3A }, { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF },
	{ 0x200B, 0x200F }, { 0x202A, 0x202E }, { 0x2060, 0x2064 },
	{ 0x20D0, 0x20FF }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F },
	{ 0xFEFF, 0xFEFF }, { 0xE0100, 0xE01EF }
};

/* East Asian wide and fullwidth characters, and emoji: two columns. */
static const struct range double_width[] = {
	{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A },
	{ 0x2E80, 0x303E }, { 0x3041, 0x33FF }, { 0x3400, 0x4DBF },
	{ 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF }, { 0xA960, 0xA97F },
	{ 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFE10, 0xFE19 },
	{ 0xFE30, 0xFE6F }, { 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 },
	{ 0x1F300, 0x1F64F }, { 0x1F900, 0x1F9FF }, { 0x20000, 0x2FFFD },
	{ 0x30000, 0x3FFFD }
};

static bool
in_ranges(uint32_t c, const struct range *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c >= r[i].lo && c <= r[i].hi)
			return true;
	return false;
}

static int
cp_width(uint32_t c)
{
	if (c < zero_width[0].lo)	/* most text: no table lookup */
		return 1;
	if (in_ranges(c, zero_width, sizeof(zero_width) / sizeof(*zero_width)))
		return 0;
	if (in_ranges(c, double_width,
	    sizeof(double_width) / sizeof(*double_width)))
		return 2;
	return 1;
}

/* True for bytes shown as <xx>: controls other than tab, and DEL. */
static bool
is_odd_byte(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7F;
}

/*
 * The shown unit that p[0..n) starts with when it stands at column col:
 * returns its length in bytes and stores its width in *w.  Odd bytes
 * and bytes that start no valid sequence are units of one byte.
 */
static size_t
unit(const unsigned char *p, size_t n, int col, int *w, uint32_t *cp)
{
	size_t len;

	len = utf8_decode(p, n, cp);
	if (len == 0 || (len == 1 && is_odd_byte(p[0]))) {
		*w = 4;
		return 1;
	}
	if (p[0] == '\t')
		*w = TABSTOP - (col - 1) % TABSTOP;
	else
		*w = cp_width(*cp);
	return len;
}

/* "<xx>": by hand, as printf made quoting binary input slow. */
static void
odd_byte(struct buf *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char s[4] = { '<', hex[c >> 4], hex[c & 15], '>' };

	buf_add(out, s, sizeof(s));
}

/* Length of the run of printable ASCII that p[0..n) starts with. */
static size_t
plain_run(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && p[i] >= 0x20 && p[i] < 0x7F; i++)
		;
	return i;
}

/*
 * Walks s[0..n) one shown unit at a time from column col, appending to
 * out (when not NULL) what to print for it.  Returns the final column.
 * A run of printable ASCII, one column a byte, is taken whole.
 */
static int
walk(const char *s, size_t n, int col, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, len;
	uint32_t cp;
	int w;

	for (i = 0; i < n; i += len) {
		if ((len = plain_run(p + i, n - i)) > 0) {
			if (out != NULL)
				buf_add(out, s + i, len);
			col += (int)len;
			continue;
		}
		len = unit(p + i, n - i, col, &w, &cp);
		if (out == NULL)
			;
		else if (p[i] == '\t')
			buf_add(out, "        ", (size_t)w);
		else if (w == 4)	/* no character is that wide */
			odd_byte(out, p[i]);
		else
			buf_add(out, s + i, len);
		col += w;
	}
	return col;
}

int
diag_width(const char *s, size_t n, int col)
{
	return walk(s, n, col, NULL) - col;
}

void
diag_render(struct buf *out, const char *s, size_t n)
{
	(void)walk(s, n, 1, out);
}

static const struct source *
source_find(const struct diag *d, const char *file)
{
	size_t i;

	for (i = 0; i < d->nsrcs; i++)
		if (strcmp(d->srcs[i].file, file) == 0)
			return &d->srcs[i];
	return NULL;
}

/*
 * Lines longer than QUOTE_LONG bytes are quoted as a window around the
 * caret, so that many errors on one long line (a binary file, say) do
 * not print that line whole each time: quadratic output otherwise.
 */
#define QUOTE_LONG	512
#define QUOTE_BEFORE	40	/* columns shown before the caret */
#define QUOTE_AFTER	80	/* columns shown from the caret on */

struct window {
	size_t	 off, len;	/* bytes of the line shown */
	int	 col;		/* column of the first byte shown */
	bool	 cut_left, cut_right;
};

/* The part of line[0..n) to quote for pos. */
static struct window
quote_window(const char *line, size_t n, const struct model_pos *pos)
{
	const unsigned char *p = (const unsigned char *)line;
	struct window win = { 0, n, 1, false, false };
	size_t i, len;
	uint32_t cp;
	int col, w;
	bool started = false;

	if (n <= QUOTE_LONG)
		return win;
	for (i = 0, col = 1; i < n; i += len, col += w) {
		len = unit(p + i, n - i, col, &w, &cp);
		if (!started && col + w > pos->col - QUOTE_BEFORE) {
			started = true;
			if (i > 0) {
				win.off = i;
				win.col = col;
				win.cut_left = true;
			}
		}
		if (col + w > pos->col + QUOTE_AFTER) {
			win.cut_right = true;
			break;
		}
	}
	win.len = i - win.off;
	return win;
}

/* The source line, then a caret line under pos, each after a gutter. */
static void
quote(struct diag *d, const struct model_pos *pos)
{
	const struct source *s;
	const char *line, *end;
	struct buf b = BUF_INIT;
	struct window win;
	int width, i, lead, last;
	size_t n;

	if ((s = source_find(d, pos->file)) == NULL || pos->line < 1 ||
	    (size_t)pos->line > s->nlines)
		return;
	line = s->text + s->lines[pos->line - 1];
	end = memchr(line, '\n', (size_t)(s->text + s->len - line));
	n = (end != NULL ? end : s->text + s->len) - line;
	if (n > 0 && line[n - 1] == '\r')
		n--;
	win = quote_window(line, n, pos);

	width = snprintf(NULL, 0, "%d", pos->line);
	if (width < GUTTER_MIN)
		width = GUTTER_MIN;
	buf_printf(&b, "%*d | %s", width, pos->line,
	    win.cut_left ? "..." : "");
	last = walk(line + win.off, win.len, win.col, &b);
	if (win.cut_right)
		buf_adds(&b, "...");
	lead = pos->col - win.col + (win.cut_left ? 3 : 0);
	buf_printf(&b, "\n%*s | %*s^", width, "", lead, "");
	for (i = 1; i < pos->len && (!win.cut_right || pos->col + i < last);
	    i++)
		buf_addc(&b, '~');
	buf_addc(&b, '\n');
	fwrite(b.data, 1, b.len, d->out);
	buf_free(&b);
}

static void
report(struct diag *d, const struct model_pos *pos, const char *level,
    const char *fmt, va_list ap)
{
	if (pos == NULL)
		fputs("railgen", d->out);
	else if (pos->line < 1)
		fprintf(d->out, "%s", pos->file);
	else
		fprintf(d->out, "%s:%d:%d", pos->file, pos->line, pos->col);
	fprintf(d->out, ": %s: ", level);
	vfprintf(d->out, fmt, ap);
	fputc('\n', d->out);
	if (pos != NULL && pos->line >= 1)
		quote(d, pos);
}

static void
raise_status(struct diag *d, int status)
{
	if (status > d->status)
		d->status = status;
}

void
diag_error(struct diag *d, const struct model_pos *pos, const char *fmt, ...)
{
	va_list ap;

	d->errors++;
	raise_status(d, DIAG_EXIT_INPUT);
	if (d->shown == DIAG_MAX_SHOWN) {
		if (!d->full)
			fprintf(d->out, "railgen: note: more than %d errors; "
			    "the rest are not shown\n", DIAG_MAX_SHOWN);
		d->full = d->muted = true;
		return;
	}
	d->shown++;
	d->muted = false;
	va_start(ap, fmt);
	report(d, pos, "error", fmt, ap);
	va_end(ap);
}

void
diag_note(struct diag *d, const struct model_pos *pos, const char *fmt, ...)
{
	va_list ap;

	if (d->muted)
		return;
	va_start(ap, fmt);
	report(d, pos, "note", fmt, ap);
	va_end(ap);
}

void
diag_hint(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	if (d->muted)
		return;
	fputs("hint: ", d->out);
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
}

void
diag_usage(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	d->muted = false;
	va_start(ap, fmt);
	report(d, NULL, "error", fmt, ap);
	va_end(ap);
	d->errors++;
	raise_status(d, DIAG_EXIT_USAGE);
}

void
diag_system(struct diag *d, int errnum, const char *fmt, ...)
{
	va_list ap;

	d->muted = false;
	fputs("railgen: error: ", d->out);
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fprintf(d->out, ": %s\n", strerror(errnum));
	d->errors++;
	raise_status(d, DIAG_EXIT_SYSTEM);
}

void
diag_fail(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	d->muted = false;
	fputs("railgen: error: ", d->out);
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
	d->errors++;
	raise_status(d, DIAG_EXIT_SYSTEM);
}

void
diag_drift(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	d->muted = false;
	fputs("railgen: drift: ", d->out);
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
	d->errors++;
	raise_status(d, DIAG_EXIT_INPUT);
}

void
diag_block(struct diag *d, const char *text, size_t len)
{
	if (d->muted)
		return;
	fwrite(text, 1, len, d->out);
}

void
diag_info(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(d, NULL, "note", fmt, ap);
	va_end(ap);
}

int
diag_count(const struct diag *d)
{
	return d->errors;
}

bool
diag_full(const struct diag *d)
{
	return d->full;
}

/* A diagnostic stream that failed to take our output is a system error. */
int
diag_status(const struct diag *d)
{
	if (fflush(d->out) != 0 || ferror(d->out))
		return DIAG_EXIT_SYSTEM;
	return d->status;
}

/*
 * Optimal string alignment distance: insertions, deletions,
 * substitutions and swaps of two adjacent characters each cost one, so
 * "tsl" is one step from "tls".  Names here are short; longer inputs are
 * not worth a suggestion.
 */
size_t
diag_distance(const char *a, const char *b)
{
	enum { MAX = 64 };
	size_t d[MAX + 1][MAX + 1], la, lb, i, j, v;

	la = strlen(a);
	lb = strlen(b);
	if (la > MAX || lb > MAX)
		return la > lb ? la : lb;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/* Close enough: one edit per three characters, and at least one. */
const char *
diag_suggest(const char *word, const char *const *cands, size_t ncands)
{
	const char *best = NULL;
	size_t i, dist, bestd, limit;

	limit = strlen(word) / 3;
	if (limit < 1)
		limit = 1;
	bestd = limit + 1;
	for (i = 0; i < ncands; i++) {
		dist = diag_distance(word, cands[i]);
		if (dist > 0 && dist < bestd) {
			best = cands[i];
			bestd = dist;
		}
	}
	return best;
}
