/*
 * crl_seen.h - what "mtls crl update" last fetched or read from each
 * source (internal).
 *
 * Whether a CRL changed is told by the digest of its DER, which the index
 * records; but most CRLs are PEM, and decoding a million entries' worth
 * of base64 costs more than everything else an unchanged CRL needs, and
 * even hashing tens of megabytes costs more than a run that finds nothing
 * new should.  So, next to the index, one small file per source remembers
 * the digest of the bytes as fetched or read, the digest of the DER they
 * decoded to and, for a local file, its identity (device, inode, size,
 * modification and change times: the change time moves with any write,
 * rename onto it or chmod, and cannot be set back; a file changed within
 * a second of the update is not remembered by it, as those times move
 * only once a clock tick).  The same file again, or the same bytes
 * again, is the same CRL, known before decoding.
 *
 * The files are <first 16 octets of the SHA-256 of the source, hex>.seen
 * in the index directory (crl_index_open() passes over them), written
 * atomically by root like the index.  A missing, unreadable, untrusted or
 * outdated one only costs the decoding.
 */
#ifndef MTLS_CRL_SEEN_H
#define MTLS_CRL_SEEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* A local file as stat() sees it; all zero for a download. */
struct crl_seen_file {
	int64_t dev, ino, size;
	int64_t mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
};

struct crl_seen {
	unsigned char raw_sha256[32];	/* the bytes as fetched or read */
	unsigned char der_sha256[32];	/* the DER they decoded to */
	struct crl_seen_file file;
};

/* What source gave last time; false when nothing usable is recorded. */
bool crl_seen_lookup(const char *dir, const char *source,
    struct crl_seen *seen);

/* Remember what source gave this time. */
int crl_seen_record(const char *dir, const char *source,
    const struct crl_seen *seen, char *err, size_t errlen);

/* The identity of a file from its stat(). */
void crl_seen_file(const struct stat *st, struct crl_seen_file *out);

#endif /* MTLS_CRL_SEEN_H */
