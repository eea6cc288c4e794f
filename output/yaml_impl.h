/* yaml_impl.h: helpers the yaml_*.c files share; nothing else includes it. */
#ifndef RAILGEN_YAML_IMPL_H
#define RAILGEN_YAML_IMPL_H

#include <stddef.h>

#include "yamltree.h"

/*
 * Types plain text like yaml_resolve_plain into *out without allocating:
 * for YAML_STR, out->v.str is left untouched.
 */
void	yaml_resolve_into(const char *s, size_t len, struct yaml_node *out);

/* go-yaml quotes these on output although they resolve as strings. */
int	yaml_is_old_bool(const char *s, size_t len);
int	yaml_is_base60_float(const char *s, size_t len);

/* Appends an item, taking key (malloc'd, or NULL for a comment). */
void	yaml_map_push(struct yaml_node *map, char *key, size_t keylen,
	    struct yaml_node *value);

/* True when s[0..len) is well-formed UTF-8 (no surrogates, no overlong). */
int	yaml_utf8_valid(const char *s, size_t len);

#endif
