/* fmt.h: the canonical layout of .rail files, which railgen fmt writes. */
#ifndef RAILGEN_FMT_H
#define RAILGEN_FMT_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "buf.h"
#include "diag.h"

/*
 * The layout, in short (docs/language.md, "Canonical layout", has it
 * all): one statement per line, one tab per block level, '{' at the end
 * of its statement's line and '}' alone on a line.  A run is a sequence
 * of statements of one shape (all with '=' or all without) with no blank
 * line or block between them: its keys are padded to one width, its '='
 * signs line up, and statements of one key without '=' line up their
 * second arguments, and later ones that are the same word in each.
 * Arguments are bare words when they can be, values after '=' strings
 * unless they are calls.  Every comment stays where it was relative to
 * the statements; runs of blank lines become one.
 */
/*
 * Appends the canonical text of file, which must come from a parse that
 * reported no error, to out.  An empty file gives no bytes; any other
 * text ends with a newline.
 */
void	fmt_file(const struct ast_file *, struct buf *out);

/*
 * True when a and b are the same program laid out alike: the same
 * statements (keys, argument and value texts, blocks) in the same order,
 * the same comments at the same places, and blank lines between the
 * same lines.  Quoting, spacing and indentation do not count.
 */
bool	fmt_same(const struct ast_file *a, const struct ast_file *b);

/*
 * Parses text (len bytes, named name in diagnostics) and appends its
 * canonical form to out.  Syntax errors are reported to d, which must
 * already hold text as the source of name (diag_source), and nothing is
 * appended.  Returns 0, or -1 after an error: a syntax error, or (a bug
 * in this module, reported as such) a canonical text that does not read
 * back as the same program; or a system failure (memory), reported.
 */
int	fmt_text(struct diag *, const char *name, const char *text,
	    size_t len, struct buf *out);

#endif
