/*
 * benchclock.c - the monotonic clock, as seconds: the wall clock could jump
 * in the middle of a measurement.
 */
#include <time.h>

#include "benchclock.h"

double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
