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
 * GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL too); len is its length, 0 for
 * strlen(value).
 */
void tder_put_general_name(asn1_node node, const char *name, unsigned type,
    const void *value, size_t len);

/* Append such a GeneralName to the GeneralNames at list ("": node). */
void tder_add_general_name(asn1_node node, const char *list, unsigned type,
    const void *value, size_t len);

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
