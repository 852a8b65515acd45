/*
 * A host without libconfig: libmtls loads it only to read a
 * configuration file, so a configuration made in code (what "mtls verify
 * --ca" makes) verifies without it, and reading a file says clearly what
 * to install.  The test points libmtls at a library name that does not
 * exist, before anything reads a file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "libconfig_loader.h"
#include "mtls.h"
#include "testpki.h"
#include "testutil.h"

static int
setup(void **state)
{
	pki_setup(state);
	libconfig_library("libmtls-test-no-such-libconfig.so.9");
	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	tpki_write(tpki_path("int.pem"), &pki.intermediate, 1);
	return 0;
}

static void
configuration_in_code_verifies(void **state)
{
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();
	struct mtls_request *req = request_crts(&pki.leaf, 1);
	struct mtls_verdict *v;

	(void)state;
	assert_non_null(cfg);
	assert_non_null(ctx);
	assert_int_equal(mtls_config_add_ca_file(cfg, tpki_path("root.pem")),
	    0);
	assert_int_equal(mtls_config_add_intermediates_file(cfg,
	    tpki_path("int.pem")), 0);
	mtls_config_set_audit(cfg, 0);
	assert_int_equal(mtls_ctx_configure(ctx, cfg), 0);
	v = mtls_verify(ctx, req);
	if (!mtls_verdict_accepted(v))
		fail_msg("refused: %s", mtls_verdict_explanation(v));
	mtls_verdict_free(v);
	mtls_request_free(req);
	mtls_ctx_free(ctx);
	mtls_config_free(cfg);
}

static void
reading_a_file_says_what_to_install(void **state)
{
	struct mtls_config *cfg = mtls_config_new();
	FILE *fp = fopen(tpki_path("mtls.conf"), "w");

	(void)state;
	assert_non_null(cfg);
	assert_non_null(fp);
	fprintf(fp, "ca_file = \"root.pem\";\n");
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(mtls_config_load_file(cfg, tpki_path("mtls.conf"),
	    NULL), -1);
	assert_contains(mtls_config_error(cfg), "libconfig cannot be loaded");
	assert_contains(mtls_config_error(cfg), "libconfig9");
	mtls_config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(configuration_in_code_verifies),
		cmocka_unit_test(reading_a_file_says_what_to_install),
	};

	return cmocka_run_group_tests(tests, setup, pki_teardown);
}
