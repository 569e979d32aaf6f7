/*
 * devjobs.h - device lab runs on a bench of phones at once
 *
 * One job per device: the device is opened, its runs (jt_devrun_once) go
 * one after another, and the jobs of different devices run in parallel,
 * one thread each, so a bench is measured at once.  What a front-end
 * needs from it is what a launcher or a scheduler needs too: the results
 * per run, in the order the devices were given, and hooks, never output.
 *
 * The library prints nothing and installs no signal handler.  The caller
 * owns the cancel flag (opts->run.stop, set by its Ctrl-C handler), starts
 * the probe through opts->run.launch (a prompt to a person, or a launcher
 * that starts the app itself) and hears about each run through run_end,
 * both called on the job's thread.
 */
#ifndef JT_DEVJOBS_H
#define JT_DEVJOBS_H

#include <stddef.h>

#include "devrun.h"
#include "jetsam/core/error.h"
#include "jetsam/lab/runrec.h"

/* One run of a job. */
struct jt_devjob_run {
	struct jt_runrec rec; /* as far as the run got; run_id NULL when it
				 made no directory */
	int recorded;         /* run.json was written */
	struct jt_error err;  /* why not, when not recorded */
};

struct jt_devjob {
	char *udid;                 /* NULL: the only connected device */
	long nruns;                 /* runs asked for */
	long done;                  /* runs attempted; a failed run ends the
				       job, so only the last may have failed */
	struct jt_devjob_run *runs; /* [nruns] */
	int failed;                 /* the device could not be opened, or a
				       run failed */
	struct jt_error err;        /* the first failure */
};

struct jt_devjobs_opts {
	const char *dir;           /* where the run directories go */
	struct jt_devrun_opts run; /* per run: timeouts, cancel flag, launch */
	/*
	 * run_end - called after each run (index i >= 0, job->runs[i] says
	 * how it went) and when the device cannot be opened (i == -1,
	 * job->err says why).  NULL ok.  Called on the job's thread: output
	 * from it must hold a lock of its own (e.g. flockfile(stderr)).
	 */
	void (*run_end)(const struct jt_devjob *job, long i, void *ud);
	void *ud;
};

/*
 * jt_devjobs_new - n jobs (a new array, jt_devjobs_free), one for each of
 * udids (copied; NULL entries and n == 0 both mean "the only connected
 * device": n == 0 gives one such job), each of nruns (>= 1) runs.  NULL
 * with JT_ENOMEM or JT_EUSAGE (nruns < 1).
 */
struct jt_devjob *jt_devjobs_new(const char *const *udids, size_t n, long nruns,
				 struct jt_error *err);

/*
 * jt_devjobs_run - run the n jobs in parallel, one thread each, and wait
 * for all.  Returns 0 when every run of every job was recorded, -1
 * otherwise; each job says what happened (failed, err, runs).  A job that
 * gets no thread fails on its own ("cannot start a thread"); err is set
 * only for a failure of the whole (none so far: the jobs carry theirs).
 */
int jt_devjobs_run(struct jt_devjob *jobs, size_t n,
		   const struct jt_devjobs_opts *o, struct jt_error *err);

/* jt_devjobs_free - free n jobs and their run records (NULL accepted). */
void jt_devjobs_free(struct jt_devjob *jobs, size_t n);

#endif
