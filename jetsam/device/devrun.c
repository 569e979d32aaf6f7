/*
 * devrun.c - one device lab run: capture until killed, pull, match, record
 *
 * Works through jetsam/device/device.h only.  The report is matched by the pid
 * the probe logged from (the syslog record's pid) rather than by time:
 * the phone's clock and ours disagree, and the report's timestamp is when
 * the crash reporter wrote it, seconds after the kill.
 */
#include "devrun.h"
#include "jetsam/core/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "devpull.h"
#include "jetsam/lab/probelog.h"

void
jt_devrun_seen_release(struct jt_devrun_seen *seen)
{
	size_t i;

	for (i = 0; i < seen->n; i++)
		free(seen->names[i]);
	free(seen->names);
	seen->names = NULL;
	seen->n = 0;
}

static int
seen_has(const struct jt_devrun_seen *seen, const char *name)
{
	size_t i;

	for (i = 0; seen != NULL && i < seen->n; i++)
		if (strcmp(seen->names[i], name) == 0)
			return 1;
	return 0;
}

static void
seen_add(struct jt_devrun_seen *seen, const char *name)
{
	char **grown;

	if (seen == NULL)
		return;
	grown = realloc(seen->names, (seen->n + 1) * sizeof(*grown));
	if (grown == NULL)
		return;
	seen->names = grown;
	seen->names[seen->n] = strdup(name);
	if (seen->names[seen->n] != NULL)
		seen->n++;
}

long
jt_devrun_match(const struct jt_report *r, long pid, const char *name)
{
	size_t i;

	for (i = 0; i < r->nprocesses; i++) {
		const struct jt_process *p = &r->processes[i];

		if (p->reason == NULL)
			continue;
		if (p->pid >= 0 && pid >= 0) {
			if (p->pid == pid)
				return (long)i;
			continue;
		}
		/* no pid in the report: the (possibly cut) name */
		if (p->pid < 0 && name != NULL && name[0] != '\0' &&
		    p->name != NULL && p->name[0] != '\0' &&
		    strncmp(name, p->name, strlen(p->name)) == 0)
			return (long)i;
	}
	return -1;
}

static void
sleep_ms(int64_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/*
 * fetch_report - wait for the report of the kill of pid/name; on success
 * it is saved in rundir, *name_out (new) is its name, *report (new) its
 * parse and *proc the probe's index.  A file that cannot be the report
 * (a refused name, no stated size, larger than a report may be) or that
 * fails to read on its own (a copy of the wrong size) is passed over, and
 * named if no report arrives in time.
 */
static int
fetch_report(struct jt_device *dev, const char *rundir,
	     const struct jt_devrun_opts *o, struct jt_devrun_seen *seen,
	     long pid, const char *pname, char **name_out,
	     struct jt_report **report, long *proc, struct jt_error *err)
{
	int64_t deadline = jt_capture_now_ms() + o->report_wait_ms;
	struct jt_error skipped;

	jt_error_init(&skipped);
	*name_out = NULL;
	*report = NULL;
	for (;;) {
		struct jt_device_file *files = NULL;
		size_t n = 0, i;

		if (jt_device_reports_flush(dev, NULL, err) < 0 ||
		    jt_device_reports_list(dev, &files, &n, err) < 0)
			return -1;
		/* newest first: names carry the date */
		for (i = n; i-- > 0;) {
			struct jt_report *r;
			enum jt_pull_status st;
			struct jt_error local;
			char *buf = NULL;
			size_t len = 0;
			long k;

			if (strncmp(files[i].name, "JetsamEvent", 11) != 0 ||
			    files[i].refused != NULL ||
			    files[i].size_bytes < 0 ||
			    seen_has(seen, files[i].name))
				continue;
			jt_error_init(&local);
			if (jt_device_report_read(dev, files[i].name,
						  files[i].size_bytes,
						  JT_PULL_MAX_BYTES, &buf, &len,
						  &local) < 0) {
				if (local.code != JT_EDEVICE &&
				    local.code != JT_ENOMEM) {
					/* this file only: look further */
					if (local.errnum != ENOENT &&
					    !jt_error_isset(&skipped))
						skipped = local;
					continue;
				}
				if (err != NULL && !jt_error_isset(err))
					*err = local;
				jt_device_files_free(files, n);
				return -1;
			}
			r = jt_report_parse(buf, len, files[i].name, o->models,
					    NULL);
			k = r != NULL ? jt_devrun_match(r, pid, pname) : -1;
			if (k < 0) {
				jt_report_free(r);
				free(buf);
				continue;
			}
			if (jt_pull_save(rundir, files[i].name, buf, len, &st,
					 err) < 0) {
				jt_report_free(r);
				free(buf);
				jt_device_files_free(files, n);
				return -1;
			}
			free(buf);
			/* a kept report must not be matched again; a removed
			 * one cannot be, and its name may come back */
			if (o->keep)
				seen_add(seen, files[i].name);
			if (!o->keep &&
			    jt_device_report_remove(dev, files[i].name, err) <
				    0) {
				jt_report_free(r);
				jt_device_files_free(files, n);
				return -1;
			}
			*name_out = strdup(files[i].name);
			*report = r;
			*proc = k;
			jt_device_files_free(files, n);
			return 0;
		}
		jt_device_files_free(files, n);
		if (o->stop != NULL && *o->stop)
			return jt_error_set_in(
				err, JT_EDEVICE, jt_device_get_info(dev)->udid,
				"interrupted while waiting for the JetsamEvent "
				"report of the kill of pid %ld",
				pid);
		if (jt_capture_now_ms() >= deadline)
			return jt_error_set_in(
				err, JT_EDEVICE, jt_device_get_info(dev)->udid,
				"no JetsamEvent report of the kill of pid %ld "
				"arrived within %lld s%s%s",
				pid, (long long)(o->report_wait_ms / 1000),
				jt_error_isset(&skipped) ? "; passed over: "
							 : "",
				jt_error_isset(&skipped) ? skipped.text : "");
		sleep_ms(1000);
	}
}

const char *
jt_devrun_failure_name(enum jt_devrun_failure f)
{
	static const char *const names[] = {
		NULL,        "launch-failed", "left-foreground", "no-kill",
		"no-report", "wrong-run",     "capture-failed",  "interrupted",
	};

	return (size_t)f < sizeof(names) / sizeof(names[0]) ? names[f]
							    : "failed";
}

/*
 * fill_evidence - the probe log's figures into rec.  *other_run (NULL
 * ok) is set when the log's header names a run id other than rec's.
 */
static void
fill_evidence(struct jt_runrec *rec, const char *logpath, int64_t limit,
	      int *other_run)
{
	struct jt_probelog *log = jt_probelog_load(logpath, 1, NULL);
	struct jt_probe_summary s;

	if (other_run != NULL)
		*other_run = 0;
	if (log == NULL)
		return;
	/* The probe knows which target it ran as. */
	if (log->has_header && log->header.profile != NULL) {
		char *p = strdup(log->header.profile);

		if (p != NULL) {
			free(rec->profile);
			rec->profile = p;
		}
		if (other_run != NULL && log->header.run_id != NULL &&
		    rec->run_id != NULL &&
		    strcmp(log->header.run_id, rec->run_id) != 0)
			*other_run = 1;
	}
	jt_runrec_set_probe_evidence(
		rec, log,
		jt_probelog_summarize(log, limit, &s, NULL) == 0 ? &s : NULL);
	jt_probelog_free(log);
}

struct launch_ctx {
	const struct jt_devrun_opts *o;
	struct jt_device *dev;
	const char *run_id;
	int failed; /* the launch hook failed */
};

static int
on_stream_up(void *ud, struct jt_error *err)
{
	struct launch_ctx *l = ud;

	if (l->o->launch == NULL)
		return 0;
	if (l->o->launch(l->dev, l->run_id, l->o->ud, err) < 0) {
		l->failed = 1;
		return -1;
	}
	return 0;
}

/*
 * fail_run - record why the run in rundir is no evidence: rec->failure
 * and its detail (err's text), what the log showed, and the failed record
 * beside it; then let the launcher end a probe that may still run.
 * Returns -1 (err keeps the failure; a failure to save it is added).
 */
static int
fail_run(struct jt_device *dev, const struct jt_devrun_opts *o,
	 struct jt_runrec *rec, const char *rundir, const char *logpath,
	 enum jt_devrun_failure why, struct jt_error *err)
{
	char path[4200];
	struct jt_error local;

	free(rec->failure);
	free(rec->failure_detail);
	rec->failure = jt_text_dup(jt_devrun_failure_name(why), NULL);
	rec->failure_detail = err != NULL && jt_error_isset(err)
		? jt_text_dup(err->text, NULL)
		: NULL;
	if (logpath != NULL)
		fill_evidence(rec, logpath, rec->kernel_limit_bytes, NULL);
	snprintf(path, sizeof(path), "%s/%s", rundir, JT_RUNREC_FAILED_NAME);
	jt_error_init(&local);
	if (jt_runrec_save(rec, path, &local) < 0 && err != NULL &&
	    !jt_error_isset(err))
		*err = local;
	if (o->abandon != NULL &&
	    (why == JT_DEVRUN_LEFT_FOREGROUND || why == JT_DEVRUN_NO_KILL ||
	     why == JT_DEVRUN_WRONG_RUN || why == JT_DEVRUN_INTERRUPTED))
		o->abandon(dev, o->ud);
	return -1;
}

int
jt_devrun_once(struct jt_device *dev, const char *dir,
	       const struct jt_devrun_opts *o, struct jt_devrun_seen *seen,
	       struct jt_runrec *rec, struct jt_error *err)
{
	const struct jt_device_info *info = jt_device_get_info(dev);
	char run_id[256], rundir[4096], logpath[4200], path[4200];
	struct jt_capture_opts copts;
	struct jt_report *report = NULL;
	struct launch_ctx launch;
	struct jt_capture cap;
	enum jt_devrun_failure why = JT_DEVRUN_OK;
	char *report_name = NULL;
	int64_t limit;
	long proc = -1;
	int fd, rc, other_run = 0;

	jt_runrec_init(rec);
	if (jt_runrec_mkdir(
		    dir, info->product_type ? info->product_type : "unknown",
		    info->product_version ? info->product_version : "unknown",
		    run_id, sizeof(run_id), rundir, sizeof(rundir), err) < 0)
		return -1;
	rec->run_id = jt_text_dup(run_id, NULL);
	rec->kind = jt_text_dup("device", NULL);
	rec->enforcer = jt_text_dup("jetsam", NULL);
	rec->model = jt_text_dup(info->product_type, NULL);
	rec->os_version = jt_text_dup(info->product_version, NULL);
	rec->profile =
		jt_text_dup(o->profile != NULL ? o->profile : "app", NULL);
	rec->udid = jt_text_dup(info->udid, NULL);
	rec->probe_log = jt_text_dup(JT_DEVRUN_PROBE_LOG, NULL);
	if (jt_pull_write_identity(rundir, info, err) < 0)
		return fail_run(dev, o, rec, rundir, NULL,
				JT_DEVRUN_CAPTURE_FAILED, err);

	/* A fresh stream per run: the last run's tail is not this one's. */
	jt_device_syslog_stop(dev);
	if (jt_device_syslog_start(dev, err) < 0)
		return fail_run(dev, o, rec, rundir, NULL,
				JT_DEVRUN_CAPTURE_FAILED, err);
	snprintf(logpath, sizeof(logpath), "%s/%s", rundir,
		 JT_DEVRUN_PROBE_LOG);
	fd = open(logpath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		jt_error_set_errno(err, errno, logpath, "cannot create");
		return fail_run(dev, o, rec, rundir, NULL,
				JT_DEVRUN_CAPTURE_FAILED, err);
	}
	memset(&copts, 0, sizeof(copts));
	copts.marker = o->marker;
	copts.silence_ms = o->silence_ms;
	copts.grace_ms = o->grace_ms;
	copts.stop = o->stop;
	copts.end_on_background = 1;
	copts.on_sample = o->on_sample;
	copts.sample_ud = o->sample_ud;
	jt_capture_init(&cap, fd, &copts, jt_capture_now_ms());
	launch.o = o;
	launch.dev = dev;
	launch.run_id = run_id;
	launch.failed = 0;
	rc = jt_capture_device(dev, &cap, on_stream_up, &launch, err);
	jt_device_syslog_stop(dev);
	if (close(fd) < 0 && rc == 0)
		rc = jt_error_set_errno(err, errno, logpath, "cannot close");
	rec->kernel_limit_bytes = cap.kernel_limit_bytes;
	if (rc < 0)
		why = launch.failed ? JT_DEVRUN_LAUNCH_FAILED
				    : JT_DEVRUN_CAPTURE_FAILED;
	else if (cap.end == JT_CAPTURE_BACKGROUND)
		why = JT_DEVRUN_LEFT_FOREGROUND;
	else if (cap.end == JT_CAPTURE_INTERRUPTED)
		why = JT_DEVRUN_INTERRUPTED;
	else if (cap.end != JT_CAPTURE_KILLED)
		why = JT_DEVRUN_NO_KILL;
	if (why == JT_DEVRUN_LEFT_FOREGROUND)
		jt_error_set_in(err, JT_EDEVICE, info->udid,
				"%s: the probe app left the foreground: not "
				"evidence",
				run_id);
	else if (why == JT_DEVRUN_NO_KILL || why == JT_DEVRUN_INTERRUPTED)
		jt_error_set_in(err, JT_EDEVICE, info->udid,
				"%s: capture ended (%s) without a kill of "
				"the probe: no run record",
				run_id, jt_capture_end_name(cap.end));
	if (why == JT_DEVRUN_OK) {
		/* Killed: but a kill after the app left the foreground, or
		 * of a probe logging for another run, is no evidence. */
		fill_evidence(rec, logpath, cap.kernel_limit_bytes, &other_run);
		if (rec->left_foreground) {
			why = JT_DEVRUN_LEFT_FOREGROUND;
			jt_error_set_in(err, JT_EDEVICE, info->udid,
					"%s: the probe app left the "
					"foreground before the kill: not "
					"evidence",
					run_id);
		} else if (other_run) {
			why = JT_DEVRUN_WRONG_RUN;
			jt_error_set_in(err, JT_EDEVICE, info->udid,
					"%s: the captured log is of another "
					"run (a probe left running?): not "
					"evidence",
					run_id);
		}
	}
	if (why != JT_DEVRUN_OK) {
		jt_capture_release(&cap);
		return fail_run(dev, o, rec, rundir, logpath, why, err);
	}

	if (fetch_report(dev, rundir, o, seen, cap.probe_pid, cap.probe_name,
			 &report_name, &report, &proc, err) < 0) {
		jt_capture_release(&cap);
		return fail_run(dev, o, rec, rundir, logpath,
				o->stop != NULL && *o->stop
					? JT_DEVRUN_INTERRUPTED
					: JT_DEVRUN_NO_REPORT,
				err);
	}
	rec->report = report_name;
	rec->exit_signal = 9;
	{
		const struct jt_process *p = &report->processes[proc];
		size_t i;

		for (i = 0; i < report->nkills; i++)
			if (report->kills[i].process == (size_t)proc)
				rec->report_bytes =
					report->kills[i].footprint_bytes;
		rec->kill_reason = jt_text_dup(p->reason, NULL);
	}
	if (rec->kill_reason == NULL && cap.kill_reason[0] != '\0')
		rec->kill_reason = jt_text_dup(cap.kill_reason, NULL);
	/* The limit for the overshoot: what the kernel said it enforced,
	 * else the footprint it killed at. */
	limit = cap.kernel_limit_bytes >= 0 ? cap.kernel_limit_bytes
					    : rec->report_bytes;
	fill_evidence(rec, logpath, limit, NULL);
	jt_report_free(report);
	jt_capture_release(&cap);
	snprintf(path, sizeof(path), "%s/run.json", rundir);
	return jt_runrec_save(rec, path, err);
}
