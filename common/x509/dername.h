/*
 * dername.h - directory names compared as RFC 5280 7.1 asks (internal).
 *
 * Two Names are the same when they have the same number of RDNs, in
 * order, and each RDN is the same set of attributes (in any order within
 * a multi-valued RDN): the same attribute type, as an OID, with values
 * that match.  Values of the string types (PrintableString, UTF8String,
 * IA5String, VisibleString, BMPString, UniversalString, and a
 * TeletexString that holds only ASCII) match, whatever their types,
 * after RFC 4518's preparation as far as it goes here: tabs, line breaks
 * and Unicode spaces made spaces, control and formatting characters
 * dropped, letters case-folded (Unicode's simple case folding of ASCII,
 * Latin-1, Latin Extended-A, Greek, Cyrillic, Armenian and full-width
 * Latin; other scripts compare as written, and nothing is normalised to
 * NFKC), leading and trailing spaces removed and inner runs of spaces
 * made one.  Any other value (another type, a TeletexString with 8-bit
 * characters, whose character set cannot be known) matches only the
 * same encoding, byte for byte.
 *
 * Each Name is reduced once to a key, so that comparing is comparing
 * bytes: equal keys for the same name, and a subtree's key is a prefix
 * of the keys of the names below it.  A Name that is not well-formed
 * DER, or has a string value that is not one of its type (UTF-8 that
 * does not decode, an 8-bit byte in a PrintableString), has no prepared
 * key: its key is its DER, the same only as the same bytes.
 */
#ifndef MTLS_DERNAME_H
#define MTLS_DERNAME_H

#include <stdbool.h>
#include <stddef.h>

#include <gnutls/gnutls.h>

struct dername {
	unsigned char *key;	/* allocated */
	size_t len;
	bool prepared;		/* false: key is the DER as given */
};

/*
 * The key of the DER Name der[0, len) into *out, to be freed with
 * dername_free().  0, or -1 when memory runs out.
 */
int dername_load(const unsigned char *der, size_t len, struct dername *out);

void dername_free(struct dername *name);

/* Whether a and b are the same Name. */
bool dername_same(const struct dername *a, const struct dername *b);

/*
 * Whether name lies in the directoryName subtree (RFC 5280 4.2.1.10):
 * the subtree's RDNs are the first of name's.  Both must be prepared;
 * an empty subtree holds every prepared name.
 */
bool dername_within(const struct dername *name,
    const struct dername *subtree);

/*
 * Whether the DER Names a and b are the same: identical bytes are, and
 * otherwise their keys decide.  False when memory runs out.
 */
bool dername_equal(const gnutls_datum_t *a, const gnutls_datum_t *b);

#endif /* MTLS_DERNAME_H */
