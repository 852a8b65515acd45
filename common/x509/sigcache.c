#include "sigcache.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "certname.h"

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
	if (below > 0 && gnutls_x509_crt_list_verify(crt, (unsigned)below,
	    &crt[below], 1, NULL, 0, flags, status) < 0)
		return -1;
	for (size_t i = 0; linked && *status == 0 && i < below; i++)
		remember(cache, &links[i]);
	return 0;
}
