/* mtls verify --at: every accepted form means the same UTC instant, and
 * anything that is not a real time is refused rather than guessed at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "timearg.h"

static void
assert_time(const char *text, long long expected)
{
	time_t when = 12345;

	if (timearg_parse(text, &when) != 0)
		fail_msg("'%s' was refused", text);
	assert_int_equal((long long)when, expected);
}

static void
assert_refused(const char *text)
{
	time_t when = 12345;

	if (timearg_parse(text, &when) == 0)
		fail_msg("'%s' was accepted as %lld", text, (long long)when);
	assert_int_equal((long long)when, 12345);
}

static void
unix_seconds(void **state)
{
	(void)state;
	assert_time("0", 0);
	assert_time("1795255200", 1795255200LL);
	assert_time("253402300799", 253402300799LL);
	/* as GNU date(1) writes them */
	assert_time("@1795255200", 1795255200LL);
	assert_time("@20250101", 20250101LL);
	/* eight digits that are no date are only seconds */
	assert_time("99999999", 99999999LL);
	assert_time("20251301", 20251301LL);
}

/* Digits that read as a compact date as well: refused, not guessed. */
static void
compact_dates_are_ambiguous(void **state)
{
	static const char *const ambiguous[] = {
		"20250101", "20240229", "202501011200", "20250101120000",
	};
	time_t when = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(ambiguous) / sizeof(ambiguous[0]);
	    i++) {
		assert_int_equal(timearg_parse(ambiguous[i], &when),
		    TIMEARG_AMBIGUOUS);
		assert_int_equal((long long)when, 12345);
	}
}

static void
iso8601_forms_agree(void **state)
{
	(void)state;
	assert_time("2026-11-21T10:00:00Z", 1795255200LL);
	assert_time("2026-11-21T10:00:00", 1795255200LL);
	assert_time("2026-11-21 10:00:00", 1795255200LL);
	assert_time("2026-11-21 10:00:00Z", 1795255200LL);
	assert_time("2026-11-21", 1795219200LL);
}

static void
calendar_edges(void **state)
{
	(void)state;
	assert_time("2000-02-29T12:34:56Z", 951827696LL);
	assert_time("1969-12-31T23:59:59Z", -1);
	assert_time("1600-03-01", -11670912000LL);
	assert_time("9999-12-31T23:59:59Z", 253402300799LL);
	assert_time("1970-01-01", 0);
}

static void
impossible_dates_refused(void **state)
{
	(void)state;
	assert_refused("2023-02-29");
	assert_refused("2100-02-29");
	assert_refused("2026-04-31");
	assert_refused("2026-13-01");
	assert_refused("2026-00-10");
	assert_refused("2026-11-00");
	assert_refused("2026-11-21T24:00:00Z");
	assert_refused("2026-11-21T10:60:00Z");
	assert_refused("2026-11-21T10:00:60Z");
}

static void
malformed_refused(void **state)
{
	(void)state;
	assert_refused("");
	assert_refused("now");
	assert_refused("-5");
	assert_refused("+5");
	assert_refused(" 5");
	assert_refused("5 ");
	assert_refused("1e9");
	assert_refused("99999999999999999999");
	assert_refused("2026-11-21Z");
	assert_refused("2026-11-21T10:00Z");
	assert_refused("2026-11-21T10:00:00ZZ");
	assert_refused("2026-11-21T10:00:00+01:00");
	assert_refused("26-11-21");
	assert_refused("2026/11/21");
	assert_refused("2026-1-21");
	assert_refused("@");
	assert_refused("@-5");
	assert_refused("@2026-11-21");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unix_seconds),
		cmocka_unit_test(compact_dates_are_ambiguous),
		cmocka_unit_test(iso8601_forms_agree),
		cmocka_unit_test(calendar_edges),
		cmocka_unit_test(impossible_dates_refused),
		cmocka_unit_test(malformed_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
