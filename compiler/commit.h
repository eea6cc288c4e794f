/* commit.h: write the output tree into its directory, or compare (--check). */
#ifndef RAILGEN_COMMIT_H
#define RAILGEN_COMMIT_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "model.h"
#include "tree.h"

/*
 * Both add the ownership record (owner.h) to the tree first, so the
 * record is written, and compared, like every other generated file.
 * Every problem is reported through diag; the exit status follows.
 */

/*
 * Call first, before anything reads dir.  A commit a killed run left in
 * dir is finished or undone, and railgen says so; with check it is only
 * reported, as drift, since a half-written directory compares with
 * nothing.  Returns false (reported) when the run must stop there.
 */
bool	commit_begin(struct diag *, const char *dir, bool check);

/*
 * Writes t into dir: new and changed files, the record, and the removal
 * of files railgen wrote before and no longer produces.  A generated
 * file edited by hand, or a file railgen did not write where it must
 * write one, is reported with its diff and nothing at all is written,
 * unless force.
 */
void	commit_write(struct diag *, const struct model *, struct tree *t,
	    const char *dir, bool force);

/*
 * Compares t with dir and reports each drift: a line on the diagnostic
 * stream for every file that is missing, differs, has the other
 * executable bit or is no longer generated, and for each file that
 * differs a unified diff (a/ is dir, b/ what railgen would write) on
 * out.  Never decrypts; a SOPS file whose copy on disk is not
 * encrypted is not shown.
 */
void	commit_check(struct diag *, const struct model *, struct tree *t,
	    const char *dir, FILE *out);

#endif
