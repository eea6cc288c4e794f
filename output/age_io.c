/* age_io.c: byte sources and sinks for age, and libsodium start-up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "age_impl.h"
#include "base64.h"

void
age_sodium_init(void)
{
	if (sodium_init() < 0) {
		fputs("railgen: error: libsodium failed to start\n", stderr);
		exit(3);
	}
}

size_t
age_read(struct age_reader *r, void *p, size_t n)
{
	unsigned char *dst;
	size_t got, k;

	dst = p;
	got = 0;
	if (r->off < r->len) {
		k = r->len - r->off < n ? r->len - r->off : n;
		memcpy(dst, r->mem + r->off, k);
		r->off += k;
		got = k;
	}
	while (got < n && r->fp != NULL && !r->err) {
		k = fread(dst + got, 1, n - got, r->fp);
		got += k;
		if (k == 0) {
			if (ferror(r->fp))
				r->err = 1;
			break;
		}
	}
	return got;
}

static void
sink(struct age_writer *w, const void *p, size_t n)
{
	if (n == 0 || w->err)
		return;
	if (w->b != NULL)
		buf_add(w->b, p, n);
	else if (fwrite(p, 1, n, w->fp) != n)
		w->err = 1;
}

/* One armor line: 48 bytes or fewer (the last), padded base64, LF. */
static void
armor_line(struct age_writer *w, const unsigned char *p, size_t n)
{
	struct buf line = BUF_INIT;

	base64_encode(&line, p, n, 1);
	buf_addc(&line, '\n');
	sink(w, line.data, line.len);
	buf_free(&line);
}

void
age_armor_begin(struct age_writer *w)
{
	w->armor = 1;
	sink(w, "-----BEGIN AGE ENCRYPTED FILE-----\n", 35);
}

int
age_write(struct age_writer *w, const void *p, size_t n)
{
	const unsigned char *s;
	size_t k;

	if (!w->armor) {
		sink(w, p, n);
		return w->err ? -1 : 0;
	}
	for (s = p; n > 0; s += k, n -= k) {
		k = sizeof w->carry - w->ncarry < n ?
		    sizeof w->carry - w->ncarry : n;
		memcpy(w->carry + w->ncarry, s, k);
		w->ncarry += k;
		if (w->ncarry == sizeof w->carry) {
			armor_line(w, w->carry, w->ncarry);
			w->ncarry = 0;
		}
	}
	return w->err ? -1 : 0;
}

/* A full last line was written as soon as it filled, so only a partial
 * one is left; then the END line. */
int
age_writer_finish(struct age_writer *w)
{
	if (w->armor) {
		if (w->ncarry > 0)
			armor_line(w, w->carry, w->ncarry);
		w->ncarry = 0;
		sink(w, "-----END AGE ENCRYPTED FILE-----\n", 33);
	}
	if (w->fp != NULL && !w->err && fflush(w->fp) != 0)
		w->err = 1;
	if (w->fp != NULL && ferror(w->fp))
		w->err = 1;
	return w->err ? -1 : 0;
}
