/* main.c: the command line; every subcommand is a function elsewhere. */
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "diag.h"
#include "driver.h"

#define RAILGEN_VERSION	"0.1.0"

/*
 * Subcommands are named by the first argument.  An entry without a
 * function is a name DESIGN.md reserves whose module has not landed.
 */
static const struct subcommand {
	const char	*name;
	int		(*run)(int, char *[]);
} subcommands[] = {
	{ "keygen", cmd_keygen },
	{ "decrypt", cmd_decrypt },
	{ "fmt", cmd_fmt },
};

enum parsed {
	PARSED_RUN,
	PARSED_HELP,
	PARSED_VERSION,
	PARSED_ERROR
};

static void
usage(FILE *fp)
{
	fputs("usage: railgen [-v] [-o DIR] [--force] [--rotate NAME] "
	    "FILE.rail...\n"
	    "       railgen --check [-o DIR] FILE.rail...\n"
	    "       railgen --dump-model FILE.rail...\n"
	    "       railgen keygen [-o FILE]\n"
	    "       railgen keygen -y FILE\n"
	    "       railgen decrypt FILE\n"
	    "       railgen fmt [--check] [FILE.rail...]\n"
	    "       railgen --version | --help\n", fp);
}

static const char *const long_opts[] = {
	"--check", "--dump-model", "--output", "--verbose", "--force",
	"--rotate", "--help", "--version"
};

/*
 * The value of an option that takes one: "-oDIR", "--output=DIR" or the
 * next argument.  NULL (reported) when it is missing.
 */
static const char *
opt_value(int argc, char *argv[], int *i, const char *name, size_t len,
    struct diag *d)
{
	const char *a = argv[*i];

	if (a[1] != '-' && a[2] != '\0')
		return a + 2;
	if (a[1] == '-' && a[len] == '=')
		return a + len + 1;
	if (*i + 1 < argc)
		return argv[++*i];
	diag_usage(d, "option '%s' needs a value", name);
	return NULL;
}

static bool
opt_is(const char *a, const char *shrt, const char *lng)
{
	size_t n = strlen(lng);

	return (shrt != NULL && strncmp(a, shrt, 2) == 0) ||
	    (strncmp(a, lng, n) == 0 && (a[n] == '\0' || a[n] == '='));
}

static void
unknown_option(const char *a, struct diag *d)
{
	const char *best;
	char name[64];

	diag_usage(d, "unknown option '%s'", a);
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(a, "="), a);
	if ((best = diag_suggest(name, long_opts,
	    sizeof(long_opts) / sizeof(*long_opts))) != NULL)
		diag_hint(d, "did you mean '%s'?", best);
}

static enum parsed
set_mode(struct driver_opts *o, enum driver_mode m, const char *a,
    struct diag *d)
{
	if (o->mode != DRIVER_COMPILE && o->mode != m) {
		diag_usage(d, "'%s' cannot be combined with '%s'", a,
		    o->mode == DRIVER_CHECK ? "--check" : "--dump-model");
		return PARSED_ERROR;
	}
	o->mode = m;
	return PARSED_RUN;
}

/* One argument that starts with '-'; *i moves past a separate value. */
static enum parsed
option(int argc, char *argv[], int *i, struct driver_opts *o,
    struct diag *d)
{
	const char *a = argv[*i];

	if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
		return PARSED_HELP;
	if (strcmp(a, "--version") == 0)
		return PARSED_VERSION;
	if (strcmp(a, "--check") == 0)
		return set_mode(o, DRIVER_CHECK, a, d);
	if (strcmp(a, "--dump-model") == 0)
		return set_mode(o, DRIVER_DUMP, a, d);
	if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
		o->verbose = true;
	else if (strcmp(a, "--force") == 0)
		o->force = true;
	else if (opt_is(a, "-o", "--output")) {
		if ((o->outdir = opt_value(argc, argv, i, "--output", 8,
		    d)) == NULL)
			return PARSED_ERROR;
	} else if (opt_is(a, NULL, "--rotate")) {
		o->rotate[o->nrotate] = opt_value(argc, argv, i, "--rotate",
		    8, d);
		if (o->rotate[o->nrotate++] == NULL)
			return PARSED_ERROR;
	} else {
		unknown_option(a, d);
		return PARSED_ERROR;
	}
	return PARSED_RUN;
}

/* Options may come before, between or after the files; "--" ends them. */
static enum parsed
options_parse(int argc, char *argv[], struct driver_opts *o,
    struct diag *d)
{
	enum parsed p;
	bool files_only = false;
	int i;

	memset(o, 0, sizeof(*o));
	o->files = xcalloc((size_t)argc, sizeof(*o->files));
	o->rotate = xcalloc((size_t)argc, sizeof(*o->rotate));
	for (i = 1; i < argc; i++) {
		if (files_only || argv[i][0] != '-' || argv[i][1] == '\0')
			o->files[o->nfiles++] = argv[i];
		else if (strcmp(argv[i], "--") == 0)
			files_only = true;
		else if ((p = option(argc, argv, &i, o, d)) != PARSED_RUN)
			return p;
	}
	if (o->nfiles == 0) {
		diag_usage(d, "no input files");
		return PARSED_ERROR;
	}
	return PARSED_RUN;
}

static const struct subcommand *
subcommand_find(int argc, char *argv[])
{
	size_t i;

	for (i = 0; argc > 1 && i < sizeof(subcommands) /
	    sizeof(*subcommands); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return &subcommands[i];
	return NULL;
}

/*
 * Every command may hold secrets in clear (generated, decrypted, an age
 * identity): a core dump would write them to disk.  Not dumpable also
 * covers a core_pattern that pipes to a handler, which RLIMIT_CORE does
 * not stop.  Best effort: a failure leaves nothing else to do.
 */
static void
no_core_dumps(void)
{
	struct rlimit rl = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &rl);
#ifdef __linux__
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

int
main(int argc, char *argv[])
{
	const struct subcommand *sub;
	struct driver_opts o;
	struct diag *d;
	int status;

	no_core_dumps();
	if ((sub = subcommand_find(argc, argv)) != NULL && sub->run != NULL)
		return sub->run(argc - 1, argv + 1);

	d = diag_new(stderr);
	if (sub != NULL) {
		diag_usage(d, "'%s' is not in this build yet", sub->name);
		status = diag_status(d);
		diag_free(d);
		return status;
	}
	switch (options_parse(argc, argv, &o, d)) {
	case PARSED_HELP:
		usage(stdout);
		status = fflush(stdout) == 0 && !ferror(stdout) ?
		    DIAG_EXIT_OK : DIAG_EXIT_SYSTEM;
		break;
	case PARSED_VERSION:
		puts("railgen " RAILGEN_VERSION);
		status = fflush(stdout) == 0 && !ferror(stdout) ?
		    DIAG_EXIT_OK : DIAG_EXIT_SYSTEM;
		break;
	case PARSED_ERROR:
		usage(stderr);
		status = diag_status(d);
		break;
	default:
		status = driver_run(&o, d);
		break;
	}
	free(o.files);
	free(o.rotate);
	diag_free(d);
	return status;
}
