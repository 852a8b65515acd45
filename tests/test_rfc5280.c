/*
 * The RFC 5280 rules GnuTLS does not enforce: each with a certificate that
 * passes and one that is refused for the right reason, naming the right
 * certificate.  Certificates go through DER and back, as the verifier
 * sees them.  Extensions GnuTLS cannot write (directoryName and otherName
 * subtrees, directoryName alternative names, malformed values) are set
 * as DER built here with a small TLV writer.
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
#include <gnutls/x509.h>

#include "rfc5280.h"
#include "testpki.h"

static gnutls_x509_privkey_t key;

/* DER TLV writer for the extension values GnuTLS cannot produce. */
struct der {
	unsigned char b[1024];
	size_t len;
};

static void
der_put(struct der *d, unsigned char tag, const void *data, size_t len)
{
	assert_true(len < 65536 && d->len + len + 4 <= sizeof(d->b));
	d->b[d->len++] = tag;
	if (len >= 256) {
		d->b[d->len++] = 0x82;
		d->b[d->len++] = (unsigned char)(len >> 8);
	} else if (len >= 128)
		d->b[d->len++] = 0x81;
	d->b[d->len++] = (unsigned char)len;
	memcpy(d->b + d->len, data, len);
	d->len += len;
}

/* GeneralName context tags */
#define GN_OTHERNAME 0xa0
#define GN_RFC822 0x81
#define GN_DNS 0x82
#define GN_DIRECTORY 0xa4
#define GN_URI 0x86
#define GN_IP 0x87
#define GN_REGISTERED_ID 0x88

#define DER_SEQUENCE 0x30

/* DER of a Name given in RFC 4514 form. */
static struct der
dn_der(const char *str)
{
	gnutls_x509_dn_t dn;
	gnutls_datum_t out;
	struct der d = { .len = 0 };

	assert_int_equal(gnutls_x509_dn_init(&dn), 0);
	assert_int_equal(gnutls_x509_dn_set_str(dn, str, NULL), 0);
	assert_int_equal(gnutls_x509_dn_export2(dn, GNUTLS_X509_FMT_DER, &out),
	    0);
	assert_true(out.size <= sizeof(d.b));
	memcpy(d.b, out.data, out.size);
	d.len = out.size;
	gnutls_free(out.data);
	gnutls_x509_dn_deinit(dn);
	return d;
}

/* A Microsoft UPN otherName GeneralName. */
static void
put_upn(struct der *list, const char *upn)
{
	static const unsigned char oid[] = { 0x06, 0x0a, 0x2b, 0x06, 0x01,
	    0x04, 0x01, 0x82, 0x37, 0x14, 0x02, 0x03 };
	struct der value = { .len = 0 }, body = { .len = 0 };

	der_put(&value, 0x0c, upn, strlen(upn));
	memcpy(body.b, oid, sizeof(oid));
	body.len = sizeof(oid);
	der_put(&body, 0xa0, value.b, value.len);
	der_put(list, GN_OTHERNAME, body.b, body.len);
}

/* Append a GeneralName of a GNUTLS_SAN_* type to list. */
static void
put_general_name(struct der *list, unsigned type, const void *name,
    size_t len)
{
	struct der dn;

	static const unsigned char primitive[] = {
		[GNUTLS_SAN_DNSNAME] = GN_DNS,
		[GNUTLS_SAN_RFC822NAME] = GN_RFC822,
		[GNUTLS_SAN_URI] = GN_URI,
		[GNUTLS_SAN_IPADDRESS] = GN_IP,
		[GNUTLS_SAN_REGISTERED_ID] = GN_REGISTERED_ID,
	};

	if (type == GNUTLS_SAN_DN) {
		dn = dn_der(name);
		der_put(list, GN_DIRECTORY, dn.b, dn.len);
	} else if (type == GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL)
		put_upn(list, name);
	else {
		assert_true(type < sizeof(primitive) && primitive[type] != 0);
		der_put(list, primitive[type], name, len);
	}
}

/* A subjectAltName of one name, as DER. */
static void
set_raw_alt_name(gnutls_x509_crt_t crt, unsigned type, const void *name,
    size_t len)
{
	struct der names = { .len = 0 }, ext = { .len = 0 };

	put_general_name(&names, type, name, len);
	der_put(&ext, DER_SEQUENCE, names.b, names.len);
	assert_int_equal(gnutls_x509_crt_set_extension_by_oid(crt,
	    GNUTLS_X509EXT_OID_SAN, ext.b, ext.len, 0), 0);
}

static void
set_raw_extension(gnutls_x509_crt_t crt, const char *oid, const void *der,
    size_t len, unsigned critical)
{
	assert_int_equal(gnutls_x509_crt_set_extension_by_oid(crt, oid, der,
	    len, critical), 0);
}

/* Through DER and back, as the verifier gets certificates; frees crt. */
static gnutls_x509_crt_t
reimport(gnutls_x509_crt_t crt)
{
	gnutls_x509_crt_t out;
	gnutls_datum_t der;

	assert_int_equal(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER,
	    &der), 0);
	assert_int_equal(gnutls_x509_crt_init(&out), 0);
	assert_int_equal(gnutls_x509_crt_import(out, &der,
	    GNUTLS_X509_FMT_DER), 0);
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

/* ---- rfc5280_check_ca ---- */

static void
ca_accepts_standard_cas(void **state)
{
	struct tpki_std pki;
	struct finding f;

	(void)state;
	tpki_std_make(&pki);
	assert_int_equal(rfc5280_check_ca(pki.root, true, &f), 0);
	assert_int_equal(rfc5280_check_ca(pki.intermediate, false, &f), 0);
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

static void
ca_rejects_v1(void **state)
{
	gnutls_x509_crt_t ca = self_signed(tpki_new("CN=Old CA", key, TPKI_V1));
	struct finding f;

	(void)state;
	assert_rejects(rfc5280_check_ca(ca, false, &f), &f, MTLS_R_V1_CA,
	    "intermediate 'CN=Old CA'");
	assert_rejects(rfc5280_check_ca(ca, true, &f), &f, MTLS_R_V1_CA,
	    "trust anchor 'CN=Old CA'");
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

static void
ca_rejects_non_critical_basic_constraints(void **state)
{
	static const unsigned char bc_ca[] = { 0x30, 0x03, 0x01, 0x01, 0xff };
	gnutls_x509_crt_t ca = tpki_new("CN=Foo CA", key, 0);
	struct finding f;

	(void)state;
	set_raw_extension(ca, GNUTLS_X509EXT_OID_BASIC_CONSTRAINTS, bc_ca,
	    sizeof(bc_ca), 0);
	ca = self_signed(ca);
	assert_rejects(rfc5280_check_ca(ca, false, &f), &f,
	    MTLS_R_ISSUER_NOT_CA, "intermediate 'CN=Foo CA' has "
	    "basicConstraints not marked critical; reissue it with a critical "
	    "basicConstraints CA:TRUE");
	tpki_free(ca);
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
	assert_rejects(rfc5280_check_ca(ca, true, &f), &f,
	    MTLS_R_KEY_IDENTIFIER, "trust anchor 'CN=No SKI'");
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

/* gnutls_x509_crt_set_serial() refuses zero: sign with serial 0x7f and
 * patch that octet in the DER.  The signature breaks; the rule does not
 * look at it. */
static void
serial_rejects_zero(void **state)
{
	static const unsigned char v3_serial_7f[] = { 0xa0, 0x03, 0x02, 0x01,
	    0x02, 0x02, 0x01, 0x7f };
	gnutls_x509_crt_t crt = with_serial("\x7f", 1, 0);
	gnutls_datum_t der;
	unsigned char *at = NULL;
	struct finding f;

	(void)state;
	assert_int_equal(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER,
	    &der), 0);
	for (size_t i = 0; at == NULL && i + sizeof(v3_serial_7f) <= der.size;
	    i++)
		if (memcmp(der.data + i, v3_serial_7f,
		    sizeof(v3_serial_7f)) == 0)
			at = der.data + i + sizeof(v3_serial_7f) - 1;
	assert_non_null(at);
	*at = 0;
	tpki_free(crt);
	assert_int_equal(gnutls_x509_crt_init(&crt), 0);
	assert_int_equal(gnutls_x509_crt_import(crt, &der,
	    GNUTLS_X509_FMT_DER), 0);
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

static void
cert_extension_criticality(void **state)
{
	/* an unknown extension, a certificatePolicies with anyPolicy */
	static const unsigned char opaque[] = { 0x05, 0x00 };
	static const unsigned char any_policy[] = { 0x30, 0x08, 0x30, 0x06,
	    0x06, 0x04, 0x55, 0x1d, 0x20, 0x00 };
	static const unsigned char aia[] = { 0x30, 0x1d, 0x30, 0x1b, 0x06,
	    0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x86, 0x0f,
	    'h', 't', 't', 'p', ':', '/', '/', 'o', 'c', 's', 'p', '.', 'e',
	    'x', '/' };
	static const unsigned char key_id[] = { 0x04, 0x02, 0x01, 0x02 };
	static const struct {
		const char *oid;
		const unsigned char *der;
		size_t len;
		unsigned critical;
		bool accepted;
	} cases[] = {
		{ "1.3.6.1.4.1.99999.1", opaque, sizeof(opaque), 0, true },
		{ "1.3.6.1.4.1.99999.1", opaque, sizeof(opaque), 1, false },
		{ "2.5.29.32", any_policy, sizeof(any_policy), 1, true },
		{ "1.3.6.1.5.5.7.1.1", aia, sizeof(aia), 0, true },
		{ "1.3.6.1.5.5.7.1.1", aia, sizeof(aia), 1, false },
		{ "1.3.6.1.5.5.7.1.11", aia, sizeof(aia), 1, false },
		{ "2.5.29.14", key_id, sizeof(key_id), 1, false },
	};
	struct finding f;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		gnutls_x509_crt_t crt = tpki_new("CN=ext", key, 0);

		set_raw_extension(crt, cases[i].oid, cases[i].der, cases[i].len,
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

static void
cert_rejects_critical_authority_key_id(void **state)
{
	static const unsigned char aki[] = { 0x30, 0x04, 0x80, 0x02, 0x01,
	    0x02 };
	gnutls_x509_crt_t crt = tpki_new("CN=aki", key, 0);
	struct finding f;

	(void)state;
	/* self-signed, so tpki_sign() leaves this AKI alone */
	set_raw_extension(crt, GNUTLS_X509EXT_OID_AUTHORITY_KEY_ID, aki,
	    sizeof(aki), 1);
	crt = self_signed(crt);
	assert_rejects(rfc5280_check_cert(crt, &f), &f,
	    MTLS_R_CRITICAL_EXTENSION, "authorityKeyIdentifier extension "
	    "critical");
	tpki_free(crt);
}

/*
 * GnuTLS's setters replace an extension of the same OID, and its import
 * refuses duplicates unless its sanity checks are off: write the EKU
 * under a placeholder OID, patch the OID to the EKU's in the DER, and
 * import it with GNUTLS_X509_CRT_FLAG_IGNORE_SANITY.
 */
static void
cert_rejects_duplicate_extension(void **state)
{
	static const unsigned char placeholder[] = { 0x06, 0x03, 0x55, 0x1d,
	    0x63 };
	static const unsigned char client_auth[] = { 0x30, 0x0a, 0x06, 0x08,
	    0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02 };
	gnutls_x509_crt_t crt = tpki_new("CN=twice", key, 0);
	gnutls_datum_t der;
	unsigned char *at = NULL;
	struct finding f;

	(void)state;
	tpki_make_client(crt);
	set_raw_extension(crt, "2.5.29.99", client_auth, sizeof(client_auth),
	    0);
	crt = self_signed(crt);
	assert_int_equal(rfc5280_check_cert(crt, &f), 0);
	assert_int_equal(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER,
	    &der), 0);
	tpki_free(crt);
	for (size_t i = 0; at == NULL && i + sizeof(placeholder) <= der.size;
	    i++)
		if (memcmp(der.data + i, placeholder, sizeof(placeholder)) == 0)
			at = der.data + i + sizeof(placeholder) - 1;
	assert_non_null(at);
	*at = 0x25;	/* 2.5.29.37, extendedKeyUsage */
	assert_int_equal(gnutls_x509_crt_init(&crt), 0);
	assert_int_equal(gnutls_x509_crt_import(crt, &der,
	    GNUTLS_X509_FMT_DER), GNUTLS_E_X509_DUPLICATE_EXTENSION);
	tpki_free(crt);
	assert_int_equal(gnutls_x509_crt_init(&crt), 0);
	gnutls_x509_crt_set_flags(crt, GNUTLS_X509_CRT_FLAG_IGNORE_SANITY);
	assert_int_equal(gnutls_x509_crt_import(crt, &der,
	    GNUTLS_X509_FMT_DER), 0);
	gnutls_free(der.data);
	assert_rejects(rfc5280_check_cert(crt, &f), &f,
	    MTLS_R_CRITICAL_EXTENSION, "extendedKeyUsage extension more than "
	    "once");
	tpki_free(crt);
}

static void
cert_rejects_empty_eku(void **state)
{
	static const unsigned char empty[] = { 0x30, 0x00 };
	static const unsigned char not_oids[] = { 0x30, 0x03, 0x02, 0x01,
	    0x01 };
	gnutls_x509_crt_t crt;
	struct finding f;

	(void)state;
	crt = tpki_new("CN=eku", key, 0);
	set_raw_extension(crt, GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE, empty,
	    sizeof(empty), 0);
	crt = self_signed(crt);
	assert_rejects(rfc5280_check_cert(crt, &f), &f, MTLS_R_EMPTY_EKU,
	    "'CN=eku'");
	tpki_free(crt);
	crt = tpki_new("CN=eku", key, 0);
	set_raw_extension(crt, GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE,
	    not_oids, sizeof(not_oids), 0);
	crt = self_signed(crt);
	assert_rejects(rfc5280_check_cert(crt, &f), &f, MTLS_R_EMPTY_EKU,
	    NULL);
	tpki_free(crt);
}

/* ---- rfc5280_check_cert: subjectAltName ---- */

struct san {
	unsigned type;
	const char *name;
	size_t len;	/* 0: strlen(name) */
};

/*
 * GnuTLS's setter maps DNS names and mail domains through IDNA, which
 * stops at a NUL: names with one are written as DER.
 */
static gnutls_x509_crt_t
with_san(const struct san *san)
{
	gnutls_x509_crt_t crt = tpki_new("CN=named", key, 0);
	size_t len = san->len != 0 ? san->len : strlen(san->name);

	if (memchr(san->name, '\0', len) != NULL)
		set_raw_alt_name(crt, san->type, san->name, len);
	else
		assert_int_equal(gnutls_x509_crt_set_subject_alt_name(crt,
		    san->type, san->name, (unsigned)len, GNUTLS_FSAN_APPEND),
		    0);
	return self_signed(crt);
}

static void
san_accepts_valid_names(void **state)
{
	static const struct san valid[] = {
		{ GNUTLS_SAN_DNSNAME, "host.example.com", 0 },
		{ GNUTLS_SAN_DNSNAME, "localhost", 0 },
		{ GNUTLS_SAN_DNSNAME, "*.example.com", 0 },
		{ GNUTLS_SAN_DNSNAME, "3com.example-1.org", 0 },
		{ GNUTLS_SAN_RFC822NAME, "alice.o+tag@example.com", 0 },
		{ GNUTLS_SAN_RFC822NAME, "alice@[192.0.2.1]", 0 },
		{ GNUTLS_SAN_IPADDRESS, "\x0a\x00\x00\x01", 4 },
		{ GNUTLS_SAN_IPADDRESS, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0"
		    "\x01", 16 },
		{ GNUTLS_SAN_URI, "https://www.example.com/path", 0 },
		{ GNUTLS_SAN_URI, "urn:uuid:1234", 0 },
	};
	struct der dn = { .len = 0 }, san = { .len = 0 };
	gnutls_x509_crt_t crt;
	struct finding f;

	(void)state;
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		crt = with_san(&valid[i]);
		if (rfc5280_check_cert(crt, &f) != 0)
			fail_msg("%s refused: %s", valid[i].name, f.text);
		tpki_free(crt);
	}
	put_general_name(&dn, GNUTLS_SAN_DN, "CN=alice,O=Example", 0);
	put_general_name(&dn, GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL,
	    "alice@example.com", 0);
	der_put(&san, DER_SEQUENCE, dn.b, dn.len);
	crt = tpki_new("CN=named", key, 0);
	set_raw_extension(crt, GNUTLS_X509EXT_OID_SAN, san.b, san.len, 0);
	crt = self_signed(crt);
	assert_int_equal(rfc5280_check_cert(crt, &f), 0);
	tpki_free(crt);
}

static void
san_rejects_invalid_names(void **state)
{
	static const struct san invalid[] = {
		{ GNUTLS_SAN_DNSNAME, "a b.example.com", 0 },
		{ GNUTLS_SAN_DNSNAME, "host\0.example.com", 17 },
		{ GNUTLS_SAN_DNSNAME, "under_score.example.com", 0 },
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
		crt = with_san(&invalid[i]);
		if (rfc5280_check_cert(crt, &f) != -1)
			fail_msg("%s accepted", invalid[i].name);
		assert_int_equal(f.reason, MTLS_R_BAD_NAME);
		assert_non_null(strstr(f.text,
		    "'CN=named' has subjectAltName"));
		tpki_free(crt);
	}
}

static void
san_rejects_empty_extension(void **state)
{
	static const unsigned char empty[] = { 0x30, 0x00 };
	gnutls_x509_crt_t crt = tpki_new("CN=nameless", key, 0);
	struct finding f;

	(void)state;
	set_raw_extension(crt, GNUTLS_X509EXT_OID_SAN, empty, sizeof(empty), 0);
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
	static const unsigned char empty_uri[] = { 0x30, 0x02, 0x86, 0x00 };
	gnutls_x509_crt_t crt = tpki_new("CN=blank", key, 0);
	gnutls_x509_crt_t imported;
	gnutls_datum_t der;
	struct finding f;

	(void)state;
	set_raw_extension(crt, GNUTLS_X509EXT_OID_SAN, empty_uri,
	    sizeof(empty_uri), 0);
	tpki_sign(crt, NULL, key, GNUTLS_DIG_SHA256);
	assert_rejects(rfc5280_check_cert(crt, &f), &f, MTLS_R_BAD_NAME,
	    "'CN=blank'");
	assert_int_equal(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER,
	    &der), 0);
	assert_int_equal(gnutls_x509_crt_init(&imported), 0);
	assert_int_equal(gnutls_x509_crt_import(imported, &der,
	    GNUTLS_X509_FMT_DER), GNUTLS_E_X509_UNKNOWN_SAN);
	gnutls_free(der.data);
	tpki_free(imported);
	tpki_free(crt);
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
	struct der issuer = { .len = 0 }, body = { .len = 0 };
	struct der aki = { .len = 0 };
	gnutls_x509_crt_t leaf = tpki_new("CN=legacy", key, 0);
	struct finding f;

	(void)state;
	put_general_name(&issuer, GNUTLS_SAN_DN, "CN=Test Intermediate", 0);
	der_put(&body, 0xa1, issuer.b, issuer.len);
	der_put(&body, 0x82, "\x05", 1);
	der_put(&aki, DER_SEQUENCE, body.b, body.len);
	set_raw_extension(leaf, GNUTLS_X509EXT_OID_AUTHORITY_KEY_ID, aki.b,
	    aki.len, 0);
	leaf = self_signed(leaf);
	assert_rejects(rfc5280_check_leaf(leaf, &f), &f,
	    MTLS_R_KEY_IDENTIFIER, "client certificate 'CN=legacy' has an "
	    "authority key identifier without the keyIdentifier");
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
	unsigned subtree_type;
	const char *subtree;
	size_t subtree_len;	/* 0: strlen(subtree) */
	const char *leaf_dn;
	unsigned san_type;	/* 0: no subjectAltName */
	const char *san;
	size_t san_len;		/* 0: strlen(san) */
	/* write every name as DER: GnuTLS's setters lower-case DNS names
	 * and mail domains (IDNA mapping) */
	bool as_written;
	/* directoryNames as DER, instead of subtree or san */
	const struct der *raw_subtree, *raw_san;
};

static size_t
len_or_strlen(const char *s, size_t len)
{
	return len != 0 ? len : strlen(s);
}

/* Through GnuTLS where it can write the form, as DER where it cannot. */
static void
constrain(gnutls_x509_crt_t ca, const struct nc_case *c)
{
	gnutls_x509_name_constraints_t nc;
	size_t len = c->raw_subtree != NULL ? 0 :
	    len_or_strlen(c->subtree, c->subtree_len);
	gnutls_datum_t name = { (unsigned char *)c->subtree, (unsigned)len };
	struct der base = { .len = 0 }, subtree = { .len = 0 };
	struct der subtrees = { .len = 0 }, ext = { .len = 0 };
	int ret;

	switch (c->as_written ? GNUTLS_SAN_DN : c->subtree_type) {
	case GNUTLS_SAN_DNSNAME:
	case GNUTLS_SAN_RFC822NAME:
	case GNUTLS_SAN_IPADDRESS:
	case GNUTLS_SAN_URI:
		assert_int_equal(gnutls_x509_name_constraints_init(&nc), 0);
		if (c->excluded)
			ret = gnutls_x509_name_constraints_add_excluded(nc,
			    c->subtree_type, &name);
		else
			ret = gnutls_x509_name_constraints_add_permitted(nc,
			    c->subtree_type, &name);
		assert_int_equal(ret, 0);
		assert_int_equal(gnutls_x509_crt_set_name_constraints(ca, nc,
		    1), 0);
		gnutls_x509_name_constraints_deinit(nc);
		return;
	default:
		if (c->raw_subtree != NULL)
			der_put(&base, GN_DIRECTORY, c->raw_subtree->b,
			    c->raw_subtree->len);
		else
			put_general_name(&base, c->subtree_type, c->subtree,
			    len);
		der_put(&subtree, DER_SEQUENCE, base.b, base.len);
		der_put(&subtrees, c->excluded ? 0xa1 : 0xa0, subtree.b,
		    subtree.len);
		der_put(&ext, DER_SEQUENCE, subtrees.b, subtrees.len);
		set_raw_extension(ca, GNUTLS_X509EXT_OID_NAME_CONSTRAINTS,
		    ext.b, ext.len, 1);
	}
}

static void
name_leaf(gnutls_x509_crt_t leaf, const struct nc_case *c)
{
	struct der names = { .len = 0 }, san = { .len = 0 };
	size_t len;

	if (c->san_type == 0)
		return;
	if (c->raw_san != NULL) {
		der_put(&names, GN_DIRECTORY, c->raw_san->b, c->raw_san->len);
		der_put(&san, DER_SEQUENCE, names.b, names.len);
		set_raw_extension(leaf, GNUTLS_X509EXT_OID_SAN, san.b, san.len,
		    0);
		return;
	}
	len = len_or_strlen(c->san, c->san_len);
	if (c->as_written || c->san_type == GNUTLS_SAN_DN ||
	    c->san_type == GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL)
		set_raw_alt_name(leaf, c->san_type, c->san, len);
	else
		assert_int_equal(gnutls_x509_crt_set_subject_alt_name(leaf,
		    c->san_type, c->san, (unsigned)len, GNUTLS_FSAN_APPEND), 0);
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
	name_leaf(chain[0], c);
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
	struct nc_case c = { .subtree_type = GNUTLS_SAN_DNSNAME,
	    .subtree = "example.com", .leaf_dn = "CN=alice",
	    .san_type = GNUTLS_SAN_DNSNAME };

	(void)state;
	assert_constrains(&c, &c.san, "host.example.com", "host.evil.com",
	    "client certificate 'CN=alice' has DNS name 'host.evil.com' "
	    "outside the nameConstraints of CA 'CN=Constrained CA'");
	c.excluded = true;
	c.subtree = "evil.com";
	assert_constrains(&c, &c.san, "host.example.com", "www.evil.com",
	    "DNS name 'www.evil.com'");
	/* GnuTLS alone compares byte for byte: HOST.example.COM would be
	 * outside "Example.com", and www.EVIL.com not excluded by "Evil.com" */
	c.as_written = true;
	c.excluded = false;
	c.subtree = "Example.com";
	assert_constrains(&c, &c.san, "HOST.example.COM", "host.evil.com",
	    "DNS name 'host.evil.com'");
	c.excluded = true;
	c.subtree = "Evil.com";
	assert_constrains(&c, &c.san, "host.example.com", "www.EVIL.com",
	    "DNS name 'www.EVIL.com'");
}

static void
nc_email_alt_name(void **state)
{
	struct nc_case c = { .subtree_type = GNUTLS_SAN_RFC822NAME,
	    .subtree = "example.com", .leaf_dn = "CN=alice",
	    .san_type = GNUTLS_SAN_RFC822NAME };

	(void)state;
	assert_constrains(&c, &c.san, "alice@example.com", "alice@evil.com",
	    "email address 'alice@evil.com'");
	c.as_written = true;
	assert_constrains(&c, &c.san, "alice@EXAMPLE.com", "alice@evil.com",
	    "email address 'alice@evil.com'");
	c.excluded = true;
	c.subtree = "evil.com";
	assert_constrains(&c, &c.san, "alice@example.com", "alice@Evil.COM",
	    "email address 'alice@Evil.COM'");
}

static void
nc_email_subject_attribute(void **state)
{
	struct nc_case c = { .subtree_type = GNUTLS_SAN_RFC822NAME,
	    .subtree = "example.com" };

	(void)state;
	assert_constrains(&c, &c.leaf_dn, "CN=alice,EMAIL=alice@example.com",
	    "CN=alice,EMAIL=alice@evil.com",
	    "subject emailAddress 'alice@evil.com'");
	c.excluded = true;
	c.subtree = "evil.com";
	assert_constrains(&c, &c.leaf_dn, "EMAIL=alice@example.com,CN=alice",
	    "EMAIL=alice@example.com,EMAIL=mallory@evil.com,CN=alice",
	    "'mallory@evil.com'");
}

static void
nc_directory_name_subject(void **state)
{
	struct nc_case c = { .subtree_type = GNUTLS_SAN_DN,
	    .subtree = "O=Example,C=US" };

	(void)state;
	assert_constrains(&c, &c.leaf_dn, "CN=alice,O=EXAMPLE,C=us",
	    "CN=alice,O=Example Evil,C=US",
	    "subject 'CN=alice,O=Example Evil,C=US'");
	/* the subtree is a prefix of the RDN sequence, not a substring */
	assert_constrains(&c, &c.leaf_dn, "CN=alice,OU=Sales,O=Example,C=US",
	    "CN=alice,O=Example,C=US,DC=evil", "subject");
	c.excluded = true;
	c.subtree = "O=Evil  Corp,C=US";
	assert_constrains(&c, &c.leaf_dn, "CN=bob,O=Example,C=US",
	    "CN=bob,O= evil corp ,C=US", "CN=bob");
}

static void
nc_directory_name_alt_name(void **state)
{
	struct nc_case c = { .subtree_type = GNUTLS_SAN_DN,
	    .subtree = "O=Example,C=US", .leaf_dn = "CN=alice,O=Example,C=US",
	    .san_type = GNUTLS_SAN_DN };

	(void)state;
	assert_constrains(&c, &c.san, "CN=Alice Smith,O=Example,C=US",
	    "CN=Alice Smith,O=Other,C=US",
	    "directory name 'CN=Alice Smith,O=Other,C=US'");
}

/* An escaped ',' is part of a value, not the end of an RDN. */
static void
nc_directory_name_escapes(void **state)
{
	struct nc_case c = { .subtree_type = GNUTLS_SAN_DN,
	    .subtree = "O=Example,C=US", .leaf_dn = "CN=alice,O=Example,C=US",
	    .san_type = GNUTLS_SAN_DN };

	(void)state;
	/* two RDNs: CN "x,O=Example" and C "US" */
	assert_constrains(&c, &c.san, "CN=x\\,y\\+z,O=Example,C=US",
	    "CN=x\\,O=Example,C=US", "directory name 'CN=x\\x5c,O=Example");
}

/* Append the attribute oid=value (a PrintableString) to an RDN's set. */
static void
put_attribute(struct der *set, const char *oid_der, const char *value)
{
	struct der attr = { .len = 0 };

	der_put(&attr, 0x06, oid_der, strlen(oid_der));
	der_put(&attr, 0x13, value, strlen(value));
	der_put(set, DER_SEQUENCE, attr.b, attr.len);
}

#define OID_C "\x55\x04\x06"
#define OID_O "\x55\x04\x0a"
#define OID_OU "\x55\x04\x0b"

/* "C=US" then one RDN of the attributes given (oid, value pairs). */
static struct der
name_with_rdn(size_t n, const char *const *attrs)
{
	struct der country = { .len = 0 }, set = { .len = 0 };
	struct der rdns = { .len = 0 }, name = { .len = 0 };

	put_attribute(&country, OID_C, "US");
	der_put(&rdns, 0x31, country.b, country.len);
	for (size_t i = 0; i < n; i++)
		put_attribute(&set, attrs[2 * i], attrs[2 * i + 1]);
	der_put(&rdns, 0x31, set.b, set.len);
	der_put(&name, DER_SEQUENCE, rdns.b, rdns.len);
	return name;
}

/*
 * Multi-valued RDNs, which gnutls_x509_dn_set_str() cannot write: an RDN
 * matches the same set of attributes in any order, and no subset.
 */
static void
nc_directory_name_multi_valued_rdn(void **state)
{
	static const char *const o_ou[] = { OID_O, "Example", OID_OU,
	    "Sales" };
	static const char *const ou_o[] = { OID_OU, "Sales", OID_O,
	    "Example" };
	static const char *const o[] = { OID_O, "Example" };
	struct der subtree = name_with_rdn(2, o_ou);
	struct der same = name_with_rdn(2, ou_o), subset = name_with_rdn(1, o);
	struct nc_case c = { .subtree_type = GNUTLS_SAN_DN,
	    .raw_subtree = &subtree, .leaf_dn = "CN=alice",
	    .san_type = GNUTLS_SAN_DN, .raw_san = &same };
	struct finding f;

	(void)state;
	/* excluded, so that the subject, outside the subtree, is no matter */
	c.excluded = true;
	assert_rejects(check_names(&c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
	    "directory name 'OU=Sales+O=Example,C=US'");
	c.raw_san = &subset;
	assert_int_equal(check_names(&c, &f), 0);
	/* permitted {O}: {OU, O} is not that RDN */
	c.excluded = false;
	c.raw_subtree = &subset;
	c.leaf_dn = "CN=alice,O=Example,C=US";
	assert_int_equal(check_names(&c, &f), 0);
	c.raw_san = &same;
	assert_rejects(check_names(&c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
	    "'OU=Sales+O=Example,C=US'");
}

static void
nc_ip(void **state)
{
	struct nc_case c = { .subtree_type = GNUTLS_SAN_IPADDRESS,
	    .subtree = "\x0a\0\0\0\xff\0\0\0", .subtree_len = 8,
	    .leaf_dn = "CN=alice", .san_type = GNUTLS_SAN_IPADDRESS,
	    .san_len = 4 };
	struct finding f;

	(void)state;
	assert_constrains(&c, &c.san, "\x0a\x01\x02\x03", "\xc0\xa8\x01\x01",
	    "IP address '192.168.1.1'");
	/* GnuTLS alone lets an IPv6 address past IPv4-only ranges */
	c.san_len = 16;
	c.san = "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01";
	assert_rejects(check_names(&c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
	    "IP address '2001:db8::1'");
	c.excluded = true;
	c.san_len = 4;
	assert_constrains(&c, &c.san, "\xc0\xa8\x01\x01", "\x0a\x01\x02\x03",
	    "IP address '10.1.2.3'");
}

static void
nc_uri(void **state)
{
	struct nc_case c = { .subtree_type = GNUTLS_SAN_URI,
	    .subtree = ".example.com", .leaf_dn = "CN=alice",
	    .san_type = GNUTLS_SAN_URI };

	(void)state;
	assert_constrains(&c, &c.san, "https://user@www.EXAMPLE.com:8443/x",
	    "https://example.com/", "URI 'https://example.com/'");
	/* no host to compare: refused rather than guessed */
	assert_constrains(&c, &c.san, "https://a.example.com",
	    "urn:example.com:alice", "cannot be evaluated");
	c.excluded = true;
	c.subtree = "evil.example.com";
	assert_constrains(&c, &c.san, "https://www.evil.example.com/",
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
	struct nc_case c = { .subtree_type = GNUTLS_SAN_DN,
	    .subtree = "O=Example" };
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

/* GnuTLS reads UPN subtrees but cannot match them: fail closed. */
static void
nc_unsupported_form(void **state)
{
	struct nc_case c = { .subtree_type =
	    GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL, .subtree = "example.com",
	    .leaf_dn = "CN=alice" };
	struct finding f;

	(void)state;
	assert_int_equal(check_names(&c, &f), 0);
	c.san_type = GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL;
	c.san = "alice@example.com";
	assert_rejects(check_names(&c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
	    "cannot be evaluated");
}

/* GnuTLS cannot read registeredID subtrees at all. */
static void
nc_unreadable(void **state)
{
	struct nc_case c = { .subtree_type = GNUTLS_SAN_REGISTERED_ID,
	    .subtree = "\x2b\x06\x01", .leaf_dn = "CN=alice" };
	struct finding f;

	(void)state;
	assert_rejects(check_names(&c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
	    "CA 'CN=Constrained CA' has nameConstraints that cannot be "
	    "evaluated");
}

static void
nc_of_trust_anchor(void **state)
{
	struct nc_case c = { .on_anchor = true,
	    .subtree_type = GNUTLS_SAN_DNSNAME, .subtree = "example.com",
	    .leaf_dn = "CN=alice", .san_type = GNUTLS_SAN_DNSNAME };
	struct finding f;

	(void)state;
	assert_constrains(&c, &c.san, "a.example.com", "a.example.org",
	    "of CA 'CN=Root'");
	/* the intermediate's subject is held to the anchor's too */
	c.subtree_type = GNUTLS_SAN_DN;
	c.subtree = "O=Example";
	c.san_type = 0;
	c.leaf_dn = "CN=alice,O=Example";
	assert_rejects(check_names(&c, &f), &f, MTLS_R_NAME_CONSTRAINTS,
	    "intermediate 'CN=Constrained CA' has subject");
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
		cmocka_unit_test(ca_rejects_non_critical_basic_constraints),
		cmocka_unit_test(ca_rejects_key_usage_without_cert_sign),
		cmocka_unit_test(ca_rejects_missing_subject_key_id),
		cmocka_unit_test(serial_accepts_20_octets_and_v1),
		cmocka_unit_test(serial_rejects_over_20_octets),
		cmocka_unit_test(serial_rejects_negative_also_v1),
		cmocka_unit_test(serial_rejects_zero),
		cmocka_unit_test(cert_accepts_standard_and_v1),
		cmocka_unit_test(cert_extension_criticality),
		cmocka_unit_test(cert_rejects_critical_authority_key_id),
		cmocka_unit_test(cert_rejects_duplicate_extension),
		cmocka_unit_test(cert_rejects_empty_eku),
		cmocka_unit_test(san_accepts_valid_names),
		cmocka_unit_test(san_rejects_invalid_names),
		cmocka_unit_test(san_rejects_empty_extension),
		cmocka_unit_test(san_rejects_empty_name),
		cmocka_unit_test(leaf_accepts_client_certificates),
		cmocka_unit_test(leaf_rejects_ca),
		cmocka_unit_test(leaf_rejects_missing_authority_key_id),
		cmocka_unit_test(path_accepts_standard_chain),
		cmocka_unit_test(path_rejects_key_id_mismatch),
		cmocka_unit_test(leaf_rejects_aki_without_key_id),
		cmocka_unit_test(path_length_counts_intermediates),
		cmocka_unit_test(path_length_skips_self_issued),
		cmocka_unit_test(path_length_of_trust_anchor),
		cmocka_unit_test(nc_dns),
		cmocka_unit_test(nc_email_alt_name),
		cmocka_unit_test(nc_email_subject_attribute),
		cmocka_unit_test(nc_directory_name_subject),
		cmocka_unit_test(nc_directory_name_alt_name),
		cmocka_unit_test(nc_directory_name_escapes),
		cmocka_unit_test(nc_directory_name_multi_valued_rdn),
		cmocka_unit_test(nc_ip),
		cmocka_unit_test(nc_uri),
		cmocka_unit_test(nc_self_issued),
		cmocka_unit_test(nc_unsupported_form),
		cmocka_unit_test(nc_unreadable),
		cmocka_unit_test(nc_of_trust_anchor),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
