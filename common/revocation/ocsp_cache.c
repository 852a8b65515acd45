#include "ocsp_cache.h"

#include <errno.h>
#include <fcntl.h>
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
	char *dir;		/* cache_dir, or NULL */
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
	if (cache_dir != NULL && (cache->dir = strdup(cache_dir)) == NULL) {
		free(cache);
		return -1;
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

/*
 * The directory of a user's files, for the user the process runs as now
 * (a daemon may drop root after it made its cache): root's is
 * <cache_dir>/ocsp, any other user's <cache_dir>/ocsp-<uid>.  Root never
 * reads another user's: what a daemon's user wrote must not decide a
 * login as root.
 */
static void
dir_path(const struct ocsp_cache *cache, uid_t uid, char *out,
    size_t outlen)
{
	if (uid == 0)
		snprintf(out, outlen, "%s/ocsp", cache->dir);
	else
		snprintf(out, outlen, "%s/ocsp-%u", cache->dir, (unsigned)uid);
}

static void
file_path(const struct ocsp_cache *cache, uid_t uid,
    const unsigned char *key, char *out, size_t outlen)
{
	char hex[2 * OCSP_CACHE_KEY_LEN + 1];
	size_t n;

	dir_path(cache, uid, out, outlen);
	n = strlen(out);
	hex_encode(key, OCSP_CACHE_KEY_LEN, '\0', hex);
	snprintf(out + n, outlen - n, "/%s.der", hex);
}

/*
 * For a user other than root: path is owner's directory (want_dir) or
 * regular file, not a link, and nobody else may write it.  Only root may
 * rename in the cache_dir they are made in, so what passes here stays
 * owner's.
 */
static int
stat_owned_by(const char *path, const struct stat *st, uid_t owner,
    bool want_dir, char *err, size_t errlen)
{
	if (want_dir ? !S_ISDIR(st->st_mode) : !S_ISREG(st->st_mode)) {
		snprintf(err, errlen, "%s: not a %s", path,
		    want_dir ? "directory" : "regular file");
		return -1;
	}
	if (st->st_uid != owner) {
		snprintf(err, errlen, "%s: owned by uid %u, not by uid %u; %s",
		    path, (unsigned)st->st_uid, (unsigned)owner,
		    want_dir ? "chown it" : "remove it");
		return -1;
	}
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		snprintf(err, errlen, "%s: writable by others than uid %u; "
		    "chmod go-w it", path, (unsigned)owner);
		return -1;
	}
	return 0;
}

static int
owned_by(const char *path, uid_t owner, bool want_dir, char *err,
    size_t errlen)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return stat_owned_by(path, &st, owner, want_dir, err, errlen);
}

/*
 * A file of owner's directory, as a user other than root reads it: the
 * file it opened is the one whose owner and mode it checks (no link
 * followed, no name looked up twice).
 */
static int
read_owned_file(const char *path, uid_t owner, unsigned char **der,
    size_t *len, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK |
	    O_NOFOLLOW);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, errno == ELOOP ?
		    "not a regular file" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (stat_owned_by(path, &st, owner, false, err, errlen) != 0) {
		close(fd);
		return -1;
	}
	return read_fd_bounded(fd, path, OCSP_RESPONSE_MAX, der, len, err,
	    errlen);
}

/* ocsp_cache_read_file() from owner's directory. */
static int
read_file_of(struct ocsp_cache *cache, uid_t owner,
    const unsigned char *key, unsigned char **der, size_t *len, char *err,
    size_t errlen)
{
	char dir[4096], path[4096];
	struct stat st;

	dir_path(cache, owner, dir, sizeof(dir));
	file_path(cache, owner, key, path, sizeof(path));
	/* no answer kept is no fault: the responder is asked */
	if (lstat(path, &st) != 0 && errno == ENOENT)
		return -1;
	if (geteuid() != 0)
		return owned_by(dir, owner, true, err, errlen) != 0 ? -1 :
		    read_owned_file(path, owner, der, len, err, errlen);
	/* read_file_bounded() refuses, as root, a file others could write */
	return read_file_bounded(path, OCSP_RESPONSE_MAX, der, len, err,
	    errlen);
}

/* Its own answers first; root's are as good as its own to any user. */
int
ocsp_cache_read_file(struct ocsp_cache *cache,
    const unsigned char key[OCSP_CACHE_KEY_LEN], unsigned char **der,
    size_t *len, char *err, size_t errlen)
{
	uid_t uid = geteuid();

	err[0] = '\0';
	if (cache->dir == NULL)
		return -1;
	if (read_file_of(cache, uid, key, der, len, err, errlen) == 0)
		return 0;
	if (uid == 0 || err[0] != '\0')
		return -1;
	return read_file_of(cache, 0, key, der, len, err, errlen);
}

/*
 * Readers see the old response or the new one, whole (atomicfile.h).
 * Root makes its directory; another user's is made for it, by an
 * administrator, and without it nothing is written.
 */
static void
write_file(const struct ocsp_cache *cache, const unsigned char *key,
    const unsigned char *der, size_t len)
{
	const struct atomicfile_part part = { der, len };
	uid_t uid = geteuid();
	char dir[4096], path[4096], err[512];

	dir_path(cache, uid, dir, sizeof(dir));
	if (uid == 0) {
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			return;
		/* one others may write could hold a link that has root
		 * write elsewhere, and is not read from anyway */
		if (file_check_trusted(dir, err, sizeof(err)) != 0)
			return;
	} else if (owned_by(dir, uid, true, err, sizeof(err)) != 0)
		return;
	file_path(cache, uid, key, path, sizeof(path));
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
	if (der != NULL && cache->dir != NULL)
		write_file(cache, key, der, len);
}
