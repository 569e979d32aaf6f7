/*
 * cmd_devrun.c - jetsam run -u UDID: device lab runs
 *
 * cmd_run.c hands every "jetsam run" without --local to this file.  The
 * jobs themselves (a thread per device, its runs in sequence) are the
 * device library's (jetsam/device/devjobs.h); this front-end turns argv
 * into options, owns Ctrl-C (the library only reads the flag), prompts
 * the person at the bench to launch the probe, names each failure as it
 * happens, and prints one row per run after all jobs end, in the order
 * the devices were given, so the output stays deterministic.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "jetsam/core/emit.h"
#include "jetsam/core/fileio.h"
#include "jetsam/core/models.h"
#include "jetsam/device/devjobs.h"

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

/* The launcher for a person at the bench: say when to open the app. */
static int
prompt_launch(struct jt_device *dev, const char *run_id, void *ud,
	      struct jt_error *err)
{
	(void)ud;
	(void)err;
	flockfile(stderr);
	jt_warn("%s: %s: ready: launch the probe app now",
		jt_device_get_info(dev)->udid, run_id);
	funlockfile(stderr);
	return 0;
}

/* A failure is said when it happens, not when the slowest phone ends. */
static void
say_run_end(const struct jt_devjob *job, long i, void *ud)
{
	const struct jt_error *e = i < 0 ? &job->err : &job->runs[i].err;

	(void)ud;
	if (i >= 0 && job->runs[i].recorded)
		return;
	flockfile(stderr);
	jt_warn_error(e);
	funlockfile(stderr);
}

static int
emit_rows(const struct jt_devjob *jobs, size_t n, enum jt_format fmt)
{
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
	struct jt_emitter *em;
	struct jt_error err;
	size_t i;
	long r;
	int rc = 0;

	jt_error_init(&err);
	em = jt_emitter_new(stdout, fmt, cols, sizeof(cols) / sizeof(cols[0]),
			    &err);
	for (i = 0; em != NULL && i < n; i++) {
		for (r = 0; r < jobs[i].done; r++) {
			const struct jt_devjob_run *run = &jobs[i].runs[r];
			const struct jt_runrec *x = &run->rec;
			struct jt_cell row[] = {
				jt_cell_str(x->udid),
				jt_cell_str(x->run_id),
				jt_cell_str(x->model),
				jt_cell_str(x->os_version),
				jt_cell_str(run->recorded ? "recorded"
							  : "failed"),
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
			if (jt_emitter_row(em, row, &err) < 0)
				rc = -1;
		}
	}
	if (em == NULL || jt_emitter_end(em, &err) < 0)
		rc = -1;
	if (jt_error_isset(&err))
		jt_warn_error(&err);
	jt_emitter_free(em);
	return rc;
}

enum { OPT_ALL = 256, OPT_TIMEOUT, OPT_WAIT, OPT_MARKER, OPT_PROFILE };

/* What the command line asks for. */
struct args {
	struct jt_devjobs_opts jobs;
	enum jt_format fmt;
	const char **udids; /* -u, in order; [argc] entries */
	size_t nudids;
	int all;
	long runs;
};

/*
 * parse_args - argv into a (a->udids allocated here, freed by the
 * caller).  Returns -1 to go on, or the exit status to end with.
 */
static int
parse_args(int argc, char **argv, struct args *a)
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
	struct jt_devrun_opts *ro = &a->jobs.run;
	struct jt_error err;
	int c;

	jt_error_init(&err);
	/* -u may be given as often as there are arguments */
	a->udids = calloc((size_t)argc + 1, sizeof(*a->udids));
	if (a->udids == NULL) {
		jt_warn("out of memory");
		return JT_EXIT_FAIL;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "u:n:o:kf:h", opts, NULL)) != -1) {
		char *end;

		switch (c) {
		case 'u':
			a->udids[a->nudids++] = optarg;
			break;
		case OPT_ALL:
			a->all = 1;
			break;
		case 'n':
			errno = 0;
			a->runs = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || a->runs < 1 ||
			    a->runs > 10000)
				return jt_usage_error("bad --runs '%s'",
						      optarg);
			break;
		case 'o':
			a->jobs.dir = optarg;
			break;
		case OPT_TIMEOUT:
		case OPT_WAIT:
			if (jt_seconds_parse(optarg, 86400, 1,
					     c == OPT_TIMEOUT
						     ? &ro->silence_ms
						     : &ro->report_wait_ms,
					     &err) < 0)
				return jt_usage_error("%s: %s",
						      c == OPT_TIMEOUT
							      ? "--timeout"
							      : "--report-wait",
						      err.text);
			break;
		case OPT_MARKER:
			ro->marker = optarg;
			break;
		case OPT_PROFILE:
			ro->profile = optarg;
			break;
		case 'k':
			ro->keep = 1;
			break;
		case 'f':
			if (jt_format_parse(optarg, &a->fmt, &err) < 0)
				return jt_usage_error("%s", err.text);
			break;
		case 'h':
			usage(stdout);
			return JT_EXIT_OK;
		default:
			return jt_bad_option(argv);
		}
	}
	if (optind < argc)
		return jt_usage_error("unexpected argument '%s'", argv[optind]);
	if (a->jobs.dir == NULL)
		return jt_usage_error("missing -o DIR");
	if (a->all && a->nudids > 0)
		return jt_usage_error("give -u or --all, not both");
	return -1;
}

int
jt_cmd_run_device(int argc, char **argv)
{
	struct args a;
	char **all = NULL;
	struct jt_models *models;
	struct jt_devjob *jobs;
	struct jt_error err;
	struct sigaction sa;
	size_t njobs, i;
	int status;

	memset(&a, 0, sizeof(a));
	a.fmt = JT_FORMAT_TABLE;
	a.runs = 1;
	a.jobs.run.silence_ms = 120000;
	a.jobs.run.grace_ms = 2000;
	a.jobs.run.report_wait_ms = 60000;
	a.jobs.run.stop = &interrupted;
	a.jobs.run.launch = prompt_launch;
	a.jobs.run_end = say_run_end;
	status = parse_args(argc, argv, &a);
	if (status >= 0) {
		free(a.udids);
		return status;
	}
	jt_error_init(&err);
	if (a.all &&
	    (jt_device_udids(&all, &a.nudids, &err) < 0 || a.nudids == 0)) {
		if (jt_error_isset(&err))
			jt_warn_error(&err);
		else
			jt_warn("no device connected");
		jt_device_udids_free(all);
		free(a.udids);
		return JT_EXIT_FAIL;
	}
	models = jt_models_load(NULL, &err);
	jobs = models == NULL
		? NULL
		: jt_devjobs_new(a.all ? (const char *const *)all : a.udids,
				 a.nudids, a.runs, &err);
	free(a.udids);
	jt_device_udids_free(all);
	if (jobs == NULL) {
		jt_warn_error(&err);
		jt_models_free(models);
		return JT_EXIT_FAIL;
	}
	a.jobs.run.models = models;
	njobs = a.nudids > 0 ? a.nudids : 1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	(void)jt_devjobs_run(jobs, njobs, &a.jobs, NULL);

	status = JT_EXIT_OK;
	for (i = 0; i < njobs; i++)
		if (jobs[i].failed)
			status = JT_EXIT_FAIL;
	if (emit_rows(jobs, njobs, a.fmt) < 0)
		status = JT_EXIT_FAIL;
	jt_devjobs_free(jobs, njobs);
	jt_models_free(models);
	return status;
}
