/* agetool.c: a small age command line over output/age.h, for interop tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "age.h"

/*
 *   agetool encrypt [-a] [-r RECIPIENT]... [-p PASSFILE [-n LOGN]]
 *                   [-o OUT] [IN]
 *   agetool decrypt [-a | -b] [-i KEYFILE]... [-p PASSFILE] [-o OUT] [IN]
 *   agetool wrap -r RECIPIENT... [IN]      age_wrap, the SOPS entry point
 *   agetool unwrap -i KEYFILE... [IN]      age_unwrap
 *
 * The passphrase is the first line of PASSFILE.  Errors are printed as
 * "agetool: <class>: <reason>" where <class> is age_status_str(), so the
 * age test-vector runner can match the failure class.  Exit status: 0,
 * 1 for any age failure, 2 for usage.
 */

static int
usage(void)
{
	fputs("usage: agetool encrypt [-a] [-r RCPT]... [-p PASSFILE "
	    "[-n LOGN]] [-o OUT] [IN]\n"
	    "       agetool decrypt [-a|-b] [-i KEYFILE]... [-p PASSFILE] "
	    "[-o OUT] [IN]\n"
	    "       agetool wrap -r RCPT... [IN]\n"
	    "       agetool unwrap -i KEYFILE... [IN]\n", stderr);
	return 2;
}

static int
read_file(const char *path, struct buf *b)
{
	char chunk[4096];
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	buf_grow(b, 1 << 16);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(b, chunk, n);
	sodium_memzero(chunk, sizeof chunk);
	if (ferror(fp) || fclose(fp) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

enum mode { ENCRYPT, DECRYPT, WRAP, UNWRAP };

struct opts {
	enum mode	 mode;
	enum age_armor	 armor;
	const char	*rcpt[64];
	size_t		 nrcpt;
	const char	*keys[16];
	size_t		 nkeys;
	const char	*passfile;
	int		 logn;
	const char	*out;
	const char	*in;
};

static int
parse_opts(struct opts *o, int argc, char *argv[])
{
	int c;

	o->armor = o->mode == DECRYPT ? AGE_ARMOR_AUTO : AGE_ARMOR_NO;
	o->logn = 18;
	while ((c = getopt(argc, argv, "abr:i:p:n:o:")) != -1) {
		switch (c) {
		case 'a': o->armor = AGE_ARMOR_YES; break;
		case 'b': o->armor = AGE_ARMOR_NO; break;
		case 'r':
			if (o->nrcpt == 64)
				return -1;
			o->rcpt[o->nrcpt++] = optarg;
			break;
		case 'i':
			if (o->nkeys == 16)
				return -1;
			o->keys[o->nkeys++] = optarg;
			break;
		case 'p': o->passfile = optarg; break;
		case 'n': o->logn = atoi(optarg); break;
		case 'o': o->out = optarg; break;
		default: return -1;
		}
	}
	if (argc - optind > 1)
		return -1;
	o->in = argc > optind ? argv[optind] : NULL;
	return 0;
}

/* The passphrase: PASSFILE's first line. */
static int
load_pass(const char *path, struct buf *pass)
{
	char *nl;

	if (read_file(path, pass) != 0)
		return -1;
	if ((nl = memchr(pass->data, '\n', pass->len)) != NULL)
		pass->len = (size_t)(nl - pass->data);
	return 0;
}

static int
load_keys(const struct opts *o, struct age_keyring *kr, struct buf *why)
{
	struct buf text = BUF_INIT;
	size_t i;

	for (i = 0; i < o->nkeys; i++) {
		buf_reset(&text);
		if (read_file(o->keys[i], &text) != 0) {
			buf_wipe(&text);
			return AGE_ERR_IO;
		}
		if (age_keyring_add(kr, text.data, text.len, why) != 0) {
			buf_wipe(&text);
			return AGE_ERR_KEY;
		}
	}
	buf_wipe(&text);
	return AGE_OK;
}

/* The short-secret API: the whole input in memory, wiped after use. */
static int
run_wrap(const struct opts *o, FILE *in, FILE *out, struct buf *why)
{
	struct age_keyring *kr;
	struct buf text = BUF_INIT, res = BUF_INIT;
	char chunk[4096];
	size_t n;
	int rc;

	buf_grow(&text, 1 << 20);
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
		buf_add(&text, chunk, n);
	sodium_memzero(chunk, sizeof chunk);
	kr = age_keyring_new();
	if (o->mode == WRAP)
		rc = age_wrap((unsigned char *)text.data, text.len, o->rcpt,
		    o->nrcpt, &res, why);
	else if ((rc = load_keys(o, kr, why)) == AGE_OK)
		rc = age_unwrap(text.data, text.len, kr, &res, why);
	age_keyring_free(kr);
	if (rc == AGE_OK && (fwrite(res.data, 1, res.len, out) != res.len ||
	    fflush(out) != 0)) {
		buf_adds(why, "write error");
		rc = AGE_ERR_IO;
	}
	buf_wipe(&text);
	buf_wipe(&res);
	return rc;
}

static int
run(const struct opts *o, FILE *in, FILE *out, struct buf *why)
{
	struct buf pass = BUF_INIT;
	struct age_keyring *kr;
	int rc;

	if (o->mode == WRAP || o->mode == UNWRAP)
		return run_wrap(o, in, out, why);
	if (o->passfile != NULL && load_pass(o->passfile, &pass) != 0) {
		buf_wipe(&pass);
		return AGE_ERR_IO;
	}
	if (o->mode == ENCRYPT) {
		rc = age_encrypt_file(in, out, o->rcpt, o->nrcpt,
		    o->passfile != NULL ? pass.data : NULL, pass.len, o->logn,
		    o->armor, why);
		buf_wipe(&pass);
		return rc;
	}
	kr = age_keyring_new();
	rc = load_keys(o, kr, why);
	if (rc == AGE_OK && o->passfile != NULL &&
	    age_keyring_add_passphrase(kr, pass.data, pass.len, why) != 0)
		rc = AGE_ERR_KEY;
	buf_wipe(&pass);
	if (rc == AGE_OK)
		rc = age_decrypt_file(in, out, kr, o->armor, why);
	age_keyring_free(kr);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	struct buf why = BUF_INIT;
	FILE *in, *out;
	int rc;

	memset(&o, 0, sizeof o);
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "encrypt") == 0)
		o.mode = ENCRYPT;
	else if (strcmp(argv[1], "decrypt") == 0)
		o.mode = DECRYPT;
	else if (strcmp(argv[1], "wrap") == 0)
		o.mode = WRAP;
	else if (strcmp(argv[1], "unwrap") == 0)
		o.mode = UNWRAP;
	else
		return usage();
	if (parse_opts(&o, argc - 1, argv + 1) != 0)
		return usage();
	in = o.in != NULL ? fopen(o.in, "rb") : stdin;
	out = o.out != NULL ? fopen(o.out, "wb") : stdout;
	if (in == NULL || out == NULL) {
		perror(in == NULL ? o.in : o.out);
		return 1;
	}
	rc = run(&o, in, out, &why);
	if (out != stdout && fclose(out) != 0 && rc == AGE_OK) {
		buf_adds(&why, "write error");
		rc = AGE_ERR_IO;
	}
	if (in != stdin)
		fclose(in);
	if (rc != AGE_OK)
		fprintf(stderr, "agetool: %s: %s\n", age_status_str(rc),
		    why.data != NULL ? why.data : "");
	buf_free(&why);
	return rc == AGE_OK ? 0 : 1;
}
