/* age_file.c: age encryption and decryption between stdio streams. */
#include <string.h>

#include "age_impl.h"

/* Armor is recognised by "-----BEGIN" after leading whitespace, the
 * same slack the armor reader allows. */
#define SNIFF_SLACK	1024
#define ARMOR_MARK	"-----BEGIN"

static int
slurp(FILE *fp, struct buf *b, struct buf *why)
{
	char chunk[8192];
	size_t n;

	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(b, chunk, n);
	if (ferror(fp)) {
		buf_adds(why, "read error");
		return AGE_ERR_IO;
	}
	return AGE_OK;
}

/* Reads the leading whitespace and as many bytes as ARMOR_MARK into
 * *head; returns 1 when they announce armor. */
static int
sniff(FILE *fp, struct buf *head)
{
	size_t mark;
	int c;

	while (head->len <= SNIFF_SLACK && (c = getc(fp)) != EOF) {
		buf_addc(head, c);
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n' &&
		    c != '\v' && c != '\f')
			break;
	}
	mark = head->len > 0 ? head->len - 1 : 0;
	while (head->len - mark < strlen(ARMOR_MARK) && (c = getc(fp)) != EOF)
		buf_addc(head, c);
	return head->len - mark == strlen(ARMOR_MARK) &&
	    memcmp(head->data + mark, ARMOR_MARK, strlen(ARMOR_MARK)) == 0;
}

int
age_decrypt_file(FILE *in, FILE *out, const struct age_keyring *kr,
    enum age_armor armor, struct buf *why)
{
	struct buf head = BUF_INIT, bin = BUF_INIT;
	struct age_reader r;
	struct age_writer w;
	int rc;

	memset(&r, 0, sizeof r);
	memset(&w, 0, sizeof w);
	w.fp = out;
	if (armor == AGE_ARMOR_AUTO)
		armor = sniff(in, &head) ? AGE_ARMOR_YES : AGE_ARMOR_NO;
	if (ferror(in)) {
		buf_adds(why, "read error");
		rc = AGE_ERR_IO;
		goto out;
	}
	if (armor == AGE_ARMOR_YES) {
		if ((rc = slurp(in, &head, why)) != AGE_OK ||
		    (rc = age_armor_decode(head.data, head.len, &bin, why)) !=
		    AGE_OK)
			goto out;
		r.mem = (unsigned char *)bin.data;
		r.len = bin.len;
	} else {
		r.mem = (unsigned char *)head.data;
		r.len = head.len;
		r.fp = in;
	}
	rc = age_decrypt(&r, &w, kr, why);
	if (age_writer_finish(&w) != 0 && rc == AGE_OK) {
		buf_adds(why, "write error");
		rc = AGE_ERR_IO;
	}
out:
	buf_free(&head);
	buf_free(&bin);
	return rc;
}

int
age_encrypt_file(FILE *in, FILE *out, const char *const *recipients,
    size_t nrecipients, const char *pass, size_t passlen, int logn,
    enum age_armor armor, struct buf *why)
{
	struct age_reader r;
	struct age_writer w;

	memset(&r, 0, sizeof r);
	memset(&w, 0, sizeof w);
	r.fp = in;
	w.fp = out;
	if (armor == AGE_ARMOR_YES)
		age_armor_begin(&w);
	return age_encrypt(&r, &w, recipients, nrecipients, pass, passlen,
	    logn, why);
}
