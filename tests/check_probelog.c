/*
 * check_probelog.c - the probe log reader: records, torn tails, errors and
 * the summary each evidence source is read from
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jetsam/lab/probelog.h"
#include "suite.h"

#define FIX "tests/fixtures/probelog/"

static struct jt_probelog *
load(const char *name, int lenient)
{
	struct jt_error err;
	struct jt_probelog *log;

	jt_error_init(&err);
	log = jt_probelog_load(name, lenient, &err);
	ck_assert_msg(log != NULL, "%s: %s", name, err.text);
	return log;
}

static struct jt_probe_summary
summary(const struct jt_probelog *log, int64_t known)
{
	struct jt_probe_summary s;
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_int_eq(jt_probelog_summarize(log, known, &s, &err), 0);
	return s;
}

START_TEST(header_samples_and_events_are_read_field_by_field)
{
	struct jt_probelog *log = load(FIX "killed.jsonl", 0);

	ck_assert(log->has_header);
	ck_assert_str_eq(log->header.platform, "linux");
	ck_assert_str_eq(log->header.fill, "touch");
	ck_assert_int_eq(log->header.step_bytes, 1048576);
	ck_assert_int_eq(log->header.rate_bytes_per_s, 20971520);
	ck_assert_int_eq(log->header.pid, 4242);
	ck_assert_int_eq(log->header.limit_bytes, 5242880);
	ck_assert_int_eq(log->header.ramp_to_bytes, -1);
	ck_assert_uint_eq(log->nsamples, 6);
	ck_assert_int_eq(log->samples[3].seq, 3);
	ck_assert_int_eq(log->samples[3].t_ms, 150);
	ck_assert_int_eq(log->samples[3].allocated_bytes, 3145728);
	ck_assert_int_eq(log->samples[3].footprint_bytes, 3248128);
	ck_assert_int_eq(log->samples[3].remaining_bytes, 1994752);
	ck_assert_int_eq(log->samples[3].peak_bytes, -1);
	ck_assert_uint_eq(log->nevents, 1);
	ck_assert_str_eq(log->events[0].kind, "warning");
	ck_assert_str_eq(log->events[0].detail, "warn");
	ck_assert(!log->torn_tail);
	jt_probelog_free(log);
}
END_TEST

START_TEST(killed_log_gives_limit_crossing_warning_and_overshoot)
{
	struct jt_probelog *log = load(FIX "killed.jsonl", 0);
	struct jt_probe_summary s = summary(log, -1);

	ck_assert_int_eq(s.samples, 6);
	ck_assert_int_eq(s.last_footprint_bytes, 5345280);
	ck_assert_int_eq(s.limit_from_remaining_bytes, 5242880);
	/* Midway between the last sample under and the first one over. */
	ck_assert_int_eq(s.crossing_bytes, (4296704 + 5345280) / 2);
	ck_assert_int_eq(s.first_warning_bytes, 3248128);
	ck_assert_int_eq(s.overshoot_bytes, 5345280 - 5242880);
	ck_assert_int_eq(s.effective_rate_bytes_per_s, 20971520);
	ck_assert_int_eq(s.duration_ms, 250);
	ck_assert(!s.ended);
	ck_assert(!s.alloc_failed);
	jt_probelog_free(log);
}
END_TEST

START_TEST(torn_last_line_is_skipped_and_flagged)
{
	struct jt_probelog *log = load(FIX "torn.jsonl", 0);
	struct jt_probe_summary s = summary(log, -1);

	ck_assert(log->torn_tail);
	ck_assert_uint_eq(log->nsamples, 5);
	ck_assert_int_eq(s.last_footprint_bytes, 4296704);
	/* No sample over the limit: the crossing is half a step past the
	 * last one. */
	ck_assert_int_eq(s.crossing_bytes, 4296704 + 1048576 / 2);
	ck_assert_int_eq(s.limit_from_remaining_bytes, 5242880);
	jt_probelog_free(log);
}
END_TEST

START_TEST(last_line_without_newline_is_never_read_even_if_whole)
{
	struct jt_probelog *log = load(FIX "torn_whole.jsonl", 0);

	ck_assert(log->torn_tail);
	ck_assert_uint_eq(log->nsamples, 5);
	ck_assert_int_eq(log->samples[4].seq, 4);
	jt_probelog_free(log);
}
END_TEST

START_TEST(bad_line_in_the_middle_is_a_parse_error_with_its_line)
{
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_ptr_null(jt_probelog_load(FIX "bad_line.jsonl", 0, &err));
	ck_assert_int_eq(err.code, JT_EPARSE);
	ck_assert_int_eq(err.line, 3);
	ck_assert_str_eq(err.source, FIX "bad_line.jsonl");
	ck_assert_str_eq(err.text,
			 "bad probe record: 'footprint_bytes' "
			 "should be a non-negative integer");
}
END_TEST

START_TEST(lenient_mode_counts_bad_lines_and_keeps_the_rest)
{
	struct jt_probelog *log = load(FIX "bad_line.jsonl", 1);

	ck_assert_int_eq(log->bad_lines, 1);
	ck_assert_uint_eq(log->nsamples, 2);
	ck_assert_int_eq(log->samples[1].seq, 2);
	jt_probelog_free(log);
}
END_TEST

START_TEST(rate_is_measured_only_while_paced_and_ended_log_has_no_crossing)
{
	struct jt_probelog *log = load(FIX "ended.jsonl", 0);
	struct jt_probe_summary s = summary(log, -1);

	ck_assert_int_eq(log->header.ramp_to_bytes, 3145728);
	ck_assert(s.ended);
	ck_assert_int_eq(s.crossing_bytes, -1);
	ck_assert_int_eq(s.limit_from_remaining_bytes, -1);
	ck_assert_int_eq(s.overshoot_bytes, -1);
	/* From the ramp's end to the hold: 1 MiB in 1000 ms. */
	ck_assert_int_eq(s.effective_rate_bytes_per_s, 1048576);
	ck_assert_int_eq(s.duration_ms, 1600);
	jt_probelog_free(log);
}
END_TEST

START_TEST(known_limit_gives_the_overshoot_when_the_log_has_none)
{
	struct jt_probelog *log = load(FIX "ended.jsonl", 0);
	struct jt_probe_summary s = summary(log, 4194304);

	ck_assert_int_eq(s.overshoot_bytes, 4294304 - 4194304);
	jt_probelog_free(log);
	log = load(FIX "ended.jsonl", 0);
	s = summary(log, 8 << 20);
	ck_assert_int_eq(s.overshoot_bytes, 0);
	jt_probelog_free(log);
}
END_TEST

START_TEST(refused_malloc_marks_the_crossing_at_the_last_sample)
{
	struct jt_probelog *log = load(FIX "alloc_failed.jsonl", 0);
	struct jt_probe_summary s = summary(log, -1);

	ck_assert(s.alloc_failed);
	ck_assert_int_eq(s.crossing_bytes, 1150976);
	jt_probelog_free(log);
}
END_TEST

static void
parse_fails(const char *text, long line, const char *msg)
{
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_ptr_null(
		jt_probelog_parse(text, strlen(text), "mem", 0, &err));
	ck_assert_int_eq(err.code, JT_EPARSE);
	ck_assert_int_eq(err.line, line);
	ck_assert_str_eq(err.text, msg);
}

START_TEST(every_kind_of_bad_record_is_named)
{
	parse_fails("nope\n", 1, "bad probe record: not valid JSON");
	parse_fails("[1]\n", 1, "bad probe record: not a record (no \"type\")");
	parse_fails("{\"type\":\"x\"}\n", 1,
		    "bad probe record: unknown record type");
	parse_fails("{\"type\":\"sample\",\"seq\":0,\"t_ms\":0,"
		    "\"allocated_bytes\":0}\n",
		    1, "bad probe record: 'footprint_bytes' is missing");
	parse_fails("{\"type\":\"sample\",\"seq\":-1,\"t_ms\":0,"
		    "\"allocated_bytes\":0,\"footprint_bytes\":0}\n",
		    1,
		    "bad probe record: 'seq' should be a non-negative integer");
	parse_fails("{\"type\":\"event\",\"t_ms\":1,\"kind\":5}\n", 1,
		    "bad probe record: 'kind' should be a string");
	parse_fails("{\"type\":\"event\",\"t_ms\":1}\n", 1,
		    "bad probe record: 'kind' is missing");
	parse_fails("{\"type\":\"event\",\"t_ms\":1,\"kind\":\"end\"}\n"
		    "{\"type\":\"header\",\"platform\":\"linux\","
		    "\"rate_bytes_per_s\":1,\"step_bytes\":1}\n",
		    2, "bad probe record: header is not the first record");
	parse_fails("{\"type\":\"header\",\"rate_bytes_per_s\":1,"
		    "\"step_bytes\":1}\n",
		    1, "bad probe record: 'platform' is missing");
	parse_fails("{\"type\":\"header\",\"platform\":\"ios\","
		    "\"rate_bytes_per_s\":1,\"step_bytes\":1,\"profile\":7}\n",
		    1, "bad probe record: 'profile' should be a string");
	parse_fails("\n", 1, "bad probe record: not valid JSON");
}
END_TEST

START_TEST(app_state_events_say_when_the_app_left_the_foreground)
{
	static const char head[] =
		"{\"type\":\"header\",\"platform\":\"ios\",\"model\":"
		"\"iPhone12,1\",\"os_version\":\"17.0\",\"rate_bytes_per_s\":1,"
		"\"step_bytes\":1,\"profile\":\"app-increased-memory-limit\","
		"\"run_id\":\"iPhone12,1-17.0-2\"}\n"
		"{\"type\":\"sample\",\"seq\":0,\"t_ms\":0,"
		"\"allocated_bytes\":0,\"footprint_bytes\":10}\n"
		"{\"type\":\"event\",\"t_ms\":0,\"kind\":\"state\","
		"\"detail\":\"active\"}\n"
		"{\"type\":\"event\",\"t_ms\":5,\"kind\":\"state\","
		"\"detail\":\"inactive\"}\n";
	static const char away[] = "{\"type\":\"event\",\"t_ms\":9,"
				   "\"kind\":\"scene\",\"detail\":"
				   "\"background\"}\n";
	char text[1024];
	struct jt_probelog *log;

	/* Inactive (a banner, Control Center) keeps the foreground limit. */
	log = jt_probelog_parse(head, strlen(head), "m", 0, NULL);
	ck_assert_ptr_nonnull(log);
	ck_assert_str_eq(log->header.profile, "app-increased-memory-limit");
	ck_assert_str_eq(log->header.run_id, "iPhone12,1-17.0-2");
	ck_assert_int_eq(summary(log, -1).left_foreground, 0);
	jt_probelog_free(log);
	snprintf(text, sizeof(text), "%s%s", head, away);
	log = jt_probelog_parse(text, strlen(text), "m", 0, NULL);
	ck_assert_ptr_nonnull(log);
	ck_assert_int_eq(summary(log, -1).left_foreground, 1);
	jt_probelog_free(log);
	/* An older probe's header has neither field. */
	log = load(FIX "killed.jsonl", 0);
	ck_assert_ptr_null(log->header.profile);
	ck_assert_ptr_null(log->header.run_id);
	ck_assert_int_eq(summary(log, -1).left_foreground, 0);
	jt_probelog_free(log);
}
END_TEST

START_TEST(log_without_samples_cannot_be_summarised)
{
	const char *text = "{\"type\":\"header\",\"platform\":\"linux\","
			   "\"rate_bytes_per_s\":1,\"step_bytes\":1}\n";
	struct jt_probelog *log;
	struct jt_probe_summary s;
	struct jt_error err;

	jt_error_init(&err);
	log = jt_probelog_parse(text, strlen(text), "h.jsonl", 0, &err);
	ck_assert_ptr_nonnull(log);
	ck_assert_int_eq(jt_probelog_summarize(log, -1, &s, &err), -1);
	ck_assert_int_eq(err.code, JT_EINVAL);
	ck_assert_str_eq(err.text, "probe log has no samples");
	jt_probelog_free(log);
}
END_TEST

START_TEST(empty_input_is_an_empty_log_and_missing_file_an_io_error)
{
	struct jt_error err;
	struct jt_probelog *log;

	jt_error_init(&err);
	log = jt_probelog_parse("", 0, "empty", 0, &err);
	ck_assert_ptr_nonnull(log);
	ck_assert_uint_eq(log->nsamples, 0);
	ck_assert(!log->has_header);
	ck_assert(!log->torn_tail);
	jt_probelog_free(log);
	jt_probelog_free(NULL);
	ck_assert_ptr_null(jt_probelog_load(FIX "no-such.jsonl", 0, &err));
	ck_assert_int_eq(err.code, JT_EIO);
}
END_TEST

static Suite *
probelog_suite(void)
{
	Suite *s = suite_create("probelog");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, header_samples_and_events_are_read_field_by_field);
	tcase_add_test(tc,
		       killed_log_gives_limit_crossing_warning_and_overshoot);
	tcase_add_test(tc, torn_last_line_is_skipped_and_flagged);
	tcase_add_test(tc,
		       last_line_without_newline_is_never_read_even_if_whole);
	tcase_add_test(tc,
		       bad_line_in_the_middle_is_a_parse_error_with_its_line);
	tcase_add_test(tc, lenient_mode_counts_bad_lines_and_keeps_the_rest);
	tcase_add_test(
		tc,
		rate_is_measured_only_while_paced_and_ended_log_has_no_crossing);
	tcase_add_test(tc,
		       known_limit_gives_the_overshoot_when_the_log_has_none);
	tcase_add_test(tc,
		       refused_malloc_marks_the_crossing_at_the_last_sample);
	tcase_add_test(tc, every_kind_of_bad_record_is_named);
	tcase_add_test(tc, log_without_samples_cannot_be_summarised);
	tcase_add_test(tc,
		       app_state_events_say_when_the_app_left_the_foreground);
	tcase_add_test(
		tc, empty_input_is_an_empty_log_and_missing_file_an_io_error);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(probelog_suite)
