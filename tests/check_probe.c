/*
 * check_probe.c - the probe library: options, the Linux footprint, and
 * whole runs that write a log the real reader accepts
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "probe/probe.h"
#include "jetsam/lab/probelog.h"
#include "suite.h"

/* Under ASan, let malloc return NULL for the refused-malloc test. */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

#define MIB (1024 * 1024)

static char tmpdir[64];

static const char *const host_env[] = {
	JT_PROBE_ENV_RATE,    JT_PROBE_ENV_STEP,   JT_PROBE_ENV_MAX,
	JT_PROBE_ENV_RAMP_TO, JT_PROBE_ENV_HOLD,   JT_PROBE_ENV_HOLD_TIME,
	JT_PROBE_ENV_FILL,    JT_PROBE_ENV_MARKER, JT_PROBE_ENV_RUN_ID,
	JT_PROBE_ENV_PROFILE,
};

static void
make_tmp(void)
{
	size_t i;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/jt-probe-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	unsetenv(JT_PROBE_LIMIT_ENV);
	for (i = 0; i < sizeof(host_env) / sizeof(host_env[0]); i++)
		unsetenv(host_env[i]);
}

static void
remove_tmp(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	(void)!system(cmd);
}

/* parse - argv from a NULL-terminated list; returns the parse result. */
static int
parse(struct jt_probe_config *c, char *msg, size_t len, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	argv[argc++] = "jetsam-probe";
	va_start(ap, len);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	msg[0] = '\0';
	return jt_probe_parse_args(c, argc, argv, msg, len);
}

START_TEST(sizes_take_binary_suffixes_and_reject_junk)
{
	int64_t b = -7;

	ck_assert_int_eq(jt_probe_size_parse("20M", &b), 0);
	ck_assert_int_eq(b, 20 * MIB);
	ck_assert_int_eq(jt_probe_size_parse("1.5G", &b), 0);
	ck_assert_int_eq(b, 1536LL * MIB);
	ck_assert_int_eq(jt_probe_size_parse("64KiB", &b), 0);
	ck_assert_int_eq(b, 65536);
	ck_assert_int_eq(jt_probe_size_parse("4096", &b), 0);
	ck_assert_int_eq(b, 4096);
	b = -7;
	ck_assert_int_eq(jt_probe_size_parse("-1M", &b), -1);
	ck_assert_int_eq(jt_probe_size_parse("12Q", &b), -1);
	ck_assert_int_eq(jt_probe_size_parse("1.5", &b), -1);
	ck_assert_int_eq(jt_probe_size_parse("", &b), -1);
	ck_assert_int_eq(jt_probe_size_parse("M", &b), -1);
	ck_assert_int_eq(jt_probe_size_parse("99999999T", &b), -1);
	ck_assert_int_eq(b, -7);
}
END_TEST

START_TEST(options_have_the_documented_defaults_and_take_values)
{
	struct jt_probe_config c;
	char msg[256];

	ck_assert_int_eq(
		parse(&c, msg, sizeof(msg), "--log", "x", (char *)NULL), 0);
	ck_assert_int_eq(c.rate_bytes_per_s, 20 * MIB);
	ck_assert_int_eq(c.step_bytes, MIB);
	ck_assert_int_eq(c.fill, JT_PROBE_FILL_TOUCH);
	ck_assert_int_eq(c.max_bytes, -1);
	ck_assert_int_eq(c.log_fd, -1);
	ck_assert_int_eq(parse(&c, msg, sizeof(msg), "--log-fd", "3", "--rate",
			       "5M", "--step", "64K", "--fill", "random",
			       "--ramp-to", "90%", "--hold", "8M",
			       "--hold-time", "1.5", "--fsync", (char *)NULL),
			 0);
	ck_assert_int_eq(c.log_fd, 3);
	ck_assert_int_eq(c.rate_bytes_per_s, 5 * MIB);
	ck_assert_int_eq(c.step_bytes, 65536);
	ck_assert_int_eq(c.fill, JT_PROBE_FILL_RANDOM);
	ck_assert_int_eq(c.ramp_to_pct, 90);
	ck_assert_int_eq(c.hold_bytes, 8 * MIB);
	ck_assert_int_eq(c.hold_ms, 1500);
	ck_assert(c.fsync_each);
	ck_assert_int_eq(parse(&c, msg, sizeof(msg), "--help", (char *)NULL),
			 1);
}
END_TEST

START_TEST(bad_values_are_usage_errors_naming_the_value)
{
	struct jt_probe_config c;
	char msg[256];

	ck_assert_int_eq(parse(&c, msg, sizeof(msg), "--log", "x", "--rate",
			       "0", (char *)NULL),
			 -1);
	ck_assert_str_eq(msg, "invalid rate '0'");
	parse(&c, msg, sizeof(msg), "--log", "x", "--step", "1.5",
	      (char *)NULL);
	ck_assert_str_eq(msg, "invalid step '1.5'");
	parse(&c, msg, sizeof(msg), "--log", "x", "--fill", "zero",
	      (char *)NULL);
	ck_assert_str_eq(msg, "invalid fill 'zero'");
	parse(&c, msg, sizeof(msg), "--log", "x", "--ramp-to", "100%",
	      (char *)NULL);
	ck_assert_str_eq(msg, "invalid ramp-to '100%'");
	parse(&c, msg, sizeof(msg), "--log", "x", "--max", "lots",
	      (char *)NULL);
	ck_assert_str_eq(msg, "invalid max 'lots'");
	parse(&c, msg, sizeof(msg), "--log-fd", "-2", (char *)NULL);
	ck_assert_str_eq(msg, "invalid log-fd '-2'");
	parse(&c, msg, sizeof(msg), "--log", "x", "--hold-time", "2",
	      (char *)NULL);
	ck_assert_str_eq(msg, "--hold-time needs --hold");
	parse(&c, msg, sizeof(msg), "--rate", "1M", (char *)NULL);
	ck_assert_str_eq(msg,
			 "no log given: use --log PATH, --log-fd N or "
			 "--syslog");
	ck_assert_int_eq(parse(&c, msg, sizeof(msg), "--log", "x", "extra",
			       (char *)NULL),
			 -1);
	ck_assert_str_eq(msg, "unexpected argument 'extra'");
	ck_assert_int_eq(parse(&c, msg, sizeof(msg), "--bogus", (char *)NULL),
			 -1);
	ck_assert_str_eq(msg, "invalid or incomplete option '--bogus'");
}
END_TEST

START_TEST(the_host_decides_the_run_through_the_environment)
{
	struct jt_probe_config c;
	char msg[256];

	ck_assert_int_eq(
		parse(&c, msg, sizeof(msg), "--log", "x", (char *)NULL), 0);
	ck_assert_str_eq(c.profile, "app");
	ck_assert_ptr_null(c.run_id);
	ck_assert_str_eq(c.marker, JT_PROBE_SYSLOG_MARKER);
	setenv(JT_PROBE_ENV_RATE, "5M", 1);
	setenv(JT_PROBE_ENV_STEP, "256K", 1);
	setenv(JT_PROBE_ENV_RAMP_TO, "90%", 1);
	setenv(JT_PROBE_ENV_FILL, "random", 1);
	setenv(JT_PROBE_ENV_MARKER, "JK-7: ", 1);
	setenv(JT_PROBE_ENV_RUN_ID, "iPhone12,1-17.0-3", 1);
	setenv(JT_PROBE_ENV_PROFILE, "widget-extension", 1);
	ck_assert_int_eq(
		parse(&c, msg, sizeof(msg), "--log", "x", (char *)NULL), 0);
	ck_assert_int_eq(c.rate_bytes_per_s, 5 * MIB);
	ck_assert_int_eq(c.step_bytes, 256 * 1024);
	ck_assert_int_eq(c.ramp_to_pct, 90);
	ck_assert_int_eq(c.fill, JT_PROBE_FILL_RANDOM);
	ck_assert_str_eq(c.marker, "JK-7: ");
	ck_assert_str_eq(c.run_id, "iPhone12,1-17.0-3");
	ck_assert_str_eq(c.profile, "widget-extension");
	/* An argument wins over the environment, a size over a percent. */
	ck_assert_int_eq(parse(&c, msg, sizeof(msg), "--log", "x", "--rate",
			       "7M", "--ramp-to", "64M", "--profile", "app",
			       (char *)NULL),
			 0);
	ck_assert_int_eq(c.rate_bytes_per_s, 7 * MIB);
	ck_assert_int_eq(c.ramp_to_pct, 0);
	ck_assert_int_eq(c.ramp_to_bytes, 64 * MIB);
	ck_assert_str_eq(c.profile, "app");
	/* A bad value in the environment names the variable. */
	setenv(JT_PROBE_ENV_STEP, "0", 1);
	ck_assert_int_eq(
		parse(&c, msg, sizeof(msg), "--log", "x", (char *)NULL), -1);
	ck_assert_str_eq(msg, "invalid JETSAM_PROBE_STEP '0'");
}
END_TEST

START_TEST(profile_run_id_and_marker_are_checked_words)
{
	struct jt_probe_config c;
	char msg[256];

	parse(&c, msg, sizeof(msg), "--log", "x", "--profile", "App Ext",
	      (char *)NULL);
	ck_assert_str_eq(msg, "invalid profile 'App Ext'");
	parse(&c, msg, sizeof(msg), "--log", "x", "--run-id", "a\"b",
	      (char *)NULL);
	ck_assert_str_eq(msg, "invalid run-id 'a\"b'");
	parse(&c, msg, sizeof(msg), "--log", "x", "--run-id",
	      "0123456789012345678901234567890123456789012345678",
	      (char *)NULL);
	ck_assert_str_eq(msg,
			 "invalid run-id "
			 "'0123456789012345678901234567890123456789012345678'");
	parse(&c, msg, sizeof(msg), "--log", "x", "--marker", "", (char *)NULL);
	ck_assert_str_eq(msg, "invalid marker ''");
	parse(&c, msg, sizeof(msg), "--log", "x", "--marker", "a\tb",
	      (char *)NULL);
	ck_assert_str_eq(msg, "invalid marker 'a\tb'");
	ck_assert_int_eq(parse(&c, msg, sizeof(msg), "--log", "x", "--run-id",
			       "r_1.2:3-4", "--profile",
			       "notification-service-extension", (char *)NULL),
			 0);
}
END_TEST

START_TEST(footprint_grows_by_exactly_the_pages_touched)
{
	struct jt_probe_footprint a, b;
	size_t n = 32 * MIB, i;
	unsigned char *p;

	ck_assert_int_eq(jt_probe_os_open(), 0);
	/* mmap, not malloc: the backend is measured, not the allocator. */
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	ck_assert(p != MAP_FAILED);
	ck_assert_int_eq(jt_probe_os_footprint(&a), 0);
	for (i = 0; i < n; i += 4096)
		p[i] = 1;
	ck_assert_int_eq(jt_probe_os_footprint(&b), 0);
	/* The pages, plus at most the page tables that map them. */
	ck_assert_int_ge(b.footprint_bytes - a.footprint_bytes, (int64_t)n);
	ck_assert_int_le(b.footprint_bytes - a.footprint_bytes,
			 (int64_t)n + 256 * 1024);
	ck_assert_int_eq(b.peak_bytes, -1);
	munmap(p, n);
	jt_probe_os_close();
}
END_TEST

START_TEST(handed_limit_gives_remaining_as_limit_minus_footprint)
{
	struct jt_probe_footprint fp;

	setenv(JT_PROBE_LIMIT_ENV, "1G", 1);
	ck_assert_int_eq(jt_probe_os_open(), 0);
	ck_assert_int_eq(jt_probe_os_footprint(&fp), 0);
	ck_assert_int_eq(fp.limit_bytes, 1024LL * MIB);
	ck_assert_int_eq(fp.footprint_bytes + fp.remaining_bytes, 1024LL * MIB);
	jt_probe_os_close();
	/* Over the limit, remaining reads 0, as on iOS. */
	setenv(JT_PROBE_LIMIT_ENV, "4096", 1);
	ck_assert_int_eq(jt_probe_os_open(), 0);
	ck_assert_int_eq(jt_probe_os_footprint(&fp), 0);
	ck_assert_int_eq(fp.remaining_bytes, 0);
	jt_probe_os_close();
	unsetenv(JT_PROBE_LIMIT_ENV);
}
END_TEST

START_TEST(os_info_names_the_platform_page_size_and_ram)
{
	struct jt_probe_os_info info;

	jt_probe_os_info(&info);
	ck_assert_str_eq(info.platform, "linux");
	ck_assert_int_eq(info.page_size_bytes, sysconf(_SC_PAGESIZE));
	ck_assert_int_gt(info.ram_bytes, 64 * MIB);
	ck_assert(info.os_version[0] != '\0');
	ck_assert_int_eq(jt_probe_os_syslog(JT_PROBE_SYSLOG_MARKER, "x", 1),
			 -1);
}
END_TEST

/* run - jetsam-probe with args into tmpdir/log.jsonl; returns status. */
static int
run(char *msg, size_t len, ...)
{
	struct jt_probe_config c;
	char *argv[32], log[128];
	int argc = 0;
	va_list ap;

	snprintf(log, sizeof(log), "%s/log.jsonl", tmpdir);
	argv[argc++] = "jetsam-probe";
	argv[argc++] = "--quiet";
	argv[argc++] = "--log";
	argv[argc++] = log;
	va_start(ap, len);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	msg[0] = '\0';
	ck_assert_int_eq(jt_probe_parse_args(&c, argc, argv, msg, len), 0);
	return jt_probe_run(&c, msg, len);
}

static struct jt_probelog *
load_log(void)
{
	char log[128];
	struct jt_error err;
	struct jt_probelog *pl;

	snprintf(log, sizeof(log), "%s/log.jsonl", tmpdir);
	jt_error_init(&err);
	pl = jt_probelog_load(log, 0, &err);
	ck_assert_msg(pl != NULL, "%s", err.text);
	return pl;
}

/* post_background - what the app shell does when the app is sent away. */
static void *
post_background(void *arg)
{
	struct timespec ts = {0, 60 * 1000 * 1000};

	(void)arg;
	nanosleep(&ts, NULL);
	(void)jt_probe_post("state", "background");
	return NULL;
}

START_TEST(run_to_max_logs_header_a_sample_per_step_and_the_end)
{
	char msg[256];
	struct jt_probelog *pl;
	size_t i;

	ck_assert_int_eq(run(msg, sizeof(msg), "--max", "4M", "--step", "1M",
			     "--rate", "1G", (char *)NULL),
			 JT_PROBE_EXIT_OK);
	pl = load_log();
	ck_assert(pl->has_header);
	ck_assert_str_eq(pl->header.fill, "touch");
	ck_assert_int_eq(pl->header.step_bytes, MIB);
	ck_assert_int_eq(pl->header.pid, getpid());
	ck_assert_str_eq(pl->header.profile, "app");
	ck_assert_ptr_null(pl->header.run_id);
	ck_assert_uint_eq(pl->nsamples, 5);
	for (i = 0; i < pl->nsamples; i++) {
		ck_assert_int_eq(pl->samples[i].seq, (int64_t)i);
		ck_assert_int_eq(pl->samples[i].allocated_bytes,
				 (int64_t)i * MIB);
		ck_assert_int_eq(pl->samples[i].remaining_bytes, -1);
	}
	/* Every step's block is really resident. */
	ck_assert_int_ge(pl->samples[4].footprint_bytes -
				 pl->samples[0].footprint_bytes,
			 4 * MIB);
	ck_assert_uint_eq(pl->nevents, 1);
	ck_assert_str_eq(pl->events[0].kind, "end");
	ck_assert_str_eq(pl->events[0].detail, "max");
	ck_assert(!pl->torn_tail);
	jt_probelog_free(pl);
}
END_TEST

START_TEST(posted_events_are_logged_in_order_with_their_time)
{
	char msg[256];
	struct jt_probelog *pl;
	struct jt_probe_summary sum;
	pthread_t t;
	size_t i;

	/* Before the run: logged right after sample 0, at t_ms 0. */
	ck_assert_int_eq(jt_probe_post("state", "active"), 0);
	ck_assert_int_eq(jt_probe_post("warning", "uikit"), 0);
	ck_assert_int_eq(jt_probe_post("a-kind-longer-than-15", NULL), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, post_background, NULL), 0);
	ck_assert_int_eq(run(msg, sizeof(msg), "--max", "6M", "--step", "1M",
			     "--rate", "20M", (char *)NULL),
			 JT_PROBE_EXIT_OK);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	pl = load_log();
	ck_assert_uint_eq(pl->nevents, 5);
	ck_assert_str_eq(pl->events[0].kind, "state");
	ck_assert_str_eq(pl->events[0].detail, "active");
	ck_assert_str_eq(pl->events[1].kind, "warning");
	ck_assert_str_eq(pl->events[1].detail, "uikit");
	ck_assert_str_eq(pl->events[2].kind, "a-kind-longer-t");
	ck_assert_ptr_null(pl->events[2].detail);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(pl->events[i].t_ms, 0);
		ck_assert_uint_eq(pl->events[i].after_samples, 1);
	}
	/* From another thread during the run: timed when posted, so no
	 * later than the sample it follows. */
	ck_assert_str_eq(pl->events[3].kind, "state");
	ck_assert_str_eq(pl->events[3].detail, "background");
	ck_assert_uint_gt(pl->events[3].after_samples, 1);
	ck_assert_int_le(pl->events[3].t_ms,
			 pl->samples[pl->events[3].after_samples - 1].t_ms);
	ck_assert_int_gt(pl->events[3].t_ms, 0);
	ck_assert_str_eq(pl->events[4].kind, "end");
	ck_assert_int_eq(jt_probelog_summarize(pl, -1, &sum, NULL), 0);
	ck_assert_int_eq(sum.left_foreground, 1);
	jt_probelog_free(pl);
}
END_TEST

START_TEST(a_full_queue_drops_and_the_log_says_how_many)
{
	char msg[256], detail[16];
	struct jt_probelog *pl;
	int i, rc;

	for (i = 0; i < 70; i++) {
		snprintf(detail, sizeof(detail), "%d", i);
		rc = jt_probe_post("note", detail);
		ck_assert_int_eq(rc, i < 64 ? 0 : -1);
	}
	ck_assert_int_eq(run(msg, sizeof(msg), "--max", "1M", "--rate", "1G",
			     (char *)NULL),
			 JT_PROBE_EXIT_OK);
	pl = load_log();
	ck_assert_uint_eq(pl->nevents, 66);
	ck_assert_str_eq(pl->events[0].kind, "dropped");
	ck_assert_str_eq(pl->events[0].detail, "6");
	for (i = 0; i < 64; i++) {
		snprintf(detail, sizeof(detail), "%d", i);
		ck_assert_str_eq(pl->events[i + 1].kind, "note");
		ck_assert_str_eq(pl->events[i + 1].detail, detail);
	}
	ck_assert_str_eq(pl->events[65].kind, "end");
	jt_probelog_free(pl);
}
END_TEST

START_TEST(random_and_constant_fills_make_the_footprint_too)
{
	static const char *const fills[] = {"random", "constant"};
	int i;

	for (i = 0; i < 2; i++) {
		char msg[256], log[128];
		struct jt_probelog *pl;

		ck_assert_int_eq(run(msg, sizeof(msg), "--max", "8M", "--step",
				     "2M", "--rate", "1G", "--fill", fills[i],
				     (char *)NULL),
				 JT_PROBE_EXIT_OK);
		pl = load_log();
		ck_assert_str_eq(pl->header.fill, fills[i]);
		ck_assert_int_ge(pl->samples[pl->nsamples - 1].footprint_bytes -
					 pl->samples[0].footprint_bytes,
				 8 * MIB);
		jt_probelog_free(pl);
		snprintf(log, sizeof(log), "%s/log.jsonl", tmpdir);
		unlink(log);
	}
}
END_TEST

START_TEST(hold_stops_allocating_and_the_hold_time_ends_the_run)
{
	char msg[256];
	struct jt_probelog *pl;
	struct jt_probe_summary s;

	ck_assert_int_eq(run(msg, sizeof(msg), "--hold", "3M", "--hold-time",
			     "0.2", "--step", "2M", "--rate", "100M",
			     (char *)NULL),
			 JT_PROBE_EXIT_OK);
	pl = load_log();
	ck_assert_str_eq(pl->events[0].kind, "hold");
	ck_assert_str_eq(pl->events[pl->nevents - 1].kind, "end");
	ck_assert_str_eq(pl->events[pl->nevents - 1].detail, "hold-timeout");
	/* The last block is cut to land on the hold level. */
	ck_assert_int_eq(pl->samples[pl->nsamples - 1].allocated_bytes,
			 3 * MIB);
	ck_assert_uint_gt(pl->nsamples, 4);
	ck_assert_int_ge(pl->events[pl->nevents - 1].t_ms - pl->events[0].t_ms,
			 200);
	ck_assert_int_eq(jt_probelog_summarize(pl, -1, &s, NULL), 0);
	ck_assert_int_eq(s.crossing_bytes, -1);
	jt_probelog_free(pl);
}
END_TEST

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * median_slope - the Theil-Sen rate (median of the slopes between every
 * pair of samples) in bytes per second.  A first-touch stall on a VM at the
 * end of a short run moves an end-to-end rate by several percent; it barely
 * moves the median.
 */
static double
median_slope(const struct jt_probelog *pl)
{
	size_t n = pl->nsamples, i, j, k = 0;
	double *v = calloc(n * n / 2 + 1, sizeof(*v)), m;

	ck_assert_ptr_nonnull(v);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			const struct jt_probe_sample *a = &pl->samples[i];
			const struct jt_probe_sample *b = &pl->samples[j];

			if (a->allocated_bytes > 0 && b->t_ms > a->t_ms)
				v[k++] = (double)(b->allocated_bytes -
						  a->allocated_bytes) *
					1000.0 / (double)(b->t_ms - a->t_ms);
		}
	ck_assert_uint_gt(k, 10);
	qsort(v, k, sizeof(*v), cmp_double);
	m = v[k / 2];
	free(v);
	return m;
}

START_TEST(paced_rate_holds_within_one_percent_on_absolute_deadlines)
{
	char msg[256];
	struct jt_probelog *pl;
	struct jt_probe_summary s;
	int64_t want = 8 * MIB;

	/* 64 ms a step: room for a host that makes page faults far slower
	 * for a while. */
	ck_assert_int_eq(run(msg, sizeof(msg), "--max", "16M", "--step", "512K",
			     "--rate", "8M", (char *)NULL),
			 JT_PROBE_EXIT_OK);
	pl = load_log();
	ck_assert_int_eq(jt_probelog_summarize(pl, -1, &s, NULL), 0);
	ck_assert_int_eq(s.last_allocated_bytes, 16 * MIB);
	/* End to end or median slope: a stall at the end skews the first,
	 * many scattered stalls the second; wrong pacing misses both. */
	ck_assert_msg(
		llabs(s.effective_rate_bytes_per_s - want) <= want / 100 ||
			fabs(median_slope(pl) - (double)want) <=
				(double)want / 100,
		"paced rate %lld end to end, %.0f median slope; want %lld",
		(long long)s.effective_rate_bytes_per_s, median_slope(pl),
		(long long)want);
	jt_probelog_free(pl);
}
END_TEST

START_TEST(existing_log_is_refused_before_anything_is_allocated)
{
	char msg[256], log[128];
	int fd;

	snprintf(log, sizeof(log), "%s/log.jsonl", tmpdir);
	fd = open(log, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "keep\n", 5), 5);
	close(fd);
	ck_assert_int_eq(run(msg, sizeof(msg), "--max", "1M", (char *)NULL),
			 JT_PROBE_EXIT_FAIL);
	ck_assert_ptr_nonnull(strstr(msg, "cannot create"));
	ck_assert_ptr_nonnull(strstr(msg, "File exists"));
	fd = open(log, O_RDONLY);
	ck_assert_int_eq(read(fd, msg, sizeof(msg)), 5);
	close(fd);
}
END_TEST

START_TEST(unwritable_log_fails_before_anything_is_allocated)
{
	struct jt_probe_config c;
	char msg[256];
	char *argv[] = {"jetsam-probe", "--log", "/nonexistent/dir/log.jsonl",
			NULL};

	ck_assert_int_eq(jt_probe_parse_args(&c, 3, argv, msg, sizeof(msg)), 0);
	ck_assert_int_eq(jt_probe_run(&c, msg, sizeof(msg)),
			 JT_PROBE_EXIT_FAIL);
	ck_assert_str_eq(msg,
			 "cannot create '/nonexistent/dir/log.jsonl': "
			 "No such file or directory");
}
END_TEST

START_TEST(refused_malloc_is_logged_and_has_its_own_status)
{
	char msg[256];
	struct jt_probelog *pl;

	/* 64 TiB: more than any machine here will grant in one block. */
	ck_assert_int_eq(run(msg, sizeof(msg), "--step", "64T", "--rate", "64T",
			     (char *)NULL),
			 JT_PROBE_EXIT_NOMEM);
	ck_assert_ptr_nonnull(strstr(msg, "malloc refused"));
	pl = load_log();
	ck_assert_uint_eq(pl->nevents, 1);
	ck_assert_str_eq(pl->events[0].kind, "alloc-failed");
	ck_assert_str_eq(pl->events[0].detail, "70368744177664");
	jt_probelog_free(pl);
}
END_TEST

START_TEST(ramp_to_a_percentage_needs_a_known_limit)
{
	char msg[256];

	ck_assert_int_eq(
		run(msg, sizeof(msg), "--ramp-to", "50%", (char *)NULL),
		JT_PROBE_EXIT_USAGE);
	ck_assert_str_eq(msg,
			 "--ramp-to 50% needs a known limit, and the OS "
			 "gives none");
}
END_TEST

START_TEST(ramp_runs_without_pauses_then_paces_under_a_handed_limit)
{
	char msg[256];
	struct jt_probelog *pl;
	size_t i;

	setenv(JT_PROBE_LIMIT_ENV, "64M", 1);
	ck_assert_int_eq(run(msg, sizeof(msg), "--ramp-to", "50%", "--max",
			     "40M", "--rate", "64M", (char *)NULL),
			 JT_PROBE_EXIT_OK);
	unsetenv(JT_PROBE_LIMIT_ENV);
	pl = load_log();
	ck_assert_int_eq(pl->header.limit_bytes, 64 * MIB);
	ck_assert_int_eq(pl->header.ramp_to_bytes, 32 * MIB);
	ck_assert_str_eq(pl->events[0].kind, "ramp-done");
	ck_assert_int_ge(pl->events[0].footprint_bytes, 32 * MIB);
	for (i = 0; i < pl->nsamples; i++)
		ck_assert_int_eq(pl->samples[i].footprint_bytes +
					 pl->samples[i].remaining_bytes,
				 64 * MIB);
	/* 32 MiB ramped, then 8 MiB at 64 MiB/s: about 125 ms. */
	ck_assert_int_ge(
		pl->samples[pl->nsamples - 1].t_ms - pl->events[0].t_ms, 110);
	jt_probelog_free(pl);
}
END_TEST

static Suite *
probe_suite(void)
{
	Suite *s = suite_create("probe");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, make_tmp, remove_tmp);
	tcase_add_test(tc, sizes_take_binary_suffixes_and_reject_junk);
	tcase_add_test(tc,
		       options_have_the_documented_defaults_and_take_values);
	tcase_add_test(tc, bad_values_are_usage_errors_naming_the_value);
	tcase_add_test(tc, the_host_decides_the_run_through_the_environment);
	tcase_add_test(tc, profile_run_id_and_marker_are_checked_words);
	tcase_add_test(tc, posted_events_are_logged_in_order_with_their_time);
	tcase_add_test(tc, a_full_queue_drops_and_the_log_says_how_many);
	tcase_add_test(tc, footprint_grows_by_exactly_the_pages_touched);
	tcase_add_test(tc,
		       handed_limit_gives_remaining_as_limit_minus_footprint);
	tcase_add_test(tc, os_info_names_the_platform_page_size_and_ram);
	tcase_add_test(tc,
		       run_to_max_logs_header_a_sample_per_step_and_the_end);
	tcase_add_test(tc, random_and_constant_fills_make_the_footprint_too);
	tcase_add_test(tc,
		       hold_stops_allocating_and_the_hold_time_ends_the_run);
	tcase_add_test(
		tc, paced_rate_holds_within_one_percent_on_absolute_deadlines);
	tcase_add_test(tc,
		       existing_log_is_refused_before_anything_is_allocated);
	tcase_add_test(tc, unwritable_log_fails_before_anything_is_allocated);
	tcase_add_test(tc, refused_malloc_is_logged_and_has_its_own_status);
	tcase_add_test(tc, ramp_to_a_percentage_needs_a_known_limit);
	tcase_add_test(
		tc, ramp_runs_without_pauses_then_paces_under_a_handed_limit);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(probe_suite)
