/* cmd.h: the subcommands main.c dispatches to; each returns an exit status. */
#ifndef RAILGEN_CMD_H
#define RAILGEN_CMD_H

/* argv[0] is the subcommand name ("keygen", "decrypt", "fmt"). */
int	cmd_keygen(int argc, char *argv[]);
int	cmd_decrypt(int argc, char *argv[]);
int	cmd_fmt(int argc, char *argv[]);

#endif
