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

static int
emit_row(struct jt_emitter *em, const char *change,
	 const struct jt_table_entry *o, const struct jt_table_entry *n,
	 double pct, int has_pct, struct jt_error *err)
{
	const struct jt_table_entry *k = n != NULL ? n : o;
	struct jt_cell c[] = {
		jt_cell_str(change),
		jt_cell_str(k->model),
		jt_cell_str(k->os_version),
		jt_cell_str(k->profile),
		o ? jt_cell_int(o->threshold_bytes) : jt_cell_null(),
		n ? jt_cell_int(n->threshold_bytes) : jt_cell_null(),
		o && n ? jt_cell_int(n->threshold_bytes - o->threshold_bytes)
		       : jt_cell_null(),
		has_pct ? jt_cell_real(pct) : jt_cell_null(),
		o ? jt_cell_str(jt_rule_name(o->rule)) : jt_cell_null(),
		n ? jt_cell_str(jt_rule_name(n->rule)) : jt_cell_null()};

	return jt_emitter_row(em, c, err);
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
	const struct jt_table_entry **a = sorted(old_t), **b = sorted(new_t);
	struct jt_emitter *em = NULL;
	size_t i = 0, j = 0;
	int rc = -1;

	memset(stats, 0, sizeof(*stats));
	if (a == NULL || b == NULL) {
		jt_error_set(err, JT_ENOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	em = jt_emitter_new(out, fmt, cols, sizeof(cols) / sizeof(cols[0]),
			    err);
	if (em == NULL)
		goto out;
	while (i < old_t->nentries || j < new_t->nentries) {
		int c = i == old_t->nentries   ? 1
			: j == new_t->nentries ? -1
					       : jt_table_entry_cmp(a[i], b[j]);

		if (c < 0) {
			stats->removed++;
			if (emit_row(em, "removed", a[i], NULL, 0, 0, err) < 0)
				goto out;
			i++;
		} else if (c > 0) {
			stats->added++;
			if (emit_row(em, "added", NULL, b[j], 0, 0, err) < 0)
				goto out;
			j++;
		} else {
			int64_t o = a[i]->threshold_bytes;
			int64_t n = b[j]->threshold_bytes;
			int rule = a[i]->rule != b[j]->rule;

			if (o != n) {
				double pct = o > 0
					? (double)(n - o) * 100.0 / (double)o
					: 100.0;

				pct = round(pct * 100.0) / 100.0;
				stats->changed++;
				if (fabs(pct) > stats->max_abs_pct)
					stats->max_abs_pct = fabs(pct);
				if (fail_over_pct >= 0 &&
				    fabs(pct) > fail_over_pct)
					stats->over++;
				if (emit_row(em, "changed", a[i], b[j], pct, 1,
					     err) < 0)
					goto out;
			} else if (rule) {
				stats->rule_changed++;
				if (emit_row(em, "rule-changed", a[i], b[j], 0,
					     1, err) < 0)
					goto out;
			} else {
				stats->unchanged++;
			}
			if (o != n && rule)
				stats->rule_changed++;
			i++;
			j++;
		}
	}
	rc = jt_emitter_end(em, err);
out:
	jt_emitter_free(em);
	free(a);
	free(b);
	return rc;
}
