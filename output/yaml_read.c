/* yaml_read.c: parses YAML text (libyaml) into a typed node tree. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <yaml.h>

#include "yamltree.h"
#include "yaml_impl.h"

/*
 * Design note.  libyaml gives events with positions but drops comments,
 * while sops keeps them (and encrypts them).  So the reader works in two
 * passes.  The first builds the tree from events and records where every
 * child of a collection starts, where each scalar ends and which byte
 * ranges are scalar text.  The second scans the text outside those ranges
 * for comments and files each one as an item of a collection, the way
 * go-yaml's scanner and sops do for well-indented files:
 *
 *   - after a value on the same line: an inline comment before that entry
 *     (after a key whose value starts on a later line: a plain one);
 *   - on a line of its own: a comment before the next entry, unless one
 *     or more collections close between the previous entry and the next
 *     one and the comment is indented at least as far as one of them,
 *     in which case it ends the innermost such collection.
 *
 * go-yaml's finer rules (blank lines splitting head from foot comments,
 * odd indentation inside flow collections) only move a comment between
 * neighbouring positions of the same collection, which does not change
 * what sops encrypts or prints.
 */

/* Scalar nodes created through aliases, beyond which a file is refused. */
#define ALIAS_BUDGET	1000000

struct coll {
	struct yaml_node	*node;
	int			 parent;	/* index, -1 for a root */
	int			 doc;
	long			 col;		/* column of its entries */
};

/* Where a child of a collection starts. */
struct slot {
	size_t	off;
	int	coll;
	size_t	child;
	int	doc;
};

enum role {
	ROLE_KEY,
	ROLE_VALUE,
	ROLE_ITEM
};

/* Where a scalar (or flow collection) that is a child ends. */
struct lend {
	size_t		off;
	long		line;
	int		coll;
	size_t		child;
	enum role	role;
};

struct span {
	size_t	start, end;
};

struct anchor {
	char			*name;
	struct yaml_node	*node;		/* a copy, owned */
};

struct insert {
	int		 coll;
	size_t		 child;		/* before child; == count: at end */
	size_t		 seq;
	struct yaml_node *comment;
};

struct rd {
	const char	*text;
	size_t		 len;
	size_t		*lines;		/* byte offset of each line start */
	size_t		 nlines;
	size_t		 ascii;		/* text[0..ascii) is all ASCII */
	yaml_parser_t	 parser;
	struct buf	*why;
	int		 doc;
	size_t		 aliased;
	struct anchor	*anchors;
	size_t		 nanchors, capanchors;
	struct coll	*colls;
	size_t		 ncolls, capcolls;
	struct slot	*slots;
	size_t		 nslots, capslots;
	struct lend	*lends;
	size_t		 nlends, caplends;
	struct span	*spans;
	size_t		 nspans, capspans;
	size_t		*docstart;
	size_t		 ndocs, capdocs;
	struct insert	*ins;
	size_t		 nins, capins;
	yaml_mark_t	 last_end;	/* end of the last node parsed */
	yaml_mark_t	 header;	/* start of a block scalar, ... */
	int		 has_header;	/* ... when it was one */
};

#define GROW(arr, n, cap) do {						\
	if ((n) == (cap)) {						\
		(cap) = (cap) ? (cap) * 2 : 16;				\
		(arr) = xrealloc((arr), (cap) * sizeof *(arr));		\
	}								\
} while (0)

/* ---- positions -------------------------------------------------------- */

/* Width of a line break at p, as libyaml counts them, or 0. */
static size_t
break_len(const char *p, size_t left)
{
	const unsigned char *u = (const unsigned char *)p;

	if (left >= 2 && u[0] == '\r' && u[1] == '\n')
		return 2;
	if (u[0] == '\r' || u[0] == '\n')
		return 1;
	if (left >= 2 && u[0] == 0xC2 && u[1] == 0x85)
		return 2;
	if (left >= 3 && u[0] == 0xE2 && u[1] == 0x80 &&
	    (u[2] == 0xA8 || u[2] == 0xA9))
		return 3;
	return 0;
}

static void
index_lines(struct rd *r)
{
	size_t i = 0, cap = 0, b;

	if (r->len >= 3 && memcmp(r->text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	GROW(r->lines, r->nlines, cap);
	r->lines[r->nlines++] = i;
	while (r->ascii < r->len && (unsigned char)r->text[r->ascii] < 0x80)
		r->ascii++;
	while (i < r->len) {
		/* Printable ASCII is never part of a break. */
		if ((unsigned char)r->text[i] >= ' ' &&
		    (unsigned char)r->text[i] < 0x80) {
			i++;
			continue;
		}
		b = break_len(r->text + i, r->len - i);
		if (b == 0) {
			i++;
			continue;
		}
		i += b;
		GROW(r->lines, r->nlines, cap);
		r->lines[r->nlines++] = i;
	}
}

static size_t
char_width(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	return 4;
}

/* The byte offset of a libyaml mark (line, column in characters). */
static size_t
mark_off(const struct rd *r, const yaml_mark_t *m)
{
	size_t off, col;

	if (m->line >= r->nlines)
		return r->len;
	off = r->lines[m->line];
	/* Where every character is one byte, columns are bytes. */
	if (off + m->column <= r->ascii)
		return off + m->column < r->len ? off + m->column : r->len;
	for (col = 0; col < m->column && off < r->len; col++)
		off += char_width((unsigned char)r->text[off]);
	return off < r->len ? off : r->len;
}

/* The line of a byte offset. */
static long
off_line(const struct rd *r, size_t off)
{
	size_t lo = 0, hi = r->nlines;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (r->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return (long)lo;
}

/* The column, in characters, of a byte offset. */
static long
off_col(const struct rd *r, size_t off)
{
	size_t p = r->lines[off_line(r, off)];
	long col = 0;

	if (off <= r->ascii && p <= off)
		return (long)(off - p);
	while (p < off) {
		p += char_width((unsigned char)r->text[p]);
		col++;
	}
	return col;
}

/* ---- errors ----------------------------------------------------------- */

static int
fail_at(struct rd *r, const yaml_mark_t *m, const char *fmt, const char *a)
{
	buf_printf(r->why, "%zu:%zu: ", m->line + 1, m->column + 1);
	buf_printf(r->why, fmt, a);
	return -1;
}

static int
parser_fail(struct rd *r)
{
	const yaml_parser_t *p = &r->parser;
	const yaml_mark_t *m = p->problem ? &p->problem_mark :
	    &p->context_mark;

	buf_printf(r->why, "%zu:%zu: %s", m->line + 1, m->column + 1,
	    p->problem ? p->problem : "invalid YAML");
	if (p->context != NULL)
		buf_printf(r->why, " (%s)", p->context);
	return -1;
}

static int
next_event(struct rd *r, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&r->parser, ev))
		return parser_fail(r);
	return 0;
}

/* ---- scalars ---------------------------------------------------------- */

#define TAGPFX	"tag:yaml.org,2002:"

/* Base64 as Go's StdEncoding reads it: CR and LF are skipped. */
static struct yaml_node *
binary_value(const char *s, size_t len)
{
	char *clean = xmalloc(len + 1);
	unsigned char *bin = xmalloc(len + 1);
	size_t i, n = 0, binlen = 0;
	struct yaml_node *v = NULL;

	for (i = 0; i < len; i++)
		if (s[i] != '\r' && s[i] != '\n')
			clean[n++] = s[i];
	if (sodium_base642bin(bin, len + 1, clean, n, NULL, &binlen, NULL,
	    sodium_base64_VARIANT_ORIGINAL) == 0)
		v = yaml_strn((const char *)bin, binlen);
	sodium_memzero(bin, len + 1);
	free(clean);
	free(bin);
	return v;
}

/*
 * The value of a scalar event, as go-yaml v3 decodes it into an empty
 * interface: untagged plain text is resolved, quoted and block text is a
 * string, and an explicit standard tag must agree with the text.
 */
static struct yaml_node *
scalar_value(struct rd *r, const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	const char *tag = (const char *)ev->data.scalar.tag;
	const char *want;
	struct yaml_node *v;

	if (tag == NULL || strcmp(tag, "!") == 0) {
		if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			return yaml_resolve_plain(s, len);
		return yaml_strn(s, len);
	}
	if (strncmp(tag, TAGPFX, strlen(TAGPFX)) != 0)
		return yaml_strn(s, len);
	want = tag + strlen(TAGPFX);
	if (strcmp(want, "binary") == 0) {
		if ((v = binary_value(s, len)) == NULL)
			fail_at(r, &ev->start_mark, "%s",
			    "!!binary value contains invalid base64 data");
		return v;
	}
	if (strcmp(want, "int") != 0 && strcmp(want, "float") != 0 &&
	    strcmp(want, "bool") != 0 && strcmp(want, "null") != 0 &&
	    strcmp(want, "timestamp") != 0)
		return yaml_strn(s, len);
	v = yaml_resolve_plain(s, len);
	if (strcmp(want, "float") == 0 && v->kind == YAML_INT)
		yaml_node_replace(v, yaml_float((double)v->v.i));
	else if (strcmp(want, "float") == 0 && v->kind == YAML_UINT)
		yaml_node_replace(v, yaml_float((double)v->v.u));
	if (strcmp(yaml_kind_name(v->kind), want) == 0 ||
	    (v->kind == YAML_UINT && strcmp(want, "int") == 0) ||
	    (v->kind == YAML_TIME && strcmp(want, "timestamp") == 0))
		return v;
	yaml_node_free(v);
	fail_at(r, &ev->start_mark, "cannot decode `%s` as the tag it has",
	    s);
	return NULL;
}

static void
add_span(struct rd *r, const yaml_event_t *ev)
{
	size_t start = mark_off(r, &ev->start_mark);
	size_t end = mark_off(r, &ev->end_mark);

	/* A block scalar's header line may hold a comment. */
	if (ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
	    ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE) {
		long line = off_line(r, start);

		start = (size_t)line + 1 < r->nlines ?
		    r->lines[line + 1] : r->len;
		if (start > end)
			start = end;
	}
	if (end <= start)
		return;
	GROW(r->spans, r->nspans, r->capspans);
	r->spans[r->nspans].start = start;
	r->spans[r->nspans].end = end;
	r->nspans++;
}

/* ---- anchors ---------------------------------------------------------- */

/* Keeps a copy: the node itself may be a key that is freed later. */
static void
anchor_set(struct rd *r, const yaml_char_t *name, const struct yaml_node *n)
{
	if (name == NULL)
		return;
	GROW(r->anchors, r->nanchors, r->capanchors);
	r->anchors[r->nanchors].name = xstrdup((const char *)name);
	r->anchors[r->nanchors].node = yaml_node_copy(n);
	r->nanchors++;
}

static size_t
node_count(const struct yaml_node *n)
{
	size_t i, c = 1;

	if (n->kind == YAML_MAP)
		for (i = 0; i < n->v.map.len; i++)
			c += node_count(n->v.map.items[i].value);
	else if (n->kind == YAML_SEQ)
		for (i = 0; i < n->v.seq.len; i++)
			c += node_count(n->v.seq.items[i]);
	return c;
}

static struct yaml_node *
alias_value(struct rd *r, const yaml_event_t *ev)
{
	size_t i;

	/* The latest definition of a name wins, as in YAML. */
	for (i = r->nanchors; i-- > 0;) {
		if (strcmp(r->anchors[i].name,
		    (const char *)ev->data.alias.anchor) != 0)
			continue;
		r->aliased += node_count(r->anchors[i].node);
		if (r->aliased > ALIAS_BUDGET) {
			fail_at(r, &ev->start_mark, "%s",
			    "document contains excessive aliasing");
			return NULL;
		}
		return yaml_node_copy(r->anchors[i].node);
	}
	fail_at(r, &ev->start_mark, "unknown anchor '%s' referenced",
	    (const char *)ev->data.alias.anchor);
	return NULL;
}

/* ---- the tree --------------------------------------------------------- */

static int parse_node(struct rd *, yaml_event_t *, int parent,
    struct yaml_node **);

static int
coll_new(struct rd *r, struct yaml_node *n, int parent, const yaml_mark_t *m)
{
	GROW(r->colls, r->ncolls, r->capcolls);
	r->colls[r->ncolls].node = n;
	r->colls[r->ncolls].parent = parent;
	r->colls[r->ncolls].doc = r->doc;
	r->colls[r->ncolls].col = (long)m->column;
	return (int)r->ncolls++;
}

static void
add_slot(struct rd *r, int coll, size_t child, const yaml_mark_t *m)
{
	GROW(r->slots, r->nslots, r->capslots);
	r->slots[r->nslots].off = mark_off(r, m);
	r->slots[r->nslots].coll = coll;
	r->slots[r->nslots].child = child;
	r->slots[r->nslots].doc = r->doc;
	r->nslots++;
}

static void
lend_at(struct rd *r, int coll, size_t child, enum role role,
    const yaml_mark_t *m)
{
	GROW(r->lends, r->nlends, r->caplends);
	r->lends[r->nlends].off = mark_off(r, m);
	r->lends[r->nlends].line = (long)m->line;
	r->lends[r->nlends].coll = coll;
	r->lends[r->nlends].child = child;
	r->lends[r->nlends].role = role;
	r->nlends++;
}

/*
 * Records where the scalar or flow child just parsed ends, for inline
 * comments; a block scalar also takes the comment of its header line.
 */
static void
add_lend(struct rd *r, int coll, size_t child, enum role role)
{
	if (r->has_header)
		lend_at(r, coll, child, role, &r->header);
	lend_at(r, coll, child, role, &r->last_end);
}

/* Whether an event ends on its own (a scalar, alias or flow collection). */
static int
ends_inline(const yaml_event_t *ev)
{
	return ev->type == YAML_SCALAR_EVENT || ev->type == YAML_ALIAS_EVENT ||
	    (ev->type == YAML_SEQUENCE_START_EVENT &&
	    ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE) ||
	    (ev->type == YAML_MAPPING_START_EVENT &&
	    ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE);
}

static int
parse_seq(struct rd *r, yaml_event_t *start, int parent,
    struct yaml_node **out)
{
	struct yaml_node *seq = yaml_seq_new(), *item;
	yaml_char_t *anchor = start->data.sequence_start.anchor;
	int me = coll_new(r, seq, parent, &start->start_mark);
	yaml_event_t ev;
	int inl;

	start->data.sequence_start.anchor = NULL;
	for (;;) {
		if (next_event(r, &ev) != 0)
			goto fail;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			r->last_end = ev.end_mark;
			yaml_event_delete(&ev);
			break;
		}
		add_slot(r, me, seq->v.seq.len, &ev.start_mark);
		inl = ends_inline(&ev);
		if (parse_node(r, &ev, me, &item) != 0)
			goto fail;
		if (inl)
			add_lend(r, me, seq->v.seq.len, ROLE_ITEM);
		yaml_seq_add(seq, item);
	}
	anchor_set(r, anchor, seq);
	free(anchor);
	*out = seq;
	return 0;
fail:
	free(anchor);
	yaml_node_free(seq);
	return -1;
}

static int
check_key(struct rd *r, const struct yaml_node *map,
    const struct yaml_node *k, const yaml_mark_t *m)
{
	if (k->kind != YAML_STR)
		return fail_at(r, m, "mapping key is not a string (it is a "
		    "%s); only string keys are supported",
		    yaml_kind_name(k->kind));
	if (yaml_map_getn(map, k->v.str.s, k->v.str.len) != NULL)
		return fail_at(r, m, "mapping key '%s' already defined",
		    k->v.str.s);
	return 0;
}

static int
parse_entry(struct rd *r, yaml_event_t *kev, int me, struct yaml_node *map)
{
	struct yaml_node *key, *val;
	yaml_mark_t kmark = kev->start_mark;
	yaml_event_t ev;
	size_t child = map->v.map.len;
	int inl;

	add_slot(r, me, child, &kev->start_mark);
	inl = ends_inline(kev);
	if (parse_node(r, kev, me, &key) != 0)
		return -1;
	if (inl)
		add_lend(r, me, child, ROLE_KEY);
	if (check_key(r, map, key, &kmark) != 0) {
		yaml_node_free(key);
		return -1;
	}
	if (next_event(r, &ev) != 0) {
		yaml_node_free(key);
		return -1;
	}
	inl = ends_inline(&ev);
	if (parse_node(r, &ev, me, &val) != 0) {
		yaml_node_free(key);
		return -1;
	}
	if (inl)
		add_lend(r, me, child, ROLE_VALUE);
	yaml_map_addn(map, key->v.str.s, key->v.str.len, val);
	yaml_node_free(key);
	return 0;
}

static int
parse_map(struct rd *r, yaml_event_t *start, int parent,
    struct yaml_node **out)
{
	struct yaml_node *map = yaml_map_new();
	yaml_char_t *anchor = start->data.mapping_start.anchor;
	int me = coll_new(r, map, parent, &start->start_mark);
	yaml_event_t ev;

	start->data.mapping_start.anchor = NULL;
	for (;;) {
		if (next_event(r, &ev) != 0)
			goto fail;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			r->last_end = ev.end_mark;
			yaml_event_delete(&ev);
			break;
		}
		if (parse_entry(r, &ev, me, map) != 0)
			goto fail;
	}
	anchor_set(r, anchor, map);
	free(anchor);
	*out = map;
	return 0;
fail:
	free(anchor);
	yaml_node_free(map);
	return -1;
}

/* Builds the node that starts with ev (which this function deletes). */
static int
parse_node(struct rd *r, yaml_event_t *ev, int parent, struct yaml_node **out)
{
	int rc = 0;

	*out = NULL;
	r->last_end = ev->end_mark;
	r->has_header = 0;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		add_span(r, ev);
		if (ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
		    ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE) {
			r->header = ev->start_mark;
			r->has_header = 1;
		}
		if ((*out = scalar_value(r, ev)) == NULL)
			rc = -1;
		else
			anchor_set(r, ev->data.scalar.anchor, *out);
		break;
	case YAML_ALIAS_EVENT:
		if ((*out = alias_value(r, ev)) == NULL)
			rc = -1;
		break;
	case YAML_SEQUENCE_START_EVENT:
		rc = parse_seq(r, ev, parent, out);
		break;
	case YAML_MAPPING_START_EVENT:
		rc = parse_map(r, ev, parent, out);
		break;
	default:
		rc = fail_at(r, &ev->start_mark, "%s", "unexpected event");
		break;
	}
	yaml_event_delete(ev);
	return rc;
}

/* One document after its DOCUMENT-START event. */
static int
parse_document(struct rd *r, struct yaml_docs *docs)
{
	struct yaml_node *root;
	yaml_event_t ev;

	if (next_event(r, &ev) != 0)
		return -1;
	if (parse_node(r, &ev, -1, &root) != 0)
		return -1;
	yaml_docs_add(docs, root);
	if (next_event(r, &ev) != 0)
		return -1;
	yaml_event_delete(&ev);		/* DOCUMENT-END */
	return 0;
}

static int
parse_stream(struct rd *r, struct yaml_docs *docs)
{
	yaml_event_t ev;

	for (;;) {
		if (next_event(r, &ev) != 0)
			return -1;
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT) {
			GROW(r->docstart, r->ndocs, r->capdocs);
			r->docstart[r->ndocs++] = mark_off(r, &ev.start_mark);
			r->doc = (int)r->ndocs - 1;
			yaml_event_delete(&ev);
			if (parse_document(r, docs) != 0)
				return -1;
			continue;
		}
		yaml_event_delete(&ev);		/* STREAM-START */
	}
}

/* ---- comments --------------------------------------------------------- */

static void
add_insert(struct rd *r, int coll, size_t child, const char *text,
    size_t len, int inline_)
{
	struct yaml_node *c = yaml_commentn(text, len, inline_);

	GROW(r->ins, r->nins, r->capins);
	r->ins[r->nins].coll = coll;
	r->ins[r->nins].child = child;
	r->ins[r->nins].seq = r->nins;
	r->ins[r->nins].comment = c;
	r->nins++;
}

static size_t
child_count(const struct yaml_node *n)
{
	return n->kind == YAML_MAP ? n->v.map.len : n->v.seq.len;
}

/* Is collection a an ancestor of (or equal to) collection b? */
static int
contains(const struct rd *r, int a, int b)
{
	for (; b >= 0; b = r->colls[b].parent)
		if (a == b)
			return 1;
	return 0;
}

static int
doc_of(const struct rd *r, size_t off)
{
	int d = 0;

	while ((size_t)d + 1 < r->ndocs && r->docstart[d + 1] <= off)
		d++;
	return d;
}

/* A comment on a line of its own: before the next entry or a foot. */
static void
place_full_line(struct rd *r, size_t off, const char *text, size_t len)
{
	long col = off_col(r, off);
	int doc = doc_of(r, off);
	const struct slot *prev = NULL, *next = NULL;
	size_t lo = 0, hi = r->nslots;
	int k;

	/* Slots are in text order: find the first one after off. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r->slots[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && r->slots[lo - 1].doc == doc)
		prev = &r->slots[lo - 1];
	if (lo < r->nslots && r->slots[lo].doc == doc)
		next = &r->slots[lo];
	/* Collections that close between prev and next, innermost first. */
	for (k = prev ? prev->coll : -1; k >= 0; k = r->colls[k].parent) {
		if (next != NULL && contains(r, k, next->coll))
			break;
		if (r->colls[k].node != NULL && r->colls[k].col <= col) {
			add_insert(r, k, child_count(r->colls[k].node), text,
			    len, 0);
			return;
		}
	}
	if (next != NULL)
		add_insert(r, next->coll, next->child, text, len, 0);
	/* XXX: comments of a document without any entry are dropped. */
}

/* A comment after something on its line. */
static void
place_comment(struct rd *r, size_t off, const char *text, size_t len)
{
	long line = off_line(r, off);
	const struct lend *best = NULL;
	size_t i, p;

	for (p = r->lines[line]; p < off; p++)
		if (r->text[p] != ' ' && r->text[p] != '\t')
			break;
	if (p < off) {
		for (i = 0; i < r->nlends; i++)
			if (r->lends[i].line == line && r->lends[i].off <= off)
				best = &r->lends[i];
	}
	if (best == NULL) {
		place_full_line(r, off, text, len);
		return;
	}
	add_insert(r, best->coll, best->child, text, len,
	    best->role != ROLE_KEY);
}

/* Finds comments outside scalar text: '#' after a blank or a break. */
static void
scan_comments(struct rd *r)
{
	size_t p = 0, s = 0, end;

	while (p < r->len) {
		while (s < r->nspans && r->spans[s].end <= p)
			s++;
		if (s < r->nspans && r->spans[s].start <= p) {
			p = r->spans[s].end;
			continue;
		}
		if (r->text[p] != '#' || (p > 0 && r->text[p - 1] != ' ' &&
		    r->text[p - 1] != '\t' && r->text[p - 1] != '\n' &&
		    r->text[p - 1] != '\r' && !(p == 3 &&
		    memcmp(r->text, "\xEF\xBB\xBF", 3) == 0))) {
			p++;
			continue;
		}
		for (end = p; end < r->len && !break_len(r->text + end,
		    r->len - end); end++)
			;
		place_comment(r, p, r->text + p + 1, end - p - 1);
		p = end;
	}
}

static int
insert_cmp(const void *a, const void *b)
{
	const struct insert *x = a, *y = b;

	if (x->coll != y->coll)
		return x->coll < y->coll ? -1 : 1;
	if (x->child != y->child)
		return x->child < y->child ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Rebuilds a collection's items with its comments in place. */
static void
merge_comments(struct yaml_node *n, const struct insert *ins, size_t nins)
{
	struct yaml_node tmp = *n;
	size_t i, k = 0, count = child_count(n);

	if (n->kind == YAML_MAP) {
		n->v.map.items = NULL;
		n->v.map.len = n->v.map.cap = 0;
	} else {
		n->v.seq.items = NULL;
		n->v.seq.len = n->v.seq.cap = 0;
	}
	for (i = 0; i <= count; i++) {
		for (; k < nins && ins[k].child == i; k++) {
			if (n->kind == YAML_MAP)
				yaml_map_push(n, NULL, 0, ins[k].comment);
			else
				yaml_seq_add(n, ins[k].comment);
		}
		if (i == count)
			break;
		if (n->kind == YAML_MAP)
			yaml_map_push(n, tmp.v.map.items[i].key,
			    tmp.v.map.items[i].keylen,
			    tmp.v.map.items[i].value);
		else
			yaml_seq_add(n, tmp.v.seq.items[i]);
	}
	free(n->kind == YAML_MAP ? (void *)tmp.v.map.items :
	    (void *)tmp.v.seq.items);
}

static void
apply_comments(struct rd *r)
{
	size_t i = 0, j;

	if (r->nins == 0)
		return;
	qsort(r->ins, r->nins, sizeof *r->ins, insert_cmp);
	while (i < r->nins) {
		for (j = i; j < r->nins && r->ins[j].coll == r->ins[i].coll;
		    j++)
			;
		merge_comments(r->colls[r->ins[i].coll].node, r->ins + i,
		    j - i);
		i = j;
	}
	r->nins = 0;
}

static void
rd_free(struct rd *r)
{
	size_t i;

	for (i = 0; i < r->nanchors; i++) {
		free(r->anchors[i].name);
		yaml_node_free(r->anchors[i].node);
	}
	for (i = 0; i < r->nins; i++)
		yaml_node_free(r->ins[i].comment);
	free(r->anchors);
	free(r->colls);
	free(r->slots);
	free(r->lends);
	free(r->spans);
	free(r->docstart);
	free(r->ins);
	free(r->lines);
	yaml_parser_delete(&r->parser);
}

int
yaml_parse(const char *text, size_t len, struct yaml_docs *out,
    struct buf *why)
{
	struct yaml_docs docs = { NULL, 0, 0 };
	struct rd r;
	size_t i;

	memset(&r, 0, sizeof r);
	r.text = text;
	r.len = len;
	r.why = why;
	index_lines(&r);
	if (!yaml_parser_initialize(&r.parser)) {
		buf_adds(why, "out of memory");
		free(r.lines);
		return -1;
	}
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)text,
	    len);
	if (parse_stream(&r, &docs) != 0) {
		yaml_docs_free(&docs);
		rd_free(&r);
		return -1;
	}
	scan_comments(&r);
	apply_comments(&r);
	for (i = 0; i < docs.len; i++)
		yaml_docs_add(out, docs.docs[i]);
	free(docs.docs);
	rd_free(&r);
	return 0;
}
