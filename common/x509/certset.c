#define _GNU_SOURCE		/* memmem() */

#include "certset.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "certname.h"
#include "dertime.h"
#include "readfile.h"

static const char pem_marker[] = "-----BEGIN ";

static size_t
count_pem_blocks(const unsigned char *data, size_t len)
{
	size_t n = 0;
	const size_t mlen = sizeof(pem_marker) - 1;

	for (size_t i = 0; i + mlen <= len; i++) {
		const unsigned char *p = memchr(data + i, '-', len - i);

		if (p == NULL || (size_t)(p - data) + mlen > len)
			break;
		i = (size_t)(p - data);
		if (memcmp(p, pem_marker, mlen) == 0)
			n++;
	}
	return n;
}

/*
 * Why the certificate whose validity GnuTLS cannot read is refused: it
 * says no more than "Error in the time fields".  Which certificate of
 * data, which time, and what is wrong with it (dertime.h: most likely a
 * fraction of a second) go into err; err is kept when none is found.
 */
static void
explain_time_error(const unsigned char *data, size_t len, bool pem,
    char *err, size_t errlen)
{
	const size_t mlen = sizeof(pem_marker) - 1;
	const unsigned char *p = data, *end = data + len, *at;
	char why[256];
	unsigned n = 0;

	if (!pem) {
		if (dertime_cert_validity(data, len, why, sizeof(why)) != 0)
			snprintf(err, errlen, "%s; its CA must issue it "
			    "again", why);
		return;
	}
	while ((at = memmem(p, (size_t)(end - p), pem_marker, mlen)) != NULL) {
		gnutls_datum_t in = { (unsigned char *)at,
		    (unsigned)(end - at) }, der;
		int bad;

		p = at + mlen;
		n++;
		if (gnutls_pem_base64_decode2("CERTIFICATE", &in, &der) < 0)
			continue;
		bad = dertime_cert_validity(der.data, der.size, why,
		    sizeof(why));
		gnutls_free(der.data);
		if (bad != 0) {
			snprintf(err, errlen, "certificate %u of the input: %s; "
			    "its CA must issue it again", n, why);
			return;
		}
	}
}

/* A certificate by the SHA-256 of its DER, and its position. */
struct fingerprint {
	unsigned char sha256[32];
	size_t at;
};

/* A subject name by (part of) the SHA-256 of its key, the key and the
 * position. */
struct named {
	uint64_t hash;
	size_t at;
	struct dername name;
};

struct certset_index {
	struct fingerprint *ders;	/* by digest, then position */
	struct named *names;		/* by hash, then position */
	size_t count;
};

static int
fingerprint_cmp(const void *a, const void *b)
{
	const struct fingerprint *x = a, *y = b;
	int c = memcmp(x->sha256, y->sha256, sizeof(x->sha256));

	if (c != 0)
		return c;
	return (x->at > y->at) - (x->at < y->at);
}

static int
named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return (x->at > y->at) - (x->at < y->at);
}

static int
name_hash(const struct dername *name, uint64_t *hash)
{
	unsigned char digest[32];

	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, name->key, name->len,
	    digest) < 0)
		return -1;
	memcpy(hash, digest, sizeof(*hash));
	return 0;
}

/* The subject of crt as a dername; -1 when it cannot be had. */
static int
subject_of(gnutls_x509_crt_t crt, struct dername *name)
{
	gnutls_datum_t der;
	int ret;

	if (gnutls_x509_crt_get_raw_dn(crt, &der) < 0)
		return -1;
	ret = dername_load(der.data, der.size, name);
	gnutls_free(der.data);
	return ret;
}

/* Every certificate's fingerprint, sorted; NULL when one cannot be had. */
static struct fingerprint *
fingerprints(const struct certset *set)
{
	struct fingerprint *fp = calloc(set->count + 1, sizeof(*fp));

	for (size_t i = 0; fp != NULL && i < set->count; i++) {
		fp[i].at = i;
		if (certname_sha256(set->crts[i], fp[i].sha256) != 0) {
			free(fp);
			return NULL;
		}
	}
	if (fp != NULL)
		qsort(fp, set->count, sizeof(*fp), fingerprint_cmp);
	return fp;
}

void
certset_unindex(struct certset *set)
{
	struct certset_index *ix = set->index;

	if (ix == NULL)
		return;
	for (size_t i = 0; i < ix->count; i++)
		dername_free(&ix->names[i].name);
	free(ix->names);
	free(ix->ders);
	free(ix);
	set->index = NULL;
}

int
certset_index(struct certset *set)
{
	struct certset_index *ix = calloc(1, sizeof(*ix));

	certset_unindex(set);
	if (ix == NULL)
		return -1;
	set->index = ix;
	ix->names = calloc(set->count + 1, sizeof(*ix->names));
	if (ix->names == NULL || (ix->ders = fingerprints(set)) == NULL)
		goto fail;
	for (; ix->count < set->count; ix->count++) {
		struct named *n = &ix->names[ix->count];

		n->at = ix->count;
		if (subject_of(set->crts[n->at], &n->name) != 0)
			goto fail;
		if (name_hash(&n->name, &n->hash) != 0) {
			dername_free(&n->name);
			goto fail;
		}
	}
	qsort(ix->names, ix->count, sizeof(*ix->names), named_cmp);
	return 0;
fail:
	certset_unindex(set);
	return -1;
}

static int
append(struct certset *set, gnutls_x509_crt_t *crts, size_t n)
{
	gnutls_x509_crt_t *grown;

	certset_unindex(set);
	grown = realloc(set->crts, (set->count + n) * sizeof(*grown));
	if (grown == NULL)
		return -1;
	memcpy(grown + set->count, crts, n * sizeof(*crts));
	set->crts = grown;
	set->count += n;
	return 0;
}

int
certset_add_data(struct certset *set, const void *data, size_t len,
    size_t max, char *err, size_t errlen)
{
	gnutls_datum_t in = { (unsigned char *)data, (unsigned)len };
	gnutls_x509_crt_t *crts = NULL;
	gnutls_x509_crt_t one;
	unsigned n = 0;
	size_t room = max > set->count ? max - set->count : 0;
	int ret;

	if (len == 0) {
		snprintf(err, errlen, "empty input, no certificate");
		return CERTSET_MALFORMED;
	}
	if (len > (unsigned)-1) {
		snprintf(err, errlen, "input too large");
		return CERTSET_TOO_MANY;
	}
	if (count_pem_blocks(data, len) > 0) {
		/* Count before parsing, so a bundle of thousands costs a scan,
		 * not thousands of parses. */
		if (count_pem_blocks(data, len) > room) {
			snprintf(err, errlen, "more than %zu certificates", max);
			return CERTSET_TOO_MANY;
		}
		ret = gnutls_x509_crt_list_import2(&crts, &n, &in,
		    GNUTLS_X509_FMT_PEM, 0);
		if (ret < 0) {
			snprintf(err, errlen, "bad PEM certificate: %s",
			    gnutls_strerror(ret));
			if (ret == GNUTLS_E_CERTIFICATE_TIME_ERROR)
				explain_time_error(data, len, true, err,
				    errlen);
			return ret == GNUTLS_E_MEMORY_ERROR ? CERTSET_NO_MEMORY :
			    CERTSET_MALFORMED;
		}
		if (n == 0) {
			gnutls_free(crts);
			snprintf(err, errlen, "no certificate in the input");
			return CERTSET_MALFORMED;
		}
	} else {
		if (room == 0) {
			snprintf(err, errlen, "more than %zu certificates", max);
			return CERTSET_TOO_MANY;
		}
		if (gnutls_x509_crt_init(&one) < 0) {
			snprintf(err, errlen, "out of memory");
			return CERTSET_NO_MEMORY;
		}
		ret = gnutls_x509_crt_import(one, &in, GNUTLS_X509_FMT_DER);
		if (ret < 0) {
			gnutls_x509_crt_deinit(one);
			snprintf(err, errlen, "neither PEM nor a DER certificate: "
			    "%s", gnutls_strerror(ret));
			if (ret == GNUTLS_E_CERTIFICATE_TIME_ERROR)
				explain_time_error(data, len, false, err,
				    errlen);
			return ret == GNUTLS_E_MEMORY_ERROR ? CERTSET_NO_MEMORY :
			    CERTSET_MALFORMED;
		}
		if (append(set, &one, 1) != 0) {
			gnutls_x509_crt_deinit(one);
			snprintf(err, errlen, "out of memory");
			return CERTSET_NO_MEMORY;
		}
		return 0;
	}
	if (append(set, crts, n) != 0) {
		for (unsigned i = 0; i < n; i++)
			gnutls_x509_crt_deinit(crts[i]);
		gnutls_free(crts);
		snprintf(err, errlen, "out of memory");
		return CERTSET_NO_MEMORY;
	}
	gnutls_free(crts);
	return 0;
}

int
certset_add_file(struct certset *set, const char *path, char *err,
    size_t errlen)
{
	unsigned char *data;
	size_t len;
	char why[256];
	int ret;

	if (read_file_bounded(path, CERTSET_MAX_FILE_BYTES, &data, &len, err,
	    errlen) != 0)
		return -1;
	ret = certset_add_data(set, data, len, CERTSET_MAX_FILE, why,
	    sizeof(why));
	free(data);
	if (ret != 0)
		snprintf(err, errlen, "%s: %s", path, why);
	return ret;
}

int
certset_has(const struct certset *set, gnutls_x509_crt_t crt)
{
	struct fingerprint want = { .at = 0 };
	const struct fingerprint *d;
	size_t lo = 0, hi;

	if (set->index == NULL) {
		for (size_t i = 0; i < set->count; i++)
			if (gnutls_x509_crt_equals(set->crts[i], crt))
				return 1;
		return 0;
	}
	if (certname_sha256(crt, want.sha256) != 0)
		return 0;
	d = set->index->ders;
	for (hi = set->index->count; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(d[mid].sha256, want.sha256, 32) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < set->index->count && memcmp(d[lo].sha256, want.sha256,
	    32) == 0;
}

/* Without an index: decode each subject name in turn. */
static bool
scan_subject(const struct certset *set, const struct dername *name,
    size_t from, size_t *at)
{
	for (size_t i = from; i < set->count; i++) {
		struct dername subject;
		bool same;

		if (subject_of(set->crts[i], &subject) != 0)
			continue;
		same = dername_same(&subject, name);
		dername_free(&subject);
		if (same) {
			*at = i;
			return true;
		}
	}
	return false;
}

bool
certset_next_subject(const struct certset *set, const struct dername *name,
    size_t from, size_t *at)
{
	const struct named *n;
	struct named want = { .at = from };
	size_t lo = 0, hi;

	if (set->index == NULL)
		return scan_subject(set, name, from, at);
	if (name_hash(name, &want.hash) != 0)
		return false;
	n = set->index->names;
	for (hi = set->index->count; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (named_cmp(&n[mid], &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < set->index->count && n[lo].hash == want.hash; lo++)
		if (dername_same(&n[lo].name, name)) {
			*at = n[lo].at;
			return true;
		}
	return false;
}

/*
 * Drop the certificates from position start on that repeat an earlier
 * one: in one sort, where comparing each to all before it would make a
 * directory of a thousand CAs take seconds.
 */
static int
drop_repeats(struct certset *set, size_t start)
{
	struct fingerprint *fp = fingerprints(set);
	size_t kept = 0;

	if (fp == NULL)
		return -1;
	for (size_t i = 1; i < set->count; i++)
		if (fp[i].at >= start && memcmp(fp[i].sha256,
		    fp[i - 1].sha256, 32) == 0) {
			gnutls_x509_crt_deinit(set->crts[fp[i].at]);
			set->crts[fp[i].at] = NULL;
		}
	free(fp);
	for (size_t i = 0; i < set->count; i++)
		if (set->crts[i] != NULL)
			set->crts[kept++] = set->crts[i];
	set->count = kept;
	return 0;
}

int
certset_add_dir(struct certset *set, const char *path, char *err,
    size_t errlen)
{
	DIR *dir = opendir(path);
	struct dirent *de;
	size_t start = set->count;

	if (dir == NULL) {
		snprintf(err, errlen, "%s: cannot open directory", path);
		return -1;
	}
	while ((de = readdir(dir)) != NULL) {
		struct certset found = { .crts = NULL };
		char file[4096];
		char why[sizeof(file) + 512];
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
		if (stat(file, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (file_check_trusted(file, err, errlen) != 0) {
			closedir(dir);
			return -1;
		}
		/* A CA directory also holds hash links and notes; what does not
		 * parse as certificates trusts nothing, so it is passed over. */
		if (certset_add_file(&found, file, why, sizeof(why)) != 0)
			continue;
		if (append(set, found.crts, found.count) == 0)
			found.count = 0;
		certset_clear(&found);
	}
	closedir(dir);
	if (drop_repeats(set, start) != 0) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	return 0;
}

void
certset_clear(struct certset *set)
{
	certset_unindex(set);
	for (size_t i = 0; i < set->count; i++)
		if (set->crts[i] != NULL)
			gnutls_x509_crt_deinit(set->crts[i]);
	free(set->crts);
	set->crts = NULL;
	set->count = 0;
}
