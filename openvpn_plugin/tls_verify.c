#include <stdlib.h>

#include <mtls.h>

#include "check.h"
#include "client.h"
#include "envp.h"
#include "peer_cert.h"
#include "plugin.h"
#include "tls_verify.h"

int
tls_verify(struct plugin *plugin, struct client *client, int depth,
    const char *const *envp)
{
	char err[512], address[128];
	struct mtls_verdict *verdict;
	struct check check;
	char *pem;
	size_t len;
	int rc, owed = 0;

	if (client == NULL) {
		logf_line(&plugin->log, 1, "no client context: out of memory");
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	if (depth < 0 || peer_cert_read(envp, depth, &pem, &len, err,
	    sizeof(err)) != 0) {
		logf_line(&plugin->log, 1, "client %s refused at depth %d: %s",
		    envp_client_address(envp, address, sizeof(address)),
		    depth, depth < 0 ? "no depth" : err);
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	rc = client_add_cert(client, depth, pem, len);
	free(pem);
	if (rc != 0) {
		logf_line(&plugin->log, 1, "out of memory at depth %d", depth);
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	if (depth > 0)
		return OPENVPN_PLUGIN_FUNC_SUCCESS;

	check.certs = &client->handshake;
	check.user = NULL;
	check.client = envp_client_address(envp, address, sizeof(address));
	check.step = "tls-verify";
	check.offline = args_need_user_pass(&plugin->args);
	verdict = check_certs(plugin->mtls, &check, &plugin->log);
	if (mtls_verdict_accepted(verdict))
		rc = OPENVPN_PLUGIN_FUNC_SUCCESS;
	else if (check.offline && mtls_verdict_network_owed(verdict)) {
		owed = 1;
		rc = OPENVPN_PLUGIN_FUNC_SUCCESS;
	} else
		rc = OPENVPN_PLUGIN_FUNC_ERROR;
	mtls_verdict_free(verdict);
	/* kept under its TLS session's name, which OpenVPN set for this
	 * call and sets again at the session's password step (client.h) */
	if (rc == OPENVPN_PLUGIN_FUNC_SUCCESS &&
	    client_handshake_verified(client, envp_get(envp, "common_name"),
	    owed) != 0) {
		logf_line(&plugin->log, 1, "out of memory at depth 0");
		rc = OPENVPN_PLUGIN_FUNC_ERROR;
	}
	return rc;
}
