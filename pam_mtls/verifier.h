/*
 * verifier.h - libmtls as this PAM handle uses it: the configuration and
 * profile the module's arguments name, one verification per certificate,
 * audited through pam_syslog with the PAM service and user.
 */
#ifndef PAM_MTLS_VERIFIER_H
#define PAM_MTLS_VERIFIER_H

#include <security/pam_modules.h>

#include "args.h"
#include "peer.h"

struct mtls_config;
struct mtls_ctx;
struct mtls_verdict;

struct verifier {
	pam_handle_t *pamh;
	const struct pam_mtls_args *args;
	struct mtls_config *config;
	struct mtls_ctx *ctx;
};

/*
 * Load the configuration file and profile, and every file they name.
 * Made for each authentication and freed after it, so that nothing
 * lingers between logins and a changed file takes effect at the next one.
 * Returns PAM_SUCCESS, or PAM_SERVICE_ERR (the reason logged, the user
 * told that logins by certificate are not set up) or PAM_BUF_ERR.
 */
int verifier_open(struct verifier *v, pam_handle_t *pamh,
    const struct pam_mtls_args *args);
void verifier_close(struct verifier *v);

/*
 * Verify peer for user (NULL: whoever it maps to).  The verdict's audit
 * line goes to pam_syslog.  NULL only when memory ran out: a rejection.
 */
struct mtls_verdict *verifier_check(struct verifier *v,
    const struct peer *peer, const char *user);

#endif /* PAM_MTLS_VERIFIER_H */
