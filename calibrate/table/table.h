/*
 * table.h - the threshold table: what the calibrator produces and the SDK,
 * the HTML report and "jetsam diff" read back
 *
 * One entry per lab key (model, OS version, profile) with the ceiling, the
 * field growth and baseline it was computed from, the threshold and the
 * rule that gave it.  RAM classes carry the growth the SDK subtracts from
 * the live limit for models the lab never measured.  The JSON form is
 * described by data/table-schema.json (schema "jetsamkit-threshold-table",
 * version JT_TABLE_VERSION); it is written with sorted keys, entries in a
 * fixed order, and no timestamp unless one is given, so the same inputs
 * give the same bytes.  Every byte count is int64 bytes; -1 means unknown
 * and is written as JSON null.
 */
#ifndef JT_TABLE_H
#define JT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "jetsam/core/error.h"

#define JT_TABLE_SCHEMA "jetsamkit-threshold-table"
#define JT_TABLE_VERSION 1

/* The default last-resort fraction of the live limit (WebKit's 65 %). */
#define JT_TABLE_DEFAULT_FRACTION 0.65

/* How a measured entry's threshold was obtained (calibrate/engine/rules.c). */
enum jt_rule {
	JT_RULE_CEILING_MINUS_GROWTH, /* "ceiling-minus-growth" */
	JT_RULE_BASELINE_FLOOR,       /* "baseline-floor": ceiling - growth
					 was below the field baseline */
	JT_RULE_CEILING_CAP,          /* "ceiling-cap": the baseline is at or
					 above the ceiling; capped there */
	JT_RULE_FRACTION_OF_CEILING   /* "fraction-of-ceiling": no positive
					 value (no growth data, or growth >=
					 ceiling with no baseline) */
};

/* Where a looked-up threshold came from, in lookup order. */
enum jt_source {
	JT_SOURCE_MEASURED,     /* "measured": exact model + OS + profile */
	JT_SOURCE_CARRIED_OVER, /* "carried-over": same model and profile,
				   nearest measured OS */
	JT_SOURCE_RUNTIME_RULE, /* "runtime-rule": live limit - growth of the
				   device's RAM class */
	JT_SOURCE_FRACTION      /* "fraction": fraction x live limit */
};

/* One piece of lab evidence behind an entry's ceiling. */
struct jt_evidence {
	char *input;        /* file it came from, as given */
	char *kind;         /* "run", "probe-log", "report" */
	char *method;       /* "footprint+remaining", "crossing", "report" */
	int64_t bytes;      /* the estimate of the limit */
	int64_t step_bytes; /* probe step, -1 if unknown (reports) */
};

struct jt_table_entry {
	char *model;      /* product type, "iPhone12,1" */
	char *os_version; /* "14.2" */
	char *profile;    /* "app", "increased-memory-limit", "extension:<t>" */
	char *model_name; /* marketing name from the device table, or NULL */
	int known_model;  /* the model is in the device table */
	int64_t ram_bytes; /* from the device table, -1 if unknown */

	/* Ceiling: the estimate of the per-app limit for this key. */
	int64_t ceiling_bytes;
	int64_t ceiling_low_bytes; /* interval over the chosen method */
	int64_t ceiling_high_bytes;
	int64_t spread_bytes;         /* max - min over every source */
	int64_t step_bytes;           /* largest probe step, -1 if unknown */
	char *ceiling_method;         /* "footprint+remaining", "crossing",
					 "report", "crossing+report" */
	long runs;                    /* pieces of evidence used */
	int disagree;                 /* spread > one probe step */
	struct jt_evidence *evidence; /* sorted by input, method */
	size_t nevidence;

	/* Field data (pooled over OS versions for the model). */
	int64_t growth_bytes;   /* chosen statistic, max over pages; -1 */
	char *growth_page;      /* page that gave it, NULL if none/unknown */
	long growth_samples;    /* raw rows or aggregated count */
	int64_t baseline_bytes; /* statistic of peaks without OOM; -1 */
	long session_samples;   /* sessions without OOM */

	/* Result. */
	int64_t threshold_bytes; /* 0 < threshold <= ceiling, always */
	enum jt_rule rule;
	int no_headroom; /* baseline >= ceiling or growth >= ceiling */
};

/* Growth the SDK subtracts from the live limit on unmeasured models. */
struct jt_ram_class {
	int64_t ram_bytes;    /* physical RAM of the class */
	int64_t growth_bytes; /* largest growth of its measured models */
	char **models;        /* models that gave it, sorted */
	size_t nmodels;
};

/* An input file and its SHA-256. */
struct jt_table_input {
	char *path; /* as given on the command line */
	char *kind; /* "run", "probe-log", "report", "page-growth",
		       "sessions" (suffix "-aggregate" for warehouse files) */
	char sha256[65];
	int64_t bytes;
};

/* A kill that was not a limit kill, listed and left out of the ceilings. */
struct jt_excluded {
	char *input;
	char *model;      /* NULL if unknown */
	char *os_version; /* NULL if unknown */
	char *reason;     /* kill reason, verbatim */
	char *why; /* "not a per-process-limit kill of a frontmost app" */
};

struct jt_table {
	int version;        /* JT_TABLE_VERSION */
	char *tool_version; /* JT_VERSION of the writer */
	char *release;      /* --release label, NULL if none */
	char *generated_at; /* only when given: no clock in the output */
	char *statistic;    /* "max", "p99", "p999" */
	double sketch_relative_error; /* bound on p99/p999 (0 for "max") */
	double fraction; /* last-resort fraction of the live limit */

	struct jt_table_input *inputs; /* sorted by path */
	size_t ninputs;
	struct jt_table_entry *entries; /* sorted: jt_table_sort */
	size_t nentries;
	struct jt_ram_class *classes; /* sorted by ram_bytes */
	size_t nclasses;
	struct jt_excluded *excluded; /* sorted by input */
	size_t nexcluded;
};

/* The result of a lookup. */
struct jt_lookup {
	enum jt_source source;
	int64_t threshold_bytes; /* -1 when the live limit was needed but
				    not given */
	const struct jt_table_entry
		*entry; /* measured/carried-over, borrowed */
	const struct jt_ram_class *ram_class; /* runtime-rule, borrowed */
};

/* jt_table_init - an empty table (version set, fraction the default). */
void jt_table_init(struct jt_table *t);

/* jt_table_release - free everything t owns; t may be re-initialised. */
void jt_table_release(struct jt_table *t);

/* jt_rule_name / jt_source_name - the stable names written in tables. */
const char *jt_rule_name(enum jt_rule rule);
const char *jt_source_name(enum jt_source source);

/*
 * jt_rule_parse / jt_source_parse - name to value.  Return 0, or -1 with
 * JT_EPARSE when name is unknown.
 */
int jt_rule_parse(const char *name, enum jt_rule *out, struct jt_error *err);
int jt_source_parse(const char *name, enum jt_source *out,
		    struct jt_error *err);

/*
 * jt_os_compare - compare dotted versions numerically ("9.3" < "14.2" <
 * "14.10"), like strcmp.  NULL sorts first.
 */
int jt_os_compare(const char *a, const char *b);

/* jt_table_sort - order entries by model, OS (numeric), profile. */
void jt_table_sort(struct jt_table *t);

/* jt_table_entry_cmp - that order, like strcmp (for qsort of pointers). */
int jt_table_entry_cmp(const struct jt_table_entry *a,
		       const struct jt_table_entry *b);

/*
 * jt_table_to_json - a new JSON object (caller decrefs) for t, in the
 * shape of data/table-schema.json.  NULL with JT_ENOMEM on failure.
 */
json_t *jt_table_to_json(const struct jt_table *t, struct jt_error *err);

/*
 * jt_table_from_json - fill t (initialised here) from obj (borrowed).  A
 * schema name or version this code does not know, a missing field or a
 * wrong type is JT_EPARSE naming source and the field.  Unknown keys are
 * ignored.  On failure t is released.
 */
int jt_table_from_json(struct jt_table *t, const json_t *obj,
		       const char *source, struct jt_error *err);

/* jt_table_load - read and parse the JSON table at path into t. */
int jt_table_load(struct jt_table *t, const char *path, struct jt_error *err);

/*
 * jt_table_save - write t as pretty JSON with sorted keys to path,
 * atomically (temporary file + rename).  On failure nothing is left at
 * path's temporary name and an existing file at path is untouched.
 */
int jt_table_save(const struct jt_table *t, const char *path,
		  struct jt_error *err);

/*
 * jt_table_find - the entry for exactly (model, os_version, profile), or
 * NULL (borrowed).
 */
const struct jt_table_entry *jt_table_find(const struct jt_table *t,
					   const char *model,
					   const char *os_version,
					   const char *profile);

/*
 * jt_table_lookup - the threshold for a device, by the one fallback order
 * every output implements:
 *  1. measured: the entry for (model, os_version, profile);
 *  2. carried-over: same model and profile, the nearest measured OS: the
 *     newest one not newer than os_version, else the oldest newer one;
 *  3. runtime-rule: live_limit_bytes - growth of the RAM class whose
 *     ram_bytes is nearest to ram_bytes (ties: the smaller class), when
 *     ram_bytes > 0, a class exists and the result is positive;
 *  4. fraction: fraction x live_limit_bytes (truncated, at least 1).
 * live_limit_bytes is footprint + os_proc_available_memory() on the device;
 * when it is unknown (<= 0), steps 3-4 still say which rule applies but
 * give threshold -1, for the caller to evaluate.  Never fails.
 */
void jt_table_lookup(const struct jt_table *t, const char *model,
		     const char *os_version, const char *profile,
		     int64_t ram_bytes, int64_t live_limit_bytes,
		     struct jt_lookup *out);

#endif
