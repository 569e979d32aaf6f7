/*
 * field_private.h - what the field-data files share, for their use only
 *
 * The module does one job per file:
 *
 *   keys.c        the key table: (model, page) growth keys and models,
 *                 each with its per-key state
 *   shape.c       the columns, the four shapes, header -> shape, and the
 *                 checks of one row's values
 *   aggregate.c   the collection: checked rows folded into keys (raw
 *                 growth in prefetching batches), and the results
 *   read.c        one file: opening, hashing, choosing a format, the end
 *                 of file checks
 *   read_csv.c    the CSV format (rows from jetsam/core/csv.h, the one
 *                 CSV reader of the project)
 *   read_jsonl.c  the JSON Lines format (flat lines cut in place,
 *                 jansson for the rest)
 *   sketch.c      the per-key quantile sketch (sketch.h)
 *   sha256.c      input hashes for provenance (sha256.h)
 *
 * A format is a small interface (struct fieldp_format): it turns its input
 * into a header (column names) and rows of text cells and hands them to
 * fieldp_header and fieldp_row, which check and fold them the same way
 * whatever the format.  Names inside the module start with fieldp_.
 */
#ifndef JT_FIELD_PRIVATE_H
#define JT_FIELD_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "jetsam/core/csv.h"
#include "jetsam/core/error.h"

#include "field.h"
#include "sketch.h"

/* ---- columns and shapes (shape.c) --------------------------------------- */

/* Columns, in the order a row's values are kept. */
enum fieldp_col {
	FP_MODEL,
	FP_OS,
	FP_PAGE,
	FP_SKETCH,  /* sketch records: format version and bucket rule */
	FP_KIND,    /* sketch records: growth or sessions */
	FP_BUCKETS, /* sketch records: "index:count ..." */
	FP_GROWTH,
	FP_PEAK,
	FP_OOM,
	FP_COUNT,
	FP_MAX_GROWTH,
	FP_P99_GROWTH,
	FP_P999_GROWTH,
	FP_MAX_PEAK,
	FP_P99_PEAK,
	FP_P999_PEAK,
	FP_OOM_COUNT,
	FP_MIN_BYTES, /* sketch records */
	FP_MAX_BYTES,
	FP_NCOLS
};

extern const char *const fieldp_col_names[FP_NCOLS];

/* A shape: the column that tells it, and its required and optional ones. */
struct fieldp_shape {
	enum jt_field_shape shape;
	enum fieldp_col signature;
	unsigned required, optional; /* bit masks of 1u << column */
};

/* Longest "model\0page\0" key. */
#define FIELDP_MAX_KEY 512

/* ---- keys (keys.c) ------------------------------------------------------ */

/*
 * What is known of one key: the part that two shards of the same data
 * would add together.  Raw samples go into the sketch; aggregate rows add
 * their count and keep the largest of each statistic they give (agg[] is
 * indexed by enum jt_statistic, -1 until given; agg_missing has bit s set
 * when some aggregate row lacked statistic s).  Two states of one key
 * merge field by field: sketch buckets and counts add, min and max and
 * agg[] take the extreme, agg_missing ORs, oom adds.
 */
struct fieldp_state {
	struct jt_sketch sketch;
	int64_t agg_count;
	int64_t agg[3];
	unsigned agg_missing;
	long oom; /* sessions that ended in an OOM kill (models) */
};

/* A growth key (model, page) or a model. */
struct fieldp_key {
	char *name; /* "model\0page\0" for growth keys, "model\0" for models */
	size_t len; /* bytes of name compared */
	uint64_t hash;
	size_t model; /* growth keys: index of the model */
	struct fieldp_state st;
	/* models: where growth for the model first appeared */
	const char *first_source;
	long first_line;
	int has_growth;
};

/* An open-addressing table of keys, in insertion order. */
struct fieldp_table {
	struct fieldp_key *keys;
	size_t n, cap;
	size_t *slots; /* index + 1, 0 = empty */
	size_t nslots;
};

/* fieldp_hash - hash of n bytes at p (not for security). */
uint64_t fieldp_hash(const char *p, size_t n);

/*
 * fieldp_table_get - the index of the key name[0..len) of hash h, created
 * (zeroed state, *created set) when absent; (size_t)-1 when out of memory.
 * Indexes stay valid; key pointers do not survive the next creation.
 */
size_t fieldp_table_get(struct fieldp_table *t, const char *name, size_t len,
			uint64_t h, int *created);

/* fieldp_table_prefetch - start loading the slot for hash h. */
void fieldp_table_prefetch(const struct fieldp_table *t, uint64_t h);

/* fieldp_table_release - free every key; t is left empty. */
void fieldp_table_release(struct fieldp_table *t);

/* fieldp_state_stat - the state's value of stat, or -1 when unknown. */
int64_t fieldp_state_stat(const struct fieldp_state *st,
			  enum jt_statistic stat);

/* ---- the collection (aggregate.c) --------------------------------------- */

struct jt_field {
	enum jt_statistic stat;
	long max_bad;
	int hash_inputs;
	struct fieldp_table growth, models, aggkeys;
	struct jt_field_file *files;
	size_t nfiles;
	long bad_total;
	struct jt_error *bad; /* the first JT_FIELD_MAX_REPORTED */
	size_t nbad;
	jt_field_row_fn row_fn; /* jt_field_set_row_hook */
	void *row_ctx;
	int64_t shard_bytes;  /* least bytes per range with -j */
	size_t ranges_merged; /* byte ranges merged so far (tests) */
};

/* One row's checked values (strings borrowed from the format's cells). */
struct fieldp_values {
	const char *model, *os, *page;
	size_t model_len, page_len;
	int64_t v[FP_NCOLS]; /* numbers; -1 when the column is absent */
};

/* Raw growth rows waiting to be counted (see aggregate.c). */
#define FIELDP_BATCH 32

struct fieldp_pending {
	char key[FIELDP_MAX_KEY];
	size_t len;
	uint64_t hash;
	int64_t value;
	long line;
	size_t index;
};

/* One file being read: where its rows go and how its columns lie. */
struct fieldp_reader {
	struct jt_field *f;
	const char *name;                 /* the file's name as f keeps it */
	const struct fieldp_shape *shape; /* NULL until the header is read */
	int pos[FP_NCOLS]; /* cell index of each column, -1 if absent */
	size_t ncols;      /* cells in a row */
	unsigned char num[FP_NCOLS]; /* the byte-count columns present */
	size_t nnum;
	long line; /* of the row being handled */
	long rows, bad;
	struct fieldp_pending *batch; /* raw growth only */
	size_t nbatch;
	int header_only; /* stop once the header is read */
	long skipped;    /* MetricKit payloads with nothing to use */
};

/*
 * fieldp_header - decide r's shape from the n column names of a header (or
 * a first JSON object's keys).  0, or -1 with JT_EPARSE at r's line.
 */
int fieldp_header(struct fieldp_reader *r, const char *const *names, size_t n,
		  struct jt_error *err);

/*
 * fieldp_bad - record a malformed row at r's line (the first
 * JT_FIELD_MAX_REPORTED are kept, all are counted).  Returns 1.
 */
int fieldp_bad(struct fieldp_reader *r, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/*
 * fieldp_parse_bytes - a byte count: decimal digits only.  len is the
 * cell's length, or (size_t)-1 when it holds no NUL byte.  0, or -1 with
 * why (whylen bytes) saying what is wrong with it ("'20M' has a unit; give
 * plain bytes here").
 */
int fieldp_parse_bytes(const char *s, size_t len, int64_t *out, char *why,
		       size_t whylen);

/*
 * fieldp_check - check one row of n text cells laid out as the header
 * said (lens: their lengths, or NULL when no cell can hold a NUL byte) and
 * parse its values into out.  0 when good, 1 when bad (recorded).
 */
int fieldp_check(struct fieldp_reader *r, char **cells, const size_t *lens,
		 size_t n, struct fieldp_values *out);

/*
 * fieldp_row - check one row and fold it in.  0 (a bad row is recorded,
 * not fatal), or -1 on a fatal error: out of memory, a duplicate key in
 * an aggregate, a sketch bucket overflowing.
 */
int fieldp_row(struct fieldp_reader *r, char **cells, const size_t *lens,
	       size_t n, struct jt_error *err);

/* fieldp_flush - count the raw growth rows still waiting.  0 or -1. */
int fieldp_flush(struct fieldp_reader *r, struct jt_error *err);

/* ---- sketches as files (sketchfile.c) ------------------------------------ */

/* The format version and bucket rule every sketch record names. */
#define FIELDP_SKETCH_FORMAT "v1:log2x64"

/*
 * fieldp_sketch_record - check one sketch record (x: its checked common
 * columns) and turn it into sk (initialised here; release it) and whether
 * it is a growth key (*growth) or a model's sessions.  0 when good, 1 when
 * bad (recorded, sk empty), -1 out of memory.
 */
int fieldp_sketch_record(struct fieldp_reader *r, char **cells,
			 const size_t *lens, const struct fieldp_values *x,
			 struct jt_sketch *sk, int *growth,
			 struct jt_error *err);

/* ---- formats (read_csv.c, read_jsonl.c) --------------------------------- */

/*
 * A field-data format.  claims() says whether a file whose first byte that
 * is not blank is c belongs to it; read() reads the whole input, handing
 * the header to fieldp_header and each row to fieldp_row, and fails only
 * on a fatal error (a bad row is recorded and the read goes on).
 */
struct fieldp_format {
	const char *name;
	int (*claims)(const char *line, size_t len);
	int (*read)(struct fieldp_reader *r, struct jt_csv *in,
		    struct jt_error *err);
};

extern const struct fieldp_format fieldp_csv;
extern const struct fieldp_format fieldp_jsonl;
extern const struct fieldp_format fieldp_metrickit;

/* ---- MetricKit (read_metrickit.c) --------------------------------------- */

/* What one MetricKit payload says (strings borrowed from the JSON). */
struct fieldp_mk_payload {
	int diagnostic;      /* a diagnostic payload: nothing for memory */
	const char *model;   /* metaData.deviceType */
	char os_version[32]; /* the version in metaData.osVersion */
	int64_t peak_bytes;  /* memoryMetrics.peakMemoryUsage; -1 absent */
	int exits_reported;  /* it has applicationExitMetrics */
	long fg_limit_exits, bg_limit_exits;       /* memory-limit exits */
	long fg_pressure_exits, bg_pressure_exits; /* memory pressure */
	char why[200];       /* when it is not a usable payload */
	const char *why_key; /* the key to place that at, or NULL */
};

/*
 * fieldp_mk_payload - read the parsed JSON value o as a payload into out.
 * 0 (a diagnostic payload sets only out->diagnostic), or -1 with
 * out->why: not an object, no metaData, no deviceType or osVersion, or a
 * value of the wrong type or form.
 */
int fieldp_mk_payload(const json_t *o, struct fieldp_mk_payload *out);

/*
 * fieldp_mk_bytes - a memory measurement as MetricKit writes it ("200000
 * kB", "200,000 kB", "1,106,818千字节", "2,000 byte") in bytes, kB being
 * 1024.  0, or -1 with why (whylen bytes).
 */
int fieldp_mk_bytes(const char *s, int64_t *out, char *why, size_t whylen);

/*
 * fieldp_mk_os_version - the dotted version in an osVersion string
 * ("iPhone OS 14.0.1 (18A393)" -> "14.0.1") into out (outlen bytes).  0,
 * or -1 when there is none.
 */
int fieldp_mk_os_version(const char *s, char *out, size_t outlen);

/* ---- reading (read.c) --------------------------------------------------- */

/*
 * fieldp_choose - the format of the input in, by its first line that is
 * not blank (line, len; borrowed from in).  -1 with err on a read error.
 */
const struct fieldp_format *fieldp_choose(struct jt_csv *in,
					  struct jt_error *err);

/*
 * fieldp_header_only - open path, choose its format and read its header
 * into r (r->f = f, r->shape set when the format has one), leaving in
 * *fmt the format and in *end the offset just past the header's line.
 * 0, or -1 with err (the caller reads the file whole to get the real
 * error in its place).
 */
int fieldp_header_only(struct jt_field *f, const char *path,
		       const struct fieldp_format **fmt,
		       struct fieldp_reader *r, int64_t *end,
		       struct jt_error *err);

/* What reading one byte range gave (shard.c). */
struct fieldp_range {
	long rows, bad;
	long lines;    /* lines the range held */
	int64_t bytes; /* bytes read */
};

/*
 * fieldp_read_range - read length bytes of path from offset into f (no
 * file record made), in format fmt; layout NULL for the range at offset 0
 * (which holds the header), else the header's layout (fieldp_header_only)
 * for a range that starts after it.  Line numbers count from 1 at offset.
 * 0, or -1 with err.
 */
int fieldp_read_range(struct jt_field *f, const char *path,
		      const struct fieldp_format *fmt,
		      const struct fieldp_reader *layout, int64_t offset,
		      int64_t length, struct fieldp_range *out,
		      struct jt_error *err);

/*
 * fieldp_bad_limit - the error when f's bad rows, after reading the file
 * name, are more than it tolerates; 0 when they are not.
 */
int fieldp_bad_limit(const struct jt_field *f, const char *name,
		     struct jt_error *err);

/* fieldp_reset - drop everything f has read; its settings stay. */
void fieldp_reset(struct jt_field *f);

/* ---- merging (keys.c, shard.c) ------------------------------------------ */

/*
 * fieldp_state_merge - add src to dst as two shards of the same data add:
 * sketches merge, counts add, statistics take the larger.  0, or -1 with
 * JT_ELIMIT (dst unchanged).
 */
int fieldp_state_merge(struct fieldp_state *dst, const struct fieldp_state *src,
		       struct jt_error *err);

/* Files larger than this are cut into byte ranges with -j (shard.c). */
#define FIELDP_SHARD_BYTES ((int64_t)8 << 20)

/* fieldp_set_shard_bytes - the least bytes per range (tests cut small). */
void fieldp_set_shard_bytes(struct jt_field *f, int64_t bytes);

/* JSON Lines internals, for the differential fuzz target. */
struct fieldp_kv {
	const char *key;
	size_t klen;
	const char *val;
	int kind; /* FIELDP_KV_PLAIN, or a value no column can hold */
};

enum { FIELDP_KV_PLAIN, FIELDP_KV_REAL, FIELDP_KV_COMPOUND };

#define FIELDP_MAX_KV (FP_NCOLS + 1)

/*
 * fieldp_flat_object - cut a flat object of at most FIELDP_MAX_KV plain
 * pairs (string keys; string, integer, true, false or null values) in
 * place: keys and values NUL-terminated inside s, described in kv.  1 on
 * success; 0, s untouched, when jansson must read the line.
 */
int fieldp_flat_object(char *s, size_t len, struct fieldp_kv *kv, size_t *np);

/*
 * fieldp_json_cell - the text a CSV cell would hold for the plain JSON
 * value v (a string's own text, an integer in decimal, true "1", false "0",
 * anything else ""), using buf of len bytes when it must be formatted.
 */
const char *fieldp_json_cell(const json_t *v, char *buf, size_t len);

#endif
