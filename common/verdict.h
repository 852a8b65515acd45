/*
 * verdict.h - the answer of one verification (internal layout).
 */
#ifndef MTLS_VERDICT_H
#define MTLS_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "finding.h"
#include "mtls.h"
#include "notes.h"

/* Long enough for every sentence of user_message.c with its date. */
#define VERDICT_USER_MESSAGE_MAX 160
/* Room for the note on the CRLs read, with two CRL numbers in hex. */
#define VERDICT_CRL_NOTE_MAX 200
/* A certificate policy OID, dotted, with its NUL (certpolicies.h). */
#define VERDICT_POLICY_MAX 128

struct mtls_verdict {
	/* reason MTLS_R_OK when accepted; depth is failed_depth */
	struct finding finding;
	struct notes notes;
	char *subject;
	char *issuer;
	char *serial;
	char *fingerprint;
	char *user;
	char *email;		/* escaped, or NULL */
	char *upn;		/* escaped, or NULL */
	time_t not_before;	/* (time_t)-1 when unknown */
	time_t not_after;
	enum mtls_revocation_source revocation_source;
	bool network_owed;
	char **chain;		/* subjects, leaf first */
	size_t chain_len;
	/* the certificate policy the path is valid for, or "" when none
	 * was required and none holds (policygraph.h) */
	char policy[VERDICT_POLICY_MAX];
	char user_message[VERDICT_USER_MESSAGE_MAX];
	/* the note naming the complete and delta CRL read, when one was */
	char crl_note[VERDICT_CRL_NOTE_MAX];
};

/*
 * Write verdict->user_message from its reason, failed depth and dates:
 * one sentence for the person logging in, nothing of the server's
 * configuration in it.
 */
void verdict_user_message(struct mtls_verdict *verdict);

/*
 * The certificate's facts of from (subject, issuer, serial, fingerprint,
 * alternative names, validity, chain, policy) copied into to, which has
 * none yet;
 * -1 when out of memory (what was copied is to's, freed with it).
 */
int verdict_copy_facts(struct mtls_verdict *to,
    const struct mtls_verdict *from);

/* The sentence for an internal error, also when there is no verdict. */
extern const char verdict_internal_message[];

#endif /* MTLS_VERDICT_H */
