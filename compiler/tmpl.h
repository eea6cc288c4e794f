/* tmpl.h: the small template language the emitters write their files with. */
#ifndef RAILGEN_TMPL_H
#define RAILGEN_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * Templates are plain text with tags that start with "@{", a sequence
 * that neither Helm ({{ }}), make ($(), ${}), the shell, YAML, JSON,
 * Markdown nor a Dockerfile uses, so a template holds those formats as
 * they are:
 *
 *	@{name}		the value of name
 *	@{name|f}	the value passed through filter f:
 *			  q	a double-quoted YAML/JSON string
 *			  sh	a single-quoted shell word
 *			  mk	a shell word inside a make recipe ($ doubled)
 *			  mkvar	a make variable value ($ and # escaped)
 *			  code	a Markdown code span
 *	@{?name}...@{/name}	kept when name is a non-empty value or list
 *	@{!name}...@{/name}	kept when name is empty
 *	@{*name}...@{/name}	repeated for each item of list name; inside,
 *			the item's variables come first, then the
 *			enclosing ones, and _index (1-based), _first and
 *			_last are defined
 *	@@{		a literal "@{"
 *
 * A line that holds nothing but one section tag (and blanks) disappears
 * with its newline, so sections do not leave empty lines behind.  Every
 * name a template uses must be defined, even when empty: a misspelt name
 * is an error, not an empty string.
 */

struct tmpl_vars;

/* A fresh, empty scope; parent (borrowed, may be NULL) is searched next. */
struct tmpl_vars	*tmpl_vars_new(const struct tmpl_vars *parent);

/* Frees vars and every list item it owns. */
void			 tmpl_vars_free(struct tmpl_vars *);

/* Sets name to a copy of value, replacing an earlier value. */
void			 tmpl_set(struct tmpl_vars *, const char *name,
			    const char *value);
void			 tmpl_setf(struct tmpl_vars *, const char *name,
			    const char *fmt, ...)
			    __attribute__((format(printf, 3, 4)));

/* Sets name to "1" when on, to "" otherwise. */
void			 tmpl_set_bool(struct tmpl_vars *, const char *name,
			    bool on);

/* Makes name an empty list (so that loops over it are defined). */
void			 tmpl_set_list(struct tmpl_vars *, const char *name);

/* Appends an item to list name and returns it (owned by vars). */
struct tmpl_vars	*tmpl_add_item(struct tmpl_vars *, const char *list);

/*
 * Expands text (len bytes, named name in messages) with vars and
 * appends the result to out.  Returns 0, or -1 with a message
 * "template NAME:LINE: ..." appended to err; out then holds a partial
 * result that the caller discards.
 */
int	tmpl_expand(struct buf *out, const char *name, const char *text,
	    size_t len, const struct tmpl_vars *, struct buf *err);

/* tmpl_expand on the embedded template name (a path below templates/). */
int	tmpl_render(struct buf *out, const char *name,
	    const struct tmpl_vars *, struct buf *err);

/*
 * The filters, for emitters that build text in C.  Each appends the
 * quoted form of s to out and returns 0, or -1 when s cannot be written
 * in that form (a newline in a make recipe, for example).
 */
int	tmpl_quote_dq(struct buf *out, const char *s);
int	tmpl_quote_sh(struct buf *out, const char *s);
int	tmpl_quote_mk(struct buf *out, const char *s);
int	tmpl_quote_mkvar(struct buf *out, const char *s);
int	tmpl_quote_code(struct buf *out, const char *s);

/*
 * tmpl_quote_NAME by the filter's name as templates spell it ("sh");
 * -2 when there is no such filter.
 */
int	tmpl_quote(struct buf *out, const char *filter, const char *s);

#endif
