#include "audit.h"

#include <syslog.h>

#include "mtls.h"

static const char *
or_dash(const char *s)
{
	return s != NULL ? s : "-";
}

void
audit_log(const char *profile, const struct mtls_verdict *verdict)
{
	int accepted = verdict->finding.reason == MTLS_R_OK;

	/* Values are escaped where they were made (certname, identity), so
	 * a certificate cannot forge a second log line. */
	syslog(LOG_AUTHPRIV | (accepted ? LOG_INFO : LOG_WARNING),
	    "mtls: profile=%s verdict=%s reason=%s subject=\"%s\" "
	    "issuer=\"%s\" serial=%s fingerprint=%s user=%s%s%s",
	    or_dash(profile), accepted ? "accepted" : "rejected",
	    mtls_reason_name(verdict->finding.reason),
	    or_dash(verdict->subject), or_dash(verdict->issuer),
	    or_dash(verdict->serial), or_dash(verdict->fingerprint),
	    or_dash(verdict->user), accepted ? "" : " explanation=",
	    accepted ? "" : verdict->finding.text);
}
