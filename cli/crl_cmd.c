/*
 * mtls crl update: fetch, check and index the configured CRLs, so that
 * verifications find revocations without parsing CRLs (run by the
 * mtls-crl-update timer).
 */
#include <stdio.h>
#include <time.h>

#include "commands.h"
#include "mtls.h"

static void
crl_usage(FILE *out)
{
	fputs("usage: mtls crl update [--config FILE] [--profile NAME]\n"
	    "\n"
	    "Fetch or read every CRL the configuration names "
	    "(revocation.crl_files,\nrevocation.crl_urls and, with "
	    "revocation.crl_fetch, the http distribution\npoints of the "
	    "configured CAs), check each (RFC 5280 CRL rules, signature\n"
	    "by a configured CA, thisUpdate and nextUpdate, not older than "
	    "what is\nindexed) and publish it into revocation.cache_dir/crl.  "
	    "A source that fails\nkeeps the last good index of its issuer.  "
	    "FILE defaults to\n" MTLS_CONFIG_FILE "; NAME chooses a "
	    "profile of it.\n"
	    "\n"
	    "Exit status: 0 every source is fresh, 1 some source failed (its "
	    "last good\nindex is kept), 2 usage or configuration error.\n",
	    out);
}

/* Fresh sources to standard output, failures to standard error. */
static void
print_line(void *arg, int failed, const char *line)
{
	(void)arg;
	fprintf(failed ? stderr : stdout, "%s\n", line);
}

static int
crl_update(const char *file, const char *profile)
{
	struct mtls_config *cfg;
	int ret;

	if ((cfg = command_config_load(file, profile)) == NULL)
		return MTLS_EXIT_TROUBLE;
	ret = mtls_crl_update(cfg, time(NULL), print_line, NULL);
	mtls_config_free(cfg);
	if (ret < 0)
		return MTLS_EXIT_TROUBLE;
	return ret == 0 ? MTLS_EXIT_ACCEPTED : MTLS_EXIT_REJECTED;
}

int
crl_command(int argc, char *argv[])
{
	const char *file, *profile;
	int c;

	if ((c = command_config_args(argc, argv, "crl", "update", crl_usage,
	    &file, &profile)) >= 0)
		return c;
	return crl_update(file, profile);
}
