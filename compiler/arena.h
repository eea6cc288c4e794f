/* arena.h: one region that holds the AST and the model, freed at once. */
#ifndef RAILGEN_ARENA_H
#define RAILGEN_ARENA_H

#include <stddef.h>

struct arena;

struct arena	*arena_new(void);
void		 arena_free(struct arena *);

/* Zeroed, aligned for any type; never NULL (exits 3 when memory runs out). */
void		*arena_alloc(struct arena *, size_t);
char		*arena_strdup(struct arena *, const char *);
char		*arena_strndup(struct arena *, const char *, size_t);
char		*arena_printf(struct arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* Grows an array of elements of size elem; *cap tracks capacity. */
void		*arena_grow(struct arena *, void *, size_t *cap, size_t len,
		    size_t elem);

#endif
