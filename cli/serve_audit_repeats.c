/*
 * Repeated verdicts in mtls serve's audit trail, counted instead of
 * written one by one.
 *
 * A web server asks once per HTTP request: an API client making 200
 * requests a second with one certificate would write 200 identical
 * authpriv lines a second (17 million a day), and each one costs the
 * request the send and the syslog daemon its work.  sshd and pam log a
 * login, not every keystroke after it.  So, within a window of seconds
 * (--audit-repeats), a verdict whose audit line is the same as one
 * already written, but for the URI asked for, is counted; when the window
 * ends, one summary line gives the same fields, how many more there were
 * and between which times.  Every decision is accounted for in authpriv:
 * the written lines and the counts of the summaries add up to the
 * decisions.
 *
 * What stays as before: the first verdict of its kind in a window is
 * written before its answer is given; anything that differs in the line
 * (the verdict, the reason, the user, the revocation source, the
 * explanation, the client's address) or in the user the location claims
 * is another kind, written at once.  A final verdict on the same question
 * (certificate and claimed user) that differs from the one being counted,
 * such as a certificate revoked since, first closes the window of the one
 * before, so that the trail reads in order: that many acceptances until
 * then, then the refusal.  A window ends with the next verdict of its
 * kind after it, or within a second of its end by a timer, and at stop
 * (SIGTERM) whatever its age: a count is lost only if the process is
 * killed outright.
 *
 * The table is fixed (SETS sets of WAYS slots, each behind its own lock,
 * picked by the question), so memory is bounded and the threads that
 * answer requests wait for each other only on the same set.  A verdict
 * that finds its set full of open windows, or whose line is longer than a
 * slot keeps, is written as it is: never dropped.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mtls.h"
#include "serve.h"
#include "util/utctime.h"

#define SETS		64
#define WAYS		8
/* The question and the line, as one key: a longer one is written. */
#define KEY_MAX		8192
/* The summary's own fields after the line. */
#define SUMMARY_EXTRA	128
/* How often the timer closes the windows that ended. */
#define SWEEP_MS	1000

struct repeat {
	char *key;		/* make_key()'s, or NULL: a free slot */
	size_t key_len;
	size_t question_len;	/* of key, before the '\n' */
	int priority;
	bool final;		/* not owed to the network */
	bool accepted;
	enum mtls_reason reason;
	long long ends_ms;	/* monotonic */
	time_t first, last;	/* of the verdicts counted */
	unsigned long count;
};

struct repeat_set {
	pthread_mutex_t lock;
	struct repeat slot[WAYS];
};

/* Set before any request thread starts, and read-only while they run. */
static long long window_ms;
static struct repeat_set sets[SETS];

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool started, stopping;
} timer = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* FNV-1a: which set a question's windows are in. */
static size_t
set_of(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return (size_t)(h >> 32) % SETS;
}

static void
append(char *key, size_t *len, const char *s, size_t n)
{
	memcpy(key + *len, s, n);
	*len += n;
}

/*
 * The field of the URI on line, from the space before it to after its
 * value; false when there is none.  A line is "mtls:" and fields
 * " key=value", each value quoted (with no '"' inside: audit.c writes it
 * \x22) or plain (with no space): read field by field, so that no value
 * (a subject that ends in " uri=", a URI that holds one) passes for the
 * field.
 */
static bool
uri_field(const char *line, const char **start, const char **end)
{
	const char *field = strchr(line, ' '), *eq, *next;

	while (field != NULL && *field == ' ') {
		eq = field + 1 + strcspn(field + 1, "= ");
		if (*eq != '=')
			return false;
		if (eq[1] == '"') {
			if ((next = strchr(eq + 2, '"')) == NULL)
				return false;
			next++;
		} else
			next = eq + 1 + strcspn(eq + 1, " ");
		if ((size_t)(eq - field - 1) == strlen(SERVE_AUDIT_URI) &&
		    memcmp(field + 1, SERVE_AUDIT_URI, eq - field - 1) == 0) {
			*start = field;
			*end = next;
			return true;
		}
		field = next;
	}
	return false;
}

/*
 * The key of a verdict in key (KEY_MAX bytes): the question (certificate
 * fingerprint and claimed user), then the line without the field of the
 * URI, which each request has its own of.  0, or -1 when it is too long.
 */
static int
make_key(const struct mtls_verdict *verdict, const char *claimed_user,
    const char *line, char *key, size_t *key_len, size_t *question_len)
{
	const char *fingerprint = mtls_verdict_fingerprint(verdict);
	const char *cut, *rest;
	size_t fp_len, claimed_len, len = 0;

	fingerprint = fingerprint != NULL ? fingerprint : "";
	claimed_user = claimed_user != NULL ? claimed_user : "";
	fp_len = strlen(fingerprint);
	claimed_len = strlen(claimed_user);
	if (!uri_field(line, &cut, &rest))
		cut = rest = line + strlen(line);
	if (fp_len + 1 + claimed_len + 1 + (size_t)(cut - line) +
	    strlen(rest) > KEY_MAX)
		return -1;
	append(key, &len, fingerprint, fp_len);
	append(key, &len, " ", 1);
	append(key, &len, claimed_user, claimed_len);
	*question_len = len;
	append(key, &len, "\n", 1);
	append(key, &len, line, (size_t)(cut - line));
	append(key, &len, rest, strlen(rest));
	*key_len = len;
	return 0;
}

/* Summaries made under a set's lock, written after it is released. */
struct summaries {
	size_t n;
	struct summary {
		int priority;
		char *line;	/* NULL: out of memory, said instead */
		unsigned long count;
	} s[WAYS];
};

/* Under its set's lock: end r's window, its summary kept in out. */
static void
close_window(struct repeat *r, struct summaries *out)
{
	struct summary *s;
	const char *line;
	size_t len;
	char first[UTCTIME_MAX], last[UTCTIME_MAX];

	if (r->count > 0) {
		s = &out->s[out->n++];
		s->priority = r->priority;
		s->count = r->count;
		line = r->key + r->question_len + 1;
		len = r->key_len - r->question_len - 1 + SUMMARY_EXTRA;
		utctime_format(r->first, first);
		utctime_format(r->last, last);
		if ((s->line = malloc(len)) != NULL)
			snprintf(s->line, len, "%.*s repeats=%lu "
			    "first=\"%s\" last=\"%s\"",
			    (int)(r->key_len - r->question_len - 1), line,
			    r->count, first, last);
	}
	free(r->key);
	memset(r, 0, sizeof(*r));
}

static void
write_summaries(struct summaries *out)
{
	char fallback[160];

	for (size_t i = 0; i < out->n; i++) {
		if (out->s[i].line == NULL) {
			snprintf(fallback, sizeof(fallback), "mtls: %lu "
			    "repeated verdicts not written (out of memory "
			    "for their summary)", out->s[i].count);
			serve_audit_write(out->s[i].priority, fallback);
		} else
			serve_audit_write(out->s[i].priority, out->s[i].line);
		free(out->s[i].line);
	}
	out->n = 0;
}

/* Whether r is of the same question as key, and decided otherwise. */
static bool
answered_otherwise(const struct repeat *r, const char *key,
    size_t question_len, const struct mtls_verdict *verdict)
{
	return r->final && !mtls_verdict_network_owed(verdict) &&
	    r->question_len == question_len &&
	    memcmp(r->key, key, question_len) == 0 &&
	    (r->accepted != (mtls_verdict_accepted(verdict) != 0) ||
	    r->reason != mtls_verdict_reason(verdict));
}

static void
open_window(struct repeat *r, const char *key, size_t key_len,
    size_t question_len, const struct mtls_verdict *verdict, int priority,
    long long now_ms)
{
	if ((r->key = malloc(key_len)) == NULL)
		return;		/* written, and the next one too */
	memcpy(r->key, key, key_len);
	r->key_len = key_len;
	r->question_len = question_len;
	r->priority = priority;
	r->final = !mtls_verdict_network_owed(verdict);
	r->accepted = mtls_verdict_accepted(verdict) != 0;
	r->reason = mtls_verdict_reason(verdict);
	r->ends_ms = now_ms + window_ms;
}

bool
serve_audit_repeats_counted(const struct mtls_verdict *verdict,
    const char *claimed_user, int priority, const char *line)
{
	char key[KEY_MAX];
	size_t key_len, question_len;
	struct repeat_set *set;
	struct repeat *r, *match = NULL, *free_slot = NULL;
	struct summaries out = { 0 };
	long long now_ms;

	if (window_ms == 0 || verdict == NULL || line == NULL ||
	    make_key(verdict, claimed_user, line, key, &key_len,
	    &question_len) != 0)
		return false;
	now_ms = serve_monotonic_ms();
	set = &sets[set_of(key, question_len)];
	pthread_mutex_lock(&set->lock);
	for (size_t i = 0; i < WAYS; i++) {
		r = &set->slot[i];
		if (r->key != NULL && (now_ms >= r->ends_ms ||
		    answered_otherwise(r, key, question_len, verdict)))
			close_window(r, &out);
		if (r->key == NULL) {
			if (free_slot == NULL)
				free_slot = r;
		} else if (r->key_len == key_len &&
		    memcmp(r->key, key, key_len) == 0)
			match = r;
	}
	if (match != NULL) {
		match->last = time(NULL);
		if (match->count++ == 0)
			match->first = match->last;
	} else if (free_slot != NULL)
		open_window(free_slot, key, key_len, question_len, verdict,
		    priority, now_ms);
	pthread_mutex_unlock(&set->lock);
	/* before the line of the verdict that closed them */
	write_summaries(&out);
	return match != NULL;
}

/* Close the windows that ended by now, or every window when all. */
static void
sweep(bool all)
{
	struct summaries out = { 0 };
	long long now_ms = serve_monotonic_ms();
	struct repeat *r;

	for (size_t i = 0; i < SETS; i++) {
		pthread_mutex_lock(&sets[i].lock);
		for (size_t j = 0; j < WAYS; j++) {
			r = &sets[i].slot[j];
			if (r->key != NULL && (all || now_ms >= r->ends_ms))
				close_window(r, &out);
		}
		pthread_mutex_unlock(&sets[i].lock);
		write_summaries(&out);
	}
}

static void *
sweeper(void *arg)
{
	struct timespec until;

	(void)arg;
	pthread_mutex_lock(&timer.lock);
	while (!timer.stopping) {
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += SWEEP_MS / 1000;
		pthread_cond_timedwait(&timer.wake, &timer.lock, &until);
		if (timer.stopping)
			break;
		pthread_mutex_unlock(&timer.lock);
		sweep(false);
		pthread_mutex_lock(&timer.lock);
	}
	pthread_mutex_unlock(&timer.lock);
	return NULL;
}

int
serve_audit_repeats_start(unsigned seconds, char *err, size_t errlen)
{
	pthread_condattr_t attr;
	int error;

	window_ms = (long long)seconds * 1000;
	if (seconds == 0)
		return 0;
	for (size_t i = 0; i < SETS; i++)
		pthread_mutex_init(&sets[i].lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&timer.wake, &attr);
	pthread_condattr_destroy(&attr);
	if ((error = pthread_create(&timer.thread, NULL, sweeper,
	    NULL)) != 0) {
		snprintf(err, errlen, "cannot start the thread that writes "
		    "the summaries of repeated verdicts: %s",
		    strerror(error));
		window_ms = 0;
		return -1;
	}
	timer.started = true;
	return 0;
}

void
serve_audit_repeats_stop(void)
{
	if (!timer.started)
		return;
	pthread_mutex_lock(&timer.lock);
	timer.stopping = true;
	pthread_cond_signal(&timer.wake);
	pthread_mutex_unlock(&timer.lock);
	pthread_join(timer.thread, NULL);
	timer.started = false;
	/* no request is answered any more: every count is written */
	sweep(true);
}
