/*
 * possession.h - proof that the token holds the certificate's private
 * key: it signs a fresh random challenge, which is verified with the
 * certificate's public key.  A certificate alone is public; copying it
 * off a card proves nothing.
 */
#ifndef PAM_MTLS_POSSESSION_H
#define PAM_MTLS_POSSESSION_H

#include <security/pam_modules.h>

#include "pin.h"
#include "token.h"

/*
 * Returns PAM_SUCCESS; PAM_AUTH_ERR for a wrong PIN or a signature that
 * does not verify; PAM_MAXTRIES when the PIN is locked; PAM_CONV_ERR when
 * the PIN could not be asked.  The user has been told why on a failure.
 */
int possession_prove(pam_handle_t *pamh, const struct token_cert *cert,
    struct pin_state *pin);

#endif /* PAM_MTLS_POSSESSION_H */
