/*
 * front_fixture.h: the cmocka fixture the front-end unit tests share, an
 * arena and a diagnostics sink captured in memory (f->text after fflush).
 * Included by one test file each; the functions are static on purpose.
 */
#ifndef FRONT_FIXTURE_H
#define FRONT_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "arena.h"
#include "diag.h"

struct fixture {
	struct arena	*arena;
	struct diag	*diag;
	FILE		*out;
	char		*text;
	size_t		 len;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->arena = arena_new();
	f->out = open_memstream(&f->text, &f->len);
	f->diag = diag_new(f->out);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	diag_free(f->diag);
	fclose(f->out);
	free(f->text);
	arena_free(f->arena);
	free(f);
	return 0;
}

#endif
