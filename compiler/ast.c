/* ast.c: constructors the grammar actions call to build the syntax tree. */
#include "ast.h"

struct ast_value *
ast_value_new(struct arena *a, enum ast_kind kind, const char *text,
    const char *raw, const struct model_pos *pos)
{
	struct ast_value *v;

	v = arena_alloc(a, sizeof(*v));
	v->kind = kind;
	v->text = text;
	v->raw = raw;
	v->pos = *pos;
	return v;
}

void
ast_value_add_arg(struct arena *a, struct ast_value *call,
    struct ast_value *arg)
{
	call->args = arena_grow(a, call->args, &call->cap, call->nargs,
	    sizeof(*call->args));
	call->args[call->nargs++] = arg;
}

struct ast_stmt *
ast_stmt_new(struct arena *a, struct ast_value *key)
{
	struct ast_stmt *s;

	s = arena_alloc(a, sizeof(*s));
	s->key = key;
	return s;
}

void
ast_stmt_add_arg(struct arena *a, struct ast_stmt *s, struct ast_value *arg)
{
	s->args = arena_grow(a, s->args, &s->cap, s->nargs, sizeof(*s->args));
	s->args[s->nargs++] = arg;
}

void
ast_stmt_set_value(struct ast_stmt *s, struct ast_value *v,
    const struct model_pos *eq)
{
	s->value = v;
	s->eq_pos = *eq;
}

void
ast_stmt_set_block(struct ast_stmt *s, struct ast_list *body,
    const struct model_pos *open, const struct model_pos *close)
{
	s->block = true;
	s->body = body->head;
	s->open_pos = *open;
	s->close_pos = *close;
}

void
ast_file_add_comment(struct arena *a, struct ast_file *f, const char *text,
    size_t n, const struct model_pos *pos)
{
	struct ast_comment *c;

	while (n > 1 && (text[n - 1] == ' ' || text[n - 1] == '\t' ||
	    text[n - 1] == '\r'))
		n--;
	f->comments = arena_grow(a, f->comments, &f->cap, f->ncomments,
	    sizeof(*f->comments));
	c = &f->comments[f->ncomments++];
	c->pos = *pos;
	c->text = arena_strndup(a, text, n);
	c->len = n;
}

struct ast_list *
ast_list_new(struct arena *a)
{
	return arena_alloc(a, sizeof(struct ast_list));
}

void
ast_list_add(struct ast_list *l, struct ast_stmt *s)
{
	if (s == NULL)
		return;
	if (l->tail == NULL)
		l->head = s;
	else
		l->tail->next = s;
	l->tail = s;
}

struct model_pos
ast_pos_span(const struct model_pos *a, const struct model_pos *b)
{
	struct model_pos p = *a;

	if (b->line == a->line && b->col >= a->col)
		p.len = b->col + b->len - a->col;
	return p;
}

struct model_pos
ast_stmt_pos(const struct ast_stmt *s)
{
	if (s->nargs == 0)
		return s->key->pos;
	return ast_pos_span(&s->key->pos, &s->args[s->nargs - 1]->pos);
}
