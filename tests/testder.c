#include "testder.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <gnutls/x509.h>

#include "pkixasn.h"

/* Microsoft's user principal name, an otherName */
#define OID_MS_UPN "1.3.6.1.4.1.311.20.2.3"
#define OID_XMPP "1.3.6.1.5.5.7.8.5"

asn1_node
tder_new(const char *type)
{
	asn1_node value;

	assert_int_equal(pkixasn_create(type, &value), ASN1_SUCCESS);
	return value;
}

void
tder_put(asn1_node node, const char *name, const void *value, size_t len)
{
	int ret = asn1_write_value(node, name, value, (int)len);

	if (ret != ASN1_SUCCESS)
		fail_msg("cannot write %s: %s", name, asn1_strerror(ret));
}

gnutls_datum_t
tder_of(asn1_node_const node, const char *name)
{
	gnutls_datum_t der;
	int len = 0;

	assert_int_equal(asn1_der_coding(node, name, NULL, &len, NULL),
	    ASN1_MEM_ERROR);
	der.data = gnutls_malloc((size_t)len);
	assert_non_null(der.data);
	assert_int_equal(asn1_der_coding(node, name, der.data, &len, NULL),
	    ASN1_SUCCESS);
	der.size = (unsigned)len;
	return der;
}

gnutls_datum_t
tder_encoded(asn1_node value)
{
	gnutls_datum_t der = tder_of(value, "");

	asn1_delete_structure(&value);
	return der;
}

gnutls_datum_t
tder_simple(unsigned etype, const void *contents, size_t len)
{
	unsigned char tl[ASN1_MAX_TL_SIZE];
	unsigned tl_len = sizeof(tl);
	gnutls_datum_t der;

	assert_int_equal(asn1_encode_simple_der(etype, contents, (unsigned)len,
	    tl, &tl_len), ASN1_SUCCESS);
	der.size = tl_len + (unsigned)len;
	der.data = gnutls_malloc(der.size);
	assert_non_null(der.data);
	memcpy(der.data, tl, tl_len);
	memcpy(der.data + tl_len, contents, len);
	return der;
}

/* The name of the element field below name ("": the root). */
static const char *
below(char *buf, size_t size, const char *name, const char *field)
{
	assert_true((size_t)snprintf(buf, size, "%s%s%s", name,
	    name[0] != '\0' ? "." : "", field) < size);
	return buf;
}

/* The directoryName at name in node, from its RFC 4514 form. */
static void
put_dn_string(asn1_node node, const char *name, const char *str)
{
	gnutls_x509_dn_t dn;
	gnutls_datum_t der;

	assert_int_equal(gnutls_x509_dn_init(&dn), 0);
	assert_int_equal(gnutls_x509_dn_set_str(dn, str, NULL), 0);
	assert_int_equal(gnutls_x509_dn_export2(dn, GNUTLS_X509_FMT_DER, &der),
	    0);
	gnutls_x509_dn_deinit(dn);
	tder_put_general_name(node, name, GNUTLS_SAN_DN, der.data, der.size);
	gnutls_free(der.data);
}

void
tder_put_general_name(asn1_node node, const char *name, unsigned type,
    const void *value, size_t len)
{
	static const char *const choices[] = {
		[GNUTLS_SAN_DNSNAME] = "dNSName",
		[GNUTLS_SAN_RFC822NAME] = "rfc822Name",
		[GNUTLS_SAN_URI] = "uniformResourceIdentifier",
		[GNUTLS_SAN_IPADDRESS] = "iPAddress",
		[GNUTLS_SAN_DN] = "directoryName",
		[GNUTLS_SAN_REGISTERED_ID] = "registeredID",
	};
	char field[256], upn_field[256];
	gnutls_datum_t utf8;

	if (type == GNUTLS_SAN_DN && len == 0) {
		put_dn_string(node, name, value);
		return;
	}
	if (len == 0)
		len = strlen(value);
	if (type == GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL ||
	    type == GNUTLS_SAN_OTHERNAME_XMPP) {
		tder_put(node, name, "otherName", 1);
		below(field, sizeof(field), name, "otherName");
		tder_put(node, below(upn_field, sizeof(upn_field), field,
		    "type-id"), type == GNUTLS_SAN_OTHERNAME_XMPP ? OID_XMPP :
		    OID_MS_UPN, 1);
		utf8 = tder_simple(ASN1_ETYPE_UTF8_STRING, value, len);
		tder_put(node, below(upn_field, sizeof(upn_field), field,
		    "value"), utf8.data, utf8.size);
		gnutls_free(utf8.data);
		return;
	}
	assert_true(type < sizeof(choices) / sizeof(choices[0]) &&
	    choices[type] != NULL);
	tder_put(node, name, choices[type], 1);
	tder_put(node, below(field, sizeof(field), name, choices[type]), value,
	    len);
}

void
tder_add_general_name(asn1_node node, const char *list, unsigned type,
    const void *value, size_t len)
{
	char last[256];

	tder_put(node, list, "NEW", 1);
	tder_put_general_name(node, below(last, sizeof(last), list, "?LAST"),
	    type, value, len);
}

/* The Name tder_with_subject() writes, for tder_rewritten()'s edit. */
static gnutls_datum_t new_subject;

static void
put_subject(asn1_node cert)
{
	tder_put(cert, "tbsCertificate.subject", new_subject.data,
	    new_subject.size);
}

gnutls_x509_crt_t
tder_with_subject(gnutls_x509_crt_t crt, const gnutls_datum_t *name)
{
	gnutls_x509_crt_t out;
	gnutls_datum_t der;

	new_subject = *name;
	der = tder_rewritten(crt, put_subject);
	assert_int_equal(gnutls_x509_crt_init(&out), 0);
	assert_int_equal(gnutls_x509_crt_import(out, &der,
	    GNUTLS_X509_FMT_DER), 0);
	gnutls_free(der.data);
	return out;
}

void
tder_add_rdn(asn1_node name, const struct tder_attribute *attrs, size_t n)
{
	tder_put(name, "", "NEW", 1);
	for (size_t i = 0; i < n; i++) {
		gnutls_datum_t value = tder_simple(attrs[i].etype,
		    attrs[i].value, attrs[i].len);

		tder_put(name, "?LAST", "NEW", 1);
		tder_put(name, "?LAST.?LAST.type", attrs[i].oid, 1);
		tder_put(name, "?LAST.?LAST.value", value.data, value.size);
		gnutls_free(value.data);
	}
}

gnutls_datum_t
tder_name(const struct tder_attribute *rdns, size_t n)
{
	asn1_node name = tder_new("RDNSequence");

	for (size_t i = 0; i < n; i++)
		tder_add_rdn(name, &rdns[i], 1);
	return tder_encoded(name);
}

gnutls_datum_t
tder_name_with_rdn(const struct tder_attribute *attrs, size_t n)
{
	static const struct tder_attribute us = { TDER_OID_C,
	    ASN1_ETYPE_PRINTABLE_STRING, "US", 2 };
	asn1_node name = tder_new("RDNSequence");

	tder_add_rdn(name, &us, 1);
	tder_add_rdn(name, attrs, n);
	return tder_encoded(name);
}

void
tder_add_extension(asn1_node node, const char *list,
    const struct tder_ext *ext)
{
	char last[128];
	asn1_node at;

	tder_put(node, list, "NEW", 1);
	at = asn1_find_node(node, below(last, sizeof(last), list, "?LAST"));
	assert_non_null(at);
	tder_put(at, "?CURRENT.extnID", ext->oid, 1);
	tder_put(at, "?CURRENT.critical", ext->critical ? "TRUE" : "FALSE", 1);
	tder_put(at, "?CURRENT.extnValue", ext->value.data, ext->value.size);
	gnutls_free(ext->value.data);
}

gnutls_datum_t
tder_rewritten(gnutls_x509_crt_t crt, void (*edit)(asn1_node))
{
	gnutls_datum_t der;
	asn1_node cert;

	assert_int_equal(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER,
	    &der), 0);
	gnutls_x509_crt_deinit(crt);
	assert_int_equal(pkixasn_decode("Certificate", der.data, der.size,
	    &cert), ASN1_SUCCESS);
	gnutls_free(der.data);
	edit(cert);
	return tder_encoded(cert);
}
