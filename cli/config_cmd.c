/*
 * mtls config check: load a configuration the way every door will, and
 * show what each profile of it will do, before anyone has to log in with it.
 */
#include <err.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "ctx.h"
#include "mtls.h"

static void
config_usage(FILE *out)
{
	fputs("usage: mtls config check [--config FILE]\n"
	    "\n"
	    "Load FILE (default " MTLS_CONFIG_FILE ") with its defaults and "
	    "then with\neach of its profiles, load the CA certificates, CRLs "
	    "and map files each\nnames, and say what each will do.\n"
	    "\n"
	    "Exit status: 0 the configuration is valid, 2 it is not (the "
	    "error names\nthe file, line and key).\n", out);
}

static const struct option check_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Print text with every line indented, so profiles stand apart. */
static void
print_indented(const char *text)
{
	bool line_start = true;

	for (const char *p = text; *p != '\0'; p++) {
		if (line_start && *p != '\n')
			fputs("  ", stdout);
		putchar(*p);
		line_start = *p == '\n';
	}
	if (!line_start)
		putchar('\n');
}

/*
 * Describe a loaded configuration and build a verifier from it, which
 * reads every file it names.  label says which part of the file it is.
 */
static int
check_loaded(const struct mtls_config *cfg, const char *label)
{
	struct mtls_ctx *ctx;
	char *text = NULL, why[512];
	int ret = -1;

	if (mtls_config_describe(cfg, &text) != 0) {
		warnx("%s: %s", label, mtls_config_error(cfg));
		return -1;
	}
	printf("%s:\n", label);
	print_indented(text);
	free(text);
	if ((ctx = mtls_ctx_new()) == NULL) {
		warnx("out of memory");
		return -1;
	}
	/* a verification checks the blocks of the CRL index and the lines
	 * of the map file it reads, and imports the certificates of ca_dir
	 * its path needs; a check reads them all */
	if (mtls_ctx_configure(ctx, cfg) != 0)
		warnx("%s: %s", label, mtls_ctx_error(ctx));
	else if (ctx_verify_crl_index(ctx, why, sizeof(why)) != 0 ||
	    ctx_check_map_file(ctx, why, sizeof(why)) != 0 ||
	    ctx_check_ca_dir(ctx, why, sizeof(why)) != 0)
		warnx("%s: %s", label, why);
	else
		ret = 0;
	mtls_ctx_free(ctx);
	return ret;
}

static int
check_profile(const char *file, const char *profile)
{
	struct mtls_config *cfg;
	char label[256];
	int ret;

	if ((cfg = command_config_load(file, profile)) == NULL)
		return -1;
	snprintf(label, sizeof(label), "profile %s", profile);
	ret = check_loaded(cfg, label);
	mtls_config_free(cfg);
	return ret;
}

/*
 * Every part is checked even after one fails, so one run lists every
 * problem of the file.
 */
static int
config_check(const char *file)
{
	struct mtls_config *cfg;
	size_t nprofiles, failed = 0;

	if ((cfg = command_config_load(file, NULL)) == NULL)
		return MTLS_EXIT_TROUBLE;
	if (check_loaded(cfg, "defaults") != 0)
		failed++;
	nprofiles = mtls_config_profile_count(cfg);
	for (size_t i = 0; i < nprofiles; i++)
		if (check_profile(file, mtls_config_profile_name(cfg, i)) != 0)
			failed++;
	mtls_config_free(cfg);
	if (failed > 0) {
		warnx("%s: %zu of %zu parts fail (the defaults and %zu "
		    "profile%s)", file, failed, nprofiles + 1, nprofiles,
		    nprofiles == 1 ? "" : "s");
		return MTLS_EXIT_TROUBLE;
	}
	printf("%s: valid: the defaults and %zu profile%s load\n", file,
	    nprofiles, nprofiles == 1 ? "" : "s");
	return MTLS_EXIT_ACCEPTED;
}

int
config_command(int argc, char *argv[])
{
	const char *file = MTLS_CONFIG_FILE;
	int c;

	if ((c = command_begin(argc, argv, "config", "check",
	    config_usage)) >= 0)
		return c;
	while ((c = getopt_long(argc, argv, "h", check_options, NULL)) != -1) {
		switch (c) {
		case 'c':
			file = optarg;
			break;
		case 'h':
			config_usage(stdout);
			return MTLS_EXIT_ACCEPTED;
		default:
			fputs("Try 'mtls config --help'.\n", stderr);
			return MTLS_EXIT_TROUBLE;
		}
	}
	if (optind < argc)
		return usage_error("config", "unexpected argument '%s'; give "
		    "the file with --config FILE", argv[optind]);
	return config_check(file);
}
