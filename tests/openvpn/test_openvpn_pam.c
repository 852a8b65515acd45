/*
 * The OpenVPN plugin's PAM helper with real PAM stacks, as root (skipped
 * otherwise): a module that waits for a program it started (pam_exec)
 * answers, and a stack that never answers leaves nothing running once
 * the plugin stopped waiting for it.  The services are files
 * /etc/pam.d/SERVICE-exec and SERVICE-hang, removed again however the
 * tests end; openvpn_pam_test.sh runs it, with a SERVICE of
 * scripts/harness.sh's run_names, so that what a run killed with SIGKILL
 * left is removed by the next.
 *
 * usage: test_openvpn_pam SERVICE
 */
#include <sys/types.h>

#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "pam_helper.h"

/* Seconds the processes of a question may outlive the plugin's wait. */
#define CLEANUP_SECONDS	5

/* The prefix of the services' names (run_names' run_service). */
static const char *service_prefix;
static char exec_service[128], hang_service[128];
/* The argument of the hanging program: this run's alone. */
static char hang_seconds[32];

static void
service_path(char *path, size_t len, const char *service)
{
	snprintf(path, len, "/etc/pam.d/%s", service);
}

static int
service_write(const char *service, const char *text)
{
	char path[160];
	FILE *f;

	service_path(path, sizeof(path), service);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void
services_remove(void)
{
	char path[160];

	service_path(path, sizeof(path), exec_service);
	unlink(path);
	service_path(path, sizeof(path), hang_service);
	unlink(path);
}

/*
 * The processes running "/bin/sleep hang_seconds", killed with sig
 * unless it is 0; how many there were.
 */
static int
hang_processes(int sig)
{
	struct dirent *d;
	char want[64], path[sizeof(d->d_name) + 16], cmdline[64];
	size_t wantlen;
	DIR *proc;
	ssize_t n;
	int fd, found = 0;

	wantlen = (size_t)snprintf(want, sizeof(want), "/bin/sleep%c%s",
	    '\0', hang_seconds) + 1;
	if ((proc = opendir("/proc")) == NULL)
		return -1;
	while ((d = readdir(proc)) != NULL) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", d->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			continue;
		n = read(fd, cmdline, sizeof(cmdline));
		close(fd);
		if (n != (ssize_t)wantlen || memcmp(cmdline, want, wantlen) != 0)
			continue;
		found++;
		if (sig != 0)
			kill((pid_t)atol(d->d_name), sig);
	}
	closedir(proc);
	return found;
}

static int
setup(void **state)
{
	char text[256];

	(void)state;
	snprintf(exec_service, sizeof(exec_service), "%s-exec",
	    service_prefix);
	snprintf(hang_service, sizeof(hang_service), "%s-hang",
	    service_prefix);
	snprintf(hang_seconds, sizeof(hang_seconds), "86%ld", (long)getpid());
	snprintf(text, sizeof(text), "auth required pam_exec.so quiet "
	    "/bin/sleep %s\naccount required pam_permit.so\n", hang_seconds);
	if (service_write(exec_service, "auth required pam_exec.so quiet "
	    "/bin/true\naccount required pam_permit.so\n") != 0 ||
	    service_write(hang_service, text) != 0) {
		services_remove();
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	services_remove();
	/* what a failed test left running */
	hang_processes(SIGKILL);
	return 0;
}

/* pam_exec waits for its program: the helper's processes let it. */
static void
test_module_waits_for_its_program(void **state)
{
	struct pam_helper *helper;
	char err[256], detail[256];

	(void)state;
	helper = pam_helper_start(exec_service, err, sizeof(err));
	assert_non_null(helper);
	assert_int_equal(pam_helper_check(helper, "alice", "secret",
	    "192.0.2.7", detail, sizeof(detail)), 1);
	pam_helper_stop(helper);
}

/*
 * A stack that never answers: the client is refused when the plugin's
 * wait ends, and the program the stack started is gone soon after.
 */
static void
test_silent_stack_ends(void **state)
{
	struct pam_helper *helper;
	char err[256], detail[256];
	int running = 1;

	(void)state;
	helper = pam_helper_start(hang_service, err, sizeof(err));
	assert_non_null(helper);
	assert_int_equal(pam_helper_check(helper, "alice", "secret", "",
	    detail, sizeof(detail)), -1);
	assert_string_equal(detail, "PAM did not answer within 30 s");
	for (int i = 0; i < CLEANUP_SECONDS * 10 &&
	    (running = hang_processes(0)) > 0; i++)
		nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
	assert_int_equal(running, 0);
	pam_helper_stop(helper);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module_waits_for_its_program),
		cmocka_unit_test(test_silent_stack_ends),
	};

	if (argc != 2 || strchr(argv[1], '/') != NULL ||
	    strlen(argv[1]) > 64) {
		fprintf(stderr, "usage: test_openvpn_pam SERVICE\n");
		return 2;
	}
	service_prefix = argv[1];
	if (access("/bin/sleep", X_OK) != 0 || access("/bin/true", X_OK) != 0) {
		printf("test_openvpn_pam: skipped: no /bin/sleep or /bin/true\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
