#include "crl.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "certname.h"
#include "crl_coverage.h"
#include "crl_key_memo.h"
#include "crlext.h"
#include "crlread.h"
#include "dername.h"
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
	enum crl_listing how;
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
	int sign_algorithm;
	struct crlext_numbers numbers;
	/*
	 * Verified at load: the known issuer (known_issuers outlives the
	 * store) and its key, which a cross-certificate or a CA's renewed
	 * certificate may share...
	 */
	gnutls_x509_crt_t issuer;
	unsigned char issuer_key[CRL_KEY_ID_LEN];
	/*
	 * ...or else its DER kept, to be verified against the issuer in a
	 * path.
	 */
	unsigned char *der;
	struct crlread read;
	/*
	 * The issuer certificates of paths found to hold its key, or not
	 * to: compared with issuer_key once each, not once per
	 * verification; or, not verified at load, those it was found
	 * signed by, so that its signature is checked once per issuer.
	 */
	struct crl_key_memo signers;
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

/*
 * cRLSign in its keyUsage, or a CA certificate without keyUsage, which
 * RFC 5280 leaves unrestricted: a certificate that is no CA, such as a
 * CA's separate CRL-signing key (crl_signer.h), must say so.
 */
static bool
may_sign_crls(gnutls_x509_crt_t issuer)
{
	unsigned usage = 0;
	int ret = gnutls_x509_crt_get_key_usage(issuer, &usage, NULL);

	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return gnutls_x509_crt_get_ca_status(issuer, NULL) == 1;
	return ret >= 0 && (usage & GNUTLS_KEY_CRL_SIGN);
}

bool
crl_issuer_vouches(const struct crlread *crl, gnutls_x509_crt_t issuer,
    char *why, size_t whylen)
{
	char name[CERTNAME_MAX];
	int ret = 0;

	if (may_sign_crls(issuer) &&
	    (crl == NULL || (ret = crlread_verify(crl, issuer)) == 0))
		return true;
	certname_subject(issuer, name);
	if (ret == 0 && gnutls_x509_crt_get_ca_status(issuer, NULL) != 1)
		snprintf(why, whylen, "'%s' may not sign CRLs: it is no CA "
		    "certificate, and its keyUsage lacks cRLSign", name);
	else if (ret == 0)
		snprintf(why, whylen, "'%s' may not sign CRLs: its keyUsage "
		    "lacks cRLSign", name);
	else if (ret == GNUTLS_E_PK_SIG_VERIFY_FAILED)
		snprintf(why, whylen, "its signature does not match the key "
		    "of '%s' (if its CA now signs CRLs with a new key, add the "
		    "certificate of that key to intermediates_file)", name);
	else
		snprintf(why, whylen, "its signature cannot be checked with "
		    "the key of '%s': %s", name, gnutls_strerror(ret));
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
	struct dername name;
	bool named = false;
	size_t i, from = 0;
	int found;

	*issuer = NULL;
	if (dername_load(rec->issuer_dn.data, rec->issuer_dn.size,
	    &name) != 0) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	while ((found = certset_next_subject(known, &name, from, &i)) > 0) {
		gnutls_x509_crt_t crt = certset_crt(known, i);

		from = i + 1;
		if (crt == NULL || !key_ids_agree(rec, crt))
			continue;
		named = true;
		if (crl_issuer_vouches(&rec->read, crt, why, whylen)) {
			*issuer = crt;
			break;
		}
	}
	dername_free(&name);
	if (found < 0)
		snprintf(why, whylen, "out of memory");
	return *issuer != NULL ? 0 : named || found < 0 ? -1 : 0;
}

struct collected {
	struct crl_record *rec;
	size_t cap;
	bool ascending;		/* so far: no sort needed */
};

static int
add_revoked(const struct crlext_entry *entry, void *arg, struct finding *f)
{
	struct collected *c = arg;
	struct revoked *r = &c->rec->revoked[c->rec->nrevoked];

	if (c->rec->nrevoked == c->cap)	/* cannot be: see collect_revoked() */
		return finding_set(f, MTLS_R_INTERNAL, "more CRL entries "
		    "than its size allows");
	if (serial_normalise(entry->serial, entry->serial_len,
	    &r->serial) != 0)
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "lists a serial number longer than RFC 5280 allows",
		    c->rec->issuer_name);
	r->when = entry->when;
	r->how = crl_listing_of(entry->reason, c->rec->numbers.delta);
	if (c->rec->nrevoked > 0 && revoked_cmp(r - 1, r) >= 0)
		c->ascending = false;
	c->rec->nrevoked++;
	return 0;
}

/*
 * The entries in one pass over the DER.  An entry takes at least 20
 * octets of it (a SEQUENCE holding a one-octet INTEGER and a UTCTime),
 * which bounds their number before it is counted.
 */
static int
collect_revoked(struct crl_record *rec, char *why, size_t whylen)
{
	struct collected c = { rec, rec->read.entries_len / 20 + 1, true };
	struct finding f = { .reason = MTLS_R_OK };

	rec->revoked = calloc(c.cap, sizeof(*rec->revoked));
	if (rec->revoked == NULL) {
		snprintf(why, whylen, "out of memory for %zu entries", c.cap);
		return -1;
	}
	if (crlread_entries(&rec->read, add_revoked, &c, &f) != 0) {
		snprintf(why, whylen, "%s", f.text);
		return -1;
	}
	if (!c.ascending)
		qsort(rec->revoked, rec->nrevoked, sizeof(*rec->revoked),
		    revoked_cmp);
	/* a serial listed more than once, on hold (or taken off) and
	 * revoked outright, is revoked, whichever of its entries a lookup
	 * finds: as the index has it (crl_index_build()) */
	for (size_t i = 0, end; i < rec->nrevoked; i = end) {
		struct revoked *run = &rec->revoked[i];
		bool mixed = false;

		for (end = i + 1; end < rec->nrevoked &&
		    revoked_cmp(run, &rec->revoked[end]) == 0; end++)
			mixed |= rec->revoked[end].how != run->how;
		for (size_t k = i; mixed && k < end; k++)
			rec->revoked[k].how = CRL_LISTED_REVOKED;
	}
	return 0;
}

static void
record_clear(struct crl_record *rec)
{
	free(rec->file);
	gnutls_free(rec->issuer_dn.data);
	crlext_idp_clear(&rec->scope);
	free(rec->revoked);
	crlread_clear(&rec->read);
	free(rec->der);
	crl_key_memo_clear(&rec->signers);
	memset(rec, 0, sizeof(*rec));
}

/*
 * Check and index one CRL; rec takes der (malloc'd) over, also on
 * failure.  form says what der came from, when it is no CRL.
 */
static int
record_init(struct crl_record *rec, unsigned char *der, size_t len,
    const char *form, const char *path, const struct certset *known,
    char *why, size_t whylen)
{
	struct finding f = { .reason = MTLS_R_OK };
	gnutls_x509_crt_t issuer;
	gnutls_x509_crl_t crl;
	char refusal[FINDING_TEXT_MAX];
	int ret;

	memset(rec, 0, sizeof(*rec));
	rec->der = der;
	crl_key_memo_init(&rec->signers);
	if (der == NULL) {
		snprintf(why, whylen, "out of memory");
		goto fail;
	}
	ret = crlread_der(&rec->read, der, len, refusal, sizeof(refusal));
	if (ret != 0) {
		if (ret == CRLREAD_REFUSED)
			snprintf(why, whylen, "%s", refusal);
		else
			snprintf(why, whylen, "%s: %s", form, refusal);
		goto fail;
	}
	crl = rec->read.crl;
	if (rfc5280_check_crl(crl, &f) != 0) {
		snprintf(why, whylen, "%s", f.text);
		goto fail;
	}
	certname_crl_issuer(crl, rec->issuer_name);
	rec->this_update = gnutls_x509_crl_get_this_update(crl);
	rec->next_update = gnutls_x509_crl_get_next_update(crl);
	rec->sign_algorithm = gnutls_x509_crl_get_signature_algorithm(crl);
	/* judged by rfc5280_check_crl() */
	(void)crlext_numbers(crl, &rec->numbers);
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
		/* verified: neither the DER nor GnuTLS's view is needed */
		rec->issuer = issuer;
		crlread_clear(&rec->read);
		free(rec->der);
		rec->der = NULL;
	}
	return 0;
fail:
	record_clear(rec);
	return -1;
}

static int
add_record(struct crl_store *store, unsigned char *der, size_t len,
    const char *form, const char *path, const struct certset *known,
    char *why, size_t whylen)
{
	struct crl_record *grown;

	grown = realloc(store->records, (store->count + 1) * sizeof(*grown));
	if (grown == NULL) {
		free(der);
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	store->records = grown;
	if (record_init(&store->records[store->count], der, len, form, path,
	    known, why, whylen) != 0)
		return -1;
	store->count++;
	return 0;
}

/* A copy of what a DER file holds, for the record to own. */
static unsigned char *
copy_der(const unsigned char *data, size_t len)
{
	unsigned char *der = malloc(len > 0 ? len : 1);

	if (der != NULL)
		memcpy(der, data, len);
	return der;
}

/* Each "X509 CRL" block of PEM data (NUL-terminated), in order. */
static int
add_pem(struct crl_store *store, const char *data, const char *path,
    const struct certset *known, char *why, size_t whylen)
{
	static const char begin[] = "-----BEGIN X509 CRL-----";
	static const char end[] = "-----END X509 CRL-----";
	const char *at = strstr(data, begin), *stop;
	int ret;

	if (at == NULL) {
		snprintf(why, whylen, "PEM without an X509 CRL block");
		return -1;
	}
	for (; at != NULL; at = strstr(stop, begin)) {
		gnutls_datum_t in, der = { NULL, 0 };

		if ((stop = strstr(at, end)) == NULL) {
			snprintf(why, whylen, "bad PEM CRL: no %s line", end);
			return -1;
		}
		stop += sizeof(end) - 1;
		in.data = (unsigned char *)at;
		in.size = (unsigned)(stop - at);
		if ((ret = gnutls_pem_base64_decode2("X509 CRL", &in,
		    &der)) < 0) {
			snprintf(why, whylen, "bad PEM CRL: %s",
			    gnutls_strerror(ret));
			return -1;
		}
		ret = add_record(store, copy_der(der.data, der.size),
		    der.size, "bad PEM CRL", path, known, why, whylen);
		gnutls_free(der.data);
		if (ret != 0)
			return -1;
	}
	return 0;
}

/* data is NUL-terminated, as read_file_bounded() leaves it. */
static int
load_file(struct crl_store *store, const char *path,
    const struct certset *known, char *err, size_t errlen)
{
	unsigned char *data;
	size_t len;
	/* room for a CRL's name and a refusal naming its issuer */
	char why[FINDING_TEXT_MAX + 2 * CERTNAME_MAX];
	int ret;

	if (read_file_bounded(path, CRL_MAX_FILE_BYTES, &data, &len, err,
	    errlen) != 0)
		return -1;
	if (len == 0) {
		snprintf(why, sizeof(why), "empty file, no CRL");
		ret = -1;
	} else if (strstr((const char *)data, "-----BEGIN ") != NULL)
		ret = add_pem(store, (const char *)data, path, known, why,
		    sizeof(why));
	else {
		/* a DER file is one CRL, and the record keeps its bytes */
		ret = add_record(store, data, len,
		    "neither a PEM nor a DER CRL", path, known, why,
		    sizeof(why));
		data = NULL;
	}
	free(data);
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
	out->numbers = &rec->numbers;
	out->this_update = rec->this_update;
	out->next_update = rec->next_update;
	out->origin = rec->file;
	out->sign_algorithm = rec->sign_algorithm;
	/* not verified at load: only a path's issuer will tell */
	out->signer_key = rec->der == NULL ? rec->issuer_key : NULL;
}

static int
record_signed_by(const void *self, size_t i, struct crl_link *link,
    bool *match, struct finding *f)
{
	/* the store is only read but for what signers remembers */
	struct crl_record *rec = (struct crl_record *)record(self, i);

	/* not verified at load: the key identifiers tell until its
	 * signature is checked (record_vouched()), and then the issuer it
	 * was checked with */
	if (rec->der != NULL) {
		*match = crl_key_memo_get(&rec->signers, link->issuer) == 1 ||
		    key_ids_agree(rec, link->issuer);
		return 0;
	}
	/* verified at load: by the path's issuer itself, or by another
	 * certificate (cross-certified, or the CA's of another key) with
	 * the same key */
	*match = gnutls_x509_crt_equals(rec->issuer, link->issuer);
	if (*match)
		return 0;
	return crl_key_memo_holds(&rec->signers, rec->issuer_key, link,
	    match, f);
}

static int
record_vouched(const void *self, size_t i, struct crl_link *link,
    struct finding *f)
{
	/* the store is only read but for what signers remembers */
	struct crl_record *rec = (struct crl_record *)record(self, i);
	const struct crlread *read = NULL;
	char why[FINDING_TEXT_MAX];

	/* a CRL verified at load against this very certificate needs no
	 * second look; one verified against another certificate of the
	 * same key (record_signed_by()), a look at the certificate; one
	 * not verified at load, a whole check once for each issuer
	 * certificate */
	if (rec->der != NULL) {
		if (crl_key_memo_get(&rec->signers, link->issuer) == 1)
			return 0;
		read = &rec->read;
	} else if (gnutls_x509_crt_equals(rec->issuer, link->issuer))
		return 0;
	if (!crl_issuer_vouches(read, link->issuer, why, sizeof(why)))
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "in %s is refused: %s; replace it with one its CA signed",
		    rec->issuer_name, rec->file, why);
	if (read != NULL)
		crl_key_memo_put(&rec->signers, link->issuer, true);
	return 0;
}

static int
record_listed(const void *self, size_t i, const struct crl_link *link,
    const unsigned char *serial, size_t len, enum crl_listing *how,
    time_t *when, struct finding *f)
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
	*how = hit->how;
	return 1;
}

void
crl_store_source(const struct crl_store *store, struct crl_source *out)
{
	const struct crl_source source = {
		.self = store,
		.count = store != NULL ? store->count : 0,
		.facts = record_facts,
		.signed_by = record_signed_by,
		.vouched = record_vouched,
		.listed = record_listed,
		.stale_remedy = "replace the file with a fresh CRL from its CA",
		.missing_remedy = "add it to revocation.crl_files",
	};

	*out = source;
}

int
crl_check(const struct crl_store *store, const struct mtls_policy *policy,
    gnutls_x509_crt_t *chain, size_t n, enum mtls_crl_require require,
    unsigned stale_grace, unsigned clock_skew, time_t now, struct finding *f)
{
	struct crl_source source;

	crl_store_source(store, &source);
	return crl_coverage_check(&source, NULL, policy, chain, n, require,
	    stale_grace, clock_skew, now, NULL, f);
}
