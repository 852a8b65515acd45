/*
 * mapindex_build.c - writing the index of a map file (the format:
 * mapindex.h), for "mtls map update".
 */
#include "mapindex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "atomicfile.h"
#include "bigendian.h"
#include "mapindex_format.h"

static int
entry_cmp(const void *a, const void *b)
{
	const struct mapindex_entry *x = a, *y = b;

	return memcmp(x->key, y->key, MAPINDEX_KEY_LEN);
}

static void
put_time(unsigned char *p, const struct timespec *t)
{
	be_put_u64(p, (uint64_t)t->tv_sec);
	be_put_u64(p + 8, (uint64_t)t->tv_nsec);
}

/* The header but its checksum. */
static void
put_header(unsigned char *m, enum mapindex_kind kind,
    const struct mapindex_source *src, const unsigned char digest[32],
    uint64_t count, uint64_t blocks)
{
	memcpy(m + MAPX_OFF_MAGIC, MAPX_MAGIC, MAPX_MAGIC_LEN);
	be_put_u32(m + MAPX_OFF_VERSION, MAPX_VERSION);
	be_put_u32(m + MAPX_OFF_HEADER_SIZE, MAPX_HEADER_SIZE);
	be_put_u64(m + MAPX_OFF_COUNT, count);
	be_put_u64(m + MAPX_OFF_BLOCKS, blocks);
	be_put_u32(m + MAPX_OFF_KIND, kind);
	be_put_u64(m + MAPX_OFF_DEV, src->dev);
	be_put_u64(m + MAPX_OFF_INO, src->ino);
	be_put_u64(m + MAPX_OFF_SIZE, src->size);
	put_time(m + MAPX_OFF_MTIME, &src->mtime);
	put_time(m + MAPX_OFF_CTIME, &src->ctime);
	memcpy(m + MAPX_OFF_SHA256, digest, 32);
}

/*
 * The blocks of the sorted entries from records on, and for each its
 * fence, offset and digest.
 */
static int
put_blocks(unsigned char *m, size_t records,
    const struct mapindex_entry *entries, size_t count, uint64_t blocks)
{
	unsigned char *fences = m + MAPX_HEADER_SIZE;
	unsigned char *offsets = fences + blocks * MAPINDEX_KEY_LEN;
	unsigned char *digests = offsets + (blocks + 1) * MAPX_OFFSET_LEN;
	size_t pos = records;

	for (uint64_t b = 0; b < blocks; b++) {
		size_t start = pos;

		memcpy(fences + b * MAPINDEX_KEY_LEN,
		    entries[b * MAPX_BLOCK_RECORDS].key, MAPINDEX_KEY_LEN);
		be_put_u64(offsets + b * MAPX_OFFSET_LEN, start);
		for (size_t i = b * MAPX_BLOCK_RECORDS; i < count &&
		    i < (b + 1) * MAPX_BLOCK_RECORDS; i++) {
			memcpy(m + pos, entries[i].key, MAPINDEX_KEY_LEN);
			be_put_u32(m + pos + MAPINDEX_KEY_LEN,
			    entries[i].userlen);
			memcpy(m + pos + MAPX_RECORD_FIXED, entries[i].user,
			    entries[i].userlen);
			pos += MAPX_RECORD_FIXED + entries[i].userlen;
		}
		if (gnutls_hash_fast(GNUTLS_DIG_SHA256, m + start,
		    pos - start, digests + b * MAPX_DIGEST_LEN) < 0)
			return -1;
	}
	be_put_u64(offsets + blocks * MAPX_OFFSET_LEN, pos);
	return 0;
}

int
mapindex_build(const char *path, enum mapindex_kind kind,
    const struct mapindex_source *src, const unsigned char digest[32],
    struct mapindex_entry *entries, size_t count, char *err, size_t errlen)
{
	uint64_t blocks = count / MAPX_BLOCK_RECORDS +
	    (count % MAPX_BLOCK_RECORDS != 0);
	size_t records = MAPX_HEADER_SIZE + MAPX_TABLES_LEN(blocks);
	size_t size = records;
	struct atomicfile_part part;
	unsigned char *m;
	int ret;

	qsort(entries, count, sizeof(*entries), entry_cmp);
	for (size_t i = 0; i < count; i++) {
		/* the map file's check refuses a key twice before this */
		if ((i > 0 && entry_cmp(&entries[i - 1], &entries[i]) == 0) ||
		    entries[i].userlen == 0 || entries[i].userlen > UINT32_MAX) {
			snprintf(err, errlen, "%s: a key twice, or a user name "
			    "empty or too long", path);
			return -1;
		}
		size += MAPX_RECORD_FIXED + entries[i].userlen;
	}
	if ((m = calloc(1, size)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	put_header(m, kind, src, digest, count, blocks);
	if (put_blocks(m, records, entries, count, blocks) != 0 ||
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, m + MAPX_OFF_CHECKED,
	    records - MAPX_OFF_CHECKED, m + MAPX_OFF_CHECKSUM) < 0) {
		snprintf(err, errlen, "%s: hashing failed", path);
		free(m);
		return -1;
	}
	part.data = m;
	part.len = size;
	ret = atomicfile_write(path, &part, 1, err, errlen);
	free(m);
	return ret;
}
