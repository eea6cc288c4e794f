/* sops.h: SOPS files (YAML, age): read, decrypt, encrypt and write them. */
#ifndef RAILGEN_SOPS_H
#define RAILGEN_SOPS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "yamltree.h"

/*
 * The format is the one sops 3.13 writes (../shared/specs/sops.md): every
 * leaf value is AES-256-GCM encrypted on its own under one 32-byte data
 * key with a 32-byte IV and its key path as additional data, a MAC over
 * the plaintext values closes the tree, and the data key is wrapped with
 * age for every recipient.  Files written by sops 3.7 to 3.13 are read.
 *
 * Every function that can fail returns an enum sops_status and appends a
 * reason to *why.  Reasons name key paths and recipients, never values.
 */
enum sops_status {
	SOPS_OK = 0,
	SOPS_ERR_FORMAT,	/* not a SOPS file: YAML or metadata */
	SOPS_ERR_UNSUPPORTED,	/* Shamir groups, comment rules, no age */
	SOPS_ERR_NO_IDENTITY,	/* a key is needed and none is available */
	SOPS_ERR_NO_MATCH,	/* no identity opens the data key */
	SOPS_ERR_MAC,		/* the MAC does not match (or is damaged) */
	SOPS_ERR_VALUE,		/* a value does not decrypt: damaged */
	SOPS_ERR_INPUT,		/* a tree or option this layer cannot take */
	SOPS_ERR_SYSTEM		/* I/O or the crypto library failed */
};

/* "no matching identity", "MAC mismatch", ...: for messages. */
const char *sops_status_str(int);

#define SOPS_KEY_LEN	32
#define SOPS_IV_LEN	32

/* The version written into new files: the layout this code produces. */
#define SOPS_VERSION	"3.13.3"

/* The six rules that decide which leaves are encrypted. */
enum sops_rule {
	SOPS_UNENCRYPTED_SUFFIX,
	SOPS_ENCRYPTED_SUFFIX,
	SOPS_UNENCRYPTED_REGEX,
	SOPS_ENCRYPTED_REGEX,
	SOPS_UNENCRYPTED_COMMENT_REGEX,
	SOPS_ENCRYPTED_COMMENT_REGEX
};

struct sops_age_entry {
	char	*recipient;
	char	*enc;		/* the armored age file, ending in "\n" */
};

/*
 * The sops: block.  Strings are owned, never NULL once parsed.  The
 * regexes are Go RE2 in sops; here a documented subset (sops_regex.c)
 * is translated to POSIX extended regexes.
 */
struct sops_meta {
	struct sops_age_entry	*age;
	size_t			 nage;
	size_t			 nforeign;	/* pgp, kms, ... keys */
	enum sops_rule		 rule;
	char			*rule_value;	/* "_unencrypted" by default */
	char			*lastmodified;	/* as written */
	char			*mac;		/* ENC[...] */
	int			 mac_only_encrypted;
	char			*version;
};

/*
 * A parsed SOPS file: its documents without the sops key and the
 * metadata of the first document.  decrypted says whether docs hold
 * plaintext (after sops_file_decrypt) or ciphertext.
 */
struct sops_file {
	struct yaml_docs	docs;
	struct sops_meta	meta;
	int			decrypted;
};

int	sops_file_parse(const char *text, size_t len, struct sops_file **,
	    struct buf *why);
void	sops_file_free(struct sops_file *);

/*
 * A cipher holds a data key and the IV stash: every value it decrypts
 * records its IV under (type, plaintext, additional data), and encrypting
 * the same plaintext at the same place again reuses that IV, so unchanged
 * values keep their ciphertext, as sops does.  The key is wiped on free.
 */
struct sops_cipher;

struct sops_cipher *sops_cipher_new(const unsigned char key[SOPS_KEY_LEN]);
void	sops_cipher_free(struct sops_cipher *);

/*
 * One value.  encrypt appends "ENC[AES256_GCM,...,type:T]" to *out, or
 * nothing for an empty string or comment (sops leaves those in clear).
 * decrypt returns a new node of the stored type (a comment for
 * type:comment); aad is the key path "a:b:".
 */
int	sops_value_encrypt(struct sops_cipher *, const struct yaml_node *leaf,
	    const char *aad, size_t aadlen, struct buf *out, struct buf *why);
int	sops_value_decrypt(struct sops_cipher *, const char *enc, size_t len,
	    const char *aad, size_t aadlen, struct yaml_node **out,
	    struct buf *why);

/*
 * Decrypts every encrypted leaf of f in place and checks the MAC (in
 * constant time).  SOPS_ERR_VALUE names the path of a damaged value,
 * SOPS_ERR_MAC reports a MAC that does not match.  On failure f may be
 * partly decrypted and must only be freed.
 */
int	sops_file_decrypt(struct sops_file *, struct sops_cipher *,
	    struct buf *why);

/*
 * Encrypts the plaintext documents of f in place under f->meta's rule,
 * computes the MAC and stores it encrypted, with lastmodified (RFC 3339,
 * e.g. "2026-01-02T03:04:05Z") as its additional data.
 */
int	sops_file_encrypt(struct sops_file *, struct sops_cipher *,
	    const char *lastmodified, struct buf *why);

/* Appends f as sops 3.13 writes it: each document, then its sops block. */
void	sops_file_emit(struct sops_file *, struct buf *out);

/* ---- age: identities and the data key --------------------------------- */

struct age_keyring;

/*
 * Loads identities the way sops does, from every source present:
 * SOPS_AGE_KEY (keys separated by blanks or lines), the file named by
 * SOPS_AGE_KEY_FILE, and $XDG_CONFIG_HOME/sops/age/keys.txt (or
 * ~/.config/sops/age/keys.txt).  A named source that cannot be read or
 * parsed is an error; a missing default file is not.  The SSH and
 * command sources of sops are not supported.
 */
int	sops_identities_load(struct age_keyring *, struct buf *why);

/* The hint shown when a key is needed and none was found. */
#define SOPS_IDENTITY_HINT \
	"set SOPS_AGE_KEY_FILE to an age identity file, or SOPS_AGE_KEY " \
	"to the key itself, or put it in ~/.config/sops/age/keys.txt"

/* Unwraps f's data key with any identity of the keyring. */
int	sops_file_data_key(const struct sops_file *,
	    const struct age_keyring *, unsigned char key[SOPS_KEY_LEN],
	    struct buf *why);

/*
 * Parses, unwraps and decrypts text (MAC checked) into *out, which the
 * caller frees with sops_file_free.
 */
int	sops_decrypt(const char *text, size_t len, const struct age_keyring *,
	    struct sops_file **out, struct buf *why);

/* ---- writing files that stay stable ----------------------------------- */

/*
 * What the Helm-values and platform emitters hand over.  plain holds the
 * documents in clear (root mappings; no "sops" key).  A leaf that the
 * caller does not know but that must stay as it is (a secret generated
 * earlier, written without a key at hand) is a YAML_KEEP node: it takes
 * the previous file's value at the same place (keys, and item indices in
 * sequences), which must exist.
 *
 * sops_write then keeps, byte for byte:
 *   - every ENC value, IV, the MAC and lastmodified when the values that
 *     the MAC covers did not change, even with no identity at all (with
 *     mac_only_encrypted, clear values may change freely);
 *   - the age stanzas of recipients that stay.
 * It needs the data key (so an identity, from keyring) when a secret is
 * new or changed, when encrypted values were removed or reordered, or
 * when a recipient is added; it then re-encrypts with the previous data
 * key, unchanged values keep their IVs, and only new recipients get a
 * new stanza.  Without a previous file it makes a new data key, which
 * needs no identity.  Without a needed identity it fails with
 * SOPS_ERR_NO_IDENTITY and a message naming the variables to set.
 * Nothing is appended to *out on failure.  encrypted_regex is RE2 in
 * sops; here the subset sops_regex_translate documents (ERE syntax,
 * (?:...), \d \w \s and their negations) is accepted.
 */
struct sops_write {
	struct yaml_docs	 plain;		/* borrowed, not changed */
	const char		*encrypted_regex; /* NULL: sops's default */
	int			 mac_only_encrypted;
	const char *const	*recipients;	/* age1..., in file order */
	size_t			 nrecipients;
	const char		*prev;		/* previous file, or NULL */
	size_t			 prevlen;
	/*
	 * prev as sops_file_parse read it, or NULL to have it parsed
	 * again.  Borrowed and only read: the path that needs a key
	 * decrypts a copy of its own.
	 */
	struct sops_file	*prev_file;
	const struct age_keyring *keyring;	/* NULL when none */
	int64_t			 now;		/* lastmodified if it moves */
};

int	sops_write(const struct sops_write *, struct buf *out,
	    struct buf *why);

#endif
