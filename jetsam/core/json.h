/*
 * json.h - whole JSON documents: print, load and save, sorted keys
 *
 * Run records, threshold tables and device identities are JSON documents
 * rather than rows.  They are written with sorted keys, so the same value
 * gives the same bytes, and saved through a temporary file renamed into
 * place.  Rows go through emit.h.
 */
#ifndef JT_CORE_JSON_H
#define JT_CORE_JSON_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "error.h"

/*
 * jt_json_dump - write value (borrowed) to out with sorted keys: indented
 * when pretty, else compact; a newline follows.  Returns 0 or -1 (JT_EIO).
 * For commands whose JSON output is nested rather than rows.
 */
int jt_json_dump(FILE *out, const json_t *value, int pretty,
		 struct jt_error *err);

/*
 * jt_json_kind - what a JSON value is, for messages: "an object", "an
 * array", "a string", "a number", "a boolean" or "null".
 */
const char *jt_json_kind(const json_t *v);

/*
 * jt_json_load_file - read the JSON document at path (at most max_bytes;
 * duplicate keys rejected) and return a new reference (json_decref it), or
 * NULL with JT_EIO/JT_ELIMIT, or JT_EPARSE naming path, line and column.
 */
json_t *jt_json_load_file(const char *path, size_t max_bytes,
			  struct jt_error *err);

/*
 * jt_json_save_file - write value (borrowed) to path, pretty-printed with
 * sorted keys, through a temporary file renamed into place: on failure
 * nothing is left and an existing file at path is untouched.
 */
int jt_json_save_file(const char *path, const json_t *value,
		      struct jt_error *err);

#endif
