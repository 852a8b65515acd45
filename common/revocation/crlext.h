/*
 * crlext.h - the parts of a CRL GnuTLS 3.7 has no accessor for (internal).
 *
 * GnuTLS hands out a CRL's own extensions only as raw DER, and never the
 * extensions of its revoked-certificate entries; and its reading of the
 * entries costs a libtasn1 node per element, most of a gigabyte for a
 * million entries.  Yet RFC 5280 forbids
 * using a CRL with a critical extension one does not process, and the
 * issuingDistributionPoint extension decides which certificates a CRL
 * speaks for.  The extension is decoded here by libtasn1, with the
 * definitions of pkixasn.h; the entries are walked in place (dertlv.h).
 */
#ifndef MTLS_CRLEXT_H
#define MTLS_CRLEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <gnutls/x509.h>

/* The issuingDistributionPoint extension (RFC 5280, 5.2.5). */
struct crlext_idp {
	bool only_user_certs;
	bool only_ca_certs;
	bool only_some_reasons;
	bool indirect;
	bool only_attribute_certs;
	bool has_point;		/* a distributionPoint names a partition, */
	gnutls_datum_t *uris;	/* its fullName URIs */
	size_t nuris;
};

/*
 * Read the CRL's issuingDistributionPoint into idp (all false and no URIs
 * when absent: the CRL covers every certificate of its issuer).  -1 when
 * it is malformed or memory runs out.
 */
int crlext_idp(gnutls_x509_crl_t crl, struct crlext_idp *idp);

void crlext_idp_clear(struct crlext_idp *idp);

/* Whether two CRLs have the same scope (RFC 5280, 5.2.4: a delta CRL and
 * its complete CRL must). */
bool crlext_idp_equal(const struct crlext_idp *a, const struct crlext_idp *b);

/* CRLReason values (RFC 5280, 5.3.1) that change what a listing means. */
#define CRLEXT_REASON_NONE (-1)		/* no reasonCode extension */
#define CRLEXT_REASON_CERTIFICATE_HOLD 6
#define CRLEXT_REASON_REMOVE_FROM_CRL 8

/* One revoked-certificate entry. */
struct crlext_entry {
	const unsigned char *serial;	/* its INTEGER's contents */
	size_t serial_len;
	time_t when;			/* revocationDate */
	int reason;			/* its reasonCode, or REASON_NONE */
};

/*
 * What crlext_entries() hands each extension of an entry to (its OID in
 * dotted form, whether it is critical), then the entry itself.  A
 * positive value from either stops the walk.
 */
struct crlext_entry_visitor {
	int (*entry)(const struct crlext_entry *entry, void *arg);
	int (*extension)(const char *oid, bool critical, void *arg);
};

/*
 * Walk the entries of a CRL in one pass over its DER: der and len are the
 * contents of its revokedCertificates.  Returns the visitor's value if it
 * stopped the walk, -1 when an entry is malformed (strict DER), 0
 * otherwise.  Nothing is allocated, so a million entries cost a few
 * hundredths of a second.
 */
int crlext_entries(const unsigned char *der, size_t len,
    const struct crlext_entry_visitor *visit, void *arg);

/* Octets of a CRL number as kept: see crlext_numbers. */
#define CRLEXT_NUMBER_LEN 20

/*
 * A CRL's cRLNumber and, for a delta CRL, the BaseCRLNumber of its
 * deltaCRLIndicator (RFC 5280, 5.2.3, 5.2.4): each right-aligned and
 * zero-padded to 20 octets, so that byte order is numeric order; and
 * whether it names where its delta CRLs are (freshestCRL, 5.2.6).
 */
struct crlext_numbers {
	unsigned char number[CRLEXT_NUMBER_LEN];
	bool delta;
	unsigned char base[CRLEXT_NUMBER_LEN];	/* zero unless delta */
	bool names_deltas;
};

/*
 * Read them.  -1 when the cRLNumber is absent or either number is not one
 * RFC 5280 allows (negative, over 20 octets, not an INTEGER): callers
 * that must say which use rfc5280_check_crl() first.
 */
int crlext_numbers(gnutls_x509_crl_t crl, struct crlext_numbers *out);

/*
 * A non-negative INTEGER's content octets as such a 20-octet number; -1
 * when negative or longer.
 */
int crlext_number_pad(const unsigned char *octets, size_t len,
    unsigned char number[CRLEXT_NUMBER_LEN]);

/* Room for a CRL number as crlext_number_shown() writes it. */
#define CRLEXT_NUMBER_SHOWN_MAX (2 * CRLEXT_NUMBER_LEN + 3)

/* A CRL number as administrators see it: decimal up to 64 bits, else
 * hexadecimal. */
void crlext_number_shown(const unsigned char number[CRLEXT_NUMBER_LEN],
    char out[CRLEXT_NUMBER_SHOWN_MAX]);

#endif /* MTLS_CRLEXT_H */
