/*
 * sketch.h - a quantile sketch with a stated relative-error bound
 *
 * Field data arrives as millions of raw samples; the calibrator keeps one
 * sketch per (model, page) so memory grows with keys, not rows.  The
 * sketch is a log-linear histogram (the HDR-histogram layout): values
 * below 128 are counted exactly, larger ones in 64 buckets per power of
 * two.  A quantile is answered with the middle of its bucket, so it is
 * within JT_SKETCH_RELATIVE_ERROR (1/128, 0.78 %) of the exact sample
 * quantile; min, max and count are exact.  Only the buckets between the
 * smallest and largest value seen are held.
 */
#ifndef JT_SKETCH_H
#define JT_SKETCH_H

#include <stddef.h>
#include <stdint.h>

#include "jetsam/core/error.h"

#define JT_SKETCH_RELATIVE_ERROR (1.0 / 128.0)

struct jt_sketch {
	int64_t count;
	int64_t min, max; /* -1 while empty */
	uint32_t *bins;   /* bins[i] counts bucket off + i */
	int32_t off;
	int32_t nbins;
};

/* jt_sketch_init - an empty sketch (caller-owned struct). */
void jt_sketch_init(struct jt_sketch *s);

/* jt_sketch_release - free the buckets; s may be re-initialised. */
void jt_sketch_release(struct jt_sketch *s);

/*
 * jt_sketch_add - count value (>= 0).  Returns 0, or -1 with JT_ENOMEM
 * (the sketch is unchanged), JT_EINVAL for a negative value, or JT_ELIMIT
 * when one bucket would pass 2^32 - 1 values (counts are 32-bit to keep
 * the buckets of thousands of keys in cache).
 */
int jt_sketch_add(struct jt_sketch *s, int64_t value, struct jt_error *err);

/*
 * jt_sketch_quantile - the value of rank floor((count - 1) * num / den)
 * in the sorted samples (0-based; num/den = 99/100 is p99), within the
 * relative-error bound; exact at rank 0 (min) and count - 1 (max).
 * Returns -1 for an empty sketch.  den must be > 0 and num <= den.
 */
int64_t jt_sketch_quantile(const struct jt_sketch *s, int64_t num, int64_t den);

/*
 * jt_sketch_merge - add every sample src holds to dst, exactly: counts and
 * buckets add, min and max take the extremes, so the merge of the
 * sketches of two parts of some data is the sketch of all of it.  0, or
 * -1 with JT_ENOMEM or JT_ELIMIT (a bucket would pass 2^32 - 1), dst
 * unchanged.
 */
int jt_sketch_merge(struct jt_sketch *dst, const struct jt_sketch *src,
		    struct jt_error *err);

/*
 * jt_sketch_bucket - the bucket index of value (>= 0): value itself below
 * 128, else (e - 6) * 64 + (value >> (e - 6)) with e = floor(log2 value).
 */
int32_t jt_sketch_bucket(int64_t value);

/* The bucket of INT64_MAX: no bucket index is larger. */
#define JT_SKETCH_LAST_BUCKET 3711

/*
 * jt_sketch_bucket_low, jt_sketch_bucket_width - the smallest value of
 * bucket b (0 <= b <= JT_SKETCH_LAST_BUCKET) and how many values it holds.
 */
int64_t jt_sketch_bucket_low(int32_t b);
int64_t jt_sketch_bucket_width(int32_t b);

#endif
