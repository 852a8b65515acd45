/*
 * pamenv.h - what an accepted certificate tells the rest of the stack and
 * the session: MTLS_* variables in the PAM environment.
 */
#ifndef PAM_MTLS_PAMENV_H
#define PAM_MTLS_PAMENV_H

#include <security/pam_modules.h>

struct mtls_verdict;

/*
 * Set MTLS_SUBJECT, MTLS_ISSUER, MTLS_SERIAL, MTLS_FINGERPRINT_SHA256,
 * MTLS_PROFILE (empty for the top-level settings) and MTLS_USER.
 */
int pamenv_export(pam_handle_t *pamh, const char *profile,
    const struct mtls_verdict *verdict);

#endif /* PAM_MTLS_PAMENV_H */
