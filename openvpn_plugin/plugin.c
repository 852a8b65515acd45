/*
 * plugin.c - openvpn-plugin-mtls.so's entry points (OpenVPN plugin API v3).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mtls.h>

#include "client.h"
#include "client_connect.h"
#include "pam_helper.h"
#include "plugin.h"
#include "tls_verify.h"
#include "user_pass.h"
#include "version.h"
#include "workers.h"

/* plugin_log, in the v3 callbacks from structure version 1 on */
#define STRUCTVER_MIN	1

static void
plugin_free(struct plugin *p)
{
	if (p == NULL)
		return;
	/* threads first: they use everything below */
	workers_free(p->workers);
	pam_helper_stop(p->pam);
	mtls_ctx_free(p->mtls);
	args_free(&p->args);
	free(p);
}

/* Read the configuration and make the verifier; -1 with a logged error. */
static int
configure(struct plugin *p)
{
	struct mtls_config *config;
	int rc = -1;

	if ((config = mtls_config_new()) == NULL ||
	    (p->mtls = mtls_ctx_new()) == NULL) {
		logf_line(&p->log, 1, "out of memory");
		mtls_config_free(config);
		return -1;
	}
	mtls_ctx_set_log_sink(p->mtls, log_library_sink, &p->log);
	if (mtls_config_load_file(config, p->args.config,
	    p->args.profile) != 0)
		logf_line(&p->log, 1, "%s", mtls_config_error(config));
	else if (mtls_ctx_configure(p->mtls, config) != 0)
		logf_line(&p->log, 1, "%s", mtls_ctx_error(p->mtls));
	else
		rc = 0;
	mtls_config_free(config);
	return rc;
}

OPENVPN_EXPORT int
openvpn_plugin_min_version_required_v1(void)
{
	return 3;
}

OPENVPN_EXPORT int
openvpn_plugin_open_v3(const int structver,
    struct openvpn_plugin_args_open_in const *in,
    struct openvpn_plugin_args_open_return *out)
{
	struct plugin *p;
	char err[512];

	if (structver < STRUCTVER_MIN || in->callbacks == NULL ||
	    in->callbacks->plugin_log == NULL) {
		fprintf(stderr, "%s: this OpenVPN gives plugins no log "
		    "function; it needs OpenVPN 2.6.9 or later\n",
		    PLUGIN_NAME);
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return OPENVPN_PLUGIN_FUNC_ERROR;
	p->log.openvpn = in->callbacks->plugin_log;
	p->log.thread = pthread_self();
	if (!version_supported(in->ovpn_version_major, in->ovpn_version_minor,
	    in->ovpn_version_patch, err, sizeof(err)) ||
	    args_parse(&p->args, (const char *const *)in->argv, err,
	    sizeof(err)) != 0) {
		logf_line(&p->log, 1, "%s; not starting", err);
		free(p);
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	/* fork before anything big is loaded, and while still root */
	if (p->args.pam_service != NULL && (p->pam =
	    pam_helper_start(p->args.pam_service, err, sizeof(err))) == NULL) {
		logf_line(&p->log, 1, "%s; not starting", err);
		plugin_free(p);
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	if (configure(p) != 0) {
		logf_line(&p->log, 1, "the configuration %s%s%s is not usable; "
		    "not starting", p->args.config,
		    p->args.profile != NULL ? ", profile " : "",
		    p->args.profile != NULL ? p->args.profile : "");
		plugin_free(p);
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	out->type_mask = OPENVPN_PLUGIN_MASK(OPENVPN_PLUGIN_TLS_VERIFY);
	/* client-connect: for the connections auth-gen-token lets past the
	 * password step, deferred when OCSP is to be asked
	 * (client_connect.h) */
	if (args_need_user_pass(&p->args))
		out->type_mask |=
		    OPENVPN_PLUGIN_MASK(OPENVPN_PLUGIN_AUTH_USER_PASS_VERIFY) |
		    OPENVPN_PLUGIN_MASK(OPENVPN_PLUGIN_CLIENT_CONNECT_V2) |
		    OPENVPN_PLUGIN_MASK(OPENVPN_PLUGIN_CLIENT_CONNECT_DEFER_V2);
	out->handle = p;
	logf_line(&p->log, 0, "started: config %s, profile %s, %s%s%s, "
	    "bind_user %s", p->args.config,
	    p->args.profile != NULL ? p->args.profile : "(top level)",
	    p->args.pam_service != NULL ? "password through PAM service " :
	    "no password factor", p->args.pam_service != NULL ?
	    p->args.pam_service : "", args_need_user_pass(&p->args) ?
	    " (deferred)" : " (certificate only: all checks at TLS_VERIFY)",
	    p->args.bind_user ? "yes" : "no");
	return OPENVPN_PLUGIN_FUNC_SUCCESS;
}

OPENVPN_EXPORT int
openvpn_plugin_func_v3(const int structver,
    struct openvpn_plugin_args_func_in const *in,
    struct openvpn_plugin_args_func_return *out)
{
	struct plugin *p = in->handle;
	const char *const *envp = (const char *const *)in->envp;

	(void)structver;
	(void)out;
	switch (in->type) {
	case OPENVPN_PLUGIN_TLS_VERIFY:
		return tls_verify(p, in->per_client_context,
		    in->current_cert_depth, envp);
	case OPENVPN_PLUGIN_AUTH_USER_PASS_VERIFY:
		return user_pass_verify(p, in->per_client_context, envp);
	case OPENVPN_PLUGIN_CLIENT_CONNECT_V2:
		return client_connect(p, in->per_client_context, envp);
	case OPENVPN_PLUGIN_CLIENT_CONNECT_DEFER_V2:
		return client_connect_deferred(p, in->per_client_context);
	default:
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
}

OPENVPN_EXPORT void *
openvpn_plugin_client_constructor_v1(openvpn_plugin_handle_t handle)
{
	(void)handle;
	return client_new();
}

OPENVPN_EXPORT void
openvpn_plugin_client_destructor_v1(openvpn_plugin_handle_t handle,
    void *client)
{
	(void)handle;
	client_free(client);
}

OPENVPN_EXPORT void
openvpn_plugin_close_v1(openvpn_plugin_handle_t handle)
{
	plugin_free(handle);
}
