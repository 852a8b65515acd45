/*
 * dertlv.h - DER read one element at a time, in place (internal).
 *
 * libtasn1 decodes a value into a tree with a node per element: right for
 * a certificate, a gigabyte for a CRL of a million entries.  What must be
 * read at that scale is walked here instead, element by element over the
 * DER already in memory, with libtasn1's own length decoding and DER's
 * rules (definite, minimal lengths) enforced.
 */
#ifndef MTLS_DERTLV_H
#define MTLS_DERTLV_H

#include <stddef.h>

/* Identifier octets of the elements walked (all single-octet). */
#define DER_BOOLEAN 0x01
#define DER_INTEGER 0x02
#define DER_BIT_STRING 0x03
#define DER_OCTET_STRING 0x04
#define DER_OID 0x06
#define DER_UTC_TIME 0x17
#define DER_GENERALIZED_TIME 0x18
#define DER_SEQUENCE 0x30
#define DER_SET 0x31
#define DER_CONTEXT_0 0xa0

/* One element: identifier, the whole encoding, and its contents. */
struct dertlv {
	unsigned char tag;
	const unsigned char *start;	/* identifier octet */
	const unsigned char *content;
	size_t len;			/* of the contents */
	const unsigned char *end;	/* just past the element */
};

/*
 * Read the element at *p, which must end by end, and move *p past it.
 * -1 when it does not fit, its identifier is longer than one octet, or
 * its length is indefinite or not in its shortest form.
 */
int dertlv_next(const unsigned char **p, const unsigned char *end,
    struct dertlv *out);

/* dertlv_next(), and -1 unless the identifier is tag. */
int dertlv_expect(const unsigned char **p, const unsigned char *end,
    unsigned char tag, struct dertlv *out);

/*
 * dertlv_expect() within *p .. *end, then narrow *p .. *end to that
 * element's contents: a step down into a constructed element.
 */
int dertlv_enter(const unsigned char **p, const unsigned char **end,
    unsigned char tag);

#endif /* MTLS_DERTLV_H */
