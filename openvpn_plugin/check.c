#include <mtls.h>

#include "check.h"

struct mtls_verdict *
check_certs(struct mtls_ctx *ctx, const struct check *check,
    const struct logger *log)
{
	const struct certs *certs = check->certs;
	struct mtls_request *request;
	struct mtls_verdict *verdict;
	int rc;

	if ((request = mtls_request_new()) == NULL)
		return NULL;
	mtls_request_set_audit_sink(request, log_audit_sink, (void *)log);
	mtls_request_set_offline(request, check->offline);
	/* no certificate at all: libmtls rejects it (no-certificate) and
	 * audits that decision like any other */
	rc = certs->leaf.data != NULL ? mtls_request_set_cert(request,
	    certs->leaf.data, certs->leaf.len) : 0;
	/* deepest (OpenVPN's CA) last, as a client sends its chain */
	for (size_t i = certs->ncas; rc == 0 && i > 0; i--)
		rc = mtls_request_add_untrusted(request,
		    certs->cas[i - 1].data, certs->cas[i - 1].len);
	if (rc == 0 && check->user != NULL)
		rc = mtls_request_set_user(request, check->user);
	if (rc == 0)
		rc = mtls_request_add_audit_field(request, "service",
		    "openvpn");
	if (rc == 0)
		rc = mtls_request_add_audit_field(request, "step", check->step);
	if (rc == 0)
		rc = mtls_request_add_audit_field(request, "client",
		    check->client);
	verdict = rc == 0 ? mtls_verify(ctx, request) : NULL;
	mtls_request_free(request);
	return verdict;
}
