/*
 * The OpenVPN plugin's PAM helper with real PAM stacks, as root (skipped
 * otherwise): a module that waits for a program it started (pam_exec)
 * answers.  The services are files /etc/pam.d/mtls-test-ovpn-pam-PID-*,
 * removed again however the tests end.
 */
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pam_helper.h"

static char exec_service[64];

static void
service_path(char *path, size_t len, const char *service)
{
	snprintf(path, len, "/etc/pam.d/%s", service);
}

static int
service_write(const char *service, const char *text)
{
	char path[128];
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
	char path[128];

	service_path(path, sizeof(path), exec_service);
	unlink(path);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(exec_service, sizeof(exec_service),
	    "mtls-test-ovpn-pam-%ld-exec", (long)getpid());
	if (service_write(exec_service, "auth required pam_exec.so quiet "
	    "/bin/true\naccount required pam_permit.so\n") != 0) {
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module_waits_for_its_program),
	};

	if (geteuid() != 0) {
		printf("test_openvpn_pam: skipped: needs root, to install PAM "
		    "services in /etc/pam.d\n");
		return 77;
	}
	if (access("/bin/true", X_OK) != 0) {
		printf("test_openvpn_pam: skipped: no /bin/true\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
