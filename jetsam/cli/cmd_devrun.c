/*
 * cmd_devrun.c - jetsam run -u UDID: device lab runs
 *
 * cmd_run.c hands every "jetsam run" without --local to this file.  The
 * jobs themselves (a thread per device, its runs in sequence) are the
 * device library's (jetsam/device/devjobs.h); this front-end turns argv
 * into options, owns Ctrl-C (the library only reads the flag), sets up
 * the launcher or a prompt to the person at the bench, shows progress
 * (cmd_lab.c), and prints one row per attempt after all jobs end, in the
 * order the devices were given, so the output stays deterministic.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "jetsam/core/emit.h"
#include "jetsam/core/fileio.h"
#include "jetsam/core/models.h"
#include "jetsam/device/devjobs.h"

static void
usage(FILE *out)
{
	fputs("usage: jetsam run (-u UDID ... | --all) [--runs N] [--retries N] "
	      "[--resume]\n"
	      "                  [--launch BUNDLE_ID [--install PATH] [--rate "
	      "SIZE]\n"
	      "                   [--step SIZE] [--ramp-to SIZE|PCT%] [--fill "
	      "F] [--max SIZE]]\n"
	      "                  [--timeout S] [--report-wait S] [--marker "
	      "STR] [--profile P]\n"
	      "                  [--keep] [-f FMT] -o DIR\n\n"
	      "Device lab runs: for each run, capture the probe's log from the "
	      "device's\nsyslog until the kernel kills the probe, pull the "
	      "JetsamEvent report of that\nkill, match it to the run (pid, "
	      "name), and write the run record beside both\nin "
	      "DIR/<model>-<os>-<n>/.  With --launch the probe app is started "
	      "from here\nwith the run's parameters (debugserver; xcrun "
	      "devicectl for iOS 17+ on a Mac);\nwithout it, or where neither "
	      "can, launch it on the device when the command\nsays it is "
	      "ready.  A run that proves nothing (launch failed, the app left "
	      "the\nforeground, no kill, no report) is recorded as failed "
	      "(failed.json) and tried\nagain.  Several devices run in "
	      "parallel.\n(For runs on this machine see 'jetsam run --local "
	      "--help'.)\n\n"
	      "  -u, --udid UDID      a device (repeat for several; default: "
	      "the only one)\n"
	      "      --all            every connected device\n"
	      "  -n, --runs N         good runs per device (default 1)\n"
	      "      --retries N      more attempts at a run that failed "
	      "(default 2)\n"
	      "      --resume         count the runs DIR already holds\n"
	      "  -o, --output DIR     where the run directories go\n"
	      "      --launch ID      start the probe app with this bundle id "
	      "from here\n"
	      "      --install PATH   install this .ipa or .app first\n"
	      "      --rate SIZE      the probe's allocation rate (default "
	      "20M per second)\n"
	      "      --step SIZE      the probe's allocation step\n"
	      "      --ramp-to SIZE|PCT%  allocate quickly up to here first\n"
	      "      --fill F         touch, constant or random\n"
	      "      --max SIZE       stop allocating here\n"
	      "                       the probe's options for each run "
	      "(JETSAM_PROBE_*)\n"
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
	      "Exit status: 0 every device has its runs, 1 a device or run "
	      "failed, 2 usage.\n",
	      out);
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
					   "kill_reason",
					   "failure"};
	struct jt_emitter *em;
	struct jt_error err;
	size_t i, r;
	int rc = 0;

	jt_error_init(&err);
	em = jt_emitter_new(stdout, fmt, cols, sizeof(cols) / sizeof(cols[0]),
			    &err);
	for (i = 0; em != NULL && i < n; i++) {
		for (r = 0; r < jobs[i].nattempts; r++) {
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
				jt_cell_str(x->failure),
			};

			/* resumed runs were listed by the run that made them */
			if (x->run_id == NULL || run->resumed)
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

/* What the command line asks for. */
struct args {
	struct jt_lab_args lab;
	const char *dir;
	struct jt_cli_common co; /* -f */
};

/* devrun_opt - the options of this command alone (jt_lab_parse). */
static int
devrun_opt(int c, const char *arg, char **argv, void *ud)
{
	struct args *a = ud;

	if (c == 'o') {
		a->dir = arg;
		return -1;
	}
	return jt_cli_common_opt(c, arg, &a->co, usage, argv);
}

/*
 * parse_args - argv into a (a->lab.udids allocated here, freed by the
 * caller).  Returns -1 to go on, or the exit status to end with.
 */
static int
parse_args(int argc, char **argv, struct args *a)
{
	static const struct option extra[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int rc = jt_lab_parse(argc, argv, "u:n:o:kf:h", extra, &a->lab,
			      devrun_opt, a);

	if (rc >= 0)
		return rc;
	if (a->dir == NULL)
		return jt_usage_error("missing -o DIR");
	return jt_lab_check(&a->lab);
}

int
jt_cmd_run_device(int argc, char **argv)
{
	struct jt_devjobs_opts jo;
	struct jt_lab_setup s;
	struct args a;
	size_t i;
	int status;

	memset(&a, 0, sizeof(a));
	jt_lab_args_init(&a.lab);
	jt_cli_common_init(&a.co);
	a.lab.run.stop = &jt_cli_stop;
	status = parse_args(argc, argv, &a);
	if (status >= 0) {
		free(a.lab.udids);
		return status;
	}
	if (jt_lab_setup(&a.lab, &s, &jo) < 0) {
		jt_lab_release(&s);
		free(a.lab.udids);
		return JT_EXIT_FAIL;
	}
	jo.dir = a.dir;

	jt_cli_catch_stop();
	(void)jt_devjobs_run(s.jobs, s.njobs, &jo, NULL);
	jt_progress_done(s.progress);

	status = JT_EXIT_OK;
	for (i = 0; i < s.njobs; i++)
		if (s.jobs[i].failed || s.jobs[i].ok < s.jobs[i].nruns)
			status = JT_EXIT_FAIL;
	if (emit_rows(s.jobs, s.njobs, jt_cli_format(&a.co)) < 0)
		status = JT_EXIT_FAIL;
	jt_lab_release(&s);
	free(a.lab.udids);
	return status;
}
