/* fuzz_demo.h: the demo identity the decrypting fuzz targets try. */
#ifndef RAILGEN_FUZZ_DEMO_H
#define RAILGEN_FUZZ_DEMO_H

#include <stdio.h>
#include <stdlib.h>

#include "age.h"
#include "buf.h"

/*
 * examples/demo.agekey, loaded once (the Makefile passes its path as
 * FUZZ_AGEKEY), so that inputs mutated from seeds encrypted to it get
 * past the stanza into the MAC and payload checks.  Kept for the whole
 * run: still reachable at exit, so no leak is reported.  Without the
 * file the targets abort, rather than fuzz less than they claim.
 */
static struct age_keyring *
fuzz_demo_keyring(void)
{
	static struct age_keyring *kr;
	struct buf text = BUF_INIT, why = BUF_INIT;
	char chunk[512];
	size_t n;
	FILE *fp;

	if (kr != NULL)
		return kr;
	if ((fp = fopen(FUZZ_AGEKEY, "r")) == NULL) {
		perror(FUZZ_AGEKEY);
		abort();
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&text, chunk, n);
	(void)fclose(fp);
	kr = age_keyring_new();
	if (age_keyring_add(kr, text.data, text.len, &why) != 0) {
		fprintf(stderr, "%s: %s\n", FUZZ_AGEKEY, why.data);
		abort();
	}
	buf_wipe(&text);
	buf_free(&why);
	return kr;
}

#endif
