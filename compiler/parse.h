/* parse.h: reads one .rail text into a syntax tree (flex + bison). */
#ifndef RAILGEN_PARSE_H
#define RAILGEN_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"

/*
 * Parses text (len bytes, which may hold NUL bytes) named name.  Lexical
 * and syntax errors go to diag; the parser recovers at the end of the
 * statement and at the closing brace of a block, so every such error of
 * the file is reported.  Returns the tree, which is partial when errors
 * were reported.  The tree borrows name and lives in the arena.  The
 * comments of the file are kept beside the statements (ast_file).
 */
struct ast_file	*parse_file(struct arena *, struct diag *, const char *name,
		    const char *text, size_t len);

/*
 * What follows is shared by grammar/rail.l and grammar/rail.y only: the
 * state of one parse and the helpers their actions call.
 */
struct parse_ctx {
	struct arena		*arena;
	struct diag		*diag;
	const char		*file;
	struct ast_file		*out;
	int			 line;	/* where the next token starts */
	int			 col;
	bool			 need_nl;	/* a token since the last NL */
	bool			 at_eof;
	struct model_pos	 last;	/* of the last token */
	struct model_pos	 closed;	/* '{' the last '}' closed;
						   line 0: none was open */
	struct model_pos	*braces;	/* '{' not closed yet */
	size_t			 nbraces;
	size_t			 cap;
};

/* Out of memory in the scanner: reports and exits with status 3. */
void	 lex_fatal(const char *) __attribute__((noreturn));
void	 lex_locate(struct parse_ctx *, struct model_pos *, const char *,
	    size_t);
void	 lex_newline(struct parse_ctx *);
void	 lex_brace(struct parse_ctx *, char, const struct model_pos *);
/* At the end of input: a last NL if the final line lacks one, then EOF. */
int	 lex_end(struct parse_ctx *, struct model_pos *);
struct ast_value *lex_word(struct parse_ctx *, const char *, size_t,
	    const struct model_pos *);
struct ast_value *lex_string(struct parse_ctx *, const char *, size_t,
	    const struct model_pos *);
/* Keeps a comment in the tree for railgen fmt; it is no token. */
void	 lex_comment(struct parse_ctx *, const char *, size_t,
	    const struct model_pos *);
void	 lex_unterminated(struct parse_ctx *, const struct model_pos *);
void	 lex_stray(struct parse_ctx *, const char *, size_t,
	    const struct model_pos *);

void	 parse_error(struct parse_ctx *, const struct model_pos *,
	    const char *);
void	 parse_pos_merge(struct model_pos *, const struct model_pos *,
	    const struct model_pos *);

#endif
