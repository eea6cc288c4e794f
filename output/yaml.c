/* yaml.c: building, copying, comparing and freeing YAML node trees. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "yamltree.h"
#include "yaml_impl.h"

static struct yaml_node *
node_new(enum yaml_kind kind)
{
	struct yaml_node *n;

	n = xcalloc(1, sizeof *n);
	n->kind = kind;
	return n;
}

struct yaml_node *
yaml_map_new(void)
{
	return node_new(YAML_MAP);
}

struct yaml_node *
yaml_seq_new(void)
{
	return node_new(YAML_SEQ);
}

struct yaml_node *
yaml_strn(const char *s, size_t len)
{
	struct yaml_node *n = node_new(YAML_STR);

	n->v.str.s = xstrndup(s, len);
	n->v.str.len = len;
	return n;
}

struct yaml_node *
yaml_str(const char *s)
{
	return yaml_strn(s, strlen(s));
}

struct yaml_node *
yaml_int(int64_t i)
{
	struct yaml_node *n = node_new(YAML_INT);

	n->v.i = i;
	return n;
}

struct yaml_node *
yaml_uint(uint64_t u)
{
	struct yaml_node *n = node_new(YAML_UINT);

	n->v.u = u;
	return n;
}

struct yaml_node *
yaml_float(double f)
{
	struct yaml_node *n = node_new(YAML_FLOAT);

	n->v.f = f;
	return n;
}

struct yaml_node *
yaml_bool(int b)
{
	struct yaml_node *n = node_new(YAML_BOOL);

	n->v.b = b != 0;
	return n;
}

struct yaml_node *
yaml_null(void)
{
	return node_new(YAML_NULL);
}

struct yaml_node *
yaml_time(const struct yaml_time *t)
{
	struct yaml_node *n = node_new(YAML_TIME);

	n->v.t = *t;
	return n;
}

struct yaml_node *
yaml_commentn(const char *text, size_t len, int inline_)
{
	struct yaml_node *n = yaml_strn(text, len);

	n->kind = YAML_COMMENT;
	n->v.str.inline_ = inline_ != 0;
	return n;
}

struct yaml_node *
yaml_comment(const char *text, int inline_)
{
	return yaml_commentn(text, strlen(text), inline_);
}

struct yaml_node *
yaml_keep(void)
{
	return node_new(YAML_KEEP);
}

void
yaml_map_push(struct yaml_node *map, char *key, size_t keylen,
    struct yaml_node *value)
{
	struct yaml_pair *p;

	if (map->v.map.len == map->v.map.cap) {
		map->v.map.cap = map->v.map.cap ? map->v.map.cap * 2 : 8;
		map->v.map.items = xrealloc(map->v.map.items,
		    map->v.map.cap * sizeof *map->v.map.items);
	}
	p = &map->v.map.items[map->v.map.len++];
	p->key = key;
	p->keylen = keylen;
	p->value = value;
}

void
yaml_map_addn(struct yaml_node *map, const char *key, size_t keylen,
    struct yaml_node *value)
{
	yaml_map_push(map, xstrndup(key, keylen), keylen, value);
}

void
yaml_map_add(struct yaml_node *map, const char *key, struct yaml_node *value)
{
	yaml_map_addn(map, key, strlen(key), value);
}

void
yaml_map_add_comment(struct yaml_node *map, const char *text)
{
	const char *nl;
	struct yaml_node *c;

	for (;;) {
		nl = strchr(text, '\n');
		c = yaml_commentn(text, nl ? (size_t)(nl - text) :
		    strlen(text), 0);
		yaml_map_push(map, NULL, 0, c);
		if (nl == NULL)
			break;
		text = nl + 1;
	}
}

void
yaml_seq_add(struct yaml_node *seq, struct yaml_node *item)
{
	if (seq->v.seq.len == seq->v.seq.cap) {
		seq->v.seq.cap = seq->v.seq.cap ? seq->v.seq.cap * 2 : 8;
		seq->v.seq.items = xrealloc(seq->v.seq.items,
		    seq->v.seq.cap * sizeof *seq->v.seq.items);
	}
	seq->v.seq.items[seq->v.seq.len++] = item;
}

struct yaml_node *
yaml_map_getn(const struct yaml_node *map, const char *key, size_t keylen)
{
	size_t i;

	if (map == NULL || map->kind != YAML_MAP)
		return NULL;
	for (i = 0; i < map->v.map.len; i++) {
		const struct yaml_pair *p = &map->v.map.items[i];

		if (p->key != NULL && p->keylen == keylen &&
		    memcmp(p->key, key, keylen) == 0)
			return p->value;
	}
	return NULL;
}

struct yaml_node *
yaml_map_get(const struct yaml_node *map, const char *key)
{
	return yaml_map_getn(map, key, strlen(key));
}

struct yaml_node *
yaml_map_take(struct yaml_node *map, const char *key)
{
	size_t i, keylen = strlen(key);
	struct yaml_node *v;

	for (i = 0; i < map->v.map.len; i++) {
		struct yaml_pair *p = &map->v.map.items[i];

		if (p->key == NULL || p->keylen != keylen ||
		    memcmp(p->key, key, keylen) != 0)
			continue;
		v = p->value;
		free(p->key);
		memmove(p, p + 1, (map->v.map.len - i - 1) * sizeof *p);
		map->v.map.len--;
		return v;
	}
	return NULL;
}

struct yaml_node *
yaml_node_copy(const struct yaml_node *n)
{
	struct yaml_node *c;
	size_t i;

	switch (n->kind) {
	case YAML_MAP:
		c = yaml_map_new();
		for (i = 0; i < n->v.map.len; i++) {
			const struct yaml_pair *p = &n->v.map.items[i];

			yaml_map_push(c, p->key ? xstrndup(p->key, p->keylen) :
			    NULL, p->keylen, yaml_node_copy(p->value));
		}
		return c;
	case YAML_SEQ:
		c = yaml_seq_new();
		for (i = 0; i < n->v.seq.len; i++)
			yaml_seq_add(c, yaml_node_copy(n->v.seq.items[i]));
		return c;
	case YAML_STR:
	case YAML_COMMENT:
		c = yaml_strn(n->v.str.s, n->v.str.len);
		c->kind = n->kind;
		c->v.str.inline_ = n->v.str.inline_;
		return c;
	default:
		c = node_new(n->kind);
		c->v = n->v;
		return c;
	}
}

static void
wipe_free(char *s, size_t len)
{
	if (s != NULL)
		sodium_memzero(s, len);
	free(s);
}

/* Frees what n holds, not n itself. */
static void
node_clear(struct yaml_node *n)
{
	size_t i;

	switch (n->kind) {
	case YAML_MAP:
		for (i = 0; i < n->v.map.len; i++) {
			wipe_free(n->v.map.items[i].key,
			    n->v.map.items[i].keylen);
			yaml_node_free(n->v.map.items[i].value);
		}
		free(n->v.map.items);
		break;
	case YAML_SEQ:
		for (i = 0; i < n->v.seq.len; i++)
			yaml_node_free(n->v.seq.items[i]);
		free(n->v.seq.items);
		break;
	case YAML_STR:
	case YAML_COMMENT:
		wipe_free(n->v.str.s, n->v.str.len);
		break;
	default:
		break;
	}
	sodium_memzero(&n->v, sizeof n->v);
}

void
yaml_node_free(struct yaml_node *n)
{
	if (n == NULL)
		return;
	node_clear(n);
	free(n);
}

void
yaml_node_replace(struct yaml_node *slot, struct yaml_node *src)
{
	node_clear(slot);
	*slot = *src;
	free(src);
}

static int
time_equal(const struct yaml_time *a, const struct yaml_time *b)
{
	return yaml_time_epoch(a) == yaml_time_epoch(b) &&
	    a->nsec == b->nsec && a->offset == b->offset;
}

static int
pairs_equal(const struct yaml_node *a, const struct yaml_node *b)
{
	size_t i;

	if (a->v.map.len != b->v.map.len)
		return 0;
	for (i = 0; i < a->v.map.len; i++) {
		const struct yaml_pair *p = &a->v.map.items[i];
		const struct yaml_pair *q = &b->v.map.items[i];

		if ((p->key == NULL) != (q->key == NULL))
			return 0;
		if (p->key != NULL && (p->keylen != q->keylen ||
		    memcmp(p->key, q->key, p->keylen) != 0))
			return 0;
		if (!yaml_node_equal(p->value, q->value))
			return 0;
	}
	return 1;
}

int
yaml_node_equal(const struct yaml_node *a, const struct yaml_node *b)
{
	size_t i;

	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case YAML_MAP:
		return pairs_equal(a, b);
	case YAML_SEQ:
		if (a->v.seq.len != b->v.seq.len)
			return 0;
		for (i = 0; i < a->v.seq.len; i++)
			if (!yaml_node_equal(a->v.seq.items[i],
			    b->v.seq.items[i]))
				return 0;
		return 1;
	case YAML_STR:
	case YAML_COMMENT:
		return a->v.str.len == b->v.str.len &&
		    memcmp(a->v.str.s, b->v.str.s, a->v.str.len) == 0 &&
		    a->v.str.inline_ == b->v.str.inline_;
	case YAML_INT:
		return a->v.i == b->v.i;
	case YAML_UINT:
		return a->v.u == b->v.u;
	case YAML_FLOAT:
		/* Same bits: NaN equals NaN here, and -0 is not 0. */
		return memcmp(&a->v.f, &b->v.f, sizeof a->v.f) == 0 ||
		    (isnan(a->v.f) && isnan(b->v.f));
	case YAML_BOOL:
		return a->v.b == b->v.b;
	case YAML_TIME:
		return time_equal(&a->v.t, &b->v.t);
	default:
		return 1;
	}
}

const char *
yaml_kind_name(enum yaml_kind k)
{
	static const char *const names[] = { "map", "seq", "str", "int",
	    "uint64", "float", "bool", "null", "time", "comment", "keep" };

	return names[k];
}

void
yaml_docs_add(struct yaml_docs *d, struct yaml_node *root)
{
	if (d->len == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 4;
		d->docs = xrealloc(d->docs, d->cap * sizeof *d->docs);
	}
	d->docs[d->len++] = root;
}

void
yaml_docs_free(struct yaml_docs *d)
{
	size_t i;

	for (i = 0; i < d->len; i++)
		yaml_node_free(d->docs[i]);
	free(d->docs);
	d->docs = NULL;
	d->len = d->cap = 0;
}
