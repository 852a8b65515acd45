#include "chain.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "certname.h"
#include "crtsig.h"
#include "rfc5280.h"

/* Longer key identifiers than any hash makes; a longer one is unreadable. */
/* A SHA-256 hash of a public key. */
#define KEY_HASH 32

/* The state of one search. */
struct search {
	const struct chain_pools *pools;
	chain_judge_fn judge;
	void *arg;
	struct chain path;
	/* subject names and key hashes of path.crt[], for loop detection */
	struct dername subject[CHAIN_MAX];
	unsigned char key[CHAIN_MAX][KEY_HASH];
	/* key[i] is computed when a namesake first needs it: hashing a key
	 * costs a fifth of a verification, and most paths have none */
	bool have_key[CHAIN_MAX];
	unsigned tries, signatures;
	bool exhausted;		/* a bound was reached: stop */
	bool fatal;		/* the judge failed internally: stop */
	/* the most relevant failure so far, and its path when complete */
	struct finding best;
	int best_rank;
	struct chain best_path;
};

static const struct certset *
pool_set(const struct chain_pools *p, int pool)
{
	switch (pool) {
	case CHAIN_FROM_ANCHOR:
		return p->anchors;
	case CHAIN_FROM_PEER:
		return p->peer;
	case CHAIN_FROM_CONFIG:
		return p->config;
	}
	return NULL;
}

/* The pools in the order they are tried. */
static const int pool_order[] = {
	CHAIN_FROM_ANCHOR, CHAIN_FROM_PEER, CHAIN_FROM_CONFIG
};
#define POOLS (sizeof(pool_order) / sizeof(pool_order[0]))

void
chain_candidates_start(struct chain_candidates *it,
    const struct chain_pools *pools, const struct dername *name)
{
	it->pools = pools;
	it->name = name;
	it->pool = 0;
	it->next = 0;
	it->failed = false;
}

bool
chain_candidates_next(struct chain_candidates *it,
    struct chain_candidate *out)
{
	for (; (size_t)it->pool < POOLS; it->pool++, it->next = 0) {
		int source = pool_order[it->pool];
		const struct certset *set = pool_set(it->pools, source);

		size_t i;
		int found;

		/* indexed by name, configured sets cost no scan; one that
		 * cannot be imported is no candidate (certset_crt()) */
		while (set != NULL && (found = certset_next_subject(set,
		    it->name, it->next, &i)) != 0) {
			if (found < 0) {
				it->failed = true;
				return false;
			}
			it->next = i + 1;
			if ((out->crt = certset_crt(set, i)) == NULL)
				continue;
			out->source = (enum chain_source)source;
			out->index = i;
			return true;
		}
	}
	return false;
}

/* How crt's authority key identifier bears on candidate's subject key
 * identifier. */
enum key_ids {
	KEY_IDS_DIFFER,
	KEY_IDS_MATCH,
	KEY_IDS_ABSENT		/* one has none: they cannot tell */
};

/* The keyIdentifier of crt's authority key identifier, decoded once per
 * step of the search. */
struct aki {
	unsigned char id[KEY_ID_MAX];
	size_t len;		/* 0: none that can be read */
	int read;		/* what GnuTLS returned */
};

static void
aki_load(gnutls_x509_crt_t crt, struct aki *aki)
{
	unsigned critical;

	aki->len = sizeof(aki->id);
	if ((aki->read = gnutls_x509_crt_get_authority_key_id(crt, aki->id,
	    &aki->len, &critical)) < 0)
		aki->len = 0;
}

static enum key_ids
compare_key_ids(const struct aki *aki, gnutls_x509_crt_t candidate)
{
	unsigned char ski[KEY_ID_MAX];
	size_t skilen = sizeof(ski);
	unsigned critical;

	if (aki->len == 0 || gnutls_x509_crt_get_subject_key_id(candidate,
	    ski, &skilen, &critical) < 0)
		return KEY_IDS_ABSENT;
	return aki->len == skilen && memcmp(aki->id, ski, skilen) == 0 ?
	    KEY_IDS_MATCH : KEY_IDS_DIFFER;
}

/*
 * Whether candidate's key made crt's signature, whatever else is wrong
 * with the pair (the judge decides that).
 */
static bool
key_signed(gnutls_x509_crt_t crt, gnutls_x509_crt_t candidate)
{
	return crtsig_verify(crt, candidate, GNUTLS_VERIFY_ALLOW_BROKEN |
	    GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1) == 0;
}

/* A key that cannot be hashed hashes to zeros: such a certificate
 * verifies nothing anyway. */
static void
key_hash(gnutls_x509_crt_t crt, unsigned char out[KEY_HASH])
{
	size_t len = KEY_HASH;

	if (gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256, out,
	    &len) < 0 || len != KEY_HASH)
		memset(out, 0, KEY_HASH);
}

/*
 * A loop (RFC 4158 5.2): the path already holds a certificate of this
 * subject name and key above the client certificate, the candidate
 * itself, a copy of it, or another certificate for the same CA, as when
 * two CAs cross-sign each other.  The client certificate does not count:
 * a CA certificate sent as one reaches its anchor and is refused as
 * what it is.
 */
static bool
makes_loop(struct search *s, const struct dername *name,
    gnutls_x509_crt_t candidate)
{
	unsigned char key[KEY_HASH];
	bool hashed = false;

	for (size_t i = 1; i < s->path.len; i++) {
		if (s->path.crt[i] == candidate)
			return true;
		if (!dername_same(&s->subject[i], name))
			continue;
		if (!hashed)
			key_hash(candidate, key);
		hashed = true;
		if (!s->have_key[i])
			key_hash(s->path.crt[i], s->key[i]);
		s->have_key[i] = true;
		if (memcmp(s->key[i], key, KEY_HASH) == 0)
			return true;
	}
	return false;
}

/* Why push() failed. */
#define PUSH_UNREADABLE (-1)
#define PUSH_NO_MEMORY (-2)

static int
push(struct search *s, gnutls_x509_crt_t crt, enum chain_source source,
    size_t index)
{
	struct chain *c = &s->path;
	gnutls_datum_t der;
	int ret;

	ret = gnutls_x509_crt_get_raw_dn(crt, &der);
	if (ret < 0)
		return ret == GNUTLS_E_MEMORY_ERROR ? PUSH_NO_MEMORY :
		    PUSH_UNREADABLE;
	ret = dername_load(der.data, der.size, &s->subject[c->len]);
	gnutls_free(der.data);
	if (ret != 0)
		return PUSH_NO_MEMORY;
	s->have_key[c->len] = false;
	c->aki[c->len] = CHAIN_AKI_UNREAD;
	c->crt[c->len] = crt;
	c->source[c->len] = source;
	c->index[c->len] = index;
	c->len++;
	return 0;
}

static void
pop(struct search *s)
{
	s->path.len--;
	dername_free(&s->subject[s->path.len]);
}

/*
 * Keep f when it is more relevant than what was kept: a failure of a
 * complete path over a dead end, a longer path over a shorter one, and
 * the first of equals.
 */
static void
keep_failure(struct search *s, const struct finding *f, bool complete)
{
	int rank = (int)s->path.len + (complete ? CHAIN_MAX + 1 : 0);

	if (rank <= s->best_rank)
		return;
	s->best = *f;
	s->best_rank = rank;
	if (complete)
		s->best_path = s->path;
	else
		s->best_path.len = 0;
}

static void
exhaust(struct search *s, const char *what, unsigned bound)
{
	char subject[CERTNAME_MAX];

	certname_subject(s->path.crt[0], subject);
	finding_set(&s->best, MTLS_R_WORK_LIMIT, "finding a path from '%s' to "
	    "a trust anchor needed more than %u %s, more than any real PKI "
	    "does: many CA certificates share the names on the way; remove "
	    "the ones that lead nowhere from intermediates_file, or have the "
	    "client send only its own chain", subject, bound, what);
	s->best_path.len = 0;
	s->exhausted = true;
}

/* The authority key identifier of crt names another key than namesake's,
 * the only certificate of its issuer's name. */
static void
other_key(gnutls_x509_crt_t crt, gnutls_x509_crt_t namesake,
    struct finding *f)
{
	unsigned char aki[KEY_ID_MAX], ski[KEY_ID_MAX];
	size_t akilen = sizeof(aki), skilen = sizeof(ski);
	char subject[CERTNAME_MAX], issuer[CERTNAME_MAX];
	char *akihex = NULL, *skihex = NULL;
	unsigned critical;

	if (gnutls_x509_crt_get_authority_key_id(crt, aki, &akilen,
	    &critical) >= 0)
		akihex = certname_hex_alloc(aki, akilen);
	if (gnutls_x509_crt_get_subject_key_id(namesake, ski, &skilen,
	    &critical) >= 0)
		skihex = certname_hex_alloc(ski, skilen);
	certname_subject(crt, subject);
	certname_subject(namesake, issuer);
	finding_set(f, MTLS_R_KEY_IDENTIFIER, "'%s' was issued by the CA key "
	    "%s, but its issuer '%s' has key %s; configure the issuer "
	    "certificate with that key, or reissue the certificate from the "
	    "current one", subject, akihex != NULL ? akihex : "?", issuer,
	    skihex != NULL ? skihex : "?");
	free(akihex);
	free(skihex);
}

/*
 * Nothing issued the certificate on top of the path.  named: how many
 * certificates carry its issuer's name; namesake: the first of them.
 */
static void
dead_end(struct search *s, const struct dername *issuer_name,
    const struct aki *aki, size_t named, gnutls_x509_crt_t namesake)
{
	gnutls_x509_crt_t cur = s->path.crt[s->path.len - 1];
	char subject[CERTNAME_MAX], issuer[CERTNAME_MAX];
	struct finding f;

	certname_subject(cur, subject);
	certname_issuer(cur, issuer);
	if (dername_same(&s->subject[s->path.len - 1], issuer_name) &&
	    compare_key_ids(aki, cur) != KEY_IDS_DIFFER)
		finding_set(&f, MTLS_R_UNTRUSTED_ROOT, "'%s' is self-signed "
		    "and not a trust anchor; add it to ca_file only if it is "
		    "the CA you mean to trust", subject);
	else if (named == 1 && compare_key_ids(aki, namesake) ==
	    KEY_IDS_DIFFER)
		other_key(cur, namesake, &f);
	else if (named > 0)
		finding_set(&f, MTLS_R_ISSUER_NOT_FOUND, "a certificate named "
		    "'%s' is known, but none that leads from '%s' to a trust "
		    "anchor (neither its authority key identifier nor its "
		    "signature matches one, or the path above it fails): add "
		    "the CA certificate with that key, e.g. the renewed CA, "
		    "to ca_file or intermediates_file", issuer, subject);
	else
		finding_set(&f, MTLS_R_ISSUER_NOT_FOUND, "issuer '%s' of '%s' "
		    "is neither a trust anchor nor a known intermediate; add "
		    "its certificate to intermediates_file (or ca_file if it "
		    "is a root), or have the client send it", issuer, subject);
	keep_failure(s, &f, false);
}

/* Whether candidate issued the certificate on top of the path, as far as
 * key identifiers or, when they cannot tell, the signature show. */
static bool
plausible_issuer(struct search *s, const struct aki *aki,
    gnutls_x509_crt_t candidate)
{
	gnutls_x509_crt_t cur = s->path.crt[s->path.len - 1];

	switch (compare_key_ids(aki, candidate)) {
	case KEY_IDS_MATCH:
		return true;
	case KEY_IDS_DIFFER:
		return false;
	case KEY_IDS_ABSENT:
		break;
	}
	if (s->signatures >= CHAIN_MAX_SIGNATURES) {
		exhaust(s, "signature checks", CHAIN_MAX_SIGNATURES);
		return false;
	}
	s->signatures++;
	return key_signed(cur, candidate);
}

/* The path reached an anchor: 1 when the judge accepts it. */
static int
judge_path(struct search *s)
{
	struct finding f;

	/* judging verifies the signature of every link */
	if (s->signatures + s->path.len - 1 > CHAIN_MAX_SIGNATURES) {
		exhaust(s, "signature checks", CHAIN_MAX_SIGNATURES);
		return 0;
	}
	s->signatures += (unsigned)(s->path.len - 1);
	if (s->judge(&s->path, s->arg, &f) == 0)
		return 1;
	if (f.reason == MTLS_R_INTERNAL) {
		s->best = f;
		s->best_path = s->path;
		s->fatal = true;
		return 0;
	}
	keep_failure(s, &f, true);
	return 0;
}

static bool
stopped(const struct search *s)
{
	return s->exhausted || s->fatal;
}

/*
 * Extend the path by each candidate issuer of its top certificate in
 * turn, depth first: 1 when a path was accepted (it is s->path), 0 when
 * none was.
 */
static int
extend(struct search *s)
{
	gnutls_x509_crt_t cur = s->path.crt[s->path.len - 1];
	gnutls_datum_t der;
	struct dername issuer_name;
	struct chain_candidates it;
	struct chain_candidate cand;
	struct finding f;
	char subject[CERTNAME_MAX];
	gnutls_x509_crt_t namesake = NULL;
	struct aki aki;
	size_t named = 0;
	bool tried = false;
	int found = 0, ret;

	ret = gnutls_x509_crt_get_raw_issuer_dn(cur, &der);
	if (ret < 0 && ret != GNUTLS_E_MEMORY_ERROR) {
		certname_subject(cur, subject);
		finding_set(&f, MTLS_R_CERT_MALFORMED, "the issuer name of "
		    "'%s' cannot be read", subject);
		keep_failure(s, &f, false);
		return 0;
	}
	if (ret == 0) {
		ret = dername_load(der.data, der.size, &issuer_name);
		gnutls_free(der.data);
	}
	if (ret != 0) {
		finding_set(&s->best, MTLS_R_INTERNAL, "out of memory");
		s->best_path.len = 0;
		s->fatal = true;
		return 0;
	}
	aki_load(cur, &aki);
	s->path.aki[s->path.len - 1] = aki.read;
	chain_candidates_start(&it, s->pools, &issuer_name);
	while (!found && !stopped(s) && chain_candidates_next(&it, &cand)) {
		if (named++ == 0)
			namesake = cand.crt;
		if (!plausible_issuer(s, &aki, cand.crt))
			continue;
		if (s->tries >= CHAIN_MAX_TRIES) {
			exhaust(s, "candidate issuers", CHAIN_MAX_TRIES);
			break;
		}
		s->tries++;
		if (makes_loop(s, &issuer_name, cand.crt))
			continue;
		tried = true;
		if (s->path.len == CHAIN_MAX) {
			certname_subject(s->path.crt[0], subject);
			finding_set(&f, MTLS_R_CHAIN_TOO_DEEP, "no path of at "
			    "most %d certificates leads from '%s' to a trust "
			    "anchor", CHAIN_MAX, subject);
			keep_failure(s, &f, false);
			break;
		}
		if (push(s, cand.crt, cand.source, cand.index) != 0) {
			finding_set(&s->best, MTLS_R_INTERNAL, "out of memory");
			s->best_path.len = 0;
			s->fatal = true;
			break;
		}
		found = cand.source == CHAIN_FROM_ANCHOR ? judge_path(s) :
		    extend(s);
		if (!found)
			pop(s);
	}
	if (it.failed && !stopped(s)) {
		finding_set(&s->best, MTLS_R_INTERNAL, "out of memory");
		s->best_path.len = 0;
		s->fatal = true;
	}
	if (!tried && !stopped(s))
		dead_end(s, &issuer_name, &aki, named, namesake);
	dername_free(&issuer_name);
	return found;
}

int
chain_build(gnutls_x509_crt_t leaf, const struct chain_pools *pools,
    chain_judge_fn judge, void *arg, struct chain *out, struct finding *f)
{
	struct search s;
	int found, ret;

	out->len = 0;
	memset(&s, 0, sizeof(s));
	s.pools = pools;
	s.judge = judge;
	s.arg = arg;
	s.best_rank = -1;
	ret = push(&s, leaf, CHAIN_FROM_PEER, 0);
	if (ret == PUSH_NO_MEMORY)
		return finding_set(f, MTLS_R_INTERNAL, "out of memory");
	if (ret != 0)
		return finding_set(f, MTLS_R_CERT_MALFORMED, "the subject name "
		    "of the client certificate cannot be read");
	found = extend(&s);
	if (found)
		*out = s.path;
	while (s.path.len > 0)
		pop(&s);
	if (found)
		return 0;
	*out = s.best_path;
	*f = s.best;
	if (s.best_rank < 0 && !stopped(&s))
		return finding_set(f, MTLS_R_INTERNAL, "the path search ended "
		    "without a finding");
	return -1;
}
