/*
 * mapfile.c - the identity map file: "<subject DN or SHA-256 fingerprint>
 * <user>" lines.
 *
 * Every login is a fresh process, so a lookup must not cost the parse of
 * every line.  When "mtls map update" has published an index of the file
 * as it is (mapindex.h), the file is not read at all: the index is mapped
 * and searched.  Otherwise the file is read whole, and a lookup parses
 * only the lines whose start could be its key, scanning to the end for a
 * second one.  The whole-file checks (every line well-formed, no key
 * twice) run where an administrator sees them: mapfile_check(), for "mtls
 * config check", and mapfile_publish(), before an index is written.
 */
#include "mapfile.h"

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "denied.h"
#include "logsink.h"
#include "mapindex.h"
#include "readfile.h"
#include "shellword.h"
#include "utf8.h"

/* A map file of a million users is well under this. */
#define MAP_FILE_MAX (16 * 1024 * 1024)

/*
 * One map file line.  The key points into the file's buffer: a subject DN
 * as text, or, for fingerprints, the 32 digest bytes written over the text
 * they were read from.
 */
struct map_entry {
	const unsigned char *key;
	size_t keylen;
	const char *user;
	size_t line;
};

struct mapfile {
	char *path;
	bool fingerprints;
	/* the published index, when it was made from the file as it is;
	 * the file's bytes (NUL-terminated) otherwise */
	struct mapindex *index;
	unsigned char *data;
	size_t len;
	char *config_file;	/* that names it, or NULL: not known */
	char index_note[512];	/* why an index there is not used */
	atomic_bool damage_said;	/* index_find() said the index damaged */
	struct log_sink log;	/* where both are said */
};

/* Every entry of a whole-file check, sorted by key. */
struct map_entries {
	struct map_entry *entries;
	size_t count;
};

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * A SHA-256 fingerprint as people write it: upper or lower case, pairs with
 * or without colons between them, optionally after "sha256:".  digest may
 * be text itself: it is written behind the read position.
 */
int
mapfile_parse_fingerprint(const unsigned char *text, size_t len,
    unsigned char digest[MAPFILE_SHA256_LEN])
{
	static const char prefix[] = "sha256:";
	size_t i = 0, n = 0;

	if (len >= sizeof(prefix) - 1 &&
	    strncasecmp((const char *)text, prefix, sizeof(prefix) - 1) == 0)
		i = sizeof(prefix) - 1;
	while (i < len) {
		int hi, lo;

		if (n > 0 && text[i] == ':' && ++i == len)
			return -1;
		if (n == MAPFILE_SHA256_LEN || len - i < 2)
			return -1;
		hi = hex_value(text[i]);
		lo = hex_value(text[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		digest[n++] = (unsigned char)(hi << 4 | lo);
		i += 2;
	}
	return n == MAPFILE_SHA256_LEN ? 0 : -1;
}

static int
entry_key_cmp(const void *a, const void *b)
{
	const struct map_entry *x = a, *y = b;
	int c = memcmp(x->key, y->key,
	    x->keylen < y->keylen ? x->keylen : y->keylen);

	if (c != 0 || x->keylen == y->keylen)
		return c;
	return x->keylen < y->keylen ? -1 : 1;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct map_entry *x = a, *y = b;
	int c = entry_key_cmp(a, b);

	if (c != 0)
		return c;
	/* equal keys stay in file order, so duplicates name the later line */
	return (x->line > y->line) - (x->line < y->line);
}

static int
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * Split one line, NUL-terminated in place, into an entry.  Returns 1 for
 * an entry, 0 for a comment or blank line, -1 with err set.
 */
static int
parse_line(bool fingerprints, unsigned char *line, size_t len,
    struct map_entry *e, const char **err)
{
	size_t start = 0, end = len, user;

	/* the rules of names from certificates: the user names reach
	 * audit lines and terminals as they are */
	for (size_t i = 0, n; i < len; i += n) {
		unsigned long c;

		if ((n = utf8_decode(line + i, len - i, &c)) == 0) {
			*err = "not valid UTF-8";
			return -1;
		}
		if (utf8_is_control(c) && !is_blank(line[i])) {
			*err = "control character";
			return -1;
		}
	}
	while (start < end && is_blank(line[start]))
		start++;
	while (end > start && is_blank(line[end - 1]))
		end--;
	if (start == end || line[start] == '#')
		return 0;
	user = end;
	while (user > start && !is_blank(line[user - 1]))
		user--;
	if (user == start) {
		*err = "expected '<subject DN or sha256 fingerprint> <user>'";
		return -1;
	}
	line[end] = '\0';
	e->user = (const char *)line + user;
	while (user > start && is_blank(line[user - 1]))
		user--;
	e->key = line + start;
	e->keylen = user - start;
	if (fingerprints) {
		if (mapfile_parse_fingerprint(line + start, e->keylen,
		    line + start) != 0) {
			*err = "not a SHA-256 fingerprint";
			return -1;
		}
		e->keylen = MAPFILE_SHA256_LEN;
	} else if (memchr(e->key, '=', e->keylen) == NULL) {
		*err = "not a subject DN (no '=' in it)";
		return -1;
	}
	return 1;
}

/* Room for one more entry; grown by doubling, as comments and blank
 * lines make the line count a poor guess. */
static int
map_reserve(struct map_entries *all, size_t *cap)
{
	struct map_entry *grown;
	size_t want = *cap > 0 ? *cap * 2 : 64;

	if (all->count < *cap)
		return 0;
	grown = realloc(all->entries, want * sizeof(*grown));
	if (grown == NULL)
		return -1;
	all->entries = grown;
	*cap = want;
	return 0;
}

/* Parse every line of data (a writable copy), then look for a key twice. */
static int
map_check_all(const struct mapfile *m, unsigned char *data, size_t len,
    struct map_entries *all, char *err, size_t errlen)
{
	unsigned char *p, *end = data + len;
	size_t cap = 0, lineno = 0;
	const char *why;

	for (p = data; p < end; ) {
		unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t linelen = (nl != NULL ? nl : end) - p;
		int got;

		lineno++;
		if (map_reserve(all, &cap) != 0) {
			snprintf(err, errlen, "%s: out of memory", m->path);
			return -1;
		}
		got = parse_line(m->fingerprints, p, linelen,
		    &all->entries[all->count], &why);
		if (got < 0) {
			snprintf(err, errlen, "%s:%zu: %s", m->path, lineno,
			    why);
			return -1;
		}
		if (got > 0)
			all->entries[all->count++].line = lineno;
		p += linelen + 1;
	}
	if (all->count == 0)
		return 0;
	qsort(all->entries, all->count, sizeof(*all->entries), entry_cmp);
	for (size_t i = 1; i < all->count; i++) {
		const struct map_entry *a = &all->entries[i - 1];
		const struct map_entry *b = &all->entries[i];

		if (entry_key_cmp(a, b) == 0) {
			snprintf(err, errlen, "%s:%zu: duplicate of line %zu; "
			    "one certificate can map to one user only",
			    m->path, b->line, a->line);
			return -1;
		}
	}
	return 0;
}

static enum mapindex_kind
index_kind(const struct mapfile *m)
{
	return m->fingerprints ? MAPINDEX_FINGERPRINT : MAPINDEX_DN;
}

/* Where the index of the map file at path is published. */
static int
index_path(const char *path, char out[PATH_MAX], char *err, size_t errlen)
{
	if ((size_t)snprintf(out, PATH_MAX, "%s" MAPINDEX_SUFFIX, path) <
	    PATH_MAX)
		return 0;
	snprintf(err, errlen, "%s: path too long for an index beside it",
	    path);
	return -1;
}

/*
 * Whether the index gives every entry of the file its user: with as many
 * keys as the file (mapindex_verify()), it then answers as the file does
 * for every key, whatever its header says it was made from.
 */
static int
index_answers_all(const struct mapfile *m, const struct mapindex *index,
    const struct map_entries *all, char *err, size_t errlen)
{
	unsigned char key[MAPINDEX_KEY_LEN];
	const char *user;
	size_t userlen;

	for (size_t i = 0; i < all->count; i++) {
		const struct map_entry *e = &all->entries[i];

		if (mapindex_key(index_kind(m), e->key, e->keylen, key) != 0) {
			snprintf(err, errlen, "%s: hashing failed", m->path);
			return -1;
		}
		switch (mapindex_find(index, key, &user, &userlen, err,
		    errlen)) {
		case -1:
			return -1;
		case 1:
			if (userlen == strlen(e->user) &&
			    memcmp(user, e->user, userlen) == 0)
				break;
			/* FALLTHROUGH */
		default:
			snprintf(err, errlen, "%s%s does not give the user of "
			    "%s:%zu; run \"mtls map update\"", m->path,
			    MAPINDEX_SUFFIX, m->path, e->line);
			return -1;
		}
	}
	return 0;
}

/*
 * The published index, if there is one, against the file: made from
 * these contents (digest, the entries all), every block intact, and
 * giving each entry its user.
 */
static int
check_index(const struct mapfile *m, const unsigned char digest[32],
    const struct map_entries *all, char *err, size_t errlen)
{
	char ipath[PATH_MAX];
	struct mapindex *index;
	struct mapindex_source src;
	struct stat st;
	int ret;

	if (index_path(m->path, ipath, err, errlen) != 0)
		return -1;
	if ((ret = mapindex_open(ipath, &index, err, errlen)) <= 0)
		return ret;
	if (stat(m->path, &st) != 0) {
		snprintf(err, errlen, "%s: %s", m->path, strerror(errno));
		ret = -1;
	} else {
		mapindex_source_of(&st, &src);
		ret = mapindex_matches(index, index_kind(m), &src, err,
		    errlen) && mapindex_verify(index, digest, all->count, err,
		    errlen) == 0 ? index_answers_all(m, index, all, err,
		    errlen) : -1;
	}
	mapindex_close(index);
	return ret;
}

int
mapfile_check(const struct mapfile *m, char *err, size_t errlen)
{
	struct map_entries all = { NULL, 0 };
	unsigned char digest[32], *data;
	size_t len;
	int ret;

	/* the file as it is now, whether or not the index answers for it;
	 * hashed before the check writes fingerprints over their text */
	if (read_file_bounded(m->path, MAP_FILE_MAX, &data, &len, err,
	    errlen) != 0) {
		(void)mapfile_denied(m->path, m->config_file, err, errlen);
		return -1;
	}
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, digest) < 0) {
		snprintf(err, errlen, "%s: hashing failed", m->path);
		ret = -1;
	} else if ((ret = map_check_all(m, data, len, &all, err,
	    errlen)) == 0)
		ret = check_index(m, digest, &all, err, errlen);
	free(all.entries);
	free(data);
	return ret;
}

static bool
same_source(const struct mapindex_source *a, const struct mapindex_source *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	    a->mtime.tv_sec == b->mtime.tv_sec &&
	    a->mtime.tv_nsec == b->mtime.tv_nsec &&
	    a->ctime.tv_sec == b->ctime.tv_sec &&
	    a->ctime.tv_nsec == b->ctime.tv_nsec;
}

/*
 * Sleep until a write to the file, from now on, must change its change
 * time: a write within the clock tick of the last one leaves it as it
 * is, and an index made from what was read could then outlive the
 * contents it was made from.  Returns whether it slept.  File systems
 * whose times have no nanoseconds may count whole seconds.
 */
static bool
wait_for_tick(const struct timespec *ctime)
{
	long long margin = ctime->tv_nsec != 0 ? 50000000LL : 2000000000LL;
	long long at = (long long)ctime->tv_sec * 1000000000LL +
	    ctime->tv_nsec, now_ns;
	struct timespec now, pause;

	clock_gettime(CLOCK_REALTIME, &now);
	now_ns = (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
	if (now_ns < at || now_ns >= at + margin)
		return false;
	pause.tv_sec = (time_t)((at + margin - now_ns) / 1000000000LL);
	pause.tv_nsec = (long)((at + margin - now_ns) % 1000000000LL);
	while (nanosleep(&pause, &pause) != 0 && errno == EINTR)
		;
	return true;
}

/*
 * Read the file and the identity it had while read: the same before and
 * after, and old enough that a later write shows (wait_for_tick()).
 */
static int
read_settled(const char *path, unsigned char **data, size_t *len,
    struct mapindex_source *src, char *err, size_t errlen)
{
	struct mapindex_source before;
	struct stat st;

	for (int tries = 0; tries < 5; tries++) {
		if (stat(path, &st) != 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -1;
		}
		mapindex_source_of(&st, &before);
		if (wait_for_tick(&st.st_ctim))
			continue;
		if (read_file_bounded(path, MAP_FILE_MAX, data, len, err,
		    errlen) != 0)
			return -1;
		if (stat(path, &st) == 0) {
			mapindex_source_of(&st, src);
			if (same_source(&before, src))
				return 0;
		}
		free(*data);
	}
	snprintf(err, errlen, "%s: changed each time it was read; run "
	    "\"mtls map update\" again when it is written", path);
	return -1;
}

/* Each checked entry as the index holds it. */
static int
index_entries(const struct mapfile *m, const struct map_entries *all,
    struct mapindex_entry **out, char *err, size_t errlen)
{
	struct mapindex_entry *e = calloc(all->count + 1, sizeof(*e));

	if (e == NULL) {
		snprintf(err, errlen, "%s: out of memory", m->path);
		return -1;
	}
	for (size_t i = 0; i < all->count; i++) {
		if (mapindex_key(index_kind(m), all->entries[i].key,
		    all->entries[i].keylen, e[i].key) != 0) {
			snprintf(err, errlen, "%s: hashing failed", m->path);
			free(e);
			return -1;
		}
		e[i].user = all->entries[i].user;
		e[i].userlen = strlen(e[i].user);
	}
	*out = e;
	return 0;
}

int
mapfile_publish(const char *path, bool fingerprints, char *published,
    size_t publishedlen, size_t *count, char *err, size_t errlen)
{
	struct mapfile m = { .path = (char *)path,
	    .fingerprints = fingerprints };
	struct map_entries all = { NULL, 0 };
	struct mapindex_entry *entries = NULL;
	struct mapindex_source src;
	unsigned char digest[32], *data;
	char ipath[PATH_MAX];
	size_t len;
	int ret = -1;

	if (index_path(path, ipath, err, errlen) != 0 ||
	    read_settled(path, &data, &len, &src, err, errlen) != 0)
		return -1;
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, digest) < 0)
		snprintf(err, errlen, "%s: hashing failed", path);
	else if (map_check_all(&m, data, len, &all, err, errlen) == 0 &&
	    index_entries(&m, &all, &entries, err, errlen) == 0 &&
	    mapindex_build(ipath, index_kind(&m), &src, digest, entries,
	    all.count, err, errlen) == 0) {
		snprintf(published, publishedlen, "%s", ipath);
		*count = all.count;
		ret = 0;
	}
	free(entries);
	free(all.entries);
	free(data);
	return ret;
}

/*
 * Use the published index if it was made from the file as it is: 1 when
 * it is, 0 when the file is to be read (why, if there is an index, in
 * index_note, and said once to m->log), -1 when the file itself cannot
 * be opened or is not trusted.
 */
static int
open_index(struct mapfile *m, char *err, size_t errlen)
{
	struct mapindex_source src;
	char ipath[PATH_MAX];
	struct stat st;
	size_t size;
	int fd, got;

	if (file_open_trusted(m->path, MAP_FILE_MAX, &fd, &size, err,
	    errlen) != 0) {
		(void)mapfile_denied(m->path, m->config_file, err, errlen);
		return -1;
	}
	got = fstat(fd, &st);
	close(fd);
	if (got != 0) {
		snprintf(err, errlen, "%s: %s", m->path, strerror(errno));
		return -1;
	}
	if (index_path(m->path, ipath, m->index_note,
	    sizeof(m->index_note)) != 0)
		return 0;
	got = mapindex_open(ipath, &m->index, m->index_note,
	    sizeof(m->index_note));
	if (got == 0)
		return 0;
	mapindex_source_of(&st, &src);
	if (got > 0 && mapindex_matches(m->index, index_kind(m), &src,
	    m->index_note, sizeof(m->index_note)))
		return 1;
	mapindex_close(m->index);
	m->index = NULL;
	log_sink_say(&m->log, LOG_NOTICE, "%s; %s is read instead",
	    m->index_note, m->path);
	return 0;
}

int
mapfile_load(struct mapfile **out, const char *path, bool fingerprints,
    const char *config_file, const struct log_sink *log, char *err,
    size_t errlen)
{
	struct mapfile *m = calloc(1, sizeof(*m));
	int got;

	*out = NULL;
	if (m == NULL || (m->path = strdup(path)) == NULL ||
	    (config_file != NULL &&
	    (m->config_file = strdup(config_file)) == NULL)) {
		snprintf(err, errlen, "out of memory");
		mapfile_free(m);
		return -1;
	}
	m->fingerprints = fingerprints;
	atomic_init(&m->damage_said, false);
	if (log != NULL)
		m->log = *log;
	/*
	 * A copy, not a mapping: a long-running door (the OpenVPN plugin,
	 * mtls serve) keeps the file it loaded, and a mapped file truncated
	 * in place under it would end the process with SIGBUS.  The index
	 * is mapped: it is only ever replaced by rename.
	 */
	if ((got = open_index(m, err, errlen)) < 0 || (got == 0 &&
	    read_file_bounded(path, MAP_FILE_MAX, &m->data, &m->len, err,
	    errlen) != 0)) {
		mapfile_free(m);
		return -1;
	}
	*out = m;
	return 0;
}

void
mapfile_free(struct mapfile *m)
{
	if (m == NULL)
		return;
	mapindex_close(m->index);
	free(m->data);
	free(m->path);
	free(m->config_file);
	free(m);
}

const char *
mapfile_path(const struct mapfile *m)
{
	return m->path;
}

bool
mapfile_indexed(const struct mapfile *m)
{
	return m->index != NULL;
}

const char *
mapfile_index_note(const struct mapfile *m)
{
	return m->index_note[0] != '\0' ? m->index_note : NULL;
}

bool
mapfile_denied(const char *path, const char *config_file, char *why,
    size_t whylen)
{
	char ipath[PATH_MAX], word[SHELLWORD_MAX];
	char update[sizeof(MAPFILE_UPDATE " --config ") + SHELLWORD_MAX];
	struct stat st;
	bool indexed = (size_t)snprintf(ipath, sizeof(ipath), "%s"
	    MAPINDEX_SUFFIX, path) < sizeof(ipath) && lstat(ipath, &st) == 0;
	bool other = config_file != NULL &&
	    strcmp(config_file, MTLS_CONFIG_FILE) != 0;

	snprintf(update, sizeof(update), "%s%s%s", MAPFILE_UPDATE,
	    other ? " --config " : "", other ? shellword(config_file, word,
	    sizeof(word)) : "");
	return denied_message_then("the map file", path, false, indexed ?
	    update : NULL, why, whylen);
}

/*
 * Whether the line at p (of len bytes) could hold key: a cheap look at its
 * start, so that only such lines are parsed.  A line that could is parsed
 * whole, and refused if malformed.
 */
static bool
line_may_hold(const struct mapfile *m, const unsigned char *p, size_t len,
    const unsigned char *key, size_t keylen)
{
	static const char prefix[] = "sha256:";
	size_t i = 0;
	int hi, lo;

	while (i < len && is_blank(p[i]))
		i++;
	if (!m->fingerprints)
		return len - i >= keylen && memcmp(p + i, key, keylen) == 0 &&
		    (len - i == keylen || is_blank(p[i + keylen]));
	/* the first letter first: this runs for every line */
	if (len - i >= sizeof(prefix) - 1 && (p[i] | 0x20) == 's' &&
	    strncasecmp((const char *)p + i, prefix, sizeof(prefix) - 1) == 0)
		i += sizeof(prefix) - 1;
	/* its first two bytes, as mapfile_parse_fingerprint() reads them */
	for (size_t n = 0; n < 2; n++) {
		if (n > 0 && i < len && p[i] == ':')
			i++;
		if (len - i < 2)
			return false;
		hi = hex_value(p[i]);
		lo = hex_value(p[i + 1]);
		if (hi < 0 || lo < 0 || (unsigned char)(hi << 4 | lo) != key[n])
			return false;
		i += 2;
	}
	return true;
}

/*
 * Parse the line at p, in a copy; 1 with *user set (allocated) if its key
 * is key, 0 if not, -1 with err set if it is malformed.
 */
static int
line_match(const struct mapfile *m, const unsigned char *p, size_t len,
    size_t lineno, const unsigned char *key, size_t keylen, char **user,
    char *err, size_t errlen)
{
	unsigned char *copy = malloc(len + 1);
	struct map_entry e;
	const char *why;
	int got;

	*user = NULL;
	if (copy == NULL) {
		snprintf(err, errlen, "%s: out of memory", m->path);
		return -1;
	}
	memcpy(copy, p, len);
	copy[len] = '\0';
	got = parse_line(m->fingerprints, copy, len, &e, &why);
	if (got < 0)
		snprintf(err, errlen, "%s:%zu: %s", m->path, lineno, why);
	else if (got > 0 && e.keylen == keylen &&
	    memcmp(e.key, key, keylen) == 0) {
		if ((*user = strdup(e.user)) == NULL) {
			snprintf(err, errlen, "%s: out of memory", m->path);
			got = -1;
		}
	} else
		got = 0;
	free(copy);
	return got;
}

/*
 * Look key up in data (len bytes), line by line (the file's bytes, not
 * written to).
 */
static int
scan_find(const struct mapfile *m, const unsigned char *data, size_t dlen,
    const unsigned char *key, size_t keylen, char **user, char *err,
    size_t errlen)
{
	const unsigned char *p = data, *end = data + dlen;
	size_t lineno = 0, found_line = 0;
	char *other;

	*user = NULL;
	/* to the end: a second line for the key is refused, not ignored */
	while (p < end) {
		const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (nl != NULL ? nl : end) - p;
		int got;

		lineno++;
		if (line_may_hold(m, p, len, key, keylen)) {
			got = line_match(m, p, len, lineno, key, keylen,
			    &other, err, errlen);
			if (got < 0)
				goto refused;
			if (got > 0 && *user != NULL) {
				free(other);
				snprintf(err, errlen, "%s:%zu: duplicate of "
				    "line %zu; one certificate can map to one "
				    "user only", m->path, lineno, found_line);
				goto refused;
			}
			if (got > 0) {
				*user = other;
				found_line = lineno;
			}
		}
		p = nl != NULL ? nl + 1 : end;
	}
	return 0;
refused:
	free(*user);
	*user = NULL;
	return -1;
}

/*
 * Look key up in the index; a damaged block is never an answer: the map
 * file, read now, answers instead.
 */
static int
index_find(const struct mapfile *m, const unsigned char *key, size_t keylen,
    char **user, char *err, size_t errlen)
{
	unsigned char ikey[MAPINDEX_KEY_LEN], *data;
	const char *found;
	size_t found_len, len;
	int got;

	if (mapindex_key(index_kind(m), key, keylen, ikey) != 0) {
		snprintf(err, errlen, "%s: hashing failed", m->path);
		return -1;
	}
	got = mapindex_find(m->index, ikey, &found, &found_len, err, errlen);
	if (got > 0 && (*user = strndup(found, found_len)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", m->path);
		return -1;
	}
	if (got >= 0)
		return 0;
	/* Said once per loaded map file, not at every lookup: the file
	 * answers meanwhile, and syslog(3), the default log, waits on a
	 * stalled syslog daemon (a door's login must not, every time).
	 * The flag alone changes in a loaded map file, which is never
	 * defined const. */
	if (!atomic_exchange(&((struct mapfile *)m)->damage_said, true))
		log_sink_say(&m->log, LOG_WARNING, "%s; %s is read instead",
		    err, m->path);
	if (read_file_bounded(m->path, MAP_FILE_MAX, &data, &len, err,
	    errlen) != 0)
		return -1;
	got = scan_find(m, data, len, key, keylen, user, err, errlen);
	free(data);
	return got;
}

int
mapfile_find(const struct mapfile *m, const unsigned char *key,
    size_t keylen, char **user, char *err, size_t errlen)
{
	*user = NULL;
	if (keylen == 0)
		return 0;
	if (m->index != NULL)
		return index_find(m, key, keylen, user, err, errlen);
	return scan_find(m, m->data, m->len, key, keylen, user, err, errlen);
}
