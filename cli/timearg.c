#include "timearg.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Read exactly n decimal digits at *p; advances *p. */
static bool
take_digits(const char **p, int n, int *value)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*value = v;
	return true;
}

static bool
take_char(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

static bool
is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month(int year, int month)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

/*
 * Days from 1970-01-01 to the given proleptic Gregorian date.  timegm()
 * would quietly turn February 30 into March 2; the parser refuses such
 * dates first, and this needs no time zone state.
 */
static int64_t
days_from_epoch(int year, int month, int day)
{
	int64_t y = year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static int
parse_unix_seconds(const char *text, time_t *when)
{
	int64_t v = 0;

	for (const char *p = text; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v > (INT64_MAX - (*p - '0')) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if ((int64_t)(time_t)v != v)
		return -1;
	*when = (time_t)v;
	return 0;
}

static bool
valid_date_time(int year, int month, int day, int hour, int minute,
    int second)
{
	return month >= 1 && month <= 12 && day >= 1 &&
	    day <= days_in_month(year, month) && hour <= 23 && minute <= 59 &&
	    second <= 59;
}

/*
 * Digits that also read as a compact ISO 8601 date, "20250101", or date
 * and time, "202501011200" or "20250101120000": as Unix seconds they fall
 * in 1970-1973 or tens of thousands of years ahead, which nobody means,
 * and as a date they are what was meant.  Neither is guessed.
 */
static bool
compact_date(const char *text)
{
	const char *p = text;
	size_t len = strlen(text);
	int year, month, day, hour = 0, minute = 0, second = 0;

	if (len != 8 && len != 12 && len != 14)
		return false;
	if (!take_digits(&p, 4, &year) || !take_digits(&p, 2, &month) ||
	    !take_digits(&p, 2, &day))
		return false;
	if (len >= 12 && (!take_digits(&p, 2, &hour) ||
	    !take_digits(&p, 2, &minute)))
		return false;
	if (len == 14 && !take_digits(&p, 2, &second))
		return false;
	return valid_date_time(year, month, day, hour, minute, second);
}

static int
parse_iso8601(const char *text, time_t *when)
{
	const char *p = text;
	int year, month, day, hour = 0, minute = 0, second = 0;

	if (!take_digits(&p, 4, &year) || !take_char(&p, '-') ||
	    !take_digits(&p, 2, &month) || !take_char(&p, '-') ||
	    !take_digits(&p, 2, &day))
		return -1;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (!take_digits(&p, 2, &hour) || !take_char(&p, ':') ||
		    !take_digits(&p, 2, &minute) || !take_char(&p, ':') ||
		    !take_digits(&p, 2, &second))
			return -1;
		(void)take_char(&p, 'Z');
	}
	if (*p != '\0')
		return -1;
	if (!valid_date_time(year, month, day, hour, minute, second))
		return -1;
	*when = (time_t)(days_from_epoch(year, month, day) * 86400 +
	    hour * 3600 + minute * 60 + second);
	return 0;
}

int
timearg_parse(const char *text, time_t *when)
{
	if (text[0] == '\0')
		return -1;
	if (text[0] == '@')
		return text[1] != '\0' ? parse_unix_seconds(text + 1, when) : -1;
	if (compact_date(text))
		return TIMEARG_AMBIGUOUS;
	if (parse_unix_seconds(text, when) == 0)
		return 0;
	return parse_iso8601(text, when);
}
