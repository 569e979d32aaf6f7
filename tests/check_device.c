/*
 * check_device.c - jetsam/device/device.h, pull and device runs with the real
 * libimobiledevice client against tests/tools/fakedevice
 *
 * Each test case starts its own fake (an unchecked fixture, so once per
 * case, in the parent) on a unique socket in a private directory, points
 * USBMUXD_SOCKET_ADDRESS at it and kills it afterwards.  Built only with
 * WITH_DEVICE=1.
 */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jetsam/device/device.h"
#include "jetsam/device/devpull.h"
#include "jetsam/device/devjobs.h"
#include "jetsam/device/devicectl.h"
#include "jetsam/device/devrun.h"
#include "jetsam/device/gdbremote.h"
#include "jetsam/device/launch.h"
#include "jetsam/core/fileio.h"
#include "jetsam/report/report.h"
#include "suite.h"

#define UDID "0000feed0000000000000000000000000000a001"
#define UDID2 "0000feed0000000000000000000000000000b002"

static pid_t fake_pid = -1;
static char workdir[256];
static char sockpath[300];
static char statedir[300];

static void
rm_rf(const char *path)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", path);
}

static void
start_fake(const char *scenario)
{
	const char *build = getenv("BUILD");
	char fake[512], conf[512], addr[320];
	int i;

	snprintf(fake, sizeof(fake), "%s/tests/tools/fakedevice",
		 build != NULL ? build : "build");
	snprintf(conf, sizeof(conf), "tests/fakedevice/%s", scenario);
	snprintf(workdir, sizeof(workdir), "/tmp/check_device.XXXXXX");
	if (mkdtemp(workdir) == NULL)
		abort();
	snprintf(sockpath, sizeof(sockpath), "%s/mux", workdir);
	snprintf(statedir, sizeof(statedir), "%s/state", workdir);
	fake_pid = fork();
	if (fake_pid == 0) {
		execl(fake, fake, "-s", sockpath, "-c", conf, "-d", statedir,
		      (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 200 && access(sockpath, F_OK) != 0; i++) {
		struct timespec ts = {0, 25000000};

		nanosleep(&ts, NULL);
	}
	if (access(sockpath, F_OK) != 0) {
		fprintf(stderr, "fake device did not start: %s\n", fake);
		abort();
	}
	snprintf(addr, sizeof(addr), "UNIX:%s", sockpath);
	setenv("USBMUXD_SOCKET_ADDRESS", addr, 1);
}

static void
stop_fake(void)
{
	if (fake_pid > 0) {
		kill(fake_pid, SIGTERM);
		waitpid(fake_pid, NULL, 0);
		fake_pid = -1;
	}
	rm_rf(workdir);
}

static void
start_trusted(void)
{
	start_fake("trusted.conf");
}
static void
start_two(void)
{
	start_fake("two-devices.conf");
}
static void
start_locked(void)
{
	start_fake("locked.conf");
}
static void
start_services_locked(void)
{
	start_fake("services-locked.conf");
}
static void
start_missing(void)
{
	start_fake("missing-service.conf");
}
static void
start_unplug_pull(void)
{
	start_fake("unplug-pull.conf");
}
static void
start_unplug_capture(void)
{
	start_fake("unplug-capture.conf");
}
static void
start_probe_kill(void)
{
	start_fake("probe-kill.conf");
}
static void
start_vanish(void)
{
	start_fake("vanish.conf");
}
static void
start_hostile_files(void)
{
	start_fake("hostile-files.conf");
}
static void
start_two_probes(void)
{
	start_fake("two-probes.conf");
}
static void
start_lab_two(void)
{
	start_fake("lab-two.conf");
}
static void
start_lab_bare(void)
{
	start_fake("lab-bare.conf");
}
static void
no_fake(void)
{
	snprintf(workdir, sizeof(workdir), "/tmp/check_device.XXXXXX");
	if (mkdtemp(workdir) == NULL)
		abort();
}

/* fake_file - the text of the fake device's state file name of udid
 * (static buffer; "" when absent). */
static const char *
fake_file(const char *udid, const char *name)
{
	static char text[4096];
	char path[700];
	FILE *fp;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s/%s", statedir, udid, name);
	fp = fopen(path, "r");
	if (fp != NULL) {
		n = fread(text, 1, sizeof(text) - 1, fp);
		fclose(fp);
	}
	text[n] = '\0';
	return text;
}

/* ---- enumeration and identity ------------------------------------------- */

START_TEST(udids_are_listed_once_each_and_sorted)
{
	char **udids;
	size_t n;

	ck_assert_int_eq(jt_device_udids(&udids, &n, NULL), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(udids[0], UDID);
	ck_assert_str_eq(udids[1], UDID2);
	ck_assert_ptr_null(udids[2]);
	jt_device_udids_free(udids);
}
END_TEST

START_TEST(a_device_waiting_for_trust_is_identified_with_its_state)
{
	struct jt_device_info ok, pending;

	ck_assert_int_eq(jt_device_identify(UDID, &ok, NULL), 0);
	ck_assert_int_eq(ok.state, JT_DEVICE_OK);
	ck_assert_str_eq(ok.product_type, "iPhone12,1");
	ck_assert_str_eq(ok.hardware_model, "N104AP");
	ck_assert_str_eq(ok.device_name, "Lab iPhone");
	ck_assert_ptr_null(ok.state_detail);
	ck_assert_int_eq(jt_device_identify(UDID2, &pending, NULL), 0);
	ck_assert_int_eq(pending.state, JT_DEVICE_PAIRING_PENDING);
	ck_assert_str_eq(jt_device_state_name(pending.state),
			 "pairing-pending");
	/* what lockdownd tells without a session is still there */
	ck_assert_str_eq(pending.product_type, "iPhone8,1");
	ck_assert_str_eq(pending.product_version, "13.7");
	ck_assert_ptr_nonnull(pending.state_detail);
	jt_device_info_release(&ok);
	jt_device_info_release(&pending);
}
END_TEST

START_TEST(opening_without_a_udid_among_two_devices_is_an_error)
{
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_ptr_null(jt_device_open(NULL, &err));
	ck_assert_int_eq(err.code, JT_EDEVICE);
	ck_assert_str_eq(err.text,
			 "2 devices connected: choose one with -u UDID");
}
END_TEST

START_TEST(an_unknown_udid_is_unknown)
{
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_ptr_null(jt_device_open("feedface", &err));
	ck_assert_int_eq(err.code, JT_EUNKNOWN);
	ck_assert_str_eq(err.source, "feedface");
}
END_TEST

START_TEST(opening_a_device_waiting_for_trust_says_so)
{
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_ptr_null(jt_device_open(UDID2, &err));
	ck_assert_int_eq(err.code, JT_EDEVICE);
	ck_assert_ptr_nonnull(strstr(err.text, "trust pending"));
	ck_assert_ptr_nonnull(strstr(err.text, "-19"));
}
END_TEST

START_TEST(usbmuxd_not_running_is_a_device_error)
{
	struct jt_error err;
	char **udids;
	size_t n;

	setenv("USBMUXD_SOCKET_ADDRESS", "UNIX:/nonexistent/usbmuxd", 1);
	jt_error_init(&err);
	ck_assert_int_eq(jt_device_udids(&udids, &n, &err), -1);
	ck_assert_int_eq(err.code, JT_EDEVICE);
	ck_assert_str_eq(err.text, "cannot reach usbmuxd: is it running?");
	jt_error_init(&err);
	ck_assert_ptr_null(jt_device_open(NULL, &err));
	ck_assert_int_eq(err.code, JT_EDEVICE);
}
END_TEST

START_TEST(a_passcode_locked_device_cannot_pair)
{
	struct jt_error err;
	struct jt_device_info info;

	jt_error_init(&err);
	ck_assert_ptr_null(jt_device_open(UDID, &err));
	ck_assert_ptr_nonnull(strstr(err.text, "passcode locked"));
	ck_assert_int_eq(jt_device_identify(UDID, &info, NULL), 0);
	ck_assert_int_eq(info.state, JT_DEVICE_LOCKED);
	jt_device_info_release(&info);
}
END_TEST

/* ---- reports ------------------------------------------------------------ */

START_TEST(the_jail_is_flushed_listed_read_verified_and_removed)
{
	struct jt_device *d = jt_device_open(NULL, NULL);
	struct jt_device_file *files;
	char *buf, *want, path[512];
	size_t n, len, wantlen;
	int pinged = 0;

	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(jt_device_get_info(d)->udid, UDID);
	ck_assert_int_eq(jt_device_reports_flush(d, &pinged, NULL), 0);
	ck_assert_int_eq(pinged, 1);
	ck_assert_int_eq(jt_device_reports_list(d, &files, &n, NULL), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(files[0].name, "Analytics-2020-02-22-180009.ips");
	ck_assert_str_eq(files[2].name, "JetsamEvent-2020-10-15-172958.ips");
	ck_assert_int_eq(files[2].size_bytes, 201083);
	ck_assert_int_gt(files[2].mtime_unix_s, 0);
	ck_assert_int_eq(jt_device_report_read(d, files[2].name,
					       files[2].size_bytes, 1 << 20,
					       &buf, &len, NULL),
			 0);
	ck_assert_int_eq(jt_read_file("tests/fakedevice/reports/"
				      "real-iPhone12-1-iOS14.2.ips",
				      1 << 20, &want, &wantlen, NULL),
			 0);
	ck_assert_uint_eq(len, wantlen);
	ck_assert(memcmp(buf, want, len) == 0);
	free(buf);
	free(want);
	ck_assert_int_eq(jt_device_report_remove(d, files[2].name, NULL), 0);
	snprintf(path, sizeof(path), "%s/%s/reports/%s", statedir, UDID,
		 files[2].name);
	ck_assert_int_ne(access(path, F_OK), 0);
	jt_device_files_free(files, n);
	jt_device_close(d);
}
END_TEST

START_TEST(a_copy_of_the_wrong_size_or_too_large_is_refused)
{
	struct jt_device *d = jt_device_open(UDID, NULL);
	struct jt_error err;
	char *buf;
	size_t len;

	ck_assert_ptr_nonnull(d);
	jt_error_init(&err);
	ck_assert_int_eq(
		jt_device_report_read(d, "JetsamEvent-2018-05-01-101112.ips",
				      43021, 1 << 20, &buf, &len, &err),
		-1);
	ck_assert_ptr_nonnull(strstr(err.text, "not verified"));
	ck_assert_ptr_null(buf);
	jt_error_init(&err);
	ck_assert_int_eq(
		jt_device_report_read(d, "JetsamEvent-2018-05-01-101112.ips",
				      -1, 1000, &buf, &len, &err),
		-1);
	ck_assert_int_eq(err.code, JT_ELIMIT);
	jt_device_close(d);
}
END_TEST

START_TEST(a_missing_report_is_reported_as_vanished)
{
	struct jt_device *d = jt_device_open(UDID, NULL);
	struct jt_error err;
	char *buf;
	size_t len;

	ck_assert_ptr_nonnull(d);
	jt_error_init(&err);
	ck_assert_int_eq(jt_device_report_read(d, "JetsamEvent-nope.ips", -1,
					       1 << 20, &buf, &len, &err),
			 -1);
	ck_assert_int_eq(err.errnum, ENOENT);
	ck_assert_ptr_nonnull(strstr(err.text, "vanished"));
	jt_error_init(&err);
	ck_assert_int_eq(
		jt_device_report_remove(d, "JetsamEvent-nope.ips", &err), -1);
	ck_assert_int_eq(err.errnum, ENOENT);
	jt_device_close(d);
}
END_TEST

START_TEST(reading_syslog_before_starting_it_is_an_error)
{
	struct jt_device *d = jt_device_open(UDID, NULL);
	struct jt_error err;
	char buf[64];
	size_t got;

	ck_assert_ptr_nonnull(d);
	jt_error_init(&err);
	ck_assert_int_eq(
		jt_device_syslog_read(d, buf, sizeof(buf), &got, 10, &err), -1);
	ck_assert_str_eq(err.text, "syslog was not started");
	ck_assert_int_eq(jt_device_syslog_start(d, NULL), 0);
	ck_assert_int_eq(
		jt_device_syslog_read(d, buf, sizeof(buf), &got, 2000, NULL),
		1);
	ck_assert_uint_gt(got, 0);
	jt_device_close(d);
}
END_TEST

START_TEST(pull_copies_what_is_there_and_lists_what_vanished)
{
	struct jt_device *d = jt_device_open(UDID, NULL);
	struct jt_pull_opts o = {0, 0, -1};
	struct jt_pulled *items;
	char dir[400], path[512];
	size_t n;

	ck_assert_ptr_nonnull(d);
	snprintf(dir, sizeof(dir), "%s/out", workdir);
	ck_assert_int_eq(jt_pull_reports(d, dir, &o, &items, &n, NULL), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(items[0].name, "JetsamEvent-2018-05-01-090000.ips");
	ck_assert_int_eq(items[0].status, JT_PULL_VANISHED);
	ck_assert_int_eq(items[0].removed, 0);
	ck_assert_int_eq(items[1].status, JT_PULL_COPIED);
	ck_assert_int_eq(items[1].removed, 1);
	ck_assert_int_eq(items[1].size_bytes, 43020);
	snprintf(path, sizeof(path), "%s/device.json", dir);
	ck_assert_int_eq(access(path, F_OK), 0);
	jt_pull_free(items, n);
	jt_device_close(d);
}
END_TEST

START_TEST(every_hostile_file_gets_its_own_outcome_and_the_rest_are_pulled)
{
	struct jt_device *d = jt_device_open(UDID, NULL);
	struct jt_pull_opts o = {0, 0, -1};
	struct jt_device_file *files;
	struct jt_pulled *items;
	struct jt_error err;
	int count[JT_PULL_FAILED + 1] = {0};
	char dir[400];
	size_t n, i, removed = 0, refused = 0;

	ck_assert_ptr_nonnull(d);
	/* the listing keeps refused names, never cut, never stat'ed */
	ck_assert_int_eq(jt_device_reports_list(d, &files, &n, NULL), 0);
	ck_assert_uint_eq(n, 14);
	for (i = 0; i < n; i++)
		if (files[i].refused != NULL) {
			refused++;
			ck_assert_int_eq(files[i].size_bytes, -1);
			if (strlen(files[i].name) > 255)
				ck_assert_uint_eq(strlen(files[i].name), 5016);
		}
	ck_assert_uint_eq(refused, 5);
	jt_device_files_free(files, n);

	snprintf(dir, sizeof(dir), "%s/out", workdir);
	jt_error_init(&err);
	ck_assert_int_eq(jt_pull_reports(d, dir, &o, &items, &n, &err), -1);
	/* no file stopped the pull: err is for the device only */
	ck_assert(!jt_error_isset(&err));
	ck_assert_uint_eq(n, 14);
	for (i = 0; i < n; i++) {
		count[items[i].status]++;
		removed += (size_t)items[i].removed;
		ck_assert_int_eq(items[i].detail == NULL,
				 jt_pull_ok(items[i].status));
		if (items[i].status == JT_PULL_REFUSED)
			ck_assert_ptr_null(items[i].path);
	}
	ck_assert_int_eq(count[JT_PULL_COPIED], 3);
	ck_assert_int_eq(count[JT_PULL_REFUSED], 5);
	ck_assert_int_eq(count[JT_PULL_UNVERIFIED], 3);
	ck_assert_int_eq(count[JT_PULL_MISMATCH], 2);
	ck_assert_int_eq(count[JT_PULL_OVERSIZED], 1);
	ck_assert_uint_eq(removed, 3);
	jt_pull_free(items, n);
	jt_device_close(d);
}
END_TEST

/* ---- locked and missing services ---------------------------------------- */

START_TEST(a_locked_device_starts_no_service)
{
	struct jt_device *d = jt_device_open(UDID, NULL);
	struct jt_error err;

	ck_assert_ptr_nonnull(d);
	jt_error_init(&err);
	ck_assert_int_eq(jt_device_reports_flush(d, NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "passcode locked"));
	jt_error_init(&err);
	ck_assert_int_eq(jt_device_syslog_start(d, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "'com.apple.syslog_relay'"));
	jt_device_close(d);
}
END_TEST

START_TEST(a_missing_service_is_named)
{
	struct jt_device *d = jt_device_open(UDID, NULL);
	struct jt_device_file *files;
	struct jt_error err;
	size_t n;

	ck_assert_ptr_nonnull(d);
	jt_error_init(&err);
	ck_assert_int_eq(jt_device_reports_list(d, &files, &n, &err), -1);
	ck_assert_str_eq(err.text,
			 "service 'com.apple.crashreportcopymobile' "
			 "is not available on this device (lockdownd "
			 "-27)");
	jt_device_close(d);
}
END_TEST

/* ---- unplugging ---------------------------------------------------------- */

START_TEST(a_cable_pulled_mid_transfer_is_told_apart)
{
	struct jt_device *d = jt_device_open(UDID, NULL);
	struct jt_error err;
	char *buf;
	size_t len;

	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(
		jt_device_report_read(d, "JetsamEvent-2018-05-01-101112.ips",
				      43020, 1 << 20, &buf, &len, NULL),
		0);
	free(buf);
	jt_error_init(&err);
	ck_assert_int_eq(
		jt_device_report_read(d, "JetsamEvent-2020-10-15-172958.ips",
				      201083, 1 << 20, &buf, &len, &err),
		-1);
	ck_assert_str_eq(err.text,
			 "device was unplugged during transfer of "
			 "'JetsamEvent-2020-10-15-172958.ips'");
	jt_device_close(d);
}
END_TEST

START_TEST(a_cable_pulled_mid_capture_is_told_apart)
{
	struct jt_device *d = jt_device_open(UDID, NULL);
	struct jt_error err;
	char buf[4096];
	size_t got;
	int rc, i;

	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(jt_device_syslog_start(d, NULL), 0);
	jt_error_init(&err);
	for (i = 0; i < 1000; i++) {
		rc = jt_device_syslog_read(d, buf, sizeof(buf), &got, 200,
					   &err);
		if (rc < 0)
			break;
	}
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(err.text, "device was unplugged during capture");
	jt_device_close(d);
}
END_TEST

/* ---- device runs --------------------------------------------------------- */

START_TEST(a_device_run_records_the_kill_with_its_report)
{
	struct jt_device *d = jt_device_open(UDID, NULL);
	struct jt_devrun_opts o;
	struct jt_devrun_seen seen = {NULL, 0};
	struct jt_runrec rec;
	struct jt_error err;
	char dir[400];

	ck_assert_ptr_nonnull(d);
	memset(&o, 0, sizeof(o));
	o.silence_ms = 10000;
	o.grace_ms = 2000;
	o.report_wait_ms = 10000;
	snprintf(dir, sizeof(dir), "%s/runs", workdir);
	jt_error_init(&err);
	ck_assert_msg(jt_devrun_once(d, dir, &o, &seen, &rec, &err) == 0, "%s",
		      err.text);
	ck_assert_str_eq(rec.run_id, "iPhone12,1-14.2-1");
	ck_assert_str_eq(rec.kind, "device");
	ck_assert_str_eq(rec.enforcer, "jetsam");
	ck_assert_str_eq(rec.report, "JetsamEvent-2020-10-15-173004.ips");
	ck_assert_int_eq(rec.report_bytes, 1360LL * 1048576);
	ck_assert_int_eq(rec.footprint_remaining_bytes, 1360LL * 1048576);
	ck_assert_str_eq(rec.kill_reason, "per-process-limit");
	ck_assert_int_eq(rec.samples, 21);
	jt_runrec_release(&rec);
	jt_devrun_seen_release(&seen);
	jt_device_close(d);
}
END_TEST

START_TEST(the_probe_is_matched_by_pid_among_the_killed)
{
	struct jt_report *r = jt_report_load(
		"tests/fakedevice/reports/probe-kill.ips", NULL, NULL);

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(jt_devrun_match(r, 4242, "JetsamProbe"), 1);
	/* a process that is in the report but was not killed */
	ck_assert_int_eq(jt_devrun_match(r, 350, "backboardd"), -1);
	ck_assert_int_eq(jt_devrun_match(r, 4243, "JetsamProbe"), -1);
	jt_report_free(r);
}
END_TEST

START_TEST(without_pids_the_probe_is_matched_by_its_cut_name)
{
	struct jt_report *r = jt_report_load(
		"tests/corpus/dev/iPad2-5_iOS7.0.4_7BC7B59F_lowmemory-text.ips",
		NULL, NULL);
	long k;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->processes[r->kills[0].process].pid, -1);
	k = r->nkills > 0 ? (long)r->kills[0].process : -1;
	ck_assert_int_ge(k, 0);
	ck_assert_int_eq(jt_devrun_match(r, 999999, r->processes[k].name) >= 0,
			 1);
	jt_report_free(r);
}
END_TEST

/* ---- jobs on several devices -------------------------------------------- */

/* What the hooks saw, from the jobs' threads. */
struct hooks_seen {
	pthread_mutex_t lock;
	int launched;
	int ended;
	int open_failures;
	int fail_launch; /* fail this many launches */
	int samples;
	char last_run_id[64];
};

static int
count_launch(struct jt_device *dev, const char *run_id, void *ud,
	     struct jt_error *err)
{
	struct hooks_seen *h = ud;
	int fail;

	ck_assert_ptr_nonnull(jt_device_get_info(dev)->udid);
	pthread_mutex_lock(&h->lock);
	h->launched++;
	snprintf(h->last_run_id, sizeof(h->last_run_id), "%s", run_id);
	fail = h->fail_launch > 0;
	if (fail)
		h->fail_launch--;
	pthread_mutex_unlock(&h->lock);
	if (fail)
		return jt_error_set_in(err, JT_EDEVICE, NULL,
				       "the launcher could not start the app");
	return 0;
}

static void
count_event(const struct jt_devjob_event *ev, void *ud)
{
	struct hooks_seen *h = ud;

	pthread_mutex_lock(&h->lock);
	if (ev->kind == JT_DEVJOB_OPEN_FAILED)
		h->open_failures++;
	else if (ev->kind == JT_DEVJOB_RUN_END)
		h->ended++;
	else if (ev->kind == JT_DEVJOB_SAMPLE && ev->limit_bytes > 0)
		h->samples++;
	pthread_mutex_unlock(&h->lock);
}

static void
jobs_opts(struct jt_devjobs_opts *o, const char *dir, struct hooks_seen *h)
{
	memset(o, 0, sizeof(*o));
	memset(h, 0, sizeof(*h));
	pthread_mutex_init(&h->lock, NULL);
	o->dir = dir;
	o->run.silence_ms = 10000;
	o->run.grace_ms = 2000;
	o->run.report_wait_ms = 10000;
	o->run.launch = count_launch;
	o->run.ud = h;
	o->event = count_event;
	o->ud = h;
}

START_TEST(jobs_run_every_device_in_parallel_and_keep_device_order)
{
	static const char *const udids[] = {
		"0000feed0000000000000000000000000000a002",
		"0000feed0000000000000000000000000000a001"};
	struct jt_devjobs_opts o;
	struct hooks_seen h;
	struct jt_devjob *jobs;
	char dir[400], path[600];
	size_t i;

	snprintf(dir, sizeof(dir), "%s/jobs", workdir);
	jobs_opts(&o, dir, &h);
	jobs = jt_devjobs_new(udids, 2, 1, NULL);
	ck_assert_ptr_nonnull(jobs);
	ck_assert_int_eq(jt_devjobs_run(jobs, 2, &o, NULL), 0);
	ck_assert_int_eq(h.launched, 2);
	ck_assert_int_eq(h.ended, 2);
	/* progress: samples with footprint + remaining */
	ck_assert_int_ge(h.samples, 2 * 21);
	for (i = 0; i < 2; i++) {
		const struct jt_devjob_run *r = &jobs[i].runs[0];

		ck_assert_int_eq(jobs[i].failed, 0);
		ck_assert_int_eq(jobs[i].ok, 1);
		ck_assert_uint_eq(jobs[i].nattempts, 1);
		ck_assert_int_eq(r->recorded, 1);
		/* results stay with the device they were asked for */
		ck_assert_str_eq(r->rec.udid, udids[i]);
		ck_assert_int_eq(r->rec.report_bytes, 1360LL * 1048576);
		snprintf(path, sizeof(path), "%s/%s/run.json", dir,
			 r->rec.run_id);
		ck_assert_int_eq(access(path, F_OK), 0);
	}
	jt_devjobs_free(jobs, 2);
	pthread_mutex_destroy(&h.lock);
}
END_TEST

START_TEST(a_launcher_that_fails_fails_the_run_and_ends_the_job)
{
	struct jt_devjobs_opts o;
	struct hooks_seen h;
	struct jt_devjob *jobs;
	struct jt_runrec rec;
	char dir[400], path[600];

	snprintf(dir, sizeof(dir), "%s/jobs-launch", workdir);
	jobs_opts(&o, dir, &h);
	h.fail_launch = 100;
	o.retries = 1;
	jobs = jt_devjobs_new((const char *const[]){UDID}, 1, 3, NULL);
	ck_assert_ptr_nonnull(jobs);
	ck_assert_int_eq(jt_devjobs_run(jobs, 1, &o, NULL), -1);
	ck_assert_int_eq(jobs[0].failed, 1);
	/* the first run, tried twice; the job ends there */
	ck_assert_uint_eq(jobs[0].nattempts, 2);
	ck_assert_int_eq(jobs[0].ok, 0);
	ck_assert_int_eq(jobs[0].failed_attempts, 2);
	ck_assert_int_eq(jobs[0].runs[1].run, 1);
	ck_assert_int_eq(jobs[0].runs[1].attempt, 2);
	ck_assert_int_eq(h.launched, 2);
	ck_assert_int_eq(h.ended, 2);
	ck_assert_str_eq(jobs[0].err.text,
			 "the launcher could not start the app");
	ck_assert_int_eq(jobs[0].runs[0].recorded, 0);
	ck_assert_str_eq(jobs[0].runs[0].rec.failure, "launch-failed");
	/* no run record: a failed one, with the reason */
	snprintf(path, sizeof(path), "%s/%s/run.json", dir, h.last_run_id);
	ck_assert_int_ne(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/%s/%s", dir, h.last_run_id,
		 JT_RUNREC_FAILED_NAME);
	ck_assert_int_eq(jt_runrec_load(&rec, path, NULL), 0);
	ck_assert_str_eq(rec.failure, "launch-failed");
	ck_assert_str_eq(rec.failure_detail,
			 "the launcher could not start the app");
	jt_runrec_release(&rec);
	jt_devjobs_free(jobs, 1);
	pthread_mutex_destroy(&h.lock);
}
END_TEST

START_TEST(a_failed_attempt_is_tried_again_and_the_job_goes_on)
{
	struct jt_devjobs_opts o;
	struct hooks_seen h;
	struct jt_devjob *jobs;
	char dir[400];

	snprintf(dir, sizeof(dir), "%s/jobs-retry", workdir);
	jobs_opts(&o, dir, &h);
	h.fail_launch = 1;
	o.retries = 2;
	jobs = jt_devjobs_new((const char *const[]){UDID}, 1, 1, NULL);
	ck_assert_ptr_nonnull(jobs);
	ck_assert_int_eq(jt_devjobs_run(jobs, 1, &o, NULL), 0);
	ck_assert_int_eq(jobs[0].failed, 0);
	ck_assert_int_eq(jobs[0].ok, 1);
	ck_assert_int_eq(jobs[0].failed_attempts, 1);
	ck_assert_uint_eq(jobs[0].nattempts, 2);
	ck_assert_str_eq(jobs[0].runs[0].rec.failure, "launch-failed");
	ck_assert_int_eq(jobs[0].runs[1].recorded, 1);
	ck_assert_ptr_null(jobs[0].runs[1].rec.failure);
	jt_devjobs_free(jobs, 1);

	/* resumed: the directory's good run counts, one more is made */
	jobs_opts(&o, dir, &h);
	o.resume = 1;
	jobs = jt_devjobs_new((const char *const[]){UDID}, 1, 2, NULL);
	ck_assert_ptr_nonnull(jobs);
	ck_assert_int_eq(jt_devjobs_run(jobs, 1, &o, NULL), 0);
	ck_assert_int_eq(h.launched, 1);
	ck_assert_int_eq(jobs[0].ok, 2);
	ck_assert_int_eq(jobs[0].failed_attempts, 1);
	ck_assert_uint_eq(jobs[0].nattempts, 3);
	ck_assert_int_eq(jobs[0].runs[0].resumed, 1);
	ck_assert_int_eq(jobs[0].runs[1].resumed, 1);
	ck_assert_int_eq(jobs[0].runs[2].resumed, 0);
	ck_assert_int_eq(jobs[0].runs[2].run, 2);
	jt_devjobs_free(jobs, 1);
	pthread_mutex_destroy(&h.lock);
}
END_TEST

START_TEST(a_device_that_cannot_be_opened_fails_its_job_alone)
{
	static const char *const udids[] = {
		"0000feed0000000000000000000000000000ffff", NULL};
	struct jt_devjobs_opts o;
	struct hooks_seen h;
	struct jt_devjob *jobs;

	jobs_opts(&o, "/nonexistent/never-made", &h);
	/* NULL: the only device, of which there are two here */
	jobs = jt_devjobs_new(udids, 2, 1, NULL);
	ck_assert_ptr_nonnull(jobs);
	ck_assert_ptr_null(jobs[1].udid);
	ck_assert_int_eq(jt_devjobs_run(jobs, 2, &o, NULL), -1);
	ck_assert_int_eq(h.open_failures, 2);
	ck_assert_int_eq(h.launched, 0);
	ck_assert_int_eq(jobs[0].err.code, JT_EUNKNOWN);
	ck_assert_ptr_nonnull(strstr(jobs[1].err.text, "2 devices connected"));
	ck_assert_uint_eq(jobs[0].nattempts, 0);
	jt_devjobs_free(jobs, 2);
	pthread_mutex_destroy(&h.lock);
}
END_TEST

START_TEST(the_cancel_flag_stops_jobs_before_a_run)
{
	volatile sig_atomic_t stop = 1;
	struct jt_devjobs_opts o;
	struct hooks_seen h;
	struct jt_devjob *jobs;
	char dir[400];

	snprintf(dir, sizeof(dir), "%s/jobs-stop", workdir);
	jobs_opts(&o, dir, &h);
	o.run.stop = &stop;
	jobs = jt_devjobs_new((const char *const[]){UDID}, 1, 2, NULL);
	ck_assert_ptr_nonnull(jobs);
	ck_assert_int_eq(jt_devjobs_run(jobs, 1, &o, NULL), -1);
	ck_assert_uint_eq(jobs[0].nattempts, 0);
	ck_assert_int_eq(jobs[0].failed, 0);
	ck_assert_int_eq(h.launched, 0);
	ck_assert_int_ne(access(dir, F_OK), 0);
	ck_assert_ptr_null(jt_devjobs_new(NULL, 0, 0, NULL));
	jt_devjobs_free(jobs, 1);
	pthread_mutex_destroy(&h.lock);
}
END_TEST

/* ---- GDB remote packets, the launcher's choices (no device) ------------- */

START_TEST(packets_are_framed_with_their_checksum)
{
	struct jt_error err;
	size_t len;
	char *f;

	jt_error_init(&err);
	f = jt_gdb_frame("qLaunchSuccess", &len, NULL);
	ck_assert_str_eq(f, "$qLaunchSuccess#a5");
	ck_assert_uint_eq(len, strlen(f));
	free(f);
	f = jt_gdb_frame("OK", NULL, NULL);
	ck_assert_str_eq(f, "$OK#9a");
	free(f);
	ck_assert_ptr_null(jt_gdb_frame("a#b", NULL, &err));
	ck_assert_int_eq(err.code, JT_EINVAL);
}
END_TEST

START_TEST(the_launch_packet_hex_encodes_each_argument_with_its_length)
{
	const char *argv[] = {"/a/B.app/B", "--x"};
	char *p = jt_gdb_argv_packet(argv, 2, NULL), *h;

	/* as libimobiledevice's debugserver_client_set_argv makes it */
	ck_assert_str_eq(p, "A20,0,2F612F422E6170702F42,6,1,2D2D78");
	free(p);
	ck_assert_ptr_null(jt_gdb_argv_packet(argv, 0, NULL));
	h = jt_gdb_hex("K=\xff", NULL);
	ck_assert_str_eq(h, "4B3DFF");
	free(h);
}
END_TEST

static enum jt_gdb_event
feed_all(struct jt_gdb_reader *r, const char *s, enum jt_gdb_event *first)
{
	enum jt_gdb_event last = JT_GDB_NONE, e;

	*first = JT_GDB_NONE;
	for (; *s != '\0'; s++) {
		e = jt_gdb_reader_feed(r, *s);
		if (e != JT_GDB_NONE && *first == JT_GDB_NONE)
			*first = e;
		if (e != JT_GDB_NONE)
			last = e;
	}
	return last;
}

START_TEST(the_reader_takes_acks_and_packets_and_refuses_bad_sums)
{
	struct jt_gdb_reader r;
	enum jt_gdb_event first;
	char big[JT_GDB_REPLY_MAX + 16], msg[64];

	jt_gdb_reader_init(&r);
	ck_assert_int_eq(feed_all(&r, "+$OK#9a", &first), JT_GDB_PACKET);
	ck_assert_int_eq(first, JT_GDB_ACK);
	ck_assert_str_eq(r.payload, "OK");
	ck_assert_int_eq(feed_all(&r, "-", &first), JT_GDB_NAK);
	ck_assert_int_eq(feed_all(&r, "$OK#9b", &first), JT_GDB_BADSUM);
	ck_assert_int_eq(feed_all(&r, "$OK#zz", &first), JT_GDB_BADSUM);
	/* a packet cut short is dropped at the next '$': no shift */
	ck_assert_int_eq(feed_all(&r, "$E0$X09#c1", &first), JT_GDB_PACKET);
	ck_assert_str_eq(r.payload, "X09");
	/* noise between packets is passed over */
	ck_assert_int_eq(feed_all(&r, "\x03 junk$OK#9A", &first),
			 JT_GDB_PACKET);
	memset(big, 'a', sizeof(big));
	big[0] = '$';
	memcpy(big + sizeof(big) - 4, "#00", 4);
	ck_assert_int_eq(feed_all(&r, big, &first), JT_GDB_TOOLONG);
	ck_assert_int_eq(jt_gdb_reply_error("Efailed\x1b", msg, sizeof(msg)),
			 1);
	ck_assert_str_eq(msg, "failed\\x1b");
	ck_assert_int_eq(jt_gdb_reply_error("OK", msg, sizeof(msg)), 0);
}
END_TEST

START_TEST(the_route_follows_the_os_the_image_and_the_host)
{
	const char *why;

	ck_assert_int_eq(jt_launch_route_choose("16.1", 1, 0, &why),
			 JT_LAUNCH_DEBUGSERVER);
	ck_assert_int_eq(jt_launch_route_choose("13.7", 0, 1, &why),
			 JT_LAUNCH_PROMPT);
	ck_assert_ptr_nonnull(strstr(why, "not mounted"));
	ck_assert_int_eq(jt_launch_route_choose("14.2", -1, 0, &why),
			 JT_LAUNCH_PROMPT);
	ck_assert_int_eq(jt_launch_route_choose("17.0", 1, 0, &why),
			 JT_LAUNCH_PROMPT);
	ck_assert_ptr_nonnull(strstr(why, "CoreDevice"));
	ck_assert_int_eq(jt_launch_route_choose("18.4", -1, 1, &why),
			 JT_LAUNCH_DEVICECTL);
}
END_TEST

START_TEST(the_environment_carries_the_run_and_only_a_valid_run_id)
{
	struct jt_probe_params p;
	struct jt_error err;
	char **env;

	memset(&p, 0, sizeof(p));
	p.rate = "64M";
	p.ramp_to = "50%";
	p.fill = "constant";
	env = jt_launch_env(&p, "iPhone12,1-14.2-3", NULL);
	ck_assert_str_eq(env[0], "JETSAM_PROBE_FILL=constant");
	ck_assert_str_eq(env[1], "JETSAM_PROBE_RAMP_TO=50%");
	ck_assert_str_eq(env[2], "JETSAM_PROBE_RATE=64M");
	ck_assert_str_eq(env[3], "JETSAM_PROBE_RUN_ID=iPhone12,1-14.2-3");
	ck_assert_ptr_null(env[4]);
	jt_launch_env_free(env);
	env = jt_launch_env(&p, "a b", NULL);
	ck_assert_ptr_null(env[3]);
	jt_launch_env_free(env);
	ck_assert_int_eq(jt_probe_params_check(&p, NULL), 0);
	p.step = "0";
	jt_error_init(&err);
	ck_assert_int_eq(jt_probe_params_check(&p, &err), -1);
	ck_assert_int_eq(err.code, JT_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.text, "'0'"));
}
END_TEST

START_TEST(devicectl_is_given_the_environment_as_sorted_json)
{
	const char *env[] = {"JETSAM_PROBE_RUN_ID=r1", "JETSAM_PROBE_RATE=8M",
			     NULL};
	char **argv = jt_devicectl_argv(UDID, "com.example.p", env, NULL);
	static const char *const want[] = {
		"xcrun",
		"devicectl",
		"device",
		"process",
		"launch",
		"--device",
		UDID,
		"--terminate-existing",
		"--environment-variables",
		"{\"JETSAM_PROBE_RATE\":\"8M\",\"JETSAM_PROBE_RUN_ID\":\"r1\"}",
		"com.example.p",
	};
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_str_eq(argv[i], want[i]);
	ck_assert_ptr_null(argv[i]);
	jt_devicectl_argv_free(argv);
	/* this is not a Mac */
	ck_assert_int_eq(jt_devicectl_available(), 0);
}
END_TEST

/* ---- apps on the fake: installation_proxy, image, debugserver ----------- */

START_TEST(an_installed_app_is_looked_up_and_launched_with_its_environment)
{
	struct jt_device *d = jt_device_open(UDID, NULL);
	const char *env[] = {"JETSAM_PROBE_RATE=64M", "JETSAM_PROBE_RUN_ID=x1",
			     NULL};
	struct jt_device_launch l;
	struct jt_device_app app, other;
	struct jt_error err;
	const char *t;
	int i;

	ck_assert_ptr_nonnull(d);
	jt_error_init(&err);
	ck_assert_int_eq(
		jt_device_app_lookup(d, "com.example.jetsamprobe", &app, &err),
		1);
	ck_assert_str_eq(app.executable, "JetsamProbe");
	ck_assert_ptr_nonnull(strstr(app.path, "/JetsamProbe.app"));
	ck_assert_ptr_nonnull(app.container);
	ck_assert_int_eq(
		jt_device_app_lookup(d, "com.example.other", &other, &err), 0);
	ck_assert_int_eq(jt_device_developer_image(d, &err), 1);
	memset(&l, 0, sizeof(l));
	l.app = &app;
	l.env = env;
	l.wait_ms = 10000;
	ck_assert_msg(jt_device_app_launch(d, &l, &err) == 0, "%s", err.text);
	/* what debugserver was sent: working dir, env, argv */
	t = fake_file(UDID, "launch-1.txt");
	ck_assert_ptr_nonnull(strstr(t,
				     "env JETSAM_PROBE_RATE=64M\n"
				     "env JETSAM_PROBE_RUN_ID=x1\n"));
	ck_assert_ptr_nonnull(strstr(t, "/JetsamProbe.app/JetsamProbe\n"));
	ck_assert_ptr_nonnull(strstr(t, "dir /private/var/mobile/"));
	/* launch 2 goes to the background and stays: it is ended */
	for (i = 0; i < 500 && fake_file(UDID, "probe.pid")[0] != '\0'; i++)
		usleep(20000);
	ck_assert_int_eq(jt_device_app_launch(d, &l, &err), 0);
	for (i = 0; i < 100 && fake_file(UDID, "probe.pid")[0] == '\0'; i++)
		usleep(20000);
	ck_assert_int_eq(jt_device_app_kill(d, "JetsamProbe", &err), 1);
	ck_assert_str_eq(fake_file(UDID, "debugger-kills"), "1\n");
	/* the fake reaps its probe in its own time: wait for that */
	for (i = 0; i < 500 && fake_file(UDID, "probe.pid")[0] != '\0'; i++)
		usleep(20000);
	ck_assert_int_eq(jt_device_app_kill(d, "JetsamProbe", &err), 0);
	/* launch 3 was fine; launch 4 is refused, in debugserver's words */
	ck_assert_int_eq(jt_device_app_launch(d, &l, &err), 0);
	ck_assert_int_eq(jt_device_app_launch(d, &l, &err), -1);
	ck_assert_str_eq(err.text,
			 "debugserver refused the launch of the "
			 "app: failed to launch the app: the fake "
			 "phone was told to refuse");
	jt_device_app_release(&app);
	jt_device_close(d);
}
END_TEST

START_TEST(an_app_directory_is_uploaded_and_installed)
{
	struct jt_device *d = jt_device_open(UDID, NULL);
	struct jt_device_launch l;
	struct jt_device_app app;
	struct jt_error err;
	char dir[400], path[500];
	FILE *fp;

	ck_assert_ptr_nonnull(d);
	jt_error_init(&err);
	ck_assert_int_eq(
		jt_device_app_lookup(d, "com.example.jetsamprobe", &app, &err),
		0);
	/* no image: debugserver is not served, and says what to do */
	ck_assert_int_eq(jt_device_developer_image(d, &err), 0);
	memset(&l, 0, sizeof(l));
	memset(&app, 0, sizeof(app));
	app.path = "/private/var/x/JetsamProbe.app";
	app.executable = "JetsamProbe";
	l.app = &app;
	ck_assert_int_eq(jt_device_app_launch(d, &l, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "mount the developer disk"));
	/* an .app that is not a package is refused by the phone */
	snprintf(dir, sizeof(dir), "%s/JetsamProbe.app", workdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	jt_error_init(&err);
	ck_assert_int_eq(jt_device_app_install(d, dir, &err), -1);
	ck_assert_str_eq(err.text,
			 "installing 'PublicStaging/JetsamProbe.app' "
			 "failed: PackageInspectionFailed: the "
			 "package is not one");
	snprintf(path, sizeof(path), "%s/Info.plist", dir);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("<plist/>\n", fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/JetsamProbe", dir);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("binary", fp);
	fclose(fp);
	jt_error_init(&err);
	ck_assert_msg(jt_device_app_install(d, dir, &err) == 0, "%s", err.text);
	ck_assert_str_eq(fake_file(UDID, "installed"),
			 "PublicStaging/JetsamProbe.app -1\n");
	snprintf(path, sizeof(path),
		 "%s/%s/media/PublicStaging/JetsamProbe.app/JetsamProbe",
		 statedir, UDID);
	ck_assert_int_eq(access(path, F_OK), 0);
	ck_assert_int_eq(
		jt_device_app_lookup(d, "com.example.jetsamprobe", &app, &err),
		1);
	jt_device_app_release(&app);
	/* a file that is not there is named */
	jt_error_init(&err);
	ck_assert_int_eq(jt_device_app_install(d, "/nonexistent.ipa", &err),
			 -1);
	ck_assert_int_eq(err.code, JT_EIO);
	jt_device_close(d);
}
END_TEST

static TCase *
fake_case(const char *name, void (*setup)(void))
{
	TCase *t = tcase_create(name);

	tcase_add_unchecked_fixture(t, setup, stop_fake);
	tcase_set_timeout(t, 60);
	return t;
}

/*
 * Resuming reads run records from the output folder, which anyone may
 * have written: a record whose run id is not the name of its folder (here
 * one that climbs out of it) is not taken, since the id becomes part of
 * paths.
 */
static void
save_rec(const char *dir, const char *sub, const char *run_id)
{
	struct jt_runrec r;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	jt_runrec_init(&r);
	r.model = strdup("iPhone12,1");
	r.kind = strdup("device");
	r.udid = strdup("0000feed0000000000000000000000000000a001");
	r.run_id = strdup(run_id);
	snprintf(path, sizeof(path), "%s/%s/run.json", dir, sub);
	ck_assert_int_eq(jt_runrec_save(&r, path, NULL), 0);
	jt_runrec_release(&r);
}

START_TEST(a_resumed_record_must_carry_its_folders_name_as_run_id)
{
	static const char *const udids[] = {
		"0000feed0000000000000000000000000000a001"};
	char dir[] = "/tmp/jt-scan.XXXXXX", cmd[64];
	struct jt_devjob *job;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	save_rec(dir, "iPhone12,1-14.2-1", "iPhone12,1-14.2-1");
	save_rec(dir, "iPhone12,1-14.2-2", "../../../etc");
	save_rec(dir, "iPhone12,1-14.2-3", "iPhone12,1-14.2-1");
	job = jt_devjobs_new(udids, 1, 3, NULL);
	ck_assert_ptr_nonnull(job);
	ck_assert_int_eq(jt_devjobs_scan(job, dir, udids[0], NULL), 0);
	ck_assert_int_eq(job->ok, 1);
	ck_assert_uint_eq(job->nattempts, 1);
	ck_assert_str_eq(job->runs[0].rec.run_id, "iPhone12,1-14.2-1");
	jt_devjobs_free(job, 1);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *
device_suite(void)
{
	Suite *s = suite_create("device");
	TCase *t;

	t = fake_case("two devices", start_two);
	tcase_add_test(t, udids_are_listed_once_each_and_sorted);
	tcase_add_test(t,
		       a_device_waiting_for_trust_is_identified_with_its_state);
	tcase_add_test(t, opening_without_a_udid_among_two_devices_is_an_error);
	tcase_add_test(t, an_unknown_udid_is_unknown);
	tcase_add_test(t, opening_a_device_waiting_for_trust_says_so);
	suite_add_tcase(s, t);

	t = fake_case("no usbmuxd", start_trusted);
	tcase_add_test(t, usbmuxd_not_running_is_a_device_error);
	suite_add_tcase(s, t);

	t = fake_case("locked", start_locked);
	tcase_add_test(t, a_passcode_locked_device_cannot_pair);
	suite_add_tcase(s, t);

	t = fake_case("trusted", start_trusted);
	tcase_add_test(t, the_jail_is_flushed_listed_read_verified_and_removed);
	tcase_add_test(t, a_copy_of_the_wrong_size_or_too_large_is_refused);
	tcase_add_test(t, a_missing_report_is_reported_as_vanished);
	tcase_add_test(t, reading_syslog_before_starting_it_is_an_error);
	suite_add_tcase(s, t);

	t = fake_case("vanish", start_vanish);
	tcase_add_test(t, pull_copies_what_is_there_and_lists_what_vanished);
	suite_add_tcase(s, t);

	t = fake_case("hostile files", start_hostile_files);
	tcase_add_test(
		t,
		every_hostile_file_gets_its_own_outcome_and_the_rest_are_pulled);
	suite_add_tcase(s, t);

	t = fake_case("services locked", start_services_locked);
	tcase_add_test(t, a_locked_device_starts_no_service);
	suite_add_tcase(s, t);

	t = fake_case("missing service", start_missing);
	tcase_add_test(t, a_missing_service_is_named);
	suite_add_tcase(s, t);

	t = fake_case("unplug pull", start_unplug_pull);
	tcase_add_test(t, a_cable_pulled_mid_transfer_is_told_apart);
	suite_add_tcase(s, t);

	t = fake_case("unplug capture", start_unplug_capture);
	tcase_add_test(t, a_cable_pulled_mid_capture_is_told_apart);
	suite_add_tcase(s, t);

	t = fake_case("jobs", start_two_probes);
	tcase_add_test(t,
		       jobs_run_every_device_in_parallel_and_keep_device_order);
	tcase_add_test(t, a_launcher_that_fails_fails_the_run_and_ends_the_job);
	tcase_add_test(t, a_failed_attempt_is_tried_again_and_the_job_goes_on);
	tcase_add_test(t, a_device_that_cannot_be_opened_fails_its_job_alone);
	tcase_add_test(t, the_cancel_flag_stops_jobs_before_a_run);
	suite_add_tcase(s, t);

	t = fake_case("packets and choices", no_fake);
	tcase_add_test(t, packets_are_framed_with_their_checksum);
	tcase_add_test(
		t, the_launch_packet_hex_encodes_each_argument_with_its_length);
	tcase_add_test(t,
		       the_reader_takes_acks_and_packets_and_refuses_bad_sums);
	tcase_add_test(t, the_route_follows_the_os_the_image_and_the_host);
	tcase_add_test(t,
		       the_environment_carries_the_run_and_only_a_valid_run_id);
	tcase_add_test(t, devicectl_is_given_the_environment_as_sorted_json);
	tcase_add_test(t,
		       a_resumed_record_must_carry_its_folders_name_as_run_id);
	suite_add_tcase(s, t);

	t = fake_case("apps", start_lab_two);
	tcase_add_test(
		t,
		an_installed_app_is_looked_up_and_launched_with_its_environment);
	suite_add_tcase(s, t);

	t = fake_case("bare phones", start_lab_bare);
	tcase_add_test(t, an_app_directory_is_uploaded_and_installed);
	suite_add_tcase(s, t);

	t = fake_case("probe kill", start_probe_kill);
	tcase_add_test(t, a_device_run_records_the_kill_with_its_report);
	tcase_add_test(t, the_probe_is_matched_by_pid_among_the_killed);
	tcase_add_test(t, without_pids_the_probe_is_matched_by_its_cut_name);
	suite_add_tcase(s, t);
	return s;
}

JT_CHECK_MAIN(device_suite)
