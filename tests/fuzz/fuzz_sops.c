/* fuzz_sops.c: libFuzzer target for the SOPS file reader. */
#include <stdint.h>

#include "buf.h"
#include "fuzz_demo.h"
#include "sops.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * The YAML and sops: metadata parse of a buffer, as `railgen decrypt`
 * and the SOPS writer read a previous file (sops_decrypt parses first);
 * a file that parses is then decrypted with the demo identity: the data
 * key, every value, the MAC.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sops_file *f = NULL;
	struct buf why = BUF_INIT;
	const char *text = (const char *)data;

	(void)sops_decrypt(text, size, fuzz_demo_keyring(), &f, &why);
	sops_file_free(f);
	buf_free(&why);
	return 0;
}
