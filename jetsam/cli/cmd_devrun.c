/*
 * cmd_devrun.c - jetsam run -u UDID: device lab runs
 *
 * cmd_run.c hands every "jetsam run" without --local to this file.  Each
 * device gets a thread of its own (its runs are sequential), so a bench
 * of phones is measured at once; the rows are printed after all threads
 * end, in the order the devices were given, so the output stays
 * deterministic.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jetsam/device/capture.h"
#include "jetsam/core/fileio.h"
#include "cmd.h"
#include "jetsam/device/device.h"
#include "jetsam/device/devrun.h"
#include "jetsam/core/emit.h"
#include "jetsam/core/models.h"
#include "jetsam/lab/runrec.h"

static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void
usage(FILE *out)
{
	fputs("usage: jetsam run (-u UDID ... | --all) [--runs N] [--timeout "
	      "S]\n"
	      "                  [--report-wait S] [--marker STR] [--profile "
	      "P] [--keep]\n"
	      "                  [-f FMT] -o DIR\n\n"
	      "Device lab runs: for each run, capture the probe's log from the "
	      "device's\nsyslog until the kernel kills the probe, pull the "
	      "JetsamEvent report of that\nkill, match it to the run (pid, "
	      "name), and write the run record beside both\nin "
	      "DIR/<model>-<os>-<n>/.  Launch the probe app on the device when "
	      "the\ncommand says it is ready.  Several devices run in "
	      "parallel.\n(For runs on this machine see 'jetsam run --local "
	      "--help'.)\n\n"
	      "  -u, --udid UDID      a device (repeat for several; default: "
	      "the only one)\n"
	      "      --all            every connected device\n"
	      "  -n, --runs N         runs per device (default 1)\n"
	      "  -o, --output DIR     where the run directories go\n"
	      "      --timeout S      end a run when the probe is silent S "
	      "seconds (default 120)\n"
	      "      --report-wait S  wait up to S seconds for the report "
	      "(default 60)\n"
	      "      --marker STR     the probe's syslog marker (default "
	      "\"JETSAMKIT: \")\n"
	      "      --profile P      run record profile (default app)\n"
	      "  -k, --keep           leave the matched report on the device\n"
	      "  -f, --format FMT     table (default), csv, json or jsonl\n"
	      "  -h, --help           show this help\n\n"
	      "Exit status: 0 every run recorded, 1 a device or run failed, 2 "
	      "usage.\n",
	      out);
}

struct job {
	const char *udid; /* NULL: the only device */
	const char *dir;
	long runs;
	const struct jt_devrun_opts *opts;
	struct jt_runrec *recs; /* runs of them; run_id NULL if none */
	long done;
	int failed;
	pthread_t thread;
};

static void
say_ready(const char *udid, const char *run_id, void *ud)
{
	(void)ud;
	jt_warn("%s: %s: ready: launch the probe app now", udid, run_id);
}

static void *
run_job(void *arg)
{
	struct job *j = arg;
	struct jt_devrun_seen seen = {NULL, 0};
	struct jt_device *dev;
	struct jt_error err;
	long i;

	jt_error_init(&err);
	dev = jt_device_open(j->udid, &err);
	if (dev == NULL) {
		jt_warn_error(&err);
		j->failed = 1;
		return NULL;
	}
	for (i = 0; i < j->runs && !interrupted; i++) {
		jt_error_init(&err);
		if (jt_devrun_once(dev, j->dir, j->opts, &seen, &j->recs[i],
				   &err) < 0) {
			jt_warn_error(&err);
			j->failed = 1;
			j->done = i + 1;
			break;
		}
		j->done = i + 1;
	}
	jt_devrun_seen_release(&seen);
	jt_device_close(dev);
	return NULL;
}

enum { OPT_ALL = 256, OPT_TIMEOUT, OPT_WAIT, OPT_MARKER, OPT_PROFILE };

int
jt_cmd_run_device(int argc, char **argv)
{
	static const struct option opts[] = {
		{"udid", required_argument, NULL, 'u'},
		{"all", no_argument, NULL, OPT_ALL},
		{"runs", required_argument, NULL, 'n'},
		{"output", required_argument, NULL, 'o'},
		{"timeout", required_argument, NULL, OPT_TIMEOUT},
		{"report-wait", required_argument, NULL, OPT_WAIT},
		{"marker", required_argument, NULL, OPT_MARKER},
		{"profile", required_argument, NULL, OPT_PROFILE},
		{"keep", no_argument, NULL, 'k'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *const cols[] = {"udid",
					   "run_id",
					   "model",
					   "os_version",
					   "status",
					   "report",
					   "report_bytes",
					   "footprint_remaining_bytes",
					   "last_sample_bytes",
					   "overshoot_bytes",
					   "samples",
					   "kill_reason"};
	struct jt_devrun_opts ro;
	enum jt_format fmt = JT_FORMAT_TABLE;
	const char **udids = NULL;
	char **all = NULL;
	const char *dir = NULL;
	struct jt_models *models;
	struct jt_emitter *em;
	struct jt_error err;
	struct job *jobs;
	struct sigaction sa;
	size_t nudids = 0, i;
	long runs = 1, r;
	int c, use_all = 0, status = JT_EXIT_OK;

	memset(&ro, 0, sizeof(ro));
	ro.silence_ms = 120000;
	ro.grace_ms = 2000;
	ro.report_wait_ms = 60000;
	ro.stop = &interrupted;
	ro.ready = say_ready;
	jt_error_init(&err);
	udids = calloc((size_t)argc + 1, sizeof(*udids));
	if (udids == NULL) {
		jt_warn("out of memory");
		return JT_EXIT_FAIL;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "u:n:o:kf:h", opts, NULL)) != -1) {
		char *end;

		switch (c) {
		case 'u':
			udids[nudids++] = optarg;
			break;
		case OPT_ALL:
			use_all = 1;
			break;
		case 'n':
			errno = 0;
			runs = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || runs < 1 ||
			    runs > 10000) {
				free(udids);
				return jt_usage_error("bad --runs '%s'",
						      optarg);
			}
			break;
		case 'o':
			dir = optarg;
			break;
		case OPT_TIMEOUT:
		case OPT_WAIT:
			if (jt_seconds_parse(optarg, 86400, 1,
					     c == OPT_TIMEOUT
						     ? &ro.silence_ms
						     : &ro.report_wait_ms,
					     &err) < 0) {
				free(udids);
				return jt_usage_error("%s: %s",
						      c == OPT_TIMEOUT
							      ? "--timeout"
							      : "--report-wait",
						      err.text);
			}
			break;
		case OPT_MARKER:
			ro.marker = optarg;
			break;
		case OPT_PROFILE:
			ro.profile = optarg;
			break;
		case 'k':
			ro.keep = 1;
			break;
		case 'f':
			if (jt_format_parse(optarg, &fmt, &err) < 0) {
				free(udids);
				return jt_usage_error("%s", err.text);
			}
			break;
		case 'h':
			free(udids);
			usage(stdout);
			return JT_EXIT_OK;
		default:
			free(udids);
			return jt_bad_option(argv);
		}
	}
	if (optind < argc) {
		free(udids);
		return jt_usage_error("unexpected argument '%s'", argv[optind]);
	}
	if (dir == NULL) {
		free(udids);
		return jt_usage_error("missing -o DIR");
	}
	if (use_all && nudids > 0) {
		free(udids);
		return jt_usage_error("give -u or --all, not both");
	}
	models = jt_models_load(NULL, &err);
	if (models == NULL) {
		jt_warn_error(&err);
		free(udids);
		return JT_EXIT_FAIL;
	}
	ro.models = models;
	if (use_all) {
		size_t n;

		if (jt_device_udids(&all, &n, &err) < 0 || n == 0) {
			if (jt_error_isset(&err))
				jt_warn_error(&err);
			else
				jt_warn("no device connected");
			jt_device_udids_free(all);
			jt_models_free(models);
			free(udids);
			return JT_EXIT_FAIL;
		}
		if (n > (size_t)argc) {
			const char **grown =
				realloc(udids, (n + 1) * sizeof(*udids));

			if (grown == NULL) {
				jt_warn("out of memory");
				jt_device_udids_free(all);
				jt_models_free(models);
				free(udids);
				return JT_EXIT_FAIL;
			}
			udids = grown;
		}
		for (i = 0; i < n; i++)
			udids[i] = all[i];
		nudids = n;
	}
	if (nudids == 0)
		nudids = 1; /* udids[0] NULL: the only device */

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	jobs = calloc(nudids, sizeof(*jobs));
	for (i = 0; jobs != NULL && i < nudids; i++) {
		jobs[i].udid = udids[i];
		jobs[i].dir = dir;
		jobs[i].runs = runs;
		jobs[i].opts = &ro;
		jobs[i].recs = calloc((size_t)runs, sizeof(*jobs[i].recs));
		for (r = 0; jobs[i].recs != NULL && r < runs; r++)
			jt_runrec_init(&jobs[i].recs[r]);
	}
	if (jobs == NULL) {
		jt_warn("out of memory");
		jt_device_udids_free(all);
		jt_models_free(models);
		free(udids);
		return JT_EXIT_FAIL;
	}
	for (i = 0; i < nudids; i++) {
		if (jobs[i].recs == NULL ||
		    pthread_create(&jobs[i].thread, NULL, run_job, &jobs[i]) !=
			    0) {
			jt_warn("cannot start a thread for %s",
				udids[i] ? udids[i] : "the device");
			jobs[i].failed = 1;
			jobs[i].runs = 0;
		}
	}
	for (i = 0; i < nudids; i++)
		if (jobs[i].runs > 0)
			pthread_join(jobs[i].thread, NULL);

	em = jt_emitter_new(stdout, fmt, cols, sizeof(cols) / sizeof(cols[0]),
			    &err);
	for (i = 0; i < nudids; i++) {
		if (jobs[i].failed)
			status = JT_EXIT_FAIL;
		for (r = 0; r < jobs[i].done; r++) {
			const struct jt_runrec *x = &jobs[i].recs[r];
			int ok = !(jobs[i].failed && r == jobs[i].done - 1);
			struct jt_cell row[] = {
				jt_cell_str(x->udid),
				jt_cell_str(x->run_id),
				jt_cell_str(x->model),
				jt_cell_str(x->os_version),
				jt_cell_str(ok ? "recorded" : "failed"),
				jt_cell_str(x->report),
				jt_cell_int_known(x->report_bytes),
				jt_cell_int_known(x->footprint_remaining_bytes),
				jt_cell_int_known(x->last_sample_bytes),
				jt_cell_int_known(x->overshoot_bytes),
				jt_cell_int_known(x->samples),
				jt_cell_str(x->kill_reason),
			};

			if (x->run_id == NULL)
				continue;
			if (em != NULL && jt_emitter_row(em, row, &err) < 0)
				status = JT_EXIT_FAIL;
		}
	}
	if (em == NULL || jt_emitter_end(em, &err) < 0)
		status = JT_EXIT_FAIL;
	if (jt_error_isset(&err))
		jt_warn_error(&err);
	jt_emitter_free(em);
	for (i = 0; i < nudids; i++) {
		for (r = 0; jobs[i].recs != NULL && r < runs; r++)
			jt_runrec_release(&jobs[i].recs[r]);
		free(jobs[i].recs);
	}
	free(jobs);
	jt_device_udids_free(all);
	jt_models_free(models);
	free(udids);
	return status;
}
