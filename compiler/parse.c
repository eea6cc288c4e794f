/* parse.c: runs the scanner and parser on one file; the lexer's helpers. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "parse.h"
#include "rail.tab.h"
#define YYSTYPE RAILSTYPE
#define YYLTYPE RAILLTYPE
#include "rail.lex.h"

struct ast_file *
parse_file(struct arena *a, struct diag *d, const char *name,
    const char *text, size_t len)
{
	struct parse_ctx ctx;
	yyscan_t scanner;

	memset(&ctx, 0, sizeof(ctx));
	ctx.arena = a;
	ctx.diag = d;
	ctx.file = name;
	ctx.line = 1;
	ctx.col = 1;
	ctx.out = arena_alloc(a, sizeof(*ctx.out));
	ctx.out->name = name;
	if (len > INT_MAX) {
		diag_error(d, &(struct model_pos){ name, 0, 0, 0 },
		    "file is larger than %d bytes", INT_MAX);
		return ctx.out;
	}

	if (raillex_init_extra(&ctx, &scanner) != 0)
		lex_fatal("cannot start the scanner");
	rail_scan_bytes(text, (int)len, scanner);
	(void)railparse(scanner, &ctx);
	raillex_destroy(scanner);
	free(ctx.braces);
	return ctx.out;
}

void
lex_fatal(const char *msg)
{
	fprintf(stderr, "railgen: error: %s\n", msg);
	exit(DIAG_EXIT_SYSTEM);
}

/* Blanks and comments move the column but are not tokens. */
void
lex_locate(struct parse_ctx *ctx, struct model_pos *pos, const char *text,
    size_t n)
{
	pos->file = ctx->file;
	pos->line = ctx->line;
	pos->col = ctx->col;
	pos->len = text[0] == '\n' ? 1 : diag_width(text, n, ctx->col);
	ctx->col += pos->len;
	if (strchr(" \t\r#", text[0]) != NULL)
		return;
	ctx->need_nl = text[0] != '\n';
	ctx->last = *pos;
}

void
lex_newline(struct parse_ctx *ctx)
{
	ctx->line++;
	ctx->col = 1;
}

void
lex_brace(struct parse_ctx *ctx, char c, const struct model_pos *pos)
{
	if (c == '}') {
		memset(&ctx->closed, 0, sizeof(ctx->closed));
		if (ctx->nbraces > 0)
			ctx->closed = ctx->braces[--ctx->nbraces];
		return;
	}
	if (ctx->nbraces == ctx->cap) {
		ctx->cap = ctx->cap ? ctx->cap * 2 : 8;
		ctx->braces = xrealloc(ctx->braces,
		    ctx->cap * sizeof(*ctx->braces));
	}
	ctx->braces[ctx->nbraces++] = *pos;
}

/*
 * The end of input sits just after the last token: a file whose last
 * line lacks its newline gets one, so every statement ends the same way.
 */
int
lex_end(struct parse_ctx *ctx, struct model_pos *pos)
{
	if (ctx->last.line == 0) {
		*pos = (struct model_pos){ ctx->file, 1, 1, 1 };
	} else if (ctx->need_nl) {
		*pos = ctx->last;
		pos->col += pos->len;
		pos->len = 1;
		ctx->need_nl = false;
		ctx->last = *pos;
		return NL;
	} else
		*pos = ctx->last;
	ctx->at_eof = true;
	return RAILEOF;
}

struct ast_value *
lex_word(struct parse_ctx *ctx, const char *text, size_t n,
    const struct model_pos *pos)
{
	char *s;

	s = arena_strndup(ctx->arena, text, n);
	return ast_value_new(ctx->arena, AST_WORD, s, s, pos);
}

/* The position of text[off..off+n) inside the token at pos. */
static struct model_pos
sub_pos(const struct model_pos *pos, const char *text, size_t off, size_t n)
{
	struct model_pos p = *pos;

	p.col = pos->col + diag_width(text, off, pos->col);
	p.len = diag_width(text + off, n, p.col);
	return p;
}

static const char *
escape_of(char c)
{
	switch (c) {
	case '"':
		return "\"";
	case '\\':
		return "\\";
	case 'n':
		return "\n";
	default:
		return NULL;
	}
}

/*
 * Resolves the escapes of a quoted token.  Unknown escapes, control
 * characters and invalid UTF-8 are reported; the string is still
 * returned so the statement parses on.
 */
struct ast_value *
lex_string(struct parse_ctx *ctx, const char *text, size_t n,
    const struct model_pos *pos)
{
	struct buf b = BUF_INIT;
	struct model_pos p;
	const char *esc;
	size_t i, len;
	char *s, *raw;

	for (i = 1; i < n - 1; i += len) {
		len = diag_utf8_len(text + i, n - 1 - i);
		if (text[i] == '\\') {
			len = 2;
			if ((esc = escape_of(text[i + 1])) != NULL) {
				buf_adds(&b, esc);
				continue;
			}
			p = sub_pos(pos, text, i, 2);
			diag_error(ctx->diag, &p,
			    "unknown escape sequence '\\%c'", text[i + 1]);
			diag_hint(ctx->diag, "the escapes are \\\", \\\\ and "
			    "\\n");
		} else if (len == 0 || (len == 1 &&
		    ((unsigned char)text[i] < 0x20 && text[i] != '\t'))) {
			len = len ? len : 1;
			p = sub_pos(pos, text, i, 1);
			diag_error(ctx->diag, &p, "%s in string",
			    (unsigned char)text[i] < 0x80 ?
			    "control character" : "invalid UTF-8");
		} else
			buf_add(&b, text + i, len);
	}
	s = arena_strndup(ctx->arena, b.data ? b.data : "", b.len);
	raw = arena_strndup(ctx->arena, text + 1, n - 2);
	buf_free(&b);
	return ast_value_new(ctx->arena, AST_STRING, s, raw, pos);
}

void
lex_comment(struct parse_ctx *ctx, const char *text, size_t n,
    const struct model_pos *pos)
{
	ast_file_add_comment(ctx->arena, ctx->out, text, n, pos);
}

void
lex_unterminated(struct parse_ctx *ctx, const struct model_pos *pos)
{
	diag_error(ctx->diag, pos, "unterminated string");
	diag_hint(ctx->diag, "a string ends with '\"' on the line where it "
	    "starts; write a line break as \\n");
}

/* Why a character is not part of the language, for the usual suspects. */
static const char *
stray_hint(char c)
{
	switch (c) {
	case '$':
		return "a reference such as ${host} is expanded only inside "
		    "a double-quoted string";
	case '\'':
		return "strings are written in double quotes";
	case ';':
		return "a statement ends at the end of its line";
	case '[':
	case ']':
		return "list items are written one after another, separated "
		    "by blanks";
	case '\\':
		return "escapes work only inside double-quoted strings";
	default:
		return (unsigned char)c >= 0x80 ? "text with characters "
		    "outside ASCII goes in double quotes" : NULL;
	}
}

void
lex_stray(struct parse_ctx *ctx, const char *text, size_t n,
    const struct model_pos *pos)
{
	unsigned char c = (unsigned char)text[0];
	const char *hint;

	if (n == 1 && (c < 0x20 || c >= 0x7F))
		diag_error(ctx->diag, pos, "stray byte 0x%02x in input", c);
	else
		diag_error(ctx->diag, pos, "stray '%.*s' in input", (int)n,
		    text);
	if ((hint = stray_hint(text[0])) != NULL)
		diag_hint(ctx->diag, "%s", hint);
}

void
railerror(struct model_pos *pos, yyscan_t scanner, struct parse_ctx *ctx,
    const char *msg)
{
	(void)scanner;
	/* bison's stack holds 10000 symbols: only deep nesting fills it */
	if (strcmp(msg, "memory exhausted") == 0) {
		diag_error(ctx->diag, pos, "blocks nest too deeply");
		return;
	}
	diag_error(ctx->diag, pos, "%s", msg);
	if (ctx->at_eof && ctx->nbraces > 0)
		diag_note(ctx->diag, &ctx->braces[ctx->nbraces - 1],
		    "this '{' is not closed");
	/* bison names the unexpected token; these two cases are common */
	if (strstr(msg, "unexpected '}'") == NULL)
		return;
	if (ctx->closed.line == 0)
		diag_hint(ctx->diag, "no block is open here");
	else if (ctx->closed.line == pos->line)
		diag_hint(ctx->diag, "each statement of a block goes on a line "
		    "of its own, and so does the closing '}'");
}

void
parse_pos_merge(struct model_pos *cur, const struct model_pos *first,
    const struct model_pos *last)
{
	*cur = ast_pos_span(first, last);
}
