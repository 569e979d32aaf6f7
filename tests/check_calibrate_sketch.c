/*
 * check_calibrate_sketch.c - the quantile sketch's error bound and the
 * SHA-256 that hashes inputs, against the FIPS 180-4 example vectors
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/field/sha256.h"
#include "calibrate/field/sketch.h"
#include "suite.h"

static int
i64cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

START_TEST(small_values_are_counted_exactly)
{
	struct jt_sketch s;
	int64_t v;

	jt_sketch_init(&s);
	for (v = 0; v < 128; v++)
		ck_assert_int_eq(jt_sketch_add(&s, v, NULL), 0);
	/* Rank floor(127 x 99 / 100) = 125: the value 125 exactly. */
	ck_assert_int_eq(jt_sketch_quantile(&s, 99, 100), 125);
	ck_assert_int_eq(jt_sketch_quantile(&s, 1, 2), 63);
	ck_assert_int_eq(jt_sketch_quantile(&s, 0, 1), 0);
	ck_assert_int_eq(jt_sketch_quantile(&s, 1, 1), 127);
	jt_sketch_release(&s);
}
END_TEST

START_TEST(buckets_are_64_per_power_of_two)
{
	ck_assert_int_eq(jt_sketch_bucket(127), 127);
	ck_assert_int_eq(jt_sketch_bucket(128), 128);
	ck_assert_int_eq(jt_sketch_bucket(129), 128); /* width 2 */
	ck_assert_int_eq(jt_sketch_bucket(130), 129);
	ck_assert_int_eq(jt_sketch_bucket(256), 192);
	ck_assert_int_eq(jt_sketch_bucket(1 << 20), (20 - 5) * 64);
}
END_TEST

START_TEST(quantiles_stay_within_the_stated_relative_error)
{
	static const int64_t q[][2] = {{1, 2}, {9, 10}, {99, 100}, {999, 1000}};
	unsigned seed = 42;
	int trial;

	for (trial = 0; trial < 20; trial++) {
		int n = 1 + rand_r(&seed) % 20000, i, k;
		int64_t *v = malloc((size_t)n * sizeof(*v));
		struct jt_sketch s;

		ck_assert_ptr_nonnull(v);
		jt_sketch_init(&s);
		for (i = 0; i < n; i++) {
			/* Log-uniform over 1 B .. 1 GiB. */
			int shift = rand_r(&seed) % 30;

			v[i] = ((int64_t)1 << shift) +
				rand_r(&seed) % ((int64_t)1 << shift);
			ck_assert_int_eq(jt_sketch_add(&s, v[i], NULL), 0);
		}
		qsort(v, (size_t)n, sizeof(*v), i64cmp);
		ck_assert_int_eq(s.min, v[0]);
		ck_assert_int_eq(s.max, v[n - 1]);
		ck_assert_int_eq(s.count, n);
		for (k = 0; k < 4; k++) {
			int64_t exact = v[(int64_t)(n - 1) * q[k][0] / q[k][1]];
			int64_t got = jt_sketch_quantile(&s, q[k][0], q[k][1]);
			double rel = (double)llabs(got - exact) / (double)exact;

			ck_assert_msg(rel <= JT_SKETCH_RELATIVE_ERROR,
				      "q=%lld/%lld n=%d exact %lld got %lld",
				      (long long)q[k][0], (long long)q[k][1], n,
				      (long long)exact, (long long)got);
		}
		jt_sketch_release(&s);
		free(v);
	}
}
END_TEST

START_TEST(one_outlier_moves_the_max_but_not_the_p99)
{
	struct jt_sketch s;
	int i;

	jt_sketch_init(&s);
	for (i = 0; i < 1000; i++)
		jt_sketch_add(&s, 10 * 1024 * 1024, NULL);
	jt_sketch_add(&s, 900 * 1024 * 1024, NULL);
	ck_assert_int_eq(jt_sketch_quantile(&s, 1, 1), 900 * 1024 * 1024);
	/* p99 is 10 MiB, within the bound (the bucket's middle). */
	ck_assert_int_ge(jt_sketch_quantile(&s, 99, 100), 10 * 1024 * 1024);
	ck_assert_int_le(jt_sketch_quantile(&s, 99, 100),
			 10 * 1024 * 1024 + 10 * 1024 * 1024 / 128);
	jt_sketch_release(&s);
}
END_TEST

START_TEST(an_empty_sketch_has_no_quantile_and_negatives_are_refused)
{
	struct jt_sketch s;
	struct jt_error err;

	jt_error_init(&err);
	jt_sketch_init(&s);
	ck_assert_int_eq(jt_sketch_quantile(&s, 99, 100), -1);
	ck_assert_int_eq(jt_sketch_add(&s, -1, &err), -1);
	ck_assert_int_eq(err.code, JT_EINVAL);
	ck_assert_int_eq(s.count, 0);
	jt_sketch_release(&s);
}
END_TEST

/* ---- SHA-256 ------------------------------------------------------------ */

static void
hash_str(const char *s, size_t len, char hex[65])
{
	struct jt_sha256 c;

	jt_sha256_init(&c);
	jt_sha256_update(&c, s, len);
	jt_sha256_final(&c, hex);
}

static void
check_vectors(void)
{
	static const char v448[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[65], *million;
	struct jt_sha256 c;
	int i;

	hash_str("", 0, hex);
	ck_assert_str_eq(hex,
			 "e3b0c44298fc1c149afbf4c8996fb924"
			 "27ae41e4649b934ca495991b7852b855");
	hash_str("abc", 3, hex);
	ck_assert_str_eq(hex,
			 "ba7816bf8f01cfea414140de5dae2223"
			 "b00361a396177a9cb410ff61f20015ad");
	hash_str(v448, strlen(v448), hex);
	ck_assert_str_eq(hex,
			 "248d6a61d20638b8e5c026930c3e6039"
			 "a33ce45964ff2167f6ecedd419db06c1");
	/* One million 'a', fed in uneven pieces across block edges. */
	million = malloc(1000000);
	ck_assert_ptr_nonnull(million);
	memset(million, 'a', 1000000);
	jt_sha256_init(&c);
	for (i = 0; i < 1000000;) {
		int n = 1 + (i * 7) % 131;

		if (i + n > 1000000)
			n = 1000000 - i;
		jt_sha256_update(&c, million + i, (size_t)n);
		i += n;
	}
	jt_sha256_final(&c, hex);
	ck_assert_str_eq(hex,
			 "cdc76e5c9914fb9281a1c7e284d73e67"
			 "f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

START_TEST(sha256_matches_the_fips_180_4_examples)
{
	check_vectors();
}
END_TEST

START_TEST(sha256_portable_rounds_match_the_same_examples)
{
	/* A forked test: the choice is made once per process. */
	setenv("JT_SHA256_PORTABLE", "1", 1);
	check_vectors();
	ck_assert_int_eq(jt_sha256_accelerated(), 0);
}
END_TEST

START_TEST(sha256_of_a_missing_file_is_an_io_error)
{
	char hex[65];
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_int_eq(jt_sha256_file("/nonexistent/x", hex, NULL, &err), -1);
	ck_assert_int_eq(err.code, JT_EIO);
	ck_assert_str_eq(err.source, "/nonexistent/x");
}
END_TEST

static Suite *
sketch_suite(void)
{
	Suite *s = suite_create("calibrate_sketch");
	TCase *tc = tcase_create("sketch");

	tcase_add_test(tc, small_values_are_counted_exactly);
	tcase_add_test(tc, buckets_are_64_per_power_of_two);
	tcase_add_test(tc, quantiles_stay_within_the_stated_relative_error);
	tcase_add_test(tc, one_outlier_moves_the_max_but_not_the_p99);
	tcase_add_test(
		tc, an_empty_sketch_has_no_quantile_and_negatives_are_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("sha256");
	tcase_add_test(tc, sha256_matches_the_fips_180_4_examples);
	tcase_add_test(tc, sha256_portable_rounds_match_the_same_examples);
	tcase_add_test(tc, sha256_of_a_missing_file_is_an_io_error);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(sketch_suite)
