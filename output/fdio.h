/* fdio.h: whole reads and writes on file descriptors, EINTR retried. */
#ifndef RAILGEN_FDIO_H
#define RAILGEN_FDIO_H

#include <stddef.h>

#include "buf.h"

/*
 * Appends everything fd yields up to end of file to b.  max bounds the
 * total length of b (0: no bound); past it the read stops with EFBIG.
 * Returns 0, or -1 with errno set; b keeps what was read either way.
 */
int	fd_read_all(int fd, struct buf *b, size_t max);

/*
 * As fd_read_all, for a regular file that fstat found size bytes long:
 * reads straight into b, room for size bytes made once, and takes a
 * short read past size bytes as the end, so a file that did not change
 * meanwhile costs one read(2) and no copy.
 */
int	fd_read_regular(int fd, size_t size, struct buf *b, size_t max);

/* Writes all n bytes of p, across short writes; 0, or -1 with errno. */
int	fd_write_all(int fd, const void *p, size_t n);

#endif
