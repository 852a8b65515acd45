#include <mtls.h>

#include "check.h"
#include "client.h"
#include "client_connect.h"
#include "envp.h"
#include "plugin.h"

int
client_connect(struct plugin *plugin, struct client *client,
    const char *const *envp)
{
	const char *user = envp_get(envp, "username");
	const char *state = envp_get(envp, "session_state");
	struct mtls_verdict *verdict;
	struct check check;
	struct certs certs;
	char address[128];
	int ok;

	if (client == NULL) {
		logf_line(&plugin->log, 1, "no client context: out of memory");
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	if (client_auth_user_is(client, user))
		return OPENVPN_PLUGIN_FUNC_SUCCESS;
	envp_client_address(envp, address, sizeof(address));
	logf_line(&plugin->log, 0, "client %s user \"%s\": OpenVPN did not "
	    "call the password step (session_state %s: auth-gen-token "
	    "without external-auth?); checking the certificate and username "
	    "now", address, user != NULL ? user : "",
	    state != NULL ? state : "unset");
	/* none left: a client without a certificate, refused as such */
	(void)client_take_verified(client, &certs);
	check.certs = &certs;
	check.user = plugin->args.bind_user ? (user != NULL ? user : "") :
	    NULL;
	check.client = address;
	check.step = "client-connect";
	check.offline = 0;
	verdict = check_certs(plugin->mtls, &check, &plugin->log);
	ok = mtls_verdict_accepted(verdict);
	mtls_verdict_free(verdict);
	certs_clear(&certs);
	if (!ok) {
		logf_line(&plugin->log, 1, "client %s user \"%s\" refused at "
		    "client-connect (its reason is in the audit line above; "
		    "OpenVPN gives the client no sentence at this step)",
		    address, user != NULL ? user : "");
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	return OPENVPN_PLUGIN_FUNC_SUCCESS;
}
