/*
 * crl.h - revocation from local CRL files (internal).
 *
 * GnuTLS's trust list ignores expired CRLs and refuses CRLs issued by
 * intermediates, so CRLs are kept apart from it: read once, in one pass
 * (crlread.h), checked against RFC 5280, verified against their issuer,
 * and looked up by binary search over their sorted serial numbers.
 */
#ifndef MTLS_CRL_H
#define MTLS_CRL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <gnutls/x509.h>

#include "certset.h"
#include "config.h"
#include "crl_coverage.h"
#include "crlread.h"
#include "finding.h"

struct crl_store;

/*
 * Load the files.  A CRL that cannot be read or parsed, breaks the RFC 5280
 * CRL rules, or whose signature fails against an issuer found among
 * known_issuers is an error naming the file.  A CRL whose issuer is not
 * among known_issuers is verified later against the issuer in a path,
 * once for each key that signed it (its DER is kept for that; the DER of
 * a CRL verified at load is not).  known_issuers must outlive the store.
 */
int crl_store_load(struct crl_store **out, const struct strlist *files,
    const struct certset *known_issuers, char *err, size_t errlen);

void crl_store_free(struct crl_store *store);

/*
 * Check chain[0] (leaf) .. chain[n-1] (anchor) at time now with the CRLs
 * of the store, by the rules of crl_coverage_check() (crl_coverage.h); a
 * covering CRL not verified at load whose signature fails against the
 * issuer in the path is MTLS_R_CRL_INVALID.  A NULL store holds no CRL.
 * Safe to call from several threads at once.
 */
int crl_check(const struct crl_store *store, const struct mtls_policy *policy,
    gnutls_x509_crt_t *chain, size_t n, enum mtls_crl_require require,
    unsigned stale_grace, unsigned clock_skew, time_t now, struct finding *f);

/* The store as a source of CRLs for crl_coverage.h. */
void crl_store_source(const struct crl_store *store, struct crl_source *out);

/*
 * Whether issuer can vouch for crl: it may sign CRLs (cRLSign in its
 * keyUsage, or a CA certificate without keyUsage) and, when crl is not
 * NULL, the CRL's signature verifies with its key.  The CRL's dates are
 * not judged here.
 * Otherwise why says what is wrong, naming issuer.  Also used by "mtls
 * crl update" (crl_update.c).
 */
bool crl_issuer_vouches(const struct crlread *crl, gnutls_x509_crt_t issuer,
    char *why, size_t whylen);

#endif /* MTLS_CRL_H */
