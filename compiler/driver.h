/* driver.h: the compiler pipeline: read, parse, check, then dump or emit. */
#ifndef RAILGEN_DRIVER_H
#define RAILGEN_DRIVER_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum driver_mode {
	DRIVER_COMPILE,			/* write the artifacts */
	DRIVER_CHECK,			/* compare them with what is there */
	DRIVER_DUMP			/* print the model as JSON */
};

struct driver_opts {
	enum driver_mode	 mode;
	const char		*outdir;	/* default "out" */
	bool			 verbose;	/* name each stage on stderr */
	bool			 force;		/* overwrite hand edits */
	const char		**rotate;	/* secrets to regenerate */
	size_t			 nrotate;
	const char		**files;	/* "-" is standard input */
	size_t			 nfiles;
};

/*
 * Runs the pipeline on opts->files.  Each stage reports every error it
 * finds and the next stage runs only when there was none.  Returns the
 * exit status (enum diag_exit).
 */
int	driver_run(const struct driver_opts *, struct diag *);

#endif
