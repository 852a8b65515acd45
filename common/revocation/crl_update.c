#include "crl_update.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>

#include "certname.h"
#include "certset.h"
#include "crl.h"
#include "crl_index.h"
#include "crl_seen.h"
#include "crlext.h"
#include "crlread.h"
#include "dername.h"
#include "finding.h"
#include "hex.h"
#include "http.h"
#include "policy.h"
#include "readfile.h"
#include "rfc5280.h"
#include "utctime.h"

#define OID_CRL_DISTRIBUTION_POINTS "2.5.29.31"
#define OID_FRESHEST_CRL "2.5.29.46"

struct update {
	const struct mtls_config *config;
	struct crl_update_limits limits;
	time_t now;
	char dir[4096];			/* <cache_dir>/crl */
	struct certset issuers;		/* configured CAs, intermediates */
	struct crl_index *published;	/* as found at the start */
	struct strlist fetched;		/* URLs already tried this run */
	struct strlist given;		/* SHA-256 (hex) of each CRL a source
					 * gave this run, published or kept */
	struct strlist unanswered;	/* sources that gave no usable CRL
					 * this run */
	struct strlist gone;		/* "<status> <url>": the URLs of
					 * published delta CRLs that answered
					 * 404 or 410 this run (gone()) */
	bool untold;			/* given or unanswered lost one:
					 * drop nothing */
	void (*report)(void *arg, int failed, const char *line);
	void *arg;
	unsigned failures;
};

enum outcome {
	FRESH,
	FAILED
};

/*
 * One line per event, to the caller and to syslog; source (a URL or file
 * name, which may come from a certificate) is escaped.
 */
static void
say(struct update *u, enum outcome outcome, const char *source,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
say(struct update *u, enum outcome outcome, const char *source,
    const char *fmt, ...)
{
	char shown[HTTP_URL_SHOWN_MAX], msg[1024], line[1200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (source != NULL) {
		http_url_shown(source, shown);
		snprintf(line, sizeof(line), "%s: %s", shown, msg);
	} else
		snprintf(line, sizeof(line), "%s", msg);
	syslog(LOG_AUTHPRIV | (outcome == FAILED ? LOG_ERR : LOG_INFO),
	    "crl update: %s", line);
	if (u->report != NULL)
		u->report(u->arg, outcome == FAILED, line);
	if (outcome == FAILED)
		u->failures++;
}

/* A source gave the CRL of this digest this run (drop_stopped()). */
static void
given(struct update *u, const unsigned char digest[32])
{
	char hex[65];

	hex_encode(digest, 32, '\0', hex);
	if (!strlist_contains(&u->given, hex) &&
	    strlist_add(&u->given, hex) != 0) {
		u->untold = true;
		say(u, FAILED, NULL, "out of memory");
	}
}

/* A source was asked this run and gave no usable CRL: fail closed. */
static void
unanswered(struct update *u, const char *source)
{
	if (strlist_add(&u->unanswered, source) != 0) {
		u->untold = true;
		say(u, FAILED, NULL, "out of memory");
	}
}

/*
 * The server of url, from which a delta CRL was published, answered that
 * it has none (404 Not Found, 410 Gone): a definitive answer, unlike a
 * network failure or a 5xx.  Whether the CA stopped publishing delta
 * CRLs is decided, and said, once every source was read (drop_stopped()).
 */
static void
gone(struct update *u, const char *url, long status)
{
	size_t len = strlen(url) + 32;
	char *entry = malloc(len);

	if (entry != NULL)
		snprintf(entry, len, "%ld %s", status, url);
	if (entry == NULL || strlist_add(&u->gone, entry) != 0) {
		u->untold = true;
		say(u, FAILED, NULL, "out of memory");
	}
	free(entry);
}

/* What url answered when it was gone(), or 0 when it was not. */
static long
gone_status(const struct update *u, const char *url)
{
	for (size_t i = 0; i < u->gone.count; i++) {
		char *rest;
		long status = strtol(u->gone.items[i], &rest, 10);

		if (*rest == ' ' && strcmp(rest + 1, url) == 0)
			return status;
	}
	return 0;
}

static int
load_issuers(struct update *u)
{
	const struct mtls_config *c = u->config;
	char err[512];

	for (size_t i = 0; i < c->ca_files.count; i++)
		if (certset_add_file(&u->issuers, c->ca_files.items[i], err,
		    sizeof(err)) != 0)
			goto fail;
	if (c->ca_dir != NULL &&
	    certset_add_dir(&u->issuers, c->ca_dir, err, sizeof(err)) != 0)
		goto fail;
	for (size_t i = 0; i < c->intermediates_files.count; i++)
		if (certset_add_file(&u->issuers,
		    c->intermediates_files.items[i], err, sizeof(err)) != 0)
			goto fail;
	return 0;
fail:
	say(u, FAILED, NULL, "%s; no CRL can be verified without it", err);
	return -1;
}

/* Readers trust what is in here: root's, and nobody else may write. */
static int
ensure_dir(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (mkdir(path, 0755) == 0) {
		if (chmod(path, 0755) != 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -1;
		}
	} else if (errno != EEXIST) {
		snprintf(err, errlen, "%s: cannot create: %s", path,
		    strerror(errno));
		return -1;
	}
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a directory", path);
		return -1;
	}
	return file_check_trusted(path, err, errlen);
}

/*
 * Whether the process may not write the index dir, nor make it in cache:
 * root publishes it, and another user is told to run the update as root,
 * not just "Permission denied".
 */
static bool
unpublishable(const char *cache, const char *dir)
{
	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) == 0 ||
	    (errno == ENOENT &&
	    faccessat(AT_FDCWD, cache, W_OK | X_OK, AT_EACCESS) == 0))
		return false;
	return errno == EACCES;
}

static void
skip_damaged(void *arg, const char *why)
{
	say(arg, FAILED, NULL, "%s", why);
}

/*
 * The cache directories, held locked so that two updates cannot both
 * judge a CRL newer than what is published and race to publish.
 */
static int
prepare_dir(struct update *u, int *lock)
{
	const char *cache = u->config->revocation.cache_dir;
	char err[512];

	if (cache == NULL || cache[0] == '\0') {
		say(u, FAILED, NULL, "revocation.cache_dir is not set; set it "
		    "to where the CRL index is kept");
		return -1;
	}
	if ((size_t)snprintf(u->dir, sizeof(u->dir), "%s/%s", cache,
	    CRL_INDEX_SUBDIR) >= sizeof(u->dir)) {
		say(u, FAILED, NULL, "revocation.cache_dir is too long");
		return -1;
	}
	if (unpublishable(cache, u->dir)) {
		say(u, FAILED, NULL, "uid %u may not write the CRL index %s, "
		    "which root publishes: run \"mtls crl update\" as root, as "
		    "mtls-crl-update.service does", (unsigned)geteuid(), u->dir);
		return -1;
	}
	if (ensure_dir(cache, err, sizeof(err)) != 0 ||
	    ensure_dir(u->dir, err, sizeof(err)) != 0) {
		say(u, FAILED, NULL, "%s", err);
		return -1;
	}
	*lock = open(u->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*lock < 0 || flock(*lock, LOCK_EX) != 0) {
		say(u, FAILED, NULL, "%s: cannot lock: %s", u->dir,
		    strerror(errno));
		return -1;
	}
	if (crl_index_open(u->dir, skip_damaged, u, &u->published, err,
	    sizeof(err)) != 0) {
		say(u, FAILED, NULL, "%s", err);
		return -1;
	}
	return 0;
}

static bool
is_pem(const unsigned char *data, size_t len)
{
	return len >= 11 && memcmp(data, "-----BEGIN ", 11) == 0;
}

/*
 * The DER of the CRL in data, PEM or DER: PEM is decoded here (into der,
 * allocated) so that its digest is that of the DER; DER is used in place.
 */
static int
decode_crl(const unsigned char *data, size_t len, gnutls_datum_t *der,
    char *err, size_t errlen)
{
	gnutls_datum_t in = { (unsigned char *)data, (unsigned)len };
	int ret;

	if (!is_pem(data, len)) {
		*der = in;
		return 0;
	}
	if ((ret = gnutls_pem_base64_decode2("X509 CRL", &in, der)) < 0) {
		snprintf(err, errlen, "not a PEM CRL (%s)",
		    gnutls_strerror(ret));
		return -1;
	}
	return 0;
}

/* Whether ca's subject is the issuer name of crl (RFC 5280 7.1). */
static bool
named_issuer(const gnutls_datum_t *crl_issuer, gnutls_x509_crt_t ca)
{
	gnutls_datum_t subject;
	bool same;

	if (gnutls_x509_crt_get_raw_dn(ca, &subject) < 0)
		return false;
	same = dername_equal(crl_issuer, &subject);
	gnutls_free(subject.data);
	return same;
}

/* The configured certificate that vouches for crl (crl_issuer_vouches()). */
static gnutls_x509_crt_t
find_issuer(struct update *u, const struct crlread *crl, char *err,
    size_t errlen)
{
	char name[CERTNAME_MAX], why[FINDING_TEXT_MAX] = "";
	gnutls_datum_t issuer = { NULL, 0 };

	if (gnutls_x509_crl_get_raw_issuer_dn(crl->crl, &issuer) < 0) {
		snprintf(err, errlen, "the CRL's issuer name cannot be read");
		return NULL;
	}
	for (size_t i = 0; i < u->issuers.count; i++) {
		gnutls_x509_crt_t ca = certset_crt(&u->issuers, i);

		if (ca != NULL && named_issuer(&issuer, ca) &&
		    crl_issuer_vouches(crl, ca, why, sizeof(why))) {
			gnutls_free(issuer.data);
			return ca;
		}
	}
	gnutls_free(issuer.data);
	certname_crl_issuer(crl->crl, name);
	if (why[0] != '\0')
		snprintf(err, errlen, "the CRL from '%s' is refused: %s", name,
		    why);
	else
		snprintf(err, errlen, "the CRL is issued by '%s', which is not "
		    "among the configured CAs and intermediates", name);
	return NULL;
}

/*
 * 0 fresh, 1 past nextUpdate but within stale_grace (still better than
 * nothing, and what verifications would accept), -1 refused.
 */
static int
check_times(struct update *u, gnutls_x509_crl_t crl, char *err,
    size_t errlen)
{
	time_t this_update = gnutls_x509_crl_get_this_update(crl);
	time_t next_update = gnutls_x509_crl_get_next_update(crl);
	char when[UTCTIME_MAX];

	if ((int64_t)this_update >
	    (int64_t)u->now + u->config->policy.clock_skew) {
		utctime_format(this_update, when);
		snprintf(err, errlen, "the CRL is not valid before %s; check "
		    "this system's clock", when);
		return -1;
	}
	if ((int64_t)next_update >= (int64_t)u->now)
		return 0;
	utctime_format(next_update, when);
	snprintf(err, errlen, "the CRL was due for renewal at %s; its CA "
	    "must publish a newer one", when);
	return (int64_t)next_update + u->config->revocation.stale_grace >=
	    (int64_t)u->now ? 1 : -1;
}

/* The number and source of an indexed CRL, for a report. */
static void
indexed_shown(const struct crl_index_info *info,
    char number[CRLEXT_NUMBER_SHOWN_MAX], char source[CERTNAME_MAX])
{
	crlext_number_shown(info->numbers.number, number);
	certname_escape((const unsigned char *)info->source,
	    strlen(info->source), source, CERTNAME_MAX);
}

/*
 * 0 when crl may replace what is published as name (or nothing is), 1
 * when it is what is published, -1 when it is older (why in err): an
 * on-path attacker may replay an older CRL, still before its nextUpdate,
 * that does not list what was revoked since.
 */
static int
compare_published(struct update *u, const char *name, gnutls_x509_crl_t crl,
    const unsigned char digest[32], char *err, size_t errlen)
{
	char path[sizeof(u->dir) + CRL_INDEX_NAME_MAX + 1];
	struct crl_index_file *file;
	const struct crl_index_info *info;
	unsigned char number[CRL_INDEX_SERIAL_LEN];
	char why[512], issuer[CERTNAME_MAX], source[CERTNAME_MAX];
	char shown[CRLEXT_NUMBER_SHOWN_MAX], have[CRLEXT_NUMBER_SHOWN_MAX];
	int cmp, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", u->dir, name);
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	if (crl_index_file_open(path, &file, why, sizeof(why)) != 0)
		return 0;	/* reported when the run began */
	if (crl_index_file_verify(file, why, sizeof(why)) != 0) {
		say(u, FAILED, NULL, "%s", why);
		crl_index_file_close(file);
		return 0;
	}
	info = crl_index_file_info(file);
	if (crl_index_crl_number(crl, number) != 0)
		memset(number, 0, sizeof(number));
	cmp = memcmp(number, info->numbers.number, sizeof(number));
	/* a higher number is newer, whatever its thisUpdate says (RFC 5280,
	 * 5.2.3), as verifications take it (crl_coverage.c) */
	if (memcmp(digest, info->crl_sha256, 32) == 0)
		ret = 1;
	else if (cmp <= 0) {
		certname_crl_issuer(crl, issuer);
		crlext_number_shown(number, shown);
		indexed_shown(info, have, source);
		if (cmp < 0)
			snprintf(err, errlen, "the CRL #%s of '%s' is older "
			    "than #%s, published from %s; this source serves "
			    "an outdated copy (a stale mirror, or one replayed "
			    "on the way); the published index is kept", shown,
			    issuer, have, source);
		else
			snprintf(err, errlen, "the CRL #%s of '%s' has the "
			    "number of the one published from %s, but other "
			    "contents: its CA issued two CRLs of one number, "
			    "which it must not; the published index is kept",
			    shown, issuer, source);
		ret = -1;
	}
	crl_index_file_close(file);
	return ret;
}

/* What the new index says, for the report. */
static void
say_published(struct update *u, const char *source, const char *path,
    gnutls_x509_crl_t crl, gnutls_x509_crt_t issuer)
{
	struct crl_index_file *file;
	char name[CERTNAME_MAX], when[UTCTIME_MAX], err[512];
	uint64_t count;

	if (crl_index_file_open(path, &file, err, sizeof(err)) != 0) {
		say(u, FAILED, source, "published, but %s", err);
		return;
	}
	certname_subject(issuer, name);
	utctime_format(gnutls_x509_crl_get_next_update(crl), when);
	count = crl_index_file_info(file)->count;
	say(u, FRESH, source, "published the CRL of %s: %llu revoked "
	    "serial%s, next update %s", name, (unsigned long long)count,
	    count == 1 ? "" : "s", when);
	crl_index_file_close(file);
}

/*
 * Check one CRL read in one pass, and publish it if it is better.  0 when
 * the published index is then this CRL's.
 */
static int
update_read(struct update *u, const char *source, const struct crlread *read,
    const gnutls_datum_t *der, const unsigned char digest[32],
    time_t last_modified)
{
	gnutls_x509_crl_t crl = read->crl;
	gnutls_x509_crt_t issuer;
	char name[CRL_INDEX_NAME_MAX + 1], path[4096];
	char err[FINDING_TEXT_MAX + CERTNAME_MAX], late[512];
	char issuer_name[CERTNAME_MAX], remedy[160];
	struct finding f;
	int freshness = 0, cmp;
	int sign = gnutls_x509_crl_get_signature_algorithm(crl);

	if (rfc5280_check_crl(crl, &f) != 0) {
		say(u, FAILED, source, "%s; the published index is kept",
		    f.text);
		return -1;
	}
	/* what no verification would believe is not published either */
	if (policy_refuses_signature(u->config->policy.allow_sha1, sign)) {
		certname_crl_issuer(crl, issuer_name);
		policy_signature_remedy(sign, "its CA", "CRLs", remedy,
		    sizeof(remedy));
		say(u, FAILED, source, "the CRL from '%s' is refused: %s; the "
		    "published index is kept", issuer_name, remedy);
		return -1;
	}
	if ((issuer = find_issuer(u, read, err, sizeof(err))) == NULL ||
	    (freshness = check_times(u, crl, late, sizeof(late))) < 0) {
		say(u, FAILED, source, "%s; the published index is kept",
		    issuer == NULL ? err : late);
		return -1;
	}
	if (crl_index_name(crl, issuer, name, err, sizeof(err)) != 0) {
		say(u, FAILED, source, "%s; the published index is kept", err);
		return -1;
	}
	cmp = compare_published(u, name, crl, digest, err, sizeof(err));
	if (cmp < 0) {
		say(u, FAILED, source, "%s", err);
		return -1;
	}
	if (cmp == 0 && crl_index_build(read, der->data, der->size, issuer,
	    u->dir, source, last_modified, path, sizeof(path), err,
	    sizeof(err)) != 0) {
		say(u, FAILED, source, "%s; the published index is kept", err);
		return -1;
	}
	given(u, digest);
	if (cmp > 0)
		say(u, freshness == 0 ? FRESH : FAILED, source, "unchanged%s%s",
		    freshness == 0 ? "" : ", and ", freshness == 0 ? "" : late);
	else if (freshness != 0)
		say(u, FAILED, source, "published, but %s", late);
	else
		say_published(u, source, path, crl, issuer);
	return 0;
}

/*
 * Not modified, or the same CRL again: fresh as long as what is published
 * is.
 */
static void
keep_unchanged(struct update *u, const char *source, const char *what,
    const struct crl_index_info *info)
{
	char when[UTCTIME_MAX];

	given(u, info->crl_sha256);
	utctime_format(info->next_update, when);
	if ((int64_t)info->next_update >= (int64_t)u->now)
		say(u, FRESH, source, "%s; next update %s", what, when);
	else
		say(u, FAILED, source, "%s, but the published CRL was due for "
		    "renewal at %s; its CA must publish a newer one", what,
		    when);
}

/*
 * The index published from source, when it was built from this very CRL
 * (the digest of its DER) and is still whole: then nothing needs parsing.
 */
static const struct crl_index_info *
published_same(struct update *u, const char *source,
    const unsigned char digest[32])
{
	for (size_t i = 0; i < crl_index_count(u->published); i++) {
		const struct crl_index_file *file =
		    crl_index_file(u->published, i);
		const struct crl_index_info *info = crl_index_file_info(file);
		char why[512];

		if (strcmp(info->source, source) != 0 ||
		    memcmp(info->crl_sha256, digest, 32) != 0)
			continue;
		if (crl_index_file_verify(file, why, sizeof(why)) == 0)
			return info;
		say(u, FAILED, NULL, "%s", why);
	}
	return NULL;
}

/*
 * What source gave, now published; remembering it only saves work next
 * time, so failing to is no failure of the update.
 */
static void
remember(struct update *u, const char *source, const struct crl_seen *seen)
{
	char err[512];

	(void)crl_seen_record(u->dir, source, seen, err, sizeof(err));
}

/*
 * Check one CRL as fetched or read, and publish it if it is better.  The
 * same CRL as the one published from source, told by its digest before
 * anything is parsed (crl_seen.h), needs nothing more.  file is the
 * identity of the file read, NULL for a download or a file that is not
 * settled().  A source that gives nothing usable is unanswered().
 */
static void
update_crl(struct update *u, const char *source, const unsigned char *data,
    size_t len, time_t last_modified, const struct crl_seen_file *file)
{
	const struct crl_index_info *same = NULL;
	bool pem = is_pem(data, len), known;
	struct crl_seen seen, prior;
	struct crlread read;
	gnutls_datum_t der = { NULL, 0 };
	char err[512];
	int ret, used = -1;

	memset(&seen, 0, sizeof(seen));
	if (file != NULL)
		seen.file = *file;
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len,
	    seen.raw_sha256) < 0) {
		say(u, FAILED, source, "cannot hash the CRL");
		unanswered(u, source);
		return;
	}
	memcpy(seen.der_sha256, seen.raw_sha256, 32);
	known = !pem || (crl_seen_lookup(u->dir, source, &prior) &&
	    memcmp(prior.raw_sha256, seen.raw_sha256, 32) == 0);
	if (known && pem)
		memcpy(seen.der_sha256, prior.der_sha256, 32);
	if (known && (same = published_same(u, source,
	    seen.der_sha256)) != NULL) {
		keep_unchanged(u, source, "unchanged", same);
		remember(u, source, &seen);
		return;
	}
	if (decode_crl(data, len, &der, err, sizeof(err)) != 0)
		say(u, FAILED, source, "%s; the published index is kept", err);
	else if (pem && gnutls_hash_fast(GNUTLS_DIG_SHA256, der.data, der.size,
	    seen.der_sha256) < 0)
		say(u, FAILED, source, "cannot hash the CRL");
	else if ((ret = crlread_der(&read, der.data, der.size, err,
	    sizeof(err))) == CRLREAD_REFUSED)
		say(u, FAILED, source, "%s; the published index is kept", err);
	else if (ret != 0)
		say(u, FAILED, source, "not a CRL (%s); the published index is "
		    "kept", err);
	else {
		if ((used = update_read(u, source, &read, &der,
		    seen.der_sha256, last_modified)) == 0)
			remember(u, source, &seen);
		crlread_clear(&read);
	}
	if (used != 0)
		unanswered(u, source);
	if (der.data != data)
		gnutls_free(der.data);
}

static const struct crl_index_info *
published_from(const struct update *u, const char *source)
{
	for (size_t i = 0; i < crl_index_count(u->published); i++) {
		const struct crl_index_info *info =
		    crl_index_file_info(crl_index_file(u->published, i));

		if (strcmp(info->source, source) == 0)
			return info;
	}
	return NULL;
}

/*
 * The newest complete CRL in the index as the run began of the issuer
 * name of crt, when none of its complete CRLs there names delta CRLs
 * (freshestCRL); NULL when one does, or there is none.
 */
static const struct crl_index_info *
deltas_turned_off(const struct update *u, gnutls_x509_crt_t crt)
{
	const struct crl_index_info *newest = NULL;
	gnutls_datum_t dn = { NULL, 0 };

	if (gnutls_x509_crt_get_raw_issuer_dn(crt, &dn) < 0)
		return NULL;
	for (size_t i = 0; i < crl_index_count(u->published); i++) {
		const struct crl_index_info *info =
		    crl_index_file_info(crl_index_file(u->published, i));
		const gnutls_datum_t issuer = {
			(unsigned char *)info->issuer_dn,
			(unsigned)info->issuer_dn_len
		};

		if (info->numbers.delta || !dername_equal(&issuer, &dn))
			continue;
		if (info->numbers.names_deltas) {
			newest = NULL;
			break;
		}
		if (newest == NULL || memcmp(info->numbers.number,
		    newest->numbers.number, CRLEXT_NUMBER_LEN) > 0)
			newest = info;
	}
	gnutls_free(dn.data);
	return newest;
}

/*
 * Where the freshestCRL extension of named_by says its issuer's delta
 * CRLs are, nothing is (404, 410), and none was published from there:
 * the CA turned delta CRLs off, when its complete CRLs no longer name
 * them.  Then that is how things are, not a failure of the update.
 */
static bool
no_deltas_named(struct update *u, const char *url, long status,
    gnutls_x509_crt_t named_by)
{
	const struct crl_index_info *base;
	char issuer[CERTNAME_MAX], have[CRLEXT_NUMBER_SHOWN_MAX];

	if (named_by == NULL || (base = deltas_turned_off(u,
	    named_by)) == NULL)
		return false;
	certname_der(base->issuer_dn, base->issuer_dn_len, issuer);
	crlext_number_shown(base->numbers.number, have);
	say(u, FRESH, url, "no delta CRL here (HTTP %ld), and the newest "
	    "complete CRL #%s of '%s' names none (freshestCRL)", status,
	    have, issuer);
	return true;
}

/* The server says it has nothing there: 404 Not Found, 410 Gone. */
static bool
absent(const struct http_response *resp)
{
	return resp->status == 404 || resp->status == 410;
}

/*
 * Fetch url, a CRL's; named_by, when not NULL, is the configured
 * certificate whose freshestCRL names url for its issuer's delta CRLs.
 */
static void
update_url(struct update *u, const char *url, gnutls_x509_crt_t named_by)
{
	const struct crl_index_info *prior;
	struct http_response resp;
	char err[512];

	if (strlist_contains(&u->fetched, url))
		return;
	if (strlist_add(&u->fetched, url) != 0) {
		say(u, FAILED, url, "out of memory");
		return;
	}
	prior = published_from(u, url);
	memset(&resp, 0, sizeof(resp));
	if (http_get(url, prior != NULL ? prior->last_modified : 0,
	    u->limits.timeout_ms, u->limits.max_bytes, &resp, err,
	    sizeof(err)) != 0) {
		say(u, FAILED, NULL, "%s; the published index is kept", err);
		unanswered(u, url);
	} else if (resp.status == 304 && prior != NULL)
		keep_unchanged(u, url, "not modified", prior);
	else if (absent(&resp) && prior != NULL && prior->numbers.delta)
		gone(u, url, resp.status);
	else if (absent(&resp) && prior == NULL &&
	    no_deltas_named(u, url, resp.status, named_by))
		unanswered(u, url);	/* it gave nothing, and drops nothing */
	else if (resp.status != 200) {
		say(u, FAILED, url, "the server answered HTTP %ld; the "
		    "published index is kept", resp.status);
		unanswered(u, url);
	} else
		update_crl(u, url, resp.body, resp.len, resp.last_modified,
		    NULL);
	http_response_free(&resp);
}

/*
 * A file as it was when its CRL was last published, its identity told by
 * stat() (crl_seen.h), is that CRL still: nothing needs reading.
 */
static bool
file_unchanged(struct update *u, const char *path,
    const struct crl_seen_file *file)
{
	const struct crl_index_info *same;
	struct crl_seen prior;
	char err[512];

	if (!crl_seen_lookup(u->dir, path, &prior) ||
	    memcmp(&prior.file, file, sizeof(*file)) != 0 ||
	    file_check_trusted(path, err, sizeof(err)) != 0 ||
	    (same = published_same(u, path, prior.der_sha256)) == NULL)
		return false;
	keep_unchanged(u, path, "unchanged", same);
	return true;
}

/*
 * Whether a file whose stat() st is may be known by that identity next
 * time: its times move with the clock's tick (a few milliseconds), or a
 * whole second on some file systems, so a CRL written in place within
 * the tick of this read, of the same size, would leave them as they are
 * and pass for the CRL read.  One changed within a second of the update
 * is read again next time (its digest still spares the parsing).
 */
static bool
settled(const struct update *u, const struct stat *st)
{
	return (int64_t)st->st_ctim.tv_sec < (int64_t)u->now - 1;
}

static void
update_file(struct update *u, const char *path)
{
	struct crl_seen_file file;
	struct stat st;
	unsigned char *data;
	size_t len;
	char err[512];
	bool known = false;

	memset(&file, 0, sizeof(file));
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		crl_seen_file(&st, &file);
		if (file_unchanged(u, path, &file))
			return;
		known = settled(u, &st);
	}
	if (read_file_bounded(path, u->limits.max_bytes, &data, &len, err,
	    sizeof(err)) != 0) {
		say(u, FAILED, NULL, "%s; the published index is kept", err);
		unanswered(u, path);
		return;
	}
	update_crl(u, path, data, len, 0, known ? &file : NULL);
	free(data);
}

/* A URI of a distribution point, when it is one update_points() takes. */
static bool
point_uri(unsigned type, const gnutls_datum_t *name, char *uri, size_t len)
{
	if (type != GNUTLS_SAN_URI || name->size >= len ||
	    memchr(name->data, '\0', name->size) != NULL)
		return false;
	memcpy(uri, name->data, name->size);
	uri[name->size] = '\0';
	return true;
}

/*
 * The distribution points of the configured CAs name the CRLs that cover
 * them, and their freshestCRL (the same syntax, RFC 5280 4.2.1.15) the
 * delta CRLs of those, which count with them (Microsoft AD CS).  Only
 * http: ldap is not spoken here, and https to fetch what decides whether
 * https may be trusted goes round in a circle.
 */
static void
update_points(struct update *u, gnutls_x509_crt_t crt, const char *oid,
    const char *what)
{
	gnutls_x509_crl_dist_points_t points = NULL;
	gnutls_datum_t der = { NULL, 0 }, name;
	char uri[2048], subject[CERTNAME_MAX];
	unsigned type;
	int ret;

	ret = gnutls_x509_crt_get_extension_by_oid2(crt, oid, 0, &der, NULL);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return;
	if (ret >= 0 && (ret = gnutls_x509_crl_dist_points_init(&points)) >= 0)
		ret = gnutls_x509_ext_import_crl_dist_points(&der, points, 0);
	if (ret < 0) {
		certname_subject(crt, subject);
		say(u, FAILED, NULL, "the %s of %s cannot be read: %s", what,
		    subject, gnutls_strerror(ret));
	}
	for (unsigned i = 0; ret >= 0 && gnutls_x509_crl_dist_points_get(
	    points, i, &type, &name, NULL) >= 0; i++) {
		if (!point_uri(type, &name, uri, sizeof(uri)))
			continue;
		if (strncasecmp(uri, "http://", 7) == 0)
			update_url(u, uri, strcmp(oid, OID_FRESHEST_CRL) == 0 ?
			    crt : NULL);
		else
			say(u, FRESH, uri, "skipped: only http distribution "
			    "points are fetched");
	}
	if (points != NULL)
		gnutls_x509_crl_dist_points_deinit(points);
	gnutls_free(der.data);
}

/*
 * The newest complete CRL in index of the issuer and scope of delta, and
 * with same_key, signed with its key too.
 */
static const struct crl_index_info *
newest_base(const struct crl_index *index, const struct crl_index_info *delta,
    bool same_key)
{
	const struct crl_index_info *base = NULL;

	for (size_t i = 0; i < crl_index_count(index); i++) {
		const struct crl_index_info *info =
		    crl_index_file_info(crl_index_file(index, i));

		if (!info->numbers.delta && memcmp(info->issuer_dn_sha256,
		    delta->issuer_dn_sha256, 32) == 0 &&
		    crlext_idp_equal(&info->scope, &delta->scope) &&
		    (!same_key || memcmp(info->issuer_spki_sha256,
		    delta->issuer_spki_sha256, 32) == 0) &&
		    (base == NULL || memcmp(info->numbers.number,
		    base->numbers.number, CRLEXT_NUMBER_LEN) > 0))
			base = info;
	}
	return base;
}

/*
 * The delta CRL delta was signed with another key of its CA than base,
 * the complete CRL of its issuer and scope, and no complete CRL of its
 * key is indexed: RFC 5280 (5.2.4) has a CA sign both with one key, and
 * verifications do not read the two together.
 */
static void
say_other_key(struct update *u, const struct crl_index_info *delta,
    const struct crl_index_info *base)
{
	char issuer[CERTNAME_MAX], number[CRLEXT_NUMBER_SHOWN_MAX];
	char have[CRLEXT_NUMBER_SHOWN_MAX], source[CERTNAME_MAX];

	certname_der(delta->issuer_dn, delta->issuer_dn_len, issuer);
	crlext_number_shown(delta->numbers.number, number);
	indexed_shown(base, have, source);
	say(u, FAILED, delta->source, "the delta CRL #%s of '%s' was signed "
	    "with another key of its CA than its complete CRL #%s (%s), and "
	    "RFC 5280 has a CA sign both with one key: verifications read "
	    "the complete CRL alone, and what the delta CRL lists is revoked, "
	    "but it lifts no hold; add the complete CRL of the "
	    "delta CRL's key (after a renewal of the CA's key, the CRL file "
	    "of the new key)", number, issuer, have, source);
}

/*
 * What the delta CRL delta needs of the complete CRLs in index, and what
 * it finds: the newest complete CRL of its issuer, scope and key, which
 * must be the one it counts from or a newer one.
 */
static void
check_delta(struct update *u, const struct crl_index *index,
    const struct crl_index_info *delta)
{
	const struct crl_index_info *base = newest_base(index, delta, true);
	const struct crl_index_info *other;
	char issuer[CERTNAME_MAX], number[CRLEXT_NUMBER_SHOWN_MAX];
	char needed[CRLEXT_NUMBER_SHOWN_MAX], have[CRLEXT_NUMBER_SHOWN_MAX];
	char source[CERTNAME_MAX];

	if (base != NULL && memcmp(delta->numbers.base, base->numbers.number,
	    CRLEXT_NUMBER_LEN) <= 0)
		return;
	if (base == NULL &&
	    (other = newest_base(index, delta, false)) != NULL) {
		say_other_key(u, delta, other);
		return;
	}
	certname_der(delta->issuer_dn, delta->issuer_dn_len, issuer);
	crlext_number_shown(delta->numbers.number, number);
	crlext_number_shown(delta->numbers.base, needed);
	if (base == NULL) {
		say(u, FAILED, delta->source, "the delta CRL #%s of '%s' has "
		    "no complete CRL of its issuer in the index, so "
		    "verifications reject the certificates it covers "
		    "(crl-missing); add its complete CRL (#%s or newer) to "
		    "revocation.crl_files or crl_urls", number, issuer,
		    needed);
		return;
	}
	indexed_shown(base, have, source);
	say(u, FAILED, delta->source, "the delta CRL #%s of '%s' needs its "
	    "complete CRL #%s or newer, and the index holds #%s (%s), so "
	    "verifications reject the certificates it covers (crl-stale) "
	    "until the newer complete CRL is published", number, issuer,
	    needed, have, source);
}

/*
 * The server of the delta CRL delta, kept, answered that it is gone: a
 * failure, since its CA still publishes delta CRLs as far as the index
 * tells, and the delta CRL goes stale.
 */
static void
say_kept_gone(struct update *u, const struct crl_index_info *delta)
{
	char number[CRLEXT_NUMBER_SHOWN_MAX];
	long status = gone_status(u, delta->source);

	if (status == 0)
		return;
	crlext_number_shown(delta->numbers.number, number);
	say(u, FAILED, delta->source, "the server answered HTTP %ld; the "
	    "published delta CRL #%s is kept, since the newest complete CRL "
	    "of its CA still names delta CRLs (freshestCRL) or is not newer "
	    "than it, and verifications reject the certificates it covers "
	    "once it is stale (crl-stale); check where its CA publishes its "
	    "delta CRLs", status, number);
}

/*
 * The delta CRL delta is gone from its source (why), and the newest
 * complete CRL of its CA names no delta CRLs, but the complete CRL it was
 * indexed with when the run began named none either (a CA that names
 * them in its certificates only, or a newer complete CRL an earlier run
 * published): nothing its CA signed says it stopped publishing them.
 * Over plain HTTP anyone on the path can forge a 404 and switch delta
 * CRLs off, so the delta CRL is kept, and goes stale.
 */
static void
say_unproven(struct update *u, const struct crl_index_info *delta,
    const char *why)
{
	char issuer[CERTNAME_MAX], number[CRLEXT_NUMBER_SHOWN_MAX];

	certname_der(delta->issuer_dn, delta->issuer_dn_len, issuer);
	crlext_number_shown(delta->numbers.number, number);
	say(u, FAILED, delta->source, "%s, but the complete CRL of '%s' "
	    "indexed with the delta CRL #%s named no delta CRLs "
	    "(freshestCRL), so nothing its CA signed says that it stopped "
	    "publishing them: the delta CRL is kept, and verifications "
	    "reject the certificates it covers once it is stale (crl-stale); "
	    "if the CA did stop publishing delta CRLs, remove %s, else check "
	    "where it publishes them", why, issuer, number, delta->path);
}

/*
 * Drop the delta CRL delta when its CA stopped publishing delta CRLs:
 * no source gave it this run, the complete CRL of its issuer and scope
 * it was indexed with when the run began named delta CRLs (freshestCRL),
 * and the newest one is newer than it and names none, as AD CS's
 * complete CRLs stop doing when delta CRLs are turned off.  Kept, it
 * would go stale and reject every certificate it covers (crl-stale),
 * while the complete CRL, newer, lists all it revoked.  A delta CRL
 * whose source was asked and did not answer is kept: an unreachable
 * server, or one that fails (5xx), never drops revocations; one whose
 * server answers that it is gone (404, 410) did answer, but that answer
 * is not signed: only the CA's complete CRLs, from naming delta CRLs to
 * naming none, say that it stopped.  Readers that mapped it keep their
 * mapping; the next open finds the complete CRL alone.
 */
static bool
drop_stopped(struct update *u, const struct crl_index *index,
    const struct crl_index_info *delta)
{
	const struct crl_index_info *base = newest_base(index, delta, false);
	const struct crl_index_info *paired;
	char hex[65], issuer[CERTNAME_MAX], number[CRLEXT_NUMBER_SHOWN_MAX];
	char have[CRLEXT_NUMBER_SHOWN_MAX], why[64];
	long status = gone_status(u, delta->source);
	int fd;

	hex_encode(delta->crl_sha256, 32, '\0', hex);
	if (u->untold || base == NULL || base->numbers.names_deltas ||
	    memcmp(base->numbers.number, delta->numbers.number,
	    CRLEXT_NUMBER_LEN) <= 0 || strlist_contains(&u->given, hex) ||
	    strlist_contains(&u->unanswered, delta->source)) {
		say_kept_gone(u, delta);
		return false;
	}
	if (status != 0)
		snprintf(why, sizeof(why), "its server answers HTTP %ld",
		    status);
	else
		snprintf(why, sizeof(why), "no configured source gives it any "
		    "more");
	paired = newest_base(u->published, delta, false);
	if (paired == NULL || !paired->numbers.names_deltas) {
		say_unproven(u, delta, why);
		return false;
	}
	if (unlink(delta->path) != 0) {
		say(u, FAILED, NULL, "%s: cannot remove: %s", delta->path,
		    strerror(errno));
		return false;
	}
	/* the removal lasts, as a rename of the index does (atomicfile.h) */
	if ((fd = open(u->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    fsync(fd) != 0)
		say(u, FAILED, NULL, "%s: %s", u->dir, strerror(errno));
	if (fd >= 0)
		close(fd);
	certname_der(delta->issuer_dn, delta->issuer_dn_len, issuer);
	crlext_number_shown(delta->numbers.number, number);
	crlext_number_shown(base->numbers.number, have);
	say(u, FRESH, delta->source, "dropped the delta CRL #%s of '%s': %s, "
	    "and its CA's newer complete CRL #%s names no delta CRLs "
	    "(freshestCRL)", number, issuer, why, have);
	return true;
}

/*
 * A delta CRL counts only with a complete CRL of its issuer and scope
 * that it can be read against (crl_coverage.h): published without one,
 * or asking for a newer one than is published, it rejects what it
 * covers, and the update says so as a failure.  It is published all the
 * same, so that what it revokes stays revoked, and the index decides as
 * the files would.  One whose CA stopped publishing delta CRLs is
 * dropped (drop_stopped()).
 */
static void
check_deltas(struct update *u)
{
	struct crl_index *index;
	char err[512];

	if (crl_index_open(u->dir, NULL, NULL, &index, err, sizeof(err)) != 0)
		return;		/* damaged files were reported */
	for (size_t i = 0; i < crl_index_count(index); i++) {
		const struct crl_index_info *delta =
		    crl_index_file_info(crl_index_file(index, i));

		if (delta->numbers.delta && !drop_stopped(u, index, delta))
			check_delta(u, index, delta);
	}
	crl_index_close(index);
}


int
crl_update_run(const struct mtls_config *config,
    const struct crl_update_limits *limits, time_t now,
    void (*report)(void *arg, int failed, const char *line), void *arg)
{
	const struct mtls_revocation *rev = &config->revocation;
	gnutls_x509_crt_t crt;
	struct update u;
	int lock = -1, ret = -1;

	memset(&u, 0, sizeof(u));
	u.config = config;
	u.limits = *limits;
	u.now = now;
	u.report = report;
	u.arg = arg;
	if (load_issuers(&u) != 0 || prepare_dir(&u, &lock) != 0)
		goto out;
	if (rev->crl_files.count == 0 && rev->crl_urls.count == 0 &&
	    !rev->crl_fetch)
		say(&u, FRESH, NULL, "no CRL source is configured "
		    "(revocation.crl_files, crl_urls, crl_fetch)");
	for (size_t i = 0; i < rev->crl_files.count; i++)
		update_file(&u, rev->crl_files.items[i]);
	for (size_t i = 0; i < rev->crl_urls.count; i++)
		update_url(&u, rev->crl_urls.items[i], NULL);
	for (size_t i = 0; rev->crl_fetch && i < u.issuers.count; i++)
		if ((crt = certset_crt(&u.issuers, i)) != NULL) {
			update_points(&u, crt, OID_CRL_DISTRIBUTION_POINTS,
			    "CRL distribution points");
			update_points(&u, crt, OID_FRESHEST_CRL,
			    "freshest CRL (delta CRL) distribution points");
		}
	check_deltas(&u);
	ret = u.failures > 0 ? 1 : 0;
out:
	crl_index_close(u.published);
	strlist_clear(&u.fetched);
	strlist_clear(&u.given);
	strlist_clear(&u.unanswered);
	strlist_clear(&u.gone);
	certset_clear(&u.issuers);
	if (lock >= 0)
		close(lock);
	return ret;
}

int
mtls_crl_update(const struct mtls_config *config, time_t now,
    void (*report)(void *arg, int failed, const char *line), void *arg)
{
	const struct crl_update_limits limits = {
		CRL_UPDATE_MAX_BYTES, CRL_UPDATE_TIMEOUT_MS
	};

	return crl_update_run(config, &limits, now, report, arg);
}
