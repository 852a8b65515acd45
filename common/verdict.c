#include "verdict.h"

#include <stdlib.h>

#include "mtls.h"

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
mtls_verdict_note(const struct mtls_verdict *verdict)
{
	return verdict->note;
}

const char *
mtls_verdict_subject(const struct mtls_verdict *verdict)
{
	return verdict->subject;
}

const char *
mtls_verdict_issuer(const struct mtls_verdict *verdict)
{
	return verdict->issuer;
}

const char *
mtls_verdict_serial(const struct mtls_verdict *verdict)
{
	return verdict->serial;
}

const char *
mtls_verdict_fingerprint(const struct mtls_verdict *verdict)
{
	return verdict->fingerprint;
}

const char *
mtls_verdict_user(const struct mtls_verdict *verdict)
{
	return verdict->user;
}

size_t
mtls_verdict_chain_length(const struct mtls_verdict *verdict)
{
	return verdict->chain_len;
}

const char *
mtls_verdict_chain_subject(const struct mtls_verdict *verdict, size_t index)
{
	return index < verdict->chain_len ? verdict->chain[index] : NULL;
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
	for (size_t i = 0; i < verdict->chain_len; i++)
		free(verdict->chain[i]);
	free(verdict->chain);
	free(verdict);
}
