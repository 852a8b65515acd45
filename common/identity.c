/*
 * identity.c - the user name a client certificate maps to: the name the
 * identity.map rule reads from the certificate, held to the rules of a
 * clean name, and looked up in the map file for the dn and fingerprint
 * rules.
 */
#include "identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>

#include "certname.h"
#include "dername.h"
#include "generalname.h"
#include "mapfile.h"
#include "pkixasn.h"
#include "utf8.h"

#define OID_USER_ID "0.9.2342.19200300.100.1.1"

/* ASN.1 universal tags of the string types of attribute values. */
#define TAG_UTF8_STRING 12
#define TAG_NUMERIC_STRING 18
#define TAG_PRINTABLE_STRING 19
#define TAG_TELETEX_STRING 20
#define TAG_IA5_STRING 22
#define TAG_VISIBLE_STRING 26
#define TAG_GENERAL_STRING 27
#define TAG_UNIVERSAL_STRING 28
#define TAG_BMP_STRING 30

struct identity {
	enum mtls_map_rule rule;
	struct dername *issuers;	/* identity.issuers, as Names */
	size_t nissuers;
	struct mapfile *map;	/* the dn and fingerprint rules' map file */
};


/* What each rule reads from a certificate (its name: config_map_words). */
static const char *const sources[MTLS_MAP_RULES] = {
	[MTLS_MAP_CN] = "commonName",
	[MTLS_MAP_EMAIL] = "rfc822Name subjectAltName",
	[MTLS_MAP_UPN] = "Microsoft UPN subjectAltName",
	[MTLS_MAP_UID] = "userID",
	[MTLS_MAP_DN] = "subject DN",
	[MTLS_MAP_FINGERPRINT] = "SHA-256 fingerprint",
};

/*
 * The Name an identity.issuers string stands for, read by GnuTLS as RFC
 * 4514 writes names: the last RDN first, as GnuTLS prints them too, so an
 * issuer is written as "mtls verify" shows it.  -1 with err set when
 * GnuTLS cannot read it, or it names nothing.
 */
static int
load_issuer(const char *text, struct dername *out, char *err, size_t errlen)
{
	gnutls_x509_dn_t dn;
	gnutls_datum_t der = { NULL, 0 };
	int ret;

	if ((ret = gnutls_x509_dn_init(&dn)) >= 0) {
		if ((ret = gnutls_x509_dn_set_str(dn, text, NULL)) >= 0)
			ret = gnutls_x509_dn_export2(dn, GNUTLS_X509_FMT_DER,
			    &der);
		gnutls_x509_dn_deinit(dn);
	}
	if (ret >= 0) {
		ret = dername_load(der.data, der.size, out) != 0 ?
		    GNUTLS_E_MEMORY_ERROR : 0;
		gnutls_free(der.data);
	}
	if (ret == GNUTLS_E_MEMORY_ERROR) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (ret < 0) {
		snprintf(err, errlen, "identity.issuers: \"%s\" is not a "
		    "name GnuTLS can read; write the CA's subject as \"mtls "
		    "verify\" prints a certificate's issuer, as \"CN=Example "
		    "Users CA,O=Example\" (GnuTLS reads no multi-valued RDN, "
		    "no \"+\" between attributes)", text);
		return -1;
	}
	if (out->len == 0) {
		dername_free(out);
		snprintf(err, errlen, "identity.issuers: \"%s\" is an empty "
		    "name, which no CA has", text);
		return -1;
	}
	return 0;
}

int
identity_load(struct identity **out, const struct mtls_identity *conf,
    const char *config_file, const struct log_sink *log, char *err,
    size_t errlen)
{
	struct identity *id;

	*out = NULL;
	if ((size_t)conf->map >= MTLS_MAP_RULES) {
		snprintf(err, errlen, "unknown identity.map rule %d",
		    (int)conf->map);
		return -1;
	}
	id = calloc(1, sizeof(*id));
	if (id == NULL)
		goto nomem;
	id->rule = conf->map;
	if (conf->issuers.count > 0 && (id->issuers = calloc(
	    conf->issuers.count, sizeof(*id->issuers))) == NULL)
		goto nomem;
	for (; id->nissuers < conf->issuers.count; id->nissuers++)
		if (load_issuer(conf->issuers.items[id->nissuers],
		    &id->issuers[id->nissuers], err, errlen) != 0)
			goto fail;
	if (id->rule == MTLS_MAP_DN || id->rule == MTLS_MAP_FINGERPRINT) {
		if (conf->map_file == NULL) {
			snprintf(err, errlen, "identity.map = \"%s\" needs "
			    "identity.map_file", config_map_words[id->rule]);
			goto fail;
		}
		if (mapfile_load(&id->map, conf->map_file,
		    id->rule == MTLS_MAP_FINGERPRINT, config_file, log, err,
		    errlen) != 0)
			goto fail;
	}
	*out = id;
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
fail:
	identity_free(id);
	return -1;
}

int
identity_check_map(const struct identity *id, char *err, size_t errlen)
{
	if (id == NULL || id->map == NULL)
		return 0;
	return mapfile_check(id->map, err, errlen);
}

void
identity_free(struct identity *id)
{
	if (id == NULL)
		return;
	for (size_t i = 0; i < id->nissuers; i++)
		dername_free(&id->issuers[i]);
	free(id->issuers);
	mapfile_free(id->map);
	free(id);
}

/* What keeps a name from mapping. */
enum name_defect {
	NAME_CLEAN,
	NAME_EMPTY,
	NAME_CONTROL,	/* a NUL or another control character, C1 included */
	NAME_NOT_UTF8	/* not well-formed UTF-8, as an overlong newline */
};

/* Only the certificate's own bytes count: a NUL ends no name early. */
static enum name_defect
name_defect(const unsigned char *name, size_t len)
{
	if (len == 0)
		return NAME_EMPTY;
	for (size_t i = 0; i < len;) {
		unsigned long c;
		size_t n = utf8_decode(name + i, len - i, &c);

		if (n == 0)
			return NAME_NOT_UTF8;
		if (utf8_is_control(c))
			return NAME_CONTROL;
		i += n;
	}
	return NAME_CLEAN;
}

static int
refuse_name(const struct identity *id, gnutls_x509_crt_t leaf,
    const unsigned char *name, size_t len, struct finding *f)
{
	char subject[CERTNAME_MAX], shown[CERTNAME_MAX];

	certname_subject(leaf, subject);
	if (len == 0)
		return finding_set(f, MTLS_R_USER_UNMAPPED, "client "
		    "certificate '%s': its %s is empty; no user name maps from "
		    "it", subject, sources[id->rule]);
	certname_escape(name, len, shown, sizeof(shown));
	return finding_set(f, MTLS_R_USER_UNMAPPED, "client certificate '%s': "
	    "its %s '%s' %s; such a name never maps to a user", subject,
	    sources[id->rule], shown,
	    name_defect(name, len) == NAME_NOT_UTF8 ? "is not valid UTF-8" :
	    "has a NUL or control character");
}

static int
check_name(const struct identity *id, gnutls_x509_crt_t leaf,
    const unsigned char *name, size_t len, struct finding *f)
{
	if (name_defect(name, len) == NAME_CLEAN)
		return 0;
	return refuse_name(id, leaf, name, len, f);
}

static int
copy_user(const unsigned char *name, size_t len, char **user,
    struct finding *f)
{
	char *copy = malloc(len + 1);

	if (copy == NULL)
		return finding_set(f, MTLS_R_INTERNAL, "out of memory while "
		    "mapping the certificate to a user");
	memcpy(copy, name, len);
	copy[len] = '\0';
	*user = copy;
	return 0;
}

/*
 * The name itself is the user name, if it is clean and has no space at
 * either end.  What reads a user name back drops such spaces: an HTTP
 * header (mtls serve's X-Mtls-User, as nginx passes it on), a form, a
 * shell; "alice " would be taken there for alice, whom it is not.
 */
static int
take_name(const struct identity *id, gnutls_x509_crt_t leaf,
    const unsigned char *name, size_t len, char **user, struct finding *f)
{
	char subject[CERTNAME_MAX], shown[CERTNAME_MAX];

	if (check_name(id, leaf, name, len, f) != 0)
		return -1;
	if (name[0] == ' ' || name[len - 1] == ' ') {
		certname_subject(leaf, subject);
		certname_escape(name, len, shown, sizeof(shown));
		return finding_set(f, MTLS_R_USER_UNMAPPED, "client "
		    "certificate '%s': its %s '%s' begins or ends with a "
		    "space, which whatever reads the user name back may drop, "
		    "taking it for another user's; such a name never maps to a "
		    "user", subject, sources[id->rule], shown);
	}
	return copy_user(name, len, user, f);
}

static int
not_found(const struct identity *id, gnutls_x509_crt_t leaf,
    struct finding *f)
{
	char subject[CERTNAME_MAX];

	certname_subject(leaf, subject);
	return finding_set(f, MTLS_R_USER_UNMAPPED, "client certificate '%s' "
	    "has no %s, which identity.map = \"%s\" maps from; reissue it "
	    "with one, or change identity.map", subject,
	    sources[id->rule], config_map_words[id->rule]);
}

bool
identity_binds_issuers(const struct identity *id)
{
	return id->nissuers > 0;
}

/*
 * Whether leaf's issuer name is one of identity.issuers, as RFC 5280 7.1
 * compares names (dername.h): not as printed, since a CA's certificates
 * may encode its name other than its own certificate does.  -1 when
 * memory runs out.
 */
static int
issuer_listed(const struct identity *id, gnutls_x509_crt_t leaf,
    bool *listed)
{
	gnutls_datum_t der = { NULL, 0 };
	struct dername issuer;
	int ret;

	*listed = false;
	ret = gnutls_x509_crt_get_raw_issuer_dn(leaf, &der);
	if (ret == GNUTLS_E_MEMORY_ERROR)
		return -1;
	if (ret < 0)
		return 0;	/* an unreadable name is none of them */
	ret = dername_load(der.data, der.size, &issuer);
	gnutls_free(der.data);
	if (ret != 0)
		return -1;
	for (size_t i = 0; i < id->nissuers && !*listed; i++)
		*listed = dername_same(&issuer, &id->issuers[i]);
	dername_free(&issuer);
	return 0;
}

static int
issuer_allowed(const struct identity *id, gnutls_x509_crt_t leaf,
    bool issuer_configured, struct finding *f)
{
	char subject[CERTNAME_MAX], issuer[CERTNAME_MAX];
	bool found;

	if (id->nissuers == 0)
		return 0;
	if (issuer_listed(id, leaf, &found) != 0)
		return finding_set(f, MTLS_R_INTERNAL, "out of memory while "
		    "comparing the issuer with identity.issuers");
	if (found && issuer_configured)
		return 0;
	certname_subject(leaf, subject);
	certname_issuer(leaf, issuer);
	if (found)
		return finding_set(f, MTLS_R_USER_UNMAPPED, "client "
		    "certificate '%s' is issued by a '%s' that only the client "
		    "sent, and another trusted CA may have made one of that "
		    "name; add the certificate of the CA in identity.issuers "
		    "to intermediates_file (or ca_file)", subject, issuer);
	return finding_set(f, MTLS_R_USER_UNMAPPED, "client certificate '%s' "
	    "is issued by '%s', which is not in identity.issuers; add it "
	    "there to let its certificates map to users", subject, issuer);
}

/*
 * Bytes per character of an attribute value's string type; 0 for what is
 * not a string (GnuTLS writes those as "#hex", which is clean text).
 */
static size_t
char_width(unsigned long tag)
{
	switch (tag) {
	case TAG_UTF8_STRING:
	case TAG_NUMERIC_STRING:
	case TAG_PRINTABLE_STRING:
	case TAG_TELETEX_STRING:
	case TAG_IA5_STRING:
	case TAG_VISIBLE_STRING:
	case TAG_GENERAL_STRING:
		return 1;
	case TAG_BMP_STRING:
		return 2;
	case TAG_UNIVERSAL_STRING:
		return 4;
	}
	return 0;
}

static int
value_is_clean(const gnutls_x509_ava_st *ava)
{
	size_t width = char_width(ava->value_tag);

	if (width == 0)
		return 1;
	if (ava->value_tag == TAG_UTF8_STRING)
		return name_defect(ava->value.data, ava->value.size) <=
		    NAME_EMPTY;
	if (ava->value.size % width != 0)
		return 0;
	for (size_t i = 0; i < ava->value.size; i += width) {
		unsigned long c = 0;

		for (size_t k = 0; k < width; k++)
			c = c << 8 | ava->value.data[i + k];
		if (utf8_is_control(c))
			return 0;
	}
	return 1;
}

/*
 * What one pass over the subject's attributes found: the values of oid
 * and the first value with a NUL or control character.  Read from the
 * parsed name, not through gnutls_x509_crt_get_dn_by_oid() or _get_dn3(),
 * which escape RFC 4514 specials and turn a value with a NUL in it into
 * clean-looking "#hex".
 */
struct subject_scan {
	unsigned count;
	gnutls_x509_ava_st first;
	int dirty;
	gnutls_x509_ava_st first_dirty;
};

static int
scan_subject(gnutls_x509_crt_t leaf, const char *oid,
    struct subject_scan *scan)
{
	gnutls_x509_dn_t dn;
	gnutls_x509_ava_st ava;

	memset(scan, 0, sizeof(*scan));
	if (gnutls_x509_crt_get_subject(leaf, &dn) < 0)
		return -1;
	for (int rdn = 0; ; rdn++) {
		int i;

		for (i = 0; gnutls_x509_dn_get_rdn_ava(dn, rdn, i, &ava) >= 0;
		    i++) {
			if (oid != NULL && generalname_oid_is(&ava.oid, oid) &&
			    scan->count++ == 0)
				scan->first = ava;
			if (!scan->dirty && !value_is_clean(&ava)) {
				scan->dirty = 1;
				scan->first_dirty = ava;
			}
		}
		if (i == 0)
			return 0;
	}
}

static int
map_subject_attribute(const struct identity *id, gnutls_x509_crt_t leaf,
    const char *oid, char **user, struct finding *f)
{
	struct subject_scan scan;
	const gnutls_x509_ava_st *value = &scan.first;
	char subject[CERTNAME_MAX];

	if (scan_subject(leaf, oid, &scan) != 0 || scan.count == 0)
		return not_found(id, leaf, f);
	/* the subject as text only for a refusal: formatting it is most of
	 * what mapping an accepted user costs */
	if (scan.count > 1) {
		certname_subject(leaf, subject);
		return finding_set(f, MTLS_R_USER_UNMAPPED, "client "
		    "certificate '%s' has %u %s attributes, so its user name is "
		    "ambiguous; reissue it with one", subject, scan.count,
		    sources[id->rule]);
	}
	/* Other string types would need converting to UTF-8 first. */
	if (value->value_tag != TAG_UTF8_STRING &&
	    value->value_tag != TAG_PRINTABLE_STRING &&
	    value->value_tag != TAG_IA5_STRING) {
		certname_subject(leaf, subject);
		return finding_set(f, MTLS_R_USER_UNMAPPED, "client "
		    "certificate '%s': its %s is not a UTF8String, "
		    "PrintableString or IA5String (ASN.1 tag %lu); reissue it "
		    "with a UTF8String", subject, sources[id->rule],
		    value->value_tag);
	}
	return take_name(id, leaf, value->value.data, value->value.size, user,
	    f);
}

/*
 * Whether der is one value of type in DER, re-encoded to the same bytes:
 * libtasn1 reads some BER (an otherName whose [0] EXPLICIT wrapper is
 * empty, the value after it) that other validators refuse, and a name
 * read one way here and another there is no name to map.
 */
static bool
is_der(const char *type, const gnutls_datum_t *der)
{
	asn1_node value;
	unsigned char *again;
	int len = 0;
	bool same = false;

	if (pkixasn_decode(type, der->data, der->size, &value) != ASN1_SUCCESS)
		return false;
	if (asn1_der_coding(value, "", NULL, &len, NULL) == ASN1_MEM_ERROR &&
	    (size_t)len == der->size && (again = malloc((size_t)len)) != NULL) {
		same = asn1_der_coding(value, "", again, &len, NULL) ==
		    ASN1_SUCCESS && (size_t)len == der->size &&
		    memcmp(again, der->data, der->size) == 0;
		free(again);
	}
	asn1_delete_structure(&value);
	return same;
}

/* The subjectAltName, decoded once, if it is in DER. */
static int
read_alt_names(const struct identity *id, gnutls_x509_crt_t leaf,
    gnutls_subject_alt_names_t *sans, struct finding *f)
{
	gnutls_datum_t der = { NULL, 0 };
	char subject[CERTNAME_MAX];
	unsigned critical;
	int ret;

	if (gnutls_x509_crt_get_extension_by_oid2(leaf, GNUTLS_X509EXT_OID_SAN,
	    0, &der, &critical) < 0)
		return not_found(id, leaf, f);
	certname_subject(leaf, subject);
	if (!is_der("GeneralNames", &der)) {
		gnutls_free(der.data);
		return finding_set(f, MTLS_R_USER_UNMAPPED, "client "
		    "certificate '%s' has a subjectAltName that is not in DER, "
		    "which validators read differently; no user name maps from "
		    "it: reissue it", subject);
	}
	if (gnutls_subject_alt_names_init(sans) < 0) {
		gnutls_free(der.data);
		return finding_set(f, MTLS_R_INTERNAL, "out of memory while "
		    "mapping the certificate to a user");
	}
	ret = gnutls_x509_ext_import_subject_alt_names(&der, *sans, 0);
	gnutls_free(der.data);
	if (ret < 0) {
		gnutls_subject_alt_names_deinit(*sans);
		if (finding_gnutls_memory(f, ret, "the subjectAltName",
		    "client certificate", subject) != 0)
			return -1;
		return finding_set(f, MTLS_R_USER_UNMAPPED, "client "
		    "certificate '%s' has a subjectAltName that does not "
		    "parse (%s); no user name maps from it", subject,
		    gnutls_strerror(ret));
	}
	return 0;
}

/* The UPN an otherName holds, refused unless a UTF8String without NUL. */
static int
take_upn(const struct identity *id, gnutls_x509_crt_t leaf,
    const gnutls_datum_t *value, char **user, struct finding *f)
{
	gnutls_datum_t upn = { NULL, 0 };
	char subject[CERTNAME_MAX];
	int ret;

	ret = gnutls_x509_othername_to_virtual(GENERALNAME_OID_MS_UPN, value,
	    NULL, &upn);
	if (ret < 0) {
		certname_subject(leaf, subject);
		return finding_set(f, MTLS_R_USER_UNMAPPED, "client "
		    "certificate '%s' has a Microsoft UPN that is not a clean "
		    "UTF8String (%s); it never maps to a user", subject,
		    gnutls_strerror(ret));
	}
	ret = take_name(id, leaf, upn.data, upn.size, user, f);
	gnutls_free(upn.data);
	return ret;
}

/*
 * The one rfc822Name or Microsoft UPN of the subjectAltName.  Two are
 * ambiguous, as two commonNames are: the first is not more the user's
 * than the second, and another program may take the other.
 */
static int
map_alt_name(const struct identity *id, gnutls_x509_crt_t leaf,
    char **user, struct finding *f)
{
	gnutls_subject_alt_names_t sans;
	gnutls_datum_t san, oid, first = { NULL, 0 };
	unsigned type, count = 0;
	char subject[CERTNAME_MAX];
	int ret;

	if (read_alt_names(id, leaf, &sans, f) != 0)
		return -1;
	for (unsigned seq = 0;
	    gnutls_subject_alt_names_get(sans, seq, &type, &san, &oid) >= 0;
	    seq++) {
		if (id->rule == MTLS_MAP_EMAIL ?
		    type == GNUTLS_SAN_RFC822NAME :
		    type == GNUTLS_SAN_OTHERNAME &&
		    generalname_oid_is(&oid, GENERALNAME_OID_MS_UPN))
			if (count++ == 0)
				first = san;
	}
	if (count == 0)
		ret = not_found(id, leaf, f);
	else if (count > 1) {
		certname_subject(leaf, subject);
		ret = finding_set(f, MTLS_R_USER_UNMAPPED, "client "
		    "certificate '%s' has %u %s entries, so its user name is "
		    "ambiguous; reissue it with one, or map by another rule",
		    subject, count, sources[id->rule]);
	} else if (id->rule == MTLS_MAP_EMAIL)
		ret = take_name(id, leaf, first.data, first.size, user, f);
	else
		ret = take_upn(id, leaf, &first, user, f);
	gnutls_subject_alt_names_deinit(sans);
	return ret;
}

/*
 * GnuTLS prints a value it cannot decode as text (a UniversalString, a
 * TeletexString beyond ASCII, a BMPString with a lone surrogate) as "\#"
 * and the hex of its contents, whatever its type, and a string whose text
 * begins with '#' as "\#" and that text: "Jos\xe9" in a TeletexString and
 * "#4a6f73e9" in a UTF8String print alike.  Such a subject DN names no one
 * in particular.  Searched in the text, where a value begins after '=';
 * an '=' inside a value only refuses more.
 */
static bool
dn_has_hex_form(const gnutls_datum_t *dn)
{
	for (size_t i = 0; i + 1 < dn->size; i++)
		if (dn->data[i] == '=' && (dn->data[i + 1] == '#' ||
		    (dn->data[i + 1] == '\\' && i + 2 < dn->size &&
		    dn->data[i + 2] == '#')))
			return true;
	return false;
}

/* The map file's lines for this key are broken: no user, and why. */
static int
map_refused(const char *why, struct finding *f)
{
	return finding_set(f, MTLS_R_USER_UNMAPPED, "%s; fix the map file "
	    "(\"mtls config check\" lists what else is wrong in it)", why);
}

static int
map_dn(const struct identity *id, gnutls_x509_crt_t leaf, char **user,
    struct finding *f)
{
	gnutls_datum_t dn = { NULL, 0 };
	struct subject_scan scan;
	char subject[CERTNAME_MAX], why[512];
	int ret;

	if (scan_subject(leaf, NULL, &scan) != 0 ||
	    gnutls_x509_crt_get_dn3(leaf, &dn, 0) < 0)
		return not_found(id, leaf, f);
	if (scan.dirty)
		ret = refuse_name(id, leaf, scan.first_dirty.value.data,
		    scan.first_dirty.value.size, f);
	else if (dn_has_hex_form(&dn)) {
		certname_subject(leaf, subject);
		ret = finding_set(f, MTLS_R_USER_UNMAPPED, "client "
		    "certificate '%s': its subject DN has a value that begins "
		    "with '#' or is not text, which GnuTLS prints alike, so it "
		    "never maps by DN; map it by fingerprint, or reissue it with "
		    "UTF8String values", subject);
	}
	else
		ret = check_name(id, leaf, dn.data, dn.size, f);
	if (ret == 0) {
		if (mapfile_find(id->map, dn.data, dn.size, user, why,
		    sizeof(why)) != 0)
			ret = map_refused(why, f);
		else if (*user == NULL) {
			/* Clean, as checked: shown as the file must hold it,
			 * not escaped. */
			ret = finding_set(f, MTLS_R_USER_UNMAPPED, "client "
			    "certificate '%.*s' is not in %s; add a line "
			    "'%.*s <user>' there", (int)dn.size,
			    (const char *)dn.data, mapfile_path(id->map),
			    (int)dn.size,
			    (const char *)dn.data);
		}
	}
	gnutls_free(dn.data);
	return ret;
}

static int
map_fingerprint(const struct identity *id, gnutls_x509_crt_t leaf,
    const char *fingerprint, char **user, struct finding *f)
{
	unsigned char digest[MAPFILE_SHA256_LEN];
	char subject[CERTNAME_MAX], why[512];

	if (fingerprint == NULL || mapfile_parse_fingerprint(
	    (const unsigned char *)fingerprint, strlen(fingerprint),
	    digest) != 0)
		return finding_set(f, MTLS_R_INTERNAL, "no SHA-256 "
		    "fingerprint of the client certificate to map");
	if (mapfile_find(id->map, digest, sizeof(digest), user, why,
	    sizeof(why)) != 0)
		return map_refused(why, f);
	if (*user != NULL)
		return 0;
	certname_subject(leaf, subject);
	return finding_set(f, MTLS_R_USER_UNMAPPED, "client certificate '%s' "
	    "is not in %s; add a line '%s <user>' there", subject,
	    mapfile_path(id->map), fingerprint);
}

int
identity_map(const struct identity *id, gnutls_x509_crt_t leaf,
    bool issuer_configured, const char *fingerprint, char **user,
    struct finding *f)
{
	*user = NULL;
	if (issuer_allowed(id, leaf, issuer_configured, f) != 0)
		return -1;
	switch (id->rule) {
	case MTLS_MAP_CN:
		return map_subject_attribute(id, leaf,
		    GNUTLS_OID_X520_COMMON_NAME, user, f);
	case MTLS_MAP_UID:
		return map_subject_attribute(id, leaf, OID_USER_ID, user, f);
	case MTLS_MAP_EMAIL:
	case MTLS_MAP_UPN:
		return map_alt_name(id, leaf, user, f);
	case MTLS_MAP_DN:
		return map_dn(id, leaf, user, f);
	case MTLS_MAP_FINGERPRINT:
		return map_fingerprint(id, leaf, fingerprint, user, f);
	}
	return finding_set(f, MTLS_R_INTERNAL, "unknown identity.map rule");
}

int
identity_check_describable(const struct identity *id, struct finding *f)
{
	/* FreeRADIUS describes the subject only as one line of text, in
	 * which a value may forge another attribute ("CN=x/UID=root") */
	if (id->rule != MTLS_MAP_DN && id->rule != MTLS_MAP_FINGERPRINT &&
	    id->rule != MTLS_MAP_UID)
		return 0;
	return finding_set(f, MTLS_R_USER_UNMAPPED, "identity.map = \"%s\" "
	    "needs the whole client certificate, and only a description of "
	    "it is here (FreeRADIUS's check-eap-tls); map by cn, email or upn "
	    "in this profile", config_map_words[id->rule]);
}
