/*
 * csv.h - the project's one RFC 4180 reader: streaming, in place, with
 * line numbers
 *
 * Reads a file (or a memory buffer) in large blocks and hands out one record
 * at a time, so memory stays bounded by a block plus the longest record,
 * not the file.  Records are cut inside the block (delimiters overwritten
 * with NULs, quoted fields unquoted in place), so a field costs no copy:
 * this is the reader that aggregates millions of field-data rows as well as
 * the one that loads the device table.  Quoted fields may hold commas,
 * doubled quotes and line breaks; CRLF and LF line ends are both accepted;
 * a UTF-8 byte-order mark at the start of the input is skipped.  Every
 * record knows the line it started on, so callers can say
 * "fields.csv:120: ...".
 *
 * The same buffering serves line-oriented formats: jt_csv_next_line hands
 * out raw lines (JSON Lines), with the same line numbers and BOM rule.  A
 * reader is used in one of the two modes, not both.
 */
#ifndef JT_CSV_H
#define JT_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct jt_csv;

/*
 * jt_csv_open - a new reader over the file at path ("-" is stdin).  Returns
 * NULL with JT_EIO naming the file on failure.  Free with jt_csv_close.
 */
struct jt_csv *jt_csv_open(const char *path, struct jt_error *err);

/*
 * jt_csv_open_range - a new reader over length bytes of the file at path
 * from byte offset, as if they were the whole file (the end of the range
 * is its end of input; a byte-order mark is looked for only at offset 0).
 * Line numbers count from 1 at offset.  NULL with JT_EIO naming the file.
 */
struct jt_csv *jt_csv_open_range(const char *path, int64_t offset,
				 int64_t length, struct jt_error *err);

/*
 * jt_csv_open_mem - a new reader over len bytes at buf (borrowed: it must
 * outlive the reader; it is read, never written).  name is used in error
 * messages (copied).  NULL with JT_ENOMEM.
 */
struct jt_csv *jt_csv_open_mem(const char *buf, size_t len, const char *name,
			       struct jt_error *err);

/*
 * jt_csv_on_input - have fn(arg, p, n) called with every block of input as
 * it is read, in order and before it is parsed (the byte-order mark
 * included), so a caller can hash exactly the bytes that were parsed.  Set
 * it before the first read; fn NULL turns it off.
 */
void jt_csv_on_input(struct jt_csv *r, void (*fn)(void *, const void *, size_t),
		     void *arg);

/*
 * jt_csv_next - read the next record.  On success returns 1 and sets
 * *fields to nfields NUL-terminated strings owned by the reader and valid
 * until the next call (jt_csv_lengths gives their lengths, which count
 * any NUL bytes a field holds).  Returns 0 at end of input, -1 with
 * JT_EIO on a read error, JT_ENOMEM, or JT_EPARSE with line and column
 * for a quote left open at end of input, a quote inside an unquoted
 * field, or text after the closing quote of a field ("104"8576).  A
 * blank line is skipped.
 */
int jt_csv_next(struct jt_csv *r, char ***fields, size_t *nfields,
		struct jt_error *err);

/* jt_csv_lengths - byte lengths of the last record's fields (borrowed). */
const size_t *jt_csv_lengths(const struct jt_csv *r);

/*
 * jt_csv_next_line - the next raw line, its line break dropped and a NUL
 * written in its place, in *text (owned by the reader, writable, valid
 * until the next call) and its length in *len.  A last line without a
 * line break is returned too.  1, 0 at end of input, -1 with JT_EIO or
 * JT_ENOMEM.  Blank lines are returned (the caller decides).
 */
int jt_csv_next_line(struct jt_csv *r, char **text, size_t *len,
		     struct jt_error *err);

/*
 * jt_csv_peek_line - the first line of the input that is not blank,
 * without its line break (and any CR before it), in *text (borrowed,
 * not NUL-terminated, valid until the next call) and *len; looks no
 * further than the first block (1 MiB), so a longer line is cut there.
 * *len is 0 when there is no such line.  Consumes nothing.  0, or -1 with
 * JT_EIO or JT_ENOMEM.
 */
int jt_csv_peek_line(struct jt_csv *r, const char **text, size_t *len,
		     struct jt_error *err);

/* jt_csv_line - the line on which the last record (or line) started. */
long jt_csv_line(const struct jt_csv *r);

/*
 * jt_csv_lines_read - the lines consumed so far (at the end of input: all
 * of them, line breaks inside quoted fields included).
 */
long jt_csv_lines_read(const struct jt_csv *r);

/*
 * jt_csv_offset - the offset of the next unread byte from where the
 * reader began (a range reader: from its offset).
 */
int64_t jt_csv_offset(const struct jt_csv *r);

/* jt_csv_bytes - bytes read from the input so far. */
int64_t jt_csv_bytes(const struct jt_csv *r);

/* jt_csv_name - the name given at open (borrowed). */
const char *jt_csv_name(const struct jt_csv *r);

/* jt_csv_close - close the file and free r; NULL is a no-op. */
void jt_csv_close(struct jt_csv *r);

#endif
