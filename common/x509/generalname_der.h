/*
 * generalname_der.h - GeneralName values as libtasn1 reads them from
 * DER with pkix.asn (internal).
 *
 * GnuTLS 3.7 hands out a directoryName only as printed text, cannot
 * read an otherName it does not know, and refuses a whole list for one
 * x400Address, ediPartyName or empty directoryName.  Read here, every
 * form of name comes as it was encoded.
 */
#ifndef MTLS_GENERALNAME_DER_H
#define MTLS_GENERALNAME_DER_H

#include <stdbool.h>
#include <stddef.h>

#include <gnutls/gnutls.h>
#include <libtasn1.h>

/* The forms of GeneralName, numbered as their tags (RFC 5280 4.2.1.6). */
enum gname_form {
	GNAME_OTHER_NAME,
	GNAME_RFC822_NAME,
	GNAME_DNS_NAME,
	GNAME_X400_ADDRESS,
	GNAME_DIRECTORY_NAME,
	GNAME_EDI_PARTY_NAME,
	GNAME_URI,
	GNAME_IP_ADDRESS,
	GNAME_REGISTERED_ID,
	GNAME_FORMS
};

/* Longest otherName type-id read, dotted. */
#define GNAME_OID_MAX 128

struct gname {
	enum gname_form form;
	/*
	 * Allocated, with a NUL after it: the text of an rfc822Name,
	 * dNSName or URI; the octets of an iPAddress; the DER of a
	 * directoryName's Name, of an otherName's value, of an x400Address
	 * or ediPartyName; the dotted OID of a registeredID.
	 */
	gnutls_datum_t value;
	char type_id[GNAME_OID_MAX];	/* an otherName's, dotted */
};

/* gname_read() results. */
#define GNAME_MALFORMED (-1)
#define GNAME_NO_MEMORY (-2)

/* The GeneralName at field of node into *out: 0, or one of the above. */
int gname_read(asn1_node node, const char *field, struct gname *out);

void gname_free(struct gname *name);

/*
 * Whether name is an otherName Microsoft UPN (identity.map = "upn")
 * holding a UTF8String without a NUL: then *text points into it.
 */
bool gname_upn(const struct gname *name, gnutls_datum_t *text);

/*
 * The GNUTLS_SAN_* type of name's form, for generalname.h (an otherName
 * is GNUTLS_SAN_OTHERNAME, x400Address and ediPartyName 0).
 */
unsigned gname_san_type(const struct gname *name);

/* Short human name of the form ("DNS name", "X.400 address"). */
const char *gname_form_name(const struct gname *name);

/*
 * name printed for an explanation into out: a directory name in RFC 4514
 * form, the others as generalname_print() prints them.
 */
void gname_print(const struct gname *name, char *out, size_t outlen);

#endif /* MTLS_GENERALNAME_DER_H */
