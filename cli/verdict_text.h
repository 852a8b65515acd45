/*
 * verdict_text.h - a verdict as the mtls command prints it for people.
 */
#ifndef MTLS_CLI_VERDICT_TEXT_H
#define MTLS_CLI_VERDICT_TEXT_H

#include <stdio.h>

struct mtls_verdict;

/*
 * "accepted: SUBJECT (user USER)", a "policy: OID" line when the path
 * holds a certificate policy, and any "note: ..." line, or
 * "rejected: REASON: EXPLANATION", onto out.
 */
void verdict_print_text(FILE *out, const struct mtls_verdict *v);

#endif /* MTLS_CLI_VERDICT_TEXT_H */
