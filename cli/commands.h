/*
 * commands.h - the subcommands of mtls(1) and what their exit status means.
 */
#ifndef MTLS_CLI_COMMANDS_H
#define MTLS_CLI_COMMANDS_H

#include <stdio.h>

struct mtls_config;

/* Exit status of every subcommand; scripts depend on these. */
#define MTLS_EXIT_ACCEPTED	0	/* accepted, or the check passed */
#define MTLS_EXIT_REJECTED	1	/* the certificate is rejected */
#define MTLS_EXIT_TROUBLE	2	/* usage, configuration or I/O error */

/*
 * MTLS_CONFIG_FILE (a build setting) is read when neither --config nor,
 * for verify, --ca is given.
 *
 * Each takes the whole command line (argv[0] is the program) and returns an
 * exit status.  Diagnostics go to standard error, results to standard
 * output.
 */
int verify_command(int argc, char *argv[]);
int config_command(int argc, char *argv[]);
int crl_command(int argc, char *argv[]);
int map_command(int argc, char *argv[]);
int radius_command(int argc, char *argv[]);
int serve_command(int argc, char *argv[]);

/*
 * Say on standard error what is wrong with the command line of "mtls
 * command" and where help is; returns MTLS_EXIT_TROUBLE.
 */
int usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * The start of "mtls command subcommand [options]", for a command that
 * has that one subcommand: without it, usage() on standard error; for
 * --help or -h, usage() on standard output; for another, an error.  Each
 * of those returns the exit status of the command.  Otherwise -1, with
 * optind at the first option.
 */
int command_begin(int argc, char *argv[], const char *command,
    const char *subcommand, void (*usage)(FILE *out));

/*
 * The command line of "mtls command subcommand [--config FILE] [--profile
 * NAME]": -1 with *file (default MTLS_CONFIG_FILE) and *profile (default
 * NULL) set, or, for help or an error, the exit status, as
 * command_begin() does.
 */
int command_config_args(int argc, char *argv[], const char *command,
    const char *subcommand, void (*usage)(FILE *out), const char **file,
    const char **profile);

/*
 * The configuration in file, with profile (NULL: its defaults); NULL,
 * the reason said on standard error, when it cannot be loaded.
 */
struct mtls_config *command_config_load(const char *file,
    const char *profile);

#endif /* MTLS_CLI_COMMANDS_H */
