#include "pathcache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>

#include "described.h"

struct pathcache {
	pthread_mutex_t lock;
	struct pathcache_entry *slot[PATHCACHE_SLOTS];
	unsigned char seen[PATHCACHE_SLOTS][PATHCACHE_KEY_LEN];
};

struct pathcache *
pathcache_new(void)
{
	struct pathcache *cache = calloc(1, sizeof(*cache));

	if (cache != NULL && pthread_mutex_init(&cache->lock, NULL) != 0) {
		free(cache);
		return NULL;
	}
	return cache;
}

void
pathcache_free(struct pathcache *cache)
{
	if (cache == NULL)
		return;
	/* no holder is left: the state that owns the cache is freed */
	for (size_t i = 0; i < PATHCACHE_SLOTS; i++)
		pathcache_entry_free(cache->slot[i]);
	pthread_mutex_destroy(&cache->lock);
	free(cache);
}

/* Each input with its length first: no two sequences hash alike. */
static void
hash_blob(gnutls_hash_hd_t h, const struct request_blob *blob)
{
	uint64_t len = blob->len;

	gnutls_hash(h, &len, sizeof(len));
	gnutls_hash(h, blob->data, blob->len);
}

bool
pathcache_key(const struct mtls_request *req,
    unsigned char key[PATHCACHE_KEY_LEN])
{
	gnutls_hash_hd_t h;

	if (req->has_time || described_request(req) || req->oversized ||
	    req->too_many || req->cert.data == NULL)
		return false;
	if (gnutls_hash_init(&h, GNUTLS_DIG_SHA256) < 0)
		return false;
	hash_blob(h, &req->cert);
	for (size_t i = 0; i < req->nuntrusted; i++)
		hash_blob(h, &req->untrusted[i]);
	gnutls_hash_deinit(h, key);
	return true;
}

/* The digest is uniform: a few octets of it pick the slot. */
static size_t
slot_of(const unsigned char key[PATHCACHE_KEY_LEN])
{
	uint32_t h;

	memcpy(&h, key, sizeof(h));
	return h % PATHCACHE_SLOTS;
}

bool
pathcache_seen(struct pathcache *cache,
    const unsigned char key[PATHCACHE_KEY_LEN])
{
	unsigned char *seen = cache->seen[slot_of(key)];
	bool before;

	pthread_mutex_lock(&cache->lock);
	before = memcmp(seen, key, PATHCACHE_KEY_LEN) == 0;
	if (!before)
		memcpy(seen, key, PATHCACHE_KEY_LEN);
	pthread_mutex_unlock(&cache->lock);
	return before;
}

const struct pathcache_entry *
pathcache_get(struct pathcache *cache,
    const unsigned char key[PATHCACHE_KEY_LEN])
{
	struct pathcache_entry *entry;

	pthread_mutex_lock(&cache->lock);
	entry = cache->slot[slot_of(key)];
	if (entry != NULL && memcmp(entry->key, key, PATHCACHE_KEY_LEN) == 0)
		entry->refs++;
	else
		entry = NULL;
	pthread_mutex_unlock(&cache->lock);
	return entry;
}

void
pathcache_release(struct pathcache *cache,
    const struct pathcache_entry *held)
{
	/* the cache's own entry: only refs changes, under the lock */
	struct pathcache_entry *entry = (struct pathcache_entry *)held;
	bool last;

	if (entry == NULL)
		return;
	pthread_mutex_lock(&cache->lock);
	last = --entry->refs == 0;
	pthread_mutex_unlock(&cache->lock);
	if (last)
		pathcache_entry_free(entry);
}

struct pathcache_entry *
pathcache_entry_new(const unsigned char key[PATHCACHE_KEY_LEN])
{
	struct pathcache_entry *entry = calloc(1, sizeof(*entry));

	if (entry == NULL)
		return NULL;
	if ((entry->facts = calloc(1, sizeof(*entry->facts))) == NULL) {
		free(entry);
		return NULL;
	}
	memcpy(entry->key, key, PATHCACHE_KEY_LEN);
	return entry;
}

void
pathcache_entry_free(struct pathcache_entry *entry)
{
	if (entry == NULL)
		return;
	certset_clear(&entry->peer);
	mtls_verdict_free(entry->facts);
	free(entry);
}

/*
 * The latest notBefore and the earliest notAfter of the path stand for
 * all of its certificates: policy_check_validity() passes each exactly
 * when it passes these two.
 */
void
pathcache_validity(const struct chain *path, time_t *valid_from,
    time_t *valid_until)
{
	*valid_from = gnutls_x509_crt_get_activation_time(path->crt[0]);
	*valid_until = gnutls_x509_crt_get_expiration_time(path->crt[0]);
	for (size_t i = 1; i < path->len; i++) {
		time_t from = gnutls_x509_crt_get_activation_time(
		    path->crt[i]);
		time_t until = gnutls_x509_crt_get_expiration_time(
		    path->crt[i]);

		if (from > *valid_from)
			*valid_from = from;
		if (until < *valid_until)
			*valid_until = until;
	}
}

void
pathcache_put(struct pathcache *cache, struct pathcache_entry *entry)
{
	struct pathcache_entry *old;
	size_t i = slot_of(entry->key);
	bool last = false;

	pathcache_validity(&entry->path, &entry->valid_from,
	    &entry->valid_until);
	entry->refs = 1;		/* the cache's */
	pthread_mutex_lock(&cache->lock);
	old = cache->slot[i];
	cache->slot[i] = entry;
	if (old != NULL)
		last = --old->refs == 0;
	pthread_mutex_unlock(&cache->lock);
	if (last)
		pathcache_entry_free(old);
}

/* As policy_check_validity(): the skew widens notBefore only. */
bool
pathcache_within(time_t valid_from, time_t valid_until, time_t now,
    unsigned clock_skew)
{
	if (now < valid_from &&
	    (uintmax_t)valid_from - (uintmax_t)now > clock_skew)
		return false;
	return now <= valid_until;
}

bool
pathcache_valid_at(const struct pathcache_entry *entry, time_t now,
    unsigned clock_skew)
{
	return pathcache_within(entry->valid_from, entry->valid_until, now,
	    clock_skew);
}
