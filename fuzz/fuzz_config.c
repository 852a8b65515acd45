/*
 * fuzz_config - an mtls.conf(5) file.
 *
 * The file sits in a directory holding copies of the fuzz PKI's files and
 * a map file, so that the relative paths of the seeds resolve.  It is
 * loaded with the top-level settings (mtls_config_load_file()), described
 * (mtls_config_describe()), configured into a verifier that is asked
 * about alice (mtls_ctx_configure(), mtls_verify()), and loaded again
 * with each profile it lists and with a profile it cannot have.
 *
 * Loading checks every profile whichever one is chosen: so a file that
 * loads must load with each of its profiles.  A failure must leave one
 * safe line of error (oneline.h), and a description lines for a
 * terminal.  Anything else aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "fuzzer.h"
#include "fuzzpki.h"
#include "mtls.h"
#include "oneline.h"
#include "testpki.h"

/* No profile can be called this: libconfig names start with a letter. */
#define NO_PROFILE "0none"

static const char *const pki_files[] = {
	"root.pem", "int.pem", "alice.pem", "responder.pem", "int.crl",
	"root.crl",
};

static char *path;
static unsigned char *alice_chain;
static size_t alice_chain_len;
static time_t now;

static void
copy_in(const char *name)
{
	gnutls_datum_t data;

	if (gnutls_load_file(fuzzpki_path(name), &data) < 0)
		abort();
	tpki_write_data(tpki_path(name), data.data, data.size);
	gnutls_free(data.data);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct fuzzpki *pki = fuzzpki_load();
	static const char map[] = "CN=alice alice\n";
	gnutls_x509_crt_t chain[2] = { pki->alice, pki->intermediate };
	gnutls_datum_t pem;

	(void)argc;
	(void)argv;
	for (size_t i = 0; i < sizeof(pki_files) / sizeof(pki_files[0]); i++)
		copy_in(pki_files[i]);
	tpki_write_data(tpki_path("users.map"), map, sizeof(map) - 1);
	tpki_write(tpki_path("alice-chain.pem"), chain, 2);
	if (gnutls_load_file(tpki_path("alice-chain.pem"), &pem) < 0)
		abort();
	alice_chain = pem.data;
	alice_chain_len = pem.size;
	path = strdup(tpki_path("mtls.conf"));
	if (path == NULL)
		abort();
	now = time(NULL);
	return 0;
}

static void
check_error(const struct mtls_config *config)
{
	check_one_line("fuzz_config: error", mtls_config_error(config));
}

/* Lines for a terminal, each one safe line. */
static void
describe(const struct mtls_config *config)
{
	char *text = NULL, *line, *next;

	/* fails only when memory runs out */
	if (mtls_config_describe(config, &text) != 0)
		return;
	for (line = strtok_r(text, "\n", &next); line != NULL;
	    line = strtok_r(NULL, "\n", &next))
		check_one_line("fuzz_config: description", line);
	free(text);
}

/* What a door does with the configuration. */
static void
use(struct mtls_config *config)
{
	struct mtls_ctx *ctx = mtls_ctx_new();
	struct mtls_request *req = mtls_request_new();

	if (ctx == NULL || req == NULL)
		abort();
	mtls_config_set_audit(config, 0);
	if (mtls_ctx_configure(ctx, config) == 0) {
		mtls_request_set_cert(req, alice_chain, alice_chain_len);
		mtls_request_set_time(req, now);
		mtls_verdict_free(mtls_verify(ctx, req));
	} else
		check_one_line("fuzz_config: verifier error",
		    mtls_ctx_error(ctx));
	mtls_request_free(req);
	mtls_ctx_free(ctx);
}

static void
load_profiles(const struct mtls_config *top)
{
	for (size_t i = 0; i < mtls_config_profile_count(top); i++) {
		const char *name = mtls_config_profile_name(top, i);
		struct mtls_config *config = mtls_config_new();

		if (config == NULL)
			abort();
		if (mtls_config_load_file(config, path, name) != 0) {
			fprintf(stderr, "fuzz_config: the file loads, but not "
			    "with its profile %s: %s\n", name,
			    mtls_config_error(config));
			abort();
		}
		describe(config);
		mtls_config_free(config);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mtls_config *config = mtls_config_new();

	if (config == NULL)
		abort();
	tpki_write_data(path, data, size);
	if (mtls_config_load_file(config, path, NULL) == 0) {
		describe(config);
		use(config);
		load_profiles(config);
	} else
		check_error(config);
	if (mtls_config_load_file(config, path, NO_PROFILE) == 0) {
		fprintf(stderr, "fuzz_config: loaded a profile the file cannot "
		    "have\n");
		abort();
	}
	check_error(config);
	mtls_config_free(config);
	return 0;
}
