/*
 * The RFC 5280 rules GnuTLS does not enforce: each with a certificate that
 * passes and one that is refused for the right reason, naming the right
 * certificate.  Certificates go through DER and back, as the verifier
 * sees them.  Extension values come from GnuTLS's exporters
 * (gnutls_x509_ext_export_*).  Names, in subjectAltNames and name
 * constraints, are encoded as given with libtasn1 (testder.h): GnuTLS's
 * setters lower-case DNS names and mail domains, stop at a NUL, and
 * cannot write directoryNames, otherNames or registeredIDs everywhere.
 * What GnuTLS will not set in a certificate (a zero serial number, an
 * extension twice) is rewritten with libtasn1 too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>
#include <gnutls/x509.h>

#include "pkixasn.h"
#include "rfc5280.h"
#include "testder.h"
#include "testpki.h"

static gnutls_x509_privkey_t key;

/* Set the extension oid of crt to der, which is freed. */
static void
set_extension(gnutls_x509_crt_t crt, const char *oid, gnutls_datum_t der,
    unsigned critical)
{
	assert_int_equal(gnutls_x509_crt_set_extension_by_oid(crt, oid,
	    der.data, der.size, critical), 0);
	gnutls_free(der.data);
}

/* A name, as tder_put_general_name() takes it. */
struct name {
	unsigned type;
	const char *value;
	size_t len;		/* 0: strlen(value) */
};

/* A subjectAltName of the n names, written as given. */
static void
set_alt_names(gnutls_x509_crt_t crt, const struct name *names, size_t n)
{
	asn1_node value = tder_new("GeneralNames");

	for (size_t i = 0; i < n; i++)
		tder_add_general_name(value, "", names[i].type,
		    names[i].value, names[i].len);
	set_extension(crt, GNUTLS_X509EXT_OID_SAN, tder_encoded(value), 0);
}

/* *crt from der, imported with GnuTLS's flags: GnuTLS's result. */
static int
import(gnutls_x509_crt_t *crt, const gnutls_datum_t *der, unsigned flags)
{
	assert_int_equal(gnutls_x509_crt_init(crt), 0);
	gnutls_x509_crt_set_flags(*crt, flags);
	return gnutls_x509_crt_import(*crt, der, GNUTLS_X509_FMT_DER);
}

/* Through DER and back, as the verifier gets certificates; frees crt. */
static gnutls_x509_crt_t
reimport(gnutls_x509_crt_t crt)
{
	gnutls_x509_crt_t out;
	gnutls_datum_t der;

	assert_int_equal(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER,
	    &der), 0);
	assert_int_equal(import(&out, &der, 0), 0);
	gnutls_free(der.data);
	tpki_free(crt);
	return out;
}

/* A self-signed certificate for the per-certificate rules. */
static gnutls_x509_crt_t
self_signed(gnutls_x509_crt_t crt)
{
	tpki_sign(crt, NULL, key, GNUTLS_DIG_SHA256);
	return reimport(crt);
}

static gnutls_x509_crt_t
ca_cert(const char *dn, gnutls_x509_crt_t issuer, int pathlen)
{
	gnutls_x509_crt_t crt = tpki_new(dn, key, 0);

	tpki_make_ca(crt, pathlen);
	tpki_sign(crt, issuer, key, GNUTLS_DIG_SHA256);
	return reimport(crt);
}

static gnutls_x509_crt_t
leaf_cert(const char *dn, gnutls_x509_crt_t issuer)
{
	gnutls_x509_crt_t crt = tpki_new(dn, key, 0);

	tpki_make_client(crt);
	tpki_sign(crt, issuer, key, GNUTLS_DIG_SHA256);
	return reimport(crt);
}

static void
assert_rejects(int ret, const struct finding *f, enum mtls_reason reason,
    const char *mentions)
{
	assert_int_equal(ret, -1);
	assert_int_equal(f->reason, reason);
	if (mentions != NULL && strstr(f->text, mentions) == NULL)
		fail_msg("explanation lacks \"%s\": %s", mentions, f->text);
}

/* text, a remark or note, says part; NULL: there is none. */
static void
assert_says(const char *text, const char *part)
{
	if (part == NULL)
		assert_null(text);
	else if (text == NULL || strstr(text, part) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", text != NULL ?
		    text : "(none)", part);
}

/* The one remark rfc5280_ca_remarks() has of ca, or NULL: none. */
static const char *
sole_remark(gnutls_x509_crt_t ca, bool anchor)
{
	struct notes remarks = { .count = 0 };

	rfc5280_ca_remarks(ca, anchor, &remarks);
	assert_in_range(remarks.count, 0, 1);
	return remarks.count == 1 ? remarks.text[0] : NULL;
}

/* The one note rfc5280_path_notes() has of path, or NULL: none. */
static const char *
sole_note(gnutls_x509_crt_t *path, size_t n)
{
	struct notes notes = { .count = 0 };

	rfc5280_path_notes(path, n, &notes);
	assert_in_range(notes.count, 0, 1);
	return notes.count == 1 ? notes.text[0] : NULL;
}

/* ---- rfc5280_check_ca ---- */

/*
 * The checks given the authority key identifier as the path search read
 * it (rfc5280_check_leaf_aki(), rfc5280_check_ca_aki()) judge crt as the
 * checks that read it themselves: the same reason, the same words.
 */
static void
assert_same_given_aki(gnutls_x509_crt_t crt, bool leaf)
{
	unsigned char id[KEY_ID_MAX];
	size_t len = sizeof(id);
	unsigned critical;
	int aki = gnutls_x509_crt_get_authority_key_id(crt, id, &len,
	    &critical);
	struct finding read = { .reason = MTLS_R_OK }, given = read;
	int a = leaf ? rfc5280_check_leaf(crt, &read) :
	    rfc5280_check_ca(crt, false, &read);
	int b = leaf ? rfc5280_check_leaf_aki(crt, aki, &given) :
	    rfc5280_check_ca_aki(crt, aki, &given);

	assert_int_equal(a, b);
	assert_int_equal(read.reason, given.reason);
	if (a != 0)
		assert_string_equal(read.text, given.text);
}

static void
ca_accepts_standard_cas(void **state)
{
	struct tpki_std pki;
	struct finding f;

	(void)state;
	tpki_std_make(&pki);
	assert_int_equal(rfc5280_check_ca(pki.root, true, &f), 0);
	assert_int_equal(rfc5280_check_ca(pki.intermediate, false, &f), 0);
	assert_same_given_aki(pki.intermediate, false);
	assert_same_given_aki(pki.leaf, true);
	tpki_std_free(&pki);
}

/* openssl req -x509 -new: critical basicConstraints CA:TRUE, key
 * identifiers, no keyUsage. */
static void
ca_accepts_no_key_usage(void **state)
{
	gnutls_x509_crt_t ca = tpki_new("CN=Guide CA", key, 0);
	struct finding f;

	(void)state;
	assert_int_equal(gnutls_x509_crt_set_basic_constraints(ca, 1, -1), 0);
	ca = self_signed(ca);
	assert_int_equal(rfc5280_check_ca(ca, true, &f), 0);
	assert_int_equal(rfc5280_check_ca(ca, false, &f), 0);
	tpki_free(ca);
}

/* A v1 intermediate is refused; a v1 root is trust anchor information,
 * a name and a key (RFC 5280 6.1.1 d). */
static void
ca_rejects_v1(void **state)
{
	gnutls_x509_crt_t ca = self_signed(tpki_new("CN=Old CA", key, TPKI_V1));
	struct finding f;

	(void)state;
	assert_rejects(rfc5280_check_ca(ca, false, &f), &f, MTLS_R_V1_CA,
	    "intermediate 'CN=Old CA'");
	assert_int_equal(rfc5280_check_ca(ca, true, &f), 0);
	tpki_free(ca);
}

static void
ca_rejects_missing_basic_constraints(void **state)
{
	gnutls_x509_crt_t ca = tpki_new("CN=No BC", key, 0);
	struct finding f;

	(void)state;
	assert_int_equal(gnutls_x509_crt_set_key_usage(ca,
	    GNUTLS_KEY_KEY_CERT_SIGN), 0);
	ca = self_signed(ca);
	assert_rejects(rfc5280_check_ca(ca, false, &f), &f,
	    MTLS_R_ISSUER_NOT_CA, "'CN=No BC'");
	tpki_free(ca);
}

static void
ca_rejects_ca_false(void **state)
{
	gnutls_x509_crt_t ca = tpki_new("CN=Not CA", key, 0);
	struct finding f;

	(void)state;
	assert_int_equal(gnutls_x509_crt_set_basic_constraints(ca, 0, -1), 0);
	ca = self_signed(ca);
	assert_rejects(rfc5280_check_ca(ca, true, &f), &f,
	    MTLS_R_ISSUER_NOT_CA, "CA:FALSE");
	tpki_free(ca);
}

static gnutls_datum_t
basic_constraints(unsigned ca, int pathlen)
{
	gnutls_datum_t der;

	assert_int_equal(gnutls_x509_ext_export_basic_constraints(ca, pathlen,
	    &der), 0);
	return der;
}

/*
 * easy-rsa's sub-CAs and "openssl x509 -req" intermediates: RFC 5280
 * 6.1.4 (k) asks only for a basicConstraints with CA set, which is read
 * and applied, critical or not.  Accepted, with a remark for config
 * check and a note for the verdict; an anchor's is no remark.
 */
static void
ca_accepts_non_critical_basic_constraints(void **state)
{
	gnutls_x509_crt_t ca = tpki_new("CN=Foo CA", key, 0);
	gnutls_x509_crt_t root = ca_cert("CN=Root", NULL, -1);
	gnutls_x509_crt_t leaf, sub, path[4];
	struct finding f;

	(void)state;
	/* gnutls_x509_crt_set_basic_constraints() marks it critical;
	 * pathLenConstraint 0 */
	set_extension(ca, GNUTLS_X509EXT_OID_BASIC_CONSTRAINTS,
	    basic_constraints(1, 0), 0);
	tpki_sign(ca, root, key, GNUTLS_DIG_SHA256);
	ca = reimport(ca);
	leaf = leaf_cert("CN=alice", ca);
	sub = ca_cert("CN=Sub CA", ca, -1);
	assert_int_equal(rfc5280_check_ca(ca, false, &f), 0);
	assert_non_null(strstr(sole_remark(ca, false),
	    "basicConstraints CA:TRUE not marked critical"));
	assert_int_equal(rfc5280_check_ca(ca, true, &f), 0);
	assert_null(sole_remark(ca, true));
	assert_null(sole_remark(root, false));
	path[0] = leaf;
	path[1] = ca;
	path[2] = root;
	assert_int_equal(rfc5280_check_path(path, 3, &f), 0);
	assert_non_null(strstr(sole_note(path, 3), "an intermediate "
	    "CA of the path has basicConstraints not marked critical"));
	/* as the anchor of the path, nothing to note */
	assert_null(sole_note(path, 2));
	/* its pathLenConstraint is applied all the same */
	tpki_free(leaf);
	leaf = leaf_cert("CN=alice", sub);
	path[0] = leaf;
	path[1] = sub;
	path[2] = ca;
	path[3] = root;
	assert_rejects(rfc5280_check_path(path, 4, &f), &f,
	    MTLS_R_PATH_LENGTH, "intermediate 'CN=Foo CA' allows 0 CA");
	/* and its CA:FALSE refuses it, critical or not */
	tpki_free(sub);
	tpki_free(ca);
	ca = tpki_new("CN=Foo CA", key, 0);
	set_extension(ca, GNUTLS_X509EXT_OID_BASIC_CONSTRAINTS,
	    basic_constraints(0, -1), 0);
	ca = self_signed(ca);
	assert_rejects(rfc5280_check_ca(ca, false, &f), &f,
	    MTLS_R_ISSUER_NOT_CA, "intermediate 'CN=Foo CA' has "
	    "basicConstraints CA:FALSE");
	tpki_free(leaf);
	tpki_free(ca);
	tpki_free(root);
}

static void
ca_rejects_key_usage_without_cert_sign(void **state)
{
	gnutls_x509_crt_t ca = tpki_new("CN=Signer", key, 0);
	struct finding f;

	(void)state;
	assert_int_equal(gnutls_x509_crt_set_basic_constraints(ca, 1, -1), 0);
	assert_int_equal(gnutls_x509_crt_set_key_usage(ca,
	    GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_CRL_SIGN), 0);
	ca = self_signed(ca);
	assert_rejects(rfc5280_check_ca(ca, false, &f), &f,
	    MTLS_R_ISSUER_KEY_USAGE, "intermediate 'CN=Signer'");
	assert_rejects(rfc5280_check_ca(ca, true, &f), &f,
	    MTLS_R_ISSUER_KEY_USAGE, "trust anchor 'CN=Signer'");
	tpki_free(ca);
}

static void
ca_rejects_missing_subject_key_id(void **state)
{
	/* tpki_new() adds a subject key identifier to v3 only */
	gnutls_x509_crt_t ca = tpki_new("CN=No SKI", key, TPKI_V1);
	struct finding f;

	(void)state;
	assert_int_equal(gnutls_x509_crt_set_version(ca, 3), 0);
	tpki_make_ca(ca, -1);
	ca = self_signed(ca);
	assert_rejects(rfc5280_check_ca(ca, false, &f), &f,
	    MTLS_R_KEY_IDENTIFIER, "intermediate 'CN=No SKI'");
	/* an anchor's is for no path: OpenSSL 1.x's "x509 -req -signkey"
	 * roots lack one */
	assert_int_equal(rfc5280_check_ca(ca, true, &f), 0);
	tpki_free(ca);
}

/* RFC 5280 4.2.1.1: an intermediate names the key that issued it, unless
 * it is self-signed. */
static void
ca_rejects_missing_authority_key_id(void **state)
{
	/* signed by a CA without a subject key identifier: no AKI */
	gnutls_x509_crt_t issuer = self_signed(tpki_new("CN=Keyless", key,
	    TPKI_V1));
	gnutls_x509_crt_t ca = ca_cert("CN=No AKI", issuer, -1);
	gnutls_x509_crt_t cross = ca_cert("CN=Cross Root", issuer, -1);
	struct finding f;

	(void)state;
	assert_rejects(rfc5280_check_ca(ca, false, &f), &f,
	    MTLS_R_KEY_IDENTIFIER, "intermediate 'CN=No AKI' has no authority "
	    "key identifier");
	/* a cross-signed root is not self-signed */
	assert_rejects(rfc5280_check_ca(cross, false, &f), &f,
	    MTLS_R_KEY_IDENTIFIER, "'CN=Cross Root'");
	/* as an anchor, its issuer is never looked for */
	assert_int_equal(rfc5280_check_ca(cross, true, &f), 0);
	tpki_free(cross);
	tpki_free(ca);
	tpki_free(issuer);
}

/* A self-signed CA names no issuer key; it passes. */
static void
ca_accepts_self_signed_without_authority_key_id(void **state)
{
	gnutls_x509_crt_t ca = tpki_new("CN=Own Root", key, 0);
	gnutls_x509_crt_t signer;
	struct finding f;

	(void)state;
	tpki_make_ca(ca, -1);
	/* a v1 copy of itself as issuer: the same name, no SKI to copy */
	signer = self_signed(tpki_new("CN=Own Root", key, TPKI_V1));
	tpki_sign(ca, signer, key, GNUTLS_DIG_SHA256);
	ca = reimport(ca);
	assert_int_equal(rfc5280_check_ca(ca, false, &f), 0);
	tpki_free(signer);
	tpki_free(ca);
}

/*
 * A v3 certificate whose subject was never set, so empty, with a subject
 * key identifier, to be made a CA or given names and signed.
 */
static gnutls_x509_crt_t
blank_cert(void)
{
	unsigned char id[64];
	size_t idlen = sizeof(id);
	gnutls_x509_crt_t blank;

	assert_int_equal(gnutls_x509_crt_init(&blank), 0);
	assert_int_equal(gnutls_x509_crt_set_version(blank, 3), 0);
	assert_int_equal(gnutls_x509_crt_set_serial(blank, "\x01", 1), 0);
	assert_int_equal(gnutls_x509_crt_set_key(blank, key), 0);
	tpki_set_validity(blank, time(NULL) - 60, time(NULL) + 3600);
	assert_int_equal(gnutls_x509_crt_get_key_id(blank, 0, id, &idlen), 0);
	assert_int_equal(gnutls_x509_crt_set_subject_key_id(blank, id, idlen),
	    0);
	return blank;
}

/* RFC 5280 4.1.2.6: a CA has a subject, an anchor too. */
static void
ca_rejects_empty_subject(void **state)
{
	gnutls_x509_crt_t ca = tpki_new("CN=x", key, 0);
	gnutls_x509_crt_t blank = blank_cert();
	struct finding f;

	(void)state;
	tpki_make_ca(ca, -1);
	ca = self_signed(ca);
	tpki_make_ca(blank, -1);
	tpki_sign(blank, ca, key, GNUTLS_DIG_SHA256);
	blank = reimport(blank);
	assert_rejects(rfc5280_check_ca(blank, false, &f), &f,
	    MTLS_R_BAD_NAME, "empty subject");
	assert_rejects(rfc5280_check_ca(blank, true, &f), &f,
	    MTLS_R_BAD_NAME, "trust anchor '(empty subject)' has an empty "
	    "subject name");
	tpki_free(blank);
	tpki_free(ca);
}

/* ---- rfc5280_check_cert: serial numbers ---- */

static gnutls_x509_crt_t
with_serial(const void *serial, size_t len, unsigned flags)
{
	gnutls_x509_crt_t crt = tpki_new("CN=serial", key, flags);

	assert_int_equal(gnutls_x509_crt_set_serial(crt, serial, len), 0);
	return self_signed(crt);
}

static void
serial_accepts_20_octets_and_v1(void **state)
{
	unsigned char serial[20];
	gnutls_x509_crt_t crt;
	struct finding f;

	(void)state;
	memset(serial, 0x7f, sizeof(serial));
	crt = with_serial(serial, sizeof(serial), 0);
	assert_int_equal(rfc5280_check_cert(crt, &f), 0);
	tpki_free(crt);
	crt = with_serial("\x01", 1, TPKI_V1);
	assert_int_equal(rfc5280_check_cert(crt, &f), 0);
	tpki_free(crt);
}

static void
serial_rejects_over_20_octets(void **state)
{
	unsigned char serial[21];
	gnutls_x509_crt_t crt;
	struct finding f;

	(void)state;
	memset(serial, 0x11, sizeof(serial));
	crt = with_serial(serial, sizeof(serial), 0);
	assert_rejects(rfc5280_check_cert(crt, &f), &f, MTLS_R_BAD_SERIAL,
	    "longer than 20 octets");
	tpki_free(crt);
}

static void
serial_rejects_negative_also_v1(void **state)
{
	gnutls_x509_crt_t crt;
	struct finding f;

	(void)state;
	crt = with_serial("\x81\x02\x03", 3, 0);
	assert_rejects(rfc5280_check_cert(crt, &f), &f, MTLS_R_BAD_SERIAL,
	    "negative");
	tpki_free(crt);
	crt = with_serial("\xff", 1, TPKI_V1);
	assert_rejects(rfc5280_check_cert(crt, &f), &f, MTLS_R_BAD_SERIAL,
	    "'CN=serial'");
	tpki_free(crt);
}

/* gnutls_x509_crt_set_serial() refuses zero; libtasn1 writes it. */
static void
zero_serial(asn1_node cert)
{
	tder_put(cert, "tbsCertificate.serialNumber", "\0", 1);
}

static void
serial_rejects_zero(void **state)
{
	gnutls_datum_t der = tder_rewritten(with_serial("\x7f", 1, 0), zero_serial);
	gnutls_x509_crt_t crt;
	struct finding f;

	(void)state;
	assert_int_equal(import(&crt, &der, 0), 0);
	gnutls_free(der.data);
	assert_rejects(rfc5280_check_cert(crt, &f), &f, MTLS_R_BAD_SERIAL,
	    "serial number zero");
	tpki_free(crt);
}

/* ---- rfc5280_check_cert: extensions ---- */

static void
cert_accepts_standard_and_v1(void **state)
{
	struct tpki_std pki;
	gnutls_x509_crt_t v1 = self_signed(tpki_new("CN=v1", key, TPKI_V1));
	struct finding f;

	(void)state;
	tpki_std_make(&pki);
	assert_int_equal(rfc5280_check_cert(pki.root, &f), 0);
	assert_int_equal(rfc5280_check_cert(pki.intermediate, &f), 0);
	assert_int_equal(rfc5280_check_cert(pki.leaf, &f), 0);
	assert_int_equal(rfc5280_check_cert(v1, &f), 0);
	tpki_std_free(&pki);
	tpki_free(v1);
}

/* The value of an extension nobody knows. */
static gnutls_datum_t
opaque(void)
{
	return tder_simple(ASN1_ETYPE_NULL, "", 0);
}

/* certificatePolicies: anyPolicy */
static gnutls_datum_t
any_policy(void)
{
	struct gnutls_x509_policy_st any = { .oid = (char *)"2.5.29.32.0" };
	gnutls_x509_policies_t policies;
	gnutls_datum_t der;

	assert_int_equal(gnutls_x509_policies_init(&policies), 0);
	assert_int_equal(gnutls_x509_policies_set(policies, &any), 0);
	assert_int_equal(gnutls_x509_ext_export_policies(policies, &der), 0);
	gnutls_x509_policies_deinit(policies);
	return der;
}

/* authorityInfoAccess (or subjectInfoAccess): an OCSP responder */
static gnutls_datum_t
ocsp_access(void)
{
	gnutls_datum_t uri = { (unsigned char *)"http://ocsp.ex/", 15 }, der;
	gnutls_x509_aia_t aia;

	assert_int_equal(gnutls_x509_aia_init(&aia), 0);
	assert_int_equal(gnutls_x509_aia_set(aia, GNUTLS_OID_AD_OCSP,
	    GNUTLS_SAN_URI, &uri), 0);
	assert_int_equal(gnutls_x509_ext_export_aia(aia, &der), 0);
	gnutls_x509_aia_deinit(aia);
	return der;
}

static gnutls_datum_t
subject_key_id(void)
{
	gnutls_datum_t id = { (unsigned char *)"\x01\x02", 2 }, der;

	assert_int_equal(gnutls_x509_ext_export_subject_key_id(&id, &der), 0);
	return der;
}

/* requireExplicitPolicy 0 */
static gnutls_datum_t
policy_constraints(void)
{
	asn1_node pc = tder_new("PolicyConstraints");

	tder_put(pc, "requireExplicitPolicy", "0", 0);
	tder_put(pc, "inhibitPolicyMapping", NULL, 0);
	return tder_encoded(pc);
}

/* SkipCerts 0 */
static gnutls_datum_t
inhibit_any_policy(void)
{
	return tder_simple(ASN1_ETYPE_INTEGER, "", 1);
}

static void
cert_extension_criticality(void **state)
{
	static const struct {
		const char *oid;
		gnutls_datum_t (*value)(void);
		unsigned critical;
		bool accepted;
	} cases[] = {
		{ "1.3.6.1.4.1.99999.1", opaque, 0, true },
		{ "1.3.6.1.4.1.99999.1", opaque, 1, false },
		{ "2.5.29.32", any_policy, 1, true },
		{ "1.3.6.1.5.5.7.1.1", ocsp_access, 0, true },
		{ "1.3.6.1.5.5.7.1.1", ocsp_access, 1, false },
		{ "1.3.6.1.5.5.7.1.11", ocsp_access, 1, false },
		{ "2.5.29.14", subject_key_id, 1, false },
		/* RFC 5280 4.2.1.11, 4.2.1.14: MUST be critical, but
		 * applied either way (policy_constraints_not_critical) */
		{ "2.5.29.36", policy_constraints, 1, true },
		{ "2.5.29.36", policy_constraints, 0, true },
		{ "2.5.29.54", inhibit_any_policy, 1, true },
		{ "2.5.29.54", inhibit_any_policy, 0, true },
	};
	struct finding f;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		gnutls_x509_crt_t crt = tpki_new("CN=ext", key, 0);

		set_extension(crt, cases[i].oid, cases[i].value(),
		    cases[i].critical);
		crt = self_signed(crt);
		if (cases[i].accepted)
			assert_int_equal(rfc5280_check_cert(crt, &f), 0);
		else
			assert_rejects(rfc5280_check_cert(crt, &f), &f,
			    MTLS_R_CRITICAL_EXTENSION, "'CN=ext'");
		tpki_free(crt);
	}
}

/*
 * policyConstraints and inhibitAnyPolicy not marked critical, which RFC
 * 5280 asks CAs not to issue, in an anchor, an intermediate or the
 * client certificate: accepted with a remark, since the policy graph
 * applies them all the same (test_policygraph's
 * constraints_not_critical shows they bind).  An extension RFC 5280
 * wants critical that is, is no remark.
 */
static void
policy_constraints_not_critical(void **state)
{
	static const struct {
		const char *oid;
		gnutls_datum_t (*value)(void);
		const char *remark;
		const char *note;
	} cases[] = {
		{ "2.5.29.36", policy_constraints, "has policyConstraints not "
		    "marked critical; accepted, and its requireExplicitPolicy "
		    "and inhibitPolicyMapping applied all the same",
		    "a certificate of the path has policyConstraints not "
		    "marked critical" },
		{ "2.5.29.54", inhibit_any_policy, "has inhibitAnyPolicy not "
		    "marked critical; accepted, and anyPolicy inhibited below "
		    "it all the same", "a certificate of the path has "
		    "inhibitAnyPolicy not marked critical" },
	};
	gnutls_x509_crt_t root = ca_cert("CN=Root", NULL, -1);
	struct finding f;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (unsigned critical = 0; critical <= 1; critical++) {
			gnutls_x509_crt_t ca = tpki_new("CN=Policy CA", key,
			    0);
			gnutls_x509_crt_t leaf = tpki_new("CN=alice", key, 0);
			gnutls_x509_crt_t plain, path[3];

			tpki_make_ca(ca, -1);
			set_extension(ca, cases[i].oid, cases[i].value(),
			    critical);
			tpki_sign(ca, root, key, GNUTLS_DIG_SHA256);
			ca = reimport(ca);
			tpki_make_client(leaf);
			set_extension(leaf, cases[i].oid, cases[i].value(),
			    critical);
			tpki_sign(leaf, root, key, GNUTLS_DIG_SHA256);
			leaf = reimport(leaf);
			plain = leaf_cert("CN=bob", ca);
			assert_int_equal(rfc5280_check_cert(leaf, &f), 0);
			for (unsigned anchor = 0; anchor <= 1; anchor++) {
				assert_int_equal(rfc5280_check_ca(ca, anchor,
				    &f), 0);
				assert_says(sole_remark(ca, anchor),
				    critical ? NULL : cases[i].remark);
			}
			/* the client certificate's */
			path[0] = leaf;
			path[1] = root;
			assert_says(sole_note(path, 2), critical ?
			    NULL : cases[i].note);
			/* the intermediate's, then the anchor's */
			path[0] = plain;
			path[1] = ca;
			path[2] = root;
			assert_says(sole_note(path, 3), critical ?
			    NULL : cases[i].note);
			assert_says(sole_note(path, 2), critical ?
			    NULL : cases[i].note);
			tpki_free(plain);
			tpki_free(leaf);
			tpki_free(ca);
		}
	}
	tpki_free(root);
}

/* nameConstraints permitting DNS names under example.com */
static gnutls_datum_t
dns_name_constraints(void)
{
	const gnutls_datum_t base = { (unsigned char *)"example.com", 11 };
	gnutls_x509_name_constraints_t nc;
	gnutls_datum_t der;

	assert_int_equal(gnutls_x509_name_constraints_init(&nc), 0);
	assert_int_equal(gnutls_x509_name_constraints_add_permitted(nc,
	    GNUTLS_SAN_DNSNAME, &base), 0);
	assert_int_equal(gnutls_x509_ext_export_name_constraints(nc, &der),
	    0);
	gnutls_x509_name_constraints_deinit(nc);
	return der;
}

/*
 * RFC 5280 4.2.1.10: nameConstraints only in a CA certificate, and
 * always critical; but a CA's that are not are applied all the same
 * (nc_not_critical), so the CA is accepted, with a remark.
 */
static void
cert_name_constraints_placement(void **state)
{
	struct finding f;

	(void)state;
	for (unsigned critical = 0; critical <= 1; critical++) {
		gnutls_x509_crt_t leaf = tpki_new("CN=nc leaf", key, 0);
		gnutls_x509_crt_t ca = tpki_new("CN=nc ca", key, 0);

		tpki_make_client(leaf);
		set_extension(leaf, GNUTLS_X509EXT_OID_NAME_CONSTRAINTS,
		    dns_name_constraints(), critical);
		leaf = self_signed(leaf);
		assert_rejects(rfc5280_check_cert(leaf, &f), &f,
		    MTLS_R_NAME_CONSTRAINTS, "is not a CA certificate");
		tpki_make_ca(ca, -1);
		set_extension(ca, GNUTLS_X509EXT_OID_NAME_CONSTRAINTS,
		    dns_name_constraints(), critical);
		ca = self_signed(ca);
		assert_int_equal(rfc5280_check_cert(ca, &f), 0);
		for (unsigned anchor = 0; anchor <= 1; anchor++) {
			assert_int_equal(rfc5280_check_ca(ca, anchor, &f), 0);
			if (critical)
				assert_null(sole_remark(ca, anchor));
			else
				assert_non_null(strstr(sole_remark(ca,
				    anchor), "has nameConstraints not marked "
				    "critical; accepted, and the constraints "
				    "applied all the same"));
		}
		tpki_free(ca);
		tpki_free(leaf);
	}
}

/* notes says says[0], says[1], ... in that order, and nothing more. */
static void
assert_notes(const struct notes *notes, const char *const *says,
    size_t count)
{
	assert_int_equal(notes->count, count);
	for (size_t i = 0; i < count; i++)
		assert_says(notes->text[i], says[i]);
}

/*
 * An intermediate with basicConstraints, nameConstraints and
 * policyConstraints, none marked critical: a remark for each, and a note
 * for each in the verdict, so that its CA learns of all three at once;
 * the same remark of two CAs of a path is one note (the sub-CA's
 * nameConstraints first: the path is read from the client up).
 */
static void
ca_remarks_every_extension(void **state)
{
	static const char *const says[] = {
		"basicConstraints", "nameConstraints", "policyConstraints",
	};
	gnutls_x509_crt_t root = ca_cert("CN=Root", NULL, -1);
	gnutls_x509_crt_t ca = tpki_new("CN=Lax CA", key, 0);
	gnutls_x509_crt_t sub = tpki_new("CN=Lax Sub CA", key, 0);
	gnutls_x509_crt_t leaf;
	struct notes notes = { .count = 0 };
	struct finding f;

	(void)state;
	set_extension(ca, GNUTLS_X509EXT_OID_BASIC_CONSTRAINTS,
	    basic_constraints(1, -1), 0);
	set_extension(ca, GNUTLS_X509EXT_OID_NAME_CONSTRAINTS,
	    dns_name_constraints(), 0);
	set_extension(ca, "2.5.29.36", policy_constraints(), 0);
	tpki_sign(ca, root, key, GNUTLS_DIG_SHA256);
	ca = reimport(ca);
	assert_int_equal(rfc5280_check_ca(ca, false, &f), 0);
	rfc5280_ca_remarks(ca, false, &notes);
	assert_notes(&notes, says, 3);
	/* as an anchor, its basicConstraints is the administrator's */
	notes.count = 0;
	rfc5280_ca_remarks(ca, true, &notes);
	assert_notes(&notes, says + 1, 2);

	leaf = leaf_cert("CN=alice", ca);
	notes.count = 0;
	rfc5280_path_notes((gnutls_x509_crt_t[]){ leaf, ca, root }, 3,
	    &notes);
	assert_notes(&notes, says, 3);
	/* below it, a sub-CA with nameConstraints not critical either */
	set_extension(sub, GNUTLS_X509EXT_OID_BASIC_CONSTRAINTS,
	    basic_constraints(1, -1), 1);
	set_extension(sub, GNUTLS_X509EXT_OID_NAME_CONSTRAINTS,
	    dns_name_constraints(), 0);
	tpki_sign(sub, ca, key, GNUTLS_DIG_SHA256);
	sub = reimport(sub);
	tpki_free(leaf);
	leaf = leaf_cert("CN=alice", sub);
	notes.count = 0;
	rfc5280_path_notes((gnutls_x509_crt_t[]){ leaf, sub, ca, root }, 4,
	    &notes);
	assert_notes(&notes, (const char *const[]){ says[1], says[0],
	    says[2] }, 3);
	tpki_free(leaf);
	tpki_free(sub);
	tpki_free(ca);
	tpki_free(root);
}

/* Notes are each said once, and at most NOTES_MAX of them kept. */
static void
notes_once_and_bounded(void **state)
{
	static const char texts[NOTES_MAX + 2][2] = {
		"a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
	};
	struct notes notes = { .count = 0 };

	(void)state;
	notes_add(&notes, NULL);
	assert_int_equal(notes.count, 0);
	notes_add(&notes, texts[0]);
	notes_add(&notes, "a");
	assert_int_equal(notes.count, 1);
	for (size_t i = 0; i < NOTES_MAX + 2; i++)
		notes_add(&notes, texts[i]);
	assert_int_equal(notes.count, NOTES_MAX);
	for (size_t i = 0; i < NOTES_MAX; i++)
		assert_string_equal(notes.text[i], texts[i]);
}

/* An authority key identifier naming key 01 02. */
static gnutls_datum_t
authority_key_id(void)
{
	gnutls_datum_t id = { (unsigned char *)"\x01\x02", 2 }, der;
	gnutls_x509_aki_t aki;

	assert_int_equal(gnutls_x509_aki_init(&aki), 0);
	assert_int_equal(gnutls_x509_aki_set_id(aki, &id), 0);
	assert_int_equal(gnutls_x509_ext_export_authority_key_id(aki, &der),
	    0);
	gnutls_x509_aki_deinit(aki);
	return der;
}

static void
cert_rejects_critical_authority_key_id(void **state)
{
	gnutls_x509_crt_t crt = tpki_new("CN=aki", key, 0);
	struct finding f;

	(void)state;
	/* gnutls_x509_crt_set_authority_key_id() writes it non-critical;
	 * self-signed, so tpki_sign() leaves this AKI alone */
	set_extension(crt, GNUTLS_X509EXT_OID_AUTHORITY_KEY_ID,
	    authority_key_id(), 1);
	crt = self_signed(crt);
	assert_rejects(rfc5280_check_cert(crt, &f), &f,
	    MTLS_R_CRITICAL_EXTENSION, "authorityKeyIdentifier extension "
	    "critical");
	tpki_free(crt);
}

/*
 * A v3 trust anchor is held to the extension rules and the profile of a
 * CA certificate, as an intermediate is: each defect, on an otherwise
 * good self-signed root, refuses it as an anchor.  A constraint it
 * carries that cannot be understood would otherwise bind nothing.
 */
static void
anchor_held_to_ca_rules(void **state)
{
	static const struct {
		const char *oid;
		gnutls_datum_t (*value)(void);
		unsigned critical;
		enum mtls_reason reason;
		const char *mentions;
	} cases[] = {
		{ "1.3.6.1.4.1.99999.1", opaque, 1, MTLS_R_CRITICAL_EXTENSION,
		    "trust anchor 'CN=Anchor' has a critical extension "
		    "1.3.6.1.4.1.99999.1 that this verifier does not know" },
		{ GNUTLS_X509EXT_OID_AUTHORITY_KEY_ID, authority_key_id, 1,
		    MTLS_R_CRITICAL_EXTENSION, "trust anchor 'CN=Anchor' marks "
		    "its authorityKeyIdentifier extension critical" },
		{ "2.5.29.14", subject_key_id, 1,
		    MTLS_R_CRITICAL_EXTENSION, "trust anchor 'CN=Anchor' marks "
		    "its subjectKeyIdentifier extension critical" },
	};
	gnutls_x509_crt_t ca;
	struct finding f;

	(void)state;
	ca = tpki_new("CN=Anchor", key, 0);
	tpki_make_ca(ca, -1);
	ca = self_signed(ca);
	assert_int_equal(rfc5280_check_ca(ca, true, &f), 0);
	tpki_free(ca);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ca = tpki_new("CN=Anchor", key, 0);
		tpki_make_ca(ca, -1);
		set_extension(ca, cases[i].oid, cases[i].value(),
		    cases[i].critical);
		ca = self_signed(ca);
		assert_rejects(rfc5280_check_ca(ca, true, &f), &f,
		    cases[i].reason, cases[i].mentions);
		tpki_free(ca);
	}
}

/* extendedKeyUsage of the purpose given (NULL: none) */
static gnutls_datum_t
key_purposes(const char *oid)
{
	gnutls_x509_key_purposes_t purposes;
	gnutls_datum_t der;

	assert_int_equal(gnutls_x509_key_purpose_init(&purposes), 0);
	if (oid != NULL)
		assert_int_equal(gnutls_x509_key_purpose_set(purposes, oid), 0);
	assert_int_equal(gnutls_x509_ext_export_key_purposes(purposes, &der),
	    0);
	gnutls_x509_key_purpose_deinit(purposes);
	return der;
}

/* GnuTLS's setters replace an extension of the same OID. */
static void
second_eku(asn1_node cert)
{
	struct tder_ext eku = { GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE, false,
	    key_purposes(GNUTLS_KP_TLS_WWW_CLIENT) };

	tder_add_extension(cert, "tbsCertificate.extensions", &eku);
}

/* GnuTLS's import refuses duplicates unless its sanity checks are off. */
static void
cert_rejects_duplicate_extension(void **state)
{
	gnutls_x509_crt_t crt = tpki_new("CN=twice", key, 0);
	gnutls_datum_t der;
	struct finding f;

	(void)state;
	tpki_make_client(crt);
	crt = self_signed(crt);
	assert_int_equal(rfc5280_check_cert(crt, &f), 0);
	der = tder_rewritten(crt, second_eku);
	assert_int_equal(import(&crt, &der, 0),
	    GNUTLS_E_X509_DUPLICATE_EXTENSION);
	tpki_free(crt);
	assert_int_equal(import(&crt, &der, GNUTLS_X509_CRT_FLAG_IGNORE_SANITY),
	    0);
	gnutls_free(der.data);
	assert_rejects(rfc5280_check_cert(crt, &f), &f,
	    MTLS_R_CRITICAL_EXTENSION, "extendedKeyUsage extension more than "
	    "once");
	tpki_free(crt);
}

static void
cert_rejects_empty_eku(void **state)
{
	gnutls_x509_crt_t crt;
	struct finding f;

	(void)state;
	crt = tpki_new("CN=eku", key, 0);
	set_extension(crt, GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE,
	    key_purposes(NULL), 0);
	crt = self_signed(crt);
	assert_rejects(rfc5280_check_cert(crt, &f), &f, MTLS_R_EMPTY_EKU,
	    "'CN=eku'");
	tpki_free(crt);
	/* a SEQUENCE, but of an INTEGER, not of OIDs: a basicConstraints */
	crt = tpki_new("CN=eku", key, 0);
	set_extension(crt, GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE,
	    basic_constraints(0, 1), 0);
	crt = self_signed(crt);
	assert_rejects(rfc5280_check_cert(crt, &f), &f, MTLS_R_EMPTY_EKU,
	    NULL);
	tpki_free(crt);
}

/* ---- rfc5280_check_cert: subjectAltName ---- */

/* "CN=named" with the n names as subjectAltName */
static gnutls_x509_crt_t
with_san(const struct name *names, size_t n)
{
	gnutls_x509_crt_t crt = tpki_new("CN=named", key, 0);

	set_alt_names(crt, names, n);
	return self_signed(crt);
}

static void
san_accepts_valid_names(void **state)
{
	static const struct name valid[] = {
		{ GNUTLS_SAN_DNSNAME, "host.example.com", 0 },
		{ GNUTLS_SAN_DNSNAME, "localhost", 0 },
		{ GNUTLS_SAN_DNSNAME, "*.example.com", 0 },
		{ GNUTLS_SAN_DNSNAME, "3com.example-1.org", 0 },
		{ GNUTLS_SAN_DNSNAME, "10.0.0.1.example.com", 0 },
		{ GNUTLS_SAN_DNSNAME, "host.x1", 0 },
		/* a device's address as careless CAs write it: refused
		 * only where name constraints apply (nc_dns_numeric) */
		{ GNUTLS_SAN_DNSNAME, "192.168.1.20", 0 },
		{ GNUTLS_SAN_DNSNAME, "*.0.0.10", 0 },
		{ GNUTLS_SAN_DNSNAME, "host.123", 0 },
		{ GNUTLS_SAN_DNSNAME, "134744072", 0 },
		{ GNUTLS_SAN_DNSNAME, "8.8.2056", 0 },
		{ GNUTLS_SAN_DNSNAME, "0x08080808", 0 },
		{ GNUTLS_SAN_DNSNAME, "0x8.0x8.0x8.0x8", 0 },
		{ GNUTLS_SAN_DNSNAME, "010.010.010.010", 0 },
		/* Windows host names */
		{ GNUTLS_SAN_DNSNAME, "lab_pc01.corp.example.com", 0 },
		{ GNUTLS_SAN_DNSNAME, "_x.example.com", 0 },
		{ GNUTLS_SAN_RFC822NAME, "alice.o+tag@example.com", 0 },
		{ GNUTLS_SAN_RFC822NAME, "alice@[192.0.2.1]", 0 },
		{ GNUTLS_SAN_IPADDRESS, "\x0a\x00\x00\x01", 4 },
		{ GNUTLS_SAN_IPADDRESS, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0"
		    "\x01", 16 },
		{ GNUTLS_SAN_URI, "https://www.example.com/path", 0 },
		{ GNUTLS_SAN_URI, "urn:uuid:1234", 0 },
	};
	static const struct name dn_and_upn[] = {
		{ GNUTLS_SAN_DN, "CN=alice,O=Example", 0 },
		{ GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL, "alice@example.com",
		    0 },
	};
	gnutls_x509_crt_t crt;
	struct finding f;

	(void)state;
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		crt = with_san(&valid[i], 1);
		if (rfc5280_check_cert(crt, &f) != 0)
			fail_msg("%s refused: %s", valid[i].value, f.text);
		tpki_free(crt);
	}
	crt = with_san(dn_and_upn, 2);
	assert_int_equal(rfc5280_check_cert(crt, &f), 0);
	tpki_free(crt);
}

static void
san_rejects_invalid_names(void **state)
{
	static const struct name invalid[] = {
		{ GNUTLS_SAN_DNSNAME, "a b.example.com", 0 },
		{ GNUTLS_SAN_DNSNAME, "host\0.example.com", 17 },
		{ GNUTLS_SAN_DNSNAME, "slash/.example.com", 0 },
		{ GNUTLS_SAN_DNSNAME, "-lead.example.com", 0 },
		{ GNUTLS_SAN_DNSNAME, "example.com.", 0 },
		{ GNUTLS_SAN_DNSNAME, "a..example.com", 0 },
		{ GNUTLS_SAN_DNSNAME, "a.*.example.com", 0 },
		{ GNUTLS_SAN_RFC822NAME, "alice", 0 },
		{ GNUTLS_SAN_RFC822NAME, "alice@b@example.com", 0 },
		{ GNUTLS_SAN_RFC822NAME, "alice@[b@192.0.2.1]", 0 },
		{ GNUTLS_SAN_RFC822NAME, "@example.com", 0 },
		{ GNUTLS_SAN_RFC822NAME, "alice@", 0 },
		{ GNUTLS_SAN_RFC822NAME, "al ice@example.com", 0 },
		{ GNUTLS_SAN_RFC822NAME, "alice@exa\0mple.com", 18 },
		{ GNUTLS_SAN_RFC822NAME, "alice@ex_ample.com", 0 },
		{ GNUTLS_SAN_IPADDRESS, "\x0a\x00\x01", 3 },
		{ GNUTLS_SAN_IPADDRESS, "\x0a\x00\x00\x01\x0a", 5 },
		{ GNUTLS_SAN_URI, "relative/path", 0 },
		{ GNUTLS_SAN_URI, "https://exa mple.com/", 0 },
		{ GNUTLS_SAN_URI, "https://example.com/\0", 21 },
	};
	gnutls_x509_crt_t crt;
	struct finding f;

	(void)state;
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		crt = with_san(&invalid[i], 1);
		if (rfc5280_check_cert(crt, &f) != -1)
			fail_msg("%s accepted", invalid[i].value);
		assert_int_equal(f.reason, MTLS_R_BAD_NAME);
		assert_non_null(strstr(f.text,
		    "'CN=named' has subjectAltName"));
		tpki_free(crt);
	}
}

static void
san_rejects_empty_extension(void **state)
{
	gnutls_x509_crt_t crt = tpki_new("CN=nameless", key, 0);
	struct finding f;

	(void)state;
	set_alt_names(crt, NULL, 0);
	crt = self_signed(crt);
	assert_rejects(rfc5280_check_cert(crt, &f), &f, MTLS_R_BAD_NAME,
	    "empty subjectAltName");
	tpki_free(crt);
}

/*
 * An empty name (here an empty URI) cannot reach the verifier: GnuTLS
 * refuses it on import (GNUTLS_E_X509_UNKNOWN_SAN).  The certificate as
 * built, before export, still carries it, so the rule is exercised there.
 */
static void
san_rejects_empty_name(void **state)
{
	static const struct name empty_uri = { GNUTLS_SAN_URI, "", 0 };
	gnutls_x509_crt_t crt = tpki_new("CN=blank", key, 0);
	gnutls_x509_crt_t imported;
	gnutls_datum_t der;
	struct finding f;

	(void)state;
	set_alt_names(crt, &empty_uri, 1);
	tpki_sign(crt, NULL, key, GNUTLS_DIG_SHA256);
	assert_rejects(rfc5280_check_cert(crt, &f), &f, MTLS_R_BAD_NAME,
	    "'CN=blank'");
	assert_int_equal(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER,
	    &der), 0);
	assert_int_equal(import(&imported, &der, 0),
	    GNUTLS_E_X509_UNKNOWN_SAN);
	gnutls_free(der.data);
	tpki_free(imported);
	tpki_free(crt);
}

/*
 * RFC 5280 4.1.2.6: a certificate without a subject name is named by a
 * critical subjectAltName; one that is not critical, or none, is refused.
 */
static void
cert_empty_subject_needs_critical_san(void **state)
{
	static const struct name email = { GNUTLS_SAN_RFC822NAME,
	    "alice@example.com", 0 };
	static const char *const problem[] = {
		"'(empty subject)' has an empty subject and no subjectAltName",
		"subjectAltName email address alice@example.com)' has an "
		    "empty subject and a subjectAltName not marked critical",
	};
	gnutls_x509_crt_t ca = tpki_new("CN=Issuer", key, 0), crt;
	asn1_node names;
	struct finding f;

	(void)state;
	tpki_make_ca(ca, -1);
	ca = self_signed(ca);
	for (unsigned with = 0; with <= 2; with++) {
		crt = blank_cert();
		tpki_make_client(crt);
		if (with > 0) {
			names = tder_new("GeneralNames");
			tder_add_general_name(names, "", email.type,
			    email.value, email.len);
			set_extension(crt, GNUTLS_X509EXT_OID_SAN,
			    tder_encoded(names), with == 2);
		}
		tpki_sign(crt, ca, key, GNUTLS_DIG_SHA256);
		crt = reimport(crt);
		if (with == 2)
			assert_int_equal(rfc5280_check_cert(crt, &f), 0);
		else
			assert_rejects(rfc5280_check_cert(crt, &f), &f,
			    MTLS_R_BAD_NAME, problem[with]);
		tpki_free(crt);
	}
	tpki_free(ca);
}

/* ---- rfc5280_check_leaf ---- */

static void
leaf_accepts_client_certificates(void **state)
{
	struct tpki_std pki;
	gnutls_x509_crt_t v1;
	struct finding f;

	(void)state;
	tpki_std_make(&pki);
	/* openssl x509 -req -CA ... without extensions makes a v1 one */
	v1 = tpki_new("CN=bob", key, TPKI_V1);
	tpki_sign(v1, pki.intermediate, pki.int_key, GNUTLS_DIG_SHA256);
	v1 = reimport(v1);
	assert_int_equal(rfc5280_check_leaf(pki.leaf, &f), 0);
	assert_int_equal(rfc5280_check_leaf(v1, &f), 0);
	tpki_free(v1);
	tpki_std_free(&pki);
}

static void
leaf_rejects_ca(void **state)
{
	gnutls_x509_crt_t issuer = ca_cert("CN=Issuer", NULL, -1);
	gnutls_x509_crt_t crt;
	struct finding f;

	(void)state;
	crt = tpki_new("CN=ca-leaf", key, 0);
	assert_int_equal(gnutls_x509_crt_set_basic_constraints(crt, 1, -1), 0);
	tpki_sign(crt, issuer, key, GNUTLS_DIG_SHA256);
	crt = reimport(crt);
	assert_rejects(rfc5280_check_leaf(crt, &f), &f, MTLS_R_LEAF_IS_CA,
	    "client certificate 'CN=ca-leaf'");
	tpki_free(crt);

	crt = tpki_new("CN=signing-leaf", key, 0);
	assert_int_equal(gnutls_x509_crt_set_key_usage(crt,
	    GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_CERT_SIGN), 0);
	tpki_sign(crt, issuer, key, GNUTLS_DIG_SHA256);
	crt = reimport(crt);
	assert_rejects(rfc5280_check_leaf(crt, &f), &f, MTLS_R_LEAF_IS_CA,
	    "keyCertSign");
	tpki_free(crt);
	tpki_free(issuer);
}

static void
leaf_rejects_missing_authority_key_id(void **state)
{
	gnutls_x509_crt_t crt = tpki_new("CN=orphan", key, 0);
	struct finding f;

	(void)state;
	tpki_make_client(crt);
	/* no issuer: no authority key identifier */
	crt = self_signed(crt);
	assert_rejects(rfc5280_check_leaf(crt, &f), &f, MTLS_R_KEY_IDENTIFIER,
	    "client certificate 'CN=orphan'");
	assert_same_given_aki(crt, true);
	assert_same_given_aki(crt, false);
	tpki_free(crt);
}

/* ---- rfc5280_check_path: key identifiers and path length ---- */

static void
path_accepts_standard_chain(void **state)
{
	struct tpki_std pki;
	gnutls_x509_crt_t chain[3];
	struct finding f;

	(void)state;
	tpki_std_make(&pki);
	chain[0] = pki.leaf;
	chain[1] = pki.intermediate;
	chain[2] = pki.root;
	assert_int_equal(rfc5280_check_path(chain, 3, &f), 0);
	tpki_std_free(&pki);
}

static void
path_rejects_key_id_mismatch(void **state)
{
	gnutls_x509_crt_t root = ca_cert("CN=Root", NULL, -1);
	gnutls_x509_crt_t ca = ca_cert("CN=Old Key CA", root, 0);
	gnutls_x509_crt_t leaf = tpki_new("CN=alice", key, 0), chain[3];
	struct finding f;

	(void)state;
	tpki_make_client(leaf);
	assert_int_equal(gnutls_x509_crt_set_authority_key_id(leaf,
	    "\x01\x02\x03\x04", 4), 0);
	/* issuer NULL keeps this AKI; every certificate here has one key */
	tpki_sign(leaf, NULL, key, GNUTLS_DIG_SHA256);
	leaf = reimport(leaf);
	chain[0] = leaf;
	chain[1] = ca;
	chain[2] = root;
	assert_rejects(rfc5280_check_key_ids(chain, 3, &f), &f,
	    MTLS_R_KEY_IDENTIFIER, "client certificate 'CN=alice' was issued "
	    "by the CA key 01:02:03:04, but its issuer 'CN=Old Key CA'");
	tpki_free(leaf);
	leaf = leaf_cert("CN=alice", ca);
	chain[0] = leaf;
	assert_int_equal(rfc5280_check_key_ids(chain, 3, &f), 0);
	tpki_free(leaf);
	tpki_free(ca);
	tpki_free(root);
}

/* An AKI naming the issuer by name and serial only, without the
 * keyIdentifier RFC 5280 requires. */
static void
leaf_rejects_aki_without_key_id(void **state)
{
	asn1_node aki = tder_new("AuthorityKeyIdentifier");
	gnutls_x509_crt_t leaf = tpki_new("CN=legacy", key, 0);
	struct finding f;

	(void)state;
	/* GnuTLS cannot write a directoryName here */
	tder_put(aki, "keyIdentifier", NULL, 0);
	tder_add_general_name(aki, "authorityCertIssuer", GNUTLS_SAN_DN,
	    "CN=Test Intermediate", 0);
	tder_put(aki, "authorityCertSerialNumber", "\x05", 1);
	set_extension(leaf, GNUTLS_X509EXT_OID_AUTHORITY_KEY_ID,
	    tder_encoded(aki), 0);
	leaf = self_signed(leaf);
	assert_rejects(rfc5280_check_leaf(leaf, &f), &f,
	    MTLS_R_KEY_IDENTIFIER, "client certificate 'CN=legacy' has an "
	    "authority key identifier without the keyIdentifier");
	assert_same_given_aki(leaf, true);
	tpki_free(leaf);
}

/* An authority key identifier that does not decode is none at all. */
static void
leaf_rejects_unreadable_authority_key_id(void **state)
{
	static const char garbage[] = "\x04\x03" "abc";
	gnutls_x509_crt_t leaf = tpki_new("CN=garbled", key, 0);
	struct finding f;

	(void)state;
	tpki_make_client(leaf);
	assert_int_equal(gnutls_x509_crt_set_extension_by_oid(leaf,
	    GNUTLS_X509EXT_OID_AUTHORITY_KEY_ID, garbage, sizeof(garbage) - 1,
	    0), 0);
	leaf = self_signed(leaf);
	assert_rejects(rfc5280_check_leaf(leaf, &f), &f,
	    MTLS_R_KEY_IDENTIFIER, "client certificate 'CN=garbled' has an "
	    "authority key identifier that cannot be read");
	assert_same_given_aki(leaf, true);
	tpki_free(leaf);
}

static void
path_length_counts_intermediates(void **state)
{
	gnutls_x509_crt_t root = ca_cert("CN=Root", NULL, -1);
	gnutls_x509_crt_t tight = ca_cert("CN=Tight CA", root, 0);
	gnutls_x509_crt_t loose = ca_cert("CN=Loose CA", root, 1);
	gnutls_x509_crt_t chain[4];
	struct finding f;

	(void)state;
	chain[2] = loose;
	chain[1] = ca_cert("CN=Sub CA", loose, -1);
	chain[0] = leaf_cert("CN=alice", chain[1]);
	chain[3] = root;
	assert_int_equal(rfc5280_check_path(chain, 4, &f), 0);
	tpki_free(chain[0]);
	tpki_free(chain[1]);

	chain[2] = tight;
	chain[1] = ca_cert("CN=Sub CA", tight, -1);
	chain[0] = leaf_cert("CN=alice", chain[1]);
	assert_rejects(rfc5280_check_path(chain, 4, &f), &f,
	    MTLS_R_PATH_LENGTH, "intermediate 'CN=Tight CA' allows 0");
	tpki_free(chain[0]);
	tpki_free(chain[1]);
	tpki_free(tight);
	tpki_free(loose);
	tpki_free(root);
}

/* A CA's self-issued certificate for a new key (a key rollover) does not
 * count against pathLenConstraint. */
static void
path_length_skips_self_issued(void **state)
{
	gnutls_x509_crt_t root = ca_cert("CN=Root", NULL, -1);
	gnutls_x509_crt_t tight = ca_cert("CN=Tight CA", root, 0);
	gnutls_x509_crt_t chain[4];
	struct finding f;

	(void)state;
	chain[3] = root;
	chain[2] = tight;
	chain[1] = ca_cert("CN=Tight CA", tight, -1);
	chain[0] = leaf_cert("CN=alice", chain[1]);
	assert_int_equal(rfc5280_check_path(chain, 4, &f), 0);
	tpki_free(chain[0]);
	tpki_free(chain[1]);
	tpki_free(tight);
	tpki_free(root);
}

/*
 * Self-issued means issuer and subject are the same name by RFC 5280
 * 7.1, not the same bytes: the subject written in another string type,
 * case and spacing still names the issuer.
 */
static void
path_length_self_issued_by_name_rules(void **state)
{
	static const struct tder_attribute same = { TDER_OID_CN,
	    ASN1_ETYPE_PRINTABLE_STRING, " TIGHT  ca", 10 };
	static const struct tder_attribute other = { TDER_OID_CN,
	    ASN1_ETYPE_PRINTABLE_STRING, "Tight CA 2", 10 };
	gnutls_x509_crt_t root = ca_cert("CN=Root", NULL, -1);
	gnutls_x509_crt_t tight = ca_cert("CN=Tight CA", root, 0);
	gnutls_datum_t names[] = { tder_name(&same, 1), tder_name(&other, 1) };
	gnutls_x509_crt_t chain[4];
	struct finding f;

	(void)state;
	chain[3] = root;
	chain[2] = tight;
	for (size_t i = 0; i < 2; i++) {
		chain[1] = tder_with_subject(ca_cert("CN=Tight CA", tight, -1),
		    &names[i]);
		chain[0] = leaf_cert("CN=alice", chain[1]);
		if (i == 0 && rfc5280_check_path(chain, 4, &f) != 0)
			fail_msg("refused: %s", f.text);
		if (i == 1)
			assert_rejects(rfc5280_check_path(chain, 4, &f), &f,
			    MTLS_R_PATH_LENGTH, "'CN=Tight CA' allows 0");
		tpki_free(chain[0]);
		tpki_free(chain[1]);
		gnutls_free(names[i].data);
	}
	tpki_free(tight);
	tpki_free(root);
}

static void
path_length_of_trust_anchor(void **state)
{
	gnutls_x509_crt_t root = ca_cert("CN=Flat Root", NULL, 0);
	gnutls_x509_crt_t chain[3];
	struct finding f;

	(void)state;
	chain[2] = root;
	chain[0] = leaf_cert("CN=alice", root);
	assert_int_equal(rfc5280_check_path((gnutls_x509_crt_t[]){ chain[0],
	    root }, 2, &f), 0);
	chain[1] = ca_cert("CN=Sub CA", root, -1);
	tpki_free(chain[0]);
	chain[0] = leaf_cert("CN=alice", chain[1]);
	assert_rejects(rfc5280_check_path(chain, 3, &f), &f,
	    MTLS_R_PATH_LENGTH, "trust anchor 'CN=Flat Root'");
	tpki_free(chain[0]);
	tpki_free(chain[1]);
	tpki_free(root);
}

/* ---- rfc5280_check_path: name constraints ---- */

/*
 * A root, "CN=Constrained CA" (or the root itself, on_anchor) with one
 * subtree, and a leaf with a subject and at most one alternative name.
 */
struct nc_case {
	bool excluded;
	bool on_anchor;
	bool not_critical;	/* the extension */
	struct name subtree;
	const char *raw;	/* or the extension's DER value, raw_len octets */
	size_t raw_len;
	const char *leaf_dn;
	struct name san;	/* type 0: no subjectAltName */
};

/* The CA's nameConstraints: its one subtree, written as given. */
static void
constrain(gnutls_x509_crt_t ca, const struct nc_case *c)
{
	const char *subtrees = c->excluded ? "excludedSubtrees" :
	    "permittedSubtrees";
	asn1_node nc;
	char field[64];

	if (c->raw != NULL) {
		gnutls_datum_t der = { gnutls_malloc(c->raw_len),
		    (unsigned)c->raw_len };

		assert_non_null(der.data);
		memcpy(der.data, c->raw, c->raw_len);
		set_extension(ca, GNUTLS_X509EXT_OID_NAME_CONSTRAINTS, der,
		    !c->not_critical);
		return;
	}
	nc = tder_new("NameConstraints");
	tder_put(nc, c->excluded ? "permittedSubtrees" : "excludedSubtrees",
	    NULL, 0);
	tder_put(nc, subtrees, "NEW", 1);
	snprintf(field, sizeof(field), "%s.?LAST.base", subtrees);
	tder_put_general_name(nc, field, c->subtree.type, c->subtree.value,
	    c->subtree.len);
	snprintf(field, sizeof(field), "%s.?LAST.maximum", subtrees);
	tder_put(nc, field, NULL, 0);
	set_extension(ca, GNUTLS_X509EXT_OID_NAME_CONSTRAINTS,
	    tder_encoded(nc), !c->not_critical);
}

static int
check_names(const struct nc_case *c, struct finding *f)
{
	gnutls_x509_crt_t chain[3];
	int ret;

	chain[2] = tpki_new("CN=Root", key, 0);
	tpki_make_ca(chain[2], -1);
	if (c->on_anchor)
		constrain(chain[2], c);
	chain[2] = self_signed(chain[2]);
	chain[1] = tpki_new("CN=Constrained CA", key, 0);
	tpki_make_ca(chain[1], 0);
	if (!c->on_anchor)
		constrain(chain[1], c);
	tpki_sign(chain[1], chain[2], key, GNUTLS_DIG_SHA256);
	chain[1] = reimport(chain[1]);
	chain[0] = tpki_new(c->leaf_dn, key, 0);
	tpki_make_client(chain[0]);
	if (c->san.type != 0)
		set_alt_names(chain[0], &c->san, 1);
	tpki_sign(chain[0], chain[1], key, GNUTLS_DIG_SHA256);
	chain[0] = reimport(chain[0]);
	ret = rfc5280_check_path(chain, 3, f);
	for (size_t i = 0; i < 3; i++)
		tpki_free(chain[i]);
	return ret;
}

/* Accepted with name inside, refused with name outside. */
static void
assert_constrains(struct nc_case *c, const char **name, const char *inside,
    const char *outside, const char *mentions)
{
	struct finding f;

	*name = inside;
	if (check_names(c, &f) != 0)
		fail_msg("'%s' refused: %s", inside, f.text);
	*name = outside;
	assert_rejects(check_names(c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
	    mentions);
}

static void
nc_dns(void **state)
{
	struct nc_case c = { .subtree = { GNUTLS_SAN_DNSNAME, "example.com" },
	    .leaf_dn = "CN=alice", .san = { GNUTLS_SAN_DNSNAME } };

	static const struct {
		bool excluded;
		const char *subtree, *inside, *outside;
	} cases[] = {
		{ true, "evil.com", "host.example.com", "www.evil.com" },
		/* '_' is one more octet to compare (Windows host names),
		 * and a label ends at a period only */
		{ true, "evil.com", "lab_pc.example.com", "lab_pc.evil.com" },
		{ false, "example.com", "lab_pc.example.com",
		    "lab_pc.example_com" },
		{ false, "example.com", "lab_pc.example.com",
		    "evil_example.com" },
		/* GnuTLS alone compares byte for byte: HOST.example.COM
		 * would be outside "Example.com", and www.EVIL.com not
		 * excluded by "Evil.com" */
		{ false, "Example.com", "HOST.example.COM", "host.evil.com" },
		{ true, "Evil.com", "host.example.com", "www.EVIL.com" },
	};
	char mentions[128];

	(void)state;
	assert_constrains(&c, &c.san.value, "host.example.com", "host.evil.com",
	    "client certificate 'CN=alice' has DNS name 'host.evil.com' "
	    "outside the nameConstraints of CA 'CN=Constrained CA'");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c.excluded = cases[i].excluded;
		c.subtree.value = cases[i].subtree;
		snprintf(mentions, sizeof(mentions), "DNS name '%s' outside",
		    cases[i].outside);
		assert_constrains(&c, &c.san.value, cases[i].inside,
		    cases[i].outside, mentions);
	}
}

/*
 * A wildcard stands for every name one label below its domain: an
 * excluded bar.example.com excludes *.example.com, though the wildcard as
 * written is not within it (CVE-2025-61727).  A subtree no name of the
 * wildcard can be within excludes nothing.
 */
static void
nc_dns_wildcard_against_excluded(void **state)
{
	struct nc_case c = { .excluded = true,
	    .subtree = { GNUTLS_SAN_DNSNAME, "Bar.example.com" },
	    .leaf_dn = "CN=alice", .san = { GNUTLS_SAN_DNSNAME } };

	(void)state;
	assert_constrains(&c, &c.san.value, "*.bar2.example.com",
	    "*.example.com", "DNS name '*.example.com' outside the "
	    "nameConstraints of CA 'CN=Constrained CA'");
	assert_constrains(&c, &c.san.value, "*.example.org",
	    "*.EXAMPLE.com", "DNS name '*.EXAMPLE.com'");
	c.subtree.value = "x.bar.example.com";
	assert_constrains(&c, &c.san.value, "*.example.com",
	    "*.bar.example.com", "DNS name '*.bar.example.com'");
	/* a permitted subtree must hold the wildcard as written */
	c.excluded = false;
	c.subtree.value = "bar.example.com";
	assert_constrains(&c, &c.san.value, "*.bar.example.com",
	    "*.example.com", "DNS name '*.example.com'");
}

/*
 * nameConstraints with no list of subtrees, or an empty one, which RFC
 * 5280 4.2.1.10 forbids (GeneralSubtrees has SIZE (1..MAX)): the CA's
 * issuer meant some constraint, and which cannot be told, so nothing
 * below the CA is accepted.
 */
static void
nc_empty_lists(void **state)
{
	static const struct {
		const char *der;
		size_t len;
		const char *mentions;
	} empty[] = {
		{ "\x30\x00", 2, "neither permittedSubtrees nor "
		    "excludedSubtrees" },
		{ "\x30\x04\xa0\x00\xa1\x00", 6, "an empty permittedSubtrees" },
		{ "\x30\x02\xa1\x00", 4, "an empty excludedSubtrees" },
	};
	struct nc_case c = { .leaf_dn = "CN=alice",
	    .san = { GNUTLS_SAN_DNSNAME, "host.example.com" } };
	struct finding f;

	(void)state;
	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		c.raw = empty[i].der;
		c.raw_len = empty[i].len;
		assert_rejects(check_names(&c, &f), &f,
		    MTLS_R_NAME_CONSTRAINTS, "CA 'CN=Constrained CA' has "
		    "nameConstraints with");
		assert_non_null(strstr(f.text, empty[i].mentions));
	}
}

/*
 * A dNSName subtree that is no DNS name or domain would match by
 * accident (".example.com" matches nothing, or everything below, as the
 * matcher reads it): the CA is refused, permitted or excluded, whatever
 * name is below it.
 */
static void
nc_dns_subtree_must_be_a_dns_name(void **state)
{
	static const char *const bad[] = {
		".example.com", "a..example.com", "exam_ple.com", "*.example.com",
		"example.com.", "-example.com",
	};
	struct nc_case c = { .leaf_dn = "CN=alice",
	    .san = { GNUTLS_SAN_DNSNAME, "host.example.com" } };
	struct finding f;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		for (int excluded = 0; excluded <= 1; excluded++) {
			c.excluded = excluded;
			c.subtree.type = GNUTLS_SAN_DNSNAME;
			c.subtree.value = bad[i];
			assert_rejects(check_names(&c, &f), &f,
			    MTLS_R_NAME_CONSTRAINTS, "CA 'CN=Constrained CA' "
			    "has");
		}
	/* an empty one is every DNS name */
	c.excluded = true;
	c.subtree.value = "";
	assert_rejects(check_names(&c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
	    "DNS name 'host.example.com'");
}

/* A client certificate issued by ca with n DNS names,
 * h.d0.example.com ... */
static gnutls_x509_crt_t
client_with_names(gnutls_x509_crt_t ca, int n)
{
	gnutls_x509_crt_t crt = tpki_new("CN=many", key, 0);
	char name[64];

	tpki_make_client(crt);
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "h.d%d.example.com", i);
		assert_int_equal(gnutls_x509_crt_set_subject_alt_name(crt,
		    GNUTLS_SAN_DNSNAME, name, (unsigned)strlen(name),
		    GNUTLS_FSAN_APPEND), 0);
	}
	tpki_sign(crt, ca, key, GNUTLS_DIG_SHA256);
	return reimport(crt);
}

/* Subtrees times names are bounded: 300 x 300 comparisons are refused
 * as work, all of them inside. */
static void
nc_work_is_bounded(void **state)
{
	enum { MANY = 300 };
	gnutls_x509_name_constraints_t nc;
	gnutls_x509_crt_t chain[2];
	char name[64];
	struct finding f;

	(void)state;
	chain[1] = tpki_new("CN=Wide CA", key, 0);
	tpki_make_ca(chain[1], -1);
	assert_int_equal(gnutls_x509_name_constraints_init(&nc), 0);
	for (int i = 0; i < MANY; i++) {
		gnutls_datum_t base;

		snprintf(name, sizeof(name), "d%d.example.com", i);
		base.data = (unsigned char *)name;
		base.size = (unsigned)strlen(name);
		assert_int_equal(gnutls_x509_name_constraints_add_permitted(nc,
		    GNUTLS_SAN_DNSNAME, &base), 0);
	}
	assert_int_equal(gnutls_x509_crt_set_name_constraints(chain[1], nc, 1),
	    0);
	gnutls_x509_name_constraints_deinit(nc);
	chain[1] = self_signed(chain[1]);
	chain[0] = client_with_names(chain[1], MANY);
	assert_rejects(rfc5280_check_path(chain, 2, &f), &f,
	    MTLS_R_WORK_LIMIT, "'CN=Wide CA'");
	/* a tenth of the names is fine */
	tpki_free(chain[0]);
	chain[0] = client_with_names(chain[1], MANY / 10);
	if (rfc5280_check_path(chain, 2, &f) != 0)
		fail_msg("refused: %s", f.text);
	tpki_free(chain[0]);
	tpki_free(chain[1]);
}

static void
nc_email_alt_name(void **state)
{
	struct nc_case c = { .subtree = { GNUTLS_SAN_RFC822NAME,
	    "example.com" }, .leaf_dn = "CN=alice",
	    .san = { GNUTLS_SAN_RFC822NAME } };

	(void)state;
	assert_constrains(&c, &c.san.value, "alice@example.com",
	    "alice@evil.com", "email address 'alice@evil.com'");
	assert_constrains(&c, &c.san.value, "alice@EXAMPLE.com",
	    "alice@evil.com", "email address 'alice@evil.com'");
	c.excluded = true;
	c.subtree.value = "evil.com";
	assert_constrains(&c, &c.san.value, "alice@example.com",
	    "alice@Evil.COM", "email address 'alice@Evil.COM'");
}

static void
nc_email_subject_attribute(void **state)
{
	struct nc_case c = { .subtree = { GNUTLS_SAN_RFC822NAME,
	    "example.com" } };

	(void)state;
	assert_constrains(&c, &c.leaf_dn, "CN=alice,EMAIL=alice@example.com",
	    "CN=alice,EMAIL=alice@evil.com",
	    "subject emailAddress 'alice@evil.com'");
	c.excluded = true;
	c.subtree.value = "evil.com";
	assert_constrains(&c, &c.leaf_dn, "EMAIL=alice@example.com,CN=alice",
	    "EMAIL=alice@example.com,EMAIL=mallory@evil.com,CN=alice",
	    "'mallory@evil.com'");
}

static void
nc_directory_name_subject(void **state)
{
	struct nc_case c = { .subtree = { GNUTLS_SAN_DN, "O=Example,C=US" } };

	(void)state;
	assert_constrains(&c, &c.leaf_dn, "CN=alice,O=EXAMPLE,C=us",
	    "CN=alice,O=Example Evil,C=US",
	    "subject 'CN=alice,O=Example Evil,C=US'");
	/* the subtree is a prefix of the RDN sequence, not a substring */
	assert_constrains(&c, &c.leaf_dn, "CN=alice,OU=Sales,O=Example,C=US",
	    "CN=alice,O=Example,C=US,DC=evil", "subject");
	c.excluded = true;
	c.subtree.value = "O=Evil  Corp,C=US";
	assert_constrains(&c, &c.leaf_dn, "CN=bob,O=Example,C=US",
	    "CN=bob,O= evil corp ,C=US", "CN=bob");
}

static void
nc_directory_name_alt_name(void **state)
{
	struct nc_case c = { .subtree = { GNUTLS_SAN_DN, "O=Example,C=US" },
	    .leaf_dn = "CN=alice,O=Example,C=US", .san = { GNUTLS_SAN_DN } };

	(void)state;
	assert_constrains(&c, &c.san.value, "CN=Alice Smith,O=Example,C=US",
	    "CN=Alice Smith,O=Other,C=US",
	    "directory name 'CN=Alice Smith,O=Other,C=US'");
}

/* An escaped ',' is part of a value, not the end of an RDN. */
static void
nc_directory_name_escapes(void **state)
{
	struct nc_case c = { .subtree = { GNUTLS_SAN_DN, "O=Example,C=US" },
	    .leaf_dn = "CN=alice,O=Example,C=US", .san = { GNUTLS_SAN_DN } };

	(void)state;
	/* two RDNs: CN "x,O=Example" and C "US" */
	assert_constrains(&c, &c.san.value, "CN=x\\,y\\+z,O=Example,C=US",
	    "CN=x\\,O=Example,C=US", "directory name 'CN=x\\x5c,O=Example");
}

/* A directoryName of the DER of a Name. */
static struct name
directory_name(const gnutls_datum_t *der)
{
	struct name name = { GNUTLS_SAN_DN, (const char *)der->data,
	    der->size };

	return name;
}

/*
 * RFC 5280 7.1: a value matches in whatever string type it is written,
 * prepared (case, spaces): an excluded O=Evil catches "evil" as a
 * UniversalString, IA5String or VisibleString too, which a comparison of
 * GnuTLS's printed names could not.  A value that is no string of its
 * type cannot be compared and refuses; one of no string type matches
 * only the same encoding.
 */
static void
nc_directory_name_any_string_type(void **state)
{
	static const struct tder_attribute evil[] = {
		{ TDER_OID_O, ASN1_ETYPE_PRINTABLE_STRING, "Evil", 4 },
		{ TDER_OID_O, ASN1_ETYPE_UNIVERSAL_STRING,
		    "\0\0\0e\0\0\0v\0\0\0i\0\0\0l", 16 },
		{ TDER_OID_O, ASN1_ETYPE_IA5_STRING, " EVIL", 5 },
		{ TDER_OID_O, ASN1_ETYPE_VISIBLE_STRING, "evil ", 5 },
		{ TDER_OID_O, ASN1_ETYPE_UTF8_STRING, "E\xc2\xadvil", 6 },
	};
	static const struct tder_attribute bad_utf8 = { TDER_OID_O,
	    ASN1_ETYPE_UTF8_STRING, "Evil\xff", 5 };
	static const struct tder_attribute good = { TDER_OID_O,
	    ASN1_ETYPE_PRINTABLE_STRING, "Good", 4 };
	static const struct tder_attribute octets[] = {
		{ TDER_OID_O, ASN1_ETYPE_OCTET_STRING, "Evil", 4 },
		{ TDER_OID_O, ASN1_ETYPE_OCTET_STRING, "EVIL", 4 },
	};
	gnutls_datum_t excluded = tder_name_with_rdn(&evil[0], 1);
	gnutls_datum_t fine = tder_name_with_rdn(&good, 1);
	gnutls_datum_t der;
	struct nc_case c = { .excluded = true,
	    .subtree = directory_name(&excluded), .leaf_dn = "CN=alice",
	    .san = directory_name(&fine) };
	struct finding f;

	(void)state;
	if (check_names(&c, &f) != 0)
		fail_msg("refused: %s", f.text);
	for (size_t i = 0; i < sizeof(evil) / sizeof(evil[0]); i++) {
		der = tder_name_with_rdn(&evil[i], 1);
		c.san = directory_name(&der);
		assert_rejects(check_names(&c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
		    "outside the nameConstraints");
		gnutls_free(der.data);
	}
	der = tder_name_with_rdn(&bad_utf8, 1);
	c.san = directory_name(&der);
	assert_rejects(check_names(&c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
	    "cannot be evaluated");
	gnutls_free(der.data);
	gnutls_free(excluded.data);
	/* an OCTET STRING: the same bytes only, case and all */
	excluded = tder_name_with_rdn(&octets[0], 1);
	c.subtree = directory_name(&excluded);
	der = tder_name_with_rdn(&octets[0], 1);
	c.san = directory_name(&der);
	assert_rejects(check_names(&c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
	    "outside the nameConstraints");
	gnutls_free(der.data);
	der = tder_name_with_rdn(&octets[1], 1);
	c.san = directory_name(&der);
	if (check_names(&c, &f) != 0)
		fail_msg("refused: %s", f.text);
	gnutls_free(der.data);
	gnutls_free(excluded.data);
	gnutls_free(fine.data);
}

/*
 * Letters of Latin-1, Greek and Cyrillic compare without case whatever
 * the string type; what Unicode's simple case folding leaves alone (the
 * Turkish dotted capital I) compares as written.
 */
static void
nc_directory_name_unicode_case(void **state)
{
	static const struct tder_attribute excluded[] = {
		/* "Ärzte Σ Москва" */
		{ TDER_OID_O, ASN1_ETYPE_UTF8_STRING,
		    "\xc3\x84rzte \xce\xa3 \xd0\x9c\xd0\xbe\xd1\x81\xd0\xba"
		    "\xd0\xb2\xd0\xb0", 22 },
		/* "İzmir" */
		{ TDER_OID_O, ASN1_ETYPE_UTF8_STRING, "\xc4\xb0zmir", 6 },
	};
	static const struct tder_attribute names[] = {
		/* "äRZTE σ мОСКВА" as a BMPString */
		{ TDER_OID_O, ASN1_ETYPE_BMP_STRING, "\0\xe4\0R\0Z\0T\0E\0 "
		    "\x03\xc3\0 \x04\x3c\x04\x1e\x04\x21\x04\x1a\x04\x12"
		    "\x04\x10", 28 },
		/* "izmir" */
		{ TDER_OID_O, ASN1_ETYPE_UTF8_STRING, "izmir", 5 },
	};
	struct nc_case c = { .excluded = true, .leaf_dn = "CN=alice" };
	struct finding f;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		gnutls_datum_t subtree = tder_name_with_rdn(&excluded[i], 1);
		gnutls_datum_t name = tder_name_with_rdn(&names[i], 1);

		c.subtree = directory_name(&subtree);
		c.san = directory_name(&name);
		if (i == 0)
			assert_rejects(check_names(&c, &f), &f,
			    MTLS_R_NAME_CONSTRAINTS, "outside");
		else if (check_names(&c, &f) != 0)
			fail_msg("refused: %s", f.text);
		gnutls_free(subtree.data);
		gnutls_free(name.data);
	}
}

/*
 * A permitted subtree written as PrintableString holds a subject
 * written as UTF8String in other case and spacing (RFC 5280 7.1).
 */
static void
nc_directory_name_prepared(void **state)
{
	static const struct tder_attribute permitted = { TDER_OID_O,
	    ASN1_ETYPE_PRINTABLE_STRING, "Example Corp", 12 };
	static const struct tder_attribute inside[] = {
		{ TDER_OID_O, ASN1_ETYPE_UTF8_STRING, "  EXAMPLE\tcorp ", 15 },
		{ TDER_OID_CN, ASN1_ETYPE_UTF8_STRING, "alice", 5 },
	};
	static const struct tder_attribute outside[] = {
		{ TDER_OID_O, ASN1_ETYPE_UTF8_STRING, "Example Corps", 13 },
		{ TDER_OID_CN, ASN1_ETYPE_UTF8_STRING, "alice", 5 },
	};
	gnutls_datum_t subtree = tder_name(&permitted, 1);
	gnutls_datum_t in = tder_name(inside, 2), out = tder_name(outside, 2);
	struct nc_case c = { .subtree = directory_name(&subtree),
	    .leaf_dn = "CN=alice,O=Example Corp", .san = directory_name(&in) };
	struct finding f;

	(void)state;
	if (check_names(&c, &f) != 0)
		fail_msg("refused: %s", f.text);
	c.san = directory_name(&out);
	assert_rejects(check_names(&c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
	    "directory name 'CN=alice,O=Example Corps'");
	gnutls_free(subtree.data);
	gnutls_free(in.data);
	gnutls_free(out.data);
}

/*
 * Multi-valued RDNs, which gnutls_x509_dn_set_str() cannot read: an RDN
 * matches the same set of attributes in any order, and no subset.  DER
 * orders the attributes of an RDN by their encoding, so the same set
 * comes in another order when a value is encoded otherwise: OU as a
 * BMPString comes after O ("O=Example+OU=Sales"), as a PrintableString
 * before it ("OU=Sales+O=Example").
 */
static void
nc_directory_name_multi_valued_rdn(void **state)
{
	static const struct tder_attribute bmp_ou[] = {
		{ TDER_OID_O, ASN1_ETYPE_PRINTABLE_STRING, "Example", 7 },
		{ TDER_OID_OU, ASN1_ETYPE_BMP_STRING, "\0S\0a\0l\0e\0s", 10 },
	};
	static const struct tder_attribute printable[] = {
		{ TDER_OID_O, ASN1_ETYPE_PRINTABLE_STRING, "Example", 7 },
		{ TDER_OID_OU, ASN1_ETYPE_PRINTABLE_STRING, "Sales", 5 },
	};
	gnutls_datum_t o_ou = tder_name_with_rdn(bmp_ou, 2);
	gnutls_datum_t ou_o = tder_name_with_rdn(printable, 2);
	gnutls_datum_t o = tder_name_with_rdn(printable, 1);
	struct nc_case c = { .subtree = directory_name(&o_ou),
	    .leaf_dn = "CN=alice", .san = directory_name(&ou_o) };
	struct finding f;

	(void)state;
	/* excluded, so that the subject, outside the subtree, is no matter */
	c.excluded = true;
	assert_rejects(check_names(&c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
	    "directory name 'OU=Sales+O=Example,C=US'");
	c.san = directory_name(&o);
	assert_int_equal(check_names(&c, &f), 0);
	/* permitted {O}: {OU, O} is not that RDN */
	c.excluded = false;
	c.subtree = directory_name(&o);
	c.leaf_dn = "CN=alice,O=Example,C=US";
	assert_int_equal(check_names(&c, &f), 0);
	c.san = directory_name(&ou_o);
	assert_rejects(check_names(&c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
	    "'OU=Sales+O=Example,C=US'");
	gnutls_free(o_ou.data);
	gnutls_free(ou_o.data);
	gnutls_free(o.data);
}

static void
nc_ip(void **state)
{
	struct nc_case c = { .subtree = { GNUTLS_SAN_IPADDRESS,
	    "\x0a\0\0\0\xff\0\0\0", 8 }, .leaf_dn = "CN=alice",
	    .san = { GNUTLS_SAN_IPADDRESS, NULL, 4 } };
	struct finding f;

	(void)state;
	assert_constrains(&c, &c.san.value, "\x0a\x01\x02\x03",
	    "\xc0\xa8\x01\x01", "IP address '192.168.1.1'");
	/* GnuTLS alone lets an IPv6 address past IPv4-only ranges */
	c.san.len = 16;
	c.san.value = "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01";
	assert_rejects(check_names(&c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
	    "IP address '2001:db8::1'");
	c.excluded = true;
	c.san.len = 4;
	assert_constrains(&c, &c.san.value, "\xc0\xa8\x01\x01",
	    "\x0a\x01\x02\x03", "IP address '10.1.2.3'");
}

/*
 * A dNSName that is an IPv4 address would pass iPAddress subtrees
 * unseen, and dNSName subtrees as a DNS name it is not: refused below a
 * CA with either, in every form inet_aton(3) and URL parsers read as an
 * address (decimal, octal, hexadecimal, fewer than four parts).
 * Constraints of other forms leave it alone, as does a path without
 * constraints (san_accepts_valid_names).
 */
static void
nc_dns_numeric(void **state)
{
	static const char *const numeric[] = { "8.8.8.8", "*.0.0.10",
	    "host.123", "134744072", "8.8.2056", "0x08080808",
	    "0x8.0x8.0x8.0x8", "010.010.010.010", "host.0X0a" };
	struct nc_case c = { .subtree = { GNUTLS_SAN_IPADDRESS,
	    "\x0a\0\0\0\xff\0\0\0", 8 }, .leaf_dn = "CN=printer",
	    .san = { GNUTLS_SAN_DNSNAME } };
	struct finding f;

	(void)state;
	for (size_t i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++) {
		c.san.value = numeric[i];
		for (unsigned excluded = 0; excluded <= 1; excluded++) {
			c.excluded = excluded;
			c.subtree.type = GNUTLS_SAN_IPADDRESS;
			c.subtree.value = "\x08\0\0\0\xff\0\0\0";
			c.subtree.len = 8;
			assert_rejects(check_names(&c, &f), &f,
			    MTLS_R_NAME_CONSTRAINTS, "is an IPv4 address "
			    "written as a DNS name");
			c.subtree.type = GNUTLS_SAN_DNSNAME;
			c.subtree.value = "example.com";
			c.subtree.len = 0;
			assert_rejects(check_names(&c, &f), &f,
			    MTLS_R_NAME_CONSTRAINTS, "'CN=Constrained CA' "
			    "restrict, that cannot be evaluated (it is an IPv4 "
			    "address written as a DNS name");
		}
	}
	/* mail constraints do not care */
	c.excluded = false;
	c.subtree.type = GNUTLS_SAN_RFC822NAME;
	c.subtree.value = "example.com";
	c.san.value = "8.8.8.8";
	if (check_names(&c, &f) != 0)
		fail_msg("refused: %s", f.text);
	/* nor do they refuse a DNS name with digits in it */
	c.subtree.type = GNUTLS_SAN_IPADDRESS;
	c.subtree.value = "\x0a\0\0\0\xff\0\0\0";
	c.subtree.len = 8;
	c.san.value = "10.0.0.1.example.com";
	if (check_names(&c, &f) != 0)
		fail_msg("refused: %s", f.text);
	/* nor one whose last label only looks hexadecimal */
	c.san.value = "cafe.example.0xlab";
	if (check_names(&c, &f) != 0)
		fail_msg("refused: %s", f.text);
}

static void
nc_uri(void **state)
{
	struct nc_case c = { .subtree = { GNUTLS_SAN_URI, ".example.com" },
	    .leaf_dn = "CN=alice", .san = { GNUTLS_SAN_URI } };

	(void)state;
	assert_constrains(&c, &c.san.value,
	    "https://user@www.EXAMPLE.com:8443/x", "https://example.com/",
	    "URI 'https://example.com/'");
	/* no host to compare: refused rather than guessed */
	assert_constrains(&c, &c.san.value, "https://a.example.com",
	    "urn:example.com:alice", "cannot be evaluated");
	c.excluded = true;
	c.subtree.value = "evil.example.com";
	assert_constrains(&c, &c.san.value, "https://www.evil.example.com/",
	    "https://[::1]@evil.example.com/", "URI");
}

/*
 * A CA's self-issued certificate for its new key is exempt from the
 * constraints above it (RFC 5280 6.1.3 b), unless it is the client
 * certificate.
 */
static void
nc_self_issued(void **state)
{
	gnutls_x509_crt_t chain[4];
	struct nc_case c = { .subtree = { GNUTLS_SAN_DN, "O=Example" } };
	struct finding f;

	(void)state;
	chain[3] = ca_cert("CN=Root", NULL, -1);
	chain[2] = tpki_new("CN=Constrained CA", key, 0);
	tpki_make_ca(chain[2], -1);
	constrain(chain[2], &c);
	tpki_sign(chain[2], chain[3], key, GNUTLS_DIG_SHA256);
	chain[2] = reimport(chain[2]);
	chain[1] = ca_cert("CN=Constrained CA", chain[2], -1);
	chain[0] = leaf_cert("CN=alice,O=Example", chain[1]);
	assert_int_equal(rfc5280_check_path(chain, 4, &f), 0);
	assert_rejects(rfc5280_check_path(chain + 1, 3, &f), &f,
	    MTLS_R_NAME_CONSTRAINTS, "client certificate 'CN=Constrained CA'");
	for (size_t i = 0; i < 4; i++)
		tpki_free(chain[i]);
}

/*
 * A UPN subtree is matched by rfc822Name's rules (a UPN is written as a
 * mailbox is): the UPN that identity.map = "upn" maps is held to it.
 */
static void
nc_upn(void **state)
{
	struct nc_case c = { .subtree = {
	    GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL, "example.com" },
	    .leaf_dn = "CN=alice",
	    .san = { GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL } };

	(void)state;
	assert_constrains(&c, &c.san.value, "alice@EXAMPLE.com",
	    "alice@evil.com", "has UPN 'alice@evil.com' outside");
	c.excluded = true;
	c.subtree.value = ".evil.com";
	assert_constrains(&c, &c.san.value, "alice@evil.com",
	    "alice@corp.evil.com", "UPN 'alice@corp.evil.com'");
}

/*
 * c's subtree cannot be evaluated: permitted or excluded, it changes
 * nothing for a client certificate without a name of its form, or with
 * other, of another form (when not NULL), and refuses one with same.
 */
static void
assert_refuses_only_its_form(struct nc_case *c, const struct name *other,
    const struct name *same)
{
	struct finding f;

	for (int excluded = 0; excluded <= 1; excluded++) {
		c->excluded = excluded;
		c->san.type = 0;
		if (check_names(c, &f) != 0)
			fail_msg("refused: %s", f.text);
		if (other != NULL) {
			c->san = *other;
			if (check_names(c, &f) != 0)
				fail_msg("refused: %s", f.text);
		}
		c->san = *same;
		assert_rejects(check_names(c, &f), &f,
		    MTLS_R_NAME_CONSTRAINTS, "cannot be evaluated");
	}
}

/*
 * An otherName subtree of a type not matched here (XMPP) changes nothing
 * for a path without an otherName of that type, and refuses one with.
 */
static void
nc_other_name_not_evaluated(void **state)
{
	struct nc_case c = { .subtree = { GNUTLS_SAN_OTHERNAME_XMPP,
	    "example.com" }, .leaf_dn = "CN=alice" };
	static const struct name upn = { GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL,
	    "alice@evil.com", 0 };
	static const struct name xmpp = { GNUTLS_SAN_OTHERNAME_XMPP,
	    "alice@example.com", 0 };

	(void)state;
	assert_refuses_only_its_form(&c, &upn, &xmpp);
}

/* The DER of a NameConstraints with one permitted dNSName subtree
 * "example.com" whose bound ("minimum" or "maximum") is value. */
static gnutls_datum_t
bounded_subtree(const char *bound, const char *value)
{
	asn1_node nc = tder_new("NameConstraints");
	char field[64];

	tder_put(nc, "excludedSubtrees", NULL, 0);
	tder_put(nc, "permittedSubtrees", "NEW", 1);
	tder_put_general_name(nc, "permittedSubtrees.?LAST.base",
	    GNUTLS_SAN_DNSNAME, "example.com", 0);
	if (strcmp(bound, "maximum") != 0)
		tder_put(nc, "permittedSubtrees.?LAST.maximum", NULL, 0);
	snprintf(field, sizeof(field), "permittedSubtrees.?LAST.%s", bound);
	tder_put(nc, field, value, 0);
	return tder_encoded(nc);
}

/* RFC 5280 4.2.1.10: minimum is 0 and maximum absent; a CA that says
 * otherwise constrains in a way no verifier can follow. */
static void
nc_subtree_bounds(void **state)
{
	static const char *const bounds[][2] = {
		{ "minimum", "1" }, { "maximum", "0" }, { "maximum", "5" },
	};
	gnutls_x509_crt_t chain[2];
	struct finding f;

	(void)state;
	for (size_t i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++) {
		chain[1] = tpki_new("CN=Bounded CA", key, 0);
		tpki_make_ca(chain[1], -1);
		set_extension(chain[1], GNUTLS_X509EXT_OID_NAME_CONSTRAINTS,
		    bounded_subtree(bounds[i][0], bounds[i][1]), 1);
		chain[1] = self_signed(chain[1]);
		chain[0] = leaf_cert("CN=alice", chain[1]);
		assert_rejects(rfc5280_check_path(chain, 2, &f), &f,
		    MTLS_R_NAME_CONSTRAINTS, "a minimum other than 0 or a "
		    "maximum");
		tpki_free(chain[0]);
		tpki_free(chain[1]);
	}
}

/*
 * GnuTLS cannot read registeredID subtrees at all, and refused the whole
 * extension: such a subtree now refuses only a certificate that has a
 * registeredID name, which cannot be evaluated.
 */
static void
nc_registered_id(void **state)
{
	struct nc_case c = { .subtree = { GNUTLS_SAN_REGISTERED_ID,
	    "1.3.6.1" }, .leaf_dn = "CN=alice" };
	static const struct name id = { GNUTLS_SAN_REGISTERED_ID,
	    "1.3.6.1.4.1", 0 };

	(void)state;
	assert_refuses_only_its_form(&c, NULL, &id);
}

/* An empty directoryName subtree, which GnuTLS cannot read, holds every
 * directory name. */
static void
nc_empty_directory_name(void **state)
{
	struct nc_case c = { .subtree = { GNUTLS_SAN_DN, "\x30\x00", 2 },
	    .leaf_dn = "CN=alice" };
	struct finding f;

	(void)state;
	if (check_names(&c, &f) != 0)
		fail_msg("refused: %s", f.text);
	c.excluded = true;
	assert_rejects(check_names(&c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
	    "client certificate 'CN=alice' has subject 'CN=alice' outside");
}

static void
nc_of_trust_anchor(void **state)
{
	struct nc_case c = { .on_anchor = true,
	    .subtree = { GNUTLS_SAN_DNSNAME, "example.com" },
	    .leaf_dn = "CN=alice", .san = { GNUTLS_SAN_DNSNAME } };
	struct finding f;

	(void)state;
	assert_constrains(&c, &c.san.value, "a.example.com", "a.example.org",
	    "of CA 'CN=Root'");
	/* the intermediate's subject is held to the anchor's too */
	c.subtree.type = GNUTLS_SAN_DN;
	c.subtree.value = "O=Example";
	c.san.type = 0;
	c.leaf_dn = "CN=alice,O=Example";
	assert_rejects(check_names(&c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
	    "intermediate 'CN=Constrained CA' has subject");
}

/*
 * nameConstraints not marked critical, which RFC 5280 asks CAs not to
 * issue, in an anchor or an intermediate, bind as critical ones do
 * (6.1.4 (g) applies them if present): refusing the CA would refuse
 * what they allow too, ignoring them would accept what they refuse.
 */
static void
nc_not_critical(void **state)
{
	struct nc_case c = { .not_critical = true,
	    .subtree = { GNUTLS_SAN_DNSNAME, "example.com" },
	    .leaf_dn = "CN=alice", .san = { GNUTLS_SAN_DNSNAME } };

	(void)state;
	for (unsigned anchor = 0; anchor <= 1; anchor++) {
		c.on_anchor = anchor;
		c.excluded = false;
		c.subtree.value = "example.com";
		assert_constrains(&c, &c.san.value, "a.example.com",
		    "a.example.org", anchor ? "DNS name 'a.example.org' "
		    "outside the nameConstraints of CA 'CN=Root'" : "DNS name "
		    "'a.example.org' outside the nameConstraints of CA "
		    "'CN=Constrained CA'");
		c.excluded = true;
		c.subtree.value = "evil.com";
		assert_constrains(&c, &c.san.value, "a.example.com",
		    "www.evil.com", "DNS name 'www.evil.com' outside");
	}
}

static int
setup(void **state)
{
	(void)state;
	key = tpki_key_ec();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	gnutls_x509_privkey_deinit(key);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ca_accepts_standard_cas),
		cmocka_unit_test(ca_accepts_no_key_usage),
		cmocka_unit_test(ca_rejects_v1),
		cmocka_unit_test(ca_rejects_missing_basic_constraints),
		cmocka_unit_test(ca_rejects_ca_false),
		cmocka_unit_test(ca_accepts_non_critical_basic_constraints),
		cmocka_unit_test(ca_rejects_key_usage_without_cert_sign),
		cmocka_unit_test(ca_rejects_missing_subject_key_id),
		cmocka_unit_test(ca_rejects_missing_authority_key_id),
		cmocka_unit_test(ca_accepts_self_signed_without_authority_key_id),
		cmocka_unit_test(ca_rejects_empty_subject),
		cmocka_unit_test(serial_accepts_20_octets_and_v1),
		cmocka_unit_test(serial_rejects_over_20_octets),
		cmocka_unit_test(serial_rejects_negative_also_v1),
		cmocka_unit_test(serial_rejects_zero),
		cmocka_unit_test(cert_accepts_standard_and_v1),
		cmocka_unit_test(cert_extension_criticality),
		cmocka_unit_test(policy_constraints_not_critical),
		cmocka_unit_test(cert_name_constraints_placement),
		cmocka_unit_test(ca_remarks_every_extension),
		cmocka_unit_test(notes_once_and_bounded),
		cmocka_unit_test(cert_rejects_critical_authority_key_id),
		cmocka_unit_test(anchor_held_to_ca_rules),
		cmocka_unit_test(cert_rejects_duplicate_extension),
		cmocka_unit_test(cert_rejects_empty_eku),
		cmocka_unit_test(san_accepts_valid_names),
		cmocka_unit_test(san_rejects_invalid_names),
		cmocka_unit_test(san_rejects_empty_extension),
		cmocka_unit_test(cert_empty_subject_needs_critical_san),
		cmocka_unit_test(san_rejects_empty_name),
		cmocka_unit_test(leaf_accepts_client_certificates),
		cmocka_unit_test(leaf_rejects_ca),
		cmocka_unit_test(leaf_rejects_missing_authority_key_id),
		cmocka_unit_test(path_accepts_standard_chain),
		cmocka_unit_test(path_rejects_key_id_mismatch),
		cmocka_unit_test(leaf_rejects_aki_without_key_id),
		cmocka_unit_test(leaf_rejects_unreadable_authority_key_id),
		cmocka_unit_test(path_length_counts_intermediates),
		cmocka_unit_test(path_length_skips_self_issued),
		cmocka_unit_test(path_length_self_issued_by_name_rules),
		cmocka_unit_test(path_length_of_trust_anchor),
		cmocka_unit_test(nc_dns),
		cmocka_unit_test(nc_dns_subtree_must_be_a_dns_name),
		cmocka_unit_test(nc_work_is_bounded),
		cmocka_unit_test(nc_email_alt_name),
		cmocka_unit_test(nc_email_subject_attribute),
		cmocka_unit_test(nc_directory_name_subject),
		cmocka_unit_test(nc_directory_name_any_string_type),
		cmocka_unit_test(nc_directory_name_prepared),
		cmocka_unit_test(nc_directory_name_unicode_case),
		cmocka_unit_test(nc_directory_name_alt_name),
		cmocka_unit_test(nc_directory_name_escapes),
		cmocka_unit_test(nc_directory_name_multi_valued_rdn),
		cmocka_unit_test(nc_ip),
		cmocka_unit_test(nc_uri),
		cmocka_unit_test(nc_self_issued),
		cmocka_unit_test(nc_upn),
		cmocka_unit_test(nc_other_name_not_evaluated),
		cmocka_unit_test(nc_subtree_bounds),
		cmocka_unit_test(nc_registered_id),
		cmocka_unit_test(nc_empty_directory_name),
		cmocka_unit_test(nc_of_trust_anchor),
		cmocka_unit_test(nc_not_critical),
		cmocka_unit_test(nc_dns_numeric),
		cmocka_unit_test(nc_dns_wildcard_against_excluded),
		cmocka_unit_test(nc_empty_lists),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
