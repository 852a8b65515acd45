/*
 * pam_driver.c - PAM handles driven the way long-lived applications (a
 * screen locker, a display manager, a session manager) drive them, with
 * pam_mtls.so source=env in the service.
 *
 * usage: pam_driver between CONFDIR SERVICE USER CERT.pem COMMAND [ARG...]
 *        pam_driver switch CONFDIR SERVICE USER CERT.pem OTHER-USER
 *        pam_driver cycles CONFDIR SERVICE USER CERT.pem COUNT
 *        pam_driver threads CONFDIR SERVICE USER CERT.pem COUNT
 *
 * between: authenticate, run COMMAND, then the account phase on the same
 * handle: how a certificate revoked in between is seen.  Prints
 * "authenticate: TEXT" and "account: TEXT" (pam_strerror) and each message
 * the user would see as "message: TEXT"; exit status 0 when both ran.
 *
 * switch: the same, but in between the application makes OTHER-USER the
 * PAM user, as a buggy or hostile application or module might.
 *
 * cycles: COUNT times pam_start, pam_authenticate, pam_acct_mgmt,
 * pam_end, which loads and unloads the module each time; every cycle must
 * succeed, and memory must stay flat after the first tenth (a leak or a
 * mapping left behind per cycle grows it): resident memory, or under a
 * sanitizer, whose allocator and stack records grow resident memory of
 * their own, the heap in use.  Under LeakSanitizer, any leak also fails
 * the run at exit.
 *
 * threads: the cycles in THREADS threads at once, COUNT each, as a
 * threaded server authenticates its clients; every cycle must succeed.
 */
#define _GNU_SOURCE	/* pam_start_confdir */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <security/pam_appl.h>

/* Growth tolerated over the measured cycles. */
#define FLAT_RSS_KB	1024
#define FLAT_HEAP_KB	256

/* The sanitizers' heap in use; absent without a sanitizer. */
extern size_t __sanitizer_get_current_allocated_bytes(void)
    __attribute__((weak));

#define THREADS		4

static int quiet;

static int
converse(int n, const struct pam_message **msg, struct pam_response **resp,
    void *arg)
{
	int i;

	(void)arg;
	*resp = NULL;
	for (i = 0; i < n; i++) {
		if (msg[i]->msg_style != PAM_ERROR_MSG &&
		    msg[i]->msg_style != PAM_TEXT_INFO)
			return PAM_CONV_ERR;
		if (!quiet)
			printf("message: %s\n", msg[i]->msg);
	}
	return PAM_SUCCESS;
}

/* "MTLS_PEER_CERT=<the file>", for pam_putenv. */
static char *
cert_entry(const char *path)
{
	static const char name[] = "MTLS_PEER_CERT=";
	FILE *f = fopen(path, "r");
	char *entry;
	size_t len;

	if (f == NULL || (entry = malloc(sizeof(name) + 65536)) == NULL) {
		perror(path);
		exit(2);
	}
	memcpy(entry, name, sizeof(name) - 1);
	len = fread(entry + sizeof(name) - 1, 1, 65536, f);
	entry[sizeof(name) - 1 + len] = '\0';
	fclose(f);
	return entry;
}

static pam_handle_t *
start(char **argv, const char *entry)
{
	static struct pam_conv conv = { converse, NULL };
	pam_handle_t *pamh;

	if (pam_start_confdir(argv[1], argv[2], &conv, argv[0], &pamh) !=
	    PAM_SUCCESS || pam_putenv(pamh, entry) != PAM_SUCCESS) {
		fprintf(stderr, "pam_driver: pam_start failed\n");
		exit(2);
	}
	return pamh;
}

static int
run(char **argv)
{
	int status;
	pid_t pid;

	fflush(stdout);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == -1)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Authenticate, run command or make other the user, then account. */
static int
two_phases(char **argv, char **command, const char *other)
{
	char *entry = cert_entry(argv[3]);
	pam_handle_t *pamh = start(argv, entry);
	int rc;

	free(entry);
	rc = pam_authenticate(pamh, 0);
	printf("authenticate: %s\n", pam_strerror(pamh, rc));
	fflush(stdout);
	if (command != NULL && run(command) == -1) {
		fprintf(stderr, "pam_driver: %s failed\n", command[0]);
		pam_end(pamh, rc);
		return 2;
	}
	if (other != NULL && pam_set_item(pamh, PAM_USER, other) !=
	    PAM_SUCCESS) {
		pam_end(pamh, rc);
		return 2;
	}
	rc = pam_acct_mgmt(pamh, 0);
	printf("account: %s\n", pam_strerror(pamh, rc));
	fflush(stdout);
	pam_end(pamh, rc);
	return 0;
}

/* The memory measured, in kB. */
static long
memory_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f;

	if (__sanitizer_get_current_allocated_bytes != NULL)
		return (long)(__sanitizer_get_current_allocated_bytes() / 1024);
	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* One cycle: PAM_SUCCESS when both phases succeeded. */
static int
cycle(char **argv, const char *entry)
{
	pam_handle_t *pamh = start(argv, entry);
	int rc;

	if ((rc = pam_authenticate(pamh, 0)) == PAM_SUCCESS)
		rc = pam_acct_mgmt(pamh, 0);
	pam_end(pamh, rc);
	return rc;
}

struct worker {
	char **argv;
	const char *entry;
	long count;
	int rc;
	pthread_t thread;
};

static void *
work(void *arg)
{
	struct worker *w = arg;
	long i;

	for (i = 0; i < w->count && w->rc == PAM_SUCCESS; i++)
		w->rc = cycle(w->argv, w->entry);
	return NULL;
}

static int
threads(char **argv, long count)
{
	struct worker w[THREADS];
	char *entry = cert_entry(argv[3]);
	int i, started = 0, failed = 0;

	quiet = 1;
	for (i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ argv, entry, count, PAM_SUCCESS, 0 };
		if (pthread_create(&w[i].thread, NULL, work, &w[i]) != 0)
			break;
		started++;
	}
	for (i = 0; i < started; i++) {
		pthread_join(w[i].thread, NULL);
		if (w[i].rc != PAM_SUCCESS) {
			fprintf(stderr, "pam_driver: thread %d: %s\n", i,
			    pam_strerror(NULL, w[i].rc));
			failed = 1;
		}
	}
	free(entry);
	printf("threads: %d, %ld cycles each%s\n", started, count,
	    failed || started < THREADS ? ": FAILED" : "");
	return failed || started < THREADS;
}

static int
cycles(char **argv, long count)
{
	const char *what = __sanitizer_get_current_allocated_bytes != NULL ?
	    "heap in use" : "resident memory";
	long flat = __sanitizer_get_current_allocated_bytes != NULL ?
	    FLAT_HEAP_KB : FLAT_RSS_KB;
	char *entry = cert_entry(argv[3]);
	long i, base = -1, now;
	int rc;

	quiet = 1;
	for (i = 0; i < count; i++) {
		if (i == count / 10)
			base = memory_kb();
		if ((rc = cycle(argv, entry)) != PAM_SUCCESS) {
			fprintf(stderr, "pam_driver: cycle %ld: %s\n", i + 1,
			    pam_strerror(NULL, rc));
			free(entry);
			return 1;
		}
	}
	free(entry);
	now = memory_kb();
	printf("cycles: %ld, %s %ld kB after %ld, %ld kB after %ld\n", count,
	    what, base, count / 10, now, count);
	if (base < 0 || now - base > flat) {
		fprintf(stderr, "pam_driver: %s grew by %ld kB over %ld "
		    "cycles\n", what, now - base, count - count / 10);
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 7 && strcmp(argv[1], "between") == 0)
		return two_phases(argv + 2, argv + 6, NULL);
	if (argc == 7 && strcmp(argv[1], "switch") == 0)
		return two_phases(argv + 2, NULL, argv[6]);
	if (argc == 7 && strcmp(argv[1], "cycles") == 0)
		return cycles(argv + 2, strtol(argv[6], NULL, 10));
	if (argc == 7 && strcmp(argv[1], "threads") == 0)
		return threads(argv + 2, strtol(argv[6], NULL, 10));
	fprintf(stderr, "usage: pam_driver between CONFDIR SERVICE USER "
	    "CERT.pem COMMAND [ARG...]\n"
	    "       pam_driver switch CONFDIR SERVICE USER CERT.pem "
	    "OTHER-USER\n"
	    "       pam_driver cycles CONFDIR SERVICE USER CERT.pem COUNT\n"
	    "       pam_driver threads CONFDIR SERVICE USER CERT.pem COUNT\n");
	return 2;
}
