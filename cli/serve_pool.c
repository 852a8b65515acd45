/*
 * The worker threads of mtls serve.  A verification may wait seconds for
 * an OCSP responder; it waits in a worker, while the HTTP thread goes on
 * reading and answering every other connection, and the other workers go
 * on verifying.  The number of workers is fixed, so a flood of slow
 * lookups queues instead of starting threads without end.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"

struct serve_pool {
	pthread_mutex_t lock;
	pthread_cond_t wake;		/* a job came, or closing began */
	struct serve_job *head, *tail;
	bool closing;
	pthread_t *threads;
	size_t nthreads;		/* started */
};

static struct serve_job *
next_job(struct serve_pool *pool)
{
	struct serve_job *job;

	pthread_mutex_lock(&pool->lock);
	while (pool->head == NULL && !pool->closing)
		pthread_cond_wait(&pool->wake, &pool->lock);
	/* Closing still runs what was queued: each job is a connection
	 * waiting for its answer. */
	if ((job = pool->head) != NULL) {
		pool->head = job->next;
		if (pool->head == NULL)
			pool->tail = NULL;
	}
	pthread_mutex_unlock(&pool->lock);
	return job;
}

static void *
worker(void *arg)
{
	struct serve_pool *pool = arg;
	struct serve_job *job;

	while ((job = next_job(pool)) != NULL)
		job->run(job);
	return NULL;
}

struct serve_pool *
serve_pool_start(size_t threads, char *err, size_t errlen)
{
	struct serve_pool *pool;
	int error;

	if ((pool = calloc(1, sizeof(*pool))) == NULL ||
	    (pool->threads = calloc(threads, sizeof(pthread_t))) == NULL) {
		free(pool);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->wake, NULL);
	for (; pool->nthreads < threads; pool->nthreads++) {
		error = pthread_create(&pool->threads[pool->nthreads], NULL,
		    worker, pool);
		if (error != 0) {
			snprintf(err, errlen, "cannot start worker thread "
			    "%zu of %zu: %s", pool->nthreads + 1, threads,
			    strerror(error));
			serve_pool_close(pool);
			serve_pool_free(pool);
			return NULL;
		}
	}
	return pool;
}

int
serve_pool_submit(struct serve_pool *pool, struct serve_job *job)
{
	int ret = -1;

	job->next = NULL;
	pthread_mutex_lock(&pool->lock);
	if (!pool->closing) {
		if (pool->tail != NULL)
			pool->tail->next = job;
		else
			pool->head = job;
		pool->tail = job;
		ret = 0;
	}
	pthread_mutex_unlock(&pool->lock);
	/* after unlocking: the worker woken does not wait for the lock
	 * (a worker only ever sleeps with the queue empty, and looks at it
	 * under the lock before it does) */
	if (ret == 0)
		pthread_cond_signal(&pool->wake);
	return ret;
}

void
serve_pool_close(struct serve_pool *pool)
{
	pthread_mutex_lock(&pool->lock);
	pool->closing = true;
	pthread_cond_broadcast(&pool->wake);
	pthread_mutex_unlock(&pool->lock);
	for (size_t i = 0; i < pool->nthreads; i++)
		pthread_join(pool->threads[i], NULL);
	pool->nthreads = 0;
}

void
serve_pool_free(struct serve_pool *pool)
{
	if (pool == NULL)
		return;
	pthread_cond_destroy(&pool->wake);
	pthread_mutex_destroy(&pool->lock);
	free(pool->threads);
	free(pool);
}
