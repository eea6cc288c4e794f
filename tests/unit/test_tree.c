/* test_tree.c: the in-memory file tree, its commit and its comparison. */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "tree.h"

static char *
tmpdir(void)
{
	char tmpl[] = "/tmp/railgen-tree.XXXXXX";
	char *d;

	d = mkdtemp(tmpl);
	assert_non_null(d);
	return xstrdup(d);
}

static void
rm_rf(const char *dir)
{
	struct buf cmd = BUF_INIT;

	buf_printf(&cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd.data), 0);
	buf_free(&cmd);
}

static char *
pathof(const char *dir, const char *rel)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s/%s", dir, rel);
	return buf_detach(&b, NULL);
}

static char *
slurp(const char *dir, const char *rel)
{
	struct buf b = BUF_INIT;
	char chunk[512], *p;
	size_t n;
	FILE *fp;

	p = pathof(dir, rel);
	fp = fopen(p, "rb");
	free(p);
	if (fp == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	return buf_detach(&b, NULL);
}

static void
spit(const char *dir, const char *rel, const char *text)
{
	char *p;
	FILE *fp;

	p = pathof(dir, rel);
	fp = fopen(p, "wb");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	free(p);
}

static struct stat
stat_of(const char *dir, const char *rel)
{
	struct stat st;
	char *p;

	p = pathof(dir, rel);
	assert_int_equal(lstat(p, &st), 0);
	free(p);
	return st;
}

/* Sets a file's mtime far in the past, so a rewrite would show. */
static void
age_file(const char *dir, const char *rel)
{
	struct timespec ts[2];
	char *p;

	ts[0].tv_sec = ts[1].tv_sec = 1000;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	p = pathof(dir, rel);
	assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
	free(p);
}

/* Counts leftover temporary files anywhere below dir. */
static int
count_tmp(const char *dir)
{
	struct dirent *e;
	struct stat st;
	char *sub;
	DIR *d;
	int n;

	n = 0;
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (strncmp(e->d_name, ".railgen-", 9) == 0)
			n++;
		sub = pathof(dir, e->d_name);
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			n += count_tmp(sub);
		free(sub);
	}
	closedir(d);
	return n;
}

static void
add(struct tree *t, const char *path, const char *text, int mode)
{
	assert_int_equal(tree_add(t, path, text, strlen(text), mode), 0);
}

static int
current_umask(void)
{
	mode_t m;

	m = umask(0);
	umask(m);
	return (int)m;
}

static void
test_order_and_paths(void **state)
{
	struct buf b = BUF_INIT;
	struct tree t;
	size_t i;

	(void)state;
	tree_init(&t);
	add(&t, "z", "1", 0644);
	add(&t, "a/b", "2", 0644);
	add(&t, "a-b", "3", 0644);
	add(&t, "A", "4", 0644);
	buf_adds(&b, "from a buf");
	assert_int_equal(tree_add_buf(&t, "m/n/o", &b, 0755), 0);
	assert_null(b.data);
	assert_int_equal(t.nfiles, 5);
	tree_sort(&t);
	for (i = 1; i < t.nfiles; i++)
		assert_true(strcmp(t.files[i - 1].path, t.files[i].path) < 0);
	assert_string_equal(tree_get(&t, "m/n/o")->data, "from a buf");
	assert_int_equal(tree_get(&t, "m/n/o")->mode, 0755);
	assert_null(tree_get(&t, "m/n"));
	assert_int_equal(t.nerrors, 0);

	/* Malformed paths, duplicates and file/directory clashes. */
	assert_int_equal(tree_add(&t, "", "x", 1, 0644), -1);
	assert_int_equal(tree_add(&t, "/abs", "x", 1, 0644), -1);
	assert_int_equal(tree_add(&t, "a//b", "x", 1, 0644), -1);
	assert_int_equal(tree_add(&t, "a/./c", "x", 1, 0644), -1);
	assert_int_equal(tree_add(&t, "a/../c", "x", 1, 0644), -1);
	assert_int_equal(tree_add(&t, "..", "x", 1, 0644), -1);
	assert_int_equal(tree_add(&t, "dir/", "x", 1, 0644), -1);
	assert_int_equal(tree_add(&t, "z", "x", 1, 0644), -1);
	assert_int_equal(tree_add(&t, "z/under", "x", 1, 0644), -1);
	assert_int_equal(tree_add(&t, "m/n", "x", 1, 0644), -1);
	assert_int_equal(tree_add(&t, "m", "x", 1, 0644), -1);
	/* Nothing the record or the journal could not hold on a line. */
	assert_int_equal(tree_add(&t, "new\nline", "x", 1, 0644), -1);
	assert_int_equal(tree_add(&t, "tab\there", "x", 1, 0644), -1);
	assert_int_equal(tree_add(&t, "back\\slash", "x", 1, 0644), -1);
	assert_int_equal(t.nerrors, 14);
	assert_int_equal(t.nfiles, 5);
	assert_non_null(strstr(t.errors.data, "z: generated twice\n"));
	assert_non_null(strstr(t.errors.data,
	    "m/n: both a file and a directory\n"));
	assert_non_null(strstr(t.errors.data, "a//b: not a valid output"));
	tree_free(&t);
}

static void
test_commit_fresh_and_again(void **state)
{
	struct buf err = BUF_INIT;
	struct stat before, after, other;
	struct tree t;
	char *dir, *out, *s;

	(void)state;
	dir = tmpdir();
	out = pathof(dir, "x/y/out");
	tree_init(&t);
	add(&t, "releases/app/Chart.yaml", "name: app\n", 0644);
	add(&t, "releases/app/templates/d.yaml", "kind: Deployment\n", 0644);
	add(&t, "bin/run", "#!/bin/sh\n", 0755);
	add(&t, "empty", "", 0644);

	assert_int_equal(tree_commit(&t, out, &err), 4);
	s = slurp(out, "releases/app/templates/d.yaml");
	assert_string_equal(s, "kind: Deployment\n");
	free(s);
	s = slurp(out, "empty");
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(stat_of(out, "bin/run").st_mode & 07777,
	    0755 & ~current_umask());
	assert_int_equal(stat_of(out, "empty").st_mode & 07777,
	    0644 & ~current_umask());
	assert_int_equal(count_tmp(out), 0);

	/* Again: nothing is rewritten. */
	age_file(out, "releases/app/Chart.yaml");
	before = stat_of(out, "releases/app/Chart.yaml");
	assert_int_equal(tree_commit(&t, out, &err), 0);
	after = stat_of(out, "releases/app/Chart.yaml");
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(after.st_mtime, 1000);

	/* One file changes: only it is replaced. */
	other = stat_of(out, "bin/run");
	tree_free(&t);
	tree_init(&t);
	add(&t, "releases/app/Chart.yaml", "name: app2\n", 0644);
	add(&t, "releases/app/templates/d.yaml", "kind: Deployment\n", 0644);
	add(&t, "bin/run", "#!/bin/sh\n", 0755);
	add(&t, "empty", "", 0644);
	assert_int_equal(tree_commit(&t, out, &err), 1);
	s = slurp(out, "releases/app/Chart.yaml");
	assert_string_equal(s, "name: app2\n");
	free(s);
	assert_int_equal(stat_of(out, "bin/run").st_ino, other.st_ino);
	assert_int_not_equal(stat_of(out, "releases/app/Chart.yaml").st_ino,
	    before.st_ino);
	assert_int_equal(count_tmp(out), 0);
	assert_int_equal(err.len, 0);

	tree_free(&t);
	buf_free(&err);
	rm_rf(dir);
	free(out);
	free(dir);
}

static void
test_mode_only(void **state)
{
	struct buf err = BUF_INIT;
	struct stat before;
	struct tree t;
	char *dir;

	(void)state;
	dir = tmpdir();
	tree_init(&t);
	add(&t, "f", "same\n", 0644);
	assert_int_equal(tree_commit(&t, dir, &err), 1);
	before = stat_of(dir, "f");
	tree_free(&t);
	tree_init(&t);
	add(&t, "f", "same\n", 0755);
	assert_int_equal(tree_commit(&t, dir, &err), 1);
	assert_int_equal(stat_of(dir, "f").st_ino, before.st_ino);
	assert_int_equal(stat_of(dir, "f").st_mode & 07777,
	    0755 & ~current_umask());
	tree_free(&t);
	buf_free(&err);
	rm_rf(dir);
	free(dir);
}

static void
test_refuse_with_errors(void **state)
{
	struct buf err = BUF_INIT;
	struct tree t;
	struct stat st;
	char *dir, *out;

	(void)state;
	dir = tmpdir();
	out = pathof(dir, "out");
	tree_init(&t);
	add(&t, "a", "1\n", 0644);
	tree_error(&t, "vergabe.rail:3:1: something failed");
	assert_int_equal(tree_commit(&t, out, &err), -1);
	assert_non_null(strstr(err.data, "not written: 1 error reported"));
	assert_int_equal(lstat(out, &st), -1);
	tree_free(&t);
	buf_free(&err);
	rm_rf(dir);
	free(out);
	free(dir);
}

static void
test_symlinks_refused(void **state)
{
	struct buf err = BUF_INIT;
	struct tree t;
	char *dir, *out, *victim, *link, *s;

	(void)state;
	dir = tmpdir();
	out = pathof(dir, "out");
	victim = pathof(dir, "victim");
	assert_int_equal(mkdir(out, 0755), 0);
	assert_int_equal(mkdir(victim, 0755), 0);
	spit(victim, "f", "precious\n");

	/* A directory component that is a link is not followed. */
	link = pathof(out, "sub");
	assert_int_equal(symlink(victim, link), 0);
	tree_init(&t);
	add(&t, "sub/f", "overwritten\n", 0644);
	assert_int_equal(tree_commit(&t, out, &err), -1);
	assert_non_null(strstr(err.data, "sub/f: a parent is not a dir"));
	s = slurp(victim, "f");
	assert_string_equal(s, "precious\n");
	free(s);
	tree_free(&t);
	free(link);

	/* Nor is a file that is a link. */
	buf_reset(&err);
	link = pathof(out, "f");
	s = pathof(victim, "f");
	assert_int_equal(symlink(s, link), 0);
	free(s);
	tree_init(&t);
	add(&t, "f", "overwritten\n", 0644);
	assert_int_equal(tree_commit(&t, out, &err), -1);
	assert_non_null(strstr(err.data, "a symbolic link, refusing"));
	s = slurp(victim, "f");
	assert_string_equal(s, "precious\n");
	free(s);
	tree_free(&t);
	free(link);

	buf_free(&err);
	rm_rf(dir);
	free(victim);
	free(out);
	free(dir);
}

/* A failure while staging leaves every visible file as it was. */
static void
test_stage_failure_is_clean(void **state)
{
	struct buf err = BUF_INIT;
	struct tree_plan plan;
	struct tree t;
	char *dir, *s;

	(void)state;
	dir = tmpdir();
	spit(dir, "a", "old\n");
	tree_init(&t);
	add(&t, "a", "new\n", 0644);
	add(&t, "b/c", "new\n", 0644);
	assert_int_equal(tree_plan_make(&plan, &t, dir, &err), 0);
	assert_int_equal(tree_plan_ndiff(&plan), 2);
	/* Someone puts a file where the plan needs a directory. */
	spit(dir, "b", "in the way\n");
	assert_int_equal(tree_plan_stage(&plan, &err), -1);
	assert_non_null(strstr(err.data, "b/c: cannot create its directory"));
	/* The failed step undid itself: no temporary file, no journal. */
	assert_int_equal(count_tmp(dir), 0);
	tree_plan_free(&plan);
	assert_int_equal(count_tmp(dir), 0);
	s = slurp(dir, "b");
	assert_string_equal(s, "in the way\n");
	free(s);
	s = slurp(dir, "a");
	assert_string_equal(s, "old\n");
	free(s);
	tree_free(&t);
	buf_free(&err);
	rm_rf(dir);
	free(dir);
}

struct seen {
	int	 n;
	char	 log[512];
};

static int
record(void *arg, const struct tree_change *c)
{
	static const char *names[] = { "same", "new", "changed", "mode" };
	struct seen *seen = arg;
	size_t used;

	used = strlen(seen->log);
	snprintf(seen->log + used, sizeof seen->log - used, "%s %s [%s]\n",
	    names[c->state], c->file->path, c->old != NULL ? c->old : "-");
	seen->n++;
	return 0;
}

static void
test_compare(void **state)
{
	struct buf err = BUF_INIT;
	struct seen seen;
	struct tree t;
	char *dir;

	(void)state;
	dir = tmpdir();
	tree_init(&t);
	add(&t, "same", "s\n", 0644);
	add(&t, "changed", "after\n", 0644);
	add(&t, "moded", "m\n", 0644);
	add(&t, "d/new", "n\n", 0644);
	assert_int_equal(tree_commit(&t, dir, &err), 4);
	tree_free(&t);

	spit(dir, "changed", "before\n");
	assert_int_equal(chmod(dir, 0755), 0);
	{
		char *p = pathof(dir, "moded");
		assert_int_equal(chmod(p, 0700), 0);
		free(p);
		p = pathof(dir, "d/new");
		assert_int_equal(unlink(p), 0);
		free(p);
	}
	tree_init(&t);
	add(&t, "same", "s\n", 0644);
	add(&t, "changed", "after\n", 0644);
	add(&t, "moded", "m\n", 0644);
	add(&t, "d/new", "n\n", 0644);
	memset(&seen, 0, sizeof seen);
	assert_int_equal(tree_compare(&t, dir, record, &seen, &err), 3);
	assert_string_equal(seen.log,
	    "changed changed [before\n]\nnew d/new [-]\nmode moded [m\n]\n");

	/* A directory that does not exist differs in every file. */
	memset(&seen, 0, sizeof seen);
	{
		char *p = pathof(dir, "nowhere");
		assert_int_equal(tree_compare(&t, p, record, &seen, &err), 4);
		free(p);
	}
	tree_free(&t);
	buf_free(&err);
	rm_rf(dir);
	free(dir);
}

/* Every file and directory below dir, sorted: "path x content". */
static void
snap_walk(const char *dir, const char *rel, struct buf *out)
{
	struct dirent **names;
	struct stat st;
	char *abs, *sub, *text;
	int i, n;

	abs = rel[0] ? pathof(dir, rel) : xstrdup(dir);
	n = scandir(abs, &names, NULL, alphasort);
	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") == 0 ||
		    strcmp(names[i]->d_name, "..") == 0) {
			free(names[i]);
			continue;
		}
		if (rel[0]) {
			struct buf b = BUF_INIT;
			buf_printf(&b, "%s/%s", rel, names[i]->d_name);
			sub = buf_detach(&b, NULL);
		} else
			sub = xstrdup(names[i]->d_name);
		st = stat_of(dir, sub);
		if (S_ISDIR(st.st_mode)) {
			buf_printf(out, "%s/\n", sub);
			snap_walk(dir, sub, out);
		} else {
			text = slurp(dir, sub);
			buf_printf(out, "%s %c %s\n", sub,
			    st.st_mode & 0100 ? 'x' : '-', text);
			free(text);
		}
		free(sub);
		free(names[i]);
	}
	free(names);
	free(abs);
}

static char *
snapshot(const char *dir)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "");
	snap_walk(dir, "", &b);
	return buf_detach(&b, NULL);
}

static void
test_remove_and_prune(void **state)
{
	struct buf err = BUF_INIT;
	struct tree_plan plan;
	struct tree t;
	struct stat st;
	char *dir, *s, *p;

	(void)state;
	dir = tmpdir();
	tree_init(&t);
	add(&t, "a/b/c", "1\n", 0644);
	add(&t, "a/keep", "2\n", 0644);
	add(&t, "q/r/s", "3\n", 0644);
	assert_int_equal(tree_commit(&t, dir, &err), 3);
	tree_free(&t);
	spit(dir, "q/own.txt", "mine\n");
	p = pathof(dir, "link");
	assert_int_equal(symlink("q/own.txt", p), 0);
	free(p);

	tree_init(&t);
	add(&t, "z", "4\n", 0644);
	assert_int_equal(tree_plan_make(&plan, &t, dir, &err), 0);
	assert_int_equal(tree_plan_remove(&plan, "a/b/c", &err), 1);
	assert_int_equal(tree_plan_remove(&plan, "a/keep", &err), 1);
	assert_int_equal(tree_plan_remove(&plan, "q/r/s", &err), 1);
	assert_int_equal(tree_plan_remove(&plan, "nope", &err), 0);
	assert_int_equal(tree_plan_remove(&plan, "nope/deeper", &err), 0);
	assert_int_equal(tree_plan_remove(&plan, "../x", &err), -1);
	assert_int_equal(tree_plan_remove(&plan, "z", &err), -1);
	assert_int_equal(tree_plan_remove(&plan, "link", &err), -1);
	assert_non_null(strstr(err.data, "link: a symbolic link"));
	assert_int_equal(plan.nchanges, 4);
	assert_int_equal(plan.changes[1].state, TREE_GONE);
	assert_string_equal(plan.changes[1].path, "a/b/c");
	assert_string_equal(plan.changes[1].old, "1\n");
	assert_null(plan.changes[1].file);
	assert_int_equal(tree_plan_ndiff(&plan), 4);
	assert_int_equal(tree_plan_stage(&plan, &err), 0);
	assert_int_equal(tree_plan_publish(&plan, &err), 0);
	tree_plan_free(&plan);

	/* Emptied directories go; one that holds someone's file stays. */
	p = pathof(dir, "a");
	assert_int_equal(lstat(p, &st), -1);
	free(p);
	s = snapshot(dir);
	assert_string_equal(s, "link x mine\n\nq/\nq/own.txt - mine\n\n"
	    "z - 4\n\n");
	free(s);
	tree_free(&t);
	buf_free(&err);
	rm_rf(dir);
	free(dir);
}

/* Only the executable bit counts, as in git. */
static void
test_mode_rule(void **state)
{
	struct buf err = BUF_INIT;
	struct tree_plan plan;
	struct tree t;
	char *dir, *p;

	(void)state;
	dir = tmpdir();
	spit(dir, "a", "1\n");
	spit(dir, "b", "2\n");
	p = pathof(dir, "a");
	assert_int_equal(chmod(p, 0664), 0);
	free(p);
	p = pathof(dir, "b");
	assert_int_equal(chmod(p, 0700), 0);
	free(p);
	tree_init(&t);
	add(&t, "a", "1\n", 0644);
	add(&t, "b", "2\n", 0644);
	assert_int_equal(tree_plan_make(&plan, &t, dir, &err), 0);
	assert_int_equal(plan.changes[0].state, TREE_SAME);
	assert_int_equal(plan.changes[1].state, TREE_MODE);
	tree_plan_free(&plan);
	tree_free(&t);
	buf_free(&err);
	rm_rf(dir);
	free(dir);
}

static int fault_at, fault_seen;

static void
fault(const char *step)
{
	(void)step;
	if (fault_seen++ == fault_at)
		_exit(77);
}

static void
fill_old(struct tree *t)
{
	tree_init(t);
	add(t, "x", "1\n", 0644);
	add(t, "d/y", "2\n", 0644);
	add(t, "gone/deep/z", "3\n", 0644);
	add(t, "m", "mode\n", 0644);
}

static void
fill_new(struct tree *t)
{
	tree_init(t);
	add(t, "x", "10\n", 0644);
	add(t, "d/y", "2\n", 0644);
	add(t, "d/y2", "5\n", 0644);
	add(t, "m", "mode\n", 0755);
	add(t, "n/e/w", "4\n", 0644);
}

/* The new tree, with the old file gone/deep/z removed. */
static int
commit_new(const char *dir)
{
	struct buf err = BUF_INIT;
	struct tree_plan plan;
	struct tree t;
	int rc;

	fill_new(&t);
	rc = tree_plan_make(&plan, &t, dir, &err) == 0 &&
	    tree_plan_remove(&plan, "gone/deep/z", &err) == 1 &&
	    tree_plan_stage(&plan, &err) == 0 &&
	    tree_plan_publish(&plan, &err) == 0 ? 0 : -1;
	tree_plan_free(&plan);
	tree_free(&t);
	buf_free(&err);
	return rc;
}

static char *
fresh_old(const char *dir)
{
	struct buf err = BUF_INIT;
	struct tree t;

	rm_rf(dir);
	fill_old(&t);
	assert_int_equal(tree_commit(&t, dir, &err), 4);
	tree_free(&t);
	buf_free(&err);
	return snapshot(dir);
}

/*
 * A run killed before each step that touches the disk: afterwards
 * tree_recover leaves exactly the old tree or exactly the new one.
 */
static void
test_killed_at_every_step(void **state)
{
	struct buf err = BUF_INIT;
	char *base, *dir, *old, *new, *now;
	int k, status, rc, done = 0, undone = 0;
	pid_t pid;

	(void)state;
	base = tmpdir();
	dir = pathof(base, "out");
	old = fresh_old(dir);
	assert_int_equal(commit_new(dir), 0);
	new = snapshot(dir);
	assert_string_not_equal(old, new);
	assert_null(strstr(new, "gone"));
	for (k = 0;; k++) {
		free(fresh_old(dir));
		fflush(NULL);
		if ((pid = fork()) == 0) {
			fault_at = k;
			tree_fault_hook = fault;
			_exit(commit_new(dir) == 0 ? 0 : 1);
		}
		assert_true(pid > 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		if (WEXITSTATUS(status) == 0)
			break;
		assert_int_equal(WEXITSTATUS(status), 77);
		buf_reset(&err);
		rc = tree_recover(dir, &err);
		now = snapshot(dir);
		if (rc == TREE_RECOVER_DONE) {
			assert_string_equal(now, new);
			done++;
		} else {
			assert_true(rc == TREE_RECOVER_UNDONE ||
			    rc == TREE_RECOVER_NONE);
			assert_string_equal(now, old);
			undone++;
		}
		free(now);
		assert_int_equal(tree_recover(dir, &err), TREE_RECOVER_NONE);
		assert_int_equal(tree_pending(dir), 0);
	}
	/* 2 mkdirs, 3 staged files, 2 journals, 5 steps, the drop. */
	assert_int_equal(k, 13);
	assert_true(done >= 6 && undone >= 6);
	now = snapshot(dir);
	assert_string_equal(now, new);
	free(now);
	free(old);
	free(new);
	buf_free(&err);
	rm_rf(base);
	free(base);
	free(dir);
}

/* A journal is data from disk: it may not reach outside the directory. */
static void
test_journal_refused(void **state)
{
	static const char *const bad[] = {
		"railgen-journal 1\npublished 1\nunlink\t../victim\nend\n",
		"railgen-journal 1\npublished 1\nunlink\t/etc/passwd\nend\n",
		"railgen-journal 1\npublished 1\nrename\tvictim\tx\nend\n",
		"railgen-journal 1\npublished 1\n"
		    "rename\td/.railgen-1-1.tmp\tx\nend\n",
		"railgen-journal 1\npublished 1\nchmod\t4777\tx\n",
		"railgen-journal 1\npublished 1\nchmod\t99\tx\nend\n",
		"railgen-journal 1\npublished 2\nend\n",
		"railgen-journal 2\npublished 1\nend\n",
		"railgen-journal 1\npublished 1\nend\nunlink\tx\n",
	};
	struct buf err = BUF_INIT;
	char *base, *dir, *s;
	size_t i;

	(void)state;
	base = tmpdir();
	dir = pathof(base, "out");
	assert_int_equal(mkdir(dir, 0755), 0);
	spit(base, "victim", "precious\n");
	spit(dir, "x", "x\n");
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		spit(dir, TREE_JOURNAL, bad[i]);
		assert_int_equal(tree_pending(dir), 1);
		buf_reset(&err);
		assert_int_equal(tree_recover(dir, &err), -1);
		assert_non_null(strstr(err.data, "not a journal railgen"));
		assert_int_equal(tree_pending(dir), 1);
	}
	s = slurp(base, "victim");
	assert_string_equal(s, "precious\n");
	free(s);
	s = slurp(dir, "x");
	assert_string_equal(s, "x\n");
	free(s);

	/* A good one is replayed, twice over without harm. */
	spit(dir, "z", "z\n");
	spit(dir, TREE_JOURNAL, "railgen-journal 1\npublished 1\n"
	    "unlink\tz\nunlink\tz\nchmod\t0755\tx\nend\n");
	assert_int_equal(tree_recover(dir, &err), TREE_RECOVER_DONE);
	assert_int_equal(tree_pending(dir), 0);
	assert_null(slurp(dir, "z"));
	assert_true(stat_of(dir, "x").st_mode & 0100);
	buf_free(&err);
	rm_rf(base);
	free(base);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_paths),
		cmocka_unit_test(test_commit_fresh_and_again),
		cmocka_unit_test(test_mode_only),
		cmocka_unit_test(test_refuse_with_errors),
		cmocka_unit_test(test_symlinks_refused),
		cmocka_unit_test(test_stage_failure_is_clean),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_remove_and_prune),
		cmocka_unit_test(test_mode_rule),
		cmocka_unit_test(test_killed_at_every_step),
		cmocka_unit_test(test_journal_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
