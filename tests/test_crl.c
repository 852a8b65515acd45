/*
 * Revocation from local CRL files: crl_store_load() and crl_check() on a
 * three-level test PKI (root, intermediate, alice).
 *
 * Most CRLs come from GnuTLS (tpki_crl).  GnuTLS's CRL writer cannot add
 * arbitrary CRL extensions or any entry extension, and it is quadratic in
 * the number of entries, so the CRLs that need those (delta, indirect,
 * partitioned, unknown critical extensions, 10,000 entries) are encoded
 * by the "forge" below and signed with gnutls_privkey_sign_data().
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
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "certname.h"
#include "certset.h"
#include "crl.h"
#include "strlist.h"
#include "testpki.h"

#define DAY 86400

static struct tpki_std pki;
static time_t now;

/* ---- the forge: CRLs encoded by hand ---- */

static const unsigned char oid_ecdsa_sha256[] = {
	0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02
};
static const unsigned char oid_aki[] = { 0x55, 0x1d, 0x23 };
static const unsigned char oid_crl_number[] = { 0x55, 0x1d, 0x14 };
static const unsigned char oid_delta[] = { 0x55, 0x1d, 0x1b };
static const unsigned char oid_idp[] = { 0x55, 0x1d, 0x1c };
static const unsigned char oid_reason[] = { 0x55, 0x1d, 0x15 };
static const unsigned char oid_cert_issuer[] = { 0x55, 0x1d, 0x1d };
/* 1.3.6.1.4.1.99999.1, which nobody implements */
static const unsigned char oid_unknown[] = {
	0x2b, 0x06, 0x01, 0x04, 0x01, 0x86, 0x8d, 0x1f, 0x01
};

struct der {
	unsigned char *p;
	size_t len;
	size_t room;
};

static void
der_append(struct der *d, const void *p, size_t len)
{
	if (d->len + len > d->room) {
		/* doubling: the big CRL is built by ten thousand appends */
		d->room = d->len + len > 2 * d->room ? d->len + len :
		    2 * d->room;
		d->p = realloc(d->p, d->room);
		assert_non_null(d->p);
	}
	memcpy(d->p + d->len, p, len);
	d->len += len;
}

static void
der_tlv(struct der *d, unsigned char tag, const void *p, size_t len)
{
	unsigned char hdr[6] = { tag };
	size_t h = 2;

	if (len < 0x80)
		hdr[1] = (unsigned char)len;
	else if (len < 0x10000) {
		hdr[1] = 0x82;
		hdr[2] = (unsigned char)(len >> 8);
		hdr[3] = (unsigned char)len;
		h = 4;
	} else {
		hdr[1] = 0x83;
		hdr[2] = (unsigned char)(len >> 16);
		hdr[3] = (unsigned char)(len >> 8);
		hdr[4] = (unsigned char)len;
		h = 5;
	}
	der_append(d, hdr, h);
	der_append(d, p, len);
}

/* Append inner to d as one element with tag, and free inner. */
static void
der_wrap(struct der *d, unsigned char tag, struct der *inner)
{
	der_tlv(d, tag, inner->p, inner->len);
	free(inner->p);
	memset(inner, 0, sizeof(*inner));
}

static void
der_utctime(struct der *d, time_t t)
{
	struct tm tm;
	char s[64];

	/* UTCTime: two-digit years, 1950 to 2049 */
	gmtime_r(&t, &tm);
	snprintf(s, sizeof(s), "%02d%02d%02d%02d%02d%02dZ", tm.tm_year % 100,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	der_tlv(d, 0x17, s, strlen(s));
}

/* Append Extension ::= SEQUENCE { extnID, critical, extnValue }. */
static void
der_extension(struct der *exts, const unsigned char *oid, size_t oidlen,
    bool critical, const void *value, size_t len)
{
	struct der ext = { NULL, 0, 0 };

	der_tlv(&ext, 0x06, oid, oidlen);
	if (critical)
		der_tlv(&ext, 0x01, "\xff", 1);
	der_tlv(&ext, 0x04, value, len);
	der_wrap(exts, 0x30, &ext);
}

struct forge {
	gnutls_x509_crt_t issuer;
	gnutls_x509_privkey_t key;
	time_t this_update;
	time_t next_update;	/* 0: omitted */
	struct der entries;	/* revokedCertificates, contents */
	struct der extensions;	/* crlExtensions, contents */
};

/* A CRL by issuer, valid from now for a day, with no extensions yet. */
static void
forge_begin(struct forge *fg, gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t key)
{
	memset(fg, 0, sizeof(*fg));
	fg->issuer = issuer;
	fg->key = key;
	fg->this_update = now - 60;
	fg->next_update = now + DAY;
}

static void
forge_aki(struct forge *fg)
{
	unsigned char id[64];
	size_t len = sizeof(id);
	struct der keyid = { NULL, 0, 0 }, value = { NULL, 0, 0 };

	assert_int_equal(gnutls_x509_crt_get_subject_key_id(fg->issuer, id,
	    &len, NULL), 0);
	der_tlv(&keyid, 0x80, id, len);
	der_wrap(&value, 0x30, &keyid);
	der_extension(&fg->extensions, oid_aki, sizeof(oid_aki), false,
	    value.p, value.len);
	free(value.p);
}

static void
forge_number(struct forge *fg, bool critical, const void *number,
    size_t len)
{
	struct der value = { NULL, 0, 0 };

	der_tlv(&value, 0x02, number, len);
	der_extension(&fg->extensions, oid_crl_number, sizeof(oid_crl_number),
	    critical, value.p, value.len);
	free(value.p);
}

/* What every conforming CRL carries: AKI and CRL number. */
static void
forge_standard(struct forge *fg)
{
	forge_aki(fg);
	forge_number(fg, false, "\x01", 1);
}

/* One revoked certificate; exts (contents of its Extensions) may be NULL. */
static void
forge_entry(struct forge *fg, const unsigned char *serial, size_t len,
    struct der *exts)
{
	struct der entry = { NULL, 0, 0 };

	der_tlv(&entry, 0x02, serial, len);
	der_utctime(&entry, fg->this_update - 60);
	if (exts != NULL)
		der_wrap(&entry, 0x30, exts);
	der_wrap(&fg->entries, 0x30, &entry);
}

static void
forge_entry_crt(struct forge *fg, gnutls_x509_crt_t crt, struct der *exts)
{
	unsigned char serial[64];
	size_t len = sizeof(serial);

	assert_int_equal(gnutls_x509_crt_get_serial(crt, serial, &len), 0);
	forge_entry(fg, serial, len, exts);
}

/* Sign, write as DER to tpki_path(name), and return that path. */
static const char *
forge_write(struct forge *fg, const char *name)
{
	struct der oid = { NULL, 0, 0 }, alg = { NULL, 0, 0 };
	struct der tbs = { NULL, 0, 0 }, body = { NULL, 0, 0 };
	struct der sigbits = { NULL, 0, 0 }, crl = { NULL, 0, 0 };
	gnutls_datum_t dn, signed_part, sig;
	gnutls_privkey_t signer;
	const char *path = tpki_path(name);

	der_tlv(&oid, 0x06, oid_ecdsa_sha256, sizeof(oid_ecdsa_sha256));
	der_wrap(&alg, 0x30, &oid);

	der_tlv(&tbs, 0x02, "\x01", 1);			/* v2 */
	der_append(&tbs, alg.p, alg.len);
	assert_int_equal(gnutls_x509_crt_get_raw_dn(fg->issuer, &dn), 0);
	der_append(&tbs, dn.data, dn.size);
	gnutls_free(dn.data);
	der_utctime(&tbs, fg->this_update);
	if (fg->next_update != 0)
		der_utctime(&tbs, fg->next_update);
	if (fg->entries.len > 0)
		der_wrap(&tbs, 0x30, &fg->entries);
	if (fg->extensions.len > 0) {
		struct der seq = { NULL, 0, 0 };

		der_wrap(&seq, 0x30, &fg->extensions);
		der_wrap(&tbs, 0xa0, &seq);
	}
	der_wrap(&body, 0x30, &tbs);

	assert_int_equal(gnutls_privkey_init(&signer), 0);
	assert_int_equal(gnutls_privkey_import_x509(signer, fg->key, 0), 0);
	signed_part.data = body.p;
	signed_part.size = (unsigned)body.len;
	assert_int_equal(gnutls_privkey_sign_data(signer, GNUTLS_DIG_SHA256, 0,
	    &signed_part, &sig), 0);
	gnutls_privkey_deinit(signer);
	der_append(&sigbits, "", 1);			/* no unused bits */
	der_append(&sigbits, sig.data, sig.size);
	gnutls_free(sig.data);
	der_append(&body, alg.p, alg.len);
	der_wrap(&body, 0x03, &sigbits);
	der_wrap(&crl, 0x30, &body);

	tpki_write_data(path, crl.p, crl.len);
	free(crl.p);
	free(alg.p);
	return path;
}

/* ---- loading and checking ---- */

static gnutls_x509_crt_t known_crts[2];
static struct certset known_both = { known_crts, 2 };	/* root, int */
static struct certset known_root = { known_crts, 1 };
static struct certset known_none = { NULL, 0 };

static char load_error[1024];
static struct finding finding;

#define assert_mentions(text, part) do {				\
	if (strstr((text), (part)) == NULL)				\
		fail_msg("\"%s\" does not mention \"%s\"", (text), (part)); \
} while (0)

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
	assert_mentions(load_error, path);
	assert_mentions(load_error, why);
}

/* crl_check() of leaf -> intermediate -> root: the reason, OK if accepted. */
static enum mtls_reason
check_path(const struct crl_store *store, gnutls_x509_crt_t leaf,
    enum mtls_crl_require require, unsigned stale_grace, unsigned clock_skew)
{
	gnutls_x509_crt_t chain[3] = { leaf, pki.intermediate, pki.root };

	memset(&finding, 0, sizeof(finding));
	if (crl_check(store, chain, 3, require, stale_grace, clock_skew, now,
	    &finding) == 0)
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

/*
 * crt as libmtls meets certificates: parsed from DER.  (GnuTLS matches a
 * CRL to its issuer by the name bytes it saw at import, which a
 * certificate made in memory lacks.)  The original is freed.
 */
static gnutls_x509_crt_t
parsed(gnutls_x509_crt_t crt)
{
	gnutls_x509_crt_t copy;
	gnutls_datum_t der;
	size_t len;

	der.data = tpki_der(crt, &len);
	der.size = (unsigned)len;
	assert_int_equal(gnutls_x509_crt_init(&copy), 0);
	assert_int_equal(gnutls_x509_crt_import(copy, &der,
	    GNUTLS_X509_FMT_DER), 0);
	free(der.data);
	tpki_free(crt);
	return copy;
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
	return parsed(crt);
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
	assert_mentions(finding.text, "client certificate 'CN=alice'");
	assert_mentions(finding.text, serial);
	assert_mentions(finding.text, "CN=Test Intermediate");
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
	assert_mentions(finding.text, "CA certificate 'CN=Test Intermediate'");
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_CHAIN), MTLS_R_REVOKED);
	assert_mentions(finding.text, "CA certificate 'CN=Test Intermediate'");
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
	assert_mentions(finding.text, "CN=Test Intermediate");
	assert_mentions(finding.text, "revocation.stale_grace");
	assert_int_equal(check_path(store, pki.leaf, MTLS_CRL_REQUIRE_LEAF, DAY,
	    0), MTLS_R_CRL_STALE);
	assert_int_equal(check_path(store, pki.leaf, MTLS_CRL_REQUIRE_LEAF,
	    3 * DAY, 0), MTLS_R_OK);
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
	assert_mentions(finding.text, "not valid before");
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
	assert_mentions(finding.text, "no CRL from 'CN=Test Intermediate' "
	    "covers client certificate 'CN=alice'");
	assert_mentions(finding.text, "revocation.crl_files");
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_NONE), MTLS_R_OK);
	crl_store_free(store);

	assert_int_equal(load(&store, &known_both, int_crl("int.pem", NULL, 0),
	    NULL), 0);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF), MTLS_R_OK);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_CHAIN),
	    MTLS_R_CRL_MISSING);
	assert_mentions(finding.text, "no CRL from 'CN=Test Root' covers "
	    "CA certificate 'CN=Test Intermediate'");
	crl_store_free(store);

	assert_int_equal(check_file(root_crl("root.pem", NULL, 0), &known_both,
	    MTLS_CRL_REQUIRE_LEAF), MTLS_R_CRL_MISSING);
	assert_mentions(finding.text, "'CN=alice'");
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
	assert_mentions(load_error, "CN=Test Intermediate");
	/* its issuer is not known: refused when a path reaches it */
	assert_int_equal(load(&store, &known_root, path, NULL), 0);
	assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF),
	    MTLS_R_CRL_INVALID);
	assert_mentions(finding.text, "the CRL from 'CN=Test Intermediate'");
	assert_mentions(finding.text, "does not match the key");
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
	return parsed(crt);
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
	assert_int_equal(crl_check(store, chain, 3, MTLS_CRL_REQUIRE_LEAF, 0, 0,
	    now, &finding), -1);
	assert_int_equal(finding.reason, MTLS_R_REVOKED);
	chain[1] = rekeyed;
	assert_int_equal(crl_check(store, chain, 3, MTLS_CRL_REQUIRE_LEAF, 0, 0,
	    now, &finding), -1);
	assert_int_equal(finding.reason, MTLS_R_CRL_MISSING);
	assert_int_equal(crl_check(store, chain, 3, MTLS_CRL_REQUIRE_NONE, 0, 0,
	    now, &finding), 0);
	crl_store_free(store);
	/* unverified at load, its key identifier tells it is not for the
	 * new key, rather than a signature failure */
	assert_int_equal(load(&store, &known_none,
	    int_crl("int.pem", &pki.leaf, 1), NULL), 0);
	assert_int_equal(crl_check(store, chain, 3, MTLS_CRL_REQUIRE_LEAF, 0, 0,
	    now, &finding), -1);
	assert_int_equal(finding.reason, MTLS_R_CRL_MISSING);
	crl_store_free(store);
	tpki_free(twin);
	tpki_free(rekeyed);
	gnutls_x509_privkey_deinit(new_key);
}

static void
issuer_without_crl_sign_refused(void **state)
{
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t ca = tpki_new("CN=Test Intermediate", key, 0);
	gnutls_x509_crt_t chain[3] = { pki.leaf, NULL, pki.root };
	struct certset known = { &ca, 1 };
	struct crl_store *store;
	const char *path;

	(void)state;
	assert_int_equal(gnutls_x509_crt_set_basic_constraints(ca, 1, 0), 0);
	assert_int_equal(gnutls_x509_crt_set_key_usage(ca,
	    GNUTLS_KEY_KEY_CERT_SIGN), 0);
	tpki_sign(ca, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	chain[1] = ca = parsed(ca);
	path = write_crl("nosign.pem", ca, key, NULL, 0, now - 60, now + DAY);
	assert_load_fails(path, &known, "cRLSign");
	assert_int_equal(load(&store, &known_none, path, NULL), 0);
	memset(&finding, 0, sizeof(finding));
	assert_int_equal(crl_check(store, chain, 3, MTLS_CRL_REQUIRE_LEAF, 0, 0,
	    now, &finding), -1);
	assert_int_equal(finding.reason, MTLS_R_CRL_INVALID);
	assert_mentions(finding.text, "cRLSign");
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
	der_extension(&fg->extensions, oid_unknown, sizeof(oid_unknown),
	    critical, "\x05\x00", 2);
}

/* An entry extension list holding one extension. */
static struct der
entry_extension(const unsigned char *oid, size_t oidlen, bool critical,
    const void *value, size_t len)
{
	struct der exts = { NULL, 0, 0 };

	der_extension(&exts, oid, oidlen, critical, value, len);
	return exts;
}

static void
add_idp(struct forge *fg, const void *contents, size_t len)
{
	struct der value = { NULL, 0, 0 };

	der_tlv(&value, 0x30, contents, len);
	der_extension(&fg->extensions, oid_idp, sizeof(oid_idp), true,
	    value.p, value.len);
	free(value.p);
}

/* A partition named by URI: distributionPoint [0] { fullName [0] { uri } } */
static void
add_idp_uri(struct forge *fg, const char *uri)
{
	struct der names = { NULL, 0, 0 }, point = { NULL, 0, 0 };
	struct der idp = { NULL, 0, 0 };

	der_tlv(&names, 0x86, uri, strlen(uri));
	der_wrap(&point, 0xa0, &names);
	der_wrap(&idp, 0xa0, &point);
	add_idp(fg, idp.p, idp.len);
	free(idp.p);
}

static void
forged_crl_accepted(void **state)
{
	gnutls_x509_crt_t bob = client("CN=bob", NULL);
	struct forge fg;
	struct der reason;
	struct crl_store *store;

	(void)state;
	/* what GnuTLS cannot write but RFC 5280 allows: a non-critical
	 * unknown extension, entries with reason codes */
	forge_begin(&fg, pki.intermediate, pki.int_key);
	forge_standard(&fg);
	add_unknown_extension(&fg, false);
	reason = entry_extension(oid_reason, sizeof(oid_reason), false,
	    "\x0a\x01\x01", 3);
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
	fg->next_update = 0;
}

static void
forge_delta(struct forge *fg)
{
	forge_standard(fg);
	der_extension(&fg->extensions, oid_delta, sizeof(oid_delta), true,
	    "\x02\x01\x01", 3);
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
	add_idp(fg, "\x84\x01\xff", 3);
}

static void
forge_idp_some_reasons(struct forge *fg)
{
	forge_standard(fg);
	add_idp(fg, "\x83\x02\x07\x80", 4);
}

static void
forge_idp_attribute_certs(struct forge *fg)
{
	forge_standard(fg);
	add_idp(fg, "\x85\x01\xff", 3);
}

static void
forge_idp_user_and_ca(struct forge *fg)
{
	forge_standard(fg);
	add_idp(fg, "\x81\x01\xff\x82\x01\xff", 6);
}

static void
forge_idp_malformed(struct forge *fg)
{
	forge_standard(fg);
	add_idp(fg, "\x86\x01\xff", 3);		/* there is no [6] */
}

static void
forge_idp_relative_name(struct forge *fg)
{
	/* nameRelativeToCRLIssuer [1] { cn=part1 } */
	static const unsigned char idp[] = {
		0xa0, 0x10, 0xa1, 0x0e, 0x30, 0x0c, 0x06, 0x03, 0x55, 0x04,
		0x03, 0x0c, 0x05, 'p', 'a', 'r', 't', '1'
	};

	forge_standard(fg);
	add_idp(fg, idp, sizeof(idp));
}

static void
forge_entry_of_other_issuer(struct forge *fg)
{
	/* certificateIssuer: GeneralNames { directoryName [4] { the root } } */
	gnutls_datum_t dn;
	struct der name = { NULL, 0, 0 }, names = { NULL, 0, 0 }, exts;

	forge_standard(fg);
	assert_int_equal(gnutls_x509_crt_get_raw_dn(pki.root, &dn), 0);
	der_tlv(&name, 0xa4, dn.data, dn.size);
	gnutls_free(dn.data);
	der_wrap(&names, 0x30, &name);
	exts = entry_extension(oid_cert_issuer, sizeof(oid_cert_issuer), true,
	    names.p, names.len);
	free(names.p);
	forge_entry_crt(fg, pki.leaf, &exts);
}

static void
forge_entry_unknown_critical(struct forge *fg)
{
	struct der exts = entry_extension(oid_unknown, sizeof(oid_unknown),
	    true, "\x05\x00", 2);

	forge_standard(fg);
	forge_entry_crt(fg, pki.leaf, &exts);
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
		{ forge_delta, "delta CRLs are not supported" },
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
		assert_mentions(load_error, "CN=Test Intermediate");
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
	add_idp(&fg, "\x81\x01\xff", 3);	/* onlyContainsUserCerts */
	forge_entry_crt(&fg, pki.leaf, NULL);
	assert_int_equal(check_file(forge_write(&fg, "u.der"), &known_both,
	    MTLS_CRL_REQUIRE_LEAF), MTLS_R_REVOKED);

	forge_begin(&fg, pki.intermediate, pki.int_key);
	forge_standard(&fg);
	add_idp(&fg, "\x82\x01\xff", 3);	/* onlyContainsCACerts */
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
	assert_mentions(finding.text, "'CN=carol'");
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
	dave = parsed(dave);

	assert_int_equal(check_listing(negative, sizeof(negative), dave),
	    MTLS_R_OK);
	assert_int_equal(check_listing(positive, sizeof(positive), dave),
	    MTLS_R_REVOKED);
	assert_int_equal(check_listing(padded, sizeof(padded), dave),
	    MTLS_R_REVOKED);
	tpki_free(dave);
}

/* ---- scale ---- */

static double
seconds_since(const struct timespec *start)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
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

	clock_gettime(CLOCK_MONOTONIC, &start);
	assert_int_equal(load(&store, &known_both, tpki_path("big.der"), NULL),
	    0);
	load_time = seconds_since(&start);

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (unsigned i = 0; i < LOOKUPS; i++) {
		assert_int_equal(check(store, MTLS_CRL_REQUIRE_LEAF),
		    MTLS_R_REVOKED);
		assert_int_equal(check_path(store, bob, MTLS_CRL_REQUIRE_LEAF,
		    0, 0), MTLS_R_OK);
	}
	lookup_time = seconds_since(&start);
	print_message("10,000-entry CRL: load %.3f s, %d checks %.3f s\n",
	    load_time, 2 * LOOKUPS, lookup_time);
	/* generous for sanitizers on a busy machine, yet far below what
	 * parsing or scanning the CRL at each check would cost */
	assert_true(load_time < 10.0);
	assert_true(lookup_time < 2.0);
	crl_store_free(store);
	tpki_free(bob);
}

static int
setup(void **state)
{
	(void)state;
	now = time(NULL);
	tpki_std_make(&pki);
	pki.root = parsed(pki.root);
	pki.intermediate = parsed(pki.intermediate);
	pki.leaf = parsed(pki.leaf);
	known_crts[0] = pki.root;
	known_crts[1] = pki.intermediate;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tpki_std_free(&pki);
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
		cmocka_unit_test(future_crl_rejected_beyond_clock_skew),
		cmocka_unit_test(latest_crl_of_an_issuer_is_used),
		cmocka_unit_test(coverage_required_by_crl_require),
		cmocka_unit_test(crl_with_wrong_key_refused),
		cmocka_unit_test(crl_of_unknown_issuer_verified_in_path),
		cmocka_unit_test(crl_follows_the_issuer_key),
		cmocka_unit_test(issuer_without_crl_sign_refused),
		cmocka_unit_test(unreadable_files_refused),
		cmocka_unit_test(truncated_or_extended_crls_refused),
		cmocka_unit_test(forged_crl_accepted),
		cmocka_unit_test(crl_rules_enforced_at_load),
		cmocka_unit_test(crl_for_user_certs_covers_only_them),
		cmocka_unit_test(partitioned_crl_covers_its_partition),
		cmocka_unit_test(serials_compare_as_integers),
		cmocka_unit_test(ten_thousand_entries),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
