/* buf.h: growable byte buffers and allocation that never fails quietly. */
#ifndef RAILGEN_BUF_H
#define RAILGEN_BUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A buffer owns its bytes.  data is always NUL-terminated (the NUL is not
 * counted in len), so text can be handed to C string functions; binary
 * content may still hold NUL bytes of its own.
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT	{ NULL, 0, 0 }

/* Allocation wrappers: on failure they report and exit with status 3. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

void	 buf_grow(struct buf *, size_t);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addc(struct buf *, int);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list);
void	 buf_reset(struct buf *);

/* Frees the bytes; buf_wipe zeroes them first (for secrets). */
void	 buf_free(struct buf *);
void	 buf_wipe(struct buf *);

/* Returns the bytes, owned by the caller, and leaves the buffer empty. */
char	*buf_detach(struct buf *, size_t *);

#endif
