/*
 * aggregate.c - checked rows folded into keys, and what they say per model
 *
 * Raw page growth is the shape that comes by the million, so its rows are
 * counted in batches of FIELDP_BATCH: each row's key is copied out and
 * hashed and its slot prefetched as the row arrives; when the batch is
 * full the keys are looked up and their sketch buckets prefetched, then
 * counted.  With thousands of keys the tables do not fit in the L2 cache,
 * and overlapping the misses of a batch is what keeps the per-row cost
 * near the parsing cost.  Every other shape is folded row by row.
 */
#include "field_private.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct jt_field *
jt_field_new(enum jt_statistic stat, long max_bad_rows, struct jt_error *err)
{
	struct jt_field *f = calloc(1, sizeof(*f));

	if (f == NULL) {
		jt_error_oom(err, NULL);
		return NULL;
	}
	f->stat = stat;
	f->max_bad = max_bad_rows;
	f->hash_inputs = 1;
	f->shard_bytes = FIELDP_SHARD_BYTES;
	return f;
}

void
fieldp_reset(struct jt_field *f)
{
	size_t i;

	fieldp_table_release(&f->growth);
	fieldp_table_release(&f->models);
	fieldp_table_release(&f->aggkeys);
	for (i = 0; i < f->nfiles; i++)
		free(f->files[i].path);
	free(f->files);
	free(f->bad);
	f->files = NULL;
	f->nfiles = 0;
	f->bad = NULL;
	f->nbad = 0;
	f->bad_total = 0;
}

void
jt_field_free(struct jt_field *f)
{
	if (f == NULL)
		return;
	fieldp_reset(f);
	free(f);
}

void
fieldp_set_shard_bytes(struct jt_field *f, int64_t bytes)
{
	f->shard_bytes = bytes > 0 ? bytes : FIELDP_SHARD_BYTES;
}

void
jt_field_hash_inputs(struct jt_field *f, int on)
{
	f->hash_inputs = on != 0;
}

size_t
jt_field_nfiles(const struct jt_field *f)
{
	return f->nfiles;
}

const struct jt_field_file *
jt_field_file_at(const struct jt_field *f, size_t i)
{
	return i < f->nfiles ? &f->files[i] : NULL;
}

long
jt_field_bad_total(const struct jt_field *f)
{
	return f->bad_total;
}

size_t
jt_field_nbad(const struct jt_field *f)
{
	return f->nbad;
}

const struct jt_error *
jt_field_bad_at(const struct jt_field *f, size_t i)
{
	return i < f->nbad ? &f->bad[i] : NULL;
}

size_t
jt_field_keys(const struct jt_field *f)
{
	return f->growth.n + f->models.n;
}

/* ---- folding ------------------------------------------------------------- */

/*
 * model_get - the index of the model named model[0..len), noting where
 * growth for it first appeared; (size_t)-1 when out of memory.
 */
static size_t
model_get(struct fieldp_reader *r, const char *model, size_t len, int growth)
{
	struct fieldp_table *t = &r->f->models;
	int created;
	size_t i = fieldp_table_get(t, model, len + 1,
				    fieldp_hash(model, len + 1), &created);

	if (i != (size_t)-1 && growth && !t->keys[i].has_growth) {
		t->keys[i].has_growth = 1;
		t->keys[i].first_source = r->name;
		t->keys[i].first_line = r->line;
	}
	return i;
}

/* growth_get - the growth key of v's (model, page), made when new. */
static size_t
growth_get(struct fieldp_reader *r, const char *key, size_t len, uint64_t h)
{
	struct fieldp_table *t = &r->f->growth;
	int created;
	size_t i = fieldp_table_get(t, key, len, h, &created);

	if (i != (size_t)-1 && created) {
		/* A new key: find (or make) its model once. */
		size_t m = model_get(r, key, strlen(key), 1);

		if (m == (size_t)-1)
			return (size_t)-1;
		t->keys[i].model = m;
	}
	return i;
}

/*
 * agg_add - an aggregate row's count and statistics (columns first,
 * first + 1, first + 2: max, p99, p999; -1 when absent).
 */
static void
agg_add(struct fieldp_state *st, const int64_t *v, enum fieldp_col first)
{
	int s;

	st->agg_count += v[FP_COUNT];
	for (s = 0; s < 3; s++) {
		int64_t x = v[first + s];

		if (x < 0)
			st->agg_missing |= 1u << s;
		else if (x > st->agg[s])
			st->agg[s] = x;
	}
}

/* fold - fold one checked row of any shape but raw growth. */
static int
fold(struct fieldp_reader *r, const struct fieldp_values *x,
     struct jt_error *err)
{
	struct jt_field *f = r->f;
	enum jt_field_shape shape = r->shape->shape;
	int created;
	size_t i;

	if (shape == JT_FIELD_GROWTH_AGGREGATE ||
	    shape == JT_FIELD_SESSIONS_AGGREGATE) {
		/* Warehouse rows: one per key; a repeat is an error. */
		char akey[FIELDP_MAX_KEY + 80];
		size_t al = (size_t)snprintf(akey, sizeof(akey),
					     "%d\x1f%s\x1f%s\x1f%s", (int)shape,
					     x->model, x->os, x->page);

		if (al >= sizeof(akey))
			al = sizeof(akey) - 1;
		i = fieldp_table_get(&f->aggkeys, akey, al,
				     fieldp_hash(akey, al), &created);
		if (i == (size_t)-1)
			goto nomem;
		if (!created)
			return jt_error_set(err, JT_EPARSE, r->name, r->line, 0,
					    "duplicate key model '%s' "
					    "os_version '%s' page '%s' (first "
					    "at line %ld)",
					    x->model, x->os, x->page,
					    f->aggkeys.keys[i].first_line);
		f->aggkeys.keys[i].first_line = r->line;
		if (x->v[FP_COUNT] == 0) {
			fieldp_bad(r, "count is 0");
			return 0;
		}
	}
	if (shape == JT_FIELD_GROWTH_AGGREGATE) {
		char key[FIELDP_MAX_KEY];
		size_t len = x->model_len + x->page_len + 2;

		memcpy(key, x->model, x->model_len + 1);
		memcpy(key + x->model_len + 1, x->page, x->page_len + 1);
		i = growth_get(r, key, len, fieldp_hash(key, len));
		if (i == (size_t)-1)
			goto nomem;
		agg_add(&f->growth.keys[i].st, x->v, FP_MAX_GROWTH);
	} else {
		struct fieldp_state *st;

		i = model_get(r, x->model, x->model_len, 0);
		if (i == (size_t)-1)
			goto nomem;
		st = &f->models.keys[i].st;
		if (shape == JT_FIELD_SESSIONS_AGGREGATE) {
			agg_add(st, x->v, FP_MAX_PEAK);
			if (x->v[FP_OOM_COUNT] > 0)
				st->oom += (long)x->v[FP_OOM_COUNT];
		} else if (x->v[FP_OOM] == 1) {
			st->oom++;
		} else if (jt_sketch_add(&st->sketch, x->v[FP_PEAK], err) < 0) {
			return -1;
		}
	}
	r->rows++;
	return 0;
nomem:
	return jt_error_set(err, JT_ENOMEM, r->name, r->line, 0,
			    "out of memory");
}

/* sketch_fold - merge one sketch record into its key. */
static int
sketch_fold(struct fieldp_reader *r, char **cells, const size_t *lens,
	    const struct fieldp_values *x, struct jt_error *err)
{
	struct fieldp_state *st;
	struct jt_sketch sk;
	struct jt_error sub;
	int64_t oom = x->v[FP_OOM_COUNT];
	int growth, c;
	size_t i;

	c = fieldp_sketch_record(r, cells, lens, x, &sk, &growth, err);
	if (c != 0)
		return c < 0 ? -1 : 0;
	if (growth) {
		char key[FIELDP_MAX_KEY];
		size_t len = x->model_len + x->page_len + 2;

		memcpy(key, x->model, x->model_len + 1);
		memcpy(key + x->model_len + 1, x->page, x->page_len + 1);
		i = growth_get(r, key, len, fieldp_hash(key, len));
		st = i != (size_t)-1 ? &r->f->growth.keys[i].st : NULL;
	} else {
		i = model_get(r, x->model, x->model_len, 0);
		st = i != (size_t)-1 ? &r->f->models.keys[i].st : NULL;
	}
	if (st == NULL) {
		jt_sketch_release(&sk);
		return jt_error_set(err, JT_ENOMEM, r->name, r->line, 0,
				    "out of memory");
	}
	if (oom > LONG_MAX - st->oom) {
		jt_sketch_release(&sk);
		fieldp_bad(r, "oom_count %lld: too many OOM sessions in all",
			   (long long)oom);
		return 0;
	}
	jt_error_init(&sub);
	c = jt_sketch_merge(&st->sketch, &sk, &sub);
	jt_sketch_release(&sk);
	if (c < 0)
		return jt_error_set(err, sub.code, r->name, r->line, 0, "%s",
				    sub.text);
	st->oom += (long)oom;
	r->rows++;
	return 0;
}

int
fieldp_flush(struct fieldp_reader *r, struct jt_error *err)
{
	struct fieldp_table *t = &r->f->growth;
	struct fieldp_pending *b = r->batch;
	size_t i, nb = r->nbatch;
	long line = r->line;

	r->nbatch = 0;
	for (i = 0; i < nb; i++) {
		const struct jt_sketch *sk;
		int32_t bk;

		r->line = b[i].line; /* where a new model's growth began */
		b[i].index = growth_get(r, b[i].key, b[i].len, b[i].hash);
		if (b[i].index == (size_t)-1) {
			r->line = line;
			return jt_error_set(err, JT_ENOMEM, r->name, line, 0,
					    "out of memory");
		}
		sk = &t->keys[b[i].index].st.sketch;
		bk = jt_sketch_bucket(b[i].value);
#if defined(__GNUC__)
		if (bk >= sk->off && bk < sk->off + sk->nbins)
			__builtin_prefetch(&sk->bins[bk - sk->off], 1);
#else
		(void)sk;
		(void)bk;
#endif
	}
	r->line = line;
	for (i = 0; i < nb; i++) {
		if (jt_sketch_add(&t->keys[b[i].index].st.sketch, b[i].value,
				  err) < 0)
			return -1;
		r->rows++;
	}
	return 0;
}

/* batch_add - queue one checked raw growth row; count a full batch. */
static int
batch_add(struct fieldp_reader *r, const struct fieldp_values *x,
	  struct jt_error *err)
{
	struct fieldp_pending *b;

	if (r->batch == NULL) {
		r->batch = malloc(FIELDP_BATCH * sizeof(*r->batch));
		if (r->batch == NULL)
			return jt_error_oom(err, r->name);
	}
	b = &r->batch[r->nbatch++];
	memcpy(b->key, x->model, x->model_len + 1);
	memcpy(b->key + x->model_len + 1, x->page, x->page_len + 1);
	b->len = x->model_len + x->page_len + 2;
	b->hash = fieldp_hash(b->key, b->len);
	b->value = x->v[FP_GROWTH];
	b->line = r->line;
	fieldp_table_prefetch(&r->f->growth, b->hash);
	return r->nbatch == FIELDP_BATCH ? fieldp_flush(r, err) : 0;
}

void
jt_field_set_row_hook(struct jt_field *f, jt_field_row_fn fn, void *ctx)
{
	f->row_fn = fn;
	f->row_ctx = ctx;
}

/* replay - hand one counted raw row to the row hook. */
static int
replay(struct fieldp_reader *r, const struct fieldp_values *x,
       struct jt_error *err)
{
	enum jt_field_shape shape = r->shape->shape;
	struct jt_field_row fr;

	if (shape != JT_FIELD_GROWTH && shape != JT_FIELD_SESSIONS)
		return 0;
	fr.shape = shape;
	fr.source = r->name;
	fr.line = r->line;
	fr.model = x->model;
	fr.os_version = x->os;
	fr.page = x->page != NULL ? x->page : "";
	fr.bytes = shape == JT_FIELD_GROWTH ? x->v[FP_GROWTH] : x->v[FP_PEAK];
	fr.oom = shape == JT_FIELD_SESSIONS && x->v[FP_OOM] == 1;
	return r->f->row_fn(r->f->row_ctx, &fr, err);
}

int
fieldp_row(struct fieldp_reader *r, char **cells, const size_t *lens, size_t n,
	   struct jt_error *err)
{
	struct fieldp_values x;
	int rc;

	if (fieldp_check(r, cells, lens, n, &x) != 0)
		return 0;
	if (r->shape->shape == JT_FIELD_SKETCH) {
		rc = sketch_fold(r, cells, lens, &x, err);
	} else if (r->shape->shape != JT_FIELD_GROWTH) {
		rc = fold(r, &x, err);
	} else {
		rc = batch_add(r, &x, err);
		/* A row hook sees each row after it is counted. */
		if (rc == 0 && r->f->row_fn != NULL)
			rc = fieldp_flush(r, err);
	}
	if (rc < 0 || r->f->row_fn == NULL)
		return rc;
	return replay(r, &x, err);
}

/* ---- results ------------------------------------------------------------- */

static int
model_cmp(const void *a, const void *b)
{
	return strcmp(((const struct jt_field_model *)a)->model,
		      ((const struct jt_field_model *)b)->model);
}

struct jt_field_model *
jt_field_summarize(const struct jt_field *f, size_t *n, struct jt_error *err)
{
	struct jt_field_model *out = calloc(f->models.n + 1, sizeof(*out));
	size_t i;

	*n = 0;
	if (out == NULL) {
		jt_error_oom(err, NULL);
		return NULL;
	}
	for (i = 0; i < f->models.n; i++) {
		const struct fieldp_key *k = &f->models.keys[i];
		struct jt_field_model *m = &out[i];

		m->model = k->name;
		m->growth_bytes = -1;
		m->baseline_bytes = fieldp_state_stat(&k->st, f->stat);
		m->session_samples =
			(long)(k->st.sketch.count + k->st.agg_count);
		m->oom_sessions = k->st.oom;
		m->first_source = k->first_source;
		m->first_line = k->has_growth ? k->first_line : 0;
	}
	for (i = 0; i < f->growth.n; i++) {
		const struct fieldp_key *k = &f->growth.keys[i];
		struct jt_field_model *m = &out[k->model];
		const char *page = k->name + strlen(k->name) + 1;
		int64_t s = fieldp_state_stat(&k->st, f->stat);

		m->growth_samples +=
			(long)(k->st.sketch.count + k->st.agg_count);
		if (s > m->growth_bytes ||
		    (s == m->growth_bytes &&
		     (m->growth_page == NULL ||
		      strcmp(page, m->growth_page) < 0))) {
			m->growth_bytes = s;
			m->growth_page = *page != '\0' ? page : NULL;
		}
	}
	*n = f->models.n;
	qsort(out, *n, sizeof(*out), model_cmp);
	return out;
}

static int
page_cmp(const void *a, const void *b)
{
	const struct jt_field_page *x = a, *y = b;
	int c = strcmp(x->model, y->model);

	return c != 0 ? c : strcmp(x->page, y->page);
}

struct jt_field_page *
jt_field_pages(const struct jt_field *f, size_t *n, struct jt_error *err)
{
	struct jt_field_page *out = calloc(f->growth.n + 1, sizeof(*out));
	size_t i;

	*n = 0;
	if (out == NULL) {
		jt_error_oom(err, NULL);
		return NULL;
	}
	for (i = 0; i < f->growth.n; i++) {
		const struct fieldp_key *k = &f->growth.keys[i];
		struct jt_field_page *p = &out[i];

		p->model = k->name;
		p->page = k->name + strlen(k->name) + 1;
		p->count = (long)(k->st.sketch.count + k->st.agg_count);
		p->max_bytes = fieldp_state_stat(&k->st, JT_STAT_MAX);
		p->p99_bytes = fieldp_state_stat(&k->st, JT_STAT_P99);
		p->p999_bytes = fieldp_state_stat(&k->st, JT_STAT_P999);
	}
	*n = f->growth.n;
	qsort(out, *n, sizeof(*out), page_cmp);
	return out;
}
