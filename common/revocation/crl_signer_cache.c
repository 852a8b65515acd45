#include "crl_signer_cache.h"

#include <pthread.h>
#include <stdlib.h>

#include "certder.h"
#include "pathcache.h"

struct remembered {
	struct chain path;		/* len 0: an empty slot */
	time_t valid_from, valid_until;
};

/* A configured signer that spoke for a CA certificate. */
struct spoke_for {
	gnutls_x509_crt_t ca;		/* a copy; NULL: an empty slot */
	gnutls_x509_crt_t signer;
};

struct crl_signer_cache {
	pthread_mutex_t lock;
	struct remembered slot[CRL_SIGNER_CACHE_SLOTS];
	size_t next;			/* the oldest, replaced next */
	struct spoke_for signer[CRL_SIGNER_CACHE_SLOTS];
	size_t next_signer;
};

struct crl_signer_cache *
crl_signer_cache_new(void)
{
	struct crl_signer_cache *cache = calloc(1, sizeof(*cache));

	if (cache != NULL && pthread_mutex_init(&cache->lock, NULL) != 0) {
		free(cache);
		return NULL;
	}
	return cache;
}

void
crl_signer_cache_free(struct crl_signer_cache *cache)
{
	if (cache == NULL)
		return;
	for (size_t i = 0; i < CRL_SIGNER_CACHE_SLOTS; i++)
		if (cache->signer[i].ca != NULL)
			gnutls_x509_crt_deinit(cache->signer[i].ca);
	pthread_mutex_destroy(&cache->lock);
	free(cache);
}

bool
crl_signer_cache_get(struct crl_signer_cache *cache, gnutls_x509_crt_t signer,
    gnutls_x509_crt_t anchor, time_t now, unsigned clock_skew,
    struct chain *path)
{
	bool found = false;

	pthread_mutex_lock(&cache->lock);
	for (size_t i = 0; !found && i < CRL_SIGNER_CACHE_SLOTS; i++) {
		const struct remembered *r = &cache->slot[i];

		found = r->path.len > 0 && r->path.crt[0] == signer &&
		    r->path.crt[r->path.len - 1] == anchor &&
		    pathcache_within(r->valid_from, r->valid_until, now,
		    clock_skew);
		if (found)
			*path = r->path;
	}
	pthread_mutex_unlock(&cache->lock);
	return found;
}

void
crl_signer_cache_put(struct crl_signer_cache *cache, const struct chain *path)
{
	struct remembered r = { *path, 0, 0 };

	pathcache_validity(path, &r.valid_from, &r.valid_until);
	pthread_mutex_lock(&cache->lock);
	cache->slot[cache->next] = r;
	cache->next = (cache->next + 1) % CRL_SIGNER_CACHE_SLOTS;
	pthread_mutex_unlock(&cache->lock);
}

size_t
crl_signer_cache_signers(struct crl_signer_cache *cache,
    gnutls_x509_crt_t ca, gnutls_x509_crt_t *out, size_t max)
{
	size_t n = 0;

	pthread_mutex_lock(&cache->lock);
	for (size_t i = 0; n < max && i < CRL_SIGNER_CACHE_SLOTS; i++) {
		const struct spoke_for *r = &cache->signer[i];

		if (r->ca != NULL && gnutls_x509_crt_equals(r->ca, ca))
			out[n++] = r->signer;
	}
	pthread_mutex_unlock(&cache->lock);
	return n;
}

void
crl_signer_cache_put_signer(struct crl_signer_cache *cache,
    gnutls_x509_crt_t ca, gnutls_x509_crt_t signer)
{
	gnutls_x509_crt_t copy = certder_copy(ca);
	struct spoke_for *r;
	bool known = false;

	if (copy == NULL)
		return;
	pthread_mutex_lock(&cache->lock);
	/* another verification may have found it meanwhile */
	for (size_t i = 0; !known && i < CRL_SIGNER_CACHE_SLOTS; i++)
		known = cache->signer[i].signer == signer &&
		    cache->signer[i].ca != NULL &&
		    gnutls_x509_crt_equals(cache->signer[i].ca, ca);
	if (!known) {
		r = &cache->signer[cache->next_signer];
		cache->next_signer = (cache->next_signer + 1) %
		    CRL_SIGNER_CACHE_SLOTS;
		if (r->ca != NULL)
			gnutls_x509_crt_deinit(r->ca);
		r->ca = copy;
		r->signer = signer;
		copy = NULL;
	}
	pthread_mutex_unlock(&cache->lock);
	if (copy != NULL)
		gnutls_x509_crt_deinit(copy);
}
