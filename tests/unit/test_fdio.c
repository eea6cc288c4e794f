/* test_fdio.c: whole reads of regular files whose size changed or not. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "fdio.h"

/* A file of n bytes, 'a' to 'z' over and over, opened for reading. */
static int
file_of(size_t n)
{
	char path[] = "/tmp/test_fdio.XXXXXX";
	struct buf b = BUF_INIT;
	size_t i;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(unlink(path), 0);
	for (i = 0; i < n; i++)
		buf_addc(&b, 'a' + (int)(i % 26));
	assert_int_equal(fd_write_all(fd, b.data, b.len), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	buf_free(&b);
	return fd;
}

/* Reads a file of n bytes told it has hint; checks every byte arrived. */
static void
read_with_hint(size_t n, size_t hint)
{
	struct buf b = BUF_INIT;
	size_t i;
	int fd;

	fd = file_of(n);
	buf_adds(&b, "kept");
	assert_int_equal(fd_read_regular(fd, hint, &b, 0), 0);
	assert_int_equal(b.len, 4 + n);
	assert_memory_equal(b.data, "kept", 4);
	for (i = 0; i < n; i++)
		assert_int_equal(b.data[4 + i], 'a' + (int)(i % 26));
	assert_int_equal(b.data[b.len], '\0');
	buf_free(&b);
	close(fd);
}

static void
test_size_as_told(void **state)
{
	(void)state;
	read_with_hint(0, 0);
	read_with_hint(1, 1);
	read_with_hint(5000, 5000);
	read_with_hint(300000, 300000);
}

/* The file grew or shrank after fstat: all of it, nothing invented. */
static void
test_size_changed(void **state)
{
	(void)state;
	read_with_hint(5000, 0);
	read_with_hint(5000, 10);
	read_with_hint(300000, 4096);
	read_with_hint(10, 5000);
	read_with_hint(0, 100);
}

static void
test_bound(void **state)
{
	struct buf b = BUF_INIT;
	int fd;

	(void)state;
	fd = file_of(100);
	errno = 0;
	assert_int_equal(fd_read_regular(fd, 100, &b, 99), -1);
	assert_int_equal(errno, EFBIG);
	buf_free(&b);
	close(fd);
	fd = file_of(100);
	assert_int_equal(fd_read_regular(fd, 100, &b, 100), 0);
	assert_int_equal(b.len, 100);
	buf_free(&b);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_as_told),
		cmocka_unit_test(test_size_changed),
		cmocka_unit_test(test_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
