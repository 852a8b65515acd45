#include "crl_index_live.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct crl_index_hold {
	struct crl_index *index;
	unsigned holders;	/* verifications reading it */
	int retired;		/* replaced: unmap when the last one lets go */
};

struct crl_index_live {
	pthread_mutex_t lock;
	char *dir;
	struct crl_index_hold *current;
};

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

/* Called with the lock held. */
static void
refresh(struct crl_index_live *live)
{
	struct crl_index *index;
	struct crl_index_hold *fresh;
	char err[256];

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
