/*
 * json.c - whole JSON documents through jansson, sorted keys
 */
#include "json.h"

#include <errno.h>
#include <stdlib.h>

#include "fileio.h"

#define JSON_FLAGS_PRETTY                                                      \
	(JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(6))
#define JSON_FLAGS_COMPACT                                                     \
	(JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(6))

int
jt_json_dump(FILE *out, const json_t *value, int pretty, struct jt_error *err)
{
	if (json_dumpf(value, out,
		       pretty ? JSON_FLAGS_PRETTY : JSON_FLAGS_COMPACT) != 0 ||
	    fputc('\n', out) == EOF)
		return jt_error_set_errno(err, errno, NULL,
					  "cannot write output");
	return 0;
}

json_t *
jt_json_load_file(const char *path, size_t max_bytes, struct jt_error *err)
{
	char *buf;
	size_t len;
	json_t *obj;
	json_error_t je;

	if (jt_read_file(path, max_bytes, &buf, &len, err) < 0)
		return NULL;
	obj = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	free(buf);
	if (obj == NULL)
		jt_error_set(err, JT_EPARSE, path, je.line, je.column, "%s",
			     je.text);
	return obj;
}

int
jt_json_save_file(const char *path, const json_t *value, struct jt_error *err)
{
	struct jt_atomic a;
	FILE *fp = jt_atomic_open(&a, path, err);

	if (fp == NULL)
		return -1;
	if (jt_json_dump(fp, value, 1, err) < 0) {
		jt_atomic_abort(&a);
		return -1;
	}
	return jt_atomic_commit(&a, 0, err);
}

const char *
jt_json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}
