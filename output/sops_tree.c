/* sops_tree.c: the walk over a SOPS tree: encrypting, decrypting, the MAC. */
#include <string.h>

#include <sodium.h>

#include "sops_impl.h"

/*
 * sops walks every document in order.  Mapping keys extend the path,
 * sequence items share their parent's path, nulls are skipped, comments
 * are leaves with the path of their collection.  The MAC is SHA-512 over
 * the plaintext bytes of every non-comment leaf (only the encrypted ones
 * with mac_only_encrypted, after a fixed 32-byte seed), in upper-case hex.
 */

/* sha256("sops"): makes a mac_only_encrypted MAC differ from a full one. */
static const unsigned char mac_only_seed[32] = {
	0x8a, 0x3f, 0xd2, 0xad, 0x54, 0xce, 0x66, 0x52, 0x7b, 0x10, 0x34,
	0xf3, 0xd1, 0x47, 0xbe, 0x0b, 0x0b, 0x97, 0x5b, 0x3b, 0xf4, 0x4f,
	0x72, 0xc6, 0xfd, 0xad, 0xec, 0x81, 0x76, 0xf2, 0x7d, 0x69
};

static int walk_node(struct sops_walk *, struct yaml_node **);

static int
walk_map(struct sops_walk *w, struct yaml_node *n)
{
	size_t i;
	int rc;

	for (i = 0; i < n->v.map.len; i++) {
		struct yaml_pair *p = &n->v.map.items[i];

		if (p->key == NULL)
			rc = w->fn(w, &p->value, 1);
		else {
			sops_path_push(&w->path, p->key, p->keylen);
			rc = walk_node(w, &p->value);
			sops_path_pop(&w->path);
		}
		if (rc != SOPS_OK)
			return rc;
	}
	return SOPS_OK;
}

static int
walk_node(struct sops_walk *w, struct yaml_node **slot)
{
	struct yaml_node *n = *slot;
	size_t i;
	int rc;

	switch (n->kind) {
	case YAML_MAP:
		return walk_map(w, n);
	case YAML_SEQ:
		for (i = 0; i < n->v.seq.len; i++)
			if ((rc = walk_node(w, &n->v.seq.items[i])) != SOPS_OK)
				return rc;
		return SOPS_OK;
	case YAML_NULL:
		return SOPS_OK;
	default:
		return w->fn(w, slot, 0);
	}
}

int
sops_walk_docs(struct sops_walk *w, struct yaml_docs *docs)
{
	size_t i;
	int rc;

	for (i = 0; i < docs->len; i++)
		if ((rc = walk_node(w, &docs->docs[i])) != SOPS_OK)
			return rc;
	return SOPS_OK;
}

/* State of an encryption or decryption walk. */
struct crypt {
	struct sops_cipher		*c;
	crypto_hash_sha512_state	 h;
	int				 mac_only;
	struct buf			 aad;
};

/* "a:b" for messages (the AAD without its final ':'). */
static void
where(struct buf *why, const struct sops_walk *w)
{
	size_t i;

	if (w->path.n == 0) {
		buf_adds(why, "the top level");
		return;
	}
	buf_addc(why, '\'');
	for (i = 0; i < w->path.n; i++)
		buf_printf(why, "%s%.*s", i ? ":" : "", (int)w->path.lens[i],
		    w->path.keys[i]);
	buf_addc(why, '\'');
}

static int
hash_leaf(struct crypt *x, const struct sops_walk *w,
    const struct yaml_node *n)
{
	struct buf b = BUF_INIT, reason = BUF_INIT;
	int rc;

	if ((rc = sops_leaf_bytes(n, &b, &reason)) != SOPS_OK) {
		where(w->why, w);
		buf_printf(w->why, ": %s", reason.data);
		buf_free(&reason);
		return rc;
	}
	crypto_hash_sha512_update(&x->h, (unsigned char *)b.data, b.len);
	buf_wipe(&b);
	return SOPS_OK;
}

/* Unencrypted uint64 values stop sops's walk too. */
static int
walkable(const struct sops_walk *w, const struct yaml_node *n)
{
	if (n->kind != YAML_UINT && n->kind != YAML_KEEP)
		return SOPS_OK;
	buf_adds(w->why, "the value at ");
	where(w->why, w);
	buf_adds(w->why, n->kind == YAML_UINT ?
	    " is an integer beyond 64-bit range, which sops cannot handle" :
	    " is a placeholder with no previous value to keep");
	return SOPS_ERR_INPUT;
}

/*
 * A comment that does not decrypt stays as it is: sops assumes it was
 * written before comments were encrypted.
 */
static void
decrypt_comment(struct crypt *x, struct yaml_node **slot)
{
	struct yaml_node *n = *slot, *v;
	struct buf ignored = BUF_INIT;
	int inline_ = n->v.str.inline_;

	if (sops_value_decrypt(x->c, n->v.str.s, n->v.str.len, x->aad.data,
	    x->aad.len, &v, &ignored) == SOPS_OK) {
		if (v->kind == YAML_COMMENT || v->kind == YAML_STR) {
			/* A stored comment comes back as a head comment. */
			v->v.str.inline_ = v->kind == YAML_STR ? inline_ : 0;
			v->kind = YAML_COMMENT;
			yaml_node_replace(n, v);
		} else
			yaml_node_free(v);
	}
	buf_free(&ignored);
}

static int
decrypt_leaf(struct sops_walk *w, struct yaml_node **slot, int map_comment)
{
	struct crypt *x = w->ctx;
	struct yaml_node *n = *slot, *v;
	struct buf reason = BUF_INIT;
	int enc = sops_rules_encrypt(w->rules, &w->path), rc;

	(void)map_comment;
	if ((rc = walkable(w, n)) != SOPS_OK)
		return rc;
	buf_reset(&x->aad);
	sops_path_aad(&w->path, &x->aad);
	if (enc && n->kind == YAML_COMMENT)
		decrypt_comment(x, slot);
	else if (enc && n->kind == YAML_STR) {
		rc = sops_value_decrypt(x->c, n->v.str.s, n->v.str.len,
		    x->aad.data, x->aad.len, &v, &reason);
		if (rc != SOPS_OK) {
			buf_adds(w->why, "the value at ");
			where(w->why, w);
			buf_printf(w->why, " is damaged: %s", reason.data);
			buf_free(&reason);
			return rc;
		}
		yaml_node_replace(n, v);
	} else if (enc) {
		buf_adds(w->why, "the value at ");
		where(w->why, w);
		buf_printf(w->why, " should be encrypted but is a clear %s",
		    yaml_kind_name(n->kind));
		return SOPS_ERR_VALUE;
	}
	if ((!x->mac_only || enc) && n->kind != YAML_COMMENT)
		return hash_leaf(x, w, n);
	return SOPS_OK;
}

static int
encrypt_leaf(struct sops_walk *w, struct yaml_node **slot, int map_comment)
{
	struct crypt *x = w->ctx;
	struct yaml_node *n = *slot;
	struct buf out = BUF_INIT, reason = BUF_INIT;
	int enc = sops_rules_encrypt(w->rules, &w->path), rc;

	if ((rc = walkable(w, n)) != SOPS_OK)
		return rc;
	if ((!x->mac_only || enc) && n->kind != YAML_COMMENT &&
	    (rc = hash_leaf(x, w, n)) != SOPS_OK)
		return rc;
	if (!enc)
		return SOPS_OK;
	buf_reset(&x->aad);
	sops_path_aad(&w->path, &x->aad);
	rc = sops_value_encrypt(x->c, n, x->aad.data, x->aad.len, &out,
	    &reason);
	if (rc != SOPS_OK) {
		buf_adds(w->why, "the value at ");
		where(w->why, w);
		buf_printf(w->why, ": %s", reason.data);
		buf_free(&reason);
		return rc;
	}
	if (out.data == NULL)
		buf_add(&out, "", 0);
	if (n->kind == YAML_COMMENT && map_comment) {
		/* Comments of a mapping stay comments, with their place. */
		struct yaml_node *c = yaml_commentn(out.data, out.len,
		    n->v.str.inline_);

		yaml_node_replace(n, c);
	} else
		yaml_node_replace(n, yaml_strn(out.data, out.len));
	buf_free(&out);
	return SOPS_OK;
}

static int
hash_only_leaf(struct sops_walk *w, struct yaml_node **slot, int map_comment)
{
	struct crypt *x = w->ctx;
	const struct yaml_node *n = *slot;
	int enc = sops_rules_encrypt(w->rules, &w->path), rc;

	(void)map_comment;
	if ((rc = walkable(w, n)) != SOPS_OK)
		return rc;
	if ((!x->mac_only || enc) && n->kind != YAML_COMMENT)
		return hash_leaf(x, w, n);
	return SOPS_OK;
}

static void
hex_upper(const unsigned char *d, size_t n, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Runs fn over f's documents and leaves the MAC in hex[129]. */
static int
crypt_walk(struct sops_file *f, struct sops_cipher *c, sops_leaf_fn *fn,
    char hex[SOPS_MAC_HEX + 1], struct buf *why)
{
	struct sops_rules rules;
	struct sops_walk w;
	struct crypt x;
	unsigned char digest[crypto_hash_sha512_BYTES];
	int rc;

	rc = sops_rules_init(&rules, f->meta.rule, f->meta.rule_value, why);
	if (rc != SOPS_OK)
		return rc;
	memset(&w, 0, sizeof w);
	memset(&x, 0, sizeof x);
	x.c = c;
	x.mac_only = f->meta.mac_only_encrypted;
	crypto_hash_sha512_init(&x.h);
	if (x.mac_only)
		crypto_hash_sha512_update(&x.h, mac_only_seed,
		    sizeof mac_only_seed);
	w.rules = &rules;
	w.fn = fn;
	w.ctx = &x;
	w.why = why;
	rc = sops_walk_docs(&w, &f->docs);
	crypto_hash_sha512_final(&x.h, digest);
	hex_upper(digest, sizeof digest, hex);
	sodium_memzero(digest, sizeof digest);
	sodium_memzero(&x.h, sizeof x.h);
	sops_path_free(&w.path);
	sops_rules_free(&rules);
	buf_free(&x.aad);
	return rc;
}

static int
check_mac(struct sops_file *f, struct sops_cipher *c, const char *hex,
    struct buf *why)
{
	struct buf aad = BUF_INIT, reason = BUF_INIT;
	struct yaml_node *mac = NULL;
	int rc;

	if ((rc = sops_meta_mac_aad(&f->meta, &aad, why)) != SOPS_OK)
		goto out;
	rc = sops_value_decrypt(c, f->meta.mac, strlen(f->meta.mac),
	    aad.data, aad.len, &mac, &reason);
	if (rc != SOPS_OK || mac->kind != YAML_STR) {
		buf_printf(why, "the MAC cannot be decrypted (%s): the "
		    "metadata was damaged or changed", rc != SOPS_OK ?
		    reason.data : "not a string");
		rc = SOPS_ERR_MAC;
		goto out;
	}
	if (mac->v.str.len != strlen(hex) ||
	    sodium_memcmp(mac->v.str.s, hex, mac->v.str.len) != 0) {
		buf_adds(why, "MAC mismatch: the file was changed after it "
		    "was encrypted");
		rc = SOPS_ERR_MAC;
	}
out:
	yaml_node_free(mac);
	buf_free(&aad);
	buf_free(&reason);
	return rc;
}

int
sops_file_mac(struct sops_file *f, char hex[SOPS_MAC_HEX + 1],
    struct buf *why)
{
	if (!f->decrypted) {
		buf_adds(why, "the MAC is computed over plaintext");
		return SOPS_ERR_INPUT;
	}
	return crypt_walk(f, NULL, hash_only_leaf, hex, why);
}

int
sops_file_decrypt(struct sops_file *f, struct sops_cipher *c,
    struct buf *why)
{
	char hex[SOPS_MAC_HEX + 1];
	int rc;

	if (f->decrypted) {
		buf_adds(why, "the file is decrypted already");
		return SOPS_ERR_INPUT;
	}
	rc = crypt_walk(f, c, decrypt_leaf, hex, why);
	f->decrypted = 1;
	if (rc == SOPS_OK)
		rc = check_mac(f, c, hex, why);
	sodium_memzero(hex, sizeof hex);
	return rc;
}

int
sops_file_encrypt(struct sops_file *f, struct sops_cipher *c,
    const char *lastmodified, struct buf *why)
{
	char hex[SOPS_MAC_HEX + 1];
	struct buf aad = BUF_INIT, mac = BUF_INIT;
	struct yaml_node *macnode;
	int rc;

	if (!f->decrypted) {
		buf_adds(why, "the file is encrypted already");
		return SOPS_ERR_INPUT;
	}
	free(f->meta.lastmodified);
	f->meta.lastmodified = xstrdup(lastmodified);
	if ((rc = sops_meta_mac_aad(&f->meta, &aad, why)) != SOPS_OK)
		return rc;
	rc = crypt_walk(f, c, encrypt_leaf, hex, why);
	f->decrypted = 0;
	if (rc == SOPS_OK) {
		macnode = yaml_str(hex);
		rc = sops_value_encrypt(c, macnode, aad.data, aad.len, &mac,
		    why);
		yaml_node_free(macnode);
	}
	if (rc == SOPS_OK) {
		free(f->meta.mac);
		f->meta.mac = buf_detach(&mac, NULL);
	}
	sodium_memzero(hex, sizeof hex);
	buf_free(&aad);
	buf_free(&mac);
	return rc;
}
