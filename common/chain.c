#include "chain.h"

#include <string.h>

#include "certname.h"

static int
in_path(const struct chain *c, gnutls_x509_crt_t crt)
{
	for (size_t i = 0; i < c->len; i++)
		if (c->crt[i] == crt || gnutls_x509_crt_equals(c->crt[i], crt))
			return 1;
	return 0;
}

/*
 * The issuer of crt in set that is not already in the path: the name must
 * match and, when both carry key identifiers, the identifiers too
 * (gnutls_x509_crt_check_issuer compares both).  Returns the index or -1.
 */
static long
find_issuer(gnutls_x509_crt_t crt, const struct certset *set,
    const struct chain *c)
{
	if (set == NULL)
		return -1;
	for (size_t i = 0; i < set->count; i++)
		if (gnutls_x509_crt_check_issuer(crt, set->crts[i]) &&
		    !in_path(c, set->crts[i]))
			return (long)i;
	return -1;
}

/* Is some certificate in set named like crt's issuer, key aside? */
static int
named_in(gnutls_x509_crt_t crt, const struct certset *set)
{
	gnutls_datum_t want, name;

	if (set == NULL || gnutls_x509_crt_get_raw_issuer_dn(crt, &want) < 0)
		return 0;
	for (size_t i = 0; i < set->count; i++) {
		int same;

		if (gnutls_x509_crt_get_raw_dn(set->crts[i], &name) < 0)
			continue;
		same = name.size == want.size &&
		    memcmp(name.data, want.data, want.size) == 0;
		gnutls_free(name.data);
		if (same) {
			gnutls_free(want.data);
			return 1;
		}
	}
	gnutls_free(want.data);
	return 0;
}

static int
issuer_missing(gnutls_x509_crt_t cur, const struct certset *anchors,
    const struct certset *peer_pool, const struct certset *config_pool,
    struct finding *f)
{
	char subject[CERTNAME_MAX], issuer[CERTNAME_MAX];

	certname_subject(cur, subject);
	certname_issuer(cur, issuer);
	if (named_in(cur, anchors) || named_in(cur, peer_pool) ||
	    named_in(cur, config_pool))
		return finding_set(f, MTLS_R_ISSUER_NOT_FOUND,
		    "a certificate named '%s' is known, but not the key that "
		    "issued '%s' (the authority key identifier differs): add "
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

int
chain_build(gnutls_x509_crt_t leaf, const struct certset *anchors,
    const struct certset *peer_pool, const struct certset *config_pool,
    struct chain *out, struct finding *f)
{
	char subject[CERTNAME_MAX];

	out->len = 0;
	push(out, leaf, CHAIN_FROM_PEER, 0);
	while (out->len < CHAIN_MAX) {
		gnutls_x509_crt_t cur = out->crt[out->len - 1];
		long i;

		if ((i = find_issuer(cur, anchors, out)) >= 0) {
			push(out, anchors->crts[i], CHAIN_FROM_ANCHOR, (size_t)i);
			return 0;
		}
		if (gnutls_x509_crt_check_issuer(cur, cur)) {
			certname_subject(cur, subject);
			return finding_set(f, MTLS_R_UNTRUSTED_ROOT,
			    "'%s' is self-signed and not a trust anchor; add it "
			    "to ca_file only if it is the CA you mean to trust",
			    subject);
		}
		if ((i = find_issuer(cur, peer_pool, out)) >= 0)
			push(out, peer_pool->crts[i], CHAIN_FROM_PEER,
			    (size_t)i);
		else if ((i = find_issuer(cur, config_pool, out)) >= 0)
			push(out, config_pool->crts[i], CHAIN_FROM_CONFIG,
			    (size_t)i);
		else
			return issuer_missing(cur, anchors, peer_pool,
			    config_pool, f);
	}
	certname_subject(leaf, subject);
	return finding_set(f, MTLS_R_CHAIN_TOO_DEEP,
	    "no path of at most %d certificates leads from '%s' to a trust "
	    "anchor", CHAIN_MAX, subject);
}
