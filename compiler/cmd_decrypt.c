/* cmd_decrypt.c: "railgen decrypt", a SOPS file shown as sops -d shows it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "age.h"
#include "buf.h"
#include "cmd.h"
#include "diag.h"
#include "fdio.h"
#include "sops.h"
#include "yamltree.h"

/*
 *   railgen decrypt FILE      prints FILE decrypted, MAC checked, in the
 *                             YAML sops -d prints ("-" reads stdin)
 *
 * Identities come from SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and the default
 * sops keys file, as sops finds them.  This is the one command that
 * shows secrets, and only on standard output: the text goes out through
 * write(2), never a stdio buffer, and is wiped afterwards.  Messages name
 * key paths and recipients, never values.
 *
 * Exit status: 0 ok; 1 the file is not a readable SOPS file, no identity
 * opens it, its MAC does not match or a value is damaged; 2 usage; 3 a
 * system or I/O failure.
 */

#define INPUT_MAX	(256 << 20)


static int
read_input(const char *path, struct buf *b)
{
	int fd, rc, e;

	fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	rc = fd_read_all(fd, b, INPUT_MAX);
	e = errno;
	if (fd != STDIN_FILENO)
		close(fd);
	errno = e;
	return rc;
}


/* Writes the decrypted documents. */
static void
print_plain(struct sops_file *f, size_t inlen, struct diag *d)
{
	struct buf out = BUF_INIT;

	/* Room up front, so the plaintext is not copied by growing. */
	buf_grow(&out, 2 * inlen + 65536);
	yaml_emit(&out, f->docs.docs, f->docs.len, 4);
	if (fd_write_all(STDOUT_FILENO, out.data, out.len) != 0)
		diag_system(d, errno, "standard output");
	buf_wipe(&out);
}

static void
decrypt(const char *path, struct diag *d)
{
	struct model_pos pos = { path, 0, 0, 0 };
	struct buf in = BUF_INIT, why = BUF_INIT;
	struct age_keyring *kr;
	struct sops_file *f = NULL;
	int rc;

	if (read_input(path, &in) != 0) {
		diag_system(d, errno, "%s", path);
		buf_free(&in);
		return;
	}
	kr = age_keyring_new();
	rc = sops_identities_load(kr, &why);
	if (rc == SOPS_OK)
		rc = sops_decrypt(in.data, in.len, kr, &f, &why);
	age_keyring_free(kr);
	if (rc == SOPS_ERR_SYSTEM)
		diag_system(d, EIO, "%s: %s", path, why.data);
	else if (rc != SOPS_OK) {
		diag_error(d, &pos, "%s", why.data);
		if (rc == SOPS_ERR_NO_IDENTITY || rc == SOPS_ERR_NO_MATCH)
			diag_hint(d, "%s", SOPS_IDENTITY_HINT);
	} else
		print_plain(f, in.len, d);
	sops_file_free(f);
	buf_free(&in);
	buf_free(&why);
}

int
cmd_decrypt(int argc, char *argv[])
{
	struct diag *d = diag_new(stderr);
	int status;

	if (argc != 2 || (argv[1][0] == '-' && argv[1][1] != '\0'))
		diag_usage(d, "decrypt takes one FILE (usage: railgen "
		    "decrypt FILE)");
	else
		decrypt(argv[1], d);
	status = diag_status(d);
	diag_free(d);
	return status;
}
