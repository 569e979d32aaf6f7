/*
 * rules.h - the watermark rule: one key's threshold from its numbers
 *
 * The rule the lab designed: threshold = ceiling - growth (the largest
 * growth of opening one page), but never below the baseline (the largest
 * footprint the field saw without an OOM).  The edges are decided here,
 * in this order, and pinned by tests/check_calibrate_rules.c:
 *
 *   1. growth known and ceiling - growth > 0: ceiling - growth
 *                                             ("ceiling-minus-growth");
 *      otherwise (no growth data, or growth >= ceiling):
 *      floor(fraction x ceiling), at least 1  ("fraction-of-ceiling");
 *   2. baseline > that value: the baseline     ("baseline-floor");
 *   3. above the ceiling (the baseline was >= ceiling): the ceiling
 *                                             ("ceiling-cap").
 *
 * no_headroom is set when baseline >= ceiling or growth >= ceiling: the
 * table says so and the calibrator warns.  The result is always in
 * (0, ceiling].
 */
#ifndef JT_RULES_H
#define JT_RULES_H

#include <stdint.h>

#include "calibrate/table/table.h"

/*
 * jt_rule_apply - the threshold for ceiling_bytes (> 0), growth_bytes and
 * baseline_bytes (-1 when unknown) and the last-resort fraction (0, 1].
 * Writes *threshold_bytes and *no_headroom; returns the rule that gave it.
 */
enum jt_rule jt_rule_apply(int64_t ceiling_bytes, int64_t growth_bytes,
			   int64_t baseline_bytes, double fraction,
			   int64_t *threshold_bytes, int *no_headroom);

/* jt_fraction_of - floor(fraction x bytes), at least 1 when bytes > 0. */
int64_t jt_fraction_of(int64_t bytes, double fraction);

#endif
