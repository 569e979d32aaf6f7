/*
 * refresh.h - a release refresh: runs on every phone, then the table
 *
 * The whole loop a lab machine runs overnight for a release, in one call:
 *
 *   1. runs on every phone in parallel (jetsam/device/devjobs.h) into
 *      DIR/runs, resuming: runs already there count, so a rerun after a
 *      crash or an unplugged phone makes only what is missing;
 *   2. pull: the JetsamEvent reports left on each phone (kills no good
 *      run matched) into DIR/pulled/<udid>, kept for the record and
 *      cleared off the phone, never used as evidence;
 *   3. calibrate the good runs (run.json only: failed runs are not
 *      evidence) with the field data into DIR/table.json, .plist, .h;
 *   4. diff against the previous release's table into DIR/diff.txt, the
 *      gate failing when a threshold moved more than fail_over_pct;
 *   5. the HTML report, DIR/report.html;
 * and a summary (DIR/refresh.json, and the result struct).  Every file
 * is written to a temporary name and renamed.
 *
 * It sits above both the device layer and the calibrator, so it lives
 * beside the calibrator's modules (calibrate/ may use the jetsam/
 * libraries, never the reverse), and the
 * front-end (jetsam/cli/cmd_refresh.c) only parses argv and prints.  It
 * prints nothing itself.
 */
#ifndef JT_REFRESH_H
#define JT_REFRESH_H

#include <stddef.h>

#include "calibrate/engine/calibrate.h"
#include "calibrate/table/diff.h"
#include "jetsam/core/error.h"
#include "jetsam/core/models.h"
#include "jetsam/device/devjobs.h"

struct jt_refresh_opts {
	const char *release;    /* the label, e.g. "2026.11" */
	const char *dir;        /* everything goes under it */
	struct jt_devjob *jobs; /* one per phone (jt_devjobs_new) */
	size_t njobs;
	struct jt_devjobs_opts run; /* hooks and run options; dir and
				       resume are set here */
	const char *const *field;   /* field data files */
	size_t nfield;
	long max_bad_rows;    /* malformed field rows allowed */
	const char *previous; /* the previous table, or NULL */
	double fail_over_pct; /* the gate; < 0: none */
	const struct jt_models *models;
	struct jt_calibrate_options calibrate; /* release set here */
};

struct jt_refresh_result {
	size_t phones;        /* phones asked for */
	size_t phones_done;   /* with all their good runs */
	long runs_ok;         /* good runs, resumed ones included */
	long runs_resumed;    /* good runs found from an earlier call */
	long attempts_failed; /* failed attempts, earlier ones included */
	long reports_pulled;  /* reports left on the phones, kept aside */
	long pulls_failed;    /* phones whose pull failed or could not be
				 done (unplugged) */
	size_t entries;       /* table entries */
	int compared;         /* a previous table was given and read */
	struct jt_diff_stats diff;
	int gate_failed; /* some threshold moved more than allowed */
};

/*
 * jt_refresh_run - the whole refresh (above) for o into *res (filled as
 * far as it got).  Returns 0 once the table, diff and report are written,
 * whether or not every phone got its runs and whatever the gate says
 * (res tells: the caller decides the exit status); -1 with err when it
 * could not go on: a directory that cannot be made, no good run at all,
 * bad field data (file:line), an unreadable previous table, an output
 * that cannot be written.
 */
int jt_refresh_run(const struct jt_refresh_opts *o,
		   struct jt_refresh_result *res, struct jt_error *err);

#endif
