/*
 * mapindex.c - reading the published index of a map file: mapped, checked
 * as far as a lookup reads it, binary-searched (the format: mapindex.h).
 */
#include "mapindex.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "bigendian.h"
#include "denied.h"
#include "filemap.h"
#include "mapindex_format.h"
#include "readfile.h"

struct mapindex {
	char *path;
	unsigned char *map;
	size_t size;
	uint64_t count;
	uint64_t blocks;
	enum mapindex_kind kind;
	const unsigned char *fences;	/* the first key of each block */
	const unsigned char *offsets;	/* where each block starts */
	const unsigned char *digests;	/* the SHA-256 of each block */
	/* per block: its digest matched once, so that a long-running
	 * process hashes each block at most once (a lost race hashes it
	 * twice); the file is never rewritten in place (mapindex.h) */
	atomic_bool *intact;
};

static int
corrupt(const char *path, const char *why, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: unusable map index (%s); \"mtls map "
	    "update\" writes it anew", path, why);
	return -1;
}

void
mapindex_source_of(const struct stat *st, struct mapindex_source *out)
{
	out->dev = (uint64_t)st->st_dev;
	out->ino = (uint64_t)st->st_ino;
	out->size = (uint64_t)st->st_size;
	out->mtime = st->st_mtim;
	out->ctime = st->st_ctim;
}

int
mapindex_key(enum mapindex_kind kind, const unsigned char *key,
    size_t keylen, unsigned char out[MAPINDEX_KEY_LEN])
{
	if (kind == MAPINDEX_FINGERPRINT) {
		if (keylen != MAPINDEX_KEY_LEN)
			return -1;
		memcpy(out, key, MAPINDEX_KEY_LEN);
		return 0;
	}
	return gnutls_hash_fast(GNUTLS_DIG_SHA256, key, keylen, out) < 0 ?
	    -1 : 0;
}

static uint64_t
block_offset(const struct mapindex *index, uint64_t b)
{
	return be_get_u64(index->offsets + b * MAPX_OFFSET_LEN);
}

/* Records in block b: all of them but in the last block. */
static uint64_t
block_records(const struct mapindex *index, uint64_t b)
{
	return b + 1 < index->blocks ? MAPX_BLOCK_RECORDS :
	    index->count - b * MAPX_BLOCK_RECORDS;
}

/* The tables: each block in order, none empty, the last ending the file,
 * and the fences ascending, so that a lookup reads one block. */
static int
parse_tables(struct mapindex *index, char *err, size_t errlen)
{
	uint64_t tables = MAPX_TABLES_LEN(index->blocks);

	index->fences = index->map + MAPX_HEADER_SIZE;
	index->offsets = index->fences + index->blocks * MAPINDEX_KEY_LEN;
	index->digests = index->offsets + (index->blocks + 1) *
	    MAPX_OFFSET_LEN;
	if (block_offset(index, 0) != MAPX_HEADER_SIZE + tables ||
	    block_offset(index, index->blocks) != index->size)
		return corrupt(index->path, "size does not match its tables",
		    err, errlen);
	for (uint64_t b = 0; b < index->blocks; b++) {
		uint64_t start = block_offset(index, b);
		uint64_t end = block_offset(index, b + 1);

		/* each record is at least a key, a length and one octet */
		if (end < start || end - start < block_records(index, b) *
		    (MAPX_RECORD_FIXED + 1))
			return corrupt(index->path, "blocks overlap", err,
			    errlen);
		if (b > 0 && memcmp(index->fences + (b - 1) *
		    MAPINDEX_KEY_LEN, index->fences + b * MAPINDEX_KEY_LEN,
		    MAPINDEX_KEY_LEN) >= 0)
			return corrupt(index->path, "blocks out of order",
			    err, errlen);
	}
	return 0;
}

static int
parse_header(struct mapindex *index, char *err, size_t errlen)
{
	const unsigned char *m = index->map;
	unsigned char digest[MAPX_DIGEST_LEN];
	uint64_t kind;

	if (index->size < MAPX_HEADER_SIZE)
		return corrupt(index->path, "truncated header", err, errlen);
	if (memcmp(m + MAPX_OFF_MAGIC, MAPX_MAGIC, MAPX_MAGIC_LEN) != 0)
		return corrupt(index->path, "not a map index", err, errlen);
	if (be_get_u32(m + MAPX_OFF_VERSION) != MAPX_VERSION ||
	    be_get_u32(m + MAPX_OFF_HEADER_SIZE) != MAPX_HEADER_SIZE)
		return corrupt(index->path, "unknown version", err, errlen);
	index->count = be_get_u64(m + MAPX_OFF_COUNT);
	index->blocks = be_get_u64(m + MAPX_OFF_BLOCKS);
	kind = be_get_u32(m + MAPX_OFF_KIND);
	/* the first test bounds both counts, so that no size overflows */
	if (index->count > index->size || index->blocks != index->count /
	    MAPX_BLOCK_RECORDS + (index->count % MAPX_BLOCK_RECORDS != 0) ||
	    MAPX_TABLES_LEN(index->blocks) > index->size - MAPX_HEADER_SIZE)
		return corrupt(index->path, "size does not match the number "
		    "of keys", err, errlen);
	if (kind != MAPINDEX_DN && kind != MAPINDEX_FINGERPRINT)
		return corrupt(index->path, "unknown key kind", err, errlen);
	index->kind = (enum mapindex_kind)kind;
	/* the header and tables; each block is checked against its digest
	 * when it is read */
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, m + MAPX_OFF_CHECKED,
	    MAPX_HEADER_SIZE - MAPX_OFF_CHECKED +
	    MAPX_TABLES_LEN(index->blocks), digest) < 0 ||
	    memcmp(digest, m + MAPX_OFF_CHECKSUM, MAPX_DIGEST_LEN) != 0)
		return corrupt(index->path, "checksum mismatch: the file was "
		    "damaged or altered", err, errlen);
	if ((index->intact = calloc(index->blocks + 1,
	    sizeof(*index->intact))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", index->path);
		return -1;
	}
	return parse_tables(index, err, errlen);
}

static int
map_index_file(struct mapindex *index, char *err, size_t errlen)
{
	int got = filemap_open(index->path, MAPX_HEADER_SIZE, &index->map,
	    &index->size, err, errlen);

	if (got > 0)
		return corrupt(index->path, "truncated header", err, errlen);
	if (got < 0)
		(void)denied_message("the map index", index->path, false, err,
		    errlen);
	return got;
}

int
mapindex_open(const char *path, struct mapindex **out, char *err,
    size_t errlen)
{
	struct mapindex *index;
	struct stat st;

	*out = NULL;
	if (lstat(path, &st) != 0 && errno == ENOENT)
		return 0;
	if (file_check_trusted(path, err, errlen) != 0)
		return -1;
	index = calloc(1, sizeof(*index));
	if (index == NULL || (index->path = strdup(path)) == NULL) {
		free(index);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	if (map_index_file(index, err, errlen) != 0 ||
	    parse_header(index, err, errlen) != 0) {
		mapindex_close(index);
		return -1;
	}
	*out = index;
	return 1;
}

void
mapindex_close(struct mapindex *index)
{
	if (index == NULL)
		return;
	if (index->map != NULL)
		munmap(index->map, index->size);
	free(index->intact);
	free(index->path);
	free(index);
}

static bool
same_time(const unsigned char *p, const struct timespec *t)
{
	return be_get_u64(p) == (uint64_t)t->tv_sec &&
	    be_get_u64(p + 8) == (uint64_t)t->tv_nsec;
}

bool
mapindex_matches(const struct mapindex *index, enum mapindex_kind kind,
    const struct mapindex_source *src, char *err, size_t errlen)
{
	const unsigned char *m = index->map;

	if (index->kind != kind) {
		snprintf(err, errlen, "%s holds the keys of identity.map = "
		    "\"%s\", not \"%s\"; run \"mtls map update\"",
		    index->path, index->kind == MAPINDEX_DN ? "dn" :
		    "fingerprint", kind == MAPINDEX_DN ? "dn" : "fingerprint");
		return false;
	}
	if (be_get_u64(m + MAPX_OFF_DEV) != src->dev ||
	    be_get_u64(m + MAPX_OFF_INO) != src->ino ||
	    be_get_u64(m + MAPX_OFF_SIZE) != src->size ||
	    !same_time(m + MAPX_OFF_MTIME, &src->mtime) ||
	    !same_time(m + MAPX_OFF_CTIME, &src->ctime)) {
		snprintf(err, errlen, "%s was made from an earlier version "
		    "of its map file (its size, times or inode differ), so "
		    "the map file is read instead; run \"mtls map update\"",
		    index->path);
		return false;
	}
	return true;
}

/* Whether block b holds what its digest says: read only after this. */
static bool
block_intact(const struct mapindex *index, uint64_t b)
{
	unsigned char digest[MAPX_DIGEST_LEN];
	uint64_t start = block_offset(index, b);

	if (atomic_load_explicit(&index->intact[b], memory_order_acquire))
		return true;
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, index->map + start,
	    block_offset(index, b + 1) - start, digest) < 0 ||
	    memcmp(digest, index->digests + b * MAPX_DIGEST_LEN,
	    MAPX_DIGEST_LEN) != 0)
		return false;
	atomic_store_explicit(&index->intact[b], true, memory_order_release);
	return true;
}

/*
 * Walk block b up to key (NULL: to its end), checking that every record
 * fits, that the first key is the fence and that keys ascend.  1 with
 * *at at key's record, 0 when the block does not hold key (*walked: the
 * records walked, *at the last of them), -1 on a disorder.
 */
static int
walk_block(const struct mapindex *index, uint64_t b,
    const unsigned char *key, const unsigned char **at, uint64_t *walked)
{
	uint64_t pos = block_offset(index, b), end = block_offset(index,
	    b + 1), n = 0;
	const unsigned char *prev = NULL;

	while (pos < end) {
		const unsigned char *rec = index->map + pos;
		uint64_t ulen;
		int cmp;

		if (end - pos < MAPX_RECORD_FIXED ||
		    (ulen = be_get_u32(rec + MAPINDEX_KEY_LEN)) == 0 ||
		    ulen > end - pos - MAPX_RECORD_FIXED ||
		    ++n > block_records(index, b))
			return -1;
		if (prev == NULL ? memcmp(rec, index->fences + b *
		    MAPINDEX_KEY_LEN, MAPINDEX_KEY_LEN) != 0 :
		    memcmp(prev, rec, MAPINDEX_KEY_LEN) >= 0)
			return -1;
		if (key != NULL && (cmp = memcmp(rec, key,
		    MAPINDEX_KEY_LEN)) >= 0) {
			*at = rec;
			return cmp == 0;
		}
		prev = rec;
		pos += MAPX_RECORD_FIXED + ulen;
	}
	*at = prev;
	*walked = n;
	return 0;
}

int
mapindex_find(const struct mapindex *index,
    const unsigned char key[MAPINDEX_KEY_LEN], const char **user,
    size_t *userlen, char *err, size_t errlen)
{
	uint64_t lo = 0, hi = index->blocks, walked;
	const unsigned char *rec = NULL;
	int got;

	/* the last block whose fence is not above key (fences ascend,
	 * checked at open) */
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (memcmp(index->fences + mid * MAPINDEX_KEY_LEN, key,
		    MAPINDEX_KEY_LEN) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;	/* below the first key, or no key at all */
	if (!block_intact(index, lo - 1))
		return corrupt(index->path, "checksum mismatch in a block: "
		    "the file was damaged or altered", err, errlen);
	if ((got = walk_block(index, lo - 1, key, &rec, &walked)) < 0)
		return corrupt(index->path, "keys out of order", err, errlen);
	if (got == 0)
		return 0;
	*userlen = be_get_u32(rec + MAPINDEX_KEY_LEN);
	*user = (const char *)rec + MAPX_RECORD_FIXED;
	return 1;
}

int
mapindex_verify(const struct mapindex *index, const unsigned char digest[32],
    uint64_t count, char *err, size_t errlen)
{
	const unsigned char *last;
	uint64_t walked;
	char why[128];

	/* and each block's keys below the next block's first */
	for (uint64_t b = 0; b < index->blocks; b++) {
		if (!block_intact(index, b) ||
		    walk_block(index, b, NULL, &last, &walked) != 0 ||
		    walked != block_records(index, b) ||
		    (b + 1 < index->blocks && memcmp(last, index->fences +
		    (b + 1) * MAPINDEX_KEY_LEN, MAPINDEX_KEY_LEN) >= 0)) {
			snprintf(why, sizeof(why), "block %llu does not match "
			    "its checksum, or its keys are out of order",
			    (unsigned long long)b);
			return corrupt(index->path, why, err, errlen);
		}
	}
	if (memcmp(index->map + MAPX_OFF_SHA256, digest, 32) != 0 ||
	    index->count != count) {
		snprintf(err, errlen, "%s was made from other contents than "
		    "its map file has now; run \"mtls map update\"",
		    index->path);
		return -1;
	}
	return 0;
}
