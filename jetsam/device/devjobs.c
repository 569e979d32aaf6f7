/*
 * devjobs.c - one thread per device, its runs in sequence
 *
 * A job's thread owns its device handle from open to close; nothing is
 * shared between threads except the caller's read-only options and the
 * cancel flag.  Results stay in the job structs, so the caller reads them
 * in device order after every thread has ended, and the output does not
 * depend on which phone finished first.
 */
#include "devjobs.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"

struct worker {
	struct jt_devjob *job;
	const struct jt_devjobs_opts *o;
	pthread_t thread;
	int started;
};

static void
job_fail(struct jt_devjob *job, const struct jt_error *e)
{
	if (!job->failed)
		job->err = *e;
	job->failed = 1;
}

static void *
run_job(void *arg)
{
	struct worker *w = arg;
	struct jt_devjob *job = w->job;
	const struct jt_devjobs_opts *o = w->o;
	struct jt_devrun_seen seen = {NULL, 0};
	struct jt_device *dev;
	struct jt_error err;
	long i;

	jt_error_init(&err);
	dev = jt_device_open(job->udid, &err);
	if (dev == NULL) {
		job_fail(job, &err);
		if (o->run_end != NULL)
			o->run_end(job, -1, o->ud);
		return NULL;
	}
	for (i = 0; i < job->nruns; i++) {
		struct jt_devjob_run *r = &job->runs[i];

		if (o->run.stop != NULL && *o->run.stop)
			break;
		jt_error_init(&r->err);
		job->done = i + 1;
		if (jt_devrun_once(dev, o->dir, &o->run, &seen, &r->rec,
				   &r->err) == 0)
			r->recorded = 1;
		else
			job_fail(job, &r->err);
		if (o->run_end != NULL)
			o->run_end(job, i, o->ud);
		if (!r->recorded)
			break;
	}
	jt_devrun_seen_release(&seen);
	jt_device_close(dev);
	return NULL;
}

struct jt_devjob *
jt_devjobs_new(const char *const *udids, size_t n, long nruns,
	       struct jt_error *err)
{
	struct jt_devjob *jobs;
	size_t njobs = n > 0 ? n : 1, i;
	long r;

	if (nruns < 1) {
		jt_error_set_in(err, JT_EUSAGE, NULL,
				"a job needs at least one run");
		return NULL;
	}
	jobs = calloc(njobs, sizeof(*jobs));
	if (jobs == NULL) {
		jt_error_oom(err, NULL);
		return NULL;
	}
	for (i = 0; i < njobs; i++) {
		struct jt_devjob *j = &jobs[i];

		j->nruns = nruns;
		j->runs = calloc((size_t)nruns, sizeof(*j->runs));
		if (n > 0 && udids[i] != NULL)
			j->udid = strdup(udids[i]);
		if (j->runs == NULL ||
		    (n > 0 && udids[i] != NULL && j->udid == NULL)) {
			jt_devjobs_free(jobs, i + 1);
			jt_error_oom(err, NULL);
			return NULL;
		}
		for (r = 0; r < nruns; r++)
			jt_runrec_init(&j->runs[r].rec);
	}
	return jobs;
}

int
jt_devjobs_run(struct jt_devjob *jobs, size_t n,
	       const struct jt_devjobs_opts *o, struct jt_error *err)
{
	struct worker *w;
	size_t i;
	int rc = 0;

	(void)err; /* the jobs carry their own failures */
	w = calloc(n > 0 ? n : 1, sizeof(*w));
	for (i = 0; i < n; i++) {
		struct jt_error e;

		if (w != NULL) {
			w[i].job = &jobs[i];
			w[i].o = o;
			if (pthread_create(&w[i].thread, NULL, run_job,
					   &w[i]) == 0) {
				w[i].started = 1;
				continue;
			}
		}
		jt_error_init(&e);
		jt_error_set_in(&e, JT_ENOMEM, jobs[i].udid,
				"cannot start a thread for this device");
		job_fail(&jobs[i], &e);
		if (o->run_end != NULL)
			o->run_end(&jobs[i], -1, o->ud);
	}
	for (i = 0; w != NULL && i < n; i++)
		if (w[i].started)
			pthread_join(w[i].thread, NULL);
	free(w);
	for (i = 0; i < n; i++)
		if (jobs[i].failed || jobs[i].done < jobs[i].nruns)
			rc = -1;
	return rc;
}

void
jt_devjobs_free(struct jt_devjob *jobs, size_t n)
{
	size_t i;
	long r;

	for (i = 0; jobs != NULL && i < n; i++) {
		for (r = 0; jobs[i].runs != NULL && r < jobs[i].nruns; r++)
			jt_runrec_release(&jobs[i].runs[r].rec);
		free(jobs[i].runs);
		free(jobs[i].udid);
	}
	free(jobs);
}
