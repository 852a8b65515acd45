/*
 * finding.h - a reason code with its one-line explanation (internal).
 *
 * Every check reports what it found here; the verdict carries the first
 * finding that rejects.  Explanations name the certificate and say what an
 * administrator can change.
 */
#ifndef MTLS_FINDING_H
#define MTLS_FINDING_H

#include "mtls.h"

#define FINDING_TEXT_MAX 512

struct finding {
	enum mtls_reason reason;
	char text[FINDING_TEXT_MAX];
};

/* Record a rejection; returns -1 so checks can "return finding_set(...)". */
int finding_set(struct finding *f, enum mtls_reason reason,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif /* MTLS_FINDING_H */
