/* yaml_emit.c: writes node trees byte for byte as sops 3.13 (go-yaml v3). */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "yamltree.h"
#include "yaml_impl.h"

/*
 * Design note.  sops turns its tree into go-yaml nodes and lets go-yaml's
 * emitter, a port of libyaml's, write them.  That emitter is an event
 * state machine whose output depends on a handful of state variables:
 * the column, whether the line holds only indentation, whether the last
 * thing written was whitespace, the indentation stack, and comments that
 * wait for the place where they are printed.  This file keeps the same
 * variables and updates them at the same moments, but walks the tree
 * recursively instead of queueing events:
 *
 *   emit_document  root: head comments, the node, then the document end
 *   emit_map_body  block mapping entries (key, ':', value) and its end
 *   emit_seq_body  block sequence items ("- ") and its end
 *   emit_flow_end  "{}" and "[]" (empty collections are always flow)
 *   emit_scalar    style choice, tag, the scalar writers
 *
 * Comments follow sops's placement: the comments before a mapping's first
 * key are the mapping's head comment, those before another key that key's
 * head comment, inline ones the value's line comment, and trailing ones a
 * foot comment of the last key, which go-yaml prints when the mapping
 * ends.  Sequences work the same way with their items.
 */

enum ctx {
	CTX_ROOT,
	CTX_SEQ,		/* a sequence item */
	CTX_KEY,		/* a simple key */
	CTX_COMPLEX_KEY,	/* a key after "? " */
	CTX_VALUE		/* a mapping value */
};

enum style {
	ST_PLAIN,
	ST_SINGLE,
	ST_DOUBLE,
	ST_LITERAL
};

/* A comment waiting to be printed: "#a\n#b" (not owned). */
struct cstr {
	const char	*s;
	size_t		 len;
};

struct em {
	struct buf	*out;
	int		 best;		/* the indentation step */
	int		 indent;
	int		*indents;
	size_t		 nindents, capindents;
	int		 column;
	int		 whitespace;	/* the last character was a blank */
	int		 indention;	/* the line holds only indentation */
	int		 foot_indent;	/* a foot comment ended here */
	int		 flow_level;
	struct cstr	 head, line, foot, tail, key_line;
	char		**pool;		/* comment strings, freed at the end */
	size_t		 npool, cappool;
};

/* A scalar ready to write. */
struct scalar {
	struct buf	 text;		/* the value as written */
	const char	*tag;		/* suffix after "!!", or NULL */
	enum style	 style;
	int		 multiline;
	int		 plain_ok;	/* block context */
	int		 single_ok;
	int		 block_ok;	/* literal */
};

/* The comments go-yaml attaches to one node. */
struct ncom {
	const char	*head, *line, *foot;
};

/* ---- output primitives ------------------------------------------------ */

static void
put(struct em *e, int c)
{
	buf_addc(e->out, c);
	e->column++;
}

static void
put_break(struct em *e)
{
	buf_addc(e->out, '\n');
	e->column = 0;
	e->indention = 1;
}

static size_t
width(unsigned char c)
{
	if ((c & 0x80) == 0)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0)
		return 4;
	return 1;
}

/* Copies one character; returns its width. */
static size_t
write_char(struct em *e, const char *s)
{
	size_t w = width((unsigned char)*s);

	buf_add(e->out, s, w);
	e->column++;
	return w;
}

static int
is_break_at(const char *s, size_t i, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	if (i >= len)
		return 0;
	return p[i] == '\r' || p[i] == '\n' ||
	    (p[i] == 0xC2 && i + 1 < len && p[i + 1] == 0x85) ||
	    (p[i] == 0xE2 && i + 2 < len && p[i + 1] == 0x80 &&
	    (p[i + 2] == 0xA8 || p[i + 2] == 0xA9));
}

/* A line break copied from a value: '\n' as a newline, others raw. */
static size_t
write_break(struct em *e, const char *s)
{
	size_t w;

	if (*s == '\n') {
		put_break(e);
		return 1;
	}
	w = write_char(e, s);
	e->column = 0;
	e->indention = 1;
	return w;
}

static void
write_indent(struct em *e)
{
	int indent = e->indent < 0 ? 0 : e->indent;

	if (!e->indention || e->column > indent ||
	    (e->column == indent && !e->whitespace))
		put_break(e);
	if (e->foot_indent == indent)
		put_break(e);
	while (e->column < indent)
		put(e, ' ');
	e->whitespace = 1;
	e->foot_indent = -1;
}

static void
write_indicator(struct em *e, const char *ind, int need_ws, int is_ws,
    int is_indention)
{
	if (need_ws && !e->whitespace)
		put(e, ' ');
	for (; *ind != '\0'; ind++)
		put(e, *ind);
	e->whitespace = is_ws;
	e->indention = e->indention && is_indention;
}

static void
increase_indent(struct em *e, int flow, int in_seq_item)
{
	if (e->nindents == e->capindents) {
		e->capindents = e->capindents ? e->capindents * 2 : 16;
		e->indents = xrealloc(e->indents,
		    e->capindents * sizeof *e->indents);
	}
	e->indents[e->nindents++] = e->indent;
	if (e->indent < 0)
		e->indent = flow ? e->best : 0;
	else if (in_seq_item)
		e->indent += 2;		/* just past the "- " */
	else
		e->indent = e->best * ((e->indent + e->best) / e->best);
}

static void
pop_indent(struct em *e)
{
	e->indent = e->indents[--e->nindents];
}

/* ---- comments --------------------------------------------------------- */

static void
write_comment(struct em *e, const struct cstr *c)
{
	size_t i = 0;
	int breaks = 0, pound = 0;

	while (i < c->len) {
		if (is_break_at(c->s, i, c->len)) {
			i += write_break(e, c->s + i);
			breaks = 1;
			pound = 0;
			continue;
		}
		if (breaks)
			write_indent(e);
		if (!pound) {
			if (c->s[i] != '#') {
				put(e, '#');
				put(e, ' ');
			}
			pound = 1;
		}
		i += write_char(e, c->s + i);
		e->indention = 0;
		breaks = 0;
	}
	if (!breaks)
		put_break(e);
	e->whitespace = 1;
}

static void
set_pending(struct cstr *slot, const char *s)
{
	if (s != NULL && *s != '\0') {
		slot->s = s;
		slot->len = strlen(s);
	}
}

static void
process_head(struct em *e)
{
	if (e->tail.len > 0) {
		write_indent(e);
		write_comment(e, &e->tail);
		e->tail.len = 0;
		e->foot_indent = e->indent < 0 ? 0 : e->indent;
	}
	if (e->head.len == 0)
		return;
	write_indent(e);
	write_comment(e, &e->head);
	e->head.len = 0;
}

static void
process_line(struct em *e)
{
	if (e->line.len == 0)
		return;
	if (!e->whitespace)
		put(e, ' ');
	write_comment(e, &e->line);
	e->line.len = 0;
}

static void
process_foot(struct em *e)
{
	if (e->foot.len == 0)
		return;
	write_indent(e);
	write_comment(e, &e->foot);
	e->foot.len = 0;
	e->foot_indent = e->indent < 0 ? 0 : e->indent;
}

/* Keeps a joined comment alive until the end of the emission. */
static const char *
pool_keep(struct em *e, struct buf *b)
{
	char *s;

	if (b->len == 0) {
		buf_free(b);
		return NULL;
	}
	s = buf_detach(b, NULL);
	if (e->npool == e->cappool) {
		e->cappool = e->cappool ? e->cappool * 2 : 16;
		e->pool = xrealloc(e->pool, e->cappool * sizeof *e->pool);
	}
	e->pool[e->npool++] = s;
	return s;
}

/* Adds "#text" lines to b, newline-separated, as sops joins them. */
static void
join_comment(struct buf *b, const struct yaml_node *c)
{
	if (b->len > 0)
		buf_addc(b, '\n');
	buf_addc(b, '#');
	buf_add(b, c->v.str.s, c->v.str.len);
}

/* Joins two comment blocks, a first; either may be NULL. */
static const char *
join2(struct em *e, const char *a, const char *b)
{
	struct buf j = BUF_INIT;

	if (a == NULL || b == NULL)
		return a ? a : b;
	buf_printf(&j, "%s\n%s", a, b);
	return pool_keep(e, &j);
}

/* ---- scalars ---------------------------------------------------------- */

/* go-yaml's is_printable, for the character starting at p. */
static int
printable(const unsigned char *p)
{
	return p[0] == 0x0A || (p[0] >= 0x20 && p[0] <= 0x7E) ||
	    (p[0] == 0xC2 && p[1] >= 0xA0) || (p[0] > 0xC2 && p[0] < 0xED) ||
	    (p[0] == 0xED && p[1] < 0xA0) || p[0] == 0xEE ||
	    (p[0] == 0xEF && !(p[1] == 0xBB && p[2] == 0xBF) &&
	    !(p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)));
}

static int
is_blank_at(const char *s, size_t i, size_t len)
{
	return i < len && (s[i] == ' ' || s[i] == '\t');
}

/* Indicator characters, as go-yaml's analyzer sees them. */
static void
indicators(const char *v, size_t i, size_t len, int preceded_ws,
    int *flow, int *block)
{
	int followed_ws = i + width((unsigned char)v[i]) >= len ||
	    is_blank_at(v, i + width((unsigned char)v[i]), len);
	int c = (unsigned char)v[i];

	if (i == 0) {
		if (strchr("#,[]{}&*!|>'\"%@`", c) != NULL && c != '\0') {
			*flow = *block = 1;
		} else if (c == '?' || c == ':') {
			*flow = 1;
			if (followed_ws)
				*block = 1;
		} else if (c == '-' && followed_ws) {
			*flow = *block = 1;
		}
		return;
	}
	if (c != '\0' && strchr(",?[]{}", c) != NULL)
		*flow = 1;
	else if (c == ':') {
		*flow = 1;
		if (followed_ws)
			*block = 1;
	} else if (c == '#' && preceded_ws) {
		*flow = *block = 1;
	}
}

/*
 * A printable ASCII character that is no indicator after the first
 * position: it only ends a run of blanks or breaks.  Most of a scalar,
 * and all of a SOPS ciphertext, is made of these, so analyze skips the
 * full tests for them.
 */
static int
quiet(unsigned char c)
{
	return c > ' ' && c < 0x7F && c != ',' && c != '?' && c != '[' &&
	    c != ']' && c != '{' && c != '}' && c != ':' && c != '#';
}

/* Which styles can hold v; go-yaml's analyze_scalar. */
static void
analyze(struct scalar *sc)
{
	const char *v = sc->text.data;
	size_t len = sc->text.len, i, w;
	int flow = 0, block = 0, breaks = 0, special = 0, tabs = 0;
	int lead_sp = 0, lead_br = 0, trail_sp = 0, trail_br = 0;
	int br_sp = 0, sp_br = 0, prev_sp = 0, prev_br = 0, pre_ws = 1;

	sc->multiline = 0;
	sc->plain_ok = sc->single_ok = 1;
	sc->block_ok = 0;
	if (len == 0)
		return;
	if (len >= 3 && (memcmp(v, "---", 3) == 0 || memcmp(v, "...", 3) == 0))
		flow = block = 1;
	for (i = 0; i < len; i += w) {
		if (i > 0 && quiet((unsigned char)v[i])) {
			prev_sp = prev_br = pre_ws = 0;
			w = 1;
			continue;
		}
		w = width((unsigned char)v[i]);
		indicators(v, i, len, pre_ws, &flow, &block);
		if (v[i] == '\t')
			tabs = 1;
		else if (!printable((const unsigned char *)v + i))
			special = 1;
		if (v[i] == ' ') {
			lead_sp |= i == 0;
			trail_sp |= i + w == len;
			br_sp |= prev_br;
			prev_sp = 1;
			prev_br = 0;
		} else if (is_break_at(v, i, len)) {
			breaks = 1;
			lead_br |= i == 0;
			trail_br |= i + w == len;
			sp_br |= prev_sp;
			prev_sp = 0;
			prev_br = 1;
		} else
			prev_sp = prev_br = 0;
		pre_ws = v[i] == ' ' || v[i] == '\t' || v[i] == '\0' ||
		    is_break_at(v, i, len);
	}
	sc->multiline = breaks;
	sc->block_ok = !(trail_sp || sp_br || special);
	if (lead_sp || lead_br || trail_sp || trail_br || br_sp || sp_br ||
	    tabs || special || breaks || block)
		sc->plain_ok = 0;
	if (br_sp || sp_br || tabs || special)
		sc->single_ok = 0;
	(void)flow;	/* flow scalars are never written */
}

/* Invalid UTF-8 becomes !!binary: base64 in 70-column lines. */
static void
binary_text(struct buf *b, const char *s, size_t len)
{
	size_t enclen = sodium_base64_encoded_len(len,
	    sodium_base64_VARIANT_ORIGINAL);
	char *enc = xmalloc(enclen);
	size_t n, i;

	sodium_bin2base64(enc, enclen, (const unsigned char *)s, len,
	    sodium_base64_VARIANT_ORIGINAL);
	n = strlen(enc);
	for (i = 0; i < n; i += 70) {
		buf_add(b, enc + i, n - i < 70 ? n - i : 70);
		if (n >= 70)
			buf_addc(b, '\n');
	}
	free(enc);
}

/*
 * The style go-yaml gives a string: sops encodes each string on its own
 * (literal when it holds a newline, double-quoted when it would read back
 * as another type, plain otherwise), re-parses the result and emits that
 * node, so the analyzer's downgrades apply once more.
 */
static void
string_scalar(struct scalar *sc, const char *s, size_t len)
{
	struct yaml_node r;

	if (!yaml_utf8_valid(s, len)) {
		binary_text(&sc->text, s, len);
		sc->tag = "binary";
		sc->style = memchr(sc->text.data, '\n', sc->text.len) ?
		    ST_LITERAL : ST_PLAIN;
		return;
	}
	buf_add(&sc->text, s, len);
	if (memchr(s, '\n', len) != NULL)
		sc->style = ST_LITERAL;
	else {
		yaml_resolve_into(s, len, &r);
		sc->style = r.kind == YAML_STR && !yaml_is_base60_float(s,
		    len) && !yaml_is_old_bool(s, len) ? ST_PLAIN : ST_DOUBLE;
	}
}

/* Fills sc with the text and the first style of scalar n. */
static void
make_scalar(struct scalar *sc, const struct yaml_node *n)
{
	memset(sc, 0, sizeof *sc);
	sc->style = ST_PLAIN;
	switch (n->kind) {
	case YAML_STR:
		/* One allocation: growing would leave copies of a secret. */
		buf_grow(&sc->text, n->v.str.len * 2 + 16);
		string_scalar(sc, n->v.str.s, n->v.str.len);
		break;
	case YAML_INT:
		buf_printf(&sc->text, "%lld", (long long)n->v.i);
		break;
	case YAML_UINT:
		buf_printf(&sc->text, "%llu", (unsigned long long)n->v.u);
		break;
	case YAML_FLOAT:
		yaml_fmt_float_g(&sc->text, n->v.f);
		if (strcmp(sc->text.data, "+Inf") == 0 ||
		    strcmp(sc->text.data, "-Inf") == 0 ||
		    strcmp(sc->text.data, "NaN") == 0) {
			const char *t = sc->text.data[0] == '+' ? ".inf" :
			    sc->text.data[0] == '-' ? "-.inf" : ".nan";

			buf_reset(&sc->text);
			buf_adds(&sc->text, t);
		}
		break;
	case YAML_BOOL:
		buf_adds(&sc->text, n->v.b ? "true" : "false");
		break;
	case YAML_TIME:
		yaml_fmt_time(&sc->text, &n->v.t, 1);
		break;
	default:
		buf_adds(&sc->text, "null");
		break;
	}
	if (sc->text.data == NULL)
		buf_add(&sc->text, "", 0);
	analyze(sc);
}

/* The final style in context, as go-yaml's select_scalar_style. */
static void
select_style(struct em *e, struct scalar *sc, int simple_key)
{
	if (simple_key && sc->multiline)
		sc->style = ST_DOUBLE;
	if (sc->style == ST_PLAIN) {
		if (!sc->plain_ok || (sc->text.len == 0 && (simple_key ||
		    e->flow_level > 0)))
			sc->style = ST_SINGLE;
	}
	if (sc->style == ST_SINGLE && !sc->single_ok)
		sc->style = ST_DOUBLE;
	if (sc->style == ST_LITERAL && (!sc->block_ok || simple_key ||
	    e->flow_level > 0))
		sc->style = ST_DOUBLE;
	/* A plain "<<" reads back as a merge key, which go-yaml tags. */
	if (sc->style == ST_PLAIN && sc->tag == NULL &&
	    strcmp(sc->text.data, "<<") == 0)
		sc->tag = "merge";
}

/* How many bytes of v are printable ASCII other than a blank (and a
 * single quote when single is set). */
static size_t
ascii_run(const char *v, size_t len, int single)
{
	size_t n = 0;

	while (n < len && v[n] > ' ' && v[n] < 0x7F &&
	    !(single && v[n] == '\''))
		n++;
	return n;
}

/*
 * The body of a plain or single-quoted scalar: spaces kept, the first
 * newline of a run written twice (a single one folds into a space when
 * read back), and in single quotes each quote doubled.
 */
static void
write_flow_body(struct em *e, const char *v, size_t len, int single)
{
	size_t i = 0, n;
	int breaks = 0;

	while (i < len) {
		if (v[i] == ' ') {
			i += write_char(e, v + i);
			continue;
		}
		if (is_break_at(v, i, len)) {
			if (!breaks && v[i] == '\n')
				put_break(e);
			i += write_break(e, v + i);
			breaks = 1;
			continue;
		}
		if (breaks)
			write_indent(e);
		if (single && v[i] == '\'')
			put(e, '\'');
		i += write_char(e, v + i);
		/* The printable ASCII that follows, up to a blank, a break
		 * or a quote to double, goes out in one copy: each of its
		 * bytes is one column and needs nothing else. */
		n = ascii_run(v + i, len - i, single);
		buf_add(e->out, v + i, n);
		e->column += (int)n;
		i += n;
		e->indention = 0;
		breaks = 0;
	}
}

static void
write_plain(struct em *e, const struct scalar *sc)
{
	size_t len = sc->text.len;

	if (len > 0 && !e->whitespace)
		put(e, ' ');
	write_flow_body(e, sc->text.data, len, 0);
	if (len > 0)
		e->whitespace = 0;
	e->indention = 0;
}

static void
write_single(struct em *e, const struct scalar *sc)
{
	write_indicator(e, "'", 1, 0, 0);
	write_flow_body(e, sc->text.data, sc->text.len, 1);
	write_indicator(e, "'", 0, 0, 0);
	e->whitespace = 0;
	e->indention = 0;
}

/* The escape for code point cp, as go-yaml writes it. */
static void
write_escape(struct em *e, unsigned long cp)
{
	static const struct {
		unsigned long	 cp;
		char		 c;
	} named[] = {
		{ 0x00, '0' }, { 0x07, 'a' }, { 0x08, 'b' }, { 0x09, 't' },
		{ 0x0A, 'n' }, { 0x0B, 'v' }, { 0x0C, 'f' }, { 0x0D, 'r' },
		{ 0x1B, 'e' }, { 0x22, '"' }, { 0x5C, '\\' }, { 0x85, 'N' },
		{ 0xA0, '_' }, { 0x2028, 'L' }, { 0x2029, 'P' }
	};
	char hex[16];
	size_t i;
	int n;

	put(e, '\\');
	for (i = 0; i < sizeof named / sizeof named[0]; i++) {
		if (named[i].cp == cp) {
			put(e, named[i].c);
			return;
		}
	}
	if (cp <= 0xFF)
		n = snprintf(hex, sizeof hex, "x%02lX", cp);
	else if (cp <= 0xFFFF)
		n = snprintf(hex, sizeof hex, "u%04lX", cp);
	else
		n = snprintf(hex, sizeof hex, "U%08lX", cp);
	for (i = 0; i < (size_t)n; i++)
		put(e, hex[i]);
}

static unsigned long
decode_utf8(const unsigned char *p, size_t w)
{
	unsigned long cp;
	size_t k;

	cp = w == 1 ? p[0] : w == 2 ? p[0] & 0x1Fu : w == 3 ? p[0] & 0x0Fu :
	    p[0] & 0x07u;
	for (k = 1; k < w; k++)
		cp = (cp << 6) | (p[k] & 0x3Fu);
	return cp;
}

static void
write_double(struct em *e, const struct scalar *sc)
{
	const unsigned char *v = (const unsigned char *)sc->text.data;
	size_t len = sc->text.len, i = 0, w;
	/* go-yaml tests for a BOM at the start of the value, not at i. */
	int bom = len >= 3 && v[0] == 0xEF && v[1] == 0xBB && v[2] == 0xBF;

	write_indicator(e, "\"", 1, 0, 0);
	while (i < len) {
		w = width(v[i]);
		if (!printable(v + i) || bom ||
		    is_break_at(sc->text.data, i, len) || v[i] == '"' ||
		    v[i] == '\\') {
			write_escape(e, decode_utf8(v + i, w));
			i += w;
		} else
			i += write_char(e, (const char *)v + i);
	}
	write_indicator(e, "\"", 0, 0, 0);
	e->whitespace = 0;
	e->indention = 0;
}

/* The indentation and chomping indicators of a block scalar. */
static void
block_hints(struct em *e, const struct scalar *sc)
{
	const char *v = sc->text.data;
	size_t len = sc->text.len, i;
	char hint[2] = { 0, 0 };

	if (len > 0 && (v[0] == ' ' || is_break_at(v, 0, len))) {
		hint[0] = (char)('0' + e->best);
		write_indicator(e, hint, 0, 0, 0);
	}
	hint[0] = 0;
	if (len == 0)
		hint[0] = '-';
	else {
		i = len - 1;
		while (i > 0 && ((unsigned char)v[i] & 0xC0) == 0x80)
			i--;
		if (!is_break_at(v, i, len))
			hint[0] = '-';
		else if (i == 0)
			hint[0] = '+';
		else {
			i--;
			while (i > 0 && ((unsigned char)v[i] & 0xC0) == 0x80)
				i--;
			if (is_break_at(v, i, len))
				hint[0] = '+';
		}
	}
	if (hint[0] != 0)
		write_indicator(e, hint, 0, 0, 0);
}

static void
write_literal(struct em *e, const struct scalar *sc)
{
	const char *v = sc->text.data;
	size_t len = sc->text.len, i = 0;
	int breaks = 1;

	write_indicator(e, "|", 1, 0, 0);
	block_hints(e, sc);
	process_line(e);
	e->whitespace = 1;
	while (i < len) {
		if (is_break_at(v, i, len)) {
			i += write_break(e, v + i);
			breaks = 1;
			continue;
		}
		if (breaks)
			write_indent(e);
		i += write_char(e, v + i);
		e->indention = 0;
		breaks = 0;
	}
}

static void
write_tag(struct em *e, const char *suffix)
{
	if (!e->whitespace)
		put(e, ' ');
	put(e, '!');
	put(e, '!');
	for (; *suffix != '\0'; suffix++)
		put(e, *suffix);
	e->whitespace = 0;
	e->indention = 0;
}

static void
emit_scalar(struct em *e, struct scalar *sc, enum ctx ctx)
{
	select_style(e, sc, ctx == CTX_KEY);
	if (sc->tag != NULL)
		write_tag(e, sc->tag);
	increase_indent(e, 1, ctx == CTX_SEQ);
	switch (sc->style) {
	case ST_PLAIN:
		write_plain(e, sc);
		break;
	case ST_SINGLE:
		write_single(e, sc);
		break;
	case ST_DOUBLE:
		write_double(e, sc);
		break;
	case ST_LITERAL:
		write_literal(e, sc);
		break;
	}
	pop_indent(e);
}

/* ---- collections ------------------------------------------------------ */

static int
is_collection(const struct yaml_node *n)
{
	return n->kind == YAML_MAP || n->kind == YAML_SEQ;
}

/* Number of non-comment items. */
static size_t
count_values(const struct yaml_node *n)
{
	size_t i, c = 0;

	if (n->kind == YAML_MAP) {
		for (i = 0; i < n->v.map.len; i++)
			c += n->v.map.items[i].key != NULL;
	} else {
		for (i = 0; i < n->v.seq.len; i++)
			c += n->v.seq.items[i]->kind != YAML_COMMENT;
	}
	return c;
}

static struct yaml_node *
item_at(const struct yaml_node *n, size_t i, const char **key, size_t *klen)
{
	if (n->kind == YAML_MAP) {
		*key = n->v.map.items[i].key;
		*klen = n->v.map.items[i].keylen;
		return n->v.map.items[i].value;
	}
	*key = NULL;
	*klen = 0;
	return n->v.seq.items[i];
}

static size_t
item_count(const struct yaml_node *n)
{
	return n->kind == YAML_MAP ? n->v.map.len : n->v.seq.len;
}

static int
is_comment_item(const struct yaml_node *coll, size_t i)
{
	const char *k;
	size_t kl;
	const struct yaml_node *v = item_at(coll, i, &k, &kl);

	return coll->kind == YAML_MAP ? k == NULL : v->kind == YAML_COMMENT;
}

/* The comments from item i0 up to the next value. */
struct gap {
	const char	*head;		/* before the next value */
	const char	*line;		/* inline, on the next value */
	size_t		 next;		/* index of the next value */
};

static void
scan_gap(struct em *e, const struct yaml_node *n, size_t i0, struct gap *g)
{
	struct buf heads = BUF_INIT, inl = BUF_INIT;
	const char *k;
	size_t kl, i;

	for (i = i0; i < item_count(n) && is_comment_item(n, i); i++) {
		const struct yaml_node *c = item_at(n, i, &k, &kl);

		join_comment(c->v.str.inline_ ? &inl : &heads, c);
	}
	if (i == item_count(n) && inl.len > 0) {
		/* Trailing: the inline ones follow the others. */
		if (heads.len > 0)
			buf_addc(&heads, '\n');
		buf_add(&heads, inl.data, inl.len);
		buf_reset(&inl);
	}
	g->head = pool_keep(e, &heads);
	g->line = pool_keep(e, &inl);
	g->next = i;
}

/*
 * The comments a collection contributes to its own head: the comments
 * before its first value or, when it holds no value, all of them (the
 * inline ones last, as sops appends them).
 */
static const char *
own_head(struct em *e, const struct yaml_node *n)
{
	struct gap g;

	if (!is_collection(n))
		return NULL;
	scan_gap(e, n, 0, &g);
	return g.head;
}

static void analyze_node(struct em *, const struct yaml_node *,
    const struct ncom *);
static void emit_node(struct em *, const struct yaml_node *, enum ctx,
    const struct ncom *);

/*
 * A key: its analysis, head comment, indentation and the scalar.  Returns
 * whether it was a simple key (longer or multi-line keys take "? ").
 */
static int
emit_key(struct em *e, const char *key, size_t klen, const char *head,
    int first, enum ctx parent)
{
	struct yaml_node k;
	struct scalar sc;
	size_t taglen;
	int simple;

	memset(&k, 0, sizeof k);
	k.kind = YAML_STR;
	k.v.str.s = (char *)(uintptr_t)key;
	k.v.str.len = klen;
	make_scalar(&sc, &k);
	set_pending(&e->head, head);
	if (first)
		increase_indent(e, 0, parent == CTX_SEQ);
	process_head(e);
	write_indent(e);
	if (e->line.len > 0) {
		e->key_line = e->line;
		e->line.len = 0;
	}
	taglen = sc.tag ? 2 + strlen(sc.tag) : 0;
	simple = !sc.multiline && taglen + sc.text.len <= 128;
	if (!simple)
		write_indicator(e, "?", 1, 0, 1);
	emit_scalar(e, &sc, simple ? CTX_KEY : CTX_COMPLEX_KEY);
	buf_wipe(&sc.text);
	return simple;
}

/* A key's line comment that waited for the value (go-yaml's key_line). */
static void
key_line_for(struct em *e, const struct yaml_node *v)
{
	struct cstr t;

	if (e->key_line.len == 0)
		return;
	if (!is_collection(v)) {
		if (e->line.len == 0) {
			e->line = e->key_line;
			e->key_line.len = 0;
		}
		return;
	}
	t = e->line;
	e->line = e->key_line;
	process_line(e);
	e->key_line = e->line;
	e->line = t;
}

/*
 * A block mapping.  Its start was analysed already (its head comment is
 * pending); each key is analysed before the mapping indents for its first
 * key, and the trailing comments print when the mapping ends.
 */
static void
emit_map_body(struct em *e, const struct yaml_node *n, enum ctx ctx,
    const struct ncom *nc)
{
	struct gap g;
	struct ncom vc = { NULL, NULL, NULL };
	const struct yaml_pair *p;
	size_t i = 0;
	int simple;

	for (;;) {
		scan_gap(e, n, i, &g);
		if (g.next == item_count(n))
			break;
		p = &n->v.map.items[g.next];
		/* Comments before the first key were the mapping's head. */
		simple = emit_key(e, p->key, p->keylen, i == 0 ? NULL : g.head,
		    i == 0, ctx);
		vc.line = g.line;
		analyze_node(e, p->value, &vc);
		if (simple)
			write_indicator(e, ":", 0, 0, 0);
		else {
			write_indent(e);
			write_indicator(e, ":", 1, 0, 1);
		}
		key_line_for(e, p->value);
		emit_node(e, p->value, CTX_VALUE, &vc);
		i = g.next + 1;
	}
	set_pending(&e->tail, g.head);
	set_pending(&e->line, nc->line);
	set_pending(&e->foot, nc->foot);
	process_head(e);
	pop_indent(e);
}

/* A block sequence; items share the comments rules of mapping keys. */
static void
emit_seq_body(struct em *e, const struct yaml_node *n, enum ctx ctx,
    const struct ncom *nc)
{
	struct gap g, after;
	struct ncom ic;
	size_t i = 0;

	for (;;) {
		scan_gap(e, n, i, &g);
		if (g.next == item_count(n))
			break;
		scan_gap(e, n, g.next + 1, &after);
		/* Comments before the first item were the sequence's head. */
		ic.head = i == 0 ? NULL : g.head;
		ic.line = g.line;
		ic.foot = after.next == item_count(n) ? after.head : NULL;
		analyze_node(e, n->v.seq.items[g.next], &ic);
		if (i == 0)
			increase_indent(e, 0, ctx == CTX_SEQ);
		process_head(e);
		write_indent(e);
		write_indicator(e, "-", 1, 0, 1);
		emit_node(e, n->v.seq.items[g.next], CTX_SEQ, &ic);
		i = g.next + 1;
	}
	set_pending(&e->line, nc->line);
	set_pending(&e->foot, nc->foot);
	pop_indent(e);
}

/* "{}" or "[]": written when the end event arrives. */
static void
emit_flow_end(struct em *e, const struct yaml_node *n, enum ctx ctx,
    const struct ncom *nc)
{
	int map = n->kind == YAML_MAP;

	set_pending(&e->line, nc->line);
	set_pending(&e->foot, nc->foot);
	write_indicator(e, map ? "{" : "[", 1, 1, 0);
	increase_indent(e, 1, ctx == CTX_SEQ);
	e->flow_level++;
	if (map)
		process_head(e);
	e->flow_level--;
	pop_indent(e);
	if (!map && e->column == 0)
		write_indent(e);
	write_indicator(e, map ? "}" : "]", 0, 0, 0);
	process_line(e);
	process_foot(e);
}

/*
 * What go-yaml records when it analyses a node's first event: the head
 * comment (for a collection, the parent's part joined with its own), and
 * for a scalar also its line and foot comments.
 */
static void
analyze_node(struct em *e, const struct yaml_node *n, const struct ncom *nc)
{
	if (is_collection(n)) {
		set_pending(&e->head, join2(e, nc->head, own_head(e, n)));
		return;
	}
	set_pending(&e->head, nc->head);
	set_pending(&e->line, nc->line);
	set_pending(&e->foot, nc->foot);
}

/*
 * Writes an analysed node in ctx, then the comments go-yaml prints right
 * after a node starts (for a collection, before its content), then a
 * collection's content and end.
 */
static void
emit_node(struct em *e, const struct yaml_node *n, enum ctx ctx,
    const struct ncom *nc)
{
	struct scalar sc;

	if (!is_collection(n)) {
		make_scalar(&sc, n);
		emit_scalar(e, &sc, ctx);
		buf_wipe(&sc.text);
		process_line(e);
		process_foot(e);
		return;
	}
	process_line(e);
	process_foot(e);
	if (count_values(n) == 0)
		emit_flow_end(e, n, ctx, nc);
	else if (n->kind == YAML_MAP)
		emit_map_body(e, n, ctx, nc);
	else
		emit_seq_body(e, n, ctx, nc);
}

static void
emit_document(struct em *e, const struct yaml_node *root, int first)
{
	struct ncom nc = { NULL, NULL, NULL };

	if (!first) {
		write_indent(e);
		write_indicator(e, "---", 1, 0, 0);
		write_indent(e);
	}
	analyze_node(e, root, &nc);
	process_head(e);
	emit_node(e, root, CTX_ROOT, &nc);
	e->foot_indent = 0;
	process_foot(e);
	e->foot_indent = -1;
	write_indent(e);
}

void
yaml_emit(struct buf *out, struct yaml_node *const *docs, size_t ndocs,
    int indent)
{
	struct em e;
	size_t i;

	memset(&e, 0, sizeof e);
	e.out = out;
	e.best = indent < 2 || indent > 9 ? 2 : indent;
	e.indent = -1;
	e.whitespace = e.indention = 1;
	e.foot_indent = -1;
	for (i = 0; i < ndocs; i++)
		emit_document(&e, docs[i], i == 0);
	if (out->data == NULL)
		buf_add(out, "", 0);
	/* Comments of a decrypted tree may be secret. */
	for (i = 0; i < e.npool; i++) {
		sodium_memzero(e.pool[i], strlen(e.pool[i]));
		free(e.pool[i]);
	}
	free(e.pool);
	free(e.indents);
}
