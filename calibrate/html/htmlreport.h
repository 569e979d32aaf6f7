/*
 * htmlreport.h - the lab report: one self-contained HTML file with SVG charts
 *
 * Per run: footprint over time with the limit, the first warning, the kill
 * and the overshoot marked.  Per model: ceiling, growth, baseline and danger
 * threshold side by side, and the field-only models.  The evidence table,
 * the diff against a previous table, and a backtest on held-out field data
 * when they are given.  The page loads nothing from outside
 * (no scripts, fonts or images), so it opens offline, and the same inputs
 * give the same bytes.
 */
#ifndef JT_HTMLREPORT_H
#define JT_HTMLREPORT_H

#include <stddef.h>
#include <stdio.h>

#include "jetsam/core/error.h"
#include "jetsam/lab/probelog.h"
#include "jetsam/lab/runrec.h"
#include "calibrate/engine/calibrate.h"
#include "calibrate/table/table.h"

/* One run as the report shows it. */
struct jt_html_run {
	const char *path;        /* run.json as given (borrowed) */
	struct jt_runrec rec;    /* owned */
	struct jt_probelog *log; /* owned; NULL if the log is missing */
};

struct jt_html_input {
	const char *title;        /* NULL: "jetsamkit lab report" */
	struct jt_html_run *runs; /* borrowed */
	size_t nruns;
	const struct jt_table *table;    /* NULL: no threshold section */
	const struct jt_table *previous; /* NULL: no diff section */
	const struct jt_eval *eval;      /* NULL: no backtest section */
};

/*
 * jt_html_run_load - read the run record at path (a run.json, or a
 * directory holding one) and the probe log it names, into run (initialised
 * here; release with jt_html_run_release).  A missing or unreadable log is
 * not an error: run->log stays NULL and the chart says so.  Returns 0, or
 * -1 when the run record itself cannot be read.
 */
int jt_html_run_load(struct jt_html_run *run, const char *path,
		     struct jt_error *err);

/* jt_html_run_release - free what run owns. */
void jt_html_run_release(struct jt_html_run *run);

/* jt_html_expected_series - how many series the run's chart draws. */
int jt_html_expected_series(const struct jt_html_run *run);

/*
 * jt_html_emit - write the whole page to out (borrowed).  Returns 0, or -1
 * with JT_EIO when the stream reports a write error.
 */
int jt_html_emit(FILE *out, const struct jt_html_input *in,
		 struct jt_error *err);

#endif
