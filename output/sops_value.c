/* sops_value.c: one SOPS value: AES-256-GCM, its ENC[...] form, the stash. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "sops_impl.h"

/*
 * AES-256-GCM comes from OpenSSL: sops uses 32-byte IVs, which libsodium's
 * AES-GCM does not take.  A 32-byte IV makes GCM derive its counter block
 * with GHASH; EVP does that once the IV length is set.
 */

#define TAG_LEN	16

/*
 * OpenSSL starts without reading openssl.cnf, whose settings (another
 * default provider, say) have no business changing what railgen writes,
 * and without filling its table of every legacy cipher and digest name;
 * the cipher is fetched once.  Reading the file and the tables took 1.5
 * ms, half of a one-app --check (docs/performance.md).
 */
static const EVP_CIPHER *
gcm_cipher(void)
{
	static EVP_CIPHER *cipher;

	if (cipher != NULL)
		return cipher;
	if (!OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG |
	    OPENSSL_INIT_NO_ADD_ALL_CIPHERS |
	    OPENSSL_INIT_NO_ADD_ALL_DIGESTS, NULL))
		return NULL;
	cipher = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
	return cipher;
}

struct stash {
	enum yaml_kind	 kind;
	int		 inline_;
	unsigned char	*plain;
	size_t		 plainlen;
	char		*aad;
	size_t		 aadlen;
	unsigned char	 iv[SOPS_IV_LEN];
};

struct sops_cipher {
	unsigned char	 key[SOPS_KEY_LEN];
	struct stash	*stash;
	size_t		 nstash, capstash;
	sops_ivgen_fn	*ivgen;
	void		*ivctx;
};

const char *
sops_status_str(int s)
{
	static const char *const names[] = { "ok", "not a SOPS file",
	    "unsupported SOPS file", "no age identity",
	    "no matching identity", "MAC mismatch", "damaged value",
	    "invalid input", "system error" };

	return s >= 0 && s <= SOPS_ERR_SYSTEM ? names[s] : "unknown error";
}

static void
random_iv(void *ctx, unsigned char *iv, size_t n)
{
	(void)ctx;
	randombytes_buf(iv, n);
}

struct sops_cipher *
sops_cipher_new(const unsigned char key[SOPS_KEY_LEN])
{
	struct sops_cipher *c = xcalloc(1, sizeof *c);

	memcpy(c->key, key, SOPS_KEY_LEN);
	c->ivgen = random_iv;
	return c;
}

void
sops_cipher_set_ivgen(struct sops_cipher *c, sops_ivgen_fn *fn, void *ctx)
{
	c->ivgen = fn;
	c->ivctx = ctx;
}

void
sops_cipher_free(struct sops_cipher *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nstash; i++) {
		sodium_memzero(c->stash[i].plain, c->stash[i].plainlen);
		free(c->stash[i].plain);
		free(c->stash[i].aad);
	}
	free(c->stash);
	sodium_memzero(c, sizeof *c);
	free(c);
}

int
sops_leaf_bytes(const struct yaml_node *n, struct buf *out, struct buf *why)
{
	switch (n->kind) {
	case YAML_STR:
	case YAML_COMMENT:
		buf_add(out, n->v.str.s, n->v.str.len);
		break;
	case YAML_INT:
		buf_printf(out, "%lld", (long long)n->v.i);
		break;
	case YAML_FLOAT:
		yaml_fmt_float_f(out, n->v.f);
		break;
	case YAML_BOOL:
		buf_adds(out, n->v.b ? "True" : "False");
		break;
	case YAML_TIME:
		if (n->v.t.year < 0 || n->v.t.year > 9999) {
			buf_adds(why, "a time outside the years 0-9999");
			return SOPS_ERR_INPUT;
		}
		yaml_fmt_time(out, &n->v.t, 1);
		break;
	default:
		buf_printf(why, "cannot encrypt a %s value",
		    yaml_kind_name(n->kind));
		return SOPS_ERR_INPUT;
	}
	if (out->data == NULL)
		buf_add(out, "", 0);
	return SOPS_OK;
}

static const char *
type_name(enum yaml_kind k)
{
	switch (k) {
	case YAML_STR:
		return "str";
	case YAML_INT:
		return "int";
	case YAML_FLOAT:
		return "float";
	case YAML_BOOL:
		return "bool";
	case YAML_TIME:
		return "time";
	default:
		return "comment";
	}
}

/*
 * The stash key: go compares the typed plaintext, so a time matches only
 * in UTC (other offsets are new Location values each time) and a comment
 * only when it is not inline (decrypted comments never are).
 */
static struct stash *
stash_find(struct sops_cipher *c, const struct yaml_node *n,
    const struct buf *plain, const char *aad, size_t aadlen)
{
	size_t i;
	int inline_ = n->kind == YAML_COMMENT && n->v.str.inline_;

	if (n->kind == YAML_TIME && n->v.t.offset != 0)
		return NULL;
	for (i = c->nstash; i-- > 0;) {
		struct stash *s = &c->stash[i];

		if (s->kind == n->kind && s->inline_ == inline_ &&
		    s->plainlen == plain->len && s->aadlen == aadlen &&
		    memcmp(s->plain, plain->data, plain->len) == 0 &&
		    memcmp(s->aad, aad, aadlen) == 0)
			return s;
	}
	return NULL;
}

static void
stash_add(struct sops_cipher *c, const struct yaml_node *n,
    const unsigned char *plain, size_t plainlen, const char *aad,
    size_t aadlen, const unsigned char *iv)
{
	struct stash *s;

	if (n->kind == YAML_FLOAT && n->v.f != n->v.f)
		return;			/* NaN never equals itself in Go */
	if (c->nstash == c->capstash) {
		c->capstash = c->capstash ? c->capstash * 2 : 32;
		c->stash = xrealloc(c->stash, c->capstash * sizeof *c->stash);
	}
	s = &c->stash[c->nstash++];
	s->kind = n->kind;
	s->inline_ = n->kind == YAML_COMMENT && n->v.str.inline_;
	s->plain = xmalloc(plainlen + 1);
	memcpy(s->plain, plain, plainlen);
	s->plainlen = plainlen;
	s->aad = xstrndup(aad, aadlen);
	s->aadlen = aadlen;
	memcpy(s->iv, iv, SOPS_IV_LEN);
}

/* AES-256-GCM; ct gets len bytes and tag TAG_LEN.  0 or -1. */
static int
gcm_seal(const unsigned char *key, const unsigned char *iv, size_t ivlen,
    const unsigned char *pt, size_t len, const char *aad, size_t aadlen,
    unsigned char *ct, unsigned char *tag)
{
	const EVP_CIPHER *gcm;
	EVP_CIPHER_CTX *x;
	int n, ok;

	if ((gcm = gcm_cipher()) == NULL || (x = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	ok = EVP_EncryptInit_ex(x, gcm, NULL, NULL, NULL) &&
	    EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_IVLEN, (int)ivlen,
	    NULL) && EVP_EncryptInit_ex(x, NULL, NULL, key, iv) &&
	    EVP_EncryptUpdate(x, NULL, &n, (const unsigned char *)aad,
	    (int)aadlen) && EVP_EncryptUpdate(x, ct, &n, pt, (int)len) &&
	    EVP_EncryptFinal_ex(x, ct + n, &n) &&
	    EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, TAG_LEN, tag);
	EVP_CIPHER_CTX_free(x);
	return ok ? 0 : -1;
}

/* Opens ct; 0, or -1 when it does not authenticate. */
static int
gcm_open(const unsigned char *key, const unsigned char *iv, size_t ivlen,
    const unsigned char *ct, size_t len, const unsigned char *tag,
    const char *aad, size_t aadlen, unsigned char *pt)
{
	const EVP_CIPHER *gcm;
	EVP_CIPHER_CTX *x;
	int n, ok;

	if ((gcm = gcm_cipher()) == NULL || (x = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	ok = EVP_DecryptInit_ex(x, gcm, NULL, NULL, NULL) &&
	    EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_IVLEN, (int)ivlen,
	    NULL) && EVP_DecryptInit_ex(x, NULL, NULL, key, iv) &&
	    EVP_DecryptUpdate(x, NULL, &n, (const unsigned char *)aad,
	    (int)aadlen) && EVP_DecryptUpdate(x, pt, &n, ct, (int)len) &&
	    EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_TAG, TAG_LEN,
	    (void *)(uintptr_t)tag) && EVP_DecryptFinal_ex(x, pt + n, &n) > 0;
	EVP_CIPHER_CTX_free(x);
	if (!ok)
		sodium_memzero(pt, len);
	return ok ? 0 : -1;
}

static void
add_b64(struct buf *out, const unsigned char *p, size_t n)
{
	size_t len = sodium_base64_encoded_len(n,
	    sodium_base64_VARIANT_ORIGINAL);

	buf_grow(out, len);
	sodium_bin2base64(out->data + out->len, len, p, n,
	    sodium_base64_VARIANT_ORIGINAL);
	out->len += len - 1;
}

int
sops_value_encrypt(struct sops_cipher *c, const struct yaml_node *n,
    const char *aad, size_t aadlen, struct buf *out, struct buf *why)
{
	struct buf plain = BUF_INIT;
	unsigned char iv[SOPS_IV_LEN], tag[TAG_LEN], *ct;
	struct stash *s;
	int rc;

	if ((rc = sops_leaf_bytes(n, &plain, why)) != SOPS_OK)
		return rc;
	if (plain.len == 0 && (n->kind == YAML_STR ||
	    n->kind == YAML_COMMENT)) {
		buf_free(&plain);
		return SOPS_OK;		/* sops keeps empty values in clear */
	}
	if ((s = stash_find(c, n, &plain, aad, aadlen)) != NULL)
		memcpy(iv, s->iv, SOPS_IV_LEN);
	else
		c->ivgen(c->ivctx, iv, SOPS_IV_LEN);
	ct = xmalloc(plain.len + 1);
	if (gcm_seal(c->key, iv, SOPS_IV_LEN, (unsigned char *)plain.data,
	    plain.len, aad, aadlen, ct, tag) != 0) {
		buf_wipe(&plain);
		free(ct);
		buf_adds(why, "AES-GCM encryption failed");
		return SOPS_ERR_SYSTEM;
	}
	buf_adds(out, "ENC[AES256_GCM,data:");
	add_b64(out, ct, plain.len);
	buf_adds(out, ",iv:");
	add_b64(out, iv, SOPS_IV_LEN);
	buf_adds(out, ",tag:");
	add_b64(out, tag, TAG_LEN);
	buf_printf(out, ",type:%s]", type_name(n->kind));
	buf_wipe(&plain);
	free(ct);
	return SOPS_OK;
}

/*
 * The four fields of ENC[AES256_GCM,data:D,iv:I,tag:T,type:Y]...: sops
 * matches them with greedy (.+) groups that do not cross a newline, and
 * ignores anything after the closing bracket.
 */
struct encparts {
	const char	*f[4];
	size_t		 len[4];
};

static int
match_fields(const char *s, size_t len, int k, struct encparts *p)
{
	static const char *const sep[] = { ",iv:", ",tag:", ",type:", "]" };
	size_t sl = strlen(sep[k]), i;

	if (len < sl + 1)
		return 0;
	/* Greedy: the rightmost separator that lets the rest match. */
	for (i = len - sl + 1; i-- > 1;) {
		if (memcmp(s + i, sep[k], sl) != 0)
			continue;
		if (memchr(s, '\n', i) != NULL)
			continue;
		if (k == 3 || match_fields(s + i + sl, len - i - sl, k + 1,
		    p)) {
			p->f[k] = s;
			p->len[k] = i;
			return 1;
		}
	}
	return 0;
}

static int
parse_enc(const char *s, size_t len, struct encparts *p)
{
	static const char pfx[] = "ENC[AES256_GCM,data:";

	if (len < sizeof pfx - 1 || memcmp(s, pfx, sizeof pfx - 1) != 0)
		return -1;
	return match_fields(s + sizeof pfx - 1, len - (sizeof pfx - 1), 0,
	    p) ? 0 : -1;
}

/* Decodes base64 field i into a new buffer; -1 when it is not base64. */
static int
field_bin(const struct encparts *p, int i, unsigned char **out, size_t *n)
{
	*out = xmalloc(p->len[i] + 1);
	if (sodium_base642bin(*out, p->len[i] + 1, p->f[i], p->len[i], NULL,
	    n, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* Go's strconv.ParseBool. */
static int
parse_bool(const char *s, int *b)
{
	static const char *const t[] = { "1", "t", "T", "TRUE", "true",
	    "True" };
	static const char *const f[] = { "0", "f", "F", "FALSE", "false",
	    "False" };
	size_t i;

	for (i = 0; i < 6; i++) {
		if (strcmp(s, t[i]) == 0 || strcmp(s, f[i]) == 0) {
			*b = strcmp(s, t[i]) == 0;
			return 0;
		}
	}
	return -1;
}

/* Go's strconv.Atoi: an optional sign and decimal digits, in range. */
static int
parse_int(const char *s, size_t len, int64_t *out)
{
	uint64_t v = 0, lim;
	size_t i = 0;
	int neg = 0;

	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == len)
		return -1;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (lim - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

/* The typed value of decrypted bytes. */
static struct yaml_node *
typed(const char *type, size_t tlen, const char *s, size_t len)
{
	struct yaml_node *n = NULL;
	struct yaml_time t;
	int64_t i;
	double f;
	int b;

	if (tlen == 3 && memcmp(type, "str", 3) == 0)
		n = yaml_strn(s, len);
	else if (tlen == 5 && memcmp(type, "bytes", 5) == 0)
		n = yaml_strn(s, len);
	else if (tlen == 7 && memcmp(type, "comment", 7) == 0)
		n = yaml_commentn(s, len, 0);
	else if (tlen == 3 && memcmp(type, "int", 3) == 0) {
		if (parse_int(s, len, &i) == 0)
			n = yaml_int(i);
	} else if (tlen == 5 && memcmp(type, "float", 5) == 0) {
		if (yaml_parse_float(s, len, &f) == 0)
			n = yaml_float(f);
	} else if (tlen == 4 && memcmp(type, "bool", 4) == 0) {
		if (parse_bool(s, &b) == 0)
			n = yaml_bool(b);
	} else if (tlen == 4 && memcmp(type, "time", 4) == 0) {
		if (yaml_parse_rfc3339(s, len, &t) == 0)
			n = yaml_time(&t);
	}
	return n;
}

int
sops_value_decrypt(struct sops_cipher *c, const char *enc, size_t len,
    const char *aad, size_t aadlen, struct yaml_node **out, struct buf *why)
{
	struct encparts p;
	unsigned char *ct = NULL, *iv = NULL, *tag = NULL, *pt;
	size_t ctlen, ivlen, taglen;
	int rc = SOPS_ERR_VALUE;

	*out = NULL;
	if (len == 0) {
		*out = yaml_str("");
		return SOPS_OK;
	}
	if (parse_enc(enc, len, &p) != 0) {
		buf_adds(why, "not an ENC[AES256_GCM,...] value");
		return SOPS_ERR_VALUE;
	}
	if (field_bin(&p, 0, &ct, &ctlen) || field_bin(&p, 1, &iv, &ivlen) ||
	    field_bin(&p, 2, &tag, &taglen) || ivlen == 0 ||
	    taglen != TAG_LEN) {
		buf_adds(why, "malformed data, iv or tag");
		goto out;
	}
	pt = xmalloc(ctlen + 1);
	if (gcm_open(c->key, iv, ivlen, ct, ctlen, tag, aad, aadlen,
	    pt) != 0) {
		buf_adds(why, "authentication failed");
		free(pt);
		goto out;
	}
	pt[ctlen] = '\0';
	*out = typed(p.f[3], p.len[3], (const char *)pt, ctlen);
	if (*out == NULL)
		buf_printf(why, "not a valid value of its type '%.*s'",
		    (int)(p.len[3] < 16 ? p.len[3] : 16), p.f[3]);
	else {
		if (ivlen == SOPS_IV_LEN)
			stash_add(c, *out, pt, ctlen, aad, aadlen, iv);
		rc = SOPS_OK;
	}
	sodium_memzero(pt, ctlen);
	free(pt);
out:
	free(ct);
	free(iv);
	free(tag);
	return rc;
}
