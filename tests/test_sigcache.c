/*
 * test_sigcache - signature links remembered per context change no
 * verdict: a remembered link stands only for the exact certificates it
 * was verified with, and everything but the signature is judged again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "mtls.h"
#include "sigcache.h"
#include "testpki.h"
#include "testutil.h"

static const unsigned flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
    GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS;

/* The status with and without the cache, which must agree on whether
 * a signature failed. */
static unsigned
verify_both(struct sigcache *cache, gnutls_x509_crt_t *path, size_t n)
{
	unsigned cached, plain;

	assert_int_equal(sigcache_verify_path(cache, path, n, flags,
	    &cached), 0);
	assert_int_equal(sigcache_verify_path(NULL, path, n, flags, &plain),
	    0);
	assert_int_equal(!!(cached & GNUTLS_CERT_SIGNATURE_FAILURE),
	    !!(plain & GNUTLS_CERT_SIGNATURE_FAILURE));
	assert_int_equal(cached == 0, plain == 0);
	return cached;
}

/*
 * A good path, verified and then remembered; then paths that share its
 * names but not its certificates: another intermediate of the same name
 * and key identifier signed by a stranger, and the leaf with its
 * signature altered.
 */
static void
remembered_links_stand_for_exact_certificates(void **state)
{
	struct sigcache *cache = sigcache_new();
	gnutls_x509_privkey_t other_key = tpki_key_ec();
	gnutls_x509_crt_t good[3] = { pki.leaf, pki.intermediate, pki.root };
	gnutls_x509_crt_t forged_int, forged[3], altered[3];
	gnutls_datum_t der;
	unsigned char *bytes;
	size_t len;

	(void)state;
	assert_non_null(cache);
	assert_int_equal(verify_both(cache, good, 3), 0);
	assert_int_equal(verify_both(cache, good, 3), 0);

	/* the intermediate's name and key, signed by another key */
	forged_int = tpki_new("CN=Test Intermediate", pki.int_key, 0);
	tpki_make_ca(forged_int, -1);
	tpki_sign(forged_int, pki.root, other_key, GNUTLS_DIG_SHA256);
	forged[0] = pki.leaf;
	forged[1] = forged_int;
	forged[2] = pki.root;
	assert_true(verify_both(cache, forged, 3) &
	    GNUTLS_CERT_SIGNATURE_FAILURE);

	bytes = tpki_der(pki.leaf, &len);
	bytes[len - 1] ^= 0x01;
	der.data = bytes;
	der.size = (unsigned)len;
	assert_int_equal(gnutls_x509_crt_init(&altered[0]), 0);
	assert_int_equal(gnutls_x509_crt_import(altered[0], &der,
	    GNUTLS_X509_FMT_DER), 0);
	altered[1] = pki.intermediate;
	altered[2] = pki.root;
	assert_true(verify_both(cache, altered, 3) &
	    GNUTLS_CERT_SIGNATURE_FAILURE);
	/* and once more, now that the link above it is remembered */
	assert_true(verify_both(cache, altered, 3) &
	    GNUTLS_CERT_SIGNATURE_FAILURE);

	gnutls_x509_crt_deinit(altered[0]);
	free(bytes);
	tpki_free(forged_int);
	gnutls_x509_privkey_deinit(other_key);
	sigcache_free(cache);
}

/* What a signature does not decide is judged at every verification. */
static void
validity_is_judged_every_time(void **state)
{
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();
	unsigned char *pem = NULL;
	size_t len;
	time_t expiry = gnutls_x509_crt_get_expiration_time(pki.leaf);

	(void)state;
	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	tpki_write(tpki_path("int.pem"), &pki.intermediate, 1);
	mtls_config_set_audit(cfg, 0);
	assert_int_equal(mtls_config_add_ca_file(cfg, tpki_path("root.pem")),
	    0);
	assert_int_equal(mtls_config_add_intermediates_file(cfg,
	    tpki_path("int.pem")), 0);
	if (mtls_ctx_configure(ctx, cfg) != 0)
		fail_msg("configure: %s", mtls_ctx_error(ctx));
	pem = tpki_pem(pki.leaf, &len);
	for (int round = 0; round < 2; round++) {
		struct mtls_request *req = mtls_request_new();
		struct mtls_verdict *v;

		assert_int_equal(mtls_request_set_cert(req, pem, len), 0);
		v = mtls_verify(ctx, req);
		assert_true(mtls_verdict_accepted(v));
		mtls_verdict_free(v);
		mtls_request_set_time(req, expiry + 86400);
		assert_refused(mtls_verify(ctx, req), MTLS_R_EXPIRED,
		    "CN=alice");
		mtls_request_free(req);
	}
	free(pem);
	mtls_ctx_free(ctx);
	mtls_config_free(cfg);
}

/*
 * A certificate that names itself as its issuer, with the root's name and
 * key identifier on a stranger's key, sent between a client certificate
 * and the root: GnuTLS takes the last certificate of what it is given for
 * a copy of a root when it looks self-signed, and passes over it, so its
 * signature was never checked.  A certificate the root really issued
 * (here one refused for its purpose) made the search try that path; had
 * its links been remembered, whatever the stranger's key signs would be
 * accepted next.
 */
static void
self_signed_namesake_of_root_is_not_trusted(void **state)
{
	gnutls_x509_privkey_t stranger = tpki_key_ec(), web_key = tpki_key_ec(),
	    mallory_key = tpki_key_ec();
	gnutls_x509_crt_t web, namesake, mallory, sent[2];
	struct mtls_ctx *ctx;
	struct mtls_verdict *v;
	unsigned char id[64];
	size_t idlen = sizeof(id);
	unsigned critical;

	(void)state;
	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	ctx = ctx_from_settings("");
	web = tpki_new("CN=www.example.com", web_key, 0);
	assert_int_equal(gnutls_x509_crt_set_key_purpose_oid(web,
	    GNUTLS_KP_TLS_WWW_SERVER, 0), 0);
	tpki_sign(web, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	assert_int_equal(gnutls_x509_crt_get_subject_key_id(pki.root, id,
	    &idlen, &critical), 0);
	/* (made as v1, to carry no key identifier of its own key) */
	namesake = tpki_new("CN=Test Root", stranger, TPKI_V1);
	assert_int_equal(gnutls_x509_crt_set_version(namesake, 3), 0);
	tpki_make_ca(namesake, -1);
	assert_int_equal(gnutls_x509_crt_set_subject_key_id(namesake, id,
	    idlen), 0);
	assert_int_equal(gnutls_x509_crt_set_authority_key_id(namesake, id,
	    idlen), 0);
	tpki_sign(namesake, NULL, stranger, GNUTLS_DIG_SHA256);
	mallory = tpki_new("CN=alice", mallory_key, 0);
	tpki_make_client(mallory);
	tpki_sign(mallory, namesake, stranger, GNUTLS_DIG_SHA256);

	sent[0] = web;
	sent[1] = namesake;
	v = verify_crts(ctx, sent, 2, NULL);
	assert_false(mtls_verdict_accepted(v));
	mtls_verdict_free(v);
	sent[0] = mallory;
	for (int round = 0; round < 2; round++)
		assert_refused(verify_crts(ctx, sent, 2, NULL),
		    MTLS_R_SIGNATURE_INVALID, "CN=Test Root");

	tpki_free(mallory);
	tpki_free(namesake);
	tpki_free(web);
	gnutls_x509_privkey_deinit(mallory_key);
	gnutls_x509_privkey_deinit(web_key);
	gnutls_x509_privkey_deinit(stranger);
	mtls_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(remembered_links_stand_for_exact_certificates),
		cmocka_unit_test(validity_is_judged_every_time),
		cmocka_unit_test(self_signed_namesake_of_root_is_not_trusted),
	};

	return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
