/*
 * sigcache.h - signature links a verifier has already checked (internal).
 *
 * A long-running verifier (the OpenVPN plugin, "mtls serve") sees the
 * same intermediates login after login, and checking their signatures
 * again is most of what verifying costs.  What a signature check
 * establishes is a fact about two exact encodings: the key in the
 * issuer's DER verifies the signature over the subject's DER.  It does
 * not expire and no other certificate shares it, so it is remembered,
 * keyed by the SHA-256 of both DERs; validity, the RFC 5280 rules, policy
 * and revocation are not, and run on every verification.
 *
 * Bounded: SIGCACHE_SLOTS links, each slot holding the last link that
 * hashed to it (64 octets each, 256 KiB in all).  Safe to use from
 * several threads at once.
 */
#ifndef MTLS_SIGCACHE_H
#define MTLS_SIGCACHE_H

#include <stddef.h>

#include <gnutls/x509.h>

#define SIGCACHE_SLOTS 4096

struct sigcache;

/* NULL when out of memory. */
struct sigcache *sigcache_new(void);
void sigcache_free(struct sigcache *cache);

/*
 * gnutls_x509_crt_list_verify() of the path crt[0] (leaf) .. crt[n-1]
 * (its anchor) with flags (and, for a link whose names are the same only
 * by RFC 5280 7.1, which GnuTLS does not link, or from a certificate that
 * looks self-signed, which GnuTLS passes over below its anchor,
 * crtsig_verify()), but for
 * the links at the top whose signatures cache knows: GnuTLS verifies the path up to the lowest of them, with
 * the certificate there as its anchor, so a repeat login through a known
 * intermediate costs one signature check, and a repeat of the same
 * certificate none.  *status is GnuTLS's status for what it verified.
 * When it found nothing wrong at all, the links it verified are
 * remembered.  A NULL cache remembers nothing: every link is verified.
 * -1 when GnuTLS could not verify.
 */
int sigcache_verify_path(struct sigcache *cache, gnutls_x509_crt_t *crt,
    size_t n, unsigned flags, unsigned *status);

#endif /* MTLS_SIGCACHE_H */
