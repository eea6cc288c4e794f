/* tree_impl.h: what tree_plan.c and tree_journal.c share; not an API. */
#ifndef RAILGEN_TREE_IMPL_H
#define RAILGEN_TREE_IMPL_H

#include <stddef.h>

#include "buf.h"
#include "tree.h"

/* Appends "dir/path: what: strerror(errno)" to err; returns -1. */
int	tree_syserr(struct buf *err, const char *dir, const char *path,
	    const char *what);

/*
 * Opens the directory path[0, len) below rootfd (len 0: rootfd itself,
 * duplicated), one component at a time without following symbolic
 * links.  Returns the descriptor, or -1 with errno set (ENOENT: a
 * directory is missing; ENOTDIR or ELOOP: a component is not one).
 */
int	tree_open_dir(int rootfd, const char *path, size_t len);

/* The directory that holds path, as tree_open_dir opens it. */
int	tree_open_parent(int rootfd, const char *path);

/* The last component of path; the length of what comes before it. */
const char	*tree_base(const char *path);
size_t		 tree_dirlen(const char *path);

/* fsync of the directory path[0, len) below rootfd. */
int	tree_sync_dir(int rootfd, const char *path, size_t len);

/*
 * A few directories kept open, so that writing or reading thousands of
 * files does not walk from the output directory down, one openat per
 * component, for each of them.  Files come sorted by path, so the next
 * file's directory is nearly always one of the last few.  Paths are
 * relative to one rootfd for the cache's whole life; a step that removes
 * directories clears the cache first.
 */
#define TREE_DIRCACHE	4

struct tree_dircache {
	int		 fd[TREE_DIRCACHE];	/* -1: empty */
	char		*path[TREE_DIRCACHE];
	size_t		 len[TREE_DIRCACHE];
	unsigned	 next;			/* the entry replaced next */
};

void	tree_dircache_init(struct tree_dircache *);
void	tree_dircache_clear(struct tree_dircache *);

/* As tree_open_dir, but the descriptor is borrowed from the cache. */
int	tree_dircache_open(struct tree_dircache *, int rootfd,
	    const char *path, size_t len);

/*
 * Makes everything written below rootfd so far durable: syncfs(2) on
 * Linux, which flushes the whole filesystem in one journal commit; see
 * TREE_BULK_SYNC in tree_plan.c for the argument and the fallback.
 */
int	tree_sync_all(int rootfd);

/* 1 when tree_sync_all covers files and directories staged unsynced. */
extern const int	tree_bulk_sync;

/*
 * The journal of one commit: every step publishing takes, so that a run
 * killed half-way can be finished or undone by the next.  Paths are
 * relative to the output directory and owned by the journal.
 */
enum tree_op_kind {
	TREE_OP_MKDIR,		/* made while staging; undo removes it */
	TREE_OP_RENAME,		/* staged tmp -> path */
	TREE_OP_CHMOD,		/* path gets mode */
	TREE_OP_UNLINK		/* path goes, and directories left empty */
};

struct tree_op {
	enum tree_op_kind	 kind;
	char			*path;
	char			*tmp;		/* TREE_OP_RENAME */
	int			 mode;		/* TREE_OP_CHMOD */
};

struct tree_journal {
	int		 published;
	struct tree_op	*ops;
	size_t		 nops, cap;
};

void	tree_journal_of_plan(struct tree_journal *, const struct tree_plan *);
void	tree_journal_free(struct tree_journal *);

/* Writes TREE_JOURNAL atomically (temporary file, fsync, rename). */
int	tree_journal_write(int rootfd, const char *dir,
	    const struct tree_journal *, struct buf *err);

/* Publishes: every step in order, then a sync, then the journal goes. */
int	tree_journal_replay(int rootfd, const char *dir,
	    const struct tree_journal *, struct buf *err);

/* Undoes staging: temporary files and new directories go, then it. */
void	tree_journal_undo(int rootfd, const struct tree_journal *);

#endif
