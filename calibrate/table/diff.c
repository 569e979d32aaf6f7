/*
 * diff.c - a merge walk over two tables' entries in key order
 */
#include "diff.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int
ptr_cmp(const void *a, const void *b)
{
	return jt_table_entry_cmp(*(const struct jt_table_entry *const *)a,
				  *(const struct jt_table_entry *const *)b);
}

static const struct jt_table_entry **
sorted(const struct jt_table *t)
{
	const struct jt_table_entry **v = calloc(t->nentries + 1, sizeof(*v));
	size_t i;

	if (v == NULL)
		return NULL;
	for (i = 0; i < t->nentries; i++)
		v[i] = &t->entries[i];
	qsort(v, t->nentries, sizeof(*v), ptr_cmp);
	return v;
}

/* emit_change - a jt_table_diff_walk visitor writing one emitter row. */
static int
emit_change(void *ctx, const struct jt_diff_change *ch, struct jt_error *err)
{
	const struct jt_table_entry *o = ch->old_e, *n = ch->new_e;
	const struct jt_table_entry *k = n != NULL ? n : o;
	struct jt_cell c[] = {
		jt_cell_str(ch->change),
		jt_cell_str(k->model),
		jt_cell_str(k->os_version),
		jt_cell_str(k->profile),
		o ? jt_cell_int(o->threshold_bytes) : jt_cell_null(),
		n ? jt_cell_int(n->threshold_bytes) : jt_cell_null(),
		o && n ? jt_cell_int(n->threshold_bytes - o->threshold_bytes)
		       : jt_cell_null(),
		ch->has_pct ? jt_cell_real(ch->delta_pct) : jt_cell_null(),
		o ? jt_cell_str(jt_rule_name(o->rule)) : jt_cell_null(),
		n ? jt_cell_str(jt_rule_name(n->rule)) : jt_cell_null()};

	return jt_emitter_row(ctx, c, err);
}

/* has_model - whether t has any entry for model. */
static int
has_model(const struct jt_table *t, const char *model)
{
	size_t i;

	for (i = 0; i < t->nentries; i++)
		if (strcmp(t->entries[i].model, model) == 0)
			return 1;
	return 0;
}

/* count_new_models - distinct models of a (sorted) missing from b. */
static long
count_new_models(const struct jt_table_entry **a, size_t n,
		 const struct jt_table *b)
{
	size_t i;
	long c = 0;

	for (i = 0; i < n; i++)
		if ((i == 0 || strcmp(a[i]->model, a[i - 1]->model) != 0) &&
		    !has_model(b, a[i]->model))
			c++;
	return c;
}

int
jt_table_diff_walk(const struct jt_table *old_t, const struct jt_table *new_t,
		   double fail_over_pct, struct jt_diff_stats *stats,
		   int (*visit)(void *ctx, const struct jt_diff_change *c,
				struct jt_error *err),
		   void *ctx, struct jt_error *err)
{
	const struct jt_table_entry **a = sorted(old_t), **b = sorted(new_t);
	size_t i = 0, j = 0;
	int rc = -1;

	memset(stats, 0, sizeof(*stats));
	if (a == NULL || b == NULL) {
		jt_error_oom(err, NULL);
		goto out;
	}
	while (i < old_t->nentries || j < new_t->nentries) {
		int c = i == old_t->nentries   ? 1
			: j == new_t->nentries ? -1
					       : jt_table_entry_cmp(a[i], b[j]);
		struct jt_diff_change ch = {NULL, NULL, NULL, 0, 0.0};

		if (c < 0) {
			stats->removed++;
			ch.change = "removed";
			ch.old_e = a[i++];
		} else if (c > 0) {
			stats->added++;
			ch.change = "added";
			ch.new_e = b[j++];
		} else {
			int64_t o = a[i]->threshold_bytes;
			int64_t n = b[j]->threshold_bytes;
			int rule = a[i]->rule != b[j]->rule;

			ch.old_e = a[i++];
			ch.new_e = b[j++];
			if (o != n) {
				double pct = o > 0
					? (double)(n - o) * 100.0 / (double)o
					: 100.0;

				ch.change = "changed";
				ch.has_pct = 1;
				ch.delta_pct = round(pct * 100.0) / 100.0;
				stats->changed++;
				if (fabs(ch.delta_pct) > stats->max_abs_pct)
					stats->max_abs_pct = fabs(ch.delta_pct);
				if (fail_over_pct >= 0 &&
				    fabs(ch.delta_pct) > fail_over_pct)
					stats->over++;
				if (rule)
					stats->rule_changed++;
			} else if (rule) {
				ch.change = "rule-changed";
				ch.has_pct = 1;
				stats->rule_changed++;
			} else {
				stats->unchanged++;
				continue;
			}
		}
		if (visit(ctx, &ch, err) < 0)
			goto out;
	}
	stats->models_added = count_new_models(b, new_t->nentries, old_t);
	stats->models_removed = count_new_models(a, old_t->nentries, new_t);
	rc = 0;
out:
	free(a);
	free(b);
	return rc;
}

int
jt_table_diff(const struct jt_table *old_t, const struct jt_table *new_t,
	      FILE *out, enum jt_format fmt, double fail_over_pct,
	      struct jt_diff_stats *stats, struct jt_error *err)
{
	static const char *const cols[] = {"change",
					   "model",
					   "os_version",
					   "profile",
					   "old_threshold_bytes",
					   "new_threshold_bytes",
					   "delta_bytes",
					   "delta_percent",
					   "old_rule",
					   "new_rule"};
	struct jt_emitter *em;
	int rc;

	memset(stats, 0, sizeof(*stats));
	em = jt_emitter_new(out, fmt, cols, sizeof(cols) / sizeof(cols[0]),
			    err);
	if (em == NULL)
		return -1;
	rc = jt_table_diff_walk(old_t, new_t, fail_over_pct, stats, emit_change,
				em, err);
	if (rc == 0)
		rc = jt_emitter_end(em, err);
	jt_emitter_free(em);
	return rc;
}
