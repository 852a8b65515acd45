#include "crlread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <libtasn1.h>

#include "certname.h"
#include "dertime.h"
#include "dertlv.h"
#include "rfc5280.h"

/* Where the parts of a CRL lie in its DER. */
struct layout {
	struct dertlv tbs;
	struct dertlv this_update;
	struct dertlv next_update;	/* tag 0 when absent */
	struct dertlv revoked;		/* tag 0 when absent */
	const unsigned char *after_tbs;	/* signatureAlgorithm, signature */
	const unsigned char *end;
	struct dertlv inner_algorithm, outer_algorithm, signature;
};

static bool
is_time(const struct dertlv *e)
{
	return e->tag == DER_UTC_TIME || e->tag == DER_GENERALIZED_TIME;
}

/*
 * TBSCertList ::= SEQUENCE { version INTEGER OPTIONAL, signature,
 * issuer, thisUpdate, nextUpdate OPTIONAL, revokedCertificates SEQUENCE
 * OF OPTIONAL, crlExtensions [0] OPTIONAL }.  Only what is needed to find
 * the entries is read; GnuTLS judges the rest in the CRL without them.
 */
static int
find_entries(struct layout *l)
{
	const unsigned char *p = l->tbs.content, *end = l->tbs.end, *at;
	struct dertlv e;

	memset(&l->next_update, 0, sizeof(l->next_update));
	memset(&l->revoked, 0, sizeof(l->revoked));
	if (dertlv_next(&p, end, &e) != 0)
		return -1;
	if (e.tag == DER_INTEGER && dertlv_next(&p, end, &e) != 0)
		return -1;
	if (e.tag != DER_SEQUENCE)
		return -1;
	l->inner_algorithm = e;
	if (dertlv_expect(&p, end, DER_SEQUENCE, &e) != 0 ||
	    dertlv_next(&p, end, &l->this_update) != 0 ||
	    !is_time(&l->this_update))
		return -1;
	at = p;
	if (at < end && dertlv_next(&at, end, &e) == 0 && is_time(&e)) {
		l->next_update = e;
		p = at;
	}
	at = p;
	if (at < end && dertlv_next(&at, end, &e) == 0 &&
	    e.tag == DER_SEQUENCE)
		l->revoked = e;
	return 0;
}

/*
 * GnuTLS reads a thisUpdate or nextUpdate it cannot parse as absent (a
 * fraction of a second, which RFC 5280 forbids, is the likely fault):
 * said here for what it is.
 */
static int
check_times(const struct crlread *r, const struct layout *l, char *err,
    size_t errlen)
{
	char issuer[CERTNAME_MAX], what[256];

	if (dertime_check("thisUpdate", &l->this_update, what,
	    sizeof(what)) == 0 && (l->next_update.tag == 0 ||
	    dertime_check("nextUpdate", &l->next_update, what,
	    sizeof(what)) == 0))
		return 0;
	certname_crl_issuer(r->crl, issuer);
	snprintf(err, errlen, "the CRL from '%s' is refused: %s; its CA must "
	    "issue it again", issuer, what);
	return -1;
}

/* CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm,
 * signatureValue BIT STRING } */
static int
find_layout(const unsigned char *der, size_t len, struct layout *l)
{
	const unsigned char *p = der, *end = der + len;
	struct dertlv outer;

	if (dertlv_expect(&p, end, DER_SEQUENCE, &outer) != 0 || p != end)
		return -1;
	p = outer.content;
	end = outer.end;
	if (dertlv_expect(&p, end, DER_SEQUENCE, &l->tbs) != 0)
		return -1;
	l->after_tbs = p;
	l->end = end;
	if (dertlv_expect(&p, end, DER_SEQUENCE, &l->outer_algorithm) != 0 ||
	    dertlv_expect(&p, end, DER_BIT_STRING, &l->signature) != 0 ||
	    p != end || l->signature.len < 1 || l->signature.content[0] != 0)
		return -1;
	return find_entries(l);
}

/* A tag and a length, as DER writes them; the octets used. */
static size_t
put_header(unsigned char *out, unsigned char tag, size_t len)
{
	int n = 0;

	out[0] = tag;
	asn1_length_der((unsigned long)len, out + 1, &n);
	return 1 + (size_t)n;
}

/* The CRL without its entries: few bytes, whatever their number. */
static int
import_head(struct crlread *r, const struct layout *l)
{
	size_t before = l->revoked.start != NULL ?
	    (size_t)(l->revoked.start - l->tbs.content) : l->tbs.len;
	size_t after = l->revoked.start != NULL ?
	    (size_t)(l->tbs.end - l->revoked.end) : 0;
	size_t rest = (size_t)(l->end - l->after_tbs);
	size_t tbs_len = before + after, outer_len;
	unsigned char tbs_head[16], *head, *p;
	gnutls_datum_t datum;
	int ret;

	outer_len = put_header(tbs_head, DER_SEQUENCE, tbs_len) + tbs_len +
	    rest;
	if ((head = malloc(outer_len + 16)) == NULL)
		return GNUTLS_E_MEMORY_ERROR;
	p = head + put_header(head, DER_SEQUENCE, outer_len);
	p += put_header(p, DER_SEQUENCE, tbs_len);
	memcpy(p, l->tbs.content, before);
	p += before;
	if (after > 0)
		memcpy(p, l->revoked.end, after);
	p += after;
	memcpy(p, l->after_tbs, rest);
	p += rest;
	datum.data = head;
	datum.size = (unsigned)(p - head);
	if ((ret = gnutls_x509_crl_init(&r->crl)) == 0 &&
	    (ret = gnutls_x509_crl_import(r->crl, &datum,
	    GNUTLS_X509_FMT_DER)) < 0) {
		gnutls_x509_crl_deinit(r->crl);
		r->crl = NULL;
	}
	free(head);
	return ret;
}

int
crlread_der(struct crlread *r, const unsigned char *der, size_t len,
    char *err, size_t errlen)
{
	struct layout l;
	int ret;

	memset(r, 0, sizeof(*r));
	if (find_layout(der, len, &l) != 0) {
		snprintf(err, errlen, "malformed DER");
		return -1;
	}
	if (l.inner_algorithm.end - l.inner_algorithm.start !=
	    l.outer_algorithm.end - l.outer_algorithm.start ||
	    memcmp(l.inner_algorithm.start, l.outer_algorithm.start,
	    (size_t)(l.outer_algorithm.end - l.outer_algorithm.start)) != 0) {
		snprintf(err, errlen, "the CRL names two different signature "
		    "algorithms, which RFC 5280 forbids");
		return CRLREAD_REFUSED;
	}
	if ((ret = import_head(r, &l)) < 0) {
		snprintf(err, errlen, "%s", gnutls_strerror(ret));
		return -1;
	}
	if (check_times(r, &l, err, errlen) != 0) {
		crlread_clear(r);
		return CRLREAD_REFUSED;
	}
	r->tbs.data = (unsigned char *)l.tbs.start;
	r->tbs.size = (unsigned)(l.tbs.end - l.tbs.start);
	r->signature.data = (unsigned char *)l.signature.content + 1;
	r->signature.size = (unsigned)l.signature.len - 1;
	if (l.revoked.start != NULL) {
		r->entries = l.revoked.content;
		r->entries_len = l.revoked.len;
	}
	return 0;
}

void
crlread_clear(struct crlread *r)
{
	if (r->crl != NULL)
		gnutls_x509_crl_deinit(r->crl);
	memset(r, 0, sizeof(*r));
}

int
crlread_verify(const struct crlread *r, gnutls_x509_crt_t issuer)
{
	gnutls_pubkey_t key;
	int algorithm = gnutls_x509_crl_get_signature_algorithm(r->crl);
	int ret;

	if (algorithm < 0)
		return algorithm;
	if (algorithm == GNUTLS_SIGN_UNKNOWN)
		return GNUTLS_E_UNKNOWN_ALGORITHM;
	if ((ret = gnutls_pubkey_init(&key)) < 0)
		return ret;
	if ((ret = gnutls_pubkey_import_x509(key, issuer, 0)) == 0)
		ret = gnutls_pubkey_verify_data2(key,
		    (gnutls_sign_algorithm_t)algorithm, 0, &r->tbs,
		    &r->signature);
	gnutls_pubkey_deinit(key);
	return ret < 0 ? ret : 0;
}

struct walk {
	int (*entry)(const struct crlext_entry *entry, void *arg,
	    struct finding *f);
	void *arg;
	struct finding *f;
	char issuer[CERTNAME_MAX];
};

static int
walk_entry(const struct crlext_entry *entry, void *arg)
{
	struct walk *w = arg;

	return w->entry(entry, w->arg, w->f) != 0 ? 1 : 0;
}

static int
walk_extension(const char *oid, bool critical, void *arg)
{
	struct walk *w = arg;

	return rfc5280_check_crl_entry_extension(oid, critical, w->issuer,
	    w->f) != 0 ? 1 : 0;
}

int
crlread_entries(const struct crlread *r,
    int (*entry)(const struct crlext_entry *entry, void *arg,
    struct finding *f), void *arg, struct finding *f)
{
	static const struct crlext_entry_visitor visit = {
		walk_entry, walk_extension
	};
	struct walk w = { entry, arg, f, "" };
	int ret;

	if (r->entries == NULL)
		return 0;
	certname_crl_issuer(r->crl, w.issuer);
	ret = crlext_entries(r->entries, r->entries_len, &visit, &w);
	if (ret < 0)
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "has a malformed revoked-certificate entry", w.issuer);
	return ret > 0 ? -1 : 0;
}
