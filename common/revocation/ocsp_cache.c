#include "ocsp_cache.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "hex.h"
#include "readfile.h"

struct entry {
	unsigned char key[OCSP_CACHE_KEY_LEN];
	struct ocsp_answer answer;
};

struct ocsp_cache {
	pthread_mutex_t lock;
	char *dir;		/* <cache_dir>/ocsp, or NULL */
	struct entry *entries;
	size_t count;
	size_t cap;
};

int
ocsp_cache_new(struct ocsp_cache **out, const char *cache_dir)
{
	struct ocsp_cache *cache;

	*out = NULL;
	if ((cache = calloc(1, sizeof(*cache))) == NULL)
		return -1;
	if (cache_dir != NULL) {
		size_t n = strlen(cache_dir) + sizeof("/ocsp");

		if ((cache->dir = malloc(n)) == NULL) {
			free(cache);
			return -1;
		}
		snprintf(cache->dir, n, "%s/ocsp", cache_dir);
	}
	if (pthread_mutex_init(&cache->lock, NULL) != 0) {
		free(cache->dir);
		free(cache);
		return -1;
	}
	*out = cache;
	return 0;
}

void
ocsp_cache_free(struct ocsp_cache *cache)
{
	if (cache == NULL)
		return;
	pthread_mutex_destroy(&cache->lock);
	free(cache->entries);
	free(cache->dir);
	free(cache);
}

/* Called with the lock held. */
static struct entry *
find(struct ocsp_cache *cache, const unsigned char *key)
{
	for (size_t i = 0; i < cache->count; i++)
		if (memcmp(cache->entries[i].key, key, OCSP_CACHE_KEY_LEN) == 0)
			return &cache->entries[i];
	return NULL;
}

/* A slot for a new entry, called with the lock held; NULL without memory. */
static struct entry *
make_room(struct ocsp_cache *cache)
{
	struct entry *grown, *oldest;
	size_t cap;

	if (cache->count < cache->cap)
		return &cache->entries[cache->count++];
	if (cache->cap < OCSP_CACHE_MEMORY_MAX) {
		cap = cache->cap ? cache->cap * 2 : 16;
		if (cap > OCSP_CACHE_MEMORY_MAX)
			cap = OCSP_CACHE_MEMORY_MAX;
		grown = realloc(cache->entries, cap * sizeof(*grown));
		if (grown == NULL)
			return NULL;
		cache->entries = grown;
		cache->cap = cap;
		return &cache->entries[cache->count++];
	}
	oldest = &cache->entries[0];
	for (size_t i = 1; i < cache->count; i++)
		if (cache->entries[i].answer.until < oldest->answer.until)
			oldest = &cache->entries[i];
	return oldest;
}

int
ocsp_cache_get(struct ocsp_cache *cache,
    const unsigned char key[OCSP_CACHE_KEY_LEN], time_t now,
    struct ocsp_answer *answer)
{
	struct entry *e;
	int ret = -1;

	pthread_mutex_lock(&cache->lock);
	if ((e = find(cache, key)) != NULL) {
		if (now < e->answer.until) {
			*answer = e->answer;
			ret = 0;
		} else
			*e = cache->entries[--cache->count];
	}
	pthread_mutex_unlock(&cache->lock);
	return ret;
}

static void
file_path(const struct ocsp_cache *cache, const unsigned char *key,
    char *out, size_t outlen)
{
	char hex[2 * OCSP_CACHE_KEY_LEN + 1];

	hex_encode(key, OCSP_CACHE_KEY_LEN, '\0', hex);
	snprintf(out, outlen, "%s/%s.der", cache->dir, hex);
}

int
ocsp_cache_read_file(struct ocsp_cache *cache,
    const unsigned char key[OCSP_CACHE_KEY_LEN], unsigned char **der,
    size_t *len)
{
	char path[4096], err[512];

	if (cache->dir == NULL)
		return -1;
	file_path(cache, key, path, sizeof(path));
	/* read_file_bounded() refuses, as root, a file others could write */
	return read_file_bounded(path, OCSP_RESPONSE_MAX, der, len, err,
	    sizeof(err));
}

/* Readers see the old response or the new one, whole (atomicfile.h). */
static void
write_file(const struct ocsp_cache *cache, const unsigned char *key,
    const unsigned char *der, size_t len)
{
	const struct atomicfile_part part = { der, len };
	char path[4096], err[512];

	if (mkdir(cache->dir, 0755) != 0 && errno != EEXIST)
		return;
	/* one others may write could hold a link that has root write
	 * elsewhere, and is not read from anyway */
	if (file_check_trusted(cache->dir, err, sizeof(err)) != 0)
		return;
	file_path(cache, key, path, sizeof(path));
	(void)atomicfile_write(path, &part, 1, err, sizeof(err));
}

void
ocsp_cache_put(struct ocsp_cache *cache,
    const unsigned char key[OCSP_CACHE_KEY_LEN],
    const struct ocsp_answer *answer, const unsigned char *der, size_t len)
{
	struct entry *e;

	pthread_mutex_lock(&cache->lock);
	if ((e = find(cache, key)) != NULL || (e = make_room(cache)) != NULL) {
		memcpy(e->key, key, OCSP_CACHE_KEY_LEN);
		e->answer = *answer;
	}
	pthread_mutex_unlock(&cache->lock);
	if (der != NULL && cache->dir != NULL && geteuid() == 0)
		write_file(cache, key, der, len);
}
