/* diff.h: unified diffs of two texts, line by line, as diff -u writes them. */
#ifndef RAILGEN_DIFF_H
#define RAILGEN_DIFF_H

#include <stddef.h>

#include "buf.h"

/*
 * The edit script is a shortest one (Myers' O(ND) algorithm in linear
 * space), so the same two texts always give the same bytes.  Hunks carry
 * context lines of each side and are merged when their contexts would
 * touch, as GNU diff does.  A line is everything up to and including its
 * newline; a last line without one is followed by
 * "\ No newline at end of file".  Bytes are copied as they are: the
 * caller decides whether a text may be shown at all.
 */

/* The default number of context lines, as diff -u and git use. */
#define DIFF_CONTEXT	3

/*
 * Appends to out a diff that turns a into b: a "--- alabel" and a
 * "+++ blabel" line, then the hunks.  Returns the number of hunks; when
 * the texts are equal nothing is appended and 0 is returned.
 */
size_t	diff_unified(struct buf *out, const char *alabel, const char *a,
	    size_t alen, const char *blabel, const char *b, size_t blen,
	    int context);

#endif
