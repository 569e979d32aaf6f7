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

#include "jetsam/core/error.h"
#include "calibrate/field/field.h"
#include "jetsam/core/models.h"
#include "jetsam/lab/probelog.h"
#include "jetsam/report/report.h"
#include "jetsam/lab/runrec.h"
#include "calibrate/table/table.h"

/* The default step assumed when no evidence says (reports only). */
#define JT_DEFAULT_STEP_BYTES (1024 * 1024)

struct jt_lab;

struct jt_calibrate_options {
	enum jt_statistic statistic;
	double fraction;          /* last-resort fraction, (0, 1] */
	const char *tool_version; /* borrowed */
	const char *release;      /* NULL if none */
	const char *generated_at; /* NULL if none */
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
 * jt_lab_add_probelog - add the evidence of a raw probe log (borrowed)
 * read from input, under profile (the log does not say which).  JT_EINVAL
 * when the log has no header with model and OS version, or no samples, or
 * gives no estimate.
 */
int jt_lab_add_probelog(struct jt_lab *lab, const struct jt_probelog *log,
			const char *input, const char *profile,
			struct jt_error *err);

/*
 * jt_lab_add_report - add the limit kills of a JetsamEvent report
 * (borrowed) read from input, under profile "app"; every other kill is
 * listed as excluded.  JT_EINVAL when the report names no product or OS
 * version.  Returns the number of limit kills used (0 is not an error).
 */
int jt_lab_add_report(struct jt_lab *lab, const struct jt_report *rep,
		      const char *input, struct jt_error *err);

/* jt_lab_keys - the number of keys with usable evidence. */
size_t jt_lab_keys(const struct jt_lab *lab);

/*
 * jt_calibrate_build - fill t (initialised here) from lab, field (NULL
 * accepted) and models (borrowed).  Fails, with t released, with
 * JT_EINVAL when there is no lab evidence, or with JT_EINVAL at the field
 * file and line where page growth for a model with no lab data first
 * appears.  Unknown models are kept and flagged (known_model false).
 */
int jt_calibrate_build(struct jt_table *t, const struct jt_lab *lab,
		       const struct jt_field *field,
		       const struct jt_models *models,
		       const struct jt_calibrate_options *opt,
		       struct jt_error *err);

#endif
