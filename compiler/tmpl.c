/* tmpl.c: parse and expand emitter templates (syntax in tmpl.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "templates.h"
#include "tmpl.h"

/*
 * A template is parsed into a tree of nodes first, so that an unclosed or
 * misnested section is reported before anything is expanded, then the
 * tree is walked once per expansion.  Nodes point into the template text;
 * nothing is copied.
 */

struct tmpl_var {
	char			 *name;
	size_t			  namelen;	/* lookups compare it first */
	char			 *value;	/* NULL when a list */
	struct tmpl_vars	**items;
	size_t			  nitems, cap;
};

struct tmpl_vars {
	const struct tmpl_vars	*parent;
	struct tmpl_var		*vars;
	size_t			 nvars, cap;
};

enum node_kind {
	NODE_TEXT,
	NODE_VAR,
	NODE_IF,			/* @{?name} */
	NODE_UNLESS,			/* @{!name} */
	NODE_EACH			/* @{*name} */
};

struct node {
	enum node_kind	 kind;
	const char	*s;		/* text, or the name */
	size_t		 len;
	const char	*filter;	/* NODE_VAR: after '|', or NULL */
	size_t		 flen;
	size_t		 off;		/* offset of the tag, for messages */
	struct node	*child;		/* sections: the body */
	struct node	*next;
};

struct parser {
	const char	*name;
	const char	*text;
	size_t		 len;
	size_t		 pos;
	struct buf	*err;
};

#define MAXDEPTH	16

struct frame {
	const struct tmpl_vars	*vars;
	size_t			 index, count;
};

struct render {
	const char		*name;
	const char		*text;
	struct buf		*out;
	struct buf		*err;
	const struct tmpl_vars	*root;
	struct frame		 stack[MAXDEPTH];
	int			 depth;
};

/* Scopes. */

struct tmpl_vars *
tmpl_vars_new(const struct tmpl_vars *parent)
{
	struct tmpl_vars *v;

	v = xcalloc(1, sizeof *v);
	v->parent = parent;
	return v;
}

void
tmpl_vars_free(struct tmpl_vars *v)
{
	size_t i, j;

	if (v == NULL)
		return;
	for (i = 0; i < v->nvars; i++) {
		for (j = 0; j < v->vars[i].nitems; j++)
			tmpl_vars_free(v->vars[i].items[j]);
		free(v->vars[i].items);
		free(v->vars[i].name);
		free(v->vars[i].value);
	}
	free(v->vars);
	free(v);
}

static struct tmpl_var *
own_var(const struct tmpl_vars *v, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < v->nvars; i++)
		if (v->vars[i].namelen == len &&
		    memcmp(v->vars[i].name, name, len) == 0)
			return &v->vars[i];
	return NULL;
}

/* The variable name in v itself, created empty when absent. */
static struct tmpl_var *
var_slot(struct tmpl_vars *v, const char *name)
{
	struct tmpl_var *var;

	if ((var = own_var(v, name, strlen(name))) != NULL)
		return var;
	if (v->nvars == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->vars = xrealloc(v->vars, v->cap * sizeof *v->vars);
	}
	var = &v->vars[v->nvars++];
	memset(var, 0, sizeof *var);
	var->name = xstrdup(name);
	var->namelen = strlen(name);
	return var;
}

/* Setting a name that is a list (or the reverse) is a bug in an emitter. */
static void
kind_clash(const char *name)
{
	fprintf(stderr, "railgen: internal error: template variable '%s' "
	    "used both as a value and as a list\n", name);
	abort();
}

void
tmpl_set(struct tmpl_vars *v, const char *name, const char *value)
{
	struct tmpl_var *var;

	var = var_slot(v, name);
	if (var->items != NULL)
		kind_clash(name);
	free(var->value);
	var->value = xstrdup(value);
}

void
tmpl_setf(struct tmpl_vars *v, const char *name, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	tmpl_set(v, name, b.data != NULL ? b.data : "");
	buf_free(&b);
}

void
tmpl_set_bool(struct tmpl_vars *v, const char *name, bool on)
{
	tmpl_set(v, name, on ? "1" : "");
}

void
tmpl_set_list(struct tmpl_vars *v, const char *name)
{
	struct tmpl_var *var;

	var = var_slot(v, name);
	if (var->value != NULL)
		kind_clash(name);
	if (var->items == NULL) {
		var->cap = 4;
		var->items = xcalloc(var->cap, sizeof *var->items);
	}
}

struct tmpl_vars *
tmpl_add_item(struct tmpl_vars *v, const char *list)
{
	struct tmpl_var *var;

	tmpl_set_list(v, list);
	var = own_var(v, list, strlen(list));
	if (var->nitems == var->cap) {
		var->cap *= 2;
		var->items = xrealloc(var->items,
		    var->cap * sizeof *var->items);
	}
	var->items[var->nitems] = tmpl_vars_new(NULL);
	return var->items[var->nitems++];
}

/* Filters. */

/*
 * Double-quoted scalars in YAML accept every JSON escape, so one form
 * serves both.  Besides the C0 controls and DEL, the characters YAML 1.1
 * treats as line breaks (NEL, LS, PS) and the byte order mark are
 * escaped, so no reader folds or drops them.
 */
int
tmpl_quote_dq(struct buf *out, const char *s)
{
	const unsigned char *p;

	buf_addc(out, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			buf_addc(out, '\\');
			buf_addc(out, *p);
		} else if (*p == '\n')
			buf_adds(out, "\\n");
		else if (*p == '\t')
			buf_adds(out, "\\t");
		else if (*p == '\r')
			buf_adds(out, "\\r");
		else if (*p < 0x20 || *p == 0x7f)
			buf_printf(out, "\\u%04x", *p);
		else if (p[0] == 0xc2 && p[1] == 0x85) {
			buf_adds(out, "\\u0085");
			p++;
		} else if (p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0xa8 || p[2] == 0xa9)) {
			buf_printf(out, "\\u%04x", 0x2000 + (p[2] & 0x3f));
			p += 2;
		} else if (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
			buf_adds(out, "\\ufeff");
			p += 2;
		} else
			buf_addc(out, *p);
	}
	buf_addc(out, '"');
	return 0;
}

int
tmpl_quote_sh(struct buf *out, const char *s)
{
	buf_addc(out, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_adds(out, "'\\''");
		else
			buf_addc(out, *s);
	}
	buf_addc(out, '\'');
	return 0;
}

/* make ends a recipe line at a newline whatever the quoting. */
int
tmpl_quote_mk(struct buf *out, const char *s)
{
	struct buf q = BUF_INIT;
	size_t i;

	if (strchr(s, '\n') != NULL)
		return -1;
	tmpl_quote_sh(&q, s);
	for (i = 0; i < q.len; i++) {
		if (q.data[i] == '$')
			buf_addc(out, '$');
		buf_addc(out, q.data[i]);
	}
	buf_free(&q);
	return 0;
}

/*
 * A variable value is read by make, then used inside single quotes in
 * recipes, so quotes, backslashes and newlines cannot be represented.
 */
int
tmpl_quote_mkvar(struct buf *out, const char *s)
{
	if (strpbrk(s, "\n'\\") != NULL)
		return -1;
	if (*s == ' ' || *s == '\t')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s == '$')
			buf_addc(out, '$');
		else if (*s == '#')
			buf_addc(out, '\\');
		buf_addc(out, *s);
	}
	return 0;
}

/*
 * A code span is fenced by one backtick more than the longest run inside
 * it, padded with a space when the content starts or ends with a
 * backtick (CommonMark strips one space on each side).
 */
int
tmpl_quote_code(struct buf *out, const char *s)
{
	size_t run, longest, i, n;
	int pad;

	if (strpbrk(s, "\r\n") != NULL)	/* both end a line in CommonMark */
		return -1;
	run = longest = 0;
	for (i = 0; s[i] != '\0'; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	n = strlen(s);
	pad = n > 0 && (s[0] == '`' || s[n - 1] == '`' ||
	    (s[0] == ' ' && s[n - 1] == ' '));
	for (i = 0; i <= longest; i++)
		buf_addc(out, '`');
	if (pad)
		buf_addc(out, ' ');
	buf_adds(out, s);
	if (pad)
		buf_addc(out, ' ');
	for (i = 0; i <= longest; i++)
		buf_addc(out, '`');
	return 0;
}

static const struct {
	const char	*name;
	int		(*fn)(struct buf *, const char *);
} filters[] = {
	{ "q", tmpl_quote_dq },
	{ "sh", tmpl_quote_sh },
	{ "mk", tmpl_quote_mk },
	{ "mkvar", tmpl_quote_mkvar },
	{ "code", tmpl_quote_code },
};

static int
find_filter(const char *f, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof filters / sizeof filters[0]; i++)
		if (strlen(filters[i].name) == len &&
		    memcmp(filters[i].name, f, len) == 0)
			return (int)i;
	return -1;
}

int
tmpl_quote(struct buf *out, const char *filter, const char *s)
{
	int f = find_filter(filter, strlen(filter));

	return f < 0 ? -2 : filters[f].fn(out, s);
}

/* Parsing. */

static int
line_of(const char *text, size_t off)
{
	size_t i;
	int line;

	line = 1;
	for (i = 0; i < off; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

static int
perr(struct parser *p, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
perr(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;

	buf_printf(p->err, "template %s:%d: ", p->name,
	    line_of(p->text, off));
	va_start(ap, fmt);
	buf_vprintf(p->err, fmt, ap);
	va_end(ap);
	buf_addc(p->err, '\n');
	return -1;
}

static void
nodes_free(struct node *n)
{
	struct node *next;

	for (; n != NULL; n = next) {
		next = n->next;
		nodes_free(n->child);
		free(n);
	}
}

static struct node *
node_add(struct node ***tail, enum node_kind kind, const char *s,
    size_t len, size_t off)
{
	struct node *n;

	n = xcalloc(1, sizeof *n);
	n->kind = kind;
	n->s = s;
	n->len = len;
	n->off = off;
	**tail = n;
	*tail = &n->next;
	return n;
}

static int
is_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* A tag as written: "@{" [sigil] name ["|" filter] "}". */
struct tag {
	int		 sigil;		/* 0, '?', '!', '*' or '/' */
	const char	*name;
	size_t		 len;
	const char	*filter;	/* NULL when there is none */
	size_t		 flen;
	size_t		 start, end;	/* offsets of "@" and after "}" */
};

/* Reads the tag at p->pos into t and leaves p->pos after it. */
static int
read_tag(struct parser *p, struct tag *t)
{
	const char *s;
	size_t i;

	memset(t, 0, sizeof *t);
	t->start = p->pos;
	s = p->text;
	i = p->pos + 2;
	if (i < p->len && strchr("?!*/", s[i]) != NULL && s[i] != '\0')
		t->sigil = s[i++];
	t->name = s + i;
	while (i < p->len && is_name_char((unsigned char)s[i]))
		i++;
	t->len = (size_t)(s + i - t->name);
	if (i < p->len && s[i] == '|' && t->sigil == 0) {
		t->filter = s + ++i;
		while (i < p->len && is_name_char((unsigned char)s[i]))
			i++;
		t->flen = (size_t)(s + i - t->filter);
		if (find_filter(t->filter, t->flen) < 0)
			return perr(p, t->start, "unknown filter '%.*s'",
			    (int)t->flen, t->filter);
	}
	if (t->len == 0 || i >= p->len || s[i] != '}')
		return perr(p, t->start, "malformed tag (want @{name}, "
		    "@{name|filter}, @{?name}, @{!name}, @{*name} or "
		    "@{/name})");
	t->end = p->pos = i + 1;
	return 0;
}

/*
 * A section tag alone on its line swallows the line: returns where the
 * line starts (so the text before it can be cut there) and moves pos
 * past the newline.  Returns (size_t)-1 when the tag is not alone.
 */
static size_t
standalone(struct parser *p, const struct tag *t)
{
	size_t ls, k;

	ls = t->start;
	while (ls > 0 && p->text[ls - 1] != '\n') {
		if (p->text[ls - 1] != ' ' && p->text[ls - 1] != '\t')
			return (size_t)-1;
		ls--;
	}
	k = t->end;
	while (k < p->len && (p->text[k] == ' ' || p->text[k] == '\t'))
		k++;
	if (k < p->len && p->text[k] != '\n')
		return (size_t)-1;
	p->pos = k < p->len ? k + 1 : k;
	return ls;
}

static int	parse_body(struct parser *, struct node **, const struct tag *);

/* Appends the section opened by t, body included, to *tail. */
static int
parse_section(struct parser *p, struct node ***tail, const struct tag *t)
{
	struct node *n;
	enum node_kind kind;

	kind = t->sigil == '?' ? NODE_IF :
	    t->sigil == '!' ? NODE_UNLESS : NODE_EACH;
	n = node_add(tail, kind, t->name, t->len, t->start);
	return parse_body(p, &n->child, t);
}

/* The template text [from, to) becomes a text node, unless empty. */
static void
flush_text(struct parser *p, struct node ***tail, size_t from, size_t to)
{
	if (to > from)
		node_add(tail, NODE_TEXT, p->text + from, to - from, from);
}

/*
 * Parses until the close tag of open (or the end of the text when open
 * is NULL) into *head.
 */
static int
parse_body(struct parser *p, struct node **head, const struct tag *open)
{
	struct node **tail;
	struct tag t;
	size_t run, cut;
	struct node *n;
	const char *at;

	tail = head;
	run = p->pos;
	while (p->pos < p->len) {
		/* Text runs to the next '@', which memchr finds fast. */
		at = memchr(p->text + p->pos, '@', p->len - p->pos);
		if (at == NULL) {
			p->pos = p->len;
			break;
		}
		p->pos = (size_t)(at - p->text);
		if (p->pos + 2 < p->len && p->text[p->pos + 1] == '@' &&
		    p->text[p->pos + 2] == '{') {
			flush_text(p, &tail, run, p->pos + 1);
			p->pos += 2;
			run = p->pos;
			continue;
		}
		if (p->pos + 1 >= p->len || p->text[p->pos + 1] != '{') {
			p->pos++;
			continue;
		}
		if (read_tag(p, &t) < 0)
			return -1;
		cut = t.start;
		if (t.sigil != 0 && (cut = standalone(p, &t)) == (size_t)-1)
			cut = t.start;
		flush_text(p, &tail, run, cut);
		if (t.sigil == 0) {
			n = node_add(&tail, NODE_VAR, t.name, t.len, t.start);
			n->filter = t.filter;
			n->flen = t.flen;
		} else if (t.sigil == '/') {
			if (open == NULL || open->len != t.len ||
			    memcmp(open->name, t.name, t.len) != 0)
				return perr(p, t.start, "'@{/%.*s}' closes "
				    "no open section", (int)t.len, t.name);
			return 0;
		} else if (parse_section(p, &tail, &t) < 0)
			return -1;
		run = p->pos;
	}
	flush_text(p, &tail, run, p->pos);
	if (open != NULL)
		return perr(p, open->start, "section '%.*s' is not closed",
		    (int)open->len, open->name);
	return 0;
}

/* Rendering. */

static int
rerr(struct render *r, const struct node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
rerr(struct render *r, const struct node *n, const char *fmt, ...)
{
	va_list ap;

	buf_printf(r->err, "template %s:%d: ", r->name,
	    line_of(r->text, n->off));
	va_start(ap, fmt);
	buf_vprintf(r->err, fmt, ap);
	va_end(ap);
	buf_addc(r->err, '\n');
	return -1;
}

/* Loop variables of the innermost loop, written into tmp. */
static const char *
loop_var(const struct render *r, const char *name, size_t len, char *tmp,
    size_t tmpsize)
{
	const struct frame *f;

	if (r->depth == 0)
		return NULL;
	f = &r->stack[r->depth - 1];
	if (len == 6 && memcmp(name, "_index", 6) == 0) {
		snprintf(tmp, tmpsize, "%zu", f->index + 1);
		return tmp;
	}
	if (len == 6 && memcmp(name, "_first", 6) == 0)
		return f->index == 0 ? "1" : "";
	if (len == 5 && memcmp(name, "_last", 5) == 0)
		return f->index + 1 == f->count ? "1" : "";
	return NULL;
}

static const struct tmpl_var *
lookup(const struct render *r, const char *name, size_t len)
{
	const struct tmpl_vars *v;
	const struct tmpl_var *var;
	int d;

	for (d = r->depth - 1; d >= 0; d--)
		if ((var = own_var(r->stack[d].vars, name, len)) != NULL)
			return var;
	for (v = r->root; v != NULL; v = v->parent)
		if ((var = own_var(v, name, len)) != NULL)
			return var;
	return NULL;
}

static int	render_nodes(struct render *, const struct node *);

static int
render_var(struct render *r, const struct node *n)
{
	const struct tmpl_var *var;
	const char *value;
	char tmp[32];
	int f;

	if ((value = loop_var(r, n->s, n->len, tmp, sizeof tmp)) == NULL) {
		if ((var = lookup(r, n->s, n->len)) == NULL)
			return rerr(r, n, "undefined variable '%.*s'",
			    (int)n->len, n->s);
		if ((value = var->value) == NULL)
			return rerr(r, n, "'%.*s' is a list, not a value",
			    (int)n->len, n->s);
	}
	if (n->filter == NULL) {
		buf_adds(r->out, value);
		return 0;
	}
	f = find_filter(n->filter, n->flen);
	if (filters[f].fn(r->out, value) < 0)
		return rerr(r, n, "the value of '%.*s' cannot be written "
		    "with filter '%s'", (int)n->len, n->s, filters[f].name);
	return 0;
}

static int
truthy(struct render *r, const struct node *n, int *on)
{
	const struct tmpl_var *var;
	const char *value;
	char tmp[32];

	if ((value = loop_var(r, n->s, n->len, tmp, sizeof tmp)) != NULL) {
		*on = *value != '\0';
		return 0;
	}
	if ((var = lookup(r, n->s, n->len)) == NULL)
		return rerr(r, n, "undefined variable '%.*s'", (int)n->len,
		    n->s);
	*on = var->value != NULL ? *var->value != '\0' : var->nitems > 0;
	return 0;
}

static int
render_each(struct render *r, const struct node *n)
{
	const struct tmpl_var *var;
	size_t i;

	if ((var = lookup(r, n->s, n->len)) == NULL)
		return rerr(r, n, "undefined list '%.*s'", (int)n->len, n->s);
	if (var->value != NULL)
		return rerr(r, n, "'%.*s' is a value, not a list",
		    (int)n->len, n->s);
	if (r->depth == MAXDEPTH)
		return rerr(r, n, "loops nested deeper than %d", MAXDEPTH);
	for (i = 0; i < var->nitems; i++) {
		r->stack[r->depth].vars = var->items[i];
		r->stack[r->depth].index = i;
		r->stack[r->depth].count = var->nitems;
		r->depth++;
		if (render_nodes(r, n->child) < 0)
			return -1;
		r->depth--;
	}
	return 0;
}

static int
render_nodes(struct render *r, const struct node *n)
{
	int on = 0;

	for (; n != NULL; n = n->next) {
		switch (n->kind) {
		case NODE_TEXT:
			buf_add(r->out, n->s, n->len);
			break;
		case NODE_VAR:
			if (render_var(r, n) < 0)
				return -1;
			break;
		case NODE_IF:
		case NODE_UNLESS:
			if (truthy(r, n, &on) < 0)
				return -1;
			if (on == (n->kind == NODE_IF) &&
			    render_nodes(r, n->child) < 0)
				return -1;
			break;
		case NODE_EACH:
			if (render_each(r, n) < 0)
				return -1;
			break;
		}
	}
	return 0;
}

static struct node *
parse_tree(const char *name, const char *text, size_t len, struct buf *err)
{
	struct parser p;
	struct node *tree;

	memset(&p, 0, sizeof p);
	p.name = name;
	p.text = text;
	p.len = len;
	p.err = err;
	tree = NULL;
	if (parse_body(&p, &tree, NULL) < 0) {
		nodes_free(tree);
		return NULL;
	}
	/* An empty template parses to no nodes: one empty text stands in. */
	if (tree == NULL) {
		tree = xcalloc(1, sizeof *tree);
		tree->kind = NODE_TEXT;
		tree->s = "";
	}
	return tree;
}

static int
render_tree(struct buf *out, const char *name, const char *text,
    const struct node *tree, const struct tmpl_vars *vars, struct buf *err)
{
	struct render r;

	memset(&r, 0, sizeof r);
	r.name = name;
	r.text = text;
	r.out = out;
	r.err = err;
	r.root = vars;
	buf_add(out, "", 0);
	return render_nodes(&r, tree);
}

int
tmpl_expand(struct buf *out, const char *name, const char *text, size_t len,
    const struct tmpl_vars *vars, struct buf *err)
{
	struct node *tree;
	int rc;

	if ((tree = parse_tree(name, text, len, err)) == NULL)
		return -1;
	rc = render_tree(out, name, text, tree, vars, err);
	nodes_free(tree);
	return rc;
}

/*
 * Each embedded template is parsed the first time it is rendered and
 * kept for the rest of the run: a fleet renders the same few dozen
 * templates for every app, and parsing them each time cost as much as
 * rendering.  The trees point into the embedded text, which lives as
 * long as the program.
 */
static struct node	**parsed;

int
tmpl_render(struct buf *out, const char *name, const struct tmpl_vars *vars,
    struct buf *err)
{
	const struct template_file *t;
	size_t i, n;

	for (t = templates; t->name != NULL; t++)
		if (strcmp(t->name, name) == 0)
			break;
	if (t->name == NULL) {
		buf_printf(err, "template %s: no such template\n", name);
		return -1;
	}
	i = (size_t)(t - templates);
	if (parsed == NULL) {
		for (n = 0; templates[n].name != NULL; n++)
			continue;
		parsed = xcalloc(n, sizeof *parsed);
	}
	if (parsed[i] == NULL &&
	    (parsed[i] = parse_tree(name, t->text, t->len, err)) == NULL)
		return -1;
	return render_tree(out, name, t->text, parsed[i], vars, err);
}
