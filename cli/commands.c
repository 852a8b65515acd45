/*
 * What the subcommands of mtls(1) share: their command-line errors, the
 * start of their command lines, and reading the configuration.
 */
#include "commands.h"

#include <err.h>
#include <getopt.h>
#include <stdarg.h>
#include <string.h>

#include "mtls.h"

int
usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mtls %s: ", command);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'mtls %s --help'.\n", command);
	return MTLS_EXIT_TROUBLE;
}

int
command_begin(int argc, char *argv[], const char *command,
    const char *subcommand, void (*usage)(FILE *out))
{
	if (argc < 3) {
		usage(stderr);
		return MTLS_EXIT_TROUBLE;
	}
	if (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) {
		usage(stdout);
		return MTLS_EXIT_ACCEPTED;
	}
	if (strcmp(argv[2], subcommand) != 0)
		return usage_error(command, "unknown subcommand '%s'; only "
		    "'%s' exists", argv[2], subcommand);
	optind = 3;	/* after "mtls command subcommand" */
	return -1;
}

static const struct option config_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "profile", required_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int
command_config_args(int argc, char *argv[], const char *command,
    const char *subcommand, void (*usage)(FILE *out), const char **file,
    const char **profile)
{
	int c;

	*file = MTLS_CONFIG_FILE;
	*profile = NULL;
	if ((c = command_begin(argc, argv, command, subcommand, usage)) >= 0)
		return c;
	while ((c = getopt_long(argc, argv, "h", config_options,
	    NULL)) != -1) {
		switch (c) {
		case 'c':
			*file = optarg;
			break;
		case 'p':
			*profile = optarg;
			break;
		case 'h':
			usage(stdout);
			return MTLS_EXIT_ACCEPTED;
		default:
			fprintf(stderr, "Try 'mtls %s --help'.\n", command);
			return MTLS_EXIT_TROUBLE;
		}
	}
	if (optind < argc)
		return usage_error(command, "unexpected argument '%s'",
		    argv[optind]);
	return -1;
}

struct mtls_config *
command_config_load(const char *file, const char *profile)
{
	struct mtls_config *cfg;

	if ((cfg = mtls_config_new()) == NULL) {
		warnx("out of memory");
		return NULL;
	}
	if (mtls_config_load_file(cfg, file, profile) != 0) {
		warnx("%s", mtls_config_error(cfg));
		mtls_config_free(cfg);
		return NULL;
	}
	return cfg;
}
