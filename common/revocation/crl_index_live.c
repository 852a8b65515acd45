#include "crl_index_live.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * How long a verification trusts the last look at the directory.  The
 * stat() of it costs more than the rest of a verification from a
 * remembered path (one CRL lookup included), so a process that verifies
 * many times a second looks once a second: an index an update publishes
 * is taken up by every verification that starts a second after it at the
 * latest (mtls.conf(5)).  Its revocations count no later, and its
 * predecessor's nextUpdate still makes it stale on time.
 *
 * The time is the kernel's coarse clock, which a verification reads in a
 * fifth of the time of the precise one (some 5 ns against 23), but which
 * lags by up to a clock tick, 10 ms at most (HZ is 100 or more): so 10 ms
 * less than a second.
 */
#define LOOK_INTERVAL_NS (1000000000LL - 10000000LL)

struct crl_index_hold {
	struct crl_index *index;
	unsigned holders;	/* verifications reading it */
	int retired;		/* replaced: unmap when the last one lets go */
};

struct crl_index_live {
	pthread_mutex_t lock;
	char *dir;
	struct crl_index_hold *current;
	long long looked;	/* when the directory was last looked at,
				 * coarse monotonic nanoseconds */
};

static long long
monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct crl_index_hold *
hold_new(struct crl_index *index)
{
	struct crl_index_hold *hold = calloc(1, sizeof(*hold));

	if (hold == NULL) {
		crl_index_close(index);
		return NULL;
	}
	hold->index = index;
	return hold;
}

static void
hold_free(struct crl_index_hold *hold)
{
	crl_index_close(hold->index);
	free(hold);
}

int
crl_index_live_open(const char *dir, struct crl_index_live **out, char *err,
    size_t errlen)
{
	struct crl_index_live *live = calloc(1, sizeof(*live));
	struct crl_index *index;

	if (live == NULL || (live->dir = strdup(dir)) == NULL) {
		free(live);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* before the open, which looks at the directory first */
	live->looked = monotonic_ns();
	if (crl_index_open(dir, NULL, NULL, &index, err, errlen) != 0) {
		free(live->dir);
		free(live);
		return -1;
	}
	if ((live->current = hold_new(index)) == NULL) {
		free(live->dir);
		free(live);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	pthread_mutex_init(&live->lock, NULL);
	*out = live;
	return 0;
}

void
crl_index_live_close(struct crl_index_live *live)
{
	if (live == NULL)
		return;
	hold_free(live->current);
	pthread_mutex_destroy(&live->lock);
	free(live->dir);
	free(live);
}

/*
 * Called with the lock held.  A new index that fails to open is tried
 * again at the next look, not at every verification meanwhile.
 */
static void
refresh(struct crl_index_live *live)
{
	struct crl_index *index;
	struct crl_index_hold *fresh;
	long long now = monotonic_ns();
	char err[256];

	if (now - live->looked < LOOK_INTERVAL_NS)
		return;
	live->looked = now;
	if (!crl_index_outdated(live->current->index))
		return;
	if (crl_index_open(live->dir, NULL, NULL, &index, err,
	    sizeof(err)) != 0 || (fresh = hold_new(index)) == NULL)
		return;
	if (live->current->holders == 0)
		hold_free(live->current);
	else
		live->current->retired = 1;
	live->current = fresh;
}

struct crl_index_hold *
crl_index_live_hold(struct crl_index_live *live)
{
	struct crl_index_hold *hold;

	pthread_mutex_lock(&live->lock);
	refresh(live);
	hold = live->current;
	hold->holders++;
	pthread_mutex_unlock(&live->lock);
	return hold;
}

const struct crl_index *
crl_index_held(const struct crl_index_hold *hold)
{
	return hold->index;
}

void
crl_index_live_release(struct crl_index_live *live,
    struct crl_index_hold *hold)
{
	int unmap;

	pthread_mutex_lock(&live->lock);
	unmap = --hold->holders == 0 && hold->retired;
	pthread_mutex_unlock(&live->lock);
	if (unmap)
		hold_free(hold);
}
