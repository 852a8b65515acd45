/*
 * crl_signer_cache.h - the paths of CRL signers a verifier has judged
 * (internal).
 *
 * Once a CA is renewed, every verification of a certificate its old key
 * issued uses the CRL the new key signs, and so judges the path of the
 * new key's certificate (crl_signer.h): a search, its signatures, the
 * RFC 5280 rules, many times what the rest of a remembered client path
 * costs.  For the same certificates that path is the same each time, and
 * holds for as long as each of its certificates is valid, so a
 * long-running verifier remembers it, with that validity; its revocation
 * is still checked at every use.  Only a signer and a path wholly of the
 * configuration are remembered, keyed by the signer and the trust anchor
 * certificates themselves: they live as long as the loaded configuration
 * (ctx.h), which owns the cache, and no client can make a certificate
 * that is one of them.
 *
 * Before a signer's path is judged, the search finds the signer among
 * the certificates of the CA's name, and asks whether it may sign CRLs
 * and whether the CA or its issuer certified it: again several times
 * what the rest of the path costs.  Those are facts of the signer's and
 * the CA certificate's DER, so the configured signer found for a CA
 * certificate is remembered too, the CA certificate by its DER (a copy:
 * the one in a path may be a client's).  Whether the signer's key signed
 * the CRL at hand, which a reloaded file or a republished index changes,
 * is asked again at every use, as is its path's revocation.
 *
 * Bounded: CRL_SIGNER_CACHE_SLOTS paths and as many signers, the oldest
 * replaced.  Safe to use from several threads at once.
 */
#ifndef MTLS_CRL_SIGNER_CACHE_H
#define MTLS_CRL_SIGNER_CACHE_H

#include <stdbool.h>
#include <time.h>

#include <gnutls/x509.h>

#include "chain.h"

/* More renewed CA keys than one configuration has. */
#define CRL_SIGNER_CACHE_SLOTS 16

struct crl_signer_cache;

/* NULL when out of memory. */
struct crl_signer_cache *crl_signer_cache_new(void);
void crl_signer_cache_free(struct crl_signer_cache *cache);

/*
 * The path remembered from signer to anchor, into *path, when every one
 * of its certificates is valid at now (clock_skew as for a verification).
 */
bool crl_signer_cache_get(struct crl_signer_cache *cache,
    gnutls_x509_crt_t signer, gnutls_x509_crt_t anchor, time_t now,
    unsigned clock_skew, struct chain *path);

/* Remember path, accepted from signer to its anchor. */
void crl_signer_cache_put(struct crl_signer_cache *cache,
    const struct chain *path);

/*
 * The configured signers remembered to speak for the CA certificate ca
 * (the same DER), up to max into out: their number.
 */
size_t crl_signer_cache_signers(struct crl_signer_cache *cache,
    gnutls_x509_crt_t ca, gnutls_x509_crt_t *out, size_t max);

/*
 * Remember that signer, a configured certificate, vouched for a CRL in
 * the place of ca (crl_signer.h).  Out of memory, nothing is.
 */
void crl_signer_cache_put_signer(struct crl_signer_cache *cache,
    gnutls_x509_crt_t ca, gnutls_x509_crt_t signer);

#endif /* MTLS_CRL_SIGNER_CACHE_H */
