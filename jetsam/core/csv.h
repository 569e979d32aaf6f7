/*
 * csv.h - a streaming RFC 4180 reader with line numbers
 *
 * Reads a file (or a memory buffer) in large blocks and hands out one record
 * at a time, so memory stays bounded by the longest record, not the file.
 * Quoted fields may hold commas, doubled quotes and line breaks; CRLF and LF
 * line ends are both accepted.  Every record knows the line it started on,
 * so callers can say "fields.csv:120: ...".
 */
#ifndef JT_CSV_H
#define JT_CSV_H

#include <stddef.h>

#include "error.h"

struct jt_csv;

/*
 * jt_csv_open - a new reader over the file at path ("-" is stdin).  Returns
 * NULL with JT_EIO naming the file on failure.  Free with jt_csv_close.
 */
struct jt_csv *jt_csv_open(const char *path, struct jt_error *err);

/*
 * jt_csv_open_mem - a new reader over len bytes at buf (borrowed: it must
 * outlive the reader).  name is used in error messages (copied).
 */
struct jt_csv *jt_csv_open_mem(const char *buf, size_t len, const char *name,
			       struct jt_error *err);

/*
 * jt_csv_next - read the next record.  On success returns 1 and sets
 * *fields to nfields NUL-terminated strings owned by the reader and valid
 * until the next call.  Returns 0 at end of input, -1 on a read error or a
 * quote left open at end of input (JT_EPARSE with line and column).  A blank
 * line is skipped.
 */
int jt_csv_next(struct jt_csv *r, char ***fields, size_t *nfields,
		struct jt_error *err);

/* jt_csv_line - the line on which the last record returned started. */
long jt_csv_line(const struct jt_csv *r);

/* jt_csv_name - the name given at open (borrowed). */
const char *jt_csv_name(const struct jt_csv *r);

/* jt_csv_close - close the file and free r; NULL is a no-op. */
void jt_csv_close(struct jt_csv *r);

#endif
