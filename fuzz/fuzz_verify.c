/*
 * fuzz_verify - what a client sends, through mtls_verify().
 *
 * The input is the client certificate input (mtls_request_set_cert()),
 * then, after each UNTRUSTED_MARKER, one more untrusted input
 * (mtls_request_add_untrusted()).  The verifier trusts the fuzz PKI's
 * root, checks CRLs over the whole chain (the intermediate's CRL is
 * verified against the path, as the client must send the intermediate)
 * and maps users by DN through a map file, for the intermediate only.
 *
 * The only certificate that may ever be accepted is alice's: she is the
 * one client of that PKI who is neither revoked (bob) nor unmapped
 * (carol), and nobody without the PKI's keys can make another.  An
 * accept of anything else, a rejection without a reason, or a user name
 * on a rejection aborts; so does a text of the verdict that is not one
 * safe line (oneline.h).
 */
#define _GNU_SOURCE		/* memmem() */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certname.h"
#include "fuzzer.h"
#include "fuzzpki.h"
#include "mtls.h"
#include "oneline.h"
#include "testpki.h"

#define UNTRUSTED_MARKER "@@untrusted@@"

static struct mtls_ctx *ctx;
static char *alice_fingerprint;
static time_t now;

static void
configure(void)
{
	struct mtls_config *config = mtls_config_new();
	char text[8192];

	if (config == NULL || (ctx = mtls_ctx_new()) == NULL)
		abort();
	/* carol, valid and not revoked, is left unmapped */
	snprintf(text, sizeof(text), "CN=alice alice\nCN=bob bob\n");
	tpki_write_data(tpki_path("users.map"), text, strlen(text));
	snprintf(text, sizeof(text),
	    "ca_file = \"%s\";\n"
	    "audit = false;\n"
	    "revocation = {\n"
	    "  mode = \"crl\";\n"
	    "  crl_files = [\"%s\", \"%s\"];\n"
	    "  crl_require = \"chain\";\n"
	    "};\n"
	    "identity = {\n"
	    "  map = \"dn\";\n"
	    "  map_file = \"%s\";\n"
	    "  issuers = [\"CN=Test Intermediate\"];\n"
	    "};\n", fuzzpki_path("root.pem"), fuzzpki_path("int.crl"),
	    fuzzpki_path("root.crl"), tpki_path("users.map"));
	tpki_write_data(tpki_path("mtls.conf"), text, strlen(text));
	if (mtls_config_load_file(config, tpki_path("mtls.conf"), NULL) != 0 ||
	    mtls_ctx_configure(ctx, config) != 0) {
		fprintf(stderr, "fuzz_verify: %s\n",
		    mtls_config_error(config) != NULL ?
		    mtls_config_error(config) : mtls_ctx_error(ctx));
		abort();
	}
	mtls_config_free(config);
}

/* A crash with what went wrong, so the reproducer explains itself. */
static void
violated(const char *what, const struct mtls_verdict *v)
{
	fprintf(stderr, "fuzz_verify: %s: %s (%s) subject %s\n", what,
	    mtls_reason_name(mtls_verdict_reason(v)),
	    mtls_verdict_explanation(v), mtls_verdict_subject(v));
	abort();
}

/* Every text of the verdict, read whole, so ASan sees a bad one too. */
static void
check_texts(const struct mtls_verdict *v)
{
	const char *const optional[][2] = {
		{ "fuzz_verify: note", mtls_verdict_note(v) },
		{ "fuzz_verify: subject", mtls_verdict_subject(v) },
		{ "fuzz_verify: issuer", mtls_verdict_issuer(v) },
		{ "fuzz_verify: serial", mtls_verdict_serial(v) },
		{ "fuzz_verify: fingerprint", mtls_verdict_fingerprint(v) },
		{ "fuzz_verify: user", mtls_verdict_user(v) },
	};

	check_one_line("fuzz_verify: explanation",
	    mtls_verdict_explanation(v));
	for (size_t i = 0; i < sizeof(optional) / sizeof(optional[0]); i++)
		if (optional[i][1] != NULL)
			check_one_line(optional[i][0], optional[i][1]);
	for (size_t i = 0; i < mtls_verdict_chain_length(v); i++)
		check_one_line("fuzz_verify: a name in the path",
		    mtls_verdict_chain_subject(v, i));
}

static void
check_verdict(const struct mtls_verdict *v)
{
	const char *fingerprint = mtls_verdict_fingerprint(v);
	const char *user = mtls_verdict_user(v);

	check_texts(v);
	if (mtls_verdict_accepted(v)) {
		if (mtls_verdict_reason(v) != MTLS_R_OK)
			violated("accepted with a reason", v);
		if (fingerprint == NULL ||
		    strcmp(fingerprint, alice_fingerprint) != 0)
			violated("accepted a certificate that is not alice's",
			    v);
		if (user == NULL || strcmp(user, "alice") != 0)
			violated("accepted alice as someone else", v);
		return;
	}
	if (mtls_verdict_reason(v) == MTLS_R_OK ||
	    mtls_verdict_reason(v) >= MTLS_R_COUNT)
		violated("rejected without a reason", v);
	if (user != NULL)
		violated("rejected with a user name", v);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct fuzzpki *pki = fuzzpki_load();

	(void)argc;
	(void)argv;
	configure();
	alice_fingerprint = certname_fingerprint_alloc(pki->alice);
	if (alice_fingerprint == NULL)
		abort();
	now = time(NULL);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const size_t mlen = sizeof(UNTRUSTED_MARKER) - 1;
	struct mtls_request *req = mtls_request_new();
	struct mtls_verdict *v;
	const uint8_t *end = data + size;
	bool first = true;

	if (req == NULL)
		abort();
	mtls_request_set_time(req, now);
	for (const uint8_t *part = data; part != NULL;) {
		const uint8_t *marker = memmem(part, (size_t)(end - part),
		    UNTRUSTED_MARKER, mlen);
		size_t len = (size_t)((marker != NULL ? marker : end) - part);

		if (first)
			mtls_request_set_cert(req, part, len);
		else
			mtls_request_add_untrusted(req, part, len);
		first = false;
		part = marker != NULL ? marker + mlen : NULL;
	}
	v = mtls_verify(ctx, req);
	/* NULL: memory ran out, which rejects */
	if (v != NULL)
		check_verdict(v);
	mtls_verdict_free(v);
	mtls_request_free(req);
	return 0;
}
