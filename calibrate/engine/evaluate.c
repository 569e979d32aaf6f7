/*
 * evaluate.c - a backtest: replay held-out field data against a table
 *
 * A threshold is a trade.  Too low, and sessions that would have been
 * fine degrade for nothing; too high, and a page pushed at the threshold
 * carries the footprint past the ceiling, where the kernel kills.  Raw
 * field rows not used for the calibration answer both: each non-OOM
 * session's peak against its key's threshold, and each page-growth sample
 * added to the threshold against the key's ceiling.  Rows are streamed
 * through the field reader's row hook, so memory stays bounded by the
 * number of models and (model, OS) pairs.
 */
#include "calibrate.h"

#include <stdlib.h>
#include <string.h>

#include "calibrate/field/sketch.h"

/* A (model, OS) pair and the entry that answers it (NULL: none). */
struct pair {
	char *key; /* model '\x1f' OS */
	const struct jt_table_entry *entry;
	enum jt_source source;
	const char *why;
};

struct acc {
	struct jt_eval_model m;
	struct jt_sketch headroom; /* of max(headroom, 0) */
	int measured, carried;
};

struct jt_eval_state {
	const struct jt_table *t;
	const char *profile;
	struct pair *pairs;
	size_t npairs, cappairs;
	struct acc *accs;
	size_t naccs, capaccs;
};

static void *
grow(void *v, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t c;

	if (n < *cap)
		return v;
	c = *cap ? *cap * 2 : 16;
	p = realloc(v, c * size);
	if (p != NULL)
		*cap = c;
	return p;
}

/* pair_of - the lookup for (model, os), made once. */
static const struct pair *
pair_of(struct jt_eval_state *s, const char *model, const char *os)
{
	size_t ml = strlen(model), ol = strlen(os), lo = 0, hi = s->npairs, i;
	char *key = malloc(ml + ol + 2);
	struct jt_lookup lk;
	struct pair *p;

	if (key == NULL)
		return NULL;
	memcpy(key, model, ml);
	key[ml] = '\x1f';
	memcpy(key + ml + 1, os, ol + 1);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->pairs[mid].key, key);

		if (c == 0) {
			free(key);
			return &s->pairs[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	p = grow(s->pairs, &s->cappairs, s->npairs, sizeof(*p));
	if (p == NULL) {
		free(key);
		return NULL;
	}
	s->pairs = p;
	for (i = s->npairs; i > lo; i--)
		s->pairs[i] = s->pairs[i - 1];
	s->npairs++;
	jt_table_lookup(s->t, model, os, s->profile, -1, -1, &lk);
	p = &s->pairs[lo];
	p->key = key;
	p->entry = lk.source == JT_SOURCE_MEASURED ||
			lk.source == JT_SOURCE_CARRIED_OVER
		? lk.entry
		: NULL;
	p->source = lk.source;
	p->why = p->entry != NULL ? NULL
		: lk.source == JT_SOURCE_FIELD_ONLY
		? "field-only: no ceiling, the threshold follows the live "
		  "limit on the device"
		: "no lab entry: the threshold follows the live limit on the "
		  "device";
	return p;
}

/* acc_of - the accumulator of model, made once. */
static struct acc *
acc_of(struct jt_eval_state *s, const char *model)
{
	size_t lo = 0, hi = s->naccs, i;
	struct acc *a;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->accs[mid].m.model, model);

		if (c == 0)
			return &s->accs[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	a = grow(s->accs, &s->capaccs, s->naccs, sizeof(*a));
	if (a == NULL)
		return NULL;
	s->accs = a;
	for (i = s->naccs; i > lo; i--)
		s->accs[i] = s->accs[i - 1];
	s->naccs++;
	a = &s->accs[lo];
	memset(a, 0, sizeof(*a));
	jt_sketch_init(&a->headroom);
	a->m.model = strdup(model);
	if (a->m.model == NULL) {
		/* Leave a valid, empty slot; the caller reports the OOM. */
		memmove(a, a + 1, (s->naccs - lo - 1) * sizeof(*a));
		s->naccs--;
		return NULL;
	}
	return a;
}

static int
on_row(void *ctx, const struct jt_field_row *row, struct jt_error *err)
{
	struct jt_eval_state *s = ctx;
	const struct pair *p = pair_of(s, row->model, row->os_version);
	struct acc *a = p != NULL ? acc_of(s, row->model) : NULL;
	const struct jt_table_entry *e;

	if (a == NULL)
		return jt_error_oom(err, row->source);
	if (p->entry == NULL) {
		a->m.rows_skipped++;
		if (a->m.why == NULL)
			a->m.why = p->why;
		return 0;
	}
	e = p->entry;
	a->measured |= p->source == JT_SOURCE_MEASURED;
	a->carried |= p->source == JT_SOURCE_CARRIED_OVER;
	if (row->shape == JT_FIELD_SESSIONS) {
		if (row->oom) {
			a->m.oom_sessions++;
			return 0;
		}
		a->m.sessions++;
		a->m.needless += row->bytes > e->threshold_bytes;
	} else {
		int64_t h = e->ceiling_bytes - e->threshold_bytes - row->bytes;

		if (a->m.growth_samples == 0 || h < a->m.headroom_min_bytes)
			a->m.headroom_min_bytes = h;
		if (a->m.growth_samples == 0 || h > a->m.headroom_max_bytes)
			a->m.headroom_max_bytes = h;
		a->m.growth_samples++;
		a->m.unprevented += h < 0;
		if (jt_sketch_add(&a->headroom, h > 0 ? h : 0, err) < 0)
			return -1;
	}
	return 0;
}

int
jt_eval_begin(struct jt_eval *ev, const struct jt_table *t, const char *profile,
	      struct jt_field *field, struct jt_error *err)
{
	memset(ev, 0, sizeof(*ev));
	ev->state = calloc(1, sizeof(*ev->state));
	ev->profile = strdup(profile != NULL ? profile : "app");
	if (ev->state == NULL || ev->profile == NULL) {
		jt_eval_release(ev);
		return jt_error_oom(err, NULL);
	}
	ev->state->t = t;
	ev->state->profile = ev->profile;
	jt_field_set_row_hook(field, on_row, ev->state);
	return 0;
}

int
jt_eval_end(struct jt_eval *ev, struct jt_field *field, struct jt_error *err)
{
	struct jt_eval_state *s = ev->state;
	size_t i;

	jt_field_set_row_hook(field, NULL, NULL);
	ev->models = calloc(s->naccs + 1, sizeof(*ev->models));
	if (ev->models == NULL)
		return jt_error_oom(err, NULL);
	for (i = 0; i < s->naccs; i++) {
		struct acc *a = &s->accs[i];
		struct jt_eval_model *m = &ev->models[ev->nmodels++];

		*m = a->m;
		a->m.model = NULL; /* now owned by ev */
		m->source = a->measured && a->carried ? "measured+carried-over"
			: a->measured                 ? "measured"
			: a->carried                  ? "carried-over"
						      : NULL;
		if (m->source != NULL)
			m->why = NULL;
		if (m->growth_samples > 0) {
			m->headroom_p10_bytes =
				jt_sketch_quantile(&a->headroom, 10, 100);
			m->headroom_p50_bytes =
				jt_sketch_quantile(&a->headroom, 50, 100);
		}
		ev->sessions += m->sessions;
		ev->needless += m->needless;
		ev->growth_samples += m->growth_samples;
		ev->unprevented += m->unprevented;
	}
	return 0;
}

void
jt_eval_release(struct jt_eval *ev)
{
	struct jt_eval_state *s = ev->state;
	size_t i;

	if (s != NULL) {
		for (i = 0; i < s->npairs; i++)
			free(s->pairs[i].key);
		free(s->pairs);
		for (i = 0; i < s->naccs; i++) {
			free(s->accs[i].m.model);
			jt_sketch_release(&s->accs[i].headroom);
		}
		free(s->accs);
		free(s);
	}
	for (i = 0; i < ev->nmodels; i++)
		free(ev->models[i].model);
	free(ev->models);
	free(ev->profile);
	memset(ev, 0, sizeof(*ev));
}

int
jt_eval_files(struct jt_eval *ev, const struct jt_table *t,
	      const char *const *files, size_t nfiles, const char *profile,
	      long max_bad_rows, jt_diag_fn diag, void *ctx,
	      struct jt_error *err)
{
	struct jt_field *field = jt_field_new(JT_STAT_MAX, max_bad_rows, err);
	struct jt_error sub;
	size_t k, j;
	int failed = 0;

	memset(ev, 0, sizeof(*ev));
	if (field == NULL)
		return -1;
	if (jt_eval_begin(ev, t, profile, field, err) < 0) {
		jt_field_free(field);
		return -1;
	}
	for (k = 0; k < nfiles && !failed; k++) {
		const struct jt_field_file *ff;

		jt_error_init(&sub);
		failed = jt_field_read(field, files[k], &sub) < 0;
		ff = jt_field_nfiles(field) > k ? jt_field_file_at(field, k)
						: NULL;
		if (!failed && ff != NULL &&
		    (ff->shape == JT_FIELD_GROWTH_AGGREGATE ||
		     ff->shape == JT_FIELD_SESSIONS_AGGREGATE ||
		     ff->shape == JT_FIELD_SKETCH)) {
			jt_error_set_in(&sub, JT_EINVAL, files[k],
					"an aggregate (%s) cannot be replayed: "
					"give raw rows",
					jt_field_shape_name(ff->shape));
			failed = 1;
		}
	}
	for (j = 0; j < jt_field_nbad(field); j++)
		diag(ctx, jt_field_bad_at(field, j));
	if (failed) {
		diag(ctx, &sub);
		jt_error_set_in(err, JT_EINVAL, NULL,
				"no evaluation: fix the field data above");
	} else if (jt_eval_end(ev, field, err) == 0) {
		jt_field_free(field);
		return 0;
	}
	jt_field_free(field);
	jt_eval_release(ev);
	return -1;
}

static double
share(long part, long whole)
{
	return whole > 0 ? (double)part / (double)whole : 0;
}

int
jt_eval_emit(const struct jt_eval *ev, FILE *out, enum jt_format fmt,
	     struct jt_error *err)
{
	static const char *const cols[] = {"model",
					   "source",
					   "sessions",
					   "needless_degradations",
					   "needless_share",
					   "growth_samples",
					   "kills_not_prevented",
					   "kills_not_prevented_share",
					   "headroom_min_bytes",
					   "headroom_p10_bytes",
					   "headroom_p50_bytes",
					   "headroom_max_bytes",
					   "note"};
	struct jt_emitter *em = jt_emitter_new(
		out, fmt, cols, sizeof(cols) / sizeof(cols[0]), err);
	size_t i;
	int rc = 0;

	if (em == NULL)
		return -1;
	for (i = 0; i < ev->nmodels && rc == 0; i++) {
		const struct jt_eval_model *m = &ev->models[i];
		int h = m->growth_samples > 0, ok = m->source != NULL;
		struct jt_cell c[] = {
			jt_cell_str(m->model),
			jt_cell_str(m->source),
			jt_cell_int(m->sessions),
			jt_cell_int(m->needless),
			ok && m->sessions > 0
				? jt_cell_real(share(m->needless, m->sessions))
				: jt_cell_null(),
			jt_cell_int(m->growth_samples),
			jt_cell_int(m->unprevented),
			h ? jt_cell_real(
				    share(m->unprevented, m->growth_samples))
			  : jt_cell_null(),
			h ? jt_cell_int(m->headroom_min_bytes) : jt_cell_null(),
			h ? jt_cell_int(m->headroom_p10_bytes) : jt_cell_null(),
			h ? jt_cell_int(m->headroom_p50_bytes) : jt_cell_null(),
			h ? jt_cell_int(m->headroom_max_bytes) : jt_cell_null(),
			jt_cell_str(m->why)};

		rc = jt_emitter_row(em, c, err);
	}
	if (rc == 0)
		rc = jt_emitter_end(em, err);
	jt_emitter_free(em);
	return rc;
}
