#include "pkcs11_source.h"

#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "message.h"
#include "mtls.h"
#include "outcome.h"
#include "pin.h"
#include "possession.h"
#include "token.h"

/* A certificate of another user: not this user's to report on. */
static int
someone_elses(const struct mtls_verdict *verdict)
{
	enum mtls_reason reason = mtls_verdict_reason(verdict);

	return reason == MTLS_R_USER_MISMATCH ||
	    reason == MTLS_R_USER_UNMAPPED;
}

/*
 * Verify each certificate until one is accepted; returns its index, or
 * -1 with *verdict the rejection most worth telling the user: one about a
 * certificate of theirs (expired, revoked) before one of someone else's.
 */
static int
choose(struct verifier *v, const struct token_set *set, const char *user,
    struct mtls_verdict **verdict)
{
	struct mtls_verdict *got;
	size_t i;

	*verdict = NULL;
	for (i = 0; i < set->count; i++) {
		struct peer peer = { set->certs[i].der, set->certs[i].der_len,
		    NULL, 0 };

		got = verifier_check(v, &peer, user);
		if (mtls_verdict_accepted(got)) {
			mtls_verdict_free(*verdict);
			*verdict = got;
			return (int)i;
		}
		if (*verdict == NULL || (someone_elses(*verdict) &&
		    !someone_elses(got))) {
			mtls_verdict_free(*verdict);
			*verdict = got;
		} else
			mtls_verdict_free(got);
	}
	return -1;
}

static int
rejected(pam_handle_t *pamh, const char *user,
    const struct mtls_verdict *verdict)
{
	if (user != NULL &&
	    mtls_verdict_reason(verdict) == MTLS_R_USER_MISMATCH) {
		message_error(pamh, "No certificate on the token belongs to "
		    "%s.", user);
		return PAM_AUTH_ERR;
	}
	return outcome_auth(pamh, verdict);
}

int
pkcs11_source_login(struct verifier *v, const char *user, struct peer *peer,
    struct mtls_verdict **verdict)
{
	pam_handle_t *pamh = v->pamh;
	struct token_set set;
	struct pin_state pin;
	int chosen, rc;

	memset(peer, 0, sizeof(*peer));
	*verdict = NULL;
	rc = token_set_open(pamh, mtls_config_pkcs11_module(v->config),
	    mtls_config_pkcs11_token(v->config), &set);
	if (rc != PAM_SUCCESS)
		goto out;
	if (set.count == 0) {
		pam_syslog(pamh, LOG_NOTICE, "the token holds no certificate "
		    "with a key ID");
		message_error(pamh, "Your token holds no certificate; ask your "
		    "administrator for one.");
		rc = PAM_AUTHINFO_UNAVAIL;
		goto out;
	}
	if ((chosen = choose(v, &set, user, verdict)) == -1) {
		rc = rejected(pamh, user, *verdict);
		goto out;
	}
	pin_state_init(&pin, pamh);
	rc = possession_prove(pamh, &set.certs[chosen], &pin);
	pin_state_wipe(&pin);
	if (rc == PAM_SUCCESS && peer_set(&peer->cert, &peer->cert_len,
	    set.certs[chosen].der, set.certs[chosen].der_len) == -1)
		rc = PAM_BUF_ERR;
out:
	token_set_close(&set);
	return rc;
}
