/*
 * crl_index.h - the on-disk CRL index every verification reads (internal).
 *
 * Parsing a CRL of a million entries takes seconds and most of a gigabyte;
 * a login cannot wait for that.  "mtls crl update" parses each CRL once,
 * after checking it, and publishes an index: one file per CRL issuer key
 * in <cache_dir>/crl/, holding what the CRL said about its issuer and its
 * validity and the revoked serial numbers, sorted, in fixed-width records.
 * A verification maps the files and binary-searches them: a lookup in a
 * fresh process touches a few pages, whatever the CRL size.
 *
 * File format, version 5 (integers big-endian, times in Unix seconds):
 *
 *   0   8  magic "MTLSCRLI"
 *   8   4  version (5; version 1's checksum left the records out, version
 *          2's covered them all, and cost a hash of the whole file at open,
 *          version 3 did not record the CRL's signature algorithm, version
 *          4 knew neither delta CRLs nor certificates on hold)
 *  12   4  header size H: where the tables start, a multiple of 8
 *  16  32  SHA-256 of bytes 48 to R (header and tables): the checksum
 *  48   8  number of serial records
 *  56   8  thisUpdate
 *  64   8  nextUpdate
 *  72   8  Last-Modified of the HTTP source, 0 when none
 *  80  32  SHA-256 of the CRL issuer name (DER)
 * 112  32  SHA-256 of the SubjectPublicKeyInfo (DER) that verified the CRL
 * 144  32  SHA-256 of the CRL as published (DER)
 * 176  20  CRL number, right-aligned, zero-padded
 * 196   1  length of the CRL's authority key identifier (0..64)
 * 197  64  the CRL's authority key identifier
 * 261   1  length of the issuer certificate's subject key identifier
 * 262  64  the issuer certificate's subject key identifier
 * 326   1  scope, from the CRL's issuingDistributionPoint: 1 only user
 *          certificates, 2 only CA certificates, 4 a partition named by
 *          URIs; 0 every certificate of the issuer
 * 327   1  number of partition URIs (0..255)
 * 328   4  length of the issuer name, 1..65535
 * 332   4  length of the source (URL or file name), 0..4095
 * 336   4  length of the partition URIs
 * 340   4  the CRL's signature algorithm (gnutls_sign_algorithm_t), which
 *          the policy judges at every verification (allow_sha1)
 * 344   1  1 for a delta CRL, 0 for a complete CRL
 * 345  20  a delta CRL's BaseCRLNumber, right-aligned, zero-padded; zero
 *          for a complete CRL
 * 365   1  1 when the CRL names where its delta CRLs are (freshestCRL),
 *          for "mtls config check"; 0 otherwise
 * 366   2  zero
 * 368   8  number of marked records M (see below)
 * 376      issuer name (DER), source, one zero byte, partition URIs (each
 *          a 2-octet length and the URI), zero padding to H
 *   H      fence table: for each block of records (see below), its first
 *          record (20 octets)
 *          digest table: for each block, the SHA-256 of its records
 *   R      serial records: 20 octets each, the serial number without
 *          leading zero octets, right-aligned and zero-padded, so that
 *          byte order is numeric order; strictly ascending.  They form
 *          blocks of 512 records (10,240 octets), the last one possibly
 *          shorter; R = H + 52 * the number of blocks
 *          marked records: M serials (20 octets each, as above, strictly
 *          ascending) of those listed whose entry means more than
 *          "revoked": on a complete CRL, certificateHold (which a delta
 *          CRL may lift); on a delta CRL, removeFromCRL (which lifts it).
 *          The checksum covers them with the header and tables: they are
 *          few, since holds are.
 *
 * The file is named <first 16 octets of the issuer name hash, hex>-<first
 * 16 octets of the key hash, hex>.crlidx, with -<first 8 octets of a hash
 * of the scope, hex> before the suffix when the scope is not 0 (so that
 * each partition of an issuer's CRLs has its own file), and -delta for a
 * delta CRL, which so stands beside its base's.  A file whose name does
 * not match its header is refused, so at most one index speaks for one
 * issuer key, scope and kind.
 *
 * Trust: an index decides who logs in, so, when running as root, its
 * directory and files must pass file_check_trusted().  Every byte that
 * decides an answer is covered by a digest (one flipped bit in a record
 * could turn a revoked serial into another and keep the records in
 * order), but a process reads only what it uses: the open checks sizes
 * and the checksum over header and tables, and a lookup binary-searches
 * the fences, checks the digest of the one block that can hold the serial
 * and searches it.  So what is hashed grows with what a lookup reads, not
 * with the file: 52 octets of table per 512 serials at open (about 100 KB
 * for a million serials, where hashing the whole 20 MB file took some
 * 12 ms), and 10 KB, a few microseconds, the first time a lookup reads a
 * block (a long-running process remembers the blocks that matched, and
 * hashes each at most once).  512 balances the two
 * near a million serials (the tables and a block are of the same order)
 * and keeps a lookup's hash far below the cost of one signature check.
 * A damaged block is a corrupt index for every lookup that reads it,
 * never a wrong answer; crl_index_file_verify() checks every block, for
 * "mtls config check" and "mtls crl update".  Order is checked as
 * digests are, and with them: the fences and marked records at open,
 * and, the first time a lookup reads a block, that its records ascend
 * strictly from its fence to below the next block's (a file written out
 * of order would make a binary search miss a serial), a disorder being
 * a corrupt index; the binary searches then compare once per step.  A
 * key below the first fence reads the first block, which says that
 * nothing lies below it.  Files are only ever replaced by rename, never
 * rewritten in place, so a mapping stays valid while it is used.
 */
#ifndef MTLS_CRL_INDEX_H
#define MTLS_CRL_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <gnutls/x509.h>

#include "config.h"
#include "crl_coverage.h"
#include "crlext.h"
#include "crlread.h"
#include "finding.h"
#include "strlist.h"

/* Octets of a serial record: RFC 5280 serials are at most 20 octets. */
#define CRL_INDEX_SERIAL_LEN 20
#define CRL_INDEX_KEYID_MAX 64
#define CRL_INDEX_SOURCE_MAX 4095
/* The index directory below revocation.cache_dir. */
#define CRL_INDEX_SUBDIR "crl"
#define CRL_INDEX_SUFFIX ".crlidx"
#define CRL_INDEX_DELTA "-delta"

/* What one index file says about its CRL; pointers are into the mapping. */
struct crl_index_info {
	const char *path;
	const unsigned char *issuer_dn;	/* DER */
	size_t issuer_dn_len;
	unsigned char issuer_dn_sha256[32];
	unsigned char issuer_spki_sha256[32];
	unsigned char crl_sha256[32];
	struct crlext_numbers numbers;	/* the CRL's number, and a delta's
					 * BaseCRLNumber */
	const unsigned char *aki;
	size_t aki_len;
	const unsigned char *ski;
	size_t ski_len;
	time_t this_update;
	time_t next_update;
	time_t last_modified;
	int sign_algorithm;		/* the CRL's, gnutls_sign_algorithm_t */
	const char *source;
	struct crlext_idp scope;	/* uris point into the mapping */
	uint64_t count;
	uint64_t marked;		/* marked records */
};

/* One mapped index file. */
struct crl_index_file;

/* Every index file of a directory. */
struct crl_index;

/*
 * Map and validate one index file: its header and tables, not its records
 * (crl_index_file_verify()).  Fails, with err naming the file, when it
 * cannot be read, is not trusted (as root), or is truncated, corrupt or
 * of another version.
 */
int crl_index_file_open(const char *path, struct crl_index_file **out,
    char *err, size_t errlen);
void crl_index_file_close(struct crl_index_file *file);
const struct crl_index_info *crl_index_file_info(
    const struct crl_index_file *file);

/*
 * Is this serial (as in the certificate: DER INTEGER content octets) in
 * the file?  1 revoked, 0 not listed, -1 the serial cannot be listed (not
 * positive, or over 20 octets), -2 the file is corrupt: the block that
 * would hold the serial does not match its digest or fence, or records
 * are out of order.
 */
int crl_index_file_lookup(const struct crl_index_file *file,
    const unsigned char *serial, size_t len);

/*
 * Is this serial, which crl_index_file_lookup() found, among the marked
 * records: on hold (a complete CRL's), taken off (a delta CRL's)?  1 yes,
 * 0 no (the marked records are checked at open).
 */
int crl_index_file_marked(const struct crl_index_file *file,
    const unsigned char *serial, size_t len);

/*
 * Check every block against its digest and fence, and that the records
 * are strictly ascending: what crl_index_file_open() leaves out for
 * speed, and "mtls config check" and the updater can afford before they
 * call an index good.  -1 with err set when not.
 */
int crl_index_file_verify(const struct crl_index_file *file, char *err,
    size_t errlen);

/*
 * Whether the process may read the index dir, as every user that
 * verifies must: 0 when it may (or dir is missing), -1 with why naming
 * the directory closed to it and the chmod that opens it (denied.h).
 */
int crl_index_access(const char *dir, char *why, size_t whylen);

/*
 * Map every "*.crlidx" file of dir (the index directory itself, i.e.
 * <cache_dir>/crl); other names, such as the updater's temporary files,
 * are passed over.  A missing directory is an empty index; one closed to
 * the process fails, as crl_index_access() says.  With skip
 * NULL, any file that fails crl_index_file_open() fails the whole open:
 * a verification never runs on a partly readable index.  With skip given
 * (the updater, which repairs what it finds), such a file is reported to
 * skip() and left out.
 */
int crl_index_open(const char *dir,
    void (*skip)(void *arg, const char *why), void *arg,
    struct crl_index **out, char *err, size_t errlen);
void crl_index_close(struct crl_index *index);

/*
 * Whether the directory changed since crl_index_open() (an update renamed
 * a file into it, or it appeared or went): the index a long-running
 * process holds then no longer is the published one, and it should open
 * the directory anew and swap.  One stat().  Opened within a second of a
 * change, it may have changed again unseen (the granularity of the
 * directory's mtime), and counts as changed.
 */
bool crl_index_outdated(const struct crl_index *index);

/* crl_index_file_verify() of every file; a NULL index holds none. */
int crl_index_verify(const struct crl_index *index, char *err,
    size_t errlen);

/* The number of index files; 0 for a NULL index. */
size_t crl_index_count(const struct crl_index *index);
const struct crl_index_file *crl_index_file(const struct crl_index *index,
    size_t i);

/*
 * Check chain[0] (leaf) .. chain[n-1] (anchor) at time now with the CRLs
 * of the index, by the rules of crl_coverage_check() (crl_coverage.h),
 * which crl_check() (crl.h) applies to CRL files.  An index file is
 * signed by the key of chain[i+1] when its key hash is the hash of that
 * certificate's SubjectPublicKeyInfo; a verification also looks for the
 * certificate of another key of the same CA by that hash (crl_signer.h),
 * so the index needs to record no more than the key.  Records found out of order are
 * MTLS_R_CRL_INVALID (a corrupt index).  A NULL index holds no CRL.  Safe
 * to call from several threads at once: the index is only read.
 */
/* The index as a source of CRLs for crl_coverage.h. */
void crl_index_source(const struct crl_index *index, struct crl_source *out);

/*
 * Append to out the files of files that no index file was published from
 * (its source is another): those whose CRLs "mtls crl update" could not
 * publish, such as the CRL of an intermediate only clients send, or that
 * were added since it last ran.  -1 when memory runs out.
 */
int crl_index_unindexed(const struct crl_index *index,
    const struct strlist *files, struct strlist *out);

int crl_index_check(const struct crl_index *index,
    const struct mtls_policy *policy, gnutls_x509_crt_t *chain, size_t n,
    enum mtls_crl_require require, unsigned stale_grace, unsigned clock_skew,
    time_t now, struct finding *f);

/* Longest file name of an index, its suffix included. */
#define CRL_INDEX_NAME_MAX \
	(32 + 1 + 32 + 1 + 16 + sizeof(CRL_INDEX_DELTA) - 1 + \
	sizeof(CRL_INDEX_SUFFIX) - 1)

/*
 * The file name crl_index_build() gives the index of crl signed by
 * issuer (no directory).  -1 with err set when the CRL's issuer name or
 * issuingDistributionPoint is unusable.
 */
int crl_index_name(gnutls_x509_crl_t crl, gnutls_x509_crt_t issuer,
    char name[CRL_INDEX_NAME_MAX + 1], char *err, size_t errlen);

/*
 * The CRL number of crl as it is recorded (right-aligned, zero-padded, so
 * that byte order is numeric order); -1 when it has none that RFC 5280
 * allows (negative, over 20 octets).
 */
int crl_index_crl_number(gnutls_x509_crl_t crl,
    unsigned char number[CRL_INDEX_SERIAL_LEN]);

/*
 * Write the index of crl (read in one pass, crlread.h) into dir and
 * publish it atomically (temporary file in dir, fsync, rename, fsync of
 * dir), replacing any index of the same issuer key and scope.  der is the
 * CRL as published (its digest is recorded); issuer is the certificate
 * whose key the caller verified the CRL's signature with
 * (crl_issuer_vouches()); source and last_modified are recorded for the
 * next update.  A CRL listing a serial over 20 octets, or an entry
 * RFC 5280 forbids, is refused, as crl.c refuses it; negative serials,
 * which no acceptable certificate carries, are left out.  A scope that
 * rfc5280_check_crl() refuses (indirect, by reason) is refused too.  The
 * path written is returned in path (size pathlen) when path is not NULL.
 * Linear in the CRL size but for a sort when its entries are not in
 * order.
 */
int crl_index_build(const struct crlread *crl, const unsigned char *der,
    size_t derlen, gnutls_x509_crt_t issuer, const char *dir,
    const char *source, time_t last_modified, char *path, size_t pathlen,
    char *err, size_t errlen);

#endif /* MTLS_CRL_INDEX_H */
