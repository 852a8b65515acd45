/*
 * rfc5280.h - the RFC 5280 rules GnuTLS 3.7's verifier does not enforce
 * (internal).
 *
 * A plain gnutls_x509_trust_list_verify_crt2() caller accepts chains RFC 5280
 * forbids.  These checks close that gap; GnuTLS still does the signatures.
 * Each returns 0 when the rule holds, or -1 with the finding set.
 */
#ifndef MTLS_RFC5280_H
#define MTLS_RFC5280_H

#include <stdbool.h>
#include <stddef.h>

#include <gnutls/x509.h>

#include "finding.h"

/*
 * Rules for a certificate that issues others.  Every CA: X.509 v3,
 * basicConstraints present, critical, with CA set; a subject key
 * identifier.  An intermediate (anchor false) also: keyCertSign when
 * keyUsage is present.  A trust anchor without keyUsage is tolerated.
 */
int rfc5280_check_ca(gnutls_x509_crt_t ca, bool anchor, struct finding *f);

/*
 * Rules for any certificate in a path: serial number positive and at most
 * 20 octets; no unknown critical extension, and none critical that must
 * not be (AKI, SKI); an extendedKeyUsage, when present, not empty;
 * subjectAltName entries valid names.  A v1 certificate has no extensions,
 * so only the serial rule applies to it.
 */
int rfc5280_check_cert(gnutls_x509_crt_t crt, struct finding *f);

/*
 * Rules for the client certificate: not a CA (basicConstraints CA or
 * keyCertSign), and a v3 client certificate carries an authority key
 * identifier.
 */
int rfc5280_check_leaf(gnutls_x509_crt_t leaf, struct finding *f);

/*
 * Rules across the path chain[0] (leaf) .. chain[n-1] (anchor): each
 * authority key identifier matches the issuer's subject key identifier,
 * pathLenConstraint holds, and every name below a CA with nameConstraints
 * (DNS, email, directoryName, IP, URI) is permitted and not excluded.
 */
int rfc5280_check_path(gnutls_x509_crt_t *chain, size_t n, struct finding *f);

/*
 * Rules for a CRL: a CRL number, non-critical, non-negative, at most 20
 * octets; a nextUpdate; not a delta CRL; not indirect (by its
 * issuingDistributionPoint or by an entry's certificateIssuer); not
 * partitioned by reason or named without a URI; no extension twice; no
 * unknown critical extension, on the CRL or on an entry.
 */
int rfc5280_check_crl(gnutls_x509_crl_t crl, struct finding *f);

#endif /* MTLS_RFC5280_H */
