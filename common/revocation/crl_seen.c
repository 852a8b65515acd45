#include "crl_seen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "atomicfile.h"
#include "hex.h"
#include "readfile.h"

#define SEEN_SUFFIX ".seen"

static int
seen_path(const char *dir, const char *source, char *path, size_t pathlen)
{
	unsigned char digest[32];
	char hex[33];

	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, source, strlen(source),
	    digest) < 0)
		return -1;
	hex_encode(digest, 16, '\0', hex);
	return (size_t)snprintf(path, pathlen, "%s/%s" SEEN_SUFFIX, dir,
	    hex) < pathlen ? 0 : -1;
}

/* The file is only ever read back on this machine: native layout. */
bool
crl_seen_lookup(const char *dir, const char *source, struct crl_seen *seen)
{
	char path[4096], err[512];
	unsigned char *data;
	size_t len;
	bool found;

	if (seen_path(dir, source, path, sizeof(path)) != 0 ||
	    read_file_bounded(path, sizeof(*seen), &data, &len, err,
	    sizeof(err)) != 0)
		return false;
	found = len == sizeof(*seen);
	if (found)
		memcpy(seen, data, sizeof(*seen));
	free(data);
	return found;
}

int
crl_seen_record(const char *dir, const char *source,
    const struct crl_seen *seen, char *err, size_t errlen)
{
	const struct atomicfile_part part = { seen, sizeof(*seen) };
	char path[4096];

	if (seen_path(dir, source, path, sizeof(path)) != 0) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	return atomicfile_write(path, &part, 1, err, errlen);
}

void
crl_seen_file(const struct stat *st, struct crl_seen_file *out)
{
	memset(out, 0, sizeof(*out));
	out->dev = (int64_t)st->st_dev;
	out->ino = (int64_t)st->st_ino;
	out->size = (int64_t)st->st_size;
	out->mtime_sec = (int64_t)st->st_mtim.tv_sec;
	out->mtime_nsec = (int64_t)st->st_mtim.tv_nsec;
	out->ctime_sec = (int64_t)st->st_ctim.tv_sec;
	out->ctime_nsec = (int64_t)st->st_ctim.tv_nsec;
}
