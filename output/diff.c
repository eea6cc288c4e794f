/* diff.c: a shortest edit script between two texts, as a unified diff. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diff.h"

/*
 * Design: both texts are split into lines, each with a hash so most
 * comparisons cost one integer test.  The edit script comes from Myers'
 * "An O(ND) Difference Algorithm and Its Variations" (1986), section 4b:
 * a forward and a backward search meet on a middle snake, which splits
 * the problem in two; each half is solved the same way.  Memory is
 * linear in the length of the texts.  The result marks every line of a
 * that is deleted and every line of b that is inserted; the hunks are
 * then cut from those marks.
 */

struct line {
	const char	*p;
	size_t		 len;		/* including its newline, if any */
	uint32_t	 hash;
};

struct text {
	struct line	*v;
	long		 n;
	unsigned char	*edit;		/* 1: deleted (in a), inserted (in b) */
};

struct search {
	struct text		*a, *b;
	long			*fwd, *bwd;	/* furthest x per diagonal */
	long			 off;		/* index of diagonal 0 */
};

/* One hunk: lines [a0, a1) of a and [b0, b1) of b, context included. */
struct hunk {
	long	 a0, a1, b0, b1;
};

static void
text_load(struct text *t, const char *s, size_t len)
{
	const char *p, *q, *end, *nl;
	uint32_t h;
	size_t cap;

	memset(t, 0, sizeof *t);
	cap = 0;
	for (p = s, end = s + len; p < end; p = nl) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl != NULL ? nl + 1 : end;
		if ((size_t)t->n == cap) {
			cap = cap ? cap * 2 : 64;
			t->v = xrealloc(t->v, cap * sizeof *t->v);
		}
		/* FNV-1a, a filter: equal hashes are compared byte-wise. */
		for (h = 2166136261u, q = p; q < nl; q++)
			h = (h ^ (unsigned char)*q) * 16777619u;
		t->v[t->n].p = p;
		t->v[t->n].len = (size_t)(nl - p);
		t->v[t->n].hash = h;
		t->n++;
	}
	t->edit = xcalloc((size_t)t->n + 1, 1);
}

static void
text_free(struct text *t)
{
	free(t->v);
	free(t->edit);
}

static bool
same(const struct search *s, long i, long j)
{
	const struct line *x = &s->a->v[i], *y = &s->b->v[j];

	return x->hash == y->hash && x->len == y->len &&
	    memcmp(x->p, y->p, x->len) == 0;
}

static void
mark(struct text *t, long from, long to)
{
	for (; from < to; from++)
		t->edit[from] = 1;
}

/*
 * The middle snake of a[a0, a1) against b[b0, b1), both non-empty.  The
 * forward search runs from the top left, the backward search from the
 * bottom right; a diagonal k holds the points with x - y == k (x, y
 * relative to a0, b0).  The searches stop exploring diagonals that left
 * the grid (lo, hi count how many were dropped at each end).  On return
 * (*x, *y) is the end of a snake on a shortest path: the first half is
 * [0, x) x [0, y).  Returns false only if no split was found.
 */
static bool
middle(struct search *s, long a0, long a1, long b0, long b1, long *x,
    long *y)
{
	long n = a1 - a0, m = b1 - b0, delta = n - m, dmax, d, k, kk;
	long *f = s->fwd + s->off, *r = s->bwd + s->off, fx, fy, rx, ry;
	long flo = 0, fhi = 0, rlo = 0, rhi = 0;
	bool odd = (delta & 1) != 0;

	dmax = (n + m + 1) / 2;
	for (k = -dmax - 1; k <= dmax + 1; k++)
		f[k] = r[k] = -1;
	f[1] = r[1] = 0;
	for (d = 0; d <= dmax; d++) {
		for (k = -d + flo; k <= d - fhi; k += 2) {
			fx = (k == -d || (k != d && f[k - 1] < f[k + 1])) ?
			    f[k + 1] : f[k - 1] + 1;
			fy = fx - k;
			while (fx < n && fy < m && same(s, a0 + fx, b0 + fy))
				fx++, fy++;
			f[k] = fx;
			if (fx > n)
				fhi += 2;
			else if (fy > m)
				flo += 2;
			else if (odd) {
				kk = delta - k;
				if (kk >= -dmax && kk <= dmax && r[kk] != -1 &&
				    fx >= n - r[kk]) {
					*x = fx;
					*y = fy;
					return true;
				}
			}
		}
		for (k = -d + rlo; k <= d - rhi; k += 2) {
			rx = (k == -d || (k != d && r[k - 1] < r[k + 1])) ?
			    r[k + 1] : r[k - 1] + 1;
			ry = rx - k;
			while (rx < n && ry < m &&
			    same(s, a1 - 1 - rx, b1 - 1 - ry))
				rx++, ry++;
			r[k] = rx;
			if (rx > n)
				rhi += 2;
			else if (ry > m)
				rlo += 2;
			else if (!odd) {
				kk = delta - k;
				if (kk >= -dmax && kk <= dmax && f[kk] != -1 &&
				    f[kk] >= n - rx) {
					*x = f[kk];
					*y = f[kk] - kk;
					return true;
				}
			}
		}
	}
	return false;
}

static void
compare(struct search *s, long a0, long a1, long b0, long b1)
{
	long x, y;

	while (a0 < a1 && b0 < b1 && same(s, a0, b0))
		a0++, b0++;
	while (a0 < a1 && b0 < b1 && same(s, a1 - 1, b1 - 1))
		a1--, b1--;
	if (a0 == a1 || b0 == b1) {
		mark(s->a, a0, a1);
		mark(s->b, b0, b1);
		return;
	}
	if (!middle(s, a0, a1, b0, b1, &x, &y) || (x == 0 && y == 0) ||
	    (x == a1 - a0 && y == b1 - b0)) {
		/* Cannot happen for a shortest path; stay correct anyway. */
		mark(s->a, a0, a1);
		mark(s->b, b0, b1);
		return;
	}
	compare(s, a0, a0 + x, b0, b0 + y);
	compare(s, a0 + x, a1, b0 + y, b1);
}

/* "l,n" as diff -u writes a range: an empty one names the line before. */
static void
range(struct buf *out, long from, long count)
{
	if (count == 1)
		buf_printf(out, "%ld", from + 1);
	else
		buf_printf(out, "%ld,%ld", count == 0 ? from : from + 1,
		    count);
}

static void
put_line(struct buf *out, int tag, const struct line *l)
{
	buf_addc(out, tag);
	buf_add(out, l->p, l->len);
	if (l->len == 0 || l->p[l->len - 1] != '\n')
		buf_adds(out, "\n\\ No newline at end of file\n");
}

static void
put_hunk(struct buf *out, const struct text *a, const struct text *b,
    const struct hunk *h)
{
	long i, j;

	buf_adds(out, "@@ -");
	range(out, h->a0, h->a1 - h->a0);
	buf_adds(out, " +");
	range(out, h->b0, h->b1 - h->b0);
	buf_adds(out, " @@\n");
	for (i = h->a0, j = h->b0; i < h->a1 || j < h->b1;) {
		if (i < h->a1 && a->edit[i])
			put_line(out, '-', &a->v[i++]);
		else if (j < h->b1 && b->edit[j])
			put_line(out, '+', &b->v[j++]);
		else {
			put_line(out, ' ', &a->v[i++]);
			j++;
		}
	}
}

/*
 * From (*i, *j), skips common lines to the next change and returns the
 * number skipped, or -1 when there is none left.
 */
static long
next_change(const struct text *a, const struct text *b, long *i, long *j)
{
	long skipped = 0;

	while (*i < a->n || *j < b->n) {
		if ((*i < a->n && a->edit[*i]) || (*j < b->n && b->edit[*j]))
			return skipped;
		(*i)++, (*j)++, skipped++;
	}
	return -1;
}

/* Moves (*i, *j) past the change that starts there. */
static void
skip_change(const struct text *a, const struct text *b, long *i, long *j)
{
	while (*i < a->n && a->edit[*i])
		(*i)++;
	while (*j < b->n && b->edit[*j])
		(*j)++;
}

/* Cuts the hunks from the marks and writes them; returns how many. */
static size_t
put_hunks(struct buf *out, const struct text *a, const struct text *b,
    long ctx)
{
	struct hunk h;
	long i = 0, j = 0, gap, lead;
	size_t nh = 0;

	while ((gap = next_change(a, b, &i, &j)) >= 0) {
		lead = gap < ctx ? gap : ctx;
		h.a0 = i - lead;
		h.b0 = j - lead;
		skip_change(a, b, &i, &j);
		/* Merge the next change while the contexts would touch. */
		for (;;) {
			long si = i, sj = j;

			gap = next_change(a, b, &si, &sj);
			if (gap < 0 || gap > 2 * ctx)
				break;
			i = si, j = sj;
			skip_change(a, b, &i, &j);
		}
		lead = a->n - i < ctx ? a->n - i : ctx;
		h.a1 = i + lead;
		h.b1 = j + lead;
		put_hunk(out, a, b, &h);
		i = h.a1, j = h.b1;
		nh++;
	}
	return nh;
}

size_t
diff_unified(struct buf *out, const char *alabel, const char *a,
    size_t alen, const char *blabel, const char *b, size_t blen,
    int context)
{
	struct text ta, tb;
	struct search s;
	struct buf body = BUF_INIT;
	size_t nh, cells;

	if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
		return 0;
	text_load(&ta, a, alen);
	text_load(&tb, b, blen);
	s.a = &ta;
	s.b = &tb;
	s.off = (ta.n + tb.n + 1) / 2 + 2;
	cells = 2 * (size_t)s.off + 1;
	s.fwd = xcalloc(cells, sizeof *s.fwd);
	s.bwd = xcalloc(cells, sizeof *s.bwd);
	compare(&s, 0, ta.n, 0, tb.n);
	nh = put_hunks(&body, &ta, &tb, context < 0 ? 0 : context);
	buf_printf(out, "--- %s\n+++ %s\n", alabel, blabel);
	buf_add(out, body.data, body.len);
	buf_free(&body);
	free(s.fwd);
	free(s.bwd);
	text_free(&ta);
	text_free(&tb);
	return nh;
}
