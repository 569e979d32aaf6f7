/*
 * check_htmlreport.c - the HTML report: escaping, charts, diff, no outside
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/html/htmlreport.h"
#include "suite.h"

#define MIB (1024LL * 1024)

static void
add_entry(struct jt_table *t, const char *model, const char *os,
	  int64_t ceiling, int64_t threshold, enum jt_rule rule)
{
	struct jt_table_entry *e;

	t->entries = realloc(t->entries, (t->nentries + 1) * sizeof(*e));
	ck_assert_ptr_nonnull(t->entries);
	e = &t->entries[t->nentries++];
	memset(e, 0, sizeof(*e));
	e->model = strdup(model);
	e->os_version = strdup(os);
	e->profile = strdup("app");
	e->ceiling_method = strdup("footprint+remaining");
	e->ram_bytes = -1;
	e->ceiling_bytes = ceiling;
	e->ceiling_low_bytes = e->ceiling_high_bytes = ceiling;
	e->step_bytes = MIB;
	e->runs = 1;
	e->growth_bytes = 24 * MIB;
	e->baseline_bytes = -1;
	e->threshold_bytes = threshold;
	e->rule = rule;
}

static char *
render(const struct jt_html_input *in)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_int_eq(jt_html_emit(fp, in, &err), 0);
	fclose(fp);
	return buf;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (hay = strstr(hay, needle); hay != NULL;
	     hay = strstr(hay + 1, needle))
		n++;
	return n;
}

START_TEST(model_names_are_escaped_and_nothing_outside_is_referenced)
{
	struct jt_table t;
	struct jt_html_input in = {0};
	char *html;

	jt_table_init(&t);
	add_entry(&t, "<script>alert(1)</script>", "14.2", 160 * MIB, 136 * MIB,
		  JT_RULE_CEILING_MINUS_GROWTH);
	in.table = &t;
	in.title = "a & b";
	html = render(&in);
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;script&gt;alert(1)"));
	ck_assert_ptr_nonnull(strstr(html, "<title>a &amp; b</title>"));
	ck_assert_ptr_null(strstr(html, "src="));
	ck_assert_ptr_null(strstr(html, "href="));
	ck_assert_ptr_null(strstr(html, "url("));
	/* One chart, the per-model one, with its four series. */
	ck_assert_int_eq(count(html, "<svg class=\"chart\""), 1);
	ck_assert_int_eq(count(html, "data-expected-series=\"4\""), 1);
	ck_assert_int_eq(count(html, "<g class=\"series\""), 4);
	free(html);
	jt_table_release(&t);
}
END_TEST

START_TEST(diff_section_lists_changes_added_and_removed_like_jetsam_diff)
{
	struct jt_table old, new;
	struct jt_html_input in = {0};
	char *html;

	jt_table_init(&old);
	jt_table_init(&new);
	add_entry(&old, "iPhone12,1", "14.2", 160 * MIB, 136 * MIB,
		  JT_RULE_CEILING_MINUS_GROWTH);
	add_entry(&old, "iPhone8,1", "12.4", 100 * MIB, 70 * MIB,
		  JT_RULE_CEILING_MINUS_GROWTH);
	add_entry(&new, "iPhone12,1", "14.2", 144 * MIB, 120 * MIB,
		  JT_RULE_CEILING_MINUS_GROWTH);
	add_entry(&new, "iPhone14,7", "17.0", 256 * MIB, 226 * MIB,
		  JT_RULE_BASELINE_FLOOR);
	in.table = &new;
	in.previous = &old;
	html = render(&in);
	ck_assert_ptr_nonnull(strstr(html,
				     "<td>changed</td><td class=\"n\">"
				     "136.0 MiB</td><td class=\"n\">"
				     "120.0 MiB</td><td class=\"n\">"
				     "-11.76%</td>"));
	ck_assert_ptr_nonnull(strstr(html,
				     "<td>iPhone14,7</td><td>17.0</td>"
				     "<td>app</td><td>added</td>"));
	ck_assert_ptr_nonnull(strstr(html,
				     "<td>iPhone8,1</td><td>12.4</td>"
				     "<td>app</td><td>removed</td>"));
	ck_assert_ptr_nonnull(strstr(html,
				     "1 added, 1 removed, 1 changed, "
				     "0 rule changed, 0 unchanged."));
	free(html);
	jt_table_release(&old);
	jt_table_release(&new);
}
END_TEST

START_TEST(field_only_models_and_the_backtest_have_their_sections)
{
	static const char sessions[] =
		"model,os_version,peak_footprint_bytes,oom\n"
		"\"iPhone12,1\",14.2,150000000,0\n"
		"\"iPhone12,1\",14.2,100000000,0\n"
		"<b>,1.0,5,0\n";
	struct jt_table t;
	struct jt_html_input in = {0};
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_eval ev;
	char *html;

	jt_table_init(&t);
	add_entry(&t, "iPhone12,1", "14.2", 160 * MIB, 136 * MIB,
		  JT_RULE_CEILING_MINUS_GROWTH);
	t.field_only = calloc(1, sizeof(*t.field_only));
	t.nfield_only = 1;
	t.field_only[0].model = strdup("<i>x</i>");
	t.field_only[0].growth_bytes = 8 * MIB;
	t.field_only[0].baseline_bytes = -1;
	ck_assert_int_eq(jt_eval_begin(&ev, &t, NULL, f, NULL), 0);
	ck_assert_int_eq(
		jt_field_read_mem(f, sessions, strlen(sessions), "s.csv", NULL),
		0);
	ck_assert_int_eq(jt_eval_end(&ev, f, NULL), 0);
	in.table = &t;
	in.eval = &ev;
	html = render(&in);
	ck_assert_ptr_nonnull(strstr(html, "<td>&lt;i&gt;x&lt;/i&gt;</td>"));
	ck_assert_ptr_nonnull(strstr(html, "<section id=\"backtest\">"));
	/* 150 MB is over the 136 MiB threshold, 100 MB is not. */
	ck_assert_ptr_nonnull(strstr(html, "1 of 2 sessions without an OOM"));
	ck_assert_ptr_nonnull(strstr(html, "<td>&lt;b&gt;</td><td>-</td>"));
	ck_assert_ptr_null(strstr(html, "<b>"));
	/* Two charts: the thresholds (4 series), the backtest (2). */
	ck_assert_int_eq(count(html, "<svg class=\"chart\""), 2);
	ck_assert_int_eq(count(html, "data-expected-series=\"2\""), 1);
	ck_assert_int_eq(count(html, "<g class=\"series\""), 6);
	free(html);
	jt_eval_release(&ev);
	jt_field_free(f);
	jt_table_release(&t);
}
END_TEST

START_TEST(run_without_a_log_says_so_and_draws_no_chart)
{
	struct jt_html_run run;
	struct jt_html_input in = {0};
	char *html;

	memset(&run, 0, sizeof(run));
	jt_runrec_init(&run.rec);
	run.path = "r/run.json";
	run.rec.model = strdup("iPhone12,1");
	run.rec.truth_limit_bytes = 64 * MIB;
	in.runs = &run;
	in.nruns = 1;
	ck_assert_int_eq(jt_html_expected_series(&run), 0);
	html = render(&in);
	ck_assert_ptr_nonnull(strstr(html, "No probe log samples"));
	ck_assert_int_eq(count(html, "<svg"), 0);
	ck_assert_ptr_nonnull(strstr(html, "<td class=\"n\">64.0 MiB</td>"));
	free(html);
	jt_html_run_release(&run);
}
END_TEST

START_TEST(a_missing_run_record_is_an_error_naming_it)
{
	struct jt_html_run run;
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_int_eq(jt_html_run_load(&run, "/nonexistent/run", &err), -1);
	ck_assert_int_eq(err.code, JT_EIO);
	ck_assert_str_eq(err.source, "/nonexistent/run");
	jt_html_run_release(&run);
}
END_TEST

static Suite *
htmlreport_suite(void)
{
	Suite *s = suite_create("htmlreport");
	TCase *tc = tcase_create("core");

	tcase_add_test(
		tc, model_names_are_escaped_and_nothing_outside_is_referenced);
	tcase_add_test(
		tc,
		diff_section_lists_changes_added_and_removed_like_jetsam_diff);
	tcase_add_test(tc,
		       field_only_models_and_the_backtest_have_their_sections);
	tcase_add_test(tc, run_without_a_log_says_so_and_draws_no_chart);
	tcase_add_test(tc, a_missing_run_record_is_an_error_naming_it);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(htmlreport_suite)
