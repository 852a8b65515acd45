#include "policy.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>

#include "certder.h"
#include "certname.h"
#include "utctime.h"

/* Accepted, but none of the extension rules could apply. */
#define PRE_V3_NOTE(version) "X.509 " version " client certificate: it " \
    "has no extensions, so no purpose or key usage could be checked; set " \
    "policy.require_v3 to refuse such certificates"
static const char *const pre_v3_notes[] = {
	PRE_V3_NOTE("v1"),
	PRE_V3_NOTE("v2"),
};

/* What an administrator calls chain[i] of a path of n. */
static const char *
position(size_t i, size_t n)
{
	if (i == 0)
		return "client certificate";
	if (i + 1 == n)
		return "trust anchor";
	return "intermediate";
}

/*
 * skew widens notBefore only: it is for a host clock that is behind the
 * CA's.  notAfter is never extended: an expired certificate is expired.
 * The differences are taken in uintmax_t: the true difference of two
 * ordered time_t values always fits there, while in time_t it may overflow
 * for a hostile --at or certificate time.
 */
static int
check_one_validity(gnutls_x509_crt_t crt, const char *what, time_t now,
    unsigned skew, struct finding *f)
{
	time_t not_before = gnutls_x509_crt_get_activation_time(crt);
	time_t not_after = gnutls_x509_crt_get_expiration_time(crt);
	char name[CERTNAME_MAX], when[UTCTIME_MAX];

	/* GnuTLS refuses to import such times; certificates built in
	 * memory may still have them. */
	if (not_before == (time_t)-1 || not_after == (time_t)-1) {
		certname_subject(crt, name);
		return finding_set(f, MTLS_R_CERT_MALFORMED, "%s '%s' has a "
		    "validity period that cannot be read; reissue it", what,
		    name);
	}
	if (now < not_before &&
	    (uintmax_t)not_before - (uintmax_t)now > skew) {
		certname_subject(crt, name);
		utctime_format(not_before, when);
		return finding_set(f, MTLS_R_NOT_YET_VALID, "%s '%s' is not "
		    "valid before %s; check the clocks, or raise "
		    "policy.clock_skew", what, name, when);
	}
	if (now > not_after) {
		certname_subject(crt, name);
		utctime_format(not_after, when);
		return finding_set(f, MTLS_R_EXPIRED, "%s '%s' expired at %s; "
		    "issue a new one", what, name, when);
	}
	return 0;
}

int
policy_check_validity(gnutls_x509_crt_t *chain, size_t n, time_t now,
    unsigned skew, struct finding *f)
{
	for (size_t i = 0; i < n; i++)
		if (check_one_validity(chain[i], position(i, n), now, skew,
		    f) != 0)
			return finding_at(f, i);
	return 0;
}

static int
check_depth(const struct mtls_policy *policy, gnutls_x509_crt_t leaf,
    size_t n, struct finding *f)
{
	char name[CERTNAME_MAX];

	if (n == 0 || n - 1 <= policy->max_depth)
		return 0;
	certname_subject(leaf, name);
	return finding_set(f, MTLS_R_CHAIN_TOO_DEEP, "client certificate '%s' "
	    "has %zu CA certificates above it, more than policy.max_depth %u; "
	    "raise policy.max_depth or issue it from a CA nearer the trust "
	    "anchor", name, n - 1, policy->max_depth);
}

bool
policy_refuses_signature(bool allow_sha1, int sign)
{
	gnutls_digest_algorithm_t dig;

	/* An unknown algorithm cannot be verified: GnuTLS refuses that
	 * signature itself. */
	if (sign <= 0)
		return false;
	dig = gnutls_sign_get_hash_algorithm((gnutls_sign_algorithm_t)sign);
	return dig == GNUTLS_DIG_MD5 || dig == GNUTLS_DIG_MD2 ||
	    (dig == GNUTLS_DIG_SHA1 && !allow_sha1);
}

static int
check_signature(const struct mtls_policy *policy, gnutls_x509_crt_t crt,
    const char *what, struct finding *f)
{
	int sign = gnutls_x509_crt_get_signature_algorithm(crt);
	char name[CERTNAME_MAX];
	const char *alg;

	if (!policy_refuses_signature(policy->allow_sha1, sign))
		return 0;
	certname_subject(crt, name);
	alg = gnutls_sign_get_name((gnutls_sign_algorithm_t)sign);
	if (gnutls_sign_get_hash_algorithm((gnutls_sign_algorithm_t)sign) ==
	    GNUTLS_DIG_SHA1)
		return finding_set(f, MTLS_R_WEAK_SIGNATURE, "%s '%s' is signed "
		    "with %s, and SHA-1 signatures are refused; reissue it "
		    "with SHA-256, or set policy.allow_sha1", what, name,
		    alg != NULL ? alg : "SHA-1");
	return finding_set(f, MTLS_R_WEAK_SIGNATURE, "%s '%s' is signed with "
	    "%s, which is broken and always refused; reissue it with SHA-256",
	    what, name, alg != NULL ? alg : "MD5");
}

void
policy_signature_remedy(int sign, const char *signer, const char *what,
    char *out, size_t outlen)
{
	const char *alg = gnutls_sign_get_name((gnutls_sign_algorithm_t)sign);
	bool sha1 = gnutls_sign_get_hash_algorithm(
	    (gnutls_sign_algorithm_t)sign) == GNUTLS_DIG_SHA1;

	snprintf(out, outlen, "%s signs %s with %s%s; have it sign with "
	    "SHA-256%s", signer, what, sha1 ? "SHA-1" : alg != NULL ? alg :
	    "MD5", sha1 ? "" : ", which is broken and always refused",
	    sha1 ? ", or set policy.allow_sha1 = true" : "");
}

/*
 * The algorithm of crt's key, and its size in *bits: for rsaEncryption
 * the modulus's, read in the DER (certder.h) rather than have GnuTLS make
 * a number of it; GnuTLS's for every other key.
 */
static int
key_size(gnutls_x509_crt_t crt, unsigned *bits)
{
	gnutls_datum_t der = { NULL, 0 }, m, e;
	int pk = gnutls_x509_crt_get_pk_algorithm(crt, NULL);
	bool in_der = pk == GNUTLS_PK_RSA &&
	    gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) >= 0 &&
	    certder_rsa_key(der.data, der.size, &m, &e) == 0;

	if (in_der)
		*bits = certder_bits(&m);
	gnutls_free(der.data);
	return in_der ? pk : gnutls_x509_crt_get_pk_algorithm(crt, bits);
}

static int
check_key(const struct mtls_policy *policy, gnutls_x509_crt_t crt,
    const char *what, struct finding *f)
{
	unsigned bits = 0, min;
	int pk = key_size(crt, &bits);
	const char *setting;
	char name[CERTNAME_MAX];

	switch (pk) {
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS:
	case GNUTLS_PK_DSA:
		min = policy->min_rsa_bits;
		setting = "policy.min_rsa_bits";
		break;
	case GNUTLS_PK_EC:
		min = policy->min_ec_bits;
		setting = "policy.min_ec_bits";
		break;
	case GNUTLS_PK_EDDSA_ED25519:
	case GNUTLS_PK_EDDSA_ED448:
		return 0;
	default:
		/* Strict by default: a key we cannot size is not known to be
		 * strong enough. */
		certname_subject(crt, name);
		return finding_set(f, MTLS_R_WEAK_KEY, "%s '%s' has a %s key, "
		    "whose strength this policy cannot judge; reissue it with "
		    "an RSA, EC or Ed25519 key", what, name,
		    pk > 0 ? gnutls_pk_get_name((gnutls_pk_algorithm_t)pk) :
		    "unknown");
	}
	if (bits >= min)
		return 0;
	certname_subject(crt, name);
	return finding_set(f, MTLS_R_WEAK_KEY, "%s '%s' has a %u-bit %s key, "
	    "below %s %u; reissue it with a larger key", what, name, bits,
	    gnutls_pk_get_name((gnutls_pk_algorithm_t)pk), setting, min);
}

static int
check_version(const struct mtls_policy *policy, gnutls_x509_crt_t leaf,
    int *version, struct finding *f)
{
	char name[CERTNAME_MAX];

	*version = gnutls_x509_crt_get_version(leaf);
	if (*version < 0) {
		certname_subject(leaf, name);
		return finding_set(f, MTLS_R_CERT_MALFORMED, "client "
		    "certificate '%s' has an unreadable version; reissue it",
		    name);
	}
	if (*version >= 3 || !policy->require_v3)
		return 0;
	certname_subject(leaf, name);
	return finding_set(f, MTLS_R_V1_LEAF, "client certificate '%s' is "
	    "X.509 v%d, and policy.require_v3 is set; reissue it as v3 with "
	    "extensions, or unset policy.require_v3", name, *version);
}

static const struct {
	const char *oid;
	const char *name;
} purpose_names[] = {
	{ GNUTLS_KP_TLS_WWW_SERVER, "serverAuth" },
	{ GNUTLS_KP_TLS_WWW_CLIENT, "clientAuth" },
	{ GNUTLS_KP_CODE_SIGNING, "codeSigning" },
	{ GNUTLS_KP_EMAIL_PROTECTION, "emailProtection" },
	{ GNUTLS_KP_TIME_STAMPING, "timeStamping" },
	{ GNUTLS_KP_OCSP_SIGNING, "OCSPSigning" },
	{ GNUTLS_KP_IPSEC_IKE, "ipsecIKE" },
	{ GNUTLS_KP_MS_SMART_CARD_LOGON, "smartcardLogon" },
	{ GNUTLS_KP_ANY, "anyExtendedKeyUsage" },
};

/* oid is NUL-terminated, as gnutls_x509_key_purpose_get() promises. */
static void
append_purpose(char *list, size_t size, const char *oid)
{
	size_t used = strlen(list);
	const char *label = oid;

	for (size_t i = 0; i < sizeof(purpose_names) / sizeof(purpose_names[0]);
	    i++)
		if (strcmp(oid, purpose_names[i].oid) == 0)
			label = purpose_names[i].name;
	snprintf(list + used, size - used, "%s%s", used > 0 ? ", " : "",
	    label);
}

/*
 * Whether the purposes in an extendedKeyUsage allow the one policy.purpose
 * wants (named in *want_name): 1, or 0 listing them in have, or GnuTLS's
 * error when it cannot be read.
 * Parsed once: gnutls_x509_crt_get_key_purpose_oid() would decode the
 * extension again for every index.
 */
static int
eku_allows(const struct mtls_policy *policy, const gnutls_datum_t *der,
    char *have, size_t havelen, const char **want_name)
{
	const char *want = policy->purpose == MTLS_PURPOSE_SERVER ?
	    GNUTLS_KP_TLS_WWW_SERVER : GNUTLS_KP_TLS_WWW_CLIENT;
	gnutls_x509_key_purposes_t purposes;
	gnutls_datum_t oid;
	int allowed = 0, ret;

	*want_name = policy->purpose == MTLS_PURPOSE_SERVER ? "serverAuth" :
	    "clientAuth";
	have[0] = '\0';
	if (gnutls_x509_key_purpose_init(&purposes) < 0)
		return GNUTLS_E_MEMORY_ERROR;
	if ((ret = gnutls_x509_ext_import_key_purposes(der, purposes, 0)) < 0) {
		gnutls_x509_key_purpose_deinit(purposes);
		return ret;
	}
	for (unsigned i = 0;
	    gnutls_x509_key_purpose_get(purposes, i, &oid) >= 0; i++) {
		const char *text = (const char *)oid.data;

		if (strcmp(text, want) == 0 || strcmp(text, GNUTLS_KP_ANY) == 0) {
			allowed = 1;
			break;
		}
		append_purpose(have, havelen, text);
	}
	gnutls_x509_key_purpose_deinit(purposes);
	return allowed;
}

/*
 * A CA's extendedKeyUsage, when it has one, limits what the certificates
 * it issues are good for: the purposes allowed are the intersection down
 * the path, as OpenSSL, NSS, Windows and GnuTLS's own purpose check have
 * it.  A CA for servers only does not issue client certificates.
 */
static int
check_ca_eku(const struct mtls_policy *policy, gnutls_x509_crt_t ca,
    const char *what, struct finding *f)
{
	gnutls_datum_t der = { NULL, 0 };
	unsigned critical;
	char name[CERTNAME_MAX], have[200];
	const char *want_name = "";
	int ret, allowed;

	if (policy->purpose == MTLS_PURPOSE_ANY)
		return 0;
	ret = gnutls_x509_crt_get_extension_by_oid2(ca,
	    GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE, 0, &der, &critical);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return 0;
	allowed = ret < 0 ? ret : eku_allows(policy, &der, have, sizeof(have),
	    &want_name);
	gnutls_free(der.data);
	if (allowed > 0)
		return 0;
	certname_subject(ca, name);
	if (finding_gnutls_memory(f, allowed, "the extendedKeyUsage", what,
	    name) != 0)
		return -1;
	if (allowed < 0)
		return finding_set(f, MTLS_R_CERT_MALFORMED, "%s '%s' has an "
		    "extendedKeyUsage that does not parse; reissue it", what,
		    name);
	return finding_set(f, MTLS_R_PURPOSE, "%s '%s' limits the "
	    "certificates it issues to %s, not %s; reissue it with %s in its "
	    "extendedKeyUsage, or without one", what, name,
	    have[0] != '\0' ? have : "no purpose", want_name, want_name);
}

static int
check_eku(const struct mtls_policy *policy, gnutls_x509_crt_t leaf,
    struct finding *f)
{
	gnutls_datum_t der = { NULL, 0 };
	unsigned critical;
	char name[CERTNAME_MAX], have[200];
	const char *want_name = "";
	int ret, allowed;

	if (policy->purpose == MTLS_PURPOSE_ANY && !policy->require_eku)
		return 0;
	ret = gnutls_x509_crt_get_extension_by_oid2(leaf,
	    GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE, 0, &der, &critical);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
		if (!policy->require_eku)
			return 0;
		certname_subject(leaf, name);
		return finding_set(f, MTLS_R_EKU_MISSING, "client certificate "
		    "'%s' has no extendedKeyUsage, and policy.require_eku is "
		    "set; reissue it with one, or unset policy.require_eku",
		    name);
	}
	if (ret < 0) {
		certname_subject(leaf, name);
		if (finding_gnutls_memory(f, ret, "the extendedKeyUsage",
		    "client certificate", name) != 0)
			return -1;
		return finding_set(f, MTLS_R_CERT_MALFORMED, "client "
		    "certificate '%s' has an unreadable extendedKeyUsage (%s); "
		    "reissue it", name, gnutls_strerror(ret));
	}
	if (policy->purpose == MTLS_PURPOSE_ANY) {
		gnutls_free(der.data);
		return 0;
	}
	allowed = eku_allows(policy, &der, have, sizeof(have), &want_name);
	gnutls_free(der.data);
	if (allowed > 0)
		return 0;
	certname_subject(leaf, name);
	if (finding_gnutls_memory(f, allowed, "the extendedKeyUsage",
	    "client certificate", name) != 0)
		return -1;
	if (allowed < 0)
		return finding_set(f, MTLS_R_CERT_MALFORMED, "client "
		    "certificate '%s' has an extendedKeyUsage that does not "
		    "parse; reissue it", name);
	return finding_set(f, MTLS_R_PURPOSE, "client certificate '%s' is for "
	    "%s only, not %s; reissue it with %s in its extendedKeyUsage, or "
	    "change policy.purpose", name, have[0] != '\0' ? have : "no purpose",
	    want_name, want_name);
}

static int
check_key_usage(const struct mtls_policy *policy, gnutls_x509_crt_t leaf,
    struct finding *f)
{
	unsigned usage = 0, critical, need;
	char name[CERTNAME_MAX];
	const char *need_name;
	int ret;

	if (policy->purpose == MTLS_PURPOSE_ANY)
		return 0;
	ret = gnutls_x509_crt_get_key_usage(leaf, &usage, &critical);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return 0;
	if (ret < 0) {
		certname_subject(leaf, name);
		if (finding_gnutls_memory(f, ret, "the keyUsage",
		    "client certificate", name) != 0)
			return -1;
		return finding_set(f, MTLS_R_CERT_MALFORMED, "client "
		    "certificate '%s' has an unreadable keyUsage (%s); reissue "
		    "it", name, gnutls_strerror(ret));
	}
	/* A TLS server may use an RSA key to decrypt the premaster secret
	 * instead of signing. */
	if (policy->purpose == MTLS_PURPOSE_SERVER) {
		need = GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT;
		need_name = "digitalSignature or keyEncipherment";
	} else {
		need = GNUTLS_KEY_DIGITAL_SIGNATURE;
		need_name = "digitalSignature";
	}
	if (usage & need)
		return 0;
	certname_subject(leaf, name);
	return finding_set(f, MTLS_R_KEY_USAGE, "client certificate '%s' has "
	    "a keyUsage without %s, so it cannot authenticate; reissue it "
	    "with %s", name, need_name, need_name);
}

int
policy_check_strength(const struct mtls_policy *policy,
    gnutls_x509_crt_t *chain, size_t n, const char *first, struct finding *f)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (check_signature(policy, chain[i], i == 0 ? first :
		    position(i, n), f) != 0)
			return finding_at(f, i);
	for (size_t i = 0; i < n; i++)
		if (check_key(policy, chain[i], i == 0 ? first :
		    position(i, n), f) != 0)
			return finding_at(f, i);
	return 0;
}

int
policy_check(const struct mtls_policy *policy, gnutls_x509_crt_t *chain,
    size_t n, const char **note, struct finding *f)
{
	int version;

	if (note != NULL)
		*note = NULL;
	if (n == 0)
		return finding_set(f, MTLS_R_INTERNAL, "no certificate to "
		    "check the policy on");
	if (check_depth(policy, chain[0], n, f) != 0 ||
	    policy_check_strength(policy, chain, n, position(0, n), f) != 0)
		return -1;
	if (check_version(policy, chain[0], &version, f) != 0 ||
	    check_eku(policy, chain[0], f) != 0 ||
	    check_key_usage(policy, chain[0], f) != 0)
		return finding_at(f, 0);
	for (size_t i = 1; i < n; i++)
		if (check_ca_eku(policy, chain[i], position(i, n), f) != 0)
			return finding_at(f, i);
	if (note != NULL && version < 3)
		*note = pre_v3_notes[version == 1 ? 0 : 1];
	return 0;
}
