/* test_sops_value.c: SOPS values and the MAC against the spec's vectors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "sops_impl.h"

/*
 * The vectors of ../shared/specs/sops.md section 15, computed there with
 * sops's own code: data key 00..1f, and each IV the 32 bytes counting up
 * from a given start byte.
 */

struct ivq {
	const unsigned char	*starts;
	size_t			 n, next;
};

static void
counting_iv(void *ctx, unsigned char *iv, size_t n)
{
	struct ivq *q = ctx;
	size_t i;

	assert_true(q->next < q->n);
	for (i = 0; i < n; i++)
		iv[i] = (unsigned char)(q->starts[q->next] + i);
	q->next++;
}

static struct sops_cipher *
vector_cipher(struct ivq *q)
{
	unsigned char key[SOPS_KEY_LEN];
	struct sops_cipher *c;
	size_t i;

	for (i = 0; i < sizeof key; i++)
		key[i] = (unsigned char)i;
	c = sops_cipher_new(key);
	sops_cipher_set_ivgen(c, counting_iv, q);
	return c;
}

static void
check_enc(struct yaml_node *leaf, const char *aad, unsigned char start,
    const char *want)
{
	struct ivq q = { &start, 1, 0 };
	struct sops_cipher *c = vector_cipher(&q);
	struct buf out = BUF_INIT, why = BUF_INIT;
	struct yaml_node *back;

	assert_int_equal(sops_value_encrypt(c, leaf, aad, strlen(aad), &out,
	    &why), SOPS_OK);
	assert_string_equal(out.data, want);
	assert_int_equal(sops_value_decrypt(c, out.data, out.len, aad,
	    strlen(aad), &back, &why), SOPS_OK);
	assert_true(yaml_node_equal(back, leaf));
	yaml_node_free(back);
	yaml_node_free(leaf);
	buf_free(&out);
	buf_free(&why);
	sops_cipher_free(c);
}

static void
test_vectors(void **state)
{
	(void)state;
	check_enc(yaml_str("x"), "a:", 0x20, "ENC[AES256_GCM,data:bw==,"
	    "iv:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=,"
	    "tag:i2Zvh3mRjzN2A2yaxciYjw==,type:str]");
	check_enc(yaml_int(1), "b:c:", 0x21, "ENC[AES256_GCM,data:yg==,"
	    "iv:ISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0A=,"
	    "tag:rLFPNkOopukF0kzNwFgqqg==,type:int]");
	check_enc(yaml_bool(1), "b:d:", 0x22, "ENC[AES256_GCM,data:hD+q5Q==,"
	    "iv:IiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEE=,"
	    "tag:JKKGZJzsTP7lMYWPB2CLnA==,type:bool]");
	check_enc(yaml_float(1.5), "b:d:", 0x23, "ENC[AES256_GCM,data:atLT,"
	    "iv:IyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj9AQUI=,"
	    "tag:ZCrqnBpf8ve6tNYVySBWIQ==,type:float]");
	check_enc(yaml_comment(" a comment", 0), "b:", 0x24,
	    "ENC[AES256_GCM,data:0RP4wacXTOhRJg==,"
	    "iv:JCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkM=,"
	    "tag:jOxouuIX55VwRAkvZNi0+Q==,type:comment]");
}

static const char vector_tree[] =
    "a: x\nb:\n    c: 1\n    d:\n        - true\n        - 1.5\n"
    "e_unencrypted: \"y\"\nn: null\n";

static const char mac_full[] =
    "D9B7AAC8E5B9356091DEB9F7E95CEB8EF45C0BD32CB8AFD625E64951B60DEA72"
    "79AA033F6489F67111C25503A1C652BAC13F6CCCC170BE61C92C4F0775BC8970";

static const char mac_full_enc[] =
    "ENC[AES256_GCM,data:IEJxU8CrKNJmVKiGnJSUAmWKa2OTbw2I96ZRg5v47paPc1Lh"
    "mgaFxxyHpYPVJpru7IXtpwf91qYiXwgOWZjH84nnC7UwJyDhniSSQYqC/ygpeblAQ2Eg"
    "Sd83Ff2s4IGuisLtbhPS03wF49JEetil4gqkK+3KUlpNUo+offkvTLQ=,"
    "iv:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=,"
    "tag:M7v2/enOcaU202zM/c2Cgg==,type:str]";

static const char mac_only[] =
    "B855625C91BFFE421C663D2DAC40346440BCB574D3743EC05B93A2F1B1007058"
    "48A2DAFFBA1BF53A538A62A48F5BA7A5A228C2E32F1818B118643AE4DAD69BFD";

/* A plaintext file holding the vector tree, as if just decrypted. */
static struct sops_file *
vector_file(int mac_only_encrypted)
{
	struct sops_file *f = xcalloc(1, sizeof *f);
	struct buf why = BUF_INIT;

	assert_int_equal(yaml_parse(vector_tree, strlen(vector_tree),
	    &f->docs, &why), 0);
	f->meta.rule = SOPS_UNENCRYPTED_SUFFIX;
	f->meta.rule_value = xstrdup("_unencrypted");
	f->meta.lastmodified = xstrdup("");
	f->meta.mac = xstrdup("");
	f->meta.version = xstrdup(SOPS_VERSION);
	f->meta.mac_only_encrypted = mac_only_encrypted;
	f->decrypted = 1;
	buf_free(&why);
	return f;
}

/* The MAC plaintext, read back from a file encrypted just now. */
static void
mac_plain(struct sops_file *f, struct sops_cipher *c, struct buf *hex)
{
	struct buf aad = BUF_INIT, why = BUF_INIT;
	struct yaml_node *n;

	assert_int_equal(sops_meta_mac_aad(&f->meta, &aad, &why), SOPS_OK);
	assert_int_equal(sops_value_decrypt(c, f->meta.mac,
	    strlen(f->meta.mac), aad.data, aad.len, &n, &why), SOPS_OK);
	buf_add(hex, n->v.str.s, n->v.str.len);
	yaml_node_free(n);
	buf_free(&aad);
	buf_free(&why);
}

static void
test_mac_vector(void **state)
{
	static const unsigned char starts[] = { 0x20, 0x21, 0x22, 0x23,
	    0x40 };
	struct ivq q = { starts, 5, 0 };
	struct sops_cipher *c = vector_cipher(&q);
	struct sops_file *f = vector_file(0);
	struct buf why = BUF_INIT, hex = BUF_INIT;
	struct yaml_node *b;

	(void)state;
	assert_int_equal(sops_file_encrypt(f, c, "2026-01-02T03:04:05Z",
	    &why), SOPS_OK);
	assert_int_equal(q.next, 5);
	assert_string_equal(f->meta.mac, mac_full_enc);
	/* The values got the IVs of the single-value vectors. */
	assert_string_equal(yaml_map_get(f->docs.docs[0], "a")->v.str.s,
	    "ENC[AES256_GCM,data:bw==,"
	    "iv:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=,"
	    "tag:i2Zvh3mRjzN2A2yaxciYjw==,type:str]");
	b = yaml_map_get(f->docs.docs[0], "b");
	assert_string_equal(yaml_map_get(b, "d")->v.seq.items[1]->v.str.s,
	    "ENC[AES256_GCM,data:atLT,"
	    "iv:IyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj9AQUI=,"
	    "tag:ZCrqnBpf8ve6tNYVySBWIQ==,type:float]");
	assert_string_equal(yaml_map_get(f->docs.docs[0],
	    "e_unencrypted")->v.str.s, "y");
	assert_int_equal(yaml_map_get(f->docs.docs[0], "n")->kind,
	    YAML_NULL);
	mac_plain(f, c, &hex);
	assert_string_equal(hex.data, mac_full);

	/* And it decrypts, MAC checked, with a fresh cipher. */
	sops_cipher_free(c);
	q.next = 0;
	c = vector_cipher(&q);
	assert_int_equal(sops_file_decrypt(f, c, &why), SOPS_OK);
	assert_int_equal(yaml_map_get(b, "c")->v.i, 1);
	sops_cipher_free(c);
	sops_file_free(f);
	buf_free(&why);
	buf_free(&hex);
}

static void
test_mac_only_vector(void **state)
{
	static const unsigned char starts[] = { 0x20, 0x21, 0x22, 0x23,
	    0x40 };
	struct ivq q = { starts, 5, 0 };
	struct sops_cipher *c = vector_cipher(&q);
	struct sops_file *f = vector_file(1);
	struct buf why = BUF_INIT, hex = BUF_INIT;

	(void)state;
	assert_int_equal(sops_file_encrypt(f, c, "2026-01-02T03:04:05Z",
	    &why), SOPS_OK);
	mac_plain(f, c, &hex);
	assert_string_equal(hex.data, mac_only);
	sops_cipher_free(c);
	sops_file_free(f);
	buf_free(&why);
	buf_free(&hex);
}

/* An encrypted vector file, for the tampering tests. */
static struct sops_file *
sealed(void)
{
	static const unsigned char starts[] = { 0x20, 0x21, 0x22, 0x23,
	    0x40 };
	struct ivq q = { starts, 5, 0 };
	struct sops_cipher *c = vector_cipher(&q);
	struct sops_file *f = vector_file(0);
	struct buf why = BUF_INIT;

	assert_int_equal(sops_file_encrypt(f, c, "2026-01-02T03:04:05Z",
	    &why), SOPS_OK);
	sops_cipher_free(c);
	buf_free(&why);
	return f;
}

static int
open_sealed(struct sops_file *f, struct buf *why)
{
	struct ivq q = { NULL, 0, 0 };
	struct sops_cipher *c = vector_cipher(&q);
	int rc = sops_file_decrypt(f, c, why);

	sops_cipher_free(c);
	sops_file_free(f);
	return rc;
}

static void
set_str(struct yaml_node *n, const char *s)
{
	yaml_node_replace(n, yaml_str(s));
}

static void
test_tamper_ciphertext(void **state)
{
	struct sops_file *f = sealed();
	struct yaml_node *a = yaml_map_get(f->docs.docs[0], "a");
	struct buf why = BUF_INIT;

	(void)state;
	/* "bw==" is one byte: flip it to "bA==". */
	a->v.str.s[21] = 'A';
	assert_int_equal(open_sealed(f, &why), SOPS_ERR_VALUE);
	assert_non_null(strstr(why.data, "'a'"));
	assert_non_null(strstr(why.data, "damaged"));
	buf_free(&why);
}

static void
test_tamper_moved_value(void **state)
{
	struct sops_file *f = sealed();
	struct yaml_node *b = yaml_map_get(f->docs.docs[0], "b");
	struct yaml_node *a = yaml_map_get(f->docs.docs[0], "a");
	struct yaml_node *c = yaml_map_get(b, "c");
	char *tmp = xstrdup(a->v.str.s);
	struct buf why = BUF_INIT;

	(void)state;
	/* Values swapped between keys fail GCM: the AAD is the path. */
	set_str(a, c->v.str.s);
	set_str(c, tmp);
	free(tmp);
	assert_int_equal(open_sealed(f, &why), SOPS_ERR_VALUE);
	buf_free(&why);
}

static void
test_tamper_swapped_items(void **state)
{
	struct sops_file *f = sealed();
	struct yaml_node *d = yaml_map_get(yaml_map_get(f->docs.docs[0],
	    "b"), "d");
	struct yaml_node *tmp = d->v.seq.items[0];
	struct buf why = BUF_INIT;

	(void)state;
	/* List items share an AAD: only the MAC sees the swap. */
	d->v.seq.items[0] = d->v.seq.items[1];
	d->v.seq.items[1] = tmp;
	assert_int_equal(open_sealed(f, &why), SOPS_ERR_MAC);
	assert_non_null(strstr(why.data, "MAC mismatch"));
	buf_free(&why);
}

static void
test_tamper_clear_value(void **state)
{
	struct sops_file *f = sealed();
	struct buf why = BUF_INIT;

	(void)state;
	set_str(yaml_map_get(f->docs.docs[0], "e_unencrypted"), "z");
	assert_int_equal(open_sealed(f, &why), SOPS_ERR_MAC);
	buf_free(&why);
}

static void
test_tamper_mac(void **state)
{
	struct sops_file *f = sealed();
	struct buf why = BUF_INIT;

	(void)state;
	f->meta.mac[25] = f->meta.mac[25] == 'A' ? 'B' : 'A';
	assert_int_equal(open_sealed(f, &why), SOPS_ERR_MAC);
	buf_reset(&why);

	/* A MAC made for another lastmodified does not open either. */
	f = sealed();
	free(f->meta.lastmodified);
	f->meta.lastmodified = xstrdup("2026-01-02T03:04:06Z");
	assert_int_equal(open_sealed(f, &why), SOPS_ERR_MAC);
	buf_free(&why);
}

static void
test_stash_reuses_iv(void **state)
{
	static const unsigned char starts[] = { 0x50, 0x60 };
	struct ivq q = { starts, 2, 0 };
	struct sops_cipher *c = vector_cipher(&q);
	struct buf a = BUF_INIT, b = BUF_INIT, why = BUF_INIT;
	struct yaml_node *v = yaml_str("secret"), *back;

	(void)state;
	assert_int_equal(sops_value_encrypt(c, v, "k:", 2, &a, &why),
	    SOPS_OK);
	/* Encrypting does not stash; decrypting does. */
	assert_int_equal(sops_value_decrypt(c, a.data, a.len, "k:", 2, &back,
	    &why), SOPS_OK);
	assert_int_equal(sops_value_encrypt(c, v, "k:", 2, &b, &why),
	    SOPS_OK);
	assert_string_equal(a.data, b.data);
	assert_int_equal(q.next, 1);
	/* Another place gets a fresh IV. */
	buf_reset(&b);
	assert_int_equal(sops_value_encrypt(c, v, "j:", 2, &b, &why),
	    SOPS_OK);
	assert_int_equal(q.next, 2);
	yaml_node_free(v);
	yaml_node_free(back);
	buf_free(&a);
	buf_free(&b);
	buf_free(&why);
	sops_cipher_free(c);
}

static void
test_empty_and_types(void **state)
{
	struct ivq q = { NULL, 0, 0 };
	struct sops_cipher *c = vector_cipher(&q);
	struct buf out = BUF_INIT, why = BUF_INIT;
	struct yaml_node *n = yaml_str(""), *back;

	(void)state;
	/* Empty strings stay in clear and decrypt to themselves. */
	assert_int_equal(sops_value_encrypt(c, n, "e:", 2, &out, &why),
	    SOPS_OK);
	assert_int_equal(out.len, 0);
	assert_int_equal(sops_value_decrypt(c, "", 0, "e:", 2, &back, &why),
	    SOPS_OK);
	assert_int_equal(back->kind, YAML_STR);
	yaml_node_free(back);
	yaml_node_free(n);

	/* uint64 cannot be encrypted, like sops. */
	n = yaml_uint(UINT64_MAX);
	assert_int_equal(sops_value_encrypt(c, n, "u:", 2, &out, &why),
	    SOPS_ERR_INPUT);
	yaml_node_free(n);

	sops_cipher_free(c);
	buf_free(&out);
	buf_free(&why);
}

static void
test_time_value(void **state)
{
	static const unsigned char s[] = { 0x70 };
	struct ivq q = { s, 1, 0 };
	struct sops_cipher *c = vector_cipher(&q);
	struct buf out = BUF_INIT, why = BUF_INIT;
	struct yaml_time t = { 2024, 1, 2, 3, 4, 5, 600000000, 90 };
	struct yaml_node *n = yaml_time(&t), *back;

	(void)state;
	/* A time keeps its offset and fraction through a round trip. */
	assert_int_equal(sops_value_encrypt(c, n, "t:", 2, &out, &why),
	    SOPS_OK);
	assert_non_null(strstr(out.data, ",type:time]"));
	assert_int_equal(sops_value_decrypt(c, out.data, out.len, "t:", 2,
	    &back, &why), SOPS_OK);
	assert_true(yaml_node_equal(n, back));
	yaml_node_free(back);
	yaml_node_free(n);
	sops_cipher_free(c);
	buf_free(&out);
	buf_free(&why);
}

static void
test_enc_parsing(void **state)
{
	struct ivq q = { NULL, 0, 0 };
	struct sops_cipher *c = vector_cipher(&q);
	struct buf why = BUF_INIT;
	struct yaml_node *back;
	static const char good[] = "ENC[AES256_GCM,data:bw==,"
	    "iv:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=,"
	    "tag:i2Zvh3mRjzN2A2yaxciYjw==,type:str] trailing text";
	static const char blob[] = "ENC[AES256_GCM,data:bw==,"
	    "iv:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=,"
	    "tag:i2Zvh3mRjzN2A2yaxciYjw==,type:blob]";

	(void)state;
	/* Text after the closing bracket is ignored, as in sops. */
	assert_int_equal(sops_value_decrypt(c, good, strlen(good), "a:", 2,
	    &back, &why), SOPS_OK);
	assert_string_equal(back->v.str.s, "x");
	yaml_node_free(back);
	assert_int_equal(sops_value_decrypt(c, "ENC[AES256_GCM,data:bw==]",
	    25, "a:", 2, &back, &why), SOPS_ERR_VALUE);
	assert_int_equal(sops_value_decrypt(c, "plain", 5, "a:", 2, &back,
	    &why), SOPS_ERR_VALUE);
	/* Unknown types are refused. */
	assert_int_equal(sops_value_decrypt(c, blob, strlen(blob), "a:", 2,
	    &back, &why), SOPS_ERR_VALUE);
	buf_free(&why);
	sops_cipher_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_mac_vector),
		cmocka_unit_test(test_mac_only_vector),
		cmocka_unit_test(test_tamper_ciphertext),
		cmocka_unit_test(test_tamper_moved_value),
		cmocka_unit_test(test_tamper_swapped_items),
		cmocka_unit_test(test_tamper_clear_value),
		cmocka_unit_test(test_tamper_mac),
		cmocka_unit_test(test_stash_reuses_iv),
		cmocka_unit_test(test_empty_and_types),
		cmocka_unit_test(test_time_value),
		cmocka_unit_test(test_enc_parsing),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
