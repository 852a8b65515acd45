/*
 * testder.h - DER values for tests that GnuTLS's setters cannot make.
 *
 * GnuTLS writes only well-formed values, and maps or refuses some names
 * (IDNA lower-cases DNS names, a NUL ends them, directoryName and
 * otherName subtrees are refused).  The tests that need such values
 * encode them here with libtasn1 and the definitions libmtls reads with
 * (common/pkix.asn), never with a hand-written encoder.  Every call
 * fails the running cmocka test on error.
 */
#ifndef MTLS_TESTDER_H
#define MTLS_TESTDER_H

#include <stdbool.h>
#include <stddef.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <libtasn1.h>

/* An empty value of the pkix.asn type named type ("GeneralNames", ...). */
asn1_node tder_new(const char *type);

/* asn1_write_value() of the element name of node. */
void tder_put(asn1_node node, const char *name, const void *value,
    size_t len);

/* The DER of the element name of node; gnutls_free() its data. */
gnutls_datum_t tder_of(asn1_node_const node, const char *name);

/* The DER of value, which is freed; gnutls_free() its data. */
gnutls_datum_t tder_encoded(asn1_node value);

/*
 * crt (which is freed) as DER, decoded as a Certificate, changed by edit
 * and encoded again: for the fields GnuTLS will not set.  The signature
 * no longer matches, which only matters where it is checked (not on a
 * trust anchor's own).  gnutls_free() its data.
 */
gnutls_datum_t tder_rewritten(gnutls_x509_crt_t crt, void (*edit)(asn1_node));

/*
 * crt (which is freed) with its subject replaced by the DER Name name,
 * imported again; its signature no longer matches until it is signed
 * again (tpki_sign()).
 */
gnutls_x509_crt_t tder_with_subject(gnutls_x509_crt_t crt,
    const gnutls_datum_t *name);

/*
 * A value of a universal primitive type (ASN1_ETYPE_INTEGER, ...) with
 * exactly the contents given, unlike asn1_write_value(), which drops the
 * padding of an INTEGER.  gnutls_free() its data.
 */
gnutls_datum_t tder_simple(unsigned etype, const void *contents, size_t len);

/*
 * Write the GeneralName at name in node: of a GNUTLS_SAN_* type, as
 * given, NUL bytes and case included.  value is the address (IP), a
 * dotted OID (REGISTERED_ID), the DER of a Name or, with len 0, a Name
 * in RFC 4514 form (DN), or the text (the others,
 * GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL and GNUTLS_SAN_OTHERNAME_XMPP too,
 * as UTF8Strings); len is its length, 0 for strlen(value).
 */
void tder_put_general_name(asn1_node node, const char *name, unsigned type,
    const void *value, size_t len);

/* Append such a GeneralName to the GeneralNames at list ("": node). */
void tder_add_general_name(asn1_node node, const char *list, unsigned type,
    const void *value, size_t len);

/* An attribute of a Name: its type and a value of a universal type
 * (ASN1_ETYPE_PRINTABLE_STRING, ...) with exactly the contents given. */
struct tder_attribute {
	const char *oid;
	unsigned etype;
	const char *value;
	size_t len;
};

#define TDER_OID_CN "2.5.4.3"
#define TDER_OID_C "2.5.4.6"
#define TDER_OID_O "2.5.4.10"
#define TDER_OID_OU "2.5.4.11"

/*
 * Append to the RDNSequence name an RDN of the n attributes (libtasn1
 * orders them by their encoding, as DER does).
 */
void tder_add_rdn(asn1_node name, const struct tder_attribute *attrs,
    size_t n);

/* The DER of a Name of n RDNs, each of one attribute; gnutls_free() its
 * data. */
gnutls_datum_t tder_name(const struct tder_attribute *rdns, size_t n);

/* The DER of the Name "C=US" then one RDN of the n attributes. */
gnutls_datum_t tder_name_with_rdn(const struct tder_attribute *attrs,
    size_t n);

/* Extension ::= SEQUENCE { extnID, critical, extnValue } */
struct tder_ext {
	const char *oid;
	bool critical;
	gnutls_datum_t value;	/* DER, freed once added */
};

/* Append ext to the Extensions at list in node. */
void tder_add_extension(asn1_node node, const char *list,
    const struct tder_ext *ext);

#endif /* MTLS_TESTDER_H */
