/*
 * fuzz_ocsp_response - what an OCSP responder (or the cache on disk)
 * hands back.
 *
 * The input is judged as the answer to three questions about
 * certificates the fuzz PKI's intermediate issued
 * (ocsp_response_verify()): alice's, asked with a nonce; bob's and
 * carol's, as a response read back from the cache.  The responder the
 * seeds come from ("openssl ocsp" over ocsp-index.txt, signing as the
 * intermediate or its delegated responder) says alice is good, bob
 * revoked, and knows nothing of carol.
 *
 * Only the PKI's keys sign responses the checks believe, so no input
 * may make alice revoked, bob good, or carol known: each aborts, as does
 * a failure without a reason or one safe line of explanation
 * (oneline.h).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <gnutls/ocsp.h>

#include "fuzzer.h"
#include "fuzzpki.h"
#include "ocsp.h"
#include "oneline.h"

static const struct ocsp_settings with_nonce = {
	.url = "http://ocsp.invalid/", .timeout_ms = 1000, .nonce = true,
	.max_age = 3600, .clock_skew = 60,
}, without_nonce = {
	.url = "http://ocsp.invalid/", .timeout_ms = 1000, .nonce = false,
	.max_age = 3600, .clock_skew = 60,
};

/* What each question may be answered, as a bit per status. */
#define MAY(status) (1u << (status))

static struct question {
	const char *who;
	struct ocsp_query q;
	bool answers_this_request;
	unsigned may;
} questions[3];

static void
ask(struct question *qn, const char *who, const struct ocsp_settings *s,
    gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer, unsigned may)
{
	struct finding f;

	qn->who = who;
	qn->answers_this_request = s->nonce;
	qn->may = may;
	if (ocsp_query_init(&qn->q, s, cert, issuer, time(NULL), &f) != 0) {
		fprintf(stderr, "fuzz_ocsp_response: %s\n", f.text);
		abort();
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct fuzzpki *pki = fuzzpki_load();

	(void)argc;
	(void)argv;
	ask(&questions[0], "alice", &with_nonce, pki->alice, pki->intermediate,
	    MAY(GNUTLS_OCSP_CERT_GOOD));
	ask(&questions[1], "bob", &without_nonce, pki->bob, pki->intermediate,
	    MAY(GNUTLS_OCSP_CERT_REVOKED));
	ask(&questions[2], "carol", &without_nonce, pki->carol,
	    pki->intermediate, 0);
	return 0;
}

static void
violated(const struct question *qn, const char *what)
{
	fprintf(stderr, "fuzz_ocsp_response: %s: %s\n", qn->who, what);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > OCSP_RESPONSE_MAX)
		return 0;
	for (size_t i = 0; i < sizeof(questions) / sizeof(questions[0]); i++) {
		const struct question *qn = &questions[i];
		struct ocsp_answer answer;
		struct finding f = { .reason = MTLS_R_OK };

		if (ocsp_response_verify(&qn->q, data, size,
		    qn->answers_this_request, &answer, &f) == 0) {
			if (answer.status >= 32 ||
			    !(qn->may & MAY(answer.status)))
				violated(qn, "an answer no signed response "
				    "gives");
			continue;
		}
		switch (f.reason) {
		case MTLS_R_REVOCATION_UNAVAILABLE:
		case MTLS_R_INTERNAL:
			break;
		case MTLS_R_REVOCATION_UNKNOWN:
			if (qn->may == 0)
				break;
			/* FALLTHROUGH */
		default:
			violated(qn, f.text);
		}
		check_one_line("fuzz_ocsp_response: finding", f.text);
	}
	return 0;
}
