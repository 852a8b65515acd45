/*
 * config_describe.c - what a configuration will do, in plain words.
 *
 * "mtls config check" prints this so an administrator can read what a
 * profile accepts before a door uses it.  Every sentence names the key
 * that changes it, so the text doubles as a pointer into mtls.conf(5).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const purpose_text[] = {
	[MTLS_PURPOSE_CLIENT] = "TLS client authentication: a certificate "
	    "with an extended key usage must list clientAuth",
	[MTLS_PURPOSE_SERVER] = "TLS server authentication: a certificate "
	    "with an extended key usage must list serverAuth",
	[MTLS_PURPOSE_ANY] = "none checked: any extended key usage is "
	    "accepted",
};

static const char *const crl_require_text[] = {
	[MTLS_CRL_REQUIRE_LEAF] = "a CRL must cover the client certificate; "
	    "its CAs are checked where a CRL covers them",
	[MTLS_CRL_REQUIRE_CHAIN] = "a CRL must cover every certificate below "
	    "the trust anchor",
	[MTLS_CRL_REQUIRE_NONE] = "certificates a CRL covers are checked; "
	    "none needs to be covered",
};

static const char *const map_text[MTLS_MAP_RULES] = {
	[MTLS_MAP_CN] = "the subject commonName (CN)",
	[MTLS_MAP_EMAIL] = "the e-mail address in the subjectAltName "
	    "(rfc822Name)",
	[MTLS_MAP_UPN] = "the Microsoft UPN in the subjectAltName (otherName)",
	[MTLS_MAP_UID] = "the subject userID (UID)",
	[MTLS_MAP_DN] = "the subject DN, looked up in the map file",
	[MTLS_MAP_FINGERPRINT] = "the SHA-256 fingerprint, looked up in the "
	    "map file",
};

static void
list(FILE *f, const char *label, const struct strlist *items)
{
	for (size_t i = 0; i < items->count; i++)
		fprintf(f, "  %s: %s\n", label, items->items[i]);
}

static void
describe_trust(FILE *f, const struct mtls_config *c)
{
	fprintf(f, "Trust anchors (ca_file, ca_dir):\n");
	list(f, "CA file", &c->ca_files);
	if (c->ca_dir != NULL)
		fprintf(f, "  CA directory: %s\n", c->ca_dir);
	if (c->ca_files.count == 0 && c->ca_dir == NULL)
		fprintf(f, "  none: no certificate can be accepted until "
		    "ca_file or ca_dir is set\n");
	fprintf(f, "Intermediates (intermediates_file):\n");
	list(f, "file", &c->intermediates_files);
	if (c->intermediates_files.count == 0)
		fprintf(f, "  none configured: only those the client "
		    "sends\n");
}

/* RFC 5280 6.1.1's initial policy inputs, as the profile sets them. */
static void
describe_cert_policies(FILE *f, const struct mtls_policy *p)
{
	bool explicit = p->require_explicit_policy ||
	    p->nacceptable_policies > 0;

	if (p->nacceptable_policies == 0)
		fprintf(f, "  certificate policies: any is acceptable "
		    "(acceptable_policies)\n");
	for (size_t i = 0; i < p->nacceptable_policies; i++)
		fprintf(f, "  acceptable certificate policy "
		    "(acceptable_policies): %s\n", p->acceptable_policies[i]);
	fprintf(f, "  a policy valid for the whole path is %s "
	    "(require_explicit_policy = %s%s)\n", explicit ? "required" :
	    "required only where a CA's policyConstraints say so",
	    p->require_explicit_policy ? "true" : "false",
	    !p->require_explicit_policy && explicit ?
	    "; required by acceptable_policies" : "");
	fprintf(f, "  policy mappings of CAs are %s "
	    "(inhibit_policy_mapping = %s)\n", p->inhibit_policy_mapping ?
	    "not honoured" : "honoured unless a CA inhibits them",
	    p->inhibit_policy_mapping ? "true" : "false");
	fprintf(f, "  anyPolicy in a certificate %s "
	    "(inhibit_any_policy = %s)\n", p->inhibit_any_policy ?
	    "is not honoured" : "stands for every policy unless a CA "
	    "inhibits it", p->inhibit_any_policy ? "true" : "false");
}

static void
describe_policy(FILE *f, const struct mtls_policy *p)
{
	fprintf(f, "Policy:\n"
	    "  purpose: %s\n"
	    "  a client certificate without extended key usage is %s "
	    "(require_eku = %s)\n"
	    "  an X.509 v1 client certificate is %s (require_v3 = %s)\n"
	    "  keys of at least %u bits for RSA (min_rsa_bits) and %u bits "
	    "for EC (min_ec_bits)\n"
	    "  SHA-1 signatures are %s (allow_sha1 = %s); MD5 ones always "
	    "rejected\n"
	    "  at most %u CA certificates above the client certificate, the "
	    "trust anchor included (max_depth)\n"
	    "  validity times are checked with %u seconds of clock skew "
	    "tolerated (clock_skew)\n",
	    purpose_text[p->purpose],
	    p->require_eku ? "rejected" : "accepted",
	    p->require_eku ? "true" : "false",
	    p->require_v3 ? "rejected" : "accepted, with a note",
	    p->require_v3 ? "true" : "false",
	    p->min_rsa_bits, p->min_ec_bits,
	    p->allow_sha1 ? "accepted" : "rejected",
	    p->allow_sha1 ? "true" : "false",
	    p->max_depth, p->clock_skew);
	describe_cert_policies(f, p);
}

static void
describe_crl(FILE *f, const struct mtls_revocation *r)
{
	fprintf(f, "  CRL:\n");
	list(f, "  CRL file (crl_files)", &r->crl_files);
	list(f, "  CRL URL fetched by \"mtls crl update\" (crl_urls)",
	    &r->crl_urls);
	fprintf(f, "    the CAs' CRL distribution points are %s "
	    "(crl_fetch)\n", r->crl_fetch ? "fetched too" : "not fetched");
	fprintf(f, "    %s (crl_require)\n", crl_require_text[r->crl_require]);
	if (r->stale_grace == 0)
		fprintf(f, "    a CRL past its nextUpdate is stale and rejects "
		    "(stale_grace = 0)\n");
	else
		fprintf(f, "    a CRL is still used %u seconds past its "
		    "nextUpdate, then rejects as stale (stale_grace)\n",
		    r->stale_grace);
}

static void
describe_ocsp(FILE *f, const struct mtls_revocation *r)
{
	fprintf(f, "  OCSP:\n");
	if (r->ocsp_url != NULL)
		fprintf(f, "    responder (ocsp_url): %s, for every "
		    "certificate\n", r->ocsp_url);
	else
		fprintf(f, "    responder: the one each certificate names in "
		    "its authority information access (no ocsp_url)\n");
	fprintf(f, "    each exchange times out after %u ms "
	    "(ocsp_timeout_ms)\n", r->ocsp_timeout_ms);
	fprintf(f, "    requests carry %s (ocsp_nonce)\n",
	    r->ocsp_nonce ? "a nonce" : "no nonce");
	fprintf(f, "    responses are cached up to their nextUpdate, %u "
	    "seconds at most (ocsp_max_age)\n", r->ocsp_max_age);
	fprintf(f, "    without a definitive answer the certificate is %s "
	    "(ocsp_soft_fail = %s)\n", r->ocsp_soft_fail ?
	    "not rejected for that: soft fail" : "rejected: hard fail",
	    r->ocsp_soft_fail ? "true" : "false");
}

static void
describe_revocation(FILE *f, const struct mtls_revocation *r)
{
	if (r->nmethods == 0) {
		fprintf(f, "Revocation: not checked (mode = \"none\")\n");
		return;
	}
	fprintf(f, "Revocation (mode): ");
	for (size_t i = 0; i < r->nmethods; i++)
		fprintf(f, "%s%s", i > 0 ? ", then " : "",
		    r->methods[i] == MTLS_REV_CRL ? "CRL" : "OCSP");
	fprintf(f, "%s\n", r->nmethods > 1 ?
	    "; the first definitive answer wins" : "");
	fprintf(f, "  cache directory (cache_dir): %s\n", r->cache_dir);
	for (size_t i = 0; i < r->nmethods; i++) {
		if (r->methods[i] == MTLS_REV_CRL)
			describe_crl(f, r);
		else
			describe_ocsp(f, r);
	}
}

static void
describe_identity(FILE *f, const struct mtls_identity *id)
{
	fprintf(f, "Identity (map): the user name is %s\n", map_text[id->map]);
	if (id->map_file != NULL)
		fprintf(f, "  map file (map_file): %s\n", id->map_file);
	list(f, "only certificates issued by (issuers)", &id->issuers);
	if (id->issuers.count == 0)
		fprintf(f, "  certificates of every trusted issuer map "
		    "(no issuers)\n");
}

int
mtls_config_describe(const struct mtls_config *config, char **text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	*text = NULL;
	if ((f = open_memstream(&buf, &len)) == NULL)
		return -1;
	if (config->profile != NULL)
		fprintf(f, "Profile: %s\n", config->profile);
	else
		fprintf(f, "Profile: none, the top-level settings\n");
	describe_trust(f, config);
	describe_policy(f, &config->policy);
	describe_revocation(f, &config->revocation);
	describe_identity(f, &config->identity);
	if (config->pkcs11.module != NULL || config->pkcs11.token != NULL)
		fprintf(f, "PKCS#11 (pkcs11): module %s, token %s\n",
		    config->pkcs11.module != NULL ? config->pkcs11.module :
		    "(none)", config->pkcs11.token != NULL ?
		    config->pkcs11.token : "(any)");
	config_radius_describe(f, &config->radius);
	fprintf(f, "Audit (audit): %s\n", config->audit ?
	    "every verification is one line in syslog (authpriv)" :
	    "verifications are not logged");
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return -1;
	}
	if (fclose(f) != 0) {
		free(buf);
		return -1;
	}
	*text = buf;
	return 0;
}
