/*
 * notes.h - what is worth knowing about an accepted certificate, or a
 * configured CA, short of a rejection (internal): a few sentences, each
 * static text (but the verdict's own note on the CRLs it read, which
 * lives as long as the verdict), each once.
 *
 * A CA with several extensions RFC 5280 asks to be critical, none marked
 * so, has a note for each: told one at a time, an administrator would
 * fix one and only then learn of the next.
 */
#ifndef MTLS_NOTES_H
#define MTLS_NOTES_H

#include <stddef.h>

#include "mtls.h"

/* Room for every distinct note there is: those of policy.c,
 * rfc5280.c's remarks, OCSP's soft fail and the CRLs read, with some to
 * spare. */
#define NOTES_MAX MTLS_VERDICT_NOTES_MAX

struct notes {
	const char *text[NOTES_MAX];	/* static, or the verdict's */
	size_t count;
};

/*
 * Add text (static or the verdict's, or NULL: nothing) unless notes hold
 * it already, or are full (then the first NOTES_MAX are kept).
 */
void notes_add(struct notes *notes, const char *text);

#endif /* MTLS_NOTES_H */
