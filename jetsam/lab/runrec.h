/*
 * runrec.h - the run record: what one lab run measured
 *
 * Local runs (supervisor or cgroup) and device runs write the same record, a
 * JSON object with sorted keys (run.json in the run's directory), and the
 * calibrator and the HTML report read it back.  Every byte count is an
 * int64 in bytes; -1 means "this source gave no estimate" and is written as
 * JSON null.
 */
#ifndef JT_RUNREC_H
#define JT_RUNREC_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "jetsam/core/error.h"
#include "probelog.h"

#define JT_RUNREC_VERSION 1

struct jt_runrec {
	char *run_id;     /* "<model>-<os>-<n>" or a timestamp; unique in DIR */
	char *kind;       /* "local" or "device" */
	char *enforcer;   /* "supervisor", "cgroup" or "jetsam" (a phone) */
	char *model;      /* product type, e.g. "iPhone12,1" */
	char *os_version; /* "14.2" */
	char *profile;    /* "app", "app-increased-memory-limit",
			     "notification-service-extension",
			     "widget-extension" (data/probelog-format.md) */
	char *udid;       /* device runs; NULL for local runs */
	char *probe_log;  /* file name of the probe log, relative to run.json */
	char *report;     /* file name of the JetsamEvent report, or NULL */

	int64_t truth_limit_bytes;  /* the enforced limit; -1 on a phone */
	int64_t kernel_limit_bytes; /* the limit the kernel's kill line states
				       ("ActiveHard N MB"), -1 if none */
	int64_t step_bytes;         /* probe step */
	int64_t rate_bytes_per_s;   /* requested rate */
	int64_t ramp_to_bytes;      /* --ramp-to target, -1 if none */

	/* Evidence: each source's estimate of the limit. */
	int64_t last_sample_bytes;         /* footprint of the last sample */
	int64_t crossing_bytes;            /* probe-only crossing estimate */
	int64_t footprint_remaining_bytes; /* footprint + remaining (exact) */
	int64_t report_bytes;              /* rpages x pageSize of the kill */
	int64_t first_warning_bytes;       /* footprint at the first warning */

	int64_t overshoot_bytes; /* kill footprint past the limit, or -1 */
	int64_t duration_ms;     /* probe start to kill */
	int64_t samples;         /* sample records in the log */
	int64_t effective_rate_bytes_per_s; /* measured over the run, -1 */
	char *kill_reason;    /* "per-process-limit", "oom-kill", ... */
	int exit_signal;      /* 9 for SIGKILL, 0 for a normal exit */
	int exit_status;      /* probe's exit status when it exited */
	int left_foreground;  /* the probe log shows the app went to the
				 background: the kill is not evidence */
	char *failure;        /* NULL for a run that is evidence; else why it
				 is not: "launch-failed", "left-foreground",
				 "no-kill", "no-report", "wrong-run",
				 "capture-failed", "interrupted" (a failed
				 run's record, JT_RUNREC_FAILED_NAME) */
	char *failure_detail; /* the error message, or NULL */
};

/* A failed run's record is saved under this name in its directory, beside
 * what was captured, so that nothing looking for run.json takes it. */
#define JT_RUNREC_FAILED_NAME "failed.json"

/* jt_runrec_init - an empty record: strings NULL, numbers -1. */
void jt_runrec_init(struct jt_runrec *r);

/* jt_runrec_release - free the strings r owns; r may be reused after init. */
void jt_runrec_release(struct jt_runrec *r);

/*
 * jt_runrec_to_json - a new JSON object (caller decrefs) for r, with
 * "version": JT_RUNREC_VERSION.  NULL on allocation failure (JT_ENOMEM).
 */
json_t *jt_runrec_to_json(const struct jt_runrec *r, struct jt_error *err);

/*
 * jt_runrec_from_json - fill r (initialised here) from obj (borrowed).
 * source names the file in errors.  Unknown keys are ignored so newer
 * records stay readable; a wrong type or a missing "model" is JT_EPARSE.
 * On failure r is released.
 */
int jt_runrec_from_json(struct jt_runrec *r, const json_t *obj,
			const char *source, struct jt_error *err);

/* jt_runrec_load - read and parse the run record at path into r. */
int jt_runrec_load(struct jt_runrec *r, const char *path, struct jt_error *err);

/*
 * jt_runrec_save - write r to path atomically (temporary file + rename),
 * pretty-printed with sorted keys.
 */
int jt_runrec_save(const struct jt_runrec *r, const char *path,
		   struct jt_error *err);

/* The longest model or OS name a run directory name is made of. */
#define JT_RUNREC_NAME_PART_MAX 64

/*
 * jt_runrec_mkdir - create dir if needed, then the run directory
 * dir/<model>-<os>-<n> with the first n not yet taken, for local and device
 * runs alike.  The run id ("<model>-<os>-<n>") goes to run_id and the
 * directory's path to path.  model and os must be 1 to
 * JT_RUNREC_NAME_PART_MAX bytes without '/', ".." or control characters
 * (else JT_EINVAL, nothing created), so a run directory never lands
 * outside dir.  Returns 0, or -1 with JT_EINVAL, JT_EIO (naming the
 * directory) or JT_ELIMIT (too many runs, or a name that would not fit
 * run_id or path: never cut).
 */
int jt_runrec_mkdir(const char *dir, const char *model, const char *os,
		    char *run_id, size_t idlen, char *path, size_t pathlen,
		    struct jt_error *err);

/*
 * jt_runrec_set_probe_evidence - what a probe log says, into r, for local
 * and device runs alike: from log's header (when it has one) the step and
 * the rate (when stated) and the ramp target; from s, the summary of log
 * (jt_probelog_summarize; NULL: none), the last sample, the crossing,
 * footprint + remaining, the first warning, the overshoot past the limit
 * it was given, the duration, the sample count and the effective rate.
 * Fields a caller knows better (a local run's enforcer sees the kill) are
 * set after this call.  log and s are borrowed.
 */
void jt_runrec_set_probe_evidence(struct jt_runrec *r,
				  const struct jt_probelog *log,
				  const struct jt_probe_summary *s);

/*
 * jt_runrec_probe_log_path - the path of the probe log the record r, read
 * from record_path, names: relative to the directory of record_path
 * unless absolute.  New string (free it), or NULL when r names no log or
 * memory runs out (JT_EINVAL or JT_ENOMEM in err).
 */
char *jt_runrec_probe_log_path(const struct jt_runrec *r,
			       const char *record_path, struct jt_error *err);

/*
 * jt_runrec_probelog_load - the probe log at path or, when path is a run
 * record (run.json), the probe log the record names (read with lenient as
 * jt_probelog_load does).  *log_path (new, free it) is the path of the log
 * read.  Returns a new log (jt_probelog_free), or NULL with the probe-log
 * reader's error for path when it is neither, or the error about the log a
 * record names.
 */
struct jt_probelog *jt_runrec_probelog_load(const char *path, int lenient,
					    char **log_path,
					    struct jt_error *err);

#endif
