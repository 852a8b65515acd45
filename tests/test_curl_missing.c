/*
 * A host without libcurl: libmtls loads it only for a fetch, so a
 * configuration that never fetches works without it, and one that must
 * fetch says clearly what to install.  The test points libmtls at a
 * library name that does not exist, before anything fetches.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "http.h"
#include "mtls.h"
#include "testpki.h"
#include "testutil.h"

static int
setup(void **state)
{
	time_t now = time(NULL);
	gnutls_x509_crl_t crl;

	pki_setup(state);
	http_curl_library("libmtls-test-no-such-curl.so.4");
	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	tpki_write(tpki_path("int.pem"), &pki.intermediate, 1);
	crl = tpki_crl(pki.intermediate, pki.int_key, NULL, 0, now - 60,
	    now + 86400);
	tpki_write_crl(tpki_path("good.crl"), crl);
	gnutls_x509_crl_deinit(crl);
	return 0;
}

/* The standard root and intermediate, no audit, these revocation settings. */
static struct mtls_config *
config_with(const char *revocation)
{
	struct mtls_config *cfg = mtls_config_new();
	FILE *fp = fopen(tpki_path("mtls.conf"), "w");

	assert_non_null(fp);
	fprintf(fp, "ca_file = \"root.pem\";\nintermediates_file = "
	    "\"int.pem\";\naudit = false;\nrevocation = { cache_dir = \"%s\"; "
	    "%s };\n", tpki_path("cache"), revocation);
	assert_int_equal(fclose(fp), 0);
	if (mtls_config_load_file(cfg, tpki_path("mtls.conf"), NULL) != 0)
		fail_msg("config: %s", mtls_config_error(cfg));
	return cfg;
}

static struct mtls_verdict *
verify_leaf(const char *revocation)
{
	struct mtls_config *cfg = config_with(revocation);
	struct mtls_ctx *ctx = mtls_ctx_new();
	struct mtls_request *req = mtls_request_new();
	struct mtls_verdict *v;
	unsigned char *pem;
	size_t len;

	if (mtls_ctx_configure(ctx, cfg) != 0)
		fail_msg("configure: %s", mtls_ctx_error(ctx));
	pem = tpki_pem(pki.leaf, &len);
	assert_int_equal(mtls_request_set_cert(req, pem, len), 0);
	v = mtls_verify(ctx, req);
	assert_non_null(v);
	free(pem);
	mtls_request_free(req);
	mtls_ctx_free(ctx);
	mtls_config_free(cfg);
	return v;
}

static void
no_network_needs_no_libcurl(void **state)
{
	struct mtls_verdict *v;

	(void)state;
	v = verify_leaf("mode = \"crl\"; crl_files = \"good.crl\";");
	if (!mtls_verdict_accepted(v))
		fail_msg("rejected: %s", mtls_verdict_explanation(v));
	mtls_verdict_free(v);
	assert_false(testutil_curl_loaded());
}

static void
ocsp_without_libcurl_says_what_to_install(void **state)
{
	struct mtls_verdict *v;

	(void)state;
	v = verify_leaf("mode = \"ocsp\"; ocsp_url = \"http://127.0.0.1:1/\";");
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_REVOCATION_UNAVAILABLE);
	assert_contains(mtls_verdict_explanation(v), "libcurl cannot be loaded");
	assert_contains(mtls_verdict_explanation(v), "libcurl3-gnutls");
	mtls_verdict_free(v);
}

struct lines {
	int failed;
	char text[1024];
};

static void
keep_failures(void *arg, int failed, const char *line)
{
	struct lines *l = arg;

	if (!failed)
		return;
	l->failed++;
	snprintf(l->text, sizeof(l->text), "%s", line);
}

static void
crl_update_without_libcurl_says_what_to_install(void **state)
{
	struct mtls_config *cfg = config_with("mode = \"crl\"; crl_urls = "
	    "\"http://127.0.0.1:1/int.crl\";");
	struct lines l = { 0, "" };

	(void)state;
	assert_int_equal(mtls_crl_update(cfg, time(NULL), keep_failures, &l),
	    1);
	assert_true(l.failed > 0);
	assert_contains(l.text, "libcurl cannot be loaded");
	mtls_config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_network_needs_no_libcurl),
		cmocka_unit_test(ocsp_without_libcurl_says_what_to_install),
		cmocka_unit_test(crl_update_without_libcurl_says_what_to_install),
	};

	return cmocka_run_group_tests(tests, setup, pki_teardown);
}
