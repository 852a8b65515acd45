/*
 * The verify pipeline through the public API: reading the client's input,
 * building the path, signatures, the verdict's facts, the claimed user,
 * and concurrent use of one context.  The individual rules have their own
 * tests (test_rfc5280, test_policy, test_crl, test_identity); here each
 * family is seen once end to end.
 */
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <gnutls/gnutls.h>

#include "mtls.h"
#include "testder.h"
#include "testpki.h"
#include "testutil.h"

/* The standard PKI, its root and intermediate written out as files. */
static int
setup(void **state)
{
	pki_setup(state);
	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	tpki_write(tpki_path("int.pem"), &pki.intermediate, 1);
	return 0;
}

/* A context trusting the standard root, with or without the intermediate
 * configured. */
static struct mtls_ctx *
make_ctx(int with_intermediate)
{
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();

	assert_non_null(cfg);
	assert_non_null(ctx);
	mtls_config_set_audit(cfg, 0);
	assert_int_equal(mtls_config_add_ca_file(cfg, tpki_path("root.pem")),
	    0);
	if (with_intermediate)
		assert_int_equal(mtls_config_add_intermediates_file(cfg,
		    tpki_path("int.pem")), 0);
	if (mtls_ctx_configure(ctx, cfg) != 0)
		fail_msg("configure: %s", mtls_ctx_error(ctx));
	mtls_config_free(cfg);
	return ctx;
}

static struct mtls_verdict *
verify_bytes(struct mtls_ctx *ctx, const void *data, size_t len)
{
	struct mtls_request *req = mtls_request_new();
	struct mtls_verdict *v;

	assert_int_equal(mtls_request_set_cert(req, data, len), 0);
	v = mtls_verify(ctx, req);
	assert_non_null(v);
	mtls_request_free(req);
	return v;
}

static void
assert_accepted(struct mtls_verdict *v)
{
	if (!mtls_verdict_accepted(v))
		fail_msg("rejected: %s", mtls_verdict_explanation(v));
	mtls_verdict_free(v);
}

static void
accepts_leaf_with_intermediate_from_client(void **state)
{
	struct mtls_ctx *ctx = make_ctx(0);
	gnutls_x509_crt_t sent[] = { pki.leaf, pki.intermediate };
	struct mtls_verdict *v = verify_crts(ctx, sent, 2, NULL);

	(void)state;
	if (!mtls_verdict_accepted(v))
		fail_msg("rejected: %s", mtls_verdict_explanation(v));
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_OK);
	assert_string_equal(mtls_verdict_subject(v), "CN=alice");
	assert_string_equal(mtls_verdict_issuer(v), "CN=Test Intermediate");
	assert_string_equal(mtls_verdict_user(v), "alice");
	assert_int_equal(mtls_verdict_chain_length(v), 3);
	assert_string_equal(mtls_verdict_chain_subject(v, 0), "CN=alice");
	assert_string_equal(mtls_verdict_chain_subject(v, 1),
	    "CN=Test Intermediate");
	assert_string_equal(mtls_verdict_chain_subject(v, 2), "CN=Test Root");
	assert_null(mtls_verdict_chain_subject(v, 3));
	/* 16-octet serial and SHA-256 fingerprint, hex pairs with colons */
	assert_int_equal(strlen(mtls_verdict_serial(v)), 16 * 3 - 1);
	assert_int_equal(strlen(mtls_verdict_fingerprint(v)), 32 * 3 - 1);
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);
}

static void
accepts_leaf_with_configured_intermediate(void **state)
{
	struct mtls_ctx *ctx = make_ctx(1);
	struct mtls_verdict *v = verify_crts(ctx, &pki.leaf, 1, NULL);

	(void)state;
	if (!mtls_verdict_accepted(v))
		fail_msg("rejected: %s", mtls_verdict_explanation(v));
	assert_int_equal(mtls_verdict_chain_length(v), 3);
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);
}

static void
accepts_der_input(void **state)
{
	struct mtls_ctx *ctx = make_ctx(1);
	size_t len;
	unsigned char *der = tpki_der(pki.leaf, &len);

	(void)state;
	assert_accepted(verify_bytes(ctx, der, len));
	free(der);
	mtls_ctx_free(ctx);
}

static void
missing_intermediate_is_named(void **state)
{
	struct mtls_ctx *ctx = make_ctx(0);

	(void)state;
	assert_refused(verify_crts(ctx, &pki.leaf, 1, NULL),
	    MTLS_R_ISSUER_NOT_FOUND, "'CN=Test Intermediate'");
	mtls_ctx_free(ctx);
}

static void
self_signed_client_is_untrusted_root(void **state)
{
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t self = tpki_new("CN=mallory", key, 0);
	struct mtls_ctx *ctx = make_ctx(1);

	(void)state;
	tpki_make_client(self);
	tpki_sign(self, NULL, key, GNUTLS_DIG_SHA256);
	assert_refused(verify_crts(ctx, &self, 1, NULL), MTLS_R_UNTRUSTED_ROOT,
	    "CN=mallory");
	tpki_free(self);
	gnutls_x509_privkey_deinit(key);
	mtls_ctx_free(ctx);
}

static void
issuer_of_same_name_but_other_key_is_not_the_issuer(void **state)
{
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_privkey_t leafkey = tpki_key_ec();
	gnutls_x509_crt_t fake = tpki_new("CN=Test Intermediate", key, 0);
	gnutls_x509_crt_t leaf = tpki_new("CN=mallory", leafkey, 0);
	struct mtls_ctx *ctx = make_ctx(1);

	(void)state;
	tpki_make_ca(fake, 0);
	tpki_sign(fake, NULL, key, GNUTLS_DIG_SHA256);
	tpki_make_client(leaf);
	tpki_sign(leaf, fake, key, GNUTLS_DIG_SHA256);
	assert_refused(verify_crts(ctx, &leaf, 1, NULL),
	    MTLS_R_KEY_IDENTIFIER, "was issued by the CA key");
	tpki_free(fake);
	tpki_free(leaf);
	gnutls_x509_privkey_deinit(key);
	gnutls_x509_privkey_deinit(leafkey);
	mtls_ctx_free(ctx);
}

/*
 * A CA renewed under the same name with a new key, both roots trusted:
 * a v1 client certificate names no key, so only the signature tells which
 * root issued it, and its revocation is on that root's CRL.
 */
static void
renewed_root_revokes_its_own_v1_clients(void **state)
{
	time_t now = time(NULL);
	gnutls_x509_privkey_t old_key = tpki_key_ec(), new_key = tpki_key_ec();
	gnutls_x509_crt_t roots[2], revoked, kept, old_client;
	gnutls_x509_crl_t old_crl, new_crl;
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();

	(void)state;
	roots[0] = tpki_new("CN=Renewed Root", old_key, 0);
	roots[1] = tpki_new("CN=Renewed Root", new_key, 0);
	tpki_make_ca(roots[0], -1);
	tpki_make_ca(roots[1], -1);
	tpki_sign(roots[0], NULL, old_key, GNUTLS_DIG_SHA256);
	tpki_sign(roots[1], NULL, new_key, GNUTLS_DIG_SHA256);
	revoked = tpki_new("CN=revoked", pki.leaf_key, TPKI_V1);
	kept = tpki_new("CN=kept", pki.leaf_key, TPKI_V1);
	tpki_sign(revoked, roots[1], new_key, GNUTLS_DIG_SHA256);
	tpki_sign(kept, roots[1], new_key, GNUTLS_DIG_SHA256);
	old_client = tpki_new("CN=old", pki.leaf_key, TPKI_V1);
	tpki_sign(old_client, roots[0], old_key, GNUTLS_DIG_SHA256);
	old_crl = tpki_crl(roots[0], old_key, NULL, 0, now - 60, now + 86400);
	new_crl = tpki_crl(roots[1], new_key, &revoked, 1, now - 60,
	    now + 86400);
	tpki_write(tpki_path("renewed.pem"), roots, 2);
	tpki_write_crl(tpki_path("renewed-old.crl"), old_crl);
	tpki_write_crl(tpki_path("renewed-new.crl"), new_crl);

	mtls_config_set_audit(cfg, 0);
	assert_int_equal(mtls_config_add_ca_file(cfg,
	    tpki_path("renewed.pem")), 0);
	assert_int_equal(mtls_config_add_crl_file(cfg,
	    tpki_path("renewed-old.crl")), 0);
	assert_int_equal(mtls_config_add_crl_file(cfg,
	    tpki_path("renewed-new.crl")), 0);
	assert_int_equal(mtls_config_set_revocation_mode(cfg, "crl"), 0);
	assert_int_equal(mtls_config_set_crl_index(cfg, NULL), 0);
	if (mtls_ctx_configure(ctx, cfg) != 0)
		fail_msg("configure: %s", mtls_ctx_error(ctx));
	assert_refused(verify_crts(ctx, &revoked, 1, NULL), MTLS_R_REVOKED,
	    "CN=revoked");
	assert_accepted(verify_crts(ctx, &kept, 1, NULL));
	/* and the old root's clients still log in */
	assert_accepted(verify_crts(ctx, &old_client, 1, NULL));

	mtls_config_free(cfg);
	mtls_ctx_free(ctx);
	gnutls_x509_crl_deinit(old_crl);
	gnutls_x509_crl_deinit(new_crl);
	tpki_free(revoked);
	tpki_free(kept);
	tpki_free(old_client);
	tpki_free(roots[0]);
	tpki_free(roots[1]);
	gnutls_x509_privkey_deinit(old_key);
	gnutls_x509_privkey_deinit(new_key);
}

static void
altered_certificate_fails_signature(void **state)
{
	struct mtls_ctx *ctx = make_ctx(1);
	size_t len;
	unsigned char *der = tpki_der(pki.leaf, &len);

	(void)state;
	/* the last octet belongs to the signature value */
	der[len - 1] ^= 0x01;
	assert_refused(verify_bytes(ctx, der, len), MTLS_R_SIGNATURE_INVALID,
	    "'CN=alice'");
	free(der);
	mtls_ctx_free(ctx);
}

static void
malformed_inputs_are_rejected(void **state)
{
	static const char garbage[] = "this is not a certificate";
	static const char bad_pem[] = "-----BEGIN CERTIFICATE-----\n"
	    "MIIBkTCB+wIJAKHBfpegPjMCMA0GCSqGSIb3DQEBBQUAMBExDzANBgNVBAMTBn\n"
	    "-----END CERTIFICATE-----\n";
	struct mtls_ctx *ctx = make_ctx(1);
	size_t len;
	unsigned char *der = tpki_der(pki.leaf, &len);

	(void)state;
	assert_refused(verify_bytes(ctx, garbage, sizeof(garbage) - 1),
	    MTLS_R_CERT_MALFORMED, NULL);
	assert_refused(verify_bytes(ctx, bad_pem, sizeof(bad_pem) - 1),
	    MTLS_R_CERT_MALFORMED, NULL);
	assert_refused(verify_bytes(ctx, "", 0), MTLS_R_CERT_MALFORMED,
	    "empty");
	/* every truncation of a DER certificate */
	for (size_t cut = 1; cut < len; cut += 7)
		assert_refused(verify_bytes(ctx, der, cut),
		    MTLS_R_CERT_MALFORMED, NULL);
	free(der);
	mtls_ctx_free(ctx);
}

static void
megabyte_certificate_is_rejected(void **state)
{
	size_t big = 1024 * 1024;
	unsigned char *junk = calloc(1, big);
	gnutls_x509_crt_t fat = tpki_new("CN=fat", pki.leaf_key, 0);
	gnutls_datum_t ext;
	struct mtls_ctx *ctx = make_ctx(1);
	size_t len;
	unsigned char *pem;

	(void)state;
	assert_non_null(junk);
	/* an OCTET STRING of a megabyte in a private extension */
	junk[0] = 0x04;
	junk[1] = 0x83;
	junk[2] = (unsigned char)((big - 5) >> 16);
	junk[3] = (unsigned char)((big - 5) >> 8);
	junk[4] = (unsigned char)(big - 5);
	ext.data = junk;
	ext.size = (unsigned)big;
	assert_int_equal(gnutls_x509_crt_set_extension_by_oid(fat,
	    "1.3.6.1.4.1.55555.1", junk, big, 0), 0);
	tpki_make_client(fat);
	tpki_sign(fat, pki.intermediate, pki.int_key, GNUTLS_DIG_SHA256);
	pem = tpki_pem(fat, &len);
	assert_true(len > big);
	assert_refused(verify_bytes(ctx, pem, len), MTLS_R_CERT_MALFORMED,
	    "bytes");
	(void)ext;
	free(pem);
	free(junk);
	tpki_free(fat);
	mtls_ctx_free(ctx);
}

static void
deep_chain_is_rejected(void **state)
{
	/* 50 intermediates, each issuing the next, all configured. */
	enum { DEPTH = 50 };
	gnutls_x509_crt_t ca[DEPTH + 1], leaf;
	gnutls_x509_privkey_t key = tpki_key_ec();
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();
	char dn[32];

	(void)state;
	ca[0] = pki.root;
	for (int i = 1; i <= DEPTH; i++) {
		snprintf(dn, sizeof(dn), "CN=Deep %d", i);
		ca[i] = tpki_new(dn, key, 0);
		tpki_make_ca(ca[i], -1);
		tpki_sign(ca[i], ca[i - 1], i == 1 ? pki.root_key : key,
		    GNUTLS_DIG_SHA256);
	}
	leaf = tpki_new("CN=deep", key, 0);
	tpki_make_client(leaf);
	tpki_sign(leaf, ca[DEPTH], key, GNUTLS_DIG_SHA256);
	tpki_write(tpki_path("deep.pem"), ca + 1, DEPTH);
	mtls_config_set_audit(cfg, 0);
	mtls_config_add_ca_file(cfg, tpki_path("root.pem"));
	mtls_config_add_intermediates_file(cfg, tpki_path("deep.pem"));
	assert_int_equal(mtls_ctx_configure(ctx, cfg), 0);
	assert_refused(verify_crts(ctx, &leaf, 1, NULL),
	    MTLS_R_CHAIN_TOO_DEEP, "CN=deep");
	/* sent by the client instead: refused before any path is built */
	assert_refused(verify_crts(ctx, ca + 1, DEPTH, NULL),
	    MTLS_R_CHAIN_TOO_LONG, NULL);
	for (int i = 1; i <= DEPTH; i++)
		tpki_free(ca[i]);
	tpki_free(leaf);
	gnutls_x509_privkey_deinit(key);
	mtls_config_free(cfg);
	mtls_ctx_free(ctx);
}

static void
claimed_user_must_match(void **state)
{
	struct mtls_ctx *ctx = make_ctx(1);
	struct mtls_verdict *v = verify_crts(ctx, &pki.leaf, 1, "alice");

	(void)state;
	assert_true(mtls_verdict_accepted(v));
	assert_string_equal(mtls_verdict_user(v), "alice");
	mtls_verdict_free(v);
	assert_refused(verify_crts(ctx, &pki.leaf, 1, "bob"),
	    MTLS_R_USER_MISMATCH, "'bob'");
	/* a claimed name cannot smuggle control characters into the log */
	v = verify_crts(ctx, &pki.leaf, 1, "bob\nreason=ok");
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_USER_MISMATCH);
	assert_null(strchr(mtls_verdict_explanation(v), '\n'));
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);
}

/*
 * identity.issuers lets one trusted CA vouch for user names.  Another
 * trusted CA can make an intermediate of the same name: the client sends
 * it, and its certificates must not map.
 */
static void
issuer_binding_holds_against_a_namesake_intermediate(void **state)
{
	gnutls_x509_privkey_t partner_key = tpki_key_ec();
	gnutls_x509_crt_t partner = tpki_new("CN=Partner Root", partner_key, 0);
	gnutls_x509_crt_t namesake = tpki_new("CN=Test Intermediate",
	    partner_key, 0);
	gnutls_x509_crt_t sent[2];
	gnutls_x509_crt_t anchors[2] = { pki.root, partner };
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();
	FILE *fp;

	(void)state;
	tpki_make_ca(partner, -1);
	tpki_sign(partner, NULL, partner_key, GNUTLS_DIG_SHA256);
	tpki_make_ca(namesake, 0);
	tpki_sign(namesake, partner, partner_key, GNUTLS_DIG_SHA256);
	sent[0] = tpki_new("CN=root", pki.leaf_key, 0);
	tpki_make_client(sent[0]);
	tpki_sign(sent[0], namesake, partner_key, GNUTLS_DIG_SHA256);
	sent[1] = namesake;
	tpki_write(tpki_path("anchors.pem"), anchors, 2);
	fp = fopen(tpki_path("bound.conf"), "w");
	assert_non_null(fp);
	fprintf(fp, "ca_file = \"anchors.pem\";\nintermediates_file = "
	    "\"int.pem\";\naudit = false;\nidentity = { issuers = "
	    "\"CN=Test Intermediate\"; };\n");
	assert_int_equal(fclose(fp), 0);
	if (mtls_config_load_file(cfg, tpki_path("bound.conf"), NULL) != 0)
		fail_msg("config: %s", mtls_config_error(cfg));
	if (mtls_ctx_configure(ctx, cfg) != 0)
		fail_msg("configure: %s", mtls_ctx_error(ctx));

	assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL));
	/* a client may send a copy of the configured one */
	assert_accepted(verify_crts(ctx, (gnutls_x509_crt_t[]){ pki.leaf,
	    pki.intermediate }, 2, NULL));
	assert_refused(verify_crts(ctx, sent, 2, NULL), MTLS_R_USER_UNMAPPED,
	    "CN=root");

	mtls_config_free(cfg);
	mtls_ctx_free(ctx);
	tpki_free(sent[0]);
	tpki_free(namesake);
	tpki_free(partner);
	gnutls_x509_privkey_deinit(partner_key);
}

/*
 * A CA's certificates may write its name other than its own certificate
 * does (another string type, case, spaces): identity.issuers, written as
 * the CA's subject is printed, binds them all, as RFC 5280 7.1 compares
 * names, and no other CA.
 */
static void
issuer_binding_compares_names_as_rfc5280_does(void **state)
{
	static const struct tder_attribute own[] = {
		{ TDER_OID_O, ASN1_ETYPE_PRINTABLE_STRING, "Example", 7 },
		{ TDER_OID_CN, ASN1_ETYPE_PRINTABLE_STRING,
		    "Example Users CA", 16 },
	};
	static const struct tder_attribute issued[] = {
		{ TDER_OID_O, ASN1_ETYPE_UTF8_STRING, "EXAMPLE", 7 },
		{ TDER_OID_CN, ASN1_ETYPE_UTF8_STRING,
		    " example  users ca", 18 },
	};
	gnutls_datum_t own_name = tder_name(own, 2);
	gnutls_datum_t issued_name = tder_name(issued, 2);
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t ca = tpki_new("CN=Placeholder", key, 0);
	gnutls_x509_crt_t signer = tpki_new("CN=Placeholder", key, 0);
	gnutls_x509_crt_t leaf = tpki_new("CN=erin", pki.leaf_key, 0);
	gnutls_datum_t printed = { NULL, 0 };
	struct mtls_verdict *v;
	struct mtls_ctx *ctx;
	char settings[256];

	(void)state;
	/* the same CA, its name written two ways: one certificate signs,
	 * the other is configured */
	tpki_make_ca(ca, 0);
	tpki_sign(ca, NULL, key, GNUTLS_DIG_SHA256);
	ca = tder_with_subject(ca, &own_name);
	tpki_sign(ca, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	tpki_make_ca(signer, 0);
	tpki_sign(signer, NULL, key, GNUTLS_DIG_SHA256);
	signer = tder_with_subject(signer, &issued_name);
	tpki_make_client(leaf);
	tpki_sign(leaf, signer, key, GNUTLS_DIG_SHA256);
	tpki_write(tpki_path("users-ca.pem"), &ca, 1);
	assert_int_equal(gnutls_x509_crt_get_dn3(ca, &printed, 0), 0);
	assert_string_equal((char *)printed.data,
	    "CN=Example Users CA,O=Example");
	snprintf(settings, sizeof(settings), "intermediates_file = "
	    "\"users-ca.pem\";\nidentity = { issuers = \"%s\"; };",
	    (char *)printed.data);
	ctx = ctx_from_settings(settings);

	v = verify_crts(ctx, &leaf, 1, NULL);
	if (!mtls_verdict_accepted(v))
		fail_msg("rejected: %s", mtls_verdict_explanation(v));
	assert_string_equal(mtls_verdict_user(v), "erin");
	mtls_verdict_free(v);
	assert_refused(verify_crts(ctx, (gnutls_x509_crt_t[]){ pki.leaf,
	    pki.intermediate }, 2, NULL), MTLS_R_USER_UNMAPPED,
	    "which is not in identity.issuers");

	mtls_ctx_free(ctx);
	gnutls_free(printed.data);
	gnutls_free(own_name.data);
	gnutls_free(issued_name.data);
	tpki_free(leaf);
	tpki_free(signer);
	tpki_free(ca);
	gnutls_x509_privkey_deinit(key);
}

static void
unconfigured_context_rejects(void **state)
{
	struct mtls_ctx *ctx = mtls_ctx_new();

	(void)state;
	assert_refused(verify_crts(ctx, &pki.leaf, 1, NULL), MTLS_R_INTERNAL,
	    NULL);
	mtls_ctx_free(ctx);
}

/*
 * A trust anchor with a critical extension no verifier knows may carry a
 * constraint that would bind nothing here: no client certificate is
 * accepted under it, and the verdict names the anchor.
 */
static void
anchor_with_unknown_critical_extension_refuses(void **state)
{
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t root = tpki_new("CN=Odd Root", key, 0);
	gnutls_x509_crt_t leaf = tpki_new("CN=alice", key, 0);
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();

	(void)state;
	tpki_make_ca(root, -1);
	assert_int_equal(gnutls_x509_crt_set_extension_by_oid(root,
	    "1.3.6.1.4.1.99999.1", "\x05\x00", 2, 1), 0);
	tpki_sign(root, NULL, key, GNUTLS_DIG_SHA256);
	tpki_make_client(leaf);
	tpki_sign(leaf, root, key, GNUTLS_DIG_SHA256);
	tpki_write(tpki_path("odd-root.pem"), &root, 1);
	mtls_config_set_audit(cfg, 0);
	assert_int_equal(mtls_config_add_ca_file(cfg,
	    tpki_path("odd-root.pem")), 0);
	if (mtls_ctx_configure(ctx, cfg) != 0)
		fail_msg("configure: %s", mtls_ctx_error(ctx));
	assert_refused(verify_crts(ctx, &leaf, 1, NULL),
	    MTLS_R_CRITICAL_EXTENSION, "trust anchor 'CN=Odd Root' has a "
	    "critical extension 1.3.6.1.4.1.99999.1");
	mtls_config_free(cfg);
	mtls_ctx_free(ctx);
	tpki_free(leaf);
	tpki_free(root);
	gnutls_x509_privkey_deinit(key);
}

static void
no_trust_anchor_is_a_configuration_error(void **state)
{
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();

	(void)state;
	assert_int_equal(mtls_ctx_configure(ctx, cfg), -1);
	assert_contains(mtls_ctx_error(ctx), "ca_file");
	mtls_config_free(cfg);
	mtls_ctx_free(ctx);
}

/* The standard root and intermediate, these revocation settings. */
#define REVOCATION_SETTINGS "intermediates_file = \"int.pem\";\n" \
    "revocation = { %s };"

/* A configuration read from a file, as an administrator writes it. */
static struct mtls_config *
config_from_file(const char *revocation)
{
	char settings[1024];

	snprintf(settings, sizeof(settings), REVOCATION_SETTINGS, revocation);
	return config_from_settings(settings);
}

/* A context from a configuration file with these revocation settings. */
static struct mtls_ctx *
ctx_from_file(const char *revocation)
{
	char settings[1024];

	snprintf(settings, sizeof(settings), REVOCATION_SETTINGS, revocation);
	return ctx_from_settings(settings);
}

/* Nothing listens on port 1 of the loopback: refused at once. */
#define DEAD_RESPONDER "ocsp_url = \"http://127.0.0.1:1/\"; "

static void
revocation_sources_are_tried_in_order(void **state)
{
	time_t now = time(NULL);
	gnutls_x509_crl_t crl = tpki_crl(pki.intermediate, pki.int_key, NULL,
	    0, now - 60, now + 86400);
	gnutls_x509_crl_t revoking = tpki_crl(pki.intermediate, pki.int_key,
	    &pki.leaf, 1, now - 60, now + 86400);
	gnutls_x509_crl_t stale = tpki_crl(pki.intermediate, pki.int_key, NULL,
	    0, now - 3 * 86400, now - 2 * 86400);
	gnutls_x509_crl_t root_revoking = tpki_crl(pki.root, pki.root_key,
	    &pki.intermediate, 1, now - 60, now + 86400);
	gnutls_x509_crl_t root_stale = tpki_crl(pki.root, pki.root_key, NULL,
	    0, now - 3 * 86400, now - 2 * 86400);
	struct mtls_ctx *ctx;
	struct mtls_verdict *v;

	(void)state;
	tpki_write_crl(tpki_path("good.crl"), crl);
	tpki_write_crl(tpki_path("revoking.crl"), revoking);
	tpki_write_crl(tpki_path("stale.crl"), stale);
	tpki_write_crl(tpki_path("root-revoking.crl"), root_revoking);
	tpki_write_crl(tpki_path("root-stale.crl"), root_stale);

	/* an unreachable responder rejects, fail closed */
	ctx = ctx_from_file(DEAD_RESPONDER "mode = \"ocsp\";");
	assert_refused(verify_crts(ctx, &pki.leaf, 1, NULL),
	    MTLS_R_REVOCATION_UNAVAILABLE, "127.0.0.1:1");
	mtls_ctx_free(ctx);

	/* ... unless soft-fail is asked for, which the verdict notes */
	ctx = ctx_from_file(DEAD_RESPONDER "mode = \"ocsp\"; "
	    "ocsp_soft_fail = true;");
	v = verify_crts(ctx, &pki.leaf, 1, NULL);
	assert_true(mtls_verdict_accepted(v));
	assert_contains(mtls_verdict_note(v), "ocsp_soft_fail");
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);

	/* ... and the next source answers when there is one */
	ctx = ctx_from_file(DEAD_RESPONDER "mode = [\"ocsp\", \"crl\"]; "
	    "crl_files = \"good.crl\";");
	assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL));
	mtls_ctx_free(ctx);

	ctx = ctx_from_file(DEAD_RESPONDER "mode = [\"ocsp\", \"crl\"]; "
	    "crl_files = \"revoking.crl\";");
	assert_refused(verify_crts(ctx, &pki.leaf, 1, NULL), MTLS_R_REVOKED,
	    "CN=alice");
	mtls_ctx_free(ctx);

	/* a stale CRL of alice's hands over to the responder, but not a
	 * revocation of her issuer on the root's current CRL */
	ctx = ctx_from_file(DEAD_RESPONDER "mode = [\"crl\", \"ocsp\"]; "
	    "ocsp_soft_fail = true; crl_files = [\"stale.crl\", "
	    "\"root-revoking.crl\"];");
	assert_refused(verify_crts(ctx, &pki.leaf, 1, NULL), MTLS_R_REVOKED,
	    "CN=Test Intermediate");
	mtls_ctx_free(ctx);

	/* OCSP asks only about alice: it cannot stand in for a CRL about
	 * her issuer, stale here, not even by soft-failing */
	ctx = ctx_from_file(DEAD_RESPONDER "mode = [\"crl\", \"ocsp\"]; "
	    "ocsp_soft_fail = true; crl_files = [\"good.crl\", "
	    "\"root-stale.crl\"];");
	assert_refused(verify_crts(ctx, &pki.leaf, 1, NULL), MTLS_R_CRL_STALE,
	    "CN=Test Intermediate");
	mtls_ctx_free(ctx);
	ctx = ctx_from_file(DEAD_RESPONDER "mode = [\"crl\", \"ocsp\"]; "
	    "ocsp_soft_fail = true; crl_require = \"chain\"; "
	    "crl_files = \"good.crl\";");
	assert_refused(verify_crts(ctx, &pki.leaf, 1, NULL),
	    MTLS_R_CRL_MISSING, "CN=Test Intermediate");
	mtls_ctx_free(ctx);

	/* a definitive CRL answer settles it before the responder is asked */
	ctx = ctx_from_file(DEAD_RESPONDER "mode = [\"crl\", \"ocsp\"]; "
	    "crl_files = \"good.crl\";");
	assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL));
	mtls_ctx_free(ctx);

	gnutls_x509_crl_deinit(crl);
	gnutls_x509_crl_deinit(revoking);
	gnutls_x509_crl_deinit(stale);
	gnutls_x509_crl_deinit(root_revoking);
	gnutls_x509_crl_deinit(root_stale);
}

/* alice, verified with the standard intermediate sent along, at when
 * (-1: the host's clock). */
static struct mtls_verdict *
verify_at(struct mtls_ctx *ctx, time_t when)
{
	gnutls_x509_crt_t sent[] = { pki.leaf, pki.intermediate };
	struct mtls_request *req = request_crts(sent, 2);
	struct mtls_verdict *v;

	if (when != (time_t)-1)
		mtls_request_set_time(req, when);
	v = mtls_verify(ctx, req);
	assert_non_null(v);
	mtls_request_free(req);
	return v;
}

/* A context whose only CRL of alice's issuer is valid from..until. */
static struct mtls_ctx *
ctx_with_crl(time_t from, time_t until)
{
	gnutls_x509_crl_t crl = tpki_crl(pki.intermediate, pki.int_key, NULL,
	    0, from, until);

	tpki_write_crl(tpki_path("timed.crl"), crl);
	gnutls_x509_crl_deinit(crl);
	return ctx_from_file("mode = \"crl\"; crl_files = \"timed.crl\";");
}

/*
 * policy.clock_skew (300 s by default) is for a host clock that is behind
 * a CA's: it lets a CRL dated a little ahead of the host's clock count,
 * and never keeps a CRL past its nextUpdate.  A time the request gives is
 * exact: no skew at all, for certificates and CRLs alike.
 */
static void
explicit_time_is_exact(void **state)
{
	time_t now = time(NULL);
	time_t t = now + 7 * 86400L;	/* within alice's validity */
	struct mtls_ctx *ctx;

	(void)state;
	ctx = ctx_with_crl(t - 86400, t - 1);
	assert_accepted(verify_at(ctx, t - 1));
	assert_refused(verify_at(ctx, t), MTLS_R_CRL_STALE, "CN=alice");
	mtls_ctx_free(ctx);

	ctx = ctx_with_crl(t + 1, t + 86400);
	assert_refused(verify_at(ctx, t), MTLS_R_CRL_INVALID,
	    "is not valid before");
	assert_accepted(verify_at(ctx, t + 1));
	mtls_ctx_free(ctx);

	/* a second before alice's notBefore, well within the skew */
	ctx = ctx_with_crl(now - 7200, now + 86400);
	assert_refused(verify_at(ctx,
	    gnutls_x509_crt_get_activation_time(pki.leaf) - 1),
	    MTLS_R_NOT_YET_VALID, "CN=alice");
	mtls_ctx_free(ctx);

	/* by the host's clock the skew widens thisUpdate only */
	ctx = ctx_with_crl(now + 60, now + 86400);
	assert_accepted(verify_at(ctx, (time_t)-1));
	mtls_ctx_free(ctx);
	ctx = ctx_with_crl(now - 86400, now - 1);
	assert_refused(verify_at(ctx, (time_t)-1), MTLS_R_CRL_STALE,
	    "CN=alice");
	mtls_ctx_free(ctx);
}

/* -- what the verdict tells a door -------------------------------------- */

/* mtls_verify() returns NULL when memory runs out: still a rejection. */
static void
null_verdict_is_an_internal_error(void **state)
{
	(void)state;
	assert_false(mtls_verdict_accepted(NULL));
	assert_int_equal(mtls_verdict_reason(NULL), MTLS_R_INTERNAL);
	assert_non_null(mtls_verdict_explanation(NULL));
	assert_contains(mtls_verdict_user_message(NULL), "try again later");
	assert_false(mtls_verdict_network_owed(NULL));
	assert_null(mtls_verdict_note(NULL));
	assert_int_equal(mtls_verdict_note_count(NULL), 0);
	assert_null(mtls_verdict_note_at(NULL, 0));
	assert_null(mtls_verdict_subject(NULL));
	assert_null(mtls_verdict_issuer(NULL));
	assert_null(mtls_verdict_serial(NULL));
	assert_null(mtls_verdict_fingerprint(NULL));
	assert_null(mtls_verdict_user(NULL));
	assert_true(mtls_verdict_not_before(NULL) == (time_t)-1);
	assert_true(mtls_verdict_not_after(NULL) == (time_t)-1);
	assert_null(mtls_verdict_email(NULL));
	assert_null(mtls_verdict_upn(NULL));
	assert_int_equal(mtls_verdict_revocation_source(NULL),
	    MTLS_REVSRC_NONE);
	assert_int_equal(mtls_verdict_failed_depth(NULL), -1);
	assert_int_equal(mtls_verdict_chain_length(NULL), 0);
	assert_null(mtls_verdict_chain_subject(NULL, 0));
	mtls_verdict_free(NULL);
}

/* What a door got when its own allocations failed is still a rejection. */
static void
null_context_or_request_rejects(void **state)
{
	struct mtls_ctx *ctx = make_ctx(1);
	struct mtls_request *req = request_crts(&pki.leaf, 1);
	struct mtls_verdict *v;

	(void)state;
	v = mtls_verify(NULL, req);
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_INTERNAL);
	assert_contains(mtls_verdict_explanation(v), "not configured");
	mtls_verdict_free(v);
	v = mtls_verify(ctx, NULL);
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_INTERNAL);
	assert_contains(mtls_verdict_explanation(v), "no request");
	assert_false(mtls_verdict_accepted(v));
	mtls_verdict_free(v);
	assert_non_null(mtls_ctx_error(NULL));
	mtls_request_free(req);
	mtls_ctx_free(ctx);
}

/* A client certificate of alice's with an email address and a UPN. */
static gnutls_x509_crt_t
alice_with_names(time_t not_before, time_t not_after)
{
	gnutls_x509_crt_t crt = tpki_new("CN=alice", pki.leaf_key, 0);

	tpki_make_client(crt);
	tpki_set_validity(crt, not_before, not_after);
	assert_int_equal(gnutls_x509_crt_set_subject_alt_name(crt,
	    GNUTLS_SAN_DNSNAME, "host.example", 12, GNUTLS_FSAN_APPEND), 0);
	assert_int_equal(gnutls_x509_crt_set_subject_alt_name(crt,
	    GNUTLS_SAN_RFC822NAME, "alice@example.com", 17,
	    GNUTLS_FSAN_APPEND), 0);
	assert_int_equal(gnutls_x509_crt_set_subject_alt_othername(crt,
	    "1.3.6.1.4.1.311.20.2.3", "alice@CORP.EXAMPLE", 18,
	    GNUTLS_FSAN_APPEND | GNUTLS_FSAN_ENCODE_UTF8_STRING), 0);
	tpki_sign(crt, pki.intermediate, pki.int_key, GNUTLS_DIG_SHA256);
	return crt;
}

static void
verdict_carries_the_certificate_facts(void **state)
{
	time_t now = time(NULL);
	gnutls_x509_crt_t alice = alice_with_names(now - 3600, now + 86400);
	gnutls_x509_crt_t chain[2] = { alice, pki.intermediate };
	struct mtls_ctx *ctx = make_ctx(0);
	struct mtls_verdict *v = verify_crts(ctx, chain, 2, NULL);

	(void)state;
	if (!mtls_verdict_accepted(v))
		fail_msg("rejected: %s", mtls_verdict_explanation(v));
	assert_true(mtls_verdict_not_before(v) == now - 3600);
	assert_true(mtls_verdict_not_after(v) == now + 86400);
	assert_string_equal(mtls_verdict_email(v), "alice@example.com");
	assert_string_equal(mtls_verdict_upn(v), "alice@CORP.EXAMPLE");
	assert_int_equal(mtls_verdict_revocation_source(v), MTLS_REVSRC_NONE);
	assert_int_equal(mtls_verdict_failed_depth(v), -1);
	assert_false(mtls_verdict_network_owed(v));
	assert_string_equal(mtls_verdict_user_message(v),
	    "Your certificate is accepted.");
	mtls_verdict_free(v);

	/* the standard leaf has neither name */
	v = verify_crts(ctx, &pki.leaf, 1, NULL);
	assert_null(mtls_verdict_email(v));
	assert_null(mtls_verdict_upn(v));
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);
	tpki_free(alice);
}

/*
 * The person at the login prompt reads one sentence with what they can
 * do, and the date when it is their certificate's; nothing of the
 * server's configuration, which the explanation names.
 */
static void
user_message_helps_without_telling_internals(void **state)
{
	time_t now = time(NULL);
	time_t expired_at = now + 30 * 86400L;
	char when[64], expected[160];
	struct tm tm;
	gnutls_x509_crt_t old = alice_with_names(expired_at - 86400,
	    expired_at);
	gnutls_x509_crt_t chain[2] = { old, pki.intermediate };
	struct mtls_ctx *ctx = make_ctx(0);
	struct mtls_request *req = request_crts(chain, 2);
	struct mtls_verdict *v;
	const char *said;

	(void)state;
	gmtime_r(&expired_at, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	snprintf(expected, sizeof(expected), "Your certificate expired on %s; "
	    "ask your administrator for a new one.", when);
	mtls_request_set_time(req, expired_at + 86400);
	v = mtls_verify(ctx, req);
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_EXPIRED);
	assert_int_equal(mtls_verdict_failed_depth(v), 0);
	assert_string_equal(mtls_verdict_user_message(v), expected);
	/* the administrator reads the same date in the same form */
	assert_contains(mtls_verdict_explanation(v), when);
	mtls_verdict_free(v);
	mtls_request_free(req);

	/* the intermediate is what expired: not the user's own date */
	tpki_free(old);
	old = alice_with_names(now - 3600, now + 3 * 365 * 86400L);
	chain[0] = old;
	req = request_crts(chain, 2);
	mtls_request_set_time(req, now + 2 * 365 * 86400L);
	v = mtls_verify(ctx, req);
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_EXPIRED);
	assert_int_equal(mtls_verdict_failed_depth(v), 1);
	assert_contains(mtls_verdict_user_message(v), "depends on has expired");
	mtls_verdict_free(v);
	mtls_request_free(req);

	chain[0] = pki.leaf;
	v = verify_crts(ctx, chain, 2, "bob");
	said = mtls_verdict_user_message(v);
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_USER_MISMATCH);
	assert_int_equal(mtls_verdict_failed_depth(v), -1);
	assert_contains(said, "another user");
	assert_null(strstr(said, "alice"));
	assert_null(strstr(said, "Test"));
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);
	tpki_free(old);
}

/* Each reason has a sentence of its own kind: ends with a full stop. */
static void
every_reason_has_a_user_message(void **state)
{
	time_t now = time(NULL);
	gnutls_x509_crt_t self = tpki_new("CN=mallory", pki.leaf_key, 0);
	struct mtls_ctx *ctx = make_ctx(1);
	struct mtls_verdict *v;
	const char *said;

	(void)state;
	tpki_make_client(self);
	tpki_set_validity(self, now - 60, now + 3600);
	tpki_sign(self, NULL, pki.leaf_key, GNUTLS_DIG_SHA256);
	v = verify_crts(ctx, &self, 1, NULL);
	said = mtls_verdict_user_message(v);
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_UNTRUSTED_ROOT);
	assert_contains(said, "not from an authority this system trusts");
	assert_null(strstr(said, "mallory"));
	assert_true(said[strlen(said) - 1] == '.');
	mtls_verdict_free(v);

	v = verify_bytes(ctx, "garbage", 7);
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_CERT_MALFORMED);
	assert_contains(mtls_verdict_user_message(v), "cannot be read");
	assert_int_equal(mtls_verdict_failed_depth(v), -1);
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);
	tpki_free(self);
}

/* A CA certificate of the path that fails is named by its position. */
static void
failed_depth_names_the_certificate(void **state)
{
	time_t now = time(NULL);
	gnutls_x509_crl_t root_revoking = tpki_crl(pki.root, pki.root_key,
	    &pki.intermediate, 1, now - 60, now + 86400);
	gnutls_x509_crl_t good = tpki_crl(pki.intermediate, pki.int_key, NULL,
	    0, now - 60, now + 86400);
	gnutls_x509_crt_t chain[2] = { pki.leaf, pki.intermediate };
	struct mtls_ctx *ctx;
	struct mtls_verdict *v;

	(void)state;
	tpki_write_crl(tpki_path("depth-root.crl"), root_revoking);
	tpki_write_crl(tpki_path("depth-good.crl"), good);
	ctx = ctx_from_file("mode = \"crl\"; crl_files = [\"depth-good.crl\", "
	    "\"depth-root.crl\"];");
	v = verify_crts(ctx, chain, 2, NULL);
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_REVOKED);
	assert_int_equal(mtls_verdict_failed_depth(v), 1);
	assert_string_equal(mtls_verdict_chain_subject(v, 1),
	    "CN=Test Intermediate");
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);
	gnutls_x509_crl_deinit(root_revoking);
	gnutls_x509_crl_deinit(good);
}

/* alice is accepted under these revocation settings, by this source. */
static void
assert_accepted_by(const char *revocation,
    enum mtls_revocation_source source)
{
	struct mtls_ctx *ctx = ctx_from_file(revocation);
	struct mtls_verdict *v = verify_crts(ctx, &pki.leaf, 1, NULL);

	if (!mtls_verdict_accepted(v))
		fail_msg("rejected: %s", mtls_verdict_explanation(v));
	assert_string_equal(mtls_revocation_source_name(
	    mtls_verdict_revocation_source(v)),
	    mtls_revocation_source_name(source));
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);
}

/* Which source settled alice's revocation, for the door and the log. */
static void
verdict_names_the_revocation_source(void **state)
{
	time_t now = time(NULL);
	gnutls_x509_crl_t good = tpki_crl(pki.intermediate, pki.int_key, NULL,
	    0, now - 60, now + 86400);

	(void)state;
	tpki_write_crl(tpki_path("source-good.crl"), good);
	assert_accepted_by(DEAD_RESPONDER "mode = [\"ocsp\", \"crl\"]; "
	    "crl_files = \"source-good.crl\";", MTLS_REVSRC_CRL_FILE);
	assert_accepted_by(DEAD_RESPONDER "mode = \"ocsp\"; "
	    "ocsp_soft_fail = true;", MTLS_REVSRC_SOFT_FAIL);
	gnutls_x509_crl_deinit(good);

	assert_string_equal(mtls_revocation_source_name(MTLS_REVSRC_CRL_INDEX),
	    "crl-index");
	assert_string_equal(mtls_revocation_source_name(MTLS_REVSRC_OCSP_LIVE),
	    "ocsp");
	assert_string_equal(mtls_revocation_source_name(
	    MTLS_REVSRC_OCSP_CACHED), "ocsp-cache");
}

static struct mtls_verdict *
verify_offline(struct mtls_ctx *ctx, const char *user)
{
	struct mtls_request *req = request_crts(&pki.leaf, 1);
	struct mtls_verdict *v;

	mtls_request_set_offline(req, 1);
	if (user != NULL)
		assert_int_equal(mtls_request_set_user(req, user), 0);
	v = mtls_verify(ctx, req);
	mtls_request_free(req);
	return v;
}

/*
 * Offline, the responder is not asked (it is not there: asked, it would
 * refuse, and the explanation would say so); what only it could settle is
 * owed.  What the network cannot change is final: a CRL's answer, another
 * user's certificate.  Soft-fail waits for the check with the network.
 */
static void
offline_verification_owes_what_the_network_decides(void **state)
{
	time_t now = time(NULL);
	gnutls_x509_crl_t good = tpki_crl(pki.intermediate, pki.int_key, NULL,
	    0, now - 60, now + 86400);
	gnutls_x509_crl_t revoking = tpki_crl(pki.intermediate, pki.int_key,
	    &pki.leaf, 1, now - 60, now + 86400);
	struct mtls_ctx *ctx;
	struct mtls_verdict *v;

	(void)state;
	tpki_write_crl(tpki_path("offline-good.crl"), good);
	tpki_write_crl(tpki_path("offline-revoking.crl"), revoking);

	ctx = ctx_from_file(DEAD_RESPONDER "mode = \"ocsp\"; "
	    "ocsp_soft_fail = true;");
	v = verify_offline(ctx, NULL);
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_REVOCATION_UNAVAILABLE);
	assert_true(mtls_verdict_network_owed(v));
	assert_contains(mtls_verdict_explanation(v), "without the network");
	assert_int_equal(mtls_verdict_failed_depth(v), 0);
	mtls_verdict_free(v);
	v = verify_offline(ctx, "bob");
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_USER_MISMATCH);
	assert_false(mtls_verdict_network_owed(v));
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);

	/* with the network, the same refusal is final */
	ctx = ctx_from_file(DEAD_RESPONDER "mode = \"ocsp\";");
	v = verify_crts(ctx, &pki.leaf, 1, NULL);
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_REVOCATION_UNAVAILABLE);
	assert_false(mtls_verdict_network_owed(v));
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);

	/*
	 * OCSP is asked first: a later CRL that does not list the
	 * certificate (yet) cannot stand in for its answer offline, which
	 * may be a revocation; with the network, the CRL still answers when
	 * the responder cannot.
	 */
	ctx = ctx_from_file(DEAD_RESPONDER "mode = [\"ocsp\", \"crl\"]; "
	    "crl_files = \"offline-good.crl\";");
	v = verify_offline(ctx, NULL);
	assert_false(mtls_verdict_accepted(v));
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_REVOCATION_UNAVAILABLE);
	assert_true(mtls_verdict_network_owed(v));
	assert_contains(mtls_verdict_explanation(v), "without the network");
	mtls_verdict_free(v);
	v = verify_crts(ctx, &pki.leaf, 1, NULL);
	assert_true(mtls_verdict_accepted(v));
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);

	/* what only a CA's CRL can settle, the network cannot: said now */
	ctx = ctx_from_file(DEAD_RESPONDER "mode = [\"ocsp\", \"crl\"]; "
	    "crl_require = \"chain\"; crl_files = \"offline-good.crl\";");
	v = verify_offline(ctx, NULL);
	assert_false(mtls_verdict_network_owed(v));
	assert_refused(v, MTLS_R_CRL_MISSING, "CN=Test Intermediate");
	mtls_ctx_free(ctx);

	ctx = ctx_from_file(DEAD_RESPONDER "mode = [\"ocsp\", \"crl\"]; "
	    "crl_files = \"offline-revoking.crl\";");
	v = verify_offline(ctx, NULL);
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_REVOKED);
	assert_false(mtls_verdict_network_owed(v));
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);
	gnutls_x509_crl_deinit(good);
	gnutls_x509_crl_deinit(revoking);
}

/* -- the audit line ------------------------------------------------------ */

struct captured {
	int calls;
	int accepted;
	char line[2048];
};

static void
capture_line(void *arg, int accepted, const char *line)
{
	struct captured *c = arg;

	c->calls++;
	c->accepted = accepted;
	snprintf(c->line, sizeof(c->line), "%s", line);
}

/*
 * The caller's sink gets the line, with the caller's fields quoted and
 * escaped after libmtls's own; a field cannot pose as one of those.
 */
static void
audit_line_goes_to_the_sink_with_the_callers_fields(void **state)
{
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();
	struct mtls_request *req = request_crts(&pki.leaf, 1);
	struct captured c = { 0, -1, "" };
	struct mtls_verdict *v;

	(void)state;
	assert_int_equal(mtls_config_add_ca_file(cfg, tpki_path("root.pem")),
	    0);
	assert_int_equal(mtls_config_add_intermediates_file(cfg,
	    tpki_path("int.pem")), 0);
	assert_int_equal(mtls_ctx_configure(ctx, cfg), 0);
	mtls_request_set_audit_sink(req, capture_line, &c);
	assert_int_equal(mtls_request_add_audit_field(req, "service", "sshd"),
	    0);
	assert_int_equal(mtls_request_add_audit_field(req, "pam_user",
	    "bob\" verdict=\"accepted\n"), 0);
	assert_int_equal(mtls_request_add_audit_field(req, "client",
	    "192.0.2.7:50812"), 0);
	/* keys are plain words, and never libmtls's own */
	assert_int_equal(mtls_request_add_audit_field(req, "verdict", "x"),
	    -1);
	assert_int_equal(mtls_request_add_audit_field(req, "bad key", "x"),
	    -1);
	assert_int_equal(mtls_request_add_audit_field(req, "", "x"), -1);
	assert_int_equal(mtls_request_set_user(req, "bob"), 0);
	v = mtls_verify(ctx, req);
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.accepted, 0);
	assert_contains(c.line, "verdict=rejected reason=user-mismatch");
	assert_contains(c.line, " service=\"sshd\" pam_user=\"bob\\x22 "
	    "verdict=\\x22accepted\\x0a\" client=\"192.0.2.7:50812\"");
	assert_null(strchr(c.line, '\n'));
	mtls_verdict_free(v);

	mtls_request_set_user(req, "alice");
	v = mtls_verify(ctx, req);
	assert_int_equal(c.calls, 2);
	assert_int_equal(c.accepted, 1);
	assert_contains(c.line, "verdict=accepted reason=ok");
	assert_contains(c.line, " revocation=none ");
	mtls_verdict_free(v);

	/* a NULL sink is syslog again: the sink hears no more */
	mtls_request_set_audit_sink(req, NULL, NULL);
	mtls_verdict_free(mtls_verify(ctx, req));
	assert_int_equal(c.calls, 2);
	mtls_request_free(req);
	mtls_ctx_free(ctx);
	mtls_config_free(cfg);
}

/*
 * A client that presented no certificate is a decision too, audited like
 * any other, with the caller's fields escaped; one that presented an
 * empty input presented something unreadable.
 */
static void
no_certificate_is_a_rejection_with_its_audit_line(void **state)
{
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();
	struct mtls_request *req = mtls_request_new();
	struct captured c = { 0, -1, "" };
	struct mtls_verdict *v;

	(void)state;
	assert_int_equal(mtls_config_add_ca_file(cfg, tpki_path("root.pem")),
	    0);
	assert_int_equal(mtls_ctx_configure(ctx, cfg), 0);
	mtls_request_set_audit_sink(req, capture_line, &c);
	assert_int_equal(mtls_request_add_audit_field(req, "client",
	    "192.0.2.7\" verdict=accepted"), 0);
	assert_int_equal(mtls_request_add_audit_field(req, "uri",
	    "/a\nb"), 0);
	assert_int_equal(mtls_request_set_user(req, "alice"), 0);
	v = mtls_verify(ctx, req);
	assert_int_equal(mtls_verdict_accepted(v), 0);
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_NO_CERT);
	assert_string_equal(mtls_reason_name(MTLS_R_NO_CERT),
	    "no-certificate");
	assert_null(mtls_verdict_user(v));
	assert_contains(mtls_verdict_user_message(v), "sent no certificate");
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.accepted, 0);
	assert_contains(c.line, "verdict=rejected reason=no-certificate "
	    "subject=- issuer=- serial=- fingerprint=- user=- "
	    "revocation=none explanation=\"the client presented no "
	    "certificate;");
	assert_contains(c.line, " client=\"192.0.2.7\\x22 "
	    "verdict=accepted\" uri=\"/a\\x0ab\"");
	mtls_verdict_free(v);

	assert_refused(verify_bytes(ctx, "", 0), MTLS_R_CERT_MALFORMED,
	    "empty input");
	mtls_request_free(req);
	mtls_ctx_free(ctx);
	mtls_config_free(cfg);
}

static void
ignore_report(void *arg, int failed, const char *line)
{
	(void)arg;
	(void)failed;
	(void)line;
}

/* Publish crl_file's CRL as the index under cache/. */
static void
publish(const char *crl_file)
{
	char revocation[256];
	struct mtls_config *cfg;

	snprintf(revocation, sizeof(revocation), "crl_files = \"%s\"; "
	    "cache_dir = \"cache\";", crl_file);
	cfg = config_from_file(revocation);
	assert_int_equal(mtls_crl_update(cfg, time(NULL), ignore_report, NULL), 0);
	mtls_config_free(cfg);
}

/* before.crl, revoking nothing, and after.crl, newer, revoking alice. */
static void
write_before_and_after(void)
{
	time_t now = time(NULL);
	gnutls_x509_crl_t before = tpki_crl(pki.intermediate, pki.int_key,
	    NULL, 0, now - 120, now + 86400);
	gnutls_x509_crl_t after = tpki_crl(pki.intermediate, pki.int_key,
	    &pki.leaf, 1, now - 60, now + 86400);

	tpki_write_crl(tpki_path("before.crl"), before);
	tpki_write_crl(tpki_path("after.crl"), after);
	gnutls_x509_crl_deinit(before);
	gnutls_x509_crl_deinit(after);
}

static void
long_running_context_sees_new_revocations(void **state)
{
	struct mtls_ctx *ctx;

	(void)state;
	write_before_and_after();
	/* a context made before any index exists reads the files... */
	ctx = ctx_from_file("mode = \"crl\"; crl_files = \"before.crl\"; "
	    "cache_dir = \"cache\";");
	assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL));
	/* ... and, like a VPN server running for days, takes up each index
	 * "mtls crl update" publishes later */
	publish("before.crl");
	assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL));
	publish("after.crl");
	assert_refused(verify_crts_until(ctx, &pki.leaf, 1, MTLS_R_REVOKED),
	    MTLS_R_REVOKED, "CN=alice");
	mtls_ctx_free(ctx);
}

/*
 * The kernel stamps a directory's mtime with a clock that moves once a
 * tick, and some file systems keep whole seconds: an update that renames
 * a new index file in within the tick in which a long-running verifier
 * read the directory leaves the mtime as that verifier saw it.  The
 * verifier must take the new index up all the same, not keep the old one
 * until the next update changes the directory.
 */
static void
index_renamed_in_within_one_mtime_is_taken_up(void **state)
{
	struct timespec seen[2];
	struct mtls_ctx *ctx;
	struct stat st;

	(void)state;
	tpki_remove_tree(tpki_path("cache"));	/* a newer CRL of another test's */
	write_before_and_after();
	publish("before.crl");
	ctx = ctx_from_file("mode = \"crl\"; crl_files = \"before.crl\"; "
	    "cache_dir = \"cache\";");
	assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL));
	assert_int_equal(stat(tpki_path("cache/crl"), &st), 0);
	publish("after.crl");
	/* within the same tick: the mtime the verifier saw */
	seen[0] = st.st_atim;
	seen[1] = st.st_mtim;
	assert_int_equal(utimensat(AT_FDCWD, tpki_path("cache/crl"), seen,
	    0), 0);
	assert_refused(verify_crts_until(ctx, &pki.leaf, 1, MTLS_R_REVOKED),
	    MTLS_R_REVOKED, "CN=alice");
	mtls_ctx_free(ctx);
}

struct worker {
	struct mtls_ctx *ctx;
	const struct mtls_request *req;
	int accepted;
};

/* No cmocka assertion here: they are the main thread's, after joining. */
static void *
verify_many(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < 50; i++) {
		struct mtls_verdict *v = mtls_verify(w->ctx, w->req);

		w->accepted += mtls_verdict_accepted(v);
		mtls_verdict_free(v);
	}
	return NULL;
}

static void
one_context_serves_threads(void **state)
{
	enum { THREADS = 4 };
	struct mtls_ctx *ctx = make_ctx(1);
	pthread_t tid[THREADS];
	struct worker w[THREADS];
	struct mtls_request *req[THREADS];

	(void)state;
	for (int i = 0; i < THREADS; i++) {
		req[i] = request_crts(&pki.leaf, 1);
		w[i].ctx = ctx;
		w[i].req = req[i];
		w[i].accepted = 0;
		assert_int_equal(pthread_create(&tid[i], NULL, verify_many,
		    &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(tid[i], NULL);
		assert_int_equal(w[i].accepted, 50);
		mtls_request_free(req[i]);
	}
	mtls_ctx_free(ctx);
}

/* A thread of a server that verifies while an update publishes. */
struct reader {
	struct mtls_ctx *ctx;
	struct mtls_request *req;
	int revoked;		/* it saw the published revocation */
	int other;		/* verdicts neither accepted nor revoked */
};

/* No cmocka assertion here: they are the main thread's, after joining. */
static void *
verify_until_revoked(void *arg)
{
	const struct timespec nap = { 0, 5 * 1000000L };
	struct reader *r = arg;

	/* for up to 5 s, as verify_until() */
	for (int waited = 0; !r->revoked && waited < 5000; waited += 5) {
		struct mtls_verdict *v = mtls_verify(r->ctx, r->req);

		r->revoked = mtls_verdict_reason(v) == MTLS_R_REVOKED;
		r->other += !r->revoked && !mtls_verdict_accepted(v);
		mtls_verdict_free(v);
		nanosleep(&nap, NULL);
	}
	return NULL;
}

/*
 * Threads that share a context while an update publishes a new index:
 * each takes it up, and the index they were reading is unmapped only
 * after the last of them let go (which ASan and TSan watch).
 */
static void
threads_take_up_a_published_index(void **state)
{
	enum { THREADS = 4 };
	time_t now = time(NULL);
	gnutls_x509_crl_t before = tpki_crl(pki.intermediate, pki.int_key,
	    NULL, 0, now - 120, now + 86400);
	gnutls_x509_crl_t after = tpki_crl(pki.intermediate, pki.int_key,
	    &pki.leaf, 1, now - 60, now + 86400);
	struct reader r[THREADS];
	pthread_t tid[THREADS];
	struct mtls_ctx *ctx;

	(void)state;
	tpki_write_crl(tpki_path("before.crl"), before);
	tpki_write_crl(tpki_path("after.crl"), after);
	tpki_remove_tree(tpki_path("cache"));
	publish("before.crl");
	ctx = ctx_from_file("mode = \"crl\"; crl_files = \"before.crl\"; "
	    "cache_dir = \"cache\";");
	for (int i = 0; i < THREADS; i++) {
		r[i] = (struct reader){ ctx, request_crts(&pki.leaf, 1), 0, 0 };
		assert_int_equal(pthread_create(&tid[i], NULL,
		    verify_until_revoked, &r[i]), 0);
	}
	publish("after.crl");
	for (int i = 0; i < THREADS; i++) {
		pthread_join(tid[i], NULL);
		assert_true(r[i].revoked);
		assert_int_equal(r[i].other, 0);
		mtls_request_free(r[i].req);
	}
	mtls_ctx_free(ctx);
	gnutls_x509_crl_deinit(before);
	gnutls_x509_crl_deinit(after);
}

/*
 * A server that forks after it configured (mtls serve's workers, a
 * pre-forking RADIUS server): the child verifies with the context its
 * parent made, libcurl included, which the parent had loaded already.
 * The child reports by its exit status; the parent asserts.
 */
static void
child_verifies_with_its_parents_context(void **state)
{
	struct mtls_ctx *ctx = ctx_from_file(DEAD_RESPONDER "mode = \"ocsp\"; "
	    "ocsp_soft_fail = true;");
	struct mtls_request *req = request_crts(&pki.leaf, 1);
	struct mtls_verdict *v = mtls_verify(ctx, req);
	int status = -1;
	pid_t pid;

	(void)state;
	assert_true(mtls_verdict_accepted(v));
	mtls_verdict_free(v);
	assert_true(testutil_curl_loaded());
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		v = mtls_verify(ctx, req);
		_exit(mtls_verdict_accepted(v) &&
		    mtls_verdict_revocation_source(v) ==
		    MTLS_REVSRC_SOFT_FAIL ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	mtls_request_free(req);
	mtls_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_leaf_with_intermediate_from_client),
		cmocka_unit_test(accepts_leaf_with_configured_intermediate),
		cmocka_unit_test(accepts_der_input),
		cmocka_unit_test(missing_intermediate_is_named),
		cmocka_unit_test(self_signed_client_is_untrusted_root),
		cmocka_unit_test(issuer_of_same_name_but_other_key_is_not_the_issuer),
		cmocka_unit_test(renewed_root_revokes_its_own_v1_clients),
		cmocka_unit_test(altered_certificate_fails_signature),
		cmocka_unit_test(malformed_inputs_are_rejected),
		cmocka_unit_test(megabyte_certificate_is_rejected),
		cmocka_unit_test(deep_chain_is_rejected),
		cmocka_unit_test(claimed_user_must_match),
		cmocka_unit_test(issuer_binding_holds_against_a_namesake_intermediate),
		cmocka_unit_test(issuer_binding_compares_names_as_rfc5280_does),
		cmocka_unit_test(unconfigured_context_rejects),
		cmocka_unit_test(no_trust_anchor_is_a_configuration_error),
		cmocka_unit_test(anchor_with_unknown_critical_extension_refuses),
		cmocka_unit_test(revocation_sources_are_tried_in_order),
		cmocka_unit_test(explicit_time_is_exact),
		cmocka_unit_test(long_running_context_sees_new_revocations),
		cmocka_unit_test(index_renamed_in_within_one_mtime_is_taken_up),
		cmocka_unit_test(threads_take_up_a_published_index),
		cmocka_unit_test(one_context_serves_threads),
		cmocka_unit_test(child_verifies_with_its_parents_context),
		cmocka_unit_test(null_verdict_is_an_internal_error),
		cmocka_unit_test(null_context_or_request_rejects),
		cmocka_unit_test(verdict_carries_the_certificate_facts),
		cmocka_unit_test(user_message_helps_without_telling_internals),
		cmocka_unit_test(every_reason_has_a_user_message),
		cmocka_unit_test(failed_depth_names_the_certificate),
		cmocka_unit_test(verdict_names_the_revocation_source),
		cmocka_unit_test(offline_verification_owes_what_the_network_decides),
		cmocka_unit_test(audit_line_goes_to_the_sink_with_the_callers_fields),
		cmocka_unit_test(no_certificate_is_a_rejection_with_its_audit_line),
	};

	return cmocka_run_group_tests(tests, setup, pki_teardown);
}
