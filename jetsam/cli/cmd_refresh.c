/*
 * cmd_refresh.c - jetsam refresh: a release's tables in one command
 *
 * Turns argv into a calibrate/refresh/refresh.h call and its result into
 * a summary on stdout and an exit status; the loop itself (runs on every
 * phone, pull, calibrate, diff, report) and its resuming are the
 * library's.  Progress and the launcher are cmd_lab.c's, as for "jetsam
 * run".
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/field/field.h"
#include "calibrate/refresh/refresh.h"
#include "cmd.h"

static void
usage(FILE *out)
{
	fputs("usage: jetsam refresh --release LABEL [-u UDID ... | --all] "
	      "[--runs N]\n"
	      "                      [--retries N] --launch BUNDLE_ID "
	      "[--install PATH]\n"
	      "                      [--rate SIZE] [--step SIZE] [--ramp-to "
	      "SIZE|PCT%]\n"
	      "                      [--fill F] [--max SIZE] [--field FILE]...\n"
	      "                      [--previous TABLE] [--fail-over PCT]\n"
	      "                      [--statistic max|p99|p999] [--max-bad-rows "
	      "N]\n"
	      "                      [--timeout S] [--report-wait S] -o DIR\n\n"
	      "A release refresh: N good runs on every phone at once "
	      "(launched from here\nwith --launch), the reports left on the "
	      "phones pulled aside, the good runs\ncalibrated with the field "
	      "data, the table compared with the previous\nrelease's "
	      "(--fail-over gates it) and the HTML report written, all under "
	      "DIR:\nruns/, pulled/, table.json, table.plist, table.h, "
	      "diff.txt, report.html,\nrefresh.json.  Rerun the same command "
	      "after a crash, Ctrl-C or an unplugged\nphone: finished runs are "
	      "kept and only the missing ones are made.\n\n"
	      "  --release LABEL      the release the tables are for\n"
	      "  -u, --udid UDID      a phone (repeat; default: every phone "
	      "attached)\n"
	      "  -n, --runs N         good runs per phone (default 3)\n"
	      "      --retries N      more attempts at a run that failed "
	      "(default 2)\n"
	      "      --all            every phone attached (the default)\n"
	      "      --resume         keep finished runs (always done; "
	      "accepted)\n"
	      "  -k, --keep           leave matched reports on the phones\n"
	      "      --launch ID      the probe app's bundle id\n"
	      "      --install PATH   install this .ipa or .app first\n"
	      "      --rate SIZE      the probe's options for each run, as for "
	      "'jetsam run -u'\n"
	      "      --step SIZE\n"
	      "      --ramp-to SIZE|PCT%\n"
	      "      --fill F\n"
	      "      --max SIZE\n"
	      "      --marker STR\n"
	      "      --profile P\n"
	      "      --timeout S      end a run after S silent seconds\n"
	      "      --report-wait S  wait up to S seconds for a report\n"
	      "      --field FILE     field data (repeat)\n"
	      "      --previous TABLE the previous release's table.json\n"
	      "      --fail-over PCT  fail when a threshold moved more than "
	      "PCT %\n"
	      "      --statistic S    field growth statistic (default max)\n"
	      "      --max-bad-rows N malformed field rows allowed (default "
	      "0)\n"
	      "  -o, --output DIR     where it all goes\n"
	      "  -h, --help           show this help\n\n"
	      "Exit status: 0 every phone has its runs and the gate passed, 1 "
	      "otherwise,\n2 usage.\n",
	      out);
}

enum {
	OPT_RELEASE = 400,
	OPT_FIELD,
	OPT_PREVIOUS,
	OPT_FAIL_OVER,
	OPT_STATISTIC,
	OPT_MAX_BAD
};

struct args {
	struct jt_lab_args lab;
	struct jt_refresh_opts r;
	const char **field; /* [argc] */
};

/* refresh_opt - the options of this command alone (jt_lab_parse). */
static int
refresh_opt(int c, const char *arg, char **argv, void *ud)
{
	struct args *a = ud;
	struct jt_error err;
	char *end;

	jt_error_init(&err);
	switch (c) {
	case OPT_RELEASE:
		a->r.release = arg;
		return -1;
	case OPT_FIELD:
		a->field[a->r.nfield++] = arg;
		return -1;
	case OPT_PREVIOUS:
		a->r.previous = arg;
		return -1;
	case OPT_FAIL_OVER:
		errno = 0;
		a->r.fail_over_pct = strtod(arg, &end);
		if (errno != 0 || *arg == '\0' || *end != '\0' ||
		    !(a->r.fail_over_pct >= 0))
			return jt_usage_error("--fail-over: '%s' is not a "
					      "percentage",
					      arg);
		return -1;
	case OPT_STATISTIC:
		if (jt_statistic_parse(arg, &a->r.calibrate.statistic, &err) <
		    0)
			return jt_usage_error("%s", err.text);
		return -1;
	case OPT_MAX_BAD:
		errno = 0;
		a->r.max_bad_rows = strtol(arg, &end, 10);
		if (errno != 0 || *arg == '\0' || *end != '\0' ||
		    a->r.max_bad_rows < 0)
			return jt_usage_error("bad --max-bad-rows '%s'", arg);
		return -1;
	case 'o':
		a->r.dir = arg;
		return -1;
	default: /* no -f, --models or --bytes here */
		return jt_cli_common_opt(c, arg, NULL, usage, argv);
	}
}

/* parse_args - -1 to go on, else the exit status. */
static int
parse_args(int argc, char **argv, struct args *a)
{
	static const struct option extra[] = {
		{"release", required_argument, NULL, OPT_RELEASE},
		{"field", required_argument, NULL, OPT_FIELD},
		{"previous", required_argument, NULL, OPT_PREVIOUS},
		{"fail-over", required_argument, NULL, OPT_FAIL_OVER},
		{"statistic", required_argument, NULL, OPT_STATISTIC},
		{"max-bad-rows", required_argument, NULL, OPT_MAX_BAD},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int rc;

	a->field = calloc((size_t)argc + 1, sizeof(*a->field));
	if (a->field == NULL) {
		jt_warn("out of memory");
		return JT_EXIT_FAIL;
	}
	rc = jt_lab_parse(argc, argv, "u:n:o:kh", extra, &a->lab, refresh_opt,
			  a);
	if (rc >= 0)
		return rc;
	if (a->r.release == NULL || a->r.release[0] == '\0')
		return jt_usage_error("missing --release LABEL");
	if (a->r.dir == NULL)
		return jt_usage_error("missing -o DIR");
	if (a->r.fail_over_pct >= 0 && a->r.previous == NULL)
		return jt_usage_error("--fail-over needs --previous TABLE");
	/* no -u: every phone attached */
	if (a->lab.nudids == 0)
		a->lab.all = 1;
	return jt_lab_check(&a->lab);
}

/* say - the summary on stdout: what a person reads in the morning. */
static void
say(const struct args *a, const struct jt_refresh_result *r, int ok)
{
	printf("release %s: %zu of %zu phones have their %ld runs\n",
	       a->r.release, r->phones_done, r->phones, a->lab.runs);
	printf("runs: %ld good (%ld from before), %ld failed attempts "
	       "(not evidence)\n",
	       r->runs_ok, r->runs_resumed, r->attempts_failed);
	if (!ok)
		return;
	printf("reports left on the phones: %ld, kept in %s/pulled%s\n",
	       r->reports_pulled, a->r.dir,
	       r->pulls_failed > 0 ? " (some phones could not be asked)" : "");
	printf("table: %s/table.json (%zu entries), report: %s/report.html\n",
	       a->r.dir, r->entries, a->r.dir);
	if (!r->compared) {
		printf("models changed: not compared (no --previous)\n");
		return;
	}
	printf("models changed against %s: %ld thresholds changed, %ld rule "
	       "changes, %ld added, %ld removed (largest %.2f %%)\n",
	       a->r.previous, r->diff.changed, r->diff.rule_changed,
	       r->diff.added, r->diff.removed, r->diff.max_abs_pct);
	if (a->r.fail_over_pct < 0)
		printf("gate: none (no --fail-over)\n");
	else
		printf("gate (--fail-over %g %%): %s\n", a->r.fail_over_pct,
		       r->gate_failed ? "FAILED" : "passed");
}

int
jt_cmd_refresh(int argc, char **argv)
{
	struct jt_refresh_result res;
	struct jt_lab_setup s;
	struct jt_error err;
	struct args a;
	int status, rc;

	memset(&a, 0, sizeof(a));
	jt_lab_args_init(&a.lab);
	a.lab.runs = 3;
	a.lab.resume = 1;
	a.lab.run.stop = &jt_cli_stop;
	a.r.fail_over_pct = -1;
	a.r.calibrate.statistic = JT_STAT_MAX;
	a.r.calibrate.fraction = JT_TABLE_DEFAULT_FRACTION;
	a.r.calibrate.tool_version = JT_VERSION;
	status = parse_args(argc, argv, &a);
	if (status >= 0)
		goto out;
	status = JT_EXIT_FAIL;
	if (jt_lab_setup(&a.lab, &s, &a.r.run) < 0) {
		jt_lab_release(&s);
		goto out;
	}
	a.r.jobs = s.jobs;
	a.r.njobs = s.njobs;
	a.r.models = s.models;
	a.r.field = a.field;

	jt_cli_catch_stop();
	jt_error_init(&err);
	rc = jt_refresh_run(&a.r, &res, &err);
	jt_progress_done(s.progress);
	if (rc < 0)
		jt_warn_error(&err);
	say(&a, &res, rc == 0);
	if (rc == 0 && res.phones_done == res.phones && !res.gate_failed)
		status = JT_EXIT_OK;
	jt_lab_release(&s);
out:
	free(a.lab.udids);
	free(a.field);
	return status;
}
