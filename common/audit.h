/*
 * audit.h - one syslog line per verification (internal).
 */
#ifndef MTLS_AUDIT_H
#define MTLS_AUDIT_H

#include "verdict.h"

/*
 * Log to LOG_AUTHPRIV: profile, verdict, reason, subject, issuer, serial,
 * fingerprint, user.  Rejections at LOG_WARNING, acceptances at LOG_INFO.
 * Never key material or PINs: the verdict holds none.
 */
void audit_log(const char *profile, const struct mtls_verdict *verdict);

#endif /* MTLS_AUDIT_H */
