#include "described.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include "certname.h"
#include "described_issuer.h"

int
mtls_request_describe(struct mtls_request *request,
    enum mtls_described field, const char *value)
{
	char *copy;

	if ((unsigned)field >= MTLS_DESCRIBED_COUNT ||
	    strlen(value) > DESCRIBED_VALUE_MAX)
		return -1;
	if ((copy = strdup(value)) == NULL)
		return -1;
	free(request->described[field]);
	request->described[field] = copy;
	return 0;
}

bool
described_request(const struct mtls_request *request)
{
	for (size_t i = 0; i < MTLS_DESCRIBED_COUNT; i++)
		if (request->described[i] != NULL)
			return true;
	return false;
}

/* RFC 5280 serials and key identifiers as FreeRADIUS passes them. */
#define SERIAL_MAX 20
#define KEY_ID_MAX 64

/* "0a1b..." or "0A:1B:...", into out; -1 for anything else. */
static int
hex_octets(const char *text, unsigned char *out, size_t max, size_t *len)
{
	size_t n = 0;

	while (*text != '\0') {
		unsigned v;

		if (n > 0 && *text == ':')
			text++;
		if (n == max || !isxdigit((unsigned char)text[0]) ||
		    !isxdigit((unsigned char)text[1]) ||
		    sscanf(text, "%2x", &v) != 1)
			return -1;
		out[n++] = (unsigned char)v;
		text += 2;
	}
	*len = n;
	return n > 0 ? 0 : -1;
}

static const char *
short_name(const gnutls_datum_t *oid, char *buf, size_t buflen)
{
	const char *name;

	snprintf(buf, buflen, "%.*s", (int)oid->size, (const char *)oid->data);
	return (name = described_short_name(buf)) != NULL ? name : buf;
}

/*
 * crt's subject as OpenSSL 3's X509_NAME_oneline() writes it, which is
 * how FreeRADIUS names issuers: "/O=Example/CN=Example CA", '+' between
 * the attributes of one RDN, '/' and '+' in values escaped with a
 * backslash, bytes outside printable ASCII as \xHH.  -1 when it does not
 * fit.
 */
static int
oneline(gnutls_x509_crt_t crt, char *out, size_t outlen)
{
	gnutls_x509_dn_t dn;
	gnutls_x509_ava_st ava;
	size_t used = 0;
	char oidbuf[128];

	if (gnutls_x509_crt_get_subject(crt, &dn) < 0)
		return -1;
	out[0] = '\0';
	for (int rdn = 0;; rdn++) {
		for (int i = 0;; i++) {
			if (gnutls_x509_dn_get_rdn_ava(dn, rdn, i, &ava) != 0) {
				if (i == 0)
					return 0;	/* past the last RDN */
				break;
			}
			used += (size_t)snprintf(out + used, outlen > used ?
			    outlen - used : 0, "%c%s=", i == 0 ? '/' : '+',
			    short_name(&ava.oid, oidbuf, sizeof(oidbuf)));
			for (unsigned k = 0; k < ava.value.size; k++) {
				unsigned char c = ava.value.data[k];

				used += (size_t)snprintf(out + used,
				    outlen > used ? outlen - used : 0,
				    c < ' ' || c > '~' ? "\\x%02X" :
				    c == '/' || c == '+' ? "\\%c" : "%c", c);
			}
			if (used >= outlen)
				return -1;
		}
	}
}

/*
 * Whether name is crt's subject; rfc4514 is that as verdicts write it,
 * or NULL to write it here.  -1 when memory runs out.
 */
static int
names_issuer(gnutls_x509_crt_t crt, const char *name, const char *rfc4514)
{
	char line[1024], *written;
	int same;

	if (name[0] == '/')
		return oneline(crt, line, sizeof(line)) == 0 &&
		    strcmp(line, name) == 0;
	if (rfc4514 != NULL)
		return strcmp(name, rfc4514) == 0;
	if ((written = certname_dn_alloc(crt, 0)) == NULL)
		return -1;
	same = strcmp(name, written) == 0;
	free(written);
	return same;
}

static bool
has_key_id(gnutls_x509_crt_t crt, const unsigned char *id, size_t len)
{
	unsigned char ski[KEY_ID_MAX];
	size_t skilen = sizeof(ski);
	unsigned critical;

	return gnutls_x509_crt_get_subject_key_id(crt, ski, &skilen,
	    &critical) >= 0 && skilen == len && memcmp(ski, id, len) == 0;
}

/*
 * Whether the configured certificate i is the issuer the text and key
 * identifier (id, when not NULL) describe: counted into *matches, its
 * position into *found.  -1 when memory runs out.
 */
static int
count_match(const struct certset *known, size_t i, const char *issuer,
    char *const *names, const unsigned char *id, size_t idlen,
    size_t *found, size_t *matches)
{
	gnutls_x509_crt_t crt = certset_crt(known, i);
	int named;

	if (crt == NULL)
		return 0;
	named = names_issuer(crt, issuer, names != NULL ? names[i] : NULL);
	if (named < 0)
		return -1;
	if (named == 0 || (id != NULL && !has_key_id(crt, id, idlen)))
		return 0;
	*found = i;
	(*matches)++;
	return 0;
}

/* count_match() of the configured certificates whose subject is name,
 * found as a path search finds issuers; -1 when memory ran out. */
static int
by_name(const struct certset *known, const struct dername *name,
    const char *issuer, char *const *names, const unsigned char *id,
    size_t idlen, size_t *found, size_t *matches)
{
	size_t at = 0;
	int ret;

	while ((ret = certset_next_subject(known, name, at, &at)) == 1)
		if (count_match(known, at++, issuer, names, id, idlen, found,
		    matches) != 0)
			return -1;
	return ret;
}

/*
 * The one configured certificate the description says issued it: looked
 * up by the Name its text stands for, and only when that finds none,
 * every configured certificate compared with the text.  The text decides
 * either way, so the lookup changes no answer, only what it costs.
 */
static int
find_issuer(char *const fields[MTLS_DESCRIBED_COUNT],
    const struct certset *known, char *const *names, size_t *found,
    struct finding *f)
{
	const char *issuer = fields[MTLS_DESCRIBED_ISSUER];
	const char *aki = fields[MTLS_DESCRIBED_AUTHORITY_KEY_ID];
	unsigned char id[KEY_ID_MAX];
	size_t idlen = 0, matches = 0, byname = 0;
	char shown[CERTNAME_MAX];
	struct dername name;
	int ret;

	if (issuer == NULL)
		return finding_set(f, MTLS_R_CERT_MALFORMED, "the description "
		    "of the client certificate names no issuer");
	certname_escape((const unsigned char *)issuer, strlen(issuer), shown,
	    sizeof(shown));
	if (aki != NULL && hex_octets(aki, id, sizeof(id), &idlen) != 0)
		return finding_set(f, MTLS_R_KEY_IDENTIFIER, "the described "
		    "authority key identifier of a certificate issued by '%s' "
		    "is not hex octets", shown);
	if (described_issuer_name(issuer, &name) == 0) {
		ret = by_name(known, &name, issuer, names, aki != NULL ? id :
		    NULL, idlen, found, &matches);
		dername_free(&name);
		if (ret != 0)
			return finding_set(f, MTLS_R_INTERNAL,
			    "out of memory looking up the issuer '%s'", shown);
		byname = matches;
	}
	/* text this reads no Name from, or whose Name finds none: every
	 * configured certificate by its text, those of ca_dir imported */
	for (size_t i = 0; byname == 0 && i < known->count; i++)
		if (count_match(known, i, issuer, names, aki != NULL ? id :
		    NULL, idlen, found, &matches) != 0)
			return finding_set(f, MTLS_R_INTERNAL,
			    "out of memory looking up the issuer '%s'", shown);
	if (matches == 1)
		return 0;
	if (matches == 0)
		return finding_set(f, MTLS_R_ISSUER_NOT_FOUND, "the client "
		    "certificate is issued by '%s'%s, which is no configured "
		    "CA or intermediate (ca_file, ca_dir, intermediates_file): "
		    "the RADIUS server trusts a CA this profile does not; "
		    "make both trust the same", shown, aki != NULL ?
		    " with that key identifier" : "");
	return finding_set(f, MTLS_R_ISSUER_NOT_FOUND, "the client "
	    "certificate is issued by '%s', and several configured CAs have "
	    "that name: without its authority key identifier, which the "
	    "client certificate lacks, its issuer is unknown; reissue it with "
	    "one", shown);
}

/* The Microsoft UPN otherName type. */
#define OID_MS_UPN "1.3.6.1.4.1.311.20.2.3"

/* What the description says of the certificate's own names, into crt. */
static int
set_names(gnutls_x509_crt_t crt, char *const fields[MTLS_DESCRIBED_COUNT])
{
	const char *cn = fields[MTLS_DESCRIBED_COMMON_NAME];
	const char *email = fields[MTLS_DESCRIBED_EMAIL];
	const char *upn = fields[MTLS_DESCRIBED_UPN];

	if (cn != NULL && gnutls_x509_crt_set_dn_by_oid(crt,
	    GNUTLS_OID_X520_COMMON_NAME, 0, cn, (unsigned)strlen(cn)) < 0)
		return -1;
	if (email != NULL && gnutls_x509_crt_set_subject_alt_name(crt,
	    GNUTLS_SAN_RFC822NAME, email, (unsigned)strlen(email),
	    GNUTLS_FSAN_APPEND) < 0)
		return -1;
	if (upn != NULL && gnutls_x509_crt_set_subject_alt_othername(crt,
	    OID_MS_UPN, upn, (unsigned)strlen(upn),
	    GNUTLS_FSAN_APPEND | GNUTLS_FSAN_ENCODE_UTF8_STRING) < 0)
		return -1;
	return 0;
}

/* A certificate issued by issuer, as described; parsed back from DER. */
static int
make_leaf(char *const fields[MTLS_DESCRIBED_COUNT],
    const unsigned char *serial, size_t serial_len, gnutls_x509_crt_t issuer,
    gnutls_x509_crt_t *leaf)
{
	gnutls_x509_crt_t crt = NULL;
	gnutls_x509_privkey_t key = NULL;
	gnutls_datum_t der = { NULL, 0 };
	unsigned char ski[KEY_ID_MAX];
	size_t skilen = sizeof(ski);
	unsigned critical;
	time_t now = time(NULL);
	int ret = -1;

	if (gnutls_x509_crt_init(&crt) < 0 ||
	    gnutls_x509_privkey_init(&key) < 0 ||
	    gnutls_x509_privkey_generate(key, GNUTLS_PK_EC,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0) < 0 ||
	    gnutls_x509_crt_set_version(crt, 3) < 0 ||
	    gnutls_x509_crt_set_serial(crt, serial, serial_len) < 0 ||
	    gnutls_x509_crt_set_key(crt, key) < 0 ||
	    gnutls_x509_crt_set_activation_time(crt, now) < 0 ||
	    gnutls_x509_crt_set_expiration_time(crt, now) < 0 ||
	    gnutls_x509_crt_set_basic_constraints(crt, 0, -1) < 0 ||
	    set_names(crt, fields) != 0)
		goto out;
	if (gnutls_x509_crt_get_subject_key_id(issuer, ski, &skilen,
	    &critical) >= 0 &&
	    gnutls_x509_crt_set_authority_key_id(crt, ski, skilen) < 0)
		goto out;
	/* Signing copies the issuer's name into the certificate. */
	if (gnutls_x509_crt_sign2(crt, issuer, key, GNUTLS_DIG_SHA256, 0) < 0 ||
	    gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) < 0)
		goto out;
	gnutls_x509_crt_deinit(crt);
	crt = NULL;
	if (gnutls_x509_crt_init(&crt) < 0 ||
	    gnutls_x509_crt_import(crt, &der, GNUTLS_X509_FMT_DER) < 0)
		goto out;
	*leaf = crt;
	crt = NULL;
	ret = 0;
out:
	gnutls_free(der.data);
	if (crt != NULL)
		gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(key);
	return ret;
}

int
described_leaf(char *const fields[MTLS_DESCRIBED_COUNT],
    const struct certset *known, char *const *names,
    gnutls_x509_crt_t *leaf, struct finding *f)
{
	/* a zero octet first, should the serial's top bit be set: FreeRADIUS
	 * gives the number, DER a signed integer */
	unsigned char serial[1 + SERIAL_MAX] = { 0 };
	size_t serial_len, issuer = 0;

	if (fields[MTLS_DESCRIBED_SERIAL] == NULL ||
	    hex_octets(fields[MTLS_DESCRIBED_SERIAL], serial + 1, SERIAL_MAX,
	    &serial_len) != 0)
		return finding_set(f, MTLS_R_BAD_SERIAL, "the description of "
		    "the client certificate has no serial number of 1 to %d "
		    "octets in hex", SERIAL_MAX);
	if (find_issuer(fields, known, names, &issuer, f) != 0)
		return -1;
	if (make_leaf(fields, serial[1] & 0x80 ? serial : serial + 1,
	    serial_len + (serial[1] & 0x80 ? 1 : 0),
	    certset_crt(known, issuer), leaf) != 0)
		return finding_set(f, MTLS_R_INTERNAL, "GnuTLS could not make "
		    "the stand-in of a described certificate (out of "
		    "memory?)");
	return 0;
}
