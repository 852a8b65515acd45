/*
 * mtls verify: one verification, as a login would do it, with the answer
 * on standard output and in the exit status.
 */
#include <err.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "input.h"
#include "json.h"
#include "mtls.h"
#include "timearg.h"
#include "verdict_text.h"

/* Paths given with a repeatable option, in command-line order. */
struct pathlist {
	const char **paths;
	size_t count;
};

struct verify_opts {
	const char *config_file;
	const char *profile;
	struct pathlist ca;
	struct pathlist untrusted;
	struct pathlist crl;
	const char *crl_index;
	int ocsp;		/* 1 --ocsp, -1 --no-ocsp, 0 as configured */
	bool has_time;
	time_t at;
	bool has_purpose;
	enum mtls_purpose purpose;
	const char *user;
	bool json;
	const char *cert;
};

static void
verify_usage(FILE *out)
{
	fputs("usage: mtls verify [--config FILE] [--profile NAME] "
	    "[--ca FILE]...\n"
	    "           [--untrusted FILE]... [--crl FILE]... [--crl-index DIR]\n"
	    "           [--ocsp | --no-ocsp] [--at TIME]\n"
	    "           [--purpose client|server|any] [--user NAME] [--json] "
	    "CERT\n"
	    "\n"
	    "Decide whether the client certificate CERT (PEM or DER; \"-\" "
	    "reads standard\ninput) is accepted, as the PAM module and the "
	    "OpenVPN plugin would.\n"
	    "\n"
	    "  --config FILE     read FILE (default " MTLS_CONFIG_FILE
	    ",\n"
	    "                    not read when --ca is given without "
	    "--config)\n"
	    "  --profile NAME    use the profile NAME of the configuration\n"
	    "  --ca FILE         trust the CA certificates in FILE\n"
	    "  --untrusted FILE  intermediates, as if the client had sent "
	    "them\n"
	    "  --crl FILE        check revocation against the CRLs in FILE\n"
	    "  --crl-index DIR   check revocation against the CRL index "
	    "\"mtls crl update\"\n"
	    "                    published in DIR (revocation.cache_dir/crl)\n"
	    "  --ocsp            also ask the OCSP responder (after any CRL "
	    "check)\n"
	    "  --no-ocsp         do not ask an OCSP responder, whatever the "
	    "profile says\n"
	    "  --at TIME         verify as of TIME: " TIMEARG_FORMS "\n"
	    "  --purpose P       what CERT must be good for: client (default),"
	    "\n                    server or any\n"
	    "  --user NAME       CERT must map to the user NAME\n"
	    "  --json            print the verdict as one JSON object\n"
	    "\n"
	    "Prints \"accepted: SUBJECT (user USER)\" or \"rejected: REASON: "
	    "EXPLANATION\".\n"
	    "Exit status: 0 accepted, 1 rejected, 2 usage, configuration or "
	    "I/O error.\n", out);
}

static int
parse_purpose(const char *text, enum mtls_purpose *purpose)
{
	if (strcmp(text, "client") == 0)
		*purpose = MTLS_PURPOSE_CLIENT;
	else if (strcmp(text, "server") == 0)
		*purpose = MTLS_PURPOSE_SERVER;
	else if (strcmp(text, "any") == 0)
		*purpose = MTLS_PURPOSE_ANY;
	else
		return -1;
	return 0;
}

enum {
	OPT_CONFIG = 256, OPT_PROFILE, OPT_CA, OPT_UNTRUSTED, OPT_CRL,
	OPT_CRL_INDEX, OPT_OCSP, OPT_NO_OCSP, OPT_AT, OPT_PURPOSE, OPT_USER,
	OPT_JSON
};

static const struct option verify_options[] = {
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "ca", required_argument, NULL, OPT_CA },
	{ "untrusted", required_argument, NULL, OPT_UNTRUSTED },
	{ "crl", required_argument, NULL, OPT_CRL },
	{ "crl-index", required_argument, NULL, OPT_CRL_INDEX },
	{ "ocsp", no_argument, NULL, OPT_OCSP },
	{ "no-ocsp", no_argument, NULL, OPT_NO_OCSP },
	{ "at", required_argument, NULL, OPT_AT },
	{ "purpose", required_argument, NULL, OPT_PURPOSE },
	{ "user", required_argument, NULL, OPT_USER },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/*
 * Fill o from the command line.  Returns -1 when the command is done
 * (--help shown, *status set to 0) or wrong (*status 2).
 */
static int
verify_parse(int argc, char *argv[], struct verify_opts *o, int *status)
{
	int c, ret;

	/* Each list can hold at most every argument. */
	o->ca.paths = calloc((size_t)argc, sizeof(char *));
	o->untrusted.paths = calloc((size_t)argc, sizeof(char *));
	o->crl.paths = calloc((size_t)argc, sizeof(char *));
	if (o->ca.paths == NULL || o->untrusted.paths == NULL ||
	    o->crl.paths == NULL) {
		warnx("out of memory");
		*status = MTLS_EXIT_TROUBLE;
		return -1;
	}
	*status = MTLS_EXIT_TROUBLE;
	optind = 2;	/* after "mtls verify" */
	while ((c = getopt_long(argc, argv, "h", verify_options, NULL)) != -1) {
		switch (c) {
		case OPT_CONFIG:
			o->config_file = optarg;
			break;
		case OPT_PROFILE:
			o->profile = optarg;
			break;
		case OPT_CA:
			o->ca.paths[o->ca.count++] = optarg;
			break;
		case OPT_UNTRUSTED:
			o->untrusted.paths[o->untrusted.count++] = optarg;
			break;
		case OPT_CRL:
			o->crl.paths[o->crl.count++] = optarg;
			break;
		case OPT_CRL_INDEX:
			o->crl_index = optarg;
			break;
		case OPT_OCSP:
		case OPT_NO_OCSP:
			if (o->ocsp != 0) {
				*status = usage_error("verify", "give --ocsp or "
				    "--no-ocsp, once");
				return -1;
			}
			o->ocsp = c == OPT_OCSP ? 1 : -1;
			break;
		case OPT_AT:
			ret = timearg_parse(optarg, &o->at);
			if (ret == TIMEARG_AMBIGUOUS) {
				*status = usage_error("verify", "--at '%s' "
				    "reads as a date and as Unix seconds; write "
				    "the date with dashes (YYYY-MM-DD), or the "
				    "seconds as @%s", optarg, optarg);
				return -1;
			}
			if (ret != 0) {
				*status = usage_error("verify", "--at '%s' is "
				    "not a time; give " TIMEARG_FORMS, optarg);
				return -1;
			}
			o->has_time = true;
			break;
		case OPT_PURPOSE:
			if (parse_purpose(optarg, &o->purpose) != 0) {
				*status = usage_error("verify", "--purpose "
				    "'%s': give client, server or any", optarg);
				return -1;
			}
			o->has_purpose = true;
			break;
		case OPT_USER:
			o->user = optarg;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case 'h':
			verify_usage(stdout);
			*status = MTLS_EXIT_ACCEPTED;
			return -1;
		default:
			/* getopt_long has said what is wrong. */
			fputs("Try 'mtls verify --help'.\n", stderr);
			return -1;
		}
	}
	if (optind == argc) {
		*status = usage_error("verify", "no certificate given; name "
		    "a file, or - for standard input");
		return -1;
	}
	if (argc - optind > 1) {
		*status = usage_error("verify", "one certificate at a time: "
		    "'%s' is one too many", argv[optind + 1]);
		return -1;
	}
	o->cert = argv[optind];
	if (o->profile != NULL && o->config_file == NULL && o->ca.count > 0) {
		*status = usage_error("verify", "--profile needs a "
		    "configuration: give --config FILE (with --ca alone, no "
		    "configuration file is read)");
		return -1;
	}
	return 0;
}

/*
 * The configuration for this run: the file (unless --ca alone says to use
 * the built-in defaults), then the command line on top of it.
 */
static struct mtls_config *
verify_config(const struct verify_opts *o)
{
	struct mtls_config *cfg;
	const char *file = o->config_file;

	if ((cfg = mtls_config_new()) == NULL) {
		warnx("out of memory");
		return NULL;
	}
	if (file == NULL && o->ca.count == 0)
		file = MTLS_CONFIG_FILE;
	if (file != NULL && mtls_config_load_file(cfg, file, o->profile) != 0) {
		warnx("%s", mtls_config_error(cfg));
		if (o->config_file == NULL)
			warnx("without --config or --ca, %s is read; give "
			    "--config FILE or --ca FILE", file);
		goto fail;
	}
	for (size_t i = 0; i < o->ca.count; i++)
		if (mtls_config_add_ca_file(cfg, o->ca.paths[i]) != 0)
			goto config_error;
	for (size_t i = 0; i < o->crl.count; i++)
		if (mtls_config_add_crl_file(cfg, o->crl.paths[i]) != 0)
			goto config_error;
	/*
	 * --crl and --crl-index turn CRL checking on for this run, against
	 * exactly what they name: the files given are read as they are, not
	 * the index a "mtls crl update" may have published.
	 */
	if ((o->crl.count > 0 || o->crl_index != NULL) &&
	    (mtls_config_set_revocation_method(cfg, "crl", 1) != 0 ||
	    mtls_config_set_crl_index(cfg, o->crl_index) != 0))
		goto config_error;
	if (o->ocsp != 0 &&
	    mtls_config_set_revocation_method(cfg, "ocsp", o->ocsp > 0) != 0)
		goto config_error;
	if (o->has_purpose && mtls_config_set_purpose(cfg, o->purpose) != 0)
		goto config_error;
	return cfg;

config_error:
	warnx("%s", mtls_config_error(cfg));
fail:
	mtls_config_free(cfg);
	return NULL;
}

static int
add_file(struct mtls_request *req, const char *path, bool is_cert)
{
	unsigned char *data;
	size_t len;
	char err[512];
	int ret;

	if (input_read(path, &data, &len, err, sizeof(err)) != 0) {
		warnx("%s", err);
		return -1;
	}
	if (is_cert)
		ret = mtls_request_set_cert(req, data, len);
	else
		ret = mtls_request_add_untrusted(req, data, len);
	free(data);
	if (ret != 0)
		warnx("%s: out of memory", path);
	return ret;
}

static struct mtls_request *
verify_request(const struct verify_opts *o)
{
	struct mtls_request *req;

	if ((req = mtls_request_new()) == NULL) {
		warnx("out of memory");
		return NULL;
	}
	if (add_file(req, o->cert, true) != 0)
		goto fail;
	for (size_t i = 0; i < o->untrusted.count; i++)
		if (add_file(req, o->untrusted.paths[i], false) != 0)
			goto fail;
	if (o->user != NULL && mtls_request_set_user(req, o->user) != 0) {
		warnx("out of memory");
		goto fail;
	}
	if (o->has_time)
		mtls_request_set_time(req, o->at);
	return req;

fail:
	mtls_request_free(req);
	return NULL;
}

/*
 * A time as RFC 3339 UTC ("2026-01-05T03:12:01Z"), which JSON tools
 * parse (jq's fromdate), or null when unknown.
 */
static void
json_member_time(struct json *j, const char *key, time_t t)
{
	char text[32];
	struct tm tm;

	if (t == (time_t)-1 || gmtime_r(&t, &tm) == NULL ||
	    strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		json_member_null(j, key);
	else
		json_member_string(j, key, text);
}

static void
print_json(const struct verify_opts *o, const struct mtls_verdict *v)
{
	struct json j;
	size_t n = mtls_verdict_chain_length(v);
	int depth = mtls_verdict_failed_depth(v);

	json_init(&j, stdout);
	json_object_begin(&j);
	json_member_string(&j, "verdict",
	    mtls_verdict_accepted(v) ? "accepted" : "rejected");
	json_member_string(&j, "reason",
	    mtls_reason_name(mtls_verdict_reason(v)));
	json_member_string(&j, "explanation", mtls_verdict_explanation(v));
	/* "note", the first of them, as before "notes" */
	json_member_string(&j, "note", mtls_verdict_note(v));
	json_member_array_begin(&j, "notes");
	for (size_t i = 0; i < mtls_verdict_note_count(v); i++)
		json_array_string(&j, mtls_verdict_note_at(v, i));
	json_array_end(&j);
	json_member_string(&j, "subject", mtls_verdict_subject(v));
	json_member_string(&j, "issuer", mtls_verdict_issuer(v));
	json_member_string(&j, "serial", mtls_verdict_serial(v));
	json_member_string(&j, "fingerprint", mtls_verdict_fingerprint(v));
	json_member_string(&j, "user", mtls_verdict_user(v));
	json_member_string(&j, "user_message", mtls_verdict_user_message(v));
	json_member_time(&j, "not_before", mtls_verdict_not_before(v));
	json_member_time(&j, "not_after", mtls_verdict_not_after(v));
	json_member_string(&j, "email", mtls_verdict_email(v));
	json_member_string(&j, "upn", mtls_verdict_upn(v));
	json_member_string(&j, "policy", mtls_verdict_policy(v));
	json_member_string(&j, "revocation_source",
	    mtls_revocation_source_name(mtls_verdict_revocation_source(v)));
	json_member_bool(&j, "network_owed", mtls_verdict_network_owed(v));
	if (depth >= 0)
		json_member_int(&j, "failed_depth", depth);
	else
		json_member_null(&j, "failed_depth");
	json_member_array_begin(&j, "chain");
	for (size_t i = 0; i < n; i++)
		json_array_string(&j, mtls_verdict_chain_subject(v, i));
	json_array_end(&j);
	json_member_string(&j, "profile", o->profile);
	json_object_end(&j);
}

static int
verify_run(const struct verify_opts *o)
{
	struct mtls_config *cfg;
	struct mtls_ctx *ctx = NULL;
	struct mtls_request *req = NULL;
	struct mtls_verdict *v = NULL;
	int status = MTLS_EXIT_TROUBLE;

	if ((cfg = verify_config(o)) == NULL)
		return MTLS_EXIT_TROUBLE;
	if ((ctx = mtls_ctx_new()) == NULL) {
		warnx("out of memory");
		goto out;
	}
	mtls_ctx_set_one_shot(ctx, 1);
	if (mtls_ctx_configure(ctx, cfg) != 0) {
		warnx("%s", mtls_ctx_error(ctx));
		goto out;
	}
	if ((req = verify_request(o)) == NULL)
		goto out;
	if ((v = mtls_verify(ctx, req)) == NULL) {
		/* Nothing was decided, so nothing is accepted. */
		warnx("out of memory while verifying %s: not accepted",
		    o->cert);
		status = MTLS_EXIT_REJECTED;
		goto out;
	}
	if (o->json)
		print_json(o, v);
	else
		verdict_print_text(stdout, v);
	status = mtls_verdict_accepted(v) ? MTLS_EXIT_ACCEPTED :
	    MTLS_EXIT_REJECTED;
out:
	mtls_verdict_free(v);
	mtls_request_free(req);
	mtls_ctx_free(ctx);
	mtls_config_free(cfg);
	return status;
}

int
verify_command(int argc, char *argv[])
{
	struct verify_opts o;
	int status;

	memset(&o, 0, sizeof(o));
	if (verify_parse(argc, argv, &o, &status) == 0)
		status = verify_run(&o);
	free(o.ca.paths);
	free(o.untrusted.paths);
	free(o.crl.paths);
	return status;
}
