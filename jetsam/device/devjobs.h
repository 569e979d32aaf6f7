/*
 * devjobs.h - device lab runs on a bench of phones at once
 *
 * One job per device: the device is opened, its runs (jt_devrun_once) go
 * one after another, and the jobs of different devices run in parallel,
 * one thread each, so a bench is measured at once.  What a front-end
 * needs from it is what a launcher or a scheduler needs too: the results
 * per run, in the order the devices were given, and hooks, never output.
 *
 * A run that fails (jetsam/device/devrun.h says which failures there are)
 * is attempted again, up to opts->retries more times; every attempt keeps
 * its own directory, and a failed one its failed record.  A job ends when
 * its runs are done, when one run failed every attempt, when the device
 * is gone, or on the cancel flag.  With opts->resume the runs a directory
 * already holds for a device (run.json, and failed records) count as done
 * and only the rest are made, so a crashed or interrupted bench resumes.
 *
 * The library prints nothing and installs no signal handler.  The caller
 * owns the cancel flag (opts->run.stop, set by its Ctrl-C handler), starts
 * the probe through opts->run.launch (a prompt to a person, or a launcher
 * that starts the app itself) and hears about each step through event,
 * called on the job's thread.
 */
#ifndef JT_DEVJOBS_H
#define JT_DEVJOBS_H

#include <stddef.h>

#include "devrun.h"
#include "jetsam/core/error.h"
#include "jetsam/lab/runrec.h"

/* One attempt at a run of a job. */
struct jt_devjob_run {
	struct jt_runrec rec; /* as far as the run got; run_id NULL when it
				 made no directory */
	int recorded;         /* run.json was written: evidence */
	int resumed;          /* found in the directory, not made now */
	long run;             /* which run of the job, 1-based */
	int attempt;          /* 1-based; 0 for a resumed one */
	struct jt_error err;  /* why not, when not recorded */
};

struct jt_devjob {
	char *udid;                 /* NULL: the only connected device */
	long nruns;                 /* good runs asked for */
	long ok;                    /* good runs (resumed ones included) */
	long failed_attempts;       /* attempts that were no evidence */
	struct jt_devjob_run *runs; /* every attempt, in order: nattempts */
	size_t nattempts;
	size_t cap;
	int failed;          /* the device could not be opened, a run
				failed every attempt, or it was cut short */
	struct jt_error err; /* the first failure that ended the job */
};

/* What event tells. */
enum jt_devjob_kind {
	JT_DEVJOB_OPEN_FAILED, /* job->err says why */
	JT_DEVJOB_RESUMED,     /* ev->run runs were found done */
	JT_DEVJOB_RUN_START,   /* attempt ev->attempt of run ev->run */
	JT_DEVJOB_SAMPLE,      /* a probe sample: footprint, limit */
	JT_DEVJOB_RUN_END      /* ev->result says how it went */
};

struct jt_devjob_event {
	enum jt_devjob_kind kind;
	const struct jt_devjob *job;
	long run;                           /* 1-based; RESUMED: how many */
	int attempt;                        /* 1-based */
	int64_t footprint_bytes;            /* SAMPLE */
	int64_t limit_bytes;                /* SAMPLE: footprint + remaining,
					       -1 when the probe cannot tell */
	const struct jt_devjob_run *result; /* RUN_END */
};

struct jt_devjobs_opts {
	const char *dir;           /* where the run directories go */
	struct jt_devrun_opts run; /* per run: timeouts, cancel flag, launch
				      (its on_sample is the library's) */
	long retries;              /* more attempts per failed run (>= 0) */
	int resume;                /* count runs already in dir */
	/*
	 * event - called on the job's thread at each step (NULL ok); output
	 * from it must hold a lock of its own (e.g. flockfile(stderr)).
	 * ev and what it points to are valid during the call only.
	 */
	void (*event)(const struct jt_devjob_event *ev, void *ud);
	void *ud;
};

/*
 * jt_devjobs_new - n jobs (a new array, jt_devjobs_free), one for each of
 * udids (copied; NULL entries and n == 0 both mean "the only connected
 * device": n == 0 gives one such job), each of nruns (>= 1) good runs.
 * NULL with JT_ENOMEM or JT_EUSAGE (nruns < 1).
 */
struct jt_devjob *jt_devjobs_new(const char *const *udids, size_t n, long nruns,
				 struct jt_error *err);

/*
 * jt_devjobs_run - run the n jobs in parallel, one thread each, and wait
 * for all.  Returns 0 when every job has its nruns good runs, -1
 * otherwise; each job says what happened (failed, err, runs).  A job that
 * gets no thread fails on its own ("cannot start a thread"); err is set
 * only for a failure of the whole (none so far: the jobs carry theirs).
 */
int jt_devjobs_run(struct jt_devjob *jobs, size_t n,
		   const struct jt_devjobs_opts *o, struct jt_error *err);

/*
 * jt_devjobs_scan - the runs dir holds for udid, sorted by directory
 * name, appended to job->runs as resumed (run.json: recorded, counted in
 * job->ok; a failed record: counted in job->failed_attempts).  A record
 * that cannot be read, or whose run_id is not the name of its directory,
 * is passed over.  -1 only with JT_ENOMEM; a missing
 * dir is no run.
 */
int jt_devjobs_scan(struct jt_devjob *job, const char *dir, const char *udid,
		    struct jt_error *err);

/* jt_devjobs_free - free n jobs and their run records (NULL accepted). */
void jt_devjobs_free(struct jt_devjob *jobs, size_t n);

#endif
