/*
 * The Time of RFC 5280 read from DER (dertime.h): the two forms it
 * allows, and for everything else a reason an administrator can pass on
 * to the CA.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "dertime.h"
#include "testutil.h"

static struct dertlv
time_of(unsigned char tag, const char *text)
{
	struct dertlv t = { tag, NULL, (const unsigned char *)text,
	    strlen(text), NULL };

	return t;
}

static void
expect_time(unsigned char tag, const char *text, time_t want)
{
	struct dertlv t = time_of(tag, text);
	const char *why = NULL;
	time_t when = 0;

	if (dertime_read(&t, &when, &why) != 0)
		fail_msg("%s refused: %s", text, why);
	assert_int_equal((int64_t)when, (int64_t)want);
}

static void
expect_refused(unsigned char tag, const char *text, const char *words)
{
	struct dertlv t = time_of(tag, text);
	const char *why = NULL;
	time_t when;

	if (dertime_read(&t, &when, &why) == 0)
		fail_msg("%s read, expected \"%s\"", text, words);
	assert_contains(why, words);
}

static void
allowed_forms_are_read(void **state)
{
	(void)state;
	expect_time(DER_UTC_TIME, "700101000000Z", 0);
	expect_time(DER_UTC_TIME, "491231235959Z", 2524607999);
	expect_time(DER_UTC_TIME, "500101000000Z", -631152000);
	expect_time(DER_GENERALIZED_TIME, "20500101120000Z", 2524651200);
	expect_time(DER_GENERALIZED_TIME, "20240229000000Z", 1709164800);
	expect_time(DER_GENERALIZED_TIME, "20000229000000Z", 951782400);
}

/* RFC 5280 4.1.2.5.2: GeneralizedTime MUST NOT have fractional seconds. */
static void
fractions_of_a_second_are_named(void **state)
{
	(void)state;
	expect_refused(DER_GENERALIZED_TIME, "20500101120000.5Z",
	    "has a fraction of a second, which RFC 5280 forbids");
	expect_refused(DER_GENERALIZED_TIME, "20500101120000,5Z",
	    "fraction of a second");
	expect_refused(DER_GENERALIZED_TIME, "20500101120000.000Z",
	    "fraction of a second");
}

static void
other_forms_are_refused(void **state)
{
	(void)state;
	expect_refused(DER_GENERALIZED_TIME, "20500101120000+0100",
	    "not in UTC");
	expect_refused(DER_UTC_TIME, "5001011200Z", "YYMMDDHHMMSSZ");
	expect_refused(DER_UTC_TIME, "500101120000.5Z", "YYMMDDHHMMSSZ");
	expect_refused(DER_GENERALIZED_TIME, "205001011200Z",
	    "YYYYMMDDHHMMSSZ");
	expect_refused(DER_GENERALIZED_TIME, "2050010112000aZ",
	    "YYYYMMDDHHMMSSZ");
	expect_refused(DER_GENERALIZED_TIME, "", "not in UTC");
	expect_refused(DER_OCTET_STRING, "20500101120000Z",
	    "neither a UTCTime nor a GeneralizedTime");
	expect_refused(DER_GENERALIZED_TIME, "20500230120000Z",
	    "not a date and time that exist");
	expect_refused(DER_GENERALIZED_TIME, "21000229120000Z",
	    "not a date and time that exist");
	expect_refused(DER_GENERALIZED_TIME, "20501301120000Z",
	    "not a date and time that exist");
	expect_refused(DER_GENERALIZED_TIME, "20500101240000Z",
	    "not a date and time that exist");
	expect_refused(DER_GENERALIZED_TIME, "20500101120060Z",
	    "not a date and time that exist");
}

/* The message names the time and shows it, escaped and cut short. */
static void
check_names_the_time(void **state)
{
	struct dertlv t = time_of(DER_GENERALIZED_TIME, "20500101120000.5Z");
	struct dertlv odd = time_of(DER_GENERALIZED_TIME,
	    "\x01" "2050010112000000000000000000000000000000Z");
	char err[256];

	(void)state;
	assert_int_equal(dertime_check("notBefore", &t, err, sizeof(err)), -1);
	assert_string_equal(err, "its notBefore (20500101120000.5Z) has a "
	    "fraction of a second, which RFC 5280 forbids");
	assert_int_equal(dertime_check("nextUpdate", &odd, err, sizeof(err)),
	    -1);
	assert_contains(err, "its nextUpdate (\\x012050");
	assert_contains(err, "...) is not of the form");
	t = time_of(DER_GENERALIZED_TIME, "20500101120000Z");
	assert_int_equal(dertime_check("notBefore", &t, err, sizeof(err)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allowed_forms_are_read),
		cmocka_unit_test(fractions_of_a_second_are_named),
		cmocka_unit_test(other_forms_are_refused),
		cmocka_unit_test(check_names_the_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
