/*
 * generalname.h - the GeneralName forms a certificate carries in
 * subjectAltName, as RFC 5280 4.2.1.6 defines them (internal).
 *
 * Names come from certificates an attacker may have made: every function
 * here takes a pointer and a length, never trusts a terminating NUL, and
 * treats an embedded NUL as a defect of the name.
 */
#ifndef MTLS_GENERALNAME_H
#define MTLS_GENERALNAME_H

#include <stdbool.h>
#include <stddef.h>

#include <gnutls/x509.h>
#include <gnutls/x509-ext.h>

/*
 * The subjectAltName of crt, decoded by GnuTLS: 1 with *sans set (free it
 * with gnutls_subject_alt_names_deinit), 0 when crt has none, or a
 * negative GnuTLS error when the extension does not decode.
 */
int generalname_load_san(gnutls_x509_crt_t crt,
    gnutls_subject_alt_names_t *sans);

/*
 * What is wrong with a name of the given GNUTLS_SAN_* type, as a phrase
 * that completes "it ..." ("is not a DNS name in preferred name syntax"),
 * or NULL when the name is valid.  Checked: dNSName (RFC 1034 3.5 LDH
 * labels as amended by RFC 1123 2.1, and '_' as a letter, which Windows
 * host names hold; a leftmost "*" label is allowed, since RFC 5280
 * leaves wildcards to the application), rfc822Name
 * (local-part "@" domain, one '@', printable ASCII, a DNS-name domain),
 * uniformResourceIdentifier (a scheme, ':', then printable ASCII), and
 * iPAddress (4 or 16 octets).  Other forms are accepted as GnuTLS
 * decoded them.
 *
 * A dNSName that is an IPv4 address ("192.0.2.1") is no problem here:
 * careless CAs write printers' and devices' addresses so, and a DNS name
 * decides nothing in a client certificate but where a CA's name
 * constraints apply, which refuse it (nameconstraints.h).
 */
const char *generalname_problem(unsigned type, const gnutls_datum_t *name);

/*
 * Whether a dNSName's last label is a number, all digits or "0x" and
 * hex digits: no top-level domain is (RFC 3696 2), and inet_aton(3),
 * WHATWG URL's host parser and the resolvers and HTTP stacks built on
 * them read such a name as an IPv4 address ("8.8.8.8", "*.0.0.10",
 * "host.123", "134744072", "8.8.2056", "0x08080808", "0x8.0x8.0x8.0x8";
 * "010.010.010.010" is octal).  "cafe.0xlab" is a DNS name.
 */
bool generalname_dns_numeric(const gnutls_datum_t *name);

/*
 * What is wrong with the base of a nameConstraints subtree of the given
 * GNUTLS_SAN_* type, like generalname_problem(), or NULL.  A dNSName
 * base is a DNS name without wildcard, or empty (every name); one that
 * is neither would match names by accident.  Other forms are checked
 * where they are matched.
 */
const char *generalname_subtree_problem(unsigned type,
    const gnutls_datum_t *base);

/*
 * The host of a URI that has an authority ("scheme://[userinfo@]host
 * [:port]..."), without brackets for an IP literal.  False when the URI
 * has no authority or an empty host.
 */
bool generalname_uri_host(const gnutls_datum_t *uri, gnutls_datum_t *host);

/*
 * Whether oid, as GnuTLS hands OIDs out (with or without a NUL counted in
 * its size), is want: exactly, so that nothing after a NUL hides.
 */
bool generalname_oid_is(const gnutls_datum_t *oid, const char *want);

/* The Microsoft user principal name otherName (identity.map = "upn"). */
#define GENERALNAME_OID_MS_UPN "1.3.6.1.4.1.311.20.2.3"

/* The names generalname_find() looks for. */
enum generalname_kind {
	GENERALNAME_EMAIL,	/* rfc822Name */
	GENERALNAME_UPN		/* otherName Microsoft UPN */
};

/*
 * The first name of the kind in sans, allocated into *name (free it with
 * gnutls_free): an email address as the certificate holds it, a UPN
 * decoded from its UTF8String.  1 when found, 0 when sans has none, or a
 * negative GnuTLS error when the first UPN is not a UTF8String without a
 * NUL (such a name never stands for anyone).
 */
int generalname_find(gnutls_subject_alt_names_t sans,
    enum generalname_kind kind, gnutls_datum_t *name);

/* Short human name of a GNUTLS_SAN_* type ("DNS name", "email address"). */
const char *generalname_form(unsigned type);

/*
 * Printable, escaped form of a name of the given type for an explanation:
 * dotted or colon notation for an IP address, the text otherwise.
 */
void generalname_print(unsigned type, const gnutls_datum_t *name, char *out,
    size_t outlen);

#endif /* MTLS_GENERALNAME_H */
