#include "crl_index_format.h"

#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "crl_index.h"
#include "crlext.h"
#include "hex.h"

size_t
crlx_header_size(size_t dn_len, size_t source_len, size_t uris_len)
{
	/* the source's terminating zero, then padding to 8 */
	return (CRLX_OFF_VARIABLE + dn_len + source_len + 1 + uris_len + 7) &
	    ~(size_t)7;
}

int
crlx_serial_record(const unsigned char *serial, size_t len,
    unsigned char *record)
{
	/* serials and CRL numbers are both INTEGERs of at most 20 octets */
	return crlext_number_pad(serial, len, record);
}

uint64_t
crlx_blocks(uint64_t count)
{
	return count / CRLX_BLOCK_RECORDS + (count % CRLX_BLOCK_RECORDS != 0);
}

int
crlx_block_digest(const unsigned char *records, uint64_t count,
    uint64_t block, unsigned char digest[CRLX_DIGEST_LEN])
{
	uint64_t first = block * CRLX_BLOCK_RECORDS;
	uint64_t n = count - first < CRLX_BLOCK_RECORDS ? count - first :
	    CRLX_BLOCK_RECORDS;

	return gnutls_hash_fast(GNUTLS_DIG_SHA256,
	    records + first * CRL_INDEX_SERIAL_LEN,
	    (size_t)n * CRL_INDEX_SERIAL_LEN, digest) < 0 ? -1 : 0;
}

int
crlx_tables(const unsigned char *records, uint64_t count,
    unsigned char *tables)
{
	uint64_t blocks = crlx_blocks(count);
	unsigned char *digests = tables + blocks * CRL_INDEX_SERIAL_LEN;

	for (uint64_t b = 0; b < blocks; b++) {
		memcpy(tables + b * CRL_INDEX_SERIAL_LEN, records +
		    b * CRLX_BLOCK_SIZE, CRL_INDEX_SERIAL_LEN);
		if (crlx_block_digest(records, count, b,
		    digests + b * CRLX_DIGEST_LEN) != 0)
			return -1;
	}
	return 0;
}

int
crlx_checksum(const unsigned char *header, size_t header_size,
    const unsigned char *tables, size_t tables_len,
    const unsigned char *marked, size_t marked_len,
    unsigned char digest[32])
{
	gnutls_hash_hd_t hash;

	if (gnutls_hash_init(&hash, GNUTLS_DIG_SHA256) < 0)
		return -1;
	if (gnutls_hash(hash, header + CRLX_OFF_CHECKED,
	    header_size - CRLX_OFF_CHECKED) < 0 ||
	    (tables_len > 0 && gnutls_hash(hash, tables, tables_len) < 0) ||
	    (marked_len > 0 && gnutls_hash(hash, marked, marked_len) < 0)) {
		gnutls_hash_deinit(hash, NULL);
		return -1;
	}
	gnutls_hash_deinit(hash, digest);
	return 0;
}

/*
 * Partitions of one issuer's CRLs get a file each, told apart by a hash of
 * their scope; a CRL for all of its issuer's certificates has none.  A
 * delta CRL has a file of its own beside its base's, which it must not
 * replace.
 */
int
crlx_file_name(const struct crlx_identity *id,
    char name[CRL_INDEX_NAME_MAX + 1])
{
	gnutls_hash_hd_t hash;
	unsigned char scope[32];
	char *p = name;

	p = hex_encode(id->dn_sha256, 16, '\0', p);
	*p++ = '-';
	p = hex_encode(id->spki_sha256, 16, '\0', p);
	if (id->scope != 0) {
		if (gnutls_hash_init(&hash, GNUTLS_DIG_SHA256) < 0)
			return -1;
		if (gnutls_hash(hash, &id->scope, 1) < 0 ||
		    gnutls_hash(hash, &id->nuris, 1) < 0 ||
		    gnutls_hash(hash, id->uris, id->uris_len) < 0) {
			gnutls_hash_deinit(hash, NULL);
			return -1;
		}
		gnutls_hash_deinit(hash, scope);
		*p++ = '-';
		p = hex_encode(scope, 8, '\0', p);
	}
	if (id->delta) {
		memcpy(p, CRL_INDEX_DELTA, sizeof(CRL_INDEX_DELTA) - 1);
		p += sizeof(CRL_INDEX_DELTA) - 1;
	}
	memcpy(p, CRL_INDEX_SUFFIX, sizeof(CRL_INDEX_SUFFIX));
	return 0;
}
