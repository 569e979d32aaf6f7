/*
 * table.h - the threshold table: what the calibrator produces and the SDK,
 * the HTML report and "jetsam diff" read back
 *
 * One entry per lab key (model, OS version, profile) with the ceiling, the
 * field growth and baseline it was computed from, the threshold and the
 * rule that gave it.  Field-only models (field data, no lab evidence)
 * carry their own growth and baseline, which the SDK applies to the live
 * limit.  RAM classes carry the growth the SDK subtracts from the live
 * limit for models with neither.
 *
 * One calibration gives two products.  The audit table (JSON only,
 * data/table-schema.json, schema "jetsamkit-threshold-table", version
 * JT_TABLE_VERSION) keeps every piece of evidence, with input paths
 * relative to a root the user names.  The ship table (JSON,
 * data/ship-schema.json, schema "jetsamkit-ship-table"; the plist; the C
 * header) holds only what an SDK needs (jt_table_ship).  Both are written
 * with sorted keys, entries in a fixed order and no timestamp unless one
 * is given, so the same inputs give the same bytes.  Every byte count is
 * int64 bytes; -1 means unknown and is written as JSON null.
 */
#ifndef JT_TABLE_H
#define JT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "jetsam/core/error.h"

#define JT_TABLE_SCHEMA "jetsamkit-threshold-table"
#define JT_TABLE_VERSION 2 /* version 1 (no field-only models) is read too */
#define JT_SHIP_SCHEMA "jetsamkit-ship-table"
#define JT_SHIP_VERSION 1

/*
 * The longest model, OS version and profile names a table holds, in
 * bytes: far above real ones ("iPhone17,1", "18.0.1",
 * "extension:com.apple.widgetkit-extension"), and far below what breaks a
 * C compiler (a 4095-byte string literal) or an SDK's log line.
 */
#define JT_TABLE_MODEL_MAX 64
#define JT_TABLE_OS_MAX 32
#define JT_TABLE_PROFILE_MAX 128
#define JT_TABLE_RELEASE_MAX 64

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
	JT_SOURCE_FIELD_ONLY,   /* "field-only": the rule of rules.h with the
				   live limit as the ceiling and the model's
				   own field growth and baseline */
	JT_SOURCE_RUNTIME_RULE, /* "runtime-rule": live limit - growth of the
				   device's RAM class */
	JT_SOURCE_FRACTION      /* "fraction": fraction x live limit */
};

#define JT_NSOURCES 5

/* One piece of lab evidence behind an entry's ceiling. */
struct jt_evidence {
	char *input;        /* file it came from, relative to the root */
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

	int no_field_growth; /* no growth data: the fraction was used (kept
				apart from growth_bytes, which a ship table
				does not carry) */

	/* Result. */
	int64_t threshold_bytes; /* 0 < threshold <= ceiling, always */
	enum jt_rule rule;
	int no_headroom; /* baseline >= ceiling or growth >= ceiling */
};

/*
 * A model with field data and no lab evidence.  The SDK answers it by the
 * rule of rules.h with its live limit as the ceiling; without growth data
 * it is listed (audit) but the lookup passes on to the RAM class.
 */
struct jt_field_only {
	char *model;
	char *model_name;     /* from the device table, or NULL */
	int known_model;      /* the model is in the device table */
	int64_t ram_bytes;    /* from the device table, -1 if unknown */
	int64_t growth_bytes; /* -1 if the model has sessions only */
	char *growth_page;    /* NULL if none/unknown */
	long growth_samples;
	int64_t baseline_bytes; /* -1 if none */
	long session_samples;
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
	char *path; /* relative to the root (--root), never absolute */
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
	int ship;           /* read from a ship table: no evidence, inputs,
			       excluded kills, growth or baselines */
	char *tool_version; /* JT_VERSION of the writer */
	char *release;      /* --release label, NULL if none */
	char *generated_at; /* only when given: no clock in the output */
	char *statistic;    /* "max", "p99", "p999" */
	double sketch_relative_error; /* bound on p99/p999 (0 for "max") */
	double fraction; /* last-resort fraction of the live limit */

	struct jt_table_input *inputs; /* sorted by path */
	size_t ninputs;
	struct jt_table_entry *entries; /* sorted: jt_table_entry_cmp */
	size_t nentries;
	struct jt_field_only *field_only; /* sorted by model */
	size_t nfield_only;
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
	const struct jt_field_only *field_model; /* field-only, borrowed */
	const struct jt_ram_class *ram_class;    /* runtime-rule, borrowed */
	enum jt_rule rule; /* the rule that gave the threshold: the entry's,
			      or, for field-only, the one applied to the
			      live limit (meaningless for the rest) */
	const char *why;   /* static: why this source answered, and what is
			      missing when threshold_bytes is -1 */
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

/*
 * jt_table_entry_cmp - the entries' order: model, OS (numeric), profile;
 * like strcmp.
 */
int jt_table_entry_cmp(const struct jt_table_entry *a,
		       const struct jt_table_entry *b);

/*
 * jt_table_name_check - 0 when name (what: "model", "os_version",
 * "profile", "release") is non-empty, at most max bytes, valid UTF-8 and
 * free of control characters (C0, DEL, C1), which no XML 1.0 plist can
 * hold and no terminal should receive.  Else -1 with JT_EINVAL at source
 * (may be NULL) and line (0 if none), the name shown escaped.
 */
int jt_table_name_check(const char *what, const char *name, size_t max,
			const char *source, long line, struct jt_error *err);

/*
 * jt_table_to_json - a new JSON object (caller decrefs) for the audit
 * table t, in the shape of data/table-schema.json.  NULL with JT_ENOMEM,
 * or JT_EINVAL when t was read from a ship table (it has no evidence).
 */
json_t *jt_table_to_json(const struct jt_table *t, struct jt_error *err);

/*
 * jt_table_ship - fill ship (initialised here) with what an SDK needs
 * from t (borrowed): the entries and field-only models (those with
 * growth), the RAM classes, the fraction, release and tool version; no
 * evidence, inputs or hashes.  Models not in the device table are left
 * out unless include_unknown.  -1 with JT_ENOMEM (ship released).
 */
int jt_table_ship(const struct jt_table *t, int include_unknown,
		  struct jt_table *ship, struct jt_error *err);

/*
 * jt_table_to_ship_json - a new JSON object (caller decrefs) for the ship
 * table made by jt_table_ship, in the shape of data/ship-schema.json:
 * thresholds keyed model -> OS -> profile, field-only models keyed by
 * model.  NULL with JT_ENOMEM.
 */
json_t *jt_table_to_ship_json(const struct jt_table *ship,
			      struct jt_error *err);

/*
 * jt_table_from_json - fill t (initialised here) from obj (borrowed), an
 * audit table (versions 1 and 2) or a ship table (t->ship set).  A schema
 * name or version this code does not know, a missing field, a wrong type
 * or a name jt_table_name_check refuses is JT_EPARSE naming source and
 * the field.  Unknown keys are ignored.  On failure t is released.
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

/* jt_table_find_field - the field-only model, or NULL (borrowed). */
const struct jt_field_only *jt_table_find_field(const struct jt_table *t,
						const char *model);

/*
 * jt_table_lookup - the threshold for a device, by the one fallback order
 * every output implements:
 *  1. measured: the entry for (model, os_version, profile);
 *  2. carried-over: same model and profile, the nearest measured OS: the
 *     newest one not newer than os_version, else the oldest newer one;
 *  3. field-only: a field-only model with growth: jt_rule_apply() with
 *     live_limit_bytes as the ceiling: live limit - the model's growth,
 *     floored at its baseline, capped at the live limit (fraction x live
 *     limit when the growth is not below it);
 *  4. runtime-rule: live_limit_bytes - growth of the RAM class whose
 *     ram_bytes is nearest to ram_bytes (ties: the smaller class), when
 *     ram_bytes > 0, a class exists and the result is positive;
 *  5. fraction: fraction x live_limit_bytes (truncated, at least 1).
 * live_limit_bytes is footprint + os_proc_available_memory() on the
 * device, and unknown (pass -1) when that function returns 0; then steps
 * 3-5 still say which source applies but give threshold -1.  out->why
 * says why that source answered.  Never fails.
 */
void jt_table_lookup(const struct jt_table *t, const char *model,
		     const char *os_version, const char *profile,
		     int64_t ram_bytes, int64_t live_limit_bytes,
		     struct jt_lookup *out);

#endif
