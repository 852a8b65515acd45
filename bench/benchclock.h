/*
 * benchclock.h - the clock the benchmarks time themselves with.
 */
#ifndef MTLS_BENCHCLOCK_H
#define MTLS_BENCHCLOCK_H

/* Seconds on the monotonic clock: only differences mean anything. */
double bench_now(void);

#endif /* MTLS_BENCHCLOCK_H */
