/* diag.h: every message railgen prints about its input, and the exit status. */
#ifndef RAILGEN_DIAG_H
#define RAILGEN_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "model.h"

/*
 * Diagnostics look like GCC's:
 *
 *	app.rail:3:5: error: unknown key 'replica'
 *	    3 |     replica 2
 *	      |     ^~~~~~~
 *	hint: did you mean 'replicas'?
 *
 * Lines and columns are 1-based; columns count display width (a tab
 * advances to the next multiple of 8, a wide character counts 2, a byte
 * that is not valid UTF-8 or a control character is shown as <xx> and
 * counts 4).  Positions everywhere in the front end are struct
 * model_pos, in those units, so a position from the model can be shown
 * the same way as one from the lexer.
 *
 * A diag collects the source text of every file it may quote; it
 * borrows that text, which must outlive it.
 */

/*
 * Errors in the input past the first DIAG_MAX_SHOWN are counted but not
 * shown, nor are the hints and notes that belong to them; one note says
 * so.  A file full of stray bytes would otherwise bury the first error
 * under thousands.  Errors about the command line and the system are
 * always shown.
 */
#define DIAG_MAX_SHOWN	20

/* Exit statuses, as the man page lists them. */
enum diag_exit {
	DIAG_EXIT_OK = 0,
	DIAG_EXIT_INPUT = 1,		/* errors in the input, or drift */
	DIAG_EXIT_USAGE = 2,		/* bad command line */
	DIAG_EXIT_SYSTEM = 3		/* I/O or system failure */
};

struct diag;

struct diag	*diag_new(FILE *out);
void		 diag_free(struct diag *);

/* Registers text as the contents of file, for quoting source lines. */
void	 diag_source(struct diag *, const char *file, const char *text,
	    size_t len);

/*
 * An error at pos (pos->line 0: the file as a whole; pos NULL: railgen
 * itself).  Hints and notes that follow belong to the last error.
 */
void	 diag_error(struct diag *, const struct model_pos *, const char *,
	    ...) __attribute__((format(printf, 3, 4)));
void	 diag_note(struct diag *, const struct model_pos *, const char *,
	    ...) __attribute__((format(printf, 3, 4)));
void	 diag_hint(struct diag *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* "railgen: error: ..." for the command line (exit 2). */
void	 diag_usage(struct diag *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* "railgen: error: ...: strerror(errnum)" for I/O failures (exit 3). */
void	 diag_system(struct diag *, int errnum, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* "railgen: error: ..." for a system failure already explained (exit 3). */
void	 diag_fail(struct diag *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* "railgen: drift: ..." for --check: the output is not current (exit 1). */
void	 diag_drift(struct diag *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Copies text as it is, such as a diff that belongs to the last error. */
void	 diag_block(struct diag *, const char *text, size_t len);
/* "railgen: note: ..." on stderr; no effect on the exit status. */
void	 diag_info(struct diag *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* Errors reported so far, of any kind. */
int	 diag_count(const struct diag *);
/* True once more errors in the input were reported than are shown. */
bool	 diag_full(const struct diag *);
/* The exit status the run has earned: the worst kind reported. */
int	 diag_status(const struct diag *);

/*
 * Display width of s[0..n) when it starts at display column col
 * (1-based); the result is how far the column advances.
 */
int	 diag_width(const char *s, size_t n, int col);
/* Length of the valid UTF-8 sequence that s starts with; 0 if none. */
size_t	 diag_utf8_len(const char *s, size_t n);
/* Appends s[0..n) as it is shown: tabs expanded, odd bytes as <xx>. */
void	 diag_render(struct buf *, const char *s, size_t n);

/*
 * The candidate closest to word by edit distance (adjacent swaps count
 * one), or NULL when none is close enough to be worth suggesting.
 */
const char	*diag_suggest(const char *word, const char *const *cands,
		    size_t ncands);
size_t		 diag_distance(const char *, const char *);

#endif
