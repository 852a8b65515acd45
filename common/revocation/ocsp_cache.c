#include "ocsp_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <syslog.h>
#include <unistd.h>

#include "atomicfile.h"
#include "denied.h"
#include "hex.h"
#include "readfile.h"
#include "shellword.h"

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
	bool said;		/* why answers are not kept on disk */
	bool said_max_age;	/* that none are kept at all */
	uid_t named;		/* whose name is in name */
	char name[256];		/* "" until looked up */
	struct log_sink log;	/* where said and said_max_age are said */
};

int
ocsp_cache_new(struct ocsp_cache **out, const char *cache_dir,
    const struct log_sink *log)
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
	if (log != NULL)
		cache->log = *log;
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
dir_path(const char *cache_dir, uid_t uid, char *out, size_t outlen)
{
	if (uid == 0)
		snprintf(out, outlen, "%s/ocsp", cache_dir);
	else
		snprintf(out, outlen, "%s/ocsp-%u", cache_dir, (unsigned)uid);
}

static void
file_path(const struct ocsp_cache *cache, uid_t uid,
    const unsigned char *key, char *out, size_t outlen)
{
	char hex[2 * OCSP_CACHE_KEY_LEN + 1];
	size_t n;

	dir_path(cache->dir, uid, out, outlen);
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

/*
 * What to call uid in a command: its name, or its number when it has
 * none (install(1) takes either).
 */
static void
user_name(uid_t uid, char *out, size_t outlen)
{
	struct passwd pw, *found = NULL;
	char buf[4096];

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &found) == 0 &&
	    found != NULL)
		snprintf(out, outlen, "%s", pw.pw_name);
	else
		snprintf(out, outlen, "%u", (unsigned)uid);
}

/*
 * user_name(), looked up once per cache (a process keeps one per
 * configuration it loads) when names is not NULL: a directory that cannot
 * keep answers is checked again at every read from disk, and the lookup
 * may ask a directory server each time.
 */
static void
name_of(struct ocsp_cache *names, uid_t uid, char *out, size_t outlen)
{
	bool known;

	if (names == NULL) {
		user_name(uid, out, outlen);
		return;
	}
	pthread_mutex_lock(&names->lock);
	known = names->name[0] != '\0' && names->named == uid;
	if (known)
		snprintf(out, outlen, "%s", names->name);
	pthread_mutex_unlock(&names->lock);
	if (known)
		return;
	/* not under the lock: the other threads' answers need not wait */
	user_name(uid, out, outlen);
	pthread_mutex_lock(&names->lock);
	snprintf(names->name, sizeof(names->name), "%s", out);
	names->named = uid;
	pthread_mutex_unlock(&names->lock);
}

/*
 * Root's directory: root makes it, in a cache_dir that must exist, and
 * uses it only if it and the way to it are root's alone: one others may
 * write could hold a link that has root write elsewhere (what
 * file_check_trusted() says names what to change).
 */
static int
root_dir_check(const char *cache_dir, char *why, size_t whylen)
{
	char dir[4096], err[512], word[SHELLWORD_MAX];
	struct stat st;

	dir_path(cache_dir, 0, dir, sizeof(dir));
	if (lstat(dir, &st) == 0 || errno != ENOENT) {
		if (file_check_trusted(dir, err, sizeof(err)) == 0)
			return 0;
	} else if (stat(cache_dir, &st) != 0 && errno == ENOENT)
		shellword_message(err, sizeof(err), "%s does not exist; as "
		    "root, run: install -d -m 0755 %s", cache_dir,
		    shellword(cache_dir, word, sizeof(word)));
	else if (file_check_trusted(cache_dir, err, sizeof(err)) == 0)
		return 0;
	shellword_message(why, whylen, "OCSP answers of root are not kept on "
	    "disk: %s", err);
	return -1;
}

/*
 * Another user's: an administrator makes it, and it is used only if it
 * is a directory (not a link to one) that user owns, may write, and
 * nobody else may.  The user is named through names (name_of()).
 */
static int
user_dir_check(const char *cache_dir, uid_t uid, struct ocsp_cache *names,
    char *why, size_t whylen)
{
	char dir[4096], name[256], what[128], owner[1024];
	char word[SHELLWORD_MAX], closed[SHELLWORD_MAX + 64];
	const char *remove = "";
	struct stat st;
	int found;

	dir_path(cache_dir, uid, dir, sizeof(dir));
	found = lstat(dir, &st) == 0 ? 0 : errno;
	if (found != 0)
		snprintf(what, sizeof(what), "%s", found == ENOENT ?
		    "does not exist" : strerror(found));
	else if (!S_ISDIR(st.st_mode)) {
		snprintf(what, sizeof(what), "is not a directory (a symbolic "
		    "link is not followed)");
		remove = "remove it, then ";
	} else if (st.st_uid != uid)
		snprintf(what, sizeof(what), "is owned by uid %u, not by uid "
		    "%u", (unsigned)st.st_uid, (unsigned)uid);
	else if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		snprintf(what, sizeof(what), "may be written by others than "
		    "uid %u (mode %04o)", (unsigned)uid,
		    (unsigned)(st.st_mode & 07777));
	else if ((st.st_mode & S_IRWXU) != S_IRWXU)
		snprintf(what, sizeof(what), "is closed to its owner (mode "
		    "%04o)", (unsigned)(st.st_mode & 07777));
	else
		return 0;
	/* named only now: the lookup may ask a directory server */
	name_of(names, uid, name, sizeof(name));
	/* cache_dir, or a directory above it, is closed to it */
	if (found == EACCES && denied(dir, true, closed, sizeof(closed)))
		shellword_message(why, whylen, "OCSP answers of uid %u (%s) "
		    "are not kept on disk: %s", (unsigned)uid, name, closed);
	else
		shellword_message(why, whylen, "OCSP answers of uid %u (%s) "
		    "are not kept on disk: %s %s; as root, %srun: install -d "
		    "-o %s -m 0700 %s", (unsigned)uid, name, dir, what, remove,
		    shellword(name, owner, sizeof(owner)),
		    shellword(dir, word, sizeof(word)));
	return -1;
}

static int
dir_check(const char *cache_dir, uid_t uid, struct ocsp_cache *names,
    char *why, size_t whylen)
{
	return uid == 0 ? root_dir_check(cache_dir, why, whylen) :
	    user_dir_check(cache_dir, uid, names, why, whylen);
}

int
ocsp_cache_dir_check(const char *cache_dir, uid_t uid, char *why,
    size_t whylen)
{
	return dir_check(cache_dir, uid, NULL, why, whylen);
}

/*
 * A cache_dir mounted read-only for this process (mtls serve's
 * ReadOnlyPaths) is there to be read, not written: nothing to mend.
 */
static bool
read_only_here(const char *cache_dir)
{
	struct statvfs fs;

	return statvfs(cache_dir, &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0;
}

int
ocsp_cache_dir_usable(struct ocsp_cache *cache, char *why, size_t whylen)
{
	if (cache->dir == NULL || read_only_here(cache->dir))
		return 0;
	return dir_check(cache->dir, geteuid(), cache, why, whylen);
}

/*
 * Why answers are not kept, to the cache's log (the host's, or syslog),
 * once per cache (a process keeps one per configuration it loads) and
 * kind of reason (said): an administrator is told, and the log is not
 * flooded.
 *
 * syslog(3) waits while a stalled syslog daemon's queue is full, holding
 * the C library's own lock, and a host's log may wait too: the cache's
 * lock is let go first, and being said once, it makes at most one
 * verification wait, once.  It is not the request's audit sink: that
 * takes the verdict's one audit line (mtls serve keeps exactly one a
 * request, on its bounded route), and this is no verdict.
 */
static void
say_once(struct ocsp_cache *cache, bool *said, const char *why)
{
	bool before;

	pthread_mutex_lock(&cache->lock);
	before = *said;
	*said = true;
	pthread_mutex_unlock(&cache->lock);
	if (!before)
		log_sink_say(&cache->log, LOG_WARNING, "%s", why);
}

int
ocsp_cache_max_age_check(unsigned max_age, char *why, size_t whylen)
{
	if (max_age > 0)
		return 0;
	snprintf(why, whylen, "revocation.ocsp_max_age = 0 keeps no OCSP "
	    "answer, in memory or on disk: every verification asks the "
	    "responder, answers without a nextUpdate are refused, and a check "
	    "made without the network (the FreeRADIUS gate, mtls radius "
	    "authorize) finds none, so with mode = \"ocsp\" alone it rejects "
	    "every authentication; set ocsp_max_age to how long an answer may "
	    "be trusted, 300 or more (86400 when it is not set)");
	return -1;
}

void
ocsp_cache_max_age_said(struct ocsp_cache *cache, unsigned max_age)
{
	char why[1024];

	if (ocsp_cache_max_age_check(max_age, why, sizeof(why)) != 0)
		say_once(cache, &cache->said_max_age, why);
}

/*
 * Whether the directory of uid, the user the process runs as, takes
 * answers; said once when not, unless read_only_here().  Root makes its
 * own.
 */
static bool
own_dir_ready(struct ocsp_cache *cache, uid_t uid)
{
	char dir[4096], why[1024];
	int made = 0;

	if (read_only_here(cache->dir))
		return false;
	dir_path(cache->dir, uid, dir, sizeof(dir));
	if (uid == 0 && mkdir(dir, 0755) != 0 && errno != EEXIST)
		made = errno;
	if (dir_check(cache->dir, uid, cache, why, sizeof(why)) != 0) {
		say_once(cache, &cache->said, why);
		return false;
	}
	if (made != 0) {
		snprintf(why, sizeof(why), "OCSP answers of root are not kept "
		    "on disk: cannot make %s/ocsp: %s", cache->dir,
		    strerror(made));
		say_once(cache, &cache->said, why);
		return false;
	}
	return true;
}

/* ocsp_cache_read_file() from owner's directory. */
static int
read_file_of(struct ocsp_cache *cache, uid_t owner,
    const unsigned char *key, unsigned char **der, size_t *len, char *err,
    size_t errlen)
{
	char dir[4096], path[4096];
	struct stat st;

	dir_path(cache->dir, owner, dir, sizeof(dir));
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
	/* a directory it cannot keep answers in is said before it is
	 * needed: the gate of a RADIUS server only ever reads */
	if (uid != 0)
		(void)own_dir_ready(cache, uid);
	if (read_file_of(cache, uid, key, der, len, err, errlen) == 0)
		return 0;
	if (uid == 0 || err[0] != '\0')
		return -1;
	return read_file_of(cache, 0, key, der, len, err, errlen);
}

/*
 * Readers see the old response or the new one, whole (atomicfile.h).
 * Root makes its directory; another user's is made for it, by an
 * administrator, and without it nothing is written.  Why nothing is
 * written is said once: each check then asks the responder again.
 */
static void
write_file(struct ocsp_cache *cache, const unsigned char *key,
    const unsigned char *der, size_t len)
{
	const struct atomicfile_part part = { der, len };
	uid_t uid = geteuid();
	char path[4096], err[512], why[1024];

	if (!own_dir_ready(cache, uid))
		return;
	file_path(cache, uid, key, path, sizeof(path));
	if (atomicfile_write(path, &part, 1, err, sizeof(err)) == 0)
		return;
	snprintf(why, sizeof(why), "OCSP answers of uid %u are not kept on "
	    "disk: %s", (unsigned)uid, err);
	say_once(cache, &cache->said, why);
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
