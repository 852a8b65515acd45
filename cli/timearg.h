/*
 * timearg.h - the time given to "mtls verify --at".
 *
 * Always UTC: a verification replayed on another machine, or in a test,
 * must not depend on that machine's time zone.
 */
#ifndef MTLS_CLI_TIMEARG_H
#define MTLS_CLI_TIMEARG_H

#include <time.h>

/* The forms accepted, for messages and help. */
#define TIMEARG_FORMS \
	"Unix seconds (@1795255200 or 1795255200), YYYY-MM-DD, " \
	"YYYY-MM-DDTHH:MM:SSZ or \"YYYY-MM-DD HH:MM:SS\" (UTC)"

/* timearg_parse(): digits that read as a date as well as Unix seconds. */
#define TIMEARG_AMBIGUOUS (-2)

/*
 * Parse Unix seconds ("1795255200", or "@1795255200" as GNU date(1)
 * writes them) or an ISO 8601 UTC date or date and time: "2026-11-21",
 * "2026-11-21T10:00:00Z", "2026-11-21 10:00:00" (the trailing Z is
 * optional).  Returns 0; TIMEARG_AMBIGUOUS for digits without '@' that
 * also read as a compact date ("20250101", YYYYMMDDHHMM[SS]); or -1 when
 * text is none of these or names no real date or time.
 */
int timearg_parse(const char *text, time_t *when);

#endif /* MTLS_CLI_TIMEARG_H */
