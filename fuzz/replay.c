/*
 * replay.c - a fuzz target as a plain program: every file named, or every
 * file of every directory named, is one input; with -runs=N first, N
 * mutations of those inputs follow.
 *
 * Built in place of libFuzzer when MTLS_FUZZ is off, so that any compiler
 * builds the targets and the test suite runs them over the seed corpus
 * (and over a crash's reproducer) without clang.  The mutations are few
 * and simple (bits flipped, bytes set, a span cut or repeated), from a
 * fixed seed: a short, repeatable fuzzing run for every build, where
 * libFuzzer (which takes -runs=N too) searches far longer.  With
 * $MTLS_FUZZ_LAST_INPUT set, each input is written there before it runs,
 * so that the one that aborted can be replayed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gnutls/gnutls.h>

#include "fuzzer.h"

/* Larger inputs are not grown further by mutation. */
#define MUTANT_MAX (256 * 1024)

static unsigned long inputs;
static gnutls_datum_t *seeds;
static size_t nseeds;

static void
run(const uint8_t *data, size_t size)
{
	static const uint8_t empty[1];
	const char *keep = getenv("MTLS_FUZZ_LAST_INPUT");
	FILE *fp;

	if (keep != NULL && (fp = fopen(keep, "wb")) != NULL) {
		fwrite(data, 1, size, fp);
		fclose(fp);
	}
	/* libFuzzer never passes NULL, not even for an empty input */
	LLVMFuzzerTestOneInput(size > 0 ? data : empty, size);
	inputs++;
}

static void
run_file(const char *path)
{
	gnutls_datum_t data, *grown;

	if (gnutls_load_file(path, &data) < 0) {
		fprintf(stderr, "%s: cannot read\n", path);
		exit(2);
	}
	run(data.data, data.size);
	grown = realloc(seeds, (nseeds + 1) * sizeof(*seeds));
	if (grown == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	seeds = grown;
	seeds[nseeds++] = data;
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

/* xorshift64: the same mutations on every run */
static uint64_t
next(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* One mutation of buf (len bytes used of MUTANT_MAX); the new length. */
static size_t
mutate(uint8_t *buf, size_t len, uint64_t *state)
{
	size_t at = len > 0 ? next(state) % len : 0;
	size_t span = len > at ? 1 + next(state) % (len - at) : 0;

	switch (next(state) % 5) {
	case 0:		/* a bit flipped */
		if (len > 0)
			buf[at] ^= (uint8_t)(1u << (next(state) % 8));
		return len;
	case 1:		/* a byte set to a value parsers care about */
		if (len > 0) {
			static const uint8_t edges[] = { 0x00, 0x01, 0x7f,
			    0x80, 0x81, 0xff, '\n', '"', '#', '\\' };

			buf[at] = edges[next(state) % sizeof(edges)];
		}
		return len;
	case 2:		/* a span cut out */
		memmove(buf + at, buf + at + span, len - at - span);
		return len - span;
	case 3:		/* a span repeated */
		if (span > MUTANT_MAX - len)
			span = MUTANT_MAX - len;
		memmove(buf + at + span, buf + at, len - at);
		return len + span;
	default:	/* a byte set at random */
		if (len > 0)
			buf[at] = (uint8_t)next(state);
		return len;
	}
}

static void
run_mutants(unsigned long runs)
{
	uint64_t state = 0x9e3779b97f4a7c15ULL;
	uint8_t *buf = malloc(MUTANT_MAX);

	if (buf == NULL || nseeds == 0) {
		fprintf(stderr, "-runs needs inputs to mutate\n");
		exit(2);
	}
	for (unsigned long r = 0; r < runs; r++) {
		const gnutls_datum_t *seed = &seeds[r % nseeds];
		size_t len = seed->size < MUTANT_MAX ? seed->size : MUTANT_MAX;
		unsigned n = 1 + (unsigned)(next(&state) % 4);

		memcpy(buf, seed->data, len);
		while (n-- > 0)
			len = mutate(buf, len, &state);
		run(buf, len);
	}
	free(buf);
}

int
main(int argc, char **argv)
{
	unsigned long runs = 0;
	struct stat st;
	int first = 1;

	if (argc > 1 && strncmp(argv[1], "-runs=", 6) == 0) {
		runs = strtoul(argv[1] + 6, NULL, 10);
		first = 2;
	}
	if (argc <= first) {
		fprintf(stderr, "usage: %s [-runs=N] FILE|DIR...\n", argv[0]);
		return 2;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = first; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			run_dir(argv[i]);
		else
			run_file(argv[i]);
	}
	if (runs > 0)
		run_mutants(runs);
	printf("%s: %lu inputs, no invariant violated\n", argv[0], inputs);
	for (size_t i = 0; i < nseeds; i++)
		gnutls_free(seeds[i].data);
	free(seeds);
	return 0;
}
