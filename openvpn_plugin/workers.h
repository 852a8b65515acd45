/*
 * workers.h - a pool of threads for the checks that may wait (OCSP, PAM),
 * so that OpenVPN's single thread never does.
 *
 * Each waiting check holds a thread for as long as it waits: clients that
 * connect at once while the responder is slow wait in parallel only when
 * there are as many threads.  So a thread starts whenever work arrives
 * and none is idle, up to max; none exists before the first client, so
 * none when OpenVPN forks for --daemon after opening the plugin.  A
 * process limit (Debian's unit sets LimitNPROC=10, which binds once
 * OpenVPN dropped root) may stop the pool short of max: the work then
 * waits for a busy thread.  workers_free() joins every thread: nothing
 * of the plugin runs after OpenVPN closed it (SIGHUP) or unloaded it.
 */
#ifndef OVPN_WORKERS_H
#define OVPN_WORKERS_H

/*
 * One piece of work.  run() owns the job and frees it; stopping is
 * nonzero when the pool closes before the job started, and run() must
 * then only answer "refused" and return.
 */
struct job {
	struct job	*next;
	void		(*run)(struct job *job, int stopping);
};

struct workers;

struct workers	*workers_new(unsigned max);
/* workers_submit(): queued, but the first time that no thread could be
 * added for it (the process limit): it waits for a busy one */
#define WORKERS_SHORT	1
/*
 * Queue a job, with the number of threads in *running; -1 (the job
 * untouched) when no thread could run it.
 */
int		 workers_submit(struct workers *workers, struct job *job,
		    unsigned *running);
/* Cancel queued jobs, wait for running ones, join, free. */
void		 workers_free(struct workers *workers);

#endif
