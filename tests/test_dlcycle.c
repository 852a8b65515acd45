/*
 * Loaded and unloaded a thousand times, as Linux-PAM does with a module
 * at every pam_end() in a long-running display manager: each time the
 * module verifies a certificate for real (a CRL file whose extensions are
 * decoded with libtasn1, an OCSP responder asked through libcurl, loaded
 * for it, which nobody answers), and nothing may stay behind.  Under the sanitizer build,
 * LeakSanitizer finds at exit what a cycle left unreachable: the memory
 * an unloaded object's globals pointed to.  The module's entry point is
 * all it exports.
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "mtls.h"
#include "testhttp.h"
#include "testpki.h"
#include "testutil.h"

#define CYCLES 1000

typedef int dlcycle_verify_fn(const char *, const void *, size_t);

/*
 * The intermediate's CRL, revoking nobody, with an issuingDistributionPoint
 * (onlyContainsUserCerts): reading it decodes that with libtasn1 and
 * libmtls's ASN.1 definitions.
 */
static gnutls_x509_crl_t
crl_with_idp(void)
{
	FILE *db = fopen(tpki_path("empty-db.txt"), "w");

	assert_non_null(db);
	assert_int_equal(fclose(db), 0);
	return tpki_openssl_crl(pki.intermediate, pki.int_key,
	    tpki_path("empty-db.txt"), "issuingDistributionPoint = critical, "
	    "@idp\n[idp]\nonlyuser = TRUE\n");
}

static void
write_config(void)
{
	gnutls_x509_crl_t crl = crl_with_idp();
	FILE *fp;

	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	tpki_write(tpki_path("int.pem"), &pki.intermediate, 1);
	tpki_write_crl(tpki_path("int.crl"), crl);
	gnutls_x509_crl_deinit(crl);
	fp = fopen(tpki_path("mtls.conf"), "w");
	assert_non_null(fp);
	/* the responder is asked first, fails, and the CRL decides */
	fprintf(fp, "ca_file = \"root.pem\";\nintermediates_file = "
	    "\"int.pem\";\naudit = false;\nrevocation = {\n"
	    "  mode = [\"ocsp\", \"crl\"];\n  crl_files = \"int.crl\";\n"
	    "  ocsp_url = \"http://127.0.0.1:%d/\";\n"
	    "  cache_dir = \"%s\";\n};\n", testhttp_free_port(),
	    tpki_path("cache"));
	assert_int_equal(fclose(fp), 0);
}

static void
load_verify_unload_a_thousand_times(void **state)
{
	unsigned char *pem;
	size_t len;
	int accepted = 0, first_other = MTLS_R_OK;

	(void)state;
	write_config();
	pem = tpki_pem(pki.leaf, &len);
	for (int i = 0; i < CYCLES; i++) {
		void *module = dlopen(DLCYCLE_MODULE, RTLD_NOW | RTLD_LOCAL);
		dlcycle_verify_fn *verify;
		int reason;

		if (module == NULL)
			fail_msg("dlopen: %s", dlerror());
		*(void **)&verify = dlsym(module, "dlcycle_verify");
		assert_non_null(verify);
		/* what a door links of libmtls, it does not export */
		assert_null(dlsym(module, "mtls_verify"));
		reason = verify(tpki_path("mtls.conf"), pem, len);
		if (reason == MTLS_R_OK)
			accepted++;
		else if (first_other == MTLS_R_OK)
			first_other = reason;
		assert_int_equal(dlclose(module), 0);
	}
	free(pem);
	if (accepted != CYCLES)
		fail_msg("%d of %d cycles accepted; first other reason %d",
		    accepted, CYCLES, first_other);
	/* every cycle unloaded libcurl with the module */
	assert_false(testutil_curl_loaded());
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(load_verify_unload_a_thousand_times),
	};

	/* the responder's port is chosen free, and must stay unanswered:
	 * only in a network of its own is it sure nobody takes it */
	testhttp_private_network();
	return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
