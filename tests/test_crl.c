/*
 * Revocation from local CRL files: crl_store_load() and crl_check() on a
 * three-level test PKI (root, intermediate, alice).
 *
 * Most CRLs come from GnuTLS (tpki_crl).  GnuTLS's CRL writer cannot add
 * arbitrary CRL extensions or any entry extension, and it takes seconds
 * for ten thousand entries, so the CRLs that need those (delta, indirect,
 * partitioned, unknown critical extensions, 10,000 entries) are encoded
 * by the "forge" below, with libtasn1 (testder.h), and signed with
 * gnutls_privkey_sign_data().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>

#include "certname.h"
#include "certset.h"
#include "crl.h"
#include "crl_index.h"
#include "crlread.h"
#include "strlist.h"
#include "testder.h"
#include "testpki.h"
#include "testutil.h"

#define DAY 86400

static time_t now;

/* ---- the forge: CRLs encoded with libtasn1 ---- */

#define OID_ECDSA_SHA256	"1.2.840.10045.4.3.2"
#define OID_CN			"2.5.4.3"
#define OID_CRL_NUMBER		"2.5.29.20"
#define OID_REASON		"2.5.29.21"
#define OID_DELTA_CRL		"2.5.29.27"
#define OID_IDP			"2.5.29.28"
#define OID_CERT_ISSUER		"2.5.29.29"
#define OID_AKI			"2.5.29.35"
#define OID_UNKNOWN		"1.3.6.1.4.1.99999.1"	/* nobody's */

/* Time ::= CHOICE { utcTime, generalTime }: UTCTime, 1950 to 2049. */
static void
put_time(asn1_node node, const char *name, time_t t)
{
	char choice[128], s[64];
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(s, sizeof(s), "%02d%02d%02d%02d%02d%02dZ", tm.tm_year % 100,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	tder_put(node, name, "utcTime", 1);
	snprintf(choice, sizeof(choice), "%s.utcTime", name);
	tder_put(node, choice, s, strlen(s));
}

struct forge {
	gnutls_x509_crt_t issuer;
	gnutls_x509_privkey_t key;
	asn1_node crl;		/* CertificateList */
	asn1_node entry;	/* the last of its revokedCertificates */
	size_t entries;
};

/* A CRL by issuer with no times and no extensions yet. */
static void
forge_begin_untimed(struct forge *fg, gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t key)
{
	gnutls_datum_t dn;

	memset(fg, 0, sizeof(*fg));
	fg->issuer = issuer;
	fg->key = key;
	fg->crl = tder_new("CertificateList");
	tder_put(fg->crl, "tbsCertList.version", "1", 0);		/* v2 */
	tder_put(fg->crl, "tbsCertList.signature.algorithm", OID_ECDSA_SHA256,
	    1);
	tder_put(fg->crl, "tbsCertList.signature.parameters", NULL, 0);
	assert_int_equal(gnutls_x509_crt_get_raw_dn(issuer, &dn), 0);
	tder_put(fg->crl, "tbsCertList.issuer", dn.data, dn.size);
	gnutls_free(dn.data);
}

/* A CRL by issuer, valid from now for a day, with no extensions yet. */
static void
forge_begin(struct forge *fg, gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t key)
{
	forge_begin_untimed(fg, issuer, key);
	put_time(fg->crl, "tbsCertList.thisUpdate", now - 60);
	put_time(fg->crl, "tbsCertList.nextUpdate", now + DAY);
}

static void
forge_extension(struct forge *fg, const char *oid, bool critical,
    gnutls_datum_t value)
{
	struct tder_ext ext = { oid, critical, value };

	tder_add_extension(fg->crl, "tbsCertList.crlExtensions", &ext);
}

static void
forge_aki(struct forge *fg)
{
	unsigned char id[64];
	size_t len = sizeof(id);
	gnutls_datum_t keyid = { id, 0 }, value;
	gnutls_x509_aki_t aki;

	assert_int_equal(gnutls_x509_crt_get_subject_key_id(fg->issuer, id,
	    &len, NULL), 0);
	keyid.size = (unsigned)len;
	assert_int_equal(gnutls_x509_aki_init(&aki), 0);
	assert_int_equal(gnutls_x509_aki_set_id(aki, &keyid), 0);
	assert_int_equal(gnutls_x509_ext_export_authority_key_id(aki, &value),
	    0);
	gnutls_x509_aki_deinit(aki);
	forge_extension(fg, OID_AKI, false, value);
}

static void
forge_number(struct forge *fg, bool critical, const void *number,
    size_t len)
{
	forge_extension(fg, OID_CRL_NUMBER, critical,
	    tder_simple(ASN1_ETYPE_INTEGER, number, len));
}

/* What every conforming CRL carries: AKI and CRL number. */
static void
forge_standard(struct forge *fg)
{
	forge_aki(fg);
	forge_number(fg, false, "\x01", 1);
}

/*
 * One revoked certificate, with ext (may be NULL).  Its serial number is
 * decoded into place rather than written: asn1_write_value() would drop
 * the padding of a careless encoder that one case needs.
 */
static void
forge_entry(struct forge *fg, const unsigned char *serial, size_t len,
    const struct tder_ext *ext)
{
	gnutls_datum_t number = tder_simple(ASN1_ETYPE_INTEGER, serial, len);
	char name[32];
	asn1_node field;

	tder_put(fg->crl, "tbsCertList.revokedCertificates", "NEW", 1);
	/* the new "?n" is found at once next to "?n-1", where "?LAST"
	 * would walk the whole list */
	snprintf(name, sizeof(name), "?%zu", ++fg->entries);
	fg->entry = fg->entries == 1 ? asn1_find_node(fg->crl,
	    "tbsCertList.revokedCertificates.?1") :
	    asn1_find_node(fg->entry, name);
	field = asn1_find_node(fg->entry, "?CURRENT.userCertificate");
	assert_int_equal(asn1_der_decoding(&field, number.data,
	    (int)number.size, NULL), ASN1_SUCCESS);
	gnutls_free(number.data);
	put_time(fg->entry, "?CURRENT.revocationDate", now - 120);
	if (ext != NULL)
		tder_add_extension(fg->entry, "?CURRENT.crlEntryExtensions",
		    ext);
	else
		tder_put(fg->entry, "?CURRENT.crlEntryExtensions", NULL, 0);
}

static void
forge_entry_crt(struct forge *fg, gnutls_x509_crt_t crt,
    const struct tder_ext *ext)
{
	unsigned char serial[64];
	size_t len = sizeof(serial);

	assert_int_equal(gnutls_x509_crt_get_serial(crt, serial, &len), 0);
	forge_entry(fg, serial, len, ext);
}

/* Sign, write as DER to tpki_path(name), and return that path. */
static const char *
forge_write(struct forge *fg, const char *name)
{
	gnutls_datum_t tbs, sig, crl;
	gnutls_privkey_t signer;
	const char *path = tpki_path(name);

	if (fg->entries == 0)
		tder_put(fg->crl, "tbsCertList.revokedCertificates", NULL, 0);
	tbs = tder_of(fg->crl, "tbsCertList");
	assert_int_equal(gnutls_privkey_init(&signer), 0);
	assert_int_equal(gnutls_privkey_import_x509(signer, fg->key, 0), 0);
	assert_int_equal(gnutls_privkey_sign_data(signer, GNUTLS_DIG_SHA256, 0,
	    &tbs, &sig), 0);
	gnutls_privkey_deinit(signer);
	gnutls_free(tbs.data);
	tder_put(fg->crl, "signatureAlgorithm.algorithm", OID_ECDSA_SHA256, 1);
	tder_put(fg->crl, "signatureAlgorithm.parameters", NULL, 0);
	tder_put(fg->crl, "signature", sig.data, sig.size * 8);	/* in bits */
	gnutls_free(sig.data);

	crl = tder_encoded(fg->crl);
	fg->crl = NULL;
	tpki_write_data(path, crl.data, crl.size);
	gnutls_free(crl.data);
	return path;
}

/* ---- loading and checking ---- */

static gnutls_x509_crt_t known_crts[2];
/* root, int */
static struct certset known_both = { .crts = known_crts, .count = 2 };
static struct certset known_root = { .crts = known_crts, .count = 1 };
static struct certset known_none = { .crts = NULL };

static char load_error[1024];
static struct finding finding;
/* the profile's policy: its defaults, SHA-1 signatures refused */
static struct mtls_policy policy;

/* crl_store_load() of the files first and second, each possibly NULL. */
static int
load(struct crl_store **store, const struct certset *known,
    const char *first, const char *second)
{
	struct strlist files = { NULL, 0 };
	int ret;

	if (first != NULL)
		assert_int_equal(strlist_add(&files, first), 0);
	if (second != NULL)
		assert_int_equal(strlist_add(&files, second), 0);
	load_error[0] = '\0';
	*store = NULL;
	ret = crl_store_load(store, &files, known, load_error,
	    sizeof(load_error));
	strlist_clear(&files);
	if (ret == 0)
		assert_non_null(*store);
	else
		assert_null(*store);
	return ret;
}

/* Loading fails with an error that names the file and says why. */
static void
assert_load_fails(const char *path, const struct certset *known,
    const char *why)
{
	struct crl_store *store;

	assert_int_equal(load(&store, known, path, NULL), -1);
	assert_contains(load_error, path);
	assert_contains(load_error, why);
}

/* crl_check() of leaf -> intermediate -> root: the reason, OK if accepted. */
static enum mtls_reason
check_path(const struct crl_store *store, gnutls_x509_crt_t leaf,
    enum mtls_crl_require require, unsigned stale_grace, unsigned clock_skew)
{
	gnutls_x509_crt_t chain[3] = { leaf, pki.intermediate, pki.root };

	memset(&finding, 0, sizeof(finding));
	if (crl_check(store, &policy, chain, 3, require, stale_grace,
	    clock_skew, now, &finding) == 0)
		return MTLS_R_OK;
	assert_int_not_equal(finding.reason, MTLS_R_OK);
	return finding.reason;
}

static enum mtls_reason
check(const struct crl_store *store, enum mtls_crl_require require)
{
	return check_path(store, pki.leaf, require, 0, 0);
}

/* The store revokes crt, a client of the intermediate, and not alice. */
static void
assert_only_revoked(const struct crl_store *store, gnutls_x509_crt_t crt)
{
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF), MTLS_R_OK);
	assert_int_equal(check_path(store, crt, MTLS_CRL_REQUIRE_LEAF, 0, 0),
	    MTLS_R_REVOKED);
}

/* Load path alone and check alice's path: the reason. */
static enum mtls_reason
check_file(const char *path, const struct certset *known,
    enum mtls_crl_require require)
{
	struct crl_store *store;
	enum mtls_reason reason;

	assert_int_equal(load(&store, known, path, NULL), 0);
	reason = check(store, require);
	crl_store_free(store);
	return reason;
}

/* A CRL made by GnuTLS, written as PEM. */
static const char *
write_crl(const char *name, gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t key, gnutls_x509_crt_t *revoked, size_t n,
    time_t this_update, time_t next_update)
{
	gnutls_x509_crl_t crl = tpki_crl(issuer, key, revoked, n, this_update,
	    next_update);
	const char *path = tpki_path(name);

	tpki_write_crl(path, crl);
	gnutls_x509_crl_deinit(crl);
	return path;
}

/*
 * A CRL is only as strong as its signature: one signed with SHA-1 is
 * refused as a certificate would be, crl-invalid saying what to fix,
 * whether it was verified at load or is verified in the path; with
 * policy.allow_sha1 its revocation of alice counts.
 */
static void
sha1_crl_refused_unless_allowed(void **state)
{
	const struct certset *known[2] = { &known_both, &known_none };
	gnutls_x509_crl_t crl = tpki_crl_digest(pki.intermediate, pki.int_key,
	    &pki.leaf, 1, now - 60, now + DAY, GNUTLS_DIG_SHA1);
	const char *path = tpki_path("sha1.crl");

	(void)state;
	tpki_write_crl(path, crl);
	gnutls_x509_crl_deinit(crl);
	for (int i = 0; i < 2; i++) {
		policy.allow_sha1 = false;
		assert_int_equal(check_file(path, known[i],
		    MTLS_CRL_REQUIRE_LEAF), MTLS_R_CRL_INVALID);
		assert_contains(finding.text, path);
		assert_contains(finding.text, "its CA signs CRLs with SHA-1; "
		    "have it sign with SHA-256, or set policy.allow_sha1 = "
		    "true");
		policy.allow_sha1 = true;
		assert_int_equal(check_file(path, known[i],
		    MTLS_CRL_REQUIRE_LEAF), MTLS_R_REVOKED);
	}
	policy.allow_sha1 = false;
}

/* The intermediate's CRL, current, listing n certificates. */
static const char *
int_crl(const char *name, gnutls_x509_crt_t *revoked, size_t n)
{
	return write_crl(name, pki.intermediate, pki.int_key, revoked, n,
	    now - 60, now + DAY);
}

static const char *
root_crl(const char *name, gnutls_x509_crt_t *revoked, size_t n)
{
	return write_crl(name, pki.root, pki.root_key, revoked, n, now - 60,
	    now + DAY);
}

/* Another client of the intermediate, with an optional distribution point. */
static gnutls_x509_crt_t
client(const char *dn, const char *crl_uri)
{
	gnutls_x509_crt_t crt = tpki_new(dn, pki.leaf_key, 0);

	tpki_make_client(crt);
	if (crl_uri != NULL)
		assert_int_equal(gnutls_x509_crt_set_crl_dist_points(crt,
		    GNUTLS_SAN_URI, crl_uri, 0), 0);
	tpki_sign(crt, pki.intermediate, pki.int_key, GNUTLS_DIG_SHA256);
	return crt;
}

/* ---- the cases ---- */

static void
unrevoked_chain_accepted(void **state)
{
	gnutls_x509_crt_t bob = client("CN=bob", NULL);
	gnutls_x509_crl_t crls[2];
	gnutls_datum_t pem[2];
	unsigned char *both;
	struct crl_store *store;

	(void)state;
	/* both CRLs in one PEM file */
	crls[0] = tpki_crl(pki.intermediate, pki.int_key, &bob, 1, now - 60,
	    now + DAY);
	crls[1] = tpki_crl(pki.root, pki.root_key, NULL, 0, now - 60,
	    now + DAY);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(gnutls_x509_crl_export2(crls[i],
		    GNUTLS_X509_FMT_PEM, &pem[i]), 0);
		gnutls_x509_crl_deinit(crls[i]);
	}
	both = malloc(pem[0].size + pem[1].size);
	assert_non_null(both);
	memcpy(both, pem[0].data, pem[0].size);
	memcpy(both + pem[0].size, pem[1].data, pem[1].size);
	tpki_write_data(tpki_path("both.pem"), both, pem[0].size + pem[1].size);
	free(both);
	gnutls_free(pem[0].data);
	gnutls_free(pem[1].data);

	assert_int_equal(load(&store, &known_both, tpki_path("both.pem"),
	    NULL), 0);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_CHAIN), MTLS_R_OK);
	assert_only_revoked(store, bob);
	crl_store_free(store);
	tpki_free(bob);
}

static void
leaf_revoked_by_intermediate_crl(void **state)
{
	struct crl_store *store;
	char *serial = certname_serial_alloc(pki.leaf);

	(void)state;
	assert_int_equal(load(&store, &known_both,
	    int_crl("int.pem", &pki.leaf, 1), NULL), 0);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF), MTLS_R_REVOKED);
	assert_contains(finding.text, "client certificate 'CN=alice'");
	assert_contains(finding.text, serial);
	assert_contains(finding.text, "CN=Test Intermediate");
	/* what a CRL covers is checked even when nothing is required */
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_NONE), MTLS_R_REVOKED);
	crl_store_free(store);
	free(serial);
}

static void
intermediate_revoked_by_root_crl(void **state)
{
	struct crl_store *store;

	(void)state;
	assert_int_equal(load(&store, &known_both, int_crl("int.pem", NULL, 0),
	    root_crl("root.pem", &pki.intermediate, 1)), 0);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF), MTLS_R_REVOKED);
	assert_contains(finding.text, "CA certificate 'CN=Test Intermediate'");
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_CHAIN), MTLS_R_REVOKED);
	assert_contains(finding.text, "CA certificate 'CN=Test Intermediate'");
	crl_store_free(store);

	/* the root's CRL alone: alice is uncovered, the revocation wins */
	assert_int_equal(check_file(root_crl("root.pem", &pki.intermediate, 1),
	    &known_both, MTLS_CRL_REQUIRE_LEAF), MTLS_R_REVOKED);
}

static void
stale_crl_rejected_unless_within_grace(void **state)
{
	struct crl_store *store;

	(void)state;
	assert_int_equal(load(&store, &known_both,
	    write_crl("stale.pem", pki.intermediate, pki.int_key, NULL, 0,
	    now - 3 * DAY, now - 2 * DAY), NULL), 0);
	assert_int_equal(check_path(store, pki.leaf, MTLS_CRL_REQUIRE_LEAF, 0,
	    0), MTLS_R_CRL_STALE);
	assert_contains(finding.text, "CN=Test Intermediate");
	assert_contains(finding.text, "revocation.stale_grace");
	assert_int_equal(check_path(store, pki.leaf, MTLS_CRL_REQUIRE_LEAF, DAY,
	    0), MTLS_R_CRL_STALE);
	assert_int_equal(check_path(store, pki.leaf, MTLS_CRL_REQUIRE_LEAF,
	    3 * DAY, 0), MTLS_R_OK);
	crl_store_free(store);
}

/*
 * A stale or not-yet-valid CRL leaves its certificate undecided, and
 * another source (OCSP) may settle that; a revocation further up the
 * path is settled already and must not be hidden behind it.
 */
static void
revoked_issuer_wins_over_unusable_crl_below(void **state)
{
	const char *revoking = root_crl("root.pem", &pki.intermediate, 1);
	struct crl_store *store;

	(void)state;
	assert_int_equal(load(&store, &known_both,
	    write_crl("stale.pem", pki.intermediate, pki.int_key, NULL, 0,
	    now - 3 * DAY, now - 2 * DAY), revoking), 0);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF), MTLS_R_REVOKED);
	assert_contains(finding.text, "CA certificate 'CN=Test Intermediate'");
	crl_store_free(store);

	assert_int_equal(load(&store, &known_both,
	    write_crl("future.pem", pki.intermediate, pki.int_key, NULL, 0,
	    now + 3600, now + 2 * DAY), revoking), 0);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF), MTLS_R_REVOKED);
	crl_store_free(store);

	/* with nothing revoked above, the stale CRL still rejects */
	assert_int_equal(load(&store, &known_both,
	    write_crl("stale.pem", pki.intermediate, pki.int_key, NULL, 0,
	    now - 3 * DAY, now - 2 * DAY), root_crl("root.pem", NULL, 0)), 0);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF), MTLS_R_CRL_STALE);
	assert_contains(finding.text, "client certificate 'CN=alice'");
	crl_store_free(store);
}

static void
future_crl_rejected_beyond_clock_skew(void **state)
{
	struct crl_store *store;

	(void)state;
	assert_int_equal(load(&store, &known_both,
	    write_crl("future.pem", pki.intermediate, pki.int_key, NULL, 0,
	    now + 3600, now + 2 * DAY), NULL), 0);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF),
	    MTLS_R_CRL_INVALID);
	assert_contains(finding.text, "not valid before");
	assert_int_equal(check_path(store, pki.leaf, MTLS_CRL_REQUIRE_LEAF, 0,
	    7200), MTLS_R_OK);
	crl_store_free(store);
}

static void
latest_crl_of_an_issuer_is_used(void **state)
{
	const char *old, *fresh;
	struct crl_store *store;

	(void)state;
	old = write_crl("old.pem", pki.intermediate, pki.int_key, NULL, 0,
	    now - 3 * DAY, now - 2 * DAY);
	fresh = int_crl("fresh.pem", NULL, 0);
	assert_int_equal(load(&store, &known_both, old, fresh), 0);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF), MTLS_R_OK);
	crl_store_free(store);
	assert_int_equal(load(&store, &known_both, fresh, old), 0);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF), MTLS_R_OK);
	crl_store_free(store);
}

static void
coverage_required_by_crl_require(void **state)
{
	struct crl_store *store;

	(void)state;
	assert_int_equal(load(&store, &known_both, NULL, NULL), 0);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF),
	    MTLS_R_CRL_MISSING);
	assert_contains(finding.text, "no CRL from 'CN=Test Intermediate' "
	    "covers client certificate 'CN=alice'");
	assert_contains(finding.text, "revocation.crl_files");
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_NONE), MTLS_R_OK);
	crl_store_free(store);

	assert_int_equal(load(&store, &known_both, int_crl("int.pem", NULL, 0),
	    NULL), 0);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF), MTLS_R_OK);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_CHAIN),
	    MTLS_R_CRL_MISSING);
	assert_contains(finding.text, "no CRL from 'CN=Test Root' covers "
	    "CA certificate 'CN=Test Intermediate'");
	crl_store_free(store);

	assert_int_equal(check_file(root_crl("root.pem", NULL, 0), &known_both,
	    MTLS_CRL_REQUIRE_LEAF), MTLS_R_CRL_MISSING);
	assert_contains(finding.text, "'CN=alice'");
}

static void
crl_with_wrong_key_refused(void **state)
{
	gnutls_x509_privkey_t rogue = tpki_key_ec();
	const char *path;
	struct crl_store *store;

	(void)state;
	path = write_crl("rogue.pem", pki.intermediate, rogue, &pki.leaf, 0,
	    now - 60, now + DAY);
	/* its issuer is known: refused at load */
	assert_load_fails(path, &known_both, "does not match the key");
	assert_contains(load_error, "CN=Test Intermediate");
	/* its issuer is not known: refused when a path reaches it */
	assert_int_equal(load(&store, &known_root, path, NULL), 0);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF),
	    MTLS_R_CRL_INVALID);
	assert_contains(finding.text, "the CRL from 'CN=Test Intermediate'");
	assert_contains(finding.text, "does not match the key");
	crl_store_free(store);
	gnutls_x509_privkey_deinit(rogue);
}

static void
crl_of_unknown_issuer_verified_in_path(void **state)
{
	(void)state;
	assert_int_equal(check_file(int_crl("int.pem", NULL, 0), &known_none,
	    MTLS_CRL_REQUIRE_LEAF), MTLS_R_OK);
	assert_int_equal(check_file(int_crl("int.pem", &pki.leaf, 1),
	    &known_none, MTLS_CRL_REQUIRE_LEAF), MTLS_R_REVOKED);
}

/* Another certificate for the intermediate's name, with key. */
static gnutls_x509_crt_t
intermediate_twin(gnutls_x509_privkey_t key)
{
	gnutls_x509_crt_t crt = tpki_new("CN=Test Intermediate", key, 0);

	tpki_make_ca(crt, 0);
	tpki_sign(crt, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	return crt;
}

static void
crl_follows_the_issuer_key(void **state)
{
	gnutls_x509_privkey_t new_key = tpki_key_ec();
	/* the same name and key in a second certificate (a renewal or a
	 * cross-certificate), and the same name with a new key */
	gnutls_x509_crt_t twin = intermediate_twin(pki.int_key);
	gnutls_x509_crt_t rekeyed = intermediate_twin(new_key);
	gnutls_x509_crt_t chain[3] = { pki.leaf, twin, pki.root };
	struct crl_store *store;

	(void)state;
	assert_int_equal(load(&store, &known_both,
	    int_crl("int.pem", &pki.leaf, 1), NULL), 0);
	memset(&finding, 0, sizeof(finding));
	assert_int_equal(crl_check(store, &policy, chain, 3,
	    MTLS_CRL_REQUIRE_LEAF, 0, 0, now, &finding), -1);
	assert_int_equal(finding.reason, MTLS_R_REVOKED);
	chain[1] = rekeyed;
	assert_int_equal(crl_check(store, &policy, chain, 3,
	    MTLS_CRL_REQUIRE_LEAF, 0, 0, now, &finding), -1);
	assert_int_equal(finding.reason, MTLS_R_CRL_MISSING);
	assert_int_equal(crl_check(store, &policy, chain, 3,
	    MTLS_CRL_REQUIRE_NONE, 0, 0, now, &finding), 0);
	crl_store_free(store);
	/* unverified at load, its key identifier tells it is not for the
	 * new key, rather than a signature failure */
	assert_int_equal(load(&store, &known_none,
	    int_crl("int.pem", &pki.leaf, 1), NULL), 0);
	assert_int_equal(crl_check(store, &policy, chain, 3,
	    MTLS_CRL_REQUIRE_LEAF, 0, 0, now, &finding), -1);
	assert_int_equal(finding.reason, MTLS_R_CRL_MISSING);
	crl_store_free(store);
	tpki_free(twin);
	tpki_free(rekeyed);
	gnutls_x509_privkey_deinit(new_key);
}

/*
 * A CRL not verified at load is checked whole, its signature and what its
 * issuer may sign, once for each issuer certificate a path brings: again
 * for another certificate of the same name and key, which may not sign
 * CRLs, and again after a refusal.
 */
static void
unverified_crl_checked_once_per_issuer(void **state)
{
	gnutls_x509_crt_t nosign = tpki_new("CN=Test Intermediate",
	    pki.int_key, 0);
	gnutls_x509_crt_t chain[3] = { pki.leaf, pki.intermediate, pki.root };
	struct crl_store *store;

	(void)state;
	assert_int_equal(gnutls_x509_crt_set_basic_constraints(nosign, 1, 0),
	    0);
	assert_int_equal(gnutls_x509_crt_set_key_usage(nosign,
	    GNUTLS_KEY_KEY_CERT_SIGN), 0);
	tpki_sign(nosign, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	assert_int_equal(load(&store, &known_none,
	    int_crl("int.pem", &pki.leaf, 1), NULL), 0);
	for (int round = 0; round < 2; round++) {
		chain[1] = pki.intermediate;
		for (int again = 0; again < 2; again++) {
			assert_int_equal(crl_check(store, &policy, chain, 3,
			    MTLS_CRL_REQUIRE_LEAF, 0, 0, now, &finding), -1);
			assert_int_equal(finding.reason, MTLS_R_REVOKED);
		}
		chain[1] = nosign;
		assert_int_equal(crl_check(store, &policy, chain, 3,
		    MTLS_CRL_REQUIRE_LEAF, 0, 0, now, &finding), -1);
		assert_int_equal(finding.reason, MTLS_R_CRL_INVALID);
		assert_contains(finding.text, "cRLSign");
	}
	crl_store_free(store);
	tpki_free(nosign);
}

static void
issuer_without_crl_sign_refused(void **state)
{
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t ca = tpki_new("CN=Test Intermediate", key, 0);
	gnutls_x509_crt_t chain[3] = { pki.leaf, NULL, pki.root };
	struct certset known = { .crts = &ca, .count = 1 };
	struct crl_store *store;
	const char *path;

	(void)state;
	assert_int_equal(gnutls_x509_crt_set_basic_constraints(ca, 1, 0), 0);
	assert_int_equal(gnutls_x509_crt_set_key_usage(ca,
	    GNUTLS_KEY_KEY_CERT_SIGN), 0);
	tpki_sign(ca, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	chain[1] = ca;
	path = write_crl("nosign.pem", ca, key, NULL, 0, now - 60, now + DAY);
	assert_load_fails(path, &known, "cRLSign");
	assert_int_equal(load(&store, &known_none, path, NULL), 0);
	memset(&finding, 0, sizeof(finding));
	assert_int_equal(crl_check(store, &policy, chain, 3,
	    MTLS_CRL_REQUIRE_LEAF, 0, 0, now, &finding), -1);
	assert_int_equal(finding.reason, MTLS_R_CRL_INVALID);
	assert_contains(finding.text, "cRLSign");
	crl_store_free(store);
	tpki_free(ca);
	gnutls_x509_privkey_deinit(key);
}

static void
unreadable_files_refused(void **state)
{
	unsigned char *pem;
	size_t len;

	(void)state;
	tpki_write_data(tpki_path("empty.pem"), "", 0);
	assert_load_fails(tpki_path("empty.pem"), &known_both, "empty");
	tpki_write_data(tpki_path("garbage"), "\x30\x82\xff\xff garbage", 13);
	assert_load_fails(tpki_path("garbage"), &known_both, "neither");
	tpki_write_data(tpki_path("text"), "hello\n", 6);
	assert_load_fails(tpki_path("text"), &known_both, "neither");
	pem = tpki_pem(pki.leaf, &len);
	tpki_write_data(tpki_path("cert.pem"), pem, len);
	free(pem);
	assert_load_fails(tpki_path("cert.pem"), &known_both,
	    "without an X509 CRL");
	assert_load_fails(tpki_path("missing.pem"), &known_both,
	    "No such file");
}

static void
truncated_or_extended_crls_refused(void **state)
{
	struct forge fg;
	FILE *fp;
	char buf[8192];
	size_t n;

	(void)state;
	/* a DER CRL followed by anything, even a second CRL */
	forge_begin(&fg, pki.intermediate, pki.int_key);
	forge_standard(&fg);
	fp = fopen(forge_write(&fg, "trailing.der"), "ab");
	assert_non_null(fp);
	assert_int_equal(fputc(0, fp), 0);
	assert_int_equal(fclose(fp), 0);
	assert_load_fails(tpki_path("trailing.der"), &known_both, "neither");

	/* a PEM CRL cut in half, alone or after a good one */
	fp = fopen(int_crl("good.pem", NULL, 0), "rb");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	assert_true(n > 100 && n < sizeof(buf) / 2);
	tpki_write_data(tpki_path("half.pem"), buf, n / 2);
	assert_load_fails(tpki_path("half.pem"), &known_both, "bad PEM");
	memcpy(buf + n, buf, n / 2);
	tpki_write_data(tpki_path("then-half.pem"), buf, n + n / 2);
	assert_load_fails(tpki_path("then-half.pem"), &known_both, "bad PEM");
}

/* ---- RFC 5280 rules, on forged CRLs ---- */

static void
add_unknown_extension(struct forge *fg, bool critical)
{
	forge_extension(fg, OID_UNKNOWN, critical,
	    tder_simple(ASN1_ETYPE_NULL, "", 0));
}

/* An IssuingDistributionPoint with the BOOLEANs named (up to NULL) TRUE. */
static asn1_node
idp_flags(const char *flag, ...)
{
	asn1_node idp = tder_new("IssuingDistributionPoint");
	va_list ap;

	/* libtasn1 cannot encode an OPTIONAL field left unwritten */
	tder_put(idp, "distributionPoint", NULL, 0);
	tder_put(idp, "onlySomeReasons", NULL, 0);
	va_start(ap, flag);
	for (; flag != NULL; flag = va_arg(ap, const char *))
		tder_put(idp, flag, "TRUE", 1);
	va_end(ap);
	return idp;
}

static void
add_idp(struct forge *fg, asn1_node idp)
{
	forge_extension(fg, OID_IDP, true, tder_encoded(idp));
}

/* A partition named by URI: distributionPoint { fullName { uri } } */
static void
add_idp_uri(struct forge *fg, const char *uri)
{
	asn1_node idp = tder_new("IssuingDistributionPoint");

	tder_put(idp, "onlySomeReasons", NULL, 0);
	tder_put(idp, "distributionPoint", "fullName", 1);
	tder_add_general_name(idp, "distributionPoint.fullName", GNUTLS_SAN_URI,
	    uri, 0);
	add_idp(fg, idp);
}

static void
forged_crl_accepted(void **state)
{
	gnutls_x509_crt_t bob = client("CN=bob", NULL);
	/* reasonCode keyCompromise */
	struct tder_ext reason = { OID_REASON, false,
	    tder_simple(ASN1_ETYPE_ENUMERATED, "\x01", 1) };
	struct forge fg;
	struct crl_store *store;

	(void)state;
	/* what GnuTLS cannot write but RFC 5280 allows: a non-critical
	 * unknown extension, entries with reason codes */
	forge_begin(&fg, pki.intermediate, pki.int_key);
	forge_standard(&fg);
	add_unknown_extension(&fg, false);
	forge_entry_crt(&fg, bob, &reason);
	assert_int_equal(load(&store, &known_both, forge_write(&fg, "ok.der"),
	    NULL), 0);
	assert_only_revoked(store, bob);
	crl_store_free(store);
	tpki_free(bob);
}

static void
forge_no_number(struct forge *fg)
{
	forge_aki(fg);
}

static void
forge_critical_number(struct forge *fg)
{
	forge_aki(fg);
	forge_number(fg, true, "\x01", 1);
}

static void
forge_negative_number(struct forge *fg)
{
	forge_aki(fg);
	forge_number(fg, false, "\xff", 1);
}

static void
forge_long_number(struct forge *fg)
{
	forge_aki(fg);
	forge_number(fg, false, "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a"
	    "\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15", 21);
}

static void
forge_twice_numbered(struct forge *fg)
{
	forge_standard(fg);
	forge_number(fg, false, "\x02", 1);
}

static void
forge_no_next_update(struct forge *fg)
{
	forge_standard(fg);
	tder_put(fg->crl, "tbsCertList.nextUpdate", NULL, 0);
}

/* A reader that ignored it would take the delta for a complete CRL. */
static void
forge_delta_not_critical(struct forge *fg)
{
	forge_standard(fg);
	/* deltaCRLIndicator: the number of its base CRL */
	forge_extension(fg, OID_DELTA_CRL, false,
	    tder_simple(ASN1_ETYPE_INTEGER, "\x01", 1));
}

static void
forge_delta_bad_base(struct forge *fg)
{
	forge_standard(fg);
	forge_extension(fg, OID_DELTA_CRL, true,
	    tder_simple(ASN1_ETYPE_OCTET_STRING, "\x01", 1));
}

/* reasonCode 7 is unused (RFC 5280, 5.3.1) */
static void
forge_entry_bad_reason(struct forge *fg)
{
	struct tder_ext reason = { OID_REASON, false,
	    tder_simple(ASN1_ETYPE_ENUMERATED, "\x07", 1) };

	forge_standard(fg);
	forge_entry_crt(fg, pki.leaf, &reason);
}

static void
forge_unknown_critical(struct forge *fg)
{
	forge_standard(fg);
	add_unknown_extension(fg, true);
}

static void
forge_idp_indirect(struct forge *fg)
{
	forge_standard(fg);
	add_idp(fg, idp_flags("indirectCRL", NULL));
}

static void
forge_idp_some_reasons(struct forge *fg)
{
	asn1_node idp = tder_new("IssuingDistributionPoint");

	forge_standard(fg);
	tder_put(idp, "distributionPoint", NULL, 0);
	tder_put(idp, "onlySomeReasons", "\x40", 2);	/* keyCompromise */
	add_idp(fg, idp);
}

static void
forge_idp_attribute_certs(struct forge *fg)
{
	forge_standard(fg);
	add_idp(fg, idp_flags("onlyContainsAttributeCerts", NULL));
}

static void
forge_idp_user_and_ca(struct forge *fg)
{
	forge_standard(fg);
	add_idp(fg, idp_flags("onlyContainsUserCerts", "onlyContainsCACerts",
	    NULL));
}

static void
forge_idp_malformed(struct forge *fg)
{
	gnutls_datum_t cut = tder_encoded(idp_flags("onlyContainsUserCerts",
	    NULL));

	forge_standard(fg);
	cut.size--;		/* its last octet lost */
	forge_extension(fg, OID_IDP, true, cut);
}

static void
forge_idp_relative_name(struct forge *fg)
{
	asn1_node idp = tder_new("IssuingDistributionPoint");
	gnutls_datum_t cn = tder_simple(ASN1_ETYPE_UTF8_STRING, "part1", 5);

	forge_standard(fg);
	tder_put(idp, "onlySomeReasons", NULL, 0);
	tder_put(idp, "distributionPoint", "nameRelativeToCRLIssuer", 1);
	tder_put(idp, "distributionPoint.nameRelativeToCRLIssuer", "NEW", 1);
	tder_put(idp,
	    "distributionPoint.nameRelativeToCRLIssuer.?LAST.type", OID_CN, 1);
	tder_put(idp,
	    "distributionPoint.nameRelativeToCRLIssuer.?LAST.value", cn.data,
	    cn.size);
	gnutls_free(cn.data);
	add_idp(fg, idp);
}

static void
forge_entry_of_other_issuer(struct forge *fg)
{
	/* certificateIssuer: GeneralNames { directoryName: the root } */
	asn1_node names = tder_new("GeneralNames");
	struct tder_ext issuer = { OID_CERT_ISSUER, true, { NULL, 0 } };
	gnutls_datum_t dn;

	forge_standard(fg);
	assert_int_equal(gnutls_x509_crt_get_raw_dn(pki.root, &dn), 0);
	tder_add_general_name(names, "", GNUTLS_SAN_DN, dn.data, dn.size);
	gnutls_free(dn.data);
	issuer.value = tder_encoded(names);
	forge_entry_crt(fg, pki.leaf, &issuer);
}

static void
forge_entry_unknown_critical(struct forge *fg)
{
	struct tder_ext unknown = { OID_UNKNOWN, true,
	    tder_simple(ASN1_ETYPE_NULL, "", 0) };

	forge_standard(fg);
	forge_entry_crt(fg, pki.leaf, &unknown);
}

static void
crl_rules_enforced_at_load(void **state)
{
	static const struct {
		void (*make)(struct forge *);
		const char *why;
	} cases[] = {
		{ forge_no_number, "no CRL number" },
		{ forge_critical_number, "cRLNumber extension (2.5.29.20) "
		    "critical" },
		{ forge_negative_number, "negative CRL number" },
		{ forge_long_number, "longer than 20 octets" },
		{ forge_twice_numbered, "extension 2.5.29.20 twice" },
		{ forge_no_next_update, "no nextUpdate" },
		{ forge_delta_not_critical, "deltaCRLIndicator extension not "
		    "critical" },
		{ forge_delta_bad_base, "malformed BaseCRLNumber" },
		{ forge_entry_bad_reason, "malformed revoked-certificate "
		    "entry" },
		{ forge_unknown_critical, "unknown critical extension "
		    "1.3.6.1.4.1.99999.1" },
		{ forge_idp_indirect, "indirect CRLs are not supported" },
		{ forge_idp_some_reasons, "not supported" },
		{ forge_idp_relative_name, "not supported" },
		{ forge_idp_attribute_certs, "only attribute certificates" },
		{ forge_idp_user_and_ca, "only user and only CA" },
		{ forge_idp_malformed, "malformed issuingDistributionPoint" },
		{ forge_entry_of_other_issuer, "indirect CRLs are not "
		    "supported" },
		{ forge_entry_unknown_critical, "unknown critical extension "
		    "1.3.6.1.4.1.99999.1" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct forge fg;

		forge_begin(&fg, pki.intermediate, pki.int_key);
		cases[i].make(&fg);
		assert_load_fails(forge_write(&fg, "rule.der"), &known_both,
		    cases[i].why);
		assert_contains(load_error, "CN=Test Intermediate");
	}
}

/* A reasonCode entry extension (its value is freed once added). */
static struct tder_ext
reason_code(unsigned char reason)
{
	struct tder_ext ext = { OID_REASON, false,
	    tder_simple(ASN1_ETYPE_ENUMERATED, &reason, 1) };

	return ext;
}

/* The CRL file at path, indexed into dir as the update would. */
static void
index_file(const char *path, const char *dir)
{
	struct crlread read;
	unsigned char *der;
	size_t len;
	char err[512];

	der = slurp(path, &len);
	if (crlread_der(&read, der, len, err, sizeof(err)) != 0 ||
	    crl_index_build(&read, der, len, pki.intermediate, dir, path, 0,
	    NULL, 0, err, sizeof(err)) != 0)
		fail_msg("index %s: %s", path, err);
	crlread_clear(&read);
	free(der);
}

/*
 * A serial a complete CRL lists more than once, on hold (here four
 * times, so that a lookup lands on a hold) and revoked for a key
 * compromise, stays revoked when a delta CRL takes it off: whichever
 * entry a lookup finds, from the files and from the index.
 */
static void
serial_listed_twice_stays_revoked(void **state)
{
	struct tder_ext compromise = reason_code(1), removed = reason_code(8);
	const char *base, *delta, *dir = tpki_path("twice-index");
	gnutls_x509_crt_t chain[3] = { pki.leaf, pki.intermediate, pki.root };
	struct crl_store *store;
	struct crl_index *index;
	struct forge fg;
	char err[512];

	(void)state;
	forge_begin(&fg, pki.intermediate, pki.int_key);
	forge_standard(&fg);
	for (int i = 0; i < 4; i++) {
		struct tder_ext hold = reason_code(6);

		forge_entry_crt(&fg, pki.leaf, &hold);
	}
	forge_entry_crt(&fg, pki.leaf, &compromise);
	base = forge_write(&fg, "twice.der");
	forge_begin(&fg, pki.intermediate, pki.int_key);
	forge_aki(&fg);
	forge_number(&fg, false, "\x02", 1);
	forge_extension(&fg, OID_DELTA_CRL, true,
	    tder_simple(ASN1_ETYPE_INTEGER, "\x01", 1));
	forge_entry_crt(&fg, pki.leaf, &removed);
	delta = forge_write(&fg, "twice-delta.der");

	assert_int_equal(load(&store, &known_both, base, delta), 0);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF), MTLS_R_REVOKED);
	assert_contains(finding.text, "only a certificate on hold");
	crl_store_free(store);

	tpki_remove_tree(dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	index_file(base, dir);
	index_file(delta, dir);
	if (crl_index_open(dir, NULL, NULL, &index, err, sizeof(err)) != 0)
		fail_msg("crl_index_open: %s", err);
	memset(&finding, 0, sizeof(finding));
	assert_int_equal(crl_index_check(index, &policy, chain, 3,
	    MTLS_CRL_REQUIRE_LEAF, 0, 0, now, &finding), -1);
	assert_int_equal(finding.reason, MTLS_R_REVOKED);
	crl_index_close(index);
}

/*
 * RFC 5280 (5.1.2.4, 5.1.2.5, 4.1.2.5.2): no fraction of a second in
 * thisUpdate or nextUpdate.  GnuTLS reads such a time as absent; the
 * refusal says what it is.
 */
static void
crl_times_with_fractions_refused(void **state)
{
	static const char *const times[][2] = {
		{ "20510101000000.5Z", "20510102000000Z" },
		{ "20510101000000Z", "20510102000000.5Z" },
	};
	static const char *const why[] = {
		"the CRL from 'CN=Test Intermediate' is refused: its "
		    "thisUpdate (20510101000000.5Z) has a fraction of a "
		    "second, which RFC 5280 forbids; its CA must issue it "
		    "again",
		"its nextUpdate (20510102000000.5Z) has a fraction of a "
		    "second",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(why) / sizeof(why[0]); i++) {
		struct forge fg;

		forge_begin_untimed(&fg, pki.intermediate, pki.int_key);
		tder_put(fg.crl, "tbsCertList.thisUpdate", "generalTime", 1);
		tder_put(fg.crl, "tbsCertList.thisUpdate.generalTime",
		    times[i][0], strlen(times[i][0]));
		tder_put(fg.crl, "tbsCertList.nextUpdate", "generalTime", 1);
		tder_put(fg.crl, "tbsCertList.nextUpdate.generalTime",
		    times[i][1], strlen(times[i][1]));
		forge_standard(&fg);
		assert_load_fails(forge_write(&fg, "fraction.der"),
		    &known_both, why[i]);
	}
}

/* ---- what a CRL covers (issuingDistributionPoint) ---- */

static void
crl_for_user_certs_covers_only_them(void **state)
{
	struct forge fg;

	(void)state;
	forge_begin(&fg, pki.intermediate, pki.int_key);
	forge_standard(&fg);
	add_idp(&fg, idp_flags("onlyContainsUserCerts", NULL));
	forge_entry_crt(&fg, pki.leaf, NULL);
	assert_int_equal(check_file(forge_write(&fg, "u.der"), &known_both,
	    MTLS_CRL_REQUIRE_LEAF), MTLS_R_REVOKED);

	forge_begin(&fg, pki.intermediate, pki.int_key);
	forge_standard(&fg);
	add_idp(&fg, idp_flags("onlyContainsCACerts", NULL));
	forge_entry_crt(&fg, pki.leaf, NULL);
	assert_int_equal(check_file(forge_write(&fg, "ca.der"), &known_both,
	    MTLS_CRL_REQUIRE_LEAF), MTLS_R_CRL_MISSING);
}

static void
partitioned_crl_covers_its_partition(void **state)
{
	gnutls_x509_crt_t carol = client("CN=carol",
	    "http://crl.example/part-a.crl");
	struct forge fg;
	struct crl_store *store;

	(void)state;
	forge_begin(&fg, pki.intermediate, pki.int_key);
	forge_standard(&fg);
	add_idp_uri(&fg, "http://crl.example/part-a.crl");
	forge_entry_crt(&fg, carol, NULL);
	assert_int_equal(load(&store, &known_both, forge_write(&fg, "a.der"),
	    NULL), 0);
	assert_int_equal(check_path(store, carol, MTLS_CRL_REQUIRE_LEAF, 0, 0),
	    MTLS_R_REVOKED);
	/* alice names no partition, so this CRL does not speak for her */
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF),
	    MTLS_R_CRL_MISSING);
	crl_store_free(store);

	forge_begin(&fg, pki.intermediate, pki.int_key);
	forge_standard(&fg);
	add_idp_uri(&fg, "http://crl.example/part-b.crl");
	assert_int_equal(load(&store, &known_both, forge_write(&fg, "b.der"),
	    NULL), 0);
	assert_int_equal(check_path(store, carol, MTLS_CRL_REQUIRE_LEAF, 0, 0),
	    MTLS_R_CRL_MISSING);
	assert_contains(finding.text, "'CN=carol'");
	crl_store_free(store);
	tpki_free(carol);
}

/* crt checked against the intermediate's CRL listing one serial number. */
static enum mtls_reason
check_listing(const unsigned char *serial, size_t len, gnutls_x509_crt_t crt)
{
	struct forge fg;
	struct crl_store *store;
	enum mtls_reason reason;

	forge_begin(&fg, pki.intermediate, pki.int_key);
	forge_standard(&fg);
	forge_entry(&fg, serial, len, NULL);
	assert_int_equal(load(&store, &known_both, forge_write(&fg, "one.der"),
	    NULL), 0);
	reason = check_path(store, crt, MTLS_CRL_REQUIRE_LEAF, 0, 0);
	crl_store_free(store);
	return reason;
}

static void
serials_compare_as_integers(void **state)
{
	/* 0x00ff01 is 65281; the (forbidden) negative 0xff01 is -255 */
	static const unsigned char positive[] = { 0x00, 0xff, 0x01 };
	static const unsigned char negative[] = { 0xff, 0x01 };
	/* a careless encoder's extra zero octet: still 65281 */
	static const unsigned char padded[] = { 0x00, 0x00, 0xff, 0x01 };
	gnutls_x509_crt_t dave = tpki_new("CN=dave", pki.leaf_key, 0);

	(void)state;
	tpki_make_client(dave);
	assert_int_equal(gnutls_x509_crt_set_serial(dave, positive,
	    sizeof(positive)), 0);
	tpki_sign(dave, pki.intermediate, pki.int_key, GNUTLS_DIG_SHA256);

	assert_int_equal(check_listing(negative, sizeof(negative), dave),
	    MTLS_R_OK);
	assert_int_equal(check_listing(positive, sizeof(positive), dave),
	    MTLS_R_REVOKED);
	assert_int_equal(check_listing(padded, sizeof(padded), dave),
	    MTLS_R_REVOKED);
	tpki_free(dave);
}

/* ---- scale ---- */

/*
 * The processor time this process spent since start: unlike the time on
 * the wall, it does not grow with the other processes a busy machine
 * runs meanwhile.
 */
static double
seconds_since(const struct timespec *start)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)(t.tv_sec - start->tv_sec) +
	    (double)(t.tv_nsec - start->tv_nsec) / 1e9;
}

static void
ten_thousand_entries(void **state)
{
	enum { ENTRIES = 10000, LOOKUPS = 1000 };
	gnutls_x509_crt_t bob = client("CN=bob", NULL);
	struct forge fg;
	struct crl_store *store;
	struct timespec start;
	double load_time, lookup_time;

	(void)state;
	forge_begin(&fg, pki.intermediate, pki.int_key);
	forge_standard(&fg);
	for (unsigned i = 0; i < ENTRIES; i++) {
		unsigned char serial[16];

		/* not the middle, where any bsearch looks first */
		if (i == ENTRIES / 3) {
			forge_entry_crt(&fg, pki.leaf, NULL);
			continue;
		}
		assert_int_equal(gnutls_rnd(GNUTLS_RND_NONCE, serial,
		    sizeof(serial)), 0);
		serial[0] = (serial[0] & 0x7f) | 0x01;
		forge_entry(&fg, serial, sizeof(serial), NULL);
	}
	forge_write(&fg, "big.der");

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
	assert_int_equal(load(&store, &known_both, tpki_path("big.der"), NULL),
	    0);
	load_time = seconds_since(&start);

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
	for (unsigned i = 0; i < LOOKUPS; i++) {
		assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF),
		    MTLS_R_REVOKED);
		assert_int_equal(check_path(store, bob, MTLS_CRL_REQUIRE_LEAF,
		    0, 0), MTLS_R_OK);
	}
	lookup_time = seconds_since(&start);
	print_message("10,000-entry CRL, processor time: load %.3f s, "
	    "%d checks %.3f s\n",
	    load_time, 2 * LOOKUPS, lookup_time);
	/* generous for sanitizers, yet far below what parsing or
	 * scanning the CRL at each check would cost */
	assert_true(load_time < 10.0);
	assert_true(lookup_time < 2.0);
	crl_store_free(store);
	tpki_free(bob);
}

static int
setup(void **state)
{
	now = time(NULL);
	pki_setup(state);
	known_crts[0] = pki.root;
	known_crts[1] = pki.intermediate;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unrevoked_chain_accepted),
		cmocka_unit_test(leaf_revoked_by_intermediate_crl),
		cmocka_unit_test(intermediate_revoked_by_root_crl),
		cmocka_unit_test(stale_crl_rejected_unless_within_grace),
		cmocka_unit_test(revoked_issuer_wins_over_unusable_crl_below),
		cmocka_unit_test(future_crl_rejected_beyond_clock_skew),
		cmocka_unit_test(latest_crl_of_an_issuer_is_used),
		cmocka_unit_test(coverage_required_by_crl_require),
		cmocka_unit_test(crl_with_wrong_key_refused),
		cmocka_unit_test(crl_of_unknown_issuer_verified_in_path),
		cmocka_unit_test(crl_follows_the_issuer_key),
		cmocka_unit_test(unverified_crl_checked_once_per_issuer),
		cmocka_unit_test(issuer_without_crl_sign_refused),
		cmocka_unit_test(unreadable_files_refused),
		cmocka_unit_test(truncated_or_extended_crls_refused),
		cmocka_unit_test(forged_crl_accepted),
		cmocka_unit_test(crl_rules_enforced_at_load),
		cmocka_unit_test(serial_listed_twice_stays_revoked),
		cmocka_unit_test(crl_times_with_fractions_refused),
		cmocka_unit_test(crl_for_user_certs_covers_only_them),
		cmocka_unit_test(partitioned_crl_covers_its_partition),
		cmocka_unit_test(serials_compare_as_integers),
		cmocka_unit_test(ten_thousand_entries),
		cmocka_unit_test(sha1_crl_refused_unless_allowed),
	};

	return cmocka_run_group_tests(tests, setup, pki_teardown);
}
