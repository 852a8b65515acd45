/* The published index of a map file: the same users as the map file for
 * every key kind, never an answer from an index that is stale, damaged,
 * of the other kind or not root's, and the map file's rules on
 * duplicates and malformed lines before anything is published. */
#define _GNU_SOURCE	/* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "mapfile.h"
#include "mapindex.h"
#include "testpki.h"
#include "testutil.h"

/* Enough lines for several blocks of the index. */
#define LINES 700

static const char *
write_map(const char *name, const char *text)
{
	const char *path = tpki_path(name);

	tpki_write_data(path, text, strlen(text));
	return path;
}

static const char *
index_of(const char *map)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s" MAPINDEX_SUFFIX, map);
	return path;
}

static struct mapfile *
load(const char *path, bool fingerprints)
{
	struct mapfile *m;
	char err[512];

	if (mapfile_load(&m, path, fingerprints, NULL, NULL, err,
	    sizeof(err)) != 0)
		fail_msg("mapfile_load: %s", err);
	return m;
}

static void
publish(const char *path, bool fingerprints, size_t keys)
{
	char published[PATH_MAX], err[512];
	size_t count;

	if (mapfile_publish(path, fingerprints, published, sizeof(published),
	    &count, err, sizeof(err)) != 0)
		fail_msg("mapfile_publish: %s", err);
	assert_string_equal(published, index_of(path));
	assert_int_equal(count, keys);
}

static void
publish_fails(const char *path, bool fingerprints, const char *part)
{
	char published[PATH_MAX], err[512] = "";
	size_t count;

	assert_int_equal(mapfile_publish(path, fingerprints, published,
	    sizeof(published), &count, err, sizeof(err)), -1);
	assert_contains(err, part);
}

/*
 * The user key maps to ("" for none, "!" for a refusal): a DN as text, a
 * fingerprint as mapfile_parse_fingerprint() reads it.
 */
static const char *
lookup(const struct mapfile *m, bool fingerprints, const char *key)
{
	static char answer[256];
	unsigned char digest[MAPFILE_SHA256_LEN];
	const unsigned char *k = (const unsigned char *)key;
	size_t klen = strlen(key);
	char *user, err[512];

	if (fingerprints) {
		assert_int_equal(mapfile_parse_fingerprint(k, klen, digest), 0);
		k = digest;
		klen = sizeof(digest);
	}
	if (mapfile_find(m, k, klen, &user, err, sizeof(err)) != 0)
		return "!";
	snprintf(answer, sizeof(answer), "%s", user != NULL ? user : "");
	free(user);
	return answer;
}

/* What each of keys maps to in m, one answer after another. */
static char *
answers_of(const struct mapfile *m, bool fingerprints,
    const char *const *keys, size_t nkeys)
{
	size_t cap = 64 * nkeys + 1, len = 0;
	char *all = malloc(cap);

	assert_non_null(all);
	all[0] = '\0';
	for (size_t i = 0; i < nkeys; i++)
		len += (size_t)snprintf(all + len, cap - len, "%s|",
		    lookup(m, fingerprints, keys[i]));
	return all;
}

/* The same, of the map file at path, with its index used or not. */
static char *
answers(const char *path, bool fingerprints, bool indexed,
    const char *const *keys, size_t nkeys)
{
	struct mapfile *m = load(path, fingerprints);
	char *all;

	assert_int_equal(mapfile_indexed(m), indexed);
	all = answers_of(m, fingerprints, keys, nkeys);
	mapfile_free(m);
	return all;
}

static void
assert_check(const char *path, bool fingerprints, const char *part)
{
	struct mapfile *m = load(path, fingerprints);
	char err[512] = "";

	assert_int_equal(mapfile_check(m, err, sizeof(err)), part != NULL ?
	    -1 : 0);
	if (part != NULL)
		assert_contains(err, part);
	mapfile_free(m);
}

/* LINES DN lines, in no order, with comments, odd spacing and CRLF. */
static char *
dn_map(void)
{
	size_t cap = LINES * 64 + 512, len = 0;
	char *text = malloc(cap);

	assert_non_null(text);
	len += (size_t)snprintf(text, cap, "# subject DN   user\n\n"
	    "CN=a b,O=Example   spaced\n"
	    "CN=a,O=Example\tshort\r\n"
	    "   CN=Zoë,O=Example  zoe  \n");
	for (int i = 0; i < LINES; i++)
		len += (size_t)snprintf(text + len, cap - len,
		    "CN=user%04d,O=Example u%d\n", (i * 389) % LINES,
		    (i * 389) % LINES);
	snprintf(text + len, cap - len, "CN=last,O=Example last");
	return text;
}

static void
same_users_by_dn(void **state)
{
	static const char *const keys[] = {
		"CN=a b,O=Example", "CN=a,O=Example", "CN=Zoë,O=Example",
		"CN=user0000,O=Example", "CN=user0127,O=Example",
		"CN=user0128,O=Example", "CN=user0699,O=Example",
		"CN=last,O=Example", "CN=a b", "CN=user0700,O=Example",
		"CN=A,O=Example", "",
	};
	size_t n = sizeof(keys) / sizeof(keys[0]);
	char *text = dn_map(), *scanned, *indexed;
	const char *path = write_map("dn.map", text);

	(void)state;
	free(text);
	scanned = answers(path, false, false, keys, n);
	assert_string_equal(scanned, "spaced|short|zoe|u0|u127|u128|u699|"
	    "last|||||");
	publish(path, false, LINES + 4);
	indexed = answers(path, false, true, keys, n);
	assert_string_equal(indexed, scanned);
	assert_check(path, false, NULL);
	free(scanned);
	free(indexed);
}

/* A fingerprint of a made-up certificate, in one of four spellings. */
static void
fingerprint(unsigned i, unsigned spelling, char *out, size_t outlen)
{
	unsigned char digest[32];
	char seed[32];
	size_t len = 0;

	snprintf(seed, sizeof(seed), "certificate %u", i);
	assert_int_equal(gnutls_hash_fast(GNUTLS_DIG_SHA256, seed,
	    strlen(seed), digest), 0);
	if (spelling == 2)
		len += (size_t)snprintf(out, outlen, "sha256:");
	for (size_t b = 0; b < sizeof(digest); b++)
		len += (size_t)snprintf(out + len, outlen - len,
		    spelling == 1 ? "%s%02X" : "%s%02x",
		    b > 0 && spelling != 3 ? ":" : "", digest[b]);
}

static void
same_users_by_fingerprint(void **state)
{
	char *text = malloc(LINES * 128), *keys_text = malloc(8 * 128);
	const char *keys[8], *path;
	char *scanned, *indexed;
	size_t len = 0;

	(void)state;
	assert_non_null(text);
	assert_non_null(keys_text);
	len += (size_t)snprintf(text, 64, "# fingerprint  user\n");
	for (unsigned i = 0; i < LINES; i++) {
		len += (size_t)snprintf(text + len, 128, "   ");
		fingerprint(i, i % 4, text + len, 128);
		len += strlen(text + len);
		len += (size_t)snprintf(text + len, 128, "\tu%u\r\n", i);
	}
	path = write_map("fp.map", text);
	/* other spellings than the file's, and one that is not there */
	for (unsigned i = 0; i < 8; i++) {
		keys[i] = keys_text + i * 128;
		fingerprint(i < 7 ? i * 101 : LINES, (i + 1) % 4,
		    keys_text + i * 128, 128);
	}
	scanned = answers(path, true, false, keys, 8);
	assert_string_equal(scanned, "u0|u101|u202|u303|u404|u505|u606||");
	publish(path, true, LINES);
	indexed = answers(path, true, true, keys, 8);
	assert_string_equal(indexed, scanned);
	assert_check(path, true, NULL);
	free(scanned);
	free(indexed);
	free(text);
	free(keys_text);
}

static void
note_has(const char *path, bool fingerprints, const char *part)
{
	struct mapfile *m = load(path, fingerprints);

	assert_false(mapfile_indexed(m));
	assert_non_null(mapfile_index_note(m));
	assert_contains(mapfile_index_note(m), part);
	mapfile_free(m);
}

/* An index made before the map file changed is not used, even when the
 * change keeps the size. */
static void
stale_index_is_not_used(void **state)
{
	static const char *const keys[] = { "CN=alice", "CN=bob" };
	const char *path = write_map("stale.map", "CN=alice alice\n"
	    "CN=bob bob\n");
	char *got;
	struct mapfile *m;

	(void)state;
	publish(path, false, 2);
	m = load(path, false);
	assert_true(mapfile_indexed(m));
	assert_null(mapfile_index_note(m));
	mapfile_free(m);

	write_map("stale.map", "CN=alice mallo\nCN=bob bob\n");
	note_has(path, false, "made from an earlier version of its map file");
	got = answers(path, false, false, keys, 2);
	assert_string_equal(got, "mallo|bob|");
	free(got);
	assert_check(path, false, "run \"mtls map update\"");

	/* the file's own bytes but written anew: still another version */
	write_map("stale.map", "CN=alice alice\nCN=bob bob\n");
	note_has(path, false, "earlier version");

	publish(path, false, 2);
	got = answers(path, false, true, keys, 2);
	assert_string_equal(got, "alice|bob|");
	free(got);
	assert_check(path, false, NULL);
}

/* The index of one key kind never answers for the other. */
static void
index_of_other_kind_is_not_used(void **state)
{
	const char *path = write_map("kind.map", "# none yet\n");

	(void)state;
	publish(path, false, 0);
	note_has(path, true, "holds the keys of identity.map = \"dn\", not "
	    "\"fingerprint\"");
	assert_check(path, true, "holds the keys of identity.map = \"dn\"");
	assert_check(path, false, NULL);
}

/*
 * config check holds an index to the file's contents: to their SHA-256,
 * even where size, times and inode agree, and to every line's user, even
 * where the index's header says it was made from them.
 */
static void
check_compares_contents(void **state)
{
	static const char text[] = "CN=alice alice\n";
	const char *path = write_map("digest.map", text);
	struct mapindex_entry e = { { 0 }, "mallory", 7 };
	struct mapindex_source src;
	unsigned char digest[32] = { 0 };
	struct stat st;
	char err[512];

	(void)state;
	assert_int_equal(stat(path, &st), 0);
	mapindex_source_of(&st, &src);
	assert_int_equal(mapindex_key(MAPINDEX_DN,
	    (const unsigned char *)"CN=alice", 8, e.key), 0);
	if (mapindex_build(index_of(path), MAPINDEX_DN, &src, digest, &e, 1,
	    err, sizeof(err)) != 0)
		fail_msg("mapindex_build: %s", err);
	assert_check(path, false, "was made from other contents than its "
	    "map file has now");

	assert_int_equal(gnutls_hash_fast(GNUTLS_DIG_SHA256, text,
	    strlen(text), digest), 0);
	if (mapindex_build(index_of(path), MAPINDEX_DN, &src, digest, &e, 1,
	    err, sizeof(err)) != 0)
		fail_msg("mapindex_build: %s", err);
	assert_check(path, false, "digest.map.idx does not give the user of "
	    "/");
	assert_check(path, false, "digest.map:1; run \"mtls map update\"");
}

/*
 * The index at path, good but for the first keep bytes and a flipped bit
 * at at: loaded, it answers keys as the map file does (expect), whether
 * it is refused at open or a lookup finds its block damaged and reads the
 * map file; and config check calls it unusable.
 */
static void
assert_damage_harmless(const char *map, const unsigned char *good,
    size_t len, size_t at, size_t keep, const char *const *keys,
    size_t nkeys, const char *expect)
{
	unsigned char *bad = malloc(len);
	struct mapfile *m;
	char *got;

	assert_non_null(bad);
	memcpy(bad, good, len);
	if (at < len)
		bad[at] ^= 0x04;
	tpki_write_data(index_of(map), bad, keep);
	free(bad);
	m = load(map, false);
	got = answers_of(m, false, keys, nkeys);
	if (strcmp(got, expect) != 0)
		fail_msg("index damaged at %zu (%zu of %zu bytes kept): %s, "
		    "not %s", at, keep, len, got, expect);
	free(got);
	mapfile_free(m);
	assert_check(map, false, "unusable map index");
}

static void
damaged_index_never_maps_wrongly(void **state)
{
	static const char *const keys[] = {
		"CN=user0000,O=Example", "CN=user0300,O=Example",
		"CN=user0699,O=Example", "CN=last,O=Example",
		"CN=a,O=Example", "CN=nobody,O=Example",
	};
	size_t n = sizeof(keys) / sizeof(keys[0]), len;
	char *text = dn_map(), *expect;
	const char *path = write_map("damaged.map", text);
	unsigned char *good;

	(void)state;
	free(text);
	expect = answers(path, false, false, keys, n);
	publish(path, false, LINES + 4);
	good = slurp(index_of(path), &len);
	/* the user names lookups read, then a bit of every byte of the
	 * header and the start of the tables, then on through the tables
	 * and blocks; then truncations */
	for (size_t i = 0; i < 2; i++) {
		const char *user = i == 0 ? "u300" : "short";
		const unsigned char *at = memmem(good, len, user,
		    strlen(user));

		assert_non_null(at);
		assert_damage_harmless(path, good, len, (size_t)(at - good),
		    len, keys, n, expect);
	}
	for (size_t at = 0; at < len; at += at < 400 ? 1 : 29)
		assert_damage_harmless(path, good, len, at, len, keys, n,
		    expect);
	for (size_t keep = 0; keep < len; keep += keep < 400 ? 7 : 997)
		assert_damage_harmless(path, good, len, len, keep, keys, n,
		    expect);
	free(good);
	free(expect);
}

/*
 * A block of the index damaged: the map file answers, and syslog hears
 * it once per loaded map file, naming the index and the file, not at
 * every lookup (each could wait on a stalled syslog daemon).
 */
static void
damage_is_said_once(void **state)
{
	char *text = dn_map(), *said;
	const char *path = write_map("once.map", text);
	unsigned char *good, *at;
	struct mapfile *m;
	size_t len;

	(void)state;
	free(text);
	publish(path, false, LINES + 4);
	good = slurp(index_of(path), &len);
	at = memmem(good, len, "u300", 4);
	assert_non_null(at);
	*at ^= 0x04;
	tpki_write_data(index_of(path), good, len);
	free(good);
	m = load(path, false);
	assert_true(mapfile_indexed(m));
	syslog_start();
	for (int i = 0; i < 3; i++)
		assert_string_equal(lookup(m, false, "CN=user0300,O=Example"),
		    "u300");
	said = syslog_said();
	mapfile_free(m);
	if (strchr(said, '\n') != strrchr(said, '\n'))
		fail_msg("expected one line, got: %s", said);
	assert_contains(said, index_of(path));
	assert_contains(said, "is read instead");
	free(said);
}

/* As root, the index is held to the rules of every policy file. */
static void
index_not_roots_is_not_used(void **state)
{
	static const char *const keys[] = { "CN=alice" };
	const char *path = write_map("owned.map", "CN=alice alice\n");
	char link[PATH_MAX + 8], *got;

	(void)state;
	if (geteuid() != 0)
		skip();
	publish(path, false, 1);
	assert_int_equal(chown(index_of(path), 65534, 0), 0);
	note_has(path, false, "owned by uid 65534, not root");
	got = answers(path, false, false, keys, 1);
	assert_string_equal(got, "alice|");
	free(got);
	assert_check(path, false, "owned by uid 65534");
	assert_int_equal(chown(index_of(path), 0, 0), 0);
	assert_int_equal(chmod(index_of(path), 0664), 0);
	note_has(path, false, "writable by its group");
	assert_int_equal(chmod(index_of(path), 0644), 0);

	/* a link is not what "mtls map update" publishes */
	snprintf(link, sizeof(link), "%s.real", index_of(path));
	assert_int_equal(rename(index_of(path), link), 0);
	assert_int_equal(symlink(link, index_of(path)), 0);
	note_has(path, false, "owned.map.idx");
	assert_int_equal(unlink(index_of(path)), 0);
	assert_int_equal(unlink(link), 0);
}

/*
 * A key twice is refused as the map file's rules say: nothing is
 * published (an index there stays, stale), and a lookup of that key is
 * refused while the others map.
 */
static void
duplicates_are_not_published(void **state)
{
	static const char *const keys[] = { "CN=alice", "CN=bob" };
	const char *path = write_map("dup.map", "CN=alice alice\n"
	    "CN=bob bob\n");
	char *got;

	(void)state;
	publish(path, false, 2);
	write_map("dup.map", "CN=alice alice\nCN=bob bob\nCN=alice root\n");
	publish_fails(path, false, "dup.map:3: duplicate of line 1");
	note_has(path, false, "earlier version");
	got = answers(path, false, false, keys, 2);
	assert_string_equal(got, "!|bob|");
	free(got);

	write_map("dup.map", "CN=alice alice\nCN=bob\n");
	publish_fails(path, false, "dup.map:2: expected");
	write_map("dup.map", "CN=alice al\x01ice\n");
	publish_fails(path, false, "dup.map:1: control character");
	publish_fails(tpki_path("absent.map"), false, "absent.map");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_users_by_dn),
		cmocka_unit_test(same_users_by_fingerprint),
		cmocka_unit_test(stale_index_is_not_used),
		cmocka_unit_test(index_of_other_kind_is_not_used),
		cmocka_unit_test(check_compares_contents),
		cmocka_unit_test(damaged_index_never_maps_wrongly),
		cmocka_unit_test(damage_is_said_once),
		cmocka_unit_test(index_not_roots_is_not_used),
		cmocka_unit_test(duplicates_are_not_published),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
