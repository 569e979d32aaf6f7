/*
 * check_syslogline.c - syslog records, the marker, kernel kill lines and
 * the capture state machine, without a device
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jetsam/device/capture.h"
#include "jetsam/device/devpull.h"
#include "suite.h"
#include "jetsam/device/syslogline.h"

/* ---- splitter ----------------------------------------------------------- */

struct seen {
	char recs[16][256];
	int cut[16];
	int n;
	int stop_after;
};

static int
collect(const char *rec, size_t len, int cut, void *ud)
{
	struct seen *s = ud;

	if (s->n < 16) {
		snprintf(s->recs[s->n], sizeof(s->recs[0]), "%.*s", (int)len,
			 rec);
		s->cut[s->n] = cut;
		s->n++;
	}
	return s->stop_after > 0 && s->n >= s->stop_after ? 7 : 0;
}

START_TEST(records_end_at_newline_or_nul_and_empty_ones_are_skipped)
{
	static const char data[] = "one\n\0two\n\0\n\0three\0";
	struct jt_syslog_splitter sp;
	struct seen s = {0};

	jt_syslog_splitter_init(&sp);
	ck_assert_int_eq(
		jt_syslog_feed(&sp, data, sizeof(data) - 1, collect, &s, NULL),
		0);
	ck_assert_int_eq(s.n, 3);
	ck_assert_str_eq(s.recs[0], "one");
	ck_assert_str_eq(s.recs[1], "two");
	ck_assert_str_eq(s.recs[2], "three");
	ck_assert_uint_eq(jt_syslog_pending(&sp), 0);
	jt_syslog_splitter_release(&sp);
}
END_TEST

START_TEST(a_record_split_across_reads_is_joined_byte_by_byte)
{
	static const char data[] = "Oct 15 17:29:41 h p[1] <Notice>: hello\n";
	struct jt_syslog_splitter sp;
	struct seen s = {0};
	size_t i;

	jt_syslog_splitter_init(&sp);
	for (i = 0; i + 1 < sizeof(data); i++)
		ck_assert_int_eq(
			jt_syslog_feed(&sp, data + i, 1, collect, &s, NULL), 0);
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.recs[0], "Oct 15 17:29:41 h p[1] <Notice>: hello");
	jt_syslog_splitter_release(&sp);
}
END_TEST

START_TEST(a_torn_tail_stays_pending_and_is_never_delivered)
{
	struct jt_syslog_splitter sp;
	struct seen s = {0};

	jt_syslog_splitter_init(&sp);
	jt_syslog_feed(&sp, "whole\n\0half a rec", 17, collect, &s, NULL);
	ck_assert_int_eq(s.n, 1);
	ck_assert_uint_eq(jt_syslog_pending(&sp), 10);
	jt_syslog_splitter_release(&sp);
}
END_TEST

START_TEST(an_overlong_record_is_cut_and_flagged_not_buffered_forever)
{
	struct jt_syslog_splitter sp;
	struct seen s = {0};
	char *big = malloc(JT_SYSLOG_MAX_RECORD + 100);
	int i;

	memset(big, 'x', JT_SYSLOG_MAX_RECORD + 100);
	jt_syslog_splitter_init(&sp);
	/* in pieces, so the carried-over path is the one that cuts */
	for (i = 0; i < 4; i++)
		jt_syslog_feed(&sp, big, (JT_SYSLOG_MAX_RECORD + 100) / 4,
			       collect, &s, NULL);
	ck_assert_uint_le(jt_syslog_pending(&sp), JT_SYSLOG_MAX_RECORD);
	jt_syslog_feed(&sp, "\nnext\n", 6, collect, &s, NULL);
	ck_assert_int_eq(s.n, 2);
	ck_assert_int_eq(s.cut[0], 1);
	ck_assert_int_eq(s.cut[1], 0);
	ck_assert_str_eq(s.recs[1], "next");
	jt_syslog_splitter_release(&sp);
	free(big);
}
END_TEST

START_TEST(a_callback_can_stop_the_feed)
{
	struct jt_syslog_splitter sp;
	struct seen s = {0};

	s.stop_after = 1;
	jt_syslog_splitter_init(&sp);
	ck_assert_int_eq(jt_syslog_feed(&sp, "a\nb\nc\n", 6, collect, &s, NULL),
			 7);
	ck_assert_int_eq(s.n, 1);
	jt_syslog_splitter_release(&sp);
}
END_TEST

/* ---- records ------------------------------------------------------------ */

START_TEST(a_record_gives_process_pid_level_and_message)
{
	static const char rec[] = "Oct 15 17:29:41 Lab-iPhone "
				  "JetsamProbe(libsystem_trace.dylib)[4242] "
				  "<Notice>: JETSAMKIT: {\"type\":\"sample\"}";
	struct jt_syslog_record r;

	ck_assert_int_eq(jt_syslog_record_parse(rec, strlen(rec), &r), 0);
	ck_assert_str_eq(r.process, "JetsamProbe");
	ck_assert_int_eq(r.pid, 4242);
	ck_assert_str_eq(r.level, "Notice");
	ck_assert_int_eq((int)r.msg_len, 28);
	ck_assert(strncmp(r.msg, "JETSAMKIT: {", 12) == 0);
}
END_TEST

START_TEST(a_process_name_with_blanks_and_a_one_digit_day_are_read)
{
	static const char rec[] = "Oct  5 07:09:01 host Jetsam Probe[7] "
				  "<Error>: x [y] <z>";
	struct jt_syslog_record r;

	ck_assert_int_eq(jt_syslog_record_parse(rec, strlen(rec), &r), 0);
	ck_assert_str_eq(r.process, "Jetsam Probe");
	ck_assert_int_eq(r.pid, 7);
	ck_assert_str_eq(r.level, "Error");
	ck_assert_int_eq((int)r.msg_len, 9);
}
END_TEST

START_TEST(text_not_in_record_form_is_rejected)
{
	static const char *const bad[] = {
		"",
		"hello world",
		"Oct 15 17:29:41 host-without-anything",
		"Oct 15 17:29:41 host proc[12x] <Notice>: m",
		"Oct 15 17:29:41 host proc[] <Notice>: m",
		"Oct 15 17:29:41 host proc[12] <Notice m",
		"Oct 15 17-29-41 host proc[12] <Notice>: m",
		/* found by the fuzzer: a pid that overflowed a long */
		"Oct 15 17:29:41 host proc[4444444444444444444444] <N>: m",
		"Oct 15 17:29:41 host proc[2147483648] <Notice>: m",
	};
	struct jt_syslog_record r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(
			jt_syslog_record_parse(bad[i], strlen(bad[i]), &r) < 0,
			"accepted: %s", bad[i]);
}
END_TEST

START_TEST(the_largest_pid_is_still_a_record)
{
	static const char rec[] = "Oct 15 17:29:41 host p[2147483647] <N>: m";
	struct jt_syslog_record r;

	ck_assert_int_eq(jt_syslog_record_parse(rec, strlen(rec), &r), 0);
	ck_assert_int_eq(r.pid, 2147483647L);
}
END_TEST

START_TEST(the_marker_payload_is_what_follows_it_trimmed)
{
	static const char msg[] = "prefix JETSAMKIT: {\"a\":1}  \r";
	size_t n;
	const char *p =
		jt_syslog_marker(msg, strlen(msg), JT_CAPTURE_MARKER, &n);

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq((int)n, 7);
	ck_assert(memcmp(p, "{\"a\":1}", 7) == 0);
	ck_assert_ptr_null(
		jt_syslog_marker("JETSAMKIT {}", 12, JT_CAPTURE_MARKER, &n));
}
END_TEST

/* ---- kill lines --------------------------------------------------------- */

START_TEST(exceeded_mem_limit_gives_pid_name_and_the_limit_in_bytes)
{
	static const char msg[] = "memorystatus: JetsamProbe [4242] exceeded "
				  "mem limit: ActiveHard 1360 MB (fatal)";
	struct jt_kill_line k;

	ck_assert_int_eq(jt_syslog_kill_parse(msg, strlen(msg), &k), 1);
	ck_assert_int_eq(k.kind, JT_KILL_LINE_EXCEEDED);
	ck_assert_int_eq(k.pid, 4242);
	ck_assert_str_eq(k.name, "JetsamProbe");
	ck_assert_str_eq(k.limit_kind, "ActiveHard");
	ck_assert_int_eq(k.limit_bytes, 1360LL * 1048576);
	ck_assert_int_eq(k.fatal, 1);
	ck_assert_int_eq(k.footprint_bytes, -1);
}
END_TEST

START_TEST(a_non_fatal_soft_limit_is_recognised_but_not_fatal)
{
	static const char msg[] = "memorystatus: My App [77] exceeded mem "
				  "limit: InactiveSoft 200 MB (non-fatal)";
	struct jt_kill_line k;

	ck_assert_int_eq(jt_syslog_kill_parse(msg, strlen(msg), &k), 1);
	ck_assert_str_eq(k.name, "My App");
	ck_assert_int_eq(k.pid, 77);
	ck_assert_int_eq(k.fatal, 0);
	ck_assert_str_eq(k.limit_kind, "InactiveSoft");
}
END_TEST

START_TEST(killing_specific_process_gives_reason_and_footprint)
{
	static const char msg[] =
		"memorystatus: killing_specific_process pid 4242 "
		"[JetsamProbe] (per-process-limit 10) 1392640KB - "
		"memorystatus_available_pages: 5142";
	struct jt_kill_line k;

	ck_assert_int_eq(jt_syslog_kill_parse(msg, strlen(msg), &k), 1);
	ck_assert_int_eq(k.kind, JT_KILL_LINE_KILLING);
	ck_assert_int_eq(k.pid, 4242);
	ck_assert_str_eq(k.name, "JetsamProbe");
	ck_assert_str_eq(k.reason, "per-process-limit");
	ck_assert_int_eq(k.footprint_bytes, 1392640LL * 1024);
	ck_assert_int_eq(k.limit_bytes, -1);
}
END_TEST

START_TEST(an_older_kill_line_without_a_footprint_is_still_a_kill)
{
	static const char msg[] =
		"memorystatus: killing_top_process pid 31 [backboardd] "
		"(vm-pageshortage 0) - memorystatus_available_pages: 9";
	struct jt_kill_line k;

	ck_assert_int_eq(jt_syslog_kill_parse(msg, strlen(msg), &k), 1);
	ck_assert_str_eq(k.reason, "vm-pageshortage");
	ck_assert_int_eq(k.footprint_bytes, -1);
}
END_TEST

/* Lines as phones wrote them (public reports), and as XNU's format strings
 * make them where no captured line was found; see syslogline.h. */

START_TEST(the_older_exc_resource_form_gives_the_limit)
{
	/* iOS 14, from a public issue report (console, Taurine) */
	static const char msg[] = "EXC_RESOURCE -> amfidebilitate[449] "
				  "exceeded mem limit: InactiveHard 2098 MB "
				  "(fatal)";
	struct jt_kill_line k;

	ck_assert_int_eq(jt_syslog_kill_parse(msg, strlen(msg), &k), 1);
	ck_assert_int_eq(k.kind, JT_KILL_LINE_EXCEEDED);
	ck_assert_int_eq(k.pid, 449);
	ck_assert_str_eq(k.name, "amfidebilitate");
	ck_assert_str_eq(k.limit_kind, "InactiveHard");
	ck_assert_int_eq(k.limit_bytes, 2098LL * 1048576);
	ck_assert_int_eq(k.fatal, 1);
}
END_TEST

START_TEST(the_older_form_with_a_soft_limit_and_a_blank_in_the_name)
{
	static const char msg[] = "EXC_RESOURCE -> My App[77] exceeded mem "
				  "limit: ActiveSoft 1536 MB (non-fatal)";
	struct jt_kill_line k;

	ck_assert_int_eq(jt_syslog_kill_parse(msg, strlen(msg), &k), 1);
	ck_assert_str_eq(k.name, "My App");
	ck_assert_int_eq(k.pid, 77);
	ck_assert_str_eq(k.limit_kind, "ActiveSoft");
	ck_assert_int_eq(k.fatal, 0);
}
END_TEST

START_TEST(the_newer_form_from_a_phone_with_its_kill_line)
{
	/* a recent iOS, from a public lab note (console) */
	static const char ex[] = "memorystatus: KeyboardSpike [994] exceeded "
				 "mem limit: ActiveHard 77 MB (fatal)";
	static const char kl[] =
		"memorystatus: killing_specific_process pid 994 "
		"[KeyboardSpike] (per-process-limit 100 12s rf:- type:app) "
		"78850KB - memorystatus_available_pages: 114015";
	struct jt_kill_line k;

	ck_assert_int_eq(jt_syslog_kill_parse(ex, strlen(ex), &k), 1);
	ck_assert_str_eq(k.name, "KeyboardSpike");
	ck_assert_int_eq(k.limit_bytes, 77LL * 1048576);
	ck_assert_int_eq(jt_syslog_kill_parse(kl, strlen(kl), &k), 1);
	ck_assert_int_eq(k.kind, JT_KILL_LINE_KILLING);
	ck_assert_int_eq(k.pid, 994);
	ck_assert_str_eq(k.reason, "per-process-limit");
	ck_assert_int_eq(k.priority, 100);
	ck_assert_int_eq(k.band_s, 12);
	ck_assert_int_eq(k.footprint_bytes, 78850LL * 1024);
	ck_assert_int_eq(k.available_pages, 114015);
}
END_TEST

START_TEST(kill_lines_may_start_with_the_kernel_uptime)
{
	/* iOS 14, same report: "%lu.%03d memorystatus: ..." */
	static const char kl[] =
		"1401.082 memorystatus: killing_specific_process pid 449 "
		"[amfidebilitate] (per-process-limit 3) 2331079KB - "
		"memorystatus_available_pages: 50117";
	/* the newer fields, with one more after the pages */
	static const char kn[] =
		"52310.117 memorystatus: killing_specific_process pid 4242 "
		"[JetsamProbe] (per-process-limit 10 4s rf:-) 2148352KB - "
		"memorystatus_available_pages: 60513 compressor_size:81234";
	struct jt_kill_line k;

	ck_assert_int_eq(jt_syslog_kill_parse(kl, strlen(kl), &k), 1);
	ck_assert_int_eq(k.pid, 449);
	ck_assert_str_eq(k.name, "amfidebilitate");
	ck_assert_int_eq(k.priority, 3);
	ck_assert_int_eq(k.band_s, -1);
	ck_assert_int_eq(k.footprint_bytes, 2331079LL * 1024);
	ck_assert_int_eq(k.available_pages, 50117);
	ck_assert_int_eq(jt_syslog_kill_parse(kn, strlen(kn), &k), 1);
	ck_assert_str_eq(k.reason, "per-process-limit");
	ck_assert_int_eq(k.priority, 10);
	ck_assert_int_eq(k.band_s, 4);
	ck_assert_int_eq(k.footprint_bytes, 2148352LL * 1024);
	ck_assert_int_eq(k.available_pages, 60513);
}
END_TEST

START_TEST(ios10_lines_are_read_from_their_format_strings)
{
	/* xnu-3789: "process %d (%s) exceeded physical memory footprint,
	 * the %s%sMemoryLimit of %d MB" and "%lu.%02d memorystatus:
	 * specifically killing pid %d [%s] (%s %d) - ..." */
	static const char ex[] = "process 4242 (JetsamProbe) exceeded "
				 "physical memory footprint, the "
				 "ActiveHardMemoryLimit of 650 MB";
	static const char kl[] = "8231.47 memorystatus: specifically killing "
				 "pid 4242 [JetsamProbe] (per-process-limit "
				 "10) - memorystatus_available_pages: 3312";
	struct jt_kill_line k;

	ck_assert_int_eq(jt_syslog_kill_parse(ex, strlen(ex), &k), 1);
	ck_assert_int_eq(k.kind, JT_KILL_LINE_EXCEEDED);
	ck_assert_int_eq(k.pid, 4242);
	ck_assert_str_eq(k.name, "JetsamProbe");
	ck_assert_str_eq(k.limit_kind, "ActiveHard");
	ck_assert_int_eq(k.limit_bytes, 650LL * 1048576);
	ck_assert_int_eq(k.fatal, 1);
	ck_assert_int_eq(jt_syslog_kill_parse(kl, strlen(kl), &k), 1);
	ck_assert_int_eq(k.kind, JT_KILL_LINE_KILLING);
	ck_assert_str_eq(k.reason, "per-process-limit");
	ck_assert_int_eq(k.footprint_bytes, -1);
}
END_TEST

START_TEST(other_killing_words_and_odd_names_are_read_right)
{
	static const char el[] =
		"memorystatus: killing_top_process_elevated1 pid 31 "
		"[backboardd] (vm-pageshortage 0 1s rf:-) 5KB - "
		"memorystatus_available_pages: 9";
	/* a process called "killing_x" is not a kill line of its own */
	static const char kx[] = "memorystatus: killing_x [7] exceeded mem "
				 "limit: ActiveHard 5 MB (fatal)";
	struct jt_kill_line k;

	ck_assert_int_eq(jt_syslog_kill_parse(el, strlen(el), &k), 1);
	ck_assert_str_eq(k.reason, "vm-pageshortage");
	ck_assert_int_eq(k.priority, 0);
	ck_assert_int_eq(jt_syslog_kill_parse(kx, strlen(kx), &k), 1);
	ck_assert_int_eq(k.kind, JT_KILL_LINE_EXCEEDED);
	ck_assert_str_eq(k.name, "killing_x");
	ck_assert_int_eq(k.pid, 7);
	ck_assert_str_eq(k.reason, "");
}
END_TEST

START_TEST(malformed_limit_lines_are_not_kills)
{
	static const char *const bad[] = {
		"EXC_RESOURCE -> x[12] exceeded mem limit: HardActive 5 MB "
		"(fatal)",
		"EXC_RESOURCE -> x[12] exceeded mem limit: ActiveHard "
		"99999999999999999999 MB (fatal)",
		"EXC_RESOURCE -> x[12] exceeded mem limit: ActiveHard "
		"4294967296 MB (fatal)",
		"EXC_RESOURCE -> x exceeded mem limit: ActiveHard 5 MB (fatal)",
		"EXC_RESOURCE -> [12] exceeded mem limit: ActiveHard 5 MB",
		"EXC_RESOURCE -> x[-1] exceeded mem limit: ActiveHard 5 MB",
		"memorystatus: x[12] exceeded mem limit: ActiveHard 5 MB",
		"process x (y) exceeded physical memory footprint, the "
		"ActiveHardMemoryLimit of 5 MB",
		"process 1 (y) exceeded physical memory footprint, the "
		"ActiveHardMemoryLimit of MB",
		"1401.082memorystatus: killing_specific_process pid 1 [a] (b 1)",
		"1401. memorystatus: killing_specific_process pid 1 [a] (b 1)",
		"memorystatus: killing_specific_process pid 1 [a] (b 1",
		"memorystatus: killing_specific_process pid 1 [a] ()",
	};
	/* found by the fuzzer: a NUL where the reason starts */
	static const char nul[] = "memorystatus: killing_specific_process "
				  "pid 1 [a] (\0\0x 1) 5KB";
	struct jt_kill_line k;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(
			jt_syslog_kill_parse(bad[i], strlen(bad[i]), &k) == 0,
			"accepted: %s", bad[i]);
	ck_assert_int_eq(jt_syslog_kill_parse(nul, sizeof(nul) - 1, &k), 0);
}
END_TEST

START_TEST(other_memorystatus_lines_are_not_kills)
{
	static const char *const other[] = {
		"memorystatus: sending memory pressure warning to pid 4242",
		"memorystatus: killing_specific_process",
		"memorystatus: killing_Specific_process pid 1 [a] (b 1)",
		"memorystatus: x [12] exceeded mem limit: ActiveHard lots",
		"memorystatus: x [1a] exceeded mem limit: ActiveHard 5 MB",
		"memorystatu: killing_specific_process pid 1 [a] (b 1)",
		"JetsamProbe [4242] exceeded mem limit: ActiveHard 1 MB",
	};
	struct jt_kill_line k;
	size_t i;

	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		ck_assert_msg(jt_syslog_kill_parse(other[i], strlen(other[i]),
						   &k) == 0,
			      "accepted: %s", other[i]);
}
END_TEST

/* ---- the capture state machine ------------------------------------------ */

static const char probe_hdr[] =
	"Oct 15 17:29:41 h JetsamProbe(l)[42] <Notice>: JETSAMKIT: "
	"{\"type\":\"header\",\"pid\":42}\n";
static const char probe_s0[] =
	"Oct 15 17:29:41 h JetsamProbe(l)[42] <Notice>: JETSAMKIT: "
	"{\"type\":\"sample\",\"seq\":0,\"t_ms\":500,\"footprint_bytes\":1}\n";
static const char kill_ex[] =
	"Oct 15 17:29:44 h kernel[0] <Notice>: memorystatus: JetsamProbe [42] "
	"exceeded mem limit: ActiveHard 100 MB (fatal)\n";
static const char kill_other[] =
	"Oct 15 17:29:44 h kernel[0] <Notice>: memorystatus: "
	"killing_specific_process pid 43 [Other] (per-process-limit 1) 5KB - "
	"memorystatus_available_pages: 1\n";
static const char kill_k[] =
	"Oct 15 17:29:44 h kernel[0] <Notice>: memorystatus: "
	"killing_specific_process pid 42 [JetsamProbe] (per-process-limit 1) "
	"102400KB - memorystatus_available_pages: 1\n";

static int
tmpfile_fd(char *path)
{
	strcpy(path, "/tmp/check_capture.XXXXXX");
	return mkstemp(path);
}

static char *
slurp(const char *path)
{
	static char buf[8192];
	FILE *fp = fopen(path, "r");
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);

	fclose(fp);
	buf[n] = '\0';
	return buf;
}

START_TEST(a_capture_keeps_probe_records_and_ends_on_both_kill_lines)
{
	struct jt_capture_opts o = {.silence_ms = 0, .grace_ms = 5000};
	struct jt_capture c;
	char path[64];
	int fd = tmpfile_fd(path);

	jt_capture_init(&c, fd, &o, 1000);
	ck_assert_int_eq(
		jt_capture_feed(&c, probe_hdr, strlen(probe_hdr), 1000, NULL),
		0);
	jt_capture_feed(&c, probe_s0, strlen(probe_s0), 1100, NULL);
	jt_capture_feed(&c, kill_other, strlen(kill_other), 1200, NULL);
	ck_assert_int_eq(jt_capture_check(&c, 1200), JT_CAPTURE_RUNNING);
	jt_capture_feed(&c, kill_ex, strlen(kill_ex), 1300, NULL);
	ck_assert_int_eq(jt_capture_check(&c, 1300), JT_CAPTURE_RUNNING);
	jt_capture_feed(&c, kill_k, strlen(kill_k), 1350, NULL);
	ck_assert_int_eq(jt_capture_check(&c, 1350), JT_CAPTURE_KILLED);
	ck_assert_int_eq(c.records, 2);
	ck_assert_int_eq(c.kill_lines, 2);
	ck_assert_int_eq(c.probe_pid, 42);
	ck_assert_int_eq(c.kernel_limit_bytes, 100LL * 1048576);
	ck_assert_int_eq(c.kill_footprint_bytes, 102400LL * 1024);
	ck_assert_str_eq(c.kill_reason, "per-process-limit");
	/* t_ms of the kill: 500 + (1300 - 1100) */
	ck_assert_str_eq(
		slurp(path),
		"{\"type\":\"header\",\"pid\":42}\n"
		"{\"type\":\"sample\",\"seq\":0,\"t_ms\":500,"
		"\"footprint_bytes\":1}\n"
		"{\"type\":\"event\",\"t_ms\":700,\"kind\":\"kill\",\"detail\":"
		"\"memorystatus: JetsamProbe [42] exceeded mem limit: "
		"ActiveHard 100 MB (fatal)\",\"footprint_bytes\":null}\n"
		"{\"type\":\"event\",\"t_ms\":750,\"kind\":\"kill\",\"detail\":"
		"\"memorystatus: killing_specific_process pid 42 [JetsamProbe] "
		"(per-process-limit 1) 102400KB - "
		"memorystatus_available_pages: 1\",\"footprint_bytes\":"
		"104857600}\n");
	jt_capture_release(&c);
	close(fd);
	unlink(path);
}
END_TEST

START_TEST(a_capture_on_an_older_phone_fills_the_kernel_limit)
{
	static const char ex[] =
		"Oct 15 17:29:44 h kernel[0] <Notice>: EXC_RESOURCE -> "
		"JetsamProbe[42] exceeded mem limit: ActiveHard 1360 MB "
		"(fatal)\n";
	static const char kl[] =
		"Oct 15 17:29:44 h kernel[0] <Notice>: 1401.082 memorystatus: "
		"killing_specific_process pid 42 [JetsamProbe] "
		"(per-process-limit 10) 1392640KB - "
		"memorystatus_available_pages: 5142\n";
	struct jt_capture_opts o = {.silence_ms = 0, .grace_ms = 5000};
	struct jt_capture c;
	char path[64];
	int fd = tmpfile_fd(path);

	jt_capture_init(&c, fd, &o, 1000);
	jt_capture_feed(&c, probe_s0, strlen(probe_s0), 1000, NULL);
	jt_capture_feed(&c, ex, strlen(ex), 1100, NULL);
	jt_capture_feed(&c, kl, strlen(kl), 1150, NULL);
	ck_assert_int_eq(jt_capture_check(&c, 1150), JT_CAPTURE_KILLED);
	ck_assert_int_eq(c.kill_lines, 2);
	ck_assert_int_eq(c.kernel_limit_bytes, 1360LL * 1048576);
	ck_assert_int_eq(c.kill_footprint_bytes, 1392640LL * 1024);
	ck_assert_str_eq(c.kill_reason, "per-process-limit");
	jt_capture_release(&c);
	close(fd);
	unlink(path);
}
END_TEST

START_TEST(one_kill_line_ends_the_capture_after_the_grace_period)
{
	struct jt_capture_opts o = {.silence_ms = 0, .grace_ms = 2000};
	struct jt_capture c;
	char path[64];
	int fd = tmpfile_fd(path);

	jt_capture_init(&c, fd, &o, 0);
	jt_capture_feed(&c, probe_s0, strlen(probe_s0), 0, NULL);
	jt_capture_feed(&c, kill_ex, strlen(kill_ex), 100, NULL);
	ck_assert_int_eq(jt_capture_check(&c, 2099), JT_CAPTURE_RUNNING);
	ck_assert_int_eq(jt_capture_check(&c, 2100), JT_CAPTURE_KILLED);
	jt_capture_release(&c);
	close(fd);
	unlink(path);
}
END_TEST

START_TEST(a_kill_before_any_probe_record_is_not_the_probes)
{
	struct jt_capture_opts o = {.silence_ms = 0, .grace_ms = 10};
	struct jt_capture c;
	char path[64];
	int fd = tmpfile_fd(path);

	jt_capture_init(&c, fd, &o, 0);
	jt_capture_feed(&c, kill_k, strlen(kill_k), 0, NULL);
	ck_assert_int_eq(jt_capture_check(&c, 1000), JT_CAPTURE_RUNNING);
	ck_assert_int_eq(c.kill_lines, 0);
	ck_assert_str_eq(slurp(path), "");
	jt_capture_release(&c);
	close(fd);
	unlink(path);
}
END_TEST

START_TEST(silence_and_the_stop_flag_end_a_capture)
{
	volatile sig_atomic_t stop = 0;
	struct jt_capture_opts o = {
		.silence_ms = 3000, .grace_ms = 10, .stop = &stop};
	struct jt_capture c;
	char path[64];
	int fd = tmpfile_fd(path);

	jt_capture_init(&c, fd, &o, 0);
	jt_capture_feed(&c, probe_s0, strlen(probe_s0), 1000, NULL);
	ck_assert_int_eq(jt_capture_check(&c, 3999), JT_CAPTURE_RUNNING);
	ck_assert_int_eq(jt_capture_check(&c, 4000), JT_CAPTURE_SILENCE);
	jt_capture_release(&c);
	jt_capture_init(&c, fd, &o, 0);
	stop = 1;
	ck_assert_int_eq(jt_capture_check(&c, 1), JT_CAPTURE_INTERRUPTED);
	ck_assert_str_eq(jt_capture_end_name(c.end), "interrupted");
	jt_capture_release(&c);
	close(fd);
	unlink(path);
}
END_TEST

START_TEST(marker_lines_that_are_not_json_objects_are_counted_not_kept)
{
	static const char bad[] =
		"Oct 15 17:29:41 h P[9] <Notice>: JETSAMKIT: not json\n"
		"Oct 15 17:29:41 h P[9] <Notice>: JETSAMKIT: [1,2]\n"
		"Oct 15 17:29:41 h P[9] <Notice>: JETSAMKIT: {\"no\":\"type\"}\n";
	struct jt_capture c;
	char path[64];
	int fd = tmpfile_fd(path);

	jt_capture_init(&c, fd, NULL, 0);
	jt_capture_feed(&c, bad, strlen(bad), 0, NULL);
	ck_assert_int_eq(c.bad_records, 3);
	ck_assert_int_eq(c.records, 0);
	ck_assert_str_eq(slurp(path), "");
	jt_capture_release(&c);
	close(fd);
	unlink(path);
}
END_TEST

START_TEST(a_write_failure_is_an_io_error)
{
	struct jt_capture c;
	struct jt_error err;
	int fd = open("/dev/full", O_WRONLY);

	if (fd < 0)
		return; /* no /dev/full here: nothing to provoke */
	jt_error_init(&err);
	jt_capture_init(&c, fd, NULL, 0);
	ck_assert_int_eq(
		jt_capture_feed(&c, probe_s0, strlen(probe_s0), 0, &err), -1);
	ck_assert_int_eq(err.code, JT_EIO);
	ck_assert_int_eq(c.write_failed, 1);
	jt_capture_release(&c);
	close(fd);
}
END_TEST

/* ---- pull helpers (no device) ------------------------------------------- */

START_TEST(since_accepts_a_date_or_a_date_and_time_in_utc)
{
	int64_t t = 0;

	ck_assert_int_eq(jt_pull_parse_since("2020-10-15", &t, NULL), 0);
	ck_assert_int_eq(t, 1602720000);
	ck_assert_int_eq(jt_pull_parse_since("2020-10-15T17:29:58", &t, NULL),
			 0);
	ck_assert_int_eq(t, 1602782998);
	ck_assert_int_eq(jt_pull_parse_since("2020-10-15 17:29", &t, NULL), 0);
	ck_assert_int_eq(t, 1602782940);
}
END_TEST

START_TEST(a_bad_since_is_a_usage_error_naming_the_text)
{
	static const char *const bad[] = {"",
					  "yesterday",
					  "2020-13-01",
					  "2020-10-15T25:00",
					  "2020-10-15x",
					  "1969-12-31"};
	struct jt_error err;
	int64_t t;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		jt_error_init(&err);
		ck_assert_int_eq(jt_pull_parse_since(bad[i], &t, &err), -1);
		ck_assert_int_eq(err.code, JT_EUSAGE);
		ck_assert_ptr_nonnull(strstr(err.text, bad[i]));
	}
}
END_TEST

START_TEST(only_jetsam_reports_newer_than_since_are_wanted)
{
	struct jt_device_file f = {"JetsamEvent-2020-10-15-172958.ips", 10,
				   1000, NULL};
	struct jt_device_file g = {"Analytics-2020.ips", 10, 1000, NULL};
	struct jt_pull_opts o = {0, 0, -1};

	ck_assert(jt_pull_wanted(&f, &o));
	ck_assert(!jt_pull_wanted(&g, &o));
	o.all_reports = 1;
	ck_assert(jt_pull_wanted(&g, &o));
	o.since_unix_s = 1001;
	ck_assert(!jt_pull_wanted(&f, &o));
	o.since_unix_s = 1000;
	ck_assert(jt_pull_wanted(&f, &o));
}
END_TEST

START_TEST(save_writes_new_keeps_same_and_never_clobbers_a_different_file)
{
	char dir[] = "/tmp/check_pull.XXXXXX", path[128];
	enum jt_pull_status st;
	struct jt_error err;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(jt_pull_save(dir, "r.ips", "abc", 3, &st, NULL), 0);
	ck_assert_int_eq(st, JT_PULL_COPIED);
	ck_assert_int_eq(jt_pull_save(dir, "r.ips", "abc", 3, &st, NULL), 0);
	ck_assert_int_eq(st, JT_PULL_SAME);
	ck_assert_int_eq(jt_pull_save(dir, "r.ips", "abd", 3, &st, NULL), 0);
	ck_assert_int_eq(st, JT_PULL_CONFLICT);
	ck_assert_int_eq(jt_pull_save(dir, "r.ips", "abcd", 4, &st, NULL), 0);
	ck_assert_int_eq(st, JT_PULL_CONFLICT);
	snprintf(path, sizeof(path), "%s/r.ips", dir);
	ck_assert_str_eq(slurp(path), "abc");
	jt_error_init(&err);
	ck_assert_int_eq(jt_pull_save(dir, "../x", "a", 1, &st, &err), -1);
	ck_assert_int_eq(err.code, JT_EINVAL);
	jt_error_init(&err);
	ck_assert_int_eq(
		jt_pull_save("/nonexistent/dir", "r.ips", "a", 1, &st, &err),
		-1);
	ck_assert_int_eq(err.code, JT_EIO);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(identity_is_recorded_once_per_directory_and_device)
{
	char dir[] = "/tmp/check_pull.XXXXXX", path[128];
	struct jt_device_info a = {0}, b = {0};
	struct jt_error err;

	a.udid = "aaaa";
	a.product_type = "iPhone12,1";
	b.udid = "bbbb";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(jt_pull_write_identity(dir, &a, NULL), 0);
	ck_assert_int_eq(jt_pull_write_identity(dir, &a, NULL), 0);
	snprintf(path, sizeof(path), "%s/device.json", dir);
	ck_assert_str_eq(slurp(path),
			 "{\n  \"build_version\": null,\n"
			 "  \"device_name\": null,\n"
			 "  \"hardware_model\": null,\n"
			 "  \"product_type\": \"iPhone12,1\",\n"
			 "  \"product_version\": null,\n"
			 "  \"udid\": \"aaaa\"\n}\n");
	jt_error_init(&err);
	ck_assert_int_eq(jt_pull_write_identity(dir, &b, &err), -1);
	ck_assert_int_eq(err.code, JT_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.text, "another device (udid aaaa)"));
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *
syslogline_suite(void)
{
	Suite *s = suite_create("syslogline");
	TCase *t = tcase_create("core");

	tcase_set_timeout(t, 60);
	tcase_add_test(
		t, records_end_at_newline_or_nul_and_empty_ones_are_skipped);
	tcase_add_test(t, a_record_split_across_reads_is_joined_byte_by_byte);
	tcase_add_test(t, a_torn_tail_stays_pending_and_is_never_delivered);
	tcase_add_test(
		t, an_overlong_record_is_cut_and_flagged_not_buffered_forever);
	tcase_add_test(t, a_callback_can_stop_the_feed);
	tcase_add_test(t, a_record_gives_process_pid_level_and_message);
	tcase_add_test(t,
		       a_process_name_with_blanks_and_a_one_digit_day_are_read);
	tcase_add_test(t, text_not_in_record_form_is_rejected);
	tcase_add_test(t, the_largest_pid_is_still_a_record);
	tcase_add_test(t, the_marker_payload_is_what_follows_it_trimmed);
	tcase_add_test(
		t, exceeded_mem_limit_gives_pid_name_and_the_limit_in_bytes);
	tcase_add_test(t, a_non_fatal_soft_limit_is_recognised_but_not_fatal);
	tcase_add_test(t, killing_specific_process_gives_reason_and_footprint);
	tcase_add_test(t,
		       an_older_kill_line_without_a_footprint_is_still_a_kill);
	tcase_add_test(t, other_memorystatus_lines_are_not_kills);
	tcase_add_test(t, the_older_exc_resource_form_gives_the_limit);
	tcase_add_test(
		t, the_older_form_with_a_soft_limit_and_a_blank_in_the_name);
	tcase_add_test(t, the_newer_form_from_a_phone_with_its_kill_line);
	tcase_add_test(t, kill_lines_may_start_with_the_kernel_uptime);
	tcase_add_test(t, ios10_lines_are_read_from_their_format_strings);
	tcase_add_test(t, other_killing_words_and_odd_names_are_read_right);
	tcase_add_test(t, malformed_limit_lines_are_not_kills);
	tcase_add_test(
		t, a_capture_keeps_probe_records_and_ends_on_both_kill_lines);
	tcase_add_test(t, a_capture_on_an_older_phone_fills_the_kernel_limit);
	tcase_add_test(t,
		       one_kill_line_ends_the_capture_after_the_grace_period);
	tcase_add_test(t, a_kill_before_any_probe_record_is_not_the_probes);
	tcase_add_test(t, silence_and_the_stop_flag_end_a_capture);
	tcase_add_test(
		t, marker_lines_that_are_not_json_objects_are_counted_not_kept);
	tcase_add_test(t, a_write_failure_is_an_io_error);
	tcase_add_test(t, since_accepts_a_date_or_a_date_and_time_in_utc);
	tcase_add_test(t, a_bad_since_is_a_usage_error_naming_the_text);
	tcase_add_test(t, only_jetsam_reports_newer_than_since_are_wanted);
	tcase_add_test(
		t,
		save_writes_new_keeps_same_and_never_clobbers_a_different_file);
	tcase_add_test(t, identity_is_recorded_once_per_directory_and_device);
	suite_add_tcase(s, t);
	return s;
}

JT_CHECK_MAIN(syslogline_suite)
