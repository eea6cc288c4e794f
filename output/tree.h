/* tree.h: the files railgen writes, in memory, then committed or compared. */
#ifndef RAILGEN_TREE_H
#define RAILGEN_TREE_H

#include <stddef.h>

#include "buf.h"

/*
 * Emitters add files to a tree; nothing touches the disk until the whole
 * tree is complete and no error was reported.  Files are kept sorted by
 * path (byte order), so every walk over a tree is deterministic.
 *
 * Writing is split in three steps so that later stages can hook in
 * between (removing files railgen no longer produces, recording which
 * files it owns):
 *
 *	tree_plan_make		compare the tree with the directory
 *	tree_plan_stage		write each new or changed file to a temporary
 *				file beside its target and fsync it; the
 *				directory's visible files are unchanged, so
 *				a failure here leaves it as it was
 *	tree_plan_publish	rename every staged file over its target,
 *				fix modes, fsync the directories
 *
 * Unchanged files are never rewritten (their inode and mtime stay).
 * Paths are walked one component at a time with O_NOFOLLOW below the
 * output directory, so a symbolic link inside it is refused rather than
 * followed out of it.
 */

struct tree_file {
	char	*path;		/* relative, '/'-separated, no . or .. */
	char	*data;		/* owned; NUL-terminated, len bytes */
	size_t	 len;
	int	 mode;		/* permission bits before the umask */
};

struct tree {
	struct tree_file	*files;		/* sorted by path */
	size_t			 nfiles, cap;
	struct buf		 errors;	/* one message per line */
	int			 nerrors;
};

void	tree_init(struct tree *);
void	tree_free(struct tree *);

/*
 * Adds a copy of data under path.  A malformed path, a path added twice,
 * or a path that is both a file and a directory is recorded as an error
 * of the tree (see tree_error) and -1 is returned.
 */
int	tree_add(struct tree *, const char *path, const void *data,
	    size_t len, int mode);

/* As tree_add, but takes the bytes of b and leaves it empty. */
int	tree_add_buf(struct tree *, const char *path, struct buf *b,
	    int mode);

/* The file at path, or NULL; borrowed from the tree. */
const struct tree_file	*tree_get(const struct tree *, const char *path);

/* Records an error; a tree with errors is never committed. */
void	tree_error(struct tree *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

enum tree_state {
	TREE_SAME,		/* bytes and mode as on disk */
	TREE_NEW,		/* not on disk */
	TREE_CHANGED,		/* bytes differ */
	TREE_MODE		/* bytes equal, permission bits differ */
};

struct tree_change {
	const struct tree_file	*file;		/* borrowed from the tree */
	enum tree_state		 state;
	char			*old;		/* bytes on disk, or NULL */
	size_t			 oldlen;
	int			 oldmode;	/* on disk, or -1 */
	int			 dirfd;		/* staged: its directory */
	char			*tmp;		/* staged: temporary name */
};

struct tree_plan {
	char			*dir;
	int			 rootfd;	/* -1 until the dir exists */
	struct tree_change	*changes;	/* one per file, tree order */
	size_t			 nchanges;
	int			 umask;
	int			 staged;
};

/*
 * Compares tree with the directory dir (which need not exist) and fills
 * plan.  Returns 0, or -1 with a message in err (a file that cannot be
 * read, a symbolic link, a directory where a file should be).
 */
int	tree_plan_make(struct tree_plan *, const struct tree *,
	    const char *dir, struct buf *err);
int	tree_plan_stage(struct tree_plan *, struct buf *err);
int	tree_plan_publish(struct tree_plan *, struct buf *err);

/* Closes descriptors and removes temporary files not published. */
void	tree_plan_free(struct tree_plan *);

/* Number of files whose state is not TREE_SAME. */
size_t	tree_plan_ndiff(const struct tree_plan *);

/*
 * The three steps at once.  Refuses (-1, nothing written) a tree that
 * recorded errors.  Returns the number of files written or re-moded.
 */
int	tree_commit(const struct tree *, const char *dir, struct buf *err);

/*
 * For --check: calls fn for every file whose state is not TREE_SAME, in
 * tree order, and returns how many there were, or -1 (message in err)
 * when the directory cannot be read or fn returns -1.
 */
typedef int (*tree_diff_fn)(void *arg, const struct tree_change *);
int	tree_compare(const struct tree *, const char *dir, tree_diff_fn fn,
	    void *arg, struct buf *err);

#endif
