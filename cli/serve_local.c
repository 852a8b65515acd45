/*
 * Memory of each thread of its own (serve.h), made at a thread's first
 * use, for what the threads that answer requests keep from one request
 * to the next without a lock: freed when the thread ends, so that a
 * stopped server leaves nothing behind.
 */
#include <pthread.h>
#include <stdlib.h>

#include "serve.h"

static pthread_mutex_t keys_lock = PTHREAD_MUTEX_INITIALIZER;

/* local's key, made once for all threads; whether there is one. */
static bool
key_ready(struct serve_local *local)
{
	int state = atomic_load_explicit(&local->state, memory_order_acquire);

	if (state == 0) {
		pthread_mutex_lock(&keys_lock);
		if ((state = atomic_load(&local->state)) == 0) {
			state = pthread_key_create(&local->key,
			    local->destroy) == 0 ? 1 : -1;
			atomic_store_explicit(&local->state, state,
			    memory_order_release);
		}
		pthread_mutex_unlock(&keys_lock);
	}
	return state == 1;
}

void *
serve_local_get(struct serve_local *local)
{
	void *mine;

	if (!key_ready(local))
		return NULL;
	if ((mine = pthread_getspecific(local->key)) != NULL)
		return mine;
	if ((mine = calloc(1, local->size)) == NULL)
		return NULL;
	if (pthread_setspecific(local->key, mine) != 0) {
		free(mine);
		return NULL;
	}
	return mine;
}
