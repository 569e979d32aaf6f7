/*
 * check_run.c - local lab runs: the supervisor's footprint and warning
 * rule, a real supervised kill with everything it leaves behind, and each
 * way a run can fail
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "probe/procstatus.h"
#include "jetsam/core/models.h"
#include "probe/probe.h"
#include "jetsam/report/report.h"
#include "jetsam/run/run.h"
#include "jetsam/lab/runrec.h"
#include "suite.h"

#define MIB (1024 * 1024)

static char tmpdir[64];
static char probe_path[256];

static void
setup(void)
{
	const char *build = getenv("BUILD");

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/jt-run-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(probe_path, sizeof(probe_path), "%s/bin/jetsam-probe",
		 build != NULL ? build : "build");
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	(void)!system(cmd);
}

START_TEST(footprint_is_anon_plus_swap_plus_page_tables_from_status)
{
	const char *status = "Name:\tprobe\nVmRSS:\t  9000 kB\n"
			     "RssAnon:\t  8000 kB\nRssFile:\t 1000 kB\n"
			     "VmPTE:\t    40 kB\nVmSwap:\t   100 kB\n";

	ck_assert_int_eq(jt_procstatus_footprint(status),
			 (8000 + 100 + 40) * 1024);
	/* A zombie's status has no memory lines. */
	ck_assert_int_eq(jt_procstatus_footprint("Name:\tx\nState:\tZ\n"), -1);
}
END_TEST

START_TEST(supervisor_reads_the_same_footprint_the_probe_logs)
{
	struct jt_probe_footprint fp;
	char buf[8192];
	FILE *f = fopen("/proc/self/status", "r");
	size_t n;
	int64_t host;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(jt_probe_os_open(), 0);
	ck_assert_int_eq(jt_probe_os_footprint(&fp), 0);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	host = jt_procstatus_footprint(buf);
	jt_probe_os_close();
	/* Read a moment apart: equal to within a few pages. */
	ck_assert_int_le(llabs(host - fp.footprint_bytes), 64 * 1024);
}
END_TEST

START_TEST(warning_threshold_follows_the_ios_rule)
{
	/* limit - 100 MB with >= 1 GB of RAM... */
	ck_assert_int_eq(jt_run_warn_threshold(2000LL * MIB, 4096LL * MIB),
			 1900LL * MIB);
	/* ...limit - 50 MB below 1 GB... */
	ck_assert_int_eq(jt_run_warn_threshold(600LL * MIB, 512LL * MIB),
			 550LL * MIB);
	/* ...and never below 80 % of the limit. */
	ck_assert_int_eq(jt_run_warn_threshold(200LL * MIB, 4096LL * MIB),
			 160LL * MIB);
}
END_TEST

static struct jt_run_opts
opts(int64_t limit)
{
	struct jt_run_opts o;

	jt_run_opts_init(&o);
	o.limit_bytes = limit;
	o.probe_path = probe_path;
	o.model = "iPhone12,1";
	o.os_version = "14.2";
	o.os_build = "18B92";
	o.page_size_bytes = 16384;
	o.device_ram_bytes = 4096LL * MIB;
	o.rate_bytes_per_s = 16 * MIB;
	o.step_bytes = MIB;
	return o;
}

START_TEST(supervised_run_kills_at_the_limit_and_leaves_log_report_record)
{
	struct jt_run_opts o = opts(48 * MIB);
	struct jt_runrec rec, back;
	struct jt_error err;
	char path[512];
	json_t *body;
	json_error_t je;
	FILE *fp;
	char line[512];

	jt_error_init(&err);
	ck_assert_msg(jt_run_local(&o, tmpdir, &rec, &err) == 0, "%s",
		      err.text);
	ck_assert_str_eq(rec.run_id, "iPhone12,1-14.2-1");
	ck_assert_str_eq(rec.enforcer, "supervisor");
	ck_assert_str_eq(rec.kill_reason, "per-process-limit");
	ck_assert_int_eq(rec.exit_signal, 9);
	ck_assert_int_eq(rec.truth_limit_bytes, 48 * MIB);
	/* iOS 13+'s exact route: footprint + remaining is the limit. */
	ck_assert_int_eq(rec.footprint_remaining_bytes, 48 * MIB);
	ck_assert_int_le(llabs(rec.crossing_bytes - 48 * MIB), MIB);
	/* The report holds the footprint the supervisor killed at: within a
	 * step of the probe's last sample, and past the limit by whatever the
	 * probe allocated before the next poll.  That is a step or two, but a
	 * VM's first-touch stall followed by the schedule's catch-up burst can
	 * add several more: the overshoot is reported, not an error, so it is
	 * only held to a sanity bound here. */
	ck_assert_int_ge(rec.report_bytes, 48 * MIB - 16384);
	ck_assert_int_le(llabs(rec.report_bytes - rec.last_sample_bytes), MIB);
	ck_assert_int_ge(rec.overshoot_bytes, 0);
	/* The overshoot is measured at the kill, not at the last logged
	 * sample: the probe can allocate its next block and be killed
	 * before it logs it, so the last sample may sit below the limit
	 * while the kill does not.  The report records that same kill
	 * footprint, rounded to the nearest page. */
	if (rec.overshoot_bytes > 0)
		ck_assert_int_le(llabs(rec.report_bytes -
				       (48 * MIB + rec.overshoot_bytes)),
				 16384 / 2);
	else
		ck_assert_int_le(rec.report_bytes, 48 * MIB + 16384 / 2);
	ck_assert_int_ge(rec.overshoot_bytes,
			 rec.last_sample_bytes > 48 * MIB
				 ? rec.last_sample_bytes - 48 * MIB
				 : 0);
	ck_assert_int_lt(rec.overshoot_bytes, 16 * MIB);
	ck_assert_int_gt(rec.samples, 10);
	ck_assert_int_gt(rec.first_warning_bytes, 38 * MIB);
	ck_assert_int_lt(rec.first_warning_bytes, 48 * MIB);

	snprintf(path, sizeof(path), "%s/%s/run.json", tmpdir, rec.run_id);
	ck_assert_int_eq(jt_runrec_load(&back, path, &err), 0);
	ck_assert_int_eq(back.crossing_bytes, rec.crossing_bytes);
	ck_assert_str_eq(back.report, rec.report);
	ck_assert_str_eq(back.probe_log, "probe.jsonl");
	jt_runrec_release(&back);

	snprintf(path, sizeof(path), "%s/%s/%s", tmpdir, rec.run_id,
		 rec.report);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), fp));
	ck_assert_ptr_nonnull(strstr(line,
				     "\"os_version\":\"iPhone OS 14.2 "
				     "(18B92)\""));
	body = json_loadf(fp, 0, &je);
	fclose(fp);
	ck_assert_msg(body != NULL, "%s", je.text);
	ck_assert_int_eq(
		json_integer_value(json_object_get(
			json_object_get(body, "memoryStatus"), "pageSize")),
		16384);
	ck_assert_int_eq(
		json_integer_value(json_object_get(
			json_array_get(json_object_get(body, "processes"), 1),
			"rpages")) *
			16384,
		rec.report_bytes);
	json_decref(body);

	/* The toolkit's own parser reads it as a phone's report. */
	{
		struct jt_models *m = jt_models_load(NULL, &err);
		struct jt_report *r = jt_report_load(path, m, &err);

		ck_assert_msg(r != NULL, "%s", err.text);
		ck_assert(!r->partial);
		ck_assert_str_eq(r->product, "iPhone12,1");
		ck_assert_int_eq(r->page_size_bytes, 16384);
		/* Its page counts fit the model's RAM, as a phone's do. */
		ck_assert_ptr_null(r->page_size_warning);
		ck_assert_uint_eq(r->nkills, 1);
		ck_assert_int_eq(r->kills[0].class_, JT_KILL_LIMIT);
		ck_assert_int_eq(r->kills[0].footprint_bytes, rec.report_bytes);
		ck_assert_str_eq(r->processes[r->kills[0].process].reason,
				 "per-process-limit");
		jt_report_free(r);
		jt_models_free(m);
	}
	jt_runrec_release(&rec);

	/* A second run into the same directory gets the next number. */
	o.limit_bytes = 24 * MIB;
	ck_assert_int_eq(jt_run_local(&o, tmpdir, &rec, &err), 0);
	ck_assert_str_eq(rec.run_id, "iPhone12,1-14.2-2");
	jt_runrec_release(&rec);
}
END_TEST

START_TEST(run_needs_a_limit_and_a_runnable_probe)
{
	struct jt_run_opts o = opts(0);
	struct jt_runrec rec;
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_int_eq(jt_run_local(&o, tmpdir, &rec, &err), -1);
	ck_assert_int_eq(err.code, JT_EUSAGE);
	jt_runrec_release(&rec);
	o = opts(MIB);
	o.probe_path = "/nonexistent/jetsam-probe";
	jt_error_init(&err);
	ck_assert_int_eq(jt_run_local(&o, tmpdir, &rec, &err), -1);
	ck_assert_int_eq(err.code, JT_EUSAGE);
	ck_assert_str_eq(err.text, "no runnable jetsam-probe");
	jt_runrec_release(&rec);
	/* An output directory that cannot be made. */
	o = opts(MIB);
	jt_error_init(&err);
	ck_assert_int_eq(jt_run_local(&o, "/nonexistent/runs", &rec, &err), -1);
	ck_assert_int_eq(err.code, JT_EIO);
	ck_assert_str_eq(err.source, "/nonexistent/runs");
	ck_assert_ptr_nonnull(strstr(err.text, "cannot create directory"));
	jt_runrec_release(&rec);
	/* A directory passes access(X_OK) but cannot be executed. */
	o.probe_path = tmpdir;
	jt_error_init(&err);
	ck_assert_int_eq(jt_run_local(&o, tmpdir, &rec, &err), -1);
	ck_assert_int_eq(err.code, JT_EIO);
	ck_assert_str_eq(err.text, "cannot run the probe");
	ck_assert_int_eq(rec.exit_status, 127);
	jt_runrec_release(&rec);
}
END_TEST

START_TEST(cgroup_outside_a_cgroup_hierarchy_is_unsupported)
{
	struct jt_error err;
	struct jt_run_opts o = opts(16 * MIB);
	struct jt_runrec rec;

	jt_error_init(&err);
	ck_assert_int_eq(jt_run_cgroup_check(tmpdir, &err), -1);
	ck_assert_int_eq(err.code, JT_EUNSUPPORTED);
	ck_assert_ptr_nonnull(
		strstr(err.text, "cannot set the cgroup's limit"));
	o.enforcer = JT_ENFORCE_CGROUP;
	o.cgroup_parent = "/nonexistent";
	jt_error_init(&err);
	ck_assert_int_eq(jt_run_local(&o, tmpdir, &rec, &err), -1);
	ck_assert_int_eq(err.code, JT_EUNSUPPORTED);
	ck_assert_ptr_nonnull(
		strstr(err.text, "cannot create a memory cgroup"));
	jt_runrec_release(&rec);
}
END_TEST

/* fake_probe - a script that logs one sample, then does what tail says. */
static void
fake_probe(const char *tail)
{
	FILE *f;

	snprintf(probe_path, sizeof(probe_path), "%s/fake-probe", tmpdir);
	f = fopen(probe_path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f,
		"#!/bin/sh\n"
		"printf '%%s\\n' '{\"type\":\"header\",\"platform\":"
		"\"linux\",\"rate_bytes_per_s\":1,\"step_bytes\":1}' "
		"'{\"type\":\"sample\",\"seq\":0,\"t_ms\":0,"
		"\"allocated_bytes\":0,\"footprint_bytes\":4096}' >\"$2\"\n"
		"%s\n",
		tail);
	fclose(f);
	chmod(probe_path, 0755);
}

START_TEST(probe_that_exits_by_itself_is_not_a_kill)
{
	struct jt_run_opts o;
	struct jt_runrec rec;
	struct jt_error err;

	fake_probe("exit 3");
	o = opts(64 * MIB);
	jt_error_init(&err);
	ck_assert_int_eq(jt_run_local(&o, tmpdir, &rec, &err), -1);
	ck_assert_int_eq(err.code, JT_EINVAL);
	ck_assert_str_eq(
		err.text,
		"the probe ended without being killed (exit status 3)");
	ck_assert_int_eq(rec.exit_status, 3);
	ck_assert_ptr_null(rec.kill_reason);
	ck_assert_ptr_null(rec.report);
	ck_assert_int_eq(rec.samples, 1);
	jt_runrec_release(&rec);
}
END_TEST

START_TEST(probe_that_never_reaches_the_limit_times_out)
{
	struct jt_run_opts o;
	struct jt_runrec rec;
	struct jt_error err;

	fake_probe("exec sleep 10");
	o = opts(64 * MIB);
	o.timeout_ms = 300;
	jt_error_init(&err);
	ck_assert_int_eq(jt_run_local(&o, tmpdir, &rec, &err), -1);
	ck_assert_int_eq(err.code, JT_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.text, "not killed within"));
	ck_assert_str_eq(rec.kill_reason, "timeout");
	ck_assert_int_ge(rec.duration_ms, 300);
	ck_assert_int_lt(rec.duration_ms, 5000);
	jt_runrec_release(&rec);
}
END_TEST

START_TEST(options_a_run_cannot_start_with_are_usage_errors)
{
	struct jt_run_opts o;
	struct jt_error err;

	jt_run_opts_init(&o);
	jt_error_init(&err);
	ck_assert_int_eq(jt_run_opts_check(&o, &err), -1);
	ck_assert_int_eq(err.code, JT_EUSAGE);
	o.limit_bytes = 64 * MIB;
	ck_assert_int_eq(jt_run_opts_check(&o, NULL), 0);
	o.ramp_to_bytes = 64 * MIB;
	jt_error_init(&err);
	ck_assert_int_eq(jt_run_opts_check(&o, &err), -1);
	ck_assert_str_eq(err.text, "ramp-to must be below the limit");
	o.ramp_to_bytes = 48 * MIB;
	o.poll_hz = 99;
	jt_error_init(&err);
	ck_assert_int_eq(jt_run_opts_check(&o, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "poll-hz 99"));
	o.poll_hz = 0; /* the default */
	ck_assert_int_eq(jt_run_opts_check(&o, NULL), 0);
}
END_TEST

START_TEST(a_known_model_gives_the_run_its_page_size_and_ram)
{
	struct jt_models *m = jt_models_load(NULL, NULL);
	struct jt_run_opts o;

	ck_assert_ptr_nonnull(m);
	jt_run_opts_init(&o);
	o.model = "iPhone12,1";
	ck_assert_int_eq(jt_run_opts_set_model(&o, m), 1);
	ck_assert_int_eq(o.page_size_bytes, 16384);
	ck_assert_int_eq(o.device_ram_bytes, 4294967296LL);
	jt_run_opts_init(&o);
	o.model = "Emulated1,1";
	ck_assert_int_eq(jt_run_opts_set_model(&o, m), 0);
	ck_assert_int_eq(o.page_size_bytes, 0);
	ck_assert_int_eq(o.device_ram_bytes, 0);
	jt_models_free(m);
}
END_TEST

START_TEST(the_probe_is_found_on_path_when_not_beside_the_program)
{
	char dir[128], path[256], *found;
	const char *old = getenv("PATH");
	char *saved = old != NULL ? strdup(old) : NULL;
	struct jt_error err;
	FILE *f;

	/* This test program is not beside a jetsam-probe (tests/ holds
	 * none), so the lookup goes to PATH. */
	snprintf(dir, sizeof(dir), "%s/bin", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/jetsam-probe", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("#!/bin/sh\n", f);
	fclose(f);
	setenv("PATH", "/nonexistent", 1);
	jt_error_init(&err);
	ck_assert_ptr_null(jt_run_find_probe(&err));
	ck_assert_int_eq(err.code, JT_EUNKNOWN);
	ck_assert_ptr_nonnull(strstr(err.text, "--probe PATH"));
	/* Not executable yet: skipped. */
	setenv("PATH", dir, 1);
	ck_assert_ptr_null(jt_run_find_probe(NULL));
	ck_assert_int_eq(chmod(path, 0755), 0);
	snprintf(path, sizeof(path), "/nonexistent::%s", dir);
	setenv("PATH", path, 1);
	found = jt_run_find_probe(NULL);
	ck_assert_ptr_nonnull(found);
	snprintf(path, sizeof(path), "%s/jetsam-probe", dir);
	ck_assert_str_eq(found, path);
	free(found);
	if (saved != NULL)
		setenv("PATH", saved, 1);
	free(saved);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *
run_suite(void)
{
	Suite *s = suite_create("run");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(
		tc, footprint_is_anon_plus_swap_plus_page_tables_from_status);
	tcase_add_test(tc, supervisor_reads_the_same_footprint_the_probe_logs);
	tcase_add_test(tc, warning_threshold_follows_the_ios_rule);
	tcase_add_test(
		tc,
		supervised_run_kills_at_the_limit_and_leaves_log_report_record);
	tcase_add_test(tc, run_needs_a_limit_and_a_runnable_probe);
	tcase_add_test(tc, cgroup_outside_a_cgroup_hierarchy_is_unsupported);
	tcase_add_test(tc, probe_that_exits_by_itself_is_not_a_kill);
	tcase_add_test(tc, probe_that_never_reaches_the_limit_times_out);
	tcase_add_test(tc, options_a_run_cannot_start_with_are_usage_errors);
	tcase_add_test(tc, a_known_model_gives_the_run_its_page_size_and_ram);
	tcase_add_test(tc,
		       the_probe_is_found_on_path_when_not_beside_the_program);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(run_suite)
