#include "ocsp.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>
#include <gnutls/x509-ext.h>

#include "certname.h"
#include "http.h"
#include "keylimits.h"
#include "ocsptime.h"
#include "policy.h"
#include "utctime.h"

#define OID_PKIX_OCSP_BASIC "1.3.6.1.5.5.7.48.1.1"

/* RFC 5280 CRLReason names, indexed by gnutls_x509_crl_reason_t. */
static const char *const reason_names[] = {
	"unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
	"superseded", "cessationOfOperation", "certificateHold", NULL,
	"removeFromCRL", "privilegeWithdrawn", "aACompromise"
};

static const char *
reason_name(unsigned reason)
{
	if (reason < sizeof(reason_names) / sizeof(reason_names[0]) &&
	    reason_names[reason] != NULL)
		return reason_names[reason];
	return "unrecognised reason";
}

static bool
datum_equal(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	return a->size == b->size &&
	    (a->size == 0 || memcmp(a->data, b->data, a->size) == 0);
}

static bool
oid_equal(const gnutls_datum_t *oid, const char *want)
{
	return oid->size == strlen(want) &&
	    memcmp(oid->data, want, oid->size) == 0;
}

static int
unavailable(const struct ocsp_query *q, struct finding *f,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
unavailable(const struct ocsp_query *q, struct finding *f,
    const char *fmt, ...)
{
	char why[FINDING_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return finding_set(f, MTLS_R_REVOCATION_UNAVAILABLE,
	    "OCSP responder %s gave no usable answer about %s: %s", q->shown,
	    q->subject, why);
}

/* Printable, no spaces or control bytes: what curl and a log line take. */
static bool
url_usable(const unsigned char *url, size_t len)
{
	if (len == 0 || len >= OCSP_URL_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (url[i] <= 0x20 || url[i] >= 0x7f)
			return false;
	return true;
}

/*
 * The first http:// OCSP access location of the certificate's
 * authorityInfoAccess.  https is skipped: checking the responder's own
 * certificate would need revocation checking of its own.
 */
static int
aia_ocsp_url(gnutls_x509_crt_t cert, char out[OCSP_URL_MAX])
{
	gnutls_datum_t ext = { NULL, 0 }, oid, san;
	gnutls_x509_aia_t aia;
	unsigned san_type;
	int ret = -1;

	if (gnutls_x509_crt_get_extension_by_oid2(cert, GNUTLS_OID_AIA, 0,
	    &ext, NULL) < 0)
		return -1;
	if (gnutls_x509_aia_init(&aia) < 0) {
		gnutls_free(ext.data);
		return -1;
	}
	if (gnutls_x509_ext_import_aia(&ext, aia, 0) == 0)
		for (unsigned i = 0; ret != 0 &&
		    gnutls_x509_aia_get(aia, i, &oid, &san_type, &san) == 0;
		    i++) {
			if (!oid_equal(&oid, GNUTLS_OID_AD_OCSP) ||
			    san_type != GNUTLS_SAN_URI || san.size < 7 ||
			    strncasecmp((char *)san.data, "http://", 7) != 0 ||
			    !url_usable(san.data, san.size))
				continue;
			memcpy(out, san.data, san.size);
			out[san.size] = '\0';
			ret = 0;
		}
	gnutls_x509_aia_deinit(aia);
	gnutls_free(ext.data);
	return ret;
}

static int
responder_url(struct ocsp_query *q, struct finding *f)
{
	const char *url = q->s->url;

	if (url != NULL) {
		if (!url_usable((const unsigned char *)url, strlen(url)))
			return finding_set(f, MTLS_R_REVOCATION_UNAVAILABLE,
			    "revocation.ocsp_url is not a usable URL; set it "
			    "to the responder's http:// address");
		snprintf(q->url, sizeof(q->url), "%s", url);
	} else if (aia_ocsp_url(q->cert, q->url) != 0)
		return finding_set(f, MTLS_R_REVOCATION_UNAVAILABLE,
		    "%s names no http:// OCSP responder in its "
		    "authorityInfoAccess; set revocation.ocsp_url or check "
		    "it by CRL", q->subject);
	http_url_shown(q->url, q->shown);
	return 0;
}

void
ocsp_query_clear(struct ocsp_query *q)
{
	gnutls_free(q->name_hash.data);
	gnutls_free(q->key_hash.data);
	gnutls_free(q->serial.data);
	gnutls_free(q->nonce.data);
	if (q->req != NULL)
		gnutls_ocsp_req_deinit(q->req);
}

/*
 * SHA-1 in the certID is not a weakness: it names the certificate, and it
 * is what responders index by (RFC 5019).
 */
int
ocsp_query_init(struct ocsp_query *q, const struct ocsp_settings *s,
    gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer, time_t now,
    struct finding *f)
{
	gnutls_hash_hd_t h;
	int ret;

	memset(q, 0, sizeof(*q));
	q->s = s;
	q->cert = cert;
	q->issuer = issuer;
	q->now = now;
	certname_subject(cert, q->subject);
	if (responder_url(q, f) != 0)
		return -1;
	if ((ret = gnutls_ocsp_req_init(&q->req)) < 0 ||
	    (ret = gnutls_ocsp_req_add_cert(q->req, GNUTLS_DIG_SHA1, issuer,
	    cert)) < 0 ||
	    (ret = gnutls_ocsp_req_get_cert_id(q->req, 0, NULL, &q->name_hash,
	    &q->key_hash, &q->serial)) < 0 ||
	    (s->nonce && ((ret = gnutls_ocsp_req_randomize_nonce(q->req)) < 0 ||
	    (ret = gnutls_ocsp_req_get_nonce(q->req, NULL, &q->nonce)) < 0)) ||
	    (ret = gnutls_hash_init(&h, GNUTLS_DIG_SHA256)) < 0) {
		ocsp_query_clear(q);
		return finding_set(f, MTLS_R_INTERNAL, "cannot build the OCSP "
		    "request for %s: %s", q->subject, gnutls_strerror(ret));
	}
	/* name and key hashes have the fixed SHA-1 size: no ambiguity */
	gnutls_hash(h, q->name_hash.data, q->name_hash.size);
	gnutls_hash(h, q->key_hash.data, q->key_hash.size);
	gnutls_hash(h, q->serial.data, q->serial.size);
	gnutls_hash_deinit(h, q->key);
	return 0;
}

/* der is at most OCSP_RESPONSE_MAX bytes: HTTP and the cache cap it. */
static int
response_parse(const struct ocsp_query *q, gnutls_ocsp_resp_t resp,
    const unsigned char *der, size_t len, struct finding *f)
{
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	gnutls_datum_t type = { NULL, 0 };
	char why[256];
	int ret, basic;

	if ((ret = gnutls_ocsp_resp_import(resp, &d)) < 0)
		return unavailable(q, f, "not an OCSP response (%s)",
		    gnutls_strerror(ret));
	ret = gnutls_ocsp_resp_get_status(resp);
	if (ret != GNUTLS_OCSP_RESP_SUCCESSFUL)
		return unavailable(q, f, "the responder reports failure "
		    "(OCSPResponseStatus %d)", ret);
	if (gnutls_ocsp_resp_get_response(resp, &type, NULL) < 0)
		return unavailable(q, f, "the response has no response "
		    "bytes");
	basic = oid_equal(&type, OID_PKIX_OCSP_BASIC);
	gnutls_free(type.data);
	if (!basic)
		return unavailable(q, f, "not a basic OCSP response");
	if (ocsptime_check(der, len, why, sizeof(why)) != 0)
		return unavailable(q, f, "%s; the responder must be fixed",
		    why);
	return 0;
}

static const char *
signer_problem(unsigned verify)
{
	if (verify & GNUTLS_OCSP_VERIFY_SIGNER_NOT_FOUND)
		return "its signer cannot be found";
	if (verify & GNUTLS_OCSP_VERIFY_SIGNER_KEYUSAGE_ERROR)
		return "the responder certificate lacks the OCSPSigning "
		    "extended key usage";
	if (verify & GNUTLS_OCSP_VERIFY_UNTRUSTED_SIGNER)
		return "the responder certificate was not issued by the "
		    "certificate's issuer";
	if (verify & GNUTLS_OCSP_VERIFY_INSECURE_ALGORITHM)
		return "it is signed with an insecure algorithm";
	if (verify & GNUTLS_OCSP_VERIFY_CERT_NOT_ACTIVATED)
		return "the responder certificate is not valid yet";
	if (verify & GNUTLS_OCSP_VERIFY_CERT_EXPIRED)
		return "the responder certificate has expired";
	return "its signature does not verify with the issuer's key";
}

static int
delegate_valid_now(const struct ocsp_query *q, gnutls_x509_crt_t responder,
    struct finding *f)
{
	char name[CERTNAME_MAX];
	time_t skew = (time_t)q->s->clock_skew;

	certname_subject(responder, name);
	if (gnutls_x509_crt_get_activation_time(responder) > q->now + skew)
		return unavailable(q, f, "responder certificate %s is not "
		    "valid yet", name);
	if (gnutls_x509_crt_get_expiration_time(responder) < q->now)
		return unavailable(q, f, "responder certificate %s has "
		    "expired", name);
	return 0;
}

/*
 * The certificates the response carries, before GnuTLS checks a signature
 * with one of their keys: a key too large would make that take seconds,
 * at every login that asks.
 */
static int
response_keys_bounded(const struct ocsp_query *q, gnutls_x509_crt_t *certs,
    size_t n, struct finding *f)
{
	char why[256], name[CERTNAME_MAX];

	for (size_t i = 0; i < n; i++)
		if (keylimits_check(certs[i], why, sizeof(why)) != 0) {
			certname_subject(certs[i], name);
			return unavailable(q, f, "it carries certificate '%s' "
			    "with %s, refused before any signature is checked",
			    name, why);
		}
	return 0;
}

/*
 * GnuTLS 3.7.9 verifies the signature and, for a delegated responder, that
 * the issuer signed its certificate and that it carries id-kp-OCSPSigning.
 * But it judges the responder certificate's validity by the wall clock,
 * not by the time of the check and its clock skew: so the certificate
 * whose key made the signature is found again and held to that here.
 */
static int
response_signer(const struct ocsp_query *q, gnutls_ocsp_resp_t resp,
    struct finding *f)
{
	gnutls_x509_crt_t *certs = NULL;
	size_t n = 0;
	unsigned verify = 0, by_it;
	bool found = false;
	int ret, sign = gnutls_ocsp_resp_get_signature_algorithm(resp);
	char remedy[160];

	/* GnuTLS, given no flags, believes a SHA-1 signature: the answer is
	 * held to the rule a certificate is (policy.allow_sha1) */
	if (policy_refuses_signature(q->s->allow_sha1, sign)) {
		policy_signature_remedy(sign, "it", "its answers", remedy,
		    sizeof(remedy));
		return unavailable(q, f, "%s", remedy);
	}
	if (gnutls_ocsp_resp_get_certs(resp, &certs, &n) < 0)
		return unavailable(q, f, "its certificates cannot be read");
	ret = response_keys_bounded(q, certs, n, f);
	if (ret == 0 && (ret = gnutls_ocsp_resp_verify_direct(resp, q->issuer,
	    &verify, 0)) < 0)
		ret = unavailable(q, f, "its signature cannot be checked (%s)",
		    gnutls_strerror(ret));
	else if (ret == 0 && verify != 0)
		ret = unavailable(q, f, "%s", signer_problem(verify));
	for (size_t i = 0; i < n; i++) {
		/* given itself as the issuer, a delegate verifies directly */
		if (ret == 0 && !found &&
		    !gnutls_x509_crt_equals(certs[i], q->issuer) &&
		    gnutls_ocsp_resp_verify_direct(resp, certs[i], &by_it,
		    0) == 0 && by_it == 0) {
			found = true;
			ret = delegate_valid_now(q, certs[i], f);
		}
		gnutls_x509_crt_deinit(certs[i]);
	}
	gnutls_free(certs);
	return ret;
}

/*
 * A nonce was sent (revocation.ocsp_nonce), so only a response that
 * carries it back is known to be made for this request.  RFC 8954 lets a
 * responder leave it out, but then freshness rests on the times alone,
 * and an on-path attacker may replay a "good" answer made before the
 * revocation until its nextUpdate: refused.  A nonce other than the one
 * sent is a replay.
 */
static int
response_nonce(const struct ocsp_query *q, gnutls_ocsp_resp_t resp,
    struct finding *f)
{
	gnutls_datum_t got = { NULL, 0 };
	bool same;
	int ret;

	ret = gnutls_ocsp_resp_get_nonce(resp, NULL, &got);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return unavailable(q, f, "it came without the nonce sent, so "
		    "it may be an old answer replayed; if this responder "
		    "never echoes nonces (many CA responders serve "
		    "pre-produced answers), set revocation.ocsp_nonce = "
		    "false to rely on its times instead");
	if (ret < 0)
		return unavailable(q, f, "its nonce cannot be read (%s)",
		    gnutls_strerror(ret));
	same = datum_equal(&got, &q->nonce);
	gnutls_free(got.data);
	if (!same)
		return unavailable(q, f, "its nonce is not the one sent: a "
		    "replayed or misdirected response");
	return 0;
}

struct single {
	unsigned status;
	time_t this_update;
	time_t next_update;
	time_t revoked_at;
	unsigned reason;
};

/* The SingleResponse about exactly the certID asked about. */
static int
response_single(const struct ocsp_query *q, gnutls_ocsp_resp_t resp,
    struct single *one, struct finding *f)
{
	gnutls_digest_algorithm_t dig;
	gnutls_datum_t nh, kh, sn;
	bool match = false;

	for (unsigned i = 0; !match; i++) {
		if (gnutls_ocsp_resp_get_single(resp, i, &dig, &nh, &kh, &sn,
		    &one->status, &one->this_update, &one->next_update,
		    &one->revoked_at, &one->reason) < 0)
			return unavailable(q, f, "it answers about other "
			    "certificates (no matching certID)");
		match = dig == GNUTLS_DIG_SHA1 &&
		    datum_equal(&nh, &q->name_hash) &&
		    datum_equal(&kh, &q->key_hash) &&
		    datum_equal(&sn, &q->serial);
		gnutls_free(nh.data);
		gnutls_free(kh.data);
		gnutls_free(sn.data);
	}
	return 0;
}

static int
response_fresh(const struct ocsp_query *q, const struct single *one,
    struct finding *f)
{
	time_t skew = (time_t)q->s->clock_skew;
	char when[UTCTIME_MAX];

	if (one->this_update == (time_t)-1)
		return unavailable(q, f, "its thisUpdate cannot be read");
	utctime_format(one->this_update, when);
	if (one->this_update > q->now + skew)
		return unavailable(q, f, "it is dated %s, in the future: check "
		    "the clocks of this host and of the responder", when);
	if (one->next_update != (time_t)-1) {
		if (one->next_update < one->this_update)
			return unavailable(q, f, "its nextUpdate precedes its "
			    "thisUpdate");
		utctime_format(one->next_update, when);
		if (one->next_update < q->now)
			return unavailable(q, f, "it is stale, its nextUpdate "
			    "%s has passed: the responder serves outdated "
			    "responses", when);
	} else if (q->now - one->this_update > (time_t)q->s->max_age)
		return unavailable(q, f, "it has no nextUpdate and was made "
		    "%s, longer ago than revocation.ocsp_max_age (%u s)", when,
		    q->s->max_age);
	return 0;
}

/*
 * Everything RFC 6960 asks of a response before it is believed but its
 * times: *one is what the issuer, or its responder, signed about this
 * certificate.
 */
static int
response_believed(const struct ocsp_query *q, const unsigned char *der,
    size_t len, bool answers_this_request, struct single *one,
    struct finding *f)
{
	gnutls_ocsp_resp_t resp;
	int ret;

	if ((ret = gnutls_ocsp_resp_init(&resp)) < 0)
		return finding_set(f, MTLS_R_INTERNAL, "cannot check the OCSP "
		    "answer about %s: %s", q->subject, gnutls_strerror(ret));
	ret = response_parse(q, resp, der, len, f);
	if (ret == 0)
		ret = response_signer(q, resp, f);
	if (ret == 0 && answers_this_request && q->nonce.size > 0)
		ret = response_nonce(q, resp, f);
	if (ret == 0)
		ret = response_single(q, resp, one, f);
	gnutls_ocsp_resp_deinit(resp);
	return ret;
}

/* Everything RFC 6960 asks of a response before it is believed. */
static int
response_judged(const struct ocsp_query *q, const unsigned char *der,
    size_t len, bool answers_this_request, struct single *one,
    struct ocsp_answer *answer, struct finding *f)
{
	time_t until;

	if (response_believed(q, der, len, answers_this_request, one,
	    f) != 0 || response_fresh(q, one, f) != 0)
		return -1;
	if (one->status == GNUTLS_OCSP_CERT_UNKNOWN)
		return finding_set(f, MTLS_R_REVOCATION_UNKNOWN, "OCSP "
		    "responder %s does not know %s: check that it serves this "
		    "certificate's CA", q->shown, q->subject);
	until = one->this_update + (time_t)q->s->max_age;
	if (one->next_update != (time_t)-1 && one->next_update < until)
		until = one->next_update;
	answer->status = one->status;
	answer->revoked_at = one->revoked_at;
	answer->reason = one->reason;
	answer->until = until;
	return 0;
}

int
ocsp_response_verify(const struct ocsp_query *q, const unsigned char *der,
    size_t len, bool answers_this_request, struct ocsp_answer *answer,
    struct finding *f)
{
	struct single one = { 0 };

	return response_judged(q, der, len, answers_this_request, &one,
	    answer, f);
}

/* subject and shown: the certificate and its responder, for messages */
static int
answer_verdict(const char *subject, const char *shown,
    const struct ocsp_answer *answer, struct finding *f)
{
	char when[UTCTIME_MAX] = "an unknown date";

	if (answer->status == GNUTLS_OCSP_CERT_GOOD)
		return 0;
	if (answer->revoked_at != (time_t)-1)
		utctime_format(answer->revoked_at, when);
	return finding_set(f, MTLS_R_REVOKED, "%s was revoked on %s (%s), "
	    "says OCSP responder %s", subject, when,
	    reason_name(answer->reason), shown);
}

/*
 * A response on disk counts only if it passes every check again; a file
 * refused before that (who owns it, who may write it) is said in refused.
 */
static int
answer_from_file(const struct ocsp_query *q, struct ocsp_cache *cache,
    struct ocsp_answer *answer, char *refused, size_t refusedlen)
{
	struct finding ignored;
	unsigned char *der;
	size_t len;
	int ret;

	if (ocsp_cache_read_file(cache, q->key, &der, &len, refused,
	    refusedlen) != 0)
		return -1;
	ret = ocsp_response_verify(q, der, len, false, answer, &ignored);
	free(der);
	if (ret != 0 || answer->until <= q->now)
		return -1;
	ocsp_cache_put(cache, q->key, answer, NULL, 0);
	return 0;
}

/*
 * The revocation said by the response cached on disk, when a "good"
 * answer dated good_at cannot take it back: RFC 6960 keeps a revoked
 * certificate revoked, unless it is on hold (certificateHold), which
 * only a newer answer releases.  Without a nonce nothing ties a response
 * to its request, and an on-path attacker may replay a "good" answer
 * made before the revocation until its nextUpdate, also once the revoked
 * answer is past ocsp_max_age: the file, which only a newer answer
 * replaces, is believed as a fresh response would be but for its times
 * (a revocation stays true however old the answer saying it).
 */
static bool
revocation_held(const struct ocsp_query *q, struct ocsp_cache *cache,
    time_t good_at, struct ocsp_answer *held, time_t *held_at)
{
	struct finding ignored;
	struct single one = { 0 };
	unsigned char *der;
	size_t len;
	char refused[FINDING_TEXT_MAX];
	int ret;

	if (ocsp_cache_read_file(cache, q->key, &der, &len, refused,
	    sizeof(refused)) != 0)
		return false;
	ret = response_believed(q, der, len, false, &one, &ignored);
	free(der);
	if (ret != 0 || one.status != GNUTLS_OCSP_CERT_REVOKED ||
	    (one.reason == GNUTLS_X509_CRLREASON_CERTIFICATEHOLD &&
	    one.this_update < good_at))
		return false;
	held->status = one.status;
	held->revoked_at = one.revoked_at;
	held->reason = one.reason;
	held->until = one.this_update;	/* used up already */
	*held_at = one.this_update;
	return true;
}

/* The revocation held (revocation_held()) against a "good" of good_at. */
static int
held_verdict(const struct ocsp_query *q, const struct ocsp_answer *held,
    time_t held_at, time_t good_at, struct finding *f)
{
	char dated[UTCTIME_MAX], kept[UTCTIME_MAX];
	size_t n;

	answer_verdict(q->subject, q->shown, held, f);
	utctime_format(good_at, dated);
	utctime_format(held_at, kept);
	n = strlen(f->text);
	if (good_at <= held_at)
		snprintf(f->text + n, sizeof(f->text) - n, "; it now answers "
		    "\"good\" in a response dated %s, older than the one of %s "
		    "kept here: an old response replayed, refused (set "
		    "revocation.ocsp_nonce = true if the responder echoes "
		    "nonces)", dated, kept);
	else
		snprintf(f->text + n, sizeof(f->text) - n, "; it now answers "
		    "\"good\" (%s), but only a certificate on hold can be "
		    "released: its CA must issue a new certificate", dated);
	return -1;
}

static int
answer_from_responder(const struct ocsp_query *q, struct ocsp_cache *cache,
    struct ocsp_answer *answer, struct finding *f)
{
	gnutls_datum_t req = { NULL, 0 };
	struct http_response resp;
	struct ocsp_answer held;
	struct single one = { 0 };
	char err[FINDING_TEXT_MAX];
	time_t held_at;
	int ret;

	if ((ret = gnutls_ocsp_req_export(q->req, &req)) < 0)
		return finding_set(f, MTLS_R_INTERNAL, "cannot encode the OCSP "
		    "request for %s: %s", q->subject, gnutls_strerror(ret));
	ret = http_post(q->url, "application/ocsp-request", req.data,
	    req.size, (long)q->s->timeout_ms, OCSP_RESPONSE_MAX, &resp, err,
	    sizeof(err));
	gnutls_free(req.data);
	if (ret != 0)
		return finding_set(f, MTLS_R_REVOCATION_UNAVAILABLE,
		    "OCSP responder %s (asked about %s)", err, q->subject);
	if (resp.status != 200)
		ret = unavailable(q, f, "HTTP status %ld", resp.status);
	else
		ret = response_judged(q, resp.body, resp.len, true, &one,
		    answer, f);
	if (ret == 0 && answer->status == GNUTLS_OCSP_CERT_GOOD &&
	    revocation_held(q, cache, one.this_update, &held, &held_at))
		ret = held_verdict(q, &held, held_at, one.this_update, f);
	else if (ret == 0 && answer->until > q->now)
		ocsp_cache_put(cache, q->key, answer, resp.body, resp.len);
	http_response_free(&resp);
	return ret;
}

/* Offline, a responder is never asked: what the cache lacks stays owed. */
static int
answer_owed(const struct ocsp_query *q, struct ocsp_call *call,
    struct finding *f)
{
	call->owed = true;
	return finding_set(f, MTLS_R_REVOCATION_UNAVAILABLE, "no cached OCSP "
	    "answer about %s, and this check was made without the network; "
	    "responder %s is asked when it is made with it", q->subject,
	    q->shown);
}

/* The answer in memory about the certificate id names, if any. */
static bool
answer_remembered(struct ocsp_cache *cache, const struct ocsp_id *id,
    time_t now, struct finding *f, int *ret)
{
	struct ocsp_answer answer;

	if (id == NULL || !id->set ||
	    ocsp_cache_get(cache, id->key, now, &answer) != 0)
		return false;
	*ret = answer_verdict(id->subject, id->shown, &answer, f);
	return true;
}

static void
id_learn(struct ocsp_id *id, const struct ocsp_query *q)
{
	if (id == NULL || id->set)
		return;
	memcpy(id->key, q->key, sizeof(id->key));
	memcpy(id->subject, q->subject, sizeof(id->subject));
	memcpy(id->shown, q->shown, sizeof(id->shown));
	id->set = true;
}

/*
 * Why no cached answer prevented the rejection: a refused cache file,
 * none kept at all (revocation.ocsp_max_age = 0), or a directory that
 * cannot keep answers (a RADIUS server's gate, which only reads them,
 * rejects every time until it is mended).
 */
static void
cache_note_add(struct ocsp_cache *cache, const struct ocsp_settings *s,
    struct finding *f, const char *refused)
{
	char why[FINDING_TEXT_MAX];
	size_t n = strlen(f->text);

	if (refused[0] != '\0')
		snprintf(f->text + n, sizeof(f->text) - n, "; the cached "
		    "answer was refused: %s", refused);
	else if (s->max_age == 0)
		snprintf(f->text + n, sizeof(f->text) - n, "; no answer is "
		    "kept, as revocation.ocsp_max_age is 0: set it to 300 or "
		    "more");
	else if (ocsp_cache_dir_usable(cache, why, sizeof(why)) != 0)
		snprintf(f->text + n, sizeof(f->text) - n, "; %s", why);
}

int
ocsp_check(struct ocsp_cache *cache, const struct ocsp_settings *s,
    gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer, time_t now,
    struct ocsp_call *call, struct finding *f)
{
	struct ocsp_call online = { false, false, false, NULL };
	char refused[FINDING_TEXT_MAX];
	struct ocsp_answer answer;
	struct ocsp_query q;
	int ret;

	ocsp_cache_max_age_said(cache, s->max_age);
	if (call == NULL)
		call = &online;
	call->cached = false;
	call->owed = false;
	if (answer_remembered(cache, call->id, now, f, &ret)) {
		call->cached = true;
		return ret;
	}
	if (ocsp_query_init(&q, s, cert, issuer, now, f) != 0)
		return -1;
	id_learn(call->id, &q);
	if (ocsp_cache_get(cache, q.key, now, &answer) == 0 ||
	    answer_from_file(&q, cache, &answer, refused,
	    sizeof(refused)) == 0) {
		call->cached = true;
		ret = answer_verdict(q.subject, q.shown, &answer, f);
	} else if (call->offline) {
		ret = answer_owed(&q, call, f);
		cache_note_add(cache, s, f, refused);
	} else if (answer_from_responder(&q, cache, &answer, f) == 0)
		ret = answer_verdict(q.subject, q.shown, &answer, f);
	else {
		ret = -1;
		if (f->reason != MTLS_R_REVOKED)
			cache_note_add(cache, s, f, refused);
	}
	ocsp_query_clear(&q);
	return ret;
}
