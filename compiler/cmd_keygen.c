/* cmd_keygen.c: "railgen keygen", new age identities in age-keygen format. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "age.h"
#include "buf.h"
#include "cmd.h"
#include "fdio.h"

/*
 *   railgen keygen [-o FILE]   writes a new identity (to stdout, or to
 *                              FILE created with mode 0600) and prints
 *                              "Public key: age1..." on stderr unless the
 *                              identity goes to a terminal, as age-keygen
 *   railgen keygen -y FILE     prints the recipient of every identity in
 *                              FILE ("-" for standard input)
 *
 * Exit status: 0 ok; 1 bad input, including an -o FILE that already
 * exists (it is never overwritten) and a malformed identity file; 2 usage;
 * 3 any other system or I/O failure.  Secret text is written with
 * write(2), never through a stdio buffer, and wiped afterwards.
 */

#define KEYFILE_MAX	(16 << 20)

static int
usage(void)
{
	fputs("usage: railgen keygen [-o FILE]\n"
	    "       railgen keygen -y FILE\n", stderr);
	return 2;
}


/* Creates FILE exclusively, mode 0600, and writes the identity text. */
static int
write_new_file(const char *path, const struct buf *text)
{
	int fd, saved;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0) {
		fprintf(stderr, "railgen: error: %s: %s%s\n", path,
		    strerror(errno), errno == EEXIST ?
		    " (refusing to overwrite it)" : "");
		return errno == EEXIST ? 1 : 3;
	}
	if (fd_write_all(fd, text->data, text->len) != 0 || fsync(fd) != 0) {
		saved = errno;
		close(fd);
		unlink(path);
		fprintf(stderr, "railgen: error: %s: %s\n", path,
		    strerror(saved));
		return 3;
	}
	if (close(fd) != 0) {
		fprintf(stderr, "railgen: error: %s: %s\n", path,
		    strerror(errno));
		unlink(path);
		return 3;
	}
	return 0;
}

static int
generate(const char *path)
{
	struct buf text = BUF_INIT, rcpt = BUF_INIT;
	int fd, rc;

	age_identity_generate(&text, &rcpt, time(NULL));
	fd = STDOUT_FILENO;
	if (path != NULL)
		rc = write_new_file(path, &text);
	else if (fd_write_all(fd, text.data, text.len) != 0) {
		fprintf(stderr, "railgen: error: standard output: %s\n",
		    strerror(errno));
		rc = 3;
	} else
		rc = 0;
	buf_wipe(&text);
	if (rc == 0 && (path != NULL || !isatty(fd)))
		fprintf(stderr, "Public key: %s\n", rcpt.data);
	buf_free(&rcpt);
	return rc;
}

/*
 * Reads a whole identity file.  The buffer grows by copying and wiping,
 * never by realloc, which would leave copies of the secrets behind.
 */
static int
read_secret(int fd, struct buf *b)
{
	struct buf bigger;
	ssize_t k;

	buf_grow(b, 4096);
	for (;;) {
		if (b->cap - b->len <= 1) {
			if (b->len >= KEYFILE_MAX)
				return 1;
			bigger = (struct buf)BUF_INIT;
			buf_grow(&bigger, b->cap * 2);
			buf_add(&bigger, b->data, b->len);
			buf_wipe(b);
			*b = bigger;
		}
		k = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		b->len += (size_t)k;
		b->data[b->len] = '\0';
	}
	return 0;
}

static int
load(const char *path, struct age_keyring *kr)
{
	struct buf text = BUF_INIT, why = BUF_INIT;
	int fd, rc;

	fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
	if (fd < 0 || (rc = read_secret(fd, &text)) < 0) {
		fprintf(stderr, "railgen: error: %s: %s\n", path,
		    strerror(errno));
		rc = 3;
	} else if (rc > 0) {
		fprintf(stderr, "railgen: error: %s: identity file is larger "
		    "than 16 MiB\n", path);
	} else if (age_keyring_add(kr, text.data, text.len, &why) != 0) {
		/* A reason naming a line starts with its number. */
		fprintf(stderr, "railgen: error: %s:%s%s\n", path,
		    why.data[0] >= '0' && why.data[0] <= '9' ? "" : " ",
		    why.data);
		rc = 1;
	}
	if (fd > STDIN_FILENO)
		close(fd);
	buf_wipe(&text);
	buf_free(&why);
	return rc;
}

static int
recipients(const char *path)
{
	struct age_keyring *kr;
	struct buf out = BUF_INIT;
	int rc;

	kr = age_keyring_new();
	if ((rc = load(path, kr)) == 0) {
		age_keyring_recipients(kr, &out);
		if (fwrite(out.data, 1, out.len, stdout) != out.len ||
		    fflush(stdout) != 0) {
			fprintf(stderr, "railgen: error: standard output: "
			    "%s\n", strerror(errno));
			rc = 3;
		}
	}
	buf_free(&out);
	age_keyring_free(kr);
	return rc;
}

int
cmd_keygen(int argc, char *argv[])
{
	const char *out, *in;
	int c;

	out = in = NULL;
	optind = 1;
	opterr = 0;
	while ((c = getopt(argc, argv, "o:y:")) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'y':
			in = optarg;
			break;
		default:
			fprintf(stderr, "railgen: error: keygen: unknown "
			    "option or missing argument '-%c'\n", optopt);
			return usage();
		}
	}
	if (optind != argc || (out != NULL && in != NULL))
		return usage();
	return in != NULL ? recipients(in) : generate(out);
}
