/* sops_keys.c: age identities from sops's sources, and the data key. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "age.h"
#include "sops_impl.h"

/* Reads a whole file into b (which may then hold a key: wipe it). */
static int
read_file(const char *path, struct buf *b, int *missing)
{
	char chunk[4096];
	FILE *fp;
	size_t n;
	int err;

	*missing = 0;
	if ((fp = fopen(path, "rb")) == NULL) {
		*missing = errno == ENOENT;
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(b, chunk, n);
	sodium_memzero(chunk, sizeof chunk);
	err = ferror(fp);
	fclose(fp);
	buf_add(b, "", 0);
	return err ? -1 : 0;
}

/* An age-encrypted identity file needs a passphrase prompt sops has. */
static int
encrypted_identities(const struct buf *b)
{
	return (b->len >= 14 && memcmp(b->data, "age-encryption", 14) == 0) ||
	    (b->len >= 14 && memcmp(b->data, "-----BEGIN AGE", 14) == 0);
}

static int
add_text(struct age_keyring *kr, const char *source, const struct buf *b,
    struct buf *why)
{
	if (encrypted_identities(b)) {
		buf_printf(why, "%s: passphrase-protected identity files are "
		    "not supported", source);
		return SOPS_ERR_UNSUPPORTED;
	}
	if (age_keyring_add(kr, b->data, b->len, why) != 0) {
		buf_printf(why, " (in %s)", source);
		return SOPS_ERR_INPUT;
	}
	return SOPS_OK;
}

/*
 * SOPS_AGE_KEY may hold several keys on a line, separated by blanks:
 * they are put one a line, with empty and '#' lines dropped.
 */
static int
add_env_keys(struct age_keyring *kr, const char *value, struct buf *why)
{
	struct buf lines = BUF_INIT;
	const char *p = value, *e;
	int rc;

	while (*p != '\0') {
		size_t n = strcspn(p, "\r\n");
		const char *end = p + n;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end && *p != '#') {
			for (; p < end; p = e) {
				e = p + strcspn(p, " \t\r\n");
				if (e > p) {
					buf_add(&lines, p, (size_t)(e - p));
					buf_addc(&lines, '\n');
				}
				while (e < end && (*e == ' ' || *e == '\t'))
					e++;
			}
		}
		p = end;
		while (*p == '\r' || *p == '\n')
			p++;
	}
	buf_add(&lines, "", 0);
	rc = add_text(kr, "SOPS_AGE_KEY", &lines, why);
	buf_wipe(&lines);
	return rc;
}

static int
add_file(struct age_keyring *kr, const char *path, int optional,
    struct buf *why)
{
	struct buf b = BUF_INIT;
	int missing, rc;

	if (read_file(path, &b, &missing) != 0) {
		buf_wipe(&b);
		if (missing && optional)
			return SOPS_OK;
		buf_printf(why, "cannot read the identity file %s: %s", path,
		    strerror(missing ? ENOENT : EIO));
		return SOPS_ERR_SYSTEM;
	}
	rc = add_text(kr, path, &b, why);
	buf_wipe(&b);
	return rc;
}

int
sops_identities_load(struct age_keyring *kr, struct buf *why)
{
	struct buf path = BUF_INIT;
	const char *v;
	int rc = SOPS_OK;

	if ((v = getenv("SOPS_AGE_KEY")) != NULL && *v != '\0' &&
	    (rc = add_env_keys(kr, v, why)) != SOPS_OK)
		return rc;
	if ((v = getenv("SOPS_AGE_KEY_FILE")) != NULL && *v != '\0' &&
	    (rc = add_file(kr, v, 0, why)) != SOPS_OK)
		return rc;
	if ((v = getenv("XDG_CONFIG_HOME")) != NULL && *v != '\0')
		buf_printf(&path, "%s/sops/age/keys.txt", v);
	else if ((v = getenv("HOME")) != NULL && *v != '\0')
		buf_printf(&path, "%s/.config/sops/age/keys.txt", v);
	if (path.len > 0)
		rc = add_file(kr, path.data, 1, why);
	buf_free(&path);
	return rc;
}

/* "age1a..., age1b...": the recipients named in an error. */
static void
list_recipients(const struct sops_file *f, struct buf *why)
{
	size_t i;

	for (i = 0; i < f->meta.nage; i++)
		buf_printf(why, "%s%s", i ? ", " : "",
		    f->meta.age[i].recipient);
}

int
sops_file_data_key(const struct sops_file *f, const struct age_keyring *kr,
    unsigned char key[SOPS_KEY_LEN], struct buf *why)
{
	struct buf secret = BUF_INIT, reason = BUF_INIT;
	size_t i;
	int rc, opened = -1, malformed = -1, nomatch = 0;

	if (f->meta.nage == 0) {
		buf_adds(why, "the data key is not wrapped for any age "
		    "recipient (only for pgp, kms or other keys)");
		return SOPS_ERR_UNSUPPORTED;
	}
	if (kr == NULL || age_keyring_count(kr) == 0) {
		buf_adds(why, "no age identity found to open the data key");
		return SOPS_ERR_NO_IDENTITY;
	}
	/* Every stanza with every identity; the first that opens wins. */
	for (i = 0; i < f->meta.nage; i++) {
		const struct sops_age_entry *a = &f->meta.age[i];

		buf_reset(&reason);
		rc = age_unwrap(a->enc, strlen(a->enc), kr, &secret, &reason);
		if (rc == AGE_OK && secret.len == SOPS_KEY_LEN) {
			memcpy(key, secret.data, SOPS_KEY_LEN);
			buf_wipe(&secret);
			buf_free(&reason);
			return SOPS_OK;
		}
		buf_wipe(&secret);
		/* HMAC and payload errors come after an identity matched. */
		if (rc == AGE_OK || rc == AGE_ERR_HMAC || rc == AGE_ERR_PAYLOAD)
			opened = opened < 0 ? (int)i : opened;
		else if (rc == AGE_ERR_NO_MATCH)
			nomatch = 1;
		else if (malformed < 0)
			malformed = (int)i;
	}
	buf_free(&reason);
	if (opened >= 0 || (!nomatch && malformed >= 0)) {
		buf_printf(why, "the data key stanza for %s is damaged",
		    f->meta.age[opened >= 0 ? opened : malformed].recipient);
		return SOPS_ERR_VALUE;
	}
	buf_adds(why, "no identity matches the file's recipients (");
	list_recipients(f, why);
	buf_adds(why, ")");
	return SOPS_ERR_NO_MATCH;
}

int
sops_decrypt(const char *text, size_t len, const struct age_keyring *kr,
    struct sops_file **out, struct buf *why)
{
	unsigned char key[SOPS_KEY_LEN];
	struct sops_cipher *c;
	struct sops_file *f;
	int rc;

	*out = NULL;
	if ((rc = sops_file_parse(text, len, &f, why)) != SOPS_OK)
		return rc;
	if ((rc = sops_file_data_key(f, kr, key, why)) != SOPS_OK) {
		sops_file_free(f);
		return rc;
	}
	c = sops_cipher_new(key);
	sodium_memzero(key, sizeof key);
	rc = sops_file_decrypt(f, c, why);
	sops_cipher_free(c);
	if (rc != SOPS_OK) {
		sops_file_free(f);
		return rc;
	}
	*out = f;
	return SOPS_OK;
}
