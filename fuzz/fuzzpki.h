/*
 * fuzzpki.h - the PKI the fuzzers judge their inputs against.
 *
 * A seed corpus only helps a fuzzer that checks against the PKI the seeds
 * were made from, and keys are made fresh by tests/testpki.  So the PKI
 * lives in a directory: the corpus generator (make_corpus.c) and every
 * fuzzer load it from $MTLS_FUZZ_PKI, which the first of them to run
 * fills.  Without $MTLS_FUZZ_PKI a fresh one is made in a temporary
 * directory, and seeds made before will not verify.
 *
 * The PKI is the standard one of testpki.h and a little more, all EC:
 *   root.pem       "CN=Test Root", the trust anchor
 *   int.pem        "CN=Test Intermediate", issued by the root
 *   alice.pem      "CN=alice", a client certificate the intermediate issued
 *   bob.pem        "CN=bob", likewise, revoked (in int.crl and by OCSP)
 *   carol.pem      "CN=carol", likewise, unknown to the OCSP responder
 *   responder.pem  the intermediate's delegated OCSP responder
 *   int.crl        the intermediate's CRL, listing bob
 *   root.crl       the root's CRL, listing nothing
 *   ocsp-index.txt an "openssl ocsp" index: alice good, bob revoked
 * and the keys of root, intermediate and responder (root.key, ...).
 * Everything is valid from an hour before it was made for a year.
 */
#ifndef MTLS_FUZZPKI_H
#define MTLS_FUZZPKI_H

#include <gnutls/x509.h>

struct fuzzpki {
	gnutls_x509_crt_t root, intermediate, alice, bob, carol, responder;
	gnutls_x509_privkey_t root_key, int_key;
	gnutls_x509_crl_t int_crl, root_crl;
	const char *dir;
};

/* The PKI of $MTLS_FUZZ_PKI, made there first if it is not; aborts on
 * failure.  Loaded once per process: later calls return the same. */
const struct fuzzpki *fuzzpki_load(void);

/* dir/name, in a static rotating buffer. */
const char *fuzzpki_path(const char *name);

#endif /* MTLS_FUZZPKI_H */
