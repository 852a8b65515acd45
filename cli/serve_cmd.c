/*
 * mtls serve: answer a web server's sub-requests (nginx auth_request)
 * with the verdict on the client certificate it saw, until told to stop;
 * SIGHUP reloads the configuration without dropping a request.
 */
#define _GNU_SOURCE	/* sched_getaffinity */
#include <err.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>
#include <syslog.h>
#include <unistd.h>

#include "commands.h"
#include "mtls.h"
#include "serve.h"
#include "serve_mhd.h"

#define DEFAULT_THREADS	8
#define MAX_THREADS	256
/* Threads that read, decide and answer requests (see http_threads()). */
#define MAX_HTTP_THREADS	16
/* A Unix socket's mode when none is asked for: the directory restricts. */
#define DEFAULT_SOCKET_MODE	0666
/*
 * Seconds a verdict's repeats are counted, not written (serve_audit_
 * repeats.c).  A minute: a client seen once a second or more writes two
 * lines a minute (its first and the summary) instead of sixty or
 * thousands, a change of verdict is written at once whatever the window,
 * and a count is in the trail within a minute and a second, or lost only
 * to a process killed outright.  An hour at most, so that the trail says
 * what happened that hour.
 */
#define DEFAULT_AUDIT_REPEATS	60
#define MAX_AUDIT_REPEATS	3600

struct serve_opts {
	const char *config_file;
	const char *profile;
	const char *listen;
	size_t threads;
	size_t http_threads;	/* 0: http_threads() */
	mode_t socket_mode;
	bool socket_mode_set;
	unsigned audit_repeats;	/* seconds; 0: every verdict written */
};

static void
serve_usage(FILE *out)
{
	fputs("usage: mtls serve [--config FILE] [--profile NAME] "
	    "--listen ADDR [--threads N]\n"
	    "                  [--http-threads N] [--socket-mode MODE]\n"
	    "                  [--audit-repeats SECONDS]\n"
	    "\n"
	    "Answer HTTP sub-requests from a web server (nginx "
	    "auth_request) with the\nverdict on the client certificate in "
	    "their X-Client-Cert header\n(percent-encoded PEM, as nginx's "
	    "$ssl_client_escaped_cert, or plain PEM):\n"
	    "200 with X-Mtls-User and X-Mtls-Reason: ok when accepted, 403 "
	    "with\nX-Mtls-Reason: REASON when rejected, 401 when no "
	    "certificate came.\nAn X-Mtls-Claimed-User header names the user "
	    "the certificate must map to.\n"
	    "\n"
	    "  --config FILE   read FILE (default " MTLS_CONFIG_FILE ")\n"
	    "  --profile NAME  use the profile NAME of the configuration\n"
	    "  --listen ADDR   127.0.0.1:PORT, [::1]:PORT (numeric "
	    "addresses) or\n"
	    "                  unix:/path\n"
	    "  --threads N     check in N worker threads what needs the "
	    "network, such as\n"
	    "                  an OCSP query (default 8); the rest is "
	    "decided at once\n"
	    "  --http-threads N\n"
	    "                  read, decide and answer requests in N "
	    "threads (default:\n"
	    "                  half the processors, at least 1; at most "
	    "16)\n"
	    "  --socket-mode MODE\n"
	    "                  make the unix: socket mode MODE (octal; "
	    "0660: only its\n"
	    "                  user and group may connect; default 0666)\n"
	    "  --audit-repeats SECONDS\n"
	    "                  write the audit line of a verdict once, then "
	    "count the\n"
	    "                  same verdict for the same certificate and "
	    "client for\n"
	    "                  SECONDS and write how many there were "
	    "(default 60;\n"
	    "                  0: a line for every request)\n"
	    "\n"
	    "Runs in the foreground as an unprivileged user, never as root; "
	    "SIGHUP\nreloads the configuration, SIGTERM stops.  "
	    "See mtls(1).\n"
	    "Exit status: 0 stopped by a signal, 2 usage, configuration or "
	    "I/O error.\n", out);
}

static const struct option serve_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "profile", required_argument, NULL, 'p' },
	{ "listen", required_argument, NULL, 'l' },
	{ "threads", required_argument, NULL, 't' },
	{ "http-threads", required_argument, NULL, 'H' },
	{ "socket-mode", required_argument, NULL, 'm' },
	{ "audit-repeats", required_argument, NULL, 'a' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/*
 * One write a message, as the audit lines on standard error are written
 * (serve_audit.c): three stdio calls on unbuffered stderr were three
 * writes, between which another thread's audit line could land.
 */
static void
vtell(const char *fmt, va_list ap)
{
	char msg[4096];	/* a longer message is cut */
	struct iovec iov[3] = {
		{ (void *)(uintptr_t)"mtls serve: ", strlen("mtls serve: ") },
		{ msg, 0 },
		{ (void *)(uintptr_t)"\n", 1 },
	};

	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	iov[1].iov_len = strlen(msg);
	(void)writev(STDERR_FILENO, iov, 3);
}

void
serve_tell(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vtell(fmt, ap);
	va_end(ap);
}

void
serve_say(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vtell(fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	vsyslog(priority, fmt, ap);
	va_end(ap);
}

/*
 * Half the processors this process may run on, within
 * 1..MAX_HTTP_THREADS.  What these threads do is processor work, a few
 * tens of microseconds a request, so one answers tens of thousands of
 * sub-requests a second.  The web server that asks them runs on the same
 * machine (auth_request reaches a local socket) and does more for each
 * request (TLS, the client's request, the sub-request, the application's
 * answer); and each thread more sleeps and is woken more often, for fewer
 * requests each time: on two processors, two threads cost about a fifth
 * more processor time a request than one.
 */
static size_t
http_threads(void)
{
	cpu_set_t cpus;
	int n;

	if (sched_getaffinity(0, sizeof(cpus), &cpus) != 0)
		return 1;
	n = CPU_COUNT(&cpus) / 2;
	return n < 1 ? 1 : n > MAX_HTTP_THREADS ? MAX_HTTP_THREADS : (size_t)n;
}

/* Load the configuration into ctx, in use or not. */
static int
configure(struct mtls_ctx *ctx, const struct serve_opts *opts)
{
	struct mtls_config *cfg;
	int ret;

	if ((cfg = command_config_load(opts->config_file,
	    opts->profile)) == NULL)
		return -1;
	if ((ret = mtls_ctx_configure(ctx, cfg)) != 0)
		warnx("%s", mtls_ctx_error(ctx));
	mtls_config_free(cfg);
	return ret;
}

/* Until SIGTERM or SIGINT; SIGHUP reloads. */
static void
wait_for_signals(struct mtls_ctx *ctx, const struct serve_opts *opts,
    const sigset_t *signals)
{
	int sig;

	for (;;) {
		if (sigwait(signals, &sig) != 0)
			continue;
		if (sig != SIGHUP) {
			serve_say(LOG_NOTICE, "stopping (signal %d)", sig);
			return;
		}
		/* A configuration that does not load changes nothing: the
		 * one in use goes on deciding. */
		if (configure(ctx, opts) == 0)
			serve_say(LOG_NOTICE, "reloaded %s", opts->config_file);
		else
			serve_say(LOG_ERR, "reloading %s failed (said above); the "
			    "configuration in use stays", opts->config_file);
	}
}

static int
serve(const struct serve_opts *opts)
{
	struct mtls_ctx *ctx;
	struct serve_pool *pool = NULL;
	struct serve_http *http = NULL;
	const char *unix_path = NULL;
	sigset_t signals;
	char err[512];
	size_t nhttp = opts->http_threads != 0 ? opts->http_threads :
	    http_threads();
	int fd, ret = MTLS_EXIT_TROUBLE;

	/* It reads certificates from the network: it needs no privilege,
	 * so it must hold none. */
	if (geteuid() == 0 || getuid() == 0) {
		warnx("refusing to run as root: run it as an unprivileged "
		    "user (mtls-serve.service does; by hand: runuser -u "
		    "nobody -- mtls serve ...)");
		return MTLS_EXIT_TROUBLE;
	}
	if (serve_mhd_load(err, sizeof(err)) != 0) {
		warnx("%s", err);
		return MTLS_EXIT_TROUBLE;
	}
	if ((ctx = mtls_ctx_new()) == NULL) {
		warnx("out of memory");
		return MTLS_EXIT_TROUBLE;
	}
	if (configure(ctx, opts) != 0)
		goto out;
	if ((fd = serve_listen(opts->listen, opts->socket_mode, &unix_path,
	    err, sizeof(err))) == -1) {
		warnx("%s", err);
		goto out;
	}
	serve_audit_start();
	/* Signals are taken by sigwait() alone: blocked before any thread
	 * starts, so every thread inherits the mask. */
	sigemptyset(&signals);
	sigaddset(&signals, SIGHUP);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGINT);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (serve_audit_repeats_start(opts->audit_repeats, err,
	    sizeof(err)) != 0) {
		close(fd);
		warnx("%s", err);
		goto out;
	}
	if ((pool = serve_pool_start(opts->threads, err,
	    sizeof(err))) == NULL ||
	    (http = serve_http_start(fd, nhttp, ctx, pool, err,
	    sizeof(err))) == NULL) {
		if (pool == NULL)
			close(fd);
		warnx("%s", err);
		goto out;
	}
	serve_say(LOG_NOTICE, "listening on %s (configuration %s, profile %s, "
	    "%zu HTTP thread%s, %zu worker threads, audit repeats counted "
	    "for %u s)", opts->listen, opts->config_file,
	    opts->profile != NULL ? opts->profile : "(none)", nhttp,
	    nhttp == 1 ? "" : "s", opts->threads, opts->audit_repeats);
	wait_for_signals(ctx, opts, &signals);
	ret = MTLS_EXIT_ACCEPTED;
out:
	if (http != NULL)
		serve_http_stop(http);
	if (pool != NULL) {
		serve_pool_close(pool);
		serve_pool_free(pool);
	}
	/* every request answered: the counts of their repeats are final */
	serve_audit_repeats_stop();
	if (unix_path != NULL)
		unlink(unix_path);
	mtls_ctx_free(ctx);
	return ret;
}

/* optarg as the number of threads of option, from 1 to max. */
static int
thread_count(const char *option, long max, size_t *count)
{
	char *end;
	long n;

	n = strtol(optarg, &end, 10);
	if (*optarg == '\0' || *end != '\0' || n < 1 || n > max) {
		usage_error("serve", "%s wants a number from 1 to %ld, not "
		    "'%s'", option, max, optarg);
		return -1;
	}
	*count = (size_t)n;
	return 0;
}

/* optarg as the seconds of --audit-repeats, from 0 to its maximum. */
static int
audit_repeats(unsigned *seconds)
{
	char *end;
	long n;

	n = strtol(optarg, &end, 10);
	if (*optarg == '\0' || *end != '\0' || n < 0 ||
	    n > MAX_AUDIT_REPEATS) {
		usage_error("serve", "--audit-repeats wants seconds from 0 "
		    "(a line for every request) to %d, not '%s'",
		    MAX_AUDIT_REPEATS, optarg);
		return -1;
	}
	*seconds = (unsigned)n;
	return 0;
}

/* optarg as the permissions of a Unix socket: octal, no more than 0777. */
static int
socket_mode(mode_t *mode)
{
	char *end;
	long n;

	n = strtol(optarg, &end, 8);
	if (*optarg == '\0' || *end != '\0' || n < 0 || n > 0777) {
		usage_error("serve", "--socket-mode wants an octal mode such "
		    "as 0660, not '%s'", optarg);
		return -1;
	}
	*mode = (mode_t)n;
	return 0;
}

int
serve_command(int argc, char *argv[])
{
	struct serve_opts opts = { .config_file = MTLS_CONFIG_FILE,
	    .threads = DEFAULT_THREADS, .socket_mode = DEFAULT_SOCKET_MODE,
	    .audit_repeats = DEFAULT_AUDIT_REPEATS };
	int c;

	if (argc >= 3 && (strcmp(argv[2], "--help") == 0 ||
	    strcmp(argv[2], "-h") == 0)) {
		serve_usage(stdout);
		return MTLS_EXIT_ACCEPTED;
	}
	optind = 2;	/* after "mtls serve" */
	while ((c = getopt_long(argc, argv, "h", serve_options, NULL)) != -1) {
		switch (c) {
		case 'c':
			opts.config_file = optarg;
			break;
		case 'p':
			opts.profile = optarg;
			break;
		case 'l':
			opts.listen = optarg;
			break;
		case 't':
			if (thread_count("--threads", MAX_THREADS,
			    &opts.threads) != 0)
				return MTLS_EXIT_TROUBLE;
			break;
		case 'H':
			if (thread_count("--http-threads", MAX_HTTP_THREADS,
			    &opts.http_threads) != 0)
				return MTLS_EXIT_TROUBLE;
			break;
		case 'm':
			if (socket_mode(&opts.socket_mode) != 0)
				return MTLS_EXIT_TROUBLE;
			opts.socket_mode_set = true;
			break;
		case 'a':
			if (audit_repeats(&opts.audit_repeats) != 0)
				return MTLS_EXIT_TROUBLE;
			break;
		case 'h':
			serve_usage(stdout);
			return MTLS_EXIT_ACCEPTED;
		default:
			fputs("Try 'mtls serve --help'.\n", stderr);
			return MTLS_EXIT_TROUBLE;
		}
	}
	if (optind < argc)
		return usage_error("serve", "unexpected argument '%s'",
		    argv[optind]);
	if (opts.listen == NULL)
		return usage_error("serve", "--listen ADDR is needed, such as "
		    "--listen 127.0.0.1:8081 or --listen unix:/run/mtls-serve/"
		    "http.sock");
	if (opts.socket_mode_set && strncmp(opts.listen, "unix:", 5) != 0)
		return usage_error("serve", "--socket-mode is for a unix: "
		    "address, not '%s'", opts.listen);
	return serve(&opts);
}
