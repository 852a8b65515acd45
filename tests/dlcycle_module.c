/*
 * dlcycle_module.c - a shared object linked with libmtls as the doors are
 * (the archive with only the mtls_ names global), which test_dlcycle
 * loads and unloads again and again, as a display manager does with a
 * PAM module.  One entry point: configure from a file, verify one
 * certificate, free everything.
 */
#include <stddef.h>

#include "mtls.h"

__attribute__((visibility("default"))) int
dlcycle_verify(const char *config_file, const void *cert, size_t len);

/* The verdict's reason, or -1 when the configuration does not load. */
__attribute__((visibility("default"))) int
dlcycle_verify(const char *config_file, const void *cert, size_t len)
{
	struct mtls_config *config = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();
	struct mtls_request *req = mtls_request_new();
	struct mtls_verdict *v = NULL;
	int reason = -1;

	if (config != NULL && ctx != NULL && req != NULL &&
	    mtls_config_load_file(config, config_file, NULL) == 0 &&
	    mtls_ctx_configure(ctx, config) == 0 &&
	    mtls_request_set_cert(req, cert, len) == 0) {
		v = mtls_verify(ctx, req);
		reason = (int)mtls_verdict_reason(v);
	}
	mtls_verdict_free(v);
	mtls_request_free(req);
	mtls_ctx_free(ctx);
	mtls_config_free(config);
	return reason;
}
