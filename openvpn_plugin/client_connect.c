#include <string.h>

#include "answer.h"
#include "client.h"
#include "client_connect.h"
#include "envp.h"
#include "judge.h"
#include "plugin.h"

int
client_connect(struct plugin *plugin, struct client *client,
    const char *const *envp)
{
	const char *user = envp_get(envp, "username");
	const char *state = envp_get(envp, "session_state");
	const char *session = envp_get(envp, "common_name");
	struct judge *j;
	int rc;

	if (client == NULL) {
		logf_line(&plugin->log, 1, "no client context: out of memory");
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	/* named after the username: maybe by username-as-common-name, which
	 * hides the name the session had before (client.h) */
	if (session != NULL && user != NULL && strcmp(session, user) == 0)
		session = NULL;
	else if (session == NULL)
		session = "";
	if (client_accepted(client, user, session))
		return OPENVPN_PLUGIN_FUNC_SUCCESS;
	if ((j = judge_new(plugin, "client-connect", envp)) == NULL ||
	    (j->user = strdup(user != NULL ? user : "")) == NULL) {
		logf_line(&plugin->log, 1, "out of memory");
		if (j != NULL)
			judge_free(j);
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	logf_line(&plugin->log, 0, "client %s user \"%s\": OpenVPN did not "
	    "call the password step (session_state %s: auth-gen-token "
	    "without external-auth?); checking the certificate and username "
	    "now", j->client, j->user, state != NULL ? state : "unset");
	/* OpenVPN checked the token, for this username */
	j->token = 1;
	/* none left: a client without a certificate, refused as such */
	if (client_take_verified(client, session, &j->certs) ==
	    CLIENT_AMBIGUOUS) {
		logf_line(&plugin->log, 1, "client %s user \"%s\" refused at "
		    "client-connect: TLS sessions of this client with common "
		    "name \"%s\" passed TLS_VERIFY with different "
		    "certificates (or more than are kept), and OpenVPN does "
		    "not say which of them this connection is", j->client,
		    j->user, session != NULL ? session : j->user);
		judge_free(j);
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	if (!j->certs.network_owed && (rc = judge_now(j)) != ANSWER_PENDING) {
		judge_free(j);
		return rc == ANSWER_ACCEPTED ? OPENVPN_PLUGIN_FUNC_SUCCESS :
		    OPENVPN_PLUGIN_FUNC_ERROR;
	}
	answer_release(client->connect);
	client->connect = answer_hold(j->answer);
	if (judge_later(plugin, j) != 0) {
		judge_free(j);
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	return OPENVPN_PLUGIN_FUNC_DEFERRED;
}

int
client_connect_deferred(struct plugin *plugin, struct client *client)
{
	int got;

	if (client == NULL || client->connect == NULL) {
		logf_line(&plugin->log, 1, "client-connect: OpenVPN asks for "
		    "an answer the plugin did not defer; refused");
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	if ((got = answer_get(client->connect)) == ANSWER_PENDING)
		return OPENVPN_PLUGIN_FUNC_DEFERRED;
	answer_release(client->connect);
	client->connect = NULL;
	return got == ANSWER_ACCEPTED ? OPENVPN_PLUGIN_FUNC_SUCCESS :
	    OPENVPN_PLUGIN_FUNC_ERROR;
}
