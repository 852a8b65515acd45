#include "timearg.h"

#include <stdbool.h>
#include <stdint.h>

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
	if (month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month) || hour > 23 || minute > 59 ||
	    second > 59)
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
	if (parse_unix_seconds(text, when) == 0)
		return 0;
	return parse_iso8601(text, when);
}
