/* agevec.c: runs the CCTV age test vectors in process, with round trips. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "age_impl.h"
#include "base64.h"

/*
 *   agevec CASEDIR
 *
 * CASEDIR holds NAME.head and NAME.age for every name in CASEDIR/LIST
 * (tests/age/vectors.mjs writes it).  Prints one line per vector in the
 * test-suite format ("ok age/vector-NAME", "FAIL ...", "skip ...") and
 * exits 1 when any failed.  Beyond the expected outcome it checks:
 *  - the failure class (header, HMAC, no match, payload, armor);
 *  - for payload failures, that the plaintext released before the error
 *    hashes to the vector's payload (chunk-by-chunk release);
 *  - for every vector whose header parses, that re-encoding the header
 *    reproduces its bytes, and that the MAC recomputed from the file key
 *    matches unless the vector is an HMAC failure;
 *  - for success vectors, that re-encrypting the plaintext with the file
 *    key and nonce reproduces the payload bytes.
 */

struct vec {
	char		 expect[32];
	char		 payload[80];
	unsigned char	 fk[AGE_FILE_KEY_LEN];
	int		 has_fk;
	int		 armored;
	int		 unknown;
	struct buf	 ids;		/* identity lines, LF-separated */
	size_t		 nids;
	size_t		 npq;
	struct buf	 pass;		/* first passphrase */
	int		 has_pass;
};

static int
read_path(const char *path, struct buf *b)
{
	char chunk[65536];
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(b, chunk, n);
	if (ferror(fp)) {
		fclose(fp);
		return -1;
	}
	fclose(fp);
	return 0;
}

static void
head_field(struct vec *v, const char *key, const char *val)
{
	if (strcmp(key, "expect") == 0)
		snprintf(v->expect, sizeof v->expect, "%s", val);
	else if (strcmp(key, "payload") == 0)
		snprintf(v->payload, sizeof v->payload, "%s", val);
	else if (strcmp(key, "file key") == 0)
		v->has_fk = sodium_hex2bin(v->fk, sizeof v->fk, val,
		    strlen(val), NULL, NULL, NULL) == 0;
	else if (strcmp(key, "identity") == 0) {
		v->nids++;
		if (strncmp(val, "AGE-SECRET-KEY-PQ-", 18) == 0) {
			v->npq++;
			return;
		}
		buf_adds(&v->ids, val);
		buf_addc(&v->ids, '\n');
	} else if (strcmp(key, "passphrase") == 0) {
		if (!v->has_pass)
			buf_adds(&v->pass, val);
		v->has_pass = 1;
	} else if (strcmp(key, "armored") == 0)
		v->armored = 1;
	else if (strcmp(key, "compressed") != 0 &&
	    strcmp(key, "comment") != 0)
		v->unknown = 1;
}

static void
parse_head(struct vec *v, char *text)
{
	char *line, *next, *sep;

	for (line = text; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((sep = strstr(line, ": ")) == NULL) {
			v->unknown = 1;
			continue;
		}
		*sep = '\0';
		head_field(v, line, sep + 2);
	}
}

static int
hash_is(const struct buf *b, const char *hex)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char got[2 * sizeof h + 1];

	crypto_hash_sha256(h, (const unsigned char *)b->data, b->len);
	sodium_bin2hex(got, sizeof got, h, sizeof h);
	return strcmp(got, hex) == 0;
}

static const char *
class_name(int rc)
{
	return rc == AGE_OK ? "success" : age_status_str(rc);
}

/* Decrypts bin[0..len) and returns the status; plaintext goes to *out. */
static int
decrypt(const struct vec *v, const struct buf *file, struct buf *bin,
    struct buf *out, struct buf *why)
{
	struct age_keyring *kr;
	struct age_reader r;
	struct age_writer w;
	int rc;

	if (v->armored) {
		if ((rc = age_armor_decode(file->data, file->len, bin, why)) !=
		    AGE_OK)
			return rc;
	} else
		buf_add(bin, file->data, file->len);
	kr = age_keyring_new();
	rc = 0;
	if (v->ids.len > 0)
		rc = age_keyring_add(kr, v->ids.data, v->ids.len, why);
	if (rc == 0 && v->has_pass)
		rc = age_keyring_add_passphrase(kr, v->pass.data, v->pass.len,
		    why);
	if (rc != 0) {
		age_keyring_free(kr);
		return -1;
	}
	memset(&r, 0, sizeof r);
	r.mem = (unsigned char *)bin->data;
	r.len = bin->len;
	memset(&w, 0, sizeof w);
	w.b = out;
	rc = age_decrypt(&r, &w, kr, why);
	age_keyring_free(kr);
	return rc;
}

/* Header round trip; stores the header length in *hlen. */
static const char *
check_header(const struct vec *v, const struct buf *bin, size_t *hlen)
{
	struct age_reader r;
	struct age_header h;
	struct buf raw = BUF_INIT, again = BUF_INIT, why = BUF_INIT;
	unsigned char mac[32];
	const char *err;

	memset(&r, 0, sizeof r);
	r.mem = (unsigned char *)bin->data;
	r.len = bin->len;
	err = NULL;
	if (age_header_read(&r, &raw, &why) != AGE_OK ||
	    age_header_parse((unsigned char *)raw.data, raw.len, &h, &why) !=
	    AGE_OK) {
		buf_free(&raw);
		buf_free(&why);
		return "header does not parse";
	}
	age_header_encode(&again, &h);
	buf_addc(&again, ' ');
	base64_encode(&again, h.mac, sizeof h.mac, 0);
	buf_addc(&again, '\n');
	if (again.len != raw.len || memcmp(again.data, raw.data, raw.len) != 0)
		err = "re-encoded header differs";
	age_header_mac(mac, v->fk, raw.data, h.maclen);
	if (err == NULL && v->has_fk && strcmp(v->expect, "HMAC failure") != 0
	    && sodium_memcmp(mac, h.mac, sizeof mac) != 0)
		err = "MAC from the file key differs";
	*hlen = raw.len;
	age_header_free(&h);
	buf_free(&raw);
	buf_free(&again);
	buf_free(&why);
	return err;
}

/* Re-encrypts the plaintext with the vector's file key and nonce. */
static const char *
check_payload(const struct vec *v, const struct buf *bin, size_t hlen,
    const struct buf *plain)
{
	struct age_reader r;
	struct age_writer w;
	struct buf ct = BUF_INIT, why = BUF_INIT;
	const char *err;

	if (bin->len < hlen + AGE_NONCE_LEN)
		return "no nonce";
	memset(&r, 0, sizeof r);
	r.mem = (unsigned char *)plain->data;
	r.len = plain->len;
	memset(&w, 0, sizeof w);
	w.b = &ct;
	err = NULL;
	if (age_stream_encrypt(&r, &w, v->fk,
	    (unsigned char *)bin->data + hlen, &why) != AGE_OK ||
	    ct.len != bin->len - hlen - AGE_NONCE_LEN ||
	    memcmp(ct.data, bin->data + hlen + AGE_NONCE_LEN, ct.len) != 0)
		err = "re-encrypted payload differs";
	buf_free(&ct);
	buf_free(&why);
	return err;
}

static const char *
run_vector(const struct vec *v, const struct buf *file, struct buf *why)
{
	struct buf bin = BUF_INIT, out = BUF_INIT;
	const char *err;
	size_t hlen;
	int rc;

	err = NULL;
	rc = decrypt(v, file, &bin, &out, why);
	if (rc < 0)
		err = "could not load the vector's credentials";
	else if (strcmp(class_name(rc), v->expect) != 0)
		err = class_name(rc);
	else if (v->payload[0] != '\0' && !hash_is(&out, v->payload))
		err = "plaintext hash differs";
	if (err == NULL && rc != AGE_ERR_HEADER && rc != AGE_ERR_ARMOR &&
	    (err = check_header(v, &bin, &hlen)) == NULL && rc == AGE_OK &&
	    v->has_fk)
		err = check_payload(v, &bin, hlen, &out);
	buf_free(&bin);
	buf_free(&out);
	return err;
}

static int
one(const char *dir, const char *name)
{
	struct vec v;
	struct buf path = BUF_INIT, head = BUF_INIT, file = BUF_INIT;
	struct buf why = BUF_INIT;
	const char *err;
	int failed;

	memset(&v, 0, sizeof v);
	buf_printf(&path, "%s/%s.head", dir, name);
	failed = 0;
	if (read_path(path.data, &head) != 0) {
		printf("FAIL age/vector-%s: cannot read %s\n", name, path.data);
		failed = 1;
		goto out;
	}
	buf_reset(&path);
	buf_printf(&path, "%s/%s.age", dir, name);
	if (read_path(path.data, &file) != 0) {
		printf("FAIL age/vector-%s: cannot read %s\n", name, path.data);
		failed = 1;
		goto out;
	}
	parse_head(&v, head.data);
	if (v.unknown || v.expect[0] == '\0') {
		printf("FAIL age/vector-%s: unknown vector format\n", name);
		failed = 1;
	} else if (v.npq > 0 && v.npq == v.nids && !v.has_pass)
		printf("skip age/vector-%s: needs ML-KEM (post-quantum) "
		    "identities, not supported\n", name);
	else if ((err = run_vector(&v, &file, &why)) != NULL) {
		printf("FAIL age/vector-%s: expected %s, got %s (%s)\n", name,
		    v.expect, err, why.data != NULL ? why.data : "");
		failed = 1;
	} else
		printf("ok age/vector-%s\n", name);
out:
	buf_free(&v.ids);
	buf_free(&v.pass);
	buf_free(&path);
	buf_free(&head);
	buf_free(&file);
	buf_free(&why);
	return failed;
}

int
main(int argc, char *argv[])
{
	struct buf list = BUF_INIT, path = BUF_INIT;
	char *name, *next;
	int failed;

	if (argc != 2) {
		fputs("usage: agevec CASEDIR\n", stderr);
		return 2;
	}
	age_sodium_init();
	buf_printf(&path, "%s/LIST", argv[1]);
	if (read_path(path.data, &list) != 0 || list.len == 0) {
		printf("FAIL age/vectors: cannot read %s\n", path.data);
		return 1;
	}
	failed = 0;
	for (name = list.data; *name != '\0'; name = next) {
		if ((next = strchr(name, '\n')) == NULL)
			next = name + strlen(name);
		else
			*next++ = '\0';
		failed |= one(argv[1], name);
	}
	buf_free(&list);
	buf_free(&path);
	return failed;
}
