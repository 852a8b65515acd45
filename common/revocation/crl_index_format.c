#include "crl_index_format.h"

#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "crl_index.h"
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
	if (len > 0 && (serial[0] & 0x80))
		return -1;
	while (len > 0 && serial[0] == 0) {
		serial++;
		len--;
	}
	if (len > CRL_INDEX_SERIAL_LEN)
		return -1;
	memset(record, 0, CRL_INDEX_SERIAL_LEN - len);
	memcpy(record + CRL_INDEX_SERIAL_LEN - len, serial, len);
	return 0;
}

int
crlx_checksum(const unsigned char *header, size_t header_size,
    const unsigned char *records, size_t records_len,
    unsigned char digest[32])
{
	gnutls_hash_hd_t hash;

	if (gnutls_hash_init(&hash, GNUTLS_DIG_SHA256) < 0)
		return -1;
	if (gnutls_hash(hash, header + CRLX_OFF_CHECKED,
	    header_size - CRLX_OFF_CHECKED) < 0 ||
	    (records_len > 0 && gnutls_hash(hash, records, records_len) < 0)) {
		gnutls_hash_deinit(hash, NULL);
		return -1;
	}
	gnutls_hash_deinit(hash, digest);
	return 0;
}

/*
 * Partitions of one issuer's CRLs get a file each, told apart by a hash of
 * their scope; a CRL for all of its issuer's certificates has none.
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
	memcpy(p, CRL_INDEX_SUFFIX, sizeof(CRL_INDEX_SUFFIX));
	return 0;
}

void
crlx_put_be(unsigned char *p, uint64_t v, size_t n)
{
	while (n-- > 0) {
		p[n] = (unsigned char)v;
		v >>= 8;
	}
}

uint64_t
crlx_get_be(const unsigned char *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}
