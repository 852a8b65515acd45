/* Policy: validity of every certificate, depth, signature algorithms, key
 * sizes, X.509 version, purpose and keyUsage of the client certificate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <gnutls/gnutls.h>

#include "policy.h"
#include "testpki.h"
#include "testutil.h"

/* The strict defaults of mtls.conf(5). */
static struct mtls_policy
strict(void)
{
	struct mtls_policy p = {
		.purpose = MTLS_PURPOSE_CLIENT,
		.require_eku = false,
		.require_v3 = false,
		.min_rsa_bits = 2048,
		.min_ec_bits = 256,
		.allow_sha1 = false,
		.max_depth = 4,
		.clock_skew = 300,
	};

	return p;
}

/* A client certificate "CN=bob" with key, not yet signed. */
static gnutls_x509_crt_t
new_leaf(gnutls_x509_privkey_t key, unsigned flags)
{
	return tpki_new("CN=bob", key, flags);
}

static void
issue(gnutls_x509_crt_t leaf, gnutls_digest_algorithm_t dig)
{
	tpki_sign(leaf, pki.intermediate, pki.int_key, dig);
}

static void
assert_chain_accepted(const struct mtls_policy *policy,
    gnutls_x509_crt_t *chain)
{
	struct finding f;
	const char *note;

	memset(&f, 0, sizeof(f));
	if (policy_check(policy, chain, 3, &note, &f) != 0)
		fail_msg("rejected: %s", f.text);
}

static void
assert_chain_rejected(const struct mtls_policy *policy,
    gnutls_x509_crt_t *chain, enum mtls_reason reason, const char *part)
{
	struct finding f;
	const char *note;

	memset(&f, 0, sizeof(f));
	assert_int_equal(policy_check(policy, chain, 3, &note, &f), -1);
	assert_int_equal(f.reason, reason);
	assert_contains(f.text, part);
}

/* leaf under the standard intermediate and root */
static void
assert_accepted(const struct mtls_policy *policy, gnutls_x509_crt_t leaf)
{
	gnutls_x509_crt_t chain[3] = { leaf, pki.intermediate, pki.root };

	assert_chain_accepted(policy, chain);
}

static void
assert_rejected(const struct mtls_policy *policy, gnutls_x509_crt_t leaf,
    enum mtls_reason reason, const char *part)
{
	gnutls_x509_crt_t chain[3] = { leaf, pki.intermediate, pki.root };

	assert_chain_rejected(policy, chain, reason, part);
}

/* A CA: self-signed when anchor, else issued by the standard root. */
static gnutls_x509_crt_t
new_ca(const char *dn, gnutls_x509_privkey_t key, int anchor,
    gnutls_digest_algorithm_t dig)
{
	gnutls_x509_crt_t ca = tpki_new(dn, key, 0);

	tpki_make_ca(ca, anchor ? -1 : 0);
	if (anchor)
		tpki_sign(ca, NULL, key, dig);
	else
		tpki_sign(ca, pki.root, pki.root_key, dig);
	return ca;
}

/* --- validity ------------------------------------------------------- */

static int
validity(const struct mtls_policy *policy, gnutls_x509_crt_t *chain,
    size_t n, time_t now, struct finding *f)
{
	memset(f, 0, sizeof(*f));
	return policy_check_validity(chain, n, now, policy->clock_skew, f);
}

static void
validity_accepts_current_chain(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_crt_t chain[3] = { pki.leaf, pki.intermediate, pki.root };
	struct finding f;

	(void)state;
	assert_int_equal(validity(&p, chain, 3, time(NULL), &f), 0);
}

/* 2026-01-01T00:00:00Z */
#define T_2026 ((time_t)1767225600)

static void
validity_rejects_expired_with_position_and_time(void **state)
{
	struct mtls_policy p = strict();
	struct finding f;
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t ca = tpki_new("CN=Old Intermediate", key, 0);
	gnutls_x509_crt_t leaf = new_leaf(pki.leaf_key, 0);
	gnutls_x509_crt_t root;
	gnutls_x509_crt_t chain[3];

	(void)state;
	/* the leaf */
	tpki_set_validity(leaf, T_2026 - 86400, T_2026);
	issue(leaf, GNUTLS_DIG_SHA256);
	chain[0] = leaf;
	chain[1] = pki.intermediate;
	chain[2] = pki.root;
	/* alone: the standard CAs are not valid in 2026 */
	assert_int_equal(validity(&p, chain, 1, T_2026 + 301, &f), -1);
	assert_int_equal(f.reason, MTLS_R_EXPIRED);
	assert_contains(f.text, "client certificate 'CN=bob' expired at "
	    "2026-01-01 00:00:00 UTC");
	/* the clock skew never extends notAfter */
	assert_int_equal(validity(&p, chain, 1, T_2026 + 1, &f), -1);
	assert_int_equal(f.reason, MTLS_R_EXPIRED);
	assert_int_equal(validity(&p, chain, 1, T_2026, &f), 0);

	/* an intermediate */
	tpki_make_ca(ca, 0);
	tpki_set_validity(ca, T_2026 - 86400, T_2026);
	tpki_sign(ca, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	chain[0] = pki.leaf;
	chain[1] = ca;
	assert_int_equal(validity(&p, chain, 3, time(NULL), &f), -1);
	assert_int_equal(f.reason, MTLS_R_EXPIRED);
	assert_contains(f.text, "intermediate 'CN=Old Intermediate' expired "
	    "at 2026-01-01 00:00:00 UTC");

	/* the trust anchor */
	root = tpki_new("CN=Old Root", key, 0);
	tpki_make_ca(root, -1);
	tpki_set_validity(root, T_2026 - 86400, T_2026);
	tpki_sign(root, NULL, key, GNUTLS_DIG_SHA256);
	chain[1] = pki.intermediate;
	chain[2] = root;
	assert_int_equal(validity(&p, chain, 3, time(NULL), &f), -1);
	assert_int_equal(f.reason, MTLS_R_EXPIRED);
	assert_contains(f.text, "trust anchor 'CN=Old Root' expired");

	tpki_free(root);
	tpki_free(ca);
	tpki_free(leaf);
	gnutls_x509_privkey_deinit(key);
}

static void
validity_rejects_not_yet_valid_outside_skew(void **state)
{
	struct mtls_policy p = strict();
	struct finding f;
	gnutls_x509_crt_t leaf = new_leaf(pki.leaf_key, 0);
	gnutls_x509_crt_t chain[3] = { leaf, pki.intermediate, pki.root };

	(void)state;
	tpki_set_validity(leaf, T_2026, T_2026 + 86400);
	issue(leaf, GNUTLS_DIG_SHA256);
	assert_int_equal(validity(&p, chain, 1, T_2026 - 300, &f), 0);
	assert_int_equal(validity(&p, chain, 1, T_2026 - 301, &f), -1);
	assert_int_equal(f.reason, MTLS_R_NOT_YET_VALID);
	assert_contains(f.text, "client certificate 'CN=bob' is not valid "
	    "before 2026-01-01 00:00:00 UTC");
	assert_contains(f.text, "policy.clock_skew");
	/* no skew at all */
	p.clock_skew = 0;
	assert_int_equal(validity(&p, chain, 1, T_2026 - 1, &f), -1);
	assert_int_equal(f.reason, MTLS_R_NOT_YET_VALID);
	assert_int_equal(validity(&p, chain, 1, T_2026, &f), 0);
	tpki_free(leaf);
}

static void
validity_survives_extreme_times(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_crt_t chain[3] = { pki.leaf, pki.intermediate, pki.root };
	struct finding f;

	(void)state;
	p.clock_skew = UINT32_MAX;
	assert_int_equal(validity(&p, chain, 3, (time_t)INT64_MAX, &f), -1);
	assert_int_equal(f.reason, MTLS_R_EXPIRED);
	assert_int_equal(validity(&p, chain, 3, (time_t)INT64_MIN, &f), -1);
	assert_int_equal(f.reason, MTLS_R_NOT_YET_VALID);
}

/* --- depth ---------------------------------------------------------- */

static void
depth_limit(void **state)
{
	struct mtls_policy p = strict();

	(void)state;
	p.max_depth = 2;
	assert_accepted(&p, pki.leaf);
	p.max_depth = 1;
	assert_rejected(&p, pki.leaf, MTLS_R_CHAIN_TOO_DEEP,
	    "policy.max_depth 1");
	assert_rejected(&p, pki.leaf, MTLS_R_CHAIN_TOO_DEEP, "'CN=alice' has 2 "
	    "CA certificates");
}

/* --- signature algorithms ------------------------------------------ */

static void
sha1_signature_rejected_unless_allowed(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_crt_t leaf = new_leaf(pki.leaf_key, 0);

	(void)state;
	tpki_make_client(leaf);
	issue(leaf, GNUTLS_DIG_SHA1);
	assert_rejected(&p, leaf, MTLS_R_WEAK_SIGNATURE,
	    "client certificate 'CN=bob'");
	assert_rejected(&p, leaf, MTLS_R_WEAK_SIGNATURE, "policy.allow_sha1");
	p.allow_sha1 = true;
	assert_accepted(&p, leaf);
	tpki_free(leaf);
}

static void
sha1_intermediate_named(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_crt_t ca = new_ca("CN=SHA1 Intermediate", pki.int_key, 0,
	    GNUTLS_DIG_SHA1);
	gnutls_x509_crt_t chain[3] = { pki.leaf, ca, pki.root };

	(void)state;
	assert_chain_rejected(&p, chain, MTLS_R_WEAK_SIGNATURE,
	    "intermediate 'CN=SHA1 Intermediate'");
	tpki_free(ca);
}

static void
anchor_self_signature_not_judged(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_crt_t root = new_ca("CN=SHA1 Root", pki.root_key, 1,
	    GNUTLS_DIG_SHA1);
	gnutls_x509_crt_t chain[3] = { pki.leaf, pki.intermediate, root };

	(void)state;
	assert_chain_accepted(&p, chain);
	tpki_free(root);
}

static void
md5_signature_always_rejected(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_privkey_t rsa = tpki_key_rsa(2048);
	gnutls_x509_crt_t ca = new_ca("CN=RSA Intermediate", rsa, 0,
	    GNUTLS_DIG_SHA256);
	gnutls_x509_crt_t good = new_leaf(pki.leaf_key, 0);
	gnutls_x509_crt_t md5 = new_leaf(pki.leaf_key, 0);
	gnutls_x509_crt_t chain[3] = { good, ca, pki.root };

	(void)state;
	tpki_make_client(good);
	tpki_sign(good, ca, rsa, GNUTLS_DIG_SHA256);
	tpki_make_client(md5);
	tpki_sign(md5, ca, rsa, GNUTLS_DIG_MD5);
	assert_chain_accepted(&p, chain);
	chain[0] = md5;
	p.allow_sha1 = true;
	assert_chain_rejected(&p, chain, MTLS_R_WEAK_SIGNATURE,
	    "client certificate 'CN=bob' is signed with RSA-MD5");
	tpki_free(ca);
	tpki_free(good);
	tpki_free(md5);
}

/* --- key sizes ------------------------------------------------------ */

static void
rsa_key_size(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_crt_t weak = new_leaf(tpki_key_rsa(1024), 0);
	gnutls_x509_crt_t good = new_leaf(tpki_key_rsa(2048), 0);

	(void)state;
	tpki_make_client(weak);
	issue(weak, GNUTLS_DIG_SHA256);
	tpki_make_client(good);
	issue(good, GNUTLS_DIG_SHA256);
	assert_accepted(&p, good);
	assert_rejected(&p, weak, MTLS_R_WEAK_KEY, "client certificate "
	    "'CN=bob' has a 1024-bit RSA key, below policy.min_rsa_bits 2048");
	p.min_rsa_bits = 1024;
	assert_accepted(&p, weak);
	tpki_free(weak);
	tpki_free(good);
}

static void
ec_key_size(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_privkey_t key = tpki_key_ec_bits(224);
	gnutls_x509_crt_t weak = new_leaf(key, 0);

	(void)state;
	tpki_make_client(weak);
	issue(weak, GNUTLS_DIG_SHA256);
	assert_accepted(&p, pki.leaf);
	assert_rejected(&p, weak, MTLS_R_WEAK_KEY, "policy.min_ec_bits 256");
	assert_rejected(&p, weak, MTLS_R_WEAK_KEY, "224-bit");
	p.min_ec_bits = 224;
	assert_accepted(&p, weak);
	tpki_free(weak);
	gnutls_x509_privkey_deinit(key);
}

static void
ed25519_key_accepted(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_privkey_t key;
	gnutls_x509_crt_t leaf;
	struct finding f;
	const char *note;

	(void)state;
	assert_int_equal(gnutls_x509_privkey_init(&key), 0);
	assert_int_equal(gnutls_x509_privkey_generate(key,
	    GNUTLS_PK_EDDSA_ED25519, 0, 0), 0);
	leaf = new_leaf(key, 0);
	tpki_make_client(leaf);
	issue(leaf, GNUTLS_DIG_SHA256);
	assert_accepted(&p, leaf);
	/* no EC or RSA minimum applies to it (alone: the standard CAs'
	 * P-256 keys would fail these) */
	p.min_ec_bits = 521;
	p.min_rsa_bits = 16384;
	assert_int_equal(policy_check(&p, &leaf, 1, &note, &f), 0);
	/* while a P-256 key would not pass */
	assert_int_equal(policy_check(&p, &pki.leaf, 1, &note, &f), -1);
	assert_int_equal(f.reason, MTLS_R_WEAK_KEY);
	tpki_free(leaf);
	gnutls_x509_privkey_deinit(key);
}

static void
weak_key_of_ca_named(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_privkey_t key = tpki_key_ec_bits(224);
	gnutls_x509_crt_t ca = new_ca("CN=Small Intermediate", key, 0,
	    GNUTLS_DIG_SHA256);
	gnutls_x509_crt_t root = new_ca("CN=Small Root", key, 1,
	    GNUTLS_DIG_SHA256);
	gnutls_x509_crt_t chain[3] = { pki.leaf, ca, pki.root };

	(void)state;
	assert_chain_rejected(&p, chain, MTLS_R_WEAK_KEY,
	    "intermediate 'CN=Small Intermediate'");
	/* the anchor's key is judged too: it signs the path */
	chain[1] = pki.intermediate;
	chain[2] = root;
	assert_chain_rejected(&p, chain, MTLS_R_WEAK_KEY,
	    "trust anchor 'CN=Small Root'");
	tpki_free(ca);
	tpki_free(root);
	gnutls_x509_privkey_deinit(key);
}

/* --- X.509 version -------------------------------------------------- */

static void
v1_leaf_noted_or_refused(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_crt_t leaf = new_leaf(pki.leaf_key, TPKI_V1);
	gnutls_x509_crt_t chain[3] = { leaf, pki.intermediate, pki.root };
	struct finding f;
	const char *note = "unset";

	(void)state;
	issue(leaf, GNUTLS_DIG_SHA256);
	assert_int_equal(policy_check(&p, chain, 3, &note, &f), 0);
	assert_non_null(note);
	assert_string_equal(note, "X.509 v1 client certificate: it has no "
	    "extensions, so no purpose or key usage could be checked; set "
	    "policy.require_v3 to refuse such certificates");
	/* a v3 certificate gets no note */
	chain[0] = pki.leaf;
	assert_int_equal(policy_check(&p, chain, 3, &note, &f), 0);
	assert_null(note);

	p.require_v3 = true;
	assert_rejected(&p, leaf, MTLS_R_V1_LEAF, "client certificate 'CN=bob' "
	    "is X.509 v1, and policy.require_v3 is set");
	assert_accepted(&p, pki.leaf);
	tpki_free(leaf);
}

/* --- purpose -------------------------------------------------------- */

/* An extendedKeyUsage of first and second, each unless NULL. */
static void
set_purposes(gnutls_x509_crt_t crt, const char *first, const char *second)
{
	if (first != NULL)
		assert_int_equal(gnutls_x509_crt_set_key_purpose_oid(crt, first,
		    0), 0);
	if (second != NULL)
		assert_int_equal(gnutls_x509_crt_set_key_purpose_oid(crt,
		    second, 0), 0);
}

static gnutls_x509_crt_t
leaf_with_purposes(const char *first, const char *second)
{
	gnutls_x509_crt_t leaf = new_leaf(pki.leaf_key, 0);

	assert_int_equal(gnutls_x509_crt_set_key_usage(leaf,
	    GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT), 0);
	set_purposes(leaf, first, second);
	issue(leaf, GNUTLS_DIG_SHA256);
	return leaf;
}

static void
client_purpose(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_crt_t server = leaf_with_purposes(GNUTLS_KP_TLS_WWW_SERVER,
	    GNUTLS_KP_CODE_SIGNING);
	gnutls_x509_crt_t any = leaf_with_purposes(GNUTLS_KP_CODE_SIGNING,
	    GNUTLS_KP_ANY);
	gnutls_x509_crt_t odd = leaf_with_purposes("1.2.3.4.5", NULL);
	gnutls_x509_crt_t both = leaf_with_purposes(GNUTLS_KP_TLS_WWW_SERVER,
	    GNUTLS_KP_TLS_WWW_CLIENT);

	(void)state;
	assert_accepted(&p, pki.leaf);
	assert_accepted(&p, any);
	assert_accepted(&p, both);
	assert_rejected(&p, server, MTLS_R_PURPOSE, "client certificate "
	    "'CN=bob' is for serverAuth, codeSigning only, not clientAuth");
	assert_rejected(&p, server, MTLS_R_PURPOSE, "policy.purpose");
	assert_rejected(&p, odd, MTLS_R_PURPOSE, "for 1.2.3.4.5 only");
	tpki_free(server);
	tpki_free(any);
	tpki_free(odd);
	tpki_free(both);
}

static void
server_and_any_purpose(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_crt_t server = leaf_with_purposes(GNUTLS_KP_TLS_WWW_SERVER,
	    NULL);
	gnutls_x509_crt_t code = leaf_with_purposes(GNUTLS_KP_CODE_SIGNING,
	    NULL);

	(void)state;
	p.purpose = MTLS_PURPOSE_SERVER;
	assert_accepted(&p, server);
	assert_rejected(&p, pki.leaf, MTLS_R_PURPOSE, "for clientAuth only, "
	    "not serverAuth");
	p.purpose = MTLS_PURPOSE_ANY;
	assert_accepted(&p, code);
	assert_accepted(&p, server);
	tpki_free(server);
	tpki_free(code);
}

/* An intermediate, issued by the standard root, with these purposes. */
static gnutls_x509_crt_t
ca_with_purposes(const char *first, const char *second)
{
	gnutls_x509_crt_t ca = tpki_new("CN=Narrow CA", pki.int_key, 0);

	tpki_make_ca(ca, 0);
	set_purposes(ca, first, second);
	tpki_sign(ca, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	return ca;
}

/*
 * A CA's extendedKeyUsage, when it has one, limits what the certificates
 * it issues are good for (the intersection down the path, as OpenSSL,
 * NSS, Windows and GnuTLS's own purpose check apply it): a CA for servers
 * only does not issue client certificates.  anyExtendedKeyUsage allows
 * every purpose, in a CA as in a client certificate.
 */
static void
ca_purposes_limit_the_path(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_crt_t servers = ca_with_purposes(GNUTLS_KP_TLS_WWW_SERVER,
	    NULL);
	gnutls_x509_crt_t both = ca_with_purposes(GNUTLS_KP_TLS_WWW_SERVER,
	    GNUTLS_KP_TLS_WWW_CLIENT);
	gnutls_x509_crt_t any = ca_with_purposes(GNUTLS_KP_ANY, NULL);
	gnutls_x509_crt_t chain[3] = { pki.leaf, servers, pki.root };
	struct finding f;

	(void)state;
	assert_chain_rejected(&p, chain, MTLS_R_PURPOSE, "intermediate "
	    "'CN=Narrow CA' limits the certificates it issues to serverAuth, "
	    "not clientAuth");
	memset(&f, 0, sizeof(f));
	assert_int_equal(policy_check(&p, chain, 3, NULL, &f), -1);
	assert_int_equal(f.depth, 1);
	chain[1] = both;
	assert_chain_accepted(&p, chain);
	chain[1] = any;
	assert_chain_accepted(&p, chain);
	/* a CA without one limits nothing */
	chain[1] = pki.intermediate;
	assert_chain_accepted(&p, chain);
	/* a server certificate from the servers' CA is fine */
	p.purpose = MTLS_PURPOSE_SERVER;
	chain[0] = leaf_with_purposes(GNUTLS_KP_TLS_WWW_SERVER, NULL);
	chain[1] = servers;
	assert_chain_accepted(&p, chain);
	tpki_free(chain[0]);
	p.purpose = MTLS_PURPOSE_ANY;
	chain[0] = pki.leaf;
	assert_chain_accepted(&p, chain);
	tpki_free(servers);
	tpki_free(both);
	tpki_free(any);
}

static void
require_eku(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_crt_t bare = leaf_with_purposes(NULL, NULL);

	(void)state;
	assert_accepted(&p, bare);
	p.require_eku = true;
	assert_rejected(&p, bare, MTLS_R_EKU_MISSING, "client certificate "
	    "'CN=bob' has no extendedKeyUsage, and policy.require_eku is set");
	assert_accepted(&p, pki.leaf);
	/* whatever the purpose */
	p.purpose = MTLS_PURPOSE_ANY;
	assert_rejected(&p, bare, MTLS_R_EKU_MISSING, "policy.require_eku");
	tpki_free(bare);
}

/* --- keyUsage ------------------------------------------------------- */

static gnutls_x509_crt_t
leaf_with_usage(unsigned usage)
{
	gnutls_x509_crt_t leaf = new_leaf(pki.leaf_key, 0);

	if (usage != 0)
		assert_int_equal(gnutls_x509_crt_set_key_usage(leaf, usage), 0);
	issue(leaf, GNUTLS_DIG_SHA256);
	return leaf;
}

static void
key_usage(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_crt_t none = leaf_with_usage(0);
	gnutls_x509_crt_t encipher = leaf_with_usage(GNUTLS_KEY_KEY_ENCIPHERMENT);
	gnutls_x509_crt_t agree = leaf_with_usage(GNUTLS_KEY_KEY_AGREEMENT);

	(void)state;
	/* client: digitalSignature when keyUsage is present */
	assert_accepted(&p, pki.leaf);
	assert_accepted(&p, none);
	assert_rejected(&p, encipher, MTLS_R_KEY_USAGE, "client certificate "
	    "'CN=bob' has a keyUsage without digitalSignature");
	/* server: keyEncipherment will do */
	p.purpose = MTLS_PURPOSE_SERVER;
	assert_accepted(&p, encipher);
	assert_rejected(&p, agree, MTLS_R_KEY_USAGE, "without "
	    "digitalSignature or keyEncipherment");
	/* any: not checked */
	p.purpose = MTLS_PURPOSE_ANY;
	assert_accepted(&p, agree);
	tpki_free(none);
	tpki_free(encipher);
	tpki_free(agree);
}

/* --- order of the checks ------------------------------------------- */

static void
checks_run_in_documented_order(void **state)
{
	struct mtls_policy p = strict();
	gnutls_x509_privkey_t key = tpki_key_ec_bits(224);
	gnutls_x509_crt_t leaf = new_leaf(key, TPKI_V1);

	(void)state;
	issue(leaf, GNUTLS_DIG_SHA1);
	p.require_v3 = true;
	p.require_eku = true;
	p.max_depth = 1;
	assert_rejected(&p, leaf, MTLS_R_CHAIN_TOO_DEEP, "max_depth");
	p.max_depth = 2;
	assert_rejected(&p, leaf, MTLS_R_WEAK_SIGNATURE, "SHA1");
	p.allow_sha1 = true;
	assert_rejected(&p, leaf, MTLS_R_WEAK_KEY, "min_ec_bits");
	p.min_ec_bits = 224;
	assert_rejected(&p, leaf, MTLS_R_V1_LEAF, "require_v3");
	p.require_v3 = false;
	assert_rejected(&p, leaf, MTLS_R_EKU_MISSING, "require_eku");
	tpki_free(leaf);
	gnutls_x509_privkey_deinit(key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(validity_accepts_current_chain),
		cmocka_unit_test(validity_rejects_expired_with_position_and_time),
		cmocka_unit_test(validity_rejects_not_yet_valid_outside_skew),
		cmocka_unit_test(validity_survives_extreme_times),
		cmocka_unit_test(depth_limit),
		cmocka_unit_test(sha1_signature_rejected_unless_allowed),
		cmocka_unit_test(sha1_intermediate_named),
		cmocka_unit_test(anchor_self_signature_not_judged),
		cmocka_unit_test(md5_signature_always_rejected),
		cmocka_unit_test(rsa_key_size),
		cmocka_unit_test(ec_key_size),
		cmocka_unit_test(ed25519_key_accepted),
		cmocka_unit_test(weak_key_of_ca_named),
		cmocka_unit_test(v1_leaf_noted_or_refused),
		cmocka_unit_test(client_purpose),
		cmocka_unit_test(server_and_any_purpose),
		cmocka_unit_test(ca_purposes_limit_the_path),
		cmocka_unit_test(require_eku),
		cmocka_unit_test(key_usage),
		cmocka_unit_test(checks_run_in_documented_order),
	};

	return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
