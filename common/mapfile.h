/*
 * mapfile.h - the identity map file (internal): the users that subject DNs
 * or SHA-256 fingerprints map to, for identity.map = "dn" or "fingerprint".
 */
#ifndef MTLS_MAPFILE_H
#define MTLS_MAPFILE_H

#include <stdbool.h>
#include <stddef.h>

#define MAPFILE_SHA256_LEN 32

struct mapfile;

/*
 * Map path: "<key> <user>" lines, '#' comments and blank lines.  Keys are
 * subject DNs, or with fingerprints set, SHA-256 fingerprints as
 * mapfile_parse_fingerprint() reads them.  Only opening it is checked here
 * (the rules of readfile.h), so that loading costs the same for any size;
 * lines are judged by mapfile_find() and mapfile_check().
 */
int mapfile_load(struct mapfile **out, const char *path, bool fingerprints,
    char *err, size_t errlen);
void mapfile_free(struct mapfile *m);

/*
 * Every line: a malformed line, a control character, text that is not
 * UTF-8 or a duplicate key fails with an error naming file and line.
 */
int mapfile_check(const struct mapfile *m, char *err, size_t errlen);

/* The file it was read from, for explanations. */
const char *mapfile_path(const struct mapfile *m);

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
