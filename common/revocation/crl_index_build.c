#include "crl_index.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "atomicfile.h"
#include "crl_index_format.h"
#include "crlext.h"
#include "crl_coverage.h"
#include "crlread.h"
#include "finding.h"

struct serials {
	unsigned char *records;
	size_t count;
	size_t cap;
	bool ascending;		/* so far strictly: no sort needed */
};

static int
record_cmp(const void *a, const void *b)
{
	return memcmp(a, b, CRL_INDEX_SERIAL_LEN);
}

/* Sort the records and drop repeats, unless they came in order. */
static void
sort_unique(struct serials *s)
{
	size_t kept = s->count;

	if (s->ascending)
		return;
	qsort(s->records, kept, CRL_INDEX_SERIAL_LEN, record_cmp);
	s->count = 0;
	for (size_t i = 0; i < kept; i++) {
		unsigned char *rec = s->records + i * CRL_INDEX_SERIAL_LEN;

		if (s->count > 0 && memcmp(rec, s->records +
		    (s->count - 1) * CRL_INDEX_SERIAL_LEN,
		    CRL_INDEX_SERIAL_LEN) == 0)
			continue;
		memmove(s->records + s->count * CRL_INDEX_SERIAL_LEN, rec,
		    CRL_INDEX_SERIAL_LEN);
		s->count++;
	}
}

/* Every serial a CRL lists, and those whose entry is marked or not. */
struct listed {
	struct serials all;
	struct serials marked;	/* crl_index.h: holds, or removals */
	struct serials plain;	/* revoked outright */
	bool delta;
};

static int
add_record(struct serials *s, const unsigned char *rec)
{
	unsigned char *at = s->records + s->count * CRL_INDEX_SERIAL_LEN;

	if (s->count == s->cap)		/* cannot be: see collect_serials() */
		return -1;
	memcpy(at, rec, CRL_INDEX_SERIAL_LEN);
	if (s->count > 0 && memcmp(at - CRL_INDEX_SERIAL_LEN, at,
	    CRL_INDEX_SERIAL_LEN) >= 0)
		s->ascending = false;
	s->count++;
	return 0;
}

/*
 * A serial over 20 octets refuses the CRL, as crl.c refuses it; negative
 * ones, which no acceptable certificate carries, are left out.
 */
static int
add_serial(const struct crlext_entry *entry, void *arg, struct finding *f)
{
	struct listed *l = arg;
	unsigned char rec[CRL_INDEX_SERIAL_LEN];

	if (entry->serial[0] & 0x80)
		return 0;
	if (crlx_serial_record(entry->serial, entry->serial_len, rec) != 0)
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL lists a "
		    "serial number longer than RFC 5280 allows");
	if (add_record(&l->all, rec) != 0 ||
	    add_record(crl_listing_of(entry->reason, l->delta) !=
	    CRL_LISTED_REVOKED ? &l->marked : &l->plain, rec) != 0)
		return finding_set(f, MTLS_R_INTERNAL, "more CRL entries "
		    "than its size allows");
	return 0;
}

/*
 * A serial listed twice, marked and revoked outright, is revoked: it is
 * not marked, as crl.c has it whichever entry it finds.
 */
static void
unmark_plain(struct listed *l)
{
	size_t kept = 0;

	for (size_t i = 0; i < l->marked.count; i++) {
		const unsigned char *rec = l->marked.records +
		    i * CRL_INDEX_SERIAL_LEN;

		if (l->plain.count > 0 && bsearch(rec, l->plain.records,
		    l->plain.count, CRL_INDEX_SERIAL_LEN, record_cmp) != NULL)
			continue;
		memmove(l->marked.records + kept * CRL_INDEX_SERIAL_LEN, rec,
		    CRL_INDEX_SERIAL_LEN);
		kept++;
	}
	l->marked.count = kept;
}

static int
serials_init(struct serials *s, size_t cap)
{
	s->count = 0;
	s->cap = cap;
	s->ascending = true;
	s->records = malloc(cap * CRL_INDEX_SERIAL_LEN);
	return s->records != NULL ? 0 : -1;
}

/*
 * Every serial, in one pass over the CRL's DER.  An entry takes at least
 * 20 octets of it (a SEQUENCE holding a one-octet INTEGER and a UTCTime),
 * which bounds their number before it is counted.
 */
static int
collect_serials(const struct crlread *crl, struct listed *out, char *err,
    size_t errlen)
{
	struct finding f = { .reason = MTLS_R_OK };
	size_t cap = crl->entries_len / 20 + 1;

	if (serials_init(&out->all, cap) != 0 ||
	    serials_init(&out->marked, cap) != 0 ||
	    serials_init(&out->plain, cap) != 0) {
		snprintf(err, errlen, "out of memory for %zu serials", cap);
		return -1;
	}
	if (crlread_entries(crl, add_serial, out, &f) != 0) {
		snprintf(err, errlen, "%s", f.text);
		return -1;
	}
	sort_unique(&out->all);
	sort_unique(&out->marked);
	sort_unique(&out->plain);
	unmark_plain(out);
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
	struct crlext_numbers numbers;

	if (crlext_numbers(crl, &numbers) != 0) {
		snprintf(err, errlen, "the CRL has no usable CRL number");
		return -1;
	}
	memcpy(h + CRLX_OFF_CRL_NUMBER, numbers.number, CRL_INDEX_SERIAL_LEN);
	h[CRLX_OFF_DELTA] = numbers.delta;
	h[CRLX_OFF_NAMES_DELTAS] = numbers.names_deltas;
	memcpy(h + CRLX_OFF_BASE_NUMBER, numbers.base, CRL_INDEX_SERIAL_LEN);
	if (this_update == (time_t)-1 || next_update == (time_t)-1) {
		snprintf(err, errlen, "the CRL lacks thisUpdate or nextUpdate");
		return -1;
	}
	crlx_put_u64(h + CRLX_OFF_THIS_UPDATE, (uint64_t)(int64_t)this_update);
	crlx_put_u64(h + CRLX_OFF_NEXT_UPDATE, (uint64_t)(int64_t)next_update);
	return 0;
}

/*
 * The whole header but the checksum and the hashes of the identity, which
 * id and dn (the CRL's issuer name) have put in place.
 */
static int
fill_header(unsigned char *h, size_t hsize, gnutls_x509_crl_t crl,
    const gnutls_datum_t *dn, const struct crlx_identity *id,
    gnutls_x509_crt_t issuer, const char *source, time_t last_modified,
    const struct listed *l, char *err, size_t errlen)
{
	size_t source_len = strlen(source);
	unsigned char *var = h + CRLX_OFF_VARIABLE;

	memcpy(h + CRLX_OFF_MAGIC, CRLX_MAGIC, CRLX_MAGIC_LEN);
	crlx_put_u32(h + CRLX_OFF_VERSION, CRLX_VERSION);
	crlx_put_u32(h + CRLX_OFF_HEADER_SIZE, (uint32_t)hsize);
	crlx_put_u64(h + CRLX_OFF_COUNT, l->all.count);
	crlx_put_u64(h + CRLX_OFF_MARKED_COUNT, l->marked.count);
	crlx_put_u64(h + CRLX_OFF_LAST_MODIFIED,
	    (uint64_t)(int64_t)last_modified);
	memcpy(h + CRLX_OFF_DN_SHA256, id->dn_sha256, 32);
	memcpy(h + CRLX_OFF_SPKI_SHA256, id->spki_sha256, 32);
	h[CRLX_OFF_SCOPE] = id->scope;
	h[CRLX_OFF_NURIS] = id->nuris;
	crlx_put_u32(h + CRLX_OFF_DN_LEN, dn->size);
	crlx_put_u32(h + CRLX_OFF_SOURCE_LEN, (uint32_t)source_len);
	crlx_put_u32(h + CRLX_OFF_URIS_LEN, (uint32_t)id->uris_len);
	crlx_put_u32(h + CRLX_OFF_SIGN_ALGORITHM,
	    (uint32_t)gnutls_x509_crl_get_signature_algorithm(crl));
	memcpy(var, dn->data, dn->size);
	memcpy(var + dn->size, source, source_len);
	memcpy(var + dn->size + source_len + 1, id->uris, id->uris_len);
	if (put_crl_facts(h, crl, err, errlen) != 0 ||
	    put_key_ids(h, crl, issuer, err, errlen) != 0)
		return -1;
	return 0;
}

/* The partition URIs as the header holds them; allocated in *out. */
static int
encode_uris(const struct crlext_idp *idp, unsigned char **out, size_t *len,
    char *err, size_t errlen)
{
	size_t total = 0;
	unsigned char *p;

	if (idp->nuris > CRLX_URIS_MAX) {
		snprintf(err, errlen, "the CRL names its partition with more "
		    "than %d URIs", CRLX_URIS_MAX);
		return -1;
	}
	for (size_t i = 0; i < idp->nuris; i++) {
		if (idp->uris[i].size == 0 || idp->uris[i].size > 0xffff) {
			snprintf(err, errlen, "the CRL names its partition "
			    "with an empty or overlong URI");
			return -1;
		}
		total += 2 + idp->uris[i].size;
	}
	if ((*out = p = malloc(total > 0 ? total : 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < idp->nuris; i++) {
		*p++ = (unsigned char)(idp->uris[i].size >> 8);
		*p++ = (unsigned char)idp->uris[i].size;
		memcpy(p, idp->uris[i].data, idp->uris[i].size);
		p += idp->uris[i].size;
	}
	*len = total;
	return 0;
}

/*
 * What names the index of crl: the hashes of its issuer name (returned in
 * dn, allocated) and of issuer's key, and its scope (partition URIs
 * allocated in *uris).  Scopes rfc5280_check_crl() refuses are refused
 * here too, so that no caller can index what it would misread.
 */
static int
identify(gnutls_x509_crl_t crl, gnutls_x509_crt_t issuer, gnutls_datum_t *dn,
    struct crlx_identity *id, unsigned char **uris, char *err, size_t errlen)
{
	struct crlext_idp idp;
	struct crlext_numbers numbers;
	size_t spki_len = sizeof(id->spki_sha256);
	int ret = -1;

	memset(id, 0, sizeof(*id));
	*uris = NULL;
	if (gnutls_x509_crl_get_raw_issuer_dn(crl, dn) < 0 || dn->size == 0 ||
	    dn->size > CRLX_DN_MAX) {
		snprintf(err, errlen, "the CRL's issuer name is unusable");
		return -1;
	}
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, dn->data, dn->size,
	    id->dn_sha256) < 0 || gnutls_x509_crt_get_key_id(issuer,
	    GNUTLS_KEYID_USE_SHA256, id->spki_sha256, &spki_len) < 0) {
		snprintf(err, errlen, "cannot hash the CRL's issuer");
		return -1;
	}
	if (crlext_idp(crl, &idp) != 0) {
		snprintf(err, errlen, "the CRL's issuingDistributionPoint is "
		    "malformed");
		return -1;
	}
	/* a delta CRL stands beside its base (crl_index_format.c) */
	if (crlext_numbers(crl, &numbers) != 0)
		snprintf(err, errlen, "the CRL has no usable CRL number");
	else if (idp.indirect || idp.only_some_reasons || idp.only_attribute_certs ||
	    (idp.has_point && idp.nuris == 0))
		snprintf(err, errlen, "the CRL's scope (indirect, by reason, "
		    "or a partition without a URI) is unsupported");
	else if (encode_uris(&idp, uris, &id->uris_len, err, errlen) == 0) {
		id->uris = *uris;
		id->nuris = (unsigned char)idp.nuris;
		id->delta = numbers.delta;
		id->scope = (idp.only_user_certs ? CRLX_SCOPE_USER_CERTS : 0) |
		    (idp.only_ca_certs ? CRLX_SCOPE_CA_CERTS : 0) |
		    (idp.has_point ? CRLX_SCOPE_PARTITION : 0);
		ret = 0;
	}
	crlext_idp_clear(&idp);
	return ret;
}

int
crl_index_name(gnutls_x509_crl_t crl, gnutls_x509_crt_t issuer,
    char name[CRL_INDEX_NAME_MAX + 1], char *err, size_t errlen)
{
	gnutls_datum_t dn = { NULL, 0 };
	struct crlx_identity id;
	unsigned char *uris = NULL;
	int ret = identify(crl, issuer, &dn, &id, &uris, err, errlen);

	if (ret == 0 && (ret = crlx_file_name(&id, name)) != 0)
		snprintf(err, errlen, "cannot hash the CRL's scope");
	free(uris);
	gnutls_free(dn.data);
	return ret;
}

/* Readers open the old index or the new one, whole (atomicfile.h). */
static int
publish(const char *dir, const char *name, const unsigned char *header,
    size_t hsize, const unsigned char *tables, const struct listed *l,
    char *path, size_t pathlen, char *err, size_t errlen)
{
	const struct atomicfile_part parts[] = {
		{ header, hsize },
		{ tables, crlx_blocks(l->all.count) * CRLX_TABLE_ENTRY },
		{ l->all.records, l->all.count * CRL_INDEX_SERIAL_LEN },
		{ l->marked.records, l->marked.count * CRL_INDEX_SERIAL_LEN },
	};
	char final[4096];

	if ((size_t)snprintf(final, sizeof(final), "%s/%s", dir, name) >=
	    sizeof(final)) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	if (atomicfile_write(final, parts, 4, err, errlen) != 0)
		return -1;
	if (path != NULL)
		snprintf(path, pathlen, "%s", final);
	return 0;
}

int
crl_index_build(const struct crlread *read, const unsigned char *der,
    size_t derlen, gnutls_x509_crt_t issuer, const char *dir,
    const char *source, time_t last_modified, char *path, size_t pathlen,
    char *err, size_t errlen)
{
	gnutls_x509_crl_t crl = read->crl;
	gnutls_datum_t dn = { NULL, 0 };
	struct listed l;
	struct crlx_identity id;
	unsigned char *header = NULL, *uris = NULL, *tables = NULL;
	char name[CRL_INDEX_NAME_MAX + 1];
	size_t hsize, tables_len;
	int ret = -1;

	memset(&l, 0, sizeof(l));
	if (strlen(source) > CRL_INDEX_SOURCE_MAX) {
		snprintf(err, errlen, "source name longer than %d bytes",
		    CRL_INDEX_SOURCE_MAX);
		return -1;
	}
	if (identify(crl, issuer, &dn, &id, &uris, err, errlen) != 0)
		goto out;
	if (crlx_file_name(&id, name) != 0) {
		snprintf(err, errlen, "cannot hash the CRL's scope");
		goto out;
	}
	hsize = crlx_header_size(dn.size, strlen(source), id.uris_len);
	if ((header = calloc(1, hsize)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, der, derlen,
	    header + CRLX_OFF_CRL_SHA256) < 0) {
		snprintf(err, errlen, "cannot hash the CRL");
		goto out;
	}
	l.delta = id.delta;
	if (collect_serials(read, &l, err, errlen) != 0 ||
	    fill_header(header, hsize, crl, &dn, &id, issuer, source,
	    last_modified, &l, err, errlen) != 0)
		goto out;
	tables_len = crlx_blocks(l.all.count) * CRLX_TABLE_ENTRY;
	if ((tables = malloc(tables_len + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (crlx_tables(l.all.records, l.all.count, tables) != 0 ||
	    crlx_checksum(header, hsize, tables, tables_len,
	    l.marked.records, l.marked.count * CRL_INDEX_SERIAL_LEN,
	    header + CRLX_OFF_CHECKSUM) != 0) {
		snprintf(err, errlen, "cannot compute the index checksums");
		goto out;
	}
	ret = publish(dir, name, header, hsize, tables, &l, path, pathlen,
	    err, errlen);
out:
	free(tables);
	free(l.all.records);
	free(l.marked.records);
	free(l.plain.records);
	free(header);
	free(uris);
	gnutls_free(dn.data);
	return ret;
}
