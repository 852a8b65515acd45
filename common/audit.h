/*
 * audit.h - one audit line per verification (internal).
 */
#ifndef MTLS_AUDIT_H
#define MTLS_AUDIT_H

#include <stdbool.h>

#include "request.h"
#include "verdict.h"

/*
 * The line: profile, verdict, reason, subject, issuer, serial,
 * fingerprint, user, the revocation source that settled the client
 * certificate (mtls_revocation_source_name()), for a rejection the
 * explanation, then the request's
 * own fields (mtls_request_add_audit_field) in the order added.  Every
 * value a client or a caller can influence is quoted and escaped, so the
 * line is one line and no value can forge a field.  Allocated; NULL when
 * memory runs out.
 */
char *audit_line(const char *profile, const struct mtls_verdict *verdict,
    const struct audit_field *fields, size_t nfields);

/*
 * Give audit_line() to the request's sink, or log it to LOG_AUTHPRIV:
 * rejections at LOG_WARNING, acceptances at LOG_INFO.  Never key material
 * or PINs: the verdict holds none.
 */
void audit_log(const char *profile, const struct mtls_verdict *verdict,
    const struct mtls_request *request);

/* Whether audit_line() writes key itself, so a caller's field may not. */
bool audit_key_reserved(const char *key);

#endif /* MTLS_AUDIT_H */
