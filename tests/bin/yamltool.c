/* yamltool.c: test driver for the YAML reader and writer (tests only). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "yamltree.h"

static int
slurp(const char *path, struct buf *b)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (fp == NULL) {
		perror(path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(b, chunk, n);
	if (ferror(fp)) {
		perror(path);
		return -1;
	}
	if (fp != stdin)
		fclose(fp);
	if (b->data == NULL)
		buf_add(b, "", 0);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct buf in = BUF_INIT, out = BUF_INIT, why = BUF_INIT;
	struct yaml_docs docs = { NULL, 0, 0 };
	int indent = 4;

	if (argc == 4 && strcmp(argv[1], "-i") == 0) {
		indent = atoi(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fputs("usage: yamltool [-i N] FILE\n", stderr);
		return 2;
	}
	if (slurp(argv[1], &in) != 0)
		return 3;
	if (yaml_parse(in.data, in.len, &docs, &why) != 0) {
		fprintf(stderr, "yamltool: %s: %s\n", argv[1], why.data);
		buf_free(&in);
		buf_free(&why);
		return 1;
	}
	yaml_emit(&out, docs.docs, docs.len, indent);
	fwrite(out.data, 1, out.len, stdout);
	yaml_docs_free(&docs);
	buf_free(&in);
	buf_free(&out);
	buf_free(&why);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 3;
}
