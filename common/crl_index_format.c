#include "crl_index_format.h"

#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "crl_index.h"

size_t
crlx_header_size(size_t dn_len, size_t source_len)
{
	/* the source's terminating zero, then padding to 8 */
	return (CRLX_OFF_VARIABLE + dn_len + source_len + 1 + 7) & ~(size_t)7;
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
crlx_header_checksum(const unsigned char *header, size_t header_size,
    unsigned char digest[32])
{
	return gnutls_hash_fast(GNUTLS_DIG_SHA256, header + CRLX_OFF_CHECKED,
	    header_size - CRLX_OFF_CHECKED, digest) < 0 ? -1 : 0;
}

void
crl_index_file_name(const unsigned char *issuer_dn_sha256,
    const unsigned char *issuer_spki_sha256,
    char name[CRL_INDEX_NAME_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	char *p = name;

	for (size_t i = 0; i < 16; i++) {
		*p++ = hex[issuer_dn_sha256[i] >> 4];
		*p++ = hex[issuer_dn_sha256[i] & 0xf];
	}
	*p++ = '-';
	for (size_t i = 0; i < 16; i++) {
		*p++ = hex[issuer_spki_sha256[i] >> 4];
		*p++ = hex[issuer_spki_sha256[i] & 0xf];
	}
	memcpy(p, CRL_INDEX_SUFFIX, sizeof(CRL_INDEX_SUFFIX));
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
