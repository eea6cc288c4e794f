/* strmap.c: an open-addressing index from strings to numbers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "strmap.h"

static size_t
hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return (size_t)h;
}

/* The slot holding key, or the empty one where it would go. */
static struct strmap_slot *
probe(struct strmap_slot *slots, size_t cap, const char *key, size_t len)
{
	size_t i = hash(key, len) & (cap - 1);

	while (slots[i].key != NULL && (slots[i].len != len ||
	    memcmp(slots[i].key, key, len) != 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

struct strmap_slot *
strmap_get(const struct strmap *m, const char *key, size_t len)
{
	struct strmap_slot *sl;

	if (m->cap == 0)
		return NULL;
	sl = probe(m->slots, m->cap, key, len);
	return sl->key != NULL ? sl : NULL;
}

struct strmap_slot *
strmap_put(struct strmap *m, const char *key, size_t len, bool *added)
{
	struct strmap_slot *old, *sl;
	size_t i, oldcap;

	if (2 * (m->n + 1) > m->cap) {
		old = m->slots;
		oldcap = m->cap;
		m->cap = oldcap ? 2 * oldcap : 64;
		m->slots = xcalloc(m->cap, sizeof *m->slots);
		for (i = 0; i < oldcap; i++)
			if (old[i].key != NULL)
				*probe(m->slots, m->cap, old[i].key,
				    old[i].len) = old[i];
		free(old);
	}
	sl = probe(m->slots, m->cap, key, len);
	*added = sl->key == NULL;
	if (*added) {
		*sl = (struct strmap_slot){ key, len, 0 };
		m->n++;
	}
	return sl;
}

void
strmap_free(struct strmap *m)
{
	free(m->slots);
	*m = (struct strmap)STRMAP_INIT;
}
