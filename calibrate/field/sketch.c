/*
 * sketch.c - log-linear histogram: exact below 128, 64 buckets per octave
 *
 * For v >= 64 with e = floor(log2 v), the bucket is (e - 6) * 64 + (v >>
 * (e - 6)), so bucket widths are 2^(e-6) <= v / 64 and the bucket middle is
 * within v / 128 of any value in it.  Integer arithmetic only: no log() in
 * the per-row path.
 */
#include "sketch.h"

#include <stdlib.h>
#include <string.h>

void
jt_sketch_init(struct jt_sketch *s)
{
	memset(s, 0, sizeof(*s));
	s->min = -1;
	s->max = -1;
}

void
jt_sketch_release(struct jt_sketch *s)
{
	free(s->bins);
	jt_sketch_init(s);
}

static int
ilog2(uint64_t v)
{
#if defined(__GNUC__)
	return 63 - __builtin_clzll(v);
#else
	int e = 0;

	while (v >>= 1)
		e++;
	return e;
#endif
}

int32_t
jt_sketch_bucket(int64_t value)
{
	int e;

	if (value < 128)
		return (int32_t)value;
	e = ilog2((uint64_t)value);
	return (int32_t)((e - 6) * 64 + (value >> (e - 6)));
}

int64_t
jt_sketch_bucket_low(int32_t b)
{
	int e;

	if (b < 128)
		return b;
	e = b / 64 + 5;
	return (int64_t)(b % 64 + 64) << (e - 6);
}

int64_t
jt_sketch_bucket_width(int32_t b)
{
	if (b < 128)
		return 1;
	return (int64_t)1 << (b / 64 - 1);
}

int
jt_sketch_add(struct jt_sketch *s, int64_t value, struct jt_error *err)
{
	int32_t b;

	if (value < 0)
		return jt_error_set_in(err, JT_EINVAL, NULL,
				       "negative value %lld in a sketch",
				       (long long)value);
	b = jt_sketch_bucket(value);
	if (s->nbins == 0) {
		s->bins = calloc(1, sizeof(*s->bins));
		if (s->bins == NULL)
			return jt_error_oom(err, NULL);
		s->off = b;
		s->nbins = 1;
	} else if (b < s->off || b >= s->off + s->nbins) {
		int32_t lo = b < s->off ? b : s->off;
		int32_t hi = b >= s->off + s->nbins ? b + 1 : s->off + s->nbins;
		uint32_t *n = calloc((size_t)(hi - lo), sizeof(*n));

		if (n == NULL)
			return jt_error_oom(err, NULL);
		memcpy(n + (s->off - lo), s->bins,
		       (size_t)s->nbins * sizeof(*n));
		free(s->bins);
		s->bins = n;
		s->off = lo;
		s->nbins = hi - lo;
	}
	if (s->bins[b - s->off] == UINT32_MAX)
		return jt_error_set_in(
			err, JT_ELIMIT, NULL,
			"more than %lu values in one sketch bucket",
			(unsigned long)UINT32_MAX);
	s->bins[b - s->off]++;
	if (s->count == 0 || value < s->min)
		s->min = value;
	if (value > s->max)
		s->max = value;
	s->count++;
	return 0;
}

int64_t
jt_sketch_quantile(const struct jt_sketch *s, int64_t num, int64_t den)
{
	int64_t rank;
	uint64_t cum = 0;
	int32_t i;

	if (s->count == 0 || den <= 0)
		return -1;
	rank = (s->count - 1) / den * num + (s->count - 1) % den * num / den;
	if (rank <= 0)
		return s->min;
	if (rank >= s->count - 1)
		return s->max;
	for (i = 0; i < s->nbins; i++) {
		cum += s->bins[i];
		if (cum > (uint64_t)rank) {
			int32_t b = s->off + i;
			int64_t v = jt_sketch_bucket_low(b) +
				(jt_sketch_bucket_width(b) - 1) / 2;

			if (v < s->min)
				v = s->min;
			if (v > s->max)
				v = s->max;
			return v;
		}
	}
	return s->max;
}

int
jt_sketch_merge(struct jt_sketch *dst, const struct jt_sketch *src,
		struct jt_error *err)
{
	int32_t lo, hi, i;
	uint32_t *n;

	if (src->count == 0)
		return 0;
	for (i = 0; i < src->nbins && dst->nbins > 0; i++) {
		int32_t b = src->off + i;

		if (b >= dst->off && b < dst->off + dst->nbins &&
		    src->bins[i] > UINT32_MAX - dst->bins[b - dst->off])
			return jt_error_set_in(
				err, JT_ELIMIT, NULL,
				"more than %lu values in one sketch bucket",
				(unsigned long)UINT32_MAX);
	}
	lo = src->off;
	hi = src->off + src->nbins;
	if (dst->nbins > 0) {
		lo = dst->off < lo ? dst->off : lo;
		hi = dst->off + dst->nbins > hi ? dst->off + dst->nbins : hi;
	}
	if (dst->nbins == 0 || lo != dst->off || hi != dst->off + dst->nbins) {
		n = calloc((size_t)(hi - lo), sizeof(*n));
		if (n == NULL)
			return jt_error_oom(err, NULL);
		if (dst->nbins > 0)
			memcpy(n + (dst->off - lo), dst->bins,
			       (size_t)dst->nbins * sizeof(*n));
		free(dst->bins);
		dst->bins = n;
		dst->off = lo;
		dst->nbins = hi - lo;
	}
	for (i = 0; i < src->nbins; i++)
		dst->bins[src->off + i - dst->off] += src->bins[i];
	if (dst->count == 0 || src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	return 0;
}
