#include "verifier.h"

#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "message.h"
#include "mtls.h"

/* What libmtls says once (a map index not used), in the module's log. */
static void
log_to_syslog(void *arg, int priority, const char *line)
{
	pam_syslog(arg, priority, "%s", line);
}

int
verifier_open(struct verifier *v, pam_handle_t *pamh,
    const struct pam_mtls_args *args)
{
	memset(v, 0, sizeof(*v));
	v->pamh = pamh;
	v->args = args;
	if ((v->config = mtls_config_new()) == NULL)
		return PAM_BUF_ERR;
	if (mtls_config_load_file(v->config, args->config,
	    args->profile) == -1) {
		pam_syslog(pamh, LOG_ERR, "%s", mtls_config_error(v->config));
		goto broken;
	}
	if ((v->ctx = mtls_ctx_new()) == NULL) {
		verifier_close(v);
		return PAM_BUF_ERR;
	}
	/* the context lives for this call of the module only */
	mtls_ctx_set_one_shot(v->ctx, 1);
	mtls_ctx_set_log_sink(v->ctx, log_to_syslog, pamh);
	if (mtls_ctx_configure(v->ctx, v->config) == -1) {
		pam_syslog(pamh, LOG_ERR, "%s", mtls_ctx_error(v->ctx));
		goto broken;
	}
	if (args->debug)
		pam_syslog(pamh, LOG_DEBUG, "configuration %s, profile %s "
		    "loaded", args->config, args->profile != NULL ?
		    args->profile : "(top level)");
	return PAM_SUCCESS;

broken:
	verifier_close(v);
	message_not_set_up(pamh);
	return PAM_SERVICE_ERR;
}

void
verifier_close(struct verifier *v)
{
	mtls_ctx_free(v->ctx);
	mtls_config_free(v->config);
	v->ctx = NULL;
	v->config = NULL;
}

/* libmtls's audit line, in the module's log with its PAM prefix. */
static void
audit_to_syslog(void *arg, int accepted, const char *line)
{
	pam_syslog(arg, accepted ? LOG_INFO : LOG_WARNING, "%s", line);
}

/* An audit field from a PAM item, when the application set it. */
static int
add_item_field(pam_handle_t *pamh, struct mtls_request *request,
    const char *key, int item)
{
	const void *value = NULL;

	if (pam_get_item(pamh, item, &value) != PAM_SUCCESS || value == NULL)
		return 0;
	return mtls_request_add_audit_field(request, key, value);
}

struct mtls_verdict *
verifier_check(struct verifier *v, const struct peer *peer,
    const char *user)
{
	struct mtls_request *request;
	struct mtls_verdict *verdict = NULL;

	if ((request = mtls_request_new()) == NULL)
		return NULL;
	mtls_request_set_audit_sink(request, audit_to_syslog, v->pamh);
	if (mtls_request_set_cert(request, peer->cert, peer->cert_len) == 0 &&
	    (peer->chain == NULL || mtls_request_add_untrusted(request,
	    peer->chain, peer->chain_len) == 0) &&
	    (user == NULL || mtls_request_set_user(request, user) == 0) &&
	    add_item_field(v->pamh, request, "service", PAM_SERVICE) == 0 &&
	    add_item_field(v->pamh, request, "pam_user", PAM_USER) == 0 &&
	    add_item_field(v->pamh, request, "rhost", PAM_RHOST) == 0 &&
	    add_item_field(v->pamh, request, "tty", PAM_TTY) == 0)
		verdict = mtls_verify(v->ctx, request);
	mtls_request_free(request);
	return verdict;
}
