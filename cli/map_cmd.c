/*
 * mtls map update: check the identity map files a configuration names and
 * publish the index of each beside it, so that a login looks its user up
 * without reading the whole file.
 */
#include <err.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "commands.h"
#include "config.h"
#include "mapfile.h"
#include "mtls.h"
#include "strlist.h"

static void
map_usage(FILE *out)
{
	fputs("usage: mtls map update [--config FILE] [--profile NAME]\n"
	    "\n"
	    "Check every line of the map file (identity.map_file) of the "
	    "defaults and\nof each profile, as \"mtls config check\" does, "
	    "and publish its index\nbeside it, as MAP_FILE.idx: "
	    "verifications then look users up in the\nindex instead of "
	    "reading the whole file.  Run it after every change of a\nmap "
	    "file; until then, verifications read the map file itself.  "
	    "FILE\ndefaults to " MTLS_CONFIG_FILE "; NAME chooses one "
	    "profile of it.\n"
	    "\n"
	    "Exit status: 0 every map file is indexed (or none is "
	    "configured), 2 a\nmap file has errors (its index is left as it "
	    "was), or a usage or\nconfiguration error.\n", out);
}

/*
 * Publish the index of the map file of one part of the configuration
 * (profile NULL: its defaults), unless an earlier part published it.
 */
static int
update_part(const char *file, const char *profile, struct strlist *done)
{
	const struct mtls_identity *id;
	struct mtls_config *cfg;
	char published[PATH_MAX], why[1024];
	size_t count;
	int ret = 0;

	if ((cfg = command_config_load(file, profile)) == NULL)
		return -1;
	id = &cfg->identity;
	if ((id->map == MTLS_MAP_DN || id->map == MTLS_MAP_FINGERPRINT) &&
	    id->map_file != NULL && !strlist_contains(done, id->map_file)) {
		if (strlist_add(done, id->map_file) != 0) {
			warnx("out of memory");
			ret = -1;
		} else if (mapfile_publish(id->map_file,
		    id->map == MTLS_MAP_FINGERPRINT, published,
		    sizeof(published), &count, why, sizeof(why)) != 0) {
			warnx("%s", why);
			ret = -1;
		} else
			printf("%s: %zu key%s of %s, published\n", published,
			    count, count == 1 ? "" : "s", id->map_file);
	}
	mtls_config_free(cfg);
	return ret;
}

/* Every part, even after one fails, so one run says every problem. */
static int
map_update(const char *file, const char *profile)
{
	struct strlist done = { NULL, 0 };
	struct mtls_config *cfg;
	size_t nprofiles;
	int failed = 0;

	if (profile != NULL)
		failed = update_part(file, profile, &done) != 0;
	else {
		if ((cfg = command_config_load(file, NULL)) == NULL)
			return MTLS_EXIT_TROUBLE;
		nprofiles = mtls_config_profile_count(cfg);
		failed = update_part(file, NULL, &done) != 0;
		for (size_t i = 0; i < nprofiles; i++)
			if (update_part(file, mtls_config_profile_name(cfg, i),
			    &done) != 0)
				failed = 1;
		mtls_config_free(cfg);
	}
	if (!failed && done.count == 0)
		printf("%s: no identity.map_file to index\n", file);
	strlist_clear(&done);
	return failed ? MTLS_EXIT_TROUBLE : MTLS_EXIT_ACCEPTED;
}

int
map_command(int argc, char *argv[])
{
	const char *file, *profile;
	int c;

	if ((c = command_config_args(argc, argv, "map", "update", map_usage,
	    &file, &profile)) >= 0)
		return c;
	return map_update(file, profile);
}
