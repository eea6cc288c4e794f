/* runstat.c: run a command, report its wall time and peak memory. */
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 *	runstat FILE CMD [ARG...]
 *
 * Runs CMD (searched in PATH) with this process's standard streams and
 * appends one line to FILE: the wall time in microseconds, the peak
 * resident set of CMD in KiB, and its exit status (128+N when killed by
 * signal N).  The peak comes from wait4's rusage, so it is that of CMD
 * alone, not of a shell around it; the clock is CLOCK_MONOTONIC, read
 * just before fork and just after the child is reaped, so the figure
 * includes process start-up, as a user waiting for the command sees it.
 * Exits with CMD's status, 2 on bad use, 3 when CMD cannot be run or
 * FILE cannot be written.  bench/run drives it.
 */
static long long
usec(const struct timespec *a, const struct timespec *b)
{
	return (long long)(b->tv_sec - a->tv_sec) * 1000000 +
	    (b->tv_nsec - a->tv_nsec) / 1000;
}

static int
report(const char *file, long long us, long kib, int status)
{
	FILE *f;

	if ((f = fopen(file, "a")) == NULL) {
		fprintf(stderr, "runstat: %s: %s\n", file, strerror(errno));
		return -1;
	}
	fprintf(f, "%lld %ld %d\n", us, kib, status);
	if (fclose(f) != 0) {
		fprintf(stderr, "runstat: %s: %s\n", file, strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct timespec t0, t1;
	struct rusage ru;
	pid_t pid;
	int st, status;

	if (argc < 3) {
		fputs("usage: runstat FILE CMD [ARG...]\n", stderr);
		return 2;
	}
	fflush(NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) < 0) {
		perror("runstat: fork");
		return 3;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "runstat: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("runstat: wait4");
			return 3;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	/* Linux counts ru_maxrss in KiB. */
	if (report(argv[1], usec(&t0, &t1), ru.ru_maxrss, status) < 0)
		return 3;
	return status;
}
