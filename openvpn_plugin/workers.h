/*
 * workers.h - a small pool of threads for the checks that may wait
 * (OCSP, PAM), so that OpenVPN's single thread never does.
 *
 * Threads start only when work arrives, so none exists when OpenVPN forks
 * for --daemon after opening the plugin; there are at most max of them
 * (Debian's unit limits OpenVPN to 10 processes and threads), and
 * workers_free() joins every one: nothing of the plugin runs after
 * OpenVPN closed it (SIGHUP) or unloaded it.
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
/* Queue a job; -1 (the job untouched) when no thread could run it. */
int		 workers_submit(struct workers *workers, struct job *job);
/* Cancel queued jobs, wait for running ones, join, free. */
void		 workers_free(struct workers *workers);

#endif
