/*
 * user_message.c - the one sentence a person at a login prompt reads.
 *
 * It must help them act (get a new certificate, pick another one, fix a
 * clock, try later, call the administrator) and must tell an attacker
 * probing the door nothing of the server: no CA names, file names, URLs,
 * settings or mapped user names.  The administrator's explanation says
 * all of that, in the audit line.
 */
#include <stdio.h>

#include "utctime.h"
#include "verdict.h"

const char verdict_internal_message[] = "Your login could not be checked "
    "because of a problem on this system; try again later, or tell your "
    "administrator.";

static const char not_trusted[] = "Your certificate is not from an "
    "authority this system trusts; ask your administrator which "
    "certificate to use.";
static const char not_accepted[] = "Your certificate does not meet this "
    "system's requirements; ask your administrator for a new one.";
static const char issuer_refused[] = "The authority that issued your "
    "certificate is not accepted here; ask your administrator.";
static const char not_for_login[] = "Your certificate is not made for "
    "logging in; ask your administrator for one that is.";
static const char weak[] = "Your certificate's cryptography is too weak "
    "for this system; ask your administrator for a new one.";
static const char status_unknown[] = "Whether your certificate is still "
    "valid cannot be checked right now; try again later, or tell your "
    "administrator.";

static const char *const messages[MTLS_R_COUNT] = {
	[MTLS_R_OK] = "Your certificate is accepted.",
	[MTLS_R_CERT_MALFORMED] = "Your certificate cannot be read; ask your "
	    "administrator for a new one.",
	[MTLS_R_CHAIN_TOO_LONG] = "Your device sent more certificates than a "
	    "login needs; check its certificate settings, or ask your "
	    "administrator.",
	[MTLS_R_ISSUER_NOT_FOUND] = not_trusted,
	[MTLS_R_UNTRUSTED_ROOT] = not_trusted,
	[MTLS_R_SIGNATURE_INVALID] = "Your certificate is not genuine: its "
	    "signature does not verify; ask your administrator for a new "
	    "one.",
	[MTLS_R_EXPIRED] = "A certificate your certificate depends on has "
	    "expired; ask your administrator.",
	[MTLS_R_NOT_YET_VALID] = "A certificate your certificate depends on "
	    "is not valid yet; check your device's clock, or ask your "
	    "administrator.",
	[MTLS_R_ISSUER_NOT_CA] = issuer_refused,
	[MTLS_R_ISSUER_KEY_USAGE] = issuer_refused,
	[MTLS_R_LEAF_IS_CA] = "You chose the certificate of an authority, not "
	    "your own; choose your personal certificate.",
	[MTLS_R_PATH_LENGTH] = issuer_refused,
	[MTLS_R_NAME_CONSTRAINTS] = "Your certificate names something its "
	    "authority may not vouch for; ask your administrator for a new "
	    "one.",
	[MTLS_R_KEY_IDENTIFIER] = not_accepted,
	[MTLS_R_EMPTY_EKU] = not_for_login,
	[MTLS_R_BAD_SERIAL] = not_accepted,
	[MTLS_R_CRITICAL_EXTENSION] = not_accepted,
	[MTLS_R_BAD_NAME] = not_accepted,
	[MTLS_R_V1_CA] = issuer_refused,
	[MTLS_R_V1_LEAF] = not_accepted,
	[MTLS_R_PURPOSE] = not_for_login,
	[MTLS_R_EKU_MISSING] = not_for_login,
	[MTLS_R_KEY_USAGE] = not_for_login,
	[MTLS_R_WEAK_KEY] = weak,
	[MTLS_R_WEAK_SIGNATURE] = weak,
	[MTLS_R_KEY_TOO_LARGE] = not_accepted,
	[MTLS_R_CHAIN_TOO_DEEP] = issuer_refused,
	[MTLS_R_REVOKED] = "Your certificate has been revoked; ask your "
	    "administrator for a new one.",
	[MTLS_R_CRL_MISSING] = status_unknown,
	[MTLS_R_CRL_STALE] = status_unknown,
	[MTLS_R_CRL_INVALID] = status_unknown,
	[MTLS_R_REVOCATION_UNAVAILABLE] = status_unknown,
	[MTLS_R_REVOCATION_UNKNOWN] = "Your certificate is unknown to the "
	    "service that tells whether it is still valid; ask your "
	    "administrator.",
	[MTLS_R_USER_UNMAPPED] = "Your certificate is not linked to a user "
	    "account here; ask your administrator.",
	[MTLS_R_USER_MISMATCH] = "Your certificate belongs to another user "
	    "account; log in as that user, or use your own certificate.",
	[MTLS_R_CHAIN_INVALID] = not_accepted,
	[MTLS_R_INTERNAL] = verdict_internal_message,
	[MTLS_R_WORK_LIMIT] = "Your certificate came with too many "
	    "certificates to sort out; check your device's certificate "
	    "settings, or ask your administrator.",
	[MTLS_R_POLICY] = "Your certificate was not issued under a policy "
	    "this system accepts; ask your administrator for one that is.",
	[MTLS_R_BAD_POLICY] = not_accepted,
	[MTLS_R_NO_CERT] = "Your device sent no certificate; install yours "
	    "and choose it when asked, or ask your administrator.",
};

void
verdict_user_message(struct mtls_verdict *v)
{
	enum mtls_reason reason = v->finding.reason;
	char when[UTCTIME_MAX];
	bool own = mtls_verdict_failed_depth(v) == 0;

	/* the dates are the client certificate's own: worth telling */
	if (reason == MTLS_R_EXPIRED && own && v->not_after != (time_t)-1) {
		utctime_format(v->not_after, when);
		snprintf(v->user_message, sizeof(v->user_message), "Your "
		    "certificate expired on %s; ask your administrator for a "
		    "new one.", when);
		return;
	}
	if (reason == MTLS_R_NOT_YET_VALID && own &&
	    v->not_before != (time_t)-1) {
		utctime_format(v->not_before, when);
		snprintf(v->user_message, sizeof(v->user_message), "Your "
		    "certificate is not valid before %s; check your device's "
		    "clock, or wait until then.", when);
		return;
	}
	snprintf(v->user_message, sizeof(v->user_message), "%s",
	    (unsigned)reason < MTLS_R_COUNT && messages[reason] != NULL ?
	    messages[reason] : verdict_internal_message);
}
