/* age_header.c: the age header: collecting, strict parsing, encoding, MAC. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "age_impl.h"
#include "base64.h"
#include "hkdf.h"

/*
 * Design: the header is first collected as raw bytes (through the line
 * that starts with "---"), then parsed with no slack at all.  Because the
 * parse is strict, the raw bytes equal the canonical encoding, so the MAC
 * is computed over the raw bytes up to "---" instead of a re-encoding.
 */

#define BODY_COLS	64
#define BODY_BYTES	48

int
age_header_read(struct age_reader *r, struct buf *raw, struct buf *why)
{
	size_t start;
	unsigned char c;

	for (start = 0;;) {
		if (age_read(r, &c, 1) != 1) {
			if (r->err) {
				buf_adds(why, "read error");
				return AGE_ERR_IO;
			}
			buf_adds(why, raw->len == 0 ? "empty file" :
			    "file ends inside the header");
			return AGE_ERR_HEADER;
		}
		buf_addc(raw, c);
		if (raw->len > AGE_HEADER_MAX) {
			buf_adds(why, "header larger than 1 MiB");
			return AGE_ERR_HEADER;
		}
		if (c != '\n')
			continue;
		if (raw->len - start > 3 && memcmp(raw->data + start, "---", 3)
		    == 0)
			return AGE_OK;
		start = raw->len;
	}
}

struct lines {
	const unsigned char	*p;
	size_t			 len;
	size_t			 off;
};

/* The next LF-terminated line, without the LF; -1 when none is left. */
static int
next_line(struct lines *l, const char **line, size_t *n)
{
	const unsigned char *nl;

	if (l->off >= l->len ||
	    (nl = memchr(l->p + l->off, '\n', l->len - l->off)) == NULL)
		return -1;
	*line = (const char *)l->p + l->off;
	*n = (size_t)(nl - (l->p + l->off));
	l->off += *n + 1;
	return 0;
}

static int
fail(struct buf *why, const char *msg)
{
	buf_adds(why, msg);
	return AGE_ERR_HEADER;
}

static struct age_stanza *
stanza_new(struct age_header *h)
{
	struct age_stanza *s;

	h->st = xrealloc(h->st, (h->nst + 1) * sizeof *h->st);
	s = &h->st[h->nst++];
	memset(s, 0, sizeof *s);
	return s;
}

static void
stanza_arg(struct age_stanza *s, const char *p, size_t n)
{
	s->args = xrealloc(s->args, (s->nargs + 1) * sizeof *s->args);
	s->args[s->nargs++] = xstrndup(p, n);
}

/* "->" then one or more arguments, each 0x21..0x7E, single spaces. */
static int
parse_stanza_line(struct age_stanza *s, const char *line, size_t n,
    struct buf *why)
{
	size_t i, start;

	if (n < 2 || memcmp(line, "->", 2) != 0 || (n > 2 && line[2] != ' '))
		return fail(why, "stanza line does not start with \"->\"");
	if (n <= 3)
		return fail(why, "stanza has no arguments");
	for (start = i = 3; i <= n; i++) {
		if (i < n && line[i] != ' ') {
			if (line[i] < 0x21 || line[i] > 0x7e)
				return fail(why, "invalid character in a "
				    "stanza argument");
			continue;
		}
		if (i == start)
			return fail(why, "empty stanza argument");
		stanza_arg(s, line + start, i - start);
		start = i + 1;
	}
	return AGE_OK;
}

/* Body lines: full 64-column lines, closed by a shorter (maybe empty)
 * one. */
static int
parse_body(struct age_stanza *s, struct lines *l, struct buf *why)
{
	unsigned char bin[BODY_BYTES];
	struct buf body = BUF_INIT;
	const char *line;
	size_t n, got;

	for (;;) {
		if (next_line(l, &line, &n) != 0) {
			buf_free(&body);
			return fail(why, "stanza body has no final short line");
		}
		if (n > BODY_COLS || base64_decode(line, n, bin, sizeof bin,
		    &got, 0) != 0) {
			buf_free(&body);
			return fail(why, n >= 3 && memcmp(line, "---", 3) == 0 ?
			    "stanza body has no final short line" :
			    "stanza body is not canonical base64");
		}
		buf_add(&body, bin, got);
		if (n < BODY_COLS)
			break;
	}
	s->body = (unsigned char *)buf_detach(&body, &s->bodylen);
	return AGE_OK;
}

static int
parse_mac(struct age_header *h, const char *line, size_t n,
    size_t line_off, struct buf *why)
{
	if (n != 4 + 43 || memcmp(line, "--- ", 4) != 0 ||
	    base64_decode_exact(line + 4, 43, h->mac, sizeof h->mac) != 0)
		return fail(why, "malformed MAC line");
	h->maclen = line_off + 3;
	return AGE_OK;
}

static int
parse(const unsigned char *p, size_t len, struct age_header *h,
    struct buf *why)
{
	struct lines l = { p, len, 0 };
	const char *line;
	size_t n, off;
	int rc;

	if (next_line(&l, &line, &n) != 0 || n != strlen(AGE_VERSION_LINE) ||
	    memcmp(line, AGE_VERSION_LINE, n) != 0)
		return fail(why, "not an age v1 file (bad version line)");
	for (;;) {
		off = l.off;
		if (next_line(&l, &line, &n) != 0)
			return fail(why, "file ends inside the header");
		if (n >= 3 && memcmp(line, "---", 3) == 0)
			break;
		if ((rc = parse_stanza_line(stanza_new(h), line, n, why)) !=
		    AGE_OK || (rc = parse_body(&h->st[h->nst - 1], &l, why))
		    != AGE_OK)
			return rc;
	}
	if ((rc = parse_mac(h, line, n, off, why)) != AGE_OK)
		return rc;
	if (l.off != len)
		return fail(why, "data after the header MAC line");
	if (h->nst == 0)
		return fail(why, "header has no recipient stanza");
	return AGE_OK;
}

int
age_header_parse(const unsigned char *p, size_t len, struct age_header *h,
    struct buf *why)
{
	int rc;

	memset(h, 0, sizeof *h);
	if ((rc = parse(p, len, h, why)) != AGE_OK)
		age_header_free(h);
	return rc;
}

void
age_header_free(struct age_header *h)
{
	size_t i, j;

	for (i = 0; i < h->nst; i++) {
		for (j = 0; j < h->st[i].nargs; j++)
			free(h->st[i].args[j]);
		free(h->st[i].args);
		free(h->st[i].body);
	}
	free(h->st);
	memset(h, 0, sizeof *h);
}

void
age_header_add(struct age_header *h, const char *const *args, size_t nargs,
    const unsigned char *body, size_t bodylen)
{
	struct age_stanza *s;
	size_t i;

	s = stanza_new(h);
	for (i = 0; i < nargs; i++)
		stanza_arg(s, args[i], strlen(args[i]));
	s->body = xmalloc(bodylen);
	if (bodylen > 0)
		memcpy(s->body, body, bodylen);
	s->bodylen = bodylen;
}

void
age_header_encode(struct buf *b, const struct age_header *h)
{
	const struct age_stanza *s;
	size_t i, off, k;

	buf_adds(b, AGE_VERSION_LINE "\n");
	for (i = 0; i < h->nst; i++) {
		s = &h->st[i];
		buf_adds(b, "->");
		for (k = 0; k < s->nargs; k++) {
			buf_addc(b, ' ');
			buf_adds(b, s->args[k]);
		}
		buf_addc(b, '\n');
		/* The loop also runs once past a full last line, writing the
		 * empty line that closes such a body. */
		for (off = 0;; off += k) {
			k = s->bodylen - off < BODY_BYTES ? s->bodylen - off :
			    BODY_BYTES;
			base64_encode(b, s->body + off, k, 0);
			buf_addc(b, '\n');
			if (k < BODY_BYTES)
				break;
		}
	}
	buf_adds(b, "---");
}

void
age_header_mac(unsigned char mac[32], const unsigned char fk[AGE_FILE_KEY_LEN],
    const void *p, size_t n)
{
	crypto_auth_hmacsha256_state st;
	unsigned char key[32];

	hkdf_sha256(key, sizeof key, fk, AGE_FILE_KEY_LEN, NULL, 0, "header",
	    6);
	crypto_auth_hmacsha256_init(&st, key, sizeof key);
	crypto_auth_hmacsha256_update(&st, p, n);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof st);
	sodium_memzero(key, sizeof key);
}
