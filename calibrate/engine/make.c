/*
 * make.c - one calibration from its input files: read, check, build
 *
 * What "jetsam calibrate" does between argv and the output files, so that
 * the front-end only parses options and prints: every input is read and
 * checked first and every problem is reported (not just the first), and
 * the table is built only when nothing failed.  Diagnostics go to the
 * caller's callback; the library prints nothing.
 */
#include "calibrate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ingest.h"
#include "jetsam/walk/walk.h"

static void diag_set(jt_diag_fn diag, void *ctx, const char *source,
		     const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* diag_set - one formatted diagnostic to diag. */
static void
diag_set(jt_diag_fn diag, void *ctx, const char *source, const char *fmt, ...)
{
	struct jt_error e;
	va_list ap;

	jt_error_init(&e);
	e.code = JT_EINVAL;
	snprintf(e.source, sizeof(e.source), "%s", source ? source : "");
	va_start(ap, fmt);
	vsnprintf(e.text, sizeof(e.text), fmt, ap);
	va_end(ap);
	diag(ctx, &e);
}

/* read_lab - every lab input into lab; the number that failed. */
static size_t
read_lab(struct jt_lab *lab, const struct jt_calibrate_inputs *in,
	 const struct jt_models *models, jt_diag_fn diag, void *ctx)
{
	const char *profile = in->profile ? in->profile : "app";
	struct jt_idset *seen;
	struct jt_error err;
	size_t k, failed = 0;

	for (k = 0; k < in->nruns; k++) {
		struct jt_runrec r;

		jt_error_init(&err);
		if (jt_runrec_load(&r, in->runs[k], &err) < 0 ||
		    jt_lab_add_input(lab, in->runs[k], "run", &err) < 0 ||
		    jt_lab_add_run(lab, &r, in->runs[k], &err) < 0) {
			diag(ctx, &err);
			failed++;
		}
		jt_runrec_release(&r);
	}
	for (k = 0; k < in->nprobelogs; k++) {
		jt_error_init(&err);
		if (jt_ingest_probelog(lab, in->probelogs[k], profile, &err) <
		    0) {
			diag(ctx, &err);
			failed++;
		}
	}
	/* Reports as jetsam parse lists them: one per incident. */
	seen = in->nreports > 0 ? jt_idset_new(&err) : NULL;
	if (in->nreports > 0 && seen == NULL) {
		diag(ctx, &err);
		return failed + 1;
	}
	for (k = 0; k < in->nreports; k++) {
		const struct jt_calibrate_report *rp = &in->reports[k];
		struct jt_walk_report wr;

		switch (jt_walk_report_load(rp->path, models, seen, &wr)) {
		case JT_WALK_REPORT_FAILED:
			if (!(rp->from_dir && wr.err.code == JT_ENOTJETSAM)) {
				diag(ctx, &wr.err);
				failed++;
			}
			continue;
		case JT_WALK_REPORT_DUPLICATE:
			diag(ctx, &wr.err); /* a note: the first copy counts */
			continue;
		case JT_WALK_REPORT_NEW:
			jt_report_free(wr.report);
			break;
		}
		jt_error_init(&err);
		if (jt_ingest_report(lab, rp->path, models, rp->from_dir,
				     &err) < 0) {
			diag(ctx, &err);
			failed++;
		}
	}
	jt_idset_free(seen);
	return failed;
}

/*
 * read_field - every field file into field (on in->jobs threads), stopping
 * at the first that fails (its bad rows and its error reported); the
 * number that failed.
 */
static size_t
read_field(struct jt_field *field, const struct jt_calibrate_inputs *in,
	   jt_diag_fn diag, void *ctx)
{
	struct jt_error err;
	size_t j;

	jt_error_init(&err);
	if (jt_field_read_files(field, in->fields, in->nfields, in->jobs,
				&err) < 0) {
		for (j = 0; j < jt_field_nbad(field); j++)
			diag(ctx, jt_field_bad_at(field, j));
		diag(ctx, &err);
		return 1;
	}
	for (j = 0; j < jt_field_nbad(field); j++)
		diag(ctx, jt_field_bad_at(field, j));
	for (j = 0; j < jt_field_nfiles(field); j++)
		if (jt_field_file_at(field, j)->skipped > 0)
			diag_set(diag, ctx, jt_field_file_at(field, j)->path,
				 "%ld MetricKit payloads skipped (diagnostic "
				 "payloads, or no peak and no exit counts to "
				 "use)",
				 jt_field_file_at(field, j)->skipped);
	if (jt_field_bad_total(field) > 0)
		diag_set(diag, ctx, NULL,
			 "%ld malformed rows skipped (--max-bad-rows %ld)",
			 jt_field_bad_total(field), in->max_bad_rows);
	return 0;
}

int
jt_calibrate_make(struct jt_table *t, const struct jt_calibrate_inputs *in,
		  const struct jt_models *models,
		  const struct jt_calibrate_options *opt, jt_diag_fn diag,
		  void *ctx, struct jt_error *err)
{
	struct jt_lab *lab;
	struct jt_field *field = NULL;
	struct jt_error sub;
	size_t failed;
	int rc = -1;

	jt_table_init(t);
	lab = jt_lab_new(err);
	if (lab == NULL)
		return -1;
	field = jt_field_new(opt->statistic, in->max_bad_rows, err);
	if (field == NULL)
		goto out;
	failed = read_lab(lab, in, models, diag, ctx);
	failed += read_field(field, in, diag, ctx);
	if (failed > 0) {
		jt_error_set_in(err, JT_EINVAL, NULL,
				"nothing written: fix the inputs above");
		goto out;
	}
	jt_error_init(&sub);
	if (jt_calibrate_build(t, lab, in->nfields ? field : NULL, models, opt,
			       &sub) < 0) {
		diag(ctx, &sub);
		jt_error_set_in(err, sub.code, NULL, "nothing written");
		goto out;
	}
	rc = 0;
out:
	jt_field_free(field);
	jt_lab_free(lab);
	return rc;
}

void
jt_calibrate_notes(const struct jt_table *t, jt_diag_fn diag, void *ctx)
{
	size_t i;

	for (i = 0; i < t->nentries; i++) {
		const struct jt_table_entry *e = &t->entries[i];

		if (!e->known_model &&
		    (i == 0 || strcmp(t->entries[i - 1].model, e->model) != 0))
			diag_set(diag, ctx, NULL,
				 "unknown model '%s': not in the device table "
				 "(kept, flagged; no RAM class; left out of "
				 "ship outputs unless --include-unknown)",
				 e->model);
		if (e->no_headroom)
			diag_set(diag, ctx, NULL,
				 "%s %s %s: no safe headroom (ceiling %lld, "
				 "growth %lld, baseline %lld); threshold %lld "
				 "by %s",
				 e->model, e->os_version, e->profile,
				 (long long)e->ceiling_bytes,
				 (long long)e->growth_bytes,
				 (long long)e->baseline_bytes,
				 (long long)e->threshold_bytes,
				 jt_rule_name(e->rule));
		if (e->disagree)
			diag_set(diag, ctx, NULL,
				 "%s %s %s: evidence disagrees by %lld bytes, "
				 "more than one probe step (%lld)",
				 e->model, e->os_version, e->profile,
				 (long long)e->spread_bytes,
				 (long long)(e->step_bytes > 0
						     ? e->step_bytes
						     : JT_DEFAULT_STEP_BYTES));
	}
	for (i = 0; i < t->nfield_only; i++) {
		const struct jt_field_only *f = &t->field_only[i];

		if (!f->known_model)
			diag_set(diag, ctx, NULL,
				 "unknown model '%s': field data only, not "
				 "in the device table (left out of ship "
				 "outputs unless --include-unknown)",
				 f->model);
		else if (f->growth_bytes < 0)
			diag_set(diag, ctx, NULL,
				 "%s: field sessions but no page growth and no "
				 "lab data: its RAM class answers for it",
				 f->model);
	}
	for (i = 0; i < t->nexcluded; i++)
		diag_set(diag, ctx, t->excluded[i].input,
			 "kill excluded (%s): %s",
			 t->excluded[i].reason ? t->excluded[i].reason
					       : "no reason",
			 t->excluded[i].why);
}

void
jt_calibrate_coverage(const struct jt_table *t, const struct jt_models *models,
		      struct jt_coverage *c)
{
	size_t i, n;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < t->nentries; i++) {
		const struct jt_table_entry *e = &t->entries[i];

		if (i > 0 && strcmp(t->entries[i - 1].model, e->model) == 0)
			continue;
		c->lab_models++;
		c->lab_no_growth += e->no_field_growth;
	}
	for (i = 0; i < t->nfield_only; i++) {
		c->field_only++;
		c->field_only_no_growth += t->field_only[i].growth_bytes < 0;
	}
	n = models ? jt_models_count(models) : 0;
	c->device_models = n;
	for (i = 0; i < n; i++) {
		const char *m = jt_models_at(models, i)->product_type;
		int lab = 0;
		size_t j;

		for (j = 0; j < t->nentries && !lab; j++)
			lab = strcmp(t->entries[j].model, m) == 0;
		if (!lab && jt_table_find_field(t, m) == NULL)
			c->missing++;
	}
}
