#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

struct tpki_std pki;

int
pki_setup(void **state)
{
	(void)state;
	tpki_std_make(&pki);
	return 0;
}

int
pki_teardown(void **state)
{
	(void)state;
	tpki_std_free(&pki);
	return 0;
}

void
testutil_assert_contains(const char *text, const char *part,
    const char *file, int line)
{
	if (strstr(text, part) != NULL)
		return;
	print_error("ERROR: \"%s\" does not contain \"%s\"\n", text, part);
	_fail(file, line);
}
