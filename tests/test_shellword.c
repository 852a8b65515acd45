/*
 * The commands libmtls and mtls tell an administrator to run: each path
 * or name in them, copied into a shell, reaches the command whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ocsp_cache.h"
#include "shellword.h"

/* What /bin/sh makes of word, as the one argument of printf %s. */
static char *
shell_reads(const char *word)
{
	char cmd[SHELLWORD_MAX + 32], *got = calloc(1, SHELLWORD_MAX);
	size_t n;
	FILE *fp;

	assert_non_null(got);
	snprintf(cmd, sizeof(cmd), "printf %%s %s", word);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	n = fread(got, 1, SHELLWORD_MAX - 1, fp);
	got[n] = '\0';
	assert_int_equal(pclose(fp), 0);
	return got;
}

static void
every_word_reaches_the_command_whole(void **state)
{
	static const char *const words[] = {
		"/var/cache/mtls", "/srv/my cache", "it's", "'", "''",
		"$HOME", "a;b", "`id`", "$(id)", "back\\slash", "new\nline",
		"*", "?[a]", "~root", "a&b|c>d<e", "\"quoted\"", "tab\there",
		"caf\xc3\xa9", "#comment", "!x", "{a,b}", "=x", "",
	};
	char word[SHELLWORD_MAX], *got;

	(void)state;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		got = shell_reads(shellword(words[i], word, sizeof(word)));
		if (strcmp(got, words[i]) != 0)
			fail_msg("\"%s\" quoted as %s came back as \"%s\"",
			    words[i], word, got);
		free(got);
	}
}

/* The commands of the usual paths and names read as they always did. */
static void
plain_words_stay_as_they_are(void **state)
{
	char word[SHELLWORD_MAX];

	(void)state;
	assert_string_equal(shellword("/var/cache/mtls/ocsp-107", word,
	    sizeof(word)), "/var/cache/mtls/ocsp-107");
	assert_string_equal(shellword("freerad", word, sizeof(word)),
	    "freerad");
	assert_string_equal(shellword("a b", word, sizeof(word)), "'a b'");
	assert_string_equal(shellword("it's", word, sizeof(word)),
	    "'it'\\''s'");
	assert_string_equal(shellword("", word, sizeof(word)), "''");
}

/*
 * A word that does not fit is the empty word, not one cut short: that
 * would name a directory above the one meant ("/plain/"), which the
 * command would change.
 */
static void
a_word_too_long_is_empty(void **state)
{
	char word[8];

	(void)state;
	assert_string_equal(shellword("/a b/c d/e", word, sizeof(word)),
	    "''");
	assert_string_equal(shellword("a'b'c'd", word, sizeof(word)), "''");
	assert_string_equal(shellword("/plain/and/long", word, sizeof(word)),
	    "''");
	assert_string_equal(shellword("/plain/", word, sizeof(word)),
	    "/plain/");
	assert_string_equal(shellword("/a b/", word, sizeof(word)),
	    "'/a b/'");
}

/*
 * The command at the end of text (after "run: "), after its first words
 * (prefix), must name want whole, or there must be none: a message too
 * long for its buffer that kept a command cut short would have it name a
 * directory above want, which install -d or chmod would change.
 */
static void
assert_whole_or_none(const char *text, const char *prefix, const char *want)
{
	const char *run = strstr(text, "run: ");
	char *got;

	if (run == NULL)
		return;
	run += strlen("run: ");
	if (strncmp(run, prefix, strlen(prefix)) != 0)
		fail_msg("no \"%s\" after \"run: \" in: %s", prefix, text);
	got = shell_reads(run + strlen(prefix));
	if (strcmp(got, want) != 0)
		fail_msg("the command of \"%s\" names \"%s\", not \"%s\"",
		    text, got, want);
	free(got);
}

/*
 * Every length of cache_dir, up to where the messages of the OCSP cache
 * directory no longer fit their buffers, and well past it.
 */
static void
a_command_too_long_for_its_message_is_left_out(void **state)
{
	char cache_dir[1400], dir[1500], why[1024], prefix[64];
	size_t len;

	(void)state;
	len = (size_t)snprintf(cache_dir, sizeof(cache_dir),
	    "/nonexistent-mtls-test");
	for (; len < sizeof(cache_dir) - 1; len++) {
		/* a path of directories one letter long: cut anywhere, it
		 * names one above it */
		cache_dir[len] = len % 2 == 0 ? '/' : 'd';
		cache_dir[len + 1] = '\0';
		if (cache_dir[len] == '/')
			continue;
		assert_int_equal(ocsp_cache_dir_check(cache_dir, 0, why,
		    sizeof(why)), -1);
		assert_whole_or_none(why, "install -d -m 0755 ", cache_dir);
		assert_int_equal(ocsp_cache_dir_check(cache_dir, 65534, why,
		    sizeof(why)), -1);
		snprintf(dir, sizeof(dir), "%s/ocsp-65534", cache_dir);
		snprintf(prefix, sizeof(prefix), "install -d -o %s -m 0700 ",
		    strstr(why, "-o nobody ") != NULL ? "nobody" : "65534");
		assert_whole_or_none(why, prefix, dir);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_word_reaches_the_command_whole),
		cmocka_unit_test(plain_words_stay_as_they_are),
		cmocka_unit_test(a_word_too_long_is_empty),
		cmocka_unit_test(a_command_too_long_for_its_message_is_left_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
