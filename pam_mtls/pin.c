#include "pin.h"

#include <stdio.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "message.h"

void
pin_state_init(struct pin_state *state, pam_handle_t *pamh)
{
	memset(state, 0, sizeof(*state));
	state->pamh = pamh;
}

int
pin_callback(void *userdata, int attempt, const char *token_url,
    const char *token_label, unsigned int flags, char *pin, size_t pin_max)
{
	struct pin_state *state = userdata;
	char label[65], prompt[160];
	size_t len;
	int rc;

	(void)token_url;
	if (attempt > 0 || (flags & GNUTLS_PIN_WRONG)) {
		state->refused = 1;
		return GNUTLS_E_PKCS11_PIN_ERROR;
	}
	if (!state->typed) {
		snprintf(label, sizeof(label), "%s", token_label != NULL ?
		    token_label : "your token");
		message_printable(label);
		snprintf(prompt, sizeof(prompt), "PIN for %s%s: ", label,
		    (flags & GNUTLS_PIN_FINAL_TRY) ? " (last try before the "
		    "token locks)" : "");
		rc = message_ask_secret(state->pamh, prompt, state->pin,
		    sizeof(state->pin));
		if (rc != PAM_SUCCESS) {
			state->conv_failed = rc == PAM_CONV_ERR;
			state->too_long = rc == PAM_AUTHTOK_ERR;
			return GNUTLS_E_PKCS11_PIN_ERROR;
		}
		state->typed = 1;
	}
	len = strlen(state->pin);
	if (len >= pin_max) {
		state->too_long = 1;
		return GNUTLS_E_PKCS11_PIN_ERROR;
	}
	memcpy(pin, state->pin, len + 1);
	return 0;
}

void
pin_state_wipe(struct pin_state *state)
{
	explicit_bzero(state->pin, sizeof(state->pin));
	state->typed = 0;
}
