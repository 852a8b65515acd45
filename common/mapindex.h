/*
 * mapindex.h - the published index of an identity map file (internal).
 *
 * Every login is a fresh process, and reading a map file of 100,000 users
 * costs it more than the verification: "mtls map update" checks the map
 * file whole, as "mtls config check" does, and publishes its keys sorted,
 * beside it, as <map file>.idx.  A verification maps the index and
 * binary-searches it: it touches a few pages, whatever the map size.
 *
 * The index is a copy of what the map file says, never an authority of its
 * own: it records the map file's identity (device, inode, size, and
 * modification and change times in nanoseconds; the change time moves on
 * every write and cannot be set back), and is used only while the map
 * file still has exactly that identity and the index is of the key kind
 * identity.map asks for.  A map file edited since is read as if there
 * were no index (mapfile.h), so the index never gives an answer the map
 * file would not.
 *
 * File format, version 1 (integers big-endian):
 *
 *   0   8  magic "MTLSMAPI"
 *   8   4  version (1)
 *  12   4  header size H (160)
 *  16  32  SHA-256 of bytes 48 to R (header and tables): the checksum
 *  48   8  number of keys
 *  56   8  number of blocks B
 *  64   4  key kind: 1 subject DNs, 2 SHA-256 fingerprints
 *  68   4  zero
 *  72   8  the map file's device
 *  80   8  its inode
 *  88   8  its size
 *  96  16  its modification time: seconds, nanoseconds
 * 112  16  its change time: seconds, nanoseconds
 * 128  32  SHA-256 of its contents, checked by "mtls config check"
 *   H      fence table: the first key of each block (32 octets each)
 *          offset table: where each block starts, from the start of the
 *          file, and where the last one ends (8 octets each, B + 1)
 *          digest table: the SHA-256 of each block (32 octets each)
 *   R      blocks of up to 128 records, strictly ascending by key:
 *          a key (32 octets), the length of the user name (4), the user
 *          name (UTF-8, as the map file has it)
 *
 * A key is the fingerprint itself, or the SHA-256 of the subject DN's
 * text: of fixed width and in byte order either way.
 *
 * Trust, as for the CRL index (crl_index.h): as root, the index must pass
 * file_check_trusted(); the open checks the sizes, the offsets and the
 * checksum over header and tables (72 octets per 128 keys), and a lookup
 * binary-searches the fences, checks the digest of the one block that can
 * hold its key (some 5 KB) and walks it, checking that its keys ascend.
 * A damaged block is an unusable index for every lookup that reads it,
 * never a wrong answer; mapindex_verify() checks every block.  The file
 * is only ever replaced by rename, never rewritten in place, so that a
 * mapping stays valid while a long-running door uses it.
 */
#ifndef MTLS_MAPINDEX_H
#define MTLS_MAPINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#define MAPINDEX_KEY_LEN 32
/* What is appended to the map file's path to name its index. */
#define MAPINDEX_SUFFIX ".idx"

/* The keys an index holds: those of identity.map "dn" or "fingerprint". */
enum mapindex_kind {
	MAPINDEX_DN = 1,
	MAPINDEX_FINGERPRINT = 2
};

/* What says a map file is the one an index was made from. */
struct mapindex_source {
	uint64_t dev;
	uint64_t ino;
	uint64_t size;
	struct timespec mtime;
	struct timespec ctime;
};

/* One mapped index file. */
struct mapindex;

/* One line of the map file, as the index holds it. */
struct mapindex_entry {
	unsigned char key[MAPINDEX_KEY_LEN];
	const char *user;
	size_t userlen;
};

/* The identity of the map file st describes. */
void mapindex_source_of(const struct stat *st, struct mapindex_source *out);

/*
 * The key of a map file key: a fingerprint's 32 octets as they are, a
 * DN's text hashed.  -1 when hashing fails.
 */
int mapindex_key(enum mapindex_kind kind, const unsigned char *key,
    size_t keylen, unsigned char out[MAPINDEX_KEY_LEN]);

/*
 * Map and check the index at path: its trust (as root), sizes, offsets
 * and checksum.  1 with *out set; 0 when there is no file at path;
 * -1 with err naming the file and what is wrong with it.
 */
int mapindex_open(const char *path, struct mapindex **out, char *err,
    size_t errlen);
void mapindex_close(struct mapindex *index);

/*
 * Whether the index was made from the map file src describes, for keys
 * of kind; false with err saying what differs.
 */
bool mapindex_matches(const struct mapindex *index, enum mapindex_kind kind,
    const struct mapindex_source *src, char *err, size_t errlen);

/*
 * The user of key (mapindex_key()): 1 with *user and *userlen pointing
 * into the mapping, 0 when no line holds the key, -1 with err set when
 * the block that would hold it is damaged.
 */
int mapindex_find(const struct mapindex *index,
    const unsigned char key[MAPINDEX_KEY_LEN], const char **user,
    size_t *userlen, char *err, size_t errlen);

/*
 * Check every block, and that the index holds count keys and was made
 * from contents whose SHA-256 is digest: what "mtls config check" adds to
 * what a lookup checks.  -1 with err set when not.
 */
int mapindex_verify(const struct mapindex *index,
    const unsigned char digest[32], uint64_t count, char *err,
    size_t errlen);

/*
 * Write the index of a map file's entries (in any order, no key twice) as
 * path, atomically (atomicfile.h): src and digest are the identity and
 * SHA-256 of the map file they were read from.  Entries are sorted in
 * place.  -1 with err set on failure, path then left as it was.
 */
int mapindex_build(const char *path, enum mapindex_kind kind,
    const struct mapindex_source *src, const unsigned char digest[32],
    struct mapindex_entry *entries, size_t count, char *err, size_t errlen);

#endif /* MTLS_MAPINDEX_H */
