#include "outcome.h"

#include "message.h"
#include "mtls.h"

static int
auth_code(enum mtls_reason reason)
{
	switch (reason) {
	case MTLS_R_OK:
		return PAM_SUCCESS;
	case MTLS_R_USER_UNMAPPED:
		return PAM_USER_UNKNOWN;
	/* Nothing is known against the certificate, but nothing for it. */
	case MTLS_R_CRL_MISSING:
	case MTLS_R_CRL_STALE:
	case MTLS_R_CRL_INVALID:
	case MTLS_R_REVOCATION_UNAVAILABLE:
		return PAM_AUTHINFO_UNAVAIL;
	case MTLS_R_INTERNAL:
		return PAM_SYSTEM_ERR;
	default:
		return PAM_AUTH_ERR;
	}
}

int
outcome_auth(pam_handle_t *pamh, const struct mtls_verdict *verdict)
{
	if (mtls_verdict_accepted(verdict))
		return PAM_SUCCESS;
	message_error(pamh, "%s", mtls_verdict_user_message(verdict));
	return auth_code(mtls_verdict_reason(verdict));
}

int
outcome_account(pam_handle_t *pamh, const struct mtls_verdict *verdict)
{
	if (mtls_verdict_accepted(verdict))
		return PAM_SUCCESS;
	message_error(pamh, "%s", mtls_verdict_user_message(verdict));
	return PAM_PERM_DENIED;
}
