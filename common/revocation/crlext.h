/*
 * crlext.h - the parts of a CRL GnuTLS 3.7 has no accessor for (internal).
 *
 * GnuTLS hands out a CRL's own extensions only as raw DER, and never the
 * extensions of its revoked-certificate entries.  Yet RFC 5280 forbids
 * using a CRL with a critical extension one does not process, and the
 * issuingDistributionPoint extension decides which certificates a CRL
 * speaks for.  Both are decoded here by libtasn1, with the definitions
 * of pkixasn.h, from the DER GnuTLS has already accepted.
 */
#ifndef MTLS_CRLEXT_H
#define MTLS_CRLEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <gnutls/x509.h>

/* The issuingDistributionPoint extension (RFC 5280, 5.2.5). */
struct crlext_idp {
	bool only_user_certs;
	bool only_ca_certs;
	bool only_some_reasons;
	bool indirect;
	bool only_attribute_certs;
	bool has_point;		/* a distributionPoint names a partition, */
	gnutls_datum_t *uris;	/* its fullName URIs */
	size_t nuris;
};

/*
 * Read the CRL's issuingDistributionPoint into idp (all false and no URIs
 * when absent: the CRL covers every certificate of its issuer).  -1 when
 * it is malformed or memory runs out.
 */
int crlext_idp(gnutls_x509_crl_t crl, struct crlext_idp *idp);

void crlext_idp_clear(struct crlext_idp *idp);

/*
 * Called with each extension of each revoked-certificate entry: its OID
 * in dotted form and whether it is critical.  A positive value stops the
 * walk.
 */
typedef int (*crlext_entry_visit)(const char *oid, bool critical, void *arg);

/*
 * Walk the entries' extensions.  Returns the visitor's value if it stopped
 * the walk, -1 when the CRL cannot be encoded or an entry is
 * malformed, 0 otherwise.
 */
int crlext_entry_extensions(gnutls_x509_crl_t crl, crlext_entry_visit visit,
    void *arg);

#endif /* MTLS_CRLEXT_H */
