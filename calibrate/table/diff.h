/*
 * diff.h - what changed between two threshold tables
 *
 * Tables are remade every release and reviewed as diffs: keys added and
 * removed, thresholds that moved (in bytes and percent of the old value)
 * and entries whose rule changed.  A CI gate fails when any threshold
 * moved by more than a given percentage.
 */
#ifndef JT_DIFF_H
#define JT_DIFF_H

#include <stdio.h>

#include "jetsam/core/emit.h"
#include "jetsam/core/error.h"
#include "table.h"

struct jt_diff_stats {
	long added, removed, changed, rule_changed, unchanged;
	long models_added;   /* models with no entry in the old table */
	long models_removed; /* models with no entry in the new table */
	long over;           /* changes beyond fail_over_pct */
	double max_abs_pct;  /* largest |percent| among changes */
};

/* One key that differs between two tables. */
struct jt_diff_change {
	const char *change; /* "added", "removed", "changed", "rule-changed" */
	const struct jt_table_entry *old_e; /* NULL when added (borrowed) */
	const struct jt_table_entry *new_e; /* NULL when removed (borrowed) */
	int has_pct;                        /* delta_pct is meaningful */
	double delta_pct; /* of the old threshold, rounded to 0.01 */
};

/*
 * jt_table_diff_walk - call visit(ctx, change, err) for every key that
 * differs between old_t and new_t (borrowed), in key order, and fill
 * *stats as jt_table_diff does.  Stops at the first visit that returns
 * -1 and returns -1; -1 with JT_ENOMEM on allocation failure; else 0.
 */
int jt_table_diff_walk(const struct jt_table *old_t,
		       const struct jt_table *new_t, double fail_over_pct,
		       struct jt_diff_stats *stats,
		       int (*visit)(void *ctx, const struct jt_diff_change *c,
				    struct jt_error *err),
		       void *ctx, struct jt_error *err);

/*
 * jt_table_diff - one row per key that differs between old_t and new_t
 * (borrowed): change ("added", "removed", "changed", "rule-changed"),
 * model, os_version, profile, old/new threshold, delta_bytes,
 * delta_percent (of the old threshold, rounded to 0.01), old/new rule.
 * Rows go to out in fmt; counts to *stats.  A change counts in
 * stats->over when |delta_percent| > fail_over_pct (ignored when < 0).
 * -1 with JT_EIO or JT_ENOMEM.
 */
int jt_table_diff(const struct jt_table *old_t, const struct jt_table *new_t,
		  FILE *out, enum jt_format fmt, double fail_over_pct,
		  struct jt_diff_stats *stats, struct jt_error *err);

#endif
