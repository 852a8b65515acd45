/*
 * answer.h - the outcome of a check that may finish on a worker thread,
 * shared by the thread that waits for it (OpenVPN's) and the one that
 * gives it.
 *
 * Either side may be done first: the client may go away (OpenVPN frees
 * its context) while a worker still checks it, and a worker may finish
 * before OpenVPN asks again.  So the answer counts its holders and the
 * last one frees it; both its fields are atomic, as the two threads share
 * nothing else.
 */
#ifndef OVPN_ANSWER_H
#define OVPN_ANSWER_H

#define ANSWER_PENDING	(-1)
#define ANSWER_REFUSED	0
#define ANSWER_ACCEPTED	1

struct answer;

/* A pending answer with one holder, or NULL when memory ran out. */
struct answer	*answer_new(void);
/* One more holder: returns answer. */
struct answer	*answer_hold(struct answer *answer);
/* A holder is done with it; the last frees it.  NULL is ignored. */
void		 answer_release(struct answer *answer);

/* Given once: accepted nonzero or not. */
void		 answer_give(struct answer *answer, int accepted);
/* ANSWER_PENDING, ANSWER_REFUSED or ANSWER_ACCEPTED. */
int		 answer_get(const struct answer *answer);

#endif
