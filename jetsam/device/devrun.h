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
	void *ud;
};

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
 * it).  Returns 0 when run.json was written; -1 when the capture failed
 * (unplugged: the probe log captured so far is kept), ended without a kill
 * (silence, Ctrl-C), or no matching report arrived in time; run.json is
 * only written for a complete run.
 */
int jt_devrun_once(struct jt_device *dev, const char *dir,
		   const struct jt_devrun_opts *o, struct jt_devrun_seen *seen,
		   struct jt_runrec *rec, struct jt_error *err);

#endif
