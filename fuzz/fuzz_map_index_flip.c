/*
 * fuzz_map_index_flip - bit flips in a good map index file.
 *
 * The harness writes, once, a map file of subject DNs (alice, bob and a
 * few hundred others, so that the index has several blocks) and publishes
 * its index.  Each input is a list of bit positions (4 octets each,
 * big-endian, taken modulo the file's bits); those bits are flipped in a
 * copy of the index, which is then opened as a door opens it, and asked
 * about alice, bob, a user of another block and a DN the file does not
 * hold.
 *
 * Invariants: every answer is the map file's, whatever is flipped (the
 * index is refused at open, or a lookup finds its block damaged and reads
 * the map file, or the flipped bits are in a block no lookup reads); a
 * file that differs from the good one in any bit fails the full check
 * (mapfile_check(), as config check runs it); every error and note is
 * one safe line (oneline.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "flipbits.h"
#include "fuzzer.h"
#include "mapfile.h"
#include "mapindex.h"
#include "oneline.h"
#include "testpki.h"

#define OTHERS 400

static const char *const keys[] = {
	"CN=alice,O=Example", "CN=bob,O=Example", "CN=user0345,O=Example",
	"CN=nobody,O=Example",
};
static const char *const users[] = { "alice", "bob", "u345", NULL };

static unsigned char *good;
static size_t good_len;
static char map[1024], index_path[1100];

static void
violated(const char *what)
{
	fprintf(stderr, "fuzz_map_index_flip: %s\n", what);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char published[1100], err[1024];
	size_t count;
	FILE *fp;

	(void)argc;
	(void)argv;
	snprintf(map, sizeof(map), "%s", tpki_path("flip.map"));
	if ((fp = fopen(map, "w")) == NULL)
		abort();
	fprintf(fp, "# subject DN  user\nCN=alice,O=Example alice\n");
	for (unsigned i = 0; i < OTHERS; i++)
		fprintf(fp, "CN=user%04u,O=Example u%u\n", i, i);
	fprintf(fp, "CN=bob,O=Example bob\n");
	if (fclose(fp) != 0 || mapfile_publish(map, false, published,
	    sizeof(published), &count, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_map_index_flip: %s\n", err);
		abort();
	}
	snprintf(index_path, sizeof(index_path), "%s", published);
	good = flip_load_good(index_path, &good_len);
	return 0;
}

/* Every key's answer is the map file's. */
static void
check_answers(const struct mapfile *m)
{
	char *user, err[1024];

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (mapfile_find(m, (const unsigned char *)keys[i],
		    strlen(keys[i]), &user, err, sizeof(err)) != 0) {
			check_one_line("fuzz_map_index_flip: find error", err);
			violated("a lookup failed: the map file answers it");
		}
		if ((user == NULL) != (users[i] == NULL) ||
		    (user != NULL && strcmp(user, users[i]) != 0))
			violated("a key maps to another user than the map "
			    "file says");
		free(user);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mapfile *m;
	char err[1024];
	bool altered;

	altered = flip_bits_into(index_path, good, good_len, data, size);
	if (mapfile_load(&m, map, false, NULL, NULL, err, sizeof(err)) != 0) {
		check_one_line("fuzz_map_index_flip: load error", err);
		violated("the map file did not load");
	}
	if (mapfile_index_note(m) != NULL)
		check_one_line("fuzz_map_index_flip: note",
		    mapfile_index_note(m));
	if (!altered && !mapfile_indexed(m))
		violated("the good index is not used");
	check_answers(m);
	if (mapfile_check(m, err, sizeof(err)) == 0) {
		if (altered)
			violated("an altered index passed the full check");
	} else {
		check_one_line("fuzz_map_index_flip: check error", err);
		if (!altered)
			violated("the good index failed the full check");
	}
	mapfile_free(m);
	return 0;
}
