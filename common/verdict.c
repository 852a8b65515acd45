#include "verdict.h"

#include <stdlib.h>
#include <string.h>

#include "mtls.h"

/*
 * Every accessor answers for a NULL verdict, which mtls_verify() returns
 * when memory ran out, as for a rejection with reason internal-error and
 * no facts: a door that forgets the NULL check still fails closed.
 */

int
mtls_verdict_accepted(const struct mtls_verdict *verdict)
{
	return verdict != NULL && verdict->finding.reason == MTLS_R_OK;
}

enum mtls_reason
mtls_verdict_reason(const struct mtls_verdict *verdict)
{
	return verdict != NULL ? verdict->finding.reason : MTLS_R_INTERNAL;
}

const char *
mtls_verdict_explanation(const struct mtls_verdict *verdict)
{
	return verdict != NULL ? verdict->finding.text : "out of memory";
}

const char *
mtls_verdict_user_message(const struct mtls_verdict *verdict)
{
	if (verdict == NULL)
		return verdict_internal_message;
	return verdict->user_message;
}

int
mtls_verdict_network_owed(const struct mtls_verdict *verdict)
{
	return verdict != NULL && verdict->network_owed;
}

const char *
mtls_verdict_note(const struct mtls_verdict *verdict)
{
	return mtls_verdict_note_at(verdict, 0);
}

size_t
mtls_verdict_note_count(const struct mtls_verdict *verdict)
{
	return verdict != NULL ? verdict->notes.count : 0;
}

const char *
mtls_verdict_note_at(const struct mtls_verdict *verdict, size_t index)
{
	return index < mtls_verdict_note_count(verdict) ?
	    verdict->notes.text[index] : NULL;
}

const char *
mtls_verdict_subject(const struct mtls_verdict *verdict)
{
	return verdict != NULL ? verdict->subject : NULL;
}

const char *
mtls_verdict_issuer(const struct mtls_verdict *verdict)
{
	return verdict != NULL ? verdict->issuer : NULL;
}

const char *
mtls_verdict_serial(const struct mtls_verdict *verdict)
{
	return verdict != NULL ? verdict->serial : NULL;
}

const char *
mtls_verdict_fingerprint(const struct mtls_verdict *verdict)
{
	return verdict != NULL ? verdict->fingerprint : NULL;
}

const char *
mtls_verdict_user(const struct mtls_verdict *verdict)
{
	return verdict != NULL ? verdict->user : NULL;
}

time_t
mtls_verdict_not_before(const struct mtls_verdict *verdict)
{
	return verdict != NULL ? verdict->not_before : (time_t)-1;
}

time_t
mtls_verdict_not_after(const struct mtls_verdict *verdict)
{
	return verdict != NULL ? verdict->not_after : (time_t)-1;
}

const char *
mtls_verdict_email(const struct mtls_verdict *verdict)
{
	return verdict != NULL ? verdict->email : NULL;
}

const char *
mtls_verdict_upn(const struct mtls_verdict *verdict)
{
	return verdict != NULL ? verdict->upn : NULL;
}

const char *
mtls_verdict_policy(const struct mtls_verdict *verdict)
{
	/* a rejected path may have held one before another check failed */
	if (!mtls_verdict_accepted(verdict) || verdict->policy[0] == '\0')
		return NULL;
	return verdict->policy;
}

enum mtls_revocation_source
mtls_verdict_revocation_source(const struct mtls_verdict *verdict)
{
	return verdict != NULL ? verdict->revocation_source : MTLS_REVSRC_NONE;
}

const char *
mtls_revocation_source_name(enum mtls_revocation_source source)
{
	switch (source) {
	case MTLS_REVSRC_NONE:
		return "none";
	case MTLS_REVSRC_CRL_INDEX:
		return "crl-index";
	case MTLS_REVSRC_CRL_FILE:
		return "crl-file";
	case MTLS_REVSRC_OCSP_LIVE:
		return "ocsp";
	case MTLS_REVSRC_OCSP_CACHED:
		return "ocsp-cache";
	case MTLS_REVSRC_SOFT_FAIL:
		return "soft-fail";
	}
	return "unknown";
}

int
mtls_verdict_failed_depth(const struct mtls_verdict *verdict)
{
	if (verdict == NULL || verdict->finding.reason == MTLS_R_OK ||
	    verdict->finding.depth < 0 ||
	    (size_t)verdict->finding.depth >= verdict->chain_len)
		return -1;
	return verdict->finding.depth;
}

size_t
mtls_verdict_chain_length(const struct mtls_verdict *verdict)
{
	return verdict != NULL ? verdict->chain_len : 0;
}

const char *
mtls_verdict_chain_subject(const struct mtls_verdict *verdict, size_t index)
{
	if (verdict == NULL || index >= verdict->chain_len)
		return NULL;
	return verdict->chain[index];
}

void
mtls_verdict_free(struct mtls_verdict *verdict)
{
	if (verdict == NULL)
		return;
	free(verdict->subject);
	free(verdict->issuer);
	free(verdict->serial);
	free(verdict->fingerprint);
	free(verdict->user);
	free(verdict->email);
	free(verdict->upn);
	for (size_t i = 0; i < verdict->chain_len; i++)
		free(verdict->chain[i]);
	free(verdict->chain);
	free(verdict);
}

static int
copy_string(char **to, const char *from)
{
	return from == NULL || (*to = strdup(from)) != NULL ? 0 : -1;
}

int
verdict_copy_facts(struct mtls_verdict *to, const struct mtls_verdict *from)
{
	if (copy_string(&to->subject, from->subject) != 0 ||
	    copy_string(&to->issuer, from->issuer) != 0 ||
	    copy_string(&to->serial, from->serial) != 0 ||
	    copy_string(&to->fingerprint, from->fingerprint) != 0 ||
	    copy_string(&to->email, from->email) != 0 ||
	    copy_string(&to->upn, from->upn) != 0)
		return -1;
	to->not_before = from->not_before;
	to->not_after = from->not_after;
	memcpy(to->policy, from->policy, sizeof(to->policy));
	if (from->chain_len == 0)
		return 0;
	if ((to->chain = calloc(from->chain_len, sizeof(*to->chain))) == NULL)
		return -1;
	for (; to->chain_len < from->chain_len; to->chain_len++)
		if (copy_string(&to->chain[to->chain_len],
		    from->chain[to->chain_len]) != 0)
			return -1;
	return 0;
}
