/*
 * finding.h - a reason code with its one-line explanation (internal).
 *
 * Every check reports what it found here; the verdict carries the first
 * finding that rejects.  Explanations name the certificate and say what an
 * administrator can change.
 */
#ifndef MTLS_FINDING_H
#define MTLS_FINDING_H

#include <stddef.h>

#include "mtls.h"

#define FINDING_TEXT_MAX 512

struct finding {
	enum mtls_reason reason;
	char text[FINDING_TEXT_MAX];
	/* position of the certificate it is about in the chain the check
	 * was given (0 first), or -1: none in particular, or not known */
	int depth;
};

/*
 * Record a rejection, about no certificate in particular until
 * finding_at() says which; returns -1 so checks can "return
 * finding_set(...)".
 */
int finding_set(struct finding *f, enum mtls_reason reason,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * GnuTLS said ret reading part ("the keyUsage") of the certificate what
 * ("client certificate") name: when GnuTLS ran out of memory, which says
 * nothing of the certificate, f says so (internal-error) and -1 is
 * returned; otherwise 0, and the caller judges ret.
 */
int finding_gnutls_memory(struct finding *f, int ret, const char *part,
    const char *what, const char *name);

/*
 * Say that f is about chain[depth], unless a check nearer the certificate
 * already said so; returns -1 like finding_set().
 */
int finding_at(struct finding *f, size_t depth);

#endif /* MTLS_FINDING_H */
