/*
 * The CRL index and revocation.crl_files together, through the public
 * API: once "mtls crl update" has published some CRLs, the files it could
 * not publish (the CRL of an intermediate only clients send, whose issuer
 * it cannot verify) are still read, and a revocation they list holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>
#include <gnutls/gnutls.h>

#include "crl_index.h"
#include "mtls.h"
#include "testpki.h"
#include "testutil.h"

/*
 * The root's CRL, listing nothing, published into cache/crl as "mtls crl
 * update" would; the intermediate's CRL, listing alice, in int.crl only.
 */
static int
setup(void **state)
{
	time_t now = time(NULL);
	gnutls_x509_crl_t root_crl, int_crl;
	struct crlread read;
	gnutls_datum_t der;
	char err[512];

	pki_setup(state);
	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	assert_int_equal(mkdir(tpki_path("cache"), 0755), 0);
	assert_int_equal(mkdir(tpki_path("cache/crl"), 0755), 0);
	root_crl = tpki_crl(pki.root, pki.root_key, NULL, 0, now - 60,
	    now + 86400);
	assert_int_equal(gnutls_x509_crl_export2(root_crl, GNUTLS_X509_FMT_DER,
	    &der), 0);
	if (crlread_der(&read, der.data, der.size, err, sizeof(err)) != 0 ||
	    crl_index_build(&read, der.data, der.size, pki.root,
	    tpki_path("cache/crl"), tpki_path("root.crl"), 0, NULL, 0, err,
	    sizeof(err)) != 0)
		fail_msg("crl_index_build: %s", err);
	crlread_clear(&read);
	gnutls_free(der.data);
	gnutls_x509_crl_deinit(root_crl);
	int_crl = tpki_crl(pki.intermediate, pki.int_key, &pki.leaf, 1,
	    now - 60, now + 86400);
	tpki_write_crl(tpki_path("int.crl"), int_crl);
	gnutls_x509_crl_deinit(int_crl);
	return 0;
}

static struct mtls_ctx *
configure(const char *crl_require)
{
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();
	char text[2048];
	FILE *fp;

	snprintf(text, sizeof(text), "ca_file = \"root.pem\";\n"
	    "audit = false;\n"
	    "revocation = {\n"
	    "  mode = \"crl\";\n"
	    "  crl_require = \"%s\";\n"
	    "  crl_files = [\"int.crl\"];\n"
	    "  cache_dir = \"%s\";\n"
	    "};\n", crl_require, tpki_path("cache"));
	fp = fopen(tpki_path("mtls.conf"), "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	if (mtls_config_load_file(cfg, tpki_path("mtls.conf"), NULL) != 0)
		fail_msg("load: %s", mtls_config_error(cfg));
	if (mtls_ctx_configure(ctx, cfg) != 0)
		fail_msg("configure: %s", mtls_ctx_error(ctx));
	mtls_config_free(cfg);
	return ctx;
}

/* alice with the intermediate, as a client sends them. */
static struct mtls_verdict *
verify_alice(struct mtls_ctx *ctx)
{
	struct mtls_request *req = mtls_request_new();
	struct mtls_verdict *v;
	unsigned char *leaf, *inter, *both;
	size_t leaf_len, int_len;

	leaf = tpki_pem(pki.leaf, &leaf_len);
	inter = tpki_pem(pki.intermediate, &int_len);
	both = malloc(leaf_len + int_len);
	assert_non_null(both);
	memcpy(both, leaf, leaf_len);
	memcpy(both + leaf_len, inter, int_len);
	assert_int_equal(mtls_request_set_cert(req, both, leaf_len + int_len),
	    0);
	v = mtls_verify(ctx, req);
	assert_non_null(v);
	free(leaf);
	free(inter);
	free(both);
	mtls_request_free(req);
	return v;
}

static void
files_the_index_lacks_are_still_read(void **state)
{
	static const char *const requires[] = { "none", "leaf", "chain" };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct mtls_ctx *ctx = configure(requires[i]);
		struct mtls_verdict *v = verify_alice(ctx);

		if (mtls_verdict_reason(v) != MTLS_R_REVOKED)
			fail_msg("crl_require %s: expected revoked, got %s: %s",
			    requires[i],
			    mtls_reason_name(mtls_verdict_reason(v)),
			    mtls_verdict_explanation(v));
		assert_contains(mtls_verdict_explanation(v), "int.crl");
		mtls_verdict_free(v);
		mtls_ctx_free(ctx);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(files_the_index_lacks_are_still_read),
	};

	return cmocka_run_group_tests(tests, setup, pki_teardown);
}
