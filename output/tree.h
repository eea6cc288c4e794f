/* tree.h: the files railgen writes, in memory, then committed or compared. */
#ifndef RAILGEN_TREE_H
#define RAILGEN_TREE_H

#include <stddef.h>

#include "buf.h"
#include "strmap.h"

/*
 * Emitters add files to a tree; nothing touches the disk until the whole
 * tree is complete and no error was reported.  Every walk over a tree
 * goes in path order (byte order, see tree_sort), so it is deterministic.
 *
 * Writing is split in steps so that the caller can decide, between
 * them, what may be written (owner.h: hand edits, files railgen did not
 * write):
 *
 *	tree_plan_make		compare the tree with the directory
 *	tree_plan_remove	add a file to remove (one railgen wrote
 *				before and no longer produces)
 *	tree_plan_stage		write the journal, make the missing
 *				directories, write each new or changed file
 *				to a temporary file beside its target, then
 *				make them all durable (one syncfs on Linux,
 *				see tree_plan.c); visible files are
 *				unchanged, and a failure undoes the step
 *	tree_plan_publish	mark the journal published, then rename
 *				every staged file over its target, fix
 *				modes, remove files and the directories
 *				left empty, sync, drop the journal
 *
 * The journal (TREE_JOURNAL at the top of the directory) lists every
 * step of the commit.  A run killed while staging leaves a journal that
 * is not marked published: tree_recover undoes it (the temporary files
 * and new directories go).  A run killed while publishing leaves a
 * published journal: tree_recover finishes it.  Either way the next run
 * starts from the old tree or the new one, never a mix.
 *
 * Unchanged files are never rewritten (their inode and mtime stay).
 * Permissions count as git counts them: a file differs in mode only
 * when it is executable and should not be, or the reverse; the other
 * bits follow the umask.  Paths are walked one component at a time with
 * O_NOFOLLOW below the output directory, so a symbolic link inside it is
 * refused rather than followed out of it.
 */

#define TREE_JOURNAL	".railgen-journal"

struct tree_file {
	char	*path;		/* see tree_path_ok */
	char	*data;		/* owned; NUL-terminated, len bytes */
	size_t	 len;
	int	 mode;		/* permission bits before the umask */
};

/*
 * Files are kept in the order they were added, with an index of their
 * paths and directories for tree_add's checks and tree_get, and put in
 * path order by tree_sort: adding n files costs n, not n squared as
 * keeping them sorted on every insert did.  What reads files[] in order
 * (the ownership record, the planner) sorts first.
 */
struct tree {
	struct tree_file	*files;		/* see tree_sort */
	size_t			 nfiles, cap;
	int			 sorted;	/* files[] is in path order */
	struct strmap		 index;		/* see tree.c */
	struct buf		 errors;	/* one message per line */
	int			 nerrors;
};

void	tree_init(struct tree *);
void	tree_free(struct tree *);

/* Puts files[] in path order (byte order, as strcmp). */
void	tree_sort(struct tree *);

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

/*
 * A valid output path: relative, '/'-separated, no empty, "." or ".."
 * component, no control character or backslash (so the record and the
 * journal can hold it on one line).
 */
int	tree_path_ok(const char *path);

enum tree_state {
	TREE_SAME,		/* bytes and mode as on disk */
	TREE_NEW,		/* not on disk */
	TREE_CHANGED,		/* bytes differ */
	TREE_MODE,		/* bytes equal, executable bit differs */
	TREE_GONE		/* on disk, not in the tree: to be removed */
};

struct tree_change {
	const char		*path;		/* borrowed: file->path, or */
						/* the plan's copy (GONE) */
	const struct tree_file	*file;		/* NULL when TREE_GONE */
	enum tree_state		 state;
	const char		*old;		/* bytes on disk, or NULL; */
						/* file->data when equal */
	char			*oldbuf;	/* owned copy, when not */
	size_t			 oldlen;
	int			 oldmode;	/* on disk, or -1 */
	char			*tmp;		/* staged: temporary path */
};

struct tree_plan {
	char			*dir;
	int			 rootfd;	/* -1 until the dir exists */
	const struct tree	*tree;		/* borrowed */
	struct tree_change	*changes;	/* the tree's files in tree */
	size_t			 nchanges;	/* order, then removals */
	size_t			 cap;
	char			**mkdirs;	/* made by staging, in order */
	size_t			 nmkdirs;
	int			 umask;
	int			 staged;	/* journal and files written */
	struct tree_dircache	*dirs;		/* open directories */
};

/*
 * Sorts tree, compares it with the directory dir (which need not exist)
 * and fills plan.  The tree must outlive the plan and not change.
 * Returns 0, or -1 with a message in err (a file that cannot be read, a
 * symbolic link, a directory where a file should be).
 */
int	tree_plan_make(struct tree_plan *, struct tree *,
	    const char *dir, struct buf *err);

/*
 * Adds path, which the tree does not hold, as a file to remove.  Returns
 * 1 when it is on disk (a TREE_GONE change with its bytes), 0 when it is
 * not, -1 (message in err) for a path that is not valid or holds
 * something other than a regular file.
 */
int	tree_plan_remove(struct tree_plan *, const char *path,
	    struct buf *err);

int	tree_plan_stage(struct tree_plan *, struct buf *err);
int	tree_plan_publish(struct tree_plan *, struct buf *err);

/* Closes descriptors; undoes a staged plan that was not published. */
void	tree_plan_free(struct tree_plan *);

/* Number of changes whose state is not TREE_SAME. */
size_t	tree_plan_ndiff(const struct tree_plan *);

enum tree_recovery {
	TREE_RECOVER_NONE,	/* no journal: the tree is consistent */
	TREE_RECOVER_UNDONE,	/* an unpublished commit was rolled back */
	TREE_RECOVER_DONE	/* a published commit was completed */
};

/*
 * Finishes or undoes a commit that a killed run left in dir (see the
 * journal above).  Returns an enum tree_recovery, or -1 with a message
 * in err when the journal cannot be read or replayed; it is then left
 * in place.
 */
int	tree_recover(const char *dir, struct buf *err);

/* 1 when dir holds a journal (a commit was interrupted), else 0. */
int	tree_pending(const char *dir);

/*
 * For fault tests only: when set, called with a short name before each
 * step that changes the disk (making a directory, writing a staged file
 * or the journal, each publishing step, dropping the journal), so that
 * a test can end the process exactly there.  railgen leaves it NULL.
 */
extern void	(*tree_fault_hook)(const char *step);

/*
 * Recovery, then the steps at once, without removals.  Refuses (-1,
 * nothing written) a tree that recorded errors.  Returns the number of
 * files written or re-moded.
 */
int	tree_commit(struct tree *, const char *dir, struct buf *err);

/* Which step of reading a file below the output directory failed. */
enum tree_read_step {
	TREE_READ_DIR,		/* opening the directory that holds it */
	TREE_READ_OPEN,		/* opening it (ELOOP: a symbolic link) */
	TREE_READ_KIND,		/* not a regular file (EISDIR, EINVAL) */
	TREE_READ_FILE		/* fstat or read (EFBIG: past max) */
};

/*
 * For reading many files below dir before a plan exists (the emitters'
 * previous files), as the planner reads them: without following links,
 * the directories kept open for the next file.  Reads path's bytes into
 * b, at most max (0: no bound).  Returns 1, 0 when nothing is there (or
 * dir or a directory on the way is missing), or -1 with errno set and
 * the step that failed in *step.
 */
struct tree_dirs;
struct tree_dirs	*tree_dirs_new(const char *dir);
int			 tree_dirs_read(struct tree_dirs *, const char *path,
			    size_t max, struct buf *b,
			    enum tree_read_step *step);
void			 tree_dirs_free(struct tree_dirs *);

/*
 * For --check: calls fn for every file whose state is not TREE_SAME, in
 * tree order, and returns how many there were, or -1 (message in err)
 * when the directory cannot be read or fn returns -1.
 */
typedef int (*tree_diff_fn)(void *arg, const struct tree_change *);
int	tree_compare(struct tree *, const char *dir, tree_diff_fn fn,
	    void *arg, struct buf *err);

#endif
