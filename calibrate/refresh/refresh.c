/*
 * refresh.c - runs, pull, calibrate, diff, report, summary: in order
 *
 * The evidence is the good runs only, found from the jobs (resumed runs
 * included) rather than by walking DIR/runs, so a stray directory cannot
 * slip into a release table; their paths are sorted, so the table and the
 * report are the same bytes whatever order the phones finished in.
 */
#include "refresh.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "calibrate/field/field.h"
#include "calibrate/html/htmlreport.h"
#include "calibrate/table/table.h"
#include "calibrate/table/write.h"
#include "jetsam/core/emit.h"
#include "jetsam/core/fileio.h"
#include "jetsam/device/devpull.h"

static int
make_dir(const char *path, struct jt_error *err)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return jt_error_set_errno(err, errno, path,
					  "cannot make the directory");
	return 0;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* good_runs - the run.json of every good run of the jobs, sorted. */
static char **
good_runs(const struct jt_refresh_opts *o, const char *runs, size_t *n,
	  struct jt_error *err)
{
	char **v = NULL, **grown, *rel;
	size_t i, k;

	*n = 0;
	for (i = 0; i < o->njobs; i++)
		for (k = 0; k < o->jobs[i].nattempts; k++) {
			const struct jt_devjob_run *r = &o->jobs[i].runs[k];

			if (!r->recorded || r->rec.run_id == NULL)
				continue;
			grown = realloc(v, (*n + 2) * sizeof(*v));
			if (grown == NULL)
				goto oom;
			v = grown;
			rel = jt_path_join(r->rec.run_id, "run.json");
			v[*n] = rel != NULL ? jt_path_join(runs, rel) : NULL;
			free(rel);
			if (v[*n] == NULL)
				goto oom;
			v[++*n] = NULL;
		}
	if (v != NULL)
		qsort(v, *n, sizeof(*v), str_cmp);
	return v;
oom:
	for (k = 0; k < *n; k++)
		free(v[k]);
	free(v);
	jt_error_oom(err, NULL);
	return NULL;
}

static void
strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

/* pull_leftovers - each reachable phone's remaining reports, aside. */
static void
pull_leftovers(const struct jt_refresh_opts *o, const char *pulled,
	       struct jt_refresh_result *res)
{
	struct jt_pull_opts po = {0, 0, -1};
	size_t i, k;

	for (i = 0; i < o->njobs; i++) {
		struct jt_pulled *items = NULL;
		struct jt_device *dev;
		struct jt_error e;
		size_t n = 0;
		char *dir;

		jt_error_init(&e);
		dev = jt_device_open(o->jobs[i].udid, &e);
		dir = dev != NULL
			? jt_path_join(pulled, jt_device_get_info(dev)->udid)
			: NULL;
		if (dir == NULL ||
		    jt_pull_reports(dev, dir, &po, &items, &n, &e) < 0)
			res->pulls_failed++;
		for (k = 0; k < n; k++)
			if (items[k].status == JT_PULL_COPIED)
				res->reports_pulled++;
		jt_pull_free(items, n);
		free(dir);
		jt_device_close(dev);
	}
}

/* keep_first - the calibration's first diagnostic becomes its error. */
static void
keep_first(void *ctx, const struct jt_error *e)
{
	struct jt_error *first = ctx;

	if (first->code == JT_OK)
		*first = *e;
}

/*
 * calibrate - the table of the good runs and the field data, into t,
 * through the same library calibration as "jetsam calibrate"; on failure
 * err holds the first problem it met (a file:line for bad field data).
 */
static int
calibrate(const struct jt_refresh_opts *o, char **runs, size_t nruns,
	  struct jt_table *t, struct jt_error *err)
{
	struct jt_calibrate_options copt = o->calibrate;
	struct jt_calibrate_inputs in;
	struct jt_error first;

	memset(&in, 0, sizeof(in));
	copt.release = o->release;
	in.runs = (const char *const *)runs;
	in.nruns = nruns;
	in.fields = o->field;
	in.nfields = o->nfield;
	in.max_bad_rows = o->max_bad_rows;
	jt_error_init(&first);
	if (jt_calibrate_make(t, &in, o->models, &copt, keep_first, &first,
			      err) == 0)
		return 0;
	if (first.code != JT_OK && err != NULL)
		*err = first;
	return -1;
}

enum output { OUT_PLIST, OUT_HEADER, OUT_DIFF, OUT_HTML, OUT_SUMMARY };

struct out_args {
	const struct jt_table *table, *previous;
	const struct jt_refresh_opts *o;
	char **runs;
	size_t nruns;
	struct jt_refresh_result *res;
	json_t *summary;
};

static int
write_html(FILE *fp, const struct out_args *a, struct jt_error *err)
{
	struct jt_html_run *hr = calloc(a->nruns + 1, sizeof(*hr));
	struct jt_html_input in;
	char title[256];
	size_t i, loaded = 0;
	int rc = 0;

	if (hr == NULL)
		return jt_error_oom(err, NULL);
	for (i = 0; i < a->nruns && rc == 0; i++, loaded++)
		rc = jt_html_run_load(&hr[i], a->runs[i], err);
	if (rc == 0) {
		snprintf(title, sizeof(title), "jetsamkit release %s",
			 a->o->release);
		memset(&in, 0, sizeof(in));
		in.title = title;
		in.runs = hr;
		in.nruns = a->nruns;
		in.table = a->table;
		in.previous = a->previous;
		rc = jt_html_emit(fp, &in, err);
	}
	for (i = 0; i < loaded; i++)
		jt_html_run_release(&hr[i]);
	free(hr);
	return rc;
}

/* write_one - the output kind to dir/name, atomically. */
static int
write_one(const char *dir, const char *name, enum output kind,
	  struct out_args *a, struct jt_error *err)
{
	char *path = jt_path_join(dir, name);
	struct jt_atomic at;
	FILE *fp;
	int rc;

	if (path == NULL)
		return jt_error_oom(err, NULL);
	fp = jt_atomic_open(&at, path, err);
	free(path);
	if (fp == NULL)
		return -1;
	switch (kind) {
	case OUT_PLIST:
		rc = jt_table_write_plist(a->table, fp, err);
		break;
	case OUT_HEADER:
		rc = jt_table_write_header(a->table, fp, err);
		break;
	case OUT_DIFF:
		rc = jt_table_diff(a->previous, a->table, fp, JT_FORMAT_TABLE,
				   a->o->fail_over_pct, &a->res->diff, err);
		break;
	case OUT_HTML:
		rc = write_html(fp, a, err);
		break;
	default:
		rc = jt_json_dump(fp, a->summary, 1, err);
		break;
	}
	if (rc < 0) {
		jt_atomic_abort(&at);
		return -1;
	}
	return jt_atomic_commit(&at, 0, err);
}

/* summary - what refresh.json says (sorted keys on output). */
static json_t *
summary(const struct jt_refresh_opts *o, const struct jt_refresh_result *r)
{
	json_t *s = json_object(), *phones = json_array(), *diff;
	size_t i;

	for (i = 0; i < o->njobs; i++) {
		const struct jt_devjob *j = &o->jobs[i];

		json_array_append_new(
			phones,
			json_pack("{s:s?, s:I, s:I, s:I, s:b, s:s?}", "udid",
				  j->udid, "runs_wanted", (json_int_t)j->nruns,
				  "runs_ok", (json_int_t)j->ok,
				  "attempts_failed",
				  (json_int_t)j->failed_attempts, "done",
				  j->ok >= j->nruns, "error",
				  j->failed ? j->err.text : NULL));
	}
	diff = !r->compared
		? json_null()
		: json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f}", "added",
			    (json_int_t)r->diff.added, "removed",
			    (json_int_t)r->diff.removed, "changed",
			    (json_int_t)r->diff.changed, "rule_changed",
			    (json_int_t)r->diff.rule_changed, "models_added",
			    (json_int_t)r->diff.models_added, "models_removed",
			    (json_int_t)r->diff.models_removed, "over",
			    (json_int_t)r->diff.over, "max_abs_pct",
			    r->diff.max_abs_pct);
	json_object_set_new(s, "release", json_string(o->release));
	json_object_set_new(s, "phones", phones);
	json_object_set_new(s, "runs_ok", json_integer(r->runs_ok));
	json_object_set_new(s, "runs_resumed", json_integer(r->runs_resumed));
	json_object_set_new(s, "attempts_failed",
			    json_integer(r->attempts_failed));
	json_object_set_new(s, "reports_pulled",
			    json_integer(r->reports_pulled));
	json_object_set_new(s, "entries", json_integer((json_int_t)r->entries));
	json_object_set_new(s, "previous",
			    o->previous != NULL ? json_string(o->previous)
						: json_null());
	json_object_set_new(s, "diff", diff);
	json_object_set_new(s, "fail_over_pct",
			    o->fail_over_pct >= 0 ? json_real(o->fail_over_pct)
						  : json_null());
	json_object_set_new(s, "gate",
			    !r->compared || o->fail_over_pct < 0
				    ? json_string("none")
				    : r->gate_failed ? json_string("failed")
						     : json_string("passed"));
	return s;
}

int
jt_refresh_run(const struct jt_refresh_opts *o, struct jt_refresh_result *res,
	       struct jt_error *err)
{
	struct jt_devjobs_opts jo = o->run;
	struct jt_table t, prev;
	struct out_args a;
	char *runs = NULL, *pulled = NULL, **good = NULL, *tpath = NULL;
	size_t ngood = 0, i, k;
	int rc = -1, built = 0, have_prev = 0;

	memset(res, 0, sizeof(*res));
	res->phones = o->njobs;
	runs = jt_path_join(o->dir, "runs");
	pulled = jt_path_join(o->dir, "pulled");
	tpath = jt_path_join(o->dir, "table.json");
	if (runs == NULL || pulled == NULL || tpath == NULL) {
		jt_error_oom(err, NULL);
		goto out;
	}
	if (make_dir(o->dir, err) < 0 || make_dir(runs, err) < 0 ||
	    make_dir(pulled, err) < 0)
		goto out;
	/* read first: a bad previous table should not cost a night of runs */
	if (o->previous != NULL) {
		if (jt_table_load(&prev, o->previous, err) < 0)
			goto out;
		have_prev = 1;
	}

	/* 1. runs, on every phone at once */
	jo.dir = runs;
	jo.resume = 1;
	(void)jt_devjobs_run(o->jobs, o->njobs, &jo, NULL);
	for (i = 0; i < o->njobs; i++) {
		const struct jt_devjob *j = &o->jobs[i];

		res->runs_ok += j->ok;
		res->attempts_failed += j->failed_attempts;
		if (j->ok >= j->nruns)
			res->phones_done++;
		for (k = 0; k < j->nattempts; k++)
			if (j->runs[k].resumed && j->runs[k].recorded)
				res->runs_resumed++;
	}
	if (jo.run.stop != NULL && *jo.run.stop) {
		jt_error_set_in(err, JT_EIO, o->dir,
				"interrupted: rerun the same command to go "
				"on from here");
		if (err != NULL)
			err->errnum = EINTR;
		goto out;
	}

	/* 2. what is left on the phones, aside */
	pull_leftovers(o, pulled, res);

	/* 3. the table, from the good runs only */
	good = good_runs(o, runs, &ngood, err);
	if (good == NULL && ngood == 0 && jt_error_isset(err))
		goto out;
	if (ngood == 0) {
		jt_error_set_in(err, JT_EINVAL, runs,
				"no good run on any phone: nothing to "
				"calibrate");
		goto out;
	}
	if (calibrate(o, good, ngood, &t, err) < 0)
		goto out;
	built = 1;
	res->entries = t.nentries;
	memset(&a, 0, sizeof(a));
	a.table = &t;
	a.previous = have_prev ? &prev : NULL;
	a.o = o;
	a.runs = good;
	a.nruns = ngood;
	a.res = res;
	if (jt_table_save(&t, tpath, err) < 0 ||
	    write_one(o->dir, "table.plist", OUT_PLIST, &a, err) < 0 ||
	    write_one(o->dir, "table.h", OUT_HEADER, &a, err) < 0)
		goto out;

	/* 4. the diff and the gate */
	if (have_prev) {
		if (write_one(o->dir, "diff.txt", OUT_DIFF, &a, err) < 0)
			goto out;
		res->compared = 1;
		res->gate_failed = o->fail_over_pct >= 0 && res->diff.over > 0;
	}

	/* 5. the report, and the summary */
	if (write_one(o->dir, "report.html", OUT_HTML, &a, err) < 0)
		goto out;
	a.summary = summary(o, res);
	if (a.summary == NULL) {
		jt_error_oom(err, NULL);
		goto out;
	}
	rc = write_one(o->dir, "refresh.json", OUT_SUMMARY, &a, err);
	json_decref(a.summary);
out:
	if (built)
		jt_table_release(&t);
	if (have_prev)
		jt_table_release(&prev);
	strv_free(good, ngood);
	free(runs);
	free(pulled);
	free(tpath);
	return rc;
}
