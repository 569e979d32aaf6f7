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

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "device.h"

struct worker {
	struct jt_devjob *job;
	const struct jt_devjobs_opts *o;
	struct jt_devrun_opts run; /* o->run, with this worker's on_sample */
	long cur_run;
	int cur_attempt;
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

static void
emit(const struct worker *w, enum jt_devjob_kind kind, long run, int attempt,
     const struct jt_devjob_run *result)
{
	struct jt_devjob_event ev;

	if (w->o->event == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.job = w->job;
	ev.run = run;
	ev.attempt = attempt;
	ev.footprint_bytes = -1;
	ev.limit_bytes = -1;
	ev.result = result;
	w->o->event(&ev, w->o->ud);
}

static void
on_sample(void *ud, int64_t footprint_bytes, int64_t remaining_bytes)
{
	struct worker *w = ud;
	struct jt_devjob_event ev;

	if (w->o->event == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = JT_DEVJOB_SAMPLE;
	ev.job = w->job;
	ev.run = w->cur_run;
	ev.attempt = w->cur_attempt;
	ev.footprint_bytes = footprint_bytes;
	ev.limit_bytes = footprint_bytes >= 0 && remaining_bytes >= 0
		? footprint_bytes + remaining_bytes
		: -1;
	w->o->event(&ev, w->o->ud);
}

/* new_attempt - a fresh slot at the end of job->runs, or NULL. */
static struct jt_devjob_run *
new_attempt(struct jt_devjob *job)
{
	struct jt_devjob_run *r;

	if (job->nattempts == job->cap) {
		size_t cap = job->cap ? 2 * job->cap : 4;

		r = realloc(job->runs, cap * sizeof(*r));
		if (r == NULL)
			return NULL;
		job->runs = r;
		job->cap = cap;
	}
	r = &job->runs[job->nattempts++];
	memset(r, 0, sizeof(*r));
	jt_runrec_init(&r->rec);
	jt_error_init(&r->err);
	return r;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * scan_one - add the record at path, found in the directory named sub, if
 * it is udid's; -1 only for ENOMEM.  A record whose run id is not the name
 * of its directory is not taken: the id becomes part of paths (the
 * refresh reads runs/<run id>/run.json), and a file may say anything.
 */
static int
scan_one(struct jt_devjob *job, const char *path, const char *sub,
	 const char *udid, struct jt_error *err)
{
	struct jt_devjob_run *r;
	struct jt_runrec rec;

	if (jt_runrec_load(&rec, path, NULL) < 0)
		return 0;
	if (rec.udid == NULL || strcmp(rec.udid, udid) != 0 ||
	    rec.kind == NULL || strcmp(rec.kind, "device") != 0 ||
	    rec.run_id == NULL || strcmp(rec.run_id, sub) != 0) {
		jt_runrec_release(&rec);
		return 0;
	}
	r = new_attempt(job);
	if (r == NULL) {
		jt_runrec_release(&rec);
		return jt_error_oom(err, path);
	}
	r->rec = rec;
	r->resumed = 1;
	if (rec.failure == NULL &&
	    strstr(path, JT_RUNREC_FAILED_NAME) == NULL) {
		r->recorded = 1;
		r->run = ++job->ok;
	} else {
		job->failed_attempts++;
		r->run = job->ok + 1;
		jt_error_set_in(&r->err, JT_EINVAL, rec.run_id,
				"%s (an earlier attempt)",
				rec.failure != NULL ? rec.failure : "failed");
	}
	return 0;
}

int
jt_devjobs_scan(struct jt_devjob *job, const char *dir, const char *udid,
		struct jt_error *err)
{
	static const char *const names[] = {"run.json", JT_RUNREC_FAILED_NAME};
	char **subs = NULL;
	size_t nsubs = 0, i, k;
	struct dirent *de;
	DIR *dp;
	int rc = 0;

	dp = opendir(dir);
	if (dp == NULL)
		return 0;
	while ((de = readdir(dp)) != NULL) {
		char **grown;

		if (de->d_name[0] == '.')
			continue;
		grown = realloc(subs, (nsubs + 1) * sizeof(*subs));
		if (grown == NULL ||
		    (grown[nsubs] = strdup(de->d_name)) == NULL) {
			subs = grown != NULL ? grown : subs;
			rc = jt_error_oom(err, dir);
			break;
		}
		subs = grown;
		nsubs++;
	}
	closedir(dp);
	if (subs != NULL)
		qsort(subs, nsubs, sizeof(*subs), name_cmp);
	for (i = 0; i < nsubs && rc == 0; i++)
		for (k = 0; k < 2 && rc == 0; k++) {
			size_t len = strlen(dir) + strlen(subs[i]) + 16;
			char *p = malloc(len);

			if (p == NULL) {
				rc = jt_error_oom(err, dir);
				break;
			}
			snprintf(p, len, "%s/%s/%s", dir, subs[i], names[k]);
			if (access(p, F_OK) == 0)
				rc = scan_one(job, p, subs[i], udid, err);
			free(p);
		}
	for (i = 0; i < nsubs; i++)
		free(subs[i]);
	free(subs);
	return rc;
}

/* resume - count what dir holds for udid, and say so. */
static void
resume(struct worker *w, const char *udid)
{
	struct jt_error e;
	size_t before = w->job->nattempts;

	jt_error_init(&e);
	if (jt_devjobs_scan(w->job, w->o->dir, udid, &e) < 0)
		job_fail(w->job, &e);
	else if (w->job->nattempts > before)
		emit(w, JT_DEVJOB_RESUMED, w->job->ok, 0, NULL);
}

/*
 * one_run - the attempts at run number run until one is evidence: 0, or
 * -1 when the job is to end (cancelled, device gone, or every attempt of
 * this run failed).
 */
static int
one_run(struct worker *w, struct jt_device *dev, struct jt_devrun_seen *seen,
	long run)
{
	struct jt_devjob *job = w->job;
	const struct jt_devjobs_opts *o = w->o;
	int attempt;

	for (attempt = 1;; attempt++) {
		struct jt_devjob_run *r;

		if (o->run.stop != NULL && *o->run.stop)
			return -1;
		r = new_attempt(job);
		if (r == NULL) {
			struct jt_error e;

			jt_error_init(&e);
			jt_error_oom(&e, job->udid);
			job_fail(job, &e);
			return -1;
		}
		r->run = run;
		r->attempt = attempt;
		w->cur_run = run;
		w->cur_attempt = attempt;
		emit(w, JT_DEVJOB_RUN_START, run, attempt, NULL);
		if (jt_devrun_once(dev, o->dir, &w->run, seen, &r->rec,
				   &r->err) == 0) {
			r->recorded = 1;
			job->ok++;
			emit(w, JT_DEVJOB_RUN_END, run, attempt,
			     &job->runs[job->nattempts - 1]);
			return 0;
		}
		job->failed_attempts++;
		/* the slot may move when the next one is made: emit now */
		emit(w, JT_DEVJOB_RUN_END, run, attempt,
		     &job->runs[job->nattempts - 1]);
		r = &job->runs[job->nattempts - 1];
		if (o->run.stop != NULL && *o->run.stop)
			return -1;
		if (!jt_device_listed(jt_device_get_info(dev)->udid) ||
		    attempt > o->retries) {
			job_fail(job, &r->err);
			return -1;
		}
	}
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
	long run;

	/* A known phone's finished runs count even if it is not here. */
	if (o->resume && job->udid != NULL)
		resume(w, job->udid);
	jt_error_init(&err);
	dev = jt_device_open(job->udid, &err);
	if (dev == NULL) {
		job_fail(job, &err);
		emit(w, JT_DEVJOB_OPEN_FAILED, 0, 0, NULL);
		return NULL;
	}
	if (o->resume && job->udid == NULL)
		resume(w, jt_device_get_info(dev)->udid);
	for (run = job->ok + 1; run <= job->nruns && !job->failed; run++)
		if (one_run(w, dev, &seen, run) < 0)
			break;
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
		jt_error_init(&j->err);
		if (n > 0 && udids[i] != NULL) {
			j->udid = strdup(udids[i]);
			if (j->udid == NULL) {
				jt_devjobs_free(jobs, i + 1);
				jt_error_oom(err, NULL);
				return NULL;
			}
		}
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
	/* libusbmuxd 2.0.2 sets up its program name on first use, unlocked
	 * (get_prog_name): make that use here, before the threads race. */
	{
		char **udids = NULL;
		size_t k;

		if (jt_device_udids(&udids, &k, NULL) == 0)
			jt_device_udids_free(udids);
	}
	w = calloc(n > 0 ? n : 1, sizeof(*w));
	for (i = 0; i < n; i++) {
		struct jt_error e;

		if (w != NULL) {
			w[i].job = &jobs[i];
			w[i].o = o;
			w[i].run = o->run;
			w[i].run.on_sample = on_sample;
			w[i].run.sample_ud = &w[i];
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
		if (o->event != NULL) {
			struct jt_devjob_event ev;

			memset(&ev, 0, sizeof(ev));
			ev.kind = JT_DEVJOB_OPEN_FAILED;
			ev.job = &jobs[i];
			o->event(&ev, o->ud);
		}
	}
	for (i = 0; w != NULL && i < n; i++)
		if (w[i].started)
			pthread_join(w[i].thread, NULL);
	free(w);
	for (i = 0; i < n; i++)
		if (jobs[i].failed || jobs[i].ok < jobs[i].nruns)
			rc = -1;
	return rc;
}

void
jt_devjobs_free(struct jt_devjob *jobs, size_t n)
{
	size_t i, r;

	for (i = 0; jobs != NULL && i < n; i++) {
		for (r = 0; r < jobs[i].nattempts; r++)
			jt_runrec_release(&jobs[i].runs[r].rec);
		free(jobs[i].runs);
		free(jobs[i].udid);
	}
	free(jobs);
}
