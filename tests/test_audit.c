/*
 * The audit line: every value a certificate can influence stays inside
 * its quotes, so a subject or user name cannot forge a field that log
 * searches and alerting read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit.h"
#include "finding.h"
#include "testutil.h"
#include "verdict.h"

/* What certname_subject() makes of "CN=x\" verdict=accepted user=root". */
#define FORGED "CN=x\\x5c\" verdict=accepted user=root reason=ok"

static size_t
count(const char *s, char c)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == c;
	return n;
}

static void
rejected_line_keeps_a_forged_subject_quoted(void **state)
{
	struct mtls_verdict v;
	char *line;

	(void)state;
	memset(&v, 0, sizeof(v));
	finding_set(&v.finding, MTLS_R_UNTRUSTED_ROOT, "'%s' is self-signed",
	    FORGED);
	v.subject = FORGED;
	v.issuer = FORGED;
	line = audit_line("vpn", &v, NULL, 0);
	assert_non_null(line);
	assert_contains(line, "verdict=rejected reason=untrusted-root ");
	assert_contains(line, "subject=\"CN=x\\x5c\\x22 verdict=accepted "
	    "user=root reason=ok\"");
	assert_contains(line, " user=- ");
	assert_contains(line, "explanation=\"'CN=x\\x5c\\x22 verdict=");
	/* subject, issuer and explanation: each a pair of quotes */
	assert_int_equal(count(line, '"'), 6);
	free(line);
}

static void
accepted_line_keeps_a_forged_user_quoted(void **state)
{
	struct mtls_verdict v;
	char *line;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.subject = "CN=alice";
	v.issuer = "CN=Test Root";
	v.serial = "01";
	v.fingerprint = "ab:cd";
	v.user = "alice\" verdict=accepted";
	line = audit_line(NULL, &v, NULL, 0);
	assert_non_null(line);
	assert_contains(line, "profile=- verdict=accepted reason=ok "
	    "subject=\"CN=alice\" issuer=\"CN=Test Root\" serial=01 "
	    "fingerprint=ab:cd user=\"alice\\x22 verdict=accepted\"");
	assert_null(strstr(line, "explanation="));
	assert_int_equal(count(line, '"'), 6);
	free(line);
}

/*
 * An offline verification that left OCSP to the network decided nothing:
 * its line must not read as a refusal of a client that then connects.
 */
static void
owed_offline_line_is_deferred_not_rejected(void **state)
{
	struct mtls_verdict v;
	char *line;

	(void)state;
	memset(&v, 0, sizeof(v));
	finding_set(&v.finding, MTLS_R_REVOCATION_UNAVAILABLE, "no OCSP "
	    "answer in the cache, and this check may not use the network");
	v.subject = "CN=alice";
	v.network_owed = true;
	line = audit_line("vpn", &v, NULL, 0);
	assert_non_null(line);
	assert_contains(line, "profile=vpn verdict=deferred "
	    "reason=revocation-unavailable ");
	assert_contains(line, "explanation=\"no OCSP answer");
	free(line);

	v.network_owed = false;
	line = audit_line("vpn", &v, NULL, 0);
	assert_non_null(line);
	assert_contains(line, "verdict=rejected reason=revocation-unavailable ");
	free(line);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rejected_line_keeps_a_forged_subject_quoted),
		cmocka_unit_test(accepted_line_keeps_a_forged_user_quoted),
		cmocka_unit_test(owed_offline_line_is_deferred_not_rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
