/* fuzz_age_armor.c: libFuzzer target for age's ASCII armor. */
#include <stdint.h>
#include <string.h>

#include "age_impl.h"
#include "buf.h"
#include "fuzz_demo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * De-armors the input; what decodes goes on to age_unwrap, the path a
 * SOPS data key takes, so the header and payload behind valid armor are
 * reached too.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf bin = BUF_INIT, plain = BUF_INIT, why = BUF_INIT;
	const char *text = (const char *)data;

	if (age_armor_decode(text, size, &bin, &why) == AGE_OK)
		(void)age_unwrap(text, size, fuzz_demo_keyring(), &plain,
		    &why);
	buf_free(&bin);
	buf_wipe(&plain);
	buf_free(&why);
	return 0;
}
