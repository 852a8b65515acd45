/*
 * dertime.h - the Time of RFC 5280 read from DER (internal).
 *
 * Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime } in the
 * forms RFC 5280 (4.1.2.5) allows and no other: YYMMDDHHMMSSZ (1950 to
 * 2049) and YYYYMMDDHHMMSSZ.  No fraction of a second (4.1.2.5.2 says
 * GeneralizedTime MUST NOT have one), no time zone but Z, no missing
 * seconds; CRLs (5.1.2.4) and OCSP (RFC 6960, 4.2.2.1) use the same
 * rules.  GnuTLS holds to them as well, but only says that a time could
 * not be read: it refuses to import a certificate with such a time, and
 * reads such a time of a CRL or an OCSP response as absent.  What is
 * wrong with a time is said here, for the administrator who must have it
 * fixed.
 */
#ifndef MTLS_DERTIME_H
#define MTLS_DERTIME_H

#include <stddef.h>
#include <time.h>

#include "dertlv.h"

/*
 * Read the UTCTime or GeneralizedTime t into *when: 0, or -1 with *why
 * set to what is wrong with it ("has a fraction of a second, which RFC
 * 5280 forbids", ...), a static string.
 */
int dertime_read(const struct dertlv *t, time_t *when, const char **why);

/*
 * Whether t, the time named name (such as "notBefore"), is one RFC 5280
 * allows: 0, or -1 with err saying what is wrong with it: "its notBefore
 * (20500101120000.5Z) has a fraction of a second, which RFC 5280
 * forbids".
 */
int dertime_check(const char *name, const struct dertlv *t, char *err,
    size_t errlen);

/*
 * Why the validity of the DER certificate der cannot be read: 0 when
 * both its times can (or der is not walked that far: its fault is
 * another), -1 with err as from dertime_check().
 */
int dertime_cert_validity(const unsigned char *der, size_t len, char *err,
    size_t errlen);

#endif /* MTLS_DERTIME_H */
