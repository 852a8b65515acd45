/*
 * args.h - the module's arguments on its line in /etc/pam.d.
 */
#ifndef PAM_MTLS_ARGS_H
#define PAM_MTLS_ARGS_H

#include <security/pam_modules.h>

/* Where the client certificate comes from. */
enum pam_mtls_source {
	PAM_MTLS_SOURCE_PKCS11 = 0,	/* a smart card or token (default) */
	PAM_MTLS_SOURCE_ENV		/* the application, in the PAM environment */
};

struct pam_mtls_args {
	const char *config;		/* config=FILE */
	const char *profile;		/* profile=NAME, or NULL: top level */
	enum pam_mtls_source source;	/* source=pkcs11|env */
	int debug;			/* debug */
};

/*
 * Parse argv into args; the strings point into argv.  An unknown,
 * repeated or malformed argument is logged, the user told that logins by
 * certificate are not set up, and yields PAM_SERVICE_ERR: a line an
 * administrator mistyped must not quietly do something else.
 */
int args_parse(pam_handle_t *pamh, int argc, const char **argv,
    struct pam_mtls_args *args);

#endif /* PAM_MTLS_ARGS_H */
