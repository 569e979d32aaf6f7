/*
 * check_devinfo.c - the checks on what a device says about itself
 * (jetsam/device/devinfo.c), without a device: every value a hostile
 * device could send is refused with a message naming the device and the
 * field, and nothing refused stays in the struct
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "jetsam/device/device.h"
#include "suite.h"

#define UDID "0000feed0000000000000000000000000000a001"

static char *
repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	ck_assert_ptr_nonnull(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void
info_init(struct jt_device_info *info)
{
	memset(info, 0, sizeof(*info));
	info->udid = strdup(UDID);
	info->product_type = strdup("iPhone12,1");
	info->hardware_model = strdup("N104AP");
	info->product_version = strdup("14.2");
	info->build_version = strdup("18B92");
	info->device_name = strdup("Zoë’s iPhone");
}

START_TEST(real_udids_pass_and_others_are_refused_by_name)
{
	static const char *const good[] = {
		"0000feed0000000000000000000000000000a001",
		"00008030-001A35E80C42802E",
		"00008101-000A1C2E3E08001E",
	};
	static const char *const bad[] = {
		"",
		"0000feed000000000000000000000000000a001", /* 39 */
		"0000fake0000000000000000000000000000a001",
		"../../../../tmp/x0000000000000000000000000",
		"00008030_001A35E80C42802E",
		"00008030-001A35E80C42802\n",
		"0000feed0000000000000000000000000000a00\x1b",
	};
	struct jt_error err;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_int_eq(jt_device_udid_check(good[i], NULL), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		jt_error_init(&err);
		ck_assert_int_eq(jt_device_udid_check(bad[i], &err), -1);
		ck_assert_int_eq(err.code, JT_EDEVICE);
		ck_assert_ptr_nonnull(strstr(err.text, "udid"));
		/* the source names the device, escaped */
		ck_assert_ptr_null(strchr(err.source, '\n'));
		ck_assert_ptr_null(strchr(err.source, '\x1b'));
	}
	jt_error_init(&err);
	ck_assert_int_eq(jt_device_udid_check(bad[6], &err), -1);
	ck_assert_str_eq(err.source,
			 "0000feed0000000000000000000000000000a00\\x1b");
	ck_assert_int_eq(jt_device_udid_check(NULL, NULL), -1);
}
END_TEST

START_TEST(a_real_identity_passes_untouched)
{
	struct jt_device_info info;

	info_init(&info);
	ck_assert_int_eq(jt_device_identity_check(&info, NULL), 0);
	ck_assert_str_eq(info.product_type, "iPhone12,1");
	ck_assert_str_eq(info.device_name, "Zoë’s iPhone");
	free(info.product_type);
	info.product_type = strdup("AudioAccessory5,1");
	free(info.build_version);
	info.build_version = strdup("21A5248v");
	free(info.product_version);
	info.product_version = strdup("11.3.1");
	ck_assert_int_eq(jt_device_identity_check(&info, NULL), 0);
	/* values lockdownd did not give are unknown, not hostile */
	free(info.hardware_model);
	info.hardware_model = NULL;
	ck_assert_int_eq(jt_device_identity_check(&info, NULL), 0);
	jt_device_info_release(&info);
}
END_TEST

/* check_one - set the field at *slot to value, expect a refusal that
 * names want_field, and the value gone. */
static void
check_one(char **slot, struct jt_device_info *info, char *value,
	  const char *want_field)
{
	struct jt_error err;

	free(*slot);
	*slot = value;
	jt_error_init(&err);
	ck_assert_int_eq(jt_device_identity_check(info, &err), -1);
	ck_assert_int_eq(err.code, JT_EDEVICE);
	ck_assert_str_eq(err.source, UDID);
	ck_assert_msg(strstr(err.text, want_field) != NULL, "%s: %s",
		      want_field, err.text);
	ck_assert_ptr_nonnull(strstr(err.text, "refusing this device"));
	ck_assert_ptr_null(strchr(err.text, '\n'));
	ck_assert_ptr_null(strchr(err.text, '\x1b'));
	ck_assert_ptr_null(*slot);
}

START_TEST(hostile_identity_values_are_refused_and_dropped)
{
	static const char *const bad[] = {
		"/../../../../ANYDIR/x",
		"../x",
		"iPhone12,1/..",
		"..",
		"iPhone12,1\n",
		"iPhone\x1b[2J12,1",
		"iPhone12",
		"12,1",
		"iPhone12,",
		"iPhone 12,1",
		"",
	};
	struct jt_device_info info;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		info_init(&info);
		check_one(&info.product_type, &info, strdup(bad[i]),
			  "ProductType");
		/* the other values are kept */
		ck_assert_str_eq(info.product_version, "14.2");
		jt_device_info_release(&info);
	}
	info_init(&info);
	check_one(&info.product_type, &info, repeat('A', 5000),
		  "ProductType is 5000 bytes long (at most 32)");
	check_one(&info.product_version, &info, strdup("../14.2"),
		  "ProductVersion");
	check_one(&info.product_version, &info, strdup("14..2"),
		  "ProductVersion");
	check_one(&info.product_version, &info, strdup("14.2\x1b"),
		  "ProductVersion");
	check_one(&info.build_version, &info, strdup("18B92/x"),
		  "BuildVersion");
	check_one(&info.build_version, &info, repeat('9', 5000),
		  "BuildVersion");
	check_one(&info.hardware_model, &info, strdup("N104AP\n"),
		  "HardwareModel");
	check_one(&info.device_name, &info, strdup("Lab\niPhone"),
		  "DeviceName");
	check_one(&info.device_name, &info, strdup("\x1b]0;owned\a"),
		  "DeviceName");
	check_one(&info.device_name, &info, repeat('n', 5000),
		  "DeviceName is 5000 bytes long (at most 255)");
	jt_device_info_release(&info);
}
END_TEST

START_TEST(the_refusal_shows_the_value_escaped_and_cut)
{
	struct jt_device_info info;
	struct jt_error err;

	info_init(&info);
	free(info.product_type);
	info.product_type = strdup("iPhone\x1b]0;x\a");
	jt_error_init(&err);
	ck_assert_int_eq(jt_device_identity_check(&info, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "'iPhone\\x1b]0;x\\x07'"));
	free(info.product_type);
	info.product_type = repeat('/', 20);
	jt_error_init(&err);
	ck_assert_int_eq(jt_device_identity_check(&info, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "'////////////////////'"));
	jt_device_info_release(&info);
}
END_TEST

START_TEST(file_names_with_paths_controls_or_too_long_are_refused)
{
	static const char *const bad[] = {
		"",
		".",
		"..",
		"../JetsamEvent-x.ips",
		"JetsamEvent-x/../../y.ips",
		"/etc/passwd",
		"JetsamEvent-\n-x.ips",
		"JetsamEvent-\x1b[2J.ips",
		"JetsamEvent-\x7f.ips",
		"JetsamEvent-\xff.ips",
	};
	struct jt_error err;
	char *big;
	size_t i;

	ck_assert_int_eq(
		jt_device_file_name_check("JetsamEvent-2020-10-15-172958.ips",
					  UDID, NULL),
		0);
	ck_assert_int_eq(
		jt_device_file_name_check("JetsamEvent-..ips", UDID, NULL), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		jt_error_init(&err);
		ck_assert_int_eq(jt_device_file_name_check(bad[i], UDID, &err),
				 -1);
		ck_assert_int_eq(err.code, JT_EINVAL);
		ck_assert_str_eq(err.source, UDID);
		ck_assert_ptr_nonnull(strstr(err.text, "refusing the file"));
		ck_assert_ptr_null(strchr(err.text, '\n'));
		ck_assert_ptr_null(strchr(err.text, '\x1b'));
	}
	/* a 5,000-character name is refused, never cut to a prefix */
	big = repeat('J', 5000);
	jt_error_init(&err);
	ck_assert_int_eq(jt_device_file_name_check(big, UDID, &err), -1);
	ck_assert_ptr_nonnull(
		strstr(err.text, "its name is 5000 bytes long (at most 255)"));
	big[255] = '\0';
	ck_assert_int_eq(jt_device_file_name_check(big, UDID, NULL), 0);
	big[255] = 'J';
	big[256] = '\0';
	ck_assert_int_eq(jt_device_file_name_check(big, UDID, NULL), -1);
	free(big);
}
END_TEST

START_TEST(state_names_cover_refused)
{
	ck_assert_str_eq(jt_device_state_name(JT_DEVICE_REFUSED), "refused");
	ck_assert_str_eq(jt_device_state_name(JT_DEVICE_LOCKED), "locked");
}
END_TEST

static Suite *
devinfo_suite(void)
{
	Suite *s = suite_create("devinfo");
	TCase *t = tcase_create("checks");

	tcase_add_test(t, real_udids_pass_and_others_are_refused_by_name);
	tcase_add_test(t, a_real_identity_passes_untouched);
	tcase_add_test(t, hostile_identity_values_are_refused_and_dropped);
	tcase_add_test(t, the_refusal_shows_the_value_escaped_and_cut);
	tcase_add_test(t,
		       file_names_with_paths_controls_or_too_long_are_refused);
	tcase_add_test(t, state_names_cover_refused);
	suite_add_tcase(s, t);
	return s;
}

JT_CHECK_MAIN(devinfo_suite)
