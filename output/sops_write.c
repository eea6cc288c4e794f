/* sops_write.c: SOPS files written so that unchanged parts stay byte-stable. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "age.h"
#include "sops_impl.h"

/*
 * Design note.  railgen regenerates its SOPS files on every run, often
 * in CI where no age identity exists, and the result must equal what is
 * committed.  sops_write therefore decides first whether the MAC can
 * stay: it walks the new tree beside the previous file and lists the
 * leaves the MAC covers.  When every encrypted leaf is a YAML_KEEP of the
 * previous value, in the previous order, and (without mac_only_encrypted)
 * every clear leaf hashes as before, the previous ciphertexts, MAC and
 * lastmodified are copied and no key is needed.  Otherwise the previous
 * data key is unwrapped, the previous file decrypted (its MAC checked,
 * its IVs stashed) and the new tree encrypted with the same cipher, so
 * values that did not change come out identical.
 */

struct ctx {
	const struct sops_write	*w;
	struct sops_rules	 rules;
	struct buf		*why;
	/* The MAC inputs of the new tree: nodes of the previous file
	 * (encrypted leaves) and of the new one (clear leaves). */
	const struct yaml_node	**enc;
	size_t			 nenc, capenc;
	const struct yaml_node	**clear;
	size_t			 nclear, capclear;
	int			 keyless;	/* no key needed so far */
};

static void
push(const struct yaml_node ***arr, size_t *n, size_t *cap,
    const struct yaml_node *v)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*arr = xrealloc(*arr, *cap * sizeof **arr);
	}
	(*arr)[(*n)++] = v;
}

/* An encrypted comment stored as a sequence item. */
static int
is_seq_comment(const struct yaml_node *n)
{
	static const char sfx[] = ",type:comment]";

	return n->kind == YAML_COMMENT || (n->kind == YAML_STR &&
	    n->v.str.len >= sizeof sfx - 1 && memcmp(n->v.str.s +
	    n->v.str.len - (sizeof sfx - 1), sfx, sizeof sfx - 1) == 0);
}

/* Item i of a previous sequence, comments not counted. */
static struct yaml_node *
prev_item(const struct yaml_node *prev, size_t i)
{
	size_t k;

	if (prev == NULL || prev->kind != YAML_SEQ)
		return NULL;
	for (k = 0; k < prev->v.seq.len; k++) {
		if (is_seq_comment(prev->v.seq.items[k]))
			continue;
		if (i-- == 0)
			return prev->v.seq.items[k];
	}
	return NULL;
}

static void
where(struct buf *why, const struct sops_path *p)
{
	size_t i;

	buf_addc(why, '\'');
	for (i = 0; i < p->n; i++)
		buf_printf(why, "%s%.*s", i ? ":" : "", (int)p->lens[i],
		    p->keys[i]);
	buf_addc(why, '\'');
}

/* Replaces a YAML_KEEP leaf by a copy of the previous value. */
static int
keep(struct ctx *x, struct yaml_node *n, const struct yaml_node *prev,
    const struct sops_path *p)
{
	if (prev == NULL || prev->kind == YAML_MAP ||
	    prev->kind == YAML_SEQ || prev->kind == YAML_COMMENT) {
		buf_adds(x->why, "no previous value to keep at ");
		where(x->why, p);
		return SOPS_ERR_INPUT;
	}
	yaml_node_replace(n, yaml_node_copy(prev));
	return SOPS_OK;
}

static int pair_walk(struct ctx *, struct yaml_node *,
    const struct yaml_node *, struct sops_path *, int collect);

/*
 * Walks a new node beside its previous counterpart (NULL when there is
 * none), replacing YAML_KEEP leaves and, when collect is set, listing the
 * MAC inputs.  The previous tree is encrypted when collecting, plaintext
 * afterwards.
 */
static int
leaf(struct ctx *x, struct yaml_node *n, const struct yaml_node *prev,
    struct sops_path *p, int collect)
{
	int enc = sops_rules_encrypt(&x->rules, p), rc;

	if (n->kind == YAML_UINT) {
		buf_adds(x->why, "sops cannot store the integer at ");
		where(x->why, p);
		return SOPS_ERR_INPUT;
	}
	if (n->kind == YAML_KEEP) {
		if ((rc = keep(x, n, prev, p)) != SOPS_OK)
			return rc;
		if (collect && enc)
			push(&x->enc, &x->nenc, &x->capenc, prev);
	} else if (collect && enc)
		x->keyless = 0;		/* a value in clear: must encrypt */
	if (collect && !enc && n->kind != YAML_COMMENT)
		push(&x->clear, &x->nclear, &x->capclear, n);
	if (collect && enc && n->kind == YAML_COMMENT)
		x->keyless = 0;
	return SOPS_OK;
}

static int
pair_walk(struct ctx *x, struct yaml_node *n, const struct yaml_node *prev,
    struct sops_path *p, int collect)
{
	size_t i, item = 0;
	int rc;

	if (n->kind == YAML_MAP) {
		for (i = 0; i < n->v.map.len; i++) {
			struct yaml_pair *q = &n->v.map.items[i];

			if (q->key == NULL) {
				rc = leaf(x, q->value, NULL, p, collect);
			} else {
				sops_path_push(p, q->key, q->keylen);
				rc = pair_walk(x, q->value, yaml_map_getn(prev,
				    q->key, q->keylen), p, collect);
				sops_path_pop(p);
			}
			if (rc != SOPS_OK)
				return rc;
		}
		return SOPS_OK;
	}
	if (n->kind == YAML_SEQ) {
		for (i = 0; i < n->v.seq.len; i++) {
			struct yaml_node *v = n->v.seq.items[i];

			rc = pair_walk(x, v, v->kind == YAML_COMMENT ? NULL :
			    prev_item(prev, item++), p, collect);
			if (rc != SOPS_OK)
				return rc;
		}
		return SOPS_OK;
	}
	if (n->kind == YAML_NULL)
		return SOPS_OK;
	return leaf(x, n, prev, p, collect);
}

static int
walk_docs(struct ctx *x, struct yaml_docs *docs,
    const struct yaml_docs *prev, int collect)
{
	struct sops_path p = { NULL, NULL, 0, 0 };
	size_t i;
	int rc = SOPS_OK;

	for (i = 0; i < docs->len && rc == SOPS_OK; i++)
		rc = pair_walk(x, docs->docs[i], prev && i < prev->len ?
		    prev->docs[i] : NULL, &p, collect);
	sops_path_free(&p);
	return rc;
}

/* The MAC inputs of the previous (encrypted) file. */
struct prevmac {
	const struct yaml_node	**enc;
	size_t			 nenc, capenc;
	const struct yaml_node	**clear;
	size_t			 nclear, capclear;
};

static int
prev_leaf(struct sops_walk *w, struct yaml_node **slot, int map_comment)
{
	struct prevmac *m = w->ctx;
	const struct yaml_node *n = *slot;

	(void)map_comment;
	if (is_seq_comment(n))
		return SOPS_OK;
	if (sops_rules_encrypt(w->rules, &w->path))
		push(&m->enc, &m->nenc, &m->capenc, n);
	else
		push(&m->clear, &m->nclear, &m->capclear, n);
	return SOPS_OK;
}

static int
same_bytes(const struct yaml_node *a, const struct yaml_node *b)
{
	struct buf x = BUF_INIT, y = BUF_INIT, why = BUF_INIT;
	int same;

	same = sops_leaf_bytes(a, &x, &why) == SOPS_OK &&
	    sops_leaf_bytes(b, &y, &why) == SOPS_OK && x.len == y.len &&
	    memcmp(x.data, y.data, x.len) == 0;
	buf_wipe(&x);
	buf_wipe(&y);
	buf_free(&why);
	return same;
}

/* Whether the previous MAC still holds for the new tree. */
static int
mac_unchanged(struct ctx *x, struct sops_file *prev)
{
	struct prevmac m;
	struct sops_rules rules;
	struct sops_walk w;
	struct buf why = BUF_INIT;
	size_t i;
	int same;

	memset(&m, 0, sizeof m);
	memset(&w, 0, sizeof w);
	if (sops_rules_init(&rules, prev->meta.rule, prev->meta.rule_value,
	    &why) != SOPS_OK) {
		buf_free(&why);
		return 0;
	}
	w.rules = &rules;
	w.fn = prev_leaf;
	w.ctx = &m;
	w.why = &why;
	same = sops_walk_docs(&w, &prev->docs) == SOPS_OK &&
	    m.nenc == x->nenc;
	for (i = 0; same && i < m.nenc; i++)
		same = m.enc[i] == x->enc[i];
	if (!x->w->mac_only_encrypted) {
		same = same && m.nclear == x->nclear;
		for (i = 0; same && i < m.nclear; i++)
			same = same_bytes(m.clear[i], x->clear[i]);
	}
	sops_path_free(&w.path);
	sops_rules_free(&rules);
	free(m.enc);
	free(m.clear);
	buf_free(&why);
	return same;
}

static int
has_recipient(const struct sops_meta *m, const char *r)
{
	size_t i;

	for (i = 0; i < m->nage; i++)
		if (strcmp(m->age[i].recipient, r) == 0)
			return 1;
	return 0;
}

/* Same rule, same MAC mode, no recipient added. */
static int
same_settings(const struct sops_file *nf, const struct sops_file *prev,
    const struct sops_write *w)
{
	size_t i;

	if (nf->meta.rule != prev->meta.rule ||
	    strcmp(nf->meta.rule_value, prev->meta.rule_value) != 0 ||
	    nf->meta.mac_only_encrypted != prev->meta.mac_only_encrypted)
		return 0;
	for (i = 0; i < w->nrecipients; i++)
		if (!has_recipient(&prev->meta, w->recipients[i]))
			return 0;
	return 1;
}

/* The age stanzas: those of staying recipients are kept. */
static int
set_age(struct sops_meta *m, const struct sops_write *w,
    const struct sops_meta *prev, const unsigned char *key,
    struct buf *why)
{
	struct buf enc = BUF_INIT;
	size_t i, k;

	m->age = xcalloc(w->nrecipients, sizeof *m->age);
	for (i = 0; i < w->nrecipients; i++) {
		const char *r = w->recipients[i];

		m->age[m->nage].recipient = xstrdup(r);
		for (k = 0; prev != NULL && k < prev->nage; k++)
			if (strcmp(prev->age[k].recipient, r) == 0)
				break;
		if (prev != NULL && k < prev->nage)
			m->age[m->nage].enc = xstrdup(prev->age[k].enc);
		else if (key == NULL ||
		    age_wrap(key, SOPS_KEY_LEN, &r, 1, &enc, why) != AGE_OK) {
			free(m->age[m->nage].recipient);
			buf_free(&enc);
			return SOPS_ERR_SYSTEM;
		} else
			m->age[m->nage].enc = buf_detach(&enc, NULL);
		m->nage++;
	}
	return SOPS_OK;
}

static void
fmt_now(int64_t now, struct buf *b)
{
	struct yaml_time t;

	yaml_time_from_epoch(now, &t);
	yaml_fmt_time(b, &t, 0);
}

/* A plaintext copy of w's documents under w's settings. */
static struct sops_file *
new_file(const struct sops_write *w)
{
	struct sops_file *f = xcalloc(1, sizeof *f);
	size_t i;

	for (i = 0; i < w->plain.len; i++)
		yaml_docs_add(&f->docs, yaml_node_copy(w->plain.docs[i]));
	f->meta.rule = w->encrypted_regex ? SOPS_ENCRYPTED_REGEX :
	    SOPS_UNENCRYPTED_SUFFIX;
	f->meta.rule_value = xstrdup(w->encrypted_regex ?
	    w->encrypted_regex : "_unencrypted");
	f->meta.mac_only_encrypted = w->mac_only_encrypted != 0;
	f->meta.lastmodified = xstrdup("");
	f->meta.mac = xstrdup("");
	f->meta.version = xstrdup(SOPS_VERSION);
	f->decrypted = 1;
	return f;
}

static int
check_input(const struct sops_write *w, struct buf *why)
{
	size_t i;

	if (w->nrecipients == 0) {
		buf_adds(why, "a SOPS file needs at least one age recipient");
		return SOPS_ERR_INPUT;
	}
	for (i = 0; i < w->nrecipients; i++)
		if (age_recipient_check(w->recipients[i], why) != 0)
			return SOPS_ERR_INPUT;
	for (i = 0; i < w->plain.len; i++) {
		if (w->plain.docs[i]->kind != YAML_MAP) {
			buf_adds(why, "every document must be a mapping");
			return SOPS_ERR_INPUT;
		}
		if (yaml_map_get(w->plain.docs[i], "sops") != NULL) {
			buf_adds(why, "'sops' is reserved for the metadata");
			return SOPS_ERR_INPUT;
		}
	}
	return SOPS_OK;
}

/* A file with no predecessor: a new data key. */
static int
write_new(struct ctx *x, struct sops_file *nf, struct buf *out)
{
	unsigned char key[SOPS_KEY_LEN];
	struct sops_cipher *c;
	struct buf now = BUF_INIT;
	int rc;

	if ((rc = walk_docs(x, &nf->docs, NULL, 0)) != SOPS_OK)
		return rc;
	randombytes_buf(key, sizeof key);
	c = sops_cipher_new(key);
	rc = set_age(&nf->meta, x->w, NULL, key, x->why);
	sodium_memzero(key, sizeof key);
	fmt_now(x->w->now, &now);
	if (rc == SOPS_OK)
		rc = sops_file_encrypt(nf, c, now.data, x->why);
	if (rc == SOPS_OK)
		sops_file_emit(nf, out);
	sops_cipher_free(c);
	buf_free(&now);
	return rc;
}

/* Nothing the MAC covers changed: copy the previous ciphertexts. */
static int
write_keyless(struct ctx *x, struct sops_file *nf, struct sops_file *prev,
    struct buf *out)
{
	int rc;

	if ((rc = set_age(&nf->meta, x->w, &prev->meta, NULL, x->why)) !=
	    SOPS_OK)
		return rc;
	free(nf->meta.lastmodified);
	free(nf->meta.mac);
	free(nf->meta.version);
	nf->meta.lastmodified = xstrdup(prev->meta.lastmodified);
	nf->meta.mac = xstrdup(prev->meta.mac);
	nf->meta.version = xstrdup(prev->meta.version);
	nf->decrypted = 0;
	sops_file_emit(nf, out);
	return SOPS_OK;
}

/* The MAC plaintext a file holds (its key already known to c). */
static int
mac_hex(struct sops_file *f, struct sops_cipher *c, struct buf *hex,
    struct buf *why)
{
	struct buf aad = BUF_INIT;
	struct yaml_node *n = NULL;
	int rc;

	if ((rc = sops_meta_mac_aad(&f->meta, &aad, why)) == SOPS_OK)
		rc = sops_value_decrypt(c, f->meta.mac, strlen(f->meta.mac),
		    aad.data, aad.len, &n, why);
	if (rc == SOPS_OK)
		buf_add(hex, n->v.str.s, n->v.str.len);
	yaml_node_free(n);
	buf_free(&aad);
	return rc;
}

/*
 * Re-encrypts under the previous data key, with the cipher that decrypted
 * the previous file, so unchanged values keep their IVs.  When the MAC
 * comes out as before (only recipients changed), lastmodified and the
 * version stay too, and the stash reproduces the previous MAC text.
 */
static int
reencrypt(struct ctx *x, struct sops_file *nf, struct sops_file *prev,
    struct sops_cipher *c, const unsigned char *key, struct buf *out)
{
	struct buf before = BUF_INIT, now = BUF_INIT;
	char after[SOPS_MAC_HEX + 1];
	const char *lastmod;
	int rc;

	if ((rc = sops_file_decrypt(prev, c, x->why)) != SOPS_OK ||
	    (rc = mac_hex(prev, c, &before, x->why)) != SOPS_OK ||
	    (rc = walk_docs(x, &nf->docs, &prev->docs, 0)) != SOPS_OK ||
	    (rc = set_age(&nf->meta, x->w, &prev->meta, key, x->why)) !=
	    SOPS_OK ||
	    (rc = sops_file_mac(nf, after, x->why)) != SOPS_OK)
		goto out;
	fmt_now(x->w->now, &now);
	lastmod = now.data;
	if (before.len == SOPS_MAC_HEX &&
	    sodium_memcmp(before.data, after, SOPS_MAC_HEX) == 0) {
		lastmod = prev->meta.lastmodified;
		free(nf->meta.version);
		nf->meta.version = xstrdup(prev->meta.version);
	}
	if ((rc = sops_file_encrypt(nf, c, lastmod, x->why)) == SOPS_OK)
		sops_file_emit(nf, out);
out:
	sodium_memzero(after, sizeof after);
	buf_wipe(&before);
	buf_free(&now);
	return rc;
}

/* With a previous file: keep what can be kept, else use its key. */
static int
write_next(struct ctx *x, struct sops_file **nfp, struct buf *out)
{
	const struct sops_write *w = x->w;
	unsigned char key[SOPS_KEY_LEN];
	struct sops_file *prev, *own = NULL;
	struct sops_cipher *c;
	int rc;

	/* Keeping everything, the common case, only reads prev. */
	if ((prev = w->prev_file) == NULL) {
		if ((rc = sops_file_parse(w->prev, w->prevlen, &own,
		    x->why)) != SOPS_OK)
			return rc;
		prev = own;
	}
	rc = walk_docs(x, &(*nfp)->docs, &prev->docs, 1);
	if (rc == SOPS_OK && x->keyless && same_settings(*nfp, prev, w) &&
	    mac_unchanged(x, prev)) {
		rc = write_keyless(x, *nfp, prev, out);
		goto out;
	}
	if (rc != SOPS_OK)
		goto out;
	/* Start again from the plaintext the caller gave. */
	sops_file_free(*nfp);
	*nfp = new_file(w);
	if (w->keyring == NULL || age_keyring_count(w->keyring) == 0) {
		buf_adds(x->why, "secrets or recipients changed, which needs "
		    "the previous data key, and no age identity was found; "
		    SOPS_IDENTITY_HINT);
		rc = SOPS_ERR_NO_IDENTITY;
		goto out;
	}
	/* reencrypt decrypts prev in place: never the caller's copy. */
	if (own == NULL) {
		if ((rc = sops_file_parse(w->prev, w->prevlen, &own,
		    x->why)) != SOPS_OK)
			goto out;
		prev = own;
	}
	if ((rc = sops_file_data_key(prev, w->keyring, key, x->why)) !=
	    SOPS_OK)
		goto out;
	c = sops_cipher_new(key);
	rc = reencrypt(x, *nfp, prev, c, key, out);
	sodium_memzero(key, sizeof key);
	sops_cipher_free(c);
out:
	sops_file_free(own);
	return rc;
}

int
sops_write(const struct sops_write *w, struct buf *out, struct buf *why)
{
	struct buf res = BUF_INIT;
	struct sops_file *nf;
	struct ctx x;
	int rc;

	if ((rc = check_input(w, why)) != SOPS_OK)
		return rc;
	memset(&x, 0, sizeof x);
	x.w = w;
	x.why = why;
	x.keyless = 1;
	nf = new_file(w);
	rc = sops_rules_init(&x.rules, nf->meta.rule, nf->meta.rule_value,
	    why);
	if (rc == SOPS_OK)
		rc = w->prev == NULL ? write_new(&x, nf, &res) :
		    write_next(&x, &nf, &res);
	if (rc == SOPS_OK)
		buf_add(out, res.data, res.len);
	sops_rules_free(&x.rules);
	sops_file_free(nf);
	free(x.enc);
	free(x.clear);
	buf_wipe(&res);
	return rc;
}
