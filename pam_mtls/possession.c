#include "possession.h"

#include <syslog.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs11.h>
#include <gnutls/x509.h>
#include <security/pam_ext.h>

#include "message.h"

/* 256 bits: never seen before, never to be seen again. */
#define CHALLENGE_BYTES	32

static unsigned int
token_flags(const struct token_cert *cert)
{
	unsigned int flags = 0;

	if (gnutls_pkcs11_token_get_flags(cert->token_url, &flags) < 0)
		return 0;
	return flags;
}

static int
pin_locked(pam_handle_t *pamh, const struct token_cert *cert)
{
	pam_syslog(pamh, LOG_WARNING, "the user PIN of token \"%s\" is "
	    "locked", cert->token_label);
	message_error(pamh, "Your token's PIN is locked; ask your "
	    "administrator to unlock it.");
	return PAM_MAXTRIES;
}

/* The token refused the PIN: say how many tries it says are left. */
static int
pin_refused(pam_handle_t *pamh, const struct token_cert *cert)
{
	unsigned int flags = token_flags(cert);

	if (flags & GNUTLS_PKCS11_TOKEN_USER_PIN_LOCKED)
		return pin_locked(pamh, cert);
	pam_syslog(pamh, LOG_NOTICE, "wrong PIN for token \"%s\"%s",
	    cert->token_label, (flags & GNUTLS_PKCS11_TOKEN_USER_PIN_FINAL_TRY) ?
	    "; one try is left" : "");
	if (flags & GNUTLS_PKCS11_TOKEN_USER_PIN_FINAL_TRY)
		message_error(pamh, "Wrong PIN; one more wrong PIN locks your "
		    "token.");
	else
		message_error(pamh, "Wrong PIN; try again.");
	return PAM_AUTH_ERR;
}

/* Why the token did not sign, from GnuTLS's error and the PIN's fate. */
static int
not_signed(pam_handle_t *pamh, const struct token_cert *cert,
    const struct pin_state *pin, int ret)
{
	if (ret == GNUTLS_E_PKCS11_PIN_LOCKED)
		return pin_locked(pamh, cert);
	if (pin->refused)
		return pin_refused(pamh, cert);
	if (pin->conv_failed) {
		pam_syslog(pamh, LOG_NOTICE, "the PIN for token \"%s\" could "
		    "not be asked: the application has no conversation",
		    cert->token_label);
		return PAM_CONV_ERR;
	}
	if (pin->too_long) {
		message_error(pamh, "That PIN is too long; type your token's "
		    "PIN.");
		return PAM_AUTH_ERR;
	}
	pam_syslog(pamh, LOG_WARNING, "token \"%s\" did not sign with the "
	    "key of its certificate (%s): %s", cert->token_label,
	    cert->key_url, gnutls_strerror(ret));
	message_error(pamh, "Your token could not prove it holds your "
	    "certificate's key; ask your administrator.");
	return PAM_AUTH_ERR;
}

/* SHA-256 or stronger, as the key suits (SHA-384 for P-384, ...). */
static gnutls_sign_algorithm_t
challenge_algorithm(gnutls_pubkey_t pub)
{
	gnutls_digest_algorithm_t dig = GNUTLS_DIG_SHA256;
	int pk = gnutls_pubkey_get_pk_algorithm(pub, NULL);

	if (gnutls_pubkey_get_preferred_hash_algorithm(pub, &dig, NULL) < 0 ||
	    (dig != GNUTLS_DIG_SHA384 && dig != GNUTLS_DIG_SHA512))
		dig = GNUTLS_DIG_SHA256;
	return gnutls_pk_to_sign(pk, dig);
}

static int
sign_and_check(pam_handle_t *pamh, const struct token_cert *cert,
    gnutls_privkey_t key, gnutls_pubkey_t pub, struct pin_state *pin)
{
	unsigned char challenge[CHALLENGE_BYTES];
	gnutls_datum_t data = { challenge, sizeof(challenge) };
	gnutls_datum_t sig = { NULL, 0 };
	gnutls_sign_algorithm_t algo = challenge_algorithm(pub);
	int ret;

	if (algo == GNUTLS_SIGN_UNKNOWN) {
		pam_syslog(pamh, LOG_WARNING, "the key of the certificate on "
		    "token \"%s\" is neither RSA nor ECDSA", cert->token_label);
		message_error(pamh, "Your token's key cannot be used here; ask "
		    "your administrator.");
		return PAM_AUTH_ERR;
	}
	if ((ret = gnutls_rnd(GNUTLS_RND_RANDOM, challenge,
	    sizeof(challenge))) < 0) {
		pam_syslog(pamh, LOG_ERR, "no random challenge: %s",
		    gnutls_strerror(ret));
		return PAM_SYSTEM_ERR;
	}
	if ((ret = gnutls_privkey_import_url(key, cert->key_url, 0)) < 0 ||
	    (ret = gnutls_privkey_sign_data2(key, algo, 0, &data, &sig)) < 0)
		return not_signed(pamh, cert, pin, ret);
	ret = gnutls_pubkey_verify_data2(pub, algo, 0, &data, &sig);
	gnutls_free(sig.data);
	if (ret < 0) {
		pam_syslog(pamh, LOG_WARNING, "the signature of token \"%s\" "
		    "does not verify with its certificate's public key (%s): "
		    "the key %s is not that certificate's",
		    cert->token_label, gnutls_strerror(ret), cert->key_url);
		message_error(pamh, "Your token could not prove it holds your "
		    "certificate's key; ask your administrator.");
		return PAM_AUTH_ERR;
	}
	return PAM_SUCCESS;
}

int
possession_prove(pam_handle_t *pamh, const struct token_cert *cert,
    struct pin_state *pin)
{
	gnutls_datum_t der = { cert->der, (unsigned int)cert->der_len };
	gnutls_x509_crt_t crt = NULL;
	gnutls_pubkey_t pub = NULL;
	gnutls_privkey_t key = NULL;
	unsigned int flags = token_flags(cert);
	int rc = PAM_BUF_ERR;

	if (flags & GNUTLS_PKCS11_TOKEN_USER_PIN_LOCKED)
		return pin_locked(pamh, cert);
	if (flags & GNUTLS_PKCS11_TOKEN_PROTECTED_AUTHENTICATION_PATH)
		message_info(pamh, "Enter your PIN on the card reader.");
	if (gnutls_x509_crt_init(&crt) < 0 || gnutls_pubkey_init(&pub) < 0 ||
	    gnutls_privkey_init(&key) < 0)
		goto out;
	if (gnutls_x509_crt_import(crt, &der, GNUTLS_X509_FMT_DER) < 0 ||
	    gnutls_pubkey_import_x509(pub, crt, 0) < 0) {
		/* libmtls accepted it, so it parses; but be sure */
		rc = PAM_AUTH_ERR;
		goto out;
	}
	gnutls_privkey_set_pin_function(key, pin_callback, pin);
	rc = sign_and_check(pamh, cert, key, pub, pin);
out:
	gnutls_privkey_deinit(key);
	gnutls_pubkey_deinit(pub);
	gnutls_x509_crt_deinit(crt);
	return rc;
}
