/*
 * Path building through the public API: when the first candidate issuer
 * fails, the others are tried (cross-signed, re-issued and rolled-over
 * CAs), the refusal names the most relevant failure, and hostile sets of
 * same-name CAs cost a bounded amount of work.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gnutls/gnutls.h>

#include "mtls.h"
#include "testder.h"
#include "testpki.h"
#include "testutil.h"

#define DAY 86400

/* A context trusting the anchors in roots, with the intermediates
 * configured, and checking the CRL when there is one. */
static struct mtls_ctx *
make_ctx_crl(gnutls_x509_crt_t *roots, size_t nroots,
    gnutls_x509_crt_t *intermediates, size_t nintermediates,
    gnutls_x509_crl_t crl)
{
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();

	assert_non_null(cfg);
	assert_non_null(ctx);
	mtls_config_set_audit(cfg, 0);
	if (crl != NULL) {
		tpki_write_crl(tpki_path("chain.crl"), crl);
		assert_int_equal(mtls_config_add_crl_file(cfg,
		    tpki_path("chain.crl")), 0);
		assert_int_equal(mtls_config_set_crl_index(cfg, NULL), 0);
		assert_int_equal(mtls_config_set_revocation_mode(cfg, "crl"),
		    0);
	}
	tpki_write(tpki_path("roots.pem"), roots, nroots);
	assert_int_equal(mtls_config_add_ca_file(cfg, tpki_path("roots.pem")),
	    0);
	if (nintermediates > 0) {
		tpki_write(tpki_path("ints.pem"), intermediates,
		    nintermediates);
		assert_int_equal(mtls_config_add_intermediates_file(cfg,
		    tpki_path("ints.pem")), 0);
	}
	if (mtls_ctx_configure(ctx, cfg) != 0)
		fail_msg("configure: %s", mtls_ctx_error(ctx));
	mtls_config_free(cfg);
	return ctx;
}

static struct mtls_ctx *
make_ctx(gnutls_x509_crt_t *roots, size_t nroots,
    gnutls_x509_crt_t *intermediates, size_t nintermediates)
{
	return make_ctx_crl(roots, nroots, intermediates, nintermediates,
	    NULL);
}

/* Accepted, through exactly the subjects given (leaf to anchor). */
static void
assert_path(struct mtls_verdict *v, const char *const *subjects, size_t n)
{
	if (!mtls_verdict_accepted(v))
		fail_msg("rejected: %s", mtls_verdict_explanation(v));
	assert_int_equal(mtls_verdict_chain_length(v), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(mtls_verdict_chain_subject(v, i),
		    subjects[i]);
	mtls_verdict_free(v);
}

static gnutls_x509_crt_t
make_ca(const char *dn, gnutls_x509_privkey_t key, int pathlen,
    gnutls_x509_crt_t issuer, gnutls_x509_privkey_t issuer_key)
{
	gnutls_x509_crt_t ca = tpki_new(dn, key, 0);

	tpki_make_ca(ca, pathlen);
	tpki_sign(ca, issuer, issuer_key, GNUTLS_DIG_SHA256);
	return ca;
}

static gnutls_x509_crt_t
make_client(const char *dn, gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t issuer_key)
{
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t leaf = tpki_new(dn, key, 0);

	tpki_make_client(leaf);
	tpki_sign(leaf, issuer, issuer_key, GNUTLS_DIG_SHA256);
	gnutls_x509_privkey_deinit(key);
	return leaf;
}

/*
 * "CN=Cross CA" exists twice with one key: issued by a root nobody
 * trusts, and cross-signed by the trusted one.  The client sends the
 * untrusted one first.
 */
static void
cross_signed_second_candidate_chains(void **state)
{
	gnutls_x509_privkey_t other_key = tpki_key_ec(), cross_key =
	    tpki_key_ec();
	gnutls_x509_crt_t other = make_ca("CN=Other Root", other_key, -1,
	    NULL, other_key);
	gnutls_x509_crt_t via_other = make_ca("CN=Cross CA", cross_key, -1,
	    other, other_key);
	gnutls_x509_crt_t via_root = make_ca("CN=Cross CA", cross_key, -1,
	    pki.root, pki.root_key);
	gnutls_x509_crt_t leaf = make_client("CN=carol", via_root, cross_key);
	gnutls_x509_crt_t sent[] = { leaf, via_other, via_root };
	static const char *const path[] = { "CN=carol", "CN=Cross CA",
	    "CN=Test Root" };
	struct mtls_ctx *ctx = make_ctx(&pki.root, 1, NULL, 0);

	(void)state;
	assert_path(verify_crts(ctx, sent, 3, NULL), path, 3);
	/* the same from the configuration */
	mtls_ctx_free(ctx);
	ctx = make_ctx(&pki.root, 1, sent + 1, 2);
	assert_path(verify_crts(ctx, &leaf, 1, NULL), path, 3);
	mtls_ctx_free(ctx);
	/* with the good path gone, the deepest failure is named */
	ctx = make_ctx(&pki.root, 1, NULL, 0);
	assert_refused(verify_crts(ctx, sent, 2, NULL), MTLS_R_ISSUER_NOT_FOUND,
	    "'CN=Other Root'");
	mtls_ctx_free(ctx);
	tpki_free(leaf);
	tpki_free(via_root);
	tpki_free(via_other);
	tpki_free(other);
	gnutls_x509_privkey_deinit(cross_key);
	gnutls_x509_privkey_deinit(other_key);
}

/*
 * A refusal explains the path that came closest: an expired cross
 * certificate up to the trusted root, not the dead end beside it.
 */
static void
refusal_names_the_failure_nearest_an_anchor(void **state)
{
	time_t now = time(NULL);
	gnutls_x509_privkey_t other_key = tpki_key_ec(), cross_key =
	    tpki_key_ec();
	gnutls_x509_crt_t other = make_ca("CN=Other Root", other_key, -1,
	    NULL, other_key);
	gnutls_x509_crt_t via_other = make_ca("CN=Cross CA", cross_key, -1,
	    other, other_key);
	gnutls_x509_crt_t via_root = tpki_new("CN=Cross CA", cross_key, 0);
	gnutls_x509_crt_t leaf, sent[3];
	struct mtls_ctx *ctx = make_ctx(&pki.root, 1, NULL, 0);

	(void)state;
	tpki_make_ca(via_root, -1);
	tpki_set_validity(via_root, now - 30 * DAY, now - DAY);
	tpki_sign(via_root, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	leaf = make_client("CN=carol", via_root, cross_key);
	sent[0] = leaf;
	sent[1] = via_other;
	sent[2] = via_root;
	assert_refused(verify_crts(ctx, sent, 3, NULL), MTLS_R_EXPIRED,
	    "intermediate 'CN=Cross CA' expired");
	mtls_ctx_free(ctx);
	tpki_free(leaf);
	tpki_free(via_root);
	tpki_free(via_other);
	tpki_free(other);
	gnutls_x509_privkey_deinit(cross_key);
	gnutls_x509_privkey_deinit(other_key);
}

/*
 * Key rollover (RFC 4210 4.4): the old root is the trust anchor; the new
 * root key reaches it through the link certificate "new with old",
 * self-issued.  The client sends the new self-signed root too, which
 * leads nowhere.  Self-issued certificates do not count against
 * pathLenConstraint (RFC 5280 6.1.4 l).
 */
static void
key_rollover(void **state)
{
	gnutls_x509_privkey_t old_key = tpki_key_ec(), new_key = tpki_key_ec();
	gnutls_x509_privkey_t int_key = tpki_key_ec();

	(void)state;
	for (int pathlen = 0; pathlen <= 1; pathlen++) {
		gnutls_x509_crt_t old_root = make_ca("CN=Rollover Root",
		    old_key, pathlen, NULL, old_key);
		gnutls_x509_crt_t new_root = make_ca("CN=Rollover Root",
		    new_key, pathlen, NULL, new_key);
		gnutls_x509_crt_t new_with_old = make_ca("CN=Rollover Root",
		    new_key, pathlen, old_root, old_key);
		gnutls_x509_crt_t old_with_new = make_ca("CN=Rollover Root",
		    old_key, pathlen, new_root, new_key);
		gnutls_x509_crt_t direct = make_client("CN=dave", new_root,
		    new_key);
		gnutls_x509_crt_t sub = make_ca("CN=Rollover Sub", int_key,
		    -1, new_root, new_key);
		gnutls_x509_crt_t below = make_client("CN=erin", sub, int_key);
		gnutls_x509_crt_t sent_direct[] = { direct, new_root,
		    old_with_new, new_with_old };
		gnutls_x509_crt_t sent_below[] = { below, sub, new_root,
		    new_with_old };
		static const char *const direct_path[] = { "CN=dave",
		    "CN=Rollover Root", "CN=Rollover Root" };
		static const char *const below_path[] = { "CN=erin",
		    "CN=Rollover Sub", "CN=Rollover Root", "CN=Rollover Root" };
		struct mtls_ctx *ctx = make_ctx(&old_root, 1, NULL, 0);

		/* no CA but the self-issued link between: within 0 */
		assert_path(verify_crts(ctx, sent_direct, 4, NULL),
		    direct_path, 3);
		/* one CA below the link: within 1, beyond 0 */
		if (pathlen == 1)
			assert_path(verify_crts(ctx, sent_below, 4, NULL),
			    below_path, 4);
		else
			assert_refused(verify_crts(ctx, sent_below, 4, NULL),
			    MTLS_R_PATH_LENGTH, "'CN=Rollover Root'");
		/* without the link, the new root is only self-signed */
		assert_refused(verify_crts(ctx, sent_direct, 2, NULL),
		    MTLS_R_UNTRUSTED_ROOT, "'CN=Rollover Root' is self-signed");
		mtls_ctx_free(ctx);
		tpki_free(below);
		tpki_free(sub);
		tpki_free(direct);
		tpki_free(old_with_new);
		tpki_free(new_with_old);
		tpki_free(new_root);
		tpki_free(old_root);
	}
	gnutls_x509_privkey_deinit(int_key);
	gnutls_x509_privkey_deinit(new_key);
	gnutls_x509_privkey_deinit(old_key);
}

/*
 * Two roots of one name with different keys; the intermediate's
 * authority key identifier names the second.
 */
static void
key_identifier_picks_the_second_namesake(void **state)
{
	gnutls_x509_privkey_t a_key = tpki_key_ec(), b_key = tpki_key_ec();
	gnutls_x509_privkey_t int_key = tpki_key_ec();
	gnutls_x509_crt_t roots[2];
	gnutls_x509_crt_t sub, leaf;
	static const char *const path[] = { "CN=frank", "CN=Twin Sub",
	    "CN=Twin Root" };
	struct mtls_ctx *ctx;

	(void)state;
	roots[0] = make_ca("CN=Twin Root", a_key, -1, NULL, a_key);
	roots[1] = make_ca("CN=Twin Root", b_key, -1, NULL, b_key);
	sub = make_ca("CN=Twin Sub", int_key, -1, roots[1], b_key);
	leaf = make_client("CN=frank", sub, int_key);
	ctx = make_ctx(roots, 2, &sub, 1);
	assert_path(verify_crts(ctx, &leaf, 1, NULL), path, 3);
	mtls_ctx_free(ctx);
	/* only the other one: the key identifiers tell why */
	ctx = make_ctx(roots, 1, &sub, 1);
	assert_refused(verify_crts(ctx, &leaf, 1, NULL), MTLS_R_KEY_IDENTIFIER,
	    "'CN=Twin Sub' was issued by the CA key");
	mtls_ctx_free(ctx);
	tpki_free(leaf);
	tpki_free(sub);
	tpki_free(roots[1]);
	tpki_free(roots[0]);
	gnutls_x509_privkey_deinit(int_key);
	gnutls_x509_privkey_deinit(b_key);
	gnutls_x509_privkey_deinit(a_key);
}

/* Name constraints on one path, DNS names under elsewhere.example only,
 * refuse it; the other path, straight to the root, holds. */
static void
name_constraints_forbid_one_of_two_paths(void **state)
{
	gnutls_x509_privkey_t nc_key = tpki_key_ec(), sub_key = tpki_key_ec();
	gnutls_x509_crt_t constrained = tpki_new("CN=Constrained CA", nc_key,
	    0);
	gnutls_x509_name_constraints_t nc;
	const gnutls_datum_t elsewhere = { (unsigned char *)"elsewhere.example",
	    17 };
	gnutls_x509_crt_t sub_constrained, sub_direct, leaf, sent[3];
	static const char *const path[] = { "CN=grace,O=Example",
	    "CN=Shared Sub", "CN=Test Root" };
	struct mtls_ctx *ctx = make_ctx(&pki.root, 1, NULL, 0);

	(void)state;
	tpki_make_ca(constrained, -1);
	assert_int_equal(gnutls_x509_name_constraints_init(&nc), 0);
	assert_int_equal(gnutls_x509_name_constraints_add_permitted(nc,
	    GNUTLS_SAN_DNSNAME, &elsewhere), 0);
	assert_int_equal(gnutls_x509_crt_set_name_constraints(constrained, nc,
	    1), 0);
	gnutls_x509_name_constraints_deinit(nc);
	tpki_sign(constrained, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	sub_constrained = make_ca("CN=Shared Sub", sub_key, -1, constrained,
	    nc_key);
	sub_direct = make_ca("CN=Shared Sub", sub_key, -1, pki.root,
	    pki.root_key);
	leaf = tpki_new("CN=grace,O=Example", sub_key, 0);
	tpki_make_client(leaf);
	assert_int_equal(gnutls_x509_crt_set_subject_alt_name(leaf,
	    GNUTLS_SAN_DNSNAME, "grace.example.com", 17, GNUTLS_FSAN_SET), 0);
	tpki_sign(leaf, sub_direct, sub_key, GNUTLS_DIG_SHA256);
	sent[0] = leaf;
	sent[1] = sub_constrained;
	sent[2] = constrained;
	assert_refused(verify_crts(ctx, sent, 3, NULL), MTLS_R_NAME_CONSTRAINTS,
	    "grace.example.com");
	mtls_ctx_free(ctx);
	ctx = make_ctx(&pki.root, 1, &sub_direct, 1);
	assert_path(verify_crts(ctx, sent, 3, NULL), path, 3);
	mtls_ctx_free(ctx);
	tpki_free(leaf);
	tpki_free(sub_direct);
	tpki_free(sub_constrained);
	tpki_free(constrained);
	gnutls_x509_privkey_deinit(sub_key);
	gnutls_x509_privkey_deinit(nc_key);
}

/* An expired copy of the root, listed first, beside a current one with
 * the same name and key. */
static void
expired_anchor_copy_listed_first(void **state)
{
	time_t now = time(NULL);
	gnutls_x509_crt_t roots[2];
	static const char *const path[] = { "CN=alice",
	    "CN=Test Intermediate", "CN=Test Root" };
	struct mtls_ctx *ctx;

	(void)state;
	roots[0] = tpki_new("CN=Test Root", pki.root_key, 0);
	tpki_make_ca(roots[0], -1);
	tpki_set_validity(roots[0], now - 400 * DAY, now - 35 * DAY);
	tpki_sign(roots[0], NULL, pki.root_key, GNUTLS_DIG_SHA256);
	roots[1] = pki.root;
	ctx = make_ctx(roots, 2, &pki.intermediate, 1);
	assert_path(verify_crts(ctx, &pki.leaf, 1, NULL), path, 3);
	mtls_ctx_free(ctx);
	/* alone, it is expired */
	ctx = make_ctx(roots, 1, &pki.intermediate, 1);
	assert_refused(verify_crts(ctx, &pki.leaf, 1, NULL), MTLS_R_EXPIRED,
	    "trust anchor 'CN=Test Root' expired");
	mtls_ctx_free(ctx);
	tpki_free(roots[0]);
}

/*
 * A trust anchor and a configured intermediate share a name, with
 * different keys: the anchor does not hide the intermediate.
 */
static void
anchor_does_not_hide_namesake_intermediate(void **state)
{
	gnutls_x509_privkey_t anchor_key = tpki_key_ec(), int_key =
	    tpki_key_ec();
	gnutls_x509_crt_t roots[2];
	gnutls_x509_crt_t sub, leaf;
	static const char *const path[] = { "CN=heidi", "CN=Shared Name",
	    "CN=Test Root" };
	struct mtls_ctx *ctx;

	(void)state;
	roots[0] = make_ca("CN=Shared Name", anchor_key, -1, NULL,
	    anchor_key);
	roots[1] = pki.root;
	sub = make_ca("CN=Shared Name", int_key, -1, pki.root, pki.root_key);
	leaf = make_client("CN=heidi", sub, int_key);
	ctx = make_ctx(roots, 2, &sub, 1);
	assert_path(verify_crts(ctx, &leaf, 1, NULL), path, 3);
	mtls_ctx_free(ctx);
	tpki_free(leaf);
	tpki_free(sub);
	tpki_free(roots[0]);
	gnutls_x509_privkey_deinit(int_key);
	gnutls_x509_privkey_deinit(anchor_key);
}

/* GnuTLS's setter refuses serial number zero; libtasn1 writes it. */
static void
zero_serial(asn1_node cert)
{
	tder_put(cert, "tbsCertificate.serialNumber", "\0", 1);
}

/*
 * Trust anchors are trust anchor information, a name and a key (RFC 5280
 * 6.1.1 d): a v1 root, or one with serial number zero, as some widely
 * deployed roots have, anchors a path.
 */
static void
anchor_is_not_held_to_certificate_rules(void **state)
{
	gnutls_x509_privkey_t root_key = tpki_key_ec(), leaf_key = tpki_key_ec();
	gnutls_x509_crt_t roots[2], leaf;
	gnutls_datum_t der;
	unsigned char id[64];
	size_t idlen = sizeof(id);
	static const char *const path[] = { "CN=kim", "CN=Legacy Root" };

	(void)state;
	roots[0] = tpki_new("CN=Legacy Root", root_key, TPKI_V1);
	tpki_sign(roots[0], NULL, root_key, GNUTLS_DIG_SHA256);
	roots[1] = tpki_new("CN=Legacy Root", root_key, 0);
	tpki_make_ca(roots[1], -1);
	tpki_sign(roots[1], NULL, root_key, GNUTLS_DIG_SHA256);
	der = tder_rewritten(roots[1], zero_serial);
	assert_int_equal(gnutls_x509_crt_init(&roots[1]), 0);
	assert_int_equal(gnutls_x509_crt_import(roots[1], &der,
	    GNUTLS_X509_FMT_DER), 0);
	gnutls_free(der.data);
	/* the v1 root has no key identifier to copy: name its key */
	leaf = tpki_new("CN=kim", leaf_key, 0);
	tpki_make_client(leaf);
	assert_int_equal(gnutls_x509_crt_get_key_id(roots[1],
	    GNUTLS_KEYID_USE_SHA1, id, &idlen), 0);
	assert_int_equal(gnutls_x509_crt_set_authority_key_id(leaf, id, idlen),
	    0);
	tpki_sign(leaf, roots[0], root_key, GNUTLS_DIG_SHA256);
	for (size_t i = 0; i < 2; i++) {
		struct mtls_ctx *ctx = make_ctx(&roots[i], 1, NULL, 0);

		assert_path(verify_crts(ctx, &leaf, 1, NULL), path, 2);
		mtls_ctx_free(ctx);
	}
	tpki_free(leaf);
	tpki_free(roots[1]);
	tpki_free(roots[0]);
	gnutls_x509_privkey_deinit(leaf_key);
	gnutls_x509_privkey_deinit(root_key);
}

/* notBefore 2051-01-01T00:00:00.5Z (from 2050 on, validity times are
 * GeneralizedTime, which can carry fractions). */
static void
half_second_not_before(asn1_node cert)
{
	tder_put(cert, "tbsCertificate.validity.notBefore.generalTime",
	    "20510101000000.5Z", 17);
}

/*
 * A fraction of a second in a validity time, which RFC 5280 (4.1.2.5.2)
 * forbids and GnuTLS refuses to import: the certificate is refused as
 * malformed, never valid early nor late, and the administrator is told
 * which time is at fault and why, in DER and in PEM alike.
 */
static void
fractional_validity_is_refused(void **state)
{
	const time_t t_2051 = 2556144000;
	static const char why[] = "its notBefore (20510101000000.5Z) has a "
	    "fraction of a second, which RFC 5280 forbids; its CA must issue "
	    "it again";
	gnutls_x509_crt_t leaf;
	gnutls_datum_t der, pem;
	struct mtls_ctx *ctx = make_ctx(&pki.root, 1, &pki.intermediate, 1);

	(void)state;
	/* from scratch: GnuTLS cannot turn the UTCTime tpki_new() sets into
	 * a GeneralizedTime */
	assert_int_equal(gnutls_x509_crt_init(&leaf), 0);
	assert_int_equal(gnutls_x509_crt_set_version(leaf, 3), 0);
	assert_int_equal(gnutls_x509_crt_set_serial(leaf, "\x01", 1), 0);
	assert_int_equal(gnutls_x509_crt_set_dn(leaf, "CN=lena", NULL), 0);
	assert_int_equal(gnutls_x509_crt_set_key(leaf, pki.leaf_key), 0);
	tpki_set_validity(leaf, t_2051, t_2051 + 86400);
	tpki_make_client(leaf);
	tpki_sign(leaf, pki.intermediate, pki.int_key, GNUTLS_DIG_SHA256);
	der = tder_rewritten(leaf, half_second_not_before);
	assert_int_equal(gnutls_pem_base64_encode2("CERTIFICATE", &der, &pem),
	    0);
	/* at 00:00:00, when it would not be valid yet, and at 00:00:01,
	 * when it would; as DER, then as PEM */
	for (int i = 0; i < 4; i++) {
		struct mtls_request *req = mtls_request_new();
		gnutls_datum_t *in = i < 2 ? &der : &pem;

		assert_int_equal(mtls_request_set_cert(req, in->data,
		    in->size), 0);
		mtls_request_set_time(req, t_2051 + i % 2);
		assert_refused(mtls_verify(ctx, req), MTLS_R_CERT_MALFORMED,
		    why);
		mtls_request_free(req);
	}
	gnutls_free(pem.data);
	gnutls_free(der.data);
	mtls_ctx_free(ctx);
}

/* Two CAs that certify each other, and no anchor above: refused, no
 * loop. */
static void
mutual_cross_signing_is_not_a_loop(void **state)
{
	gnutls_x509_privkey_t a_key = tpki_key_ec(), b_key = tpki_key_ec();
	gnutls_x509_crt_t a_self = make_ca("CN=Loop A", a_key, -1, NULL,
	    a_key);
	gnutls_x509_crt_t b_self = make_ca("CN=Loop B", b_key, -1, NULL,
	    b_key);
	gnutls_x509_crt_t a_by_b = make_ca("CN=Loop A", a_key, -1, b_self,
	    b_key);
	gnutls_x509_crt_t b_by_a = make_ca("CN=Loop B", b_key, -1, a_self,
	    a_key);
	gnutls_x509_crt_t leaf = make_client("CN=ivan", a_by_b, a_key);
	gnutls_x509_crt_t sent[] = { leaf, a_by_b, b_by_a };
	struct mtls_ctx *ctx = make_ctx(&pki.root, 1, NULL, 0);

	(void)state;
	assert_refused(verify_crts(ctx, sent, 3, NULL), MTLS_R_ISSUER_NOT_FOUND,
	    "'CN=Loop A'");
	mtls_ctx_free(ctx);
	tpki_free(leaf);
	tpki_free(b_by_a);
	tpki_free(a_by_b);
	tpki_free(b_self);
	tpki_free(a_self);
	gnutls_x509_privkey_deinit(b_key);
	gnutls_x509_privkey_deinit(a_key);
}

#define TANGLE 1000
#define TANGLE_KEYS 10

/*
 * 1,000 CA certificates of one name over ten keys, each key certified by
 * others a hundred times: more paths than atoms, none to an anchor.  The
 * search stops at its bound with its own reason.
 */
static void
tangle_of_namesakes_is_work_limit(void **state)
{
	gnutls_x509_privkey_t keys[TANGLE_KEYS];
	gnutls_x509_crt_t self[TANGLE_KEYS];
	gnutls_x509_crt_t *tangle = calloc(TANGLE, sizeof(*tangle));
	gnutls_x509_crt_t leaf;
	struct mtls_ctx *ctx;

	(void)state;
	assert_non_null(tangle);
	for (size_t k = 0; k < TANGLE_KEYS; k++) {
		keys[k] = tpki_key_ec();
		self[k] = make_ca("CN=Tangle CA", keys[k], -1, NULL, keys[k]);
	}
	for (size_t i = 0; i < TANGLE; i++) {
		size_t subject = i % TANGLE_KEYS;
		size_t issuer = (subject + 1 + i / TANGLE_KEYS %
		    (TANGLE_KEYS - 1)) % TANGLE_KEYS;

		tangle[i] = make_ca("CN=Tangle CA", keys[subject], -1,
		    self[issuer], keys[issuer]);
	}
	leaf = make_client("CN=judy", self[0], keys[0]);
	ctx = make_ctx(&pki.root, 1, tangle, TANGLE);
	assert_refused(verify_crts(ctx, &leaf, 1, NULL), MTLS_R_WORK_LIMIT,
	    "'CN=judy'");
	mtls_ctx_free(ctx);
	tpki_free(leaf);
	for (size_t i = 0; i < TANGLE; i++)
		tpki_free(tangle[i]);
	free(tangle);
	for (size_t k = 0; k < TANGLE_KEYS; k++) {
		tpki_free(self[k]);
		gnutls_x509_privkey_deinit(keys[k]);
	}
}

/*
 * Same-name CAs without key identifiers (X.509 v1) ahead of the real
 * issuer of a v1 client certificate: each costs a signature check, and
 * the checks are bounded.
 */
/*
 * A CA certificate with key whose subject is the DER Name name, as
 * given; its own signature no longer matches until tpki_sign() signs it
 * again.
 */
static gnutls_x509_crt_t
ca_named(const gnutls_datum_t *name, gnutls_x509_privkey_t key)
{
	return tder_with_subject(make_ca("CN=Placeholder", key, -1, NULL,
	    key), name);
}

/* What verify_named() does to the client certificate. */
enum named_case {
	NAMED_PLAIN,
	NAMED_REVOKED,		/* the CA's CRL lists it */
	NAMED_REVOKED_AS_ISSUER, /* so does a CRL under its issuer name */
	NAMED_ALTERED		/* its subject changed after signing */
};

/*
 * A client certificate whose issuer name is written as issuer_name, and
 * verified with its CA configured as an intermediate under the test
 * root with the subject written as ca_name: the CA's key signed both.
 */
static struct mtls_verdict *
verify_named(const gnutls_datum_t *issuer_name, const gnutls_datum_t *ca_name,
    enum named_case what)
{
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t signer = ca_named(issuer_name, key);
	gnutls_x509_crt_t ca = ca_named(ca_name, key);
	gnutls_x509_crt_t leaf = make_client("CN=dave", signer, key);
	gnutls_x509_crl_t crl = NULL;
	struct mtls_verdict *v;
	struct mtls_ctx *ctx;
	time_t now = time(NULL);
	static const struct tder_attribute mallory = { TDER_OID_CN,
	    ASN1_ETYPE_UTF8_STRING, "mallory", 7 };
	gnutls_datum_t altered;

	tpki_sign(ca, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	if (what == NAMED_REVOKED || what == NAMED_REVOKED_AS_ISSUER)
		crl = tpki_crl(what == NAMED_REVOKED ? ca : signer, key, &leaf,
		    1, now - DAY, now + DAY);
	if (what == NAMED_ALTERED) {
		altered = tder_name(&mallory, 1);
		leaf = tder_with_subject(leaf, &altered);
		gnutls_free(altered.data);
	}
	ctx = make_ctx_crl(&pki.root, 1, &ca, 1, crl);
	v = verify_crts(ctx, &leaf, 1, NULL);
	mtls_ctx_free(ctx);
	if (crl != NULL)
		gnutls_x509_crl_deinit(crl);
	tpki_free(leaf);
	tpki_free(ca);
	tpki_free(signer);
	gnutls_x509_privkey_deinit(key);
	return v;
}

static void
assert_chains(const gnutls_datum_t *issuer_name, const gnutls_datum_t *ca_name)
{
	struct mtls_verdict *v = verify_named(issuer_name, ca_name,
	    NAMED_PLAIN);

	if (!mtls_verdict_accepted(v))
		fail_msg("rejected: %s", mtls_verdict_explanation(v));
	assert_int_equal(mtls_verdict_chain_length(v), 3);
	mtls_verdict_free(v);
}

#define PRINTABLE ASN1_ETYPE_PRINTABLE_STRING
#define UTF8 ASN1_ETYPE_UTF8_STRING

/*
 * RFC 5280 7.1: an issuer name is its CA's subject name when each value
 * matches after preparation, whatever string type each is written in:
 * the case, and spaces at the ends and inside, do not count.  GnuTLS
 * alone links only identical encodings.
 */
static void
issuer_name_matches_by_rfc5280(void **state)
{
	static const struct tder_attribute printable[] = {
		{ TDER_OID_C, PRINTABLE, "US", 2 },
		{ TDER_OID_O, PRINTABLE, "Example  Corp", 13 },
		{ TDER_OID_CN, PRINTABLE, "Issuing CA", 10 },
	};
	static const struct tder_attribute utf8[] = {
		{ TDER_OID_C, PRINTABLE, "US", 2 },
		{ TDER_OID_O, UTF8, " example corp ", 14 },
		{ TDER_OID_CN, UTF8, "ISSUING 	 ca", 12 },
	};
	static const struct tder_attribute other_rdn[] = {
		{ TDER_OID_C, PRINTABLE, "US", 2 },
		{ TDER_OID_O, UTF8, "Example Corp", 12 },
		{ TDER_OID_CN, UTF8, "Issuing CA 2", 12 },
	};
	gnutls_datum_t issuer = tder_name(printable, 3);
	gnutls_datum_t subject = tder_name(utf8, 3);
	gnutls_datum_t other = tder_name(other_rdn, 3);

	(void)state;
	assert_chains(&issuer, &subject);
	/* the CA that signed the CRL is the one of the certificate's issuer
	 * name */
	assert_refused(verify_named(&issuer, &subject, NAMED_REVOKED),
	    MTLS_R_REVOKED, NULL);
	/* and the configured CA is the one of the CRL's issuer name */
	assert_refused(verify_named(&issuer, &subject,
	    NAMED_REVOKED_AS_ISSUER), MTLS_R_REVOKED, NULL);
	/* GnuTLS does not check that link: it is checked all the same */
	assert_refused(verify_named(&issuer, &subject, NAMED_ALTERED),
	    MTLS_R_SIGNATURE_INVALID, "'CN=mallory'");
	/* one RDN differs: no CA of that name is known */
	assert_refused(verify_named(&issuer, &other, NAMED_PLAIN),
	    MTLS_R_ISSUER_NOT_FOUND, "Issuing CA");
	gnutls_free(issuer.data);
	gnutls_free(subject.data);
	gnutls_free(other.data);
}

/*
 * An RDN of several attributes is a set: DER orders them by their
 * encoding, so OU as a BMPString comes after O and as a PrintableString
 * before it, and the two are still one name.
 */
static void
multi_valued_rdn_matches_in_any_order(void **state)
{
	static const struct tder_attribute bmp_ou[] = {
		{ TDER_OID_O, PRINTABLE, "Example", 7 },
		{ TDER_OID_OU, ASN1_ETYPE_BMP_STRING, "\0S\0a\0l\0e\0s", 10 },
	};
	static const struct tder_attribute printable_ou[] = {
		{ TDER_OID_O, PRINTABLE, "EXAMPLE", 7 },
		{ TDER_OID_OU, PRINTABLE, "Sales", 5 },
	};
	static const struct tder_attribute other_ou[] = {
		{ TDER_OID_O, PRINTABLE, "Example", 7 },
		{ TDER_OID_OU, PRINTABLE, "Sale", 4 },
	};
	gnutls_datum_t o_ou = tder_name_with_rdn(bmp_ou, 2);
	gnutls_datum_t ou_o = tder_name_with_rdn(printable_ou, 2);
	gnutls_datum_t other = tder_name_with_rdn(other_ou, 2);
	gnutls_datum_t o_only = tder_name_with_rdn(printable_ou, 1);

	(void)state;
	assert_true(o_ou.size != ou_o.size ||
	    memcmp(o_ou.data, ou_o.data, o_ou.size) != 0);
	assert_chains(&o_ou, &ou_o);
	assert_chains(&ou_o, &o_ou);
	assert_refused(verify_named(&o_ou, &other, NAMED_PLAIN),
	    MTLS_R_ISSUER_NOT_FOUND, NULL);
	/* a subset of the attributes is another RDN */
	assert_refused(verify_named(&o_ou, &o_only, NAMED_PLAIN),
	    MTLS_R_ISSUER_NOT_FOUND, NULL);
	gnutls_free(o_ou.data);
	gnutls_free(ou_o.data);
	gnutls_free(other.data);
	gnutls_free(o_only.data);
}

/*
 * A value of no string type (here an x500UniqueIdentifier, a BIT
 * STRING) matches only the same encoding, beside string values that
 * match prepared.
 */
static void
non_string_value_compares_bytewise(void **state)
{
	static const char oid_unique_id[] = "2.5.4.45";
	struct tder_attribute issuer_rdns[] = {
		{ TDER_OID_CN, PRINTABLE, "Issuing CA", 10 },
		{ oid_unique_id, ASN1_ETYPE_BIT_STRING, "\x00\xab", 2 },
	};
	struct tder_attribute subject_rdns[] = {
		{ TDER_OID_CN, UTF8, "issuing ca", 10 },
		{ oid_unique_id, ASN1_ETYPE_BIT_STRING, "\x00\xab", 2 },
	};
	gnutls_datum_t issuer = tder_name(issuer_rdns, 2);
	gnutls_datum_t subject = tder_name(subject_rdns, 2);

	(void)state;
	assert_chains(&issuer, &subject);
	gnutls_free(subject.data);
	subject_rdns[1].value = "\x00\xac";
	subject = tder_name(subject_rdns, 2);
	assert_refused(verify_named(&issuer, &subject, NAMED_PLAIN),
	    MTLS_R_ISSUER_NOT_FOUND, NULL);
	gnutls_free(issuer.data);
	gnutls_free(subject.data);
}

static void
signature_checks_are_bounded(void **state)
{
	enum { DECOYS = 80 };
	gnutls_x509_crt_t *configured = calloc(DECOYS + 1,
	    sizeof(*configured));
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t leaf = tpki_new("CN=mallet", key, TPKI_V1);
	struct mtls_ctx *ctx;
	struct mtls_verdict *v;

	(void)state;
	assert_non_null(configured);
	for (size_t i = 0; i < DECOYS; i++) {
		configured[i] = tpki_new("CN=Test Intermediate", key, TPKI_V1);
		tpki_sign(configured[i], NULL, key, GNUTLS_DIG_SHA256);
	}
	configured[DECOYS] = pki.intermediate;
	tpki_sign(leaf, pki.intermediate, pki.int_key, GNUTLS_DIG_SHA256);
	ctx = make_ctx(&pki.root, 1, configured, DECOYS + 1);
	assert_refused(verify_crts(ctx, &leaf, 1, NULL), MTLS_R_WORK_LIMIT,
	    "signature checks");
	mtls_ctx_free(ctx);
	/* a few are searched through */
	ctx = make_ctx(&pki.root, 1, configured + DECOYS - 8, 9);
	v = verify_crts(ctx, &leaf, 1, NULL);
	if (!mtls_verdict_accepted(v))
		fail_msg("rejected: %s", mtls_verdict_explanation(v));
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);
	tpki_free(leaf);
	for (size_t i = 0; i < DECOYS; i++)
		tpki_free(configured[i]);
	free(configured);
	gnutls_x509_privkey_deinit(key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cross_signed_second_candidate_chains),
		cmocka_unit_test(refusal_names_the_failure_nearest_an_anchor),
		cmocka_unit_test(key_rollover),
		cmocka_unit_test(key_identifier_picks_the_second_namesake),
		cmocka_unit_test(name_constraints_forbid_one_of_two_paths),
		cmocka_unit_test(issuer_name_matches_by_rfc5280),
		cmocka_unit_test(multi_valued_rdn_matches_in_any_order),
		cmocka_unit_test(non_string_value_compares_bytewise),
		cmocka_unit_test(expired_anchor_copy_listed_first),
		cmocka_unit_test(anchor_does_not_hide_namesake_intermediate),
		cmocka_unit_test(anchor_is_not_held_to_certificate_rules),
		cmocka_unit_test(fractional_validity_is_refused),
		cmocka_unit_test(mutual_cross_signing_is_not_a_loop),
		cmocka_unit_test(tangle_of_namesakes_is_work_limit),
		cmocka_unit_test(signature_checks_are_bounded),
	};

	return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
