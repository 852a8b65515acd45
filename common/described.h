/*
 * described.h - a client certificate known only by what a server that
 * verified it reports (internal; mtls_request_describe()).
 *
 * The checks that need no more than issuer, serial number and names -
 * revocation by CRL and OCSP cache, user mapping - take a certificate.
 * So one is made that carries exactly what was described: issued (in
 * name and key identifier) by the configured CA the description names,
 * with the serial number, commonName, email and UPN described, and signed
 * by a throwaway key so that GnuTLS parses it like any other.  It stands
 * for the real certificate only before those checks: its signature,
 * fingerprint and anything else it holds mean nothing.
 */
#ifndef MTLS_DESCRIBED_H
#define MTLS_DESCRIBED_H

#include <stdbool.h>

#include <gnutls/x509.h>

#include "certset.h"
#include "finding.h"
#include "mtls.h"
#include "request.h"

/* Longest described value: FreeRADIUS writes each into 1024 bytes. */
#define DESCRIBED_VALUE_MAX 1024

/* Whether the request is a description rather than a certificate. */
bool described_request(const struct mtls_request *request);

/*
 * The stand-in for the certificate fields[] (MTLS_DESCRIBED_COUNT
 * strings, NULL where not described) describe, issued by the one
 * certificate of known whose subject is the described issuer and,
 * when described, whose subject key identifier is the described
 * authority key identifier.  Rejects (issuer-not-found, bad-serial,
 * cert-malformed) with f set; names[i] is known.crts[i]'s subject as
 * verdicts write it, for the issuer in RFC 4514 form (names NULL: each is
 * written when compared).
 */
int described_leaf(char *const fields[MTLS_DESCRIBED_COUNT],
    const struct certset *known, char *const *names,
    gnutls_x509_crt_t *leaf, struct finding *f);

#endif /* MTLS_DESCRIBED_H */
