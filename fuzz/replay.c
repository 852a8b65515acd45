/*
 * replay.c - a fuzz target as a plain program: every file named, or every
 * file of every directory named, is one input.
 *
 * Built in place of libFuzzer when MTLS_FUZZ is off, so that any compiler
 * builds the targets and the test suite runs them over the seed corpus
 * (and over a crash's reproducer) without clang.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <gnutls/gnutls.h>

#include "fuzzer.h"

static unsigned long inputs;

static void
run_file(const char *path)
{
	static const uint8_t empty[1];
	gnutls_datum_t data;

	if (gnutls_load_file(path, &data) < 0) {
		fprintf(stderr, "%s: cannot read\n", path);
		exit(2);
	}
	/* libFuzzer never passes NULL, not even for an empty input */
	LLVMFuzzerTestOneInput(data.data != NULL ? data.data : empty,
	    data.size);
	gnutls_free(data.data);
	inputs++;
}

static void
run_dir(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *de;

	if (dir == NULL) {
		perror(path);
		exit(2);
	}
	while ((de = readdir(dir)) != NULL) {
		char file[4096];
		struct stat st;

		snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
		if (stat(file, &st) == 0 && S_ISREG(st.st_mode))
			run_file(file);
	}
	closedir(dir);
}

int
main(int argc, char **argv)
{
	struct stat st;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			run_dir(argv[i]);
		else
			run_file(argv[i]);
	}
	printf("%s: %lu inputs, no invariant violated\n", argv[0], inputs);
	return 0;
}
