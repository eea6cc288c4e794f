/* fmt.c: lays a parsed .rail file out in its canonical form, comments kept. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fmt.h"
#include "parse.h"

/*
 * The tree is first flattened into the lines of the output, "items": a
 * statement (with its '{' when it opens a block), the '}' closing a
 * block, or a comment on a line of its own.  Comments are merged in by
 * source line.  A comment on a line that also holds a token ends the
 * output line that token lands on; any other comment gets a line of its
 * own, indented as the statements of the block it sits in.  An item is
 * preceded by a blank line when the source has one or more blank lines
 * before it, except just after a '{' and just before a '}'.
 *
 * Then runs of statements are aligned, each line is rendered, and the
 * end-of-line comments of adjacent lines are put in one column.  Every
 * choice depends only on the tokens and on where blank lines are, which
 * the output keeps: so formatting the output again changes nothing.
 */

#define TABSTOP		8
#define COMMENT_GAP	2	/* spaces before an end-of-line comment */

enum item_kind {
	ITEM_STMT,		/* a statement; a block's head with its '{' */
	ITEM_CLOSE,		/* the '}' of a block */
	ITEM_COMMENT		/* a comment on a line of its own */
};

struct item {
	enum item_kind		 kind;
	int			 depth;		/* block level */
	int			 line;		/* in the source */
	bool			 blank;		/* a blank line before it */
	const struct ast_stmt	*stmt;		/* ITEM_STMT */
	const struct ast_comment *comment;	/* its own, or at the end */
	int			*argcol;	/* where each argument
						   starts; 0: one blank on */
	int			 eqcol;		/* where '=' goes, or 0 */
	size_t			 off, len;	/* rendered, in the text */
	int			 endcol;
	int			 commentcol;
};

struct layout {
	const struct ast_file	*file;
	struct item		*items;
	size_t			 nitems, cap;
	size_t			 ncomments;	/* merged so far */
	struct buf		 text;		/* the rendered lines */
};

static struct item *
item_add(struct layout *l, enum item_kind kind, int depth, int line)
{
	struct item *it;

	if (l->nitems == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	it = &l->items[l->nitems++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->depth = depth;
	it->line = line;
	return it;
}

static void
stmt_add(struct layout *l, const struct ast_stmt *s, int depth)
{
	struct item *it;

	it = item_add(l, ITEM_STMT, depth, s->key->pos.line);
	it->stmt = s;
	it->argcol = xcalloc(s->nargs + 1, sizeof(*it->argcol));
}

/* Merges the comments that come before source line `before`. */
static void
comments_merge(struct layout *l, int before, int depth)
{
	const struct ast_comment *c;
	struct item *last;

	while (l->ncomments < l->file->ncomments &&
	    l->file->comments[l->ncomments].pos.line < before) {
		c = &l->file->comments[l->ncomments++];
		last = l->nitems > 0 ? &l->items[l->nitems - 1] : NULL;
		/* a comment always ends its line: the token came before it */
		if (last != NULL && last->line == c->pos.line)
			last->comment = c;
		else
			item_add(l, ITEM_COMMENT, depth, c->pos.line)->comment =
			    c;
	}
}

static void
flatten(struct layout *l, const struct ast_stmt *s, int depth)
{
	for (; s != NULL; s = s->next) {
		comments_merge(l, s->key->pos.line, depth);
		stmt_add(l, s, depth);
		if (!s->block)
			continue;
		flatten(l, s->body, depth + 1);
		comments_merge(l, s->close_pos.line, depth + 1);
		item_add(l, ITEM_CLOSE, depth, s->close_pos.line);
	}
}

static bool
opens_block(const struct item *it)
{
	return it->kind == ITEM_STMT && it->stmt->block;
}

static void
blanks_mark(struct layout *l)
{
	struct item *it, *prev;
	size_t i;

	for (i = 1; i < l->nitems; i++) {
		it = &l->items[i];
		prev = &l->items[i - 1];
		it->blank = it->line - prev->line > 1 && !opens_block(prev) &&
		    it->kind != ITEM_CLOSE;
	}
}

static void
layout_build(struct layout *l, const struct ast_file *file)
{
	memset(l, 0, sizeof(*l));
	l->file = file;
	flatten(l, file->body, 0);
	comments_merge(l, INT_MAX, 0);
	blanks_mark(l);
}

static void
layout_free(struct layout *l)
{
	size_t i;

	for (i = 0; i < l->nitems; i++)
		free(l->items[i].argcol);
	free(l->items);
	buf_free(&l->text);
}

/* Rendering of one line, column by column. */

/* Whether text can be written as a word, which the lexer reads back. */
static bool
is_word(const char *s)
{
	static const char extra[] = "_./:@%+~*-";

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr(extra, *s) != NULL))
			return false;
	return true;
}

/* The text as a string: the lexer's three escapes are the only ones. */
static void
quote(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		if (*s == '\n')
			buf_adds(b, "\\n");
		else
			buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

static void
word_or_string(struct buf *b, const char *s)
{
	if (is_word(s))
		buf_adds(b, s);
	else
		quote(b, s);
}

/* A value after '=': a call, or else always a string. */
static void
value_put(struct buf *b, const struct ast_value *v)
{
	size_t i;

	if (v->kind != AST_CALL) {
		quote(b, v->text);
		return;
	}
	buf_adds(b, v->text);
	buf_addc(b, '(');
	for (i = 0; i < v->nargs; i++) {
		if (i > 0)
			buf_adds(b, ", ");
		word_or_string(b, v->args[i]->text);
	}
	buf_addc(b, ')');
}

/* Appends what b2 holds to b at display column col; the new column. */
static int
put(struct buf *b, int col, const struct buf *b2)
{
	buf_add(b, b2->data, b2->len);
	return col + diag_width(b2->data, b2->len, col);
}

/* One blank at least, then more up to column target. */
static int
pad(struct buf *b, int col, int target)
{
	do {
		buf_addc(b, ' ');
		col++;
	} while (col < target);
	return col;
}

static int
indent(struct buf *b, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		buf_addc(b, '\t');
	return 1 + TABSTOP * depth;
}

/* The key and arguments of its statement, from column col. */
static int
head_put(struct buf *b, const struct item *it, int col)
{
	const struct ast_stmt *s = it->stmt;
	struct buf cell = BUF_INIT;
	size_t i;

	buf_adds(&cell, s->key->text);
	col = put(b, col, &cell);
	for (i = 0; i < s->nargs; i++) {
		col = pad(b, col, it->argcol[i]);
		buf_reset(&cell);
		word_or_string(&cell, s->args[i]->text);
		col = put(b, col, &cell);
	}
	buf_free(&cell);
	return col;
}

static int
stmt_put(struct buf *b, const struct item *it, int col)
{
	const struct ast_stmt *s = it->stmt;
	struct buf cell = BUF_INIT;

	col = head_put(b, it, col);
	if (s->value != NULL) {
		col = pad(b, col, it->eqcol);
		buf_adds(&cell, "= ");
		value_put(&cell, s->value);
		col = put(b, col, &cell);
	} else if (s->block) {
		buf_adds(&cell, " {");
		col = put(b, col, &cell);
	}
	buf_free(&cell);
	return col;
}

/* Where a line that starts at col would end, given its targets. */
static int
head_end(const struct item *it, int col)
{
	struct buf scratch = BUF_INIT;

	col = head_put(&scratch, it, col);
	buf_free(&scratch);
	return col;
}

static int
arg_end(const struct item *it, size_t i)
{
	struct buf cell = BUF_INIT;
	int col;

	word_or_string(&cell, it->stmt->args[i]->text);
	col = it->argcol[i] + diag_width(cell.data, cell.len, it->argcol[i]);
	buf_free(&cell);
	return col;
}

/* Alignment. */

/* Whether argument i is one word in every statement that has one. */
static bool
same_word(struct item **g, size_t n, size_t i)
{
	const char *w = NULL;
	size_t k;

	for (k = 0; k < n; k++) {
		if (g[k]->stmt->nargs <= i)
			continue;
		if (w != NULL && strcmp(w, g[k]->stmt->args[i]->text) != 0)
			return false;
		w = g[k]->stmt->args[i]->text;
	}
	return true;
}

/*
 * A group: statements of one key that follow each other in a run without
 * '='.  Their second arguments line up (probe KIND TYPE, reserve KIND
 * NAME, smoke PATH status), and so does any later argument that is the
 * same word in each statement that has it (reserve's "owner"); lists,
 * whose items differ, are left alone.  An argument lines up one column
 * after the widest argument before it.
 */
static void
group_align(struct item **g, size_t n)
{
	size_t i, k, most = 0;
	bool line_up;
	int t, end;

	for (k = 0; k < n; k++)
		if (g[k]->stmt->nargs > most)
			most = g[k]->stmt->nargs;
	for (i = 1; i < most; i++) {
		line_up = i == 1 || same_word(g, n, i);
		t = 0;
		for (k = 0; k < n; k++)
			if (g[k]->stmt->nargs > i &&
			    (end = arg_end(g[k], i - 1) + 1) > t)
				t = end;
		for (k = 0; k < n; k++)
			if (g[k]->stmt->nargs > i)
				g[k]->argcol[i] = line_up ? t :
				    arg_end(g[k], i - 1) + 1;
	}
}

/* The '=' signs of a run of assignments line up. */
static void
equals_align(struct item **run, size_t n)
{
	int c0 = 1 + TABSTOP * run[0]->depth, t = 0, end;
	size_t k;

	for (k = 0; k < n; k++)
		if ((end = head_end(run[k], c0) + 1) > t)
			t = end;
	for (k = 0; k < n; k++)
		run[k]->eqcol = t;
}

/* Keys to one width; then the groups, or the '=' signs. */
static void
run_align(struct item **run, size_t n)
{
	const struct ast_stmt *s;
	int c0 = 1 + TABSTOP * run[0]->depth, t = 0, end;
	size_t k, g;

	for (k = 0; k < n; k++) {
		s = run[k]->stmt;
		end = c0 + (int)strlen(s->key->text) + 1;
		if (s->nargs > 0 && end > t)
			t = end;
	}
	for (k = 0; k < n; k++)
		run[k]->argcol[0] = t;

	if (run[0]->stmt->value != NULL) {
		equals_align(run, n);
		return;
	}
	for (k = 0; k < n; k = g) {
		for (g = k + 1; g < n && strcmp(run[k]->stmt->key->text,
		    run[g]->stmt->key->text) == 0; g++)
			continue;
		group_align(run + k, g - k);
	}
}

static bool
assigns(const struct item *it)
{
	return it->kind == ITEM_STMT && it->stmt->value != NULL;
}

/*
 * A run: statements of one block and one shape (all with '=', or all
 * without), none opening a block, with no blank line between them;
 * comments on lines of their own may come between.
 */
static void
runs_align(struct layout *l)
{
	struct item **run, *it;
	size_t i, n = 0;

	run = xcalloc(l->nitems + 1, sizeof(*run));
	for (i = 0; i <= l->nitems; i++) {
		it = i < l->nitems ? &l->items[i] : NULL;
		if (n > 0 && (it == NULL || it->blank ||
		    it->kind == ITEM_CLOSE || opens_block(it) ||
		    (it->kind == ITEM_STMT &&
		    assigns(it) != assigns(run[n - 1])))) {
			run_align(run, n);
			n = 0;
		}
		if (it != NULL && it->kind == ITEM_STMT && !it->stmt->block)
			run[n++] = it;
	}
	free(run);
}

/* Rendering. */

static void
lines_render(struct layout *l)
{
	struct item *it;
	size_t i;
	int col;

	for (i = 0; i < l->nitems; i++) {
		it = &l->items[i];
		it->off = l->text.len;
		col = indent(&l->text, it->depth);
		if (it->kind == ITEM_STMT)
			col = stmt_put(&l->text, it, col);
		else if (it->kind == ITEM_CLOSE) {
			buf_addc(&l->text, '}');
			col++;
		} else {
			buf_add(&l->text, it->comment->text, it->comment->len);
			col += diag_width(it->comment->text,
			    it->comment->len, col);
		}
		it->len = l->text.len - it->off;
		it->endcol = col;
	}
}

static bool
has_end_comment(const struct item *it)
{
	return it->kind != ITEM_COMMENT && it->comment != NULL;
}

/* End-of-line comments of adjacent lines start in one column. */
static void
comments_align(struct layout *l)
{
	size_t i, j, k;
	int t;

	for (i = 0; i < l->nitems; i = j) {
		if (!has_end_comment(&l->items[i])) {
			j = i + 1;
			continue;
		}
		t = l->items[i].endcol;
		for (j = i + 1; j < l->nitems && !l->items[j].blank &&
		    has_end_comment(&l->items[j]); j++)
			if (l->items[j].endcol > t)
				t = l->items[j].endcol;
		for (k = i; k < j; k++)
			l->items[k].commentcol = t + COMMENT_GAP;
	}
}

static void
layout_write(const struct layout *l, struct buf *out)
{
	const struct item *it;
	size_t i;
	int col;

	for (i = 0; i < l->nitems; i++) {
		it = &l->items[i];
		if (it->blank)
			buf_addc(out, '\n');
		buf_add(out, l->text.data + it->off, it->len);
		if (has_end_comment(it)) {
			for (col = it->endcol; col < it->commentcol; col++)
				buf_addc(out, ' ');
			buf_add(out, it->comment->text, it->comment->len);
		}
		buf_addc(out, '\n');
	}
}

void
fmt_file(const struct ast_file *file, struct buf *out)
{
	struct layout l;

	layout_build(&l, file);
	runs_align(&l);
	lines_render(&l);
	comments_align(&l);
	layout_write(&l, out);
	layout_free(&l);
}

/* Comparison, for the check that formatting kept the meaning. */

static bool
value_same(const struct ast_value *a, const struct ast_value *b)
{
	size_t i;

	if (a == NULL || b == NULL)
		return a == b;
	if ((a->kind == AST_CALL) != (b->kind == AST_CALL) ||
	    strcmp(a->text, b->text) != 0 || a->nargs != b->nargs)
		return false;
	for (i = 0; i < a->nargs; i++)
		if (!value_same(a->args[i], b->args[i]))
			return false;
	return true;
}

static bool
comment_same(const struct ast_comment *a, const struct ast_comment *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* Statements compare without their blocks: those are items of their own. */
static bool
stmt_same(const struct ast_stmt *a, const struct ast_stmt *b)
{
	size_t i;

	if (a == NULL || b == NULL)
		return a == b;
	if (!value_same(a->key, b->key) || a->nargs != b->nargs ||
	    !value_same(a->value, b->value) || a->block != b->block)
		return false;
	for (i = 0; i < a->nargs; i++)
		if (!value_same(a->args[i], b->args[i]))
			return false;
	return true;
}

static bool
item_same(const struct item *a, const struct item *b)
{
	return a->kind == b->kind && a->depth == b->depth &&
	    a->blank == b->blank && stmt_same(a->stmt, b->stmt) &&
	    comment_same(a->comment, b->comment);
}

bool
fmt_same(const struct ast_file *a, const struct ast_file *b)
{
	struct layout la, lb;
	bool same;
	size_t i;

	layout_build(&la, a);
	layout_build(&lb, b);
	same = la.nitems == lb.nitems &&
	    a->ncomments == b->ncomments;
	for (i = 0; same && i < la.nitems; i++)
		same = item_same(&la.items[i], &lb.items[i]);
	layout_free(&la);
	layout_free(&lb);
	return same;
}

/*
 * Reads the canonical text back with a diag of its own, whose output
 * nobody sees: only "does it parse, and to the same program" matters.
 * Returns 1 when it does, 0 when not, -1 (reported) when memory for the
 * diag's stream runs out.
 */
static int
reads_back(struct arena *a, struct diag *d, const struct ast_file *orig,
    const struct buf *out)
{
	struct ast_file *again;
	struct diag *quiet;
	char *sink = NULL;
	size_t sinklen = 0;
	FILE *fp;
	int same;

	if ((fp = open_memstream(&sink, &sinklen)) == NULL) {
		diag_system(d, errno, "cannot check the layout of '%s'",
		    orig->name);
		return -1;
	}
	quiet = diag_new(fp);
	again = parse_file(a, quiet, orig->name, out->data ? out->data : "",
	    out->len);
	same = diag_count(quiet) == 0 && fmt_same(orig, again);
	diag_free(quiet);
	(void)fclose(fp);
	free(sink);
	return same;
}

int
fmt_text(struct diag *d, const char *name, const char *text, size_t len,
    struct buf *out)
{
	struct ast_file *file;
	struct buf b = BUF_INIT;
	struct arena *a;
	int before = diag_count(d), status = 0, same;

	a = arena_new();
	file = parse_file(a, d, name, text, len);
	if (diag_count(d) > before)
		status = -1;
	else {
		fmt_file(file, &b);
		if ((same = reads_back(a, d, file, &b)) == 0) {
			diag_error(d, &(struct model_pos){ name, 0, 0, 0 },
			    "the canonical layout would not read back as the "
			    "same file, so it was left as it is");
			diag_hint(d, "this is a bug in railgen fmt; please "
			    "report it with the file");
		}
		if (same == 1)
			buf_add(out, b.data ? b.data : "", b.len);
		else
			status = -1;
	}
	buf_free(&b);
	arena_free(a);
	return status;
}
