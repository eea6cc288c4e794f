/* check.h: turns the syntax trees into the checked, resolved model. */
#ifndef RAILGEN_CHECK_H
#define RAILGEN_CHECK_H

#include <stddef.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "model.h"

/*
 * Gives every statement of every file its meaning, fills in defaults,
 * expands references and enforces the rules of DESIGN.md, first file by
 * file, then across the fleet (names owned by two apps, roles shared in
 * one cluster).  Every error is reported to diag.  The model lives in
 * the arena and is complete only when no error was reported.
 */
struct model	*check_fleet(struct arena *, struct diag *,
		    struct ast_file *const *files, size_t nfiles);

#endif
