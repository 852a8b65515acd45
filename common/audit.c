#include "audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "certname.h"
#include "mtls.h"

/* The keys audit_line() writes, in its order. */
static const char *const own_keys[] = {
	"profile", "verdict", "reason", "subject", "issuer", "serial",
	"fingerprint", "user", "revocation", "policy", "explanation",
};

bool
audit_key_reserved(const char *key)
{
	for (size_t i = 0; i < sizeof(own_keys) / sizeof(own_keys[0]); i++)
		if (strcmp(key, own_keys[i]) == 0)
			return true;
	return false;
}

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
 * The verdict as the line names it.  An offline verification that left a
 * revocation source to the network has decided nothing yet: its caller
 * verifies again with the network (the OpenVPN plugin, at the deferred
 * step) and that line settles it, so this one must not read as a refusal
 * of a client that then connects.
 */
static const char *
verdict_word(const struct mtls_verdict *verdict)
{
	if (accepted(verdict))
		return "accepted";
	return verdict->network_owed ? "deferred" : "rejected";
}

/*
 * " key=\"value\"", or " key=-" when there is none.  No value holds a
 * control character (certname escapes them, identity refuses them, the
 * caller's fields are escaped before they come here), but any may hold
 * '"' (a subject's RFC 4514 escapes, a user name, the explanation quoting
 * them): it is written \x22, so that nothing a certificate says can close
 * the quotes and forge a field after them.
 */
static void
put_quoted(FILE *out, const char *key, const char *value)
{
	if (value == NULL) {
		fprintf(out, " %s=-", key);
		return;
	}
	fprintf(out, " %s=\"", key);
	/* a run at a time: a line is written for every verification */
	for (;;) {
		size_t run = strcspn(value, "\"");

		fwrite(value, 1, run, out);
		if (value[run] == '\0')
			break;
		fputs("\\x22", out);
		value += run + 1;
	}
	fputc('"', out);
}

/* A caller's value may hold anything: escaped like a certificate's. */
static void
put_field(FILE *out, const struct audit_field *field)
{
	char shown[REQUEST_AUDIT_VALUE_MAX];

	certname_escape((const unsigned char *)field->value,
	    strlen(field->value), shown, sizeof(shown));
	put_quoted(out, field->key, shown);
}

char *
audit_line(const char *profile, const struct mtls_verdict *verdict,
    const struct audit_field *fields, size_t nfields)
{
	char *line = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&line, &len);

	if (out == NULL)
		return NULL;
	fprintf(out, "mtls: profile=%s verdict=%s reason=%s", or_dash(profile),
	    verdict_word(verdict), mtls_reason_name(verdict->finding.reason));
	put_quoted(out, "subject", verdict->subject);
	put_quoted(out, "issuer", verdict->issuer);
	fprintf(out, " serial=%s fingerprint=%s", or_dash(verdict->serial),
	    or_dash(verdict->fingerprint));
	put_quoted(out, "user", verdict->user);
	fprintf(out, " revocation=%s", mtls_revocation_source_name(
	    verdict->revocation_source));
	/* a dotted OID, as libtasn1 printed it: nothing to escape */
	if (accepted(verdict) && verdict->policy[0] != '\0')
		fprintf(out, " policy=%s", verdict->policy);
	if (!accepted(verdict))
		put_quoted(out, "explanation", verdict->finding.text);
	for (size_t i = 0; i < nfields; i++)
		put_field(out, &fields[i]);
	if (fclose(out) != 0) {
		free(line);
		return NULL;
	}
	return line;
}

void
audit_log(const char *profile, const struct mtls_verdict *verdict,
    const struct mtls_request *request)
{
	int priority = LOG_AUTHPRIV | (accepted(verdict) ||
	    verdict->network_owed ? LOG_INFO : LOG_WARNING);
	char *line = audit_line(profile, verdict, request->fields,
	    request->nfields);
	char fallback[160];

	if (line == NULL) {
		snprintf(fallback, sizeof(fallback), "mtls: profile=%s "
		    "verdict=%s reason=%s (out of memory for the rest of the "
		    "line)", or_dash(profile), verdict_word(verdict),
		    mtls_reason_name(verdict->finding.reason));
	}
	if (request->audit.sink != NULL)
		request->audit.sink(request->audit.arg, accepted(verdict),
		    line != NULL ? line : fallback);
	else
		syslog(priority, "%s", line != NULL ? line : fallback);
	free(line);
}
