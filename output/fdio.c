/* fdio.c: whole reads and writes on file descriptors. */
#include <errno.h>
#include <unistd.h>

#include "fdio.h"

int
fd_read_all(int fd, struct buf *b, size_t max)
{
	char chunk[65536];
	ssize_t k;

	buf_grow(b, 0);
	for (;;) {
		k = read(fd, chunk, sizeof chunk);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			return 0;
		if (max != 0 && (size_t)k > max - b->len) {
			errno = EFBIG;
			return -1;
		}
		buf_add(b, chunk, (size_t)k);
	}
}

int
fd_read_regular(int fd, size_t size, struct buf *b, size_t max)
{
	size_t room, start = b->len;
	ssize_t k;

	room = size + 1;	/* one more: a file that grew shows at once */
	for (;;) {
		buf_grow(b, room);
		k = read(fd, b->data + b->len, room);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		b->len += (size_t)k;
		b->data[b->len] = '\0';
		if (max != 0 && b->len > max) {
			errno = EFBIG;
			return -1;
		}
		if (k == 0 || ((size_t)k < room && b->len - start >= size))
			return 0;
		room = (size_t)k < room ? room - (size_t)k : b->cap;
	}
}

int
fd_write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	ssize_t k;

	while (n > 0) {
		k = write(fd, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		s += k;
		n -= (size_t)k;
	}
	return 0;
}
