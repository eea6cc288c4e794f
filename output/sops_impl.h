/* sops_impl.h: what the sops_*.c files and their unit tests share. */
#ifndef RAILGEN_SOPS_IMPL_H
#define RAILGEN_SOPS_IMPL_H

#include <regex.h>

#include "sops.h"

/* A key path: the mapping keys from the root to a leaf (borrowed). */
struct sops_path {
	const char	**keys;
	size_t		 *lens;
	size_t		  n, cap;
};

void	sops_path_push(struct sops_path *, const char *key, size_t len);
void	sops_path_pop(struct sops_path *);
void	sops_path_free(struct sops_path *);

/* The additional data of a leaf: the keys joined by ':', plus ':'. */
void	sops_path_aad(const struct sops_path *, struct buf *);

/* A compiled encryption rule. */
struct sops_regex;

struct sops_rules {
	enum sops_rule	 kind;
	const char	*value;		/* borrowed */
	struct sops_regex *rx;		/* *_regex kinds: sops_rules.c */
};

int	sops_rules_init(struct sops_rules *, enum sops_rule,
	    const char *value, struct buf *why);
void	sops_rules_free(struct sops_rules *);

/* Whether a leaf at path is encrypted (comment rules are not handled). */
int	sops_rules_encrypt(const struct sops_rules *,
	    const struct sops_path *);

/* "encrypted_regex", ...: the metadata key of a rule. */
const char *sops_rule_name(enum sops_rule);

/*
 * Translates the RE2 subset railgen supports into a POSIX extended
 * regex: ERE syntax plus (?:...), \d \D \w \W \s \S and escaped
 * punctuation.  Flags, lazy repetition, \b, \p and \Q are refused, and
 * so are a repetition of a repetition, counts over 1000, groups nested
 * over 32 deep and rules that expand to over 10000 atoms.
 */
int	sops_regex_translate(const char *re2, struct buf *ere,
	    struct buf *why);

/*
 * The bytes sops encrypts and hashes for a leaf (Go's ToBytes): strings
 * as they are, ints in decimal, floats as FormatFloat 'f' -1, booleans
 * as True/False, times as RFC 3339 with nanoseconds, comments as text.
 */
int	sops_leaf_bytes(const struct yaml_node *, struct buf *out,
	    struct buf *why);

/* Tests only: where the cipher takes fresh IVs (default: libsodium). */
typedef void	sops_ivgen_fn(void *ctx, unsigned char *iv, size_t n);
void	sops_cipher_set_ivgen(struct sops_cipher *, sops_ivgen_fn *, void *);

/* The MAC of plaintext documents, in upper-case hex, not encrypted. */
#define SOPS_MAC_HEX	128
int	sops_file_mac(struct sops_file *, char hex[SOPS_MAC_HEX + 1],
	    struct buf *why);

/* The MAC's additional data: lastmodified parsed and re-printed. */
int	sops_meta_mac_aad(const struct sops_meta *, struct buf *aad,
	    struct buf *why);

int	sops_meta_parse(const struct yaml_node *sops, struct sops_meta *,
	    struct buf *why);
void	sops_meta_free(struct sops_meta *);

/* The sops: mapping in the 3.13 layout (keys sorted). */
struct yaml_node *sops_meta_node(const struct sops_meta *);

/*
 * The MAC walk over documents.  Visits each non-null leaf (comments
 * included) in document order with its path; fn may replace the leaf.
 */
struct sops_walk;
typedef int	sops_leaf_fn(struct sops_walk *, struct yaml_node **leaf,
		    int in_map);

struct sops_walk {
	struct sops_path	 path;
	const struct sops_rules	*rules;
	sops_leaf_fn		*fn;
	void			*ctx;
	struct buf		*why;
};

int	sops_walk_docs(struct sops_walk *, struct yaml_docs *);

#endif
