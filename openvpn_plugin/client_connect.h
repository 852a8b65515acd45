/*
 * client_connect.h - OPENVPN_PLUGIN_CLIENT_CONNECT_V2, once per
 * connection, after its password step.
 *
 * With auth-gen-token (without external-auth), OpenVPN accepts a client
 * that sends the token it got instead of its password by itself, and
 * never calls AUTH_USER_PASS_VERIFY: the token's HMAC covers the username,
 * but not the certificate.  So a connection whose username the password
 * step did not judge is checked here, on OpenVPN's thread: the username
 * must be the user this connection's certificate maps to (bind_user=yes),
 * and the certificate passes every check again, OCSP included, as
 * TLS_VERIFY left the query to the step that did not come.  A connection
 * the password step judged costs a comparison.
 */
#ifndef OVPN_CLIENT_CONNECT_H
#define OVPN_CLIENT_CONNECT_H

struct client;
struct plugin;

/* OPENVPN_PLUGIN_FUNC_SUCCESS or OPENVPN_PLUGIN_FUNC_ERROR. */
int	client_connect(struct plugin *plugin, struct client *client,
	    const char *const *envp);

#endif
