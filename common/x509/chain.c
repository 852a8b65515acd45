#include "chain.h"

#include <string.h>

#include "certname.h"

/* By identity: copies of one certificate can only make the path longer,
 * and CHAIN_MAX bounds that; comparing encodings would cost every login. */
static int
in_path(const struct chain *c, gnutls_x509_crt_t crt)
{
	for (size_t i = 0; i < c->len; i++)
		if (c->crt[i] == crt)
			return 1;
	return 0;
}

static int
same_datum(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	return a->size == b->size && memcmp(a->data, b->data, a->size) == 0;
}

/* Index of the first certificate in set, from index from on, whose subject
 * is name (raw DER), or -1. */
static long
find_named(const gnutls_datum_t *name, const struct certset *set,
    size_t from)
{
	gnutls_datum_t subject;

	for (size_t i = from; set != NULL && i < set->count; i++) {
		int same;

		if (gnutls_x509_crt_get_raw_dn(set->crts[i], &subject) < 0)
			continue;
		same = same_datum(&subject, name);
		gnutls_free(subject.data);
		if (same)
			return (long)i;
	}
	return -1;
}

/* How crt's authority key identifier bears on candidate's subject key
 * identifier. */
enum key_ids {
	KEY_IDS_DIFFER,
	KEY_IDS_MATCH,
	KEY_IDS_ABSENT		/* one of them has none: they cannot tell */
};

static enum key_ids
compare_key_ids(gnutls_x509_crt_t crt, gnutls_x509_crt_t candidate)
{
	unsigned char aki[64], ski[64];
	size_t akilen = sizeof(aki), skilen = sizeof(ski);
	unsigned critical;

	if (gnutls_x509_crt_get_authority_key_id(crt, aki, &akilen,
	    &critical) < 0)
		return KEY_IDS_ABSENT;
	if (gnutls_x509_crt_get_subject_key_id(candidate, ski, &skilen,
	    &critical) < 0)
		return KEY_IDS_ABSENT;
	return akilen == skilen && memcmp(aki, ski, akilen) == 0 ?
	    KEY_IDS_MATCH : KEY_IDS_DIFFER;
}

/*
 * Whether candidate's key made crt's signature, whatever else is wrong
 * with the pair (the path checks judge that).
 */
static int
key_signed(gnutls_x509_crt_t crt, gnutls_x509_crt_t candidate)
{
	const unsigned only_the_signature = GNUTLS_VERIFY_DISABLE_CA_SIGN |
	    GNUTLS_VERIFY_ALLOW_ANY_X509_V1_CA_CRT |
	    GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
	    GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
	    GNUTLS_VERIFY_DISABLE_CRL_CHECKS | GNUTLS_VERIFY_ALLOW_BROKEN |
	    GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1;
	unsigned status = 0;

	return gnutls_x509_crt_verify(crt, &candidate, 1, only_the_signature,
	    &status) == 0 && status == 0;
}

/*
 * The issuer of crt in set that is not already in the path: the name must
 * match and, when both carry key identifiers, the identifiers too (the
 * rule of gnutls_x509_crt_check_issuer, at a fraction of its cost).  Key
 * identifiers are decoded only to choose among several certificates of
 * the name, as when a CA was renewed with a new key: decoding them costs
 * more than the rest of path building, at every login.  When they cannot
 * choose (a v1 certificate has none), the signature does: GnuTLS picks
 * its own anchor among those of the name, and the checks and CRLs of the
 * path must follow the certificate that really issued crt.  Returns the
 * index or -1.
 */
static long
find_issuer(gnutls_x509_crt_t crt, const gnutls_datum_t *issuer_name,
    const struct certset *set, const struct chain *c)
{
	long first, i;

	for (first = -1; (first = find_named(issuer_name, set,
	    (size_t)(first + 1))) >= 0 && in_path(c, set->crts[first]);)
		;
	if (first < 0)
		return -1;
	for (i = first; (i = find_named(issuer_name, set, (size_t)(i + 1))) >= 0;)
		if (!in_path(c, set->crts[i]))
			break;
	if (i < 0)
		return first;
	/* several: the one the key identifiers or the signature name */
	for (i = first; i >= 0;
	    i = find_named(issuer_name, set, (size_t)(i + 1))) {
		if (in_path(c, set->crts[i]))
			continue;
		switch (compare_key_ids(crt, set->crts[i])) {
		case KEY_IDS_MATCH:
			return i;
		case KEY_IDS_ABSENT:
			if (key_signed(crt, set->crts[i]))
				return i;
			break;
		case KEY_IDS_DIFFER:
			break;
		}
	}
	return -1;
}

static int
issuer_missing(gnutls_x509_crt_t cur, const gnutls_datum_t *issuer_name,
    const struct certset *anchors, const struct certset *peer_pool,
    const struct certset *config_pool, struct finding *f)
{
	char subject[CERTNAME_MAX], issuer[CERTNAME_MAX];

	certname_subject(cur, subject);
	certname_issuer(cur, issuer);
	if (find_named(issuer_name, anchors, 0) >= 0 ||
	    find_named(issuer_name, peer_pool, 0) >= 0 ||
	    find_named(issuer_name, config_pool, 0) >= 0)
		return finding_set(f, MTLS_R_ISSUER_NOT_FOUND,
		    "a certificate named '%s' is known, but not the key that "
		    "issued '%s' (neither its authority key identifier nor its "
		    "signature matches one of them): add "
		    "the CA certificate with that key, e.g. the renewed CA, "
		    "to ca_file or intermediates_file", issuer, subject);
	return finding_set(f, MTLS_R_ISSUER_NOT_FOUND,
	    "issuer '%s' of '%s' is neither a trust anchor nor a known "
	    "intermediate; add its certificate to intermediates_file (or "
	    "ca_file if it is a root), or have the client send it", issuer,
	    subject);
}

static void
push(struct chain *c, gnutls_x509_crt_t crt, enum chain_source source,
    size_t index)
{
	c->crt[c->len] = crt;
	c->source[c->len] = source;
	c->index[c->len] = index;
	c->len++;
}

static int
is_self_issued(gnutls_x509_crt_t crt, const gnutls_datum_t *issuer_name)
{
	gnutls_datum_t subject;
	int same;

	if (gnutls_x509_crt_get_raw_dn(crt, &subject) < 0)
		return 0;
	same = same_datum(&subject, issuer_name);
	gnutls_free(subject.data);
	return same;
}

/* One step up the path: 1 when an anchor was reached, 0 when an
 * intermediate was added, -1 with the finding set. */
static int
step(struct chain *out, const struct certset *anchors,
    const struct certset *peer_pool, const struct certset *config_pool,
    struct finding *f)
{
	gnutls_x509_crt_t cur = out->crt[out->len - 1];
	gnutls_datum_t issuer_name;
	char subject[CERTNAME_MAX];
	long i;
	int ret = 0;

	if (gnutls_x509_crt_get_raw_issuer_dn(cur, &issuer_name) < 0) {
		certname_subject(cur, subject);
		return finding_set(f, MTLS_R_CERT_MALFORMED,
		    "the issuer name of '%s' cannot be read", subject);
	}
	if ((i = find_issuer(cur, &issuer_name, anchors, out)) >= 0) {
		push(out, anchors->crts[i], CHAIN_FROM_ANCHOR, (size_t)i);
		ret = 1;
	} else if (is_self_issued(cur, &issuer_name)) {
		certname_subject(cur, subject);
		ret = finding_set(f, MTLS_R_UNTRUSTED_ROOT,
		    "'%s' is self-signed and not a trust anchor; add it to "
		    "ca_file only if it is the CA you mean to trust", subject);
	} else if ((i = find_issuer(cur, &issuer_name, peer_pool, out)) >= 0)
		push(out, peer_pool->crts[i], CHAIN_FROM_PEER, (size_t)i);
	else if ((i = find_issuer(cur, &issuer_name, config_pool, out)) >= 0)
		push(out, config_pool->crts[i], CHAIN_FROM_CONFIG, (size_t)i);
	else
		ret = issuer_missing(cur, &issuer_name, anchors, peer_pool,
		    config_pool, f);
	gnutls_free(issuer_name.data);
	return ret;
}

int
chain_build(gnutls_x509_crt_t leaf, const struct certset *anchors,
    const struct certset *peer_pool, const struct certset *config_pool,
    struct chain *out, struct finding *f)
{
	char subject[CERTNAME_MAX];

	out->len = 0;
	push(out, leaf, CHAIN_FROM_PEER, 0);
	while (out->len < CHAIN_MAX) {
		int ret = step(out, anchors, peer_pool, config_pool, f);

		if (ret != 0)
			return ret > 0 ? 0 : -1;
	}
	certname_subject(leaf, subject);
	return finding_set(f, MTLS_R_CHAIN_TOO_DEEP,
	    "no path of at most %d certificates leads from '%s' to a trust "
	    "anchor", CHAIN_MAX, subject);
}
