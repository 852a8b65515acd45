/*
 * verify.c - one verification, start to finish.
 *
 * The order of the checks decides which reason an administrator reads
 * when several apply: first whether the certificate can be read and
 * placed under a trust anchor, then whether it is authentic (signatures),
 * then whether it is well-formed (RFC 5280), current, and within policy,
 * then whether it is revoked, and last who it is.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "audit.h"
#include "certname.h"
#include "chain.h"
#include "crl_signer.h"
#include "crlext.h"
#include "crtsig.h"
#include "ctx.h"
#include "described.h"
#include "generalname.h"
#include "keylimits.h"
#include "notes.h"
#include "pathcache.h"
#include "policy.h"
#include "policygraph.h"
#include "request.h"
#include "rfc5280.h"
#include "sigcache.h"
#include "verdict.h"

/* The first name of the kind, escaped for a verdict; NULL when none. */
static int
record_alt_name(gnutls_subject_alt_names_t sans, enum generalname_kind kind,
    char **out)
{
	gnutls_datum_t name;
	char shown[CERTNAME_MAX];

	if (generalname_find(sans, kind, &name) <= 0)
		return 0;
	certname_escape(name.data, name.size, shown, sizeof(shown));
	gnutls_free(name.data);
	return (*out = strdup(shown)) == NULL ? -1 : 0;
}

/*
 * What a door may want to know of the client certificate, whether or
 * not it is accepted.  A subjectAltName that does not decode gives no
 * names here; the checks say what is wrong with it.  The stand-in of a
 * described certificate has no fingerprint or validity of its own.
 */
static int
record_facts(struct mtls_verdict *v, gnutls_x509_crt_t leaf,
    const struct mtls_request *req, bool by_description)
{
	const char *subject = req->described[MTLS_DESCRIBED_SUBJECT];
	gnutls_subject_alt_names_t sans;
	int ret = 0;

	v->subject = by_description && subject != NULL ? strdup(subject) :
	    certname_dn_alloc(leaf, 0);
	v->issuer = certname_dn_alloc(leaf, 1);
	v->serial = certname_serial_alloc(leaf);
	if (v->subject == NULL || v->issuer == NULL || v->serial == NULL)
		return -1;
	if (!by_description) {
		v->fingerprint = certname_fingerprint_alloc(leaf);
		v->not_before = gnutls_x509_crt_get_activation_time(leaf);
		v->not_after = gnutls_x509_crt_get_expiration_time(leaf);
		if (v->fingerprint == NULL)
			return -1;
	}
	if (generalname_load_san(leaf, &sans) <= 0)
		return 0;
	if (record_alt_name(sans, GENERALNAME_EMAIL, &v->email) != 0 ||
	    record_alt_name(sans, GENERALNAME_UPN, &v->upn) != 0)
		ret = -1;
	gnutls_subject_alt_names_deinit(sans);
	return ret;
}

/* Where the certificate at position i of the path sits in state->known, or
 * -1 when the client sent it. */
static long
known_index(const struct ctx_state *state, const struct chain *c, size_t i)
{
	switch (c->source[i]) {
	case CHAIN_FROM_ANCHOR:
		return (long)c->index[i];
	case CHAIN_FROM_CONFIG:
		return (long)(state->anchors.count + c->index[i]);
	case CHAIN_FROM_PEER:
		break;
	}
	return -1;
}

static int
record_chain(const struct ctx_state *state, struct mtls_verdict *v,
    const struct chain *c)
{
	v->chain = calloc(c->len, sizeof(*v->chain));
	if (v->chain == NULL)
		return -1;
	for (size_t i = 0; i < c->len; i++) {
		long k = known_index(state, c, i);

		v->chain[i] = i == 0 ? strdup(v->subject) :
		    k >= 0 && state->names != NULL ? strdup(state->names[k]) :
		    certname_dn_alloc(c->crt[i], 0);
		if (v->chain[i] == NULL)
			return -1;
		v->chain_len++;
	}
	return 0;
}

/*
 * What the request stands for, into peer: the certificates the client
 * sent, or the stand-in of a described one.
 */
static int
parse_input(const struct ctx_state *state, const struct mtls_request *req,
    bool by_description, struct certset *peer, struct finding *f)
{
	char why[256];
	int ret;

	if (by_description) {
		if (req->cert.data != NULL || req->nuntrusted > 0)
			return finding_set(f, MTLS_R_CERT_MALFORMED, "the "
			    "request holds both a certificate and a "
			    "description of one; give either");
		if ((peer->crts = calloc(1, sizeof(*peer->crts))) == NULL)
			return finding_set(f, MTLS_R_INTERNAL,
			    "out of memory");
		if (described_leaf(req->described, &state->known, state->names,
		    &peer->crts[0], f) != 0)
			return -1;
		peer->count = 1;
		return 0;
	}
	if (req->oversized)
		return finding_set(f, MTLS_R_CERT_MALFORMED,
		    "the client sent a certificate input over %d bytes; no "
		    "real client certificate is that large",
		    CERTSET_MAX_PEER_BYTES);
	if (req->too_many)
		return finding_set(f, MTLS_R_CHAIN_TOO_LONG,
		    "the client sent more than %d certificate inputs; no "
		    "real path needs that many", REQUEST_MAX_UNTRUSTED);
	ret = certset_add_data(peer, req->cert.data, req->cert.len,
	    CERTSET_MAX_PEER, why, sizeof(why));
	for (size_t i = 0; ret == 0 && i < req->nuntrusted; i++)
		ret = certset_add_data(peer, req->untrusted[i].data,
		    req->untrusted[i].len, CERTSET_MAX_PEER, why, sizeof(why));
	if (ret == CERTSET_TOO_MANY)
		return finding_set(f, MTLS_R_CHAIN_TOO_LONG,
		    "the client sent %s; no real path needs that many",
		    why);
	if (ret == CERTSET_NO_MEMORY)
		return finding_set(f, MTLS_R_INTERNAL, "out of memory reading "
		    "the client certificate");
	if (ret != 0)
		return finding_set(f, MTLS_R_CERT_MALFORMED,
		    "the client certificate cannot be read: %s", why);
	/* before any signature is checked with one of their keys */
	for (size_t i = 0; i < peer->count; i++)
		if (keylimits_check(peer->crts[i], why, sizeof(why)) != 0) {
			char name[CERTNAME_MAX];

			certname_subject(peer->crts[i], name);
			return finding_set(f, MTLS_R_KEY_TOO_LARGE,
			    "the client sent '%s' with %s; no CA issues such "
			    "keys, so it is refused unchecked", name, why);
		}
	return 0;
}

/* Name the first link whose signature fails, for the explanation. */
static int
signature_finding(const struct ctx_state *state, const struct chain *c,
    struct finding *f)
{
	char subject[CERTNAME_MAX], issuer[CERTNAME_MAX];

	for (size_t i = 0; i + 1 < c->len; i++) {
		if (crtsig_verify(c->crt[i], c->crt[i + 1],
		    state->verify_flags) != GNUTLS_E_PK_SIG_VERIFY_FAILED)
			continue;
		certname_subject(c->crt[i], subject);
		certname_subject(c->crt[i + 1], issuer);
		finding_set(f, MTLS_R_SIGNATURE_INVALID,
		    "the signature on '%s' does not verify with the key of "
		    "'%s': the certificate was altered or issued by another "
		    "key of the same name", subject, issuer);
		return finding_at(f, i);
	}
	certname_subject(c->crt[0], subject);
	return finding_set(f, MTLS_R_SIGNATURE_INVALID,
	    "a signature in the path of '%s' does not verify", subject);
}

/*
 * The RFC 5280 rules, with what configure decided for known issuers.  The
 * rules of a client certificate hold for c->crt[0] when client is set;
 * a CRL signer's certificate (crl_signer.h) is held to those of every
 * certificate, and those of a CA where it issues.
 */
static int
check_rules(const struct ctx_state *state, const struct chain *c,
    bool client, struct finding *f)
{
	/* the authority key identifiers as the path search read them */
	if (rfc5280_check_cert(c->crt[0], f) != 0 || (client &&
	    rfc5280_check_leaf_aki(c->crt[0], c->aki[0], f) != 0))
		return finding_at(f, 0);
	for (size_t i = 1; i < c->len; i++) {
		long k = known_index(state, c, i);

		if (k < 0) {
			if (rfc5280_check_cert(c->crt[i], f) != 0 ||
			    rfc5280_check_ca_aki(c->crt[i], c->aki[i], f) != 0)
				return finding_at(f, i);
		} else if (state->defect[k].reason != MTLS_R_OK) {
			*f = state->defect[k];
			f->depth = (int)i;
			return -1;
		}
	}
	return rfc5280_check_path((gnutls_x509_crt_t *)c->crt, c->len, f);
}

/* The RFC 5280 rules, certificate policies included. */
static int
check_structure(const struct ctx_state *state, const struct chain *c,
    char *policy, struct finding *f)
{
	if (check_rules(state, c, true, f) != 0)
		return -1;
	return policygraph_check(&state->policy, (gnutls_x509_crt_t *)c->crt,
	    c->len, policy, VERDICT_POLICY_MAX, f);
}

/*
 * What GnuTLS said of a path besides its signatures, once the rules are
 * judged.  GnuTLS counts self-issued CAs against pathLenConstraint, which
 * RFC 5280 6.1.4 (l) does not; the signer's constraints it knows
 * (basicConstraints, keyCertSign, pathLenConstraint, name constraints)
 * check_rules() has judged, by the RFC.
 */
static int
check_status(gnutls_x509_crt_t *crt, size_t len, unsigned status,
    struct finding *f)
{
	gnutls_datum_t text = { NULL, 0 };
	char subject[CERTNAME_MAX];
	int ret;

	status &= ~(unsigned)GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE;
	if (status == GNUTLS_CERT_INVALID)
		status = 0;
	if (status == 0)
		return 0;
	if (rfc5280_check_key_ids(crt, len, f) != 0)
		return -1;
	certname_subject(crt[0], subject);
	gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509,
	    &text, 0);
	ret = finding_set(f, MTLS_R_CHAIN_INVALID, "GnuTLS refused the path "
	    "of '%s': %s", subject, text.data != NULL ? (char *)text.data :
	    "no reason given");
	gnutls_free(text.data);
	return ret;
}

/*
 * The time a verification judges as of: the request's, which is exact, or
 * the host's, which may be behind a CA's clock by up to policy.clock_skew.
 */
struct as_of {
	time_t now;
	unsigned skew;	/* how far a "valid from" may lie after now */
};

/*
 * chain[0] .. chain[n-1] (a path, or its upper part) by CRL, from the
 * index the verification holds (check_revocation()) and the configured
 * files it does not hold, as one.
 */
static int
check_crls(const struct ctx_state *state, const struct crl_index *index,
    gnutls_x509_crt_t *chain, size_t n, enum mtls_crl_require require,
    const struct as_of *at, const struct crl_signers *signers,
    enum mtls_revocation_source *source, struct crl_read *read,
    struct finding *f)
{
	struct crl_source indexed, files;

	*source = crl_index_count(index) > 0 ? MTLS_REVSRC_CRL_INDEX :
	    MTLS_REVSRC_CRL_FILE;
	crl_index_source(index, &indexed);
	crl_store_source(state->crls, &files);
	return crl_coverage_check_both(&indexed, &files, signers,
	    &state->policy, chain, n, require, state->stale_grace, at->skew,
	    at->now, read, f);
}

/*
 * What CA certificates need: a CRL that covers them, under
 * revocation.crl_require = "chain"; otherwise only not to be listed on
 * one that does.
 */
static enum mtls_crl_require
ca_require(const struct ctx_state *state)
{
	return state->crl_require == MTLS_CRL_REQUIRE_CHAIN ?
	    MTLS_CRL_REQUIRE_CHAIN : MTLS_CRL_REQUIRE_NONE;
}

/* What judging the path of a CRL's signer needs (crl_signer.h). */
struct signer_judge {
	const struct ctx_state *state;
	const struct crl_index *index;	/* the verification's */
	const struct as_of *at;
};

/*
 * The path of another key's certificate that signed a CRL: signatures,
 * the RFC 5280 rules, validity and the strength of its keys and
 * signatures, as for a client's path (a key too weak to certify a client
 * decides no revocation either), but not the rest of the profile's
 * policy, which is about clients.
 */
static int
judge_crl_signer(const struct chain *c, void *arg, struct finding *f)
{
	const struct signer_judge *sj = arg;
	gnutls_x509_crt_t *crt = (gnutls_x509_crt_t *)c->crt;
	unsigned status = 0;

	if (sigcache_verify_path(sj->state->sigcache, crt, c->len,
	    sj->state->verify_flags, &status) < 0)
		return finding_set(f, MTLS_R_INTERNAL,
		    "GnuTLS could not verify");
	if (status & GNUTLS_CERT_SIGNATURE_FAILURE)
		return signature_finding(sj->state, c, f);
	if (check_rules(sj->state, c, false, f) != 0 ||
	    policy_check_validity(crt, c->len, sj->at->now, sj->at->skew,
	    f) != 0 ||
	    policy_check_strength(&sj->state->policy, crt, c->len,
	    "CRL signer", f) != 0)
		return -1;
	return check_status(crt, c->len, status, f);
}

/* A CRL signer's path is checked by CRL as a path's CA certificates are
 * (check_revocation()). */
static int
crl_signer_revocation(void *arg, const struct chain *c,
    const struct crl_signers *signers, struct finding *f)
{
	const struct signer_judge *sj = arg;
	enum mtls_revocation_source source;

	return check_crls(sj->state, sj->index, (gnutls_x509_crt_t *)c->crt,
	    c->len, ca_require(sj->state), sj->at, signers, &source, NULL, f);
}

static bool
uses_crls(const struct ctx_state *state)
{
	for (size_t i = 0; i < state->nmethods; i++)
		if (state->methods[i] == MTLS_REV_CRL)
			return true;
	return false;
}

/* Could another source still settle what this finding leaves open? */
static bool
undecided(const struct finding *f)
{
	switch (f->reason) {
	case MTLS_R_CRL_MISSING:
	case MTLS_R_CRL_STALE:
	case MTLS_R_CRL_INVALID:
	case MTLS_R_REVOCATION_UNAVAILABLE:
		return true;
	default:
		return false;
	}
}

static const char ocsp_soft_failed[] = "the OCSP responder gave no usable "
    "answer; accepted because revocation.ocsp_soft_fail is set";

/*
 * The note of a verdict whose client certificate a delta CRL spoke for,
 * with its complete CRL: which two, by number, so that "mtls verify"
 * shows what decided.  The check kept the numbers alone; they are
 * written out only for a verdict that says so.
 */
static void
note_delta_read(struct mtls_verdict *v, const struct crl_read *read)
{
	char base[CRLEXT_NUMBER_SHOWN_MAX], delta[CRLEXT_NUMBER_SHOWN_MAX];

	crlext_number_shown(read->base, base);
	crlext_number_shown(read->number, delta);
	snprintf(v->crl_note, sizeof(v->crl_note), "the client certificate "
	    "was checked against its CA's complete CRL #%s and delta CRL #%s",
	    base, delta);
	notes_add(&v->notes, v->crl_note);
}

/*
 * The client certificate by the methods in the configured order: the
 * first definitive answer wins, and is the verdict's revocation source.
 * A source that cannot answer (no covering CRL, a stale one, an
 * unreachable responder, or, offline, no cached OCSP answer) hands over
 * to the next; when none is left, its reason rejects, except that OCSP
 * may soft-fail.  Offline it does not: the check made with the network
 * decides, and *owed says so.  With deferrable (a request the network
 * can still settle), a good answer of a later source does not settle
 * what an earlier one owes: the responder, asked first, may know of a
 * revocation that a CRL does not list yet.
 */
static int
check_client_revocation(const struct ctx_state *state,
    const struct crl_index *index, struct chain *c, const struct as_of *at,
    const struct crl_signers *signers, bool offline, bool deferrable,
    struct ocsp_id *id, struct mtls_verdict *v, bool *owed)
{
	struct finding *f = &v->finding;
	struct finding unasked = { .reason = MTLS_R_OK, .depth = -1 };
	struct ocsp_settings ocsp = state->ocsp_settings;
	struct crl_read read = { .delta = false };

	ocsp.clock_skew = at->skew;

	for (size_t i = 0; i < state->nmethods; i++) {
		bool last = i + 1 == state->nmethods;
		struct ocsp_call call = { offline, false, false, id };
		enum mtls_revocation_source source = MTLS_REVSRC_NONE;
		int ret;

		switch (state->methods[i]) {
		case MTLS_REV_CRL:
			ret = check_crls(state, index, c->crt, 2,
			    state->crl_require, at, signers, &source, &read, f);
			break;
		case MTLS_REV_OCSP:
			ret = ocsp_check(state->ocsp, &ocsp, c->crt[0],
			    c->crt[1], at->now, &call, f);
			source = call.cached ? MTLS_REVSRC_OCSP_CACHED :
			    MTLS_REVSRC_OCSP_LIVE;
			*owed = *owed || call.owed;
			if (call.owed)
				unasked = *f;
			if (ret != 0 && last && !*owed &&
			    state->ocsp_soft_fail &&
			    f->reason == MTLS_R_REVOCATION_UNAVAILABLE) {
				notes_add(&v->notes, ocsp_soft_failed);
				v->revocation_source = MTLS_REVSRC_SOFT_FAIL;
				return 0;
			}
			break;
		default:
			/* settles nothing: fail closed */
			ret = finding_set(f, MTLS_R_INTERNAL, "unknown "
			    "revocation method %d", (int)state->methods[i]);
			break;
		}
		if (ret == 0 && *owed && deferrable) {
			*f = unasked;
			return finding_at(f, 0);
		}
		if (ret == 0 || !undecided(f)) {
			v->revocation_source = source;
			*owed = false;
			if (ret == 0 && read.delta)
				note_delta_read(v, &read);
			return ret == 0 ? 0 : finding_at(f, 0);
		}
		if (last)
			return finding_at(f, 0);
	}
	return 0;
}

/*
 * CRLs speak for every certificate of the path, OCSP only for the client
 * certificate.  So the CA certificates are judged by their CRLs alone,
 * whenever "crl" is a method and whatever the order: no answer about the
 * client certificate, nor its soft failure, settles what those leave
 * open.  A revocation of the client certificate is still the reason
 * given when both apply.  Nor can the network settle what they leave
 * open: their CRLs are never fetched by a verification.
 */
static int
check_revocation_in(const struct ctx_state *state,
    const struct crl_index *index, struct chain *c,
    const struct chain_pools *pools, const struct as_of *at, bool offline,
    bool deferrable, struct ocsp_id *id, struct mtls_verdict *v, bool *owed)
{
	struct finding *f = &v->finding;
	struct finding above = { .reason = MTLS_R_OK, .depth = -1 };
	enum mtls_revocation_source source;
	struct signer_judge judge = { state, index, at };
	const struct crl_signer_setup setup = { pools, c->crt[c->len - 1],
	    judge_crl_signer, crl_signer_revocation, &judge,
	    state->crl_signers, at->now, at->skew };
	struct crl_signer_search search;
	struct crl_signers signers;

	crl_signer_start(&search, &setup);
	crl_signer_signers(&search, &signers);
	if (uses_crls(state) && c->len > 2 && check_crls(state, index,
	    c->crt + 1, c->len - 1, ca_require(state), at, &signers, &source,
	    NULL, f) != 0) {
		if (f->depth >= 0)
			f->depth++;
		if (!undecided(f))
			return -1;
		above = *f;
	}
	if (check_client_revocation(state, index, c, at, &signers, offline,
	    deferrable, id, v, owed) != 0) {
		if (above.reason == MTLS_R_OK)
			return -1;
		/* what the network would settle is not what refuses */
		if (*owed)
			*f = above;
		*owed = false;
		return -1;
	}
	if (above.reason == MTLS_R_OK)
		return 0;
	v->notes.count = 0;
	*f = above;
	return -1;
}

/*
 * check_revocation_in() with the CRL index as published: one index for
 * the whole verification, the client certificate's CRLs, its CAs' and
 * their signers' alike (taking up a newer one an update published
 * meanwhile, crl_index_live.h), held once, since each hold takes a lock.
 */
static int
check_revocation(const struct ctx_state *state, struct chain *c,
    const struct chain_pools *pools, const struct as_of *at, bool offline,
    bool deferrable, struct ocsp_id *id, struct mtls_verdict *v, bool *owed)
{
	struct crl_index_hold *hold = NULL;
	int ret;

	if (state->crl_index != NULL && uses_crls(state))
		hold = crl_index_live_hold(state->crl_index);
	ret = check_revocation_in(state, hold != NULL ? crl_index_held(hold) :
	    NULL, c, pools, at, offline, deferrable, id, v, owed);
	if (hold != NULL)
		crl_index_live_release(state->crl_index, hold);
	return ret;
}

/* What judging a path needs to know of the verification. */
struct path_judge {
	const struct ctx_state *state;
	const struct as_of *at;
	struct notes *notes;	/* of the path judged last */
	char *policy;		/* of the path that holds (verdict.h) */
	unsigned judged;	/* complete paths judged */
};

/*
 * Everything that decides whether one complete path holds: signatures,
 * the RFC 5280 rules, validity and the profile's policy.  The search
 * tries another path when this one fails (chain.h).
 */
static int
judge_path(const struct chain *c, void *arg, struct finding *f)
{
	struct path_judge *pj = arg;
	const struct ctx_state *state = pj->state;
	gnutls_x509_crt_t *crt = (gnutls_x509_crt_t *)c->crt;
	const char *note = NULL;
	unsigned status = 0;

	pj->judged++;
	pj->notes->count = 0;

	/* GnuTLS checks the signatures (and what else it knows) on exactly
	 * this path, up to its anchor: a trust list would pick its own
	 * among anchors of one name; links this context verified before
	 * are not checked again (sigcache.h). */
	if (sigcache_verify_path(state->sigcache, crt, c->len,
	    state->verify_flags, &status) < 0)
		return finding_set(f, MTLS_R_INTERNAL,
		    "GnuTLS could not verify");
	if (status & GNUTLS_CERT_SIGNATURE_FAILURE)
		return signature_finding(state, c, f);
	if (check_structure(state, c, pj->policy, f) != 0 ||
	    policy_check_validity(crt, c->len, pj->at->now, pj->at->skew,
	    f) != 0 ||
	    policy_check(&state->policy, crt, c->len, &note, f) != 0)
		return -1;
	/* the policy's note first: it says what was not checked */
	notes_add(pj->notes, note);
	rfc5280_path_notes(crt, c->len, pj->notes);
	return check_status(crt, c->len, status, f);
}

/*
 * The path of a described certificate's stand-in: the reporting server
 * checked signatures, rules and policy on the certificate itself, and the
 * stand-in has none of its own to check; its issuer is the configured
 * certificate the description named (described.h).
 */
static int
judge_described(const struct chain *c, void *arg, struct finding *f)
{
	(void)c;
	(void)arg;
	(void)f;
	return 0;
}

/*
 * The user the client certificate maps to, into v->user.  known: what
 * mapping it gave when its path was first judged (pathcache.h), or NULL
 * to map it now; learn, when not NULL, remembers what mapping gave.
 */
static int
map_user(const struct ctx_state *state, struct mtls_verdict *v,
    const struct chain *c, const struct mtls_verdict *known,
    struct mtls_verdict *learn, struct finding *f)
{
	bool issuer_configured;
	int ret;

	if (known != NULL) {
		if (known->user == NULL) {
			*f = known->finding;
			return -1;
		}
		if ((v->user = strdup(known->user)) == NULL)
			return finding_set(f, MTLS_R_INTERNAL,
			    "out of memory");
		return 0;
	}
	/* the client may send a copy of a configured intermediate */
	issuer_configured = c->source[1] != CHAIN_FROM_PEER ||
	    (identity_binds_issuers(state->identity) &&
	    certset_has(&state->known, c->crt[1]));
	ret = identity_map(state->identity, c->crt[0], issuer_configured,
	    v->fingerprint, &v->user, f);
	/* out of memory says nothing of the certificate: not learnt, so
	 * the path is not remembered and the next request maps again */
	if (learn != NULL) {
		if (ret != 0 && f->reason != MTLS_R_INTERNAL)
			learn->finding = *f;
		else if (ret == 0)
			learn->user = strdup(v->user);
	}
	return ret;
}

/* Whether learn holds what mapping gave (map_user()). */
static bool
mapping_learnt(const struct mtls_verdict *learn)
{
	return learn->user != NULL || learn->finding.reason != MTLS_R_OK;
}

static int
check_identity(const struct ctx_state *state, const struct mtls_request *req,
    struct mtls_verdict *v, const struct chain *c,
    const struct mtls_verdict *known, struct mtls_verdict *learn,
    struct finding *f)
{
	char claimed[CERTNAME_MAX], mapped[CERTNAME_MAX];

	if (map_user(state, v, c, known, learn, f) != 0)
		return -1;
	if (req->user == NULL || strcmp(req->user, v->user) == 0)
		return 0;
	certname_escape((const unsigned char *)req->user, strlen(req->user),
	    claimed, sizeof(claimed));
	certname_escape((const unsigned char *)v->user, strlen(v->user),
	    mapped, sizeof(mapped));
	return finding_set(f, MTLS_R_USER_MISMATCH,
	    "the certificate '%s' belongs to user '%s', not to '%s'; log in "
	    "as '%s' or issue '%s' a certificate of their own", v->subject,
	    mapped, claimed, mapped, claimed);
}

/* What settle() is given of a path judged before, or learns of a new one. */
struct recall {
	const struct mtls_verdict *known; /* its mapping, or NULL */
	struct mtls_verdict *learn;	/* to remember the mapping, or NULL */
	struct ocsp_id *ocsp;		/* of the client certificate, or NULL */
};

/*
 * What a judged path leaves to decide at every request, whether the path
 * was judged now or before: revocation, then who the certificate is.
 */
static int
settle(const struct ctx_state *state, const struct mtls_request *req,
    struct mtls_verdict *v, struct chain *c, const struct chain_pools *pools,
    const struct as_of *at, bool by_description, const struct recall *recall)
{
	struct finding *f = &v->finding;
	struct finding mapping;
	bool owed = false;

	/* a description is checked offline, and no network makes up for
	 * what the caches do not know of it */
	if (check_revocation(state, c, pools, at, req->offline ||
	    by_description, req->offline && !by_description, recall->ocsp, v,
	    &owed) != 0) {
		/* what the network cannot change is said now, not later */
		if (owed && check_identity(state, req, v, c, recall->known,
		    recall->learn, &mapping) != 0) {
			*f = mapping;
			owed = false;
		}
		v->network_owed = owed && !by_description;
		return -1;
	}
	if (check_identity(state, req, v, c, recall->known, recall->learn,
	    f) != 0)
		return -1;
	f->reason = MTLS_R_OK;
	snprintf(f->text, sizeof(f->text), "'%s' is accepted as user '%s'",
	    v->subject, v->user);
	return 0;
}

/* decide_known(): the path no longer holds at this time; judge anew. */
#define JUDGE_AGAIN 1

/*
 * A request that presents exactly what a path was judged for before:
 * only what may have changed since is checked (pathcache.h).
 */
static int
decide_known(const struct ctx_state *state, const struct mtls_request *req,
    struct mtls_verdict *v, const struct pathcache_entry *known)
{
	const struct as_of at = { time(NULL), state->policy.clock_skew };
	struct chain c = known->path;
	struct ocsp_id ocsp = known->ocsp;
	struct recall recall = { known->facts, NULL, &ocsp };
	struct certset pool;
	struct chain_pools pools = { &state->anchors, &pool,
	    &state->intermediates };

	if (!pathcache_valid_at(known, at.now, at.skew))
		return JUDGE_AGAIN;
	if (verdict_copy_facts(v, known->facts) != 0)
		return finding_set(&v->finding, MTLS_R_INTERNAL,
		    "out of memory");
	v->notes = known->notes;
	/* what the client sent but its certificate, as decide_whole() */
	certset_view(&pool, &known->peer, 1, known->peer.count - 1);
	return settle(state, req, v, &c, &pools, &at, false, &recall);
}

/*
 * Remember the path the verification judged, with what it read (peer,
 * taken over) and learnt, when the cache may hold it: the path was the
 * only one judged, and the user mapping is known.
 */
static void
remember(const struct ctx_state *state, struct pathcache_entry *learn,
    struct certset *peer, const struct chain *c, const struct notes *notes,
    const struct mtls_verdict *v)
{
	if (!mapping_learnt(learn->facts) ||
	    verdict_copy_facts(learn->facts, v) != 0) {
		pathcache_entry_free(learn);
		return;
	}
	learn->peer = *peer;
	memset(peer, 0, sizeof(*peer));
	learn->path = *c;
	learn->notes = *notes;
	pathcache_put(state->paths, learn);
}

/* The whole verification: read, build and judge the path, settle. */
static int
decide_whole(const struct ctx_state *state, const struct mtls_request *req,
    struct mtls_verdict *v, const unsigned char *key)
{
	struct finding *f = &v->finding;
	struct certset peer = { .crts = NULL };
	struct certset pool = { .crts = NULL };
	struct chain c;
	const struct as_of at = {
		req->has_time ? req->when : time(NULL),
		req->has_time ? 0 : state->policy.clock_skew,
	};
	struct chain_pools pools = { &state->anchors, &pool,
	    &state->intermediates };
	struct path_judge pj = { state, &at, &v->notes, v->policy, 0 };
	struct pathcache_entry *learn = NULL;
	struct recall recall = { NULL, NULL, NULL };
	struct notes notes;
	bool by_description = described_request(req);
	int built;
	int ret = -1;

	if (parse_input(state, req, by_description, &peer, f) != 0)
		goto out;
	if (record_facts(v, peer.crts[0], req, by_description) != 0) {
		finding_set(f, MTLS_R_INTERNAL, "out of memory");
		goto out;
	}
	pool.crts = peer.crts + 1;
	pool.count = peer.count - 1;
	built = chain_build(peer.crts[0], &pools, by_description ?
	    judge_described : judge_path, &pj, &c, f);
	if (c.len > 0 && record_chain(state, v, &c) != 0) {
		finding_set(f, MTLS_R_INTERNAL, "out of memory");
		goto out;
	}
	if (built != 0)
		goto out;
	if (by_description &&
	    identity_check_describable(state->identity, f) != 0)
		goto out;
	notes = v->notes;
	if (key != NULL && pj.judged == 1 &&
	    (learn = pathcache_entry_new(key)) != NULL) {
		recall.learn = learn->facts;
		recall.ocsp = &learn->ocsp;
	}
	ret = settle(state, req, v, &c, &pools, &at, by_description, &recall);
	if (learn != NULL)
		remember(state, learn, &peer, &c, &notes, v);
out:
	certset_clear(&peer);
	return ret;
}

static int
decide(const struct ctx_state *state, const struct mtls_request *req,
    struct mtls_verdict *v)
{
	unsigned char key[PATHCACHE_KEY_LEN];
	const struct pathcache_entry *known;
	/* a one-shot context remembers no path: nothing to hash */
	bool keyed = state->paths != NULL && pathcache_key(req, key);
	int ret;

	if (keyed && (known = pathcache_get(state->paths, key)) != NULL) {
		ret = decide_known(state, req, v, known);
		pathcache_release(state->paths, known);
		if (ret != JUDGE_AGAIN)
			return ret;
	}
	return decide_whole(state, req, v, keyed &&
	    pathcache_seen(state->paths, key) ? key : NULL);
}

/*
 * A client that presented nothing: no certificate, no intermediates, no
 * description (an input too large or too many is something presented,
 * and refused as such).
 */
static bool
presented_nothing(const struct mtls_request *req)
{
	return req->cert.data == NULL && req->nuntrusted == 0 &&
	    !req->oversized && !req->too_many && !described_request(req);
}

struct mtls_verdict *
mtls_verify(struct mtls_ctx *ctx, const struct mtls_request *request)
{
	struct mtls_verdict *v = calloc(1, sizeof(*v));
	struct ctx_state *state;

	if (v == NULL)
		return NULL;
	v->finding.depth = -1;
	v->not_before = (time_t)-1;
	v->not_after = (time_t)-1;
	/* a reload meanwhile does not pull the state from under us */
	state = ctx != NULL && request != NULL ? ctx_hold(ctx) : NULL;
	if (request == NULL)
		finding_set(&v->finding, MTLS_R_INTERNAL, "no request to "
		    "verify (out of memory?)");
	else if (state == NULL)
		finding_set(&v->finding, MTLS_R_INTERNAL,
		    "the verifier is not configured");
	else if (presented_nothing(request))
		finding_set(&v->finding, MTLS_R_NO_CERT, "the client "
		    "presented no certificate; install one on it, and check "
		    "that the server that took its connection asks for one "
		    "(nginx: ssl_verify_client; OpenVPN: verify-client-cert "
		    "require)");
	else if (decide(state, request, v) != 0 &&
	    v->finding.reason == MTLS_R_OK)
		finding_set(&v->finding, MTLS_R_INTERNAL,
		    "verification failed without a reason");
	/* Fail closed: a rejection never carries a user name. */
	if (v->finding.reason != MTLS_R_OK) {
		free(v->user);
		v->user = NULL;
	}
	verdict_user_message(v);
	if (request != NULL && (state == NULL || state->audit))
		audit_log(state != NULL ? state->profile : NULL, v, request);
	ctx_release(ctx, state);
	return v;
}
