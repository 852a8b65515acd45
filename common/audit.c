#include "audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>

#include "mtls.h"

static const char *
or_dash(const char *s)
{
	return s != NULL ? s : "-";
}

static int
accepted(const struct mtls_verdict *verdict)
{
	return verdict->finding.reason == MTLS_R_OK;
}

/*
 * " key=\"value\"", or " key=-" when there is none.  No value holds a
 * control character (certname escapes them, identity refuses them), but
 * any may hold '"' (a subject's RFC 4514 escapes, a user name, the
 * explanation quoting them): it is written \x22, so that nothing a
 * certificate says can close the quotes and forge a field after them.
 */
static void
put_quoted(FILE *out, const char *key, const char *value)
{
	if (value == NULL) {
		fprintf(out, " %s=-", key);
		return;
	}
	fprintf(out, " %s=\"", key);
	for (; *value != '\0'; value++) {
		if (*value == '"')
			fputs("\\x22", out);
		else
			fputc(*value, out);
	}
	fputc('"', out);
}

char *
audit_line(const char *profile, const struct mtls_verdict *verdict)
{
	char *line = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&line, &len);

	if (out == NULL)
		return NULL;
	fprintf(out, "mtls: profile=%s verdict=%s reason=%s", or_dash(profile),
	    accepted(verdict) ? "accepted" : "rejected",
	    mtls_reason_name(verdict->finding.reason));
	put_quoted(out, "subject", verdict->subject);
	put_quoted(out, "issuer", verdict->issuer);
	fprintf(out, " serial=%s fingerprint=%s", or_dash(verdict->serial),
	    or_dash(verdict->fingerprint));
	put_quoted(out, "user", verdict->user);
	if (!accepted(verdict))
		put_quoted(out, "explanation", verdict->finding.text);
	if (fclose(out) != 0) {
		free(line);
		return NULL;
	}
	return line;
}

void
audit_log(const char *profile, const struct mtls_verdict *verdict)
{
	int priority = LOG_AUTHPRIV | (accepted(verdict) ? LOG_INFO :
	    LOG_WARNING);
	char *line = audit_line(profile, verdict);

	if (line != NULL)
		syslog(priority, "%s", line);
	else
		syslog(priority, "mtls: profile=%s verdict=%s reason=%s (out "
		    "of memory for the rest of the line)", or_dash(profile),
		    accepted(verdict) ? "accepted" : "rejected",
		    mtls_reason_name(verdict->finding.reason));
	free(line);
}
