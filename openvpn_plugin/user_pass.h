/*
 * user_pass.h - OPENVPN_PLUGIN_AUTH_USER_PASS_VERIFY, deferred.
 *
 * The call copies what it needs (the chain TLS_VERIFY kept, username,
 * password, the answer files), hands it to a worker thread and returns
 * OPENVPN_PLUGIN_FUNC_DEFERRED at once.  The worker runs the checks that
 * may wait (OCSP), binds the username to the certificate, asks PAM for
 * the password when pam_service is set, and writes the answer.
 *
 * With auth-gen-token external-auth, the password may be OpenVPN's token:
 * one OpenVPN verified for this username (env session_state
 * "Authenticated") stands for the password, and PAM is not asked; one it
 * did not is refused.  The certificate's checks run as for a password.
 */
#ifndef OVPN_USER_PASS_H
#define OVPN_USER_PASS_H

struct client;
struct plugin;

int	user_pass_verify(struct plugin *plugin, struct client *client,
	    const char *const *envp);

#endif
