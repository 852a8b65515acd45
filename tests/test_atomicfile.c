/* Replacing a file others read: all of the new contents or the old file,
 * and no temporary file left behind either way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <gnutls/gnutls.h>

#include "atomicfile.h"
#include "testpki.h"
#include "testutil.h"

static size_t
entries(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(dp);
	while ((de = readdir(dp)) != NULL)
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(dp);
	return n;
}

static void
assert_contents(const char *path, const char *want)
{
	gnutls_datum_t got;

	assert_int_equal(gnutls_load_file(path, &got), 0);
	assert_int_equal(got.size, strlen(want));
	assert_memory_equal(got.data, want, got.size);
	gnutls_free(got.data);
}

static void
parts_replace_the_file_whole(void **state)
{
	const struct atomicfile_part parts[] = { { "head,", 5 }, { "body", 4 } };
	const char *dir = tpki_path("replace");
	char path[600], err[512];
	struct stat st;

	(void)state;
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/file", dir);
	tpki_write_data(path, "old contents", 12);
	assert_int_equal(atomicfile_write(path, parts, 2, err, sizeof(err)), 0);
	assert_contents(path, "head,body");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(entries(dir), 1);
	assert_int_equal(remove(path), 0);
	assert_int_equal(remove(dir), 0);
}

static void
failure_leaves_nothing(void **state)
{
	const struct atomicfile_part part = { "new", 3 };
	const char *dir = tpki_path("failure");
	char path[600], err[512];

	(void)state;
	assert_int_equal(mkdir(dir, 0700), 0);
	/* the target is a directory: the rename fails */
	snprintf(path, sizeof(path), "%s/taken", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/taken/x", dir);
	tpki_write_data(path, "old", 3);
	snprintf(path, sizeof(path), "%s/taken", dir);
	assert_int_equal(atomicfile_write(path, &part, 1, err, sizeof(err)),
	    -1);
	assert_contains(err, path);
	assert_int_equal(entries(dir), 1);
	snprintf(path, sizeof(path), "%s/taken/x", dir);
	assert_contents(path, "old");
	assert_int_equal(remove(path), 0);
	snprintf(path, sizeof(path), "%s/taken", dir);
	assert_int_equal(remove(path), 0);
	/* no directory to write in */
	snprintf(path, sizeof(path), "%s/missing/file", dir);
	assert_int_equal(atomicfile_write(path, &part, 1, err, sizeof(err)),
	    -1);
	assert_contains(err, "missing/file");
	assert_int_equal(remove(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parts_replace_the_file_whole),
		cmocka_unit_test(failure_leaves_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
