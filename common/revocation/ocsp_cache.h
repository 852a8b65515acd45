/*
 * ocsp_cache.h - OCSP answers kept between checks (internal).
 *
 * PAM runs in many short-lived processes, the OpenVPN plugin in one that
 * lives for months: answers are kept in memory (for the latter) and as the
 * responder's raw DER response under <cache_dir>/ocsp/ (for all of them).
 * Memory holds only answers this process verified.  A file on disk is
 * handed back as bytes, never as an answer: the caller verifies it like a
 * response fresh from the network, so a corrupt or planted file is
 * ignored, not trusted.  Files are written atomically (temporary file,
 * fsync, rename), so a reader never sees half a response.  Each user
 * writes its own directory: root <cache_dir>/ocsp, which it makes; any
 * other user (FreeRADIUS's freerad) <cache_dir>/ocsp-<uid>, if an
 * administrator made it, owned by that user and closed to writes by
 * others.  Root reads only its own, other users theirs, then root's.  A
 * file not owned as its reader expects is refused.  A directory that
 * cannot keep answers is said to the cache's log (logsink.h: the host's,
 * or syslog), with the command that mends it, once per cache, and in a
 * rejection the answers it lacks could have prevented; unless cache_dir
 * is mounted read-only for the process, which then only reads, by
 * design.
 * Every function is safe to call from several threads at once.
 */
#ifndef MTLS_OCSP_CACHE_H
#define MTLS_OCSP_CACHE_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "logsink.h"

/* SHA-256 of the certID: names a certificate as the responder knows it. */
#define OCSP_CACHE_KEY_LEN 32

/*
 * Answers one process keeps in memory: a long-running process that sees
 * more certificates drops the answers closest to expiry first, so memory
 * stays bounded whatever the clients do.
 */
#define OCSP_CACHE_MEMORY_MAX 4096

/* Largest response fetched or read back; real ones are a few kilobytes. */
#define OCSP_RESPONSE_MAX (64 * 1024)

/* What a verified response said about one certificate. */
struct ocsp_answer {
	unsigned status;	/* GNUTLS_OCSP_CERT_GOOD or _REVOKED */
	time_t revoked_at;	/* revocationTime, or -1 */
	unsigned reason;	/* gnutls_x509_crl_reason_t, when revoked */
	time_t until;		/* usable before this time */
};

struct ocsp_cache;

/*
 * A cache keeping files under cache_dir, or only in memory when cache_dir
 * is NULL, saying what it must to log (NULL: syslog).  Fails only when
 * memory runs out.
 */
int ocsp_cache_new(struct ocsp_cache **out, const char *cache_dir,
    const struct log_sink *log);
void ocsp_cache_free(struct ocsp_cache *cache);

/* The answer in memory for key, if there is one usable at now. */
int ocsp_cache_get(struct ocsp_cache *cache,
    const unsigned char key[OCSP_CACHE_KEY_LEN], time_t now,
    struct ocsp_answer *answer);

/*
 * The raw response on disk for key, allocated, if the file exists, is at
 * most OCSP_RESPONSE_MAX bytes, and it and its directory are owned as
 * above (for root, the whole way, as read_file_bounded() wants) and
 * writable by nobody else.  Unverified: the caller must verify.  -1 with
 * err empty when there is no file, with err saying why when one is
 * refused.
 */
int ocsp_cache_read_file(struct ocsp_cache *cache,
    const unsigned char key[OCSP_CACHE_KEY_LEN], unsigned char **der,
    size_t *len, char *err, size_t errlen);

/*
 * Whether the user uid can keep answers under cache_dir, as above: 0
 * when it can (root's directory may be missing still: root makes it), -1
 * with why saying what stands in the way and the command, run as root,
 * that clears it.  Changes nothing.  "mtls config check" asks it for the
 * user a door will run as; a cache asks it for its process's own.
 */
int ocsp_cache_dir_check(const char *cache_dir, uid_t uid, char *why,
    size_t whylen);

/*
 * ocsp_cache_dir_check() for the user the process runs as: 0 too when
 * the cache keeps nothing on disk by design (no cache_dir, or one
 * mounted read-only for the process, as mtls serve's unit does).  The
 * user is named in why with a lookup made once per cache (one that asks
 * a directory server is not repeated at every check).
 */
int ocsp_cache_dir_usable(struct ocsp_cache *cache, char *why,
    size_t whylen);

/*
 * Whether answers judged with max_age (revocation.ocsp_max_age) are kept
 * at all: 0 when they are, -1 when max_age is 0, with why saying what
 * that breaks and what to set.  "mtls config check" asks it.
 */
int ocsp_cache_max_age_check(unsigned max_age, char *why, size_t whylen);

/*
 * ocsp_cache_max_age_check() for the checks made through cache, said to
 * syslog once per cache when it fails.
 */
void ocsp_cache_max_age_said(struct ocsp_cache *cache, unsigned max_age);

/*
 * Keep a verified answer in memory and, when der is not NULL, its
 * response on disk, in the directory of the user the process runs as.  A
 * failed write only costs a later fetch: it fails no check, and is said
 * to syslog once.
 */
void ocsp_cache_put(struct ocsp_cache *cache,
    const unsigned char key[OCSP_CACHE_KEY_LEN],
    const struct ocsp_answer *answer, const unsigned char *der, size_t len);

#endif /* MTLS_OCSP_CACHE_H */
