/*
 * pkixasn.h - RFC 5280's syntax for libtasn1 (internal).
 *
 * pkix.asn defines what GnuTLS 3.7 cannot read or will not write; the
 * build compiles it into a table, loaded here once for every thread.
 * crlext and nameconstraints decode with it (walking long lists with
 * dertlv.h), and the tests encode their CRLs, names and extensions with
 * it, so nothing writes DER by hand.
 */
#ifndef MTLS_PKIXASN_H
#define MTLS_PKIXASN_H

#include <stddef.h>

#include <libtasn1.h>

/*
 * An empty value of the pkix.asn type named type ("CertificateList",
 * "GeneralNames", ...), to be freed with asn1_delete_structure().
 * ASN1_SUCCESS, or libtasn1's error.
 */
int pkixasn_create(const char *type, asn1_node *value);

/*
 * Decode der, which must be exactly one value of type in strict DER.
 * ASN1_SUCCESS, or libtasn1's error and *value NULL.
 */
int pkixasn_decode(const char *type, const void *der, size_t len,
    asn1_node *value);

#endif /* MTLS_PKIXASN_H */
