#include "nameconstraints.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "certname.h"
#include "generalname.h"
#include "pkixasn.h"

/* Longest DNS name or email address compared; RFC 5321 allows 254. */
#define FOLD_MAX 320
/* Printed names in explanations. */
#define SHOWN_NAME_MAX 128

/* Universal ASN.1 tags of the strings an emailAddress attribute may use. */
#define TAG_UTF8STRING 12
#define TAG_PRINTABLESTRING 19
#define TAG_IA5STRING 22

enum nc_result {
	NC_INSIDE,	/* permitted and not excluded, or not constrained */
	NC_OUTSIDE,	/* excluded, or not in any permitted subtree */
	NC_UNKNOWN	/* constrained, but cannot be evaluated */
};

/* One bit per GeneralName form; every otherName kind shares one bit. */
static unsigned
form_bit(unsigned type)
{
	if (type >= GNUTLS_SAN_OTHERNAME_XMPP)
		return 1u << GNUTLS_SAN_OTHERNAME;
	if (type <= GNUTLS_SAN_MAX)
		return 1u << type;
	return 1u;
}

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
 * buf (only the domain of a mailbox: its local part is case-sensitive)
 * before GnuTLS sees them.  Other forms pass through unchanged.
 */
static bool
fold(unsigned type, const gnutls_datum_t *in, unsigned char *buf,
    size_t buflen, gnutls_datum_t *out)
{
	const unsigned char *at;
	size_t from = 0;

	if (type != GNUTLS_SAN_DNSNAME && type != GNUTLS_SAN_RFC822NAME) {
		*out = *in;
		return true;
	}
	if (in->size > buflen)
		return false;
	if (type == GNUTLS_SAN_RFC822NAME &&
	    (at = memchr(in->data, '@', in->size)) != NULL)
		from = (size_t)(at - in->data) + 1;
	for (size_t i = 0; i < in->size; i++)
		buf[i] = i < from ? in->data[i] : lower(in->data[i]);
	out->data = buf;
	out->size = in->size;
	return true;
}

static int
get_subtree(gnutls_x509_name_constraints_t nc, bool permitted, unsigned i,
    unsigned *type, gnutls_datum_t *name)
{
	if (permitted)
		return gnutls_x509_name_constraints_get_permitted(nc, i, type,
		    name);
	return gnutls_x509_name_constraints_get_excluded(nc, i, type, name);
}

/* A subtree that is not a name of its form: the finding is set. */
#define SUBTREE_INVALID 1

static int
invalid_subtree(const struct nameconstraints *nc, bool permitted,
    unsigned type, const gnutls_datum_t *base, const char *problem,
    struct finding *f)
{
	char ca[CERTNAME_MAX], shown[SHOWN_NAME_MAX];

	certname_subject(nc->ca, ca);
	generalname_print(type, base, shown, sizeof(shown));
	finding_set(f, MTLS_R_NAME_CONSTRAINTS, "CA '%s' has a%s %s "
	    "subtree '%s' in its nameConstraints that %s, so no certificate "
	    "below it is accepted; reissue it with valid subtrees", ca,
	    permitted ? " permitted" : "n excluded", generalname_form(type),
	    shown, problem);
	return SUBTREE_INVALID;
}

static int
copy_subtrees(struct nameconstraints *nc, gnutls_x509_name_constraints_t from,
    bool permitted, struct finding *f)
{
	unsigned char buf[FOLD_MAX];
	unsigned type;
	gnutls_datum_t name, folded;
	const char *problem;
	int ret;

	for (unsigned i = 0; (ret = get_subtree(from, permitted, i, &type,
	    &name)) >= 0; i++) {
		if ((problem = generalname_subtree_problem(type, &name)) != NULL)
			return invalid_subtree(nc, permitted, type, &name,
			    problem, f);
		if (!fold(type, &name, buf, sizeof(buf), &folded))
			return GNUTLS_E_ILLEGAL_PARAMETER;
		if (permitted)
			ret = gnutls_x509_name_constraints_add_permitted(
			    nc->subtrees, type, &folded);
		else
			ret = gnutls_x509_name_constraints_add_excluded(
			    nc->subtrees, type, &folded);
		if (ret < 0)
			return ret;
		nc->forms |= form_bit(type);
		nc->count++;
		if (permitted && type == GNUTLS_SAN_IPADDRESS)
			nc->permitted_ip |= 1u << (name.size / 2);
	}
	return ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE ? 0 : ret;
}

/* Whether the subtree at field (".base" of a GeneralSubtree) is an empty
 * directoryName. */
static bool
empty_directory_name(asn1_node value, const char *field)
{
	unsigned char name[4];
	char dn[128];
	int len = sizeof(name);

	snprintf(dn, sizeof(dn), "%s.directoryName", field);
	return asn1_read_value(value, dn, name, &len) == ASN1_SUCCESS &&
	    len == 2 && name[0] == 0x30 && name[1] == 0x00;
}

/*
 * Take out of list ("permittedSubtrees" or "excludedSubtrees") what
 * GnuTLS cannot read, keeping what it means in nc.  GNUTLS_E_SUCCESS, or
 * GNUTLS_E_ASN1_DER_ERROR for a subtree that cannot be read at all.
 */
static int
strip_subtrees(struct nameconstraints *nc, asn1_node value, const char *list,
    bool permitted)
{
	char field[64], base[80], form[32];
	int n = 0, len;

	if (asn1_number_of_elements(value, list, &n) != ASN1_SUCCESS)
		return GNUTLS_E_SUCCESS;
	for (int i = n; i >= 1; i--) {
		snprintf(field, sizeof(field), "%s.?%d", list, i);
		snprintf(base, sizeof(base), "%s.base", field);
		len = sizeof(form);
		if (asn1_read_value(value, base, form, &len) != ASN1_SUCCESS)
			return GNUTLS_E_ASN1_DER_ERROR;
		if (strcmp(form, "registeredID") == 0)
			nc->forms |= form_bit(GNUTLS_SAN_REGISTERED_ID);
		else if (strcmp(form, "directoryName") == 0 &&
		    empty_directory_name(value, base)) {
			nc->forms |= form_bit(GNUTLS_SAN_DN);
			if (permitted)
				nc->permitted_all_dn = true;
			else
				nc->excluded_all_dn = true;
		} else if (strcmp(form, "x400Address") != 0 &&
		    strcmp(form, "ediPartyName") != 0)
			continue;
		nc->count++;
		if (asn1_delete_element(value, field) != ASN1_SUCCESS)
			return GNUTLS_E_ASN1_DER_ERROR;
		n--;
	}
	if (n == 0 && asn1_write_value(value, list, NULL, 0) != ASN1_SUCCESS)
		return GNUTLS_E_ASN1_DER_ERROR;
	return GNUTLS_E_SUCCESS;
}

/*
 * The nameConstraints of ca into raw, but what strip_subtrees() keeps
 * aside.  GnuTLS's error, or GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE when
 * ca has none.
 */
static int
read_subtrees(struct nameconstraints *nc, gnutls_x509_name_constraints_t raw)
{
	gnutls_datum_t der = { NULL, 0 }, rest = { NULL, 0 };
	asn1_node value = NULL;
	unsigned critical;
	int ret, len = 0;

	ret = gnutls_x509_crt_get_extension_by_oid2(nc->ca,
	    GNUTLS_X509EXT_OID_NAME_CONSTRAINTS, 0, &der, &critical);
	if (ret < 0)
		return ret;
	if (pkixasn_decode("NameConstraints", der.data, der.size, &value) !=
	    ASN1_SUCCESS)
		ret = GNUTLS_E_ASN1_DER_ERROR;
	if (ret >= 0)
		ret = strip_subtrees(nc, value, "permittedSubtrees", true);
	if (ret >= 0)
		ret = strip_subtrees(nc, value, "excludedSubtrees", false);
	if (ret >= 0 && asn1_der_coding(value, "", NULL, &len, NULL) !=
	    ASN1_MEM_ERROR)
		ret = GNUTLS_E_ASN1_DER_ERROR;
	if (ret >= 0 && (rest.data = gnutls_malloc((size_t)len)) == NULL)
		ret = GNUTLS_E_MEMORY_ERROR;
	if (ret >= 0 && asn1_der_coding(value, "", rest.data, &len, NULL) !=
	    ASN1_SUCCESS)
		ret = GNUTLS_E_ASN1_DER_ERROR;
	rest.size = (unsigned)len;
	/* nothing left for GnuTLS: an empty SEQUENCE */
	if (ret >= 0 && rest.size > 2)
		ret = gnutls_x509_ext_import_name_constraints(&rest, raw, 0);
	gnutls_free(rest.data);
	asn1_delete_structure(&value);
	gnutls_free(der.data);
	return ret;
}

int
nameconstraints_load(struct nameconstraints *nc, gnutls_x509_crt_t ca,
    struct finding *f)
{
	gnutls_x509_name_constraints_t raw;
	char name[CERTNAME_MAX];
	int ret;

	memset(nc, 0, sizeof(*nc));
	nc->ca = ca;
	if (gnutls_x509_name_constraints_init(&raw) < 0)
		return finding_set(f, MTLS_R_INTERNAL,
		    "out of memory reading name constraints");
	ret = read_subtrees(nc, raw);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
		gnutls_x509_name_constraints_deinit(raw);
		return 0;
	}
	if (ret >= 0)
		ret = gnutls_x509_name_constraints_init(&nc->subtrees);
	if (ret >= 0) {
		ret = copy_subtrees(nc, raw, true, f);
		if (ret == 0)
			ret = copy_subtrees(nc, raw, false, f);
		if (ret != 0)
			nameconstraints_free(nc);
	}
	gnutls_x509_name_constraints_deinit(raw);
	if (ret == SUBTREE_INVALID)
		return -1;
	if (ret == GNUTLS_E_MEMORY_ERROR)
		return finding_set(f, MTLS_R_INTERNAL,
		    "out of memory reading name constraints");
	if (ret < 0) {
		certname_subject(ca, name);
		return finding_set(f, MTLS_R_NAME_CONSTRAINTS,
		    "CA '%s' has nameConstraints that cannot be evaluated "
		    "(%s), so no certificate below it is accepted; reissue it "
		    "with constraints on DNS names, email addresses, IP "
		    "addresses, URIs or directory names only", name,
		    gnutls_strerror(ret));
	}
	return 1;
}

void
nameconstraints_free(struct nameconstraints *nc)
{
	if (nc->subtrees != NULL)
		gnutls_x509_name_constraints_deinit(nc->subtrees);
	nc->subtrees = NULL;
}

/*
 * Directory names.  GnuTLS hands out the directoryName of a subtree or a
 * subjectAltName only as an RFC 4514 string, so the subject is compared
 * in the same form, printed by the same GnuTLS code.  That printer
 * escapes every ',', '+' and '\' in a value with a '\', so splitting at
 * unescaped separators recovers the RDNs and attributes exactly.  RFC
 * 4514 lists the RDNs last first: a constraint that is a prefix of the
 * subject's RDN sequence is a suffix of its string.
 */

/* Position of the first unescaped sep in s[from, to), or to. */
static size_t
dn_scan(const gnutls_datum_t *s, size_t from, size_t to, char sep)
{
	for (size_t i = from; i < to; i++) {
		if (s->data[i] == '\\')
			i++;
		else if (s->data[i] == sep)
			return i;
	}
	return to;
}

static size_t
dn_count(const gnutls_datum_t *s, size_t from, size_t to, char sep)
{
	size_t n = 0;

	if (from >= to)
		return 0;
	for (size_t i = from; i <= to; i = dn_scan(s, i, to, sep) + 1)
		n++;
	return n;
}

/*
 * An attribute value read for comparison as RFC 5280 7.1 asks: escapes
 * removed, leading and trailing spaces dropped, inner runs of spaces
 * made one, ASCII letters in one case.
 */
struct dn_value {
	const unsigned char *p;
	size_t len, i;
	int held;
	bool started;
};

static int
dn_value_raw(struct dn_value *v)
{
	if (v->i >= v->len)
		return -1;
	if (v->p[v->i] == '\\' && v->i + 1 < v->len)
		v->i++;
	return v->p[v->i++];
}

static int
dn_value_next(struct dn_value *v)
{
	bool space = false;
	int c;

	if (v->held >= 0) {
		c = v->held;
		v->held = -1;
		return c;
	}
	while ((c = dn_value_raw(v)) == ' ')
		space = true;
	if (c < 0)
		return -1;
	c = lower((unsigned char)c);
	if (space && v->started) {
		v->held = c;
		return ' ';
	}
	v->started = true;
	return c;
}

static bool
dn_value_equal(const gnutls_datum_t *a, size_t as, size_t ae,
    const gnutls_datum_t *b, size_t bs, size_t be)
{
	struct dn_value x = { a->data + as, ae - as, 0, -1, false };
	struct dn_value y = { b->data + bs, be - bs, 0, -1, false };
	int c;

	while ((c = dn_value_next(&x)) == dn_value_next(&y))
		if (c < 0)
			return true;
	return false;
}

/* "type=value" at a[as, ae) against b[bs, be) */
static bool
dn_attr_equal(const gnutls_datum_t *a, size_t as, size_t ae,
    const gnutls_datum_t *b, size_t bs, size_t be)
{
	size_t ea = dn_scan(a, as, ae, '=');
	size_t eb = dn_scan(b, bs, be, '=');

	if (ea - as != eb - bs || !equal_nocase(a->data + as, b->data + bs,
	    ea - as))
		return false;
	return dn_value_equal(a, ea < ae ? ea + 1 : ae, ae, b,
	    eb < be ? eb + 1 : be, be);
}

/* One RDN against another: the same set of attributes. */
static bool
dn_rdn_equal(const gnutls_datum_t *a, size_t as, size_t ae,
    const gnutls_datum_t *b, size_t bs, size_t be)
{
	if (dn_count(a, as, ae, '+') != dn_count(b, bs, be, '+'))
		return false;
	for (size_t i = as; i < ae; i++) {
		size_t iend = dn_scan(a, i, ae, '+');
		bool found = false;

		for (size_t j = bs; j < be && !found; j++) {
			size_t jend = dn_scan(b, j, be, '+');

			found = dn_attr_equal(a, i, iend, b, j, jend);
			j = jend;
		}
		if (!found)
			return false;
		i = iend;
	}
	return true;
}

/* Whether the directory name lies in the subtree (RFC 5280 4.2.1.10). */
static bool
dn_within(const gnutls_datum_t *name, const gnutls_datum_t *subtree)
{
	size_t m = dn_count(subtree, 0, subtree->size, ',');
	size_t r = dn_count(name, 0, name->size, ',');
	size_t np = 0, sp = 0;

	if (m > r)
		return false;
	for (size_t k = 0; k < r - m; k++)
		np = dn_scan(name, np, name->size, ',') + 1;
	for (size_t k = 0; k < m; k++) {
		size_t ne = dn_scan(name, np, name->size, ',');
		size_t se = dn_scan(subtree, sp, subtree->size, ',');

		if (!dn_rdn_equal(subtree, sp, se, name, np, ne))
			return false;
		np = ne + 1;
		sp = se + 1;
	}
	return true;
}

/*
 * Whether an attribute value of the name is in the hex form GnuTLS prints
 * for a value it does not decode as a string of its attribute ("#...",
 * RFC 4514; some with the '#' escaped), as an O in a UniversalString or
 * IA5String.  Such a value equals no subtree's, so an excluded subtree
 * could not catch it.
 */
static bool
dn_has_hex_value(const gnutls_datum_t *name)
{
	const unsigned char *s = name->data;
	size_t end = name->size;

	for (size_t rdn = 0; rdn < end;) {
		size_t rdn_end = dn_scan(name, rdn, end, ',');

		for (size_t attr = rdn; attr < rdn_end;) {
			size_t attr_end = dn_scan(name, attr, rdn_end, '+');
			size_t v = dn_scan(name, attr, attr_end, '=') + 1;

			if (v < attr_end && (s[v] == '#' || (s[v] == '\\' &&
			    v + 1 < attr_end && s[v + 1] == '#')))
				return true;
			attr = attr_end + 1;
		}
		rdn = rdn_end + 1;
	}
	return false;
}

/*
 * URI subtrees name a host ("host.example.com") or, with a leading
 * period, every host below a domain (".example.com") (RFC 5280 4.2.1.10).
 */
static bool
uri_host_within(const gnutls_datum_t *host, const gnutls_datum_t *subtree)
{
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

typedef bool (*within_fn)(const gnutls_datum_t *, const gnutls_datum_t *);

/* Excluded subtrees first, then the permitted ones, of one form. */
static bool
excluded(const struct nameconstraints *nc, unsigned type,
    const gnutls_datum_t *name, within_fn within)
{
	gnutls_datum_t subtree;
	unsigned t;

	for (unsigned i = 0; gnutls_x509_name_constraints_get_excluded(
	    nc->subtrees, i, &t, &subtree) >= 0; i++)
		if (t == type && within(name, &subtree))
			return true;
	return false;
}

static enum nc_result
match_subtrees(const struct nameconstraints *nc, unsigned type,
    const gnutls_datum_t *name, within_fn within)
{
	bool permitted_seen = false;
	gnutls_datum_t subtree;
	unsigned t;

	if (excluded(nc, type, name, within))
		return NC_OUTSIDE;
	for (unsigned i = 0; gnutls_x509_name_constraints_get_permitted(
	    nc->subtrees, i, &t, &subtree) >= 0; i++) {
		if (t != type)
			continue;
		if (within(name, &subtree))
			return NC_INSIDE;
		permitted_seen = true;
	}
	return permitted_seen ? NC_OUTSIDE : NC_INSIDE;
}

static enum nc_result
match_name(const struct nameconstraints *nc, unsigned type,
    const gnutls_datum_t *name, const char **why)
{
	unsigned char buf[FOLD_MAX];
	gnutls_datum_t folded, host;
	enum nc_result result;

	if (!(nc->forms & form_bit(type)))
		return NC_INSIDE;
	switch (type) {
	case GNUTLS_SAN_IPADDRESS:
		if (name->size != 4 && name->size != 16) {
			*why = "the address is neither 4 nor 16 octets";
			return NC_UNKNOWN;
		}
		/* GnuTLS skips ranges of the other address length, so it
		 * would pass an IPv6 address when only IPv4 ranges are
		 * permitted */
		if (nc->permitted_ip != 0 &&
		    !(nc->permitted_ip & (1u << name->size)))
			return NC_OUTSIDE;
		/* FALLTHROUGH */
	case GNUTLS_SAN_DNSNAME:
	case GNUTLS_SAN_RFC822NAME:
		if (!fold(type, name, buf, sizeof(buf), &folded)) {
			*why = "the name is too long to compare";
			return NC_UNKNOWN;
		}
		return gnutls_x509_name_constraints_check(nc->subtrees, type,
		    &folded) ? NC_INSIDE : NC_OUTSIDE;
	case GNUTLS_SAN_URI:
		if (!generalname_uri_host(name, &host)) {
			*why = "the URI has no host part";
			return NC_UNKNOWN;
		}
		return match_subtrees(nc, type, &host, uri_host_within);
	case GNUTLS_SAN_DN:
		/* an empty directoryName subtree holds every name */
		if (nc->excluded_all_dn)
			return NC_OUTSIDE;
		if (dn_has_hex_value(name)) {
			*why = "a value in it is in no string form it can be "
			    "compared in";
			return NC_UNKNOWN;
		}
		result = match_subtrees(nc, type, name, dn_within);
		return nc->permitted_all_dn && result == NC_OUTSIDE &&
		    !excluded(nc, type, name, dn_within) ? NC_INSIDE : result;
	default:
		*why = "constraints on this name form are not supported";
		return NC_UNKNOWN;
	}
}

/* name NULL: the name could not be read at all. */
static int
report(const struct nameconstraints *nc, gnutls_x509_crt_t crt,
    const char *role, const char *form, unsigned type,
    const gnutls_datum_t *name, enum nc_result result, const char *why,
    struct finding *f)
{
	char subject[CERTNAME_MAX], ca[CERTNAME_MAX], shown[SHOWN_NAME_MAX];
	char what[SHOWN_NAME_MAX + 64];

	certname_subject(crt, subject);
	certname_subject(nc->ca, ca);
	if (name != NULL) {
		generalname_print(type, name, shown, sizeof(shown));
		snprintf(what, sizeof(what), "%s '%s'", form, shown);
	} else
		snprintf(what, sizeof(what), "a %s", form);
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
	return report(nc, crt, role, form, GNUTLS_SAN_DN, NULL, NC_UNKNOWN,
	    why, f);
}

static int
check_one(const struct nameconstraints *nc, gnutls_x509_crt_t crt,
    const char *role, const char *form, unsigned type,
    const gnutls_datum_t *name, struct finding *f)
{
	const char *why = "";
	enum nc_result result = match_name(nc, type, name, &why);

	if (result == NC_INSIDE)
		return 0;
	return report(nc, crt, role, form, type, name, result, why, f);
}

static int
check_subject(const struct nameconstraints *nc, gnutls_x509_crt_t crt,
    const char *role, struct finding *f)
{
	gnutls_datum_t dn = { NULL, 0 };
	int ret;

	ret = gnutls_x509_crt_get_dn3(crt, &dn, 0);
	/* an empty subject is no directoryName at all */
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return 0;
	if (ret < 0)
		return unreadable(nc, crt, role, "subject",
		    "the subject cannot be read", f);
	ret = check_one(nc, crt, role, "subject", GNUTLS_SAN_DN, &dn, f);
	gnutls_free(dn.data);
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
			if (check_one(nc, crt, role, form,
			    GNUTLS_SAN_RFC822NAME, &ava.value, f) != 0)
				return -1;
		}
		if (ret != GNUTLS_E_ASN1_ELEMENT_NOT_FOUND)
			return unreadable(nc, crt, role, form,
			    "the subject cannot be read", f);
		if (i == 0)
			return 0;
	}
}

static int
check_alt_names(const struct nameconstraints *nc, gnutls_x509_crt_t crt,
    const char *role, struct finding *f)
{
	gnutls_subject_alt_names_t sans;
	gnutls_datum_t name;
	unsigned type;
	int ret;

	ret = generalname_load_san(crt, &sans);
	if (ret == 0)
		return 0;
	if (ret < 0)
		return unreadable(nc, crt, role, "subjectAltName",
		    "it cannot be decoded", f);
	ret = 0;
	for (unsigned i = 0; ret == 0 && gnutls_subject_alt_names_get(sans, i,
	    &type, &name, NULL) >= 0; i++)
		ret = check_one(nc, crt, role, generalname_form(type), type,
		    &name, f);
	gnutls_subject_alt_names_deinit(sans);
	return ret;
}

/* The names of crt held to constraints: its subject, and each
 * subjectAltName entry. */
static unsigned long
count_names(gnutls_x509_crt_t crt)
{
	gnutls_subject_alt_names_t sans;
	unsigned long n = 1;

	if (generalname_load_san(crt, &sans) <= 0)
		return n;
	for (unsigned i = 0; gnutls_subject_alt_names_get(sans, i, NULL, NULL,
	    NULL) >= 0; i++)
		n++;
	gnutls_subject_alt_names_deinit(sans);
	return n;
}

int
nameconstraints_check(const struct nameconstraints *nc, gnutls_x509_crt_t crt,
    const char *role, unsigned long *work, struct finding *f)
{
	char subject[CERTNAME_MAX], ca[CERTNAME_MAX];

	*work += nc->count * count_names(crt);
	if (*work > NAMECONSTRAINTS_MAX_WORK) {
		certname_subject(crt, subject);
		certname_subject(nc->ca, ca);
		return finding_set(f, MTLS_R_WORK_LIMIT, "matching the names "
		    "of %s '%s' against the nameConstraints of CA '%s' and the "
		    "CAs above it takes more than %d comparisons, more than "
		    "any real PKI needs; reissue the CA with fewer subtrees, "
		    "or the certificate with fewer names", role, subject, ca,
		    NAMECONSTRAINTS_MAX_WORK);
	}
	if ((nc->forms & form_bit(GNUTLS_SAN_DN)) &&
	    check_subject(nc, crt, role, f) != 0)
		return -1;
	if ((nc->forms & form_bit(GNUTLS_SAN_RFC822NAME)) &&
	    check_subject_emails(nc, crt, role, f) != 0)
		return -1;
	return check_alt_names(nc, crt, role, f);
}
