/*
 * ocsptime.h - the times of an OCSP response, read from its DER
 * (internal).
 *
 * GnuTLS reads a time of an OCSP response that it cannot parse as -1: a
 * thisUpdate so is caught, but a nextUpdate so looks absent, and the
 * answer would be taken for one that never expires (then held only to
 * revocation.ocsp_max_age).  RFC 6960 (4.2.2.1) holds these times to
 * RFC 5280's form (dertime.h); a response with a time out of that form
 * is refused whole, saying which time and what is wrong with it.
 */
#ifndef MTLS_OCSPTIME_H
#define MTLS_OCSPTIME_H

#include <stddef.h>

/*
 * Whether every time of the DER OCSP response der (producedAt, and of
 * each SingleResponse thisUpdate, nextUpdate and revocationTime) is of
 * the form RFC 5280 allows: 0 when they are (or der is not walked that
 * far: GnuTLS judges its structure), -1 with err naming the time and its
 * fault.
 */
int ocsptime_check(const unsigned char *der, size_t len, char *err,
    size_t errlen);

#endif /* MTLS_OCSPTIME_H */
