#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mtls.h>

#include "auth_files.h"
#include "check.h"
#include "client.h"
#include "envp.h"
#include "pam_helper.h"
#include "plugin.h"
#include "user_pass.h"
#include "workers.h"

/* What the person at the VPN client reads after AUTH_FAILED. */
#define MSG_NO_CERT	"This VPN needs your certificate: install it in " \
			"your VPN client and connect again."
#define MSG_PASSWORD	"Wrong username or password."
#define MSG_PAM_DOWN	"Your password could not be checked; try again " \
			"later or ask your administrator."
#define MSG_RESTART	"The VPN server is restarting; connect again."
#define MSG_TOKEN	"Your VPN session has expired; connect again with " \
			"your password."

struct auth_job {
	struct job		 job;		/* first: the pool's handle */
	const struct plugin	*plugin;
	struct certs		 certs;
	char			*user;
	char			*password;	/* NULL without pam_service */
	int			 token;		/* OpenVPN's token, verified */
	char			 client[128];	/* "ip:port" */
	char			 rhost[64];	/* ip, for PAM */
	struct auth_files	 files;
};

static const char *
or_dash(const char *s)
{
	return s != NULL ? s : "-";
}

static void
job_free(struct auth_job *aj)
{
	certs_clear(&aj->certs);
	free(aj->user);
	if (aj->password != NULL) {
		explicit_bzero(aj->password, strlen(aj->password));
		free(aj->password);
	}
	auth_files_free(&aj->files);
	free(aj);
}

/* The password factor; 1 accepted, else the user's sentence in *msg. */
static int
check_password(const struct auth_job *aj, const struct logger *log,
    const char **msg)
{
	char detail[256];
	int rc;

	rc = pam_helper_check(aj->plugin->pam, aj->user, aj->password,
	    aj->rhost, detail, sizeof(detail));
	if (rc == 1)
		return 1;
	logf_line(log, 1, "client %s user \"%s\": password refused by PAM "
	    "service %s: %s", aj->client, aj->user,
	    aj->plugin->args.pam_service, detail);
	*msg = rc == 0 ? MSG_PASSWORD : MSG_PAM_DOWN;
	return 0;
}

/*
 * The checks of the password step: 1 accepted, 0 refused with the user's
 * sentence in msg; offline, -1 when they need the network after all.
 */
static int
decide(const struct auth_job *aj, int offline, const struct logger *log,
    char *msg, size_t msglen)
{
	const struct plugin *p = aj->plugin;
	struct mtls_verdict *verdict;
	struct check check;
	const char *why;
	int ok;

	check.certs = &aj->certs;
	check.user = p->args.bind_user ? aj->user : NULL;
	check.client = aj->client;
	check.step = "auth";
	check.offline = offline;
	verdict = check_certs(p->mtls, &check, log);
	ok = mtls_verdict_accepted(verdict);
	why = mtls_verdict_user_message(verdict);
	if (!ok && offline && mtls_verdict_network_owed(verdict))
		ok = -1;
	/* a token OpenVPN verified stands for the password it was given
	 * for, as it does without external-auth */
	if (ok == 1 && p->pam != NULL && !aj->token)
		ok = check_password(aj, log, &why);
	/* the verdict's, freed below */
	snprintf(msg, msglen, "%s", why);
	if (ok == 1)
		logf_line(log, 0, "client %s user \"%s\" accepted: certificate "
		    "%s, SHA-256 %s%s", aj->client, aj->user,
		    or_dash(mtls_verdict_subject(verdict)),
		    or_dash(mtls_verdict_fingerprint(verdict)), aj->token ?
		    " (password: OpenVPN's auth-gen-token)" : "");
	mtls_verdict_free(verdict);
	return ok;
}

static void
run(struct job *job, int stopping)
{
	struct auth_job *aj = (struct auth_job *)job;
	struct logger log = { NULL };
	char msg[512] = MSG_RESTART;
	int ok = 0;

	if (!stopping)
		ok = decide(aj, 0, &log, msg, sizeof(msg));
	auth_files_answer(&aj->files, ok, ok ? NULL : msg, &log);
	job_free(aj);
}

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
	const char *ip;
	struct auth_job *aj;
	char msg[512];
	unsigned running;
	int rc;

	if (client == NULL || (aj = calloc(1, sizeof(*aj))) == NULL) {
		logf_line(&plugin->log, 1, "out of memory");
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	if (client_take_verified(client, &aj->certs) != 0) {
		free(aj);
		return refuse_no_cert(plugin, envp);
	}
	aj->job.run = run;
	aj->plugin = plugin;
	envp_client_address(envp, aj->client, sizeof(aj->client));
	if ((aj->token = token_state(envp)) == -1) {
		logf_line(&plugin->log, 1, "client %s user \"%s\" refused: "
		    "OpenVPN did not accept its auth-gen-token (session_state "
		    "%s)", aj->client, user != NULL ? user : "",
		    envp_get(envp, "session_state"));
		job_free(aj);
		return refuse(plugin, envp, MSG_TOKEN);
	}
	if ((ip = envp_get(envp, "untrusted_ip")) != NULL ||
	    (ip = envp_get(envp, "untrusted_ip6")) != NULL)
		snprintf(aj->rhost, sizeof(aj->rhost), "%s", ip);
	if (auth_files_copy(&aj->files, envp) != 0 ||
	    (aj->user = strdup(user != NULL ? user : "")) == NULL ||
	    client_set_auth_user(client, aj->user) != 0 ||
	    (plugin->pam != NULL && !aj->token && (aj->password =
	    strdup(password != NULL ? password : "")) == NULL)) {
		logf_line(&plugin->log, 1, "client %s refused: no "
		    "auth_control_file from OpenVPN, or out of memory",
		    aj->client);
		job_free(aj);
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	/* nothing to wait for (no OCSP owed, no password for PAM): answer
	 * now, as a deferred answer, however soon written, reaches OpenVPN
	 * only about a second later (openvpn-plugin-mtls(8), TIMING) */
	if (!aj->certs.network_owed && (plugin->pam == NULL || aj->token) &&
	    (rc = decide(aj, 1, &plugin->log, msg, sizeof(msg))) != -1) {
		if (rc == 0)
			auth_files_answer(&aj->files, 0, msg, &plugin->log);
		job_free(aj);
		return rc ? OPENVPN_PLUGIN_FUNC_SUCCESS :
		    OPENVPN_PLUGIN_FUNC_DEFERRED;
	}
	if (plugin->workers == NULL &&
	    (plugin->workers = workers_new(plugin->args.workers)) == NULL) {
		job_free(aj);
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	/* once queued, aj is the pool's: it may be gone at return */
	switch (workers_submit(plugin->workers, &aj->job, &running)) {
	case -1:
		logf_line(&plugin->log, 1, "client %s refused: cannot start "
		    "a worker thread (is OpenVPN's process limit too low?)",
		    aj->client);
		job_free(aj);
		return OPENVPN_PLUGIN_FUNC_ERROR;
	case WORKERS_SHORT:
		logf_line(&plugin->log, 1, "cannot start worker thread %u of "
		    "%u (OpenVPN's process limit, LimitNPROC in its systemd "
		    "unit?): clients whose checks wait on the network now "
		    "wait for each other", running + 1,
		    plugin->args.workers);
		break;
	}
	return OPENVPN_PLUGIN_FUNC_DEFERRED;
}
