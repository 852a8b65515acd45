/*
 * outcome.h - what a verdict means to PAM, and to the person logging in.
 */
#ifndef PAM_MTLS_OUTCOME_H
#define PAM_MTLS_OUTCOME_H

#include <security/pam_modules.h>

struct mtls_verdict;

/*
 * The result of pam_sm_authenticate for a verdict: PAM_SUCCESS when
 * accepted; PAM_USER_UNKNOWN when no user name maps; PAM_AUTHINFO_UNAVAIL
 * when revocation could not be checked; PAM_SYSTEM_ERR when libmtls
 * failed; PAM_AUTH_ERR for every other rejection.  On a rejection the
 * user gets libmtls's one sentence.
 */
int outcome_auth(pam_handle_t *pamh, const struct mtls_verdict *verdict);

/*
 * The same for pam_sm_acct_mgmt, whose codes are fewer: every rejection
 * is PAM_PERM_DENIED.
 */
int outcome_account(pam_handle_t *pamh, const struct mtls_verdict *verdict);

#endif /* PAM_MTLS_OUTCOME_H */
