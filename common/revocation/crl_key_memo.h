/*
 * crl_key_memo.h - the certificates found to hold, or not to hold, the
 * key that signed one CRL (internal).
 *
 * Whether the issuer in a path holds the key that signed a CRL is asked
 * at every verification the CRL could cover, and where the issuer is not
 * the very certificate the CRL was checked with at load (a CA renewed
 * with a new key, a cross-certificate, every issuer when the CRL comes
 * from the index) the answer takes a key identifier: GnuTLS re-encodes
 * the key and hashes it, many times what the rest of a remembered path
 * costs.  The answer is a fact of the certificate's DER and the CRL's,
 * which no time changes, so each CRL of a source remembers it for the
 * few certificates it is asked about, compared by their DER (a copy is
 * kept, so a certificate a client sent is never confused with another
 * at its address).  It lives and dies with the CRL: a reloaded
 * configuration or a republished index starts with none.  Bounded:
 * CRL_KEY_MEMO_SLOTS certificates, the oldest forgotten.  Safe to use
 * from several threads at once.
 */
#ifndef MTLS_CRL_KEY_MEMO_H
#define MTLS_CRL_KEY_MEMO_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <gnutls/x509.h>

#include "crl_coverage.h"

/* As many certificates of one CA name as re-issued or cross-certified
 * issuers and renewed keys have. */
#define CRL_KEY_MEMO_SLOTS 4

struct crl_key_memo {
	pthread_mutex_t lock;
	gnutls_x509_crt_t crt[CRL_KEY_MEMO_SLOTS];	/* copies */
	bool holds[CRL_KEY_MEMO_SLOTS];
	size_t count;
};

void crl_key_memo_init(struct crl_key_memo *memo);
void crl_key_memo_clear(struct crl_key_memo *memo);

/*
 * 1 when crt (the same DER) was found to hold the CRL's key, 0 when it
 * was found not to, -1 when it was not asked about.
 */
int crl_key_memo_get(struct crl_key_memo *memo, gnutls_x509_crt_t crt);

/* Remember what was found of crt; out of memory, nothing is. */
void crl_key_memo_put(struct crl_key_memo *memo, gnutls_x509_crt_t crt,
    bool holds);

/*
 * Whether link->issuer holds the key key identifies (crl_key_id()), into
 * *holds: remembered, or compared now (crl_link_issuer_key()) and
 * remembered.  -1 with f set when the key cannot be identified.
 */
int crl_key_memo_holds(struct crl_key_memo *memo,
    const unsigned char key[CRL_KEY_ID_LEN], struct crl_link *link,
    bool *holds, struct finding *f);

#endif /* MTLS_CRL_KEY_MEMO_H */
