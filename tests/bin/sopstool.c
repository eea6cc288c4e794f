/* sopstool.c: test driver for the SOPS layer (tests only, never shipped). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "age.h"
#include "buf.h"
#include "sops.h"
#include "yamltree.h"

/*
 *   sopstool json -k HEXKEY FILE     decrypt with a data key, print JSON
 *   sopstool json -i IDFILE FILE     the same with an age identity file
 *   sopstool reencrypt -k HEXKEY FILE
 *                                    decrypt, encrypt again with the same
 *                                    key and lastmodified, print the file
 *   sopstool datakey -i IDFILE FILE  print the unwrapped data key in hex
 *   sopstool plainjson FILE          a plain YAML file as the same JSON
 *   sopstool write [-r REGEX] [-m] [-p PREV] [-t EPOCH] -R AGE1...
 *       PLAIN                        sops_write: PLAIN is YAML in which
 *                                    the string "@keep" marks YAML_KEEP;
 *                                    identities come from the environment
 *                                    (SOPS_AGE_KEY_FILE, ...)
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

static int
fail(const char *path, int rc, struct buf *why)
{
	fprintf(stderr, "sopstool: %s: %s: %s\n", path, sops_status_str(rc),
	    why->data ? why->data : "");
	buf_free(why);
	return 1 + rc;
}

/* Opens FILE with a data key (-k) or an identity file (-i). */
static int
open_file(const char *how, const char *arg, const char *path,
    struct sops_file **f, struct sops_cipher **c, struct buf *why)
{
	unsigned char key[SOPS_KEY_LEN];
	struct buf in = BUF_INIT, id = BUF_INIT;
	struct age_keyring *kr;
	int rc;

	if (slurp(path, &in) != 0)
		return SOPS_ERR_SYSTEM;
	rc = sops_file_parse(in.data, in.len, f, why);
	buf_free(&in);
	if (rc != SOPS_OK)
		return rc;
	if (strcmp(how, "-k") == 0) {
		if (hexkey(arg, key) != 0)
			return SOPS_ERR_INPUT;
	} else {
		kr = age_keyring_new();
		if (slurp(arg, &id) != 0 ||
		    age_keyring_add(kr, id.data, id.len, why) != 0)
			rc = SOPS_ERR_INPUT;
		else
			rc = sops_file_data_key(*f, kr, key, why);
		buf_wipe(&id);
		age_keyring_free(kr);
		if (rc != SOPS_OK)
			return rc;
	}
	*c = sops_cipher_new(key);
	sodium_memzero(key, sizeof key);
	return SOPS_OK;
}

static int
cmd_open(int argc, char *argv[])
{
	struct buf out = BUF_INIT, why = BUF_INIT;
	struct sops_cipher *c = NULL;
	struct sops_file *f = NULL;
	char *lastmod;
	int rc;

	if (argc != 5 || (strcmp(argv[2], "-k") && strcmp(argv[2], "-i")))
		return 1;
	rc = open_file(argv[2], argv[3], argv[4], &f, &c, &why);
	if (rc == SOPS_OK)
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
		return fail(argv[4], rc, &why);
	fwrite(out.data, 1, out.len, stdout);
	buf_wipe(&out);
	buf_free(&why);
	return fflush(stdout) == 0 ? 0 : 1;
}

static int
cmd_datakey(int argc, char *argv[])
{
	unsigned char key[SOPS_KEY_LEN];
	struct buf in = BUF_INIT, id = BUF_INIT, why = BUF_INIT;
	struct age_keyring *kr = age_keyring_new();
	struct sops_file *f = NULL;
	char hex[2 * SOPS_KEY_LEN + 1];
	int rc = SOPS_ERR_INPUT;

	if (argc == 5 && strcmp(argv[2], "-i") == 0 &&
	    slurp(argv[4], &in) == 0 && slurp(argv[3], &id) == 0 &&
	    age_keyring_add(kr, id.data, id.len, &why) == 0 &&
	    (rc = sops_file_parse(in.data, in.len, &f, &why)) == SOPS_OK &&
	    (rc = sops_file_data_key(f, kr, key, &why)) == SOPS_OK) {
		sodium_bin2hex(hex, sizeof hex, key, sizeof key);
		puts(hex);
	}
	sodium_memzero(key, sizeof key);
	age_keyring_free(kr);
	sops_file_free(f);
	buf_wipe(&id);
	buf_free(&in);
	if (rc != SOPS_OK)
		return fail(argc == 5 ? argv[4] : "?", rc, &why);
	buf_free(&why);
	return 0;
}

static int
cmd_plainjson(int argc, char *argv[])
{
	struct sops_file f;
	struct buf in = BUF_INIT, out = BUF_INIT, why = BUF_INIT;

	memset(&f, 0, sizeof f);
	if (argc != 3 || slurp(argv[2], &in) != 0)
		return 1;
	if (yaml_parse(in.data, in.len, &f.docs, &why) != 0) {
		fprintf(stderr, "sopstool: %s: %s\n", argv[2], why.data);
		return 1;
	}
	print_json(&f, &out);
	fwrite(out.data, 1, out.len, stdout);
	yaml_docs_free(&f.docs);
	buf_wipe(&in);
	buf_wipe(&out);
	buf_free(&why);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* "@keep" strings become YAML_KEEP. */
static void
mark_keep(struct yaml_node *n)
{
	size_t i;

	if (n->kind == YAML_MAP)
		for (i = 0; i < n->v.map.len; i++)
			mark_keep(n->v.map.items[i].value);
	else if (n->kind == YAML_SEQ)
		for (i = 0; i < n->v.seq.len; i++)
			mark_keep(n->v.seq.items[i]);
	else if (n->kind == YAML_STR && strcmp(n->v.str.s, "@keep") == 0)
		yaml_node_replace(n, yaml_keep());
}

static int
cmd_write(int argc, char *argv[])
{
	const char *rcpt[16];
	struct sops_write w;
	struct buf plain = BUF_INIT, prev = BUF_INIT, out = BUF_INIT;
	struct buf why = BUF_INIT;
	struct age_keyring *kr;
	size_t i;
	int k, rc;

	memset(&w, 0, sizeof w);
	w.recipients = rcpt;
	w.now = 1767323045;		/* 2026-01-02T03:04:05Z */
	for (k = 2; k < argc - 1; k++) {
		if (strcmp(argv[k], "-r") == 0)
			w.encrypted_regex = argv[++k];
		else if (strcmp(argv[k], "-m") == 0)
			w.mac_only_encrypted = 1;
		else if (strcmp(argv[k], "-t") == 0)
			w.now = strtoll(argv[++k], NULL, 10);
		else if (strcmp(argv[k], "-p") == 0) {
			if (slurp(argv[++k], &prev) != 0)
				return 1;
			w.prev = prev.data;
			w.prevlen = prev.len;
		} else if (strcmp(argv[k], "-R") == 0 && w.nrecipients < 16)
			rcpt[w.nrecipients++] = argv[++k];
		else
			return 1;
	}
	if (k != argc - 1 || slurp(argv[k], &plain) != 0)
		return 1;
	if (yaml_parse(plain.data, plain.len, &w.plain, &why) != 0) {
		fprintf(stderr, "sopstool: %s: %s\n", argv[k], why.data);
		return 1;
	}
	for (i = 0; i < w.plain.len; i++)
		mark_keep(w.plain.docs[i]);
	kr = age_keyring_new();
	rc = sops_identities_load(kr, &why);
	w.keyring = kr;
	if (rc == SOPS_OK)
		rc = sops_write(&w, &out, &why);
	age_keyring_free(kr);
	yaml_docs_free(&w.plain);
	buf_wipe(&plain);
	buf_free(&prev);
	if (rc != SOPS_OK)
		return fail(argv[k], rc, &why);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	buf_free(&why);
	return fflush(stdout) == 0 ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	int rc = -1;

	if (sodium_init() < 0)
		return 1;
	if (argc > 1 && (strcmp(argv[1], "json") == 0 ||
	    strcmp(argv[1], "reencrypt") == 0))
		rc = cmd_open(argc, argv);
	else if (argc > 1 && strcmp(argv[1], "datakey") == 0)
		rc = cmd_datakey(argc, argv);
	else if (argc > 1 && strcmp(argv[1], "write") == 0)
		rc = cmd_write(argc, argv);
	else if (argc > 1 && strcmp(argv[1], "plainjson") == 0)
		rc = cmd_plainjson(argc, argv);
	if (rc == 1 || rc < 0)
		fputs("usage: sopstool json|reencrypt -k HEXKEY|-i IDFILE FILE\n"
		    "       sopstool datakey -i IDFILE FILE\n"
		    "       sopstool plainjson FILE\n"
		    "       sopstool write [-r RE] [-m] [-p PREV] [-t EPOCH] "
		    "-R AGE1... PLAIN\n", stderr);
	return rc < 0 ? 1 : rc;
}
