#include "mtls.h"

struct reason_text {
	const char *name;
	const char *description;
};

/* Indexed by enum mtls_reason; the names are part of the interface. */
static const struct reason_text reasons[MTLS_R_COUNT] = {
	[MTLS_R_OK] = { "ok", "the certificate is accepted" },
	[MTLS_R_CERT_MALFORMED] = { "cert-malformed",
	    "the input is not a well-formed X.509 certificate (PEM or DER)" },
	[MTLS_R_CHAIN_TOO_LONG] = { "chain-too-long",
	    "the client sent more certificates than any path needs" },
	[MTLS_R_ISSUER_NOT_FOUND] = { "issuer-not-found",
	    "the issuer of a certificate is neither a trust anchor nor a "
	    "known intermediate" },
	[MTLS_R_UNTRUSTED_ROOT] = { "untrusted-root",
	    "the chain ends in a self-signed certificate that is not a "
	    "trust anchor" },
	[MTLS_R_SIGNATURE_INVALID] = { "signature-invalid",
	    "a signature in the chain does not verify" },
	[MTLS_R_EXPIRED] = { "expired",
	    "a certificate in the chain is past its notAfter time" },
	[MTLS_R_NOT_YET_VALID] = { "not-yet-valid",
	    "a certificate in the chain is before its notBefore time" },
	[MTLS_R_ISSUER_NOT_CA] = { "issuer-not-ca",
	    "an issuing certificate lacks a basicConstraints with CA set" },
	[MTLS_R_ISSUER_KEY_USAGE] = { "issuer-key-usage",
	    "an issuing certificate's keyUsage lacks keyCertSign" },
	[MTLS_R_LEAF_IS_CA] = { "leaf-is-ca",
	    "the client certificate is a CA certificate" },
	[MTLS_R_PATH_LENGTH] = { "path-length",
	    "a CA's pathLenConstraint is exceeded" },
	[MTLS_R_NAME_CONSTRAINTS] = { "name-constraints",
	    "a name is outside a CA's name constraints" },
	[MTLS_R_KEY_IDENTIFIER] = { "key-identifier",
	    "an authority or subject key identifier is missing, critical or "
	    "does not match" },
	[MTLS_R_EMPTY_EKU] = { "empty-eku",
	    "an extendedKeyUsage extension lists no purpose" },
	[MTLS_R_BAD_SERIAL] = { "bad-serial",
	    "a serial number is zero, negative or longer than 20 octets" },
	[MTLS_R_CRITICAL_EXTENSION] = { "critical-extension",
	    "an extension is critical that is unknown or must not be "
	    "critical" },
	[MTLS_R_BAD_NAME] = { "bad-name",
	    "a subjectAltName entry is not a valid name, or a subject is "
	    "empty where it may not be" },
	[MTLS_R_V1_CA] = { "v1-ca",
	    "an X.509 version 1 certificate is used as a CA" },
	[MTLS_R_V1_LEAF] = { "v1-leaf",
	    "the client certificate is X.509 version 1 and policy.require_v3 "
	    "is set" },
	[MTLS_R_PURPOSE] = { "purpose",
	    "the extendedKeyUsage does not allow the required purpose" },
	[MTLS_R_EKU_MISSING] = { "eku-missing",
	    "the client certificate has no extendedKeyUsage and "
	    "policy.require_eku is set" },
	[MTLS_R_KEY_USAGE] = { "key-usage",
	    "the client certificate's keyUsage lacks digitalSignature" },
	[MTLS_R_WEAK_KEY] = { "weak-key",
	    "a key is smaller than policy.min_rsa_bits or policy.min_ec_bits" },
	[MTLS_R_KEY_TOO_LARGE] = { "key-too-large",
	    "a certificate's key is larger, or of a kind, that no signature "
	    "is checked with" },
	[MTLS_R_WEAK_SIGNATURE] = { "weak-signature",
	    "a certificate is signed with SHA-1 or MD5" },
	[MTLS_R_CHAIN_TOO_DEEP] = { "chain-too-deep",
	    "more CA certificates stand above the client certificate than "
	    "policy.max_depth" },
	[MTLS_R_REVOKED] = { "revoked",
	    "a certificate in the chain is revoked" },
	[MTLS_R_CRL_MISSING] = { "crl-missing",
	    "no CRL covers a certificate that revocation.crl_require says "
	    "must be covered" },
	[MTLS_R_CRL_STALE] = { "crl-stale",
	    "the CRL covering a certificate is past its nextUpdate" },
	[MTLS_R_CRL_INVALID] = { "crl-invalid",
	    "the CRL covering a certificate is unusable" },
	[MTLS_R_REVOCATION_UNAVAILABLE] = { "revocation-unavailable",
	    "no revocation source could give an answer" },
	[MTLS_R_REVOCATION_UNKNOWN] = { "revocation-unknown",
	    "the OCSP responder does not know the certificate" },
	[MTLS_R_USER_UNMAPPED] = { "user-unmapped",
	    "no user name maps from the certificate" },
	[MTLS_R_USER_MISMATCH] = { "user-mismatch",
	    "the certificate maps to another user than the one logging in" },
	[MTLS_R_CHAIN_INVALID] = { "chain-invalid",
	    "GnuTLS refused the chain" },
	[MTLS_R_INTERNAL] = { "internal-error",
	    "an internal error (out of memory or a library failure)" },
	[MTLS_R_WORK_LIMIT] = { "work-limit",
	    "checking the path took more work than any real PKI needs" },
	[MTLS_R_POLICY] = { "policy",
	    "no certificate policy acceptable to the profile holds for the "
	    "whole path, where a certificate or the profile requires one" },
	[MTLS_R_BAD_POLICY] = { "bad-policy",
	    "a certificate policy extension is malformed or breaks RFC 5280's "
	    "rules" },
	[MTLS_R_NO_CERT] = { "no-certificate",
	    "the client presented no certificate" },
};

const char *
mtls_reason_name(enum mtls_reason reason)
{
	if ((unsigned)reason >= MTLS_R_COUNT)
		return "unknown";
	return reasons[reason].name;
}

const char *
mtls_reason_description(enum mtls_reason reason)
{
	if ((unsigned)reason >= MTLS_R_COUNT)
		return "unknown reason";
	return reasons[reason].description;
}
