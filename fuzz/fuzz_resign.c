/*
 * fuzz_resign - a mutated client certificate, signed again with the test
 * keys, through mtls_verify().
 *
 * A mutation of a signed certificate fails its signature check, so the
 * other fuzzers barely reach what comes after it: the RFC 5280 rules,
 * policy, name constraints and name mapping.  Here the input is a
 * certificate (DER) that GnuTLS parses, whatever it holds; the harness
 * signs it again with the key of one of two intermediates of the fuzz
 * PKI's root (one with name constraints), and verifies it under one
 * identity.map rule.  The first byte of the input chooses the
 * intermediate (bit 0) and the rule (bits 1-3); the rest is the DER.
 *
 * Invariants: a verdict always has a reason and one safe line of
 * explanation (oneline.h); a rejection carries no user; an acceptance
 * carries a user that is well-formed UTF-8 without control characters,
 * and under the cn rule one that is the certificate's one and only
 * commonName.  A violation aborts.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>
#include <gnutls/x509.h>

#include "fuzzer.h"
#include "fuzzpki.h"
#include "mtls.h"
#include "oneline.h"
#include "testpki.h"
#include "utf8.h"

#define CONSTRAINED 0x1

static const char *const rules[] = { "cn", "email", "upn", "uid", "dn" };
#define NRULES (sizeof(rules) / sizeof(rules[0]))

/* [constrained][rule] */
static struct mtls_ctx *ctx[2][NRULES];
static gnutls_x509_crt_t issuer[2];
static gnutls_x509_privkey_t issuer_key[2];

/* An intermediate under the fuzz PKI's root, written as name.pem. */
static void
make_intermediate(int which, const char *dn, const char *name)
{
	const struct fuzzpki *pki = fuzzpki_load();
	gnutls_x509_crt_t ca;

	issuer_key[which] = tpki_key_ec();
	ca = tpki_new(dn, issuer_key[which], 0);
	tpki_make_ca(ca, 0);
	if (which == CONSTRAINED) {
		gnutls_x509_name_constraints_t nc;
		gnutls_datum_t dns = { (unsigned char *)"example.com", 11 };
		gnutls_datum_t mail = { (unsigned char *)"example.com", 11 };
		gnutls_datum_t bad = { (unsigned char *)"evil.example.com",
		    16 };

		if (gnutls_x509_name_constraints_init(&nc) < 0 ||
		    gnutls_x509_name_constraints_add_permitted(nc,
		    GNUTLS_SAN_DNSNAME, &dns) < 0 ||
		    gnutls_x509_name_constraints_add_permitted(nc,
		    GNUTLS_SAN_RFC822NAME, &mail) < 0 ||
		    gnutls_x509_name_constraints_add_excluded(nc,
		    GNUTLS_SAN_DNSNAME, &bad) < 0 ||
		    gnutls_x509_crt_set_name_constraints(ca, nc, 1) < 0)
			abort();
		gnutls_x509_name_constraints_deinit(nc);
	}
	tpki_sign(ca, pki->root, pki->root_key, GNUTLS_DIG_SHA256);
	tpki_write(tpki_path(name), &ca, 1);
	issuer[which] = ca;
}

static void
configure(int which, size_t rule)
{
	struct mtls_config *config = mtls_config_new();
	char text[4096];

	if (config == NULL || (ctx[which][rule] = mtls_ctx_new()) == NULL)
		abort();
	snprintf(text, sizeof(text),
	    "ca_file = \"%s\";\n"
	    "intermediates_file = [\"%s\", \"%s\"];\n"
	    "audit = false;\n"
	    "policy = { purpose = \"any\"; };\n"
	    "identity = { map = \"%s\"; map_file = \"%s\"; };\n",
	    fuzzpki_path("root.pem"), tpki_path("open.pem"),
	    tpki_path("constrained.pem"), rules[rule],
	    tpki_path("users.map"));
	tpki_write_data(tpki_path("resign.conf"), text, strlen(text));
	if (mtls_config_load_file(config, tpki_path("resign.conf"), NULL) !=
	    0 || mtls_ctx_configure(ctx[which][rule], config) != 0) {
		fprintf(stderr, "fuzz_resign: %s\n",
		    mtls_config_error(config) != NULL ?
		    mtls_config_error(config) :
		    mtls_ctx_error(ctx[which][rule]));
		abort();
	}
	mtls_config_free(config);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char users[] = "CN=alice alice\n"
	    "CN=alice,O=Example alice\nCN=bob bob\n";

	(void)argc;
	(void)argv;
	make_intermediate(0, "CN=Open CA", "open.pem");
	make_intermediate(CONSTRAINED, "CN=Constrained CA",
	    "constrained.pem");
	tpki_write_data(tpki_path("users.map"), users, sizeof(users) - 1);
	for (int which = 0; which < 2; which++)
		for (size_t rule = 0; rule < NRULES; rule++)
			configure(which, rule);
	return 0;
}

static void
violated(const char *what, const struct mtls_verdict *v)
{
	fprintf(stderr, "fuzz_resign: %s: %s (%s) user %s\n", what,
	    mtls_reason_name(mtls_verdict_reason(v)),
	    mtls_verdict_explanation(v) != NULL ?
	    mtls_verdict_explanation(v) : "no explanation",
	    mtls_verdict_user(v) != NULL ? mtls_verdict_user(v) : "none");
	abort();
}

static bool
clean_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0)
		return false;
	for (size_t i = 0, n; i < len; i += n) {
		unsigned long c;

		if ((n = utf8_decode((const unsigned char *)name + i, len - i,
		    &c)) == 0 || utf8_is_control(c))
			return false;
	}
	return true;
}

/* Under the cn rule, there is one commonName, which the user is. */
static bool
the_one_cn(gnutls_x509_crt_t crt, const char *user)
{
	unsigned char cn[1024];
	size_t len = sizeof(cn);

	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 1,
	    1, cn, &len) != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return false;
	/* raw: the DER of the value, whose contents end it */
	len = sizeof(cn);
	return gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME,
	    0, 1, cn, &len) == 0 && len >= strlen(user) &&
	    memcmp(cn + len - strlen(user), user, strlen(user)) == 0;
}

static void
judge(const struct mtls_verdict *v, gnutls_x509_crt_t crt, size_t rule)
{
	const char *user = mtls_verdict_user(v);

	check_one_line("fuzz_resign: explanation",
	    mtls_verdict_explanation(v));
	if (!mtls_verdict_accepted(v)) {
		if (mtls_verdict_reason(v) == MTLS_R_OK)
			violated("rejected without a reason", v);
		if (user != NULL)
			violated("a rejection names a user", v);
		return;
	}
	if (user == NULL || !clean_name(user))
		violated("accepted with no clean user name", v);
	if (strcmp(rules[rule], "cn") == 0 && !the_one_cn(crt, user))
		violated("the user is not the one commonName", v);
}

/*
 * Signed by issuer[which], its key named as the authority's (v3): the
 * authorityKeyIdentifier the input may hold is replaced.
 */
static int
resign(gnutls_x509_crt_t crt, int which)
{
	gnutls_datum_t id = { NULL, 0 }, der = { NULL, 0 };
	gnutls_x509_aki_t aki;
	unsigned char ski[64];
	size_t skilen = sizeof(ski);
	unsigned critical;
	int ret = 0;

	if (gnutls_x509_crt_get_version(crt) >= 3) {
		if (gnutls_x509_aki_init(&aki) < 0)
			abort();
		id.data = ski;
		if (gnutls_x509_crt_get_subject_key_id(issuer[which], ski,
		    &skilen, &critical) < 0)
			abort();
		id.size = (unsigned)skilen;
		if (gnutls_x509_aki_set_id(aki, &id) < 0 ||
		    gnutls_x509_ext_export_authority_key_id(aki, &der) < 0)
			abort();
		gnutls_x509_aki_deinit(aki);
		ret = gnutls_x509_crt_set_extension_by_oid(crt, "2.5.29.35",
		    der.data, der.size, 0);
		gnutls_free(der.data);
	}
	if (ret < 0)
		return ret;
	return gnutls_x509_crt_sign2(crt, issuer[which], issuer_key[which],
	    GNUTLS_DIG_SHA256, 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gnutls_datum_t in, out = { NULL, 0 };
	gnutls_x509_crt_t crt;
	struct mtls_request *req;
	struct mtls_verdict *v;
	int which;
	size_t rule;

	if (size < 2)
		return 0;
	which = data[0] & CONSTRAINED;
	rule = (size_t)(data[0] >> 1) % NRULES;
	in.data = (unsigned char *)data + 1;
	in.size = (unsigned)(size - 1);
	if (gnutls_x509_crt_init(&crt) < 0)
		abort();
	if (gnutls_x509_crt_import(crt, &in, GNUTLS_X509_FMT_DER) < 0 ||
	    resign(crt, which) < 0 ||
	    gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &out) < 0) {
		gnutls_x509_crt_deinit(crt);
		return 0;
	}
	if ((req = mtls_request_new()) == NULL ||
	    mtls_request_set_cert(req, out.data, out.size) != 0)
		abort();
	if ((v = mtls_verify(ctx[which][rule], req)) == NULL)
		abort();
	judge(v, crt, rule);
	mtls_verdict_free(v);
	mtls_request_free(req);
	gnutls_free(out.data);
	gnutls_x509_crt_deinit(crt);
	return 0;
}
