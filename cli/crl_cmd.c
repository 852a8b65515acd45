/*
 * mtls crl update: fetch, check and index the configured CRLs, so that
 * verifications find revocations without parsing CRLs (run by the
 * mtls-crl-update timer).
 */
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "commands.h"
#include "config.h"
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
	    "profile of it.  Without --profile, the\ntop-level settings and "
	    "then every profile that names CRL sources are\nupdated, a "
	    "profile's lines headed \"profile NAME: \".\n"
	    "\n"
	    "Exit status: 0 every source is fresh, 1 some source failed (its "
	    "last good\nindex is kept), 2 usage or configuration error.\n",
	    out);
}

/*
 * Fresh sources to standard output, failures to standard error; a
 * profile's headed by its label when every part is updated.
 */
static void
print_line(void *arg, int failed, const char *line)
{
	const char *label = arg;

	fprintf(failed ? stderr : stdout, "%s%s%s\n", label != NULL ? label :
	    "", label != NULL ? ": " : "", line);
}

/* One part of the file updated, as an exit status. */
static int
update_part(const struct mtls_config *cfg, const char *label)
{
	int ret = mtls_crl_update(cfg, time(NULL), print_line, (void *)label);

	if (ret < 0)
		return MTLS_EXIT_TROUBLE;
	return ret == 0 ? MTLS_EXIT_ACCEPTED : MTLS_EXIT_REJECTED;
}

static bool
has_crl_sources(const struct mtls_config *cfg)
{
	const struct mtls_revocation *rev = &cfg->revocation;

	return rev->crl_files.count > 0 || rev->crl_urls.count > 0 ||
	    rev->crl_fetch;
}

static int
crl_update(const char *file, const char *profile)
{
	struct mtls_config *cfg;
	int ret;

	if ((cfg = command_config_load(file, profile)) == NULL)
		return MTLS_EXIT_TROUBLE;
	ret = update_part(cfg, NULL);
	mtls_config_free(cfg);
	return ret;
}

/*
 * Without --profile, as the timer runs it: the top-level settings, then
 * every profile that names CRL sources, each as with --profile.  Updating
 * the top level alone left a profile's own sources (README's Wi-Fi
 * profile names its crl_files) published once, by hand: a CRL the CA
 * published since was never indexed, and while the old one was fresh a
 * certificate revoked since was accepted.  Every part is updated even
 * after one fails; the exit status is the worst.
 */
static int
crl_update_all(const char *file)
{
	struct mtls_config *cfg, *part;
	size_t nprofiles, updated = 0;
	char label[256];
	int worst = MTLS_EXIT_ACCEPTED, ret;

	if ((cfg = command_config_load(file, NULL)) == NULL)
		return MTLS_EXIT_TROUBLE;
	if (has_crl_sources(cfg)) {
		worst = update_part(cfg, NULL);
		updated++;
	}
	nprofiles = mtls_config_profile_count(cfg);
	for (size_t i = 0; i < nprofiles; i++) {
		const char *name = mtls_config_profile_name(cfg, i);

		if ((part = command_config_load(file, name)) == NULL)
			ret = MTLS_EXIT_TROUBLE;
		else if (!has_crl_sources(part))
			ret = MTLS_EXIT_ACCEPTED;
		else {
			snprintf(label, sizeof(label), "profile %s", name);
			ret = update_part(part, label);
			updated++;
		}
		mtls_config_free(part);
		if (ret > worst)
			worst = ret;
	}
	/* none has a source: the top level says so */
	if (updated == 0 && worst == MTLS_EXIT_ACCEPTED)
		worst = update_part(cfg, NULL);
	mtls_config_free(cfg);
	return worst;
}

int
crl_command(int argc, char *argv[])
{
	const char *file, *profile;
	int c;

	if ((c = command_config_args(argc, argv, "crl", "update", crl_usage,
	    &file, &profile)) >= 0)
		return c;
	return profile != NULL ? crl_update(file, profile) :
	    crl_update_all(file);
}
