#include "utctime.h"

#include <stdio.h>

void
utctime_format(time_t t, char out[UTCTIME_MAX])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, UTCTIME_MAX, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(out, UTCTIME_MAX, "(time out of range)");
}
