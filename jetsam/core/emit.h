/*
 * emit.h - one emitter for every command's rows: table, csv, json, jsonl
 *
 * Data flows model -> rows -> emitter, so each command builds rows once and
 * every output format stays consistent.  JSON objects always have sorted
 * keys, so the same rows give byte-identical output.
 */
#ifndef JT_EMIT_H
#define JT_EMIT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "error.h"

enum jt_format {
	JT_FORMAT_TABLE, /* aligned columns for people */
	JT_FORMAT_CSV,   /* RFC 4180: CRLF, quoted when needed */
	JT_FORMAT_JSON,  /* one array of objects, indented */
	JT_FORMAT_JSONL  /* one compact object per line */
};

enum jt_cell_type {
	JT_CELL_NULL,
	JT_CELL_STR,
	JT_CELL_INT,
	JT_CELL_REAL,
	JT_CELL_BOOL
};

/* A cell borrows its string; the emitter copies what it keeps. */
struct jt_cell {
	enum jt_cell_type type;
	const char *s;
	int64_t i;
	double r;
};

struct jt_emitter;

/* Cell constructors.  jt_cell_str(NULL) is a null cell. */
struct jt_cell jt_cell_null(void);
struct jt_cell jt_cell_str(const char *s);
struct jt_cell jt_cell_int(int64_t i);
/* jt_cell_int_known - null when i < 0 (the library's "unknown" value). */
struct jt_cell jt_cell_int_known(int64_t i);
struct jt_cell jt_cell_real(double r);
struct jt_cell jt_cell_bool(int b);

/*
 * jt_format_parse - "table", "csv", "json" or "jsonl" to *out.  Returns 0, or
 * -1 with JT_EUSAGE naming the bad value.
 */
int jt_format_parse(const char *name, enum jt_format *out,
		    struct jt_error *err);

/* jt_format_name - the name jt_format_parse accepts for fmt. */
const char *jt_format_name(enum jt_format fmt);

/*
 * jt_emitter_new - a new emitter writing to out (borrowed, not closed) with
 * the given column names (copied).  Returns NULL with JT_ENOMEM on failure.
 * Free with jt_emitter_free.
 */
struct jt_emitter *jt_emitter_new(FILE *out, enum jt_format fmt,
				  const char *const *columns, size_t ncolumns,
				  struct jt_error *err);

/*
 * jt_emitter_row - add one row of exactly ncolumns cells (borrowed).  Table
 * output is buffered until jt_emitter_end, to align it; other formats are
 * written at once.  Returns 0, or -1 on a write or allocation failure.
 */
int jt_emitter_row(struct jt_emitter *em, const struct jt_cell *cells,
		   struct jt_error *err);

/*
 * jt_emitter_end - flush buffered rows and close the JSON array.  Returns 0,
 * or -1 with JT_EIO if the stream reported a write error.  Call once.
 */
int jt_emitter_end(struct jt_emitter *em, struct jt_error *err);

/* jt_emitter_free - release em; NULL is a no-op.  Does not close out. */
void jt_emitter_free(struct jt_emitter *em);

/*
 * jt_json_dump - write value (borrowed) to out with sorted keys: indented
 * when pretty, else compact; a newline follows.  Returns 0 or -1 (JT_EIO).
 * For commands whose JSON output is nested rather than rows.
 */
int jt_json_dump(FILE *out, const json_t *value, int pretty,
		 struct jt_error *err);

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
