/*
 * The OpenVPN plugin's parts that need no OpenVPN: its arguments, the
 * version it refuses, the per-client state between TLS_VERIFY and the
 * password step (also when TLS sessions overlap), and the answers of a
 * deferred check.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "answer.h"
#include "args.h"
#include "auth_files.h"
#include "client.h"
#include "log.h"
#include "version.h"
#include "workers.h"

static int
parse(struct plugin_args *args, char *err, size_t errlen, ...)
{
	const char *argv[16] = { "/path/openvpn-plugin-mtls.so" };
	size_t n = 1;
	va_list ap;

	va_start(ap, errlen);
	while (n < 15 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	return args_parse(args, argv, err, errlen);
}

static void
test_args_all(void **state)
{
	struct plugin_args args;
	char err[256];

	(void)state;
	assert_int_equal(parse(&args, err, sizeof(err), "config=/x.conf",
	    "profile=vpn", "pam_service=openvpn", "bind_user=no", "workers=3",
	    NULL), 0);
	assert_string_equal(args.config, "/x.conf");
	assert_string_equal(args.profile, "vpn");
	assert_string_equal(args.pam_service, "openvpn");
	assert_int_equal(args.bind_user, 0);
	assert_int_equal(args.workers, 3);
	assert_true(args_need_user_pass(&args));
	args_free(&args);
}

static void
test_args_defaults(void **state)
{
	struct plugin_args args;
	char err[256];

	(void)state;
	assert_int_equal(parse(&args, err, sizeof(err), NULL), 0);
	assert_string_equal(args.config, MTLS_CONFIG_FILE);
	assert_null(args.profile);
	assert_null(args.pam_service);
	assert_int_equal(args.bind_user, 1);
	assert_int_equal(args.workers, ARGS_WORKERS_DEFAULT);
	/* the username is bound by default: clients must send one */
	assert_true(args_need_user_pass(&args));
	args_free(&args);
	assert_int_equal(parse(&args, err, sizeof(err), "bind_user=no",
	    NULL), 0);
	assert_false(args_need_user_pass(&args));
	args_free(&args);
}

/* Each bad argument line refuses, naming the argument. */
static void
test_args_refused(void **state)
{
	static const struct {
		const char	*arg1;
		const char	*arg2;
		const char	*named;
	} bad[] = {
		{ "colour=blue", NULL, "unknown argument \"colour\"" },
		{ "config", NULL, "is not key=value" },
		{ "config=", NULL, "config= has no value" },
		{ "config=/a", "config=/b", "config= is given twice" },
		{ "bind_user=maybe", NULL, "bind_user= must be yes or no" },
		{ "bind_user=no", "bind_user=yes", "bind_user= is given twice" },
		{ "workers=0", NULL, "workers= must be a number from 1" },
		{ "workers=257", NULL, "workers= must be a number from 1" },
		{ "workers=4x", NULL, "workers= must be a number from 1" },
		{ "workers=-1", NULL, "workers= must be a number from 1" },
		{ "configuration=/a", NULL, "unknown argument" },
	};
	struct plugin_args args;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(parse(&args, err, sizeof(err), bad[i].arg1,
		    bad[i].arg2, NULL), -1);
		if (strstr(err, bad[i].named) == NULL)
			fail_msg("%s %s: \"%s\" does not say \"%s\"",
			    bad[i].arg1, bad[i].arg2 ? bad[i].arg2 : "", err,
			    bad[i].named);
	}
}

static void
test_version(void **state)
{
	char err[256];

	(void)state;
	assert_true(version_supported(2, 6, ".14", err, sizeof(err)));
	assert_true(version_supported(2, 6, ".9", err, sizeof(err)));
	assert_true(version_supported(2, 7, "_git", err, sizeof(err)));
	assert_true(version_supported(3, 0, NULL, err, sizeof(err)));
	assert_false(version_supported(2, 6, ".8", err, sizeof(err)));
	assert_non_null(strstr(err, "2.6.8 is too old"));
	assert_false(version_supported(2, 6, "_git", err, sizeof(err)));
	assert_false(version_supported(2, 5, ".11", err, sizeof(err)));
	assert_false(version_supported(1, 9, ".0", err, sizeof(err)));
	assert_non_null(strstr(err, "2.6.9 or later"));
}

/* CA at depth 1, then the client certificate at depth 0, verified in
 * the TLS session named session. */
static void
handshake(struct client *client, const char *session, const char *ca,
    const char *leaf)
{
	assert_int_equal(client_add_cert(client, 1, ca, strlen(ca)), 0);
	assert_int_equal(client_add_cert(client, 0, leaf, strlen(leaf)), 0);
	assert_int_equal(client_handshake_verified(client, session, 0), 0);
}

/* The password step of session takes a chain whose leaf is leaf. */
static void
take_leaf(struct client *client, const char *session, const char *leaf)
{
	struct certs certs;

	assert_int_equal(client_take_verified(client, session, &certs), 0);
	assert_string_equal(certs.leaf.data, leaf);
	certs_clear(&certs);
}

static void
test_client_once(void **state)
{
	struct client *client = client_new();
	struct certs certs;

	(void)state;
	assert_non_null(client);
	/* nothing verified: the password step finds nothing */
	assert_int_equal(client_take_verified(client, "alice", &certs),
	    CLIENT_NO_CHAIN);
	assert_int_equal(client_add_cert(client, 1, "CA", 2), 0);
	assert_int_equal(client_add_cert(client, 0, "LEAF", 4), 0);
	assert_int_equal(client_handshake_verified(client, "alice", 1), 0);
	/* not for a session of another name */
	assert_int_equal(client_take_verified(client, "bob", &certs),
	    CLIENT_NO_CHAIN);
	assert_int_equal(client_take_verified(client, "alice", &certs), 0);
	assert_string_equal(certs.leaf.data, "LEAF");
	assert_int_equal(certs.ncas, 1);
	assert_string_equal(certs.cas[0].data, "CA");
	assert_int_equal(certs.network_owed, 1);
	certs_clear(&certs);
	/* one handshake's certificate serves one password step */
	assert_int_equal(client_take_verified(client, "alice", &certs),
	    CLIENT_NO_CHAIN);
	client_free(client);
}

static void
test_client_chains(void **state)
{
	struct client *client = client_new();
	struct certs certs;

	(void)state;
	/* a chain refused at depth 0 leaves nothing verified */
	assert_int_equal(client_add_cert(client, 1, "CA", 2), 0);
	assert_int_equal(client_add_cert(client, 0, "LEAF1", 5), 0);
	assert_int_equal(client_take_verified(client, "alice", &certs),
	    CLIENT_NO_CHAIN);
	/* nor does a chain refused above depth 0 count with the next */
	assert_int_equal(client_add_cert(client, 1, "EVILCA", 6), 0);
	/* a chain with an intermediate: depths 2, 1, 0 are one chain */
	assert_int_equal(client_add_cert(client, 2, "ROOT", 4), 0);
	handshake(client, "alice", "SUB", "LEAF3");
	assert_int_equal(client_take_verified(client, "alice", &certs), 0);
	assert_int_equal(certs.ncas, 2);
	assert_string_equal(certs.cas[0].data, "ROOT");
	assert_string_equal(certs.cas[1].data, "SUB");
	assert_string_equal(certs.leaf.data, "LEAF3");
	certs_clear(&certs);
	client_free(client);
}

/*
 * Two TLS sessions of one client overlap: the second's TLS_VERIFY comes
 * between the first's TLS_VERIFY and its password step.  Each password
 * step gets its own session's chain; when the sessions share a name and
 * their chains differ, neither can tell which is its own.
 */
static void
test_client_sessions_overlap(void **state)
{
	struct client *client = client_new();
	struct certs certs;

	(void)state;
	handshake(client, "alice", "CA", "ALICE");
	handshake(client, "mallory", "CA", "MALLORY");
	take_leaf(client, "alice", "ALICE");
	take_leaf(client, "mallory", "MALLORY");
	/* the same name: a revoked certificate, and one its holder only
	 * replays (TLS_VERIFY sees it before the handshake proves the key) */
	handshake(client, "alice", "CA", "REVOKED");
	handshake(client, "alice", "CA", "REPLAYED");
	assert_int_equal(client_take_verified(client, "alice", &certs),
	    CLIENT_AMBIGUOUS);
	assert_null(certs.leaf.data);
	client_free(client);
	/* the same name and the same chain (a renegotiation overlapping a
	 * reconnection): either serves, once each */
	client = client_new();
	handshake(client, "alice", "CA", "ALICE");
	handshake(client, "alice", "CA", "ALICE");
	take_leaf(client, "alice", "ALICE");
	take_leaf(client, "alice", "ALICE");
	assert_int_equal(client_take_verified(client, "alice", &certs),
	    CLIENT_NO_CHAIN);
	/* client-connect after username-as-common-name knows no session
	 * name: any session's chain serves, unless they differ */
	handshake(client, "Alice Example", "CA", "ALICE");
	take_leaf(client, NULL, "ALICE");
	handshake(client, "Alice Example", "CA", "ALICE");
	handshake(client, "mallory", "CA", "MALLORY");
	assert_int_equal(client_take_verified(client, NULL, &certs),
	    CLIENT_AMBIGUOUS);
	take_leaf(client, "mallory", "MALLORY");
	take_leaf(client, NULL, "ALICE");
	/* chains of handshakes that died are forgotten, oldest first */
	handshake(client, "alice", "CA", "OLD");
	for (int i = 0; i < CLIENT_MAX_PENDING; i++)
		handshake(client, "alice", "CA", "NEW");
	take_leaf(client, "alice", "NEW");
	client_free(client);
}

/*
 * Chains of handshakes that died push out the oldest.  A client whose own
 * certificate is revoked where only the later check looks (its OCSP
 * responder) starts sessions with someone else's, which TLS_VERIFY
 * passes before the handshake fails for want of its key, until its own
 * chain is forgotten; its own session then connects with OpenVPN's
 * token.  client-connect, asking about any session (its name is the
 * username, maybe by username-as-common-name), must not take the other
 * certificate for its own: once a chain was forgotten, it cannot tell.
 */
static void
test_client_forgotten_chain_is_not_any(void **state)
{
	struct client *client = client_new();
	struct certs certs;

	(void)state;
	handshake(client, "mallory", "CA", "MALLORY");
	for (int i = 0; i < CLIENT_MAX_PENDING; i++)
		handshake(client, "alice", "CA", "ALICE");
	assert_int_equal(client_take_verified(client, NULL, &certs),
	    CLIENT_AMBIGUOUS);
	assert_null(certs.leaf.data);
	/* a session's own name still finds its own */
	take_leaf(client, "alice", "ALICE");
	client_free(client);
}

static void
test_client_judged(void **state)
{
	struct client *client = client_new();
	struct answer *first, *second;

	(void)state;
	/* no password step yet: client-connect must check (auth-gen-token) */
	assert_false(client_accepted(client, "alice", "alice"));
	first = answer_new();
	second = answer_new();
	assert_non_null(first);
	assert_non_null(second);
	assert_int_equal(client_judged(client, "alice", "alice", first), 0);
	/* judged, not yet accepted: a connection of another session (with
	 * OpenVPN's token) does not pass on a refusal yet to come */
	assert_int_equal(answer_get(first), ANSWER_PENDING);
	assert_false(client_accepted(client, "alice", "alice"));
	answer_give(first, 1);
	assert_true(client_accepted(client, "alice", "alice"));
	assert_false(client_accepted(client, "bob", "alice"));
	assert_false(client_accepted(client, "alice", "bob"));
	assert_false(client_accepted(client, NULL, "alice"));
	/* in any session (client-connect after username-as-common-name) */
	assert_true(client_accepted(client, "alice", NULL));
	assert_false(client_accepted(client, "bob", NULL));
	/* another session's refusal takes nothing from the first */
	assert_int_equal(client_judged(client, "bob", "bob", second), 0);
	answer_give(second, 0);
	assert_false(client_accepted(client, "bob", "bob"));
	assert_true(client_accepted(client, "alice", "alice"));
	/* the worker is done with its answers before the client goes */
	answer_release(first);
	client_free(client);
	/* or after */
	answer_release(second);
}

static void *
give_accepted(void *arg)
{
	struct answer *answer = arg;

	answer_give(answer, 1);
	answer_release(answer);
	return NULL;
}

/* A worker gives the answer and lets go of it while OpenVPN's thread
 * asks for it (clean under ThreadSanitizer). */
static void
test_answer_threads(void **state)
{
	struct answer *answer = answer_new();
	pthread_t thread;

	(void)state;
	assert_non_null(answer);
	assert_int_equal(pthread_create(&thread, NULL, give_accepted,
	    answer_hold(answer)), 0);
	while (answer_get(answer) == ANSWER_PENDING)
		sched_yield();
	assert_int_equal(answer_get(answer), ANSWER_ACCEPTED);
	answer_release(answer);
	assert_int_equal(pthread_join(thread, NULL), 0);
}

static char *
slurp(const char *path)
{
	static char buf[512];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void
test_auth_files(void **state)
{
	char dir[] = "/tmp/mtls-ovpn-auth.XXXXXX", control[64], reason[64];
	char envc[96], envr[96];
	const char *envp[3] = { envc, envr, NULL };
	struct logger log = { NULL };
	struct auth_files files;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(control, sizeof(control), "%s/control", dir);
	snprintf(reason, sizeof(reason), "%s/reason", dir);
	snprintf(envc, sizeof(envc), "auth_control_file=%s", control);
	snprintf(envr, sizeof(envr), "auth_failed_reason_file=%s", reason);
	/* OpenVPN makes both files; the plugin only writes them */
	assert_true((fd = open(control, O_CREAT | O_WRONLY, 0600)) >= 0);
	close(fd);
	assert_true((fd = open(reason, O_CREAT | O_WRONLY, 0600)) >= 0);
	close(fd);
	assert_int_equal(auth_files_copy(&files, envp), 0);
	auth_files_answer(&files, 0, "Your certificate\nhas been revoked.",
	    &log);
	assert_string_equal(slurp(control), "0");
	/* one line: the client shows it after AUTH_FAILED, */
	assert_string_equal(slurp(reason), "Your certificate has been revoked.");
	auth_files_answer(&files, 1, NULL, &log);
	assert_string_equal(slurp(control), "1");
	/* an acceptance leaves the reason as it was */
	assert_string_equal(slurp(reason), "Your certificate has been revoked.");
	/* OpenVPN gave up on the client and removed its files: an answer
	 * that comes later makes none again in OpenVPN's tmp-dir */
	unlink(control);
	unlink(reason);
	auth_files_answer(&files, 0, "Your certificate has expired.", &log);
	assert_null(slurp(control));
	assert_null(slurp(reason));
	/* nor does it wait on a FIFO put where the control file was */
	assert_int_equal(mkfifo(control, 0600), 0);
	auth_files_answer(&files, 0, "Your certificate has expired.", &log);
	assert_null(slurp(reason));
	auth_files_free(&files);
	/* no auth_control_file: nothing to answer in, refused at once */
	envp[0] = envr;
	envp[1] = NULL;
	assert_int_equal(auth_files_copy(&files, envp), -1);
	unlink(control);
	rmdir(dir);
}

struct counted_job {
	struct job	 job;
	struct tally	*tally;
};

struct tally {
	pthread_mutex_t	 lock;
	int		 ran;
	int		 cancelled;
};

static void
count(struct job *job, int stopping)
{
	struct counted_job *cj = (struct counted_job *)job;

	pthread_mutex_lock(&cj->tally->lock);
	if (stopping)
		cj->tally->cancelled++;
	else
		cj->tally->ran++;
	pthread_mutex_unlock(&cj->tally->lock);
	if (!stopping)
		usleep(100);
	free(cj);
}

/*
 * Every job is answered exactly once: run by a worker, or, when the pool
 * closes first (SIGHUP), cancelled; closing joins every thread.
 */
static void
test_workers(void **state)
{
	struct tally tally = { PTHREAD_MUTEX_INITIALIZER, 0, 0 };
	struct workers *workers = workers_new(4);
	const int n = 400;
	unsigned running;

	(void)state;
	assert_non_null(workers);
	for (int i = 0; i < n; i++) {
		struct counted_job *cj = calloc(1, sizeof(*cj));

		assert_non_null(cj);
		cj->job.run = count;
		cj->tally = &tally;
		assert_int_equal(workers_submit(workers, &cj->job, &running),
		    0);
		assert_true(running >= 1 && running <= 4);
	}
	/* let the workers take some, then close with others still queued */
	for (int waited = 0, ran = 0; ran < n / 4 && waited < 2000; waited++) {
		usleep(1000);
		pthread_mutex_lock(&tally.lock);
		ran = tally.ran;
		pthread_mutex_unlock(&tally.lock);
	}
	workers_free(workers);
	assert_int_equal(tally.ran + tally.cancelled, n);
	assert_true(tally.ran >= n / 4);
}

/* A job that waits until the gate opens. */
struct gated_job {
	struct job	 job;
	struct tally	*tally;
	int		 gate;		/* read end of a pipe */
};

static void
wait_gate(struct job *job, int stopping)
{
	struct gated_job *gj = (struct gated_job *)job;
	char c;

	if (!stopping)
		(void)!read(gj->gate, &c, 1);
	pthread_mutex_lock(&gj->tally->lock);
	gj->tally->ran += !stopping;
	pthread_mutex_unlock(&gj->tally->lock);
	free(gj);
}

/* The threads of this process, from /proc; 0 when unknown. */
static unsigned
threads_now(void)
{
	char line[128];
	unsigned n = 0;
	FILE *f = fopen("/proc/self/status", "r");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Threads: %u", &n) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return n;
}

/* The child of test_workers_process_limit(); its exit status says what
 * went wrong. */
static int
process_limit_child(void)
{
	struct tally tally = { PTHREAD_MUTEX_INITIALIZER, 0, 0 };
	struct rlimit one_more;
	struct workers *workers;
	unsigned running = 0;
	int gate[2], rc[3];
	/* a user nobody else runs as: its tasks are this process's threads
	 * (a sanitizer may have its own), and one more fits */
	const uid_t uid = 4000000000u + (uid_t)getpid() % 100000;

	one_more.rlim_cur = one_more.rlim_max = threads_now() + 1;
	if (one_more.rlim_cur < 2 || pipe(gate) != 0 ||
	    setrlimit(RLIMIT_NPROC, &one_more) != 0 ||
	    setgid(uid) != 0 || setuid(uid) != 0 ||
	    (workers = workers_new(4)) == NULL)
		return 10;
	for (int i = 0; i < 3; i++) {
		struct gated_job *gj = calloc(1, sizeof(*gj));

		if (gj == NULL)
			return 11;
		gj->job.run = wait_gate;
		gj->tally = &tally;
		gj->gate = gate[0];
		/* no thread is ever idle: each job wants a new one */
		rc[i] = workers_submit(workers, &gj->job, &running);
	}
	if (write(gate[1], "xxx", 3) != 3)
		return 12;
	/* the one thread runs them all, one after the other */
	for (int waited = 0, ran = 0; ran < 3 && waited < 5000; waited++) {
		usleep(1000);
		pthread_mutex_lock(&tally.lock);
		ran = tally.ran;
		pthread_mutex_unlock(&tally.lock);
	}
	workers_free(workers);
	if (rc[0] != 0 || rc[1] != WORKERS_SHORT || rc[2] != 0)
		return 13;
	if (running != 1)
		return 14;
	return tally.ran == 3 ? 0 : 15;
}

/*
 * Under a process limit (Debian's LimitNPROC, once OpenVPN dropped root)
 * the pool runs with the threads it could start, says so once, and still
 * runs every check.
 */
static void
test_workers_process_limit(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	if (geteuid() != 0)
		skip();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(process_limit_child());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args_all),
		cmocka_unit_test(test_args_defaults),
		cmocka_unit_test(test_args_refused),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_client_once),
		cmocka_unit_test(test_client_chains),
		cmocka_unit_test(test_client_sessions_overlap),
		cmocka_unit_test(test_client_forgotten_chain_is_not_any),
		cmocka_unit_test(test_client_judged),
		cmocka_unit_test(test_answer_threads),
		cmocka_unit_test(test_auth_files),
		cmocka_unit_test(test_workers),
		cmocka_unit_test(test_workers_process_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
