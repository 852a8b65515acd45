/*
 * crlasn.h - RFC 5280's CRL syntax for libtasn1 (internal).
 *
 * crl.asn defines the CRL parts GnuTLS 3.7 has no accessor for; the build
 * compiles it into a table, loaded here once for every thread.  crlext
 * decodes with it, and the tests encode their CRLs with it, so nothing
 * walks or writes DER by hand.
 */
#ifndef MTLS_CRLASN_H
#define MTLS_CRLASN_H

#include <stddef.h>

#include <libtasn1.h>

/*
 * An empty value of the crl.asn type named type ("CertificateList",
 * "IssuingDistributionPoint", ...), to be freed with
 * asn1_delete_structure().  ASN1_SUCCESS, or libtasn1's error.
 */
int crlasn_create(const char *type, asn1_node *value);

/*
 * Decode der, which must be exactly one value of type in strict DER.
 * ASN1_SUCCESS, or libtasn1's error and *value NULL.
 */
int crlasn_decode(const char *type, const void *der, size_t len,
    asn1_node *value);

#endif /* MTLS_CRLASN_H */
