/*
 * kept.h - the certificate an authentication accepted, kept on the PAM
 * handle (pam_set_data) for the account phase to verify again.
 */
#ifndef PAM_MTLS_KEPT_H
#define PAM_MTLS_KEPT_H

#include <security/pam_modules.h>

#include "peer.h"

struct kept {
	struct peer peer;
	char *user;		/* the user it was accepted for */
};

/* Keep a copy of peer for user, replacing what was kept before. */
int kept_store(pam_handle_t *pamh, const struct peer *peer,
    const char *user);

/* What this handle's authentication kept, or NULL. */
const struct kept *kept_fetch(pam_handle_t *pamh);

#endif /* PAM_MTLS_KEPT_H */
