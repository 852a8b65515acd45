/*
 * user_pass.h - OPENVPN_PLUGIN_AUTH_USER_PASS_VERIFY, deferred.
 *
 * The call copies what it needs (the chain TLS_VERIFY kept, username,
 * password, the answer files), hands it to a worker thread and returns
 * OPENVPN_PLUGIN_FUNC_DEFERRED at once.  The worker runs the checks that
 * may wait (OCSP), binds the username to the certificate, asks PAM for
 * the password when pam_service is set, and writes the answer.
 */
#ifndef OVPN_USER_PASS_H
#define OVPN_USER_PASS_H

struct client;
struct plugin;

int	user_pass_verify(struct plugin *plugin, struct client *client,
	    const char *const *envp);

#endif
