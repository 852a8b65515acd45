#include "audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "certname.h"
#include "growbuf.h"
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

static void
put_str(struct growbuf *b, const char *s)
{
	growbuf_put(b, s, strlen(s));
}

/* " key=value", value being one that needs no quotes, or "-". */
static void
put_plain(struct growbuf *b, const char *key, const char *value)
{
	put_str(b, " ");
	put_str(b, key);
	put_str(b, "=");
	put_str(b, or_dash(value));
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
put_quoted(struct growbuf *b, const char *key, const char *value)
{
	size_t run;

	if (value == NULL) {
		put_plain(b, key, NULL);
		return;
	}
	put_str(b, " ");
	put_str(b, key);
	put_str(b, "=\"");
	for (;;) {
		run = strcspn(value, "\"");
		growbuf_put(b, value, run);
		if (value[run] == '\0')
			break;
		put_str(b, "\\x22");
		value += run + 1;
	}
	put_str(b, "\"");
}

/* A caller's value may hold anything: escaped like a certificate's. */
static void
put_field(struct growbuf *b, const struct audit_field *field)
{
	char shown[REQUEST_AUDIT_VALUE_MAX];

	certname_escape((const unsigned char *)field->value,
	    strlen(field->value), shown, sizeof(shown));
	put_quoted(b, field->key, shown);
}

char *
audit_line(const char *profile, const struct mtls_verdict *verdict,
    const struct audit_field *fields, size_t nfields)
{
	/* Not stdio: a line is written for every verification, and a memory
	 * stream with fprintf() for each piece was a visible part of a
	 * long-running door's time per request.  Room for most lines. */
	struct growbuf b = { malloc(1024), 0, 1024, false };

	if (b.p == NULL)
		return NULL;
	put_str(&b, "mtls:");
	put_plain(&b, "profile", profile);
	put_plain(&b, "verdict", verdict_word(verdict));
	put_plain(&b, "reason", mtls_reason_name(verdict->finding.reason));
	put_quoted(&b, "subject", verdict->subject);
	put_quoted(&b, "issuer", verdict->issuer);
	put_plain(&b, "serial", verdict->serial);
	put_plain(&b, "fingerprint", verdict->fingerprint);
	put_quoted(&b, "user", verdict->user);
	put_plain(&b, "revocation",
	    mtls_revocation_source_name(verdict->revocation_source));
	/* a dotted OID, as libtasn1 printed it: nothing to escape */
	if (accepted(verdict) && verdict->policy[0] != '\0')
		put_plain(&b, "policy", verdict->policy);
	if (!accepted(verdict))
		put_quoted(&b, "explanation", verdict->finding.text);
	for (size_t i = 0; i < nfields; i++)
		put_field(&b, &fields[i]);
	growbuf_put(&b, "", 1);
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	return (char *)b.p;
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
