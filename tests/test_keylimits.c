/*
 * Keys too costly to check a signature with are refused before any is
 * checked: measured one by one, sent by a client as decoy issuers, sent
 * by an OCSP responder, and configured.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "keylimits.h"
#include "mtls.h"
#include "testpki.h"
#include "testutil.h"

/*
 * A certificate named dn carrying pubkey (which nobody holds the private
 * key of), signed by the standard root: v1, so it has no key identifier,
 * and the issuer of a client certificate is then found by signature.
 */
static gnutls_x509_crt_t
carrying(const char *dn, gnutls_pubkey_t pubkey)
{
	gnutls_x509_crt_t crt = tpki_new(dn, pki.leaf_key, TPKI_V1);

	assert_int_equal(gnutls_x509_crt_set_pubkey(crt, pubkey), 0);
	tpki_sign(crt, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	gnutls_pubkey_deinit(pubkey);
	return crt;
}

/* An RSA key of mbits and exponent e (freed here), signed by the root. */
static gnutls_x509_crt_t
rsa_cert(const char *dn, unsigned mbits, gnutls_datum_t e)
{
	gnutls_x509_crt_t crt = tpki_new_rsa_raw(dn, mbits, &e);

	gnutls_free(e.data);
	tpki_sign(crt, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	return crt;
}

/* value as a big-endian datum, for gnutls_free(). */
static gnutls_datum_t
exponent(unsigned long value)
{
	gnutls_datum_t e = { gnutls_malloc(sizeof(value)), sizeof(value) };

	assert_non_null(e.data);
	for (size_t i = 0; i < sizeof(value); i++)
		e.data[sizeof(value) - 1 - i] =
		    (unsigned char)(value >> (8 * i));
	return e;
}

static gnutls_x509_crt_t
dsa_cert(unsigned pbits, unsigned qbits)
{
	gnutls_datum_t p = tpki_number(pbits, 0), q = tpki_number(qbits, 0),
	    g = tpki_number(pbits - 1, 0), y = tpki_number(pbits - 1, 0);
	gnutls_pubkey_t pubkey;

	assert_int_equal(gnutls_pubkey_init(&pubkey), 0);
	assert_int_equal(gnutls_pubkey_import_dsa_raw(pubkey, &p, &q, &g, &y),
	    0);
	gnutls_free(p.data);
	gnutls_free(q.data);
	gnutls_free(g.data);
	gnutls_free(y.data);
	return carrying("CN=dsa", pubkey);
}

static void
expect_refused(gnutls_x509_crt_t crt, const char *mention)
{
	char why[256];

	if (keylimits_check(crt, why, sizeof(why)) == 0)
		fail_msg("accepted, expected a refusal mentioning %s", mention);
	assert_contains(why, mention);
	tpki_free(crt);
}

static void
expect_within(gnutls_x509_crt_t crt)
{
	char why[256];

	if (keylimits_check(crt, why, sizeof(why)) != 0)
		fail_msg("refused: %s", why);
	tpki_free(crt);
}

static void
keys_real_cas_issue_are_within(void **state)
{
	gnutls_x509_privkey_t ed;

	(void)state;
	expect_within(tpki_new("CN=p256", pki.leaf_key, 0));
	expect_within(tpki_new("CN=rsa", tpki_key_rsa(2048), 0));
	expect_within(rsa_cert("CN=rsa16384", 16384, exponent(65537)));
	expect_within(rsa_cert("CN=e3", 4096, exponent(3)));
	expect_within(rsa_cert("CN=e32", 4096, exponent(0xffffffffUL)));
	expect_within(dsa_cert(3072, 256));
	assert_int_equal(gnutls_x509_privkey_init(&ed), 0);
	assert_int_equal(gnutls_x509_privkey_generate(ed,
	    GNUTLS_PK_EDDSA_ED25519, 0, 0), 0);
	expect_within(tpki_new("CN=ed25519", ed, 0));
	gnutls_x509_privkey_deinit(ed);
}

static void
oversized_keys_are_refused(void **state)
{
	(void)state;
	expect_refused(rsa_cert("CN=big", 16385, exponent(65537)),
	    "16385-bit RSA key");
	expect_refused(rsa_cert("CN=big", 65536, exponent(65537)),
	    "65536-bit RSA key");
	/* an exponent as long as the modulus costs as much as 4096 keys */
	expect_refused(rsa_cert("CN=bige", 4096, tpki_number(4096, 0)),
	    "public exponent (4096 bits)");
	expect_refused(rsa_cert("CN=bige", 2048, tpki_number(33, 0)),
	    "public exponent (33 bits)");
	expect_refused(rsa_cert("CN=even", 2048, exponent(65536)),
	    "not an odd number");
	expect_refused(rsa_cert("CN=one", 2048, exponent(1)),
	    "not an odd number");
	expect_refused(dsa_cert(4096, 256), "DSA key of 4096/256 bits");
	expect_refused(dsa_cert(3072, 3072), "DSA key of 3072/3072 bits");
}

/* What a certificate of the standard PKI becomes in PEM, appended. */
static void
append_pem(unsigned char **buf, size_t *len, gnutls_x509_crt_t crt)
{
	size_t l;
	unsigned char *pem = tpki_pem(crt, &l);

	*buf = realloc(*buf, *len + l);
	assert_non_null(*buf);
	memcpy(*buf + *len, pem, l);
	*len += l;
	free(pem);
}

static struct mtls_ctx *
make_ctx(const char *ca_file, const char *intermediates_file)
{
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();

	assert_non_null(cfg);
	assert_non_null(ctx);
	mtls_config_set_audit(cfg, 0);
	assert_int_equal(mtls_config_add_ca_file(cfg, ca_file), 0);
	if (intermediates_file != NULL)
		assert_int_equal(mtls_config_add_intermediates_file(cfg,
		    intermediates_file), 0);
	if (mtls_ctx_configure(ctx, cfg) != 0) {
		mtls_config_free(cfg);
		return ctx;
	}
	mtls_config_free(cfg);
	return ctx;
}

/*
 * The attack of the security review: intermediates of the real one's name
 * without key identifiers, so that each would cost a signature check of
 * the client certificate, with keys that make that check take seconds.
 * Without the bound the path went on through the configured intermediate
 * and the client was accepted, after the checks; now the decoys are
 * refused before any.
 */
static void
decoy_issuers_with_huge_keys_are_refused(void **state)
{
	/* two of each kind: several of a name make the signature choose */
	gnutls_x509_crt_t decoys[] = {
		rsa_cert("CN=Test Intermediate", 16400, exponent(65537)),
		rsa_cert("CN=Test Intermediate", 16400, exponent(65537)),
		rsa_cert("CN=Test Intermediate", 2048, tpki_number(2048, 0)),
		rsa_cert("CN=Test Intermediate", 2048, tpki_number(2048, 0)),
	};
	struct mtls_request *req;
	struct mtls_verdict *v;
	struct mtls_ctx *ctx;

	(void)state;
	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	tpki_write(tpki_path("int.pem"), &pki.intermediate, 1);
	ctx = make_ctx(tpki_path("root.pem"), tpki_path("int.pem"));
	assert_null(mtls_ctx_error(ctx));
	for (size_t d = 0; d < 4; d += 2) {
		unsigned char *buf = NULL;
		size_t len = 0;

		append_pem(&buf, &len, pki.leaf);
		append_pem(&buf, &len, decoys[d]);
		append_pem(&buf, &len, decoys[d + 1]);
		req = mtls_request_new();
		assert_int_equal(mtls_request_set_cert(req, buf, len), 0);
		v = mtls_verify(ctx, req);
		if (mtls_verdict_reason(v) != MTLS_R_KEY_TOO_LARGE)
			fail_msg("decoys %zu: expected key-too-large, got %s: "
			    "%s", d, mtls_reason_name(mtls_verdict_reason(v)),
			    mtls_verdict_explanation(v));
		assert_contains(mtls_verdict_explanation(v),
		    "CN=Test Intermediate");
		assert_null(mtls_verdict_user(v));
		mtls_verdict_free(v);
		mtls_request_free(req);
		free(buf);
	}
	mtls_ctx_free(ctx);
	for (size_t d = 0; d < 4; d++)
		tpki_free(decoys[d]);
}

static void
configured_huge_key_is_a_configuration_error(void **state)
{
	gnutls_x509_crt_t big = rsa_cert("CN=Huge Intermediate", 20000,
	    exponent(65537));
	struct mtls_ctx *ctx;

	(void)state;
	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	tpki_write(tpki_path("huge.pem"), &big, 1);
	ctx = make_ctx(tpki_path("root.pem"), tpki_path("huge.pem"));
	assert_non_null(mtls_ctx_error(ctx));
	assert_contains(mtls_ctx_error(ctx), "CN=Huge Intermediate");
	assert_contains(mtls_ctx_error(ctx), "20000-bit RSA key");
	assert_contains(mtls_ctx_error(ctx), "intermediates_file");
	mtls_ctx_free(ctx);
	tpki_free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_real_cas_issue_are_within),
		cmocka_unit_test(oversized_keys_are_refused),
		cmocka_unit_test(decoy_issuers_with_huge_keys_are_refused),
		cmocka_unit_test(configured_huge_key_is_a_configuration_error),
	};

	return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
