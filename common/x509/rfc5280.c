#include "rfc5280.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "certname.h"
#include "dername.h"
#include "generalname.h"
#include "nameconstraints.h"

#define SERIAL_MAX 20
#define OID_MAX 128
/* Printed names in explanations. */
#define SHOWN_NAME_MAX 128

typedef int (*ext_check_fn)(gnutls_x509_crt_t, struct finding *);

static int check_eku(gnutls_x509_crt_t crt, struct finding *f);
static int check_san(gnutls_x509_crt_t crt, struct finding *f);
static int check_nc_holder(gnutls_x509_crt_t crt, struct finding *f);
static bool empty_subject(gnutls_x509_crt_t crt);

/* What RFC 5280 says of an extension's criticality. */
enum criticality {
	CRITICAL_EITHER,
	CRITICAL_NEVER		/* MUST be non-critical */
};

/*
 * The extensions of RFC 5280 4.2, the ones a certificate may mark
 * critical.  Some RFC 5280 says MUST be non-critical.  Those it says
 * MUST be critical are applied whether they are or not, and remarked on
 * when not (rfc5280_ca_remark()).  The policy extensions are processed
 * along the path (policygraph.h), which GnuTLS does not do.
 */
static const struct known_ext {
	const char *oid;
	const char *name;
	enum criticality criticality;
	ext_check_fn check;
} known_exts[] = {
	{ "2.5.29.9", "subjectDirectoryAttributes", CRITICAL_NEVER, NULL },
	{ "2.5.29.14", "subjectKeyIdentifier", CRITICAL_NEVER, NULL },
	{ "2.5.29.15", "keyUsage", CRITICAL_EITHER, NULL },
	{ "2.5.29.17", "subjectAltName", CRITICAL_EITHER, check_san },
	{ "2.5.29.18", "issuerAltName", CRITICAL_EITHER, NULL },
	{ "2.5.29.19", "basicConstraints", CRITICAL_EITHER, NULL },
	{ "2.5.29.30", "nameConstraints", CRITICAL_EITHER, check_nc_holder },
	{ "2.5.29.31", "cRLDistributionPoints", CRITICAL_EITHER, NULL },
	{ "2.5.29.32", "certificatePolicies", CRITICAL_EITHER, NULL },
	{ "2.5.29.33", "policyMappings", CRITICAL_EITHER, NULL },
	{ "2.5.29.35", "authorityKeyIdentifier", CRITICAL_NEVER, NULL },
	{ "2.5.29.36", "policyConstraints", CRITICAL_EITHER, NULL },
	{ "2.5.29.37", "extendedKeyUsage", CRITICAL_EITHER, check_eku },
	{ "2.5.29.46", "freshestCRL", CRITICAL_NEVER, NULL },
	{ "2.5.29.54", "inhibitAnyPolicy", CRITICAL_EITHER, NULL },
	{ "1.3.6.1.5.5.7.1.1", "authorityInfoAccess", CRITICAL_NEVER, NULL },
	{ "1.3.6.1.5.5.7.1.11", "subjectInfoAccess", CRITICAL_NEVER, NULL },
};

#define KNOWN_EXTS (sizeof(known_exts) / sizeof(known_exts[0]))

static const char aki_fix[] = "its CA must reissue it with one (OpenSSL: "
    "authorityKeyIdentifier=keyid)";

/* How explanations name the certificates of the per-certificate rules. */
static const char any_cert[] = "certificate";
static const char client_cert[] = "client certificate";

static const char *
role(size_t i, size_t n)
{
	if (i == 0)
		return client_cert;
	return i + 1 == n ? "trust anchor" : "intermediate";
}

/*
 * "<what> '<subject>' <problem>; <fix>".  The subject is printed only
 * here: checks that pass cost no name formatting.
 */
static int
reject(struct finding *f, enum mtls_reason reason, const char *what,
    gnutls_x509_crt_t crt, const char *problem, const char *fix)
{
	char name[CERTNAME_MAX];

	certname_subject(crt, name);
	return finding_set(f, reason, "%s '%s' %s; %s", what, name, problem,
	    fix);
}

/*
 * part of crt ("a keyUsage") cannot be read: GnuTLS said ret.  Its
 * running out of memory says nothing of the certificate, which may well
 * be fine: internal-error.  Anything else is reason.
 */
static int
unreadable(struct finding *f, int ret, enum mtls_reason reason,
    const char *what, gnutls_x509_crt_t crt, const char *part,
    const char *fix)
{
	char name[CERTNAME_MAX];

	certname_subject(crt, name);
	if (finding_gnutls_memory(f, ret, part, what, name) != 0)
		return -1;
	return finding_set(f, reason, "%s '%s' has %s that cannot be read "
	    "(%s); %s", what, name, part, gnutls_strerror(ret), fix);
}

static int
check_serial(gnutls_x509_crt_t crt, struct finding *f)
{
	unsigned char serial[SERIAL_MAX + 1];
	size_t len = sizeof(serial);
	const char *problem;
	int ret;
	bool zero = true;

	ret = gnutls_x509_crt_get_serial(crt, serial, &len);
	for (size_t i = 0; ret >= 0 && i < len; i++)
		if (serial[i] != 0)
			zero = false;
	if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER ||
	    (ret >= 0 && len > SERIAL_MAX))
		problem = "has a serial number longer than 20 octets";
	else if (ret < 0 || len == 0)
		problem = "has a serial number that cannot be read";
	else if (serial[0] & 0x80)
		problem = "has a negative serial number";
	else if (zero)
		problem = "has serial number zero";
	else
		return 0;
	return reject(f, MTLS_R_BAD_SERIAL, any_cert, crt, problem,
	    "RFC 5280 forbids it: its CA must reissue it with a positive "
	    "serial number of at most 20 octets");
}

static int
check_eku(gnutls_x509_crt_t crt, struct finding *f)
{
	char oid[OID_MAX];
	size_t len = sizeof(oid);
	int ret;

	/* GnuTLS may refuse to decode an empty SEQUENCE: empty either way */
	ret = gnutls_x509_crt_get_key_purpose_oid(crt, 0, oid, &len, NULL);
	if (ret >= 0 || ret == GNUTLS_E_SHORT_MEMORY_BUFFER)
		return 0;
	return reject(f, MTLS_R_EMPTY_EKU, any_cert, crt,
	    "has an extendedKeyUsage extension with no readable purpose in it",
	    "its CA must reissue it listing the purposes it is for (clientAuth "
	    "for a client certificate), or without the extension");
}

static int
check_san(gnutls_x509_crt_t crt, struct finding *f)
{
	gnutls_subject_alt_names_t sans;
	gnutls_datum_t san;
	char shown[SHOWN_NAME_MAX], problem[SHOWN_NAME_MAX + 192];
	const char *why = NULL;
	unsigned type = 0, i;
	int ret;

	ret = generalname_load_san(crt, &sans);
	if (ret <= 0) {
		snprintf(problem, sizeof(problem), "has a subjectAltName that "
		    "cannot be decoded (%s), such as one with an empty name",
		    gnutls_strerror(ret < 0 ? ret : GNUTLS_E_INTERNAL_ERROR));
		return reject(f, MTLS_R_BAD_NAME, any_cert, crt, problem,
		    "its CA must reissue it with valid names");
	}
	for (i = 0; gnutls_subject_alt_names_get(sans, i, &type, &san,
	    NULL) >= 0; i++)
		if ((why = generalname_problem(type, &san)) != NULL)
			break;
	if (why != NULL) {
		generalname_print(type, &san, shown, sizeof(shown));
		snprintf(problem, sizeof(problem), "has subjectAltName %s '%s' "
		    "that %s", generalname_form(type), shown, why);
	}
	gnutls_subject_alt_names_deinit(sans);
	if (why != NULL)
		return reject(f, MTLS_R_BAD_NAME, any_cert, crt, problem,
		    "its CA must reissue it with a valid name");
	if (i == 0)
		return reject(f, MTLS_R_BAD_NAME, any_cert, crt,
		    "has an empty subjectAltName", "its CA must reissue it "
		    "with at least one name, or without the extension");
	return 0;
}

/* nameConstraints are for CA certificates only (RFC 5280 4.2.1.10). */
static int
check_nc_holder(gnutls_x509_crt_t crt, struct finding *f)
{
	unsigned critical = 0, is_ca = 0;
	int pathlen;

	if (gnutls_x509_crt_get_basic_constraints(crt, &critical, &is_ca,
	    &pathlen) >= 0 && is_ca)
		return 0;
	return reject(f, MTLS_R_NAME_CONSTRAINTS, any_cert, crt, "carries "
	    "nameConstraints but is not a CA certificate, and RFC 5280 allows "
	    "them only in CA certificates", "its CA must reissue it without "
	    "them");
}

static const struct known_ext *
known_ext(const char *oid)
{
	for (size_t i = 0; i < KNOWN_EXTS; i++)
		if (strcmp(known_exts[i].oid, oid) == 0)
			return &known_exts[i];
	return NULL;
}

static int
check_extension(gnutls_x509_crt_t crt, const char *what, const char *oid,
    unsigned critical, uint32_t *seen, struct finding *f)
{
	const struct known_ext *ext = known_ext(oid);
	char problem[OID_MAX + 64];
	uint32_t bit;

	if (ext == NULL) {
		if (!critical)
			return 0;
		snprintf(problem, sizeof(problem), "has a critical extension "
		    "%s that this verifier does not know", oid);
		return reject(f, MTLS_R_CRITICAL_EXTENSION, what, crt,
		    problem, "RFC 5280 requires refusing it: its CA must "
		    "reissue it without that extension or with it "
		    "non-critical");
	}
	/* GnuTLS refuses duplicates on import; this also covers
	 * certificates imported with its sanity checks off. */
	bit = UINT32_C(1) << (ext - known_exts);
	if (*seen & bit) {
		snprintf(problem, sizeof(problem), "has the %s extension more "
		    "than once", ext->name);
		return reject(f, MTLS_R_CRITICAL_EXTENSION, what, crt,
		    problem, "RFC 5280 forbids that: its CA must reissue it "
		    "with one");
	}
	*seen |= bit;
	if (critical && ext->criticality == CRITICAL_NEVER) {
		snprintf(problem, sizeof(problem), "marks its %s extension "
		    "critical", ext->name);
		return reject(f, MTLS_R_CRITICAL_EXTENSION, what, crt,
		    problem, "RFC 5280 forbids that: its CA must reissue it "
		    "with the extension non-critical");
	}
	if (ext->check != NULL && ext->check(crt, f) != 0)
		return -1;
	return 0;
}

/* The extension rules of rfc5280_check_cert(), for a v3 certificate. */
static int
check_extensions(gnutls_x509_crt_t crt, const char *what, struct finding *f)
{
	char oid[OID_MAX];
	uint32_t seen = 0;
	unsigned critical;
	int ret;

	for (unsigned i = 0;; i++) {
		size_t len = sizeof(oid);

		ret = gnutls_x509_crt_get_extension_info(crt, i, oid, &len,
		    &critical);
		if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			return 0;
		if (ret < 0)
			break;
		if (check_extension(crt, what, oid, critical, &seen, f) != 0)
			return -1;
	}
	return unreadable(f, ret, MTLS_R_CERT_MALFORMED, what, crt,
	    "an extension", "its CA must reissue it");
}

/*
 * RFC 5280 4.1.2.6: a certificate with an empty subject is named by its
 * subjectAltName alone, which must then be critical, so that a verifier
 * that cannot read it refuses the certificate instead of taking it for
 * one that names nobody.
 */
static int
check_subject_named(gnutls_x509_crt_t crt, struct finding *f)
{
	gnutls_datum_t der = { NULL, 0 };
	unsigned critical = 0;
	int ret;

	if (!empty_subject(crt))
		return 0;
	ret = gnutls_x509_crt_get_extension_by_oid2(crt,
	    GNUTLS_X509EXT_OID_SAN, 0, &der, &critical);
	gnutls_free(der.data);
	if (ret >= 0 && critical)
		return 0;
	return reject(f, MTLS_R_BAD_NAME, any_cert, crt, ret >= 0 ?
	    "has an empty subject and a subjectAltName not marked critical" :
	    "has an empty subject and no subjectAltName", "RFC 5280 requires "
	    "a certificate without a subject name to carry its names in a "
	    "critical subjectAltName: its CA must reissue it so");
}

int
rfc5280_check_cert(gnutls_x509_crt_t crt, struct finding *f)
{
	if (check_serial(crt, f) != 0 || check_subject_named(crt, f) != 0)
		return -1;
	/* before v3 there are no extensions (GnuTLS refuses them on import) */
	if (gnutls_x509_crt_get_version(crt) < 3)
		return 0;
	return check_extensions(crt, any_cert, f);
}

bool
rfc5280_self_issued(gnutls_x509_crt_t crt)
{
	gnutls_datum_t subject = { NULL, 0 }, issuer = { NULL, 0 };
	bool same;

	same = gnutls_x509_crt_get_raw_dn(crt, &subject) >= 0 &&
	    gnutls_x509_crt_get_raw_issuer_dn(crt, &issuer) >= 0 &&
	    dername_equal(&subject, &issuer);
	gnutls_free(subject.data);
	gnutls_free(issuer.data);
	return same;
}

/*
 * Self-issued, and its authority key identifier, if any, names its own
 * key: signed by itself as far as can be told without checking the
 * signature.  A self-issued certificate that names another key is a
 * link, as in a key rollover.
 */
static bool
self_signed(gnutls_x509_crt_t crt)
{
	unsigned char aki[KEY_ID_MAX], ski[KEY_ID_MAX];
	size_t akilen = sizeof(aki), skilen = sizeof(ski);
	unsigned critical;

	if (!rfc5280_self_issued(crt))
		return false;
	if (gnutls_x509_crt_get_authority_key_id(crt, aki, &akilen,
	    &critical) < 0 || gnutls_x509_crt_get_subject_key_id(crt, ski,
	    &skilen, &critical) < 0)
		return true;
	return akilen == skilen && memcmp(aki, ski, akilen) == 0;
}

/*
 * An authority key identifier with the keyIdentifier field (RFC 5280
 * 4.2.1.1): every v3 certificate but a self-signed one names the key
 * that issued it.
 */
static int
check_aki(gnutls_x509_crt_t crt, int ret, const char *what,
    struct finding *f)
{
	unsigned char id[KEY_ID_MAX];
	size_t size = sizeof(id);
	unsigned critical;

	if (ret > 0)
		ret = gnutls_x509_crt_get_authority_key_id(crt, id, &size,
		    &critical);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return reject(f, MTLS_R_KEY_IDENTIFIER, what, crt,
		    "has no authority key identifier, which RFC 5280 requires",
		    aki_fix);
	if (ret == GNUTLS_E_X509_UNSUPPORTED_EXTENSION)
		return reject(f, MTLS_R_KEY_IDENTIFIER, what, crt,
		    "has an authority key identifier without the keyIdentifier "
		    "field RFC 5280 requires", aki_fix);
	/* one that does not decode names no key: GnuTLS then takes any
	 * issuer of the name */
	if (ret < 0 && ret != GNUTLS_E_SHORT_MEMORY_BUFFER)
		return unreadable(f, ret, MTLS_R_KEY_IDENTIFIER, what, crt,
		    "an authority key identifier", aki_fix);
	return 0;
}

/* Whether the DER Name is the empty sequence. */
static bool
empty_subject(gnutls_x509_crt_t crt)
{
	gnutls_datum_t subject = { NULL, 0 };
	bool empty;

	if (gnutls_x509_crt_get_raw_dn(crt, &subject) < 0)
		return false;
	empty = subject.size <= 2;
	gnutls_free(subject.data);
	return empty;
}

/*
 * The rules for a v3 CA certificate, an intermediate's, or an anchor's
 * (what "trust anchor", anchor true): a non-empty subject (bad-name), a
 * basicConstraints CA:TRUE (issuer-not-ca), keyCertSign if it has a
 * keyUsage (issuer-key-usage), a subject key identifier
 * (key-identifier).
 *
 * basicConstraints need not be critical (rfc5280_ca_remark()).  An
 * anchor need not have a subject key identifier: it is there for a
 * verifier that has the certificate from a path (it finds its issuer),
 * and an anchor comes from the administrator, who trusts its key.
 * "openssl x509 -req -signkey -extfile" under OpenSSL 1.x adds none to
 * the roots it makes; refusing them would lock out every user of such a
 * PKI.
 */
static int
check_v3_ca(gnutls_x509_crt_t ca, const char *what, bool anchor,
    struct finding *f)
{
	static const char bc_fix[] = "reissue it with a critical "
	    "basicConstraints CA:TRUE";
	static const char ku_fix[] = "reissue it with keyUsage keyCertSign, "
	    "cRLSign";
	static const char ski_fix[] = "reissue it with a subject key "
	    "identifier (OpenSSL: subjectKeyIdentifier=hash)";
	unsigned char id[KEY_ID_MAX];
	size_t idlen = sizeof(id);
	unsigned critical = 0, is_ca = 0, usage = 0;
	int pathlen, ret;

	if (empty_subject(ca))
		return reject(f, MTLS_R_BAD_NAME, what, ca, "has an empty "
		    "subject name, which RFC 5280 forbids a CA: its name is "
		    "what the certificates it issues name as their issuer",
		    "reissue it with a subject name");

	ret = gnutls_x509_crt_get_basic_constraints(ca, &critical, &is_ca,
	    &pathlen);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return reject(f, MTLS_R_ISSUER_NOT_CA, what, ca, "has no "
		    "basicConstraints extension, so it is not a CA", bc_fix);
	if (ret < 0)
		return unreadable(f, ret, MTLS_R_ISSUER_NOT_CA, what, ca,
		    "a basicConstraints", bc_fix);
	if (!is_ca)
		return reject(f, MTLS_R_ISSUER_NOT_CA, what, ca, "has "
		    "basicConstraints CA:FALSE, so it is not a CA", bc_fix);

	/* no keyUsage at all is tolerated: openssl req -x509 makes that */
	ret = gnutls_x509_crt_get_key_usage(ca, &usage, &critical);
	if (ret < 0 && ret != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return unreadable(f, ret, MTLS_R_ISSUER_KEY_USAGE, what, ca,
		    "a keyUsage", ku_fix);
	if (ret >= 0 && !(usage & GNUTLS_KEY_KEY_CERT_SIGN))
		return reject(f, MTLS_R_ISSUER_KEY_USAGE, what, ca, "has a "
		    "keyUsage without keyCertSign, so it may not sign "
		    "certificates", ku_fix);

	ret = gnutls_x509_crt_get_subject_key_id(ca, id, &idlen, &critical);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return anchor ? 0 : reject(f, MTLS_R_KEY_IDENTIFIER, what, ca,
		    "has no subject key identifier, which RFC 5280 requires of "
		    "every CA", ski_fix);
	if (ret < 0 && ret != GNUTLS_E_SHORT_MEMORY_BUFFER)
		return unreadable(f, ret, MTLS_R_KEY_IDENTIFIER, what, ca,
		    "a subject key identifier", ski_fix);
	return 0;
}

/*
 * What binds a trust anchor.  It is trust anchor information (RFC 5280
 * 6.1.1 d), a name and a key, so the rules of the certificate's encoding
 * do not apply: a widely deployed root has serial number zero, and a v1
 * one, which has no extensions, passes.  A v3 anchor is held to what its
 * extensions say and to the profile of a CA certificate: a constraint in
 * it that cannot be understood (an unknown critical extension) or that is
 * malformed binds nothing the path could rely on, and an anchor that
 * breaks RFC 5280's rules for CAs is no more trustworthy in its other
 * fields than an intermediate that does.  Its authority key identifier
 * is not asked for: it names a key no path goes on to; nor what only a
 * verifier that has it from a path needs (check_v3_ca()).
 */
static int
check_anchor(gnutls_x509_crt_t ca, struct finding *f)
{
	static const char what[] = "trust anchor";
	char problem[160];
	unsigned critical = 0, is_ca = 0;
	int pathlen, ret;

	if (gnutls_x509_crt_get_version(ca) < 3)
		return 0;
	ret = gnutls_x509_crt_get_basic_constraints(ca, &critical, &is_ca,
	    &pathlen);
	if (ret < 0 || !is_ca) {
		snprintf(problem, sizeof(problem), "is an X.509 v3 "
		    "certificate %s, so it is not a CA", ret < 0 ?
		    "without a readable basicConstraints" :
		    "with basicConstraints CA:FALSE");
		return reject(f, MTLS_R_ISSUER_NOT_CA, what, ca, problem,
		    "configure the CA certificate that issued it instead, or "
		    "reissue it with basicConstraints CA:TRUE");
	}
	if (check_extensions(ca, what, f) != 0)
		return -1;
	return check_v3_ca(ca, what, true, f);
}

int
rfc5280_check_ca(gnutls_x509_crt_t ca, bool anchor, struct finding *f)
{
	return anchor ? check_anchor(ca, f) : rfc5280_check_ca_aki(ca, 1, f);
}

int
rfc5280_check_ca_aki(gnutls_x509_crt_t ca, int aki, struct finding *f)
{
	static const char what[] = "intermediate";
	char problem[160];
	int version;

	version = gnutls_x509_crt_get_version(ca);
	if (version < 0)
		return reject(f, MTLS_R_CERT_MALFORMED, what, ca,
		    "has an unreadable version", "reissue it");
	if (version < 3) {
		snprintf(problem, sizeof(problem), "is an X.509 version %d "
		    "certificate, which cannot be a CA (it has no "
		    "basicConstraints)", version);
		return reject(f, MTLS_R_V1_CA, what, ca, problem, "reissue it "
		    "as version 3 with a critical basicConstraints CA:TRUE and "
		    "a subject key identifier");
	}
	if (check_v3_ca(ca, what, false, f) != 0)
		return -1;
	return self_signed(ca) ? 0 : check_aki(ca, aki, what, f);
}

int
rfc5280_check_leaf(gnutls_x509_crt_t leaf, struct finding *f)
{
	return rfc5280_check_leaf_aki(leaf, 1, f);
}

int
rfc5280_check_leaf_aki(gnutls_x509_crt_t leaf, int aki, struct finding *f)
{
	unsigned critical = 0, is_ca = 0, usage = 0;
	int pathlen, ret;

	ret = gnutls_x509_crt_get_basic_constraints(leaf, &critical, &is_ca,
	    &pathlen);
	if (ret < 0 && ret != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return unreadable(f, ret, MTLS_R_CERT_MALFORMED, client_cert,
		    leaf, "a basicConstraints", "its CA must reissue it");
	if (ret >= 0 && is_ca)
		return reject(f, MTLS_R_LEAF_IS_CA, client_cert, leaf, "has "
		    "basicConstraints CA:TRUE: it is a CA certificate, not a "
		    "client certificate", "issue the client a certificate with "
		    "CA:FALSE");
	ret = gnutls_x509_crt_get_key_usage(leaf, &usage, &critical);
	if (ret < 0 && ret != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return unreadable(f, ret, MTLS_R_CERT_MALFORMED, client_cert,
		    leaf, "a keyUsage", "its CA must reissue it");
	if (ret >= 0 && (usage & GNUTLS_KEY_KEY_CERT_SIGN))
		return reject(f, MTLS_R_LEAF_IS_CA, client_cert, leaf, "has "
		    "keyUsage keyCertSign: it can sign certificates, so it is "
		    "a CA key, not a client's", "issue the client a "
		    "certificate without keyCertSign");
	if (gnutls_x509_crt_get_version(leaf) < 3)
		return 0;
	return check_aki(leaf, aki, client_cert, f);
}

/*
 * What RFC 5280 asks a CA to mark critical and path validation reads
 * whether marked so or not.  Criticality tells a verifier that cannot
 * process an extension to refuse the certificate; this one processes
 * them all, so their values bind it either way.  Past basicConstraints,
 * what they say can only ever refuse: name constraints narrow the names
 * accepted below their CA, policyConstraints and inhibitAnyPolicy require
 * a policy or take one away (policygraph.h).
 */
enum remark {
	REMARK_NONE,
	REMARK_BASIC_CONSTRAINTS,
	REMARK_NAME_CONSTRAINTS,
	REMARK_POLICY_CONSTRAINTS,
	REMARK_INHIBIT_ANY_POLICY,
	REMARKS
};

static const struct {
	const char *oid;	/* of the extension not marked critical */
	bool intermediate_only;
	const char *phrase;	/* completes "intermediate 'name' ..." */
	const char *note;	/* of a verdict, names no certificate */
} remarks[REMARKS] = {
	/* an anchor's comes from the administrator, not from a path
	 * (check_v3_ca()); a client certificate's is no CA's */
	[REMARK_BASIC_CONSTRAINTS] = { "2.5.29.19", true,
		"has basicConstraints CA:TRUE not marked critical, as "
		    "easy-rsa and \"openssl x509 -req\" write it; accepted, "
		    "since it is read and applied all the same, but RFC 5280 "
		    "asks CAs to mark it critical: reissue it so when "
		    "convenient",
		"an intermediate CA of the path has basicConstraints not "
		    "marked critical, as easy-rsa writes it: accepted, since it "
		    "is read and applied all the same; RFC 5280 asks its CA to "
		    "mark it critical when it reissues it",
	},
	[REMARK_NAME_CONSTRAINTS] = { "2.5.29.30", false,
		"has nameConstraints not marked critical; accepted, and the "
		    "constraints applied all the same, but RFC 5280 asks CAs "
		    "to mark them critical, so that a verifier that cannot "
		    "apply them refuses what they would: reissue it so when "
		    "convenient",
		"a CA of the path has nameConstraints not marked critical: "
		    "accepted, and its constraints applied all the same; RFC "
		    "5280 asks its CA to mark them critical when it reissues "
		    "it",
	},
	[REMARK_POLICY_CONSTRAINTS] = { "2.5.29.36", false,
		"has policyConstraints not marked critical; accepted, and "
		    "its requireExplicitPolicy and inhibitPolicyMapping "
		    "applied all the same, but RFC 5280 asks CAs to mark it "
		    "critical, so that a verifier that cannot apply it refuses "
		    "what it would: reissue it so when convenient",
		"a certificate of the path has policyConstraints not marked "
		    "critical: accepted, and its requireExplicitPolicy and "
		    "inhibitPolicyMapping applied all the same; RFC 5280 asks "
		    "its CA to mark it critical when it reissues it",
	},
	[REMARK_INHIBIT_ANY_POLICY] = { "2.5.29.54", false,
		"has inhibitAnyPolicy not marked critical; accepted, and "
		    "anyPolicy inhibited below it all the same, but RFC 5280 "
		    "asks CAs to mark it critical, so that a verifier that "
		    "cannot apply it refuses what it would: reissue it so when "
		    "convenient",
		"a certificate of the path has inhibitAnyPolicy not marked "
		    "critical: accepted, and anyPolicy inhibited below it all "
		    "the same; RFC 5280 asks its CA to mark it critical when it "
		    "reissues it",
	},
};

/* Whether crt has the extension oid, not marked critical. */
static bool
not_critical(gnutls_x509_crt_t crt, const char *oid)
{
	gnutls_datum_t der = { NULL, 0 };
	unsigned critical = 0;
	int ret;

	ret = gnutls_x509_crt_get_extension_by_oid2(crt, oid, 0, &der,
	    &critical);
	gnutls_free(der.data);
	return ret >= 0 && !critical;
}

/* Whether crt earns remark r, one only of intermediates counting when
 * intermediate. */
static bool
earns(gnutls_x509_crt_t crt, bool intermediate, enum remark r)
{
	return (intermediate || !remarks[r].intermediate_only) &&
	    not_critical(crt, remarks[r].oid);
}

void
rfc5280_ca_remarks(gnutls_x509_crt_t ca, bool anchor, struct notes *out)
{
	for (enum remark r = REMARK_NONE + 1; r < REMARKS; r++)
		if (earns(ca, !anchor, r))
			notes_add(out, remarks[r].phrase);
}

void
rfc5280_path_notes(gnutls_x509_crt_t *chain, size_t n, struct notes *out)
{
	for (size_t i = 0; i < n; i++)
		for (enum remark r = REMARK_NONE + 1; r < REMARKS; r++)
			if (earns(chain[i], i > 0 && i + 1 < n, r))
				notes_add(out, remarks[r].note);
}

/* The keyIdentifier of chain[i]'s AKI against its issuer's SKI. */
static int
check_key_ids(gnutls_x509_crt_t *chain, size_t n, size_t i,
    struct finding *f)
{
	unsigned char aki[KEY_ID_MAX], ski[KEY_ID_MAX];
	size_t akilen = sizeof(aki), skilen = sizeof(ski);
	char name[CERTNAME_MAX], issuer[CERTNAME_MAX];
	char *akihex, *skihex;
	unsigned critical;
	int ret;

	ret = gnutls_x509_crt_get_authority_key_id(chain[i], aki, &akilen,
	    &critical);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE ||
	    ret == GNUTLS_E_X509_UNSUPPORTED_EXTENSION)
		return 0;
	if (ret >= 0)
		ret = gnutls_x509_crt_get_subject_key_id(chain[i + 1], ski,
		    &skilen, &critical);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return 0;
	if (ret >= 0 && akilen == skilen && memcmp(aki, ski, akilen) == 0)
		return 0;
	certname_subject(chain[i], name);
	certname_subject(chain[i + 1], issuer);
	if (ret < 0)
		return finding_set(f, MTLS_R_KEY_IDENTIFIER,
		    "the key identifiers of %s '%s' and its issuer '%s' cannot "
		    "be read (%s); reissue the certificate with ordinary key "
		    "identifiers", role(i, n), name, issuer,
		    gnutls_strerror(ret));
	akihex = certname_hex_alloc(aki, akilen);
	skihex = certname_hex_alloc(ski, skilen);
	ret = finding_set(f, MTLS_R_KEY_IDENTIFIER,
	    "%s '%s' was issued by the CA key %s, but its issuer '%s' has key "
	    "%s; configure the issuer certificate with that key, or reissue "
	    "the certificate from the current one", role(i, n), name,
	    akihex != NULL ? akihex : "?", issuer,
	    skihex != NULL ? skihex : "?");
	free(akihex);
	free(skihex);
	return ret;
}

/*
 * chain[k]'s pathLenConstraint against the CAs between it and the leaf,
 * self-issued ones not counted (RFC 5280 6.1.4 l, m).
 */
static int
check_path_len(gnutls_x509_crt_t *chain, size_t n, size_t k,
    struct finding *f)
{
	char name[CERTNAME_MAX];
	unsigned critical, is_ca;
	int pathlen = -1;
	size_t between = 0;

	/* the CA that issued the client certificate has none below it */
	if (k < 2)
		return 0;
	if (gnutls_x509_crt_get_basic_constraints(chain[k], &critical, &is_ca,
	    &pathlen) <= 0 || pathlen < 0)
		return 0;
	/* at most k - 1 CAs stand between: no need to look closer */
	if ((size_t)pathlen + 1 >= k)
		return 0;
	for (size_t i = 1; i < k; i++)
		if (!rfc5280_self_issued(chain[i]))
			between++;
	if (between <= (size_t)pathlen)
		return 0;
	certname_subject(chain[k], name);
	return finding_set(f, MTLS_R_PATH_LENGTH,
	    "%s '%s' allows %d CA certificate(s) below it "
	    "(pathLenConstraint), but %zu stand between it and the client "
	    "certificate; use a shorter path, or reissue it with a larger "
	    "pathLenConstraint", role(k, n), name, pathlen, between);
}

/* chain[k]'s nameConstraints on every certificate below it. */
static int
check_name_constraints(gnutls_x509_crt_t *chain, size_t n, size_t k,
    unsigned long *work, struct finding *f)
{
	struct nameconstraints nc;
	int ret;

	ret = nameconstraints_load(&nc, chain[k], f);
	if (ret <= 0)
		return ret;
	ret = 0;
	for (size_t i = 0; i < k && ret == 0; i++) {
		/* RFC 5280 6.1.3 b, c: a self-issued CA certificate is
		 * exempt, unless it is the client certificate */
		if (i > 0 && rfc5280_self_issued(chain[i]))
			continue;
		if ((ret = nameconstraints_check(&nc, chain[i], role(i, n),
		    work, f)) != 0)
			finding_at(f, i);
	}
	nameconstraints_free(&nc);
	return ret;
}

int
rfc5280_check_key_ids(gnutls_x509_crt_t *chain, size_t n, struct finding *f)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (check_key_ids(chain, n, i, f) != 0)
			return finding_at(f, i);
	return 0;
}

int
rfc5280_check_path(gnutls_x509_crt_t *chain, size_t n, struct finding *f)
{
	unsigned long work = 0;

	for (size_t k = 1; k < n; k++)
		if (check_path_len(chain, n, k, f) != 0 ||
		    check_name_constraints(chain, n, k, &work, f) != 0)
			return finding_at(f, k);
	return 0;
}
