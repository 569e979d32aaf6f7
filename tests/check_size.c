/*
 * check_size.c - the one size parser (probe/size.c) and its host face
 * (jetsam/core/size.c): the same text gives the same bytes on both sides
 */
#include <stdint.h>
#include <string.h>

#include "jetsam/core/size.h"
#include "probe/size.h"
#include "suite.h"

#define KIB 1024LL
#define MIB (1024LL * 1024)
#define GIB (1024LL * MIB)

static const struct {
	const char *text;
	int64_t bytes;
} good[] = {
	{"0", 0},
	{"4096", 4096},
	{"4096b", 4096},
	{"1.0", 1},
	{"64K", 64 * KIB},
	{"64kb", 64 * KIB},
	{"64KiB", 64 * KIB},
	{"20M", 20 * MIB},
	{"2098MB", 2098 * MIB},
	{"512mib", 512 * MIB},
	{"1.5G", 3 * GIB / 2},
	{"1.5GiB", 3 * GIB / 2},
	{"2gb", 2 * GIB},
	{"1T", 1024 * GIB},
	{"1TB", 1024 * GIB},
	{"1tib", 1024 * GIB},
	{"1P", 1024 * 1024 * GIB},
	{"1PB", 1024 * 1024 * GIB},
	{"1PiB", 1024 * 1024 * GIB},
	{"0.5K", 512},
	{"1.3K", 1331},    /* 1331.2 rounds down */
	{"1.0005K", 1025}, /* 1024.512 rounds up */
	{"8191P", 8191LL * 1024 * 1024 * GIB},
};

static const char *const bad[] = {
	"",
	"-1",
	"+1",
	" 1",
	"1 ",
	"1 M",
	"12Q",
	"1.5",
	"1.5b",
	"M",
	".5M",
	"1.M",
	"0x10",
	"1e3",
	"1e3M",
	"inf",
	"nan",
	"1MM",
	"1MiBs",
	"8192P",
	"9223372036854775808",
	"99999999999999999999",
	"99999999T",
	"1,5M",
};

START_TEST(sizes_take_every_binary_suffix_in_any_case)
{
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int64_t b = -7, h = -7;

		ck_assert_msg(jt_probe_size_parse(good[i].text, &b) == 0,
			      "'%s' refused", good[i].text);
		ck_assert_msg(b == good[i].bytes, "'%s' gave %lld, want %lld",
			      good[i].text, (long long)b,
			      (long long)good[i].bytes);
		ck_assert_int_eq(jt_size_parse(good[i].text, &h, NULL), 0);
		ck_assert_int_eq(h, b);
	}
}
END_TEST

START_TEST(the_largest_size_is_just_below_two_to_the_63)
{
	int64_t b = -7;

	ck_assert_int_eq(jt_probe_size_parse("9223372036854775807", &b), 0);
	ck_assert_int_eq(b, INT64_MAX);
	ck_assert_int_eq(jt_probe_size_parse("8191.999P", &b), 0);
	/* 0.999 x 2^50 = 1124774006935781.376 bytes */
	ck_assert_int_eq(b, 8191LL * (1LL << 50) + 1124774006935781LL);
	ck_assert_int_eq(jt_probe_size_parse("8192P", &b), -1);
	ck_assert_int_eq(jt_probe_size_parse("9223372036854775808", &b), -1);
}
END_TEST

START_TEST(junk_signs_hex_exponents_and_overflow_are_refused)
{
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t b = -7;
		struct jt_error err;

		jt_error_init(&err);
		ck_assert_msg(jt_probe_size_parse(bad[i], &b) == -1,
			      "'%s' accepted as %lld", bad[i], (long long)b);
		ck_assert_int_eq(b, -7);
		ck_assert_int_eq(jt_size_parse(bad[i], &b, &err), -1);
		ck_assert_int_eq(b, -7);
		ck_assert_int_eq(err.code, JT_EUSAGE);
		ck_assert_ptr_nonnull(strstr(err.text, bad[i]));
	}
	ck_assert_int_eq(jt_probe_size_parse(NULL, NULL), -1);
	ck_assert_int_eq(jt_size_parse(NULL, NULL, NULL), -1);
}
END_TEST

START_TEST(the_message_names_the_text_and_the_suffixes)
{
	struct jt_error err;
	int64_t b;

	jt_error_init(&err);
	ck_assert_int_eq(jt_size_parse("12Q", &b, &err), -1);
	ck_assert_str_eq(err.text,
			 "invalid size '12Q' (expected bytes, or a "
			 "number with K, M, G, T or P)");
}
END_TEST

START_TEST(a_ramp_target_is_a_size_or_a_whole_percentage)
{
	int64_t b = -7;
	int pct = -7;
	static const char *const bad_ramp[] = {"0%",  "100%", "0100%", "99.5%",
					       "-5%", "%",    "90%%",  "1e2%",
					       "",    "x"};
	size_t i;

	ck_assert_int_eq(jt_probe_ramp_parse("90%", &b, &pct), 0);
	ck_assert_int_eq(pct, 90);
	ck_assert_int_eq(b, -7);
	ck_assert_int_eq(jt_probe_ramp_parse("1%", &b, &pct), 0);
	ck_assert_int_eq(pct, 1);
	ck_assert_int_eq(jt_probe_ramp_parse("099%", &b, &pct), 0);
	ck_assert_int_eq(pct, 99);
	pct = -7;
	ck_assert_int_eq(jt_probe_ramp_parse("512M", &b, &pct), 0);
	ck_assert_int_eq(b, 512 * MIB);
	ck_assert_int_eq(pct, -7);
	for (i = 0; i < sizeof(bad_ramp) / sizeof(bad_ramp[0]); i++) {
		b = -7;
		pct = -7;
		ck_assert_msg(jt_probe_ramp_parse(bad_ramp[i], &b, &pct) == -1,
			      "'%s' accepted", bad_ramp[i]);
		ck_assert_int_eq(b, -7);
		ck_assert_int_eq(pct, -7);
	}
}
END_TEST

static Suite *
size_suite(void)
{
	Suite *s = suite_create("size");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, sizes_take_every_binary_suffix_in_any_case);
	tcase_add_test(tc, the_largest_size_is_just_below_two_to_the_63);
	tcase_add_test(tc, junk_signs_hex_exponents_and_overflow_are_refused);
	tcase_add_test(tc, the_message_names_the_text_and_the_suffixes);
	tcase_add_test(tc, a_ramp_target_is_a_size_or_a_whole_percentage);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(size_suite)
