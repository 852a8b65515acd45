/*
 * audit.h - one syslog line per verification (internal).
 */
#ifndef MTLS_AUDIT_H
#define MTLS_AUDIT_H

#include "verdict.h"

/*
 * The line: profile, verdict, reason, subject, issuer, serial,
 * fingerprint, user, and for a rejection the explanation.  Allocated;
 * NULL when memory runs out.
 */
char *audit_line(const char *profile, const struct mtls_verdict *verdict);

/*
 * Log audit_line() to LOG_AUTHPRIV: rejections at LOG_WARNING,
 * acceptances at LOG_INFO.  Never key material or PINs: the verdict holds
 * none.
 */
void audit_log(const char *profile, const struct mtls_verdict *verdict);

#endif /* MTLS_AUDIT_H */
