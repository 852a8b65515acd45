/*
 * account.c - pam_sm_acct_mgmt: the certificate this handle's
 * authentication accepted, verified again now.  A screen unlocked hours
 * later, a session manager that keeps the handle, a cached credential:
 * none of them outlives the certificate's revocation or expiry.
 */
#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "args.h"
#include "kept.h"
#include "message.h"
#include "mtls.h"
#include "outcome.h"
#include "verifier.h"

int
pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct pam_mtls_args args;
	struct verifier v;
	struct mtls_verdict *verdict;
	const struct kept *kept;
	const void *user = NULL;
	int rc;

	message_set_silent(pamh, flags);
	if ((rc = args_parse(pamh, argc, argv, &args)) != PAM_SUCCESS)
		return rc;
	/*
	 * No certificate was used to authenticate on this handle (a
	 * password login in a "certificate or password" stack, or an
	 * application that authenticated otherwise): there is nothing of
	 * ours to check again, and the other account modules decide.  A
	 * stack in which every account module ignores fails anyway.
	 */
	if ((kept = kept_fetch(pamh)) == NULL) {
		if (args.debug)
			pam_syslog(pamh, LOG_DEBUG, "account: no certificate "
			    "was used on this handle; ignored");
		return PAM_IGNORE;
	}
	/* The certificate vouched for one user; the account is another's. */
	if (pam_get_item(pamh, PAM_USER, &user) != PAM_SUCCESS ||
	    user == NULL || strcmp(user, kept->user) != 0) {
		pam_syslog(pamh, LOG_WARNING, "account: the certificate was "
		    "accepted for %s, but the user is now %s", kept->user,
		    user != NULL ? (const char *)user : "unset");
		message_error(pamh, "Your certificate is not for this "
		    "account.");
		return PAM_PERM_DENIED;
	}
	if ((rc = verifier_open(&v, pamh, &args)) != PAM_SUCCESS)
		return rc;
	verdict = verifier_check(&v, &kept->peer, kept->user);
	rc = outcome_account(pamh, verdict);
	mtls_verdict_free(verdict);
	verifier_close(&v);
	return rc;
}
