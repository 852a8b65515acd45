/*
 * mtls config check: load a configuration the way every door will, and
 * show what each profile of it will do, before anyone has to log in with it.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "crl_index.h"
#include "ctx.h"
#include "denied.h"
#include "mapfile.h"
#include "mapindex.h"
#include "mtls.h"
#include "ocsp_cache.h"
#include "shellword.h"

static void
config_usage(FILE *out)
{
	fputs("usage: mtls config check [--config FILE] [--user NAME]\n"
	    "\n"
	    "Load FILE (default " MTLS_CONFIG_FILE ") with its defaults and "
	    "then with\neach of its profiles, load the CA certificates, CRLs "
	    "and map files each\nnames, and say what each will do.\n"
	    "\n"
	    "  --user NAME  the user that will verify (default: the one "
	    "running the\n"
	    "               check), for whom OCSP answers are kept in\n"
	    "               revocation.cache_dir (FreeRADIUS runs its hooks "
	    "as freerad)\n"
	    "\n"
	    "Warnings, on standard error, say what works short of the "
	    "configuration:\na configured CA certificate no client "
	    "certificate is accepted through,\nOCSP answers the user cannot "
	    "keep, or that none are kept (ocsp_max_age = 0),\na CRL index "
	    "the user may not read, or that holds no CRL yet; a map file "
	    "or\nits index the user may not read; and a configured CA "
	    "certificate that is\naccepted but that RFC 5280 asks its CA to "
	    "reissue.\n"
	    "\n"
	    "Exit status: 0 the configuration is valid, 2 it is not (the "
	    "error names\nthe file, line and key).  Warnings do not change "
	    "it.\n", out);
}

static const struct option check_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "user", required_argument, NULL, 'u' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* What the check found short of an error, and for whom. */
struct warnings {
	uid_t user;
	const char *file_arg;	/* " --config " unless FILE is the default */
	const char *file;	/* FILE then, as a shell word, or "" */
	struct strlist said;	/* each warning once, for the first part */
};

/*
 * A warning about part label, unless an earlier part had the same.  A
 * command in it ("; as root, run ...") that does not fit is left out,
 * and the warning says so: cut short, it would name another file.
 */
static void
warning(struct warnings *w, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
warning(struct warnings *w, const char *label, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	shellword_vmessage(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (strlist_contains(&w->said, text))
		return;
	warnx("%s: warning: %s", label, text);
	if (strlist_add(&w->said, text) != 0)
		errx(MTLS_EXIT_TROUBLE, "out of memory");
}

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

/* Whether user can use dir, 0 or -1 with why, as the process's user. */
typedef int dir_check_fn(const char *dir, uid_t user, char *why,
    size_t whylen);

/*
 * check in a process of user's own, when root checks for another user
 * with an account: root may search a directory the user may not (a
 * cache_dir of mode 0700), and only the user's process finds that.  In
 * this process otherwise, or when a process of user's cannot be had.
 */
static int
dir_check_as(dir_check_fn *check, const char *dir, uid_t user, char *why,
    size_t whylen)
{
	const struct passwd *pw;
	int fds[2], status, ret;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if (geteuid() != 0 || user == 0 || (pw = getpwuid(user)) == NULL ||
	    pipe(fds) != 0)
		return check(dir, user, why, whylen);
	if ((pid = fork()) == 0) {
		close(fds[0]);
		ret = 2;
		if (initgroups(pw->pw_name, pw->pw_gid) == 0 &&
		    setgid(pw->pw_gid) == 0 && setuid(user) == 0) {
			ret = check(dir, user, why, whylen) == 0 ? 0 : 1;
			if (ret == 1 && write(fds[1], why, strlen(why)) < 0)
				ret = 2;
		}
		_exit(ret);
	}
	close(fds[1]);
	while (pid > 0 && got + 1 < whylen && ((n = read(fds[0], why + got,
	    whylen - 1 - got)) > 0 || (n < 0 && errno == EINTR)))
		got += n > 0 ? (size_t)n : 0;
	close(fds[0]);
	while (pid > 0 && waitpid(pid, &status, 0) == -1 && errno == EINTR)
		continue;
	if (pid <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) > 1)
		return check(dir, user, why, whylen);
	why[got] = '\0';
	return WEXITSTATUS(status) == 0 ? 0 : -1;
}

/*
 * With OCSP, whether answers are kept at all (revocation.ocsp_max_age),
 * and whether the user can keep them on disk: if not, every verification
 * asks the responder, and a RADIUS server's gate, which only reads them,
 * finds none (and rejects what OCSP alone decides).  Warnings: the
 * configuration is valid, and verification still fails closed.
 */
static void
check_ocsp_cache(struct mtls_ctx *ctx, const struct mtls_config *cfg,
    const char *label, struct warnings *w)
{
	const char *dir = cfg->revocation.cache_dir;
	struct ctx_state *state = ctx_hold(ctx);
	bool ocsp = state != NULL && state->ocsp != NULL;
	char why[1024];

	ctx_release(ctx, state);
	if (!ocsp)
		return;
	if (ocsp_cache_max_age_check(cfg->revocation.ocsp_max_age, why,
	    sizeof(why)) != 0)
		warning(w, label, "%s", why);
	if (dir != NULL && dir_check_as(ocsp_cache_dir_check, dir, w->user,
	    why, sizeof(why)) != 0)
		warning(w, label, "%s", why);
}

/* The CRL index directory of rev, when verifications read one. */
static void
index_path(const struct mtls_revocation *rev, char *out, size_t outlen)
{
	if (rev->crl_index_dir != NULL)
		snprintf(out, outlen, "%s", rev->crl_index_dir);
	else
		snprintf(out, outlen, "%s/" CRL_INDEX_SUBDIR, rev->cache_dir);
}

/* crl_index_access() for user, the process's user where it is called. */
static int
index_access(const char *dir, uid_t user, char *why, size_t whylen)
{
	(void)user;
	return crl_index_access(dir, why, whylen);
}

/*
 * Whether the user may read the CRL index its verifications read: kept
 * out (a daemon's user, when cache_dir was made 0700), each fails with
 * exit status 2.  Said of another user only (--user, as root): the
 * index of the one running the check has already failed to load.  A
 * warning, as the configuration is valid.
 */
static void
check_crl_index_access(struct mtls_ctx *ctx, const struct mtls_config *cfg,
    const char *label, struct warnings *w)
{
	struct ctx_state *state = ctx_hold(ctx);
	bool reads = state != NULL && state->crl_index != NULL;
	char dir[4096], why[1024];

	ctx_release(ctx, state);
	if (!reads)
		return;
	index_path(&cfg->revocation, dir, sizeof(dir));
	if (dir_check_as(index_access, dir, w->user, why, sizeof(why)) != 0)
		warning(w, label, "%s", why);
}

/*
 * Whether why ends in the map update that publishes the index again
 * after the chmod it gives (mapfile_denied(), in a process of the user's
 * own that has only the map file's path): the update then needs the file
 * checked named, unless it is the default one.
 */
static bool
ends_in_update(const char *why)
{
	size_t n = strlen(why), k = strlen(" && " MAPFILE_UPDATE);

	return n >= k && strcmp(why + n - k, " && " MAPFILE_UPDATE) == 0;
}

/* Whether the process may read the map file path and its index. */
static int
map_access(const char *path, uid_t user, char *why, size_t whylen)
{
	char index[4096];

	(void)user;
	if (mapfile_denied(path, NULL, why, whylen))
		return -1;
	snprintf(index, sizeof(index), "%s" MAPINDEX_SUFFIX, path);
	return denied_message("the map index", index, false, why, whylen) ?
	    -1 : 0;
}

/*
 * Whether the user may read the map file its verifications read, and
 * its index, as check_crl_index_access() asks of the CRL index: kept out
 * of the file, each verification fails; out of the index, each reads
 * the whole file instead.
 */
static void
check_map_access(const struct mtls_config *cfg, const char *label,
    struct warnings *w)
{
	char why[1024];

	if (cfg->identity.map_file != NULL && dir_check_as(map_access,
	    cfg->identity.map_file, w->user, why, sizeof(why)) != 0)
		warning(w, label, "%s%s%s", why, ends_in_update(why) ?
		    w->file_arg : "", ends_in_update(why) ? w->file : "");
}

/*
 * A configured CA certificate that breaks the rules for CAs (a trust
 * anchor with a critical extension no verifier knows, say) lets no
 * client certificate through it.  A warning: the configuration is
 * valid, the other CAs work, and what would go through it is rejected
 * with the same words.  One that RFC 5280 asks to be reissued, but whose
 * paths are accepted (an extension it asks to be critical not marked so,
 * and applied all the same: rfc5280_ca_remarks()), is a warning too,
 * saying so.
 */
static void
check_configured_cas(struct mtls_ctx *ctx, const char *label,
    struct warnings *w)
{
	struct strlist defects = { NULL, 0 };

	if (ctx_defects(ctx, &defects) != 0)
		errx(MTLS_EXIT_TROUBLE, "out of memory");
	for (size_t i = 0; i < defects.count; i++)
		warning(w, label, "no client certificate is accepted through "
		    "this CA: %s", defects.items[i]);
	strlist_clear(&defects);
	if (ctx_remarks(ctx, &defects) != 0)
		errx(MTLS_EXIT_TROUBLE, "out of memory");
	for (size_t i = 0; i < defects.count; i++)
		warning(w, label, "%s", defects.items[i]);
	strlist_clear(&defects);
}

/*
 * Delta CRLs without their complete CRL, or named and not configured
 * (crl_delta_remarks.h).  Warnings: the configuration is valid, and
 * fails closed or as open as the complete CRL alone.
 */
static void
check_delta_crls(struct mtls_ctx *ctx, const char *label,
    struct warnings *w)
{
	struct strlist remarks = { NULL, 0 };

	if (ctx_crl_delta_remarks(ctx, &remarks) != 0)
		errx(MTLS_EXIT_TROUBLE, "out of memory");
	for (size_t i = 0; i < remarks.count; i++)
		warning(w, label, "%s", remarks.items[i]);
	strlist_clear(&remarks);
}

/*
 * CRL sources only "mtls crl update" reads (crl_urls, crl_fetch) count
 * for nothing while the index it publishes into holds no CRL: the
 * timer is not running yet, or has never succeeded.  A warning: the
 * configuration is valid, and what no CRL covers is rejected.
 */
static void
check_crl_index(struct mtls_ctx *ctx, const struct mtls_config *cfg,
    const char *label, struct warnings *w)
{
	const struct mtls_revocation *rev = &cfg->revocation;
	const char *keys;
	char dir[4096];

	if ((rev->crl_urls.count == 0 && !rev->crl_fetch) ||
	    !ctx_crl_index_empty(ctx))
		return;
	index_path(rev, dir, sizeof(dir));
	keys = rev->crl_urls.count == 0 ? "revocation.crl_fetch" :
	    rev->crl_fetch ? "revocation.crl_urls and crl_fetch" :
	    "revocation.crl_urls";
	warning(w, label, "the CRL index %s holds no CRL yet, so the CRLs of "
	    "%s count for nothing; as root, run \"mtls crl update%s%s\", and "
	    "\"systemctl enable --now mtls-crl-update.timer\" to keep them "
	    "fresh", dir, keys, w->file_arg, w->file);
}

/*
 * Describe a loaded configuration and build a verifier from it, which
 * reads every file it names.  label says which part of the file it is.
 */
static int
check_loaded(const struct mtls_config *cfg, const char *label,
    struct warnings *w)
{
	struct mtls_ctx *ctx;
	char *text = NULL, why[1024];
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
	else {
		check_configured_cas(ctx, label, w);
		check_ocsp_cache(ctx, cfg, label, w);
		check_crl_index_access(ctx, cfg, label, w);
		check_map_access(cfg, label, w);
		check_crl_index(ctx, cfg, label, w);
		check_delta_crls(ctx, label, w);
		ret = 0;
	}
	mtls_ctx_free(ctx);
	return ret;
}

static int
check_profile(const char *file, const char *profile, struct warnings *w)
{
	struct mtls_config *cfg;
	char label[256];
	int ret;

	if ((cfg = command_config_load(file, profile)) == NULL)
		return -1;
	snprintf(label, sizeof(label), "profile %s", profile);
	ret = check_loaded(cfg, label, w);
	mtls_config_free(cfg);
	return ret;
}

/*
 * Every part is checked even after one fails, so one run lists every
 * problem of the file.
 */
static int
config_check(const char *file, uid_t user)
{
	bool other = strcmp(file, MTLS_CONFIG_FILE) != 0;
	char word[SHELLWORD_MAX];
	struct warnings w = { user, other ? " --config " : "",
	    other ? shellword(file, word, sizeof(word)) : "", { NULL, 0 } };
	struct mtls_config *cfg;
	size_t nprofiles, failed = 0, said;

	if ((cfg = command_config_load(file, NULL)) == NULL)
		return MTLS_EXIT_TROUBLE;
	if (check_loaded(cfg, "defaults", &w) != 0)
		failed++;
	nprofiles = mtls_config_profile_count(cfg);
	for (size_t i = 0; i < nprofiles; i++)
		if (check_profile(file, mtls_config_profile_name(cfg, i),
		    &w) != 0)
			failed++;
	mtls_config_free(cfg);
	said = w.said.count;
	strlist_clear(&w.said);
	if (failed > 0) {
		warnx("%s: %zu of %zu parts fail (the defaults and %zu "
		    "profile%s)", file, failed, nprofiles + 1, nprofiles,
		    nprofiles == 1 ? "" : "s");
		return MTLS_EXIT_TROUBLE;
	}
	printf("%s: valid: the defaults and %zu profile%s load", file,
	    nprofiles, nprofiles == 1 ? "" : "s");
	if (said > 0)
		printf("; %zu warning%s on standard error", said,
		    said == 1 ? "" : "s");
	printf("\n");
	return MTLS_EXIT_ACCEPTED;
}

/* The uid of --user NAME (a name, or a number); -1 if there is none. */
static int
user_id(const char *name, uid_t *uid)
{
	const struct passwd *pw;
	char *end;
	unsigned long n;

	if ((pw = getpwnam(name)) != NULL) {
		*uid = pw->pw_uid;
		return 0;
	}
	n = strtoul(name, &end, 10);
	if (*name < '0' || *name > '9' || *end != '\0' ||
	    n > (unsigned long)(uid_t)-1 - 1)
		return -1;
	*uid = (uid_t)n;
	return 0;
}

int
config_command(int argc, char *argv[])
{
	const char *file = MTLS_CONFIG_FILE;
	uid_t user = geteuid();
	int c;

	if ((c = command_begin(argc, argv, "config", "check",
	    config_usage)) >= 0)
		return c;
	while ((c = getopt_long(argc, argv, "h", check_options, NULL)) != -1) {
		switch (c) {
		case 'c':
			file = optarg;
			break;
		case 'u':
			if (user_id(optarg, &user) != 0)
				return usage_error("config", "--user %s: no "
				    "such user", optarg);
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
	return config_check(file, user);
}
