/*
 * Certificate policies along a path (RFC 5280 6.1 with RFC 9618's
 * graph): what the certificates demand (requireExplicitPolicy,
 * inhibitPolicyMapping, inhibitAnyPolicy) and what the profile asks
 * (policy.acceptable_policies and the three switches), accepted and
 * refused for the right reason at the right certificate; malformed and
 * oversized extensions refused; the same verdicts from a long-running
 * context whose path cache answers.  The extensions are encoded with
 * libtasn1 from common/x509/pkix.asn (testder.h), never by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>
#include <gnutls/x509.h>

#include "audit.h"
#include "certpolicies.h"
#include "config.h"
#include "ctx.h"
#include "policygraph.h"
#include "testder.h"
#include "testpki.h"
#include "testutil.h"

#define P1 "1.3.6.1.4.1.99999.7.1"
#define P2 "1.3.6.1.4.1.99999.7.2"
#define P3 "1.3.6.1.4.1.99999.7.3"
#define ANY CERTPOLICIES_ANY

/* No SkipCerts: the extension is left out. */
#define NO (-1)

/* What one certificate of a test path carries. */
struct spec {
	const char *dn;
	const char *policies;	/* OIDs separated by spaces; NULL: none */
	const char *mappings;	/* "issuer=subject ..."; NULL: none */
	int require_explicit;	/* policyConstraints; NO: none */
	int inhibit_mapping;
	int inhibit_any;	/* inhibitAnyPolicy; NO: none */
};

/* A path, client certificate first, trust anchor last. */
struct path {
	gnutls_x509_crt_t crt[8];
	gnutls_x509_privkey_t key[8];
	size_t n;
};

static void
set_extension(gnutls_x509_crt_t crt, const char *oid, gnutls_datum_t der,
    unsigned critical)
{
	assert_int_equal(gnutls_x509_crt_set_extension_by_oid(crt, oid,
	    der.data, der.size, critical), 0);
	gnutls_free(der.data);
}

/* A list of libtasn1 writes: each item of list (separated by spaces) is
 * one more element of value, filled in by put. */
static gnutls_datum_t
list_der(const char *type, const char *list,
    void (*put)(asn1_node, char *))
{
	asn1_node value = tder_new(type);
	char *copy = strdup(list), *save = NULL;

	assert_non_null(copy);
	for (char *item = strtok_r(copy, " ", &save); item != NULL;
	    item = strtok_r(NULL, " ", &save)) {
		tder_put(value, "", "NEW", 1);
		put(value, item);
	}
	free(copy);
	return tder_encoded(value);
}

static void
put_policy(asn1_node value, char *oid)
{
	tder_put(value, "?LAST.policyIdentifier", oid, 0);
	tder_put(value, "?LAST.policyQualifiers", NULL, 0);
}

/* "issuer=subject" */
static void
put_mapping(asn1_node value, char *pair)
{
	char *eq = strchr(pair, '=');

	assert_non_null(eq);
	*eq = '\0';
	tder_put(value, "?LAST.issuerDomainPolicy", pair, 0);
	tder_put(value, "?LAST.subjectDomainPolicy", eq + 1, 0);
}

/* certificatePolicies of the OIDs in list, as given, repeats included. */
static gnutls_datum_t
policies_der(const char *list)
{
	return list_der("CertificatePolicies", list, put_policy);
}

/* policyMappings of the "issuer=subject" pairs in list. */
static gnutls_datum_t
mappings_der(const char *list)
{
	return list_der("PolicyMappings", list, put_mapping);
}

static void
put_skip(asn1_node value, const char *name, int skip)
{
	char text[16];

	if (skip == NO) {
		tder_put(value, name, NULL, 0);
		return;
	}
	snprintf(text, sizeof(text), "%d", skip);
	tder_put(value, name, text, 0);
}

static gnutls_datum_t
constraints_der(int require_explicit, int inhibit_mapping)
{
	asn1_node value = tder_new("PolicyConstraints");

	put_skip(value, "requireExplicitPolicy", require_explicit);
	put_skip(value, "inhibitPolicyMapping", inhibit_mapping);
	return tder_encoded(value);
}

/* What s says into crt; policyConstraints and inhibitAnyPolicy marked
 * critical or not, as RFC 5280 asks and as some CAs write them. */
static void
apply(gnutls_x509_crt_t crt, const struct spec *s, unsigned critical)
{
	gnutls_datum_t der;

	if (s->policies != NULL)
		set_extension(crt, "2.5.29.32", policies_der(s->policies), 0);
	if (s->mappings != NULL)
		set_extension(crt, "2.5.29.33", mappings_der(s->mappings), 1);
	if (s->require_explicit != NO || s->inhibit_mapping != NO)
		set_extension(crt, "2.5.29.36", constraints_der(
		    s->require_explicit, s->inhibit_mapping), critical);
	if (s->inhibit_any != NO) {
		assert_int_equal(gnutls_x509_ext_export_inhibit_anypolicy(
		    (unsigned)s->inhibit_any, &der), 0);
		set_extension(crt, "2.5.29.54", der, critical);
	}
}

/*
 * specs[0] the trust anchor, then each CA below it, the client
 * certificate last; the path comes out the other way round.
 */
static void
make_path(struct path *p, const struct spec *specs, size_t n)
{
	assert_true(n <= sizeof(p->crt) / sizeof(p->crt[0]));
	p->n = n;
	for (size_t k = 0; k < n; k++) {
		size_t at = n - 1 - k;
		gnutls_x509_crt_t crt;

		p->key[at] = tpki_key_ec();
		crt = tpki_new(specs[k].dn, p->key[at], 0);
		if (k + 1 < n)
			tpki_make_ca(crt, -1);
		else
			tpki_make_client(crt);
		apply(crt, &specs[k], 1);
		if (k == 0)
			tpki_sign(crt, NULL, p->key[at], GNUTLS_DIG_SHA256);
		else
			tpki_sign(crt, p->crt[at + 1], p->key[at + 1],
			    GNUTLS_DIG_SHA256);
		p->crt[at] = crt;
	}
}

static void
path_free(struct path *p)
{
	for (size_t k = 0; k < p->n; k++) {
		tpki_free(p->crt[k]);
		gnutls_x509_privkey_deinit(p->key[k]);
	}
}

/* The profile's inputs: acceptable policies separated by spaces. */
static struct mtls_policy
profile(const char *acceptable, bool explicit, bool no_mapping, bool no_any)
{
	struct mtls_policy policy = { .require_explicit_policy = explicit,
	    .inhibit_policy_mapping = no_mapping, .inhibit_any_policy = no_any };
	char *copy, *save = NULL;

	if (acceptable == NULL)
		return policy;
	copy = strdup(acceptable);
	assert_non_null(copy);
	for (char *oid = strtok_r(copy, " ", &save); oid != NULL;
	    oid = strtok_r(NULL, " ", &save))
		snprintf(policy.acceptable_policies[
		    policy.nacceptable_policies++], MTLS_POLICY_OID_MAX, "%s",
		    oid);
	free(copy);
	return policy;
}

static const struct mtls_policy defaults = { .nacceptable_policies = 0 };

/* The path of specs under policy is valid; *valid is the policy. */
static void
assert_valid(const struct mtls_policy *policy, const struct spec *specs,
    size_t n, const char *valid)
{
	struct path p;
	struct finding f = { .reason = MTLS_R_OK, .depth = -1 };
	char got[CERTPOLICIES_OID_MAX];

	make_path(&p, specs, n);
	if (policygraph_check(policy, p.crt, p.n, got, sizeof(got), &f) != 0)
		fail_msg("refused: %s: %s", mtls_reason_name(f.reason),
		    f.text);
	assert_string_equal(got, valid);
	path_free(&p);
}

/* ... is refused for reason, about the certificate at depth, saying
 * mention. */
static void
assert_invalid(const struct mtls_policy *policy, const struct spec *specs,
    size_t n, enum mtls_reason reason, int depth, const char *mention)
{
	struct path p;
	struct finding f = { .reason = MTLS_R_OK, .depth = -1 };

	make_path(&p, specs, n);
	assert_int_equal(policygraph_check(policy, p.crt, p.n, NULL, 0, &f),
	    -1);
	if (f.reason != reason)
		fail_msg("refused as %s, not %s: %s",
		    mtls_reason_name(f.reason), mtls_reason_name(reason),
		    f.text);
	assert_int_equal(f.depth, depth);
	if (mention != NULL)
		assert_contains(f.text, mention);
	path_free(&p);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Nothing asks for a policy: a path without any is valid, as before. */
static void
no_policies_asked_none_needed(void **state)
{
	static const struct spec plain[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", NULL, NULL, NO, NO, NO },
		{ "CN=leaf", NULL, NULL, NO, NO, NO },
	};
	static const struct spec some[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", P1, NULL, NO, NO, NO },
		{ "CN=leaf", P2, NULL, NO, NO, NO },
	};

	(void)state;
	assert_valid(&defaults, plain, N(plain), "");
	/* no common policy, and none required */
	assert_valid(&defaults, some, N(some), "");
}

/* requireExplicitPolicy 0 on the anchor or an intermediate: every
 * certificate below must carry a policy valid for the path. */
static void
require_explicit_policy_from_ca(void **state)
{
	static const struct spec root_requires[] = {
		{ "CN=Root", NULL, NULL, 0, NO, NO },
		{ "CN=CA", P1, NULL, NO, NO, NO },
		{ "CN=leaf", NULL, NULL, NO, NO, NO },
	};
	static const struct spec ca_requires[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", P1, NULL, 0, NO, NO },
		{ "CN=leaf", NULL, NULL, NO, NO, NO },
	};
	static const struct spec ca_requires_met[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", P1 " " P2, NULL, 0, NO, NO },
		{ "CN=leaf", P2, NULL, NO, NO, NO },
	};
	static const struct spec ca_requires_other[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", P1, NULL, 0, NO, NO },
		{ "CN=leaf", P2, NULL, NO, NO, NO },
	};
	static const struct spec ca_without[] = {
		{ "CN=Root", NULL, NULL, 0, NO, NO },
		{ "CN=CA", NULL, NULL, NO, NO, NO },
		{ "CN=leaf", P1, NULL, NO, NO, NO },
	};

	(void)state;
	assert_invalid(&defaults, root_requires, N(root_requires),
	    MTLS_R_POLICY, 0, "'CN=leaf' has no certificatePolicies");
	assert_invalid(&defaults, root_requires, N(root_requires),
	    MTLS_R_POLICY, 0, "'CN=Root' (requireExplicitPolicy 0)");
	assert_invalid(&defaults, ca_requires, N(ca_requires), MTLS_R_POLICY,
	    0, "'CN=CA' (requireExplicitPolicy 0)");
	assert_valid(&defaults, ca_requires_met, N(ca_requires_met), P2);
	assert_invalid(&defaults, ca_requires_other, N(ca_requires_other),
	    MTLS_R_POLICY, 0, "'CN=leaf' lists none of the policies");
	assert_invalid(&defaults, ca_without, N(ca_without), MTLS_R_POLICY, 1,
	    "'CN=CA' has no certificatePolicies");
}

/* The profile's own requirement, and its list of acceptable policies
 * (in the trust anchor's domain). */
static void
profile_requires_and_restricts(void **state)
{
	static const struct spec two[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", P1 " " P2, NULL, NO, NO, NO },
		{ "CN=leaf", P2, NULL, NO, NO, NO },
	};
	static const struct spec none[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", NULL, NULL, NO, NO, NO },
		{ "CN=leaf", NULL, NULL, NO, NO, NO },
	};
	struct mtls_policy explicit = profile(NULL, true, false, false);
	struct mtls_policy only_p1 = profile(P1, false, false, false);
	struct mtls_policy p2_or_p3 = profile(P3 " " P2, false, false, false);
	static const struct spec both[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", P1 " " P2, NULL, NO, NO, NO },
		{ "CN=leaf", P1 " " P2, NULL, NO, NO, NO },
	};
	static const struct spec any_below[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", P1 " " ANY, NULL, NO, NO, NO },
		{ "CN=leaf", P1 " " ANY, NULL, NO, NO, NO },
	};
	struct mtls_policy any = profile(ANY, false, false, false);
	struct mtls_policy p2_then_p1 = profile(P2 " " P1, false, false,
	    false);

	(void)state;
	/* of several the path holds, the first the profile lists is named,
	 * whatever order the certificates list them in */
	assert_valid(&p2_then_p1, both, N(both), P2);
	assert_valid(&p2_then_p1, any_below, N(any_below), P2);
	assert_valid(&explicit, two, N(two), P2);
	assert_invalid(&explicit, none, N(none), MTLS_R_POLICY, 1,
	    "policy.require_explicit_policy");
	assert_invalid(&only_p1, two, N(two), MTLS_R_POLICY, 0,
	    "policy.acceptable_policies does not list (such as " P2 ")");
	assert_valid(&p2_or_p3, two, N(two), P2);
	/* anyPolicy listed is no restriction, and requires nothing */
	assert_valid(&any, none, N(none), "");
}

/* A mapping in an intermediate carries the anchor's policy on under
 * another name; inhibitPolicyMapping, from a CA above or the profile,
 * stops it. */
static void
mapping_honoured_and_inhibited(void **state)
{
	static const struct spec mapped[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=Bridge", P1, P1 "=" P2, NO, NO, NO },
		{ "CN=CA", P2, NULL, NO, NO, NO },
		{ "CN=leaf", P2, NULL, NO, NO, NO },
	};
	static const struct spec inhibited[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=Policy CA", P1, NULL, NO, 0, NO },
		{ "CN=Bridge", P1, P1 "=" P2, NO, NO, NO },
		{ "CN=leaf", P2, NULL, NO, NO, NO },
	};
	static const struct spec allowed[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=Policy CA", P1, NULL, NO, 1, NO },
		{ "CN=Bridge", P1, P1 "=" P2, NO, NO, NO },
		{ "CN=leaf", P2, NULL, NO, NO, NO },
	};
	struct mtls_policy p1 = profile(P1, false, false, false);
	struct mtls_policy p1_no_mapping = profile(P1, false, true, false);
	struct mtls_policy p2 = profile(P2, false, false, false);

	(void)state;
	assert_valid(&p1, mapped, N(mapped), P1);
	/* P2 is the subject's name of it, not the anchor's */
	assert_invalid(&p2, mapped, N(mapped), MTLS_R_POLICY, 0, NULL);
	assert_invalid(&p1_no_mapping, mapped, N(mapped), MTLS_R_POLICY, 2,
	    "'CN=Bridge' maps policies where inhibitPolicyMapping");
	assert_invalid(&p1, inhibited, N(inhibited), MTLS_R_POLICY, 1,
	    "'CN=Bridge' maps policies");
	assert_valid(&p1, allowed, N(allowed), P1);
}

/* anyPolicy in a CA stands for every policy, until inhibitAnyPolicy. */
static void
any_policy_honoured_and_inhibited(void **state)
{
	static const struct spec any[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", ANY, NULL, NO, NO, NO },
		{ "CN=Sub CA", ANY, NULL, NO, NO, NO },
		{ "CN=leaf", P1, NULL, NO, NO, NO },
	};
	static const struct spec inhibited[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", ANY, NULL, NO, NO, 0 },
		{ "CN=Sub CA", ANY, NULL, NO, NO, NO },
		{ "CN=leaf", P1, NULL, NO, NO, NO },
	};
	static const struct spec leaf_any[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", P1, NULL, NO, NO, NO },
		{ "CN=leaf", ANY, NULL, NO, NO, NO },
	};
	struct mtls_policy p1 = profile(P1, false, false, false);
	struct mtls_policy p1_no_any = profile(P1, false, false, true);

	(void)state;
	assert_valid(&p1, any, N(any), P1);
	assert_invalid(&p1, inhibited, N(inhibited), MTLS_R_POLICY, 1,
	    "'CN=Sub CA' lists only anyPolicy");
	assert_invalid(&p1_no_any, any, N(any), MTLS_R_POLICY, 2,
	    "'CN=CA' lists only anyPolicy");
	/* a client certificate's anyPolicy holds what its CA allows */
	assert_valid(&p1, leaf_any, N(leaf_any), P1);
	assert_invalid(&p1_no_any, leaf_any, N(leaf_any), MTLS_R_POLICY, 0,
	    NULL);
}

/*
 * RFC 5280's finer points: a self-issued intermediate (a key rollover's
 * link) honours anyPolicy where inhibitAnyPolicy stops it elsewhere, and
 * does not count against a SkipCerts (6.1.4 h); a policy mapped to two
 * is valid through either; the client certificate's own
 * requireExplicitPolicy 0 (6.1.5 b) requires a policy.
 */
static void
self_issued_mapping_to_two_and_leaf_constraint(void **state)
{
	static const struct spec link[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", P1, NULL, NO, NO, NO },
		{ "CN=CA", ANY, NULL, NO, NO, NO },
		{ "CN=leaf", P1, NULL, NO, NO, NO },
	};
	static const struct spec not_link[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", P1, NULL, NO, NO, NO },
		{ "CN=Other CA", ANY, NULL, NO, NO, NO },
		{ "CN=leaf", P1, NULL, NO, NO, NO },
	};
	static const struct spec two[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=Bridge", P1, P1 "=" P2 " " P1 "=" P3, NO, NO, NO },
		{ "CN=leaf", P3, NULL, NO, NO, NO },
	};
	static const struct spec skip_link[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", P1, NULL, 2, NO, NO },
		{ "CN=CA", P1, NULL, NO, NO, NO },
		{ "CN=leaf", NULL, NULL, NO, NO, NO },
	};
	static const struct spec skip_counted[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", P1, NULL, 2, NO, NO },
		{ "CN=Other CA", P1, NULL, NO, NO, NO },
		{ "CN=leaf", NULL, NULL, NO, NO, NO },
	};
	static const struct spec leaf_requires[] = {
		{ "CN=Root", NULL, NULL, NO, NO, NO },
		{ "CN=CA", P1, NULL, NO, NO, NO },
		{ "CN=leaf", NULL, NULL, 0, NO, NO },
	};
	struct mtls_policy p1_no_any = profile(P1, false, false, true);
	struct mtls_policy p1 = profile(P1, false, false, false);

	(void)state;
	assert_valid(&p1_no_any, link, N(link), P1);
	assert_invalid(&p1_no_any, not_link, N(not_link), MTLS_R_POLICY, 1,
	    "'CN=Other CA' lists only anyPolicy");
	assert_valid(&p1, two, N(two), P1);
	assert_valid(&defaults, skip_link, N(skip_link), "");
	assert_invalid(&defaults, skip_counted, N(skip_counted),
	    MTLS_R_POLICY, 0, "'CN=CA' (requireExplicitPolicy 2)");
	assert_invalid(&defaults, leaf_requires, N(leaf_requires),
	    MTLS_R_POLICY, 0, "'CN=leaf' (requireExplicitPolicy 0)");
}

/* A certificate whose one extension is der (of oid, critical or not),
 * issued by the root of a path, with what refuses it. */
struct bad_case {
	const char *oid;
	gnutls_datum_t (*value)(void);
	enum mtls_reason reason;
	const char *mention;
};

static gnutls_datum_t
twice_listed(void)
{
	return policies_der(P1 " " P2 " " P1);
}

static gnutls_datum_t
any_mapped(void)
{
	return mappings_der(P1 "=" ANY);
}

static gnutls_datum_t
mapped_from_any(void)
{
	return mappings_der(ANY "=" P1);
}

static gnutls_datum_t
empty_constraints(void)
{
	return constraints_der(NO, NO);
}

static gnutls_datum_t
negative_explicit(void)
{
	return constraints_der(-2, NO);
}

static gnutls_datum_t
negative_inhibit_any(void)
{
	return tder_simple(ASN1_ETYPE_INTEGER, "\xff", 1);
}

/* negative, and longer than any SkipCerts read as a number */
static gnutls_datum_t
long_negative_inhibit_any(void)
{
	return tder_simple(ASN1_ETYPE_INTEGER, "\xff\x00\x00\x00\x00\x00"
	    "\x00\x00\x00\x00", 10);
}

static gnutls_datum_t
empty_policies(void)
{
	return tder_encoded(tder_new("CertificatePolicies"));
}

/* certificatePolicies holding what is no PolicyInformation */
static gnutls_datum_t
not_policy_information(void)
{
	return constraints_der(0, NO);
}

/* more policies than CERTPOLICIES_MAX */
static gnutls_datum_t
too_many_policies(void)
{
	char list[CERTPOLICIES_MAX * 32] = "";
	size_t used = 0;

	for (int k = 0; k <= CERTPOLICIES_MAX; k++)
		used += (size_t)snprintf(list + used, sizeof(list) - used,
		    "%s1.3.6.1.4.1.99999.8.%d", k > 0 ? " " : "", k);
	return policies_der(list);
}

static gnutls_datum_t
too_many_mappings(void)
{
	char list[CERTPOLICIES_MAX * 64] = "";
	size_t used = 0;

	for (int k = 0; k <= CERTPOLICIES_MAX; k++)
		used += (size_t)snprintf(list + used, sizeof(list) - used,
		    "%s" P1 "=1.3.6.1.4.1.99999.8.%d", k > 0 ? " " : "", k);
	return mappings_der(list);
}

/*
 * A malformed or forbidden policy extension refuses the path, whichever
 * certificate carries it and whether or not any policy is asked for;
 * one with more entries than the bound is refused unprocessed.  Of the
 * trust anchor, only the constraints are read: its certificatePolicies
 * and policyMappings, unused, refuse nothing.
 */
static void
malformed_extensions_refused(void **state)
{
	static const struct bad_case cases[] = {
		{ "2.5.29.32", twice_listed, MTLS_R_BAD_POLICY,
		    "lists policy " P1 " twice" },
		{ "2.5.29.32", empty_policies, MTLS_R_BAD_POLICY,
		    "empty certificatePolicies" },
		{ "2.5.29.32", not_policy_information, MTLS_R_BAD_POLICY,
		    "not well-formed DER" },
		{ "2.5.29.33", any_mapped, MTLS_R_BAD_POLICY,
		    "maps anyPolicy" },
		{ "2.5.29.33", mapped_from_any, MTLS_R_BAD_POLICY,
		    "maps anyPolicy" },
		{ "2.5.29.36", empty_constraints, MTLS_R_BAD_POLICY,
		    "empty policyConstraints" },
		{ "2.5.29.36", negative_explicit, MTLS_R_BAD_POLICY,
		    "negative SkipCerts" },
		{ "2.5.29.54", negative_inhibit_any, MTLS_R_BAD_POLICY,
		    "negative SkipCerts" },
		{ "2.5.29.54", long_negative_inhibit_any, MTLS_R_BAD_POLICY,
		    "negative SkipCerts" },
		{ "2.5.29.32", too_many_policies, MTLS_R_WORK_LIMIT,
		    "more than 128 entries" },
		{ "2.5.29.33", too_many_mappings, MTLS_R_WORK_LIMIT,
		    "more than 128 entries" },
	};

	(void)state;
	for (size_t k = 0; k < N(cases); k++) {
		for (size_t depth = 0; depth < 3; depth++) {
			static const char *const names[] = { "'CN=leaf'",
			    "'CN=CA'", "'CN=Root'" };
			gnutls_x509_privkey_t root_key = tpki_key_ec();
			gnutls_x509_privkey_t key = tpki_key_ec();
			gnutls_x509_crt_t chain[3];
			struct finding f = { .reason = MTLS_R_OK,
			    .depth = -1 };
			bool unused = depth == 2 &&
			    strcmp(cases[k].oid, "2.5.29.36") != 0 &&
			    strcmp(cases[k].oid, "2.5.29.54") != 0;

			chain[2] = tpki_new("CN=Root", root_key, 0);
			tpki_make_ca(chain[2], -1);
			chain[1] = tpki_new("CN=CA", key, 0);
			tpki_make_ca(chain[1], -1);
			chain[0] = tpki_new("CN=leaf", key, 0);
			tpki_make_client(chain[0]);
			set_extension(chain[depth], cases[k].oid,
			    cases[k].value(), 1);
			tpki_sign(chain[2], NULL, root_key, GNUTLS_DIG_SHA256);
			tpki_sign(chain[1], chain[2], root_key,
			    GNUTLS_DIG_SHA256);
			tpki_sign(chain[0], chain[1], key, GNUTLS_DIG_SHA256);
			assert_int_equal(policygraph_check(&defaults, chain, 3,
			    NULL, 0, &f), unused ? 0 : -1);
			if (!unused && f.reason != cases[k].reason)
				fail_msg("case %zu: %s: %s", k,
				    mtls_reason_name(f.reason), f.text);
			if (!unused) {
				assert_contains(f.text, cases[k].mention);
				assert_contains(f.text, names[depth]);
				assert_int_equal(f.depth, (int)depth);
			}
			for (size_t i = 0; i < 3; i++)
				tpki_free(chain[i]);
			gnutls_x509_privkey_deinit(key);
			gnutls_x509_privkey_deinit(root_key);
		}
	}
}

/*
 * Each certificate within the bound, but a path whose graph would cost
 * more than POLICYGRAPH_MAX_WORK: CAs with anyPolicy, 127 other
 * policies and 128 mappings each, which RFC 5280's tree would grow
 * without bound on.  Refused as work-limit.
 */
static void
graph_work_bounded(void **state)
{
	char policies[CERTPOLICIES_MAX * 32], mappings[CERTPOLICIES_MAX * 64];
	size_t pu = 0, mu = 0;
	struct spec specs[8];

	(void)state;
	pu = (size_t)snprintf(policies, sizeof(policies), "%s", ANY);
	for (int k = 1; k < CERTPOLICIES_MAX; k++)
		pu += (size_t)snprintf(policies + pu, sizeof(policies) - pu,
		    " 1.3.6.1.4.1.99999.9.%d", k);
	for (int k = 0; k < CERTPOLICIES_MAX; k++)
		mu += (size_t)snprintf(mappings + mu, sizeof(mappings) - mu,
		    "%s1.3.6.1.4.1.99999.9.%d=1.3.6.1.4.1.99999.9.%d",
		    k > 0 ? " " : "", k % 64 + 1, (k * 7) % 127 + 1);
	specs[0] = (struct spec){ "CN=Root", NULL, NULL, NO, NO, NO };
	for (size_t k = 1; k < 7; k++)
		specs[k] = (struct spec){ "CN=Bridge", policies, mappings, NO,
		    NO, NO };
	specs[7] = (struct spec){ "CN=leaf", P1, NULL, NO, NO, NO };
	assert_invalid(&defaults, specs, N(specs), MTLS_R_WORK_LIMIT, 1,
	    "took more than 262144 steps");
}

/*
 * What verifying crts thrice in ctx gives: the same each time, the path
 * cache answering the third; an acceptance names policy, the OID, to
 * the application and on its audit line, or no policy when it is NULL.
 */
static void
assert_verdicts(struct mtls_ctx *ctx, gnutls_x509_crt_t *crts, size_t n,
    enum mtls_reason reason, const char *policy)
{
	for (int round = 0; round < 3; round++) {
		struct mtls_verdict *v = verify_crts(ctx, crts, n, NULL);
		char *line;

		if (mtls_verdict_reason(v) != reason)
			fail_msg("round %d: %s: %s", round,
			    mtls_reason_name(mtls_verdict_reason(v)),
			    mtls_verdict_explanation(v));
		line = audit_line(NULL, v, NULL, 0);
		assert_non_null(line);
		if (policy != NULL) {
			assert_string_equal(mtls_verdict_policy(v), policy);
			assert_contains(line, " policy=");
			assert_contains(line, policy);
		} else {
			assert_null(mtls_verdict_policy(v));
			assert_null(strstr(line, " policy="));
		}
		free(line);
		if (reason == MTLS_R_POLICY)
			assert_string_equal(mtls_verdict_user_message(v),
			    "Your certificate was not issued under a policy "
			    "this system accepts; ask your administrator for "
			    "one that is.");
		mtls_verdict_free(v);
	}
}

/*
 * An intermediate under root and a client certificate, their
 * policyConstraints and inhibitAnyPolicy marked critical or not.
 */
static void
make_under(gnutls_x509_crt_t root, gnutls_x509_privkey_t root_key,
    gnutls_x509_crt_t crts[2], gnutls_x509_privkey_t *key,
    const struct spec *ca, const struct spec *leaf, unsigned critical)
{
	*key = tpki_key_ec();
	crts[1] = tpki_new(ca->dn, *key, 0);
	tpki_make_ca(crts[1], -1);
	apply(crts[1], ca, critical);
	tpki_sign(crts[1], root, root_key, GNUTLS_DIG_SHA256);
	crts[0] = tpki_new(leaf->dn, *key, 0);
	tpki_make_client(crts[0]);
	apply(crts[0], leaf, critical);
	tpki_sign(crts[0], crts[1], *key, GNUTLS_DIG_SHA256);
}

/* ... under the standard root, as RFC 5280 asks. */
static void
make_under_root(gnutls_x509_crt_t crts[2], gnutls_x509_privkey_t *key,
    const struct spec *ca, const struct spec *leaf)
{
	make_under(pki.root, pki.root_key, crts, key, ca, leaf, 1);
}

/*
 * Through mtls_verify(), with the settings of mtls.conf(5): a
 * long-running context gives the same verdict each time, and a reload
 * with other policy settings judges the remembered path anew.
 */
static void
verify_with_profile_settings(void **state)
{
	static const struct spec ca = { "CN=Policy CA", P1 " " P2, NULL, 0,
	    NO, NO };
	static const struct spec with = { "CN=alice", P1, NULL, NO, NO, NO };
	static const struct spec without = { "CN=bob", NULL, NULL, NO, NO,
	    NO };
	static const struct spec bridge = { "CN=Bridge CA", P1, P1 "=" P2,
	    NO, NO, NO };
	static const struct spec mapped_leaf = { "CN=carol", P2, NULL, NO,
	    NO, NO };
	gnutls_x509_crt_t good[2], bad[2], mapped[2];
	gnutls_x509_crt_t plain[2] = { pki.leaf, pki.intermediate };
	gnutls_x509_privkey_t k1, k2, k3;
	struct mtls_config *cfg;
	struct mtls_ctx *ctx;
	struct mtls_verdict *v;

	(void)state;
	make_under_root(good, &k1, &ca, &with);
	make_under_root(bad, &k2, &ca, &without);
	make_under_root(mapped, &k3, &bridge, &mapped_leaf);
	ctx = ctx_from_settings("");
	assert_verdicts(ctx, good, 2, MTLS_R_OK, P1);
	assert_verdicts(ctx, bad, 2, MTLS_R_POLICY, NULL);
	/* no policy asked for, none present: accepted, and none named */
	assert_verdicts(ctx, plain, 2, MTLS_R_OK, NULL);
	/* P2 below the bridge is P1 in the trust anchor's domain */
	assert_verdicts(ctx, mapped, 2, MTLS_R_OK, P1);
	/* a path valid for P1, refused for another reason: none named */
	v = verify_crts(ctx, good, 2, "bob");
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_USER_MISMATCH);
	assert_null(mtls_verdict_policy(v));
	mtls_verdict_free(v);
	/* the same context, reloaded: the remembered path is judged again */
	cfg = config_from_settings("policy = { acceptable_policies = \""
	    P2 "\"; };");
	assert_int_equal(mtls_ctx_configure(ctx, cfg), 0);
	mtls_config_free(cfg);
	assert_verdicts(ctx, good, 2, MTLS_R_POLICY, NULL);
	cfg = config_from_settings("policy = { acceptable_policies = [\""
	    P3 "\", \"" P1 "\"]; inhibit_policy_mapping = true; "
	    "inhibit_any_policy = true; require_explicit_policy = true; };");
	assert_int_equal(mtls_ctx_configure(ctx, cfg), 0);
	mtls_config_free(cfg);
	assert_verdicts(ctx, good, 2, MTLS_R_OK, P1);
	mtls_ctx_free(ctx);
	for (size_t i = 0; i < 2; i++) {
		tpki_free(good[i]);
		tpki_free(bad[i]);
		tpki_free(mapped[i]);
	}
	gnutls_x509_privkey_deinit(k1);
	gnutls_x509_privkey_deinit(k2);
	gnutls_x509_privkey_deinit(k3);
}

/*
 * A client certificate of leaf under an intermediate of ca under root,
 * their policyConstraints and inhibitAnyPolicy marked critical or not:
 * refused by ctx as policy, saying refusal, or accepted with a note
 * saying note.
 */
static void
assert_judged(struct mtls_ctx *ctx, gnutls_x509_crt_t root,
    gnutls_x509_privkey_t root_key, const struct spec *ca,
    const struct spec *leaf, unsigned critical, const char *refusal,
    const char *note)
{
	struct mtls_verdict *v;
	gnutls_x509_crt_t crts[2];
	gnutls_x509_privkey_t key;

	make_under(root, root_key, crts, &key, ca, leaf, critical);
	v = verify_crts(ctx, crts, 2, NULL);
	if (refusal != NULL) {
		assert_refused(v, MTLS_R_POLICY, refusal);
	} else {
		if (mtls_verdict_reason(v) != MTLS_R_OK)
			fail_msg("%s: %s", mtls_reason_name(
			    mtls_verdict_reason(v)),
			    mtls_verdict_explanation(v));
		assert_non_null(mtls_verdict_note(v));
		assert_contains(mtls_verdict_note(v), note);
		mtls_verdict_free(v);
	}
	tpki_free(crts[0]);
	tpki_free(crts[1]);
	gnutls_x509_privkey_deinit(key);
}

/*
 * A context trusting a root whose policyConstraints (requireExplicitPolicy
 * 0) and inhibitAnyPolicy (0) are not marked critical, with no policy
 * asked for: *root, its key, and "mtls config check"'s warnings into
 * remarks.
 */
static struct mtls_ctx *
ctx_of_lax_root(gnutls_x509_crt_t *root, gnutls_x509_privkey_t *key,
    struct strlist *remarks)
{
	static const struct spec lax = { "CN=Lax Root", NULL, NULL, 0, NO,
	    0 };
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();
	FILE *fp = fopen(tpki_path("lax.conf"), "w");

	assert_non_null(cfg);
	assert_non_null(ctx);
	assert_non_null(fp);
	*key = tpki_key_ec();
	*root = tpki_new(lax.dn, *key, 0);
	tpki_make_ca(*root, -1);
	apply(*root, &lax, 0);
	tpki_sign(*root, NULL, *key, GNUTLS_DIG_SHA256);
	tpki_write(tpki_path("lax_root.pem"), root, 1);
	fprintf(fp, "ca_file = \"lax_root.pem\";\naudit = false;\n");
	assert_int_equal(fclose(fp), 0);
	if (mtls_config_load_file(cfg, tpki_path("lax.conf"), NULL) != 0)
		fail_msg("config: %s", mtls_config_error(cfg));
	if (mtls_ctx_configure(ctx, cfg) != 0)
		fail_msg("configure: %s", mtls_ctx_error(ctx));
	mtls_config_free(cfg);
	assert_int_equal(ctx_remarks(ctx, remarks), 0);
	return ctx;
}

/*
 * policyConstraints and inhibitAnyPolicy not marked critical, which RFC
 * 5280 asks CAs not to issue but processes if present (6.1.4 (i), (j),
 * 6.1.5 (b)), through mtls_verify() with the default profile, which asks
 * for no policy: where the path holds, accepted with a note; where the
 * constraints of an intermediate, the client certificate or the trust
 * anchor are not met, refused as policy, as when they are critical.
 */
static void
constraints_not_critical(void **state)
{
	static const struct spec requires = { "CN=Requiring CA", P1, NULL, 0,
	    NO, NO };
	static const struct spec inhibits = { "CN=Inhibiting CA", P1, NULL,
	    0, NO, 0 };
	static const struct spec p1_ca = { "CN=P1 CA", P1, NULL, NO, NO, NO };
	static const struct spec any_ca = { "CN=Any CA", ANY, NULL, NO, NO,
	    NO };
	static const struct spec with = { "CN=alice", P1, NULL, NO, NO, NO };
	static const struct spec without = { "CN=bob", NULL, NULL, NO, NO,
	    NO };
	static const struct spec any = { "CN=carol", ANY, NULL, NO, NO, NO };
	static const struct spec demanding = { "CN=dave", NULL, NULL, 0, NO,
	    NO };
	static const char note[] = "a certificate of the path has "
	    "policyConstraints not marked critical: accepted";
	static const struct {
		const struct spec *ca, *leaf;
		const char *refusal;	/* NULL: accepted, with the note */
	} cases[] = {
		{ &requires, &with, NULL },
		/* requireExplicitPolicy 0 of the intermediate */
		{ &requires, &without, "'CN=bob' has no certificatePolicies "
		    "extension, so no certificate policy holds for the whole "
		    "path, and 'CN=Requiring CA' (requireExplicitPolicy 0) "
		    "requires one" },
		{ &requires, &any, NULL },
		/* its inhibitAnyPolicy 0 stops the client's anyPolicy */
		{ &inhibits, &any, "'CN=carol' lists only anyPolicy, which "
		    "inhibitAnyPolicy (of a CA above it" },
		/* the client certificate's own requireExplicitPolicy 0 */
		{ &p1_ca, &demanding, "'CN=dave' (requireExplicitPolicy 0) "
		    "requires one" },
	};
	struct strlist remarks = { NULL, 0 };
	gnutls_x509_privkey_t root_key;
	gnutls_x509_crt_t root;
	struct mtls_ctx *ctx = ctx_from_settings("");

	(void)state;
	for (size_t k = 0; k < N(cases); k++)
		assert_judged(ctx, pki.root, pki.root_key, cases[k].ca,
		    cases[k].leaf, 0, cases[k].refusal, note);
	mtls_ctx_free(ctx);

	/* the trust anchor's bind the path below it (policygraph.h) */
	ctx = ctx_of_lax_root(&root, &root_key, &remarks);
	/* each of them, not the first only */
	assert_int_equal(remarks.count, 2);
	assert_contains(remarks.items[0], "configured trust anchor "
	    "'CN=Lax Root' has policyConstraints not marked critical; "
	    "accepted");
	assert_contains(remarks.items[1], "configured trust anchor "
	    "'CN=Lax Root' has inhibitAnyPolicy not marked critical; "
	    "accepted");
	assert_judged(ctx, root, root_key, &p1_ca, &with, 1, NULL, note);
	assert_judged(ctx, root, root_key, &p1_ca, &without, 1,
	    "'CN=Lax Root' (requireExplicitPolicy 0) requires one", NULL);
	assert_judged(ctx, root, root_key, &any_ca, &with, 1,
	    "'CN=Any CA' lists only anyPolicy", NULL);
	mtls_ctx_free(ctx);
	strlist_clear(&remarks);
	tpki_free(root);
	gnutls_x509_privkey_deinit(root_key);
}

/* The settings are checked when the file is read, and described. */
static void
settings_checked_and_described(void **state)
{
	static const char *const bad[] = {
		"policy = { acceptable_policies = \"anyPolicy\"; };",
		"policy = { acceptable_policies = [\"1.2.\"]; };",
		"policy = { acceptable_policies = [\"3.1\"]; };",
		"policy = { acceptable_policies = [\"1.02.3\"]; };",
		"policy = { acceptable_policies = [\"1\"]; };",
		"policy = { acceptable_policies = 5; };",
		"policy = { require_explicit_policy = 1; };",
	};
	struct mtls_config *cfg;
	char *text = NULL;

	(void)state;
	for (size_t k = 0; k < N(bad); k++) {
		FILE *fp = fopen(tpki_path("bad.conf"), "w");

		assert_non_null(fp);
		fprintf(fp, "%s\n", bad[k]);
		assert_int_equal(fclose(fp), 0);
		cfg = mtls_config_new();
		assert_int_equal(mtls_config_load_file(cfg,
		    tpki_path("bad.conf"), NULL), -1);
		assert_contains(mtls_config_error(cfg), "policy.");
		mtls_config_free(cfg);
	}
	cfg = config_from_settings("");
	assert_int_equal(mtls_config_describe(cfg, &text), 0);
	assert_contains(text, "any is acceptable (acceptable_policies)");
	assert_contains(text, "required only where a CA's policyConstraints "
	    "say so (require_explicit_policy = false)");
	free(text);
	mtls_config_free(cfg);
	cfg = config_from_settings("policy = { acceptable_policies = [\""
	    P1 "\", \"" P2 "\"]; };");
	assert_int_equal(mtls_config_describe(cfg, &text), 0);
	assert_contains(text, "(acceptable_policies): " P2);
	assert_contains(text, "required by acceptable_policies");
	free(text);
	mtls_config_free(cfg);
}

static int
setup(void **state)
{
	pki_setup(state);
	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_policies_asked_none_needed),
		cmocka_unit_test(require_explicit_policy_from_ca),
		cmocka_unit_test(profile_requires_and_restricts),
		cmocka_unit_test(mapping_honoured_and_inhibited),
		cmocka_unit_test(any_policy_honoured_and_inhibited),
		cmocka_unit_test(self_issued_mapping_to_two_and_leaf_constraint),
		cmocka_unit_test(malformed_extensions_refused),
		cmocka_unit_test(graph_work_bounded),
		cmocka_unit_test(verify_with_profile_settings),
		cmocka_unit_test(constraints_not_critical),
		cmocka_unit_test(settings_checked_and_described),
	};

	return cmocka_run_group_tests(tests, setup, pki_teardown);
}
