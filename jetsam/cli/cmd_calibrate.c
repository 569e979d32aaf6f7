/*
 * cmd_calibrate.c - jetsam calibrate: make, show, look up, evaluate and
 * diff tables
 *
 * Reached as "jetsam calibrate ..." and "jetsam diff OLD NEW" through the
 * dispatcher in jetsam/cli/main.c.  This file turns argv into library calls
 * (calibrate/engine: jt_calibrate_make reads and checks every input and
 * builds the table; calibrate/table: jt_table_write_files commits the
 * outputs as one set) and prints what they report.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calibrate/engine/calibrate.h"
#include "calibrate/table/diff.h"
#include "calibrate/table/table.h"
#include "calibrate/table/write.h"
#include "cmd.h"
#include "jetsam/core/emit.h"
#include "jetsam/core/fileio.h"
#include "jetsam/core/size.h"
#include "jetsam/walk/walk.h"

static void
usage(FILE *out)
{
	fputs("usage: jetsam calibrate [options] [RUN...]\n"
	      "       jetsam calibrate diff ...   (= jetsam diff: see jetsam "
	      "diff --help)\n"
	      "       jetsam calibrate show [-f FMT] [--ship-json FILE] "
	      "[--plist FILE]\n"
	      "                             [--header FILE] "
	      "[--include-unknown] TABLE\n"
	      "       jetsam calibrate field [-f FMT] [--statistic S] "
	      "[--by-page] [--max-bad-rows N]\n"
	      "                              [-j N] [--sketch-out FILE] "
	      "FILE...\n"
	      "       jetsam calibrate lookup [-f FMT] [--profile NAME] "
	      "[--ram SIZE]\n"
	      "                               [--live-limit SIZE] "
	      "[--models FILE] TABLE MODEL OS\n"
	      "       jetsam calibrate evaluate [-f FMT] [--profile NAME] "
	      "[--max-bad-rows N]\n"
	      "                                 TABLE --field FILE...\n\n"
	      "Fuse lab evidence and field data into per-model danger "
	      "thresholds:\n"
	      "threshold = ceiling - page growth, floored at the field "
	      "baseline.\n"
	      "A summary is printed on stdout; tables are written only when "
	      "every\ninput was good, all of them or none.\n\n"
	      "Lab evidence:\n"
	      "  RUN...                 run records (run.json), or directories "
	      "searched\n"
	      "                         for run.json\n"
	      "      --probe-log FILE   a raw probe log (repeatable)\n"
	      "      --report PATH      a JetsamEvent report, or a directory "
	      "of them\n"
	      "      --profile NAME     profile of probe logs, lookups and "
	      "evaluate\n"
	      "                         (default app)\n"
	      "Field data (CSV with a header row, or JSON Lines; see "
	      "data/field-format.md):\n"
	      "      --field FILE       page growth or sessions (raw, "
	      "aggregated or\n"
	      "                         sketches), or MetricKit payloads\n"
	      "      --statistic S      max (default), p99 or p999 of growth "
	      "and baseline\n"
	      "      --max-bad-rows N   malformed rows tolerated (default 0)\n"
	      "      --strict-field     page growth for a model with no lab "
	      "data is an\n"
	      "                         error (default: a field-only model)\n"
	      "  -j, --jobs N           read field data on N threads (the "
	      "same table)\n"
	      "Outputs (one set: all are replaced or none):\n"
	      "  -o, --output FILE      the audit table, every piece of "
	      "evidence\n"
	      "                         (data/table-schema.json)\n"
	      "      --ship-json FILE   the ship table: what an SDK needs "
	      "(data/ship-schema.json)\n"
	      "      --plist FILE       the ship table as an XML property "
	      "list\n"
	      "      --header FILE      the ship table as a C header with its "
	      "lookup\n"
	      "      --include-unknown  keep models missing from the device "
	      "table in\n"
	      "                         the ship outputs\n"
	      "      --root DIR         input paths in the audit table are "
	      "relative to\n"
	      "                         DIR (default: the current directory)\n"
	      "  -f, --format FMT       summary format: table (default), csv, "
	      "json, jsonl\n"
	      "      --release LABEL    release label recorded in the tables\n"
	      "      --generated-at T   a timestamp to record (none by "
	      "default)\n"
	      "      --fraction F       last-resort fraction of the live "
	      "limit\n"
	      "                         (default 0.65, at most 3 decimals)\n"
	      "      --models FILE      device table instead of the built-in "
	      "one\n"
	      "lookup:\n"
	      "      --ram SIZE         the device's RAM (default: from the "
	      "device table)\n"
	      "      --live-limit SIZE  footprint + os_proc_available_memory()"
	      "\n"
	      "evaluate:\n"
	      "      --field FILE       held-out raw field data to replay "
	      "(repeatable)\n"
	      "      --bytes            exact byte counts in tables (not "
	      "1.5 GiB)\n"
	      "  -h, --help             show this help\n\n"
	      "Exit status: 0 ok, 1 bad input or a --fail-over gate, 2 "
	      "usage.\n",
	      out);
}

static void
diff_usage(FILE *out)
{
	fputs("usage: jetsam diff [-f table|csv|json|jsonl] [--bytes] [--fail-over PCT] "
	      "OLD.json NEW.json\n"
	      "       (also jetsam calibrate diff)\n\n"
	      "Compare two threshold tables (the JSON of jetsam calibrate -o): "
	      "entries\nadded and removed, threshold changes in bytes and "
	      "percent, rule\nchanges, models added and removed.  A summary "
	      "line goes to stderr.\n\n"
	      "  -f, --format FMT     table (default), csv, json or jsonl\n"
	      "      --bytes          exact byte counts in the table (not "
	      "1.5 GiB)\n"
	      "      --fail-over PCT  exit 1 when a threshold moved by more "
	      "than PCT %\n"
	      "                       (a CI gate for a release)\n"
	      "  -h, --help           show this help\n\n"
	      "Exit status: 0 compared, 1 a table could not be read or the "
	      "--fail-over\ngate tripped, 2 usage.\n",
	      out);
}

/* ---- helpers ------------------------------------------------------------- */

struct strv {
	char **v;
	size_t n;
};

static int
strv_add(struct strv *s, const char *x)
{
	char **v = realloc(s->v, (s->n + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	s->v = v;
	if ((s->v[s->n] = strdup(x)) == NULL)
		return -1;
	s->n++;
	return 0;
}

static void
strv_free(struct strv *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/*
 * lab_files - the files the named paths give, through the walker every
 * command shares (jetsam/walk/): inside directories only files called
 * name (NULL: every file).  Notes go to stderr; an unreadable entry, or a
 * named directory with nothing in it, sets *failed.  NULL out of memory.
 */
static struct jt_walk *
lab_files(char *const *paths, size_t n, const char *name, int *failed)
{
	struct jt_walk_opts o = {name, NULL, 0};
	struct jt_walk *w =
		jt_walk_run((const char *const *)paths, n, &o, NULL);
	size_t i;

	if (w == NULL) {
		jt_warn("out of memory");
		*failed = 1;
		return NULL;
	}
	if (jt_warn_walk(w))
		*failed = 1;
	for (i = 0; i < n; i++) {
		const struct jt_walk_root *r = jt_walk_root_at(w, i);

		if (r->is_dir && r->nfiles == 0) {
			jt_warn("%s: no %s found in the directory", r->path,
				name ? name : "files");
			*failed = 1;
		}
	}
	return w;
}

static int
parse_size_opt(const char *name, const char *text, int64_t *out)
{
	struct jt_error err;

	jt_error_init(&err);
	if (jt_size_parse(text, out, &err) < 0) {
		jt_usage_error("%s: %s", name, err.text);
		return -1;
	}
	return 0;
}

/* parse_count - a --max-bad-rows value; -1 after a usage message. */
static int
parse_count(const char *text, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(text, &end, 10);
	if (errno != 0 || *text == '\0' || *end != '\0' || *out < 0) {
		jt_usage_error("--max-bad-rows: '%s' is not a count", text);
		return -1;
	}
	return 0;
}

/* The most threads -j takes. */
#define MAX_JOBS 256

/* parse_jobs - a -j value, 1 to MAX_JOBS; -1 after a usage message. */
static int
parse_jobs(const char *text, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(text, &end, 10);
	if (errno != 0 || *text == '\0' || *end != '\0' || n < 1 ||
	    n > MAX_JOBS) {
		jt_usage_error("-j: '%s' is not a thread count (1 to %d)", text,
			       MAX_JOBS);
		return -1;
	}
	*out = (int)n;
	return 0;
}

/* diag - one diagnostic from the library, on stderr. */
static void
diag(void *ctx, const struct jt_error *e)
{
	(void)ctx;
	jt_warn_error(e);
}

/* ---- calibrate ----------------------------------------------------------- */

struct make_args {
	struct strv runs, probelogs, reports, fields;
	struct jt_table_files files;
	struct jt_calibrate_options copt;
	struct jt_cli_common co; /* -f, --bytes, --models */
	const char *profile;
	long max_bad;
	int jobs;
};

/* make_options - argv into a; -1 to go on, else the exit status. */
static int
make_options(int argc, char **argv, struct make_args *a)
{
	enum {
		O_PROBELOG = 256,
		O_REPORT,
		O_PROFILE,
		O_FIELD,
		O_STATISTIC,
		O_MAXBAD,
		O_PLIST,
		O_HEADER,
		O_SHIPJSON,
		O_UNKNOWN,
		O_STRICT,
		O_ROOT,
		O_RELEASE,
		O_GENAT,
		O_FRACTION
	};
	static const struct option opts[] = {
		{"probe-log", required_argument, NULL, O_PROBELOG},
		{"report", required_argument, NULL, O_REPORT},
		{"profile", required_argument, NULL, O_PROFILE},
		{"field", required_argument, NULL, O_FIELD},
		{"statistic", required_argument, NULL, O_STATISTIC},
		{"max-bad-rows", required_argument, NULL, O_MAXBAD},
		{"strict-field", no_argument, NULL, O_STRICT},
		{"output", required_argument, NULL, 'o'},
		{"ship-json", required_argument, NULL, O_SHIPJSON},
		{"plist", required_argument, NULL, O_PLIST},
		{"header", required_argument, NULL, O_HEADER},
		{"include-unknown", no_argument, NULL, O_UNKNOWN},
		{"root", required_argument, NULL, O_ROOT},
		{"format", required_argument, NULL, 'f'},
		{"bytes", no_argument, NULL, JT_OPT_BYTES},
		{"release", required_argument, NULL, O_RELEASE},
		{"generated-at", required_argument, NULL, O_GENAT},
		{"fraction", required_argument, NULL, O_FRACTION},
		{"models", required_argument, NULL, 'm'},
		{"jobs", required_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct jt_error err;
	struct strv *add;
	char *end;
	double f;
	int c, rc;

	jt_error_init(&err);
	while ((c = getopt_long(argc, argv, "o:f:j:h", opts, NULL)) != -1) {
		add = NULL;
		switch (c) {
		case 'j':
			if (parse_jobs(optarg, &a->jobs) < 0)
				return JT_EXIT_USAGE;
			break;
		case O_PROBELOG:
			add = &a->probelogs;
			break;
		case O_REPORT:
			add = &a->reports;
			break;
		case O_FIELD:
			add = &a->fields;
			break;
		case O_PROFILE:
			a->profile = optarg;
			break;
		case O_STATISTIC:
			if (jt_statistic_parse(optarg, &a->copt.statistic,
					       &err) < 0)
				return jt_usage_error("%s", err.text);
			break;
		case O_MAXBAD:
			if (parse_count(optarg, &a->max_bad) < 0)
				return JT_EXIT_USAGE;
			break;
		case O_STRICT:
			a->copt.strict_field = 1;
			break;
		case 'o':
			a->files.audit_json = optarg;
			break;
		case O_SHIPJSON:
			a->files.ship_json = optarg;
			break;
		case O_PLIST:
			a->files.plist = optarg;
			break;
		case O_HEADER:
			a->files.header = optarg;
			break;
		case O_UNKNOWN:
			a->files.include_unknown = 1;
			break;
		case O_ROOT:
			a->copt.root = optarg;
			break;
		case O_RELEASE:
			if (jt_table_name_check("release", optarg,
						JT_TABLE_RELEASE_MAX, NULL, 0,
						&err) < 0)
				return jt_usage_error("--release: %s",
						      err.text);
			a->copt.release = optarg;
			break;
		case O_GENAT:
			a->copt.generated_at = optarg;
			break;
		case O_FRACTION:
			f = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || !(f > 0) ||
			    f > 1 || (double)(long)(f * 1000 + 0.5) / 1000 != f)
				return jt_usage_error(
					"--fraction: '%s' is not in (0, 1] "
					"with at most 3 decimals",
					optarg);
			a->copt.fraction = f;
			break;
		default:
			rc = jt_cli_common_opt(c, optarg, &a->co, usage, argv);
			if (rc >= 0)
				return rc;
		}
		if (add != NULL && strv_add(add, optarg) < 0) {
			jt_warn("out of memory");
			return JT_EXIT_FAIL;
		}
	}
	if (optind == argc && a->probelogs.n == 0 && a->reports.n == 0)
		return jt_usage_error("no lab evidence: give run records, "
				      "--probe-log or --report");
	return -1;
}

/*
 * expand_inputs - run directories into run.json files and report
 * directories into their files, through the shared walker.  *runs_w and
 * *reps_w keep the walks (*reps borrows their paths; free them after the
 * make).  A report found inside a directory is flagged from_dir: there a
 * file that is not a report is skipped.  0, or -1 when a path gave nothing
 * or a walk met a problem (said on stderr) or memory ran out.
 */
static int
expand_inputs(char **paths, int n, const struct strv *report_paths,
	      struct strv *runs, struct jt_calibrate_report **reps,
	      size_t *nreps, struct jt_walk **runs_w, struct jt_walk **reps_w)
{
	int failed = 0;
	size_t k, nr;

	*nreps = 0;
	*reps = NULL;
	*runs_w = lab_files(paths, (size_t)n, "run.json", &failed);
	for (k = 0; *runs_w != NULL && k < jt_walk_nfiles(*runs_w); k++)
		if (strv_add(runs, jt_walk_file_at(*runs_w, k)->path) < 0)
			return -1;
	if (report_paths->n == 0)
		return failed ? -1 : 0;
	*reps_w = lab_files(report_paths->v, report_paths->n, NULL, &failed);
	nr = *reps_w != NULL ? jt_walk_nfiles(*reps_w) : 0;
	*reps = calloc(nr + 1, sizeof(**reps));
	if (*reps == NULL)
		return -1;
	for (k = 0; k < nr; k++) {
		const struct jt_walk_file *f = jt_walk_file_at(*reps_w, k);

		(*reps)[k].path = f->path;
		(*reps)[k].from_dir = !f->named;
	}
	*nreps = nr;
	return failed ? -1 : 0;
}

static int
cmd_make(int argc, char **argv)
{
	struct make_args a;
	struct jt_walk *runs_w = NULL, *reps_w = NULL;
	struct jt_calibrate_report *reps = NULL;
	struct jt_calibrate_inputs in;
	struct jt_models *models = NULL;
	struct jt_coverage cov;
	struct jt_error err;
	struct jt_table t;
	int status, expanded;

	memset(&a, 0, sizeof(a));
	a.copt.statistic = JT_STAT_MAX;
	a.copt.fraction = JT_TABLE_DEFAULT_FRACTION;
	a.copt.tool_version = JT_VERSION;
	jt_cli_common_init(&a.co);
	jt_error_init(&err);
	jt_table_init(&t);
	status = make_options(argc, argv, &a);
	if (status >= 0)
		goto done;
	status = JT_EXIT_FAIL;
	models = jt_models_load(a.co.models_path, &err);
	if (models == NULL) {
		jt_warn_error(&err);
		goto done;
	}
	expanded =
		expand_inputs(argv + optind, argc - optind, &a.reports, &a.runs,
			      &reps, &in.nreports, &runs_w, &reps_w);
	in.runs = (const char *const *)a.runs.v;
	in.nruns = a.runs.n;
	in.probelogs = (const char *const *)a.probelogs.v;
	in.nprobelogs = a.probelogs.n;
	in.reports = reps;
	in.fields = (const char *const *)a.fields.v;
	in.nfields = a.fields.n;
	in.profile = a.profile;
	in.max_bad_rows = a.max_bad;
	in.jobs = a.jobs;
	/* A path that gave nothing was said above; with no lab input left
	 * the make would only add "no lab evidence". */
	if (expanded < 0 && in.nruns + in.nprobelogs + in.nreports == 0) {
		jt_warn("nothing written: fix the inputs above");
		goto done;
	}
	if (jt_calibrate_make(&t, &in, models, &a.copt, diag, NULL, &err) < 0) {
		jt_warn_error(&err);
		goto done;
	}
	if (expanded < 0) {
		jt_warn("nothing written: fix the inputs above");
		goto done;
	}
	jt_calibrate_notes(&t, diag, NULL);
	jt_calibrate_coverage(&t, models, &cov);
	jt_warn("models: %zu lab-measured (%zu without field growth), %zu "
		"field-only (%zu without growth), %zu of the device table's "
		"%zu with neither (RAM class or fraction at run time)",
		cov.lab_models, cov.lab_no_growth, cov.field_only,
		cov.field_only_no_growth, cov.missing, cov.device_models);
	if (jt_table_write_files(&t, &a.files, &err) < 0) {
		jt_warn_error(&err);
		goto done;
	}
	if (jt_table_summary(&t, stdout, jt_cli_format(&a.co), &err) < 0) {
		jt_warn_error(&err);
		goto done;
	}
	status = JT_EXIT_OK;
done:
	jt_table_release(&t);
	jt_models_free(models);
	free(reps);
	jt_walk_free(runs_w);
	jt_walk_free(reps_w);
	strv_free(&a.probelogs);
	strv_free(&a.reports);
	strv_free(&a.fields);
	strv_free(&a.runs);
	return status;
}

/* ---- diff, show, lookup, evaluate ---------------------------------------- */

static int
cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"bytes", no_argument, NULL, JT_OPT_BYTES},
		{"fail-over", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct jt_cli_common co;
	double fail_over = -1;
	struct jt_table a, b;
	struct jt_diff_stats st;
	struct jt_error err;
	char *end;
	int c, rc, status = JT_EXIT_FAIL;

	jt_error_init(&err);
	jt_cli_common_init(&co);
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'F':
			fail_over = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' ||
			    !(fail_over >= 0))
				return jt_usage_error(
					"--fail-over: '%s' is not "
					"a percentage",
					optarg);
			break;
		default:
			rc = jt_cli_common_opt(c, optarg, &co, diff_usage,
					       argv);
			if (rc >= 0)
				return rc;
		}
	}
	if (argc - optind != 2)
		return jt_usage_error("diff needs two tables, OLD and NEW");
	if (jt_table_load(&a, argv[optind], &err) < 0) {
		jt_warn_error(&err);
		return JT_EXIT_FAIL;
	}
	if (jt_table_load(&b, argv[optind + 1], &err) < 0) {
		jt_warn_error(&err);
		jt_table_release(&a);
		return JT_EXIT_FAIL;
	}
	if (jt_table_diff(&a, &b, stdout, jt_cli_format(&co), fail_over, &st,
			  &err) < 0) {
		jt_warn_error(&err);
	} else {
		fprintf(stderr,
			"%s: %ld added, %ld removed, %ld changed, %ld rule "
			"changed, %ld unchanged; models: %ld added, %ld "
			"removed\n",
			jt_progname, st.added, st.removed, st.changed,
			st.rule_changed, st.unchanged, st.models_added,
			st.models_removed);
		status = JT_EXIT_OK;
		if (st.over > 0) {
			jt_warn("%ld thresholds moved by more than %g %% "
				"(largest %.2f %%)",
				st.over, fail_over, st.max_abs_pct);
			status = JT_EXIT_FAIL;
		}
	}
	jt_table_release(&a);
	jt_table_release(&b);
	return status;
}

static int
cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"bytes", no_argument, NULL, JT_OPT_BYTES},
		{"ship-json", required_argument, NULL, 's'},
		{"plist", required_argument, NULL, 'p'},
		{"header", required_argument, NULL, 'H'},
		{"include-unknown", no_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct jt_cli_common co;
	struct jt_table_files files = {NULL, NULL, NULL, NULL, 0};
	struct jt_table t;
	struct jt_error err;
	int c, rc, status = JT_EXIT_OK;

	jt_error_init(&err);
	jt_cli_common_init(&co);
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			files.ship_json = optarg;
			break;
		case 'p':
			files.plist = optarg;
			break;
		case 'H':
			files.header = optarg;
			break;
		case 'u':
			files.include_unknown = 1;
			break;
		default:
			rc = jt_cli_common_opt(c, optarg, &co, usage, argv);
			if (rc >= 0)
				return rc;
		}
	}
	if (argc - optind != 1)
		return jt_usage_error("show needs one table");
	if (jt_table_load(&t, argv[optind], &err) < 0) {
		jt_warn_error(&err);
		return JT_EXIT_FAIL;
	}
	if (jt_table_write_files(&t, &files, &err) < 0 ||
	    jt_table_summary(&t, stdout, jt_cli_format(&co), &err) < 0) {
		jt_warn_error(&err);
		status = JT_EXIT_FAIL;
	}
	jt_table_release(&t);
	return status;
}

/* What "calibrate lookup" asked and what the table answered. */
struct lookup_row {
	const char *model, *os, *profile;
	int64_t ram_bytes, live_bytes; /* -1: not known */
	struct jt_lookup lk;
};

static void
lookup_fill(const void *ctx, size_t k, struct jt_cell *row)
{
	const struct lookup_row *q = ctx;
	const struct jt_lookup *lk = &q->lk;

	(void)k;
	row[0] = jt_cell_str(q->model);
	row[1] = jt_cell_str(q->os);
	row[2] = jt_cell_str(q->profile);
	row[3] = jt_cell_str(jt_source_name(lk->source));
	row[4] = jt_cell_int_known(lk->threshold_bytes);
	row[5] = jt_cell_str(lk->entry ? lk->entry->os_version : NULL);
	/* the rule means nothing for a RAM class or the fraction */
	row[6] = (lk->entry != NULL || lk->threshold_bytes > 0) &&
			lk->source != JT_SOURCE_RUNTIME_RULE &&
			lk->source != JT_SOURCE_FRACTION
		? jt_cell_str(jt_rule_name(lk->rule))
		: jt_cell_null();
	row[7] = jt_cell_int_known(q->ram_bytes);
	row[8] = lk->ram_class ? jt_cell_int(lk->ram_class->ram_bytes)
			       : jt_cell_null();
	row[9] = jt_cell_int_known(q->live_bytes);
	row[10] = jt_cell_str(lk->why);
}

static int
cmd_lookup(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"bytes", no_argument, NULL, JT_OPT_BYTES},
		{"profile", required_argument, NULL, 'P'},
		{"ram", required_argument, NULL, 'r'},
		{"live-limit", required_argument, NULL, 'l'},
		{"models", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *const cols[] = {
		"model",           "os_version",       "profile", "source",
		"threshold_bytes", "from_os_version",  "rule",    "ram_bytes",
		"ram_class_bytes", "live_limit_bytes", "why"};
	struct jt_cli_common co;
	struct lookup_row q = {NULL, NULL, "app", -1, -1, {0}};
	struct jt_models *models;
	struct jt_table t;
	struct jt_error err;
	int c, rc, status = JT_EXIT_OK;

	jt_error_init(&err);
	jt_cli_common_init(&co);
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'P':
			q.profile = optarg;
			break;
		case 'r':
			if (parse_size_opt("--ram", optarg, &q.ram_bytes) < 0)
				return JT_EXIT_USAGE;
			break;
		case 'l':
			if (parse_size_opt("--live-limit", optarg,
					   &q.live_bytes) < 0)
				return JT_EXIT_USAGE;
			break;
		default:
			rc = jt_cli_common_opt(c, optarg, &co, usage, argv);
			if (rc >= 0)
				return rc;
		}
	}
	if (argc - optind != 3)
		return jt_usage_error("lookup needs TABLE MODEL OS");
	q.model = argv[optind + 1];
	q.os = argv[optind + 2];
	/* The device table knows the RAM of a known model. */
	if (q.ram_bytes < 0) {
		models = jt_models_load(co.models_path, &err);
		if (models == NULL) {
			jt_warn_error(&err);
			return JT_EXIT_FAIL;
		}
		if (jt_models_find(models, q.model) != NULL)
			q.ram_bytes =
				jt_models_find(models, q.model)->ram_bytes;
		jt_models_free(models);
	}
	if (jt_table_load(&t, argv[optind], &err) < 0) {
		jt_warn_error(&err);
		return JT_EXIT_FAIL;
	}
	jt_table_lookup(&t, q.model, q.os, q.profile, q.ram_bytes, q.live_bytes,
			&q.lk);
	if (jt_cli_emit(jt_cli_format(&co), cols,
			sizeof(cols) / sizeof(cols[0]), 1, lookup_fill, &q,
			&err) < 0) {
		jt_warn_error(&err);
		status = JT_EXIT_FAIL;
	}
	jt_table_release(&t);
	return status;
}

static int
cmd_evaluate(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"bytes", no_argument, NULL, JT_OPT_BYTES},
		{"field", required_argument, NULL, 'F'},
		{"profile", required_argument, NULL, 'P'},
		{"max-bad-rows", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct jt_cli_common co;
	struct strv fields = {NULL, 0};
	const char *profile = "app";
	long max_bad = 0;
	struct jt_table t;
	struct jt_eval ev;
	struct jt_error err;
	int c, rc, status = JT_EXIT_FAIL;

	jt_error_init(&err);
	jt_cli_common_init(&co);
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'F':
			if (strv_add(&fields, optarg) < 0) {
				jt_warn("out of memory");
				goto out;
			}
			break;
		case 'P':
			profile = optarg;
			break;
		case 'b':
			if (parse_count(optarg, &max_bad) < 0)
				status = JT_EXIT_USAGE;
			break;
		default:
			rc = jt_cli_common_opt(c, optarg, &co, usage, argv);
			if (rc >= 0) {
				status = rc;
				goto out;
			}
		}
		if (status == JT_EXIT_USAGE)
			goto out;
	}
	if (argc - optind != 1 || fields.n == 0) {
		status = jt_usage_error("evaluate needs one TABLE and "
					"--field FILE...");
		goto out;
	}
	if (jt_table_load(&t, argv[optind], &err) < 0) {
		jt_warn_error(&err);
		goto out;
	}
	if (jt_eval_files(&ev, &t, (const char *const *)fields.v, fields.n,
			  profile, max_bad, diag, NULL, &err) == 0) {
		if (jt_eval_emit(&ev, stdout, jt_cli_format(&co), &err) == 0) {
			status = JT_EXIT_OK;
			fprintf(stderr,
				"%s: %ld of %ld sessions would have degraded "
				"needlessly; %ld of %ld page pushes at the "
				"threshold would have passed the ceiling\n",
				jt_progname, ev.needless, ev.sessions,
				ev.unprevented, ev.growth_samples);
		}
		jt_eval_release(&ev);
	}
	if (status != JT_EXIT_OK)
		jt_warn_error(&err);
	jt_table_release(&t);
out:
	strv_free(&fields);
	return status;
}

static void
field_usage(FILE *out)
{
	fputs("usage: jetsam calibrate field [-f FMT] [--statistic S] "
	      "[--by-page] [--bytes]\n"
	      "                              [--max-bad-rows N] [-j N] "
	      "[--sketch-out FILE] FILE...\n\n"
	      "Aggregate field data (CSV with a header row, JSON Lines, "
	      "sketches or\nMetricKit payloads; see data/field-format.md) in "
	      "one pass and print\nwhat it says per model: the largest page "
	      "growth by the statistic, the\npage that gave it, and the "
	      "session baseline.  FILE may be - for\nstandard input.\n\n"
	      "  -f, --format FMT       table (default), csv, json, jsonl\n"
	      "      --statistic S      max (default), p99 or p999 of growth "
	      "and baseline\n"
	      "      --by-page          one row per (model, page) instead: "
	      "count, max,\n"
	      "                         p99 and p999 growth (a "
	      "page-growth-aggregate file)\n"
	      "      --max-bad-rows N   malformed rows tolerated (default 0)\n"
	      "  -j, --jobs N           read on N threads: files, and large "
	      "raw files in\n"
	      "                         byte ranges (the same output as -j 1)\n"
	      "      --sketch-out FILE  also write the per-key state as a "
	      "sketch file (read\n"
	      "                         back as field data, merged exactly; "
	      "- for stdout,\n"
	      "                         instead of the summary)\n"
	      "      --bytes            exact byte counts in the table (not "
	      "1.5 GiB)\n"
	      "  -h, --help             show this help\n\n"
	      "Exit status: 0 ok, 1 bad input, 2 usage.\n",
	      out);
}

static void
field_model_row(const void *ctx, size_t k, struct jt_cell *row)
{
	const struct jt_field_model *m = (const struct jt_field_model *)ctx + k;

	row[0] = jt_cell_str(m->model);
	row[1] = jt_cell_int_known(m->growth_bytes);
	row[2] = jt_cell_str(m->growth_page);
	row[3] = jt_cell_int(m->growth_samples);
	row[4] = jt_cell_int_known(m->baseline_bytes);
	row[5] = jt_cell_int(m->session_samples);
	row[6] = jt_cell_int(m->oom_sessions);
}

/* field_models - the default view: one row per model. */
static int
field_models(struct jt_field *f, enum jt_format fmt, struct jt_error *err)
{
	static const char *const cols[] = {"model",          "growth_bytes",
					   "growth_page",    "growth_samples",
					   "baseline_bytes", "session_samples",
					   "oom_sessions"};
	struct jt_field_model *fm;
	size_t n = 0;
	int rc;

	fm = jt_field_summarize(f, &n, err);
	if (fm == NULL)
		return -1;
	rc = jt_cli_emit(fmt, cols, sizeof(cols) / sizeof(cols[0]), n,
			 field_model_row, fm, err);
	free(fm);
	return rc;
}

static void
field_page_row(const void *ctx, size_t k, struct jt_cell *row)
{
	const struct jt_field_page *p = (const struct jt_field_page *)ctx + k;

	row[0] = jt_cell_str(p->model);
	row[1] = jt_cell_str(p->page);
	row[2] = jt_cell_int(p->count);
	row[3] = jt_cell_int_known(p->max_bytes);
	row[4] = jt_cell_int_known(p->p99_bytes);
	row[5] = jt_cell_int_known(p->p999_bytes);
}

/* field_pages - --by-page: one row per (model, page) growth key. */
static int
field_pages(struct jt_field *f, enum jt_format fmt, struct jt_error *err)
{
	static const char *const cols[] = {"model",
					   "page",
					   "count",
					   "max_growth_bytes",
					   "p99_growth_bytes",
					   "p999_growth_bytes"};
	struct jt_field_page *fp;
	size_t n = 0;
	int rc;

	fp = jt_field_pages(f, &n, err);
	if (fp == NULL)
		return -1;
	rc = jt_cli_emit(fmt, cols, sizeof(cols) / sizeof(cols[0]), n,
			 field_page_row, fp, err);
	free(fp);
	return rc;
}

/*
 * write_sketch - f's sketch into path ("-": stdout), a new file put in
 * place whole.  0, or -1 with err set.
 */
static int
write_sketch(const struct jt_field *f, const char *path, struct jt_error *err)
{
	struct jt_atomic a;
	FILE *out;

	if (strcmp(path, "-") == 0) {
		if (jt_field_sketch_write(f, stdout, err) < 0)
			return -1;
		if (fflush(stdout) != 0 || ferror(stdout))
			return jt_error_set_errno(err, errno, "<stdout>",
						  "cannot write");
		return 0;
	}
	out = jt_atomic_open(&a, path, err);
	if (out == NULL)
		return -1;
	if (jt_field_sketch_write(f, out, err) < 0) {
		jt_atomic_abort(&a);
		return -1;
	}
	return jt_atomic_commit(&a, 0, err);
}

/* skipped_notes - say which MetricKit payloads gave nothing to use. */
static void
skipped_notes(const struct jt_field *f)
{
	size_t k;

	for (k = 0; k < jt_field_nfiles(f); k++) {
		const struct jt_field_file *ff = jt_field_file_at(f, k);

		if (ff->skipped > 0)
			jt_warn("%s: %ld MetricKit payloads skipped "
				"(diagnostic payloads, or no peak and no "
				"exit counts to use)",
				ff->path, ff->skipped);
	}
}

static int
cmd_field(int argc, char **argv)
{
	enum { O_BY_PAGE = 256, O_SKETCH_OUT };
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"bytes", no_argument, NULL, JT_OPT_BYTES},
		{"statistic", required_argument, NULL, 's'},
		{"by-page", no_argument, NULL, O_BY_PAGE},
		{"max-bad-rows", required_argument, NULL, 'b'},
		{"jobs", required_argument, NULL, 'j'},
		{"sketch-out", required_argument, NULL, O_SKETCH_OUT},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct jt_cli_common co;
	enum jt_statistic stat = JT_STAT_MAX;
	long max_bad = 0;
	struct jt_field *f;
	struct jt_error err;
	const char *sketch_out = NULL;
	size_t k;
	char *end;
	int c, rc, jobs = 1, by_page = 0, status = JT_EXIT_FAIL;

	jt_error_init(&err);
	jt_cli_common_init(&co);
	while ((c = getopt_long(argc, argv, "f:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (jt_statistic_parse(optarg, &stat, &err) < 0)
				return jt_usage_error("%s", err.text);
			break;
		case O_BY_PAGE:
			by_page = 1;
			break;
		case O_SKETCH_OUT:
			sketch_out = optarg;
			break;
		case 'j':
			if (parse_jobs(optarg, &jobs) < 0)
				return JT_EXIT_USAGE;
			break;
		case 'b':
			errno = 0;
			max_bad = strtol(optarg, &end, 10);
			if (errno != 0 || *optarg == '\0' || *end != '\0' ||
			    max_bad < 0)
				return jt_usage_error("--max-bad-rows: '%s' is "
						      "not a count",
						      optarg);
			break;
		default:
			rc = jt_cli_common_opt(c, optarg, &co, field_usage,
					       argv);
			if (rc >= 0)
				return rc;
		}
	}
	if (optind == argc)
		return jt_usage_error("field needs at least one FILE");
	f = jt_field_new(stat, max_bad, &err);
	if (f == NULL) {
		jt_warn_error(&err);
		return JT_EXIT_FAIL;
	}
	/* Aggregates only: no table records these inputs, so no hashes. */
	jt_field_hash_inputs(f, 0);
	jt_field_read_files(f, (const char *const *)argv + optind,
			    (size_t)(argc - optind), jobs, &err);
	for (k = 0; k < jt_field_nbad(f); k++)
		jt_warn_error(jt_field_bad_at(f, k));
	if (!jt_error_isset(&err))
		skipped_notes(f);
	if (!jt_error_isset(&err) && sketch_out != NULL &&
	    write_sketch(f, sketch_out, &err) < 0) {
		/* said below */
	} else if (!jt_error_isset(&err) && sketch_out != NULL &&
		   strcmp(sketch_out, "-") == 0) {
		status = JT_EXIT_OK;
	} else if (!jt_error_isset(&err) &&
		   (by_page ? field_pages(f, jt_cli_format(&co), &err)
			    : field_models(f, jt_cli_format(&co), &err)) == 0) {
		status = JT_EXIT_OK;
	}
	if (jt_error_isset(&err))
		jt_warn_error(&err);
	jt_field_free(f);
	return status;
}

int
jt_cmd_diff(int argc, char **argv)
{
	jt_progname = "jetsam diff";
	return cmd_diff(argc, argv);
}

int
jt_cmd_calibrate(int argc, char **argv)
{
	static const struct {
		const char *name, *prog;
		int (*fn)(int, char **);
	} subs[] = {
		{"diff", "jetsam diff", cmd_diff},
		{"show", "jetsam calibrate show", cmd_show},
		{"field", "jetsam calibrate field", cmd_field},
		{"lookup", "jetsam calibrate lookup", cmd_lookup},
		{"evaluate", "jetsam calibrate evaluate", cmd_evaluate},
	};
	size_t i;

	for (i = 0; argc > 1 && i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(argv[1], subs[i].name) == 0) {
			jt_progname = subs[i].prog;
			return subs[i].fn(argc - 1, argv + 1);
		}
	jt_progname = "jetsam calibrate";
	return cmd_make(argc, argv);
}
