/*
 * pkcs11_source.h - source=pkcs11: a smart card, USB token or software
 * token holds the certificate and its private key.
 */
#ifndef PAM_MTLS_PKCS11_SOURCE_H
#define PAM_MTLS_PKCS11_SOURCE_H

#include "peer.h"
#include "verifier.h"

struct mtls_verdict;

/*
 * Verify the certificates on the configured token for user (NULL: any
 * user, then the first accepted certificate names the user), and have the
 * token prove it holds the accepted one's private key, asking for the PIN
 * through the conversation.  The certificates are verified before the PIN
 * is asked: a certificate that cannot log in is reported without making
 * the user type a PIN for nothing.  On PAM_SUCCESS, peer holds the
 * certificate and *verdict its acceptance; on a failure the user has been
 * told why in one sentence.
 */
int pkcs11_source_login(struct verifier *v, const char *user,
    struct peer *peer, struct mtls_verdict **verdict);

#endif /* PAM_MTLS_PKCS11_SOURCE_H */
