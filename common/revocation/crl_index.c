#include "crl_index.h"

#include <dirent.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "certname.h"
#include "crl_coverage.h"
#include "crl_index_format.h"
#include "crl_key_memo.h"
#include "denied.h"
#include "filemap.h"
#include "readfile.h"

struct crl_index_file {
	char *path;
	unsigned char *map;
	size_t size;
	const unsigned char *fences;	/* the first record of each block */
	const unsigned char *digests;	/* the SHA-256 of each block */
	const unsigned char *records;
	const unsigned char *marked;	/* after the records */
	uint64_t blocks;
	/* per block: its digest matched once, so that a long-running
	 * process hashes each block at most once (a lost race hashes it
	 * twice); the file is never rewritten in place (crl_index.h) */
	atomic_bool *intact;
	struct crl_index_info info;
	/* the issuer certificates of paths found to hold the key that
	 * signed it, or not to */
	struct crl_key_memo signers;
};

struct crl_index {
	struct crl_index_file **files;
	size_t count;
	char *dir;
	struct stat seen;	/* the directory when opened; zero if absent */
	bool racy;		/* seen too soon to tell a change (racy()) */
};

static int
corrupt(const char *path, const char *why, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: corrupt CRL index (%s); \"mtls crl "
	    "update\" replaces it with the next good CRL of its issuer", path,
	    why);
	return -1;
}

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/*
 * The partition URIs, each a 2-octet length and the URI, into the scope
 * crl_coverage_check() reads.
 */
static int
parse_scope(struct crl_index_file *file, const unsigned char *uris,
    size_t len, char *err, size_t errlen)
{
	struct crlext_idp *scope = &file->info.scope;
	unsigned flags = file->map[CRLX_OFF_SCOPE];
	size_t nuris = file->map[CRLX_OFF_NURIS], at = 0;

	if ((flags & ~(unsigned)(CRLX_SCOPE_USER_CERTS | CRLX_SCOPE_CA_CERTS |
	    CRLX_SCOPE_PARTITION)) != 0 ||
	    ((flags & CRLX_SCOPE_PARTITION) != 0) != (nuris > 0))
		return corrupt(file->path, "bad scope", err, errlen);
	scope->only_user_certs = flags & CRLX_SCOPE_USER_CERTS;
	scope->only_ca_certs = flags & CRLX_SCOPE_CA_CERTS;
	scope->has_point = flags & CRLX_SCOPE_PARTITION;
	if (nuris > 0 && (scope->uris = calloc(nuris,
	    sizeof(*scope->uris))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", file->path);
		return -1;
	}
	for (; scope->nuris < nuris; scope->nuris++) {
		size_t ulen;

		if (len - at < 2 || (ulen = (size_t)uris[at] << 8 |
		    uris[at + 1]) == 0 || ulen > len - at - 2)
			return corrupt(file->path, "bad partition URIs", err,
			    errlen);
		/* copies, since the scope owns its URIs (crlext_idp_clear) */
		scope->uris[scope->nuris].data = malloc(ulen);
		if (scope->uris[scope->nuris].data == NULL) {
			snprintf(err, errlen, "%s: out of memory", file->path);
			return -1;
		}
		memcpy(scope->uris[scope->nuris].data, uris + at + 2, ulen);
		scope->uris[scope->nuris].size = (unsigned)ulen;
		at += 2 + ulen;
	}
	if (at != len)
		return corrupt(file->path, "bad partition URIs", err, errlen);
	return 0;
}

/*
 * The variable part: issuer name, source and its terminating zero,
 * partition URIs; and the file name they make.
 */
static int
parse_variable(struct crl_index_file *file, size_t header_size, char *err,
    size_t errlen)
{
	const unsigned char *m = file->map;
	struct crl_index_info *info = &file->info;
	size_t dn_len = crlx_get_u32(m + CRLX_OFF_DN_LEN);
	size_t source_len = crlx_get_u32(m + CRLX_OFF_SOURCE_LEN);
	size_t uris_len = crlx_get_u32(m + CRLX_OFF_URIS_LEN);
	struct crlx_identity id;
	char name[CRL_INDEX_NAME_MAX + 1];
	const char *source;

	if (dn_len == 0 || dn_len > CRLX_DN_MAX ||
	    source_len > CRL_INDEX_SOURCE_MAX || uris_len > header_size ||
	    crlx_header_size(dn_len, source_len, uris_len) != header_size)
		return corrupt(file->path, "bad field lengths", err, errlen);
	info->issuer_dn = m + CRLX_OFF_VARIABLE;
	info->issuer_dn_len = dn_len;
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, info->issuer_dn, dn_len,
	    id.dn_sha256) < 0 ||
	    memcmp(id.dn_sha256, info->issuer_dn_sha256, 32) != 0)
		return corrupt(file->path, "issuer name does not match its "
		    "hash", err, errlen);
	source = (const char *)info->issuer_dn + dn_len;
	if (memchr(source, '\0', source_len) != NULL ||
	    source[source_len] != '\0')
		return corrupt(file->path, "bad source", err, errlen);
	info->source = source;
	id.uris = (const unsigned char *)source + source_len + 1;
	id.uris_len = uris_len;
	if (parse_scope(file, id.uris, uris_len, err, errlen) != 0)
		return -1;
	memcpy(id.spki_sha256, info->issuer_spki_sha256, 32);
	id.scope = m[CRLX_OFF_SCOPE];
	id.nuris = m[CRLX_OFF_NURIS];
	id.delta = info->numbers.delta;
	if (crlx_file_name(&id, name) != 0 ||
	    strcmp(base_name(file->path), name) != 0)
		return corrupt(file->path, "file name does not match its "
		    "issuer", err, errlen);
	return 0;
}

static int
parse_header(struct crl_index_file *file, char *err, size_t errlen)
{
	const unsigned char *m = file->map;
	struct crl_index_info *info = &file->info;
	static const unsigned char zero[CRL_INDEX_SERIAL_LEN];
	unsigned char digest[32];
	size_t header_size;
	uint64_t count, marked;

	if (file->size < CRLX_OFF_VARIABLE)
		return corrupt(file->path, "truncated header", err, errlen);
	if (memcmp(m + CRLX_OFF_MAGIC, CRLX_MAGIC, CRLX_MAGIC_LEN) != 0)
		return corrupt(file->path, "not a CRL index", err, errlen);
	if (crlx_get_u32(m + CRLX_OFF_VERSION) != CRLX_VERSION)
		return corrupt(file->path, "unknown version, or written by an "
		    "older mtls, before it read delta CRLs and holds", err,
		    errlen);
	header_size = crlx_get_u32(m + CRLX_OFF_HEADER_SIZE);
	if (header_size < CRLX_OFF_VARIABLE || header_size % 8 != 0 ||
	    header_size > file->size)
		return corrupt(file->path, "truncated header", err, errlen);
	count = crlx_get_u64(m + CRLX_OFF_COUNT);
	marked = crlx_get_u64(m + CRLX_OFF_MARKED_COUNT);
	/* the first tests bound count and marked, so that the last cannot
	 * overflow */
	if (count > (file->size - header_size) / CRL_INDEX_SERIAL_LEN ||
	    marked > count ||
	    file->size - header_size != crlx_blocks(count) *
	    CRLX_TABLE_ENTRY + (count + marked) * CRL_INDEX_SERIAL_LEN)
		return corrupt(file->path, "size does not match the number of "
		    "serials", err, errlen);
	file->blocks = crlx_blocks(count);
	file->fences = m + header_size;
	file->digests = file->fences + file->blocks * CRL_INDEX_SERIAL_LEN;
	file->records = file->digests + file->blocks * CRLX_DIGEST_LEN;
	file->marked = file->records + count * CRL_INDEX_SERIAL_LEN;
	if ((file->intact = calloc(file->blocks + 1,
	    sizeof(*file->intact))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", file->path);
		return -1;
	}
	/* the header and tables; each block of records is checked against
	 * its digest when it is read (crl_index.h) */
	if (crlx_checksum(m, header_size, file->fences, file->blocks *
	    CRLX_TABLE_ENTRY, file->marked, marked * CRL_INDEX_SERIAL_LEN,
	    digest) != 0 ||
	    memcmp(digest, m + CRLX_OFF_CHECKSUM, 32) != 0)
		return corrupt(file->path, "checksum mismatch: the file was "
		    "damaged or altered", err, errlen);
	/* so that the fence a lookup finds is the one block to read */
	for (uint64_t b = 1; b < file->blocks; b++)
		if (memcmp(file->fences + (b - 1) * CRL_INDEX_SERIAL_LEN,
		    file->fences + b * CRL_INDEX_SERIAL_LEN,
		    CRL_INDEX_SERIAL_LEN) >= 0)
			return corrupt(file->path, "blocks out of order", err,
			    errlen);
	for (uint64_t i = 1; i < marked; i++)
		if (memcmp(file->marked + (i - 1) * CRL_INDEX_SERIAL_LEN,
		    file->marked + i * CRL_INDEX_SERIAL_LEN,
		    CRL_INDEX_SERIAL_LEN) >= 0)
			return corrupt(file->path, "marked serials out of order",
			    err, errlen);
	info->count = count;
	info->marked = marked;
	info->sign_algorithm = (int)crlx_get_u32(m + CRLX_OFF_SIGN_ALGORITHM);
	info->this_update = (time_t)(int64_t)crlx_get_u64(m +
	    CRLX_OFF_THIS_UPDATE);
	info->next_update = (time_t)(int64_t)crlx_get_u64(m +
	    CRLX_OFF_NEXT_UPDATE);
	info->last_modified = (time_t)(int64_t)crlx_get_u64(m +
	    CRLX_OFF_LAST_MODIFIED);
	memcpy(info->issuer_dn_sha256, m + CRLX_OFF_DN_SHA256, 32);
	memcpy(info->issuer_spki_sha256, m + CRLX_OFF_SPKI_SHA256, 32);
	memcpy(info->crl_sha256, m + CRLX_OFF_CRL_SHA256, 32);
	memcpy(info->numbers.number, m + CRLX_OFF_CRL_NUMBER,
	    CRL_INDEX_SERIAL_LEN);
	memcpy(info->numbers.base, m + CRLX_OFF_BASE_NUMBER,
	    CRL_INDEX_SERIAL_LEN);
	info->numbers.delta = m[CRLX_OFF_DELTA] == 1;
	info->numbers.names_deltas = m[CRLX_OFF_NAMES_DELTAS] == 1;
	if (m[CRLX_OFF_DELTA] > 1 || m[CRLX_OFF_NAMES_DELTAS] > 1 ||
	    (!info->numbers.delta &&
	    memcmp(info->numbers.base, zero, CRL_INDEX_SERIAL_LEN) != 0))
		return corrupt(file->path, "bad delta CRL fields", err,
		    errlen);
	info->aki_len = m[CRLX_OFF_AKI_LEN];
	info->aki = m + CRLX_OFF_AKI;
	info->ski_len = m[CRLX_OFF_SKI_LEN];
	info->ski = m + CRLX_OFF_SKI;
	if (info->aki_len > CRL_INDEX_KEYID_MAX ||
	    info->ski_len > CRL_INDEX_KEYID_MAX)
		return corrupt(file->path, "bad key identifier length", err,
		    errlen);
	return parse_variable(file, header_size, err, errlen);
}

static int
map_file(struct crl_index_file *file, char *err, size_t errlen)
{
	int got = filemap_open(file->path, CRLX_OFF_VARIABLE, &file->map,
	    &file->size, err, errlen);

	if (got > 0)
		return corrupt(file->path, "truncated header", err, errlen);
	/* its directory open, the file itself may still be closed (a
	 * umask of 077 where it was published) */
	if (got < 0)
		(void)denied_message("the CRL index file", file->path, false,
		    err, errlen);
	return got;
}

int
crl_index_file_open(const char *path, struct crl_index_file **out,
    char *err, size_t errlen)
{
	struct crl_index_file *file;

	if (file_check_trusted(path, err, errlen) != 0)
		return -1;
	file = calloc(1, sizeof(*file));
	if (file == NULL || (file->path = strdup(path)) == NULL) {
		free(file);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	file->info.path = file->path;
	crl_key_memo_init(&file->signers);
	if (map_file(file, err, errlen) != 0 ||
	    parse_header(file, err, errlen) != 0) {
		crl_index_file_close(file);
		return -1;
	}
	*out = file;
	return 0;
}

void
crl_index_file_close(struct crl_index_file *file)
{
	if (file == NULL)
		return;
	if (file->map != NULL)
		munmap(file->map, file->size);
	crlext_idp_clear(&file->info.scope);
	crl_key_memo_clear(&file->signers);
	free(file->intact);
	free(file->path);
	free(file);
}

const struct crl_index_info *
crl_index_file_info(const struct crl_index_file *file)
{
	return &file->info;
}

/* The number of records of block b, the last one possibly short. */
static uint64_t
block_records(const struct crl_index_file *file, uint64_t b)
{
	uint64_t first = b * CRLX_BLOCK_RECORDS;

	return file->info.count - first < CRLX_BLOCK_RECORDS ?
	    file->info.count - first : CRLX_BLOCK_RECORDS;
}

/*
 * Why block b may not be read, or NULL when it may: it must hold the
 * records its digest says, start with its fence, and be strictly
 * ascending up to below the next block's fence.  One flipped bit in a
 * record could turn a revoked serial into another and keep the records
 * in order, and a binary search of records written out of order could
 * miss a revoked serial.  Checked the first time a block is read, then
 * remembered, so that a lookup searches without checking again.
 */
static const char *
block_damage(const struct crl_index_file *file, uint64_t b)
{
	const unsigned char *recs = file->records + b * CRLX_BLOCK_SIZE;
	uint64_t n = block_records(file, b);
	unsigned char digest[CRLX_DIGEST_LEN];

	if (atomic_load_explicit(&file->intact[b], memory_order_acquire))
		return NULL;
	if (crlx_block_digest(file->records, file->info.count, b,
	    digest) != 0 ||
	    memcmp(digest, file->digests + b * CRLX_DIGEST_LEN,
	    CRLX_DIGEST_LEN) != 0 ||
	    memcmp(recs, file->fences + b * CRL_INDEX_SERIAL_LEN,
	    CRL_INDEX_SERIAL_LEN) != 0)
		return "checksum mismatch";
	for (uint64_t i = 1; i < n; i++)
		if (memcmp(recs + (i - 1) * CRL_INDEX_SERIAL_LEN,
		    recs + i * CRL_INDEX_SERIAL_LEN, CRL_INDEX_SERIAL_LEN) >= 0)
			return "serials out of order";
	if (b + 1 < file->blocks &&
	    memcmp(recs + (n - 1) * CRL_INDEX_SERIAL_LEN, file->fences +
	    (b + 1) * CRL_INDEX_SERIAL_LEN, CRL_INDEX_SERIAL_LEN) >= 0)
		return "serials out of order";
	atomic_store_explicit(&file->intact[b], true, memory_order_release);
	return NULL;
}

/*
 * Binary search of n strictly ascending records (checked before: the
 * fences and marked records at open, a block by block_damage()) for key:
 * the index of the last one not above it, -1 when all are above it;
 * *found when equal.
 */
static int64_t
search(const unsigned char *recs, uint64_t n, const unsigned char *key,
    bool *found)
{
	uint64_t lo = 0, hi = n;

	*found = false;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		int cmp = memcmp(recs + mid * CRL_INDEX_SERIAL_LEN, key,
		    CRL_INDEX_SERIAL_LEN);

		if (cmp == 0) {
			*found = true;
			return (int64_t)mid;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int64_t)lo - 1;
}

int
crl_index_file_lookup(const struct crl_index_file *file,
    const unsigned char *serial, size_t len)
{
	unsigned char key[CRL_INDEX_SERIAL_LEN];
	int64_t b;
	bool found;

	if (crlx_serial_record(serial, len, key) != 0)
		return -1;
	if (file->blocks == 0)
		return 0;
	/* the fences name the one block that can hold the key; only that
	 * block is read, and checked first; a key below the first fence
	 * reads the first block, which says that nothing lies below it */
	b = search(file->fences, file->blocks, key, &found);
	if (block_damage(file, b < 0 ? 0 : (uint64_t)b) != NULL)
		return -2;
	if (b < 0)
		return 0;	/* below the first serial */
	if (found)
		return 1;
	(void)search(file->records + (uint64_t)b * CRLX_BLOCK_SIZE,
	    block_records(file, (uint64_t)b), key, &found);
	return found ? 1 : 0;
}

int
crl_index_file_marked(const struct crl_index_file *file,
    const unsigned char *serial, size_t len)
{
	unsigned char key[CRL_INDEX_SERIAL_LEN];
	bool found;

	if (crlx_serial_record(serial, len, key) != 0)
		return 0;
	(void)search(file->marked, file->info.marked, key, &found);
	return found ? 1 : 0;
}

/*
 * Every block as a lookup checks it: together, every record in order,
 * since each block ends below the next one's fence, which is its first
 * record.
 */
int
crl_index_file_verify(const struct crl_index_file *file, char *err,
    size_t errlen)
{
	const char *damage;
	char why[128];

	for (uint64_t b = 0; b < file->blocks; b++) {
		if ((damage = block_damage(file, b)) != NULL) {
			snprintf(why, sizeof(why), "%s in serial block %llu: "
			    "the file was damaged or altered", damage,
			    (unsigned long long)b);
			return corrupt(file->path, why, err, errlen);
		}
	}
	return 0;
}

int
crl_index_verify(const struct crl_index *index, char *err, size_t errlen)
{
	for (size_t i = 0; i < crl_index_count(index); i++)
		if (crl_index_file_verify(index->files[i], err, errlen) != 0)
			return -1;
	return 0;
}

static int
add_file(struct crl_index *index, struct crl_index_file *file)
{
	struct crl_index_file **grown;

	grown = realloc(index->files, (index->count + 1) * sizeof(*grown));
	if (grown == NULL)
		return -1;
	grown[index->count++] = file;
	index->files = grown;
	return 0;
}

static bool
is_index_name(const char *name)
{
	size_t len = strlen(name);
	size_t slen = sizeof(CRL_INDEX_SUFFIX) - 1;

	return name[0] != '.' && len > slen &&
	    strcmp(name + len - slen, CRL_INDEX_SUFFIX) == 0;
}

static int
open_entries(struct crl_index *index, const char *dir, DIR *dp,
    void (*skip)(void *arg, const char *why), void *arg, char *err,
    size_t errlen)
{
	struct dirent *de;

	while ((de = readdir(dp)) != NULL) {
		struct crl_index_file *file;
		char path[4096];

		if (!is_index_name(de->d_name))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    de->d_name) >= sizeof(path)) {
			snprintf(err, errlen, "%s: path too long", dir);
			return -1;
		}
		if (crl_index_file_open(path, &file, err, errlen) != 0) {
			if (skip == NULL)
				return -1;
			skip(arg, err);
			continue;
		}
		if (add_file(index, file) != 0) {
			crl_index_file_close(file);
			snprintf(err, errlen, "%s: out of memory", dir);
			return -1;
		}
	}
	return 0;
}

int
crl_index_access(const char *dir, char *why, size_t whylen)
{
	return denied_message("the CRL index", dir, true, why, whylen) ? -1 :
	    0;
}

/*
 * Whether the directory, as st shows it, was looked at too soon after a
 * change for its mtime to show the next one: the kernel stamps it with a
 * clock that moves once a tick, and some file systems keep whole
 * seconds, so an update that renames one more file in within the tick,
 * or second, of the look leaves the mtime as it was seen, and a process
 * holding the index would keep it until the next update.  Only an mtime
 * two seconds older than the clock is trusted; a clock set back makes
 * every look racy, which costs reading the directory again, never a
 * change missed.
 */
static bool
racy(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec >= (int64_t)time(NULL) - 1;
}

int
crl_index_open(const char *dir, void (*skip)(void *arg, const char *why),
    void *arg, struct crl_index **out, char *err, size_t errlen)
{
	struct crl_index *index;
	DIR *dp;
	int ret;

	index = calloc(1, sizeof(*index));
	if (index == NULL || (index->dir = strdup(dir)) == NULL) {
		free(index);
		snprintf(err, errlen, "%s: out of memory", dir);
		return -1;
	}
	/* before reading it, so that a change while reading shows later */
	if (stat(dir, &index->seen) != 0)
		memset(&index->seen, 0, sizeof(index->seen));
	index->racy = racy(&index->seen);
	if (crl_index_access(dir, err, errlen) != 0) {
		crl_index_close(index);
		return -1;
	}
	dp = opendir(dir);
	if (dp == NULL) {
		if (errno == ENOENT) {
			*out = index;
			return 0;
		}
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		crl_index_close(index);
		return -1;
	}
	ret = file_check_trusted(dir, err, errlen);
	if (ret == 0)
		ret = open_entries(index, dir, dp, skip, arg, err, errlen);
	closedir(dp);
	if (ret != 0) {
		crl_index_close(index);
		return -1;
	}
	*out = index;
	return 0;
}

void
crl_index_close(struct crl_index *index)
{
	if (index == NULL)
		return;
	for (size_t i = 0; i < index->count; i++)
		crl_index_file_close(index->files[i]);
	free(index->files);
	free(index->dir);
	free(index);
}

bool
crl_index_outdated(const struct crl_index *index)
{
	struct stat now;

	if (index->racy)
		return true;
	if (stat(index->dir, &now) != 0)
		memset(&now, 0, sizeof(now));
	return now.st_dev != index->seen.st_dev ||
	    now.st_ino != index->seen.st_ino ||
	    now.st_mtim.tv_sec != index->seen.st_mtim.tv_sec ||
	    now.st_mtim.tv_nsec != index->seen.st_mtim.tv_nsec;
}

size_t
crl_index_count(const struct crl_index *index)
{
	return index != NULL ? index->count : 0;
}

const struct crl_index_file *
crl_index_file(const struct crl_index *index, size_t i)
{
	return index->files[i];
}

/* The index as a source of CRLs for crl_coverage_check(). */

static const struct crl_index_file *
indexed(const void *self, size_t i)
{
	return ((const struct crl_index *)self)->files[i];
}

static void
file_facts(const void *self, size_t i, struct crl_facts *out)
{
	const struct crl_index_info *info = &indexed(self, i)->info;

	out->issuer_dn = info->issuer_dn;
	out->issuer_dn_len = info->issuer_dn_len;
	out->scope = &info->scope;
	out->numbers = &info->numbers;
	out->this_update = info->this_update;
	out->next_update = info->next_update;
	out->origin = info->source;
	out->sign_algorithm = info->sign_algorithm;
	out->signer_key = info->issuer_spki_sha256;
}

static int
file_signed_by(const void *self, size_t i, struct crl_link *link,
    bool *match, struct finding *f)
{
	/* the index is only read but for what signers remembers */
	struct crl_index_file *file = (struct crl_index_file *)indexed(self, i);

	return crl_key_memo_holds(&file->signers,
	    file->info.issuer_spki_sha256, link, match, f);
}

static int
file_listed(const void *self, size_t i, const struct crl_link *link,
    const unsigned char *serial, size_t len, enum crl_listing *how,
    time_t *when, struct finding *f)
{
	const struct crl_index_file *file = indexed(self, i);
	bool delta = file->info.numbers.delta;
	char issuer[CERTNAME_MAX];
	int listed = crl_index_file_lookup(file, serial, len);

	(void)when;	/* the index keeps no revocation dates */
	/* a marked record is what the entry's reason makes of it */
	if (listed == 1)
		*how = crl_listing_of(crl_index_file_marked(file, serial,
		    len) == 0 ? CRLEXT_REASON_NONE :
		    delta ? CRLEXT_REASON_REMOVE_FROM_CRL :
		    CRLEXT_REASON_CERTIFICATE_HOLD, delta);
	if (listed != -2)
		return listed;
	certname_issuer(link->crt, issuer);
	finding_set(f, MTLS_R_CRL_INVALID, "the CRL index %s of '%s' is "
	    "corrupt; run \"mtls crl update\" to rebuild it", file->path,
	    issuer);
	return -2;
}

void
crl_index_source(const struct crl_index *index, struct crl_source *out)
{
	const struct crl_source source = {
		.self = index,
		.count = crl_index_count(index),
		.facts = file_facts,
		.signed_by = file_signed_by,
		.vouched = NULL,	/* verified before it was indexed */
		.listed = file_listed,
		.stale_remedy = "check that \"mtls crl update\" runs and can "
		    "fetch it",
		.missing_remedy = "add its CRL to revocation.crl_urls or "
		    "crl_files and run \"mtls crl update\"",
	};

	*out = source;
}

int
crl_index_check(const struct crl_index *index,
    const struct mtls_policy *policy, gnutls_x509_crt_t *chain, size_t n,
    enum mtls_crl_require require, unsigned stale_grace, unsigned clock_skew,
    time_t now, struct finding *f)
{
	struct crl_source source;

	crl_index_source(index, &source);
	return crl_coverage_check(&source, NULL, policy, chain, n, require,
	    stale_grace, clock_skew, now, NULL, f);
}

int
crl_index_unindexed(const struct crl_index *index, const struct strlist *files,
    struct strlist *out)
{
	for (size_t i = 0; i < files->count; i++) {
		bool held = false;

		for (size_t j = 0; !held && j < crl_index_count(index); j++)
			held = strcmp(index->files[j]->info.source,
			    files->items[i]) == 0;
		if (!held && strlist_add(out, files->items[i]) != 0)
			return -1;
	}
	return 0;
}
