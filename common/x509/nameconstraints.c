#include "nameconstraints.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "certname.h"
#include "dertlv.h"
#include "generalname.h"
#include "pkixasn.h"

/* Longest DNS name, email address or UPN compared; RFC 5321 allows 254. */
#define FOLD_MAX 320
/* Printed names in explanations. */
#define SHOWN_NAME_MAX 128

/* Universal ASN.1 tags of the strings an emailAddress attribute may use. */
#define TAG_UTF8STRING 12
#define TAG_PRINTABLESTRING 19
#define TAG_IA5STRING 22

/* The tags of permittedSubtrees and excludedSubtrees. */
#define TAG_PERMITTED 0xa0
#define TAG_EXCLUDED 0xa1

/* The bit of UPN subtrees in forms, beside one per enum gname_form. */
#define FORM_UPN (1u << GNAME_FORMS)

/* A subtree that is not a name of its form: the finding is set. */
#define SUBTREE_INVALID 1

enum nc_result {
	NC_INSIDE,	/* permitted and not excluded, or not constrained */
	NC_OUTSIDE,	/* excluded, or not in any permitted subtree */
	NC_UNKNOWN,	/* constrained, but cannot be evaluated */
	NC_NO_MEMORY
};

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static bool
equal_nocase(const unsigned char *a, const unsigned char *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

/*
 * DNS names and the domain of a mailbox are case-insensitive (RFC 5280
 * 7.2, 7.5).  GnuTLS 3.7.9 as released compares them byte for byte; only
 * Debian's later security updates fold case.  So that the answer does not
 * depend on the point release, names and subtrees are lower-cased into
 * buf (of a mailbox or UPN only the domain: its local part is
 * case-sensitive) before GnuTLS sees them.
 */
static bool
fold(bool mailbox, const gnutls_datum_t *in, unsigned char *buf,
    size_t buflen, gnutls_datum_t *out)
{
	const unsigned char *at;
	size_t from = 0;

	if (in->size > buflen)
		return false;
	if (mailbox && (at = memchr(in->data, '@', in->size)) != NULL)
		from = (size_t)(at - in->data) + 1;
	for (size_t i = 0; i < in->size; i++)
		buf[i] = i < from ? in->data[i] : lower(in->data[i]);
	out->data = buf;
	out->size = in->size;
	return true;
}

static int
invalid_subtree(const struct nameconstraints *nc, const struct nc_subtree *st,
    const char *problem, struct finding *f)
{
	char ca[CERTNAME_MAX], shown[SHOWN_NAME_MAX];

	certname_subject(nc->ca, ca);
	gname_print(&st->base, shown, sizeof(shown));
	finding_set(f, MTLS_R_NAME_CONSTRAINTS, "CA '%s' has a%s %s "
	    "subtree '%s' in its nameConstraints that %s, so no certificate "
	    "below it is accepted; reissue it with valid subtrees", ca,
	    st->permitted ? " permitted" : "n excluded",
	    gname_form_name(&st->base), shown, problem);
	return SUBTREE_INVALID;
}

/* An iPAddress subtree: an address and a mask of leading ones (a CIDR
 * range, RFC 5280 4.2.1.10). */
static bool
ip_range_valid(const gnutls_datum_t *range)
{
	bool zero = false;

	if (range->size != 8 && range->size != 32)
		return false;
	for (size_t i = range->size / 2; i < range->size; i++)
		for (int bit = 7; bit >= 0; bit--) {
			if (!(range->data[i] >> bit & 1))
				zero = true;
			else if (zero)
				return false;
		}
	return true;
}

static int
add_to(gnutls_x509_name_constraints_t matcher, bool permitted, unsigned type,
    const gnutls_datum_t *name)
{
	if (permitted)
		return gnutls_x509_name_constraints_add_permitted(matcher, type,
		    name);
	return gnutls_x509_name_constraints_add_excluded(matcher, type, name);
}

/* Whether a bound of the subtree is absent (or, for minimum, 0). */
static bool
no_bound(asn1_node subtree, const char *bound)
{
	unsigned char value[8];
	int len = sizeof(value);
	int ret = asn1_read_value(subtree, bound, value, &len);

	if (ret == ASN1_ELEMENT_NOT_FOUND || ret == ASN1_VALUE_NOT_FOUND)
		return true;
	/* minimum DEFAULT 0 may read as its default */
	return ret == ASN1_SUCCESS && strcmp(bound, "minimum") == 0 &&
	    len == 1 && value[0] == 0;
}

/* The matcher's part of a subtree of a form GnuTLS matches. */
static int
add_to_matcher(struct nameconstraints *nc, const struct nc_subtree *st,
    struct finding *f)
{
	unsigned char buf[FOLD_MAX];
	gnutls_datum_t folded, text;
	const gnutls_datum_t *base = &st->base.value;
	const char *problem;
	int ret;

	switch (st->base.form) {
	case GNAME_DNS_NAME:
		problem = generalname_subtree_problem(GNUTLS_SAN_DNSNAME, base);
		if (problem != NULL)
			return invalid_subtree(nc, st, problem, f);
		/* FALLTHROUGH */
	case GNAME_RFC822_NAME:
		if (!fold(st->base.form == GNAME_RFC822_NAME, base, buf,
		    sizeof(buf), &folded))
			return invalid_subtree(nc, st, "is too long to compare",
			    f);
		ret = add_to(nc->matcher, st->permitted,
		    gname_san_type(&st->base), &folded);
		break;
	case GNAME_IP_ADDRESS:
		if (!ip_range_valid(base))
			return invalid_subtree(nc, st, "is not an IPv4 or IPv6 "
			    "address and a mask of leading ones (8 or 32 "
			    "octets)", f);
		if (st->permitted)
			nc->permitted_ip |= 1u << (base->size / 2);
		ret = add_to(nc->matcher, st->permitted, GNUTLS_SAN_IPADDRESS,
		    base);
		break;
	case GNAME_OTHER_NAME:
		if (!gname_upn(&st->base, &text))
			return invalid_subtree(nc, st, "is not a UTF8String "
			    "without NUL", f);
		if (!fold(true, &text, buf, sizeof(buf), &folded))
			return invalid_subtree(nc, st, "is too long to compare",
			    f);
		ret = add_to(nc->upns, st->permitted, GNUTLS_SAN_RFC822NAME,
		    &folded);
		break;
	default:
		return 0;
	}
	if (ret == GNUTLS_E_MEMORY_ERROR)
		return ret;
	if (ret < 0)
		return invalid_subtree(nc, st, "cannot be matched", f);
	return 0;
}

/* The GeneralSubtree decoded in subtree, appended to nc->subtrees. */
static int
load_subtree(struct nameconstraints *nc, asn1_node subtree, bool permitted,
    struct finding *f)
{
	struct nc_subtree *st = &nc->subtrees[nc->count];
	bool upn;
	int ret;

	memset(st, 0, sizeof(*st));
	st->permitted = permitted;
	ret = gname_read(subtree, "base", &st->base);
	if (ret != 0)
		return ret == GNAME_NO_MEMORY ? GNUTLS_E_MEMORY_ERROR :
		    GNUTLS_E_ASN1_DER_ERROR;
	nc->count++;
	if (!no_bound(subtree, "minimum") || !no_bound(subtree, "maximum"))
		return invalid_subtree(nc, st, "has a minimum other than 0 or "
		    "a maximum, which RFC 5280 forbids", f);
	upn = st->base.form == GNAME_OTHER_NAME &&
	    strcmp(st->base.type_id, GENERALNAME_OID_MS_UPN) == 0;
	if (st->base.form == GNAME_DIRECTORY_NAME) {
		if (dername_load(st->base.value.data, st->base.value.size,
		    &st->dn) != 0)
			return GNUTLS_E_MEMORY_ERROR;
		if (!st->dn.prepared)
			return invalid_subtree(nc, st, "is not a Name that can "
			    "be compared (a value in it is no string of its "
			    "type, or it is not DER)", f);
	} else if (st->base.form != GNAME_OTHER_NAME || upn) {
		if ((ret = add_to_matcher(nc, st, f)) != 0)
			return ret;
	}
	nc->forms |= upn ? FORM_UPN : 1u << st->base.form;
	return 0;
}

/*
 * The subtrees of list (permittedSubtrees or excludedSubtrees), each
 * GeneralSubtree decoded on its own: a list of thousands costs one walk,
 * where looking each up by its position in one decoded tree would cost
 * a walk each.
 */
static int
load_list(struct nameconstraints *nc, const struct dertlv *list,
    bool permitted, struct finding *f)
{
	struct nc_subtree *grown;
	const unsigned char *p;
	struct dertlv el;
	asn1_node subtree;
	size_t n = 0;
	int ret = 0;

	for (p = list->content; p < list->end; n++)
		if (dertlv_expect(&p, list->end, DER_SEQUENCE, &el) != 0)
			return GNUTLS_E_ASN1_DER_ERROR;
	grown = realloc(nc->subtrees, (nc->count + n + 1) * sizeof(*grown));
	if (grown == NULL)
		return GNUTLS_E_MEMORY_ERROR;
	nc->subtrees = grown;
	for (p = list->content; ret == 0 && p < list->end;) {
		(void)dertlv_expect(&p, list->end, DER_SEQUENCE, &el);
		if (pkixasn_decode("GeneralSubtree", el.start,
		    (size_t)(el.end - el.start), &subtree) != ASN1_SUCCESS)
			return GNUTLS_E_ASN1_DER_ERROR;
		ret = load_subtree(nc, subtree, permitted, f);
		asn1_delete_structure(&subtree);
	}
	return ret;
}

/*
 * NameConstraints that constrain nothing, though the extension says there
 * are constraints: the CA's issuer meant some, and which cannot be told.
 */
static int
empty_constraints(const struct nameconstraints *nc, const char *problem,
    struct finding *f)
{
	char ca[CERTNAME_MAX];

	certname_subject(nc->ca, ca);
	finding_set(f, MTLS_R_NAME_CONSTRAINTS, "CA '%s' has nameConstraints "
	    "%s, which RFC 5280 forbids, so no certificate below it is "
	    "accepted; reissue it with the subtrees it is meant to have",
	    ca, problem);
	return SUBTREE_INVALID;
}

/*
 * Both lists of the NameConstraints value der, which libtasn1 read.  RFC
 * 5280 4.2.1.10: one list at least, each of one subtree at least.
 */
static int
load_lists(struct nameconstraints *nc, const gnutls_datum_t *der,
    struct finding *f)
{
	const unsigned char *p = der->data, *end = der->data + der->size;
	struct dertlv seq, list;
	asn1_node value = NULL;
	int ret = 0;

	/* the whole value as RFC 5280 defines it, in strict DER */
	if (pkixasn_decode("NameConstraints", der->data, der->size, &value) !=
	    ASN1_SUCCESS)
		return GNUTLS_E_ASN1_DER_ERROR;
	asn1_delete_structure(&value);
	if (dertlv_expect(&p, end, DER_SEQUENCE, &seq) != 0)
		return GNUTLS_E_ASN1_DER_ERROR;
	if (seq.content == seq.end)
		return empty_constraints(nc, "with neither permittedSubtrees "
		    "nor excludedSubtrees", f);
	for (p = seq.content; ret == 0 && p < seq.end;) {
		if (dertlv_next(&p, seq.end, &list) != 0 ||
		    (list.tag != TAG_PERMITTED && list.tag != TAG_EXCLUDED))
			return GNUTLS_E_ASN1_DER_ERROR;
		if (list.content == list.end)
			return empty_constraints(nc, list.tag == TAG_PERMITTED ?
			    "with an empty permittedSubtrees" :
			    "with an empty excludedSubtrees", f);
		ret = load_list(nc, &list, list.tag == TAG_PERMITTED, f);
	}
	return ret;
}

int
nameconstraints_load(struct nameconstraints *nc, gnutls_x509_crt_t ca,
    struct finding *f)
{
	gnutls_datum_t der = { NULL, 0 };
	char name[CERTNAME_MAX];
	unsigned critical;
	int ret;

	memset(nc, 0, sizeof(*nc));
	nc->ca = ca;
	ret = gnutls_x509_crt_get_extension_by_oid2(ca,
	    GNUTLS_X509EXT_OID_NAME_CONSTRAINTS, 0, &der, &critical);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return 0;
	if (ret >= 0)
		ret = gnutls_x509_name_constraints_init(&nc->matcher);
	if (ret >= 0)
		ret = gnutls_x509_name_constraints_init(&nc->upns);
	if (ret >= 0)
		ret = load_lists(nc, &der, f);
	gnutls_free(der.data);
	if (ret == 0)
		return 1;
	nameconstraints_free(nc);
	if (ret == SUBTREE_INVALID)
		return -1;
	if (ret == GNUTLS_E_MEMORY_ERROR)
		return finding_set(f, MTLS_R_INTERNAL,
		    "out of memory reading name constraints");
	certname_subject(ca, name);
	return finding_set(f, MTLS_R_NAME_CONSTRAINTS, "CA '%s' has "
	    "nameConstraints that cannot be read (%s), so no certificate "
	    "below it is accepted; reissue it with a well-formed extension",
	    name, gnutls_strerror(ret));
}

void
nameconstraints_free(struct nameconstraints *nc)
{
	for (unsigned long i = 0; i < nc->count; i++) {
		gname_free(&nc->subtrees[i].base);
		dername_free(&nc->subtrees[i].dn);
	}
	free(nc->subtrees);
	nc->subtrees = NULL;
	nc->count = 0;
	if (nc->matcher != NULL)
		gnutls_x509_name_constraints_deinit(nc->matcher);
	if (nc->upns != NULL)
		gnutls_x509_name_constraints_deinit(nc->upns);
	nc->matcher = nc->upns = NULL;
}

/*
 * URI subtrees name a host ("host.example.com") or, with a leading
 * period, every host below a domain (".example.com") (RFC 5280 4.2.1.10).
 */
static bool
uri_within(const struct nc_subtree *st, const void *name)
{
	const gnutls_datum_t *host = name, *subtree = &st->base.value;
	size_t off;

	if (subtree->size > 0 && subtree->data[0] == '.') {
		if (host->size <= subtree->size)
			return false;
		off = host->size - subtree->size;
	} else {
		if (host->size != subtree->size)
			return false;
		off = 0;
	}
	return equal_nocase(host->data + off, subtree->data, subtree->size);
}

static bool
dn_within(const struct nc_subtree *st, const void *name)
{
	return dername_within(name, &st->dn);
}

typedef bool (*within_fn)(const struct nc_subtree *, const void *);

/* Excluded subtrees of the form first, then the permitted ones. */
static enum nc_result
match_subtrees(const struct nameconstraints *nc, enum gname_form form,
    const void *name, within_fn within)
{
	bool permitted_seen = false;

	for (unsigned long i = 0; i < nc->count; i++)
		if (!nc->subtrees[i].permitted &&
		    nc->subtrees[i].base.form == form &&
		    within(&nc->subtrees[i], name))
			return NC_OUTSIDE;
	for (unsigned long i = 0; i < nc->count; i++) {
		if (!nc->subtrees[i].permitted ||
		    nc->subtrees[i].base.form != form)
			continue;
		if (within(&nc->subtrees[i], name))
			return NC_INSIDE;
		permitted_seen = true;
	}
	return permitted_seen ? NC_OUTSIDE : NC_INSIDE;
}

static enum nc_result
match_directory_name(const struct nameconstraints *nc,
    const gnutls_datum_t *der, const char **why)
{
	struct dername dn;
	enum nc_result result;

	if (dername_load(der->data, der->size, &dn) != 0)
		return NC_NO_MEMORY;
	if (dn.prepared)
		result = match_subtrees(nc, GNAME_DIRECTORY_NAME, &dn,
		    dn_within);
	else {
		*why = "a value in it is no string of its type, or it is not "
		    "DER";
		result = NC_UNKNOWN;
	}
	dername_free(&dn);
	return result;
}

/* An otherName: a UPN by rfc822Name's rules, other types by type-id. */
static enum nc_result
match_other_name(const struct nameconstraints *nc, const struct gname *name,
    const char **why)
{
	unsigned char buf[FOLD_MAX];
	gnutls_datum_t text, folded;

	if (strcmp(name->type_id, GENERALNAME_OID_MS_UPN) != 0) {
		for (unsigned long i = 0; i < nc->count; i++)
			if (nc->subtrees[i].base.form == GNAME_OTHER_NAME &&
			    strcmp(nc->subtrees[i].base.type_id,
			    name->type_id) == 0) {
				*why = "constraints on this otherName type "
				    "are not supported";
				return NC_UNKNOWN;
			}
		return NC_INSIDE;
	}
	if (!(nc->forms & FORM_UPN))
		return NC_INSIDE;
	if (!gname_upn(name, &text)) {
		*why = "it is not a UTF8String without NUL";
		return NC_UNKNOWN;
	}
	if (!fold(true, &text, buf, sizeof(buf), &folded)) {
		*why = "the name is too long to compare";
		return NC_UNKNOWN;
	}
	return gnutls_x509_name_constraints_check(nc->upns,
	    GNUTLS_SAN_RFC822NAME, &folded) ? NC_INSIDE : NC_OUTSIDE;
}

/*
 * A wildcard dNSName ("*.example.com", folded) stands for every name one
 * label below its domain, bar.example.com among them: an excluded subtree
 * "bar.example.com" excludes it, though the wildcard as written is not
 * within that subtree (CVE-2025-61727).  A permitted subtree needs no
 * such care: it must hold the wildcard as written, so every name the
 * wildcard stands for.
 */
static bool
wildcard_excluded(const struct nameconstraints *nc, const gnutls_datum_t *name)
{
	const unsigned char *parent;
	size_t plen, label;

	if (name->size < 3 || name->data[0] != '*' || name->data[1] != '.')
		return false;
	/* ".example.com" */
	parent = name->data + 1;
	plen = name->size - 1;
	for (unsigned long i = 0; i < nc->count; i++) {
		const gnutls_datum_t *base = &nc->subtrees[i].base.value;

		if (nc->subtrees[i].permitted ||
		    nc->subtrees[i].base.form != GNAME_DNS_NAME ||
		    base->size <= plen)
			continue;
		label = base->size - plen;
		if (memchr(base->data, '.', label) == NULL &&
		    equal_nocase(base->data + label, parent, plen))
			return true;
	}
	return false;
}

static enum nc_result
match_name(const struct nameconstraints *nc, const struct gname *name,
    const char **why)
{
	unsigned char buf[FOLD_MAX];
	gnutls_datum_t folded, host;
	const gnutls_datum_t *value = &name->value;

	if (name->form == GNAME_OTHER_NAME)
		return match_other_name(nc, name, why);
	/* an IPv4 address as a dNSName would pass iPAddress subtrees
	 * unseen, and dNSName ones as the DNS name it is not */
	if (name->form == GNAME_DNS_NAME && (nc->forms &
	    ((1u << GNAME_DNS_NAME) | (1u << GNAME_IP_ADDRESS))) &&
	    generalname_dns_numeric(value)) {
		*why = "it is an IPv4 address written as a DNS name, which "
		    "iPAddress constraints cannot see; RFC 5280 asks for an "
		    "iPAddress entry";
		return NC_UNKNOWN;
	}
	if (!(nc->forms & (1u << name->form)))
		return NC_INSIDE;
	switch (name->form) {
	case GNAME_IP_ADDRESS:
		if (value->size != 4 && value->size != 16) {
			*why = "the address is neither 4 nor 16 octets";
			return NC_UNKNOWN;
		}
		/* GnuTLS skips ranges of the other address length, so it
		 * would pass an IPv6 address when only IPv4 ranges are
		 * permitted */
		if (nc->permitted_ip != 0 &&
		    !(nc->permitted_ip & (1u << value->size)))
			return NC_OUTSIDE;
		return gnutls_x509_name_constraints_check(nc->matcher,
		    GNUTLS_SAN_IPADDRESS, value) ? NC_INSIDE : NC_OUTSIDE;
	case GNAME_DNS_NAME:
	case GNAME_RFC822_NAME:
		if (!fold(name->form == GNAME_RFC822_NAME, value, buf,
		    sizeof(buf), &folded)) {
			*why = "the name is too long to compare";
			return NC_UNKNOWN;
		}
		if (name->form == GNAME_DNS_NAME &&
		    wildcard_excluded(nc, &folded))
			return NC_OUTSIDE;
		return gnutls_x509_name_constraints_check(nc->matcher,
		    gname_san_type(name), &folded) ? NC_INSIDE : NC_OUTSIDE;
	case GNAME_URI:
		if (!generalname_uri_host(value, &host)) {
			*why = "the URI has no host part";
			return NC_UNKNOWN;
		}
		return match_subtrees(nc, GNAME_URI, &host, uri_within);
	case GNAME_DIRECTORY_NAME:
		return match_directory_name(nc, value, why);
	default:
		*why = "constraints on this name form are not supported";
		return NC_UNKNOWN;
	}
}

/* what: the name as the explanation shows it ("DNS name 'x'"). */
static int
report(const struct nameconstraints *nc, gnutls_x509_crt_t crt,
    const char *role, const char *what, enum nc_result result,
    const char *why, struct finding *f)
{
	char subject[CERTNAME_MAX], ca[CERTNAME_MAX];

	certname_subject(crt, subject);
	certname_subject(nc->ca, ca);
	if (result == NC_OUTSIDE)
		return finding_set(f, MTLS_R_NAME_CONSTRAINTS,
		    "%s '%s' has %s outside the nameConstraints of CA '%s'; "
		    "reissue it with names that CA may certify, or widen the "
		    "CA's constraints", role, subject, what, ca);
	return finding_set(f, MTLS_R_NAME_CONSTRAINTS,
	    "%s '%s' has %s, a name form the nameConstraints of CA '%s' "
	    "restrict, that cannot be evaluated (%s); it is refused to be "
	    "safe: reissue it without that name", role, subject, what, ca,
	    why);
}

/* A name of a constrained form that cannot be read. */
static int
unreadable(const struct nameconstraints *nc, gnutls_x509_crt_t crt,
    const char *role, const char *form, const char *why, struct finding *f)
{
	char what[64];

	snprintf(what, sizeof(what), "a %s", form);
	return report(nc, crt, role, what, NC_UNKNOWN, why, f);
}

/* form: how the explanation calls the name, NULL for its form's name. */
static int
check_one(const struct nameconstraints *nc, gnutls_x509_crt_t crt,
    const char *role, const char *form, const struct gname *name,
    struct finding *f)
{
	char shown[SHOWN_NAME_MAX], what[SHOWN_NAME_MAX + 64];
	const char *why = "";
	enum nc_result result = match_name(nc, name, &why);

	if (result == NC_INSIDE)
		return 0;
	if (result == NC_NO_MEMORY)
		return finding_set(f, MTLS_R_INTERNAL, "out of memory "
		    "matching name constraints");
	gname_print(name, shown, sizeof(shown));
	snprintf(what, sizeof(what), "%s '%s'", form != NULL ? form :
	    gname_form_name(name), shown);
	return report(nc, crt, role, what, result, why, f);
}

static int
check_subject(const struct nameconstraints *nc, gnutls_x509_crt_t crt,
    const char *role, struct finding *f)
{
	struct gname subject = { .form = GNAME_DIRECTORY_NAME };
	int ret;

	if (gnutls_x509_crt_get_raw_dn(crt, &subject.value) < 0)
		return unreadable(nc, crt, role, "subject",
		    "the subject cannot be read", f);
	/* an empty subject is no directoryName at all */
	ret = subject.value.size <= 2 ? 0 :
	    check_one(nc, crt, role, "subject", &subject, f);
	gname_free(&subject);
	return ret;
}

/*
 * Legacy certificates carry a mail address in the subject: RFC 5280
 * 4.2.1.10 holds emailAddress attributes to rfc822Name constraints.
 */
static int
check_subject_emails(const struct nameconstraints *nc, gnutls_x509_crt_t crt,
    const char *role, struct finding *f)
{
	static const char form[] = "subject emailAddress";
	struct gname email = { .form = GNAME_RFC822_NAME };
	gnutls_x509_dn_t dn;
	gnutls_x509_ava_st ava;
	int ret;

	if (gnutls_x509_crt_get_subject(crt, &dn) < 0)
		return unreadable(nc, crt, role, form,
		    "the subject cannot be read", f);
	for (int rdn = 0;; rdn++) {
		int i;

		for (i = 0; (ret = gnutls_x509_dn_get_rdn_ava(dn, rdn, i,
		    &ava)) == 0; i++) {
			if (!generalname_oid_is(&ava.oid, GNUTLS_OID_PKCS9_EMAIL))
				continue;
			if (ava.value_tag != TAG_IA5STRING &&
			    ava.value_tag != TAG_UTF8STRING &&
			    ava.value_tag != TAG_PRINTABLESTRING)
				return unreadable(nc, crt, role, form,
				    "it is not an ASCII string", f);
			email.value = ava.value;
			if (check_one(nc, crt, role, form, &email, f) != 0)
				return -1;
		}
		if (ret != GNUTLS_E_ASN1_ELEMENT_NOT_FOUND)
			return unreadable(nc, crt, role, form,
			    "the subject cannot be read", f);
		if (i == 0)
			return 0;
	}
}

/*
 * The subjectAltName of crt into *der (data NULL when it has none) and
 * its number of names into *n: 0, or -1 when it is no GeneralNames.
 */
static int
alt_names(gnutls_x509_crt_t crt, gnutls_datum_t *der, struct dertlv *list,
    unsigned long *n)
{
	const unsigned char *p;
	struct dertlv el;
	unsigned critical;
	int ret;

	der->data = NULL;
	*n = 0;
	ret = gnutls_x509_crt_get_extension_by_oid2(crt, GNUTLS_X509EXT_OID_SAN,
	    0, der, &critical);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return 0;
	if (ret < 0)
		return -1;
	p = der->data;
	if (dertlv_expect(&p, der->data + der->size, DER_SEQUENCE, list) != 0 ||
	    p != der->data + der->size)
		return -1;
	for (p = list->content; p < list->end; (*n)++)
		if (dertlv_next(&p, list->end, &el) != 0)
			return -1;
	return 0;
}

/* Each name of the GeneralNames list, decoded on its own (load_list()). */
static int
check_alt_names(const struct nameconstraints *nc, gnutls_x509_crt_t crt,
    const char *role, const struct dertlv *list, struct finding *f)
{
	const unsigned char *p = list->content;
	struct dertlv el;
	struct gname name;
	asn1_node value;
	int ret = 0;

	while (ret == 0 && p < list->end) {
		(void)dertlv_next(&p, list->end, &el);
		if (pkixasn_decode("GeneralName", el.start,
		    (size_t)(el.end - el.start), &value) != ASN1_SUCCESS)
			return unreadable(nc, crt, role, "subjectAltName",
			    "it cannot be decoded", f);
		ret = gname_read(value, "", &name);
		asn1_delete_structure(&value);
		if (ret == GNAME_NO_MEMORY)
			return finding_set(f, MTLS_R_INTERNAL, "out of memory "
			    "reading a subjectAltName");
		if (ret != 0)
			return unreadable(nc, crt, role, "subjectAltName",
			    "it cannot be decoded", f);
		ret = check_one(nc, crt, role, NULL, &name, f);
		gname_free(&name);
	}
	return ret;
}

int
nameconstraints_check(const struct nameconstraints *nc, gnutls_x509_crt_t crt,
    const char *role, unsigned long *work, struct finding *f)
{
	char subject[CERTNAME_MAX], ca[CERTNAME_MAX];
	gnutls_datum_t der;
	struct dertlv list;
	unsigned long names;
	int ret;

	if (alt_names(crt, &der, &list, &names) != 0) {
		gnutls_free(der.data);
		return unreadable(nc, crt, role, "subjectAltName",
		    "it cannot be decoded", f);
	}
	/* the subject, and each subjectAltName entry */
	*work += nc->count * (names + 1);
	if (*work > NAMECONSTRAINTS_MAX_WORK) {
		gnutls_free(der.data);
		certname_subject(crt, subject);
		certname_subject(nc->ca, ca);
		return finding_set(f, MTLS_R_WORK_LIMIT, "matching the names "
		    "of %s '%s' against the nameConstraints of CA '%s' and the "
		    "CAs above it takes more than %d comparisons, more than "
		    "any real PKI needs; reissue the CA with fewer subtrees, "
		    "or the certificate with fewer names", role, subject, ca,
		    NAMECONSTRAINTS_MAX_WORK);
	}
	ret = 0;
	if ((nc->forms & (1u << GNAME_DIRECTORY_NAME)) &&
	    check_subject(nc, crt, role, f) != 0)
		ret = -1;
	if (ret == 0 && (nc->forms & (1u << GNAME_RFC822_NAME)) &&
	    check_subject_emails(nc, crt, role, f) != 0)
		ret = -1;
	if (ret == 0 && der.data != NULL)
		ret = check_alt_names(nc, crt, role, &list, f);
	gnutls_free(der.data);
	return ret;
}
