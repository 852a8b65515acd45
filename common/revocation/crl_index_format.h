/*
 * crl_index_format.h - the byte layout of a CRL index file, shared by its
 * reader (crl_index.c) and its writer (crl_index_build.c) (internal).
 *
 * The layout itself is documented in crl_index.h; here are its offsets and
 * the few encodings both sides must agree on.
 */
#ifndef MTLS_CRL_INDEX_FORMAT_H
#define MTLS_CRL_INDEX_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bigendian.h"
#include "crl_index.h"

#define CRLX_MAGIC "MTLSCRLI"
#define CRLX_MAGIC_LEN 8
#define CRLX_VERSION 5

/*
 * Serial records per block (crl_index.h says why 512): each block has a
 * digest of its own, checked when a lookup reads the block.
 */
#define CRLX_BLOCK_RECORDS 512
#define CRLX_BLOCK_SIZE (CRLX_BLOCK_RECORDS * CRL_INDEX_SERIAL_LEN)
#define CRLX_DIGEST_LEN 32
/* A fence and a digest per block, between the header and the records. */
#define CRLX_TABLE_ENTRY (CRL_INDEX_SERIAL_LEN + CRLX_DIGEST_LEN)

#define CRLX_OFF_MAGIC 0
#define CRLX_OFF_VERSION 8
#define CRLX_OFF_HEADER_SIZE 12
#define CRLX_OFF_CHECKSUM 16
#define CRLX_OFF_CHECKED 48	/* the checksum covers from here to the end */
#define CRLX_OFF_COUNT 48
#define CRLX_OFF_THIS_UPDATE 56
#define CRLX_OFF_NEXT_UPDATE 64
#define CRLX_OFF_LAST_MODIFIED 72
#define CRLX_OFF_DN_SHA256 80
#define CRLX_OFF_SPKI_SHA256 112
#define CRLX_OFF_CRL_SHA256 144
#define CRLX_OFF_CRL_NUMBER 176
#define CRLX_OFF_AKI_LEN 196
#define CRLX_OFF_AKI 197
#define CRLX_OFF_SKI_LEN 261
#define CRLX_OFF_SKI 262
#define CRLX_OFF_SCOPE 326
#define CRLX_OFF_NURIS 327
#define CRLX_OFF_DN_LEN 328
#define CRLX_OFF_SOURCE_LEN 332
#define CRLX_OFF_URIS_LEN 336
#define CRLX_OFF_SIGN_ALGORITHM 340
#define CRLX_OFF_DELTA 344
#define CRLX_OFF_BASE_NUMBER 345
#define CRLX_OFF_NAMES_DELTAS 365
#define CRLX_OFF_MARKED_COUNT 368
#define CRLX_OFF_VARIABLE 376

#define CRLX_DN_MAX 65535
#define CRLX_URIS_MAX 255

/* The scope octet: what the CRL's issuingDistributionPoint narrows it to. */
#define CRLX_SCOPE_USER_CERTS 0x1
#define CRLX_SCOPE_CA_CERTS 0x2
#define CRLX_SCOPE_PARTITION 0x4

/* Where the records start for these variable lengths (the header size). */
size_t crlx_header_size(size_t dn_len, size_t source_len, size_t uris_len);

/*
 * What names an index file: its issuer name and key, and the CRL's scope
 * with its partition URIs encoded as in the header.
 */
struct crlx_identity {
	unsigned char dn_sha256[32];
	unsigned char spki_sha256[32];
	unsigned char scope;
	unsigned char nuris;
	const unsigned char *uris;
	size_t uris_len;
	bool delta;		/* a delta CRL's index, beside its base's */
};

/*
 * "<issuer name>-<key>[-<scope>][-delta].crlidx", each part but the last
 * hex of a hash.
 */
int crlx_file_name(const struct crlx_identity *id,
    char name[CRL_INDEX_NAME_MAX + 1]);

/*
 * A serial number (DER INTEGER content octets) as a 20-octet record:
 * leading zero octets dropped, right-aligned.  -1 when no acceptable
 * certificate can carry it: negative, or longer than 20 octets.
 */
int crlx_serial_record(const unsigned char *serial, size_t len,
    unsigned char *record);

/* Blocks of count records, the last one possibly short. */
uint64_t crlx_blocks(uint64_t count);

/*
 * The fence and digest tables of count records, tables_len octets
 * (crlx_blocks(count) * CRLX_TABLE_ENTRY): the first record of each block,
 * then the SHA-256 of each block.
 */
int crlx_tables(const unsigned char *records, uint64_t count,
    unsigned char *tables);

/* SHA-256 of records block .. block + 1 of count records. */
int crlx_block_digest(const unsigned char *records, uint64_t count,
    uint64_t block, unsigned char digest[CRLX_DIGEST_LEN]);

/*
 * SHA-256 of header bytes CRLX_OFF_CHECKED .. header_size - 1 followed by
 * the tables and the marked records: every byte of the file that says
 * something but the checksum itself, the magic, version and header size
 * before it, and the records, which the digests of the tables cover block
 * by block.
 */
int crlx_checksum(const unsigned char *header, size_t header_size,
    const unsigned char *tables, size_t tables_len,
    const unsigned char *marked, size_t marked_len,
    unsigned char digest[32]);

/* Its integers are big-endian. */
#define crlx_put_u32(p, v) be_put_u32((p), (v))
#define crlx_put_u64(p, v) be_put_u64((p), (v))
#define crlx_get_u32(p) be_get_u32(p)
#define crlx_get_u64(p) be_get_u64(p)

#endif /* MTLS_CRL_INDEX_FORMAT_H */
