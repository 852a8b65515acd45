/*
 * utctime.h - times as administrators read them in messages (internal).
 */
#ifndef MTLS_UTCTIME_H
#define MTLS_UTCTIME_H

#include <time.h>

/* "2025-01-31 23:59:59 UTC" and its terminating zero. */
#define UTCTIME_MAX 32

/* Format t in UTC; "(time out of range)" when it cannot be. */
void utctime_format(time_t t, char out[UTCTIME_MAX]);

#endif /* MTLS_UTCTIME_H */
