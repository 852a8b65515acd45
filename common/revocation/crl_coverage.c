#include "crl_coverage.h"

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

/*
 * The CRL that speaks for link->crt: *found is its number, *facts what it
 * says and *as_signed the link as its signer sees it (covers()), or
 * *found is the source's count when none does.  Of several, the one with
 * the latest thisUpdate: its times say how fresh the source's word on the
 * certificate is.
 */
static int
covering_crl(const struct coverage *cov, struct crl_link *link,
    size_t *found, struct crl_facts *facts, struct crl_link *as_signed,
    struct finding *refused, struct finding *f)
{
	const struct crl_source *source = cov->source;
	gnutls_datum_t dn = { NULL, 0 };
	int ret = 0;

	*found = source->count;
	if (issuer_dn(link->crt, &dn, f) != 0)
		return -1;
	for (size_t i = 0; i < source->count; i++) {
		struct crl_facts crl;
		struct crl_link signed_link;
		bool yes;

		if ((ret = covers(cov, i, link, &dn, &yes, &crl, &signed_link,
		    refused, f)) != 0)
			break;
		if (yes && (*found == source->count ||
		    crl.this_update > facts->this_update)) {
			*found = i;
			*facts = crl;
			*as_signed = signed_link;
		}
	}
	gnutls_free(dn.data);
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

/* Names are formatted for explanations only: a verification that finds
 * nothing to explain pays for none. */
static int
check_listed(const struct crl_source *source, size_t crl,
    const struct crl_facts *facts, const struct crl_link *link,
    struct finding *f)
{
	unsigned char serial[SERIAL_READ_MAX];
	size_t len = sizeof(serial);
	char name[CERTNAME_MAX], issuer[CERTNAME_MAX], date[UTCTIME_MAX];
	char origin[CERTNAME_MAX];
	time_t when = (time_t)-1;
	char *hex;
	int ret;

	ret = gnutls_x509_crt_get_serial(link->crt, serial, &len);
	if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER)
		ret = -1;	/* longer than any CRL may list */
	else if (ret < 0) {
		certname_subject(link->crt, name);
		return finding_set(f, MTLS_R_CERT_MALFORMED, "the serial "
		    "number of %s '%s' cannot be read", role(link->crt), name);
	} else
		ret = source->listed(source->self, crl, link, serial, len,
		    &when, f);
	if (ret == -2)
		return -1;	/* the source said why */
	if (ret == 0)
		return 0;
	certname_subject(link->crt, name);
	if (ret == -1)
		return finding_set(f, MTLS_R_BAD_SERIAL, "the serial number of "
		    "%s '%s' is not one a CRL can list (not positive, or over "
		    "20 octets)", role(link->crt), name);
	/* the CRL's issuer name is the certificate's, compared before */
	certname_issuer(link->crt, issuer);
	if (when != (time_t)-1)
		utctime_format(when, date);
	hex = certname_hex_alloc(serial, len);
	origin_shown(facts, origin);
	finding_set(f, MTLS_R_REVOKED, "%s '%s' (serial %s) was revoked%s%s, "
	    "says the CRL from '%s' (%s); it can no longer be used",
	    role(link->crt),
	    name, hex != NULL ? hex : "?", when != (time_t)-1 ? " on " : "",
	    when != (time_t)-1 ? date : "", issuer, origin);
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

	if (source->vouched != NULL &&
	    source->vouched(source->self, crl, link, f) != 0)
		return -1;
	if (!policy_refuses_signature(cov->policy->allow_sha1,
	    facts->sign_algorithm))
		return 0;
	certname_issuer(link->crt, issuer);
	origin_shown(facts, origin);
	policy_signature_remedy(facts->sign_algorithm, "its CA", "CRLs",
	    remedy, sizeof(remedy));
	return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' (%s) is "
	    "refused: %s", issuer, origin, remedy);
}

/* What the CRL facts say, numbered crl in cov, about link->crt. */
static int
check_covered(const struct coverage *cov, size_t crl,
    const struct crl_facts *facts, struct crl_link *link,
    unsigned stale_grace, unsigned clock_skew, time_t now,
    struct finding *f)
{
	const struct crl_source *source = cov->source;
	char name[CERTNAME_MAX], issuer[CERTNAME_MAX], when[UTCTIME_MAX];
	char origin[CERTNAME_MAX];

	if (believed(cov, crl, facts, link, f) != 0)
		return -1;
	if (facts->this_update > now + (time_t)clock_skew) {
		certname_subject(link->crt, name);
		/* the CRL's issuer name is the certificate's, compared
		 * above */
		certname_issuer(link->crt, issuer);
		utctime_format(facts->this_update, when);
		origin_shown(facts, origin);
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "(%s) that covers %s '%s' is not valid before %s; check "
		    "the clocks here and on its CA, or raise "
		    "policy.clock_skew", issuer, origin, role(link->crt), name,
		    when);
	}
	if (check_listed(source, crl, facts, link, f) != 0)
		return -1;
	/* subtracted from now, which cannot overflow, rather than added to
	 * a nextUpdate that may be anything.  No clock skew: a clock that
	 * is behind makes a CRL look younger, never older. */
	if (facts->next_update < now - (time_t)stale_grace) {
		certname_subject(link->crt, name);
		certname_issuer(link->crt, issuer);
		utctime_format(facts->next_update, when);
		origin_shown(facts, origin);
		return finding_set(f, MTLS_R_CRL_STALE, "the CRL from '%s' "
		    "(%s) that covers %s '%s' expired at %s; %s, or raise "
		    "revocation.stale_grace", issuer, origin, role(link->crt),
		    name, when, facts->stale_remedy);
	}
	return 0;
}

/*
 * RFC 5280, 6.3.3: a serial listed on any CRL that covers the certificate
 * is revoked, not only on the newest: a newer CRL of a narrower scope
 * (user certificates only, a partition) need not repeat what a full CRL
 * lists.  The CRLs but chosen (the newest, judged by check_covered())
 * are asked only whether they list it; one that cannot be believed (its
 * signature, or dated in the future) says nothing.
 */
static int
listed_elsewhere(const struct coverage *cov, size_t chosen,
    struct crl_link *link, unsigned clock_skew, time_t now,
    struct finding *f)
{
	const struct crl_source *source = cov->source;
	gnutls_datum_t dn = { NULL, 0 };
	struct finding ignored = { .reason = MTLS_R_OK };
	int ret = 0;

	if (issuer_dn(link->crt, &dn, f) != 0)
		return -1;
	for (size_t i = 0; ret == 0 && i < source->count; i++) {
		struct crl_facts crl;
		struct crl_link signed_link;
		bool yes;

		if (i == chosen)
			continue;
		if ((ret = covers(cov, i, link, &dn, &yes, &crl, &signed_link,
		    &ignored, f)) != 0)
			break;
		if (!yes || crl.this_update > now + (time_t)clock_skew ||
		    believed(cov, i, &crl, &signed_link, &ignored) != 0)
			continue;
		ret = check_listed(source, i, &crl, &signed_link, f);
	}
	gnutls_free(dn.data);
	return ret;
}

/* A finding another revocation source may still settle (verify.c). */
static bool
leaves_undecided(enum mtls_reason reason)
{
	return reason == MTLS_R_CRL_STALE || reason == MTLS_R_CRL_INVALID;
}

int
crl_coverage_check(const struct crl_source *source,
    const struct crl_signers *signers, const struct mtls_policy *policy,
    gnutls_x509_crt_t *chain, size_t n, enum mtls_crl_require require,
    unsigned stale_grace, unsigned clock_skew, time_t now, struct finding *f)
{
	const struct coverage cov = { source, signers, policy };
	size_t uncovered = n;
	struct finding undecided = { .reason = MTLS_R_OK };
	/* why the CRL of another key of its CA that might have covered
	 * chain[uncovered] was not believed */
	struct finding unbelieved = { .reason = MTLS_R_OK };
	char name[CERTNAME_MAX], issuer[CERTNAME_MAX];

	for (size_t i = 0; i + 1 < n; i++) {
		struct crl_link link = { chain[i], chain[i + 1], false, { 0 } };
		struct crl_link as_signed = link;
		struct crl_facts facts = { 0 };
		struct finding found;
		struct finding refused = { .reason = MTLS_R_OK };
		size_t crl;
		int ret;
		bool required = require == MTLS_CRL_REQUIRE_CHAIN ||
		    (require == MTLS_CRL_REQUIRE_LEAF && i == 0);

		if (covering_crl(&cov, &link, &crl, &facts, &as_signed,
		    &refused, f) != 0)
			return finding_at(f, i);
		if (crl == source->count) {
			/* a later certificate's revocation still wins */
			if (required && uncovered == n) {
				uncovered = i;
				unbelieved = refused;
			}
			continue;
		}
		ret = check_covered(&cov, crl, &facts, &as_signed, stale_grace,
		    clock_skew, now, &found);
		if (ret != 0) {
			finding_at(&found, i);
			if (!leaves_undecided(found.reason)) {
				*f = found;
				return -1;
			}
		}
		if (listed_elsewhere(&cov, crl, &link, clock_skew, now, f) != 0)
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
    const unsigned char *serial, size_t len, time_t *when,
    struct finding *f)
{
	const struct crl_source *s = part_of(self, &i);

	return s->listed(s->self, i, link, serial, len, when, f);
}

int
crl_coverage_check_both(const struct crl_source *first,
    const struct crl_source *second, const struct crl_signers *signers,
    const struct mtls_policy *policy, gnutls_x509_crt_t *chain, size_t n,
    enum mtls_crl_require require, unsigned stale_grace,
    unsigned clock_skew, time_t now, struct finding *f)
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
	    stale_grace, clock_skew, now, f);
}
