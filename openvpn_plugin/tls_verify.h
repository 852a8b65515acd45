/*
 * tls_verify.h - OPENVPN_PLUGIN_TLS_VERIFY, once per certificate depth.
 *
 * OpenSSL has already accepted the chain against OpenVPN's own "ca".  At
 * depth 0 the client's chain gets libmtls's checks: those that need no
 * network when a password step follows (it does the rest, deferred), all
 * of them otherwise.  Anything but success ends the handshake at once:
 * OpenVPN cannot defer this call.
 */
#ifndef OVPN_TLS_VERIFY_H
#define OVPN_TLS_VERIFY_H

struct client;
struct plugin;

/* OPENVPN_PLUGIN_FUNC_SUCCESS or OPENVPN_PLUGIN_FUNC_ERROR. */
int	tls_verify(struct plugin *plugin, struct client *client, int depth,
	    const char *const *envp);

#endif
