/*
 * pathcache.h - paths a verifier has already built and judged (internal).
 *
 * A long-running verifier ("mtls serve", the OpenVPN plugin) is asked
 * about the same client certificate again and again: every request of a
 * web client carries it.  Reading the certificates, building their path,
 * checking its signatures, the RFC 5280 rules and the policy, and mapping
 * the user give the same answer each time for the same bytes and the
 * same configuration, so that answer is remembered, keyed by the SHA-256
 * of exactly the bytes the client presented (its certificate and every
 * certificate it sent with it).  What can change between two requests is
 * checked on every one: the validity of each certificate of the path at
 * that moment, revocation (the CRL index as last published, the OCSP
 * cache), and the user the request claims.
 *
 * A path is remembered the second time its bytes are presented: keeping
 * an entry costs a certificate seen only once (a new client, each login
 * of a one-off process) more than the entry saves, in memory churned.
 * Only a path that was the first one judged is remembered: when another
 * path failed first, it may have failed for a time that has since
 * passed, and the search would choose differently now.  A path whose
 * validity does not cover the time of a request is judged whole again.
 * The cache belongs to one loaded configuration (ctx.h): a reload starts
 * an empty one.
 *
 * Bounded: PATHCACHE_SLOTS entries, each slot holding the last entry that
 * hashed to it (a client certificate and what it sent, parsed: some tens
 * of kilobytes each), and the last key presented once.  Safe to use from several threads at once: an entry
 * is never changed once put, and is freed when the last holder lets go.
 */
#ifndef MTLS_PATHCACHE_H
#define MTLS_PATHCACHE_H

#include <stdbool.h>
#include <time.h>

#include "certset.h"
#include "chain.h"
#include "notes.h"
#include "ocsp.h"
#include "request.h"
#include "verdict.h"

#define PATHCACHE_SLOTS 512
#define PATHCACHE_KEY_LEN 32

struct pathcache_entry {
	unsigned refs;			/* under the cache's lock */
	unsigned char key[PATHCACHE_KEY_LEN];
	struct certset peer;		/* what the client sent, parsed */
	struct chain path;		/* into peer and the configuration */
	/* every certificate of the path is within its validity from
	 * valid_from (less the clock skew) to valid_until */
	time_t valid_from, valid_until;
	struct notes notes;		/* of the path, before settling */
	/* the certificate's facts and chain; user, or finding saying why
	 * no user maps */
	struct mtls_verdict *facts;
	struct ocsp_id ocsp;		/* of the client certificate */
};

struct pathcache;

/* NULL when out of memory. */
struct pathcache *pathcache_new(void);
void pathcache_free(struct pathcache *cache);

/*
 * The key of what req presents; false when its answer is not to be
 * remembered: a request for another time than now (its validity is
 * exact), or not of certificate bytes (a description, an input refused
 * unread).
 */
bool pathcache_key(const struct mtls_request *req,
    unsigned char key[PATHCACHE_KEY_LEN]);

/*
 * Whether key was presented before, so that its path is worth
 * remembering; if not, it is noted as presented now.
 */
bool pathcache_seen(struct pathcache *cache,
    const unsigned char key[PATHCACHE_KEY_LEN]);

/* The entry of key, held until pathcache_release(); NULL when none. */
const struct pathcache_entry *pathcache_get(struct pathcache *cache,
    const unsigned char key[PATHCACHE_KEY_LEN]);
void pathcache_release(struct pathcache *cache,
    const struct pathcache_entry *entry);

/* A new entry for key, empty: filled in, then put or freed. */
struct pathcache_entry *pathcache_entry_new(
    const unsigned char key[PATHCACHE_KEY_LEN]);
void pathcache_entry_free(struct pathcache_entry *entry);

/* Hand entry over to the cache, in place of whatever its slot held. */
void pathcache_put(struct pathcache *cache, struct pathcache_entry *entry);

/* Whether every certificate of entry's path is valid at now. */
bool pathcache_valid_at(const struct pathcache_entry *entry, time_t now,
    unsigned clock_skew);

/*
 * What the entries keep of a path's validity, for other remembered paths
 * (crl_signer_cache.h): the latest notBefore and the earliest notAfter
 * of its certificates, and whether now lies within them, as
 * policy_check_validity() judges.
 */
void pathcache_validity(const struct chain *path, time_t *valid_from,
    time_t *valid_until);
bool pathcache_within(time_t valid_from, time_t valid_until, time_t now,
    unsigned clock_skew);

#endif /* MTLS_PATHCACHE_H */
