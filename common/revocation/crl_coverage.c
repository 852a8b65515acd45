#include "crl_coverage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>

#include "certname.h"
#include "dername.h"
#include "policy.h"
#include "utctime.h"

#define OID_CRL_DISTRIBUTION_POINTS "2.5.29.31"

/* Longer than any serial a CRL may list, so that a longer one is named
 * as such rather than as unreadable. */
#define SERIAL_READ_MAX 64

/* Room for "delta CRL #" and a CRL number (label()). */
#define LABEL_MAX 64

static bool
same_datum(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	return a->size == b->size && memcmp(a->data, b->data, a->size) == 0;
}

/* Whether one of crt's cRLDistributionPoints is the CRL's partition. */
static bool
names_partition(gnutls_x509_crt_t crt, const struct crlext_idp *idp)
{
	gnutls_x509_crl_dist_points_t points = NULL;
	gnutls_datum_t der = { NULL, 0 };
	bool found = false;

	if (gnutls_x509_crt_get_extension_by_oid2(crt,
	    OID_CRL_DISTRIBUTION_POINTS, 0, &der, NULL) < 0)
		return false;
	if (gnutls_x509_crl_dist_points_init(&points) == 0 &&
	    gnutls_x509_ext_import_crl_dist_points(&der, points, 0) == 0) {
		gnutls_datum_t name;
		unsigned type;

		for (unsigned i = 0; !found && gnutls_x509_crl_dist_points_get(
		    points, i, &type, &name, NULL) == 0; i++)
			for (size_t j = 0; !found && j < idp->nuris; j++)
				found = type == GNUTLS_SAN_URI &&
				    same_datum(&name, &idp->uris[j]);
	}
	if (points != NULL)
		gnutls_x509_crl_dist_points_deinit(points);
	gnutls_free(der.data);
	return found;
}

/* RFC 5280, 6.3.3 (b): whether a CRL whose issuingDistributionPoint is
 * idp speaks for crt. */
static bool
in_scope(const struct crlext_idp *idp, gnutls_x509_crt_t crt)
{
	if (idp->only_user_certs || idp->only_ca_certs) {
		bool ca = gnutls_x509_crt_get_ca_status(crt, NULL) > 0;

		if (idp->only_user_certs ? ca : !ca)
			return false;
	}
	return !idp->has_point || names_partition(crt, idp);
}

enum crl_listing
crl_listing_of(int reason, bool delta)
{
	/* a hold on a delta CRL, and a removal on a complete CRL, where
	 * RFC 5280 does not allow it, revoke like any other entry */
	if (delta && reason == CRLEXT_REASON_REMOVE_FROM_CRL)
		return CRL_LISTED_REMOVED;
	if (!delta && reason == CRLEXT_REASON_CERTIFICATE_HOLD)
		return CRL_LISTED_ON_HOLD;
	return CRL_LISTED_REVOKED;
}

int
crl_key_id(gnutls_x509_crt_t crt, unsigned char id[CRL_KEY_ID_LEN])
{
	size_t len = CRL_KEY_ID_LEN;

	if (gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256, id,
	    &len) < 0 || len != CRL_KEY_ID_LEN)
		return -1;
	return 0;
}

int
crl_link_issuer_key(struct crl_link *link, struct finding *f)
{
	char name[CERTNAME_MAX];

	if (link->have_key)
		return 0;
	if (crl_key_id(link->issuer, link->issuer_key) != 0) {
		certname_subject(link->issuer, name);
		return finding_set(f, MTLS_R_INTERNAL, "cannot identify the "
		    "key of '%s'", name);
	}
	link->have_key = true;
	return 0;
}

/* What one check asks of its CRLs. */
struct coverage {
	const struct crl_source *source;
	const struct crl_signers *signers;	/* NULL: no other keys */
	const struct mtls_policy *policy;	/* signature algorithms */
};

/*
 * Whether CRL i speaks for link->crt, whose issuer name is dn; *facts is
 * what it says, and *as_signed link with the certificate whose key signed
 * the CRL in the issuer's place: link->issuer itself or, only when its
 * key did not sign it, another key of its name (crl_signers).  Why the
 * first such key was refused goes to *refused.
 */
static int
covers(const struct coverage *cov, size_t i, struct crl_link *link,
    const gnutls_datum_t *dn, bool *yes, struct crl_facts *facts,
    struct crl_link *as_signed, struct finding *refused, struct finding *f)
{
	const struct crl_source *source = cov->source;
	struct finding why = { .reason = MTLS_R_OK };
	gnutls_datum_t issuer;
	gnutls_x509_crt_t signer;
	int ret;

	*yes = false;
	facts->stale_remedy = source->stale_remedy;
	source->facts(source->self, i, facts);
	issuer.data = (unsigned char *)facts->issuer_dn;
	issuer.size = (unsigned)facts->issuer_dn_len;
	if (!dername_equal(&issuer, dn))
		return 0;
	if (source->signed_by(source->self, i, link, yes, f) != 0)
		return -1;
	*as_signed = *link;
	if (*yes || cov->signers == NULL ||
	    !in_scope(facts->scope, link->crt)) {
		*yes = *yes && in_scope(facts->scope, link->crt);
		return 0;
	}
	ret = cov->signers->find(cov->signers->arg, source, i, link, &signer,
	    &why);
	if (ret < 0) {
		*f = why;
		return -1;
	}
	if (ret > 0) {
		*yes = true;
		as_signed->issuer = signer;
		as_signed->have_key = false;
	} else if (why.reason != MTLS_R_OK && refused->reason == MTLS_R_OK)
		*refused = why;
	return 0;
}

static int
issuer_dn(gnutls_x509_crt_t crt, gnutls_datum_t *dn, struct finding *f)
{
	char name[CERTNAME_MAX];
	int ret;

	if ((ret = gnutls_x509_crt_get_raw_issuer_dn(crt, dn)) == 0)
		return 0;
	certname_subject(crt, name);
	if (finding_gnutls_memory(f, ret, "the issuer name", "certificate",
	    name) != 0)
		return -1;
	return finding_set(f, MTLS_R_CERT_MALFORMED, "the issuer name of "
	    "certificate '%s' is unreadable", name);
}

/* A CRL a check chose, and the link as its signer sees it (covers()). */
struct chosen {
	size_t crl;		/* the source's count: none */
	struct crl_facts facts;
	struct crl_link link;
	/* a CRL of the other kind (delta, complete) covers it too */
	bool other_kind;
};

/*
 * Which CRLs covering_crl() chooses from: the complete ones, or the delta
 * CRLs that can be read with the complete CRL base, of its scope and
 * signed by its key (RFC 5280, 5.2.4), or of any scope and key when base
 * is NULL (to tell that only a delta CRL covers a certificate).
 */
struct wanted {
	bool delta;
	struct chosen *base;
};

/*
 * What the complete CRL a check chose, and the delta CRL read with it,
 * make complete (check_covered()): what the CRLs of scope signed with the
 * key of base say, as of the CRL number upto.  scope NULL:
 * nothing, when the complete CRL cannot be believed.
 */
struct read_as_of {
	const struct crlext_idp *scope;
	struct chosen *base;
	const unsigned char *upto;
};

/*
 * Whether the CRLs a and b (as covering_crl() chose them) were signed
 * with one key: a delta CRL is read only with a complete CRL its issuer
 * signed with the same key (RFC 5280, 5.2.4); one signed with another
 * key of the CA, as after a key rollover, belongs to another series of
 * CRLs.  The source knows the keys of most CRLs; otherwise the
 * certificates whose keys signed them tell, hashed only when they
 * differ.
 */
static int
same_key(struct chosen *a, struct chosen *b, bool *same, struct finding *f)
{
	const unsigned char *ka = a->facts.signer_key;
	const unsigned char *kb = b->facts.signer_key;

	if (ka != NULL && kb != NULL) {
		*same = memcmp(ka, kb, CRL_KEY_ID_LEN) == 0;
		return 0;
	}
	*same = a->link.issuer == b->link.issuer;
	if (*same)
		return 0;
	if (crl_link_issuer_key(&a->link, f) != 0 ||
	    crl_link_issuer_key(&b->link, f) != 0)
		return -1;
	*same = memcmp(a->link.issuer_key, b->link.issuer_key,
	    CRL_KEY_ID_LEN) == 0;
	return 0;
}

/*
 * The CRLs that speak for a certificate, by series: those of one scope
 * signed with one key, whose CRL numbers grow with each CRL published
 * (RFC 5280, 5.2.3; complete and delta CRLs share them, 5.2.4).  Of each
 * series only the newest, the highest CRL number, counts, whatever its
 * thisUpdate says: a CA whose clock was set back publishes the next
 * complete CRL, and the delta CRLs that count from it, with an older
 * one.  Series of other scopes or keys have numbers of their own, and
 * only their times compare.  A certificate has a series or two (its
 * CA's key and a renewed one; a complete CRL and a narrower one).
 */
#define SERIES_MAX 8

struct series {
	struct chosen newest[SERIES_MAX];
	size_t count;
};

/* Add the CRL crl, which speaks for the certificate, to its series. */
static int
series_add(struct series *s, struct chosen *crl, struct finding *f)
{
	struct chosen *c;
	bool same;

	for (size_t k = 0; k < s->count; k++) {
		c = &s->newest[k];
		if (!crlext_idp_equal(crl->facts.scope, c->facts.scope))
			continue;
		if (same_key(c, crl, &same, f) != 0)
			return -1;
		if (!same)
			continue;
		if (memcmp(crl->facts.numbers->number,
		    c->facts.numbers->number, CRLEXT_NUMBER_LEN) > 0)
			*c = *crl;
		return 0;
	}
	if (s->count < SERIES_MAX)
		s->newest[s->count++] = *crl;
	else if (crl->facts.this_update >
	    s->newest[SERIES_MAX - 1].facts.this_update)
		s->newest[SERIES_MAX - 1] = *crl;	/* past any real CA's */
	return 0;
}

/*
 * Of the newest CRL of each series, the one with the latest thisUpdate:
 * its times say how fresh the source's word on the certificate is.
 */
static void
series_newest(const struct series *s, struct chosen *chosen)
{
	const struct chosen *best = NULL;

	for (size_t k = 0; k < s->count; k++)
		if (best == NULL ||
		    s->newest[k].facts.this_update > best->facts.this_update)
			best = &s->newest[k];
	if (best == NULL)
		return;
	chosen->crl = best->crl;
	chosen->facts = best->facts;
	chosen->link = best->link;
}

/*
 * The newest CRL of the kind wanted that speaks for link->crt
 * (struct series), into *chosen (its crl the source's count when none
 * does).  Every CRL that
 * speaks for it is looked at, so whether one of the other kind does
 * comes for free: where no delta CRL does, as where none is configured,
 * no second pass looks for one.
 */
static int
covering_crl(const struct coverage *cov, const struct wanted *want,
    struct crl_link *link, struct chosen *chosen, struct finding *refused,
    struct finding *f)
{
	const struct crl_source *source = cov->source;
	gnutls_datum_t dn = { NULL, 0 };
	struct series series;
	int ret = 0;

	series.count = 0;
	chosen->crl = source->count;
	chosen->link = *link;
	chosen->other_kind = false;
	if (issuer_dn(link->crt, &dn, f) != 0)
		return -1;
	for (size_t i = 0; i < source->count; i++) {
		struct chosen crl = { .crl = i };
		bool yes;

		if ((ret = covers(cov, i, link, &dn, &yes, &crl.facts,
		    &crl.link, refused, f)) != 0)
			break;
		if (yes && crl.facts.numbers->delta != want->delta)
			chosen->other_kind = true;
		if (!yes || crl.facts.numbers->delta != want->delta ||
		    (want->base != NULL && !crlext_idp_equal(crl.facts.scope,
		    want->base->facts.scope)))
			continue;
		if (want->base != NULL &&
		    (ret = same_key(want->base, &crl, &yes, f)) != 0)
			break;
		if (yes && (ret = series_add(&series, &crl, f)) != 0)
			break;
	}
	gnutls_free(dn.data);
	if (ret == 0)
		series_newest(&series, chosen);
	return ret;
}

/*
 * By what it is, not where: callers may check part of a path, or that of
 * a CA's separate CRL-signing key (crl_signer.h).
 */
static const char *
role(gnutls_x509_crt_t crt)
{
	unsigned usage = 0;

	if (gnutls_x509_crt_get_ca_status(crt, NULL) > 0)
		return "CA certificate";
	if (gnutls_x509_crt_get_key_usage(crt, &usage, NULL) >= 0 &&
	    (usage & GNUTLS_KEY_CRL_SIGN))
		return "CRL signing certificate";
	return "client certificate";
}

/*
 * The CRL's file or URL, escaped for an explanation: an index records
 * whatever source its updater was given, and may be damaged.
 */
static void
origin_shown(const struct crl_facts *facts, char out[CERTNAME_MAX])
{
	certname_escape((const unsigned char *)facts->origin,
	    strlen(facts->origin), out, CERTNAME_MAX);
}

/* "CRL", or "delta CRL #N": what explanations call the CRL. */
static void
label(const struct crl_facts *facts, char out[LABEL_MAX])
{
	char number[CRLEXT_NUMBER_SHOWN_MAX];

	if (!facts->numbers->delta) {
		snprintf(out, LABEL_MAX, "CRL");
		return;
	}
	crlext_number_shown(facts->numbers->number, number);
	snprintf(out, LABEL_MAX, "delta CRL #%s", number);
}

/*
 * Whether CRL crl of source lists link->crt: 1 with *how and *when, 0
 * not, -1 with f set when its serial cannot be read or is none a CRL can
 * list, or the source fails.
 */
static int
lookup(const struct crl_source *source, size_t crl,
    const struct crl_link *link, enum crl_listing *how, time_t *when,
    struct finding *f)
{
	unsigned char serial[SERIAL_READ_MAX];
	size_t len = sizeof(serial);
	char name[CERTNAME_MAX];
	int ret;

	*when = (time_t)-1;
	ret = gnutls_x509_crt_get_serial(link->crt, serial, &len);
	if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER)
		ret = -1;	/* longer than any CRL may list */
	else if (ret < 0) {
		certname_subject(link->crt, name);
		return finding_set(f, MTLS_R_CERT_MALFORMED, "the serial "
		    "number of %s '%s' cannot be read", role(link->crt), name);
	} else
		ret = source->listed(source->self, crl, link, serial, len,
		    how, when, f);
	if (ret == -2)
		return -1;	/* the source said why */
	if (ret >= 0)
		return ret;
	certname_subject(link->crt, name);
	return finding_set(f, MTLS_R_BAD_SERIAL, "the serial number of %s "
	    "'%s' is not one a CRL can list (not positive, or over 20 "
	    "octets)", role(link->crt), name);
}

/*
 * MTLS_R_REVOKED: link->crt listed on the CRL facts as revoked on when
 * ((time_t)-1: not known), and then note.  Names are formatted for
 * explanations only: a verification that finds nothing to explain pays
 * for none.
 */
static int
revoked(const struct crl_facts *facts, const struct crl_link *link,
    time_t when, const char *note, struct finding *f)
{
	unsigned char serial[SERIAL_READ_MAX];
	size_t len = sizeof(serial);
	char name[CERTNAME_MAX], issuer[CERTNAME_MAX], date[UTCTIME_MAX];
	char origin[CERTNAME_MAX], what[LABEL_MAX];
	char *hex = NULL;

	/* read once already (lookup()) */
	if (gnutls_x509_crt_get_serial(link->crt, serial, &len) >= 0)
		hex = certname_hex_alloc(serial, len);
	certname_subject(link->crt, name);
	/* the CRL's issuer name is the certificate's, compared before */
	certname_issuer(link->crt, issuer);
	if (when != (time_t)-1)
		utctime_format(when, date);
	origin_shown(facts, origin);
	label(facts, what);
	finding_set(f, MTLS_R_REVOKED, "%s '%s' (serial %s) was revoked%s%s, "
	    "says the %s from '%s' (%s)%s; it can no longer be used",
	    role(link->crt), name, hex != NULL ? hex : "?",
	    when != (time_t)-1 ? " on " : "", when != (time_t)-1 ? date : "",
	    what, issuer, origin, note != NULL ? note : "");
	free(hex);
	return -1;
}

/*
 * Whether CRL crl of cov can be believed: its signature checked with the
 * key of link->issuer (vouched()), and made with an algorithm the policy
 * accepts, as for a certificate (policy_refuses_signature()): a
 * revocation answer is only as strong as its signature.
 */
static int
believed(const struct coverage *cov, size_t crl,
    const struct crl_facts *facts, struct crl_link *link, struct finding *f)
{
	const struct crl_source *source = cov->source;
	char issuer[CERTNAME_MAX], origin[CERTNAME_MAX], remedy[160];
	char what[LABEL_MAX];

	if (source->vouched != NULL &&
	    source->vouched(source->self, crl, link, f) != 0)
		return -1;
	if (!policy_refuses_signature(cov->policy->allow_sha1,
	    facts->sign_algorithm))
		return 0;
	certname_issuer(link->crt, issuer);
	origin_shown(facts, origin);
	label(facts, what);
	policy_signature_remedy(facts->sign_algorithm, "its CA", "CRLs",
	    remedy, sizeof(remedy));
	return finding_set(f, MTLS_R_CRL_INVALID, "the %s from '%s' (%s) is "
	    "refused: %s", what, issuer, origin, remedy);
}

/*
 * A finding of reason about the CRL c that covers the certificate: "the
 * CRL from <issuer> (<origin>) that covers <certificate> <verb> <t>;
 * <remedy>".
 */
static int
dated(const struct chosen *c, enum mtls_reason reason, const char *verb,
    time_t t, const char *remedy, struct finding *f)
{
	char name[CERTNAME_MAX], issuer[CERTNAME_MAX], when[UTCTIME_MAX];
	char origin[CERTNAME_MAX], what[LABEL_MAX];

	certname_subject(c->link.crt, name);
	/* the CRL's issuer name is the certificate's, compared before */
	certname_issuer(c->link.crt, issuer);
	utctime_format(t, when);
	origin_shown(&c->facts, origin);
	label(&c->facts, what);
	return finding_set(f, reason, "the %s from '%s' (%s) that covers %s "
	    "'%s' %s %s; %s", what, issuer, origin, role(c->link.crt), name,
	    verb, when, remedy);
}

/* Believed, and not from the future (beyond clock_skew). */
static int
usable(const struct coverage *cov, struct chosen *c, unsigned clock_skew,
    time_t now, struct finding *f)
{
	if (believed(cov, c->crl, &c->facts, &c->link, f) != 0)
		return -1;
	if (c->facts.this_update <= now + (time_t)clock_skew)
		return 0;
	return dated(c, MTLS_R_CRL_INVALID, "is not valid before",
	    c->facts.this_update, "check the clocks here and on its CA, or "
	    "raise policy.clock_skew", f);
}

/*
 * Past nextUpdate + stale_grace: subtracted from now, which cannot
 * overflow, rather than added to a nextUpdate that may be anything.  No
 * clock skew: a clock that is behind makes a CRL look younger, never
 * older.
 */
static int
check_fresh(const struct chosen *c, unsigned stale_grace, time_t now,
    struct finding *f)
{
	char remedy[256];

	if (c->facts.next_update >= now - (time_t)stale_grace)
		return 0;
	snprintf(remedy, sizeof(remedy), "%s, or raise revocation.stale_grace",
	    c->facts.stale_remedy);
	return dated(c, MTLS_R_CRL_STALE, "expired at", c->facts.next_update,
	    remedy, f);
}

/*
 * What the complete CRL base and the delta CRL delta (NULL: none) say of
 * the certificate together (RFC 5280, 5.2.4, 6.3.3 (j)): revoked when the
 * delta lists it but to take it off the CRL (removeFromCRL), or when the
 * base lists it and the delta does not take it off; only a hold can be
 * taken off.  *released when one was.
 */
static int
check_listed(const struct coverage *cov, const struct chosen *base,
    const struct chosen *delta, bool *released, struct finding *f)
{
	enum crl_listing in_base = 0, in_delta = 0;
	time_t base_when, delta_when;
	char note[LABEL_MAX + CERTNAME_MAX + 160], what[LABEL_MAX];
	char origin[CERTNAME_MAX];
	int ret;

	*released = false;
	if ((ret = lookup(cov->source, base->crl, &base->link, &in_base,
	    &base_when, f)) < 0)
		return -1;
	if (ret == 0)
		in_base = 0;
	if (delta != NULL && (ret = lookup(cov->source, delta->crl,
	    &delta->link, &in_delta, &delta_when, f)) <= 0) {
		if (ret < 0)
			return -1;
		in_delta = 0;
	}
	if (in_delta != 0 && in_delta != CRL_LISTED_REMOVED)
		return revoked(&delta->facts, &delta->link, delta_when, NULL,
		    f);
	if (in_base == 0)
		return 0;
	if (in_delta != CRL_LISTED_REMOVED)
		return revoked(&base->facts, &base->link, base_when, NULL, f);
	if (in_base == CRL_LISTED_ON_HOLD) {
		*released = true;
		return 0;
	}
	label(&delta->facts, what);
	origin_shown(&delta->facts, origin);
	snprintf(note, sizeof(note), "; %s (%s) takes it off the CRL "
	    "(removeFromCRL), but only a certificate on hold can be taken "
	    "off, so it stays revoked", what, origin);
	return revoked(&base->facts, &base->link, base_when, note, f);
}

/*
 * The newest delta CRL asks for a newer complete CRL than base: the base
 * is out of date, and what the delta lists cannot be read against it.
 */
static int
superseded(const struct chosen *base, const struct chosen *delta,
    struct finding *f)
{
	char name[CERTNAME_MAX], issuer[CERTNAME_MAX], what[LABEL_MAX];
	char origin[CERTNAME_MAX], base_origin[CERTNAME_MAX];
	char needed[CRLEXT_NUMBER_SHOWN_MAX], have[CRLEXT_NUMBER_SHOWN_MAX];

	certname_subject(base->link.crt, name);
	certname_issuer(base->link.crt, issuer);
	label(&delta->facts, what);
	origin_shown(&delta->facts, origin);
	origin_shown(&base->facts, base_origin);
	crlext_number_shown(delta->facts.numbers->base, needed);
	crlext_number_shown(base->facts.numbers->number, have);
	return finding_set(f, MTLS_R_CRL_STALE, "the %s from '%s' (%s) needs "
	    "its complete CRL #%s or newer, but the complete CRL that covers "
	    "%s '%s' is #%s (%s); %s", what, issuer, origin, needed,
	    role(base->link.crt), name, have, base_origin,
	    base->facts.stale_remedy);
}

/*
 * What the complete CRL base and the newest delta CRL of its scope,
 * delta (NULL: none), say about the certificate: not believed or from
 * the future is MTLS_R_CRL_INVALID, listed MTLS_R_REVOKED, past
 * nextUpdate (either) MTLS_R_CRL_STALE, and a delta that needs a newer
 * complete CRL MTLS_R_CRL_STALE.  A delta no newer than base adds
 * nothing, but past its nextUpdate is MTLS_R_CRL_STALE still.  *read:
 * what they made complete.
 */
static int
check_covered(const struct coverage *cov, struct chosen *base,
    struct chosen *delta, unsigned stale_grace, unsigned clock_skew,
    time_t now, bool *released, struct read_as_of *read, struct finding *f)
{
	const struct crlext_numbers *b = base->facts.numbers;
	const struct chosen *newest = delta;

	*released = false;
	read->scope = NULL;
	if (usable(cov, base, clock_skew, now, f) != 0)
		return -1;
	read->scope = base->facts.scope;
	read->base = base;
	read->upto = b->number;
	if (delta != NULL && memcmp(delta->facts.numbers->number, b->number,
	    CRLEXT_NUMBER_LEN) <= 0)
		delta = NULL;
	if (delta != NULL && memcmp(delta->facts.numbers->base, b->number,
	    CRLEXT_NUMBER_LEN) > 0) {
		if (check_listed(cov, base, NULL, released, f) != 0)
			return -1;
		return superseded(base, delta, f);
	}
	if (delta != NULL && usable(cov, delta, clock_skew, now, f) != 0)
		return -1;
	if (delta != NULL)
		read->upto = delta->facts.numbers->number;
	/* even one no newer than base: the CA's deltas are not being had
	 * (a fetch fails, or is made to) once the newest is stale */
	if (check_listed(cov, base, delta, released, f) != 0 ||
	    check_fresh(base, stale_grace, now, f) != 0 ||
	    (newest != NULL && check_fresh(newest, stale_grace, now, f) != 0))
		return -1;
	return 0;
}

/*
 * Whether the CRL crl is a delta CRL that says nothing that what was
 * read complete does not: it is of the same scope and key, and no newer.
 * Each delta CRL lists every change since its complete CRL, so what an
 * older one lists and the newest does not is no longer so.
 */
static int
read_already(struct chosen *crl, const struct read_as_of *read,
    bool *already, struct finding *f)
{
	*already = false;
	if (!crl->facts.numbers->delta || read->scope == NULL ||
	    !crlext_idp_equal(crl->facts.scope, read->scope) ||
	    memcmp(crl->facts.numbers->number, read->upto,
	    CRLEXT_NUMBER_LEN) > 0)
		return 0;
	return same_key(read->base, crl, already, f);
}

/*
 * RFC 5280, 6.3.3: a serial listed on any CRL that covers the certificate
 * is revoked, not only on the newest: a newer CRL of a narrower scope
 * (user certificates only, a partition) need not repeat what a full CRL
 * lists.  The CRLs but chosen (the newest complete one, judged by
 * check_covered()) are asked only whether they list it; one that cannot
 * be believed (its signature, or dated in the future) says nothing.  A
 * hold the delta CRL took off (released) is off them too.  A delta CRL
 * that was not read with a complete CRL (of another scope or key, of a
 * newer complete CRL, or with none there), and that is not an older one
 * of what was read (read_already()), covers nothing by itself, but what
 * it revokes is revoked: only a delta read with its complete CRL takes a
 * certificate off (removeFromCRL).
 */
static int
listed_elsewhere(const struct coverage *cov, size_t chosen,
    struct crl_link *link, bool released, const struct read_as_of *read,
    unsigned clock_skew, time_t now, struct finding *f)
{
	const struct crl_source *source = cov->source;
	gnutls_datum_t dn = { NULL, 0 };
	struct finding ignored = { .reason = MTLS_R_OK };
	int ret = 0;

	if (issuer_dn(link->crt, &dn, f) != 0)
		return -1;
	for (size_t i = 0; ret == 0 && i < source->count; i++) {
		struct chosen crl = { .crl = i };
		enum crl_listing how;
		time_t when;
		bool yes, said = false;

		if (i == chosen)
			continue;
		if ((ret = covers(cov, i, link, &dn, &yes, &crl.facts,
		    &crl.link, &ignored, f)) != 0)
			break;
		if (yes && (ret = read_already(&crl, read, &said, f)) != 0)
			break;
		if (!yes || said ||
		    crl.facts.this_update > now + (time_t)clock_skew ||
		    believed(cov, i, &crl.facts, &crl.link, &ignored) != 0)
			continue;
		ret = lookup(source, i, &crl.link, &how, &when, f);
		if (ret > 0 && how != CRL_LISTED_REMOVED &&
		    !(released && how == CRL_LISTED_ON_HOLD))
			ret = revoked(&crl.facts, &crl.link, when, NULL, f);
		else if (ret > 0)
			ret = 0;
	}
	gnutls_free(dn.data);
	return ret;
}

/*
 * MTLS_R_CRL_MISSING: only the delta CRL delta covers link->crt, and a
 * delta lists only what changed since its complete CRL.
 */
static int
delta_alone(const struct crl_source *source, const struct chosen *delta,
    struct finding *f)
{
	char name[CERTNAME_MAX], issuer[CERTNAME_MAX], what[LABEL_MAX];
	char origin[CERTNAME_MAX], base[CRLEXT_NUMBER_SHOWN_MAX];

	certname_subject(delta->link.crt, name);
	certname_issuer(delta->link.crt, issuer);
	label(&delta->facts, what);
	origin_shown(&delta->facts, origin);
	crlext_number_shown(delta->facts.numbers->base, base);
	return finding_set(f, MTLS_R_CRL_MISSING, "only the %s from '%s' (%s) "
	    "covers %s '%s', and a delta CRL lists only what changed since "
	    "its complete CRL (#%s or newer): configure the complete CRL as "
	    "well (%s)", what, issuer, origin, role(delta->link.crt), name,
	    base, source->missing_remedy);
}

/* A finding another revocation source may still settle (verify.c). */
static bool
leaves_undecided(enum mtls_reason reason)
{
	return reason == MTLS_R_CRL_STALE || reason == MTLS_R_CRL_INVALID;
}

/* What check_covered() read for the certificate, into *out. */
static void
tell_read(const struct chosen *base, const struct read_as_of *read,
    struct crl_read *out)
{
	const unsigned char *b = base->facts.numbers->number;

	out->delta = memcmp(read->upto, b, CRLEXT_NUMBER_LEN) != 0;
	memcpy(out->base, b, CRLEXT_NUMBER_LEN);
	memcpy(out->number, read->upto, CRLEXT_NUMBER_LEN);
}

int
crl_coverage_check(const struct crl_source *source,
    const struct crl_signers *signers, const struct mtls_policy *policy,
    gnutls_x509_crt_t *chain, size_t n, enum mtls_crl_require require,
    unsigned stale_grace, unsigned clock_skew, time_t now,
    struct crl_read *leaf_read, struct finding *f)
{
	const struct coverage cov = { source, signers, policy };
	static const struct wanted complete = { false, NULL };
	size_t uncovered = n;
	struct finding undecided = { .reason = MTLS_R_OK };
	/* why the CRL of another key of its CA that might have covered
	 * chain[uncovered] was not believed, or that only a delta CRL
	 * covers it */
	struct finding unbelieved = { .reason = MTLS_R_OK };
	char name[CERTNAME_MAX], issuer[CERTNAME_MAX];

	for (size_t i = 0; i + 1 < n; i++) {
		struct crl_link link = { chain[i], chain[i + 1], false, { 0 } };
		struct chosen base, delta;
		struct wanted deltas = { true, NULL };
		struct finding found, ignored = { .reason = MTLS_R_OK };
		struct finding refused = { .reason = MTLS_R_OK };
		struct read_as_of read = { NULL, NULL, NULL };
		bool released;
		int ret;
		bool required = require == MTLS_CRL_REQUIRE_CHAIN ||
		    (require == MTLS_CRL_REQUIRE_LEAF && i == 0);

		if (covering_crl(&cov, &complete, &link, &base, &refused,
		    f) != 0)
			return finding_at(f, i);
		if (base.crl != source->count)
			deltas.base = &base;
		delta.crl = source->count;
		if (base.other_kind && covering_crl(&cov, &deltas, &link,
		    &delta, &ignored, f) != 0)
			return finding_at(f, i);
		if (base.crl == source->count) {
			/* a delta CRL alone never clears a certificate,
			 * whatever require says, but revokes what it lists;
			 * a later certificate's revocation still wins */
			if (delta.crl != source->count &&
			    listed_elsewhere(&cov, source->count, &link, false,
			    &read, clock_skew, now, f) != 0)
				return finding_at(f, i);
			if ((required || delta.crl != source->count) &&
			    uncovered == n) {
				uncovered = i;
				unbelieved = refused;
				if (delta.crl != source->count)
					delta_alone(source, &delta,
					    &unbelieved);
			}
			continue;
		}
		ret = check_covered(&cov, &base, delta.crl != source->count ?
		    &delta : NULL, stale_grace, clock_skew, now, &released,
		    &read, &found);
		if (ret == 0 && i == 0 && leaf_read != NULL)
			tell_read(&base, &read, leaf_read);
		if (ret != 0) {
			finding_at(&found, i);
			if (!leaves_undecided(found.reason)) {
				*f = found;
				return -1;
			}
		}
		if (listed_elsewhere(&cov, base.crl, &link, released, &read,
		    clock_skew, now, f) != 0)
			return finding_at(f, i);
		/* a revocation wins over a CRL that cannot be used here,
		 * which another source could stand in for */
		if (ret != 0 && undecided.reason == MTLS_R_OK)
			undecided = found;
	}
	if (undecided.reason != MTLS_R_OK) {
		*f = undecided;
		return -1;
	}
	if (uncovered == n)
		return 0;
	if (unbelieved.reason != MTLS_R_OK) {
		*f = unbelieved;
		return finding_at(f, uncovered);
	}
	certname_subject(chain[uncovered], name);
	certname_issuer(chain[uncovered], issuer);
	finding_set(f, MTLS_R_CRL_MISSING, "no CRL from '%s' covers %s "
	    "'%s'; %s, or set revocation.crl_require", issuer,
	    role(chain[uncovered]), name, source->missing_remedy);
	return finding_at(f, uncovered);
}

/* Two sources as one: CRLs 0 .. first->count-1 are first's. */
struct source_pair {
	const struct crl_source *part[2];
};

static const struct crl_source *
part_of(const void *self, size_t *i)
{
	const struct source_pair *pair = self;

	if (*i < pair->part[0]->count)
		return pair->part[0];
	*i -= pair->part[0]->count;
	return pair->part[1];
}

static void
pair_facts(const void *self, size_t i, struct crl_facts *out)
{
	const struct crl_source *s = part_of(self, &i);

	out->stale_remedy = s->stale_remedy;
	s->facts(s->self, i, out);
}

static int
pair_signed_by(const void *self, size_t i, struct crl_link *link,
    bool *match, struct finding *f)
{
	const struct crl_source *s = part_of(self, &i);

	return s->signed_by(s->self, i, link, match, f);
}

static int
pair_vouched(const void *self, size_t i, struct crl_link *link,
    struct finding *f)
{
	const struct crl_source *s = part_of(self, &i);

	return s->vouched != NULL ? s->vouched(s->self, i, link, f) : 0;
}

static int
pair_listed(const void *self, size_t i, const struct crl_link *link,
    const unsigned char *serial, size_t len, enum crl_listing *how,
    time_t *when, struct finding *f)
{
	const struct crl_source *s = part_of(self, &i);

	return s->listed(s->self, i, link, serial, len, how, when, f);
}

int
crl_coverage_check_both(const struct crl_source *first,
    const struct crl_source *second, const struct crl_signers *signers,
    const struct mtls_policy *policy, gnutls_x509_crt_t *chain, size_t n,
    enum mtls_crl_require require, unsigned stale_grace,
    unsigned clock_skew, time_t now, struct crl_read *read,
    struct finding *f)
{
	const struct source_pair pair = { { first, second } };
	const struct crl_source both = {
		.self = &pair,
		.count = first->count + second->count,
		.facts = pair_facts,
		.signed_by = pair_signed_by,
		.vouched = pair_vouched,
		.listed = pair_listed,
		.stale_remedy = first->stale_remedy,
		.missing_remedy = first->missing_remedy,
	};

	return crl_coverage_check(&both, signers, policy, chain, n, require,
	    stale_grace, clock_skew, now, read, f);
}
