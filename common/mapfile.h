/*
 * mapfile.h - the identity map file (internal): the users that subject DNs
 * or SHA-256 fingerprints map to, for identity.map = "dn" or "fingerprint".
 */
#ifndef MTLS_MAPFILE_H
#define MTLS_MAPFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "logsink.h"

#define MAPFILE_SHA256_LEN 32

struct mapfile;

/*
 * Map path: "<key> <user>" lines, '#' comments and blank lines.  Keys are
 * subject DNs, or with fingerprints set, SHA-256 fingerprints as
 * mapfile_parse_fingerprint() reads them.  Only opening it is checked here
 * (the rules of readfile.h), so that loading costs the same for any size;
 * lines are judged by mapfile_find() and mapfile_check().
 *
 * When path's published index (mapindex.h, path + ".idx") was made from
 * the file as it is, and for these keys, the index is mapped and the file
 * is not read.  An index that is stale, of the other key kind, not
 * trusted or damaged is not used: the file is read, and why is said once
 * to log (logsink.h; NULL: syslog) and by mapfile_index_note(), as is a
 * block found damaged by a lookup.  So the answers are the file's, with
 * or without an index.  config_file, the configuration that names it
 * (NULL: not known), is for the commands messages give (mapfile_denied()).
 */
int mapfile_load(struct mapfile **out, const char *path, bool fingerprints,
    const char *config_file, const struct log_sink *log, char *err,
    size_t errlen);
void mapfile_free(struct mapfile *m);

/*
 * Every line of the file as it is now: a malformed line, a control
 * character, text that is not UTF-8 or a duplicate key fails with an
 * error naming file and line.  Then its published index, if there is
 * one: it fails when it is not trusted, damaged in any block, was not
 * made from these contents (stale: "mtls map update" was not run since
 * the file changed), or does not give every line's key that line's user.
 */
int mapfile_check(const struct mapfile *m, char *err, size_t errlen);

/* The file it was read from, for explanations. */
const char *mapfile_path(const struct mapfile *m);

/* Whether lookups read the published index rather than the file. */
bool mapfile_indexed(const struct mapfile *m);

/* Why the index beside the file is not used; NULL when it is, or when
 * there is none. */
const char *mapfile_index_note(const struct mapfile *m);

/* The command that publishes the index of a map file. */
#define MAPFILE_UPDATE "mtls map update"

/*
 * denied_message() of the map file at path (denied.h): when the file
 * itself is closed and an index of it is published, the chmod that opens
 * it is followed by MAPFILE_UPDATE ("chmod a+r PATH && mtls map update"),
 * with "--config FILE" for a config_file that is not the default one
 * (NULL: not known): the chmod changes the file's change time, on which
 * the index is keyed (mapindex_matches()), and until the index is
 * published again each verification reads the whole file and "mtls
 * config check" fails.
 */
bool mapfile_denied(const char *path, const char *config_file, char *why,
    size_t whylen);

/*
 * Check the map file at path whole, as mapfile_check() does, and publish
 * its index (mapindex_build()): what "mtls map update" does.  The file is
 * read when its last write is old enough that a later one changes its
 * change time (up to 2 seconds on file systems counting whole seconds,
 * 50 ms on others), and read again if it changed while read.  published
 * gets the index's path and *count the number of keys.  -1 with err
 * naming the file (and line) on failure; an index already there is then
 * left as it was.
 */
int mapfile_publish(const char *path, bool fingerprints, char *published,
    size_t publishedlen, size_t *count, char *err, size_t errlen);

/*
 * The user of key (a DN's text, or 32 digest bytes): *user allocated, or
 * NULL if no line holds key.  Fails with an error naming file and line if
 * a line that could hold key is malformed, or two lines hold it: never the
 * wrong user.
 */
int mapfile_find(const struct mapfile *m, const unsigned char *key,
    size_t keylen, char **user, char *err, size_t errlen);

/*
 * A SHA-256 fingerprint as people write it: upper or lower case, pairs with
 * or without colons between them, optionally after "sha256:".  digest may
 * be text itself: it is written behind the read position.
 */
int mapfile_parse_fingerprint(const unsigned char *text, size_t len,
    unsigned char digest[MAPFILE_SHA256_LEN]);

#endif /* MTLS_MAPFILE_H */
