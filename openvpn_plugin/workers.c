#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "args.h"
#include "workers.h"

struct workers {
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;
	struct job	*head;
	struct job	**tail;
	pthread_t	 threads[ARGS_WORKERS_MAX];
	unsigned	 nthreads;
	unsigned	 max;
	unsigned	 idle;
	int		 stopping;
	int		 short_told;	/* a thread failed to start, said once */
};

struct workers *
workers_new(unsigned max)
{
	struct workers *w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	if (pthread_mutex_init(&w->lock, NULL) != 0) {
		free(w);
		return NULL;
	}
	if (pthread_cond_init(&w->wake, NULL) != 0) {
		pthread_mutex_destroy(&w->lock);
		free(w);
		return NULL;
	}
	w->tail = &w->head;
	w->max = max < 1 ? 1 : max > ARGS_WORKERS_MAX ? ARGS_WORKERS_MAX : max;
	return w;
}

static void *
worker_main(void *arg)
{
	struct workers *w = arg;
	struct job *job;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->head == NULL && !w->stopping) {
			w->idle++;
			pthread_cond_wait(&w->wake, &w->lock);
			w->idle--;
		}
		if (w->head == NULL)
			break;
		job = w->head;
		if ((w->head = job->next) == NULL)
			w->tail = &w->head;
		pthread_mutex_unlock(&w->lock);
		job->run(job, 0);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* A new thread, with every signal blocked: signals are OpenVPN's, and
 * must reach its own thread. */
static int
start_thread(struct workers *w)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->threads[w->nthreads], NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return -1;
	w->nthreads++;
	return 0;
}

int
workers_submit(struct workers *w, struct job *job, unsigned *running)
{
	int rc = 0;

	pthread_mutex_lock(&w->lock);
	if (!w->stopping && w->idle == 0 && w->nthreads < w->max &&
	    start_thread(w) != 0 && !w->short_told && w->nthreads > 0) {
		w->short_told = 1;
		rc = WORKERS_SHORT;
	}
	if (w->stopping || w->nthreads == 0) {
		pthread_mutex_unlock(&w->lock);
		return -1;
	}
	job->next = NULL;
	*w->tail = job;
	w->tail = &job->next;
	pthread_cond_signal(&w->wake);
	*running = w->nthreads;
	pthread_mutex_unlock(&w->lock);
	return rc;
}

void
workers_free(struct workers *w)
{
	struct job *queued, *next;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	queued = w->head;
	w->head = NULL;
	w->tail = &w->head;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);
	for (; queued != NULL; queued = next) {
		next = queued->next;
		queued->run(queued, 1);
	}
	for (unsigned i = 0; i < w->nthreads; i++)
		pthread_join(w->threads[i], NULL);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
