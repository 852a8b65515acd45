/*
 * crlread.h - a CRL read in one pass over its DER (internal).
 *
 * gnutls_x509_crl_import() turns every element of a CRL into a libtasn1
 * node: a CRL of a million entries costs seconds and most of a gigabyte,
 * and walking its entries afterwards as much again.  Here GnuTLS is given
 * the CRL without its entries, a few hundred bytes whose every accessor
 * (issuer, dates, extensions, algorithm) then works as usual; the entries
 * are walked in place over the DER (crlext_entries()), and the signature,
 * which covers them, is verified over the DER as it came.
 */
#ifndef MTLS_CRLREAD_H
#define MTLS_CRLREAD_H

#include <stddef.h>

#include <gnutls/x509.h>

#include "crlext.h"
#include "finding.h"

struct crlread {
	gnutls_x509_crl_t crl;		/* the CRL without its entries */
	gnutls_datum_t tbs;		/* the signed part, into the DER */
	gnutls_datum_t signature;	/* the signature's octets, too */
	const unsigned char *entries;	/* revokedCertificates' contents, */
	size_t entries_len;		/* into the DER; NULL, 0 when none */
};

/*
 * Read der, exactly one CRL in strict DER, which must outlive r.  -1 with
 * err set when it is not one (the reason alone: the caller says what was
 * read); CRLREAD_REFUSED with err set (a whole sentence) when it is a CRL
 * RFC 5280 forbids using: its two signature algorithms (inside and
 * outside the signed part) differ, or its thisUpdate or nextUpdate is not
 * a time RFC 5280 allows (dertime.h: GnuTLS would read it as absent).
 */
#define CRLREAD_REFUSED (-2)
int crlread_der(struct crlread *r, const unsigned char *der, size_t len,
    char *err, size_t errlen);

void crlread_clear(struct crlread *r);

/*
 * Whether the CRL's signature verifies with issuer's key: 0 when it does,
 * GNUTLS_E_PK_SIG_VERIFY_FAILED when it does not, another GnuTLS error
 * when it cannot be checked (an algorithm too weak, or not the key's).
 * Nothing else (names, key usage, dates) is judged here.
 */
int crlread_verify(const struct crlread *r, gnutls_x509_crt_t issuer);

/*
 * Walk the entries in one pass, each to entry(), and hold each entry's
 * extensions to RFC 5280 (rfc5280_check_crl_entry_extension()).  0, or
 * -1 with f set: MTLS_R_CRL_INVALID naming the CRL's issuer for a
 * malformed entry or a refused extension, or what entry() set when it
 * returned non-zero.
 */
int crlread_entries(const struct crlread *r,
    int (*entry)(const struct crlext_entry *entry, void *arg,
    struct finding *f), void *arg, struct finding *f);

#endif /* MTLS_CRLREAD_H */
