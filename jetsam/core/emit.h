/*
 * emit.h - one emitter for every command's rows: table, csv, json, jsonl
 *
 * Data flows model -> rows -> emitter, so each command builds rows once and
 * every output format stays consistent.  JSON objects always have sorted
 * keys, so the same rows give byte-identical output.
 *
 * Tables are for people: byte counts read "1.500 GiB" or "512.0 MiB"
 * (binary units, four significant digits; JT_FORMAT_TABLE_BYTES keeps
 * exact integers), and control
 * characters, invalid UTF-8 and bidirectional overrides in the data are
 * shown escaped ("\x1b", "\u202e"), so a process or file name can neither
 * retitle the terminal nor break a row.  CSV and JSON carry the data
 * exactly (JSON cannot hold invalid UTF-8: such bytes become U+FFFD).
 */
#ifndef JT_EMIT_H
#define JT_EMIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
/* Whole JSON documents moved to json.h; included here until every caller
 * includes it itself. */
#include "json.h"

enum jt_format {
	JT_FORMAT_TABLE, /* aligned columns for people, sizes in KiB/MiB/GiB */
	JT_FORMAT_CSV,   /* RFC 4180: CRLF, quoted when needed */
	JT_FORMAT_JSON,  /* one array of objects, indented */
	JT_FORMAT_JSONL, /* one compact object per line */
	JT_FORMAT_TABLE_BYTES /* the table with exact byte counts (--bytes) */
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

/* What a column holds (struct jt_column.flags). */
#define JT_COLUMN_BYTES 0x1u       /* a byte count: "1.5 GiB" in tables */
#define JT_COLUMN_BYTES_PER_S 0x2u /* a byte rate: "64.0 MiB/s" in tables */
#define JT_COLUMN_DETAIL 0x4u      /* tables show it only with JT_EMIT_WIDE */

/* A column of the row model: its name (the CSV header, the JSON key). */
struct jt_column {
	const char *name;
	unsigned flags;
};

/* Emitter options (jt_emitter_open). */
#define JT_EMIT_WIDE 0x1u /* tables show JT_COLUMN_DETAIL columns too */

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
 * jt_format_exact_bytes - the format --bytes asks for: JT_FORMAT_TABLE_BYTES
 * for a table, fmt itself otherwise (CSV and JSON always carry bytes).
 */
enum jt_format jt_format_exact_bytes(enum jt_format fmt);

/*
 * jt_column_flags_of - the flags a column name implies, by the house rule
 * that units live in names: JT_COLUMN_BYTES for "..._bytes",
 * JT_COLUMN_BYTES_PER_S for "..._bytes_per_s", else 0.
 */
unsigned jt_column_flags_of(const char *name);

/*
 * jt_emitter_open - a new emitter writing to out (borrowed, not closed)
 * with the given columns (copied) and options (JT_EMIT_*).  Returns NULL
 * with JT_ENOMEM on failure.  Free with jt_emitter_free.
 */
struct jt_emitter *jt_emitter_open(FILE *out, enum jt_format fmt,
				   const struct jt_column *columns,
				   size_t ncolumns, unsigned options,
				   struct jt_error *err);

/*
 * jt_emitter_new - jt_emitter_open with plain column names, each flagged
 * by jt_column_flags_of, and no options.
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
 * jt_size_text - bytes as a table shows them: "512 B", "16.00 KiB",
 * "1.500 GiB", "512.0 MiB": binary units, the largest whose value is under
 * 1024, four significant digits (at least one decimal); a "-" before
 * negative values, "/s" after when per_second.  Writes into buf (size len,
 * 24 is enough) and returns it.
 */
const char *jt_size_text(int64_t bytes, int per_second, char *buf, size_t len);

#endif
