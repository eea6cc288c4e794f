/* fuzz_rail.c: libFuzzer target for the .rail front end (parse + check). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "check.h"
#include "diag.h"
#include "parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * The input is one file, read as the driver reads it: a copy in the arena
 * ending in NUL, its bytes registered for quoting.  Diagnostics go to
 * /dev/null, so their formatting runs too; the check stage runs only when
 * parsing reported nothing, as in the driver.  One arena and one diag per
 * input, both freed, so a leak in either shows.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct arena *a;
	struct diag *d;
	struct ast_file *f;
	const char *text;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return 0;
	a = arena_new();
	d = diag_new(null);
	text = arena_strndup(a, (const char *)data, size);
	diag_source(d, "fuzz.rail", text, size);
	f = parse_file(a, d, "fuzz.rail", text, size);
	if (diag_count(d) == 0)
		(void)check_fleet(a, d, &f, 1);
	diag_free(d);
	arena_free(a);
	return 0;
}
