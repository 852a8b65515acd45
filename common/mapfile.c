/*
 * mapfile.c - the identity map file: "<subject DN or SHA-256 fingerprint>
 * <user>" lines.
 *
 * Every login is a fresh process, so a lookup must not cost the parse of
 * every line: the file is read whole, and a lookup parses only the lines
 * whose start could be its key, scanning to the end for a second one.  The
 * whole-file checks (every line well-formed, no key twice) run where an
 * administrator sees them: mapfile_check(), for "mtls config check".
 */
#include "mapfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "readfile.h"
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
	unsigned char *data;	/* the file's bytes, NUL-terminated */
	size_t len;
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
map_check_all(const struct mapfile *m, unsigned char *data,
    struct map_entries *all, char *err, size_t errlen)
{
	unsigned char *p, *end = data + m->len;
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

int
mapfile_check(const struct mapfile *m, char *err, size_t errlen)
{
	struct map_entries all = { NULL, 0 };
	unsigned char *copy = malloc(m->len + 1);
	int ret;

	if (copy == NULL) {
		snprintf(err, errlen, "%s: out of memory", m->path);
		return -1;
	}
	if (m->len > 0)
		memcpy(copy, m->data, m->len);
	copy[m->len] = '\0';
	ret = map_check_all(m, copy, &all, err, errlen);
	free(all.entries);
	free(copy);
	return ret;
}

int
mapfile_load(struct mapfile **out, const char *path, bool fingerprints,
    char *err, size_t errlen)
{
	struct mapfile *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (m == NULL || (m->path = strdup(path)) == NULL) {
		snprintf(err, errlen, "out of memory");
		mapfile_free(m);
		return -1;
	}
	m->fingerprints = fingerprints;
	/*
	 * A copy, not a mapping: a long-running door (the OpenVPN plugin,
	 * mtls serve) keeps the file it loaded, and a mapped file truncated
	 * in place under it would end the process with SIGBUS.
	 */
	if (read_file_bounded(path, MAP_FILE_MAX, &m->data, &m->len, err,
	    errlen) != 0) {
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
	free(m->data);
	free(m->path);
	free(m);
}

const char *
mapfile_path(const struct mapfile *m)
{
	return m->path;
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

int
mapfile_find(const struct mapfile *m, const unsigned char *key,
    size_t keylen, char **user, char *err, size_t errlen)
{
	const unsigned char *p = m->data, *end = m->data + m->len;
	size_t lineno = 0, found_line = 0;
	char *other;

	*user = NULL;
	if (keylen == 0 || m->len == 0)
		return 0;
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
