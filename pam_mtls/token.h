/*
 * token.h - smart cards and tokens through GnuTLS's PKCS#11 support
 * (p11-kit): the module to load, the tokens present and the certificates
 * on them.
 */
#ifndef PAM_MTLS_TOKEN_H
#define PAM_MTLS_TOKEN_H

#include <stddef.h>

#include <security/pam_modules.h>

/* A certificate on a token, and how to reach its private key. */
struct token_cert {
	unsigned char *der;
	size_t der_len;
	char *key_url;		/* PKCS#11 URI of the private key, same ID */
	char *token_url;	/* the token holding both */
	char *token_label;
};

struct token_set {
	struct token_cert *certs;
	size_t count;
	int pkcs11_started;	/* gnutls_pkcs11_init() to be paired */
};

/*
 * Load the PKCS#11 module (NULL: p11-kit's registered modules), find the
 * token (a PKCS#11 URI or a label; NULL: every token except p11-kit's
 * trust stores) and read the certificates on it, which needs no PIN.
 * Returns PAM_SUCCESS (with count 0 when the tokens hold no certificate
 * with a key ID), PAM_AUTHINFO_UNAVAIL when no token is present,
 * PAM_SERVICE_ERR when the module cannot be loaded, or PAM_BUF_ERR; the
 * user has been told why on a failure.  The module stays loaded until
 * token_set_close(), so that keys can be used.
 */
int token_set_open(pam_handle_t *pamh, const char *module,
    const char *token, struct token_set *set);
void token_set_close(struct token_set *set);

#endif /* PAM_MTLS_TOKEN_H */
