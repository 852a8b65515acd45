#include "certset.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gnutls/gnutls.h>

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

static int
append(struct certset *set, gnutls_x509_crt_t *crts, size_t n)
{
	gnutls_x509_crt_t *grown;

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
			return CERTSET_MALFORMED;
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
			return CERTSET_MALFORMED;
		}
		ret = gnutls_x509_crt_import(one, &in, GNUTLS_X509_FMT_DER);
		if (ret < 0) {
			gnutls_x509_crt_deinit(one);
			snprintf(err, errlen, "neither PEM nor a DER certificate: "
			    "%s", gnutls_strerror(ret));
			return CERTSET_MALFORMED;
		}
		if (append(set, &one, 1) != 0) {
			gnutls_x509_crt_deinit(one);
			snprintf(err, errlen, "out of memory");
			return CERTSET_MALFORMED;
		}
		return 0;
	}
	if (append(set, crts, n) != 0) {
		for (unsigned i = 0; i < n; i++)
			gnutls_x509_crt_deinit(crts[i]);
		gnutls_free(crts);
		snprintf(err, errlen, "out of memory");
		return CERTSET_MALFORMED;
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
	for (size_t i = 0; i < set->count; i++)
		if (gnutls_x509_crt_equals(set->crts[i], crt))
			return 1;
	return 0;
}

int
certset_add_dir(struct certset *set, const char *path, char *err,
    size_t errlen)
{
	DIR *dir = opendir(path);
	struct dirent *de;

	if (dir == NULL) {
		snprintf(err, errlen, "%s: cannot open directory", path);
		return -1;
	}
	while ((de = readdir(dir)) != NULL) {
		struct certset found = { NULL, 0 };
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
		for (size_t i = 0; i < found.count; i++) {
			if (!certset_has(set, found.crts[i]) &&
			    append(set, &found.crts[i], 1) == 0)
				found.crts[i] = NULL;
		}
		certset_clear(&found);
	}
	closedir(dir);
	return 0;
}

void
certset_clear(struct certset *set)
{
	for (size_t i = 0; i < set->count; i++)
		if (set->crts[i] != NULL)
			gnutls_x509_crt_deinit(set->crts[i]);
	free(set->crts);
	set->crts = NULL;
	set->count = 0;
}
