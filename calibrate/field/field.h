/*
 * field.h - field data: page growth and session peaks, raw or aggregated
 *
 * The SDK's threshold needs two numbers per model from real users: the
 * largest memory growth of opening one page, and the largest footprint a
 * session reached without being killed (the baseline).  They come as CSV
 * (header row) or JSON Lines files in four shapes, told apart by their
 * columns (data/field-format.md):
 *
 *   page-growth            model,os_version,page,growth_bytes
 *   sessions               model,os_version,peak_footprint_bytes,oom
 *   page-growth-aggregate  model[,os_version][,page],count,max_growth_bytes
 *                          [,p99_growth_bytes][,p999_growth_bytes]
 *   sessions-aggregate     model[,os_version],count,max_peak_bytes
 *                          [,p99_peak_bytes][,p999_peak_bytes]
 *
 * Raw files are streamed once; memory grows with the number of (model,
 * page) keys, not rows: each key keeps an exact count and max and a
 * sketch (sketch.h) for p99/p999.  Field data is pooled over OS versions:
 * growth is a property of the app's pages on a model, not of the OS limit.
 * A malformed row is recorded with file:line and skipped; the run fails
 * when more than max_bad_rows rows were bad.  Each file's SHA-256 is taken
 * from the same bytes the reader parses, in the same pass (no second read,
 * no thread), unless the caller needs no provenance
 * (jt_field_hash_inputs).
 */
#ifndef JT_FIELD_H
#define JT_FIELD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jetsam/core/error.h"

enum jt_statistic { JT_STAT_MAX, JT_STAT_P99, JT_STAT_P999 };

enum jt_field_shape {
	JT_FIELD_GROWTH,
	JT_FIELD_SESSIONS,
	JT_FIELD_GROWTH_AGGREGATE,
	JT_FIELD_SESSIONS_AGGREGATE,
	JT_FIELD_SKETCH,   /* the per-key state, as --sketch-out writes it */
	JT_FIELD_METRICKIT /* MXMetricPayload JSON, as apps receive it */
};

/* At most this many bad-row messages are kept; all are counted. */
#define JT_FIELD_MAX_REPORTED 100

struct jt_field_file {
	char *path;
	enum jt_field_shape shape;
	int jsonl;       /* JSON Lines rather than CSV */
	char sha256[65]; /* of the whole file, from the same read; "" when
			    hashing is off */
	int64_t bytes;
	long rows; /* data rows accepted (MetricKit: payloads used) */
	long bad_rows;
	long skipped; /* MetricKit payloads with nothing to use: diagnostic
			 payloads, no peak and no exit, no exit counts */
};

/* What the field data says about one model (strings borrowed). */
struct jt_field_model {
	const char *model;
	int64_t growth_bytes;    /* statistic, max over pages; -1 if none */
	const char *growth_page; /* NULL if none or not given */
	long growth_samples;
	int64_t baseline_bytes; /* statistic of non-OOM peaks; -1 if none */
	long session_samples;   /* sessions without OOM */
	long oom_sessions;
	const char *first_source; /* where growth for it first appeared */
	long first_line;          /* (0 when it has no growth data) */
};

/*
 * What the field data says about one (model, page) growth key (strings
 * borrowed).  A statistic is -1 when unknown: no data, or the key came
 * (partly) from aggregate rows that lack that column.
 */
struct jt_field_page {
	const char *model;
	const char *page; /* "" when the data names no page */
	long count;       /* samples, raw and aggregated */
	int64_t max_bytes, p99_bytes, p999_bytes;
};

struct jt_field;

/* jt_statistic_parse - "max", "p99", "p999"; -1 with JT_EUSAGE else. */
int jt_statistic_parse(const char *name, enum jt_statistic *out,
		       struct jt_error *err);
const char *jt_statistic_name(enum jt_statistic stat);

/* jt_field_shape_name - "page-growth", "sessions", ..."-aggregate". */
const char *jt_field_shape_name(enum jt_field_shape shape);

/*
 * jt_field_new - an empty collection using stat for growth and baseline,
 * failing once more than max_bad_rows rows were malformed (over all
 * files).  NULL with JT_ENOMEM.  Free with jt_field_free.
 */
struct jt_field *jt_field_new(enum jt_statistic stat, long max_bad_rows,
			      struct jt_error *err);

/* jt_field_free - release f; NULL is a no-op. */
void jt_field_free(struct jt_field *f);

/*
 * jt_field_hash_inputs - whether the files read from now on are hashed
 * with SHA-256 (on by default: threshold tables record it for
 * provenance).  A caller that prints aggregates only turns it off.
 */
void jt_field_hash_inputs(struct jt_field *f, int on);

/*
 * jt_field_read - read one file (CSV, or JSON Lines when its first byte
 * that is not blank, after a UTF-8 byte-order mark, is '{' or '['),
 * hashing the bytes as they are parsed.  Fails with:
 * JT_EIO (cannot read), JT_EPARSE at file:line for an empty file, a file
 * with no data rows, a header with missing, unexpected or repeated
 * columns or that fits no shape, an aggregate that lacks the column the
 * statistic needs, a duplicate key in an aggregate; JT_ELIMIT when the bad
 * rows so far exceed max_bad_rows (the file was read to the end first, so
 * every bad row up to JT_FIELD_MAX_REPORTED is recorded).
 */
int jt_field_read(struct jt_field *f, const char *path, struct jt_error *err);

/*
 * jt_field_read_mem - the same for len bytes at buf (borrowed), named
 * name in messages.
 */
int jt_field_read_mem(struct jt_field *f, const char *buf, size_t len,
		      const char *name, struct jt_error *err);

/*
 * jt_field_read_files - read the n files at paths as jt_field_read would,
 * one after the other, but on up to jobs threads: whole files, and large
 * raw files (page growth, sessions) in byte ranges cut after a line break,
 * each into its own key tables, merged in file order.  The result is the
 * one jobs = 1 gives, to the byte: the same state, files, bad rows (at
 * their true lines) and error, stopping at the same file (shard.c says
 * how).  With a row hook set, or jobs <= 1, the files are read in turn on
 * the calling thread.  Fails as jt_field_read does, or with JT_ENOMEM or
 * JT_EIO when a thread cannot be started or a file changed size while
 * it was read.
 */
int jt_field_read_files(struct jt_field *f, const char *const *paths, size_t n,
			int jobs, struct jt_error *err);

/*
 * jt_field_sketch_write - write f's per-key state to out as a sketch file
 * (JSON Lines, data/field-format.md): one record per growth key and per
 * model with sessions, sorted, each naming the format version and bucket
 * rule.  The same state gives the same bytes, and a sketch read back (by
 * jt_field_read) gives the same results and writes the same bytes again.
 * -1 with JT_EINVAL when a key holds pre-aggregated rows (they keep no
 * buckets), JT_ENOMEM, or JT_EIO when out fails.
 */
int jt_field_sketch_write(const struct jt_field *f, FILE *out,
			  struct jt_error *err);

/* Files read so far, in order (borrowed). */
size_t jt_field_nfiles(const struct jt_field *f);
const struct jt_field_file *jt_field_file_at(const struct jt_field *f,
					     size_t i);

/* Bad rows: the total, and the first JT_FIELD_MAX_REPORTED messages. */
long jt_field_bad_total(const struct jt_field *f);
size_t jt_field_nbad(const struct jt_field *f);
const struct jt_error *jt_field_bad_at(const struct jt_field *f, size_t i);

/*
 * jt_field_summarize - a new array (free() it) of *n models sorted by
 * name, with their growth and baseline by the statistic.  Strings are
 * borrowed from f.  NULL with JT_ENOMEM (or *n == 0 and a non-NULL
 * pointer when there is no data).
 */
struct jt_field_model *jt_field_summarize(const struct jt_field *f, size_t *n,
					  struct jt_error *err);

/* One raw row as it is read (strings valid for the call only). */
struct jt_field_row {
	enum jt_field_shape shape; /* JT_FIELD_GROWTH or JT_FIELD_SESSIONS */
	const char *source;        /* file name */
	long line;
	const char *model;
	const char *os_version;
	const char *page; /* "" for sessions */
	int64_t bytes;    /* growth_bytes, or peak_footprint_bytes */
	int oom;          /* sessions: the session ended in an OOM */
};

typedef int (*jt_field_row_fn)(void *ctx, const struct jt_field_row *row,
			       struct jt_error *err);

/*
 * jt_field_set_row_hook - call fn(ctx, row, err) for every accepted raw
 * row (page growth, sessions; aggregate rows are not replayed) after f
 * has counted it; fn returning -1 ends jt_field_read with its error.  A
 * NULL fn removes the hook.  Used to replay held-out data (a backtest).
 */
void jt_field_set_row_hook(struct jt_field *f, jt_field_row_fn fn, void *ctx);

/*
 * jt_field_pages - a new array (free() it) of *n growth keys sorted by
 * model, then page, with count, max, p99 and p999 (the sketch's, within
 * its error bound; where aggregate rows gave a statistic too, the larger
 * of the two).  Strings are borrowed from f.  NULL with JT_ENOMEM (or *n
 * == 0 and a non-NULL pointer when there are no growth keys).
 */
struct jt_field_page *jt_field_pages(const struct jt_field *f, size_t *n,
				     struct jt_error *err);

/*
 * jt_field_keys - the number of (model, page) growth keys and models held:
 * what memory is bounded by.
 */
size_t jt_field_keys(const struct jt_field *f);

#endif
