/*
 * check_calibrate_rules.c - the watermark rule on hand-computed cases, the
 * lookup's fallback order, and evidence fusion into entries
 *
 * Every expected number below is worked out by hand in the comment next to
 * it, from rules.h and calibrate.h, not taken from the code's output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calibrate/engine/calibrate.h"
#include "calibrate/engine/ingest.h"
#include "calibrate/table/rules.h"
#include "suite.h"
#include "calibrate/table/table.h"

#define MIB ((int64_t)1024 * 1024)

/* ---- the rule ----------------------------------------------------------- */

static int64_t
apply(int64_t c, int64_t g, int64_t b, enum jt_rule want_rule, int want_nh)
{
	int64_t t = 0;
	int nh = -1;
	enum jt_rule r = jt_rule_apply(c, g, b, 0.65, &t, &nh);

	ck_assert_str_eq(jt_rule_name(r), jt_rule_name(want_rule));
	ck_assert_int_eq(nh, want_nh);
	return t;
}

START_TEST(threshold_is_ceiling_minus_growth_when_above_the_baseline)
{
	/* 2048 - 300 = 1748 MiB > baseline 1500 MiB. */
	ck_assert_int_eq(apply(2048 * MIB, 300 * MIB, 1500 * MIB,
			       JT_RULE_CEILING_MINUS_GROWTH, 0),
			 1748 * MIB);
	/* No baseline: still ceiling - growth. */
	ck_assert_int_eq(apply(1000, 100, -1, JT_RULE_CEILING_MINUS_GROWTH, 0),
			 900);
}
END_TEST

START_TEST(baseline_floors_the_threshold)
{
	/* 2901 - 400 = 2501 MiB < baseline 2800 MiB: the baseline. */
	ck_assert_int_eq(apply(2901 * MIB, 400 * MIB, 2800 * MIB,
			       JT_RULE_BASELINE_FLOOR, 0),
			 2800 * MIB);
	/* Equal to ceiling - growth: not "below", so the rule stays. */
	ck_assert_int_eq(apply(1000, 400, 600, JT_RULE_CEILING_MINUS_GROWTH, 0),
			 600);
}
END_TEST

START_TEST(baseline_at_the_ceiling_has_no_headroom)
{
	/* baseline == ceiling: floor gives the ceiling itself. */
	ck_assert_int_eq(apply(1000, 100, 1000, JT_RULE_BASELINE_FLOOR, 1),
			 1000);
}
END_TEST

START_TEST(baseline_above_the_ceiling_is_capped_at_the_ceiling)
{
	/* 1800 - 200 = 1600 < baseline 1850 > ceiling 1800: cap. */
	ck_assert_int_eq(apply(1800 * MIB, 200 * MIB, 1850 * MIB,
			       JT_RULE_CEILING_CAP, 1),
			 1800 * MIB);
}
END_TEST

START_TEST(growth_at_or_above_the_ceiling_falls_back_to_the_fraction)
{
	/* 64 - 80 < 0, no baseline: floor(0.65 x 64 MiB) = 43620761. */
	ck_assert_int_eq(
		apply(64 * MIB, 80 * MIB, -1, JT_RULE_FRACTION_OF_CEILING, 1),
		43620761);
	/* growth == ceiling: 1000 - 1000 = 0 is not positive: 650. */
	ck_assert_int_eq(apply(1000, 1000, -1, JT_RULE_FRACTION_OF_CEILING, 1),
			 650);
	/* ... and a baseline above 650 floors it. */
	ck_assert_int_eq(apply(1000, 1200, 700, JT_RULE_BASELINE_FLOOR, 1),
			 700);
}
END_TEST

START_TEST(no_field_growth_uses_the_fraction_of_the_ceiling)
{
	ck_assert_int_eq(apply(1000, -1, -1, JT_RULE_FRACTION_OF_CEILING, 0),
			 650);
	ck_assert_int_eq(apply(1000, -1, 800, JT_RULE_BASELINE_FLOOR, 0), 800);
}
END_TEST

START_TEST(threshold_is_never_zero_or_above_the_ceiling)
{
	unsigned seed = 6;
	int i;

	/* A 1-byte ceiling: 0.65 rounds down to 0, so 1 is given. */
	ck_assert_int_eq(apply(1, 5, -1, JT_RULE_FRACTION_OF_CEILING, 1), 1);
	for (i = 0; i < 100000; i++) {
		int64_t c = 1 + rand_r(&seed) % 4096;
		int64_t g = rand_r(&seed) % 5000 - 1;
		int64_t b = rand_r(&seed) % 5000 - 1;
		int64_t t;
		int nh;

		jt_rule_apply(c, g, b, 0.01 + (rand_r(&seed) % 100) / 100.0, &t,
			      &nh);
		ck_assert_int_gt(t, 0);
		ck_assert_int_le(t, c);
	}
}
END_TEST

/* ---- OS order and lookup ------------------------------------------------ */

START_TEST(os_versions_compare_numerically)
{
	ck_assert_int_lt(jt_os_compare("9.3", "14.2"), 0);
	ck_assert_int_lt(jt_os_compare("14.2", "14.10"), 0);
	ck_assert_int_lt(jt_os_compare("14", "14.0"), 0);
	ck_assert_int_eq(jt_os_compare("15.0.1", "15.0.1"), 0);
	ck_assert_int_gt(jt_os_compare("16.1", "16.0.3"), 0);
	ck_assert_int_lt(jt_os_compare(NULL, "1"), 0);
}
END_TEST

/* A table: model A measured on 14.2 and 16.0, B on 15.0; two RAM classes. */
static void
lookup_table(struct jt_table *t)
{
	static struct jt_table_entry e[3];
	static struct jt_ram_class c[2];

	jt_table_init(t);
	memset(e, 0, sizeof(e));
	e[0].model = "A";
	e[0].os_version = "14.2";
	e[0].profile = "app";
	e[0].threshold_bytes = 1400;
	e[1].model = "A";
	e[1].os_version = "16.0";
	e[1].profile = "app";
	e[1].threshold_bytes = 1600;
	e[2].model = "B";
	e[2].os_version = "15.0";
	e[2].profile = "app";
	e[2].threshold_bytes = 1500;
	c[0].ram_bytes = 3000;
	c[0].growth_bytes = 300;
	c[1].ram_bytes = 4000;
	c[1].growth_bytes = 400;
	t->entries = e;
	t->nentries = 3;
	t->classes = c;
	t->nclasses = 2;
}

static struct jt_lookup
look(const char *model, const char *os, const char *profile, int64_t ram,
     int64_t live)
{
	struct jt_table t;
	struct jt_lookup lk;

	lookup_table(&t);
	jt_table_lookup(&t, model, os, profile, ram, live, &lk);
	return lk;
}

START_TEST(lookup_finds_the_measured_entry_first)
{
	struct jt_lookup lk = look("A", "16.0", "app", 4000, 9999);

	ck_assert_str_eq(jt_source_name(lk.source), "measured");
	ck_assert_int_eq(lk.threshold_bytes, 1600);
}
END_TEST

START_TEST(lookup_carries_over_the_newest_os_not_newer)
{
	/* 15.4: 14.2 is the newest measured OS not newer. */
	struct jt_lookup lk = look("A", "15.4", "app", -1, -1);

	ck_assert_str_eq(jt_source_name(lk.source), "carried-over");
	ck_assert_str_eq(lk.entry->os_version, "14.2");
	ck_assert_int_eq(lk.threshold_bytes, 1400);
	/* 17.1: 16.0. */
	lk = look("A", "17.1", "app", -1, -1);
	ck_assert_int_eq(lk.threshold_bytes, 1600);
}
END_TEST

START_TEST(lookup_carries_over_the_oldest_newer_os_when_none_is_older)
{
	struct jt_lookup lk = look("A", "13.0", "app", -1, -1);

	ck_assert_str_eq(jt_source_name(lk.source), "carried-over");
	ck_assert_str_eq(lk.entry->os_version, "14.2");
}
END_TEST

START_TEST(lookup_never_carries_over_across_profiles)
{
	/* A is measured only as "app": an extension gets the runtime rule. */
	struct jt_lookup lk =
		look("A", "14.2", "extension:widget", 3000, 32 * 1000);

	ck_assert_str_eq(jt_source_name(lk.source), "runtime-rule");
}
END_TEST

START_TEST(lookup_uses_the_nearest_ram_class_for_unmeasured_models)
{
	/* 3900 is nearest 4000: 5000 - 400. */
	struct jt_lookup lk = look("C", "16.0", "app", 3900, 5000);

	ck_assert_str_eq(jt_source_name(lk.source), "runtime-rule");
	ck_assert_int_eq(lk.ram_class->ram_bytes, 4000);
	ck_assert_int_eq(lk.threshold_bytes, 4600);
	/* 3500 is 500 from both: the smaller class, 5000 - 300. */
	lk = look("C", "16.0", "app", 3500, 5000);
	ck_assert_int_eq(lk.threshold_bytes, 4700);
	/* Live limit unknown: the rule is named, the SDK evaluates it. */
	lk = look("C", "16.0", "app", 3500, -1);
	ck_assert_str_eq(jt_source_name(lk.source), "runtime-rule");
	ck_assert_int_eq(lk.threshold_bytes, -1);
}
END_TEST

START_TEST(lookup_ends_with_the_fraction_of_the_live_limit)
{
	/* No RAM given: floor(0.65 x 1000) = 650. */
	struct jt_lookup lk = look("C", "16.0", "app", -1, 1000);

	ck_assert_str_eq(jt_source_name(lk.source), "fraction");
	ck_assert_int_eq(lk.threshold_bytes, 650);
	/* Class growth 400 >= live limit 400: not positive, fraction 260. */
	lk = look("C", "16.0", "app", 4000, 400);
	ck_assert_str_eq(jt_source_name(lk.source), "fraction");
	ck_assert_int_eq(lk.threshold_bytes, 260);
	lk = look("C", "16.0", "app", -1, -1);
	ck_assert_int_eq(lk.threshold_bytes, -1);
}
END_TEST

/* ---- evidence fusion ---------------------------------------------------- */

static void
run(struct jt_runrec *r, const char *id, const char *model, const char *os,
    int64_t exact, int64_t cross, int64_t report, const char *reason)
{
	jt_runrec_init(r);
	r->run_id = id ? strdup(id) : NULL;
	r->model = strdup(model);
	r->os_version = os ? strdup(os) : NULL;
	r->profile = strdup("app");
	r->kill_reason = reason ? strdup(reason) : NULL;
	r->footprint_remaining_bytes = exact;
	r->crossing_bytes = cross;
	r->report_bytes = report;
	r->step_bytes = MIB;
}

static int
add(struct jt_lab *lab, const char *id, const char *model, const char *os,
    int64_t exact, int64_t cross, int64_t report, const char *reason,
    struct jt_error *err)
{
	struct jt_runrec r;
	char input[64];
	int rc;

	snprintf(input, sizeof(input), "%s.json", id ? id : "x");
	run(&r, id, model, os, exact, cross, report, reason);
	rc = jt_lab_add_run(lab, &r, input, err);
	jt_runrec_release(&r);
	return rc;
}

static const struct jt_calibrate_options opts = {
	JT_STAT_MAX, 0.65, "test", NULL, NULL, 0, NULL};
static const struct jt_calibrate_options strict = {
	JT_STAT_MAX, 0.65, "test", NULL, NULL, 1, NULL};

START_TEST(exact_evidence_is_rounded_to_mib_and_its_lower_median_wins)
{
	struct jt_lab *lab = jt_lab_new(NULL);
	struct jt_error err;
	struct jt_table t;

	jt_error_init(&err);
	/* 100 MiB + 4 KiB -> 100; 101 MiB - 1 -> 101; 102 MiB -> 102. */
	ck_assert_int_eq(add(lab, "r1", "iPhone12,1", "14.2", 100 * MIB + 4096,
			     -1, -1, NULL, &err),
			 0);
	ck_assert_int_eq(add(lab, "r2", "iPhone12,1", "14.2", 101 * MIB - 1, -1,
			     -1, NULL, &err),
			 0);
	ck_assert_int_eq(add(lab, "r3", "iPhone12,1", "14.2", 102 * MIB,
			     99 * MIB, 110 * MIB, "per-process-limit", &err),
			 0);
	ck_assert_int_eq(jt_calibrate_build(&t, lab, NULL, NULL, &opts, &err),
			 0);
	ck_assert_int_eq(t.nentries, 1);
	ck_assert_int_eq(t.entries[0].ceiling_bytes, 101 * MIB);
	ck_assert_int_eq(t.entries[0].ceiling_low_bytes, 100 * MIB);
	ck_assert_int_eq(t.entries[0].ceiling_high_bytes, 102 * MIB);
	ck_assert_str_eq(t.entries[0].ceiling_method, "footprint+remaining");
	ck_assert_int_eq(t.entries[0].runs, 3);
	/* Spread over every source: 110 - 99 MiB > one step. */
	ck_assert_int_eq(t.entries[0].spread_bytes, 11 * MIB);
	ck_assert_int_eq(t.entries[0].disagree, 1);
	ck_assert_int_eq(t.entries[0].known_model, 0); /* no models table */
	jt_table_release(&t);
	jt_lab_free(lab);
}
END_TEST

START_TEST(without_exact_evidence_the_crossing_gives_the_ceiling)
{
	struct jt_lab *lab = jt_lab_new(NULL);
	struct jt_error err;
	struct jt_table t;

	jt_error_init(&err);
	ck_assert_int_eq(add(lab, "r1", "M", "9.3", -1, 1000 * MIB,
			     1000 * MIB + 100, NULL, &err),
			 0);
	ck_assert_int_eq(jt_calibrate_build(&t, lab, NULL, NULL, &opts, &err),
			 0);
	ck_assert_int_eq(t.entries[0].ceiling_bytes, 1000 * MIB);
	ck_assert_int_eq(t.entries[0].ceiling_high_bytes, 1000 * MIB + 100);
	ck_assert_str_eq(t.entries[0].ceiling_method, "crossing+report");
	ck_assert_int_eq(t.entries[0].disagree, 0);
	/* No field data: fraction of the ceiling. */
	ck_assert_str_eq(jt_rule_name(t.entries[0].rule),
			 "fraction-of-ceiling");
	jt_table_release(&t);
	jt_lab_free(lab);
}
END_TEST

START_TEST(the_limit_the_kernel_states_is_exact_evidence_below_fp_remaining)
{
	struct jt_lab *lab = jt_lab_new(NULL);
	struct jt_error err;
	struct jt_table t;
	struct jt_runrec r;

	jt_error_init(&err);
	/* A device run before iOS 13: no remaining, the kernel said 1360 MB. */
	run(&r, "d1", "iPhone10,1", "12.4", -1, 1355 * MIB, 1361 * MIB,
	    "per-process-limit");
	r.kernel_limit_bytes = 1360 * MIB;
	ck_assert_int_eq(jt_lab_add_run(lab, &r, "d1.json", &err), 0);
	jt_runrec_release(&r);
	ck_assert_int_eq(jt_calibrate_build(&t, lab, NULL, NULL, &opts, &err),
			 0);
	ck_assert_int_eq(t.entries[0].ceiling_bytes, 1360 * MIB);
	ck_assert_str_eq(t.entries[0].ceiling_method, "kernel-limit");
	ck_assert_int_eq(t.entries[0].nevidence, 3);
	jt_table_release(&t);
	jt_lab_free(lab);

	/* With footprint + remaining as well, that one wins. */
	lab = jt_lab_new(NULL);
	run(&r, "d2", "iPhone12,1", "14.2", 2098 * MIB, -1, -1,
	    "per-process-limit");
	r.kernel_limit_bytes = 2097 * MIB;
	ck_assert_int_eq(jt_lab_add_run(lab, &r, "d2.json", &err), 0);
	jt_runrec_release(&r);
	ck_assert_int_eq(jt_calibrate_build(&t, lab, NULL, NULL, &opts, &err),
			 0);
	ck_assert_int_eq(t.entries[0].ceiling_bytes, 2098 * MIB);
	ck_assert_str_eq(t.entries[0].ceiling_method, "footprint+remaining");
	jt_table_release(&t);
	jt_lab_free(lab);
}
END_TEST

START_TEST(kills_for_other_reasons_are_listed_and_not_used)
{
	struct jt_lab *lab = jt_lab_new(NULL);
	struct jt_error err;
	struct jt_table t;

	jt_error_init(&err);
	ck_assert_int_eq(
		add(lab, "r1", "M", "15.0", 64 * MIB, -1, -1, "oom-kill", &err),
		0);
	ck_assert_int_eq(add(lab, "r2", "M", "15.0", 10 * MIB, -1, -1,
			     "vm-pageshortage", &err),
			 0);
	ck_assert_int_eq(jt_calibrate_build(&t, lab, NULL, NULL, &opts, &err),
			 0);
	ck_assert_int_eq(t.entries[0].ceiling_bytes, 64 * MIB);
	ck_assert_int_eq(t.nexcluded, 1);
	ck_assert_str_eq(t.excluded[0].reason, "vm-pageshortage");
	ck_assert_str_eq(t.excluded[0].input, "r2.json");
	jt_table_release(&t);
	jt_lab_free(lab);
}
END_TEST

START_TEST(runs_that_left_the_foreground_are_listed_and_not_used)
{
	struct jt_lab *lab = jt_lab_new(NULL);
	struct jt_error err;
	struct jt_table t;
	struct jt_runrec r;

	jt_error_init(&err);
	ck_assert_int_eq(add(lab, "r1", "M", "15.0", 64 * MIB, -1, -1,
			     "per-process-limit", &err),
			 0);
	/* Killed at 40 MiB after going to the background: the inactive
	 * limit, not the one the table is for. */
	run(&r, "r2", "M", "15.0", 40 * MIB, -1, -1, "per-process-limit");
	r.left_foreground = 1;
	ck_assert_int_eq(jt_lab_add_run(lab, &r, "r2.json", &err), 0);
	jt_runrec_release(&r);
	ck_assert_int_eq(jt_calibrate_build(&t, lab, NULL, NULL, &opts, &err),
			 0);
	ck_assert_int_eq(t.entries[0].ceiling_bytes, 64 * MIB);
	ck_assert_int_eq(t.entries[0].nevidence, 1);
	ck_assert_int_eq(t.nexcluded, 1);
	ck_assert_str_eq(t.excluded[0].input, "r2.json");
	ck_assert_str_eq(t.excluded[0].reason, "per-process-limit");
	ck_assert_str_eq(t.excluded[0].why,
			 "app left the foreground during the run");
	jt_table_release(&t);
	jt_lab_free(lab);
}
END_TEST

/* write_log - a device probe log in a temporary file; returns its path. */
static void
write_log(char *path, size_t len, const char *profile, const char *state)
{
	FILE *fp;
	int fd;

	snprintf(path, len, "/tmp/jt-ingest-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	ck_assert_ptr_nonnull(fp);
	fprintf(fp,
		"{\"type\":\"header\",\"platform\":\"ios\",\"model\":"
		"\"iPhone12,1\",\"os_version\":\"17.0\","
		"\"rate_bytes_per_s\":20971520,\"step_bytes\":1048576%s%s%s}\n"
		"{\"type\":\"sample\",\"seq\":0,\"t_ms\":0,"
		"\"allocated_bytes\":0,\"footprint_bytes\":%lld,"
		"\"remaining_bytes\":%lld}\n",
		profile ? ",\"profile\":\"" : "", profile ? profile : "",
		profile ? "\"" : "", (long long)(10 * MIB),
		(long long)(1990 * MIB));
	if (state != NULL)
		fprintf(fp,
			"{\"type\":\"event\",\"t_ms\":4,\"kind\":\"state\","
			"\"detail\":\"%s\"}\n",
			state);
	fclose(fp);
}

START_TEST(probe_logs_are_filed_under_their_own_profile_unless_they_left)
{
	struct jt_lab *lab = jt_lab_new(NULL);
	struct jt_error err;
	struct jt_table t;
	struct jt_calibrate_options tmp_root = opts;
	char a[64], b[64], c[64];

	jt_error_init(&err);
	tmp_root.root = "/tmp";
	write_log(a, sizeof(a), "notification-service-extension", NULL);
	write_log(b, sizeof(b), NULL, "inactive");
	write_log(c, sizeof(c), "app", "background");
	/* The caller's profile is for logs that do not name one. */
	ck_assert_int_eq(jt_ingest_probelog(lab, a, "app", &err), 0);
	ck_assert_int_eq(jt_ingest_probelog(lab, b, "app", &err), 0);
	ck_assert_int_eq(jt_ingest_probelog(lab, c, "app", &err), 0);
	/* Input paths are written relative to the root: here /tmp. */
	ck_assert_int_eq(
		jt_calibrate_build(&t, lab, NULL, NULL, &tmp_root, &err), 0);
	/* 10 + 1990 MiB for both used logs, one key each. */
	ck_assert_uint_eq(t.nentries, 2);
	ck_assert_str_eq(t.entries[0].profile, "app");
	ck_assert_int_eq(t.entries[0].ceiling_bytes, 2000 * MIB);
	ck_assert_str_eq(t.entries[0].evidence[0].input, b + strlen("/tmp/"));
	ck_assert_str_eq(t.entries[1].profile,
			 "notification-service-extension");
	ck_assert_int_eq(t.nexcluded, 1);
	ck_assert_str_eq(t.excluded[0].input, c + strlen("/tmp/"));
	ck_assert_str_eq(t.excluded[0].why,
			 "app left the foreground during the run");
	ck_assert_uint_eq(t.ninputs, 3);
	jt_table_release(&t);
	jt_lab_free(lab);
	unlink(a);
	unlink(b);
	unlink(c);
}
END_TEST

START_TEST(a_duplicate_run_is_an_error_naming_both_files)
{
	struct jt_lab *lab = jt_lab_new(NULL);
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_int_eq(add(lab, "r1", "M", "15.0", MIB, -1, -1, NULL, &err),
			 0);
	ck_assert_int_eq(add(lab, "r1", "M", "15.0", MIB, -1, -1, NULL, &err),
			 -1);
	ck_assert_int_eq(err.code, JT_EINVAL);
	ck_assert_str_eq(err.text, "duplicate run 'r1' (also in r1.json)");
	jt_lab_free(lab);
}
END_TEST

START_TEST(a_run_without_os_or_estimate_is_an_error)
{
	struct jt_lab *lab = jt_lab_new(NULL);
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_int_eq(add(lab, "r1", "M", NULL, MIB, -1, -1, NULL, &err),
			 -1);
	ck_assert_str_eq(err.text, "run record has no 'os_version'");
	jt_error_init(&err);
	ck_assert_int_eq(add(lab, "r2", "M", "1.0", -1, -1, -1, NULL, &err),
			 -1);
	ck_assert_int_eq(err.code, JT_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.text, "gives no estimate"));
	jt_lab_free(lab);
}
END_TEST

START_TEST(no_lab_evidence_is_an_error)
{
	struct jt_lab *lab = jt_lab_new(NULL);
	struct jt_error err;
	struct jt_table t;

	jt_error_init(&err);
	ck_assert_int_eq(jt_calibrate_build(&t, lab, NULL, NULL, &opts, &err),
			 -1);
	ck_assert_ptr_nonnull(strstr(err.text, "no lab evidence"));
	jt_lab_free(lab);
}
END_TEST

/*
 * fuse - t built from one iPhone12,1 run on 14.2 (exact: 2048 MiB) and
 * the field data growth and sessions (CSV text), with models.
 */
static void
fuse(const char *growth, const char *sessions, const struct jt_models *models,
     struct jt_table *t)
{
	struct jt_lab *lab = jt_lab_new(NULL);
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_ptr_nonnull(models);
	ck_assert_int_eq(add(lab, "r1", "iPhone12,1", "14.2", 2048 * MIB, -1,
			     -1, NULL, &err),
			 0);
	ck_assert_int_eq(
		jt_field_read_mem(f, growth, strlen(growth), "g.csv", &err), 0);
	ck_assert_int_eq(
		jt_field_read_mem(f, sessions, strlen(sessions), "s.csv", &err),
		0);
	ck_assert_int_eq(jt_calibrate_build(t, lab, f, models, &opts, &err), 0);
	jt_field_free(f);
	jt_lab_free(lab);
}

START_TEST(field_data_feeds_the_rule_and_the_ram_classes)
{
	static const char growth[] = "model,os_version,page,growth_bytes\n"
				     "\"iPhone12,1\",14.2,feed,314572800\n"
				     "\"iPhone12,1\",14.2,video,104857600\n";
	static const char sessions[] =
		"model,os_version,peak_footprint_bytes,oom\n"
		"\"iPhone12,1\",14.2,1572864000,0\n"
		"\"iPhone12,1\",14.2,2202009600,1\n";
	struct jt_models *models = jt_models_load(NULL, NULL);
	struct jt_table t;

	fuse(growth, sessions, models, &t);
	/* 2048 - 300 = 1748 MiB; the OOM session (2100 MiB) is ignored. */
	ck_assert_int_eq(t.entries[0].growth_bytes, 300 * MIB);
	ck_assert_str_eq(t.entries[0].growth_page, "feed");
	ck_assert_int_eq(t.entries[0].baseline_bytes, 1500 * MIB);
	ck_assert_int_eq(t.entries[0].threshold_bytes, 1748 * MIB);
	ck_assert_int_eq(t.entries[0].known_model, 1);
	ck_assert_str_eq(t.entries[0].model_name, "iPhone 11");
	ck_assert_int_eq(t.nclasses, 1);
	ck_assert_int_eq(t.classes[0].ram_bytes, 4096 * MIB);
	ck_assert_int_eq(t.classes[0].growth_bytes, 300 * MIB);
	ck_assert_str_eq(t.classes[0].models[0], "iPhone12,1");
	jt_table_release(&t);
	jt_models_free(models);
}
END_TEST

START_TEST(strict_field_refuses_page_growth_for_a_model_without_lab_data)
{
	static const char growth[] = "model,os_version,page,growth_bytes\n"
				     "A,1.0,feed,100\n"
				     "B,1.0,feed,100\n"
				     "B,1.0,feed,200\n";
	struct jt_lab *lab = jt_lab_new(NULL);
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_error err;
	struct jt_table t;

	jt_error_init(&err);
	ck_assert_int_eq(
		add(lab, "r1", "A", "1.0", 64 * MIB, -1, -1, NULL, &err), 0);
	ck_assert_int_eq(jt_field_read_mem(f, growth, strlen(growth),
					   "growth.csv", &err),
			 0);
	ck_assert_int_eq(jt_calibrate_build(&t, lab, f, NULL, &strict, &err),
			 -1);
	ck_assert_str_eq(err.source, "growth.csv");
	ck_assert_int_eq(err.line, 3);
	ck_assert_str_eq(err.text,
			 "page growth for model 'B', which has no lab data "
			 "(--strict-field)");
	jt_field_free(f);
	jt_lab_free(lab);
}
END_TEST

/*
 * Field data for models the lab never measured: iPhone13,2 (4 GiB, like
 * the measured iPhone12,1) has growth and a baseline; iPhone11,8 (3 GiB)
 * sessions only; Fake9,9 is in no device table.
 */
START_TEST(field_only_models_are_kept_with_their_growth_and_baseline)
{
	static const char growth[] = "model,os_version,page,growth_bytes\n"
				     "\"iPhone12,1\",14.2,feed,300\n"
				     "\"iPhone13,2\",16.0,feed,500\n"
				     "\"iPhone13,2\",16.0,video,700\n"
				     "\"Fake9,9\",1.0,feed,50\n";
	static const char sessions[] =
		"model,os_version,peak_footprint_bytes,oom\n"
		"\"iPhone13,2\",16.0,1200,0\n"
		"\"iPhone11,8\",13.0,900,0\n";
	struct jt_models *models = jt_models_load(NULL, NULL);
	struct jt_coverage cov;
	struct jt_table t;

	fuse(growth, sessions, models, &t);
	ck_assert_uint_eq(t.nentries, 1);
	ck_assert_uint_eq(t.nfield_only, 3); /* sorted by model */
	ck_assert_str_eq(t.field_only[0].model, "Fake9,9");
	ck_assert_int_eq(t.field_only[0].known_model, 0);
	ck_assert_str_eq(t.field_only[1].model, "iPhone11,8");
	ck_assert_int_eq(t.field_only[1].growth_bytes, -1);
	ck_assert_int_eq(t.field_only[1].baseline_bytes, 900);
	ck_assert_str_eq(t.field_only[2].model, "iPhone13,2");
	ck_assert_int_eq(t.field_only[2].growth_bytes, 700);
	ck_assert_str_eq(t.field_only[2].growth_page, "video");
	ck_assert_int_eq(t.field_only[2].baseline_bytes, 1200);
	ck_assert_str_eq(t.field_only[2].model_name, "iPhone 12");
	/* The 4 GiB class takes the larger growth of both its models. */
	ck_assert_uint_eq(t.nclasses, 1);
	ck_assert_int_eq(t.classes[0].growth_bytes, 700);
	ck_assert_uint_eq(t.classes[0].nmodels, 2);
	jt_calibrate_coverage(&t, models, &cov);
	ck_assert_uint_eq(cov.lab_models, 1);
	ck_assert_uint_eq(cov.field_only, 3);
	ck_assert_uint_eq(cov.field_only_no_growth, 1);
	ck_assert_uint_eq(cov.missing, cov.device_models - 3);
	jt_table_release(&t);
	jt_models_free(models);
}
END_TEST

/*
 * The field-only rule is the lab's rule with the live limit as the
 * ceiling: live - growth, floored at the baseline, capped at the live
 * limit; growth >= live gives the fraction.
 */
START_TEST(lookup_answers_a_field_only_model_by_its_own_growth)
{
	struct jt_table t;
	struct jt_field_only fo[2];
	struct jt_lookup lk;

	lookup_table(&t);
	memset(fo, 0, sizeof(fo));
	fo[0].model = "C";
	fo[0].growth_bytes = 250;
	fo[0].baseline_bytes = 1700;
	fo[1].model = "D";
	fo[1].growth_bytes = -1; /* sessions only: the RAM class answers */
	fo[1].baseline_bytes = 100;
	t.field_only = fo;
	t.nfield_only = 2;
	jt_table_lookup(&t, "C", "17.0", "app", 4000, 2000, &lk);
	ck_assert_str_eq(jt_source_name(lk.source), "field-only");
	ck_assert_int_eq(lk.threshold_bytes, 1750);
	ck_assert_str_eq(jt_rule_name(lk.rule), "ceiling-minus-growth");
	ck_assert_ptr_eq(lk.field_model, &fo[0]);
	jt_table_lookup(&t, "C", "17.0", "app", 4000, 1900, &lk);
	ck_assert_int_eq(lk.threshold_bytes, 1700); /* the baseline */
	ck_assert_str_eq(jt_rule_name(lk.rule), "baseline-floor");
	jt_table_lookup(&t, "C", "17.0", "app", 4000, 1600, &lk);
	ck_assert_int_eq(lk.threshold_bytes, 1600); /* capped at live */
	ck_assert_str_eq(jt_rule_name(lk.rule), "ceiling-cap");
	jt_table_lookup(&t, "C", "17.0", "app", 4000, 200, &lk);
	ck_assert_int_eq(lk.threshold_bytes, 200);
	jt_table_lookup(&t, "C", "17.0", "app", 4000, -1, &lk);
	ck_assert_str_eq(jt_source_name(lk.source), "field-only");
	ck_assert_int_eq(lk.threshold_bytes, -1);
	ck_assert_ptr_nonnull(strstr(lk.why, "needs the live limit"));
	/* Lab entries come first; D has no growth: its RAM class. */
	jt_table_lookup(&t, "A", "17.0", "app", 4000, 2000, &lk);
	ck_assert_str_eq(jt_source_name(lk.source), "carried-over");
	jt_table_lookup(&t, "D", "1.0", "app", 4000, 2000, &lk);
	ck_assert_str_eq(jt_source_name(lk.source), "runtime-rule");
	ck_assert_int_eq(lk.threshold_bytes, 1600);
	ck_assert_str_eq(lk.why,
			 "no field growth for this model: live limit "
			 "- the growth of the nearest RAM class");
}
END_TEST

START_TEST(lookup_says_why_when_it_cannot_answer)
{
	struct jt_lookup lk = look("Z", "1.0", "app", -1, -1);

	ck_assert_str_eq(jt_source_name(lk.source), "fraction");
	ck_assert_int_eq(lk.threshold_bytes, -1);
	ck_assert_ptr_nonnull(strstr(lk.why, "its RAM is unknown"));
	lk = look("Z", "1.0", "app", 4000, -1);
	ck_assert_str_eq(jt_source_name(lk.source), "runtime-rule");
	ck_assert_ptr_nonnull(strstr(lk.why, "needs the live limit"));
	lk = look("Z", "1.0", "app", 4000, 300);
	ck_assert_str_eq(jt_source_name(lk.source), "fraction");
	ck_assert_int_eq(lk.threshold_bytes, 195);
	ck_assert_ptr_nonnull(strstr(lk.why, "not above"));
}
END_TEST

START_TEST(names_a_table_cannot_hold_are_refused_at_input)
{
	struct jt_lab *lab = jt_lab_new(NULL);
	struct jt_error err;
	char longname[JT_TABLE_MODEL_MAX + 2];

	memset(longname, 'M', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	jt_error_init(&err);
	ck_assert_int_eq(
		add(lab, "r1", longname, "14.2", 100 * MIB, -1, -1, NULL, &err),
		-1);
	ck_assert_str_eq(err.source, "r1.json");
	ck_assert_ptr_nonnull(strstr(err.text,
				     "is 65 bytes, over the limit "
				     "of 64"));
	jt_error_init(&err);
	ck_assert_int_eq(add(lab, "r2", "iPhone12,1", "14.2\x1b", 100 * MIB, -1,
			     -1, NULL, &err),
			 -1);
	ck_assert_str_eq(err.text,
			 "os_version name '14.2\\x1b' holds the "
			 "control character U+001B");
	jt_lab_free(lab);
}
END_TEST

/*
 * A backtest worked by hand.  Model A: ceiling 1000, threshold 800 on
 * 14.2 (so 15.0 is carried over).  Sessions: peaks 700, 850 (over 800),
 * 900 (OOM, not judged), 800 (not over) -> 1 of 3 needless.  Growth 150,
 * 250 (800 + 250 > 1000), 100 -> 1 of 3 not prevented; headroom
 * 1000 - 800 - g = 50, -50, 100: min -50, max 100.  Model Q has no lab
 * entry: counted, not evaluated.
 */
START_TEST(a_backtest_counts_needless_degradations_and_unprevented_kills)
{
	static const char sessions[] =
		"model,os_version,peak_footprint_bytes,oom\n"
		"A,14.2,700,0\nA,15.0,850,0\nA,14.2,900,1\nA,14.2,800,0\n"
		"Q,1.0,5,0\n";
	static const char growth[] = "model,os_version,page,growth_bytes\n"
				     "A,14.2,feed,150\nA,15.0,feed,250\n"
				     "A,14.2,video,100\n";
	static struct jt_table_entry e;
	struct jt_table t;
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_eval ev;
	struct jt_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	jt_table_init(&t);
	memset(&e, 0, sizeof(e));
	e.model = "A";
	e.os_version = "14.2";
	e.profile = "app";
	e.ceiling_bytes = 1000;
	e.threshold_bytes = 800;
	t.entries = &e;
	t.nentries = 1;
	jt_error_init(&err);
	ck_assert_int_eq(jt_eval_begin(&ev, &t, NULL, f, &err), 0);
	ck_assert_int_eq(
		jt_field_read_mem(f, sessions, strlen(sessions), "s.csv", &err),
		0);
	ck_assert_int_eq(
		jt_field_read_mem(f, growth, strlen(growth), "g.csv", &err), 0);
	ck_assert_int_eq(jt_eval_end(&ev, f, &err), 0);
	ck_assert_uint_eq(ev.nmodels, 2);
	ck_assert_str_eq(ev.models[0].model, "A");
	ck_assert_str_eq(ev.models[0].source, "measured+carried-over");
	ck_assert_int_eq(ev.models[0].sessions, 3);
	ck_assert_int_eq(ev.models[0].needless, 1);
	ck_assert_int_eq(ev.models[0].oom_sessions, 1);
	ck_assert_int_eq(ev.models[0].growth_samples, 3);
	ck_assert_int_eq(ev.models[0].unprevented, 1);
	ck_assert_int_eq(ev.models[0].headroom_min_bytes, -50);
	ck_assert_int_eq(ev.models[0].headroom_max_bytes, 100);
	/* Below 128 the sketch is exact: sorted 0, 50, 100; p10 rank 0,
	 * p50 rank 1. */
	ck_assert_int_eq(ev.models[0].headroom_p10_bytes, 0);
	ck_assert_int_eq(ev.models[0].headroom_p50_bytes, 50);
	ck_assert_str_eq(ev.models[1].model, "Q");
	ck_assert_ptr_null(ev.models[1].source);
	ck_assert_int_eq(ev.models[1].rows_skipped, 1);
	ck_assert_ptr_nonnull(strstr(ev.models[1].why, "no lab entry"));
	ck_assert_int_eq(jt_eval_emit(&ev, fp, JT_FORMAT_CSV, &err), 0);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(buf, "A,measured+carried-over,3,1,"));
	free(buf);
	jt_eval_release(&ev);
	jt_field_free(f);
}
END_TEST

static Suite *
rules_suite(void)
{
	Suite *s = suite_create("calibrate_rules");
	TCase *tc = tcase_create("rule");

	tcase_add_test(
		tc, threshold_is_ceiling_minus_growth_when_above_the_baseline);
	tcase_add_test(tc, baseline_floors_the_threshold);
	tcase_add_test(tc, baseline_at_the_ceiling_has_no_headroom);
	tcase_add_test(tc, baseline_above_the_ceiling_is_capped_at_the_ceiling);
	tcase_add_test(
		tc, growth_at_or_above_the_ceiling_falls_back_to_the_fraction);
	tcase_add_test(tc, no_field_growth_uses_the_fraction_of_the_ceiling);
	tcase_add_test(tc, threshold_is_never_zero_or_above_the_ceiling);
	suite_add_tcase(s, tc);
	tc = tcase_create("lookup");
	tcase_add_test(tc, os_versions_compare_numerically);
	tcase_add_test(tc, lookup_finds_the_measured_entry_first);
	tcase_add_test(tc, lookup_carries_over_the_newest_os_not_newer);
	tcase_add_test(
		tc, lookup_carries_over_the_oldest_newer_os_when_none_is_older);
	tcase_add_test(tc, lookup_never_carries_over_across_profiles);
	tcase_add_test(tc,
		       lookup_uses_the_nearest_ram_class_for_unmeasured_models);
	tcase_add_test(tc, lookup_ends_with_the_fraction_of_the_live_limit);
	suite_add_tcase(s, tc);
	tc = tcase_create("fusion");
	tcase_add_test(
		tc, exact_evidence_is_rounded_to_mib_and_its_lower_median_wins);
	tcase_add_test(tc,
		       without_exact_evidence_the_crossing_gives_the_ceiling);
	tcase_add_test(
		tc,
		the_limit_the_kernel_states_is_exact_evidence_below_fp_remaining);
	tcase_add_test(tc, kills_for_other_reasons_are_listed_and_not_used);
	tcase_add_test(tc,
		       runs_that_left_the_foreground_are_listed_and_not_used);
	tcase_add_test(
		tc,
		probe_logs_are_filed_under_their_own_profile_unless_they_left);
	tcase_add_test(tc, a_duplicate_run_is_an_error_naming_both_files);
	tcase_add_test(tc, a_run_without_os_or_estimate_is_an_error);
	tcase_add_test(tc, no_lab_evidence_is_an_error);
	tcase_add_test(tc, field_data_feeds_the_rule_and_the_ram_classes);
	tcase_add_test(
		tc,
		strict_field_refuses_page_growth_for_a_model_without_lab_data);
	tcase_add_test(
		tc, field_only_models_are_kept_with_their_growth_and_baseline);
	tcase_add_test(tc, lookup_answers_a_field_only_model_by_its_own_growth);
	tcase_add_test(tc, lookup_says_why_when_it_cannot_answer);
	tcase_add_test(tc, names_a_table_cannot_hold_are_refused_at_input);
	tcase_add_test(
		tc,
		a_backtest_counts_needless_degradations_and_unprevented_kills);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(rules_suite)
