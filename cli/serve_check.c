/*
 * What mtls serve answers one request, whatever framing carried it: the
 * client certificate the web server saw, checked by the same verify call
 * as a login, turned into a status, a reason and a user name.
 */
#include <stdlib.h>
#include <string.h>

#include "mtls.h"
#include "serve.h"

void
serve_answer_clear(struct serve_answer *answer)
{
	free(answer->user);
	memset(answer, 0, sizeof(*answer));
}

static void
answer_verdict(struct serve_answer *answer,
    const struct mtls_verdict *verdict)
{
	const char *user = mtls_verdict_user(verdict);

	if (mtls_verdict_network_owed(verdict)) {
		answer->network_owed = true;
		return;
	}
	if (mtls_verdict_accepted(verdict) && user != NULL &&
	    (answer->user = strdup(user)) != NULL) {
		answer->status = 200;
		answer->reason = mtls_reason_name(MTLS_R_OK);
		return;
	}
	/* Accepted without a user to pass on is no answer the web server
	 * can use: fail closed. */
	answer->status = mtls_verdict_reason(verdict) == MTLS_R_NO_CERT ?
	    401 : 403;
	answer->reason = mtls_reason_name(mtls_verdict_accepted(verdict) ?
	    MTLS_R_INTERNAL : mtls_verdict_reason(verdict));
}

/*
 * Who asked for what, on the audit line: the web server passes the
 * client's address and URI (its own address here would say nothing).
 */
static int
add_audit_fields(struct mtls_request *request,
    const struct serve_query *query)
{
	if (mtls_request_add_audit_field(request, "service", "http") != 0)
		return -1;
	if (query->client != NULL && mtls_request_add_audit_field(request,
	    "client", query->client) != 0)
		return -1;
	if (query->uri != NULL && mtls_request_add_audit_field(request,
	    SERVE_AUDIT_URI, query->uri) != 0)
		return -1;
	return 0;
}

void
serve_check(struct mtls_ctx *ctx, const struct serve_query *query,
    bool offline, struct serve_answer *answer)
{
	struct mtls_request *request;
	struct mtls_verdict *verdict = NULL;
	const char *pem = NULL;
	size_t pem_len = 0;
	char *line = NULL;

	memset(answer, 0, sizeof(*answer));
	answer->status = 403;
	answer->reason = mtls_reason_name(MTLS_R_INTERNAL);
	if ((request = mtls_request_new()) == NULL)
		return;
	mtls_request_set_offline(request, offline);
	serve_audit_keep(request, &line);
	/* nginx sends the header empty when the client sent no certificate
	 * (ssl_verify_client optional or optional_no_ca): a request without
	 * one, which libmtls rejects (no-certificate) and audits like any
	 * other decision. */
	if (add_audit_fields(request, query) == 0 &&
	    (query->cert == NULL || *query->cert == '\0' ||
	    ((pem = serve_decode_cert(query->cert, &pem_len)) != NULL &&
	    mtls_request_set_cert(request, pem, pem_len) == 0)) &&
	    (query->claimed_user == NULL || *query->claimed_user == '\0' ||
	    mtls_request_set_user(request, query->claimed_user) == 0)) {
		verdict = mtls_verify(ctx, request);
		answer_verdict(answer, verdict);
	}
	/* before the answer is given */
	serve_audit_send(verdict, query->claimed_user, &line);
	mtls_verdict_free(verdict);
	mtls_request_free(request);
}
