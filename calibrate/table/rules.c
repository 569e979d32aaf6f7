/*
 * rules.c - the watermark rule (see rules.h for the order of the edges)
 */
#include "rules.h"

int64_t
jt_fraction_of(int64_t bytes, double fraction)
{
	int64_t v;

	if (bytes <= 0)
		return 0;
	v = (int64_t)((double)bytes * fraction);
	return v > 0 ? v : 1;
}

enum jt_rule
jt_rule_apply(int64_t ceiling_bytes, int64_t growth_bytes,
	      int64_t baseline_bytes, double fraction, int64_t *threshold_bytes,
	      int *no_headroom)
{
	enum jt_rule rule;
	int64_t t;

	*no_headroom =
		(baseline_bytes >= 0 && baseline_bytes >= ceiling_bytes) ||
		(growth_bytes >= 0 && growth_bytes >= ceiling_bytes);
	if (growth_bytes >= 0 && ceiling_bytes - growth_bytes > 0) {
		t = ceiling_bytes - growth_bytes;
		rule = JT_RULE_CEILING_MINUS_GROWTH;
	} else {
		t = jt_fraction_of(ceiling_bytes, fraction);
		rule = JT_RULE_FRACTION_OF_CEILING;
	}
	if (baseline_bytes > t) {
		t = baseline_bytes;
		rule = JT_RULE_BASELINE_FLOOR;
	}
	if (t > ceiling_bytes) {
		t = ceiling_bytes;
		rule = JT_RULE_CEILING_CAP;
	}
	*threshold_bytes = t;
	return rule;
}
