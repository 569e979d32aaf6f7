/*
 * calibrate.h - evidence fusion: lab evidence + field data -> threshold table
 *
 * Lab evidence arrives per key (model, OS version, profile) from run
 * records, raw probe logs and JetsamEvent reports.  Each piece is one
 * estimate of the limit by one method:
 *
 *   footprint+remaining  exact (iOS 13+ or a known limit); rounded to the
 *                        nearest MiB, since the kernel holds the limit in
 *                        whole MB and the sum carries page-sized noise;
 *   crossing             the probe's own estimate, within one step;
 *   report               rpages x pageSize of a per-process-limit kill of
 *                        a frontmost process; other kills are listed in the
 *                        table's "excluded" and not used.
 *
 * A key's ceiling is the lower median of its footprint+remaining values
 * when there are any, else of its crossing values, else of its report
 * values; the interval is the min and max of the values of the method(s)
 * used, the spread the max - min over every value, and the key is flagged
 * when the spread exceeds one probe step (1 MiB when no step is known).
 */
#ifndef JT_CALIBRATE_H
#define JT_CALIBRATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jetsam/core/error.h"
#include "calibrate/field/field.h"
#include "jetsam/core/models.h"
#include "jetsam/lab/probelog.h"
#include "jetsam/report/report.h"
#include "jetsam/lab/runrec.h"
#include "calibrate/table/table.h"
#include "jetsam/core/emit.h"

/* The default step assumed when no evidence says (reports only). */
#define JT_DEFAULT_STEP_BYTES (1024 * 1024)

struct jt_lab;

struct jt_calibrate_options {
	enum jt_statistic statistic;
	double fraction;          /* last-resort fraction, (0, 1] */
	const char *tool_version; /* borrowed */
	const char *release;      /* NULL if none */
	const char *generated_at; /* NULL if none */
	int strict_field;         /* page growth for a model with no lab
				     data is an error, as before field-only
				     models */
	const char *root;         /* input paths are written relative to it;
				     NULL: the current directory */
};

/* jt_lab_new - an empty evidence set; NULL with JT_ENOMEM. */
struct jt_lab *jt_lab_new(struct jt_error *err);

/* jt_lab_free - release lab; NULL is a no-op. */
void jt_lab_free(struct jt_lab *lab);

/*
 * jt_lab_add_input - hash the file at path and list it as an input of the
 * given kind ("run", "probe-log", "report").  A path listed twice is
 * JT_EINVAL ("given twice").  JT_EIO when it cannot be read.
 */
int jt_lab_add_input(struct jt_lab *lab, const char *path, const char *kind,
		     struct jt_error *err);

/*
 * jt_lab_add_run - add the evidence of run record r (borrowed) read from
 * input.  A run killed for a reason other than a limit kill
 * ("per-process-limit", or "oom-kill" from a local cgroup run; none given
 * counts as a limit kill), or a failed run's record (failure set), is
 * listed as excluded, not used.  Fails with
 * JT_EINVAL at input for a run without os_version, a run_id already seen
 * (naming the other file), or a run that gives no estimate at all.
 */
int jt_lab_add_run(struct jt_lab *lab, const struct jt_runrec *r,
		   const char *input, struct jt_error *err);

/*
 * jt_calibrate_build - fill t (initialised here) from lab, field (NULL
 * accepted) and models (borrowed).  Every lab key becomes an entry; every
 * model with field data and no lab evidence becomes a field-only model;
 * known models with field growth (lab or field-only) make the RAM
 * classes.  Input paths are written relative to opt->root.  Fails, with t
 * released, with JT_EINVAL when there is no lab evidence, a release label
 * or field model name jt_table_name_check refuses, or (strict_field) at
 * the field file and line where page growth for a model with no lab data
 * first appears; JT_EIO when the root cannot be resolved.  Unknown models
 * are kept and flagged (known_model false).
 */
int jt_calibrate_build(struct jt_table *t, const struct jt_lab *lab,
		       const struct jt_field *field,
		       const struct jt_models *models,
		       const struct jt_calibrate_options *opt,
		       struct jt_error *err);

/* ---- a whole calibration ------------------------------------------------- */

/*
 * jt_diag_fn - receives one diagnostic (a bad input, a malformed row, a
 * warning about the table), borrowed for the call: the front-end prints
 * it.  Its code is the error's class; warnings use JT_EINVAL.
 */
typedef void (*jt_diag_fn)(void *ctx, const struct jt_error *diag);

/* One JetsamEvent report to read. */
struct jt_calibrate_report {
	const char *path;
	int from_dir; /* found in a directory: a non-report is skipped */
};

/* What one calibration reads (all borrowed). */
struct jt_calibrate_inputs {
	const char *const *runs; /* run records (run.json) */
	size_t nruns;
	const char *const *probelogs; /* raw probe logs */
	size_t nprobelogs;
	const struct jt_calibrate_report *reports;
	size_t nreports;
	const char *const *fields; /* field data files */
	size_t nfields;
	const char *profile; /* of probe logs; NULL: "app" */
	long max_bad_rows;   /* malformed field rows tolerated */
	int jobs;            /* threads for field data (0, 1: one) */
};

/*
 * jt_calibrate_make - read every input of in and build t (initialised
 * here) with models (borrowed, NULL accepted) and opt.  Each bad input,
 * malformed field row and the build's own error goes to diag, and the
 * reading goes on with the next input (field files stop at the first
 * that fails); then, if anything failed, -1 with JT_EINVAL "nothing
 * written: ..." (t empty).  0 with t filled otherwise.
 */
int jt_calibrate_make(struct jt_table *t, const struct jt_calibrate_inputs *in,
		      const struct jt_models *models,
		      const struct jt_calibrate_options *opt, jt_diag_fn diag,
		      void *ctx, struct jt_error *err);

/*
 * jt_calibrate_notes - the warnings a built table deserves, one call of
 * diag each: unknown models, keys with no headroom, disagreeing evidence,
 * field-only models without growth, excluded kills.
 */
void jt_calibrate_notes(const struct jt_table *t, jt_diag_fn diag, void *ctx);

/* How many models a table covers, and how. */
struct jt_coverage {
	size_t lab_models;           /* models with a lab entry */
	size_t lab_no_growth;        /* ... of which without field growth */
	size_t field_only;           /* field data, no lab evidence */
	size_t field_only_no_growth; /* ... of which sessions only */
	size_t device_models;        /* models in the device table */
	size_t missing; /* device-table models with neither: RAM class or
			   fraction at run time */
};

/* jt_calibrate_coverage - count t's models against models (NULL: none). */
void jt_calibrate_coverage(const struct jt_table *t,
			   const struct jt_models *models,
			   struct jt_coverage *c);

/* ---- backtest ------------------------------------------------------------ */

/*
 * What replaying held-out field data against a table says about one model
 * (see evaluate.c).  Headroom of a page-growth sample is ceiling -
 * threshold - growth: what is left below the ceiling after a page is
 * pushed at the threshold; below 0, that kill was not prevented.
 */
struct jt_eval_model {
	char *model;
	const char *source; /* "measured", "carried-over",
			       "measured+carried-over"; NULL: not evaluated */
	const char *why;    /* static: why not evaluated, or NULL */
	long sessions;      /* non-OOM sessions replayed */
	long needless;      /* ... whose peak crossed the threshold */
	long oom_sessions;  /* sessions ended by an OOM (not judged) */
	long growth_samples;
	long unprevented; /* samples with threshold + growth > ceiling */
	int64_t headroom_min_bytes; /* exact, may be negative */
	int64_t headroom_p10_bytes; /* of max(headroom, 0), within the */
	int64_t headroom_p50_bytes; /* sketch's 1/128 relative error */
	int64_t headroom_max_bytes; /* exact */
	long rows_skipped;          /* rows of a model not evaluated */
};

struct jt_eval_state;

struct jt_eval {
	struct jt_eval_model *models; /* sorted by model */
	size_t nmodels;
	char *profile; /* the profile whose thresholds were replayed */
	long sessions, needless, growth_samples, unprevented; /* totals */
	struct jt_eval_state *state;
};

/*
 * jt_eval_begin - start a backtest of t (borrowed, kept until
 * jt_eval_end) for profile (NULL: "app"): every raw row field reads from
 * now on is replayed (jt_field_set_row_hook).  Rows of a model the table
 * has lab entries for are judged against the entry the lookup gives for
 * their OS; other models are counted as not evaluated, with the reason.
 * -1 with JT_ENOMEM (ev released).
 */
int jt_eval_begin(struct jt_eval *ev, const struct jt_table *t,
		  const char *profile, struct jt_field *field,
		  struct jt_error *err);

/* jt_eval_end - detach from field and finish ev's per-model results. */
int jt_eval_end(struct jt_eval *ev, struct jt_field *field,
		struct jt_error *err);

/* jt_eval_release - free what ev owns; ev may be begun again. */
void jt_eval_release(struct jt_eval *ev);

/*
 * jt_eval_files - the whole backtest of t over raw field files (CSV or
 * JSON Lines, page growth or sessions).  Malformed rows and a file that
 * fails (an aggregate cannot be replayed) go to diag; then -1 with
 * JT_EINVAL (ev released).  0 with ev filled otherwise.
 */
int jt_eval_files(struct jt_eval *ev, const struct jt_table *t,
		  const char *const *files, size_t nfiles, const char *profile,
		  long max_bad_rows, jt_diag_fn diag, void *ctx,
		  struct jt_error *err);

/*
 * jt_eval_emit - one row per model to out in fmt: model, source,
 * sessions, needless_degradations, needless_share, growth_samples,
 * kills_not_prevented, kills_not_prevented_share, headroom min/p10/p50/
 * max bytes, note.  -1 with JT_EIO or JT_ENOMEM.
 */
int jt_eval_emit(const struct jt_eval *ev, FILE *out, enum jt_format fmt,
		 struct jt_error *err);

#endif
