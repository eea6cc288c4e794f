/* age_impl.h: what the age modules share; only output/age*.c and tests. */
#ifndef RAILGEN_AGE_IMPL_H
#define RAILGEN_AGE_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "age.h"
#include "buf.h"

#define AGE_FILE_KEY_LEN	16
#define AGE_NONCE_LEN		16
#define AGE_KEY_LEN		32
#define AGE_TAG_LEN		16
#define AGE_CHUNK_LEN		65536
#define AGE_SEALED_LEN		(AGE_CHUNK_LEN + AGE_TAG_LEN)
#define AGE_HEADER_MAX		(1 << 20)	/* our bound, not the spec's */
#define AGE_VERSION_LINE	"age-encryption.org/v1"

/* Calls sodium_init once; exits with status 3 when it fails. */
void	age_sodium_init(void);

/*
 * Input: bytes of mem[0..len) first, then fp when it is not NULL.  A
 * read fills the whole request unless the input ends; err records an I/O
 * failure of fp.
 */
struct age_reader {
	const unsigned char	*mem;
	size_t			 len;
	size_t			 off;
	FILE			*fp;
	int			 err;
};

size_t	age_read(struct age_reader *, void *, size_t);

/*
 * Output to fp or appended to b.  With armor set, bytes are written as
 * the armored form and age_writer_finish adds the last line and the END
 * line.  err records a failed write.
 */
struct age_writer {
	FILE		*fp;
	struct buf	*b;
	int		 armor;
	unsigned char	 carry[48];
	size_t		 ncarry;
	int		 err;
};

int	age_write(struct age_writer *, const void *, size_t);
int	age_writer_finish(struct age_writer *);

/* Armor: the BEGIN line, the strict de-armoring of a whole text. */
void	age_armor_begin(struct age_writer *);
int	age_armor_decode(const char *, size_t, struct buf *out,
	    struct buf *why);

/* A stanza: args[0] is its type; the body is decoded bytes. */
struct age_stanza {
	char		**args;
	size_t		  nargs;
	unsigned char	 *body;
	size_t		  bodylen;
};

struct age_header {
	struct age_stanza	*st;
	size_t			 nst;
	size_t			 maclen;	/* bytes the MAC covers */
	unsigned char		 mac[32];
};

/*
 * age_header_read collects the raw header (through the MAC line) from a
 * reader into raw; age_header_parse checks those bytes with every rule of
 * the format.  Both return AGE_OK or AGE_ERR_HEADER (AGE_ERR_IO for a
 * failed read).
 */
int	age_header_read(struct age_reader *, struct buf *raw, struct buf *why);
int	age_header_parse(const unsigned char *, size_t, struct age_header *,
	    struct buf *why);
void	age_header_free(struct age_header *);

/* Adds a stanza; the strings and the body are copied. */
void	age_header_add(struct age_header *, const char *const *args,
	    size_t nargs, const unsigned char *body, size_t bodylen);

/* Appends the header up to and including "---": the bytes the MAC
 * covers. */
void	age_header_encode(struct buf *, const struct age_header *);

/* The header MAC over p[0..n) with the key derived from the file key. */
void	age_header_mac(unsigned char mac[32],
	    const unsigned char fk[AGE_FILE_KEY_LEN], const void *p, size_t n);

/* Recipient types.  Unwrap returns AGE_OK with the file key, AGE_ERR_
 * NO_MATCH, or AGE_ERR_HEADER for a stanza that must abort decryption. */
int	age_x25519_wrap(struct age_header *,
	    const unsigned char fk[AGE_FILE_KEY_LEN],
	    const unsigned char pk[AGE_KEY_LEN], struct buf *why);
int	age_x25519_unwrap(const struct age_header *,
	    const unsigned char sk[AGE_KEY_LEN],
	    unsigned char fk[AGE_FILE_KEY_LEN], struct buf *why);
int	age_scrypt_wrap(struct age_header *,
	    const unsigned char fk[AGE_FILE_KEY_LEN], const char *pass,
	    size_t passlen, int logn, struct buf *why);
int	age_scrypt_unwrap(const struct age_header *, const char *pass,
	    size_t passlen, unsigned char fk[AGE_FILE_KEY_LEN],
	    struct buf *why);

/* A keyring entry: an X25519 key pair or a passphrase. */
struct age_ident {
	int		 is_pass;
	unsigned char	 sk[AGE_KEY_LEN];
	unsigned char	 pk[AGE_KEY_LEN];
	char		*pass;
	size_t		 passlen;
};

struct age_keyring {
	struct age_ident	*ids;
	size_t			 n;
	size_t			 cap;
};

/* Recipient and identity strings. */
int	age_recipient_parse(const char *, size_t,
	    unsigned char pk[AGE_KEY_LEN], struct buf *why);
void	age_recipient_format(struct buf *, const unsigned char pk[AGE_KEY_LEN]);

/*
 * STREAM payload under the key derived from the file key and nonce.
 * Decryption writes each chunk as soon as it authenticates; both return
 * AGE_OK, AGE_ERR_PAYLOAD or AGE_ERR_IO.
 */
int	age_stream_encrypt(struct age_reader *, struct age_writer *,
	    const unsigned char fk[AGE_FILE_KEY_LEN],
	    const unsigned char nonce[AGE_NONCE_LEN], struct buf *why);
int	age_stream_decrypt(struct age_reader *, struct age_writer *,
	    const unsigned char fk[AGE_FILE_KEY_LEN],
	    const unsigned char nonce[AGE_NONCE_LEN], struct buf *why);

/*
 * Decrypts a binary age file from in (header, identities, MAC, nonce,
 * payload, in the order the error classes assume).
 */
int	age_decrypt(struct age_reader *, struct age_writer *,
	    const struct age_keyring *, struct buf *why);

/*
 * Encrypts in to out for the X25519 recipients, or for the passphrase
 * alone when pass is not NULL, and finishes the writer.
 */
int	age_encrypt(struct age_reader *, struct age_writer *,
	    const char *const *recipients, size_t nrecipients,
	    const char *pass, size_t passlen, int logn, struct buf *why);

#endif
