/* strmap.h: an index from strings to numbers, for lookups in constant time. */
#ifndef RAILGEN_STRMAP_H
#define RAILGEN_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Keys are byte strings given as a pointer and a length; the map borrows
 * them, so a key must outlive its slot (a caller may point a slot's key
 * at a copy of its own after adding it).  Slots live in one table with
 * open addressing, hashed with FNV-1a, at most half full; a slot pointer
 * is good until the next strmap_put.
 */
struct strmap_slot {
	const char	*key;		/* NULL: an empty slot */
	size_t		 len;
	size_t		 val;
};

struct strmap {
	struct strmap_slot	*slots;
	size_t			 cap, n;	/* cap a power of 2, or 0 */
};

#define STRMAP_INIT	{ NULL, 0, 0 }

/* The slot of key, or NULL. */
struct strmap_slot	*strmap_get(const struct strmap *, const char *key,
			    size_t len);

/*
 * The slot of key, made (key borrowed, val 0) when there was none;
 * *added says which.
 */
struct strmap_slot	*strmap_put(struct strmap *, const char *key,
			    size_t len, bool *added);

/* Frees the table; the keys are the caller's. */
void			 strmap_free(struct strmap *);

#endif
