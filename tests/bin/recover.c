/* recover.c: tree_recover alone, so a suite can see what a kill left. */
#include <stdio.h>

#include "buf.h"
#include "tree.h"

/*
 *	recover DIR
 *
 * Finishes or undoes the commit a killed run left in DIR, as railgen
 * does before anything else, and prints what it did: none, undone or
 * done.  Exit 3 (the message on stderr) when the journal cannot be
 * replayed, 2 on bad use.  The fault suite compares the tree after this
 * step with the old and the new tree, which railgen itself never shows.
 */
int
main(int argc, char *argv[])
{
	static const char *const names[] = { "none", "undone", "done" };
	struct buf err = BUF_INIT;
	int rc;

	if (argc != 2) {
		fputs("usage: recover DIR\n", stderr);
		return 2;
	}
	rc = tree_recover(argv[1], &err);
	if (rc < 0) {
		fputs(err.data, stderr);
		buf_free(&err);
		return 3;
	}
	buf_free(&err);
	puts(names[rc]);
	return fflush(stdout) == 0 ? 0 : 3;
}
