/*
 * check_runrec.c - the run record's one mapping from a probe log, shared
 * by local and device runs, and the path of the log a record names
 */
#include <stdlib.h>
#include <string.h>

#include "jetsam/lab/probelog.h"
#include "jetsam/core/text.h"
#include "jetsam/lab/runrec.h"
#include "suite.h"

#define KILLED "tests/fixtures/probelog/killed.jsonl"

START_TEST(a_probe_log_fills_every_evidence_field_of_the_record)
{
	struct jt_probelog *log = jt_probelog_load(KILLED, 0, NULL);
	struct jt_probe_summary s;
	struct jt_runrec r;

	ck_assert_ptr_nonnull(log);
	ck_assert_int_eq(jt_probelog_summarize(log, -1, &s, NULL), 0);
	jt_runrec_init(&r);
	jt_runrec_set_probe_evidence(&r, log, &s);
	/* The header: 1 MiB steps at 20 MiB/s, no ramp. */
	ck_assert_int_eq(r.step_bytes, 1048576);
	ck_assert_int_eq(r.rate_bytes_per_s, 20971520);
	ck_assert_int_eq(r.ramp_to_bytes, -1);
	/* The summary, field for field (jetsam probelog shows the same). */
	ck_assert_int_eq(r.last_sample_bytes, s.last_footprint_bytes);
	ck_assert_int_eq(r.last_sample_bytes, 5345280);
	ck_assert_int_eq(r.footprint_remaining_bytes, 5242880);
	ck_assert_int_eq(r.crossing_bytes, 4820992);
	ck_assert_int_eq(r.first_warning_bytes, 3248128);
	ck_assert_int_eq(r.overshoot_bytes, 102400);
	ck_assert_int_eq(r.duration_ms, 250);
	ck_assert_int_eq(r.samples, 6);
	ck_assert_int_eq(r.effective_rate_bytes_per_s, 20971520);
	/* Nothing else is touched. */
	ck_assert_int_eq(r.truth_limit_bytes, -1);
	ck_assert_int_eq(r.report_bytes, -1);
	ck_assert_ptr_null(r.kill_reason);
	jt_runrec_release(&r);
	jt_probelog_free(log);
}
END_TEST

START_TEST(without_a_summary_only_the_header_is_taken)
{
	struct jt_probelog *log = jt_probelog_load(KILLED, 0, NULL);
	struct jt_runrec r;

	ck_assert_ptr_nonnull(log);
	jt_runrec_init(&r);
	r.step_bytes = 7;
	jt_runrec_set_probe_evidence(&r, log, NULL);
	ck_assert_int_eq(r.step_bytes, 1048576);
	ck_assert_int_eq(r.last_sample_bytes, -1);
	ck_assert_int_eq(r.samples, -1);
	jt_runrec_release(&r);
	jt_probelog_free(log);
}
END_TEST

START_TEST(the_probe_log_is_found_beside_its_record)
{
	struct jt_runrec r;
	struct jt_error err;
	char *p;

	jt_runrec_init(&r);
	r.probe_log = jt_text_dup("probe.jsonl", NULL);
	p = jt_runrec_probe_log_path(&r, "runs/iPhone12,1-14.2-1/run.json",
				     NULL);
	ck_assert_str_eq(p, "runs/iPhone12,1-14.2-1/probe.jsonl");
	free(p);
	p = jt_runrec_probe_log_path(&r, "run.json", NULL);
	ck_assert_str_eq(p, "probe.jsonl");
	free(p);
	free(r.probe_log);
	r.probe_log = jt_text_dup("/abs/probe.jsonl", NULL);
	p = jt_runrec_probe_log_path(&r, "runs/x/run.json", NULL);
	ck_assert_str_eq(p, "/abs/probe.jsonl");
	free(p);
	free(r.probe_log);
	r.probe_log = NULL;
	jt_error_init(&err);
	ck_assert_ptr_null(jt_runrec_probe_log_path(&r, "x/run.json", &err));
	ck_assert_int_eq(err.code, JT_EINVAL);
	ck_assert_str_eq(err.source, "x/run.json");
	ck_assert_ptr_null(jt_text_dup(NULL, NULL));
	jt_runrec_release(&r);
}
END_TEST

static Suite *
runrec_suite(void)
{
	Suite *s = suite_create("runrec");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc,
		       a_probe_log_fills_every_evidence_field_of_the_record);
	tcase_add_test(tc, without_a_summary_only_the_header_is_taken);
	tcase_add_test(tc, the_probe_log_is_found_beside_its_record);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(runrec_suite)
