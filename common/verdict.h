/*
 * verdict.h - the answer of one verification (internal layout).
 */
#ifndef MTLS_VERDICT_H
#define MTLS_VERDICT_H

#include <stddef.h>

#include "finding.h"

struct mtls_verdict {
	struct finding finding;	/* reason MTLS_R_OK when accepted */
	const char *note;	/* static text, or NULL */
	char *subject;
	char *issuer;
	char *serial;
	char *fingerprint;
	char *user;
	char **chain;		/* subjects, leaf first */
	size_t chain_len;
};

#endif /* MTLS_VERDICT_H */
