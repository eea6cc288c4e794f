/* fuzz_age_header.c: libFuzzer target for binary age headers and files. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "age_impl.h"
#include "buf.h"
#include "fuzz_demo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * The parser must be canonical: a header it accepts encodes back to the
 * very bytes the MAC covers, or two files could share one MAC.
 */
static void
parse_header(const uint8_t *data, size_t size)
{
	struct age_header h;
	struct buf why = BUF_INIT, enc = BUF_INIT;

	memset(&h, 0, sizeof(h));
	if (age_header_parse(data, size, &h, &why) == AGE_OK) {
		age_header_encode(&enc, &h);
		if (enc.len != h.maclen || memcmp(enc.data, data, enc.len))
			abort();
	}
	age_header_free(&h);
	buf_free(&enc);
	buf_free(&why);
}

/* The whole file as `railgen decrypt` reads it, with the demo key. */
static void
decrypt(const uint8_t *data, size_t size)
{
	struct age_reader in;
	struct age_writer out;
	struct buf plain = BUF_INIT, why = BUF_INIT;

	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	in.mem = data;
	in.len = size;
	out.b = &plain;
	(void)age_decrypt(&in, &out, fuzz_demo_keyring(), &why);
	buf_wipe(&plain);
	buf_free(&why);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse_header(data, size);
	decrypt(data, size);
	return 0;
}
