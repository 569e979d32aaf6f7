/*
 * check_jetsamwriter.c - the JetsamEvent writer: parsed back with jansson
 * (the toolkit's own parser is tested against it separately), and its
 * layout pinned to what a phone writes (reference/jetsam-format.md 1-5)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "jetsam/run/jetsamwriter.h"
#include "suite.h"

static const char *const frontmost[] = {"frontmost", NULL};
static const char *const daemon_idle[] = {"daemon", "idle", NULL};
static const char *const none[] = {NULL};

static struct jt_jetsam_proc procs[3];
static struct jt_jetsam_event ev;

static void
setup(void)
{
	memset(procs, 0, sizeof(procs));
	procs[0].name = "SpringBoard";
	procs[0].uuid = "3c0e3051-39b3-31c6-b37d-2e9516f5804f";
	procs[0].states = none;
	procs[0].pid = 55;
	procs[0].rpages = 9000;
	procs[0].lifetime_max_pages = 9100;
	procs[0].priority = 16;
	procs[0].cpu_time_s = 0.066796999999999995;
	procs[1].name = "a-process-name-much-longer-than-thirty-two-bytes";
	procs[1].uuid = "00000000-0000-0000-0000-000000000001";
	procs[1].states = daemon_idle;
	procs[1].pid = 77;
	procs[1].rpages = 10;
	procs[2].name = "jetsam-probe";
	procs[2].uuid = "a11f3f1c-14d7-4bd7-9b6b-a2a3bafd4628";
	procs[2].states = frontmost;
	procs[2].pid = 4242;
	procs[2].rpages = 128001;
	procs[2].lifetime_max_pages = 128001;
	procs[2].priority = 10;
	procs[2].kill_delta_ticks = 13595;
	procs[2].age_ticks = 94337735133;
	procs[2].reason = "per-process-limit";
	memset(&ev, 0, sizeof(ev));
	ev.product = "iPhone12,1";
	ev.os_version = "14.2";
	ev.os_build = "18B92";
	ev.kernel = "Darwin Kernel Version 20.1.0: root:xnu-7195~22/RELEASE";
	ev.incident = "B04A36B1-19EC-4895-B203-6AE21BE52B02";
	ev.crash_reporter_key = "d3e622273dd1296e8599964c99f70e07d25c8ddc";
	ev.unix_ms = 1602779398790; /* 2020-10-15 16:29:58.79 UTC */
	ev.time_delta_ms = 7;
	ev.page_size_bytes = 16384;
	ev.pages.free = 5142;
	ev.pages.active = 45459;
	ev.largest_process = "jetsam-probe";
	ev.procs = procs;
	ev.nprocs = 3;
}

static char *
render(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_int_eq(jt_jetsam_write(fp, &ev, &err), 0);
	fclose(fp);
	return buf;
}

START_TEST(header_line_is_compact_json_with_bug_type_298_as_a_string)
{
	char *out = render();
	char *nl = strchr(out, '\n');
	json_error_t je;
	json_t *h;

	ck_assert_ptr_nonnull(nl);
	h = json_loadb(out, (size_t)(nl - out), 0, &je);
	ck_assert_msg(h != NULL, "header: %s", je.text);
	ck_assert_str_eq(json_string_value(json_object_get(h, "bug_type")),
			 "298");
	ck_assert_str_eq(json_string_value(json_object_get(h, "os_version")),
			 "iPhone OS 14.2 (18B92)");
	ck_assert_str_eq(json_string_value(json_object_get(h, "timestamp")),
			 "2020-10-15 16:29:58.79 +0000");
	ck_assert_str_eq(json_string_value(json_object_get(h, "incident_id")),
			 "B04A36B1-19EC-4895-B203-6AE21BE52B02");
	*nl = '\0';
	ck_assert_ptr_null(strstr(out, " : "));
	json_decref(h);
	free(out);
}
END_TEST

START_TEST(body_parses_back_with_product_build_page_size_and_the_kill)
{
	char *out = render();
	json_error_t je;
	json_t *b = json_loads(strchr(out, '\n') + 1, 0, &je), *victim;

	ck_assert_msg(b != NULL, "body: %d: %s", je.line, je.text);
	ck_assert_str_eq(json_string_value(json_object_get(b, "product")),
			 "iPhone12,1");
	ck_assert_str_eq(json_string_value(json_object_get(b, "build")),
			 "iPhone OS 14.2 (18B92)");
	ck_assert_str_eq(json_string_value(json_object_get(b, "kernel")),
			 "Darwin Kernel Version 20.1.0: "
			 "root:xnu-7195~22/RELEASE");
	ck_assert_int_eq(
		json_integer_value(json_object_get(
			json_object_get(b, "memoryStatus"), "pageSize")),
		16384);
	ck_assert_int_eq(
		json_integer_value(json_object_get(
			json_object_get(json_object_get(b, "memoryStatus"),
					"memoryPages"),
			"free")),
		5142);
	ck_assert_uint_eq(json_array_size(json_object_get(b, "processes")), 3);
	victim = json_array_get(json_object_get(b, "processes"), 2);
	ck_assert_str_eq(json_string_value(json_object_get(victim, "reason")),
			 "per-process-limit");
	ck_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(victim, "states"), 0)),
			 "frontmost");
	ck_assert_int_eq(json_integer_value(json_object_get(victim, "rpages")),
			 128001);
	ck_assert_int_eq(json_integer_value(json_object_get(victim, "pid")),
			 4242);
	ck_assert_int_eq(
		json_integer_value(json_object_get(victim, "killDelta")),
		13595);
	/* Only the victim carries a reason. */
	ck_assert_ptr_null(json_object_get(
		json_array_get(json_object_get(b, "processes"), 0), "reason"));
	ck_assert_uint_eq(
		json_array_size(json_object_get(
			json_array_get(json_object_get(b, "processes"), 0),
			"states")),
		0);
	ck_assert_str_eq(
		json_string_value(json_object_get(
			json_array_get(json_object_get(b, "processes"), 1),
			"name")),
		"a-process-name-much-longer-than-");
	ck_assert_double_eq(
		json_real_value(json_object_get(
			json_array_get(json_object_get(b, "processes"), 0),
			"cpuTime")),
		0.066796999999999995);
	json_decref(b);
	free(out);
}
END_TEST

START_TEST(layout_is_nsjsonserialization_style_as_on_a_phone)
{
	char *out = render();
	const char *victim = strstr(out, "\"name\" : \"jetsam-probe\"");
	size_t len = strlen(out);

	/* " : ", and "/" escaped. */
	ck_assert_ptr_nonnull(
		strstr(out, "\n  \"product\" : \"iPhone12,1\",\n"));
	ck_assert_ptr_nonnull(strstr(out, "root:xnu-7195~22\\/RELEASE"));
	/* Objects under the top level are not re-indented. */
	ck_assert_ptr_nonnull(strstr(
		out, "\n  \"memoryStatus\" : {\n  \"compressorSize\" : 0,\n"));
	ck_assert_ptr_nonnull(strstr(out,
				     "    \"speculative\" : 0\n  }\n},\n"
				     "  \"largestProcess\""));
	ck_assert_ptr_nonnull(strstr(out,
				     "  \"processes\" : [\n  {\n    "
				     "\"uuid\" : "));
	ck_assert_ptr_nonnull(strstr(out,
				     "    \"states\" : [\n      "
				     "\"daemon\",\n      \"idle\"\n    ],"));
	ck_assert_ptr_nonnull(
		strstr(out, "\"cpuTime\" : 0.066796999999999995"));
	/* A killed entry's keys as iOS 14.2 shuffles them. */
	ck_assert_ptr_nonnull(
		strstr(out,
		       "    \"rpages\" : 128001,\n    \"priority\" : 10,\n    "
		       "\"reason\" : \"per-process-limit\",\n    "
		       "\"physicalPages\" : {\n"));
	ck_assert_ptr_nonnull(victim);
	ck_assert_ptr_nonnull(strstr(out, "\"pid\" : 4242"));
	ck_assert(strstr(out, "\"pid\" : 4242") < victim);
	/* The body ends as every complete real report does. */
	ck_assert(len > 8);
	ck_assert_str_eq(out + len - 8, "  }\n]\n}\n");
	ck_assert_ptr_null(strchr(out, '\r'));
	free(out);
}
END_TEST

START_TEST(missing_product_or_process_is_an_error_and_writes_nothing)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct jt_error err;

	jt_error_init(&err);
	ev.product = NULL;
	ck_assert_int_eq(jt_jetsam_write(fp, &ev, &err), -1);
	ck_assert_int_eq(err.code, JT_EINVAL);
	ev.product = "iPhone12,1";
	ev.nprocs = 0;
	jt_error_init(&err);
	ck_assert_int_eq(jt_jetsam_write(fp, &ev, &err), -1);
	ck_assert_int_eq(err.code, JT_EINVAL);
	fclose(fp);
	ck_assert_uint_eq(len, 0);
	free(buf);
}
END_TEST

START_TEST(write_error_on_the_stream_is_an_io_error)
{
	FILE *fp = fopen("/dev/full", "w");
	struct jt_error err;

	if (fp == NULL)
		return; /* no /dev/full: nothing to provoke */
	jt_error_init(&err);
	ck_assert_int_eq(jt_jetsam_write(fp, &ev, &err), -1);
	ck_assert_int_eq(err.code, JT_EIO);
	fclose(fp);
}
END_TEST

START_TEST(save_names_the_file_as_a_phone_and_never_overwrites)
{
	char dir[] = "/tmp/jt-writer-XXXXXX", name[64], path[160];
	struct jt_error err;
	FILE *fp;
	char line[256];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_str_eq(jt_jetsam_file_name(ev.unix_ms, name, sizeof(name)),
			 "JetsamEvent-2020-10-15-162958.ips");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	jt_error_init(&err);
	ck_assert_int_eq(jt_jetsam_save(path, &ev, &err), 0);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), fp));
	ck_assert(strncmp(line, "{\"bug_type\":\"298\",", 18) == 0);
	fclose(fp);
	jt_error_init(&err);
	ck_assert_int_eq(jt_jetsam_save(path, &ev, &err), -1);
	ck_assert_int_eq(err.code, JT_EIO);
	ck_assert_int_eq(err.errnum, EEXIST);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *
jetsamwriter_suite(void)
{
	Suite *s = suite_create("jetsamwriter");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(
		tc, header_line_is_compact_json_with_bug_type_298_as_a_string);
	tcase_add_test(
		tc, body_parses_back_with_product_build_page_size_and_the_kill);
	tcase_add_test(tc, layout_is_nsjsonserialization_style_as_on_a_phone);
	tcase_add_test(
		tc, missing_product_or_process_is_an_error_and_writes_nothing);
	tcase_add_test(tc, write_error_on_the_stream_is_an_io_error);
	tcase_add_test(tc, save_names_the_file_as_a_phone_and_never_overwrites);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(jetsamwriter_suite)
