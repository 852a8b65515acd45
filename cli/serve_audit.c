/*
 * Where the audit lines of mtls serve go: to the syslog daemon at
 * /dev/log, one datagram each, facility authpriv, in the form syslog(3)
 * gives them (RFC 3164 as a local daemon reads it: "<PRI>Mmm dd hh:mm:ss
 * mtls[PID]: line"), so that rsyslog and journald take them as any other.
 *
 * Not through syslog(3), for two reasons.  It formats every line anew (a
 * memory stream, the local time, the process ID asked of the kernel) and
 * sends it holding a lock of the whole process, so that the threads that
 * answer requests queue behind each other's sends, each of which wakes
 * the daemon; here one connected socket serves every thread without a
 * lock, and each thread formats the time once a second.  And where no
 * daemon listens (none yet at start, a container without one, one being
 * restarted), syslog(3) drops the line, which a door that must audit
 * every decision cannot do.
 *
 * So no line is lost silently: while no daemon listens at /dev/log, or
 * the one there has taken no line for a second (its queue full), the
 * lines go to standard error, which whatever started the process keeps
 * (the journal, a container's log), and mtls serve says so there.  It
 * looks for a daemon again at most once a second, at the next line, and
 * says when the lines go to syslog again.
 *
 * A daemon that is slow, not stopped, keeps its lines: its queue is short
 * (net.unix.max_dgram_qlen, 10 by default), and a line waits there for
 * room, since it is written before its answer is given.  Sending lines
 * elsewhere whenever the daemon falls behind would scatter the trail
 * (standard error is not authpriv) under load, when it matters; so the
 * requests wait with their lines, and mtls serve says how long they
 * waited, at most once a minute, naming the setting that avoids it.  A daemon that listens on a
 * stream socket instead (syslog-ng can) is left to syslog(3), which
 * speaks that.
 */
#include <errno.h>
#include <pthread.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "mtls.h"
#include "serve.h"

/* "Mmm dd hh:mm:ss ": RFC 3164's TIMESTAMP, and the space after it */
#define STAMP_LEN	16
/* How long a line waits for room in a daemon's full queue. */
#define STALL_WAIT_MS	1000
/* Waiting for room is said once it adds up to this much, and at most
 * once a minute. */
#define WAIT_SAID_MS	100
#define WAIT_SAID_EVERY	60

enum route {
	TO_SYSLOG,		/* the daemon takes the lines */
	TO_STDERR_STALLED,	/* it took none for STALL_WAIT_MS: stderr
				 * until it takes one again */
	TO_STDERR_ABSENT,	/* none listens: stderr, looking once a
				 * second */
	TO_SYSLOG3,		/* a stream socket: syslog(3) */
};

/* Made once, before any request. */
static int log_fd = -1;
static char tag[32];			/* "mtls[PID]: " */
static size_t tag_len;

/* Changed under lock, and only there said (serve_tell()). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int route;
static _Atomic long long next_look;	/* monotonic second */

/* Waiting for room not yet said, and when it may be said next. */
static _Atomic long long waited_ms;
static _Atomic long long next_said;	/* monotonic second */

/* The timestamp of this thread's last line, made once a second. */
static _Thread_local struct {
	time_t second;
	char text[STAMP_LEN];		/* "Mmm dd hh:mm:ss " */
} stamp;

long long
serve_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long
monotonic_second(void)
{
	return serve_monotonic_ms() / 1000;
}

/* The local time as syslog(3) writes it, in the C locale's month names. */
static const char *
timestamp(void)
{
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t now = time(NULL);
	struct tm tm;
	char text[64];

	if (now != stamp.second) {
		if (localtime_r(&now, &tm) == NULL)
			memset(&tm, 0, sizeof(tm));
		snprintf(text, sizeof(text), "%s %2u %02u:%02u:%02u ",
		    months[(unsigned)tm.tm_mon % 12], (unsigned)tm.tm_mday % 100,
		    (unsigned)tm.tm_hour % 100, (unsigned)tm.tm_min % 100,
		    (unsigned)tm.tm_sec % 100);
		memcpy(stamp.text, text, STAMP_LEN);
		stamp.second = now;
	}
	return stamp.text;
}

/* One write a line, so that lines of several threads do not mix. */
static void
to_stderr(const char *line)
{
	struct iovec iov[2] = {
		{ (void *)(uintptr_t)line, strlen(line) },
		{ (void *)(uintptr_t)"\n", 1 },
	};

	(void)writev(STDERR_FILENO, iov, 2);
}

/* 0, or the errno of connecting log_fd to the daemon at _PATH_LOG. */
static int
connect_daemon(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	memcpy(sun.sun_path, _PATH_LOG, sizeof(_PATH_LOG));
	/* A datagram socket connects again to whatever listens there
	 * now: the descriptor the other threads send on never changes. */
	return connect(log_fd, (struct sockaddr *)&sun, sizeof(sun)) == 0 ?
	    0 : errno;
}

/* Under lock: follow what connecting said. */
static void
take_connect_result(int error)
{
	int was = atomic_load(&route);

	if (error == 0) {
		atomic_store(&route, TO_SYSLOG);
		if (was != TO_SYSLOG)
			serve_tell("a syslog daemon listens at " _PATH_LOG
			    ": the audit lines go there");
	} else if (error == EPROTOTYPE) {
		atomic_store(&route, TO_SYSLOG3);
	} else {
		atomic_store(&route, TO_STDERR_ABSENT);
		atomic_store(&next_look, monotonic_second() + 1);
		if (was != TO_STDERR_ABSENT)
			serve_tell("no syslog daemon listens at " _PATH_LOG
			    " (%s): the audit lines go to standard error "
			    "until one does", strerror(error));
	}
}

/* Look for a daemon, once a second at most; whether one listens. */
static bool
look_again(void)
{
	bool found;

	if (monotonic_second() < atomic_load(&next_look))
		return false;
	pthread_mutex_lock(&lock);
	if (atomic_load(&route) == TO_STDERR_ABSENT &&
	    monotonic_second() >= atomic_load(&next_look))
		take_connect_result(connect_daemon());
	found = atomic_load(&route) != TO_STDERR_ABSENT;
	pthread_mutex_unlock(&lock);
	return found;
}

/* The daemon went (restarted, stopped): connect to whatever is there. */
static bool
reconnect(void)
{
	bool found;

	pthread_mutex_lock(&lock);
	take_connect_result(connect_daemon());
	found = atomic_load(&route) != TO_STDERR_ABSENT;
	pthread_mutex_unlock(&lock);
	return found;
}

/* Under lock: the daemon's queue is full, or no longer. */
static void
set_stalled(bool stalled)
{
	int was = atomic_load(&route);

	if (stalled && was == TO_SYSLOG) {
		atomic_store(&route, TO_STDERR_STALLED);
		serve_tell("the syslog daemon at " _PATH_LOG " took no audit "
		    "line for %d ms: they go to standard error until it "
		    "takes them again", STALL_WAIT_MS);
	} else if (!stalled && was == TO_STDERR_STALLED) {
		atomic_store(&route, TO_SYSLOG);
		serve_tell("the syslog daemon at " _PATH_LOG " takes the "
		    "audit lines again");
	}
}

static void
stalled(bool yes)
{
	pthread_mutex_lock(&lock);
	set_stalled(yes);
	pthread_mutex_unlock(&lock);
}

/* Under lock: say how long the requests waited, when it is time to. */
static void
say_waited(void)
{
	long long now = monotonic_second(), ms = atomic_load(&waited_ms);

	if (ms < WAIT_SAID_MS || now < atomic_load(&next_said))
		return;
	atomic_store(&waited_ms, 0);
	atomic_store(&next_said, now + WAIT_SAID_EVERY);
	serve_tell("the syslog daemon at " _PATH_LOG " kept the audit lines, "
	    "and the requests that wait for them, waiting for room in its "
	    "queue for %lld ms in all since this was last said; a longer "
	    "queue (net.unix.max_dgram_qlen) or a faster daemon avoids it",
	    ms);
}

static bool
wait_for_room(void)
{
	struct pollfd pfd = { .fd = log_fd, .events = POLLOUT };
	long long start = serve_monotonic_ms(), took;
	bool room = poll(&pfd, 1, STALL_WAIT_MS) == 1;

	/* up to the millisecond begun: a wait is never nothing */
	took = serve_monotonic_ms() - start + 1;
	if (atomic_fetch_add(&waited_ms, took) + took >= WAIT_SAID_MS &&
	    monotonic_second() >= atomic_load(&next_said)) {
		pthread_mutex_lock(&lock);
		say_waited();
		pthread_mutex_unlock(&lock);
	}
	return room;
}

/* Whether the daemon took the line. */
static bool
send_datagram(int priority, const char *line)
{
	char pri[8];
	struct iovec iov[4];
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 4 };
	bool waited = false, reconnected = false;

	snprintf(pri, sizeof(pri), "<%d>", LOG_AUTHPRIV | priority);
	iov[0] = (struct iovec){ pri, strlen(pri) };
	iov[1] = (struct iovec){ (void *)(uintptr_t)timestamp(), STAMP_LEN };
	iov[2] = (struct iovec){ tag, tag_len };
	iov[3] = (struct iovec){ (void *)(uintptr_t)line, strlen(line) };
	for (;;) {
		if (sendmsg(log_fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT) >= 0) {
			if (atomic_load(&route) == TO_STDERR_STALLED)
				stalled(false);
			return true;
		}
		switch (errno) {
		case EINTR:
			continue;
		case EAGAIN:
#if EWOULDBLOCK != EAGAIN
		case EWOULDBLOCK:
#endif
		case ENOBUFS:
			/* A daemon already behind gets no second of grace
			 * for each line. */
			if (!waited && atomic_load(&route) == TO_SYSLOG &&
			    wait_for_room()) {
				waited = true;
				continue;
			}
			stalled(true);
			return false;
		default:
			if (!reconnected && reconnect()) {
				reconnected = true;
				if (atomic_load(&route) == TO_SYSLOG)
					continue;
			}
			return false;
		}
	}
}

void
serve_audit_start(void)
{
	snprintf(tag, sizeof(tag), "mtls[%ld]: ", (long)getpid());
	tag_len = strlen(tag);
	log_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	/* said only when none listens */
	atomic_store(&route, TO_SYSLOG);
	pthread_mutex_lock(&lock);
	take_connect_result(log_fd == -1 ? errno : connect_daemon());
	pthread_mutex_unlock(&lock);
}

void
serve_audit_write(int priority, const char *line)
{
	int now = atomic_load(&route);

	if (now == TO_STDERR_ABSENT && log_fd != -1 && look_again())
		now = atomic_load(&route);
	if ((now == TO_SYSLOG || now == TO_STDERR_STALLED) &&
	    send_datagram(priority, line))
		return;
	if (atomic_load(&route) == TO_SYSLOG3)
		syslog(LOG_AUTHPRIV | priority, "%s", line);
	else
		to_stderr(line);
}

/*
 * The sink of a request (mtls_verify() gives it one line): the line waits
 * for its verdict, which sets its priority as libmtls sets it for
 * syslog(3) (a deferred verdict is not accepted, but no warning either).
 * Without the memory to keep it, the line goes at once.
 */
static void
keep_line(void *arg, int accepted, const char *line)
{
	char **kept = arg;

	free(*kept);
	if ((*kept = strdup(line)) == NULL)
		serve_audit_write(accepted ? LOG_INFO : LOG_WARNING, line);
}

void
serve_audit_send(const struct mtls_verdict *verdict,
    const char *claimed_user, char **line)
{
	int priority;

	if (*line == NULL)
		return;
	priority = verdict != NULL && (mtls_verdict_accepted(verdict) ||
	    mtls_verdict_network_owed(verdict)) ? LOG_INFO : LOG_WARNING;
	if (!serve_audit_repeats_counted(verdict, claimed_user, priority,
	    *line))
		serve_audit_write(priority, *line);
	free(*line);
	*line = NULL;
}

void
serve_audit_keep(struct mtls_request *request, char **line)
{
	mtls_request_set_audit_sink(request, keep_line, line);
}
