/*
 * ingest.c - probe logs and JetsamEvent reports as lab evidence
 *
 * A raw probe log gives the same two probe-side estimates a run record
 * carries (footprint + remaining, and the crossing point); a report gives
 * rpages x pageSize for each per-process-limit kill of a frontmost
 * process.  Every other kill in a report is listed as excluded with its
 * reason, so a reviewer sees what was left out and why.
 */
#include "ingest.h"

#include <stdio.h>
#include <string.h>

#include "engine_private.h"

int
jt_ingest_probelog(struct jt_lab *lab, const char *path, const char *profile,
		   struct jt_error *err)
{
	struct jt_probelog *log = jt_probelog_load(path, 0, err);
	struct jt_probe_summary s;
	size_t before = lab->npieces;
	int rc = -1;

	if (log == NULL)
		return -1;
	if (!log->has_header || log->header.model == NULL ||
	    log->header.os_version == NULL) {
		jt_error_set(err, JT_EINVAL, path, 1, 0,
			     "probe log has no header with model and "
			     "os_version");
		goto out;
	}
	if (jt_probelog_summarize(log, -1, &s, err) < 0)
		goto out;
	/* The probe knows what it ran as; the caller's profile is for logs
	 * from probes that did not say. */
	if (log->header.profile != NULL)
		profile = log->header.profile;
	if (s.left_foreground) {
		rc = jt_lab_add_input(lab, path, "probe-log", err) < 0 ||
				jt_lab_exclude(lab, path, log->header.model,
					       log->header.os_version, NULL,
					       JT_WHY_LEFT_FOREGROUND, err) < 0
			? -1
			: 0;
		goto out;
	}
	if (jt_lab_add_input(lab, path, "probe-log", err) < 0 ||
	    jt_lab_piece(lab, log->header.model, log->header.os_version,
			 profile, path, "probe-log", "footprint+remaining",
			 jt_round_mib(s.limit_from_remaining_bytes),
			 log->header.step_bytes, err) < 0 ||
	    jt_lab_piece(lab, log->header.model, log->header.os_version,
			 profile, path, "probe-log", "crossing",
			 s.crossing_bytes, log->header.step_bytes, err) < 0)
		goto out;
	if (lab->npieces == before) {
		jt_error_set_in(err, JT_EINVAL, path,
				"probe log gives no estimate of the limit (no "
				"remaining memory and no crossing)");
		goto out;
	}
	rc = 0;
out:
	jt_probelog_free(log);
	return rc;
}

int
jt_ingest_report(struct jt_lab *lab, const char *path,
		 const struct jt_models *models, int from_dir,
		 struct jt_error *err)
{
	struct jt_error sub;
	struct jt_report *rep;
	char osbuf[64];
	const char *os;
	size_t i;
	int rc = -1;

	jt_error_init(&sub);
	rep = jt_report_load(path, models, &sub);
	if (rep == NULL && from_dir && sub.code == JT_ENOTJETSAM)
		return 0;
	if (rep == NULL) {
		if (err != NULL && !jt_error_isset(err))
			*err = sub;
		return -1;
	}
	if (rep->partial) {
		/* Recovered, but its numbers may be cut: list, do not use. */
		char why[JT_ERROR_TEXT + 32];

		snprintf(why, sizeof(why), "damaged report (%s): not used",
			 sub.text);
		os = rep->os_version ? jt_report_os_number(rep->os_version,
							   osbuf, sizeof(osbuf))
				     : NULL;
		rc = jt_lab_add_input(lab, path, "report", err) < 0 ||
				jt_lab_exclude(lab, path, rep->product, os,
					       NULL, why, err) < 0
			? -1
			: 0;
		jt_report_free(rep);
		return rc;
	}
	os = rep->os_version
		? jt_report_os_number(rep->os_version, osbuf, sizeof(osbuf))
		: NULL;
	if (rep->product == NULL || os == NULL) {
		jt_error_set_in(err, JT_EINVAL, path, "report names no %s",
				rep->product == NULL ? "product"
						     : "OS version");
		goto out;
	}
	if (jt_lab_add_input(lab, path, "report", err) < 0)
		goto out;
	for (i = 0; i < rep->nkills; i++) {
		const struct jt_kill *k = &rep->kills[i];
		const struct jt_process *p = &rep->processes[k->process];
		char why[JT_ERROR_TEXT + 32];

		if (rep->implausible != NULL) {
			/* A number that cannot be true: list, do not use. */
			snprintf(why, sizeof(why), "implausible report (%s)",
				 rep->implausible);
			if (jt_lab_exclude(lab, path, rep->product, os,
					   p->reason, why, err) < 0)
				goto out;
		} else if (k->class_ == JT_KILL_LIMIT &&
			   k->footprint_bytes > 0) {
			if (jt_lab_piece(lab, rep->product, os, "app", path,
					 "report", "report", k->footprint_bytes,
					 -1, err) < 0)
				goto out;
		} else if (
			jt_lab_exclude(
				lab, path, rep->product, os, p->reason,
				k->class_ == JT_KILL_LIMIT
					? "limit kill without a footprint"
					: k->class_ == JT_KILL_DAEMON_LIMIT ||
						k->class_ ==
							JT_KILL_BACKGROUND_LIMIT
					? "per-process-limit of a process "
					  "that was not frontmost"
					: "not a per-process-limit kill",
				err) < 0) {
			goto out;
		}
	}
	rc = 0;
out:
	jt_report_free(rep);
	return rc;
}
