#include "crl.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "certname.h"
#include "crl_coverage.h"
#include "crlext.h"
#include "readfile.h"
#include "rfc5280.h"

/* Most bytes of one CRL file: a million revocations is about 50 MB of PEM. */
#define CRL_MAX_FILE_BYTES (64 * 1024 * 1024)

/* RFC 5280 serial numbers have at most 20 octets besides a sign octet. */
#define SERIAL_MAX 20

/* Longest authority key identifier kept; longer ones are not compared. */
#define AKI_MAX 64

/* A serial number as an integer: see serial_normalise(). */
struct serial {
	bool negative;
	unsigned char len;
	unsigned char octets[SERIAL_MAX];
};

struct revoked {
	struct serial serial;
	time_t when;
};

/* One CRL, parsed once at load; verifications only read it. */
struct crl_record {
	char *file;
	char issuer_name[CERTNAME_MAX];
	gnutls_datum_t issuer_dn;		/* raw DER */
	unsigned char aki[AKI_MAX];
	size_t aki_len;				/* 0: none */
	time_t this_update;
	time_t next_update;
	/*
	 * Verified at load: the known issuer (known_issuers outlives the
	 * store) and its key, which a cross-certificate may share...
	 */
	gnutls_x509_crt_t issuer;
	unsigned char issuer_key[CRL_KEY_ID_LEN];
	/* ...or else kept, to be verified against the issuer in each path
	 * (gnutls_x509_crl_verify() only reads it). */
	gnutls_x509_crl_t crl;
	struct crlext_idp scope;
	struct revoked *revoked;		/* sorted by serial */
	size_t nrevoked;
};

struct crl_store {
	struct crl_record *records;
	size_t count;
};

/*
 * Serial numbers compare as integers: leading zero octets (the DER sign
 * octet, or a careless encoder's padding) are dropped from non-negative
 * ones.  -1 when longer than RFC 5280 allows.
 */
static int
serial_normalise(const unsigned char *der, size_t len, struct serial *out)
{
	out->negative = len > 0 && (der[0] & 0x80);
	while (!out->negative && len > 0 && der[0] == 0) {
		der++;
		len--;
	}
	if (len > SERIAL_MAX)
		return -1;
	memcpy(out->octets, der, len);
	out->len = (unsigned char)len;
	return 0;
}

static int
revoked_cmp(const void *a, const void *b)
{
	const struct serial *x = &((const struct revoked *)a)->serial;
	const struct serial *y = &((const struct revoked *)b)->serial;

	if (x->negative != y->negative)
		return x->negative ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->octets, y->octets, x->len);
}

static bool
same_datum(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	return a->size == b->size && memcmp(a->data, b->data, a->size) == 0;
}

static bool
may_sign_crls(gnutls_x509_crt_t issuer)
{
	unsigned usage = 0;
	int ret = gnutls_x509_crt_get_key_usage(issuer, &usage, NULL);

	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return true;
	return ret >= 0 && (usage & GNUTLS_KEY_CRL_SIGN);
}

bool
crl_issuer_vouches(gnutls_x509_crl_t crl, gnutls_x509_crt_t issuer, char *why,
    size_t whylen)
{
	const unsigned dates = GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED |
	    GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE;
	char name[CERTNAME_MAX];
	unsigned status = 0;
	gnutls_datum_t text;
	int ret;

	if (!may_sign_crls(issuer)) {
		certname_subject(issuer, name);
		snprintf(why, whylen, "'%s' may not sign CRLs: its keyUsage "
		    "lacks cRLSign", name);
		return false;
	}
	if (crl == NULL)
		return true;
	ret = gnutls_x509_crl_verify(crl, &issuer, 1, 0, &status);
	/* GnuTLS judges the CRL's dates by its own clock, and then calls it
	 * invalid; crl_check() judges them at the verification time. */
	if (status & dates)
		status &= ~(dates | GNUTLS_CERT_INVALID);
	if (ret == 0 && status == 0)
		return true;
	certname_subject(issuer, name);
	if (ret < 0) {
		snprintf(why, whylen, "its signature cannot be checked with "
		    "the key of '%s': %s", name, gnutls_strerror(ret));
		return false;
	}
	if (status & GNUTLS_CERT_SIGNATURE_FAILURE) {
		snprintf(why, whylen, "its signature does not match the key "
		    "of '%s'", name);
		return false;
	}
	if (gnutls_certificate_verification_status_print(status,
	    GNUTLS_CRT_X509, &text, 0) < 0) {
		snprintf(why, whylen, "'%s' cannot vouch for it", name);
		return false;
	}
	snprintf(why, whylen, "'%s' cannot vouch for it: %s", name,
	    (const char *)text.data);
	gnutls_free(text.data);
	return false;
}

/* False only when the CRL's and the certificate's key identifiers differ. */
static bool
key_ids_agree(const struct crl_record *rec, gnutls_x509_crt_t issuer)
{
	unsigned char ski[AKI_MAX];
	size_t len = sizeof(ski);

	if (rec->aki_len == 0 ||
	    gnutls_x509_crt_get_subject_key_id(issuer, ski, &len, NULL) < 0)
		return true;
	return len == rec->aki_len && memcmp(ski, rec->aki, len) == 0;
}

/*
 * Among the known issuers, the one that signed the CRL: its name, its key
 * identifier when both carry one, and its signature.  *issuer is NULL when
 * none bears the CRL's issuer name; -1 when those that do all refuse it.
 */
static int
find_issuer(const struct crl_record *rec, const struct certset *known,
    gnutls_x509_crt_t *issuer, char *why, size_t whylen)
{
	bool named = false;

	*issuer = NULL;
	for (size_t i = 0; i < known->count; i++) {
		gnutls_datum_t dn = { NULL, 0 };
		bool match;

		if (gnutls_x509_crt_get_raw_dn(known->crts[i], &dn) < 0)
			continue;
		match = same_datum(&dn, &rec->issuer_dn) &&
		    key_ids_agree(rec, known->crts[i]);
		gnutls_free(dn.data);
		if (!match)
			continue;
		named = true;
		if (crl_issuer_vouches(rec->crl, known->crts[i], why, whylen)) {
			*issuer = known->crts[i];
			return 0;
		}
	}
	return named ? -1 : 0;
}

static int
collect_revoked(struct crl_record *rec, char *why, size_t whylen)
{
	gnutls_x509_crl_iter_t iter = NULL;
	/* GnuTLS counts 0 when it cannot count; then any entry is an error */
	size_t count = (size_t)gnutls_x509_crl_get_crt_count(rec->crl);
	size_t n = 0;
	int ret = 0;

	if (count == 0)
		return 0;
	rec->revoked = calloc(count, sizeof(*rec->revoked));
	if (rec->revoked == NULL) {
		snprintf(why, whylen, "out of memory for %zu entries", count);
		return -1;
	}
	for (;;) {
		unsigned char serial[SERIAL_MAX + 2];
		size_t len = sizeof(serial);
		time_t when;
		const char *problem;

		ret = gnutls_x509_crl_iter_crt_serial(rec->crl, &iter, serial,
		    &len, &when);
		if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
			ret = 0;
			break;
		}
		if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER || (ret == 0 &&
		    n < count && serial_normalise(serial, len,
		    &rec->revoked[n].serial) != 0))
			problem = "a serial number longer than RFC 5280 allows";
		else if (ret < 0 || n == count)
			problem = "an unreadable entry";
		else {
			rec->revoked[n++].when = when;
			continue;
		}
		snprintf(why, whylen, "the CRL from '%s' lists %s",
		    rec->issuer_name, problem);
		ret = -1;
		break;
	}
	gnutls_x509_crl_iter_deinit(iter);
	rec->nrevoked = n;
	if (n > 0)
		qsort(rec->revoked, n, sizeof(*rec->revoked), revoked_cmp);
	return ret;
}

static void
record_clear(struct crl_record *rec)
{
	free(rec->file);
	gnutls_free(rec->issuer_dn.data);
	crlext_idp_clear(&rec->scope);
	free(rec->revoked);
	if (rec->crl != NULL)
		gnutls_x509_crl_deinit(rec->crl);
	memset(rec, 0, sizeof(*rec));
}

/* Check and index one CRL; rec takes crl over, also on failure. */
static int
record_init(struct crl_record *rec, gnutls_x509_crl_t crl, const char *path,
    const struct certset *known, char *why, size_t whylen)
{
	struct finding f = { .reason = MTLS_R_OK };
	gnutls_x509_crt_t issuer;
	char refusal[FINDING_TEXT_MAX];

	memset(rec, 0, sizeof(*rec));
	rec->crl = crl;
	if (rfc5280_check_crl(crl, &f) != 0) {
		snprintf(why, whylen, "%s", f.text);
		goto fail;
	}
	certname_crl_issuer(crl, rec->issuer_name);
	rec->this_update = gnutls_x509_crl_get_this_update(crl);
	rec->next_update = gnutls_x509_crl_get_next_update(crl);
	rec->aki_len = sizeof(rec->aki);
	if (gnutls_x509_crl_get_authority_key_id(crl, rec->aki, &rec->aki_len,
	    NULL) < 0)
		rec->aki_len = 0;
	if (gnutls_x509_crl_get_raw_issuer_dn(crl, &rec->issuer_dn) < 0) {
		snprintf(why, whylen, "the CRL's issuer name is unreadable");
		goto fail;
	}
	if ((rec->file = strdup(path)) == NULL ||
	    crlext_idp(crl, &rec->scope) != 0) {
		snprintf(why, whylen, "out of memory");
		goto fail;
	}
	if (find_issuer(rec, known, &issuer, refusal, sizeof(refusal)) != 0) {
		snprintf(why, whylen, "the CRL from '%s' is refused: %s",
		    rec->issuer_name, refusal);
		goto fail;
	}
	if (issuer != NULL && crl_key_id(issuer, rec->issuer_key) != 0) {
		snprintf(why, whylen, "cannot identify the key of the CRL's "
		    "issuer '%s'", rec->issuer_name);
		goto fail;
	}
	if (collect_revoked(rec, why, whylen) != 0)
		goto fail;
	if (issuer != NULL) {
		rec->issuer = issuer;
		gnutls_x509_crl_deinit(rec->crl);
		rec->crl = NULL;
	}
	return 0;
fail:
	record_clear(rec);
	return -1;
}

/* data is NUL-terminated, as read_file_bounded() leaves it. */
static int
parse_crls(const unsigned char *data, size_t len, gnutls_x509_crl_t **crls,
    unsigned *n, char *why, size_t whylen)
{
	gnutls_datum_t in = { (unsigned char *)data, (unsigned)len };
	bool pem = strstr((const char *)data, "-----BEGIN ") != NULL;
	int ret;

	if (len == 0) {
		snprintf(why, whylen, "empty file, no CRL");
		return -1;
	}
	if (pem && strstr((const char *)data, "-----BEGIN X509 CRL") == NULL) {
		snprintf(why, whylen, "PEM without an X509 CRL block");
		return -1;
	}
	ret = gnutls_x509_crl_list_import2(crls, n, &in,
	    pem ? GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER, 0);
	if (ret < 0) {
		snprintf(why, whylen, "%s: %s", pem ? "bad PEM CRL" :
		    "neither a PEM nor a DER CRL", gnutls_strerror(ret));
		return -1;
	}
	if (*n == 0) {
		gnutls_free(*crls);
		snprintf(why, whylen, "no CRL in the file");
		return -1;
	}
	return 0;
}

static int
load_file(struct crl_store *store, const char *path,
    const struct certset *known, char *err, size_t errlen)
{
	gnutls_x509_crl_t *crls = NULL;
	struct crl_record *grown;
	unsigned char *data;
	unsigned n = 0;
	size_t len;
	/* room for a CRL's name and a refusal naming its issuer */
	char why[FINDING_TEXT_MAX + 2 * CERTNAME_MAX];
	int ret;

	if (read_file_bounded(path, CRL_MAX_FILE_BYTES, &data, &len, err,
	    errlen) != 0)
		return -1;
	ret = parse_crls(data, len, &crls, &n, why, sizeof(why));
	free(data);
	if (ret == 0) {
		grown = realloc(store->records,
		    (store->count + n) * sizeof(*grown));
		if (grown != NULL)
			store->records = grown;
		else {
			snprintf(why, sizeof(why), "out of memory");
			ret = -1;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		if (ret != 0)
			gnutls_x509_crl_deinit(crls[i]);
		else if ((ret = record_init(&store->records[store->count],
		    crls[i], path, known, why, sizeof(why))) == 0)
			store->count++;
	}
	gnutls_free(crls);
	if (ret != 0)
		snprintf(err, errlen, "%s: %s", path, why);
	return ret;
}

int
crl_store_load(struct crl_store **out, const struct strlist *files,
    const struct certset *known_issuers, char *err, size_t errlen)
{
	struct crl_store *store = calloc(1, sizeof(*store));

	*out = NULL;
	if (store == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < files->count; i++) {
		if (load_file(store, files->items[i], known_issuers, err,
		    errlen) != 0) {
			crl_store_free(store);
			return -1;
		}
	}
	*out = store;
	return 0;
}

void
crl_store_free(struct crl_store *store)
{
	if (store == NULL)
		return;
	for (size_t i = 0; i < store->count; i++)
		record_clear(&store->records[i]);
	free(store->records);
	free(store);
}

/* The store as a source of CRLs for crl_coverage_check(). */

static const struct crl_record *
record(const void *self, size_t i)
{
	return &((const struct crl_store *)self)->records[i];
}

static void
record_facts(const void *self, size_t i, struct crl_facts *out)
{
	const struct crl_record *rec = record(self, i);

	out->issuer_dn = rec->issuer_dn.data;
	out->issuer_dn_len = rec->issuer_dn.size;
	out->scope = &rec->scope;
	out->this_update = rec->this_update;
	out->next_update = rec->next_update;
	out->origin = rec->file;
}

static int
record_signed_by(const void *self, size_t i, struct crl_link *link,
    bool *match, struct finding *f)
{
	const struct crl_record *rec = record(self, i);

	/* not verified at load: the key identifiers tell until its
	 * signature is checked (record_vouched()) */
	if (rec->crl != NULL) {
		*match = key_ids_agree(rec, link->issuer);
		return 0;
	}
	/* verified at load: by the path's issuer itself, or by another
	 * certificate (cross-certified) with the same key */
	*match = gnutls_x509_crt_equals(rec->issuer, link->issuer);
	if (*match)
		return 0;
	if (crl_link_issuer_key(link, f) != 0)
		return -1;
	*match = memcmp(link->issuer_key, rec->issuer_key,
	    CRL_KEY_ID_LEN) == 0;
	return 0;
}

static int
record_vouched(const void *self, size_t i, struct crl_link *link,
    struct finding *f)
{
	const struct crl_record *rec = record(self, i);
	char why[FINDING_TEXT_MAX];

	/* a CRL verified at load against this very certificate needs no
	 * second look */
	if ((rec->crl != NULL || !gnutls_x509_crt_equals(rec->issuer,
	    link->issuer)) &&
	    !crl_issuer_vouches(rec->crl, link->issuer, why, sizeof(why)))
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "in %s is refused: %s; replace it with one its CA signed",
		    rec->issuer_name, rec->file, why);
	return 0;
}

static int
record_listed(const void *self, size_t i, const struct crl_link *link,
    const unsigned char *serial, size_t len, time_t *when,
    struct finding *f)
{
	const struct crl_record *rec = record(self, i);
	struct revoked key;
	const struct revoked *hit;

	(void)link;
	(void)f;
	if (serial_normalise(serial, len, &key.serial) != 0)
		return -1;
	if (rec->nrevoked == 0)
		return 0;
	hit = bsearch(&key, rec->revoked, rec->nrevoked, sizeof(*hit),
	    revoked_cmp);
	if (hit == NULL)
		return 0;
	*when = hit->when;
	return 1;
}

int
crl_check(const struct crl_store *store, gnutls_x509_crt_t *chain,
    size_t n, enum mtls_crl_require require, unsigned stale_grace,
    unsigned clock_skew, time_t now, struct finding *f)
{
	const struct crl_source source = {
		.self = store,
		.count = store != NULL ? store->count : 0,
		.facts = record_facts,
		.signed_by = record_signed_by,
		.vouched = record_vouched,
		.listed = record_listed,
		.stale_remedy = "run the CRL update",
		.missing_remedy = "add it to revocation.crl_files",
	};

	return crl_coverage_check(&source, chain, n, require, stale_grace,
	    clock_skew, now, f);
}
