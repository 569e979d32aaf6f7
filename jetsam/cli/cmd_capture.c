/*
 * cmd_capture.c - jetsam capture: the probe's log from a device's syslog
 *
 * The output file is created only once the syslog stream is up, so a
 * device that is locked, untrusted or lacks the service leaves nothing
 * behind; from then on every record is on disk as it arrives, and an
 * unplugged cable or Ctrl-C keeps everything received.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jetsam/device/capture.h"
#include "jetsam/core/fileio.h"
#include "cmd.h"
#include "jetsam/device/device.h"
#include "jetsam/core/emit.h"

static void
usage(FILE *out)
{
	fputs("usage: jetsam capture [-u UDID] [--marker STR] [--timeout S] "
	      "[-f FMT] -o FILE\n\n"
	      "Capture the probe's log from a device's syslog while the probe "
	      "app runs:\nthe records after the marker, written to FILE as they "
	      "arrive (probe-log\nformat), plus the kernel's kill lines as "
	      "\"kill\" events.  Ends on the kill,\nafter S seconds without a "
	      "probe record, or on Ctrl-C, keeping everything.\nA summary row "
	      "goes to stdout.\n\n"
	      "  -u, --udid UDID    the device (default: the only one "
	      "connected)\n"
	      "  -o, --output FILE  the probe log to write (must not exist)\n"
	      "      --marker STR   the probe's marker (default "
	      "\"JETSAMKIT: \")\n"
	      "      --timeout S    silence timeout in seconds (default 120; "
	      "0: none)\n"
	      "  -f, --format FMT   summary as table (default), csv, json or "
	      "jsonl\n"
	      "  -h, --help         show this help\n\n"
	      "Exit status: 0 captured (killed, silent or interrupted), 1 "
	      "failed, 2 usage.\n",
	      out);
}

static int
say_ready(void *ud, struct jt_error *err)
{
	(void)err;
	jt_warn("%s: capturing; launch the probe app now (Ctrl-C ends)",
		(const char *)ud);
	return 0;
}

/* The summary row: the file written, the device, and the capture. */
struct capture_summary {
	const char *file, *udid;
	const struct jt_capture *cap;
};

static void
summary_row(const void *ctx, size_t k, struct jt_cell *row)
{
	const struct capture_summary *sum = ctx;
	const struct jt_capture *cap = sum->cap;

	(void)k;
	row[0] = jt_cell_str(sum->file);
	row[1] = jt_cell_str(sum->udid);
	row[2] = jt_cell_str(jt_capture_end_name(cap->end));
	row[3] = jt_cell_int(cap->records);
	row[4] = jt_cell_int(cap->bad_records);
	row[5] = jt_cell_int(cap->kill_lines);
	row[6] = cap->probe_pid >= 0 ? jt_cell_int(cap->probe_pid)
				     : jt_cell_null();
	row[7] = jt_cell_str(cap->probe_name[0] ? cap->probe_name : NULL);
	row[8] = jt_cell_int_known(cap->kernel_limit_bytes);
	row[9] = jt_cell_str(cap->kill_reason[0] ? cap->kill_reason : NULL);
	row[10] = jt_cell_int_known(cap->kill_footprint_bytes);
}

int
jt_cmd_capture(int argc, char **argv)
{
	static const struct option opts[] = {
		{"udid", required_argument, NULL, 'u'},
		{"output", required_argument, NULL, 'o'},
		{"marker", required_argument, NULL, 'm'},
		{"timeout", required_argument, NULL, 't'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *const cols[] = {"file",
					   "udid",
					   "end",
					   "records",
					   "bad_records",
					   "kill_lines",
					   "probe_pid",
					   "probe_name",
					   "kernel_limit_bytes",
					   "kill_reason",
					   "kill_footprint_bytes"};
	struct jt_capture_opts copts = {
		.silence_ms = 120000, .grace_ms = 2000, .stop = &jt_cli_stop};
	struct jt_cli_common co;
	const char *udid = NULL, *out = NULL;
	struct jt_device *dev = NULL;
	struct capture_summary sum;
	struct jt_capture cap;
	struct jt_error err;
	int c, fd, rc, status;

	jt_error_init(&err);
	jt_cli_common_init(&co);
	while ((c = getopt_long(argc, argv, "u:o:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			udid = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'm':
			if (optarg[0] == '\0')
				return jt_usage_error("empty --marker");
			copts.marker = optarg;
			break;
		case 't':
			if (jt_seconds_parse(optarg, 86400, 1,
					     &copts.silence_ms, &err) < 0)
				return jt_usage_error("--timeout: %s",
						      err.text);
			break;
		default: /* -f, -h (its 'm' is --marker, taken above) */
			rc = jt_cli_common_opt(c, optarg, &co, usage, argv);
			if (rc >= 0)
				return rc;
		}
	}
	if (jt_cli_no_operands(argc, argv) < 0)
		return JT_EXIT_USAGE;
	if (out == NULL)
		return jt_usage_error("missing -o FILE");
	if (access(out, F_OK) == 0) {
		jt_warn("%s: exists: will not overwrite a capture", out);
		return JT_EXIT_FAIL;
	}

	dev = jt_device_open(udid, &err);
	if (dev == NULL || jt_device_syslog_start(dev, &err) < 0) {
		jt_warn_error(&err);
		jt_device_close(dev);
		return JT_EXIT_FAIL;
	}
	fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		jt_warn("%s: cannot create: %s", out, strerror(errno));
		jt_device_close(dev);
		return JT_EXIT_FAIL;
	}
	jt_cli_catch_stop();

	jt_capture_init(&cap, fd, &copts, jt_capture_now_ms());
	rc = jt_capture_device(dev, &cap, say_ready,
			       (void *)jt_device_get_info(dev)->udid, &err);
	status = JT_EXIT_OK;
	if (rc < 0) {
		jt_warn_error(&err);
		jt_warn("%s: kept %ld record(s) captured before the failure",
			out, cap.records);
		status = JT_EXIT_FAIL;
	} else if (cap.end == JT_CAPTURE_SILENCE) {
		jt_warn("%s: no probe record for %lld s: stopped without "
			"seeing a kill",
			out, (long long)(copts.silence_ms / 1000));
	} else if (cap.end == JT_CAPTURE_INTERRUPTED) {
		jt_warn("%s: interrupted: kept %ld record(s)", out,
			cap.records);
	}
	if (close(fd) < 0 && status == JT_EXIT_OK) {
		jt_warn("%s: %s", out, strerror(errno));
		status = JT_EXIT_FAIL;
	}

	sum.file = out;
	sum.udid = jt_device_get_info(dev)->udid;
	sum.cap = &cap;
	jt_error_init(&err);
	if (jt_cli_emit(jt_cli_format(&co), cols,
			sizeof(cols) / sizeof(cols[0]), 1, summary_row, &sum,
			&err) < 0) {
		jt_warn_error(&err);
		status = JT_EXIT_FAIL;
	}
	jt_capture_release(&cap);
	jt_device_close(dev);
	return status;
}
