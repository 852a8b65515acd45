#include "dertime.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "certname.h"

/* Most octets of a faulty time shown in a message. */
#define SHOWN_MAX 32

/* The n (at most 18) decimal digits at p as a number, or -1. */
static int64_t
digits(const unsigned char *p, size_t n)
{
	int64_t value = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		value = value * 10 + (p[i] - '0');
	}
	return value;
}

static int
days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

int
dertime_read(const struct dertlv *t, time_t *when, const char **why)
{
	const unsigned char *p = t->content;
	/* the digits before the Z: YYMMDDHHMMSS or YYYYMMDDHHMMSS */
	size_t n = t->tag == DER_UTC_TIME ? 12 : 14;
	int year, month, day, hour, minute, second;
	struct tm tm;

	if (t->tag != DER_UTC_TIME && t->tag != DER_GENERALIZED_TIME) {
		*why = "is neither a UTCTime nor a GeneralizedTime";
		return -1;
	}
	if (t->tag == DER_GENERALIZED_TIME && t->len > n &&
	    (p[n] == '.' || p[n] == ',')) {
		*why = "has a fraction of a second, which RFC 5280 forbids";
		return -1;
	}
	if (t->len == 0 || p[t->len - 1] != 'Z') {
		*why = "is not in UTC (ending in Z), as RFC 5280 requires";
		return -1;
	}
	if (t->len != n + 1 || digits(p, n) < 0) {
		*why = t->tag == DER_UTC_TIME ? "is not of the form "
		    "YYMMDDHHMMSSZ that RFC 5280 requires" : "is not of the "
		    "form YYYYMMDDHHMMSSZ that RFC 5280 requires";
		return -1;
	}
	if (t->tag == DER_UTC_TIME) {
		year = (int)digits(p, 2);
		year += year < 50 ? 2000 : 1900;
		p += 2;
	} else {
		year = (int)digits(p, 4);
		p += 4;
	}
	month = (int)digits(p, 2);
	day = (int)digits(p + 2, 2);
	hour = (int)digits(p + 4, 2);
	minute = (int)digits(p + 6, 2);
	second = (int)digits(p + 8, 2);
	if (month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month) || hour > 23 || minute > 59 ||
	    second > 59) {
		*why = "is not a date and time that exist";
		return -1;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_sec = second;
	*when = timegm(&tm);
	return 0;
}

int
dertime_check(const char *name, const struct dertlv *t, char *err,
    size_t errlen)
{
	char shown[4 * SHOWN_MAX + 1];
	size_t len = t->len < SHOWN_MAX ? t->len : SHOWN_MAX;
	const char *why;
	time_t when;

	if (dertime_read(t, &when, &why) == 0)
		return 0;
	certname_escape(t->content, len, shown, sizeof(shown));
	snprintf(err, errlen, "its %s (%s%s) %s", name, shown,
	    len < t->len ? "..." : "", why);
	return -1;
}

/*
 * Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, ... }
 * TBSCertificate ::= SEQUENCE { version [0] EXPLICIT OPTIONAL,
 * serialNumber INTEGER, signature AlgorithmIdentifier, issuer Name,
 * validity SEQUENCE { notBefore Time, notAfter Time }, ... }
 */
int
dertime_cert_validity(const unsigned char *der, size_t len, char *err,
    size_t errlen)
{
	static const char *const names[] = { "notBefore", "notAfter" };
	const unsigned char *p = der, *end = der + len;
	struct dertlv e, t;

	if (dertlv_enter(&p, &end, DER_SEQUENCE) != 0 ||
	    dertlv_enter(&p, &end, DER_SEQUENCE) != 0 ||
	    dertlv_next(&p, end, &e) != 0 ||
	    (e.tag == DER_CONTEXT_0 && dertlv_next(&p, end, &e) != 0) ||
	    e.tag != DER_INTEGER ||
	    dertlv_expect(&p, end, DER_SEQUENCE, &e) != 0 ||
	    dertlv_expect(&p, end, DER_SEQUENCE, &e) != 0 ||
	    dertlv_enter(&p, &end, DER_SEQUENCE) != 0)
		return 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (dertlv_next(&p, end, &t) != 0)
			return 0;
		if (dertime_check(names[i], &t, err, errlen) != 0)
			return -1;
	}
	return 0;
}
