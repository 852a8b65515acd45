/*
 * commands.h - the subcommands of mtls(1) and what their exit status means.
 */
#ifndef MTLS_CLI_COMMANDS_H
#define MTLS_CLI_COMMANDS_H

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

/*
 * Say on standard error what is wrong with the command line of "mtls
 * command" and where help is; returns MTLS_EXIT_TROUBLE.
 */
int usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* MTLS_CLI_COMMANDS_H */
