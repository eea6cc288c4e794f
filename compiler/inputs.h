/* inputs.h: the .rail files a run reads, with directories expanded. */
#ifndef RAILGEN_INPUTS_H
#define RAILGEN_INPUTS_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"

/*
 * Returns the input list with every directory among args replaced by
 * the *.rail files directly inside it (not below), sorted by name in
 * byte order, hidden files skipped; other arguments ("-" too) stay as
 * they are.  A directory is joined to a name with one '/', so "dir",
 * "dir/" and the shell's glob of the .rail files in dir give the same
 * names.  The array and the names live in arena.  A directory that
 * cannot be read or holds no .rail file is reported; *n counts the
 * names returned.
 */
const char	**inputs_expand(struct arena *, struct diag *,
		    const char *const *args, size_t nargs, size_t *n);

#endif
