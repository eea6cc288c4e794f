/* sopstool.c: test driver for the SOPS layer (tests only, never shipped). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "buf.h"
#include "sops.h"
#include "yamltree.h"

/*
 *   sopstool json -k HEXKEY FILE     decrypt with a data key, print JSON
 *   sopstool reencrypt -k HEXKEY FILE
 *                                    decrypt, encrypt again with the same
 *                                    key and lastmodified, print the file
 *
 * The JSON is laid out as ../shared/tools/sops-decrypt.mjs prints it, so
 * the fixtures' expected files compare with cmp: two-space indentation,
 * numbers as JavaScript prints them, non-finite floats as "+Inf" etc.,
 * times as RFC 3339 strings, comments left out.  Exit status: 0, 1 usage
 * or input, 2..8 the sops_status of a failure.
 */

static void	json_value(struct buf *, const struct yaml_node *,
		    const char *ind);

static void
json_string(struct buf *b, const char *s, size_t len)
{
	size_t i;

	buf_addc(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"':
			buf_adds(b, "\\\"");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\b':
			buf_adds(b, "\\b");
			break;
		case '\f':
			buf_adds(b, "\\f");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		default:
			if (c < 0x20)
				buf_printf(b, "\\u%04x", c);
			else
				buf_addc(b, (char)c);
		}
	}
	buf_addc(b, '"');
}

static void
json_items(struct buf *b, const struct yaml_node *n, const char *ind)
{
	char in2[256];
	size_t i, len = n->kind == YAML_MAP ? n->v.map.len : n->v.seq.len;
	int first = 1;

	snprintf(in2, sizeof in2, "%s  ", ind);
	for (i = 0; i < len; i++) {
		const struct yaml_node *v = n->kind == YAML_MAP ?
		    n->v.map.items[i].value : n->v.seq.items[i];

		if (v->kind == YAML_COMMENT)
			continue;
		buf_adds(b, first ? (n->kind == YAML_MAP ? "{\n" : "[\n") :
		    ",\n");
		first = 0;
		buf_adds(b, in2);
		if (n->kind == YAML_MAP) {
			json_string(b, n->v.map.items[i].key,
			    n->v.map.items[i].keylen);
			buf_adds(b, ": ");
		}
		json_value(b, v, in2);
	}
	if (first)
		buf_adds(b, n->kind == YAML_MAP ? "{}" : "[]");
	else
		buf_printf(b, "\n%s%c", ind, n->kind == YAML_MAP ? '}' : ']');
}

static void
json_value(struct buf *b, const struct yaml_node *n, const char *ind)
{
	struct buf t = BUF_INIT;

	switch (n->kind) {
	case YAML_MAP:
	case YAML_SEQ:
		json_items(b, n, ind);
		break;
	case YAML_STR:
		json_string(b, n->v.str.s, n->v.str.len);
		break;
	case YAML_INT:
		buf_printf(b, "%lld", (long long)n->v.i);
		break;
	case YAML_UINT:
		buf_printf(b, "%llu", (unsigned long long)n->v.u);
		break;
	case YAML_FLOAT:
		if (isfinite(n->v.f))
			yaml_fmt_float_js(b, n->v.f);
		else {
			yaml_fmt_float_f(&t, n->v.f);
			json_string(b, t.data, t.len);
		}
		break;
	case YAML_BOOL:
		buf_adds(b, n->v.b ? "true" : "false");
		break;
	case YAML_TIME:
		yaml_fmt_time(&t, &n->v.t, 1);
		json_string(b, t.data, t.len);
		break;
	default:
		buf_adds(b, "null");
		break;
	}
	buf_free(&t);
}

static int
slurp(const char *path, struct buf *b)
{
	FILE *fp = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (fp == NULL) {
		perror(path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(b, chunk, n);
	fclose(fp);
	if (b->data == NULL)
		buf_add(b, "", 0);
	return 0;
}

static int
hexkey(const char *hex, unsigned char key[SOPS_KEY_LEN])
{
	size_t n = 0;

	if (sodium_hex2bin(key, SOPS_KEY_LEN, hex, strlen(hex), NULL, &n,
	    NULL) != 0 || n != SOPS_KEY_LEN) {
		fputs("sopstool: the key must be 64 hex digits\n", stderr);
		return -1;
	}
	return 0;
}

static void
print_json(const struct sops_file *f, struct buf *out)
{
	size_t i;

	if (f->docs.len == 1) {
		json_value(out, f->docs.docs[0], "");
	} else {
		buf_adds(out, "[\n  ");
		for (i = 0; i < f->docs.len; i++) {
			if (i > 0)
				buf_adds(out, ",\n  ");
			json_value(out, f->docs.docs[i], "  ");
		}
		buf_adds(out, "\n]");
	}
	buf_addc(out, '\n');
}

int
main(int argc, char *argv[])
{
	struct buf in = BUF_INIT, out = BUF_INIT, why = BUF_INIT;
	unsigned char key[SOPS_KEY_LEN];
	struct sops_cipher *c;
	struct sops_file *f;
	char *lastmod;
	int rc;

	if (sodium_init() < 0)
		return 1;
	if (argc != 5 || strcmp(argv[2], "-k") != 0 ||
	    (strcmp(argv[1], "json") && strcmp(argv[1], "reencrypt"))) {
		fputs("usage: sopstool json|reencrypt -k HEXKEY FILE\n",
		    stderr);
		return 1;
	}
	if (hexkey(argv[3], key) != 0 || slurp(argv[4], &in) != 0)
		return 1;
	if ((rc = sops_file_parse(in.data, in.len, &f, &why)) != SOPS_OK)
		goto fail;
	c = sops_cipher_new(key);
	sodium_memzero(key, sizeof key);
	rc = sops_file_decrypt(f, c, &why);
	if (rc == SOPS_OK && strcmp(argv[1], "json") == 0)
		print_json(f, &out);
	else if (rc == SOPS_OK) {
		lastmod = xstrdup(f->meta.lastmodified);
		rc = sops_file_encrypt(f, c, lastmod, &why);
		free(lastmod);
		if (rc == SOPS_OK)
			sops_file_emit(f, &out);
	}
	sops_cipher_free(c);
	sops_file_free(f);
	if (rc != SOPS_OK)
		goto fail;
	fwrite(out.data, 1, out.len, stdout);
	buf_wipe(&out);
	buf_free(&in);
	return fflush(stdout) == 0 ? 0 : 1;
fail:
	fprintf(stderr, "sopstool: %s: %s: %s\n", argv[4],
	    sops_status_str(rc), why.data);
	buf_free(&in);
	buf_free(&why);
	return 1 + rc;
}
