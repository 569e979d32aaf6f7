/*
 * cmd_run.c - jetsam run: lab runs that kill the probe
 *
 * "jetsam run --local" kills the probe on this machine (jetsam/run/):
 * this file turns argv into struct jt_run_opts, asks the library to check
 * them, find the probe and look up the model, runs, and prints one row per
 * run on stdout and a progress line on stderr when it is a terminal.
 * Anything else is a device run and goes, argv unchanged, to
 * jt_cmd_run_device (jetsam/cli/cmd_devrun.c).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "jetsam/core/emit.h"
#include "jetsam/core/fileio.h"
#include "jetsam/core/models.h"
#include "jetsam/core/size.h"
#include "jetsam/run/run.h"
#include "probe/size.h"

static const char usage_text[] =
	"usage: jetsam run --local --limit SIZE [--enforce supervisor|cgroup]\n"
	"                  [--model NAME] [--os VERSION] [--build BUILD] "
	"[--runs N]\n"
	"                  [probe options] [-f FMT] [--bytes] -o DIR\n"
	"       jetsam run -u UDID [...] -o DIR   (a device run: jetsam run "
	"--help)\n"
	"\n"
	"Kill the probe on this machine at a known limit and keep what a "
	"phone would\nleave: the probe log, a JetsamEvent report (bug_type "
	"298) and the run record,\nin DIR/<model>-<os>-<n>/.\n"
	"\n"
	"      --local              a local lab run (without it: a device "
	"run)\n"
	"      --limit SIZE         the per-process limit to enforce "
	"(required)\n"
	"      --enforce E          supervisor (default): poll the footprint "
	"at 200 Hz\n"
	"                           and SIGKILL past the limit; cgroup: a "
	"memory cgroup\n"
	"                           whose OOM killer does it\n"
	"      --model NAME         product type in the report (default: "
	"local)\n"
	"      --os VERSION         OS version in the report (default: "
	"0.0)\n"
	"      --build BUILD        OS build in the report (default: local)\n"
	"      --runs N             repeat N times (default 1)\n"
	"      --rate SIZE          probe rate per second (default 20M)\n"
	"      --step SIZE          probe step (default 1M)\n"
	"      --ramp-to SIZE|PCT%  probe ramp: fast to this point, then "
	"paced\n"
	"      --fill MODE          probe fill: touch, constant or random\n"
	"      --fsync              probe fdatasyncs its log after each "
	"line\n"
	"      --probe PATH         the jetsam-probe program (default: "
	"beside jetsam,\n"
	"                           else on PATH)\n"
	"      --poll-hz N          supervisor polling rate (default 200, 100 "
	"to 10000)\n"
	"      --timeout SEC        give up on a run after SEC seconds\n"
	"  -o, --output DIR         where the runs go (required)\n"
	"  -f, --format FMT         table (default), csv, json or jsonl\n"
	"      --bytes              exact byte counts in the table (not "
	"160.0 MiB)\n"
	"  -h, --help               show this help\n"
	"\n"
	"Exit status: 0 every run ended in a kill at the limit, 1 a run did "
	"not\n(or no memory cgroup can be made), 2 usage.\n";

static void
usage(FILE *out)
{
	fputs(usage_text, out);
}

static const char *const columns[] = {
	"run_id",
	"enforcer",
	"truth_limit_bytes",
	"last_sample_bytes",
	"crossing_bytes",
	"footprint_remaining_bytes",
	"report_bytes",
	"first_warning_bytes",
	"overshoot_bytes",
	"rate_bytes_per_s",
	"samples",
	"duration_ms",
	"kill_reason",
};
enum { NCOLS = sizeof(columns) / sizeof(columns[0]) };

static void
show_progress(void *ctx, const struct jt_run_progress *p)
{
	const char *id = ctx;

	fprintf(stderr, "\r%s: %" PRId64 " / %" PRId64 " MiB", id,
		p->footprint_bytes >> 20, p->limit_bytes >> 20);
	if (p->rate_bytes_per_s > 0)
		fprintf(stderr, ", %.1f MiB/s",
			(double)p->rate_bytes_per_s / (1 << 20));
	if (p->eta_ms >= 0)
		fprintf(stderr, ", ETA %.1f s", (double)p->eta_ms / 1000);
	fputs("      ", stderr);
	fflush(stderr);
}

static int
size_arg(const char *name, const char *text, int64_t *out)
{
	struct jt_error err;

	jt_error_init(&err);
	if (jt_size_parse(text, out, &err) < 0)
		return jt_usage_error("invalid %s '%s'", name, text);
	return 0;
}

static int
has_local(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "--local") == 0)
			return 1;
	}
	return 0;
}

/* What the command line asks of a local run. */
struct args {
	struct jt_run_opts o;
	struct jt_cli_common co; /* -f, --bytes */
	const char *dir;         /* -o DIR */
	const char *probe_arg;   /* --probe PATH, or NULL */
	long runs;
};

/*
 * parse_args - argv into a.  Returns -1 to go on, else the exit status
 * (0 after --help, 2 for a usage error, said on stderr).
 */
static int
parse_args(int argc, char **argv, struct args *a)
{
	enum {
		OPT_LOCAL = 256,
		OPT_LIMIT,
		OPT_ENFORCE,
		OPT_MODEL,
		OPT_OS,
		OPT_BUILD,
		OPT_RUNS,
		OPT_RATE,
		OPT_STEP,
		OPT_RAMP,
		OPT_FILL,
		OPT_FSYNC,
		OPT_PROBE,
		OPT_POLL,
		OPT_TIMEOUT
	};
	static const struct option opts[] = {
		{"local", no_argument, NULL, OPT_LOCAL},
		{"limit", required_argument, NULL, OPT_LIMIT},
		{"enforce", required_argument, NULL, OPT_ENFORCE},
		{"model", required_argument, NULL, OPT_MODEL},
		{"os", required_argument, NULL, OPT_OS},
		{"build", required_argument, NULL, OPT_BUILD},
		{"runs", required_argument, NULL, OPT_RUNS},
		{"rate", required_argument, NULL, OPT_RATE},
		{"step", required_argument, NULL, OPT_STEP},
		{"ramp-to", required_argument, NULL, OPT_RAMP},
		{"fill", required_argument, NULL, OPT_FILL},
		{"fsync", no_argument, NULL, OPT_FSYNC},
		{"probe", required_argument, NULL, OPT_PROBE},
		{"poll-hz", required_argument, NULL, OPT_POLL},
		{"timeout", required_argument, NULL, OPT_TIMEOUT},
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{"bytes", no_argument, NULL, JT_OPT_BYTES},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct jt_error err;
	char *end;
	int ch, rc;

	jt_run_opts_init(&a->o);
	jt_cli_common_init(&a->co);
	a->dir = NULL;
	a->probe_arg = NULL;
	a->runs = 1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:f:h", opts, NULL)) != -1) {
		jt_error_init(&err);
		switch (ch) {
		case OPT_LOCAL:
			break;
		case OPT_LIMIT:
			if (size_arg("limit", optarg, &a->o.limit_bytes))
				return JT_EXIT_USAGE;
			if (a->o.limit_bytes <= 0)
				return jt_usage_error("invalid limit '%s'",
						      optarg);
			break;
		case OPT_ENFORCE:
			if (strcmp(optarg, "supervisor") == 0)
				a->o.enforcer = JT_ENFORCE_SUPERVISOR;
			else if (strcmp(optarg, "cgroup") == 0)
				a->o.enforcer = JT_ENFORCE_CGROUP;
			else
				return jt_usage_error("invalid enforcer '%s' "
						      "(supervisor or cgroup)",
						      optarg);
			break;
		case OPT_MODEL:
			a->o.model = optarg;
			break;
		case OPT_OS:
			a->o.os_version = optarg;
			break;
		case OPT_BUILD:
			a->o.os_build = optarg;
			break;
		case OPT_RUNS:
			errno = 0;
			a->runs = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || a->runs < 1 ||
			    a->runs > 10000)
				return jt_usage_error("invalid runs '%s'",
						      optarg);
			break;
		case OPT_RATE:
			if (size_arg("rate", optarg, &a->o.rate_bytes_per_s))
				return JT_EXIT_USAGE;
			if (a->o.rate_bytes_per_s <= 0)
				return jt_usage_error("invalid rate '%s'",
						      optarg);
			break;
		case OPT_STEP:
			if (size_arg("step", optarg, &a->o.step_bytes))
				return JT_EXIT_USAGE;
			if (a->o.step_bytes <= 0)
				return jt_usage_error("invalid step '%s'",
						      optarg);
			break;
		case OPT_RAMP:
			if (jt_probe_ramp_parse(optarg, &a->o.ramp_to_bytes,
						&a->o.ramp_to_pct) < 0)
				return jt_usage_error("invalid ramp-to '%s'",
						      optarg);
			break;
		case OPT_FILL:
			if (strcmp(optarg, "touch") != 0 &&
			    strcmp(optarg, "constant") != 0 &&
			    strcmp(optarg, "random") != 0)
				return jt_usage_error("invalid fill '%s'",
						      optarg);
			a->o.fill = optarg;
			break;
		case OPT_FSYNC:
			a->o.fsync_each = 1;
			break;
		case OPT_PROBE:
			a->probe_arg = optarg;
			break;
		case OPT_POLL:
			errno = 0;
			a->o.poll_hz = (int)strtol(optarg, &end, 10);
			if (errno || end == optarg || *end ||
			    a->o.poll_hz < 100 || a->o.poll_hz > 10000) {
				return jt_usage_error("invalid poll-hz '%s' "
						      "(100 to 10000)",
						      optarg);
			}
			break;
		case OPT_TIMEOUT:
			if (jt_seconds_parse(optarg, 1e6, 0, &a->o.timeout_ms,
					     &err) < 0)
				return jt_usage_error("--timeout: %s",
						      err.text);
			break;
		case 'o':
			a->dir = optarg;
			break;
		default:
			rc = jt_cli_common_opt(ch, optarg, &a->co, usage, argv);
			if (rc >= 0)
				return rc;
		}
	}
	if (jt_cli_no_operands(argc, argv) < 0)
		return JT_EXIT_USAGE;
	if (a->o.limit_bytes <= 0 || a->dir == NULL)
		return jt_usage_error("a local run needs --limit SIZE and -o "
				      "DIR");
	jt_error_init(&err);
	if (jt_run_opts_check(&a->o, &err) < 0)
		return jt_usage_error("%s", err.text);
	return -1;
}

/* run_local - the runs a asks for, one row each; the exit status. */
static int
run_local(struct args *a)
{
	struct jt_error err;
	struct jt_emitter *em;
	struct jt_models *models;
	const char *dir = a->dir;
	char *probe = NULL;
	long runs = a->runs, i;
	int status = JT_EXIT_OK, tty = isatty(STDERR_FILENO);

	jt_error_init(&err);
	probe = a->probe_arg != NULL ? strdup(a->probe_arg)
				     : jt_run_find_probe(&err);
	if (probe == NULL && a->probe_arg != NULL)
		jt_error_oom(&err, NULL);
	if (probe == NULL) {
		jt_warn_error(&err);
		return JT_EXIT_FAIL;
	}
	a->o.probe_path = probe;

	/* The simulated model's page size and RAM, when the table knows it. */
	jt_error_init(&err);
	models = jt_models_load(NULL, &err);
	if (models != NULL && !jt_run_opts_set_model(&a->o, models) &&
	    strcmp(a->o.model, "local") != 0)
		jt_warn("model '%s' is not in the device table: the report "
			"uses this machine's page size",
			a->o.model);

	if (a->o.enforcer == JT_ENFORCE_CGROUP) {
		jt_error_init(&err);
		if (jt_run_cgroup_check(NULL, &err) < 0) {
			jt_warn_error(&err);
			jt_models_free(models);
			free(probe);
			return JT_EXIT_FAIL;
		}
	}
	jt_error_init(&err);
	em = jt_emitter_new(stdout, jt_cli_format(&a->co), columns, NCOLS,
			    &err);
	if (em == NULL) {
		jt_warn_error(&err);
		jt_models_free(models);
		free(probe);
		return JT_EXIT_FAIL;
	}
	for (i = 0; i < runs; i++) {
		struct jt_runrec rec;
		char label[64];

		snprintf(label, sizeof(label), "run %ld/%ld", i + 1, runs);
		a->o.progress = tty ? show_progress : NULL;
		a->o.progress_ctx = label;
		jt_error_init(&err);
		if (jt_run_local(&a->o, dir, &rec, &err) < 0) {
			if (tty)
				fputc('\n', stderr);
			jt_warn_error(&err);
			status = JT_EXIT_FAIL;
			if (rec.run_id == NULL) {
				jt_runrec_release(&rec);
				break;
			}
		} else if (tty) {
			fputc('\n', stderr);
		}
		{
			struct jt_cell row[NCOLS] = {
				jt_cell_str(rec.run_id),
				jt_cell_str(rec.enforcer),
				jt_cell_int_known(rec.truth_limit_bytes),
				jt_cell_int_known(rec.last_sample_bytes),
				jt_cell_int_known(rec.crossing_bytes),
				jt_cell_int_known(
					rec.footprint_remaining_bytes),
				jt_cell_int_known(rec.report_bytes),
				jt_cell_int_known(rec.first_warning_bytes),
				jt_cell_int_known(rec.overshoot_bytes),
				jt_cell_int_known(
					rec.effective_rate_bytes_per_s),
				jt_cell_int_known(rec.samples),
				jt_cell_int_known(rec.duration_ms),
				jt_cell_str(rec.kill_reason),
			};

			jt_error_init(&err);
			if (jt_emitter_row(em, row, &err) < 0) {
				jt_warn_error(&err);
				status = JT_EXIT_FAIL;
			}
		}
		jt_runrec_release(&rec);
	}
	if (jt_cli_emit_end(em) < 0)
		status = JT_EXIT_FAIL;
	jt_models_free(models);
	free(probe);
	return status;
}

int
jt_cmd_run(int argc, char **argv)
{
	struct args a;
	int status;

	if (!has_local(argc, argv))
		return jt_cmd_run_device(argc, argv);
	status = parse_args(argc, argv, &a);
	return status >= 0 ? status : run_local(&a);
}
