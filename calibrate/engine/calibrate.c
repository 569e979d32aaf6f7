/*
 * calibrate.c - lab evidence per key, fused with field data into a table
 *
 * Evidence is kept as a flat list of (key, input, method, bytes) pieces;
 * the build sorts it by key and folds each key's run into one entry, so
 * the result does not depend on the order inputs were given in.
 */
#include "calibrate.h"
#include "jetsam/core/text.h"

#include <stdlib.h>
#include <string.h>

#include "engine_private.h"
#include "calibrate/table/rules.h"
#include "jetsam/core/fileio.h"
#include "calibrate/field/sha256.h"
#include "calibrate/field/sketch.h"

#define MIB (1024 * 1024)

struct jt_lab *
jt_lab_new(struct jt_error *err)
{
	struct jt_lab *lab = calloc(1, sizeof(*lab));

	if (lab == NULL)
		jt_error_oom(err, NULL);
	return lab;
}

void
jt_lab_free(struct jt_lab *lab)
{
	size_t i;

	if (lab == NULL)
		return;
	for (i = 0; i < lab->npieces; i++) {
		free(lab->pieces[i].model);
		free(lab->pieces[i].os_version);
		free(lab->pieces[i].profile);
		free(lab->pieces[i].input);
		free(lab->pieces[i].kind);
		free(lab->pieces[i].method);
	}
	free(lab->pieces);
	for (i = 0; i < lab->ninputs; i++) {
		free(lab->inputs[i].path);
		free(lab->inputs[i].kind);
	}
	free(lab->inputs);
	for (i = 0; i < lab->nexcluded; i++) {
		free(lab->excluded[i].input);
		free(lab->excluded[i].model);
		free(lab->excluded[i].os_version);
		free(lab->excluded[i].reason);
		free(lab->excluded[i].why);
	}
	free(lab->excluded);
	for (i = 0; i < lab->nruns; i++) {
		free(lab->run_ids[i]);
		free(lab->run_inputs[i]);
	}
	free(lab->run_ids);
	free(lab->run_inputs);
	free(lab);
}

static char *
jt_dup_or_oom(const char *s, struct jt_error *err)
{
	char *d = strdup(s);

	if (d == NULL)
		jt_error_oom(err, s);
	return d;
}

int
jt_lab_add_input(struct jt_lab *lab, const char *path, const char *kind,
		 struct jt_error *err)
{
	struct jt_table_input *in;
	size_t i;
	int bad = 0;

	for (i = 0; i < lab->ninputs; i++)
		if (strcmp(lab->inputs[i].path, path) == 0)
			return jt_error_set_in(err, JT_EINVAL, path,
					       "input given twice");
	in = realloc(lab->inputs, (lab->ninputs + 1) * sizeof(*in));
	if (in == NULL)
		return jt_error_oom(err, path);
	lab->inputs = in;
	in = &lab->inputs[lab->ninputs];
	memset(in, 0, sizeof(*in));
	if (jt_sha256_file(path, in->sha256, &in->bytes, err) < 0)
		return -1;
	in->path = jt_text_dup(path, &bad);
	in->kind = jt_text_dup(kind, &bad);
	lab->ninputs++;
	if (bad)
		return jt_error_oom(err, path);
	return 0;
}

int
jt_lab_piece(struct jt_lab *lab, const char *model, const char *os_version,
	     const char *profile, const char *input, const char *kind,
	     const char *method, int64_t bytes, int64_t step_bytes,
	     struct jt_error *err)
{
	struct jt_lab_piece *p;
	int bad = 0;

	if (bytes <= 0)
		return 0;
	if (jt_table_name_check("model", model, JT_TABLE_MODEL_MAX, input, 0,
				err) < 0 ||
	    jt_table_name_check("os_version", os_version, JT_TABLE_OS_MAX,
				input, 0, err) < 0 ||
	    jt_table_name_check("profile", profile, JT_TABLE_PROFILE_MAX, input,
				0, err) < 0)
		return -1;
	p = realloc(lab->pieces, (lab->npieces + 1) * sizeof(*p));
	if (p == NULL)
		return jt_error_oom(err, input);
	lab->pieces = p;
	p = &lab->pieces[lab->npieces++];
	p->model = jt_text_dup(model, &bad);
	p->os_version = jt_text_dup(os_version, &bad);
	p->profile = jt_text_dup(profile, &bad);
	p->input = jt_text_dup(input, &bad);
	p->kind = jt_text_dup(kind, &bad);
	p->method = jt_text_dup(method, &bad);
	p->bytes = bytes;
	p->step_bytes = step_bytes > 0 ? step_bytes : -1;
	if (bad)
		return jt_error_oom(err, input);
	return 0;
}

int
jt_lab_exclude(struct jt_lab *lab, const char *input, const char *model,
	       const char *os_version, const char *reason, const char *why,
	       struct jt_error *err)
{
	struct jt_excluded *x;
	int bad = 0;

	x = realloc(lab->excluded, (lab->nexcluded + 1) * sizeof(*x));
	if (x == NULL)
		return jt_error_oom(err, input);
	lab->excluded = x;
	x = &lab->excluded[lab->nexcluded++];
	x->input = jt_text_dup(input, &bad);
	x->model = jt_text_dup(model, &bad);
	x->os_version = jt_text_dup(os_version, &bad);
	x->reason = jt_text_dup(reason, &bad);
	x->why = jt_text_dup(why, &bad);
	if (bad)
		return jt_error_oom(err, input);
	return 0;
}

int64_t
jt_round_mib(int64_t bytes)
{
	if (bytes <= 0)
		return bytes;
	return (bytes + MIB / 2) / MIB * MIB;
}

/* A run killed for one of these reasons measured the limit. */
static int
limit_reason(const char *reason)
{
	return reason == NULL || strcmp(reason, "per-process-limit") == 0 ||
		strcmp(reason, "oom-kill") == 0;
}

int
jt_lab_add_run(struct jt_lab *lab, const struct jt_runrec *r, const char *input,
	       struct jt_error *err)
{
	const char *profile = r->profile != NULL ? r->profile : "app";
	size_t i, before = lab->npieces;

	if (r->os_version == NULL || *r->os_version == '\0')
		return jt_error_set_in(err, JT_EINVAL, input,
				       "run record has no 'os_version'");
	if (r->run_id != NULL) {
		char **ids, **ins;

		for (i = 0; i < lab->nruns; i++)
			if (strcmp(lab->run_ids[i], r->run_id) == 0)
				return jt_error_set_in(
					err, JT_EINVAL, input,
					"duplicate run '%s' (also in %s)",
					r->run_id, lab->run_inputs[i]);
		ids = realloc(lab->run_ids, (lab->nruns + 1) * sizeof(*ids));
		if (ids == NULL)
			return jt_error_oom(err, input);
		lab->run_ids = ids;
		ins = realloc(lab->run_inputs, (lab->nruns + 1) * sizeof(*ins));
		if (ins == NULL)
			return jt_error_oom(err, input);
		lab->run_inputs = ins;
		lab->run_ids[lab->nruns] = strdup(r->run_id);
		lab->run_inputs[lab->nruns] = strdup(input);
		lab->nruns++;
		if (lab->run_ids[lab->nruns - 1] == NULL ||
		    lab->run_inputs[lab->nruns - 1] == NULL)
			return jt_error_oom(err, input);
	}
	/* A failed run's record (jetsam/lab/runrec.h) is never evidence. */
	if (r->failure != NULL)
		return jt_lab_exclude(lab, input, r->model, r->os_version,
				      r->kill_reason,
				      "failed run: not evidence", err);
	if (r->left_foreground)
		return jt_lab_exclude(lab, input, r->model, r->os_version,
				      r->kill_reason, JT_WHY_LEFT_FOREGROUND,
				      err);
	if (!limit_reason(r->kill_reason))
		return jt_lab_exclude(lab, input, r->model, r->os_version,
				      r->kill_reason,
				      "run not ended by a limit kill", err);
	if (jt_lab_piece(lab, r->model, r->os_version, profile, input, "run",
			 "footprint+remaining",
			 jt_round_mib(r->footprint_remaining_bytes),
			 r->step_bytes, err) < 0 ||
	    jt_lab_piece(lab, r->model, r->os_version, profile, input, "run",
			 "crossing", r->crossing_bytes, r->step_bytes,
			 err) < 0 ||
	    jt_lab_piece(lab, r->model, r->os_version, profile, input, "run",
			 "report", r->report_bytes, r->step_bytes, err) < 0 ||
	    jt_lab_piece(lab, r->model, r->os_version, profile, input, "run",
			 "kernel-limit", r->kernel_limit_bytes, r->step_bytes,
			 err) < 0)
		return -1;
	if (lab->npieces == before)
		return jt_error_set_in(err, JT_EINVAL, input,
				       "run record gives no estimate of the "
				       "limit (footprint+remaining, crossing, "
				       "report and kernel-limit are all null)");
	return 0;
}

/* ---- build --------------------------------------------------------------- */

/*
 * Input paths go into the table relative to the root the user names, so
 * the table carries no build machine's layout.  Each distinct path is
 * resolved once.
 */
struct relpath {
	const char *given;
	char *rel;
};

struct relmap {
	const char *root;
	struct relpath *v;
	size_t n, cap;
};

static void
relmap_free(struct relmap *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i].rel);
	free(m->v);
}

/* rel - a new copy of given made relative to the root; NULL with err. */
static char *
rel(struct relmap *m, const char *given, struct jt_error *err)
{
	size_t lo = 0, hi = m->n, i;
	char *r;

	if (given == NULL)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->v[mid].given, given);

		if (c == 0)
			return jt_dup_or_oom(m->v[mid].rel, err);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	r = jt_path_relative(m->root, given, err);
	if (r == NULL)
		return NULL;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct relpath *v = realloc(m->v, cap * sizeof(*v));

		if (v == NULL) {
			free(r);
			jt_error_oom(err, given);
			return NULL;
		}
		m->v = v;
		m->cap = cap;
	}
	for (i = m->n; i > lo; i--)
		m->v[i] = m->v[i - 1];
	m->v[lo].given = given;
	m->v[lo].rel = r;
	m->n++;
	return jt_dup_or_oom(r, err);
}

static int
scmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
piece_cmp(const void *pa, const void *pb)
{
	const struct jt_lab_piece *a = pa, *b = pb;
	int c;

	if ((c = scmp(a->model, b->model)) != 0)
		return c;
	if ((c = jt_os_compare(a->os_version, b->os_version)) != 0)
		return c;
	if ((c = scmp(a->os_version, b->os_version)) != 0)
		return c;
	if ((c = scmp(a->profile, b->profile)) != 0)
		return c;
	if ((c = scmp(a->input, b->input)) != 0)
		return c;
	if ((c = scmp(a->method, b->method)) != 0)
		return c;
	return (a->bytes > b->bytes) - (a->bytes < b->bytes);
}

static int
same_key(const struct jt_lab_piece *a, const struct jt_lab_piece *b)
{
	return scmp(a->model, b->model) == 0 &&
		scmp(a->os_version, b->os_version) == 0 &&
		scmp(a->profile, b->profile) == 0;
}

static int
i64cmp(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return (a > b) - (a < b);
}

/* fold_key - the ceiling of one key from pieces p[0..n). */
static int
fold_key(struct jt_table_entry *e, const struct jt_lab_piece *p, size_t n,
	 struct relmap *rm, struct jt_error *err)
{
	int64_t *v = calloc(n, sizeof(*v));
	size_t i, nv = 0, ninputs = 0;
	int64_t lo = -1, hi = -1, all_lo = -1, all_hi = -1, step = -1;
	int has_exact = 0, has_cross = 0, has_report = 0, bad = 0;
	int has_kernel = 0;
	const char *use;

	e->evidence = calloc(n, sizeof(*e->evidence));
	if (v == NULL || e->evidence == NULL) {
		free(v);
		return jt_error_oom(err, NULL);
	}
	for (i = 0; i < n; i++) {
		struct jt_evidence *x = &e->evidence[i];

		has_exact |= strcmp(p[i].method, "footprint+remaining") == 0;
		has_kernel |= strcmp(p[i].method, "kernel-limit") == 0;
		has_cross |= strcmp(p[i].method, "crossing") == 0;
		has_report |= strcmp(p[i].method, "report") == 0;
		if (all_lo < 0 || p[i].bytes < all_lo)
			all_lo = p[i].bytes;
		if (p[i].bytes > all_hi)
			all_hi = p[i].bytes;
		if (p[i].step_bytes > step)
			step = p[i].step_bytes;
		if (i == 0 || strcmp(p[i].input, p[i - 1].input) != 0)
			ninputs++;
		x->input = rel(rm, p[i].input, err);
		x->kind = jt_text_dup(p[i].kind, &bad);
		x->method = jt_text_dup(p[i].method, &bad);
		x->bytes = p[i].bytes;
		x->step_bytes = p[i].step_bytes;
		e->nevidence++;
		if (x->input == NULL) {
			free(v);
			return -1;
		}
	}
	/*
	 * Exact sources first: footprint + remaining (iOS 13+), else the limit
	 * the kernel's kill line states (a device run on any iOS); then the
	 * probe's crossing, then the report's rpages x pageSize.
	 */
	use = has_exact      ? "footprint+remaining"
		: has_kernel ? "kernel-limit"
		: has_cross  ? "crossing"
			     : "report";
	for (i = 0; i < n; i++) {
		int in_interval = strcmp(p[i].method, use) == 0 ||
			(!has_exact && !has_kernel && has_cross &&
			 strcmp(p[i].method, "report") == 0);

		if (strcmp(p[i].method, use) == 0)
			v[nv++] = p[i].bytes;
		if (in_interval) {
			if (lo < 0 || p[i].bytes < lo)
				lo = p[i].bytes;
			if (p[i].bytes > hi)
				hi = p[i].bytes;
		}
	}
	qsort(v, nv, sizeof(*v), i64cmp);
	e->ceiling_bytes = v[(nv - 1) / 2];
	free(v);
	e->ceiling_low_bytes = lo;
	e->ceiling_high_bytes = hi;
	e->spread_bytes = all_hi - all_lo;
	e->step_bytes = step;
	e->runs = (long)ninputs;
	e->disagree =
		e->spread_bytes > (step > 0 ? step : JT_DEFAULT_STEP_BYTES);
	e->ceiling_method = jt_text_dup(has_exact ? "footprint+remaining"
						: has_kernel ? "kernel-limit"
						: has_cross && has_report
						? "crossing+report"
						: has_cross ? "crossing"
							    : "report",
					&bad);
	if (bad)
		return jt_error_oom(err, NULL);
	return 0;
}

static int
input_cmp(const void *pa, const void *pb)
{
	return strcmp(((const struct jt_table_input *)pa)->path,
		      ((const struct jt_table_input *)pb)->path);
}

static int
excluded_cmp(const void *pa, const void *pb)
{
	const struct jt_excluded *a = pa, *b = pb;
	int c = scmp(a->input, b->input);

	if (c == 0)
		c = scmp(a->reason, b->reason);
	if (c == 0)
		c = scmp(a->model, b->model);
	return c;
}

static int
str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* add_class_model - fold one model's growth into its RAM class. */
static int
add_class_model(struct jt_table *t, const char *model, int64_t ram_bytes,
		int64_t growth_bytes)
{
	struct jt_ram_class *c = NULL;
	size_t i;
	char **m;

	for (i = 0; i < t->nclasses; i++)
		if (t->classes[i].ram_bytes == ram_bytes)
			c = &t->classes[i];
	if (c == NULL) {
		c = realloc(t->classes, (t->nclasses + 1) * sizeof(*c));
		if (c == NULL)
			return -1;
		t->classes = c;
		c = &t->classes[t->nclasses++];
		memset(c, 0, sizeof(*c));
		c->ram_bytes = ram_bytes;
		c->growth_bytes = growth_bytes;
	}
	if (growth_bytes > c->growth_bytes)
		c->growth_bytes = growth_bytes;
	for (i = 0; i < c->nmodels; i++)
		if (strcmp(c->models[i], model) == 0)
			return 0;
	m = realloc(c->models, (c->nmodels + 1) * sizeof(*m));
	if (m == NULL)
		return -1;
	c->models = m;
	if ((c->models[c->nmodels] = strdup(model)) == NULL)
		return -1;
	c->nmodels++;
	return 0;
}

static int
class_cmp(const void *pa, const void *pb)
{
	const struct jt_ram_class *a = pa, *b = pb;

	return (a->ram_bytes > b->ram_bytes) - (a->ram_bytes < b->ram_bytes);
}

static const struct jt_field_model *
field_find(const struct jt_field_model *fm, size_t n, const char *model)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(fm[mid].model, model);

		if (c == 0)
			return &fm[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* has_entry - whether the table has a lab entry for model. */
static int
has_entry(const struct jt_table *t, const char *model)
{
	size_t lo = 0, hi = t->nentries;

	/* Entries are in key order, so by model first. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(t->entries[mid].model, model);

		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/*
 * field_only - every model with field data and no lab entry becomes a
 * field-only model (or, with strict_field, its page growth is an error).
 */
static int
field_only(struct jt_table *t, const struct jt_field_model *fm, size_t nfm,
	   const struct jt_models *models, int strict, struct jt_error *err)
{
	size_t i;
	int bad = 0;

	t->field_only = calloc(nfm + 1, sizeof(*t->field_only));
	if (t->field_only == NULL)
		return jt_error_oom(err, NULL);
	for (i = 0; i < nfm; i++) {
		const struct jt_field_model *f = &fm[i];
		const struct jt_model *m;
		struct jt_field_only *o;

		if (has_entry(t, f->model))
			continue;
		if (strict && f->first_line != 0)
			return jt_error_set(err, JT_EINVAL, f->first_source,
					    f->first_line, 0,
					    "page growth for model '%s', which "
					    "has no lab data (--strict-field)",
					    f->model);
		if (jt_table_name_check("model", f->model, JT_TABLE_MODEL_MAX,
					f->first_source ? f->first_source
							: "field data",
					f->first_line, err) < 0)
			return -1;
		m = models ? jt_models_find(models, f->model) : NULL;
		o = &t->field_only[t->nfield_only++];
		o->model = jt_text_dup(f->model, &bad);
		o->known_model = m != NULL;
		o->model_name = jt_text_dup(m ? m->name : NULL, &bad);
		o->ram_bytes = m ? m->ram_bytes : -1;
		o->growth_bytes = f->growth_bytes;
		o->growth_page = jt_text_dup(f->growth_page, &bad);
		o->growth_samples = f->growth_samples;
		o->baseline_bytes = f->baseline_bytes;
		o->session_samples = f->session_samples;
		if (bad ||
		    (o->ram_bytes > 0 && o->growth_bytes >= 0 &&
		     add_class_model(t, o->model, o->ram_bytes,
				     o->growth_bytes) < 0))
			return jt_error_oom(err, NULL);
	}
	return 0;
}

static int
build(struct jt_table *t, const struct jt_lab *lab,
      const struct jt_field *field, const struct jt_models *models,
      const struct jt_calibrate_options *opt, struct jt_error *err)
{
	struct jt_lab_piece *p = NULL;
	struct jt_field_model *fm = NULL;
	struct relmap rm = {opt->root ? opt->root : ".", NULL, 0, 0};
	size_t nfm = 0, i, j, nkeys = 0, nin;
	int bad = 0, rc = -1;

	if (lab->npieces == 0)
		return jt_error_set_in(
			err, JT_EINVAL, NULL,
			"no lab evidence: give run records, probe "
			"logs or reports with a limit kill");
	if (opt->release != NULL &&
	    jt_table_name_check("release", opt->release, JT_TABLE_RELEASE_MAX,
				NULL, 0, err) < 0)
		return -1;
	t->tool_version = jt_text_dup(opt->tool_version, &bad);
	t->release = jt_text_dup(opt->release, &bad);
	t->generated_at = jt_text_dup(opt->generated_at, &bad);
	t->statistic = jt_text_dup(jt_statistic_name(opt->statistic), &bad);
	t->sketch_relative_error =
		opt->statistic == JT_STAT_MAX ? 0 : JT_SKETCH_RELATIVE_ERROR;
	t->fraction = opt->fraction;

	/* Inputs: lab files and field files, sorted by relative path. */
	nin = lab->ninputs + (field ? jt_field_nfiles(field) : 0);
	t->inputs = calloc(nin + 1, sizeof(*t->inputs));
	if (t->inputs == NULL)
		goto nomem;
	for (i = 0; i < lab->ninputs; i++) {
		struct jt_table_input *x = &t->inputs[t->ninputs++];

		*x = lab->inputs[i];
		x->kind = jt_text_dup(lab->inputs[i].kind, &bad);
		if ((x->path = rel(&rm, lab->inputs[i].path, err)) == NULL)
			goto out;
	}
	for (i = 0; field != NULL && i < jt_field_nfiles(field); i++) {
		const struct jt_field_file *ff = jt_field_file_at(field, i);
		struct jt_table_input *x = &t->inputs[t->ninputs++];

		x->kind = jt_text_dup(jt_field_shape_name(ff->shape), &bad);
		memcpy(x->sha256, ff->sha256, sizeof(x->sha256));
		x->bytes = ff->bytes;
		if ((x->path = rel(&rm, ff->path, err)) == NULL)
			goto out;
	}
	if (bad)
		goto nomem;
	qsort(t->inputs, t->ninputs, sizeof(*t->inputs), input_cmp);

	/* Excluded kills. */
	if (lab->nexcluded > 0) {
		t->excluded = calloc(lab->nexcluded, sizeof(*t->excluded));
		if (t->excluded == NULL)
			goto nomem;
		for (i = 0; i < lab->nexcluded; i++) {
			struct jt_excluded *x = &t->excluded[t->nexcluded++];

			x->model = jt_text_dup(lab->excluded[i].model, &bad);
			x->os_version =
				jt_text_dup(lab->excluded[i].os_version, &bad);
			x->reason = jt_text_dup(lab->excluded[i].reason, &bad);
			x->why = jt_text_dup(lab->excluded[i].why, &bad);
			x->input = rel(&rm, lab->excluded[i].input, err);
			if (x->input == NULL)
				goto out;
		}
		if (bad)
			goto nomem;
		qsort(t->excluded, t->nexcluded, sizeof(*t->excluded),
		      excluded_cmp);
	}

	if (field != NULL) {
		fm = jt_field_summarize(field, &nfm, err);
		if (fm == NULL)
			goto out;
	}

	/* Pieces sorted by key; one entry per run of equal keys. */
	p = malloc(lab->npieces * sizeof(*p));
	if (p == NULL)
		goto nomem;
	memcpy(p, lab->pieces, lab->npieces * sizeof(*p));
	qsort(p, lab->npieces, sizeof(*p), piece_cmp);
	for (i = 0; i < lab->npieces; i++)
		if (i == 0 || !same_key(&p[i], &p[i - 1]))
			nkeys++;
	t->entries = calloc(nkeys, sizeof(*t->entries));
	if (t->entries == NULL)
		goto nomem;
	for (i = 0; i < lab->npieces; i = j) {
		struct jt_table_entry *e = &t->entries[t->nentries++];
		const struct jt_model *m =
			models ? jt_models_find(models, p[i].model) : NULL;
		const struct jt_field_model *f =
			field_find(fm, nfm, p[i].model);

		for (j = i + 1; j < lab->npieces && same_key(&p[i], &p[j]); j++)
			;
		e->model = jt_text_dup(p[i].model, &bad);
		e->os_version = jt_text_dup(p[i].os_version, &bad);
		e->profile = jt_text_dup(p[i].profile, &bad);
		e->known_model = m != NULL;
		e->model_name = jt_text_dup(m ? m->name : NULL, &bad);
		e->ram_bytes = m ? m->ram_bytes : -1;
		e->growth_bytes = -1;
		e->baseline_bytes = -1;
		if (bad)
			goto nomem;
		if (fold_key(e, &p[i], j - i, &rm, err) < 0)
			goto out;
		if (f != NULL) {
			e->growth_bytes = f->growth_bytes;
			e->growth_page = jt_text_dup(f->growth_page, &bad);
			e->growth_samples = f->growth_samples;
			e->baseline_bytes = f->baseline_bytes;
			e->session_samples = f->session_samples;
		}
		e->no_field_growth = e->growth_bytes < 0;
		e->rule = jt_rule_apply(e->ceiling_bytes, e->growth_bytes,
					e->baseline_bytes, opt->fraction,
					&e->threshold_bytes, &e->no_headroom);
		if (e->ram_bytes > 0 && e->growth_bytes >= 0 &&
		    add_class_model(t, e->model, e->ram_bytes,
				    e->growth_bytes) < 0)
			goto nomem;
	}
	if (bad)
		goto nomem;
	if (field_only(t, fm, nfm, models, opt->strict_field, err) < 0)
		goto out;
	for (i = 0; i < t->nclasses; i++)
		qsort(t->classes[i].models, t->classes[i].nmodels,
		      sizeof(char *), str_ptr_cmp);
	if (t->nclasses > 1)
		qsort(t->classes, t->nclasses, sizeof(*t->classes), class_cmp);
	rc = 0;
	goto out;
nomem:
	jt_error_oom(err, NULL);
out:
	relmap_free(&rm);
	free(p);
	free(fm);
	return rc;
}

int
jt_calibrate_build(struct jt_table *t, const struct jt_lab *lab,
		   const struct jt_field *field, const struct jt_models *models,
		   const struct jt_calibrate_options *opt, struct jt_error *err)
{
	jt_table_init(t);
	if (build(t, lab, field, models, opt, err) < 0) {
		jt_table_release(t);
		return -1;
	}
	return 0;
}
