#define _GNU_SOURCE		/* memmem() */

#include "certset.h"

#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "certder.h"
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

/* A certificate certset_add_dir() read, until certset_crt() imports it. */
struct lazy_entry {
	gnutls_datum_t der;	/* gnutls_malloc()ed; NULL once imported */
	gnutls_datum_t subject;	/* in der */
	char *file;		/* where it was read */
	char *why;		/* why it could not be imported, once tried */
};

struct certset_lazy {
	pthread_mutex_t lock;	/* guards entries and the owner's crts */
	struct lazy_entry *entries;	/* by position in the owner */
	certset_prepare_fn prepare;
	void *arg;
	/* the first file certset_add_dir() passed over, and why */
	char *passed_over;
	size_t npassed;
};

/* The entry of position i while it waits to be imported, else NULL. */
static struct lazy_entry *
pending(const struct certset *set, size_t i)
{
	struct lazy_entry *e;

	if (set->lazy == NULL)
		return NULL;
	e = &set->lazy->entries[set->lazy_from + i];
	return e->der.data != NULL ? e : NULL;
}

static void
lazy_entry_clear(struct lazy_entry *e)
{
	gnutls_free(e->der.data);
	free(e->file);
	free(e->why);
	memset(e, 0, sizeof(*e));
}

/* The SHA-256 of the DER at position i, imported or not. */
static int
entry_sha256(const struct certset *set, size_t i, unsigned char digest[32])
{
	const struct lazy_entry *e = pending(set, i);

	if (e == NULL)
		return set->crts[i] == NULL ? -1 :
		    certname_sha256(set->crts[i], digest);
	return gnutls_hash_fast(GNUTLS_DIG_SHA256, e->der.data, e->der.size,
	    digest) < 0 ? -1 : 0;
}

/* The subject name at position i, imported or not (gnutls_free() it). */
static int
entry_subject(const struct certset *set, size_t i, gnutls_datum_t *name)
{
	const struct lazy_entry *e = pending(set, i);

	if (e == NULL)
		return set->crts[i] == NULL ? -1 :
		    gnutls_x509_crt_get_raw_dn(set->crts[i], name);
	if ((name->data = gnutls_malloc(e->subject.size)) == NULL)
		return -1;
	memcpy(name->data, e->subject.data, e->subject.size);
	name->size = e->subject.size;
	return 0;
}

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

/* The subject name at position i as a dername; -1 when it cannot be
 * had. */
static int
entry_name(const struct certset *set, size_t i, struct dername *name)
{
	gnutls_datum_t der = { NULL, 0 };
	int ret = entry_subject(set, i, &der) < 0 ? -1 :
	    dername_load(der.data, der.size, name);

	gnutls_free(der.data);
	return ret;
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

/* Every certificate's fingerprint, sorted; NULL when one cannot be had. */
static struct fingerprint *
fingerprints(const struct certset *set)
{
	struct fingerprint *fp = calloc(set->count + 1, sizeof(*fp));

	for (size_t i = 0; fp != NULL && i < set->count; i++) {
		fp[i].at = i;
		if (entry_sha256(set, i, fp[i].sha256) != 0) {
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
		if (entry_name(set, n->at, &n->name) != 0)
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
	if (set->lazy != NULL) {
		struct lazy_entry *more = realloc(set->lazy->entries,
		    (set->count + n) * sizeof(*more));

		if (more == NULL)
			return -1;
		memset(more + set->count, 0, n * sizeof(*more));
		set->lazy->entries = more;
	}
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
		for (size_t i = 0; i < set->count; i++) {
			gnutls_x509_crt_t have = certset_crt(set, i);

			if (have != NULL && gnutls_x509_crt_equals(have, crt))
				return 1;
		}
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

static bool
same_datum(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	return a->size == b->size && memcmp(a->data, b->data, a->size) == 0;
}

/* Without an index: decode each subject name in turn. */
static int
scan_subject(const struct certset *set, const struct dername *name,
    size_t from, size_t *at)
{
	for (size_t i = from; i < set->count; i++) {
		struct dername subject;
		gnutls_datum_t der = { NULL, 0 };
		bool same;
		int ret;

		if (certset_crt(set, i) == NULL)
			continue;
		/* memory running out is no reason to pass a candidate by:
		 * the issuer would be reported missing */
		if ((ret = entry_subject(set, i, &der)) ==
		    GNUTLS_E_MEMORY_ERROR)
			return -1;
		if (ret < 0)
			continue;
		ret = dername_load(der.data, der.size, &subject);
		gnutls_free(der.data);
		if (ret != 0)
			return -1;
		same = dername_same(&subject, name);
		dername_free(&subject);
		if (same) {
			*at = i;
			return 1;
		}
	}
	return 0;
}

int
certset_next_subject(const struct certset *set, const struct dername *name,
    size_t from, size_t *at)
{
	const struct named *n;
	struct named want = { .at = from };
	size_t lo = 0, hi;

	if (set->index == NULL)
		return scan_subject(set, name, from, at);
	if (name_hash(name, &want.hash) != 0)
		return -1;
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
			return 1;
		}
	return 0;
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
	bool *drop = calloc(set->count + 1, sizeof(*drop));
	struct lazy_entry *lazy = set->lazy != NULL ? set->lazy->entries : NULL;
	size_t kept = 0;

	if (fp == NULL || drop == NULL) {
		free(fp);
		free(drop);
		return -1;
	}
	for (size_t i = 1; i < set->count; i++)
		if (fp[i].at >= start && memcmp(fp[i].sha256,
		    fp[i - 1].sha256, 32) == 0)
			drop[fp[i].at] = true;
	free(fp);
	for (size_t i = 0; i < set->count; i++) {
		if (drop[i]) {
			if (set->crts[i] != NULL)
				gnutls_x509_crt_deinit(set->crts[i]);
			if (lazy != NULL)
				lazy_entry_clear(&lazy[i]);
			continue;
		}
		set->crts[kept] = set->crts[i];
		if (lazy != NULL)
			lazy[kept] = lazy[i];
		kept++;
	}
	free(drop);
	set->count = kept;
	return 0;
}

static struct certset_lazy *
lazy_new(size_t count)
{
	struct certset_lazy *lz = calloc(1, sizeof(*lz));

	if (lz == NULL)
		return NULL;
	lz->entries = calloc(count + 1, sizeof(*lz->entries));
	if (lz->entries == NULL || pthread_mutex_init(&lz->lock, NULL) != 0) {
		free(lz->entries);
		free(lz);
		return NULL;
	}
	return lz;
}

/* Append one certificate, not imported: der (taken) read from file. */
static int
append_lazy(struct certset *set, gnutls_datum_t *der,
    const gnutls_datum_t *subject, const char *file)
{
	gnutls_x509_crt_t none = NULL;
	struct lazy_entry *e;

	if (set->lazy == NULL && (set->lazy = lazy_new(set->count)) == NULL)
		return -1;
	if (append(set, &none, 1) != 0)
		return -1;
	e = &set->lazy->entries[set->count - 1];
	if ((e->file = strdup(file)) == NULL) {
		set->count--;
		return -1;
	}
	e->der = *der;
	e->subject = *subject;
	der->data = NULL;
	return 0;
}

/* The first file passed over is kept to be named, and they are counted. */
static int
pass_over(struct certset *set, const char *file, const char *why)
{
	char line[4096 + 512];

	if (set->lazy == NULL && (set->lazy = lazy_new(set->count)) == NULL)
		return -1;
	if (set->lazy->npassed++ > 0)
		return 0;
	snprintf(line, sizeof(line), "%s: %s", file, why);
	return (set->lazy->passed_over = strdup(line)) == NULL ? -1 : 0;
}

/*
 * The certificates of one file as DER, each with its subject name, as
 * certset_add_data() would take them: PEM CERTIFICATE blocks (at most
 * blocks), or one DER certificate.  -1 with why when the file holds none,
 * or one malformed.
 */
static int
file_ders(const unsigned char *data, size_t len, size_t blocks,
    gnutls_datum_t *ders, gnutls_datum_t *subjects, size_t *n, char *why,
    size_t whylen)
{
	size_t from = 0;
	int ret = 0;

	*n = 0;
	if (blocks == 0) {
		if ((ders[0].data = gnutls_malloc(len + 1)) == NULL) {
			snprintf(why, whylen, "out of memory");
			return -1;
		}
		memcpy(ders[0].data, data, len);
		ders[0].size = (unsigned)len;
		*n = 1;
		if (certder_subject(ders[0].data, len, &subjects[0]) != 0) {
			snprintf(why, whylen, "neither PEM nor a DER "
			    "certificate");
			return -1;
		}
		return 0;
	}
	/* each block begins with a marker blocks counted */
	while (*n < blocks && (ret = certder_next_pem(data, len, &from,
	    &ders[*n], why, whylen)) == 1) {
		size_t i = (*n)++;

		if (certder_subject(ders[i].data, ders[i].size,
		    &subjects[i]) != 0) {
			snprintf(why, whylen, "bad PEM certificate: not a "
			    "certificate in DER");
			return -1;
		}
	}
	if (ret < 0)
		return -1;
	if (*n == 0) {
		snprintf(why, whylen, "no PEM certificate in it");
		return -1;
	}
	return 0;
}

/* One file of a CA directory, lazily; -1 only when it cannot be read. */
static int
add_file_lazily(struct certset *set, int dirfd, const char *dir,
    const char *name, char *err, size_t errlen)
{
	gnutls_datum_t *ders = NULL, *subjects = NULL;
	unsigned char *data;
	char file[4096], why[512];
	size_t len, blocks, n = 0;
	int ret = -1;

	if (read_file_in_dir(dirfd, dir, name, CERTSET_MAX_FILE_BYTES, &data,
	    &len, err, errlen) != 0)
		return -1;
	snprintf(file, sizeof(file), "%s/%s", dir, name);
	/* what does not parse as certificates trusts nothing */
	if ((blocks = count_pem_blocks(data, len)) > CERTSET_MAX_FILE) {
		snprintf(why, sizeof(why), "more than %d certificates",
		    CERTSET_MAX_FILE);
		ret = pass_over(set, file, why);
		goto out;
	}
	ders = calloc(blocks + 1, sizeof(*ders));
	subjects = calloc(blocks + 1, sizeof(*subjects));
	if (ders == NULL || subjects == NULL)
		goto out;
	if (file_ders(data, len, blocks, ders, subjects, &n, why,
	    sizeof(why)) != 0) {
		ret = pass_over(set, file, why);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (append_lazy(set, &ders[i], &subjects[i], file) != 0)
			goto out;
	ret = 0;
out:
	if (ret != 0)
		snprintf(err, errlen, "%s: out of memory", file);
	for (size_t i = 0; ders != NULL && i < n; i++)
		gnutls_free(ders[i].data);
	free(ders);
	free(subjects);
	free(data);
	return ret;
}

/* A regular file, or a link to one: what else a directory holds, its
 * subdirectories, is passed over. */
static bool
regular_entry(int dirfd, const struct dirent *de)
{
	struct stat st;

	if (de->d_type == DT_REG)
		return true;
	if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
		return false;
	return fstatat(dirfd, de->d_name, &st, 0) == 0 && S_ISREG(st.st_mode);
}

int
certset_add_dir(struct certset *set, const char *path, char *err,
    size_t errlen)
{
	DIR *dir;
	struct dirent *de;
	size_t start = set->count;
	int ret = 0;

	/* once for the directory and its way, not for each file in it */
	if (file_check_trusted(path, err, errlen) != 0)
		return -1;
	if ((dir = opendir(path)) == NULL) {
		snprintf(err, errlen, "%s: cannot open directory", path);
		return -1;
	}
	while (ret == 0 && (de = readdir(dir)) != NULL)
		if (de->d_name[0] != '.' && regular_entry(dirfd(dir), de))
			ret = add_file_lazily(set, dirfd(dir), path,
			    de->d_name, err, errlen);
	closedir(dir);
	if (ret == 0 && drop_repeats(set, start) != 0) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	return ret;
}

/* Import the entry e at position i of set, under the lock. */
static gnutls_x509_crt_t
import_lazily(const struct certset *set, size_t i, struct lazy_entry *e)
{
	const struct certset_lazy *lz = set->lazy;
	gnutls_x509_crt_t crt;
	gnutls_datum_t dn = { NULL, 0 };
	char why[512] = "";
	int ret;

	/* out of memory: left to be tried again */
	if (gnutls_x509_crt_init(&crt) < 0)
		return NULL;
	ret = gnutls_x509_crt_import(crt, &e->der, GNUTLS_X509_FMT_DER);
	if (ret == GNUTLS_E_MEMORY_ERROR) {
		gnutls_x509_crt_deinit(crt);
		return NULL;
	}
	if (ret < 0)
		snprintf(why, sizeof(why), "not a certificate GnuTLS reads: "
		    "%s", gnutls_strerror(ret));
	else if (gnutls_x509_crt_get_raw_dn(crt, &dn) < 0 ||
	    !same_datum(&dn, &e->subject))
		snprintf(why, sizeof(why), "its subject name cannot be read");
	else if (lz->prepare != NULL && lz->prepare(lz->arg, crt,
	    set->lazy_from + i, why, sizeof(why)) != 0 && why[0] == '\0')
		snprintf(why, sizeof(why), "refused");
	gnutls_free(dn.data);
	gnutls_free(e->der.data);
	e->der.data = NULL;
	if (why[0] != '\0') {
		gnutls_x509_crt_deinit(crt);
		e->why = strdup(why);
		return NULL;
	}
	set->crts[i] = crt;
	return crt;
}

gnutls_x509_crt_t
certset_crt(const struct certset *set, size_t i)
{
	struct lazy_entry *e;
	gnutls_x509_crt_t crt;

	if (set->lazy == NULL)
		return set->crts[i];
	pthread_mutex_lock(&set->lazy->lock);
	crt = set->crts[i];
	if (crt == NULL && (e = pending(set, i)) != NULL)
		crt = import_lazily(set, i, e);
	pthread_mutex_unlock(&set->lazy->lock);
	return crt;
}

int
certset_prepare(struct certset *set, certset_prepare_fn fn, void *arg,
    char *err, size_t errlen)
{
	for (size_t i = 0; i < set->count; i++)
		if (pending(set, i) == NULL && set->crts[i] != NULL &&
		    fn(arg, set->crts[i], i, err, errlen) != 0)
			return -1;
	if (set->lazy != NULL) {
		set->lazy->prepare = fn;
		set->lazy->arg = arg;
	}
	return 0;
}

int
certset_check(const struct certset *set, char *err, size_t errlen)
{
	const struct certset_lazy *lz = set->lazy;

	if (lz == NULL)
		return 0;
	if (lz->passed_over != NULL) {
		char more[64] = "";

		if (lz->npassed > 1)
			snprintf(more, sizeof(more), " (and %zu other file%s)",
			    lz->npassed - 1, lz->npassed > 2 ? "s" : "");
		snprintf(err, errlen, "%s: nothing in it is trusted; fix it, or "
		    "move it out of the directory%s", lz->passed_over, more);
		return -1;
	}
	for (size_t i = 0; i < set->count; i++) {
		const struct lazy_entry *e =
		    &lz->entries[set->lazy_from + i];

		if (certset_crt(set, i) != NULL)
			continue;
		snprintf(err, errlen, "%s: %s", e->file != NULL ? e->file :
		    "a configured certificate", e->why != NULL ? e->why :
		    "out of memory");
		return -1;
	}
	return 0;
}

void
certset_view(struct certset *view, const struct certset *set, size_t from,
    size_t count)
{
	view->crts = set->crts + from;
	view->count = count;
	view->index = NULL;
	view->lazy = set->lazy;
	view->lazy_from = set->lazy_from + from;
}

void
certset_clear(struct certset *set)
{
	struct certset_lazy *lz = set->lazy;

	certset_unindex(set);
	for (size_t i = 0; i < set->count; i++) {
		if (set->crts[i] != NULL)
			gnutls_x509_crt_deinit(set->crts[i]);
		if (lz != NULL)
			lazy_entry_clear(&lz->entries[i]);
	}
	if (lz != NULL) {
		pthread_mutex_destroy(&lz->lock);
		free(lz->entries);
		free(lz->passed_over);
		free(lz);
	}
	free(set->crts);
	set->crts = NULL;
	set->count = 0;
	set->lazy = NULL;
}
