/*
 * pin.h - the token's PIN, asked through the PAM conversation when GnuTLS
 * logs in to the token, kept only for this one authentication and wiped.
 */
#ifndef PAM_MTLS_PIN_H
#define PAM_MTLS_PIN_H

#include <stddef.h>

#include <security/pam_modules.h>

/* PKCS#11 PINs are short; a longer answer is refused, not truncated. */
#define PIN_MAX	256

struct pin_state {
	pam_handle_t *pamh;
	char pin[PIN_MAX];
	int typed;		/* pin holds what the user typed */
	int refused;		/* the token refused it */
	int conv_failed;	/* the user could not be asked */
	int too_long;		/* the answer did not fit */
};

void pin_state_init(struct pin_state *state, pam_handle_t *pamh);

/*
 * A gnutls_pin_callback_t: asks once, with echo off, naming the token and
 * whether this is the last try; a second call for the same login means
 * the token refused the PIN, and is answered with an error instead of
 * asking again (the application decides whether to retry).  A key that
 * wants the PIN again for each signature gets the same one.
 */
int pin_callback(void *userdata, int attempt, const char *token_url,
    const char *token_label, unsigned int flags, char *pin, size_t pin_max);

/* Wipe the PIN. */
void pin_state_wipe(struct pin_state *state);

#endif /* PAM_MTLS_PIN_H */
