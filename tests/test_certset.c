/*
 * test_certset - configured certificates looked up by an index give the
 * answers a scan gives: the same certificates of a name, in set order,
 * and the same membership; a CA directory adds each certificate once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gnutls/gnutls.h>

#include "certset.h"
#include "testpki.h"

#define NAMES 5
#define PER_NAME 3

/* NAMES CA names, PER_NAME certificates of each (re-issued, as after a
 * key rollover), interleaved, so that namesakes are far apart. */
static gnutls_x509_crt_t crts[NAMES * PER_NAME];
static gnutls_x509_crt_t stranger;

static int
setup(void **state)
{
	gnutls_x509_privkey_t key = tpki_key_ec();

	(void)state;
	for (size_t i = 0; i < NAMES * PER_NAME; i++) {
		char dn[64];

		snprintf(dn, sizeof(dn), "CN=CA %zu", i % NAMES);
		crts[i] = tpki_new(dn, key, 0);
		tpki_make_ca(crts[i], -1);
		tpki_sign(crts[i], NULL, key, GNUTLS_DIG_SHA256);
	}
	stranger = tpki_new("CN=CA 0", key, 0);
	tpki_make_ca(stranger, -1);
	tpki_sign(stranger, NULL, key, GNUTLS_DIG_SHA256);
	gnutls_x509_privkey_deinit(key);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < NAMES * PER_NAME; i++)
		tpki_free(crts[i]);
	tpki_free(stranger);
	return 0;
}

/* The subject of crt, as certset_next_subject() looks it up. */
static struct dername
subject(gnutls_x509_crt_t crt)
{
	gnutls_datum_t der;
	struct dername name;

	assert_int_equal(gnutls_x509_crt_get_raw_dn(crt, &der), 0);
	assert_int_equal(dername_load(der.data, der.size, &name), 0);
	gnutls_free(der.data);
	return name;
}

/* Every certificate of a name, from every starting position. */
static void
assert_same_walks(const struct certset *scanned, const struct certset *indexed)
{
	for (size_t c = 0; c < scanned->count; c++) {
		struct dername name = subject(scanned->crts[c]);

		for (size_t from = 0; from <= scanned->count; from++) {
			size_t a = 0, b = 0;
			int found = certset_next_subject(scanned, &name, from,
			    &a);

			assert_int_equal(found, certset_next_subject(indexed,
			    &name, from, &b));
			if (found)
				assert_int_equal(a, b);
		}
		dername_free(&name);
	}
}

static void
index_answers_as_a_scan(void **state)
{
	struct certset scanned = { .crts = crts, .count = NAMES * PER_NAME };
	struct certset indexed = scanned;
	struct dername name;
	size_t at;

	(void)state;
	assert_int_equal(certset_index(&indexed), 0);
	assert_non_null(indexed.index);
	assert_same_walks(&scanned, &indexed);
	/* the namesakes of "CN=CA 2", in order */
	name = subject(crts[2]);
	assert_true(certset_next_subject(&indexed, &name, 0, &at));
	assert_int_equal(at, 2);
	assert_true(certset_next_subject(&indexed, &name, 3, &at));
	assert_int_equal(at, 2 + NAMES);
	assert_true(certset_next_subject(&indexed, &name, at + 1, &at));
	assert_int_equal(at, 2 + 2 * NAMES);
	assert_false(certset_next_subject(&indexed, &name, at + 1, &at));
	dername_free(&name);
	for (size_t i = 0; i < scanned.count; i++) {
		assert_true(certset_has(&scanned, crts[i]));
		assert_true(certset_has(&indexed, crts[i]));
	}
	/* a namesake with another key and serial is not a member */
	assert_false(certset_has(&scanned, stranger));
	assert_false(certset_has(&indexed, stranger));
	certset_unindex(&indexed);
	assert_null(indexed.index);
}

static void
empty_set_indexes(void **state)
{
	struct certset set = { .crts = NULL };
	struct dername name = subject(crts[0]);
	size_t at;

	(void)state;
	assert_int_equal(certset_index(&set), 0);
	assert_false(certset_has(&set, crts[0]));
	assert_false(certset_next_subject(&set, &name, 0, &at));
	dername_free(&name);
	certset_clear(&set);
}

/* Copies in several files, and of what the set held already, count once;
 * the order of first appearance is kept. */
static void
directory_adds_each_certificate_once(void **state)
{
	const char *dir = tpki_path("cadir");
	struct certset set = { .crts = NULL };
	char path[4096], err[512];

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	for (size_t i = 0; i < NAMES * PER_NAME; i++) {
		snprintf(path, sizeof(path), "%s/ca%02zu.pem", dir, i);
		tpki_write(path, &crts[i], 1);
		snprintf(path, sizeof(path), "%s/copy%02zu.pem", dir, i);
		tpki_write(path, &crts[i], 1);
	}
	snprintf(path, sizeof(path), "%s/bundle.pem", dir);
	tpki_write(path, crts, 3);
	snprintf(path, sizeof(path), "%s/first.pem", tpki_tmpdir());
	tpki_write(path, &crts[0], 1);
	assert_int_equal(certset_add_file(&set, path, err, sizeof(err)), 0);
	assert_int_equal(certset_add_file(&set, path, err, sizeof(err)), 0);
	assert_int_equal(certset_add_dir(&set, dir, err, sizeof(err)), 0);
	/* the file's two copies stay: only the directory is deduplicated */
	assert_int_equal(set.count, 2 + NAMES * PER_NAME - 1);
	for (size_t i = 0; i < NAMES * PER_NAME; i++)
		assert_true(certset_has(&set, crts[i]));
	assert_int_equal(certset_index(&set), 0);
	for (size_t i = 0; i < NAMES * PER_NAME; i++)
		assert_true(certset_has(&set, crts[i]));
	certset_clear(&set);
	tpki_remove_tree(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(index_answers_as_a_scan),
		cmocka_unit_test(empty_set_indexes),
		cmocka_unit_test(directory_adds_each_certificate_once),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
