#include "crl_signer.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "certname.h"
#include "crl.h"
#include "crtsig.h"
#include "dername.h"

/* The same trust anchor: the same certificate, or its name and key. */
static bool
same_anchor(gnutls_x509_crt_t a, gnutls_x509_crt_t b)
{
	gnutls_datum_t an = { NULL, 0 }, bn = { NULL, 0 };
	unsigned char ak[CRL_KEY_ID_LEN], bk[CRL_KEY_ID_LEN];
	bool same;

	if (a == b || gnutls_x509_crt_equals(a, b))
		return true;
	same = gnutls_x509_crt_get_raw_dn(a, &an) >= 0 &&
	    gnutls_x509_crt_get_raw_dn(b, &bn) >= 0 &&
	    dername_equal(&an, &bn) && crl_key_id(a, ak) == 0 &&
	    crl_key_id(b, bk) == 0 && memcmp(ak, bk, sizeof(ak)) == 0;
	gnutls_free(an.data);
	gnutls_free(bn.data);
	return same;
}

/*
 * Whether signer, a certificate of the name of the CA ca, was issued by ca
 * itself (a key it certifies for its CRLs, or its renewal certified by its
 * old key), by a CA of the name of ca's issuer (ca renewed where it was
 * certified), or issued ca (ca is its old key, certified by the new one,
 * self-issued): those that vouch for ca's name.  Another CA under the same
 * anchor could certify any name; its certificate of ca's name does not
 * speak for ca.  The signature on ca was judged with its path.
 */
static bool
issued_by_kin(gnutls_x509_crt_t signer, gnutls_x509_crt_t ca)
{
	gnutls_datum_t by = { NULL, 0 }, ca_name = { NULL, 0 },
	    ca_issuer = { NULL, 0 };
	bool kin;

	kin = gnutls_x509_crt_get_raw_issuer_dn(signer, &by) >= 0 &&
	    gnutls_x509_crt_get_raw_dn(ca, &ca_name) >= 0 &&
	    gnutls_x509_crt_get_raw_issuer_dn(ca, &ca_issuer) >= 0 &&
	    (dername_equal(&by, &ca_name) || dername_equal(&by, &ca_issuer));
	gnutls_free(by.data);
	gnutls_free(ca_name.data);
	gnutls_free(ca_issuer.data);
	return kin || crtsig_verify(ca, signer,
	    GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1) == 0;
}

/* A signer's path must end where the checked path does, then hold. */
static int
judge_signer_path(const struct chain *c, void *arg, struct finding *f)
{
	struct crl_signer_search *s = arg;
	char anchor[CERTNAME_MAX], ours[CERTNAME_MAX];

	s->paths_judged++;
	if (!same_anchor(c->crt[c->len - 1], s->setup->anchor)) {
		certname_subject(c->crt[c->len - 1], anchor);
		certname_subject(s->setup->anchor, ours);
		return finding_set(f, MTLS_R_CRL_INVALID, "it leads to the "
		    "trust anchor '%s', not to '%s' that the certificate's own "
		    "path ends in", anchor, ours);
	}
	return s->setup->judge(c, s->setup->arg, f);
}

/*
 * Whether a path just accepted may be remembered: the first judged (none
 * failed first, for a time that may have passed), wholly configured, to
 * the very anchor certificate it is looked up by.
 */
static bool
rememberable(const struct crl_signer_search *s, const struct chain *c,
    bool configured)
{
	if (!configured || s->paths_judged != 1 ||
	    c->crt[c->len - 1] != s->setup->anchor)
		return false;
	for (size_t i = 1; i < c->len; i++)
		if (c->source[i] == CHAIN_FROM_PEER)
			return false;
	return true;
}

/* The signer's path: remembered, or found and judged now. */
static int
signer_path(struct crl_signer_search *s, gnutls_x509_crt_t crt,
    bool configured, struct chain *c, struct finding *f)
{
	const struct crl_signer_setup *setup = s->setup;

	if (configured && setup->cache != NULL &&
	    crl_signer_cache_get(setup->cache, crt, setup->anchor, setup->now,
	    setup->clock_skew, c))
		return 0;
	s->paths_judged = 0;
	if (chain_build(crt, setup->pools, judge_signer_path, s, c, f) != 0)
		return -1;
	if (setup->cache != NULL && rememberable(s, c, configured))
		crl_signer_cache_put(setup->cache, c);
	return 0;
}

/*
 * Whether the signer's own path holds, judged once per verification: its
 * verdict is reserved before its path is judged, so that the revocation
 * of that path never rests on a CRL the signer signed itself, and no more
 * paths are judged than there are verdicts to keep.
 */
static int
path_holds(struct crl_signer_search *s, gnutls_x509_crt_t crt,
    bool configured, struct finding *f)
{
	struct crl_signer_verdict *verdict;
	struct crl_signers nested;
	struct chain c;
	int ret;

	for (size_t i = 0; i < s->njudged; i++)
		if (s->judged[i].crt == crt) {
			*f = s->judged[i].finding;
			return f->reason == MTLS_R_OK ? 0 : -1;
		}
	if (s->njudged == CRL_SIGNER_PATHS)
		return finding_set(f, MTLS_R_CRL_INVALID, "more than %d CRL "
		    "signers' paths would have to be judged, more than any "
		    "real PKI needs", CRL_SIGNER_PATHS);
	verdict = &s->judged[s->njudged++];
	verdict->crt = crt;
	finding_set(&verdict->finding, MTLS_R_CRL_INVALID, "whether it is "
	    "revoked rests on a CRL it signed itself");
	crl_signer_signers(s, &nested);
	s->depth++;
	ret = signer_path(s, crt, configured, &c, f);
	if (ret == 0)
		ret = s->setup->revocation(s->setup->arg, &c,
		    s->depth < CRL_SIGNER_DEPTH ? &nested : NULL, f);
	s->depth--;
	if (ret == 0)
		f->reason = MTLS_R_OK;
	verdict->finding = *f;
	return ret;
}

/*
 * Why other, whose key signed CRL i in the place of the CA ca, cannot
 * vouch for it, into what: "" when it can, or for a reason its CRL source
 * gave (its signature), which is then in path.  from: the pool other came
 * from.  *fatal when memory or a library failed.
 */
static void
refusal(struct crl_signer_search *s, const struct crl_source *source,
    size_t i, gnutls_x509_crt_t ca, struct crl_link *other,
    enum chain_source from, char *what, size_t whatlen,
    struct finding *path, bool *fatal)
{
	char name[CERTNAME_MAX], by[CERTNAME_MAX], above[CERTNAME_MAX];

	what[0] = '\0';
	if (source->vouched != NULL &&
	    source->vouched(source->self, i, other, path) != 0) {
		*fatal = path->reason == MTLS_R_INTERNAL;
		return;
	}
	if (!crl_issuer_vouches(NULL, other->issuer, what, whatlen))
		return;
	if (!issued_by_kin(other->issuer, ca)) {
		certname_issuer(other->issuer, by);
		certname_issuer(ca, above);
		finding_set(path, MTLS_R_CRL_INVALID, "it was issued by '%s', "
		    "neither the CA itself nor its issuer '%s', which alone "
		    "certify the CA's keys: have one of them issue it", by,
		    above);
	} else if (from != CHAIN_FROM_ANCHOR && path_holds(s, other->issuer,
	    from != CHAIN_FROM_PEER, path) == 0)
		return;
	*fatal = path->reason == MTLS_R_INTERNAL;
	certname_subject(other->issuer, name);
	if (from == CHAIN_FROM_ANCHOR && path->reason == MTLS_R_OK)
		snprintf(what, whatlen, "'%s' is a trust anchor of its own, "
		    "not the one the certificate's path ends in; configure a "
		    "certificate of its key issued under that one in "
		    "intermediates_file", name);
	else
		snprintf(what, whatlen, "'%s' cannot vouch for it", name);
}

/*
 * Whether other, of a key that signed CRL i, vouches for it: 1 yes; 0
 * no, why set (MTLS_R_CRL_INVALID); -1 with why set (MTLS_R_INTERNAL).
 */
static int
vouches(struct crl_signer_search *s, const struct crl_source *source,
    size_t i, gnutls_x509_crt_t ca, struct crl_link *other,
    enum chain_source from, struct finding *why)
{
	struct crl_facts facts = { 0 };
	struct finding path = { .reason = MTLS_R_OK };
	char issuer[CERTNAME_MAX], origin[CERTNAME_MAX];
	char what[FINDING_TEXT_MAX];
	bool fatal = false;

	refusal(s, source, i, ca, other, from, what, sizeof(what), &path,
	    &fatal);
	if (fatal || (what[0] == '\0' && path.reason != MTLS_R_OK)) {
		*why = path;	/* its signature names the CRL */
		return fatal ? -1 : 0;
	}
	if (what[0] == '\0')
		return 1;
	facts.stale_remedy = source->stale_remedy;
	source->facts(source->self, i, &facts);
	certname_issuer(other->crt, issuer);
	certname_escape((const unsigned char *)facts.origin,
	    strlen(facts.origin), origin, sizeof(origin));
	finding_set(why, MTLS_R_CRL_INVALID, "the CRL from '%s' (%s) is "
	    "signed by another key of its CA, and %s%s%s", issuer, origin,
	    what, path.reason != MTLS_R_OK ? ": " : "",
	    path.reason != MTLS_R_OK ? path.text : "");
	return 0;
}

/*
 * A configured signer remembered to speak for link->issuer
 * (crl_signer_cache_signers()) that vouches for CRL i now: its key signed
 * the CRL, which the source vouches for, and its path holds.  Anything
 * else, and the whole search decides, and explains.
 */
static bool
remembered_signer(struct crl_signer_search *s, const struct crl_source *source,
    size_t i, struct crl_link *link, gnutls_x509_crt_t *signer)
{
	gnutls_x509_crt_t known[CRL_SIGNER_CANDIDATES];
	size_t n = 0;

	if (s->setup->cache != NULL)
		n = crl_signer_cache_signers(s->setup->cache, link->issuer,
		    known, CRL_SIGNER_CANDIDATES);
	for (size_t k = 0; k < n; k++) {
		struct crl_link other = { link->crt, known[k], false, { 0 } };
		struct finding f = { .reason = MTLS_R_OK };
		bool match = false;

		if (source->signed_by(source->self, i, &other, &match,
		    &f) == 0 && match && (source->vouched == NULL ||
		    source->vouched(source->self, i, &other, &f) == 0) &&
		    path_holds(s, known[k], true, &f) == 0) {
			*signer = known[k];
			return true;
		}
	}
	return false;
}

static int
find(void *arg, const struct crl_source *source, size_t i,
    struct crl_link *link, gnutls_x509_crt_t *signer, struct finding *why)
{
	struct crl_signer_search *s = arg;
	struct crl_facts facts = { 0 };
	struct chain_candidates it;
	struct chain_candidate cand;
	struct dername name;
	struct finding refused;
	unsigned tried = 0;
	int ret = 0;

	why->reason = MTLS_R_OK;
	if (remembered_signer(s, source, i, link, signer))
		return 1;
	source->facts(source->self, i, &facts);
	if (dername_load(facts.issuer_dn, facts.issuer_dn_len, &name) != 0)
		return finding_set(why, MTLS_R_INTERNAL, "out of memory");
	chain_candidates_start(&it, s->setup->pools, &name);
	while (ret == 0 && tried < CRL_SIGNER_CANDIDATES &&
	    chain_candidates_next(&it, &cand)) {
		struct crl_link other = { link->crt, cand.crt, false, { 0 } };
		bool match = false;

		/* the issuer itself was asked before */
		if (cand.crt == link->issuer)
			continue;
		if (source->signed_by(source->self, i, &other, &match,
		    &refused) != 0) {
			*why = refused;
			ret = -1;
			break;
		}
		if (!match)
			continue;
		tried++;
		ret = vouches(s, source, i, link->issuer, &other, cand.source,
		    &refused);
		if (ret == 1) {
			*signer = cand.crt;
			if (s->setup->cache != NULL &&
			    cand.source == CHAIN_FROM_CONFIG)
				crl_signer_cache_put_signer(s->setup->cache,
				    link->issuer, cand.crt);
		} else if (ret < 0 || why->reason == MTLS_R_OK)
			*why = refused;
	}
	if (it.failed && ret == 0)
		ret = finding_set(why, MTLS_R_INTERNAL, "out of memory");
	dername_free(&name);
	return ret;
}

void
crl_signer_start(struct crl_signer_search *search,
    const struct crl_signer_setup *setup)
{
	search->setup = setup;
	search->njudged = 0;
	search->depth = 0;
	search->paths_judged = 0;
}

void
crl_signer_signers(struct crl_signer_search *search, struct crl_signers *out)
{
	out->find = find;
	out->arg = search;
}
