/*
 * auth.c - pam_sm_authenticate and pam_sm_setcred: a login by
 * certificate.
 */
#include <syslog.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "args.h"
#include "env_source.h"
#include "kept.h"
#include "message.h"
#include "mtls.h"
#include "outcome.h"
#include "pamenv.h"
#include "peer.h"
#include "pkcs11_source.h"
#include "verifier.h"

/*
 * The user name the application already has, or NULL.  PAM_USER is read
 * as an item: pam_get_user() would prompt for a name, and a certificate
 * login needs none (the card names the user).
 */
static const char *
claimed_user(pam_handle_t *pamh)
{
	const void *user = NULL;

	if (pam_get_item(pamh, PAM_USER, &user) != PAM_SUCCESS ||
	    user == NULL || *(const char *)user == '\0')
		return NULL;
	return user;
}

static int
from_env(struct verifier *v, const char *user, struct peer *peer,
    struct mtls_verdict **verdict)
{
	int rc;

	if ((rc = env_source_get(v->pamh, peer)) != PAM_SUCCESS)
		return rc;
	*verdict = verifier_check(v, peer, user);
	return outcome_auth(v->pamh, *verdict);
}

/*
 * The certificate is accepted and possessed: name the user when the
 * application did not, tell the session about the certificate, and keep
 * it for the account phase.
 */
static int
grant(pam_handle_t *pamh, const struct pam_mtls_args *args,
    const char *user, const struct peer *peer,
    const struct mtls_verdict *verdict)
{
	const char *mapped = mtls_verdict_user(verdict);
	int rc;

	if (mapped == NULL)
		return PAM_AUTH_ERR;	/* an acceptance always maps */
	if (user == NULL) {
		if ((rc = pam_set_item(pamh, PAM_USER, mapped)) != PAM_SUCCESS)
			return rc;
		pam_syslog(pamh, LOG_INFO, "user %s named by the certificate",
		    mapped);
	}
	if ((rc = pamenv_export(pamh, args->profile, verdict)) != PAM_SUCCESS)
		return rc;
	return kept_store(pamh, peer, mapped);
}

int
pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
    const char **argv)
{
	struct pam_mtls_args args;
	struct verifier v;
	struct peer peer = { NULL, 0, NULL, 0 };
	struct mtls_verdict *verdict = NULL;
	const char *user;
	int rc;

	message_set_silent(pamh, flags);
	if ((rc = args_parse(pamh, argc, argv, &args)) != PAM_SUCCESS)
		return rc;
	if ((rc = verifier_open(&v, pamh, &args)) != PAM_SUCCESS)
		return rc;
	user = claimed_user(pamh);
	if (args.source == PAM_MTLS_SOURCE_ENV)
		rc = from_env(&v, user, &peer, &verdict);
	else
		rc = pkcs11_source_login(&v, user, &peer, &verdict);
	if (rc == PAM_SUCCESS)
		rc = grant(pamh, &args, user, &peer, verdict);
	if (args.debug)
		pam_syslog(pamh, LOG_DEBUG, "authentication: %s",
		    pam_strerror(pamh, rc));
	mtls_verdict_free(verdict);
	peer_clear(&peer);
	verifier_close(&v);
	return rc;
}

/* Certificates grant no credentials of their own. */
int
pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}
