/* mtls(1) and README.md list exactly the reason codes the library gives,
 * in the names it gives them, and the person at a login prompt reads a
 * sentence of its own for each: a reason added to the library must be
 * documented and explained. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mtls.h"
#include "verdict.h"

#define MAX_DOCUMENTED 128

/* The name as roff writes it: every '-' as "\-". */
static void
roff_escape(const char *name, char *out, size_t outlen)
{
	size_t n = 0;

	for (; *name != '\0' && n + 3 < outlen; name++) {
		if (*name == '-')
			out[n++] = '\\';
		out[n++] = *name;
	}
	out[n] = '\0';
}

/*
 * The tag lines of the REASON CODES section: each entry is ".TP" followed
 * by ".B name".  Returns how many, copied into names.
 */
static size_t
documented_reasons(char names[][64], size_t max)
{
	FILE *f = fopen(MTLS_MANPAGE, "r");
	char *line = NULL;
	size_t cap = 0, n = 0;
	int in_section = 0, after_tp = 0;

	assert_non_null(f);
	while (getline(&line, &cap, f) != -1) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, ".SH ", 4) == 0) {
			in_section = strcmp(line, ".SH REASON CODES") == 0;
			continue;
		}
		if (!in_section)
			continue;
		if (after_tp && strncmp(line, ".B ", 3) == 0 && n < max) {
			snprintf(names[n], 64, "%s", line + 3);
			n++;
		}
		after_tp = strcmp(line, ".TP") == 0;
	}
	free(line);
	fclose(f);
	return n;
}

static void
every_reason_documented_once(void **state)
{
	char names[MAX_DOCUMENTED][64];
	size_t n = documented_reasons(names, MAX_DOCUMENTED);

	(void)state;
	assert_int_equal(n, MTLS_R_COUNT);
	for (int r = 0; r < MTLS_R_COUNT; r++) {
		char want[64];
		size_t i;

		roff_escape(mtls_reason_name((enum mtls_reason)r), want,
		    sizeof(want));
		for (i = 0; i < n; i++)
			if (strcmp(names[i], want) == 0)
				break;
		if (i == n)
			fail_msg("reason %s is not in %s",
			    mtls_reason_name((enum mtls_reason)r),
			    MTLS_MANPAGE);
	}
}

/* Every reason name in the README's table, as "| `name` |". */
static void
every_reason_in_readme(void **state)
{
	FILE *f = fopen(MTLS_README, "r");
	char *line = NULL;
	size_t cap = 0;
	int found[MTLS_R_COUNT] = { 0 };

	(void)state;
	assert_non_null(f);
	while (getline(&line, &cap, f) != -1) {
		for (int r = 0; r < MTLS_R_COUNT; r++) {
			char cell[80];

			snprintf(cell, sizeof(cell), "| `%s` |",
			    mtls_reason_name((enum mtls_reason)r));
			if (strncmp(line, cell, strlen(cell)) == 0)
				found[r]++;
		}
	}
	free(line);
	fclose(f);
	for (int r = 0; r < MTLS_R_COUNT; r++)
		if (found[r] != 1)
			fail_msg("reason %s is in %s's table %d times",
			    mtls_reason_name((enum mtls_reason)r), MTLS_README,
			    found[r]);
}

/* Only an internal error reads as one to the user. */
static void
every_reason_has_a_user_message(void **state)
{
	(void)state;
	for (int r = 0; r < MTLS_R_COUNT; r++) {
		struct mtls_verdict v;
		size_t len;

		memset(&v, 0, sizeof(v));
		v.finding.reason = (enum mtls_reason)r;
		v.finding.depth = -1;
		v.not_before = v.not_after = (time_t)-1;
		verdict_user_message(&v);
		len = strlen(v.user_message);
		if (len == 0 || v.user_message[len - 1] != '.' ||
		    (r != MTLS_R_INTERNAL &&
		    strcmp(v.user_message, verdict_internal_message) == 0))
			fail_msg("reason %s has no user message of its own: "
			    "\"%s\"", mtls_reason_name((enum mtls_reason)r),
			    v.user_message);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_reason_documented_once),
		cmocka_unit_test(every_reason_in_readme),
		cmocka_unit_test(every_reason_has_a_user_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
