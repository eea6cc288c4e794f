/* age_keys.c: X25519 key strings, identity files and the keyring. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "age_impl.h"
#include "bech32.h"

#define IDENTITY_PREFIX		"AGE-SECRET-KEY-1"
#define IDENTITY_HRP		"age-secret-key-"
#define RECIPIENT_HRP		"age"
#define KEYFILE_MAX		(16 << 20)

/* Room for the longest key string age knows (post-quantum, ~2 KB), so a
 * buffer holding a secret is never moved by realloc. */
#define KEY_BUF_ROOM		4096

static int
has_prefix(const char *s, size_t n, const char *pre)
{
	return n >= strlen(pre) && memcmp(s, pre, strlen(pre)) == 0;
}

/*
 * Decodes a Bech32 key string whose HRP must be hrp into 32 bytes.  The
 * scratch buffers are sized up front and wiped: they may hold a secret.
 */
static int
key_decode(const char *s, size_t n, const char *hrp,
    unsigned char out[AGE_KEY_LEN])
{
	struct buf h = BUF_INIT, v = BUF_INIT, bytes = BUF_INIT;
	int rc;

	rc = -1;
	if (n > KEY_BUF_ROOM)
		return -1;
	buf_grow(&h, KEY_BUF_ROOM);
	buf_grow(&v, KEY_BUF_ROOM);
	buf_grow(&bytes, KEY_BUF_ROOM);
	if (bech32_decode(s, n, &h, &v) == 0 && strcmp(h.data, hrp) == 0 &&
	    bech32_to8(&bytes, (unsigned char *)v.data, v.len) == 0 &&
	    bytes.len == AGE_KEY_LEN) {
		memcpy(out, bytes.data, AGE_KEY_LEN);
		rc = 0;
	}
	buf_wipe(&h);
	buf_wipe(&v);
	buf_wipe(&bytes);
	return rc;
}

/* Appends the lower-case Bech32 form of a 32-byte key. */
static void
key_encode(struct buf *out, const char *hrp, const unsigned char k[AGE_KEY_LEN])
{
	struct buf v = BUF_INIT;

	buf_grow(&v, KEY_BUF_ROOM);
	buf_grow(out, KEY_BUF_ROOM);
	bech32_to5(&v, k, AGE_KEY_LEN);
	bech32_encode(out, hrp, (unsigned char *)v.data, v.len);
	buf_wipe(&v);
}

void
age_recipient_format(struct buf *b, const unsigned char pk[AGE_KEY_LEN])
{
	key_encode(b, RECIPIENT_HRP, pk);
}

/* Names the key types age knows but this build does not support. */
static const char *
recipient_unsupported(const char *s, size_t n)
{
	if (has_prefix(s, n, "age1pq1"))
		return "post-quantum (ML-KEM) recipients are not supported";
	if (has_prefix(s, n, "age1tag1") || has_prefix(s, n, "age1tagpq1"))
		return "hardware tag recipients are not supported";
	if (has_prefix(s, n, "age1") && memchr(s + 4, '1', n - 4) != NULL)
		return "plugin recipients are not supported";
	if (has_prefix(s, n, "ssh-"))
		return "SSH recipients are not supported";
	if (has_prefix(s, n, "AGE-SECRET-KEY-"))
		return "this is an identity (secret key), not a recipient";
	return NULL;
}

int
age_recipient_parse(const char *s, size_t n, unsigned char pk[AGE_KEY_LEN],
    struct buf *why)
{
	const char *msg;

	if ((msg = recipient_unsupported(s, n)) != NULL) {
		buf_adds(why, msg);
		return AGE_ERR_KEY;
	}
	/* The HRP check alone would take "AGE1...": age wants lower case. */
	if (!has_prefix(s, n, "age1") ||
	    key_decode(s, n, RECIPIENT_HRP, pk) != 0) {
		buf_adds(why, "not a valid age1 X25519 recipient");
		return AGE_ERR_KEY;
	}
	return AGE_OK;
}

int
age_recipient_check(const char *s, struct buf *why)
{
	unsigned char pk[AGE_KEY_LEN];

	return age_recipient_parse(s, strlen(s), pk, why) == AGE_OK ? 0 : -1;
}

static const char *
identity_unsupported(const char *s, size_t n)
{
	if (has_prefix(s, n, "AGE-SECRET-KEY-PQ-1"))
		return "post-quantum (ML-KEM) identities are not supported";
	if (has_prefix(s, n, "AGE-PLUGIN-"))
		return "plugin identities are not supported";
	if (has_prefix(s, n, "age1"))
		return "this is a recipient (public key), not an identity";
	if (has_prefix(s, n, "ssh-") || has_prefix(s, n, "-----BEGIN"))
		return "SSH keys are not supported";
	return NULL;
}

struct age_keyring *
age_keyring_new(void)
{
	age_sodium_init();
	return xcalloc(1, sizeof(struct age_keyring));
}

void
age_keyring_free(struct age_keyring *kr)
{
	size_t i;

	if (kr == NULL)
		return;
	for (i = 0; i < kr->n; i++) {
		if (kr->ids[i].pass != NULL) {
			sodium_memzero(kr->ids[i].pass, kr->ids[i].passlen);
			free(kr->ids[i].pass);
		}
	}
	if (kr->ids != NULL) {
		sodium_memzero(kr->ids, kr->cap * sizeof *kr->ids);
		free(kr->ids);
	}
	free(kr);
}

/* Grows by copying and wiping, never realloc: the old block would keep
 * the secret keys. */
static struct age_ident *
keyring_push(struct age_keyring *kr)
{
	struct age_ident *ids;
	size_t cap;

	if (kr->n == kr->cap) {
		cap = kr->cap ? kr->cap * 2 : 4;
		ids = xcalloc(cap, sizeof *ids);
		if (kr->n > 0) {
			memcpy(ids, kr->ids, kr->n * sizeof *ids);
			sodium_memzero(kr->ids, kr->cap * sizeof *kr->ids);
		}
		free(kr->ids);
		kr->ids = ids;
		kr->cap = cap;
	}
	memset(&kr->ids[kr->n], 0, sizeof kr->ids[kr->n]);
	return &kr->ids[kr->n++];
}

/* Drops the entries from n on (a text that failed part-way). */
static void
keyring_truncate(struct age_keyring *kr, size_t n)
{
	/* An empty keyring has no array: NULL + 0 is undefined too. */
	if (kr->n > n)
		sodium_memzero(kr->ids + n, (kr->n - n) * sizeof *kr->ids);
	kr->n = n;
}

static int
line_fail(struct buf *why, size_t lineno, const char *msg)
{
	buf_printf(why, "%zu: %s", lineno, msg);
	return -1;
}

static int
add_line(struct age_keyring *kr, const char *s, size_t n, size_t lineno,
    struct buf *why)
{
	struct age_ident *id;
	const char *msg;

	if ((msg = identity_unsupported(s, n)) != NULL)
		return line_fail(why, lineno, msg);
	id = keyring_push(kr);
	if (!has_prefix(s, n, IDENTITY_PREFIX) ||
	    key_decode(s, n, IDENTITY_HRP, id->sk) != 0)
		return line_fail(why, lineno, "not a valid AGE-SECRET-KEY-1 "
		    "identity");
	crypto_scalarmult_base(id->pk, id->sk);
	return 0;
}

/* Every byte must be well-formed UTF-8, as Go requires of key files. */
static int
utf8_valid(const unsigned char *p, size_t n)
{
	size_t i, k, len;
	unsigned cp, min;

	for (i = 0; i < n; i += len) {
		if (p[i] < 0x80) {
			len = 1;
			continue;
		}
		if (p[i] >= 0xc2 && p[i] <= 0xdf)
			len = 2, cp = p[i] & 0x1f, min = 0x80;
		else if (p[i] >= 0xe0 && p[i] <= 0xef)
			len = 3, cp = p[i] & 0x0f, min = 0x800;
		else if (p[i] >= 0xf0 && p[i] <= 0xf4)
			len = 4, cp = p[i] & 0x07, min = 0x10000;
		else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	}
	return 1;
}

static int
check_text(const char *text, size_t len, struct buf *why)
{
	if (len > KEYFILE_MAX) {
		buf_adds(why, "identity file is larger than 16 MiB");
		return -1;
	}
	if (has_prefix(text, len, "age-encryption.org/") ||
	    has_prefix(text, len, "-----BEGIN AGE ENCRYPTED FILE")) {
		buf_adds(why, "passphrase-encrypted identity files are not "
		    "supported");
		return -1;
	}
	if (!utf8_valid((const unsigned char *)text, len)) {
		buf_adds(why, "identity file is not valid UTF-8");
		return -1;
	}
	return 0;
}

int
age_keyring_add(struct age_keyring *kr, const char *text, size_t len,
    struct buf *why)
{
	const char *line, *nl;
	size_t n, lineno, before;
	int rc;

	if ((rc = check_text(text, len, why)) != 0)
		return rc;
	before = kr->n;
	for (line = text, lineno = 1; line < text + len; lineno++) {
		nl = memchr(line, '\n', (size_t)(text + len - line));
		n = nl != NULL ? (size_t)(nl - line) :
		    (size_t)(text + len - line);
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n > 0 && line[0] != '#' &&
		    (rc = add_line(kr, line, n, lineno, why)) != 0) {
			keyring_truncate(kr, before);
			return rc;
		}
		line = nl != NULL ? nl + 1 : text + len;
	}
	if (kr->n == before) {
		buf_adds(why, "no identities found");
		return -1;
	}
	return 0;
}

int
age_keyring_add_passphrase(struct age_keyring *kr, const char *pass,
    size_t len, struct buf *why)
{
	struct age_ident *id;

	if (len == 0) {
		buf_adds(why, "empty passphrase");
		return -1;
	}
	id = keyring_push(kr);
	id->is_pass = 1;
	id->pass = xmalloc(len);
	memcpy(id->pass, pass, len);
	id->passlen = len;
	return 0;
}

size_t
age_keyring_count(const struct age_keyring *kr)
{
	return kr->n;
}

void
age_keyring_recipients(const struct age_keyring *kr, struct buf *out)
{
	size_t i;

	for (i = 0; i < kr->n; i++) {
		if (kr->ids[i].is_pass)
			continue;
		age_recipient_format(out, kr->ids[i].pk);
		buf_addc(out, '\n');
	}
}

/* RFC 3339 in local time, "Z" for a zero offset: what age-keygen writes. */
static void
format_created(struct buf *b, time_t t)
{
	struct tm tm;
	char date[32], zone[8];
	long off;

	localtime_r(&t, &tm);
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof zone, "%z", &tm);
	off = strtol(zone, NULL, 10);
	if (off == 0)
		buf_printf(b, "# created: %sZ\n", date);
	else
		buf_printf(b, "# created: %s%.3s:%.2s\n", date, zone,
		    zone + 3);
}

void
age_identity_generate(struct buf *text, struct buf *recipient, time_t created)
{
	unsigned char sk[AGE_KEY_LEN], pk[AGE_KEY_LEN];
	struct buf id = BUF_INIT, rcpt = BUF_INIT;
	size_t i;

	age_sodium_init();
	randombytes_buf(sk, sizeof sk);
	crypto_scalarmult_base(pk, sk);
	key_encode(&id, IDENTITY_HRP, sk);
	sodium_memzero(sk, sizeof sk);
	for (i = 0; i < id.len; i++)
		if (id.data[i] >= 'a' && id.data[i] <= 'z')
			id.data[i] = (char)(id.data[i] - 'a' + 'A');
	age_recipient_format(&rcpt, pk);
	/* Sized once so the secret line is never moved by realloc. */
	buf_grow(text, 256 + rcpt.len + id.len);
	format_created(text, created);
	buf_printf(text, "# public key: %s\n", rcpt.data);
	buf_add(text, id.data, id.len);
	buf_addc(text, '\n');
	buf_add(recipient, rcpt.data, rcpt.len);
	buf_wipe(&id);
	buf_free(&rcpt);
}
