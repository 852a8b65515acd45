/*
 * crl_delta_remarks.h - what "mtls config check" says of delta CRLs
 * (internal).
 *
 * Two configurations load and verify, yet not as their administrator
 * meant: a delta CRL without its complete CRL rejects every certificate
 * it covers (crl-missing); and where a complete CRL, or a configured CA
 * certificate, names delta CRLs of its issuer (freshestCRL) and none is
 * configured, the complete CRL alone decides, and a certificate revoked
 * since is accepted until the next one, up to a week with Microsoft
 * AD CS.  And a delta CRL signed with another key of its CA than its
 * complete CRLs, as after a renewal of the CA's key, is not read with
 * them: it lifts no hold, and the complete CRL alone says whether
 * revocation is fresh.
 */
#ifndef MTLS_CRL_DELTA_REMARKS_H
#define MTLS_CRL_DELTA_REMARKS_H

#include <stddef.h>

#include "certset.h"
#include "crl_coverage.h"
#include "strlist.h"

/*
 * Append to out a sentence for each such case among the CRLs of the n
 * sources and the certificates of cas.  -1 when memory runs out.
 */
int crl_delta_remarks(const struct crl_source *const *sources, size_t n,
    const struct certset *cas, struct strlist *out);

#endif /* MTLS_CRL_DELTA_REMARKS_H */
