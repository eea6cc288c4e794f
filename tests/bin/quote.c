/* quote.c: one template filter applied to standard input, for the suite. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "tmpl.h"

/*
 *	quote q|sh|mk|mkvar|code < RAW > QUOTED
 *
 * Exit 1 when the filter refuses the text, 2 on bad use.  The emit suite
 * hands the result to the YAML and JSON parsers, sh, make and a
 * CommonMark parser and checks that they read back RAW.
 */
int
main(int argc, char *argv[])
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	char chunk[4096];
	size_t n;
	int rc;

	if (argc != 2)
		rc = -2;
	else {
		while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
			buf_add(&in, chunk, n);
		buf_add(&in, "", 0);
		rc = tmpl_quote(&out, argv[1], in.data);
	}
	if (rc == -2) {
		fputs("usage: quote q|sh|mk|mkvar|code < text\n", stderr);
		return 2;
	}
	rc = rc < 0;
	if (rc == 0 && out.len > 0)
		fwrite(out.data, 1, out.len, stdout);
	buf_free(&in);
	buf_free(&out);
	if (fflush(stdout) != 0 || ferror(stdout))
		return 2;
	return rc;
}
