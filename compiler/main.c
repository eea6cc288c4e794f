/* main.c: the command line; every subcommand is a function elsewhere. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#define RAILGEN_VERSION	"0.1.0"

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
	    "       railgen fmt [--check] FILE.rail...\n"
	    "       railgen --version | --help\n", fp);
}

int
main(int argc, char *argv[])
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		puts("railgen " RAILGEN_VERSION);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "keygen") == 0)
		return cmd_keygen(argc - 1, argv + 1);
	usage(stderr);
	return 2;
}
