/* owner.c: the record of generated files and their SHA-256 hashes. */

/*
 * SHA256_Init and its kin are deprecated in OpenSSL 3 in favour of EVP,
 * but still built by every distribution that ships 3.x (removing them
 * takes a no-deprecated build), and they are what EVP runs underneath.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "owner.h"
#include "tree.h"

_Static_assert(OWNER_HASH_LEN == SHA256_DIGEST_LENGTH,
    "the record holds SHA-256 hashes");

/*
 * OpenSSL, not libsodium: the record hashes every byte of the tree, and
 * libsodium's SHA-256 is portable C while OpenSSL's uses the CPU's SHA
 * or vector instructions, several times faster on a large fleet.  The
 * low-level calls, not EVP: fetching the digest through EVP loads
 * OpenSSL's configuration and starts its default provider, a quarter of
 * the instructions of a --check of one app, which otherwise needs no
 * OpenSSL at all; SHA256() is no way out, as it fetches through EVP on
 * every call.  The same block function runs either way.
 */
void
owner_hash(const void *data, size_t len, unsigned char out[OWNER_HASH_LEN])
{
	SHA256_CTX c;

	if (SHA256_Init(&c) != 1 || SHA256_Update(&c, data, len) != 1 ||
	    SHA256_Final(out, &c) != 1) {
		fputs("railgen: error: OpenSSL cannot compute SHA-256\n",
		    stderr);
		exit(3);
	}
}

static void
put_hex(struct buf *b, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		buf_addc(b, hex[p[i] >> 4]);
		buf_addc(b, hex[p[i] & 15]);
	}
}

int
owner_record_add(struct tree *t, const char *header)
{
	unsigned char h[OWNER_HASH_LEN];
	struct buf b = BUF_INIT;
	const char *p, *nl;
	size_t i;

	for (p = header; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		buf_printf(&b, "#%s%.*s\n", nl > p ? " " : "", (int)(nl - p),
		    p);
	}
	tree_sort(t);
	for (i = 0; i < t->nfiles; i++) {
		/* tree_add refused every path the format cannot hold. */
		owner_hash(t->files[i].data, t->files[i].len, h);
		put_hex(&b, h, sizeof h);
		buf_printf(&b, "  %s\n", t->files[i].path);
	}
	return tree_add_buf(t, OWNER_RECORD, &b, 0644);
}

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "<hex>  <path>" into e; -1 when the line is not one. */
static int
parse_line(struct owner_entry *e, const char *line, size_t len)
{
	size_t i;
	int hi, lo;

	if (len < 2 * OWNER_HASH_LEN + 3 || line[2 * OWNER_HASH_LEN] != ' ' ||
	    line[2 * OWNER_HASH_LEN + 1] != ' ')
		return -1;
	for (i = 0; i < OWNER_HASH_LEN; i++) {
		hi = hex_value((unsigned char)line[2 * i]);
		lo = hex_value((unsigned char)line[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		e->hash[i] = (unsigned char)(hi << 4 | lo);
	}
	e->path = xstrndup(line + 2 * OWNER_HASH_LEN + 2,
	    len - 2 * OWNER_HASH_LEN - 2);
	if (strlen(e->path) != len - 2 * OWNER_HASH_LEN - 2 ||
	    !tree_path_ok(e->path) || strcmp(e->path, OWNER_RECORD) == 0) {
		free(e->path);
		e->path = NULL;
		return -1;
	}
	return 0;
}

static const char *
entry_add(struct owner_record *r, size_t *cap, const char *line,
    size_t len)
{
	struct owner_entry e;

	if (parse_line(&e, line, len) < 0)
		return "not a hash and a path";
	if (r->n > 0 && strcmp(r->v[r->n - 1].path, e.path) >= 0) {
		free(e.path);
		return "not in order, or listed twice";
	}
	if (r->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		r->v = xrealloc(r->v, *cap * sizeof *r->v);
	}
	r->v[r->n++] = e;
	return NULL;
}

int
owner_record_parse(struct owner_record *r, const char *text, size_t len,
    struct buf *err)
{
	const char *p, *end, *nl, *why;
	size_t cap = 0;
	int line;

	memset(r, 0, sizeof *r);
	for (p = text, end = text + len, line = 1; p < end; p = nl + 1,
	    line++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			why = "no newline at the end";
			goto bad;
		}
		if (*p == '#')
			continue;
		if ((why = entry_add(r, &cap, p, (size_t)(nl - p))) != NULL)
			goto bad;
	}
	return 0;
bad:
	buf_printf(err, "line %d: %s", line, why);
	owner_record_free(r);
	return -1;
}

void
owner_record_free(struct owner_record *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].path);
	free(r->v);
	memset(r, 0, sizeof *r);
}

const struct owner_entry *
owner_record_get(const struct owner_record *r, const char *path)
{
	size_t lo = 0, hi = r->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(r->v[mid].path, path);
		if (c == 0)
			return &r->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

enum owner_verdict
owner_judge(const struct owner_record *r, const struct tree_change *c)
{
	unsigned char h[OWNER_HASH_LEN];
	const struct owner_entry *e;

	if (c->state != TREE_CHANGED && c->state != TREE_GONE)
		return OWNER_FREE;
	if (strcmp(c->path, OWNER_RECORD) == 0)
		return OWNER_FREE;
	if ((e = owner_record_get(r, c->path)) == NULL)
		return OWNER_FOREIGN;
	owner_hash(c->old, c->oldlen, h);
	return memcmp(h, e->hash, sizeof h) == 0 ? OWNER_FREE :
	    OWNER_EDITED;
}
