/* difftool.c: diff_unified on two files, for the own suite's checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diff.h"

/*
 *	difftool A B [CONTEXT]	prints the diff of A into B labelled a/A
 *				and b/B; exit 1 when they differ, as diff
 */

static int
slurp(const char *path, struct buf *b)
{
	char chunk[8192];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(b, chunk, n);
	n = ferror(fp);
	fclose(fp);
	return n ? -1 : 0;
}

int
main(int argc, char *argv[])
{
	struct buf a = BUF_INIT, b = BUF_INIT, out = BUF_INIT, la = BUF_INIT,
	    lb = BUF_INIT;
	size_t nh;

	if (argc < 3 || argc > 4) {
		fputs("usage: difftool A B [CONTEXT]\n", stderr);
		return 2;
	}
	if (slurp(argv[1], &a) < 0 || slurp(argv[2], &b) < 0) {
		perror("difftool");
		return 2;
	}
	buf_printf(&la, "a/%s", argv[1]);
	buf_printf(&lb, "b/%s", argv[2]);
	nh = diff_unified(&out, la.data, a.data ? a.data : "", a.len,
	    lb.data, b.data ? b.data : "", b.len,
	    argc == 4 ? atoi(argv[3]) : DIFF_CONTEXT);
	if (fwrite(out.data ? out.data : "", 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0)
		return 2;
	buf_free(&a);
	buf_free(&b);
	buf_free(&out);
	buf_free(&la);
	buf_free(&lb);
	return nh > 0 ? 1 : 0;
}
