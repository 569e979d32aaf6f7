/*
 * devrun.h - one device lab run: capture until killed, pull, match, record
 *
 * The steps an engineer would do by hand with idevicesyslog and
 * idevicecrashreport, as one: the probe's log is captured live until the
 * kernel kills it, the JetsamEvent report of that kill is pulled (waiting
 * for the crash reporter to write it) and matched to the run by the
 * probe's pid and name, and the run record (jetsam/lab/runrec.h, kind
 * "device", enforcer "jetsam") is written beside both.  Layout, as for
 * local runs: DIR/<model>-<os>-<n>/{probe.jsonl, <report>.ips,
 * device.json, run.json}.
 *
 * A run that proves nothing is no evidence and gets no run.json: a launch
 * that failed, a probe that left the foreground, a capture that ended
 * without the kill, a report that never came, a log of another run.  Its
 * directory keeps what was captured and a record of the failure
 * (JT_RUNREC_FAILED_NAME, with "failure" set), so it is counted and
 * shown, and never taken for a run.
 */
#ifndef JT_DEVRUN_H
#define JT_DEVRUN_H

#include <signal.h>
#include <stdint.h>

#include "device.h"
#include "jetsam/core/error.h"
#include "jetsam/core/models.h"
#include "jetsam/report/report.h"
#include "jetsam/lab/runrec.h"

#define JT_DEVRUN_PROBE_LOG "probe.jsonl"

struct jt_devrun_opts {
	const char *marker;             /* NULL: the default marker */
	const char *profile;            /* run record profile; NULL: "app" */
	int64_t silence_ms;             /* capture silence timeout */
	int64_t grace_ms;               /* wait for the second kill line */
	int64_t report_wait_ms;         /* how long to wait for the report */
	int keep;                       /* leave the report on the device */
	volatile sig_atomic_t *stop;    /* cancel flag (the caller's Ctrl-C
					   handler sets it); NULL ok */
	const struct jt_models *models; /* page-size check; NULL ok */
	/*
	 * launch - start the probe, called once the syslog stream is up so
	 * that nothing it logs is missed (NULL: it is started some other
	 * way).  A front-end's prompt tells a person to open the app and
	 * returns 0; an unattended launcher starts the app on dev itself.
	 * Returns 0, or -1 with err set, which fails the run.  Called on the
	 * thread that runs the device.
	 */
	int (*launch)(struct jt_device *dev, const char *run_id, void *ud,
		      struct jt_error *err);
	/*
	 * abandon - called after a run that failed while the probe may
	 * still be running (it left the foreground, was never killed, or
	 * logged for another run), so that whoever launched it can end it
	 * before the next run.  NULL ok.  Same ud as launch.
	 */
	void (*abandon)(struct jt_device *dev, void *ud);
	void *ud;
	/* on_sample - each probe sample as it arrives (footprint, and the
	 * remaining bytes or -1), for progress; NULL ok. */
	void (*on_sample)(void *ud, int64_t footprint_bytes,
			  int64_t remaining_bytes);
	void *sample_ud;
};

/* Why a run is not evidence. */
enum jt_devrun_failure {
	JT_DEVRUN_OK,
	JT_DEVRUN_LAUNCH_FAILED,   /* the launch hook failed */
	JT_DEVRUN_LEFT_FOREGROUND, /* the app went to the background */
	JT_DEVRUN_NO_KILL,         /* the capture ended without a kill */
	JT_DEVRUN_NO_REPORT,       /* no matching report came in time */
	JT_DEVRUN_WRONG_RUN,       /* the log names another run id */
	JT_DEVRUN_CAPTURE_FAILED,  /* the stream or the disk failed */
	JT_DEVRUN_INTERRUPTED      /* the cancel flag was set */
};

/* jt_devrun_failure_name - "launch-failed", "left-foreground", "no-kill",
 * "no-report", "wrong-run", "capture-failed", "interrupted"; NULL for
 * JT_DEVRUN_OK. */
const char *jt_devrun_failure_name(enum jt_devrun_failure f);

/* Report names already matched by earlier runs on the same device. */
struct jt_devrun_seen {
	char **names;
	size_t n;
};

/* jt_devrun_seen_release - free what seen holds. */
void jt_devrun_seen_release(struct jt_devrun_seen *seen);

/*
 * jt_devrun_match - the index of the process of r that is the probe: the
 * killed process (one with a reason) with pid, or when the report has no
 * pids (text reports) with a name that name starts with (reports cut names
 * to 16 or 32 characters).  -1 when none.
 */
long jt_devrun_match(const struct jt_report *r, long pid, const char *name);

/*
 * jt_devrun_once - one run on dev into a new directory under dir.  rec is
 * initialised here and filled as far as the run got (the caller releases
 * it).  Returns 0 when run.json was written.  Returns -1 with err set
 * when the run is no evidence: rec->failure then names why
 * (jt_devrun_failure_name) and the failed record was written beside what
 * was captured, or rec->run_id is NULL when not even the directory could
 * be made.  The probe is given the run's id (rec->run_id) by the launch
 * hook; a log whose header names another id is a failure.
 */
int jt_devrun_once(struct jt_device *dev, const char *dir,
		   const struct jt_devrun_opts *o, struct jt_devrun_seen *seen,
		   struct jt_runrec *rec, struct jt_error *err);

#endif
