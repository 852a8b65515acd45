/*
 * client_connect.h - OPENVPN_PLUGIN_CLIENT_CONNECT_V2, once per
 * connection, after its password step, and its deferred form.
 *
 * With auth-gen-token (without external-auth), OpenVPN accepts a client
 * that sends the token it got instead of its password by itself, and
 * never calls AUTH_USER_PASS_VERIFY: the token's HMAC covers the username,
 * but not the certificate.  So a connection whose username and TLS session
 * no password step accepted is checked here: the username must be the
 * user this connection's certificate maps to (bind_user=yes), and the
 * certificate passes every check again, OCSP included, as TLS_VERIFY left
 * the query to the step that did not come.  What needs no network is
 * decided at once; an OCSP query runs on a worker thread, and the call
 * returns OPENVPN_PLUGIN_FUNC_DEFERRED: OpenVPN then calls
 * OPENVPN_PLUGIN_CLIENT_CONNECT_DEFER_V2 whenever it handles the client
 * again, until the answer is there.  A connection a password step
 * accepted costs a comparison.
 */
#ifndef OVPN_CLIENT_CONNECT_H
#define OVPN_CLIENT_CONNECT_H

struct client;
struct plugin;

/* OPENVPN_PLUGIN_FUNC_SUCCESS, _ERROR or _DEFERRED. */
int	client_connect(struct plugin *plugin, struct client *client,
	    const char *const *envp);

/* The answer of a deferred client_connect(): OPENVPN_PLUGIN_FUNC_SUCCESS,
 * _ERROR, or _DEFERRED while it is not there yet. */
int	client_connect_deferred(struct plugin *plugin, struct client *client);

#endif
