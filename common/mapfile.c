/*
 * mapfile.c - the identity map file: "<subject DN or SHA-256 fingerprint>
 * <user>" lines, read once, sorted and searched by key.
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
	unsigned char *data;
	struct map_entry *entries;	/* sorted by key */
	size_t nentries;
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
map_reserve(struct mapfile *m, size_t *cap)
{
	struct map_entry *grown;
	size_t want = *cap > 0 ? *cap * 2 : 64;

	if (m->nentries < *cap)
		return 0;
	grown = realloc(m->entries, want * sizeof(*grown));
	if (grown == NULL)
		return -1;
	m->entries = grown;
	*cap = want;
	return 0;
}

static int
map_read(struct mapfile *m, char *err, size_t errlen)
{
	unsigned char *p, *end;
	size_t len, cap = 0, lineno = 0;
	const char *why;

	if (read_file_bounded(m->path, MAP_FILE_MAX, &m->data, &len,
	    err, errlen) != 0)
		return -1;
	end = m->data + len;
	for (p = m->data; p < end; ) {
		unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t linelen = (nl != NULL ? nl : end) - p;
		int got;

		lineno++;
		if (map_reserve(m, &cap) != 0) {
			snprintf(err, errlen, "%s: out of memory", m->path);
			return -1;
		}
		got = parse_line(m->fingerprints, p, linelen,
		    &m->entries[m->nentries], &why);
		if (got < 0) {
			snprintf(err, errlen, "%s:%zu: %s", m->path, lineno,
			    why);
			return -1;
		}
		if (got > 0)
			m->entries[m->nentries++].line = lineno;
		p += linelen + 1;
	}
	if (m->nentries == 0)
		return 0;
	qsort(m->entries, m->nentries, sizeof(*m->entries), entry_cmp);
	for (size_t i = 1; i < m->nentries; i++) {
		const struct map_entry *a = &m->entries[i - 1];
		const struct map_entry *b = &m->entries[i];

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
	if (map_read(m, err, errlen) != 0) {
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
	free(m->path);
	free(m->data);
	free(m->entries);
	free(m);
}

const char *
mapfile_path(const struct mapfile *m)
{
	return m->path;
}

/* Keys are unique once loaded, so the line number plays no part here. */
const char *
mapfile_find(const struct mapfile *m, const unsigned char *key,
    size_t keylen)
{
	struct map_entry want = { key, keylen, NULL, 0 };
	const struct map_entry *e;

	if (m->nentries == 0)
		return NULL;
	e = bsearch(&want, m->entries, m->nentries, sizeof(want),
	    entry_key_cmp);
	return e != NULL ? e->user : NULL;
}
