/*
 * certpolicies.h - what one certificate says of certificate policies
 * (RFC 5280 4.2.1.4, 4.2.1.5, 4.2.1.11, 4.2.1.14) (internal).
 *
 * The four extensions are read with libtasn1 (pkix.asn): GnuTLS 3.7 has
 * no reader for policyMappings or policyConstraints.  What RFC 5280
 * forbids in them is refused here, whichever certificate carries them:
 * a policy listed twice, anyPolicy mapped to or from, an empty
 * policyConstraints, a negative SkipCerts.  policygraph.h applies them
 * along a path.
 */
#ifndef MTLS_CERTPOLICIES_H
#define MTLS_CERTPOLICIES_H

#include <stdbool.h>
#include <stddef.h>

#include <gnutls/x509.h>

/* anyPolicy (RFC 5280 4.2.1.4), dotted as policy OIDs are kept here. */
#define CERTPOLICIES_ANY "2.5.29.32.0"

/* Longest policy OID read, dotted, with its NUL; longer is refused. */
#define CERTPOLICIES_OID_MAX 128

/*
 * Most policies in one certificatePolicies extension, and mappings in one
 * policyMappings.  Real certificates list a handful of policies; the
 * bridge CAs that map the most carry a few dozen mappings.  More is
 * refused before it is decoded, so that a crafted extension of a
 * certificate's whole size costs a count, not a decoding.
 */
#define CERTPOLICIES_MAX 128

/* A SkipCerts that is absent; one larger than any path is this too. */
#define CERTPOLICIES_ABSENT 0xffffu

struct certpolicy_mapping {
	char issuer[CERTPOLICIES_OID_MAX];	/* issuerDomainPolicy */
	char subject[CERTPOLICIES_OID_MAX];	/* subjectDomainPolicy */
};

struct certpolicies {
	bool has_policies;	/* a certificatePolicies extension */
	bool any_policy;	/* ... listing anyPolicy */
	char (*policies)[CERTPOLICIES_OID_MAX];	/* the others */
	size_t npolicies;
	struct certpolicy_mapping *mappings;	/* policyMappings */
	size_t nmappings;
	/* policyConstraints and inhibitAnyPolicy: SkipCerts, or
	 * CERTPOLICIES_ABSENT */
	unsigned require_explicit;
	unsigned inhibit_mapping;
	unsigned inhibit_any;
};

enum certpolicies_result {
	CERTPOLICIES_OK = 0,
	CERTPOLICIES_MALFORMED,	/* why says how */
	CERTPOLICIES_TOO_MANY,	/* over CERTPOLICIES_MAX */
	CERTPOLICIES_NO_MEMORY
};

/*
 * The policy extensions of crt into cp, critical or not (RFC 5280 6.1.3
 * to 6.1.5 process them if present; rfc5280_ca_remarks() in rfc5280.h),
 * which is emptied first and must be certpolicies_clear()ed after,
 * whatever the result; with constraints_only, policyConstraints and
 * inhibitAnyPolicy alone, the others not even read (what is used of a
 * trust anchor).  On a result
 * other than CERTPOLICIES_OK, why says what is wrong, naming the
 * extension.
 */
enum certpolicies_result certpolicies_read(gnutls_x509_crt_t crt,
    bool constraints_only, struct certpolicies *cp, char *why,
    size_t whylen);

/*
 * One extension's value: oid is its dotted extnID, one of the four
 * (anything else is ignored); der its extnValue.  Adds to cp, as
 * certpolicies_read() does for each extension it finds.
 */
enum certpolicies_result certpolicies_decode(const char *oid,
    const gnutls_datum_t *der, struct certpolicies *cp, char *why,
    size_t whylen);

void certpolicies_clear(struct certpolicies *cp);

#endif /* MTLS_CERTPOLICIES_H */
