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

/* Cut short, a word is still one word: its quotes are closed. */
static void
a_word_too_long_is_cut_short_and_closed(void **state)
{
	char word[8];

	(void)state;
	assert_string_equal(shellword("/a b/c d/e", word, sizeof(word)),
	    "'/a b/'");
	assert_string_equal(shellword("a'b'c'd", word, sizeof(word)),
	    "'a'\\'''");
	assert_string_equal(shellword("/plain/and/long", word, sizeof(word)),
	    "/plain/");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_word_reaches_the_command_whole),
		cmocka_unit_test(plain_words_stay_as_they_are),
		cmocka_unit_test(a_word_too_long_is_cut_short_and_closed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
