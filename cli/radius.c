/*
 * mtls radius: what the two FreeRADIUS hooks share - their command line,
 * the EAP identity, and one verification from configuration to exit
 * status.
 */
#include "radius.h"

#include <err.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "mtls.h"
#include "verdict_text.h"

static void
radius_usage(FILE *out)
{
	fputs("usage: mtls radius verify [--config FILE] [--profile NAME] "
	    "CERT\n"
	    "       mtls radius authorize [--config FILE] [--profile NAME]\n"
	    "\n"
	    "FreeRADIUS's EAP-TLS hooks; the request's attributes come from "
	    "the\nenvironment, as FreeRADIUS passes them (User-Name is "
	    "USER_NAME).\n"
	    "\n"
	    "  verify     eap's verify { client = ... } hook: decide on the "
	    "client\n"
	    "             certificate CERT (TLS-Client-Cert-Filename) with "
	    "the profile,\n"
	    "             which must map it to the user the EAP identity "
	    "names\n"
	    "             (radius.realm); prints the verdict\n"
	    "  authorize  rlm_exec in the check-eap-tls virtual server: check "
	    "the\n"
	    "             TLS-Client-Cert-* attributes again (issuer, "
	    "revocation by the\n"
	    "             CRL index and the OCSP cache, user mapping) and "
	    "print the\n"
	    "             reply attributes of the first radius.reply rule "
	    "that holds;\n"
	    "             the verdict goes to standard error\n"
	    "\n"
	    "  --config FILE   read FILE (default " MTLS_CONFIG_FILE ")\n"
	    "  --profile NAME  use the profile NAME of the configuration\n"
	    "\n"
	    "Each gives its verdict within 5 seconds, whatever a revocation "
	    "source does.\n"
	    "Exit status: 0 accepted, 1 rejected, 2 usage, configuration or "
	    "I/O error;\nFreeRADIUS rejects on anything but 0.  See mtls(1) "
	    "and etc/freeradius/.\n", out);
}

static const struct option radius_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "profile", required_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int
radius_command(int argc, char *argv[])
{
	struct radius_opts o = { MTLS_CONFIG_FILE, NULL, NULL };
	bool verify;
	int c;

	if (argc < 3) {
		radius_usage(stderr);
		return MTLS_EXIT_TROUBLE;
	}
	if (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) {
		radius_usage(stdout);
		return MTLS_EXIT_ACCEPTED;
	}
	verify = strcmp(argv[2], "verify") == 0;
	if (!verify && strcmp(argv[2], "authorize") != 0)
		return usage_error("radius", "unknown subcommand '%s'; give "
		    "verify or authorize", argv[2]);
	optind = 3;	/* after "mtls radius subcommand" */
	while ((c = getopt_long(argc, argv, "h", radius_options, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.config_file = optarg;
			break;
		case 'p':
			o.profile = optarg;
			break;
		case 'h':
			radius_usage(stdout);
			return MTLS_EXIT_ACCEPTED;
		default:
			fputs("Try 'mtls radius --help'.\n", stderr);
			return MTLS_EXIT_TROUBLE;
		}
	}
	if (verify && optind == argc)
		return usage_error("radius", "verify: no certificate given; "
		    "FreeRADIUS names it %%{TLS-Client-Cert-Filename}");
	if (optind + (verify ? 1 : 0) < argc)
		return usage_error("radius", "%s: unexpected argument '%s'",
		    argv[2], argv[optind + (verify ? 1 : 0)]);
	if (verify) {
		o.cert = argv[optind];
		return radius_verify(&o);
	}
	return radius_authorize(&o);
}

/*
 * What FreeRADIUS says of the request that the audit line should carry:
 * who claimed what, from which station through which access point.
 */
static const struct {
	const char *env;
	const char *field;
} audited[] = {
	{ "USER_NAME", "eap_identity" },
	{ "CALLING_STATION_ID", "calling_station" },
	{ "NAS_IDENTIFIER", "nas" },
	{ "NAS_IP_ADDRESS", "nas_ip" },
};

static int
add_audit_fields(struct mtls_request *req, const char *subcommand)
{
	char err[256], service[32], *value;

	snprintf(service, sizeof(service), "radius-%s", subcommand);
	if (mtls_request_add_audit_field(req, "service", service) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(audited) / sizeof(audited[0]); i++) {
		int ret;

		/* a malformed one is the verdict's business, not the log's */
		if (radius_attribute(audited[i].env, &value, err,
		    sizeof(err)) != 0)
			continue;
		ret = mtls_request_add_audit_field(req, audited[i].field,
		    value);
		free(value);
		if (ret != 0)
			return -1;
	}
	return 0;
}

/* The user the EAP identity in USER_NAME claims, or NULL (said why). */
static char *
claimed_user(const struct mtls_config *cfg, const char *subcommand)
{
	char err[256], *identity = NULL, *user;
	int ret;

	ret = radius_attribute("USER_NAME", &identity, err, sizeof(err));
	if (ret < 0) {
		warnx("radius %s: %s", subcommand, err);
		return NULL;
	}
	if (ret > 0) {
		warnx("radius %s: no USER_NAME in the environment: FreeRADIUS "
		    "passes the EAP identity there (by hand: USER_NAME=alice "
		    "mtls radius %s ...)", subcommand, subcommand);
		return NULL;
	}
	if ((user = radius_identity_user(cfg, identity, err,
	    sizeof(err))) == NULL)
		warnx("radius %s: %s", subcommand, err);
	free(identity);
	return user;
}

int
radius_run(const char *subcommand, const struct radius_opts *o,
    int (*fill)(struct mtls_request *req, const struct radius_opts *o),
    bool replies)
{
	/* The reply attributes alone go to standard output, which FreeRADIUS
	 * reads as attributes; the verdict then goes beside them. */
	FILE *report = replies ? stderr : stdout;
	struct mtls_config *cfg;
	struct mtls_ctx *ctx = NULL;
	struct mtls_request *req = NULL;
	struct mtls_verdict *v = NULL;
	char *user = NULL;
	int status = MTLS_EXIT_TROUBLE;

	if (radius_deadline_start(report) != 0) {
		warnx("radius %s: cannot keep the deadline: no thread for it",
		    subcommand);
		return MTLS_EXIT_TROUBLE;
	}
	if ((cfg = command_config_load(o->config_file, o->profile)) == NULL)
		return MTLS_EXIT_TROUBLE;
	if ((user = claimed_user(cfg, subcommand)) == NULL)
		goto out;
	if ((ctx = mtls_ctx_new()) == NULL || (req = mtls_request_new()) ==
	    NULL) {
		warnx("out of memory");
		goto out;
	}
	/* FreeRADIUS starts a process per request */
	mtls_ctx_set_one_shot(ctx, 1);
	if (mtls_ctx_configure(ctx, cfg) != 0) {
		warnx("%s", mtls_ctx_error(ctx));
		goto out;
	}
	if (mtls_request_set_user(req, user) != 0 ||
	    add_audit_fields(req, subcommand) != 0) {
		warnx("out of memory");
		goto out;
	}
	if (fill(req, o) != 0)
		goto out;
	radius_deadline_audit(cfg, req);
	/* A NULL verdict (out of memory) reads as a rejection. */
	v = mtls_verify(ctx, req);
	radius_deadline_stop();
	verdict_print_text(report, v);
	if (!mtls_verdict_accepted(v)) {
		status = MTLS_EXIT_REJECTED;
		goto out;
	}
	if (replies)
		radius_reply_print(stdout, cfg, v);
	status = MTLS_EXIT_ACCEPTED;
out:
	radius_deadline_stop();
	mtls_verdict_free(v);
	mtls_request_free(req);
	mtls_ctx_free(ctx);
	free(user);
	mtls_config_free(cfg);
	return status;
}
