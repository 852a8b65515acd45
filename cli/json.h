/*
 * json.h - a small JSON writer for the command's --json output.
 *
 * Certificate names come from whoever made the certificate: every string is
 * escaped here so the output is always one valid JSON document, whatever
 * bytes a name holds (invalid UTF-8 becomes U+FFFD).
 */
#ifndef MTLS_CLI_JSON_H
#define MTLS_CLI_JSON_H

#include <stdbool.h>
#include <stdio.h>

/* Deepest nesting of objects and arrays the writer keeps track of. */
#define JSON_MAX_DEPTH 8

struct json {
	FILE *out;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* nothing written yet at this level */
};

/* Start writing to out. */
void json_init(struct json *j, FILE *out);

/* Write s as a quoted, escaped JSON string; NULL writes null. */
void json_string(FILE *out, const char *s);

void json_object_begin(struct json *j);
/* Closes the object; at the outermost level also ends the line. */
void json_object_end(struct json *j);

/* "key": "value" (null when value is NULL) inside an object. */
void json_member_string(struct json *j, const char *key, const char *value);
/* "key": value, a number, inside an object. */
void json_member_int(struct json *j, const char *key, long long value);
/* "key": true or false inside an object. */
void json_member_bool(struct json *j, const char *key, bool value);
/* "key": null inside an object. */
void json_member_null(struct json *j, const char *key);
/* "key": [ inside an object; close with json_array_end(). */
void json_member_array_begin(struct json *j, const char *key);
/* An element of the current array. */
void json_array_string(struct json *j, const char *value);
void json_array_end(struct json *j);

#endif /* MTLS_CLI_JSON_H */
