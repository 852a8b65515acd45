#include "crl_index.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "crl_index_format.h"

struct serials {
	unsigned char *records;
	size_t count;
};

static int
record_cmp(const void *a, const void *b)
{
	return memcmp(a, b, CRL_INDEX_SERIAL_LEN);
}

/*
 * gnutls_x509_crl_get_crt_serial() walks the list from its start at every
 * call; the iterator keeps its place, which keeps a million entries linear.
 */
static int
collect_serials(gnutls_x509_crl_t crl, struct serials *out, char *err,
    size_t errlen)
{
	gnutls_x509_crl_iter_t iter = NULL;
	int total = gnutls_x509_crl_get_crt_count(crl);
	size_t n = 0, kept = 0;
	int ret;

	if (total < 0) {
		snprintf(err, errlen, "cannot count the CRL entries: %s",
		    gnutls_strerror(total));
		return -1;
	}
	out->records = malloc(total > 0 ?
	    (size_t)total * CRL_INDEX_SERIAL_LEN : 1);
	if (out->records == NULL) {
		snprintf(err, errlen, "out of memory for %d serials", total);
		return -1;
	}
	for (;;) {
		unsigned char serial[128];
		size_t len = sizeof(serial);
		time_t when;

		ret = gnutls_x509_crl_iter_crt_serial(crl, &iter, serial, &len,
		    &when);
		if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (ret < 0 || n == (size_t)total) {
			gnutls_x509_crl_iter_deinit(iter);
			free(out->records);
			snprintf(err, errlen, "cannot read CRL entry %zu: %s",
			    n + 1, ret < 0 ? gnutls_strerror(ret) :
			    "more entries than counted");
			return -1;
		}
		n++;
		/* A serial no acceptable certificate carries cannot revoke
		 * anything that would otherwise be accepted. */
		if (crlx_serial_record(serial, len, out->records +
		    kept * CRL_INDEX_SERIAL_LEN) == 0)
			kept++;
	}
	gnutls_x509_crl_iter_deinit(iter);
	qsort(out->records, kept, CRL_INDEX_SERIAL_LEN, record_cmp);
	out->count = 0;
	for (size_t i = 0; i < kept; i++) {
		unsigned char *rec = out->records + i * CRL_INDEX_SERIAL_LEN;

		if (out->count > 0 && memcmp(rec, out->records +
		    (out->count - 1) * CRL_INDEX_SERIAL_LEN,
		    CRL_INDEX_SERIAL_LEN) == 0)
			continue;
		memmove(out->records + out->count * CRL_INDEX_SERIAL_LEN, rec,
		    CRL_INDEX_SERIAL_LEN);
		out->count++;
	}
	return 0;
}

int
crl_index_crl_number(gnutls_x509_crl_t crl,
    unsigned char number[CRL_INDEX_SERIAL_LEN])
{
	unsigned char raw[64];
	size_t len = sizeof(raw);
	unsigned crit;

	if (gnutls_x509_crl_get_number(crl, raw, &len, &crit) < 0)
		return -1;
	return crlx_serial_record(raw, len, number);
}

/* Length of a key identifier just read into the header, 0 when absent. */
static int
key_id_length(int ret, size_t len, unsigned char *len_at, const char *what,
    char *err, size_t errlen)
{
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
		*len_at = 0;
		return 0;
	}
	if (ret < 0) {
		snprintf(err, errlen, "cannot read the %s: %s", what,
		    ret == GNUTLS_E_SHORT_MEMORY_BUFFER ?
		    "longer than 64 octets" : gnutls_strerror(ret));
		return -1;
	}
	*len_at = (unsigned char)len;
	return 0;
}

static int
put_key_ids(unsigned char *h, gnutls_x509_crl_t crl, gnutls_x509_crt_t issuer,
    char *err, size_t errlen)
{
	size_t len = CRL_INDEX_KEYID_MAX;
	unsigned crit;
	int ret;

	ret = gnutls_x509_crl_get_authority_key_id(crl, h + CRLX_OFF_AKI, &len,
	    &crit);
	if (key_id_length(ret, len, h + CRLX_OFF_AKI_LEN,
	    "CRL's authority key identifier", err, errlen) != 0)
		return -1;
	len = CRL_INDEX_KEYID_MAX;
	ret = gnutls_x509_crt_get_subject_key_id(issuer, h + CRLX_OFF_SKI, &len,
	    &crit);
	return key_id_length(ret, len, h + CRLX_OFF_SKI_LEN,
	    "issuer's subject key identifier", err, errlen);
}

static int
put_crl_facts(unsigned char *h, gnutls_x509_crl_t crl, char *err,
    size_t errlen)
{
	time_t this_update = gnutls_x509_crl_get_this_update(crl);
	time_t next_update = gnutls_x509_crl_get_next_update(crl);

	if (crl_index_crl_number(crl, h + CRLX_OFF_CRL_NUMBER) != 0) {
		snprintf(err, errlen, "the CRL has no usable CRL number");
		return -1;
	}
	if (this_update == (time_t)-1 || next_update == (time_t)-1) {
		snprintf(err, errlen, "the CRL lacks thisUpdate or nextUpdate");
		return -1;
	}
	crlx_put_u64(h + CRLX_OFF_THIS_UPDATE, (uint64_t)(int64_t)this_update);
	crlx_put_u64(h + CRLX_OFF_NEXT_UPDATE, (uint64_t)(int64_t)next_update);
	return 0;
}

/*
 * The whole header but the checksum.  dn is the CRL's issuer name; the
 * hashes are those of the file name.
 */
static int
fill_header(unsigned char *h, size_t hsize, gnutls_x509_crl_t crl,
    const gnutls_datum_t *dn, gnutls_x509_crt_t issuer, const char *source,
    time_t last_modified, uint64_t count, char *err, size_t errlen)
{
	size_t source_len = strlen(source);

	memcpy(h + CRLX_OFF_MAGIC, CRLX_MAGIC, CRLX_MAGIC_LEN);
	crlx_put_u32(h + CRLX_OFF_VERSION, CRLX_VERSION);
	crlx_put_u32(h + CRLX_OFF_HEADER_SIZE, (uint32_t)hsize);
	crlx_put_u64(h + CRLX_OFF_COUNT, count);
	crlx_put_u64(h + CRLX_OFF_LAST_MODIFIED,
	    (uint64_t)(int64_t)last_modified);
	crlx_put_u32(h + CRLX_OFF_DN_LEN, dn->size);
	crlx_put_u32(h + CRLX_OFF_SOURCE_LEN, (uint32_t)source_len);
	memcpy(h + CRLX_OFF_VARIABLE, dn->data, dn->size);
	memcpy(h + CRLX_OFF_VARIABLE + dn->size, source, source_len);
	if (put_crl_facts(h, crl, err, errlen) != 0 ||
	    put_key_ids(h, crl, issuer, err, errlen) != 0)
		return -1;
	if (crlx_header_checksum(h, hsize, h + CRLX_OFF_CHECKSUM) != 0) {
		snprintf(err, errlen, "cannot compute the header checksum");
		return -1;
	}
	return 0;
}

static int
write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

/*
 * A reader opens either the old file or the new one, whole: the new one is
 * written and synced under a temporary name that readers pass over, then
 * renamed over the old.
 */
static int
publish(const char *dir, const char *name, const unsigned char *header,
    size_t hsize, const struct serials *s, char *path, size_t pathlen,
    char *err, size_t errlen)
{
	char tmp[4096], final[4096];
	int fd;

	if ((size_t)snprintf(final, sizeof(final), "%s/%s", dir, name) >=
	    sizeof(final) || (size_t)snprintf(tmp, sizeof(tmp),
	    "%s/.%s.XXXXXX", dir, name) >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create a file: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0644) != 0 || write_all(fd, header, hsize) != 0 ||
	    write_all(fd, s->records, s->count * CRL_INDEX_SERIAL_LEN) != 0 ||
	    fsync(fd) != 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, final) != 0) {
		snprintf(err, errlen, "%s: %s", final, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (sync_dir(dir) != 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (path != NULL)
		snprintf(path, pathlen, "%s", final);
	return 0;
}

int
crl_index_build(gnutls_x509_crl_t crl, const unsigned char *der,
    size_t derlen, gnutls_x509_crt_t issuer, const char *dir,
    const char *source, time_t last_modified, char *path, size_t pathlen,
    char *err, size_t errlen)
{
	gnutls_datum_t dn = { NULL, 0 };
	struct serials s = { NULL, 0 };
	unsigned char *header = NULL;
	char name[CRL_INDEX_NAME_LEN + 1];
	size_t hsize = 0, spki_len = 32;
	int ret = -1;

	if (strlen(source) > CRL_INDEX_SOURCE_MAX) {
		snprintf(err, errlen, "source name longer than %d bytes",
		    CRL_INDEX_SOURCE_MAX);
		return -1;
	}
	if (gnutls_x509_crl_get_raw_issuer_dn(crl, &dn) < 0 || dn.size == 0 ||
	    dn.size > CRLX_DN_MAX) {
		snprintf(err, errlen, "the CRL's issuer name is unusable");
		goto out;
	}
	hsize = crlx_header_size(dn.size, strlen(source));
	header = calloc(1, hsize);
	if (header == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, dn.data, dn.size,
	    header + CRLX_OFF_DN_SHA256) < 0 ||
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, der, derlen,
	    header + CRLX_OFF_CRL_SHA256) < 0 ||
	    gnutls_x509_crt_get_key_id(issuer, GNUTLS_KEYID_USE_SHA256,
	    header + CRLX_OFF_SPKI_SHA256, &spki_len) < 0) {
		snprintf(err, errlen, "cannot hash the CRL or its issuer");
		goto out;
	}
	if (collect_serials(crl, &s, err, errlen) != 0)
		goto out;
	if (fill_header(header, hsize, crl, &dn, issuer, source, last_modified,
	    s.count, err, errlen) != 0)
		goto out;
	crl_index_file_name(header + CRLX_OFF_DN_SHA256,
	    header + CRLX_OFF_SPKI_SHA256, name);
	ret = publish(dir, name, header, hsize, &s, path, pathlen, err,
	    errlen);
out:
	free(s.records);
	free(header);
	gnutls_free(dn.data);
	return ret;
}
