/*
 * mapindex_format.h - the byte layout of a map index file, shared by its
 * reader (mapindex.c) and its writer (mapindex_build.c) (internal).  The
 * layout itself is documented in mapindex.h.
 */
#ifndef MTLS_MAPINDEX_FORMAT_H
#define MTLS_MAPINDEX_FORMAT_H

#define MAPX_MAGIC "MTLSMAPI"
#define MAPX_MAGIC_LEN 8
#define MAPX_VERSION 1

/* Records per block (mapindex.h): a block of short user names is about
 * 5 KB, hashed when a lookup reads it; the tables hashed at open are
 * 72 octets per block. */
#define MAPX_BLOCK_RECORDS 128
#define MAPX_DIGEST_LEN 32
#define MAPX_OFFSET_LEN 8
/* a key and the length of its user name */
#define MAPX_RECORD_FIXED (MAPINDEX_KEY_LEN + 4)

#define MAPX_OFF_MAGIC 0
#define MAPX_OFF_VERSION 8
#define MAPX_OFF_HEADER_SIZE 12
#define MAPX_OFF_CHECKSUM 16
#define MAPX_OFF_CHECKED 48	/* the checksum covers from here to R */
#define MAPX_OFF_COUNT 48
#define MAPX_OFF_BLOCKS 56
#define MAPX_OFF_KIND 64
#define MAPX_OFF_DEV 72
#define MAPX_OFF_INO 80
#define MAPX_OFF_SIZE 88
#define MAPX_OFF_MTIME 96
#define MAPX_OFF_CTIME 112
#define MAPX_OFF_SHA256 128
#define MAPX_HEADER_SIZE 160

/* Octets of the tables of blocks blocks: fences, offsets, digests. */
#define MAPX_TABLES_LEN(blocks) \
	((blocks) * (MAPINDEX_KEY_LEN + MAPX_OFFSET_LEN + MAPX_DIGEST_LEN) + \
	MAPX_OFFSET_LEN)

#endif /* MTLS_MAPINDEX_FORMAT_H */
