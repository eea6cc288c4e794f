/* test_strmap.c: the string index under the file tree and fleet checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strmap.h"

static void
test_put_get(void **state)
{
	struct strmap m = STRMAP_INIT;
	struct strmap_slot *sl;
	bool added;

	(void)state;
	assert_null(strmap_get(&m, "a", 1));
	sl = strmap_put(&m, "app/x", 5, &added);
	assert_true(added);
	sl->val = 7;
	/* a prefix of a key is a key of its own */
	sl = strmap_put(&m, "app/x", 3, &added);
	assert_true(added);
	sl->val = 9;
	sl = strmap_put(&m, "app", 3, &added);
	assert_false(added);
	assert_int_equal(sl->val, 9);
	assert_int_equal(strmap_get(&m, "app/x", 5)->val, 7);
	assert_null(strmap_get(&m, "app/", 4));
	assert_int_equal(m.n, 2);
	strmap_free(&m);
	assert_null(strmap_get(&m, "app", 3));
}

/* Thousands of keys: every one found after the table grew many times. */
static void
test_growth(void **state)
{
	struct strmap m = STRMAP_INIT;
	static char keys[5000][16];
	bool added;
	size_t i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%zu", i);
		strmap_put(&m, keys[i], strlen(keys[i]), &added)->val = i;
		assert_true(added);
	}
	assert_int_equal(m.n, 5000);
	assert_true(m.cap >= 2 * m.n);
	for (i = 0; i < 5000; i++)
		assert_int_equal(strmap_get(&m, keys[i],
		    strlen(keys[i]))->val, i);
	assert_null(strmap_get(&m, "k5000", 5));
	strmap_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
