/* test_arena.c: zeroed, aligned allocation and growing arrays in an arena. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"

static void
test_alloc_zeroed_aligned(void **state)
{
	struct arena *a = arena_new();
	unsigned char *p;
	size_t i, n;

	(void)state;
	for (n = 1; n < 300; n += 37) {
		p = arena_alloc(a, n);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		for (i = 0; i < n; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xAA, n);
	}
	arena_free(a);
}

static void
test_large_blocks(void **state)
{
	struct arena *a = arena_new();
	char *big, *small;

	(void)state;
	/* larger than one block: gets a block of its own */
	big = arena_alloc(a, 200 * 1024);
	memset(big, 1, 200 * 1024);
	small = arena_alloc(a, 16);
	assert_int_equal(small[0], 0);
	assert_int_equal(big[200 * 1024 - 1], 1);
	arena_free(a);
}

static void
test_strings(void **state)
{
	struct arena *a = arena_new();

	(void)state;
	assert_string_equal(arena_strdup(a, "railgen"), "railgen");
	assert_string_equal(arena_strndup(a, "railgen", 4), "rail");
	assert_string_equal(arena_strndup(a, "", 0), "");
	assert_string_equal(arena_printf(a, "%s-%d", "apps", 42), "apps-42");
	arena_free(a);
}

static void
test_grow_keeps_contents(void **state)
{
	struct arena *a = arena_new();
	int *v = NULL;
	size_t cap = 0, i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		v = arena_grow(a, v, &cap, i, sizeof(*v));
		assert_true(cap > i);
		v[i] = (int)i * 3;
	}
	for (i = 0; i < 1000; i++)
		assert_int_equal(v[i], (int)i * 3);
	arena_free(a);
}

static void
test_free_null(void **state)
{
	(void)state;
	arena_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_zeroed_aligned),
		cmocka_unit_test(test_large_blocks),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_grow_keeps_contents),
		cmocka_unit_test(test_free_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
