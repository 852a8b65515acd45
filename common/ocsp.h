/*
 * ocsp.h - revocation by asking the issuer's OCSP responder (internal).
 *
 * One certificate and its issuer, both from the path already built and
 * verified, are put to the responder named by the configuration or by the
 * certificate's authorityInfoAccess (RFC 6960), POSTed over HTTP with a
 * deadline for the whole exchange.  Nothing in the response is believed
 * before it is verified:
 *   - responseStatus successful, a basic response;
 *   - signed by the issuer itself, or by a responder certificate included
 *     in the response, issued directly by the issuer, carrying
 *     id-kp-OCSPSigning and valid at the time of the check (GnuTLS 3.7.9
 *     uses the wall clock there: checked again here).  The responder
 *     certificate's own revocation (id-pkix-ocsp-nocheck) is not checked;
 *   - a SingleResponse whose certID (SHA-1, hash algorithm, issuer name
 *     hash, issuer key hash, serial) is the one asked about;
 *   - thisUpdate not later than now + clock_skew; nextUpdate, when present,
 *     not earlier than now - clock_skew; without nextUpdate, thisUpdate not
 *     older than max_age + clock_skew;
 *   - the nonce, when one was sent and the response carries one, equal to
 *     it.  RFC 8954 lets a responder ignore the nonce (pre-produced RFC 5019
 *     responses do), so a response without one is accepted when it passes
 *     the time checks above; a different nonce is a replay and never is.
 *
 * Good and revoked answers are cached (ocsp_cache.h) until the earlier of
 * nextUpdate and thisUpdate + max_age; unknown answers and failures are
 * not, so the next check asks again.  A cached response read from disk is
 * verified again like a fresh one, except for the nonce.
 */
#ifndef MTLS_OCSP_H
#define MTLS_OCSP_H

#include <stdbool.h>
#include <time.h>

#include <gnutls/x509.h>

#include "finding.h"
#include "ocsp_cache.h"

struct ocsp_settings {
	const char *url;	/* for every certificate; NULL: its AIA */
	unsigned timeout_ms;	/* the whole HTTP exchange; 0 is refused */
	bool nonce;		/* send one, demand it back if echoed */
	unsigned max_age;	/* seconds an answer is trusted, cached */
	unsigned clock_skew;	/* seconds of tolerance on its times */
};

/*
 * Ask about cert, issued by issuer, as of now.  Returns 0 when the
 * responder (or the cache) says good.  Otherwise -1 with the finding:
 *   MTLS_R_REVOKED                 the responder says revoked;
 *   MTLS_R_REVOCATION_UNKNOWN      the responder does not know the
 *                                  certificate;
 *   MTLS_R_REVOCATION_UNAVAILABLE  no usable answer: no responder URL,
 *                                  refused, timed out, HTTP error, not an
 *                                  OCSP response, wrong signer, certID or
 *                                  nonce mismatch, not fresh;
 *   MTLS_R_INTERNAL                out of memory or a GnuTLS failure.
 * Each explanation names the certificate and the responder URL.  Whether
 * "unavailable" rejects (revocation.ocsp_soft_fail) is the caller's call.
 * Safe to call from several threads at once on the same cache.
 */
int ocsp_check(struct ocsp_cache *cache, const struct ocsp_settings *s,
    gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer, time_t now,
    struct finding *f);

#endif /* MTLS_OCSP_H */
