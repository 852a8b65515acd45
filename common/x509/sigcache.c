#include "sigcache.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "certname.h"
#include "crtsig.h"

/* A link: subject and issuer, by the SHA-256 of their DER. */
struct link {
	unsigned char subject[32];
	unsigned char issuer[32];
};

struct sigcache {
	pthread_mutex_t lock;
	struct link slot[SIGCACHE_SLOTS];
	bool used[SIGCACHE_SLOTS];
};

struct sigcache *
sigcache_new(void)
{
	struct sigcache *cache = calloc(1, sizeof(*cache));

	if (cache != NULL && pthread_mutex_init(&cache->lock, NULL) != 0) {
		free(cache);
		return NULL;
	}
	return cache;
}

void
sigcache_free(struct sigcache *cache)
{
	if (cache == NULL)
		return;
	pthread_mutex_destroy(&cache->lock);
	free(cache);
}

/* Longest path whose links are remembered; longer ones are verified
 * whole (chain.h builds none that long). */
#define PATH_MAX_LINKS 16

/* The digests are uniform: a few octets of them pick the slot. */
static size_t
slot_of(const struct link *link)
{
	uint32_t h;

	memcpy(&h, link->subject, sizeof(h));
	h ^= (uint32_t)link->issuer[0] << 24 | (uint32_t)link->issuer[1] << 16;
	return h % SIGCACHE_SLOTS;
}

static bool
known(struct sigcache *cache, const struct link *link)
{
	size_t i = slot_of(link);
	bool found;

	pthread_mutex_lock(&cache->lock);
	found = cache->used[i] &&
	    memcmp(&cache->slot[i], link, sizeof(*link)) == 0;
	pthread_mutex_unlock(&cache->lock);
	return found;
}

static void
remember(struct sigcache *cache, const struct link *link)
{
	size_t i = slot_of(link);

	pthread_mutex_lock(&cache->lock);
	cache->slot[i] = *link;
	cache->used[i] = true;
	pthread_mutex_unlock(&cache->lock);
}

/* The links of the path; false when they cannot all be had. */
static bool
path_links(gnutls_x509_crt_t *crt, size_t n, struct link *links)
{
	unsigned char above[32];

	if (n > PATH_MAX_LINKS || certname_sha256(crt[n - 1], above) != 0)
		return false;
	for (size_t i = n - 1; i-- > 0;) {
		memcpy(links[i].issuer, above, 32);
		if (certname_sha256(crt[i], links[i].subject) != 0)
			return false;
		memcpy(above, links[i].subject, 32);
	}
	return true;
}

/*
 * Whether crt's issuer name is, byte for byte, issuer's subject name:
 * only then does GnuTLS take issuer for crt's.  The path search also
 * links names that are the same by RFC 5280 7.1 (dername.h).
 */
static bool
linked_by_bytes(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer)
{
	gnutls_datum_t name = { NULL, 0 }, subject = { NULL, 0 };
	bool same;

	same = gnutls_x509_crt_get_raw_issuer_dn(crt, &name) >= 0 &&
	    gnutls_x509_crt_get_raw_dn(issuer, &subject) >= 0 &&
	    name.size == subject.size &&
	    memcmp(name.data, subject.data, name.size) == 0;
	gnutls_free(name.data);
	gnutls_free(subject.data);
	return same;
}

/*
 * Whether GnuTLS passes over crt as the last certificate of a list it
 * verifies: one whose issuer name is its own (and whose key identifiers,
 * when it has both, are one) it takes for the sender's copy of a root,
 * and checks neither its signature nor its link to the anchor.  Sent by
 * a client, with the anchor's name and key identifier on another key, it
 * would stand unverified between the anchor and whatever that key signs.
 */
static bool
passed_over(gnutls_x509_crt_t crt)
{
	return gnutls_x509_crt_check_issuer(crt, crt) != 0;
}

/* GnuTLS's status for a link, from what crtsig_verify() returned. */
static unsigned
link_status(int ret)
{
	if (ret == 0)
		return 0;
	if (ret == GNUTLS_E_INSUFFICIENT_SECURITY)
		return GNUTLS_CERT_INVALID | GNUTLS_CERT_INSECURE_ALGORITHM;
	return GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNATURE_FAILURE;
}

/*
 * crt[0] .. crt[n-2] verified up to crt[n-1]: by GnuTLS, in pieces of
 * certificates linked by identical names, the one above a piece its
 * anchor; a link between names that are only the same by RFC 5280 7.1,
 * or from a certificate GnuTLS would pass over on top of a piece
 * (passed_over()), by its signature alone (the rules GnuTLS would apply
 * to it the judge applies to every link).  *status as GnuTLS gives it.
 */
static int
verify_links(gnutls_x509_crt_t *crt, size_t n, unsigned flags,
    unsigned *status)
{
	size_t top = n - 1;	/* the anchor of the piece below it */

	*status = 0;
	for (size_t i = n - 1; i-- > 0 && *status == 0;) {
		if (linked_by_bytes(crt[i], crt[i + 1]) &&
		    (i + 1 < top || !passed_over(crt[i])))
			continue;
		if (top > i + 1 && gnutls_x509_crt_list_verify(&crt[i + 1],
		    (unsigned)(top - i - 1), &crt[top], 1, NULL, 0, flags,
		    status) < 0)
			return -1;
		if (*status == 0)
			*status = link_status(crtsig_verify(crt[i], crt[i + 1],
			    flags));
		top = i;
	}
	if (*status == 0 && top > 0 && gnutls_x509_crt_list_verify(crt,
	    (unsigned)top, &crt[top], 1, NULL, 0, flags, status) < 0)
		return -1;
	return 0;
}

int
sigcache_verify_path(struct sigcache *cache, gnutls_x509_crt_t *crt,
    size_t n, unsigned flags, unsigned *status)
{
	struct link links[PATH_MAX_LINKS];
	bool linked = cache != NULL && n > 1 && path_links(crt, n, links);
	size_t below = n - 1;	/* links 0 .. below - 1 are verified */

	while (linked && below > 0 && known(cache, &links[below - 1]))
		below--;
	*status = 0;
	if (below > 0 && verify_links(crt, below + 1, flags, status) < 0)
		return -1;
	for (size_t i = 0; linked && *status == 0 && i < below; i++)
		remember(cache, &links[i]);
	return 0;
}
