/*
 * env_source.h - source=env: the certificate an application already
 * verified in its own TLS handshake, handed over in the PAM environment.
 */
#ifndef PAM_MTLS_ENV_SOURCE_H
#define PAM_MTLS_ENV_SOURCE_H

#include <security/pam_modules.h>

#include "peer.h"

/*
 * Read MTLS_PEER_CERT (PEM, intermediates may follow) and MTLS_PEER_CHAIN,
 * or MTLS_PEER_CERT_FILE, from the PAM environment: never from the
 * process environment, which a setuid caller's user controls.  Returns
 * PAM_SUCCESS with peer filled, PAM_AUTHINFO_UNAVAIL when the application
 * gave no certificate, PAM_AUTH_ERR when what it gave cannot be used
 * (too large, unreadable file, both forms at once), PAM_BUF_ERR when
 * memory ran out.  The user has been told why on every failure.
 */
int env_source_get(pam_handle_t *pamh, struct peer *peer);

#endif /* PAM_MTLS_ENV_SOURCE_H */
