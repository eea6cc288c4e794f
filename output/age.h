/* age.h: age v1 encryption (X25519 and scrypt recipients, ASCII armor). */
#ifndef RAILGEN_AGE_H
#define RAILGEN_AGE_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "buf.h"

/*
 * Key handling (age_keyring_add*, age_recipient_check) returns 0 or -1;
 * encryption and decryption return an enum age_status.  On failure every
 * function appends a reason to *why.  No reason ever holds secret
 * material: a bad key line is named by its number, never its text.
 */
enum age_status {
	AGE_OK = 0,
	AGE_ERR_HEADER,		/* malformed header, or a fatal stanza */
	AGE_ERR_NO_MATCH,	/* no identity opened any stanza */
	AGE_ERR_HMAC,		/* header MAC does not verify */
	AGE_ERR_PAYLOAD,	/* STREAM payload truncated or corrupt */
	AGE_ERR_ARMOR,		/* ASCII armor malformed */
	AGE_ERR_KEY,		/* bad recipient, identity or passphrase */
	AGE_ERR_IO		/* reading or writing failed */
};

/* "header failure", "no match", ...: the class names of the age test
 * vectors, so a failure can be matched against them. */
const char *age_status_str(int);

/* X25519 identities and passphrases; secrets are wiped on free. */
struct age_keyring;

struct age_keyring *age_keyring_new(void);
void	age_keyring_free(struct age_keyring *);

/*
 * Parses text in age-keygen format: LF or CRLF lines, each empty, a
 * comment starting with '#' in its first byte, or one upper-case
 * AGE-SECRET-KEY-1 identity with no surrounding blanks.  The first bad
 * line rejects the whole text and nothing is added.  When one line is at
 * fault the reason starts with its number and ": ", so a caller may put
 * "FILE:" in front of it.
 */
int	age_keyring_add(struct age_keyring *, const char *text, size_t len,
	    struct buf *why);

/* Adds a passphrase (copied; at least one byte), tried on scrypt
 * stanzas. */
int	age_keyring_add_passphrase(struct age_keyring *, const char *pass,
	    size_t len, struct buf *why);

/* Identities and passphrases held. */
size_t	age_keyring_count(const struct age_keyring *);

/* Appends the age1... recipient of every X25519 identity, one a line. */
void	age_keyring_recipients(const struct age_keyring *, struct buf *out);

/* 0 when s is a valid X25519 recipient (age1..., checksum ok), or -1. */
int	age_recipient_check(const char *s, struct buf *why);

/*
 * Makes a new X25519 identity.  Appends the identity file text exactly as
 * age-keygen writes it ("# created: <RFC 3339 local time>", "# public
 * key: age1...", the AGE-SECRET-KEY-1 line) to *text, which the caller
 * must buf_wipe, and the recipient to *recipient.
 */
void	age_identity_generate(struct buf *text, struct buf *recipient,
	    time_t created);

/*
 * Encrypts secret[0..len) to every recipient and appends the armored
 * file, exactly as age -a writes it (64-column lines, final "\n"), to
 * *armored; on failure *armored is left as it was.
 */
int	age_wrap(const unsigned char *secret, size_t len,
	    const char *const *recipients, size_t nrecipients,
	    struct buf *armored, struct buf *why);

/*
 * Decrypts armored age text with any identity of the keyring and appends
 * the plaintext to *secret, which the caller owns and must buf_wipe.  On
 * failure *secret is wiped and left empty: partial plaintext never
 * reaches the caller.
 */
int	age_unwrap(const char *armored, size_t len,
	    const struct age_keyring *, struct buf *secret, struct buf *why);

/* Whole files, streamed through 64 KiB chunks. */
enum age_armor {
	AGE_ARMOR_NO,
	AGE_ARMOR_YES,
	AGE_ARMOR_AUTO		/* decrypt: armored when "-----BEGIN" leads */
};

/*
 * Encrypts in to out.  Either give X25519 recipients, or a passphrase
 * (pass != NULL, alone, as age requires) with an scrypt work factor
 * logn (1..AGE_SCRYPT_MAX_LOGN).
 */
int	age_encrypt_file(FILE *in, FILE *out, const char *const *recipients,
	    size_t nrecipients, const char *pass, size_t passlen, int logn,
	    enum age_armor, struct buf *why);

/*
 * Decrypts in to out.  Plaintext is released chunk by chunk as each
 * chunk authenticates; after a payload failure the bytes already written
 * stay written (as with age -d -o), so a caller must discard the output
 * of a failed run.
 */
int	age_decrypt_file(FILE *in, FILE *out, const struct age_keyring *,
	    enum age_armor, struct buf *why);

/* The highest scrypt work factor accepted (2^22 x 1 KiB = 4 GiB), as
 * age's own command line. */
#define AGE_SCRYPT_MAX_LOGN	22

#endif
