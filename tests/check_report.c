/*
 * check_report.c - the JetsamEvent parser against real reports, hand-made
 * fixtures for what the corpus lacks, damaged input, and its golden output
 *
 * Goldens: tests/golden/parse/<dir>__<file>.json pins report_view (or
 * the error) for every file in tests/corpus/{dev,negative} and
 * tests/fixtures/reports.  JT_GOLDEN_UPDATE=1 rewrites them; review the
 * diff before committing.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "jetsam/core/emit.h"
#include "jetsam/core/fileio.h"
#include "jetsam/report/report.h"
#include "suite.h"

#define CORPUS "tests/corpus/dev/"
#define FIX "tests/fixtures/reports/"

static struct jt_models *models;

static void
setup(void)
{
	models = jt_models_load(NULL, NULL);
	ck_assert_ptr_nonnull(models);
}

static void
teardown(void)
{
	jt_models_free(models);
	models = NULL;
}

static struct jt_report *
load(const char *path, struct jt_error *err)
{
	jt_error_init(err);
	return jt_report_load(path, models, err);
}

/* must_load - a report that parses with no error at all. */
static struct jt_report *
must_load(const char *path)
{
	struct jt_error err;
	struct jt_report *r = load(path, &err);
	char buf[1024];

	if (jt_error_isset(&err))
		ck_abort_msg("%s", jt_error_format(&err, buf, sizeof(buf)));
	ck_assert_ptr_nonnull(r);
	return r;
}

static const struct jt_process *
kill_process(const struct jt_report *r, size_t i)
{
	ck_assert_uint_lt(i, r->nkills);
	return &r->processes[r->kills[i].process];
}

static const struct jt_process *
find_pid(const struct jt_report *r, int64_t pid)
{
	size_t i;

	for (i = 0; i < r->nprocesses; i++)
		if (r->processes[i].pid == pid)
			return &r->processes[i];
	return NULL;
}

/* ---- real reports -------------------------------------------------------- */

START_TEST(complete_ios14_report_lists_both_highwater_kills)
{
	struct jt_report *r =
		must_load(CORPUS "iPhone12-1_iOS14.2_B04A36B1.ips");
	const struct jt_process *p;

	ck_assert_str_eq(r->bug_type, "298");
	ck_assert_str_eq(r->product, "iPhone12,1");
	ck_assert_str_eq(r->os_version, "iPhone OS 14.2 (18B5061e)");
	ck_assert_str_eq(r->incident_id,
			 "B04A36B1-19EC-4895-B203-6AE21BE52B02");
	ck_assert_int_eq(r->nprocesses, 442);
	ck_assert_int_eq(r->page_size_bytes, 16384);
	ck_assert_ptr_null(r->page_size_warning);
	ck_assert_int_eq(r->nkills, 2);
	p = kill_process(r, 0);
	ck_assert_str_eq(p->name, "wifianalyticsd");
	ck_assert_int_eq(p->pid, 2527);
	ck_assert_int_eq(p->rpages, 382);
	ck_assert_int_eq(r->kills[0].footprint_bytes, 382 * 16384);
	ck_assert_int_eq(r->kills[0].class_, JT_KILL_PRESSURE);
	p = kill_process(r, 1);
	ck_assert_str_eq(p->name, "dasd");
	ck_assert_int_eq(p->rpages, 456);
	/* The largest process is not the victim. */
	ck_assert_str_eq(r->largest_process, "AppStore");
	jt_report_free(r);
}
END_TEST

START_TEST(reason_before_name_is_pinned_on_its_own_process)
{
	/* iOS 10.1.1: SpringBoard's "reason" comes before its "name". */
	struct jt_report *r =
		must_load(CORPUS "iPhone7-2_iOS10.1.1_CED7B1F4.ips");
	const struct jt_process *p;

	ck_assert_int_eq(r->nkills, 1);
	p = kill_process(r, 0);
	ck_assert_str_eq(p->name, "SpringBoard");
	ck_assert_int_eq(p->pid, 22873);
	ck_assert_int_eq(p->rpages, 61443);
	/* lifetimeMax below rpages is real, not an error. */
	ck_assert_int_eq(p->lifetime_max_pages, 24516);
	ck_assert_int_eq(p->nstates, 0);
	ck_assert_int_eq(r->page_size_bytes, 4096);
	ck_assert_int_eq(r->kills[0].footprint_bytes, 61443LL * 4096);
	jt_report_free(r);
}
END_TEST

START_TEST(vnode_limit_is_kept_verbatim_as_other)
{
	struct jt_report *r =
		must_load(CORPUS "iPhone7-2_iOS11.3.1_546BD956.ips");

	ck_assert_int_eq(r->nkills, 1);
	ck_assert_str_eq(kill_process(r, 0)->reason, "vnode-limit");
	ck_assert_int_eq(r->kills[0].class_, JT_KILL_OTHER);
	ck_assert_ptr_nonnull(strstr(r->kernel, "RELEASE_ARM64_T7000 Hacked"));
	jt_report_free(r);
}
END_TEST

START_TEST(scanner_agrees_with_jansson_on_complete_reports)
{
	static const char *const files[] = {
		CORPUS "iPhone12-1_iOS14.2_B04A36B1.ips",
		CORPUS "iPhone7-2_iOS10.1.1_CED7B1F4.ips",
		CORPUS "iPhone7-2_iOS11.3.1_546BD956.ips",
		FIX "iPhone14-7_iOS18.5_limit-kill_csflags.ips",
		FIX "iPhone11-6_iOS12.4_63-kills.ips",
	};
	size_t f;

	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char *buf;
		size_t len, i;
		struct jt_error err;
		json_error_t je;
		json_t *body, *procs;
		struct jt_report *r = must_load(files[f]);
		const char *nl;

		jt_error_init(&err);
		ck_assert_int_eq(
			jt_read_file(files[f], 1 << 24, &buf, &len, &err), 0);
		nl = strchr(buf, '\n');
		body = json_loads(nl + 1, 0, &je);
		ck_assert_msg(body != NULL, "%s: %s", files[f], je.text);
		ck_assert_str_eq(
			json_string_value(json_object_get(body, "product")),
			r->product);
		procs = json_object_get(body, "processes");
		ck_assert_int_eq(json_array_size(procs), r->nprocesses);
		for (i = 0; i < r->nprocesses; i++) {
			json_t *p = json_array_get(procs, i);
			const struct jt_process *q = &r->processes[i];
			json_t *reason = json_object_get(p, "reason");
			json_t *cs = json_object_get(p, "csFlags");

			ck_assert_int_eq(
				json_integer_value(json_object_get(p, "pid")),
				q->pid);
			ck_assert_int_eq(json_integer_value(
						 json_object_get(p, "rpages")),
					 q->rpages);
			ck_assert_str_eq(
				json_string_value(json_object_get(p, "name")),
				q->name);
			ck_assert_int_eq(
				json_array_size(json_object_get(p, "states")),
				q->nstates);
			if (reason)
				ck_assert_str_eq(json_string_value(reason),
						 q->reason);
			else
				ck_assert_ptr_null(q->reason);
			if (cs)
				ck_assert_int_eq(json_integer_value(cs),
						 q->cs_flags);
		}
		json_decref(body);
		free(buf);
		jt_report_free(r);
	}
}
END_TEST

START_TEST(ios7_text_lists_four_vm_pageshortage_kills_in_4k_pages)
{
	struct jt_report *r = must_load(
		CORPUS "iPad2-5_iOS7.0.4_7BC7B59F_lowmemory-text.ips");
	const struct jt_process *p;

	ck_assert_int_eq(r->format, JT_REPORT_TEXT);
	ck_assert_str_eq(r->product, "iPad2,5");
	ck_assert_int_eq(r->page_size_stated, -1);
	ck_assert_int_eq(r->page_size_bytes, 4096);
	ck_assert_ptr_nonnull(strstr(r->page_size_warning, "no pageSize"));
	ck_assert_int_eq(r->nkills, 4);
	p = kill_process(r, 3);
	ck_assert_str_eq(p->name, "KKBOX");
	ck_assert_int_eq(p->rpages, 22810);
	ck_assert_int_eq(p->frontmost, 1);
	ck_assert_str_eq(p->uuid, "8367b00614e735f5861044b98c96cd1c");
	ck_assert_int_eq(r->kills[3].footprint_bytes, 22810LL * 4096);
	ck_assert_str_eq(r->largest_process, "mediaserverd");
	jt_report_free(r);
}
END_TEST

START_TEST(crlf_text_reads_like_the_lf_original)
{
	struct jt_report *a = must_load(
		CORPUS "iPad2-5_iOS7.0.4_7BC7B59F_lowmemory-text.ips");
	struct jt_report *b =
		must_load(FIX "iPad2-5_iOS7.0.4_crlf_lowmemory-text.txt");
	size_t i;

	ck_assert_int_eq(a->nprocesses, b->nprocesses);
	for (i = 0; i < a->nprocesses; i++) {
		ck_assert_str_eq(a->processes[i].name, b->processes[i].name);
		ck_assert_int_eq(a->processes[i].rpages,
				 b->processes[i].rpages);
	}
	ck_assert_str_eq(a->build, b->build);
	jt_report_free(a);
	jt_report_free(b);
}
END_TEST

/* ---- page size ------------------------------------------------------------
 */

START_TEST(ios8_a7_stated_16384_over_4k_counts_uses_4096_and_warns)
{
	struct jt_error err;
	struct jt_report *r =
		load(FIX "iPhone6-1_iOS8.3_A7_pagesize16384_lowmemory-text.ips",
		     &err);

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->page_size_stated, 16384);
	ck_assert_int_eq(r->page_size_bytes, 4096);
	ck_assert_ptr_nonnull(strstr(r->page_size_warning,
				     "pageSize 16384 disagrees with RAM"));
	ck_assert_int_eq(kill_process(r, 0)->rpages, 4255);
	ck_assert_int_eq(r->kills[0].footprint_bytes, 4255LL * 4096);
	jt_report_free(r);
}
END_TEST

START_TEST(missing_page_size_is_decided_by_the_ram_check)
{
	struct jt_report *r =
		must_load(FIX "iPhone7-2_iOS10.2_no-pagesize.ips");

	ck_assert_int_eq(r->page_size_stated, -1);
	ck_assert_int_eq(r->page_size_bytes, 4096);
	ck_assert_ptr_nonnull(
		strstr(r->page_size_warning, "fit 4096-byte pages"));
	jt_report_free(r);
}
END_TEST

START_TEST(unknown_model_is_named_in_the_warning)
{
	/* The Watch fixture, its product renamed to one no table has. */
	const char *path = FIX "Watch4-2_watchOS7.0.1_complete.ips";
	struct jt_error err;
	struct jt_report *r;
	char *buf, *at;
	size_t len;

	jt_error_init(&err);
	ck_assert_int_eq(jt_read_file(path, 1 << 24, &buf, &len, &err), 0);
	at = strstr(buf, "\"Watch4,2\"");
	ck_assert_ptr_nonnull(at);
	memcpy(at, "\"Watch9,9\"", 10);
	r = jt_report_parse(buf, len, path, models, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->page_size_bytes, 16384);
	ck_assert_int_eq(r->ram_bytes, -1);
	ck_assert_ptr_nonnull(
		strstr(r->page_size_warning, "unknown model Watch9,9"));
	jt_report_free(r);
	free(buf);
}
END_TEST

START_TEST(a_known_watch_is_checked_against_its_ram)
{
	struct jt_report *r =
		must_load(FIX "Watch4-2_watchOS7.0.1_complete.ips");

	ck_assert_int_eq(r->page_size_bytes, 16384);
	ck_assert_int_eq(r->ram_bytes, 1024LL * 1024 * 1024);
	ck_assert_ptr_null(r->page_size_warning);
	jt_report_free(r);
}
END_TEST

START_TEST(without_a_device_table_the_check_is_said_to_be_skipped)
{
	char *buf;
	size_t len;
	struct jt_error err;
	struct jt_report *r;
	const char *path = CORPUS "iPhone7-2_iOS11.3.1_546BD956.ips";

	jt_error_init(&err);
	ck_assert_int_eq(jt_read_file(path, 1 << 24, &buf, &len, &err), 0);
	r = jt_report_parse(buf, len, path, NULL, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->page_size_bytes, 4096);
	ck_assert_ptr_nonnull(strstr(r->page_size_warning, "no device table"));
	jt_report_free(r);
	free(buf);
}
END_TEST

START_TEST(pages_to_bytes_refuses_unknowns_and_overflow)
{
	ck_assert_int_eq(jt_pages_to_bytes(10, 16384), 163840);
	ck_assert_int_eq(jt_pages_to_bytes(-1, 16384), -1);
	ck_assert_int_eq(jt_pages_to_bytes(10, -1), -1);
	ck_assert_int_eq(jt_pages_to_bytes(INT64_MAX / 4096 + 1, 4096), -1);
}
END_TEST

/* ---- plausibility -------------------------------------------------------- */

/*
 * with_value - the real-report fixture with the first "key" : value
 * replaced by value, parsed; *err gets the outcome.
 */
static struct jt_report *
with_value(const char *key, const char *value, struct jt_error *err)
{
	char *buf, *out, *at, *eol, pat[64];
	size_t len;
	struct jt_report *r;

	jt_error_init(err);
	ck_assert_int_eq(jt_read_file(FIX "iPhone12-1_iOS14.2_limit-kills-by-"
					  "state.ips",
				      1 << 24, &buf, &len, err),
			 0);
	snprintf(pat, sizeof(pat), "\"%s\" : ", key);
	at = strstr(buf, pat);
	ck_assert_ptr_nonnull(at);
	at += strlen(pat);
	eol = at + strcspn(at, ",\n");
	out = malloc(len + strlen(value) + 1);
	ck_assert_ptr_nonnull(out);
	sprintf(out, "%.*s%s%s", (int)(at - buf), buf, value, eol);
	r = jt_report_parse(out, strlen(out), "fixture", models, err);
	free(out);
	free(buf);
	return r;
}

START_TEST(page_sizes_that_are_not_page_sizes_are_named_and_implausible)
{
	/* Whole numbers that cannot be a page size: read, then refused. */
	static const char *const bad[] = {"0",
					  "1",
					  "3",
					  "2048",
					  "24576",
					  "131072",
					  "1099511627776",
					  "4611686018427387904"};
	/* Not whole numbers from 0 to 2^63-1: also noted with position. */
	static const char *const wrong[] = {"-16384", "\"16384\"", "16384.0",
					    "9223372036854775808", "true"};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jt_error err;
		struct jt_report *r = with_value("pageSize", bad[i], &err);
		char want[128];

		ck_assert_ptr_nonnull(r);
		ck_assert_msg(!jt_error_isset(&err), "%s", err.text);
		snprintf(want, sizeof(want), "pageSize %s is not a page size",
			 bad[i]);
		ck_assert_msg(strstr(r->page_size_warning, want) != NULL,
			      "%s: %s", bad[i], r->page_size_warning);
		ck_assert_ptr_null(strstr(r->page_size_warning, "no pageSize"));
		ck_assert_ptr_nonnull(r->implausible);
		ck_assert_ptr_nonnull(strstr(r->implausible, want));
		/* The RAM check still finds the unit the counts use. */
		ck_assert_int_eq(r->page_size_bytes, 16384);
		jt_report_free(r);
	}
	for (i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		struct jt_error err;
		struct jt_report *r = with_value("pageSize", wrong[i], &err);
		char want[128];

		ck_assert_ptr_nonnull(r);
		ck_assert_int_eq(r->partial, 1);
		ck_assert_int_eq(err.line, 17);
		ck_assert_int_eq(err.column, 16);
		snprintf(want, sizeof(want),
			 "\"pageSize\" in memoryStatus, found %s", wrong[i]);
		ck_assert_msg(strstr(err.text, want) != NULL, "%s", err.text);
		snprintf(want, sizeof(want), "pageSize %s is not a page size",
			 wrong[i]);
		ck_assert_msg(strstr(r->page_size_warning, want) != NULL, "%s",
			      r->page_size_warning);
		ck_assert_ptr_nonnull(r->implausible);
		jt_report_free(r);
	}
}
END_TEST

START_TEST(real_page_sizes_are_not_implausible)
{
	struct jt_error err;
	struct jt_report *r = with_value("pageSize", "4096", &err);

	/* 4 KiB is a page size; it just does not fit this phone's counts. */
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_null(r->implausible);
	ck_assert_ptr_nonnull(strstr(r->page_size_warning,
				     "pageSize 4096 disagrees with RAM"));
	ck_assert_int_eq(r->page_size_bytes, 16384);
	jt_report_free(r);
	r = must_load(FIX "iPhone12-1_iOS14.2_limit-kills-by-state.ips");
	ck_assert_ptr_null(r->implausible);
	ck_assert_ptr_null(r->page_size_warning);
	jt_report_free(r);
}
END_TEST

START_TEST(footprint_above_the_ram_is_implausible)
{
	struct jt_report *r =
		must_load(FIX "iPhone12-1_iOS14.2_rpages-above-ram.ips");
	struct jt_error err;
	char *buf;
	size_t len;

	ck_assert_ptr_nonnull(r->implausible);
	ck_assert_str_eq(r->implausible,
			 "rpages 100000000 of 'app' (pid 2609) x 16384 = "
			 "1525.88 GiB is more than the 4.00 GiB RAM of "
			 "iPhone12,1");
	/* The kill is still listed, with its size. */
	ck_assert_int_eq(kill_process(r, 0)->rpages, 100000000);
	ck_assert_int_eq(r->kills[0].footprint_bytes, 100000000LL * 16384);
	jt_report_free(r);
	/* A lifetime peak above the RAM is as impossible. */
	r = with_value("lifetimeMax", "300000", &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_nonnull(strstr(r->implausible, "lifetimeMax 300000 of"));
	jt_report_free(r);
	/* Without a device table there is no RAM to compare with. */
	ck_assert_int_eq(jt_read_file(FIX "iPhone12-1_iOS14.2_rpages-above-"
					  "ram.ips",
				      1 << 24, &buf, &len, &err),
			 0);
	r = jt_report_parse(buf, len, "fixture", NULL, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_null(r->implausible);
	jt_report_free(r);
	free(buf);
}
END_TEST

START_TEST(counts_of_the_wrong_type_are_noted_with_position)
{
	static const char *const wrong[] = {
		"-5",     "\"1037\"", "1.5e3", "9223372036854775808",
		"1037.0", "null",     "false", "{}",
		"[1037]",
	};
	static const char *const found[] = {
		"-5",       "\"1037\"", "1.5e3", "9223372036854775808",
		"1037.0",   "null",     "false", "an object",
		"an array",
	};
	struct jt_error err;
	struct jt_report *r =
		load(FIX "iPhone12-1_iOS14.2_rpages-wrong-types.ips", &err);
	size_t i;

	/* Four wrong rpages: the first is named; all four are absent. */
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(err.code, JT_EPARSE);
	ck_assert_int_eq(err.line, 47);
	ck_assert_int_eq(err.column, 16);
	ck_assert_str_eq(err.text,
			 "expected a whole number from 0 to 2^63-1 for "
			 "\"rpages\" in processes, found -5");
	ck_assert_int_eq(r->partial, 1);
	ck_assert_int_eq(r->nprocesses, 6);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(r->processes[i].rpages, -1);
	ck_assert_int_eq(r->processes[4].rpages, 7494);
	ck_assert_int_eq(r->kills[0].footprint_bytes, -1);
	jt_report_free(r);
	for (i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		char want[96];

		r = with_value("rpages", wrong[i], &err);
		ck_assert_ptr_nonnull(r);
		snprintf(want, sizeof(want),
			 "\"rpages\" in processes, found %s", found[i]);
		ck_assert_msg(strstr(err.text, want) != NULL, "%s", err.text);
		ck_assert_int_eq(err.line, 47);
		ck_assert_int_eq(r->processes[0].rpages, -1);
		ck_assert_int_eq(r->partial, 1);
		jt_report_free(r);
	}
}
END_TEST

/* ---- kills ------------------------------------------------------------------
 */

/* kill_class_of - the class of the kill of the process named name. */
static enum jt_kill_class
kill_class_of(const struct jt_report *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nkills; i++)
		if (strcmp(kill_process(r, i)->name, name) == 0)
			return r->kills[i].class_;
	ck_abort_msg("no kill of %s", name);
	return JT_KILL_OTHER;
}

START_TEST(limit_kills_are_named_for_the_state_the_report_gives)
{
	/* Real iOS 14.2 processes, given per-process-limit kills. */
	struct jt_report *r =
		must_load(FIX "iPhone12-1_iOS14.2_limit-kills-by-state.ips");
	struct jt_report *ios18 =
		must_load(FIX "iPhone14-7_iOS18.5_limit-kill_csflags.ips");
	struct jt_report *ios12 =
		must_load(FIX "iPhone11-6_iOS12.4_63-kills.ips");
	struct jt_error err;
	struct jt_report *text =
		load(FIX "iPhone6-1_iOS8.3_A7_pagesize16384_lowmemory-text.ips",
		     &err);

	ck_assert_int_eq(r->nkills, 4);
	ck_assert_int_eq(kill_class_of(r, "app"), JT_KILL_LIMIT);
	ck_assert_int_eq(kill_class_of(r, "AppStore"),
			 JT_KILL_BACKGROUND_LIMIT); /* suspended */
	ck_assert_int_eq(kill_class_of(r, "backboardd"), JT_KILL_DAEMON_LIMIT);
	/* No states at all (SpringBoard on iOS <= 12.4): not a daemon. */
	ck_assert_int_eq(kill_class_of(r, "SpringBoard"),
			 JT_KILL_BACKGROUND_LIMIT);
	ck_assert_int_eq(kill_class_of(ios18, "MemoryProbe"), JT_KILL_LIMIT);
	ck_assert_int_eq(ios18->kills[0].footprint_bytes, 187500LL * 16384);
	ck_assert_int_eq(kill_class_of(ios18, "fileproviderd"),
			 JT_KILL_DAEMON_LIMIT);
	ck_assert_int_eq(ios18->kills[1].footprint_bytes, 808 * 16384);
	ck_assert_int_eq(kill_class_of(ios12, "backboardd"),
			 JT_KILL_DAEMON_LIMIT);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(kill_class_of(text, "Web Content Proc"),
			 JT_KILL_BACKGROUND_LIMIT); /* (background) */
	ck_assert_int_eq(kill_class_of(text, "MobileSafari"), JT_KILL_LIMIT);
	ck_assert_str_eq(jt_kill_class_name(JT_KILL_LIMIT), "frontmost-limit");
	ck_assert_str_eq(jt_kill_class_name(JT_KILL_DAEMON_LIMIT),
			 "daemon-limit");
	ck_assert_str_eq(jt_kill_class_name(JT_KILL_BACKGROUND_LIMIT),
			 "background-limit");
	jt_report_free(r);
	jt_report_free(ios18);
	jt_report_free(ios12);
	jt_report_free(text);
}
END_TEST

START_TEST(ios18_fields_fit_64_bits_and_keep_the_colon_key)
{
	struct jt_report *r =
		must_load(FIX "iPhone14-7_iOS18.5_limit-kill_csflags.ips");
	const struct jt_process *app = find_pid(r, 4321), *w = find_pid(r, 600),
				*kt = find_pid(r, 0), *fp = find_pid(r, 555);

	ck_assert_ptr_nonnull(app);
	ck_assert_int_eq(app->cs_flags, 2717920009LL);
	ck_assert_int_eq(app->age_ticks, 120000000000000LL);
	ck_assert_str_eq(app->freeze_skip_reason, "none");
	ck_assert_int_eq(app->priority, 100);
	ck_assert_int_eq(app->physical_internal_pages[1], 180000);
	ck_assert_int_eq(fp->cs_trust_level, 4294967295LL);
	ck_assert_str_eq(w->freeze_skip_reason, "out-of-budget");
	ck_assert_int_eq(w->frozen_to_swap_pages, 1500);
	ck_assert_int_eq(kt->physical_internal_pages[0], -1);
	ck_assert_str_eq(kt->uuid, "00000000-0000-0000-0000-000000000000");
	ck_assert_str_eq(r->body_bug_type, "298");
	ck_assert_str_eq(r->kernel + strlen(r->kernel) - 22,
			 "~1/RELEASE_ARM64_T8110");
	jt_report_free(r);
}
END_TEST

START_TEST(ios12_report_lists_all_63_kills)
{
	struct jt_report *r = must_load(FIX "iPhone11-6_iOS12.4_63-kills.ips");
	size_t i, thrash = 0, shortage = 0, limit = 0;

	ck_assert_int_eq(r->nkills, 63);
	for (i = 0; i < r->nkills; i++) {
		const char *reason = kill_process(r, i)->reason;

		thrash += strcmp(reason, "proc-thrashing") == 0;
		shortage += strcmp(reason, "vm-pageshortage") == 0;
		limit += strcmp(reason, "per-process-limit") == 0;
	}
	ck_assert_int_eq(thrash, 59);
	ck_assert_int_eq(shortage, 3);
	ck_assert_int_eq(limit, 1);
	ck_assert_str_eq(kill_process(r, 62)->name, "backboardd");
	ck_assert_int_eq(r->kills[62].footprint_bytes, 131282LL * 16384);
	jt_report_free(r);
}
END_TEST

START_TEST(kill_marker_without_reason_and_unknown_reasons_are_other)
{
	struct jt_report *r = must_load(FIX "iPhone10-1_iOS11.4.1_crlf.ips");

	ck_assert_int_eq(r->nkills, 4);
	ck_assert_str_eq(kill_process(r, 0)->name, "MemoryTest");
	ck_assert_int_eq(r->kills[0].class_, JT_KILL_LIMIT);
	ck_assert_int_eq(r->kills[0].footprint_bytes, 89600LL * 16384);
	ck_assert_ptr_null(kill_process(r, 1)->reason);
	ck_assert_int_eq(r->kills[1].class_, JT_KILL_OTHER);
	ck_assert_int_eq(r->kills[1].reason_missing, 1);
	ck_assert_int_eq(r->kills[0].reason_missing, 0);
	ck_assert_str_eq(kill_process(r, 3)->reason, "some-future-reason");
	ck_assert_int_eq(r->kills[3].class_, JT_KILL_OTHER);
	jt_report_free(r);
}
END_TEST

START_TEST(pressure_reasons_in_real_reports_are_pressure)
{
	/* Every reason of these reports, as the reports give them. */
	static const struct {
		const char *path;
		size_t kills, pressure, other;
	} want[] = {
		{FIX "iPhone11-6_iOS12.4_63-kills.ips", 63, 62, 0},
		{CORPUS "iPhone12-1_iOS14.2_B04A36B1.ips", 2, 2, 0},
		{CORPUS "iPhone7-2_iOS10.1.1_CED7B1F4.ips", 1, 1, 0},
		{CORPUS "iPhone7-2_iOS11.3.1_546BD956.ips", 1, 0, 1},
		{CORPUS "iPad2-5_iOS7.0.4_7BC7B59F_lowmemory-text.ips", 4, 4,
		 0},
	};
	size_t f, i;

	for (f = 0; f < sizeof(want) / sizeof(want[0]); f++) {
		struct jt_report *r = must_load(want[f].path);
		size_t pressure = 0, other = 0;

		ck_assert_uint_eq(r->nkills, want[f].kills);
		for (i = 0; i < r->nkills; i++) {
			pressure += r->kills[i].class_ == JT_KILL_PRESSURE;
			other += r->kills[i].class_ == JT_KILL_OTHER;
		}
		ck_assert_msg(pressure == want[f].pressure &&
				      other == want[f].other,
			      "%s: %zu pressure, %zu other", want[f].path,
			      pressure, other);
		jt_report_free(r);
	}
}
END_TEST

START_TEST(os_number_is_found_in_every_os_family)
{
	char buf[32];

	ck_assert_str_eq(jt_report_os_number("iPhone OS 14.2 (18B5061e)", buf,
					     sizeof(buf)),
			 "14.2");
	ck_assert_str_eq(jt_report_os_number("Watch OS 7.0.1 (18R395)", buf,
					     sizeof(buf)),
			 "7.0.1");
	ck_assert_str_eq(jt_report_os_number("Apple TVOS 18.6 (22M84)", buf,
					     sizeof(buf)),
			 "18.6");
	ck_assert_ptr_null(jt_report_os_number("no digits", buf, sizeof(buf)));
	ck_assert_ptr_null(jt_report_os_number(NULL, buf, sizeof(buf)));
	ck_assert_ptr_null(jt_report_os_number("iOS 14.2", buf, 3));
}
END_TEST

START_TEST(text_names_with_spaces_are_read_from_the_uuid_token)
{
	struct jt_error err;
	struct jt_report *r =
		load(FIX "iPhone6-1_iOS8.3_A7_pagesize16384_lowmemory-text.ips",
		     &err);
	const struct jt_process *p;

	ck_assert_ptr_nonnull(r);
	p = kill_process(r, 0);
	ck_assert_str_eq(p->name, "WatchKit Catalog WatchKit Extension");
	ck_assert_int_eq(p->lifetime_max_pages, 5597);
	ck_assert_int_eq(p->recent_max_pages, -1);
	ck_assert_int_eq(p->fds, 50);
	ck_assert_int_eq(r->kills[0].class_, JT_KILL_LIMIT);
	ck_assert_str_eq(kill_process(r, 2)->name, "Web Content Proc");
	ck_assert_int_eq(r->kills[2].class_, JT_KILL_BACKGROUND_LIMIT);
	/* Apple's own "..." cut makes it partial, with the line. */
	ck_assert_int_eq(r->partial, 1);
	ck_assert_int_eq(err.code, JT_EPARSE);
	ck_assert_int_eq(err.line, 32);
	jt_report_free(r);
}
END_TEST

START_TEST(bug_type_198_header_leads_into_text)
{
	struct jt_report *r = must_load(
		FIX "iPhone4-1_iOS8.4_bugtype198-header_lowmemory-text.crash");

	ck_assert_str_eq(r->bug_type, "198");
	ck_assert_int_eq(r->format, JT_REPORT_TEXT);
	ck_assert_str_eq(r->os_version, "iPhone OS 8.4 (12H143)");
	ck_assert_int_eq(r->nkills, 1);
	ck_assert_ptr_nonnull(strstr(r->page_size_warning, "iPhone4,1"));
	jt_report_free(r);
}
END_TEST

/* ---- damage
 * ------------------------------------------------------------------ */

START_TEST(truncated_report_is_an_error_with_position_and_partial_processes)
{
	struct jt_error err;
	struct jt_report *r =
		load(FIX "iPhone7-2_iOS10.1.1_cut-mid-processes.ips", &err);

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->partial, 1);
	ck_assert_int_eq(err.code, JT_ETRUNCATED);
	ck_assert_int_eq(err.line, 2018);
	ck_assert_int_eq(err.column, 15);
	ck_assert_str_eq(err.source,
			 FIX "iPhone7-2_iOS10.1.1_cut-mid-processes.ips");
	/* Every complete process before the cut, none after. */
	ck_assert_int_eq(r->nprocesses, 120);
	ck_assert_int_eq(r->nkills, 0);
	ck_assert_int_eq(r->page_size_bytes, 4096);
	jt_report_free(r);
}
END_TEST

START_TEST(head_truncated_copy_keeps_product_and_page_size)
{
	struct jt_error err;
	struct jt_report *r = load(
		CORPUS "iPhone12-1_iOS14.2_4DF3BC0E_head-truncated.ips", &err);

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(err.code, JT_ETRUNCATED);
	ck_assert_int_eq(err.line, 22);
	ck_assert_int_eq(r->partial, 1);
	ck_assert_ptr_null(r->timestamp);
	ck_assert_str_eq(r->product, "iPhone12,1");
	ck_assert_str_eq(r->os_version, "iPhone OS 14.2 (18B5061e)");
	ck_assert_int_eq(r->page_size_bytes, 16384);
	ck_assert_ptr_nonnull(strstr(r->page_size_warning, "incomplete"));
	jt_report_free(r);
}
END_TEST

START_TEST(elided_copy_recovers_product_build_page_size_and_kill)
{
	struct jt_error err;
	struct jt_report *r =
		load(CORPUS "iPhone8-1_iOS9.3_A2B3C5FF_elided.ips", &err);
	const struct jt_process *p;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(err.code, JT_EPARSE);
	ck_assert_int_eq(err.line, 31);
	ck_assert_int_eq(r->format, JT_REPORT_ELIDED);
	ck_assert_int_eq(r->partial, 1);
	ck_assert_str_eq(r->product, "iPhone8,1");
	ck_assert_str_eq(r->build, "iPhone OS 9.3 (13E234)");
	ck_assert_str_eq(r->timestamp, "2016-04-15 23:52:13.13 +0200");
	ck_assert_int_eq(r->page_size_bytes, 16384);
	ck_assert_int_eq(r->nkills, 1);
	p = kill_process(r, 0);
	ck_assert_str_eq(p->name, "KodiMusicRemoteP");
	ck_assert_str_eq(p->reason, "vm-thrashing");
	ck_assert_int_eq(p->rpages, 2050);
	ck_assert_int_eq(p->frontmost, 1);
	ck_assert_int_eq(r->kills[0].footprint_bytes, 2050 * 16384);
	jt_report_free(r);
}
END_TEST

START_TEST(hard_wrapped_copy_is_recovered_by_line_scan)
{
	struct jt_error err;
	struct jt_report *r =
		load(FIX "iPhone7-2_iOS11.3.1_hard-wrapped.ips", &err);

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(err.line, 1);
	ck_assert_ptr_nonnull(strstr(err.text, "line break inside a string"));
	ck_assert_int_eq(r->format, JT_REPORT_ELIDED);
	ck_assert_str_eq(r->timestamp, "2018-12-29 01:16:22.69 +0100");
	ck_assert_int_eq(r->nprocesses, 124);
	ck_assert_str_eq(kill_process(r, 0)->name, "vmd");
	jt_report_free(r);
}
END_TEST

START_TEST(report_pasted_after_prose_is_found_by_content)
{
	struct jt_report *r =
		must_load(FIX "iPhone7-2_iOS10.1.1_pasted-in-ticket.txt");

	ck_assert_int_eq(r->partial, 0);
	ck_assert_int_eq(r->nkills, 1);
	ck_assert_str_eq(kill_process(r, 0)->name, "SpringBoard");
	jt_report_free(r);
}
END_TEST

START_TEST(header_only_is_a_truncation_error)
{
	struct jt_error err;
	struct jt_report *r =
		load(FIX "iPhone7-2_iOS10.1.1_header-only.ips", &err);

	ck_assert_ptr_null(r);
	ck_assert_int_eq(err.code, JT_ETRUNCATED);
	ck_assert_int_eq(err.line, 2);
	ck_assert_str_eq(err.text, "report ends after its header");
}
END_TEST

START_TEST(analytics_and_stackshot_reports_are_not_jetsam)
{
	struct jt_error err;

	ck_assert_ptr_null(load("tests/corpus/negative/"
				"NEGATIVE_bugtype211-analytics_iOS13.2.2_"
				"62699DAF.ips",
				&err));
	ck_assert_int_eq(err.code, JT_ENOTJETSAM);
	ck_assert_str_eq(err.text, "not a JetsamEvent report (bug_type 211)");
	ck_assert_ptr_null(load("tests/corpus/negative/"
				"NEGATIVE_stackshot-0xdeaffeed_watchOS7.0.2_"
				"0A1849E0_head-truncated.ips",
				&err));
	ck_assert_int_eq(err.code, JT_ENOTJETSAM);
	ck_assert_ptr_nonnull(strstr(err.text, "stackshot"));
	ck_assert_ptr_null(load(FIX "bad_crash-report.txt", &err));
	ck_assert_int_eq(err.code, JT_ENOTJETSAM);
}
END_TEST

START_TEST(bad_input_gives_one_clear_error_each)
{
	static const struct {
		const char *file;
		enum jt_error_code code;
		const char *text;
		int partial;
	} cases[] = {
		{"bad_empty.ips", JT_EPARSE, "empty file", 0},
		{"bad_blank.ips", JT_EPARSE, "empty file (blank space only)",
		 0},
		{"bad_binary.ips", JT_EPARSE, "binary data", 0},
		{"bad_plain-text.txt", JT_ENOTJETSAM, "not a JetsamEvent", 0},
		{"bad_invalid-utf8.ips", JT_EPARSE, "invalid UTF-8", 1},
		{"bad_deeply-nested.ips", JT_EPARSE, "nested deeper than 64",
		 1},
		{"bad_trailing-garbage.ips", JT_EPARSE, "unexpected data", 1},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[256];
		struct jt_error err;
		struct jt_report *r;

		snprintf(path, sizeof(path), FIX "%s", cases[i].file);
		r = load(path, &err);
		ck_assert_msg(err.code == cases[i].code, "%s: code %d",
			      cases[i].file, err.code);
		ck_assert_msg(strstr(err.text, cases[i].text) != NULL,
			      "%s: '%s'", cases[i].file, err.text);
		ck_assert_str_eq(err.source, path);
		ck_assert_ptr_null(strchr(err.text, '\n'));
		ck_assert_int_eq(r != NULL, cases[i].partial);
		if (r)
			ck_assert_int_eq(r->partial, 1);
		jt_report_free(r);
	}
}
END_TEST

START_TEST(two_gigabyte_file_is_refused_without_reading_it)
{
	char path[] = "/tmp/jt_check_report_XXXXXX";
	int fd = mkstemp(path);
	struct jt_error err;

	ck_assert_int_ge(fd, 0);
	/* Sparse: no disk used, and a read would take seconds. */
	ck_assert_int_eq(ftruncate(fd, (off_t)2 * 1024 * 1024 * 1024), 0);
	close(fd);
	ck_assert_ptr_null(load(path, &err));
	ck_assert_int_eq(err.code, JT_ELIMIT);
	ck_assert_str_eq(err.source, path);
	unlink(path);
}
END_TEST

START_TEST(missing_and_unreadable_files_are_io_errors)
{
	struct jt_error err;

	ck_assert_ptr_null(load("tests/no/such/report.ips", &err));
	ck_assert_int_eq(err.code, JT_EIO);
	ck_assert_int_eq(err.errnum, ENOENT);
	ck_assert_ptr_null(load("tests/corpus", &err));
	ck_assert_int_eq(err.code, JT_EIO);
	if (geteuid() != 0) {
		char path[] = "/tmp/jt_check_report_XXXXXX";
		int fd = mkstemp(path);

		ck_assert_int_ge(fd, 0);
		close(fd);
		chmod(path, 0);
		ck_assert_ptr_null(load(path, &err));
		ck_assert_int_eq(err.errnum, EACCES);
		unlink(path);
	}
}
END_TEST

START_TEST(report_with_10000_processes_is_read_whole)
{
	size_t cap = 10000 * 200 + 4096, len = 0, i;
	char *buf = malloc(cap);
	struct jt_error err;
	struct jt_report *r;

	ck_assert_ptr_nonnull(buf);
	len += (size_t)snprintf(
		buf + len, cap - len,
		"{\"bug_type\":\"298\",\"os_version\":\"macOS 26.5 (25F71)\","
		"\"incident_id\":\"10000000-0000-4000-8000-000000010000\"}\n"
		"{\n  \"product\" : \"iPhone14,7\",\n  \"memoryStatus\" : {\n"
		"  \"pageSize\" : 16384,\n  \"memoryPages\" : {\n"
		"    \"active\" : 200000,\n    \"inactive\" : 100000,\n"
		"    \"free\" : 20000,\n    \"wired\" : 40000\n  }\n},\n"
		"  \"processes\" : [\n");
	for (i = 0; i < 10000; i++)
		len += (size_t)snprintf(
			buf + len, cap - len,
			"%s  {\n    \"rpages\" : %zu,\n%s    \"pid\" : %zu,\n"
			"    \"states\" : [\n      \"%s\"\n    ],\n"
			"    \"name\" : \"proc%zu\"\n  }",
			i ? ",\n" : "", i + 1,
			i % 100 == 0 ? "    \"reason\" : \"vm-pageshortage\",\n"
				     : "",
			i + 100, i % 2 ? "daemon" : "suspended", i);
	len += (size_t)snprintf(buf + len, cap - len, "\n]\n}\n");
	jt_error_init(&err);
	r = jt_report_parse(buf, len, "generated", models, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert(!jt_error_isset(&err));
	ck_assert_int_eq(r->nprocesses, 10000);
	ck_assert_int_eq(r->nkills, 100);
	ck_assert_int_eq(r->processes[9999].pid, 10099);
	ck_assert_str_eq(r->processes[9999].name, "proc9999");
	ck_assert_int_eq(r->kills[99].footprint_bytes, 9901LL * 16384);
	jt_report_free(r);
	free(buf);
}
END_TEST

START_TEST(escapes_and_utf8_are_decoded)
{
	static const char doc[] =
		"{\"bug_type\":\"298\"}\n{\"product\":\"iPhone12,1\","
		"\"processes\":[{\"pid\":1,\"name\":\"caf\\u00e9 \\ud83d\\ude00"
		" \\\"q\\\" \\u0000\",\"reason\":\"x\\/y\",\"rpages\":-3},"
		"{\"pid\":2,\"name\":\"\xe6\x97\xa5\xe6\x9c\xac\"}]}";
	struct jt_error err;
	struct jt_report *r;

	jt_error_init(&err);
	r = jt_report_parse(doc, sizeof(doc) - 1, "inline", models, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->processes[0].name,
			 "caf\xc3\xa9 \xf0\x9f\x98\x80 \"q\" \xef\xbf\xbd");
	ck_assert_str_eq(r->processes[0].reason, "x/y");
	/* A negative count is not taken: noted, left absent. */
	ck_assert_int_eq(r->processes[0].rpages, -1);
	ck_assert_int_eq(r->kills[0].footprint_bytes, -1);
	ck_assert_int_eq(r->partial, 1);
	ck_assert_ptr_nonnull(
		strstr(err.text, "\"rpages\" in processes, found -3"));
	ck_assert_str_eq(r->processes[1].name, "\xe6\x97\xa5\xe6\x9c\xac");
	jt_report_free(r);
}
END_TEST

START_TEST(json_grammar_errors_name_line_and_column)
{
	static const struct {
		const char *doc;
		long line, col;
		const char *text;
	} cases[] = {
		{"{\"bug_type\":\"298\"}\n{\"product\":\"x\",}", 2, 16,
		 "expected a key"},
		{"{\"bug_type\":\"298\"}\n{\"product\":01}", 2, 13,
		 "expected ',' or '}'"},
		{"{\"bug_type\":\"298\"}\n{\"product\":tru}", 2, 12,
		 "expected a value"},
		{"{\"bug_type\":\"298\"}\n{\"product\":\"a\\qb\"}", 2, 14,
		 "bad escape"},
		{"{\"bug_type\":\"298\"}\n{\"product\":\"a\\u12G4\"}", 2, 14,
		 "bad \\u escape"},
		{"{\"bug_type\":\"298\"}\n{\"product\":1.e5}", 2, 14,
		 "a digit after '.'"},
		{"{\"bug_type\":\"298\"}\nprocesses", 2, 1,
		 "expected the report body"},
		{"{\"bug_type\":298}\n{\"product\":\"x\",\"processes\":[", 2,
		 29, "report ends early"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct jt_error err;
		struct jt_report *r;

		jt_error_init(&err);
		r = jt_report_parse(cases[i].doc, strlen(cases[i].doc), "doc",
				    models, &err);
		ck_assert_msg(strstr(err.text, cases[i].text) != NULL,
			      "case %zu: '%s'", i, err.text);
		ck_assert_msg(err.line == cases[i].line &&
				      err.column == cases[i].col,
			      "case %zu: %ld:%ld", i, err.line, err.column);
		jt_report_free(r);
	}
}
END_TEST

/*
 * What each input the fuzzer found must give now.  Every file in
 * tests/fuzz/regress needs a row, so a new finding cannot be added without
 * saying what its right outcome is.
 */
static const struct finding {
	const char *name;
	enum jt_error_code code; /* JT_OK: no error */
	long line, column;       /* of the error */
	const char *error;       /* in the error text */
	size_t nprocesses, nkills;
	int64_t page_size_bytes, counted_bytes;
	const char *warning; /* in page_size_warning; NULL: none */
} findings[] = {
	/*
	 * The iOS 7 text with Compressor Size 5555555555555555: pages x page
	 * overflowed.  63 rows with a <uuid>, 3 of them with a [reason] (the
	 * fourth reason's uuid is cut to "<>").
	 */
	{"overflow-pages-times-page.ips", JT_OK, 0, 0, NULL, 63, 3, 4096, -1,
	 "(5555555555684151 pages) do not fit the 0.50 GiB RAM of iPad2,5"},
	/*
	 * A cut copy whose last process object ends at '"states" :': the
	 * elided scan tried it as a process and read one byte past the end.
	 * 15 complete process objects stand before it, none killed.
	 */
	{"elided-states-at-end.ips", JT_EPARSE, 5, 28,
	 "elided copy ('...' where JSON continues)", 15, 0, 4096, 1057701888,
	 NULL},
};

START_TEST(fuzzer_findings_stay_fixed)
{
	DIR *d = opendir("tests/fuzz/regress");
	struct dirent *de;
	size_t i, n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		const struct finding *f = NULL;
		char path[512], *buf, *exact;
		size_t len;
		struct jt_error err;
		struct jt_report *r;

		if (de->d_name[0] == '.')
			continue;
		for (i = 0; i < sizeof(findings) / sizeof(findings[0]); i++)
			if (strcmp(findings[i].name, de->d_name) == 0)
				f = &findings[i];
		ck_assert_msg(f != NULL,
			      "%s: no expected outcome in findings[]",
			      de->d_name);
		snprintf(path, sizeof(path), "tests/fuzz/regress/%s",
			 de->d_name);
		/* As the fuzzer gives it: no byte after the end (for ASan). */
		jt_error_init(&err);
		ck_assert_int_eq(jt_read_file(path, 1 << 24, &buf, &len, &err),
				 0);
		exact = malloc(len);
		ck_assert_ptr_nonnull(exact);
		memcpy(exact, buf, len);
		free(buf);
		r = jt_report_parse(exact, len, path, models, &err);
		free(exact);
		ck_assert_msg(err.code == f->code, "%s: %s", f->name, err.text);
		if (f->code != JT_OK) {
			ck_assert_int_eq(err.line, f->line);
			ck_assert_int_eq(err.column, f->column);
			ck_assert_ptr_nonnull(strstr(err.text, f->error));
		}
		if (f->nprocesses == 0) {
			ck_assert_ptr_null(r);
		} else {
			ck_assert_ptr_nonnull(r);
			ck_assert_uint_eq(r->nprocesses, f->nprocesses);
			ck_assert_uint_eq(r->nkills, f->nkills);
			ck_assert_int_eq(r->page_size_bytes,
					 f->page_size_bytes);
			ck_assert_int_eq(r->counted_bytes, f->counted_bytes);
			if (f->warning == NULL)
				ck_assert_ptr_null(r->page_size_warning);
			else
				ck_assert_msg(strstr(r->page_size_warning,
						     f->warning) != NULL,
					      "%s: %s", f->name,
					      r->page_size_warning);
		}
		jt_report_free(r);
		n++;
	}
	closedir(d);
	ck_assert_uint_eq(n, sizeof(findings) / sizeof(findings[0]));
}
END_TEST

/* ---- the view the goldens pin ------------------------------------------- */

/*
 * report_view - every parsed field of r as a new JSON object, absent
 * values as null.  It lives here, not in the library: only the goldens
 * read it; "jetsam parse" has its own rows.
 */

static json_t *
jint(int64_t v)
{
	return v < 0 ? json_null() : json_integer((json_int_t)v);
}

static json_t *
jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
process_json(const struct jt_process *p)
{
	json_t *o = json_object(), *st = json_array(), *phys = json_array();
	size_t i;

	for (i = 0; i < p->nstates; i++)
		json_array_append_new(st, json_string(p->states[i]));
	for (i = 0; i < 2; i++)
		json_array_append_new(phys,
				      jint(p->physical_internal_pages[i]));
	json_object_set_new(o, "pid", jint(p->pid));
	json_object_set_new(o, "name", jstr(p->name));
	json_object_set_new(o, "uuid", jstr(p->uuid));
	json_object_set_new(o, "states", st);
	json_object_set_new(o, "frontmost", json_boolean(p->frontmost));
	json_object_set_new(o, "rpages", jint(p->rpages));
	json_object_set_new(o, "lifetime_max_pages",
			    jint(p->lifetime_max_pages));
	json_object_set_new(o, "recent_max_pages", jint(p->recent_max_pages));
	json_object_set_new(o, "purgeable_pages", jint(p->purgeable_pages));
	json_object_set_new(o, "priority", jint(p->priority));
	json_object_set_new(o, "fds", jint(p->fds));
	json_object_set_new(o, "coalition", jint(p->coalition));
	json_object_set_new(o, "age_ticks", jint(p->age_ticks));
	json_object_set_new(o, "idle_delta_ticks", jint(p->idle_delta_ticks));
	json_object_set_new(o, "kill_delta_ticks", jint(p->kill_delta_ticks));
	json_object_set_new(o, "gen_count", jint(p->gen_count));
	json_object_set_new(o, "reason", jstr(p->reason));
	json_object_set_new(o, "freeze_skip_reason",
			    jstr(p->freeze_skip_reason));
	json_object_set_new(o, "cs_flags", jint(p->cs_flags));
	json_object_set_new(o, "cs_trust_level", jint(p->cs_trust_level));
	json_object_set_new(o, "mem_regions", jint(p->mem_regions));
	json_object_set_new(o, "physical_internal_pages", phys);
	json_object_set_new(o, "frozen_to_swap_pages",
			    jint(p->frozen_to_swap_pages));
	return o;
}

static json_t *
report_view(const struct jt_report *r)
{
	json_t *o = json_object(), *mem = json_object(), *pg = json_object();
	json_t *procs = json_array(), *kills = json_array();
	size_t i;

	if (o == NULL || mem == NULL || pg == NULL || procs == NULL ||
	    kills == NULL) {
		json_decref(o);
		json_decref(mem);
		json_decref(pg);
		json_decref(procs);
		json_decref(kills);
		return NULL;
	}
	json_object_set_new(o, "source", jstr(r->source));
	json_object_set_new(o, "format",
			    json_string(jt_report_format_name(r->format)));
	json_object_set_new(o, "partial", json_boolean(r->partial));
	json_object_set_new(o, "error", jstr(r->error_text));
	json_object_set_new(o, "implausible", jstr(r->implausible));
	json_object_set_new(o, "bug_type", jstr(r->bug_type));
	json_object_set_new(o, "body_bug_type", jstr(r->body_bug_type));
	json_object_set_new(o, "timestamp", jstr(r->timestamp));
	json_object_set_new(o, "os_version", jstr(r->os_version));
	json_object_set_new(o, "incident_id", jstr(r->incident_id));
	json_object_set_new(o, "product", jstr(r->product));
	json_object_set_new(o, "build", jstr(r->build));
	json_object_set_new(o, "kernel", jstr(r->kernel));
	json_object_set_new(o, "date", jstr(r->date));
	json_object_set_new(o, "crash_reporter_key",
			    jstr(r->crash_reporter_key));
	json_object_set_new(o, "largest_process", jstr(r->largest_process));
	json_object_set_new(o, "time_delta_ms", jint(r->time_delta_ms));
	json_object_set_new(o, "gen_counter", jint(r->gen_counter));

	json_object_set_new(mem, "page_size_stated", jint(r->page_size_stated));
	json_object_set_new(mem, "page_size_bytes", jint(r->page_size_bytes));
	json_object_set_new(mem, "page_size_warning",
			    jstr(r->page_size_warning));
	json_object_set_new(mem, "ram_bytes", jint(r->ram_bytes));
	json_object_set_new(mem, "counted_bytes", jint(r->counted_bytes));
	json_object_set_new(mem, "compressor_pages", jint(r->compressor_pages));
	json_object_set_new(mem, "compressions", jint(r->compressions));
	json_object_set_new(mem, "decompressions", jint(r->decompressions));
	json_object_set_new(mem, "uncompressed_pages",
			    jint(r->uncompressed_pages));
	json_object_set_new(mem, "zone_map_size_bytes",
			    jint(r->zone_map_size_bytes));
	json_object_set_new(mem, "zone_map_cap_bytes",
			    jint(r->zone_map_cap_bytes));
	json_object_set_new(mem, "largest_zone", jstr(r->largest_zone));
	json_object_set_new(mem, "largest_zone_size_bytes",
			    jint(r->largest_zone_size_bytes));
	json_object_set_new(pg, "active", jint(r->active_pages));
	json_object_set_new(pg, "inactive", jint(r->inactive_pages));
	json_object_set_new(pg, "free", jint(r->free_pages));
	json_object_set_new(pg, "speculative", jint(r->speculative_pages));
	json_object_set_new(pg, "throttled", jint(r->throttled_pages));
	json_object_set_new(pg, "wired", jint(r->wired_pages));
	json_object_set_new(pg, "file_backed", jint(r->file_backed_pages));
	json_object_set_new(pg, "anonymous", jint(r->anonymous_pages));
	json_object_set_new(pg, "purgeable", jint(r->purgeable_pages));
	json_object_set_new(mem, "pages", pg);
	json_object_set_new(o, "memory", mem);

	for (i = 0; i < r->nprocesses; i++)
		json_array_append_new(procs, process_json(&r->processes[i]));
	json_object_set_new(o, "processes", procs);
	for (i = 0; i < r->nkills; i++) {
		const struct jt_kill *k = &r->kills[i];
		const struct jt_process *p = &r->processes[k->process];
		json_t *ko = json_object();

		json_object_set_new(ko, "process",
				    json_integer((json_int_t)k->process));
		json_object_set_new(ko, "pid", jint(p->pid));
		json_object_set_new(ko, "name", jstr(p->name));
		json_object_set_new(ko, "reason", jstr(p->reason));
		json_object_set_new(ko, "class",
				    json_string(jt_kill_class_name(k->class_)));
		json_object_set_new(ko, "rpages", jint(p->rpages));
		json_object_set_new(ko, "reason_missing",
				    json_boolean(k->reason_missing));
		json_object_set_new(ko, "footprint_bytes",
				    jint(k->footprint_bytes));
		json_array_append_new(kills, ko);
	}
	json_object_set_new(o, "kills", kills);
	return o;
}

/* ---- goldens ------------------------------------------------------------ */

static char *
golden_text(const char *dir, const char *name)
{
	char path[512], source[512], *out = NULL;
	size_t len = 0;
	struct jt_error err;
	struct jt_report *r;
	json_t *o = json_object();
	FILE *fp;

	snprintf(path, sizeof(path), "tests/%s/%s", dir, name);
	snprintf(source, sizeof(source), "%s/%s", dir, name);
	r = load(path, &err);
	if (r != NULL) {
		json_t *j = report_view(r);

		json_object_set_new(j, "source", json_string(source));
		json_object_set_new(o, "report", j);
	} else {
		json_object_set_new(o, "report", json_null());
	}
	if (jt_error_isset(&err)) {
		json_t *e = json_object();

		json_object_set_new(e, "code",
				    json_string(jt_error_code_name(err.code)));
		json_object_set_new(e, "line", json_integer(err.line));
		json_object_set_new(e, "column", json_integer(err.column));
		json_object_set_new(e, "text", json_string(err.text));
		json_object_set_new(o, "error", e);
	} else {
		json_object_set_new(o, "error", json_null());
	}
	fp = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(jt_json_dump(fp, o, 1, NULL), 0);
	fclose(fp);
	json_decref(o);
	jt_report_free(r);
	return out;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
golden_input(const char *name)
{
	const char *dot = strrchr(name, '.');

	return name[0] != '.' &&
		!(dot &&
		  (strcmp(dot, ".py") == 0 || strcmp(dot, ".tsv") == 0 ||
		   strcmp(dot, ".md") == 0));
}

START_TEST(every_corpus_file_and_fixture_matches_its_golden)
{
	static const char *const dirs[] = {"corpus/dev", "corpus/negative",
					   "fixtures/reports"};
	int update = getenv("JT_GOLDEN_UPDATE") != NULL;
	size_t d, checked = 0, bad = 0;

	for (d = 0; d < 3; d++) {
		char dpath[256], *names[256] = {NULL};
		size_t n = 0, i;
		DIR *dir;
		struct dirent *de;

		snprintf(dpath, sizeof(dpath), "tests/%s", dirs[d]);
		dir = opendir(dpath);
		ck_assert_ptr_nonnull(dir);
		while ((de = readdir(dir)) != NULL && n < 256)
			if (golden_input(de->d_name))
				names[n++] = strdup(de->d_name);
		closedir(dir);
		qsort(names, n, sizeof(names[0]), cmp_str);
		for (i = 0; i < n; i++) {
			char gpath[512], flat[256], *want = NULL, *got, *p;
			size_t wlen;
			struct jt_error err;

			snprintf(flat, sizeof(flat), "%s", dirs[d]);
			for (p = flat; *p; p++)
				if (*p == '/')
					*p = '_';
			snprintf(gpath, sizeof(gpath),
				 "tests/golden/parse/%s__%s.json", flat,
				 names[i]);
			got = golden_text(dirs[d], names[i]);
			if (update) {
				FILE *fp = fopen(gpath, "w");

				ck_assert_ptr_nonnull(fp);
				fputs(got, fp);
				fclose(fp);
			}
			jt_error_init(&err);
			if (jt_read_file(gpath, 1 << 26, &want, &wlen, &err) <
				    0 ||
			    strcmp(want, got) != 0) {
				fprintf(stderr, "golden mismatch: %s\n", gpath);
				bad++;
			}
			checked++;
			free(want);
			free(got);
			free(names[i]);
		}
	}
	ck_assert_uint_ge(checked, 13 + 20);
	ck_assert_msg(bad == 0, "%zu of %zu goldens differ", bad, checked);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, complete_ios14_report_lists_both_highwater_kills);
	tcase_add_test(tc, reason_before_name_is_pinned_on_its_own_process);
	tcase_add_test(tc, vnode_limit_is_kept_verbatim_as_other);
	tcase_add_test(tc, scanner_agrees_with_jansson_on_complete_reports);
	tcase_add_test(tc,
		       ios7_text_lists_four_vm_pageshortage_kills_in_4k_pages);
	tcase_add_test(tc, crlf_text_reads_like_the_lf_original);
	tcase_add_test(tc,
		       ios8_a7_stated_16384_over_4k_counts_uses_4096_and_warns);
	tcase_add_test(tc, missing_page_size_is_decided_by_the_ram_check);
	tcase_add_test(tc, unknown_model_is_named_in_the_warning);
	tcase_add_test(tc, a_known_watch_is_checked_against_its_ram);
	tcase_add_test(tc,
		       without_a_device_table_the_check_is_said_to_be_skipped);
	tcase_add_test(tc, pages_to_bytes_refuses_unknowns_and_overflow);
	tcase_add_test(
		tc,
		page_sizes_that_are_not_page_sizes_are_named_and_implausible);
	tcase_add_test(tc, real_page_sizes_are_not_implausible);
	tcase_add_test(tc, footprint_above_the_ram_is_implausible);
	tcase_add_test(tc, counts_of_the_wrong_type_are_noted_with_position);
	tcase_add_test(tc,
		       limit_kills_are_named_for_the_state_the_report_gives);
	tcase_add_test(tc, ios18_fields_fit_64_bits_and_keep_the_colon_key);
	tcase_add_test(tc, ios12_report_lists_all_63_kills);
	tcase_add_test(
		tc, kill_marker_without_reason_and_unknown_reasons_are_other);
	tcase_add_test(tc, pressure_reasons_in_real_reports_are_pressure);
	tcase_add_test(tc, os_number_is_found_in_every_os_family);
	tcase_add_test(tc, text_names_with_spaces_are_read_from_the_uuid_token);
	tcase_add_test(tc, bug_type_198_header_leads_into_text);
	tcase_add_test(
		tc,
		truncated_report_is_an_error_with_position_and_partial_processes);
	tcase_add_test(tc, head_truncated_copy_keeps_product_and_page_size);
	tcase_add_test(tc,
		       elided_copy_recovers_product_build_page_size_and_kill);
	tcase_add_test(tc, hard_wrapped_copy_is_recovered_by_line_scan);
	tcase_add_test(tc, report_pasted_after_prose_is_found_by_content);
	tcase_add_test(tc, header_only_is_a_truncation_error);
	tcase_add_test(tc, analytics_and_stackshot_reports_are_not_jetsam);
	tcase_add_test(tc, bad_input_gives_one_clear_error_each);
	tcase_add_test(tc, two_gigabyte_file_is_refused_without_reading_it);
	tcase_add_test(tc, missing_and_unreadable_files_are_io_errors);
	tcase_add_test(tc, report_with_10000_processes_is_read_whole);
	tcase_add_test(tc, escapes_and_utf8_are_decoded);
	tcase_add_test(tc, json_grammar_errors_name_line_and_column);
	tcase_add_test(tc, fuzzer_findings_stay_fixed);
	tcase_add_test(tc, every_corpus_file_and_fixture_matches_its_golden);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(report_suite)
