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
 *     not earlier than now; without nextUpdate, thisUpdate not older than
 *     max_age.  The skew is for a host clock that is behind, which makes
 *     an answer look younger, never older; the responder certificate's
 *     notBefore is widened by it too, never its notAfter;
 *   - the nonce, when one was sent and the response carries one, equal to
 *     it.  RFC 8954 lets a responder ignore the nonce (pre-produced RFC 5019
 *     responses do), so a response without one is accepted when it passes
 *     the time checks above; a different nonce is a replay and never is.
 *
 * Good and revoked answers are cached (ocsp_cache.h) until the earlier of
 * nextUpdate and thisUpdate + max_age; unknown answers and failures are
 * not, so the next check asks again.  A cached response read from disk is
 * verified again like a fresh one, except for the nonce.  A revoked one
 * on disk still counts, but for its times, against a "good" answer from
 * the responder: that does not take it back when it is older (a replay,
 * which without a nonce an on-path attacker may make), nor when it is
 * newer, unless the certificate was only on hold (certificateHold).
 */
#ifndef MTLS_OCSP_H
#define MTLS_OCSP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <gnutls/ocsp.h>
#include <gnutls/x509.h>

#include "certname.h"
#include "finding.h"
#include "http.h"
#include "ocsp_cache.h"

struct ocsp_settings {
	const char *url;	/* for every certificate; NULL: its AIA */
	unsigned timeout_ms;	/* the whole HTTP exchange; 0 is refused */
	bool nonce;		/* send one, demand it back if echoed */
	unsigned max_age;	/* seconds an answer is trusted, cached */
	unsigned clock_skew;	/* seconds a time may lie in the future;
				 * 0 for a time given with the request */
	bool allow_sha1;	/* policy.allow_sha1: SHA-1 signed answers */
};

/*
 * What names a certificate to its responder: the key of its answers in
 * the cache, and its subject and responder for messages.  Working it out
 * means building the OCSP request (its certID); a verifier that sees the
 * same certificate again keeps it (pathcache.h), so that an answer in
 * memory costs a lookup, not a request that is never sent.
 */
struct ocsp_id {
	bool set;
	unsigned char key[OCSP_CACHE_KEY_LEN];
	char subject[CERTNAME_MAX];
	char shown[HTTP_URL_SHOWN_MAX];
};

/* What one ocsp_check() may do, and how it came by its answer. */
struct ocsp_call {
	bool offline;	/* in: the cache answers, no responder is asked */
	bool cached;	/* out: the answer came from the cache */
	bool owed;	/* out: offline, the cache had no answer */
	/* in and out, or NULL: when set, the answer in memory is looked up
	 * by it alone; when not, it is set from the request built */
	struct ocsp_id *id;
};

/*
 * Ask about cert, issued by issuer, as of now; call, when not NULL, says
 * whether the responder may be asked and learns where the answer came
 * from (NULL: it may, and nobody asks).  Returns 0 when the
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
    struct ocsp_call *call, struct finding *f);

/*
 * The steps of ocsp_check(), apart so that a response can be judged
 * without a responder (the fuzzer of fuzz/ and the tests do).
 */

#define OCSP_URL_MAX 1024

/* One question to one responder, and what judging the answer needs. */
struct ocsp_query {
	const struct ocsp_settings *s;
	gnutls_x509_crt_t cert;
	gnutls_x509_crt_t issuer;
	time_t now;
	char subject[CERTNAME_MAX];
	char url[OCSP_URL_MAX];
	char shown[HTTP_URL_SHOWN_MAX];	/* url, for messages */
	gnutls_ocsp_req_t req;
	gnutls_datum_t name_hash;	/* the certID asked about */
	gnutls_datum_t key_hash;
	gnutls_datum_t serial;
	gnutls_datum_t nonce;		/* sent, or empty */
	unsigned char key[OCSP_CACHE_KEY_LEN];
};

/*
 * The request about cert, issued by issuer, as of now, to the responder
 * of the settings or of cert's authorityInfoAccess.  -1 with the finding
 * (as ocsp_check()) when there is no responder or GnuTLS fails; else
 * ocsp_query_clear() it.
 */
int ocsp_query_init(struct ocsp_query *q, const struct ocsp_settings *s,
    gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer, time_t now,
    struct finding *f);
void ocsp_query_clear(struct ocsp_query *q);

/*
 * Judge der, a DER OCSP response of at most OCSP_RESPONSE_MAX bytes, by
 * every rule above; the nonce only when answers_this_request (a response
 * read back from the cache answered an earlier request).  0 with the
 * answer for good and revoked; unknown and every failure return -1 with
 * the finding, as ocsp_check() does.
 */
int ocsp_response_verify(const struct ocsp_query *q, const unsigned char *der,
    size_t len, bool answers_this_request, struct ocsp_answer *answer,
    struct finding *f);

#endif /* MTLS_OCSP_H */
