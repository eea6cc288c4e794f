/* rail.y: the grammar of .rail files: statements, blocks and values. */
%require "3.8"
%define api.prefix {rail}
%define api.pure full
%define api.location.type {struct model_pos}
%define parse.error detailed
%define parse.lac full
%locations
%expect 0
%param {yyscan_t scanner}
%parse-param {struct parse_ctx *ctx}

%code requires {
#include "ast.h"
#include "model.h"

typedef void *yyscan_t;
struct parse_ctx;
}

%code provides {
void	railerror(struct model_pos *, yyscan_t, struct parse_ctx *,
	    const char *);
}

%code {
#include "parse.h"
#define YYSTYPE RAILSTYPE
#define YYLTYPE RAILLTYPE
#include "rail.lex.h"

/* A rule's position spans its first through its last symbol. */
#define YYLLOC_DEFAULT(cur, rhs, n)					\
	parse_pos_merge(&(cur), &YYRHSLOC(rhs, (n) ? 1 : 0),		\
	    &YYRHSLOC(rhs, n))
}

%union {
	struct ast_value	*val;
	struct ast_stmt		*stmt;
	struct ast_list		*list;
}

%token <val>	WORD	"word"
%token <val>	STRING	"string"
%token		NL	"end of line"

%nterm <list>	stmts
%nterm <stmt>	stmt head
%nterm <val>	arg value call callargs

%%

file	: stmts			{ ctx->out->body = $1->head; }
	;

/*
 * Recovery: a broken statement is skipped up to its end of line; inside
 * a block, a '}' met while skipping closes the block instead.
 */
stmts	: %empty		{ $$ = ast_list_new(ctx->arena); }
	| stmts stmt		{ ast_list_add($1, $2); $$ = $1; }
	;

stmt	: NL			{ $$ = NULL; }
	| head NL		{ $$ = $1; }
	| head '=' value NL	{ ast_stmt_set_value($1, $3, &@2); $$ = $1; }
	| head '{' stmts '}' NL	{
					ast_stmt_set_block($1, $3, &@2, &@4);
					$$ = $1;
				}
	| head '{' stmts error '}' NL
				{
					ast_stmt_set_block($1, $3, &@2, &@5);
					$$ = $1;
					yyerrok;
				}
	| error NL		{ $$ = NULL; yyerrok; }
	;

head	: WORD			{ $$ = ast_stmt_new(ctx->arena, $1); }
	| head arg		{
					ast_stmt_add_arg(ctx->arena, $1, $2);
					$$ = $1;
				}
	;

arg	: WORD
	| STRING
	;

value	: WORD
	| STRING
	| call
	;

call	: WORD '(' ')'		{ $1->kind = AST_CALL; $$ = $1; }
	| callargs ')'
	;

callargs: WORD '(' arg		{
					$1->kind = AST_CALL;
					ast_value_add_arg(ctx->arena, $1, $3);
					$$ = $1;
				}
	| callargs ',' arg	{ ast_value_add_arg(ctx->arena, $1, $3); }
	;
