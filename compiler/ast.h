/* ast.h: the syntax tree of .rail files, as the parser builds it. */
#ifndef RAILGEN_AST_H
#define RAILGEN_AST_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "model.h"

/*
 * The grammar is generic on purpose: every line is a statement
 *
 *	KEY ARG... [= VALUE] [{ STATEMENT... }]
 *
 * and the checker (check.c) gives keys their meaning.  That keeps the
 * grammar small and free of conflicts, and lets an unknown or misplaced
 * key get a "did you mean" hint instead of a bare syntax error.
 *
 * Every node lives in the arena of the parse; nothing is freed singly.
 */

enum ast_kind {
	AST_WORD,			/* a bare word: name, number, path */
	AST_STRING,			/* "double quoted", escapes resolved */
	AST_CALL			/* word(arg, ...): random(50), env(X) */
};

struct ast_value {
	enum ast_kind		 kind;
	const char		*text;	/* resolved text; AST_CALL: name */
	const char		*raw;	/* as written, quotes excluded */
	struct model_pos	 pos;	/* AST_STRING: the quotes included */
	struct ast_value	**args;	/* AST_CALL */
	size_t			 nargs;
	size_t			 cap;
};

struct ast_stmt {
	struct ast_value	*key;
	struct ast_value	**args;
	size_t			 nargs;
	size_t			 cap;
	struct ast_value	*value;	/* after '=', or NULL */
	struct model_pos	 eq_pos;
	bool			 block;	/* has { ... } */
	struct model_pos	 open_pos;	/* of '{' */
	struct model_pos	 close_pos;	/* of '}' */
	struct ast_stmt		*body;	/* first statement of the block */
	struct ast_stmt		*next;
};

/* A statement list under construction; tail keeps appends O(1). */
struct ast_list {
	struct ast_stmt		*head;
	struct ast_stmt		*tail;
};

/*
 * A comment, kept for railgen fmt: the checker never looks at comments.
 * text runs from the '#' to the end of its line, trailing blanks and
 * carriage return excluded; it may hold any byte but a newline.
 */
struct ast_comment {
	struct model_pos	 pos;	/* of the '#' */
	const char		*text;
	size_t			 len;
};

struct ast_file {
	const char		*name;	/* as named on the command line */
	struct ast_stmt		*body;
	struct ast_comment	*comments;	/* in source order */
	size_t			 ncomments;
	size_t			 cap;
};

struct ast_value	*ast_value_new(struct arena *, enum ast_kind,
			    const char *text, const char *raw,
			    const struct model_pos *);
void			 ast_value_add_arg(struct arena *, struct ast_value *,
			    struct ast_value *);

struct ast_stmt		*ast_stmt_new(struct arena *, struct ast_value *key);
void			 ast_stmt_add_arg(struct arena *, struct ast_stmt *,
			    struct ast_value *);
void			 ast_stmt_set_value(struct ast_stmt *,
			    struct ast_value *, const struct model_pos *eq);
void			 ast_stmt_set_block(struct ast_stmt *,
			    struct ast_list *, const struct model_pos *open,
			    const struct model_pos *close);

/* Appends a comment of text[0..n), which starts with '#'. */
void			 ast_file_add_comment(struct arena *,
			    struct ast_file *, const char *text, size_t n,
			    const struct model_pos *);

struct ast_list		*ast_list_new(struct arena *);
/* Appends s (NULL, for an empty or broken line, is skipped). */
void			 ast_list_add(struct ast_list *, struct ast_stmt *s);

/* The position from the start of a to the end of b (same line) or a. */
struct model_pos	 ast_pos_span(const struct model_pos *a,
			    const struct model_pos *b);
/* The position of a statement's key through its last argument. */
struct model_pos	 ast_stmt_pos(const struct ast_stmt *);

#endif
