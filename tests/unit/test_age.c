/* test_age.c: age known answers, the SOPS entry points and key files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "age_impl.h"

/* CCTV identity and the "x25519" vector (header, nonce, one chunk). */
#define CCTV_IDENTITY "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2" \
	"MMDKWYKLMGR48UAWX40Q2P2LM0"
#define CCTV_RECIPIENT "age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvl" \
	"ul66mv4q47ryef"
static const char x25519_header[] =
    "age-encryption.org/v1\n"
    "-> X25519 TEiF0ypqr+bpvcqXNyCVJpL7OuwPdVwPL7KQEbFDOCc\n"
    "hjabGXwSLQ9c3S6Lw2i+S2Tu2fiwQHHslbBN6B41FLE\n"
    "--- WyJp9F/9FOZh7gJdheq2WIJcwHgYc8NIVh3ddwhrcNg\n";
static const char x25519_rest[] =
    "eecf62c7ce91b433274e68d4f2f9134c" "b74c5bfef7beaa52c8f0bc0e992c1e8331fb66";

static struct age_keyring *
keyring_of(const char *text)
{
	struct age_keyring *kr;
	struct buf why = BUF_INIT;

	kr = age_keyring_new();
	assert_int_equal(age_keyring_add(kr, text, strlen(text), &why), 0);
	buf_free(&why);
	return kr;
}

static int
decrypt_mem(const unsigned char *p, size_t n, const struct age_keyring *kr,
    struct buf *out)
{
	struct age_reader r;
	struct age_writer w;
	struct buf why = BUF_INIT;
	int rc;

	memset(&r, 0, sizeof r);
	r.mem = p;
	r.len = n;
	memset(&w, 0, sizeof w);
	w.b = out;
	rc = age_decrypt(&r, &w, kr, &why);
	buf_free(&why);
	return rc;
}

static void
x25519_file(struct buf *file)
{
	unsigned char rest[64];
	size_t n;

	buf_adds(file, x25519_header);
	assert_int_equal(sodium_hex2bin(rest, sizeof rest, x25519_rest,
	    strlen(x25519_rest), NULL, &n, NULL), 0);
	buf_add(file, rest, n);
}

static void
test_x25519_vector(void **state)
{
	struct age_keyring *kr;
	struct buf file = BUF_INIT, out = BUF_INIT;

	(void)state;
	x25519_file(&file);
	kr = keyring_of("# cctv\n" CCTV_IDENTITY "\n");
	assert_int_equal(decrypt_mem((unsigned char *)file.data, file.len, kr,
	    &out), AGE_OK);
	assert_int_equal(out.len, 3);
	assert_memory_equal(out.data, "age", 3);
	/* One flipped MAC bit is an HMAC failure, not a parse error. */
	buf_reset(&out);
	file.data[strlen(x25519_header) - 3] ^= 1;
	assert_int_equal(decrypt_mem((unsigned char *)file.data, file.len, kr,
	    &out), AGE_ERR_HMAC);
	age_keyring_free(kr);
	buf_free(&file);
	buf_free(&out);
}

static void
test_keyring_recipient(void **state)
{
	struct age_keyring *kr;
	struct buf out = BUF_INIT;

	(void)state;
	kr = keyring_of(CCTV_IDENTITY);
	assert_int_equal(age_keyring_count(kr), 1);
	age_keyring_recipients(kr, &out);
	assert_string_equal(out.data, CCTV_RECIPIENT "\n");
	age_keyring_free(kr);
	buf_free(&out);
}

/* Every size around the 64 KiB chunk boundary round-trips, and the
 * ciphertext has exactly the size the format prescribes. */
static void
test_stream_sizes(void **state)
{
	static const size_t sizes[] = { 0, 1, 65535, 65536, 65537, 131072,
	    200000 };
	unsigned char fk[AGE_FILE_KEY_LEN], nonce[AGE_NONCE_LEN];
	struct buf plain = BUF_INIT, ct = BUF_INIT, back = BUF_INIT;
	struct buf why = BUF_INIT;
	struct age_reader r;
	struct age_writer w;
	size_t i, n, chunks;

	(void)state;
	randombytes_buf(fk, sizeof fk);
	randombytes_buf(nonce, sizeof nonce);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		n = sizes[i];
		buf_reset(&plain);
		buf_grow(&plain, n);
		randombytes_buf(plain.data, n);
		plain.len = n;
		memset(&r, 0, sizeof r);
		r.mem = (unsigned char *)plain.data;
		r.len = n;
		memset(&w, 0, sizeof w);
		buf_reset(&ct);
		w.b = &ct;
		assert_int_equal(age_stream_encrypt(&r, &w, fk, nonce, &why),
		    AGE_OK);
		chunks = n == 0 ? 1 : (n + AGE_CHUNK_LEN - 1) / AGE_CHUNK_LEN;
		assert_int_equal(ct.len, n + AGE_TAG_LEN * chunks);
		memset(&r, 0, sizeof r);
		r.mem = (unsigned char *)ct.data;
		r.len = ct.len;
		buf_reset(&back);
		w.b = &back;
		assert_int_equal(age_stream_decrypt(&r, &w, fk, nonce, &why),
		    AGE_OK);
		assert_int_equal(back.len, n);
		if (n > 0)
			assert_memory_equal(back.data, plain.data, n);
	}
	buf_free(&plain);
	buf_free(&ct);
	buf_free(&back);
	buf_free(&why);
}

static void
make_identity(struct buf *text, struct buf *rcpt)
{
	age_identity_generate(text, rcpt, 0);
}

static void
test_wrap_unwrap(void **state)
{
	struct buf t[3] = { BUF_INIT, BUF_INIT, BUF_INIT };
	struct buf r[3] = { BUF_INIT, BUF_INIT, BUF_INIT };
	struct buf armored = BUF_INIT, secret = BUF_INIT, why = BUF_INIT;
	struct buf other = BUF_INIT, other_r = BUF_INIT;
	const char *rcpts[3];
	struct age_keyring *kr;
	static const unsigned char dk[32] = "0123456789abcdef0123456789abcde";
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		make_identity(&t[i], &r[i]);
		rcpts[i] = r[i].data;
	}
	assert_int_equal(age_wrap(dk, sizeof dk, rcpts, 3, &armored, &why),
	    AGE_OK);
	assert_true(strncmp(armored.data, "-----BEGIN AGE ENCRYPTED FILE-----"
	    "\n", 35) == 0);
	assert_int_equal(armored.data[armored.len - 1], '\n');

	/* The last identity opens the third stanza. */
	kr = keyring_of(t[2].data);
	assert_int_equal(age_unwrap(armored.data, armored.len, kr, &secret,
	    &why), AGE_OK);
	assert_int_equal(secret.len, sizeof dk);
	assert_memory_equal(secret.data, dk, sizeof dk);
	buf_wipe(&secret);
	age_keyring_free(kr);

	/* A stranger gets no match and no bytes. */
	make_identity(&other, &other_r);
	kr = keyring_of(other.data);
	assert_int_equal(age_unwrap(armored.data, armored.len, kr, &secret,
	    &why), AGE_ERR_NO_MATCH);
	assert_int_equal(secret.len, 0);
	age_keyring_free(kr);

	/* Armor damage is an armor failure. */
	kr = keyring_of(t[0].data);
	armored.data[40] = '*';
	assert_int_equal(age_unwrap(armored.data, armored.len, kr, &secret,
	    &why), AGE_ERR_ARMOR);
	assert_int_equal(secret.len, 0);
	age_keyring_free(kr);

	for (i = 0; i < 3; i++) {
		buf_wipe(&t[i]);
		buf_free(&r[i]);
	}
	buf_wipe(&other);
	buf_free(&other_r);
	buf_free(&armored);
	buf_free(&why);
}

static void
test_recipient_check(void **state)
{
	struct buf why = BUF_INIT, low = BUF_INIT, armored = BUF_INIT;
	unsigned char zero[AGE_KEY_LEN];
	const char *rc[1];

	(void)state;
	assert_int_equal(age_recipient_check(CCTV_RECIPIENT, &why), 0);
	assert_int_equal(age_recipient_check("AGE1XMWWC06LY3EE5RYTXM9MFLAZ2U"
	    "56JJJ36S0MYPDRWSVLUL66MV4Q47RYEF", &why), -1);
	assert_int_equal(age_recipient_check("age1xmwwc06ly3ee5rytxm9mflaz2u"
	    "56jjj36s0mypdrwsvlul66mv4q47ryeg", &why), -1);
	assert_int_equal(age_recipient_check(CCTV_IDENTITY, &why), -1);
	assert_int_equal(age_recipient_check("", &why), -1);
	buf_reset(&why);
	assert_int_equal(age_recipient_check("age1pq1qqqqqqqqqqqqqqq", &why),
	    -1);
	assert_non_null(strstr(why.data, "post-quantum"));

	/* The zero point is a low-order recipient: wrapping must refuse. */
	memset(zero, 0, sizeof zero);
	age_recipient_format(&low, zero);
	assert_int_equal(age_recipient_check(low.data, &why), 0);
	rc[0] = low.data;
	assert_int_equal(age_wrap((const unsigned char *)"k", 1, rc, 1,
	    &armored, &why), AGE_ERR_KEY);
	assert_int_equal(armored.len, 0);
	buf_free(&low);
	buf_free(&armored);
	buf_free(&why);
}

static void
expect_reject(const char *text, const char *why_prefix)
{
	struct age_keyring *kr;
	struct buf why = BUF_INIT;

	kr = age_keyring_new();
	assert_int_equal(age_keyring_add(kr, text, strlen(text), &why), -1);
	assert_int_equal(age_keyring_count(kr), 0);
	assert_true(strncmp(why.data, why_prefix, strlen(why_prefix)) == 0);
	/* The reason never repeats the key. */
	assert_null(strstr(why.data, "EGTZVFFV"));
	assert_null(strstr(why.data, "egtzvffv"));
	age_keyring_free(kr);
	buf_free(&why);
}

static void
test_keyring_rules(void **state)
{
	struct age_keyring *kr;

	(void)state;
	kr = keyring_of("# c\r\n\r\n" CCTV_IDENTITY "\r\n#\n\n");
	assert_int_equal(age_keyring_count(kr), 1);
	age_keyring_free(kr);

	expect_reject(CCTV_IDENTITY "\n \n", "2: ");
	expect_reject(CCTV_IDENTITY "\n\t# indented\n", "2: ");
	expect_reject(" " CCTV_IDENTITY "\n", "1: ");
	expect_reject(CCTV_IDENTITY " \n", "1: ");
	expect_reject("# x\n" CCTV_IDENTITY "\r\r\n", "2: ");
	expect_reject("age-secret-key-1egtzvffv20835nwyv6270lxyvk2vknx2mmdkwy"
	    "klmgr48uawx40q2p2lm0\n", "1: ");
	expect_reject(CCTV_RECIPIENT "\n", "1: this is a recipient");
	expect_reject("AGE-SECRET-KEY-PQ-1QQQQ\n", "1: post-quantum");
	expect_reject("# only comments\n\n", "no identities found");
	expect_reject("", "no identities found");
	expect_reject("# caf\xe9\n" CCTV_IDENTITY "\n", "identity file is not "
	    "valid UTF-8");
	expect_reject("age-encryption.org/v1\n-> scrypt x 10\n",
	    "passphrase-encrypted");
}

/* age-keygen's three lines; the time is RFC 3339 in local time. */
static void
test_identity_format(void **state)
{
	struct buf text = BUF_INIT, rcpt = BUF_INIT, back = BUF_INIT;
	struct age_keyring *kr;
	const char *nl;

	(void)state;
	setenv("TZ", "UTC0", 1);
	tzset();
	age_identity_generate(&text, &rcpt, 97445);
	assert_true(strncmp(text.data, "# created: 1970-01-02T03:04:05Z\n"
	    "# public key: age1", 49) == 0);
	nl = strchr(text.data + 32, '\n');
	assert_non_null(nl);
	assert_int_equal(nl - (text.data + 32), 14 + 62);
	assert_true(strncmp(nl + 1, "AGE-SECRET-KEY-1", 16) == 0);
	assert_int_equal(strlen(nl + 1), 74 + 1);
	kr = keyring_of(text.data);
	age_keyring_recipients(kr, &back);
	assert_int_equal(back.len, rcpt.len + 1);
	assert_memory_equal(back.data, rcpt.data, rcpt.len);
	age_keyring_free(kr);
	buf_wipe(&text);

	setenv("TZ", "CET-1", 1);
	tzset();
	age_identity_generate(&text, &rcpt, 97445);
	assert_true(strncmp(text.data, "# created: 1970-01-02T04:04:05+01:00\n",
	    37) == 0);
	buf_wipe(&text);
	buf_free(&rcpt);
	buf_free(&back);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x25519_vector),
		cmocka_unit_test(test_keyring_recipient),
		cmocka_unit_test(test_stream_sizes),
		cmocka_unit_test(test_wrap_unwrap),
		cmocka_unit_test(test_recipient_check),
		cmocka_unit_test(test_keyring_rules),
		cmocka_unit_test(test_identity_format),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
