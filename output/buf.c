/* buf.c: growable byte buffers and checked allocation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "buf.h"

static void
oom(void)
{
	fputs("railgen: error: out of memory\n", stderr);
	exit(3);
}

void *
xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n ? n : 1)) == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n ? n : 1, size ? size : 1)) == NULL)
		oom();
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void *p;

	if ((p = realloc(old, n ? n : 1)) == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;

	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/*
 * Makes room for n more bytes plus the terminating NUL.  Growth doubles,
 * so appending is amortised O(1).
 */
void
buf_grow(struct buf *b, size_t n)
{
	size_t want;

	if (n > (size_t)-1 - b->len - 1)
		oom();
	want = b->len + n + 1;
	if (want <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < want)
		b->cap = b->cap > (size_t)-1 / 2 ? want : b->cap * 2;
	b->data = xrealloc(b->data, b->cap);
	b->data[b->len] = '\0';
}

/*
 * The appends test for room themselves and call buf_grow only when it
 * must reallocate: they run for every byte of every generated file.
 * len < cap whenever cap > 0 (the NUL), so n fits when n < cap - len.
 */
void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n >= b->cap - b->len)
		buf_grow(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, int c)
{
	if (1 >= b->cap - b->len)
		buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	/*
	 * Format into the room there is, and only a text that does not fit
	 * a second time: the buffer grows only when it must, as callers
	 * holding secrets rely on (buf_wipe).  The cut-off first attempt is
	 * wiped before realloc can free the block it lies in.
	 */
	va_copy(cp, ap);
	n = vsnprintf(b->cap > 0 ? b->data + b->len : NULL, b->cap - b->len,
	    fmt, cp);
	va_end(cp);
	if (n < 0)
		oom();
	if ((size_t)n >= b->cap - b->len) {
		if (b->cap > 0)
			sodium_memzero(b->data + b->len, b->cap - b->len);
		buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/*
 * Zeroes the whole allocation, not only len bytes: a buffer that grew
 * by realloc may have left copies behind, which callers of secrets avoid
 * by sizing with buf_grow before the first write.
 */
void
buf_wipe(struct buf *b)
{
	if (b->data != NULL)
		sodium_memzero(b->data, b->cap);
	buf_free(b);
}

char *
buf_detach(struct buf *b, size_t *lenp)
{
	char *p;

	if (b->data == NULL) {
		buf_grow(b, 0);
		b->data[0] = '\0';
	}
	p = b->data;
	if (lenp != NULL)
		*lenp = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
