#include <stdlib.h>
#include <string.h>

#include <mtls.h>

#include "answer.h"
#include "auth_files.h"
#include "check.h"
#include "client.h"
#include "envp.h"
#include "judge.h"
#include "plugin.h"
#include "user_pass.h"

/* What the person at the VPN client reads after AUTH_FAILED. */
#define MSG_NO_CERT	"This VPN needs your certificate: install it in " \
			"your VPN client and connect again."
#define MSG_AMBIGUOUS	"Your VPN client started two connections at " \
			"once; connect again."
#define MSG_TOKEN	"Your VPN session has expired; connect again with " \
			"your password."

/* Answer "refused" with msg for the user, at once. */
static int
refuse(struct plugin *plugin, const char *const *envp, const char *msg)
{
	struct auth_files files;

	if (auth_files_copy(&files, envp) != 0)
		return OPENVPN_PLUGIN_FUNC_ERROR;
	auth_files_answer(&files, 0, msg, &plugin->log);
	auth_files_free(&files);
	return OPENVPN_PLUGIN_FUNC_DEFERRED;
}

/*
 * What auth-gen-token made of the password (env session_state, which
 * OpenVPN sets only with auth-gen-token): 1 a token OpenVPN verified for
 * this username, 0 a password, -1 a token OpenVPN did not accept (expired,
 * not its own, or for an empty username).
 */
static int
token_state(const char *const *envp)
{
	const char *state = envp_get(envp, "session_state");

	if (state == NULL || strcmp(state, "Initial") == 0)
		return 0;
	if (strcmp(state, "Authenticated") == 0)
		return 1;
	return -1;
}

/*
 * Refuse at once a client that no certificate passed TLS_VERIFY for.  The
 * refusal is libmtls's decision (no-certificate), with its audit line like
 * every other; the client is refused whatever the verdict says.
 */
static int
refuse_no_cert(struct plugin *plugin, const char *const *envp)
{
	const struct certs none = { 0 };
	struct check check;
	char address[128];

	check.certs = &none;
	check.user = NULL;
	check.client = envp_client_address(envp, address, sizeof(address));
	check.step = "auth";
	check.offline = 1;
	mtls_verdict_free(check_certs(plugin->mtls, &check, &plugin->log));
	logf_line(&plugin->log, 1, "client %s refused: no client certificate "
	    "passed TLS_VERIFY for this connection (verify-client-cert "
	    "optional or none lets clients without one reach the password "
	    "step)", address);
	return refuse(plugin, envp, MSG_NO_CERT);
}

int
user_pass_verify(struct plugin *plugin, struct client *client,
    const char *const *envp)
{
	const char *user = envp_get(envp, "username");
	const char *password = envp_get(envp, "password");
	const char *session = envp_get(envp, "common_name");
	struct judge *j;
	int rc;

	if (client == NULL || (j = judge_new(plugin, "auth", envp)) == NULL) {
		logf_line(&plugin->log, 1, "out of memory");
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	/* no session name: OpenVPN verified no certificate for it */
	switch (session == NULL ? CLIENT_NO_CHAIN :
	    client_take_verified(client, session, &j->certs)) {
	case CLIENT_NO_CHAIN:
		judge_free(j);
		return refuse_no_cert(plugin, envp);
	case CLIENT_AMBIGUOUS:
		logf_line(&plugin->log, 1, "client %s user \"%s\" refused: "
		    "TLS sessions of this client with common name \"%s\" "
		    "passed TLS_VERIFY with different certificates, and "
		    "OpenVPN does not say which of them this password step "
		    "is of (a client that started two at once, or sent "
		    "another's certificate)", j->client,
		    user != NULL ? user : "", session);
		judge_free(j);
		return refuse(plugin, envp, MSG_AMBIGUOUS);
	}
	if ((j->token = token_state(envp)) == -1) {
		logf_line(&plugin->log, 1, "client %s user \"%s\" refused: "
		    "OpenVPN did not accept its auth-gen-token (session_state "
		    "%s)", j->client, user != NULL ? user : "",
		    envp_get(envp, "session_state"));
		judge_free(j);
		return refuse(plugin, envp, MSG_TOKEN);
	}
	if (auth_files_copy(&j->files, envp) != 0 ||
	    (j->user = strdup(user != NULL ? user : "")) == NULL ||
	    client_judged(client, j->user, session, j->answer) != 0 ||
	    (plugin->pam != NULL && !j->token && (j->password =
	    strdup(password != NULL ? password : "")) == NULL)) {
		logf_line(&plugin->log, 1, "client %s refused: no "
		    "auth_control_file from OpenVPN, or out of memory",
		    j->client);
		judge_free(j);
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	/* nothing to wait for (no OCSP owed, no password for PAM): answer
	 * now, as a deferred answer, however soon written, reaches OpenVPN
	 * only about a second later (openvpn-plugin-mtls(8), TIMING) */
	if (!j->certs.network_owed && j->password == NULL &&
	    (rc = judge_now(j)) != ANSWER_PENDING) {
		judge_free(j);
		return rc == ANSWER_ACCEPTED ? OPENVPN_PLUGIN_FUNC_SUCCESS :
		    OPENVPN_PLUGIN_FUNC_DEFERRED;
	}
	if (judge_later(plugin, j) != 0) {
		judge_free(j);
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	return OPENVPN_PLUGIN_FUNC_DEFERRED;
}
