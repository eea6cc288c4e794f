/* killshim.c: an LD_PRELOAD library that ends railgen at a chosen call. */
#define _GNU_SOURCE
#undef _FORTIFY_SOURCE
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * For the fault suite only, never installed.  Every call below that can
 * change a file system (and close, which ends a write) is a numbered
 * point.  Before point KILLSHIM_AT takes effect the process raises
 * KILLSHIM_SIGNAL (a number; SIGKILL by default), so a test can stop
 * railgen exactly between two steps.  With KILLSHIM_LOG set, each point
 * appends a line to that file:
 *
 *	N NAME dumpable=D core=SOFT/HARD
 *
 * D is prctl(PR_GET_DUMPABLE) and SOFT/HARD the RLIMIT_CORE limits
 * (-1 for unlimited) at that moment, so a test can see that no core
 * could have been written while the process held secrets.  The last N
 * is the number of points of a whole run.
 *
 * Under AddressSanitizer the runtime must come first in LD_PRELOAD;
 * the shim then finds the real functions behind ASan's interceptors.
 */

static unsigned long	count, kill_at;
static int		sig = SIGKILL, logfd = -1, ready, busy;

/* The next definition of name after this library's own. */
static void *
next(const char *name)
{
	void *p;

	if ((p = dlsym(RTLD_NEXT, name)) == NULL)
		abort();
	return p;
}

/* real_NAME: the function the shim stands in front of. */
#define REAL(name)							\
	static __typeof__(name) *real_##name;				\
	if (real_##name == NULL)					\
		*(void **)&real_##name = next(#name)

static ssize_t	(*raw_write)(int, const void *, size_t);
static int	(*raw_open)(const char *, int, ...);

static void
setup(void)
{
	const char *s;

	ready = 1;
	*(void **)&raw_write = next("write");
	*(void **)&raw_open = next("open");
	if ((s = getenv("KILLSHIM_AT")) != NULL)
		kill_at = strtoul(s, NULL, 10);
	if ((s = getenv("KILLSHIM_SIGNAL")) != NULL)
		sig = atoi(s);
	if ((s = getenv("KILLSHIM_LOG")) != NULL)
		logfd = raw_open(s, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
		    0644);
}

static void
report(const char *name)
{
	struct rlimit rl;
	char line[160];
	int n, d;

	d = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	if (getrlimit(RLIMIT_CORE, &rl) < 0)
		rl.rlim_cur = rl.rlim_max = 0;
	n = snprintf(line, sizeof line, "%lu %s dumpable=%d core=%ld/%ld\n",
	    count, name, d,
	    rl.rlim_cur == RLIM_INFINITY ? -1L : (long)rl.rlim_cur,
	    rl.rlim_max == RLIM_INFINITY ? -1L : (long)rl.rlim_max);
	if (n > 0 && (size_t)n < sizeof line)
		(void)raw_write(logfd, line, (size_t)n);
}

/* One point: counted, reported, and the end of the process at N. */
static void
point(const char *name)
{
	if (busy)
		return;
	busy = 1;
	if (!ready)
		setup();
	count++;
	if (logfd >= 0)
		report(name);
	if (kill_at != 0 && count == kill_at) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	busy = 0;
}

ssize_t
write(int fd, const void *p, size_t n)
{
	REAL(write);
	point("write");
	return real_write(fd, p, n);
}

ssize_t
pwrite(int fd, const void *p, size_t n, off_t off)
{
	REAL(pwrite);
	point("pwrite");
	return real_pwrite(fd, p, n, off);
}

int
ftruncate(int fd, off_t len)
{
	REAL(ftruncate);
	point("ftruncate");
	return real_ftruncate(fd, len);
}

int
fsync(int fd)
{
	REAL(fsync);
	point("fsync");
	return real_fsync(fd);
}

int
fdatasync(int fd)
{
	REAL(fdatasync);
	point("fdatasync");
	return real_fdatasync(fd);
}

int
syncfs(int fd)
{
	REAL(syncfs);
	point("syncfs");
	return real_syncfs(fd);
}

int
close(int fd)
{
	REAL(close);
	point("close");
	return real_close(fd);
}

int
rename(const char *a, const char *b)
{
	REAL(rename);
	point("rename");
	return real_rename(a, b);
}

int
renameat(int da, const char *a, int db, const char *b)
{
	REAL(renameat);
	point("renameat");
	return real_renameat(da, a, db, b);
}

int
renameat2(int da, const char *a, int db, const char *b, unsigned flags)
{
	REAL(renameat2);
	point("renameat2");
	return real_renameat2(da, a, db, b, flags);
}

int
unlink(const char *path)
{
	REAL(unlink);
	point("unlink");
	return real_unlink(path);
}

int
unlinkat(int dfd, const char *path, int flags)
{
	REAL(unlinkat);
	point("unlinkat");
	return real_unlinkat(dfd, path, flags);
}

int
rmdir(const char *path)
{
	REAL(rmdir);
	point("rmdir");
	return real_rmdir(path);
}

int
mkdir(const char *path, mode_t mode)
{
	REAL(mkdir);
	point("mkdir");
	return real_mkdir(path, mode);
}

int
mkdirat(int dfd, const char *path, mode_t mode)
{
	REAL(mkdirat);
	point("mkdirat");
	return real_mkdirat(dfd, path, mode);
}

int
fchmod(int fd, mode_t mode)
{
	REAL(fchmod);
	point("fchmod");
	return real_fchmod(fd, mode);
}

int
fchmodat(int dfd, const char *path, mode_t mode, int flags)
{
	REAL(fchmodat);
	point("fchmodat");
	return real_fchmodat(dfd, path, mode, flags);
}

int
chmod(const char *path, mode_t mode)
{
	REAL(chmod);
	point("chmod");
	return real_chmod(path, mode);
}

/*
 * Opening counts only when it may create a file.  O_TMPFILE includes
 * O_DIRECTORY's bit, so it is tested whole.
 */
#define CREATES(flags)	\
	(((flags) & O_CREAT) || ((flags) & O_TMPFILE) == O_TMPFILE)

int
open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	REAL(open);
	if (CREATES(flags)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
		point("open");
	}
	return real_open(path, flags, mode);
}

int
openat(int dfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	REAL(openat);
	if (CREATES(flags)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
		point("openat");
	}
	return real_openat(dfd, path, flags, mode);
}
