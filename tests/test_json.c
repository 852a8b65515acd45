/* The --json writer: whatever bytes a certificate name holds, the output
 * is valid JSON that says the same thing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "json.h"

/* json_string(s) as text; the caller frees it. */
static char *
quoted(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	json_string(f, s);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
assert_quoted(const char *s, const char *expected)
{
	char *got = quoted(s);

	assert_string_equal(got, expected);
	free(got);
}

static void
plain_and_null(void **state)
{
	(void)state;
	assert_quoted("CN=alice,O=Example", "\"CN=alice,O=Example\"");
	assert_quoted("", "\"\"");
	assert_quoted(NULL, "null");
}

static void
specials_escaped(void **state)
{
	(void)state;
	assert_quoted("a\"b\\c", "\"a\\\"b\\\\c\"");
	assert_quoted("l1\nl2\r\t", "\"l1\\nl2\\r\\t\"");
	assert_quoted("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	/* a forward slash needs no escape */
	assert_quoted("a/b", "\"a/b\"");
}

static void
valid_utf8_kept(void **state)
{
	(void)state;
	assert_quoted("CN=J\xc3\xa9r\xc3\xb4me", "\"CN=J\xc3\xa9r\xc3\xb4me\"");
	assert_quoted("\xed\x95\x9c\xea\xb5\xad",
	    "\"\xed\x95\x9c\xea\xb5\xad\"");
	assert_quoted("\xf0\x9f\x94\x91", "\"\xf0\x9f\x94\x91\"");
	assert_quoted("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");
}

static void
invalid_utf8_replaced(void **state)
{
	(void)state;
	assert_quoted("a\xff" "b", "\"a\\ufffdb\"");
	/* a continuation byte alone */
	assert_quoted("\x80", "\"\\ufffd\"");
	/* overlong "/" */
	assert_quoted("\xc0\xaf", "\"\\ufffd\\ufffd\"");
	/* overlong 3-byte form of U+007F */
	assert_quoted("\xe0\x81\xbf", "\"\\ufffd\\ufffd\\ufffd\"");
	/* UTF-16 surrogate U+D800 */
	assert_quoted("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
	/* past U+10FFFF */
	assert_quoted("\xf4\x90\x80\x80",
	    "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	/* cut short by the end of the string */
	assert_quoted("x\xe2\x82", "\"x\\ufffd\\ufffd\"");
}

static void
object_with_array(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	(void)state;
	assert_non_null(f);
	json_init(&j, f);
	json_object_begin(&j);
	json_member_string(&j, "verdict", "accepted");
	json_member_array_begin(&j, "empty");
	json_array_end(&j);
	json_member_array_begin(&j, "chain");
	json_array_string(&j, "CN=leaf");
	json_array_string(&j, NULL);
	json_array_end(&j);
	json_member_string(&j, "note", NULL);
	json_object_end(&j);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "{\"verdict\":\"accepted\",\"empty\":[],"
	    "\"chain\":[\"CN=leaf\",null],\"note\":null}\n");
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_and_null),
		cmocka_unit_test(specials_escaped),
		cmocka_unit_test(valid_utf8_kept),
		cmocka_unit_test(invalid_utf8_replaced),
		cmocka_unit_test(object_with_array),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
