/*
 * cmd_calibrate.c - jetsam calibrate: make, show, look up and diff tables
 *
 * Reached as "jetsam calibrate ..." and "jetsam diff OLD NEW" through the
 * dispatcher in jetsam/cli/main.c.  This file turns argv into library calls:
 * every input is read and checked first (all problems are reported, not
 * just the first), and only when nothing failed are the outputs written,
 * each to a temporary name, and renamed into place together.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calibrate/engine/calibrate.h"
#include "cmd.h"
#include "calibrate/table/diff.h"
#include "jetsam/core/emit.h"
#include "jetsam/core/fileio.h"
#include "calibrate/engine/ingest.h"
#include "calibrate/table/table.h"
#include "calibrate/table/write.h"

static void
usage(FILE *out)
{
	fputs("usage: jetsam calibrate [options] [RUN...]\n"
	      "       jetsam calibrate diff [-f FMT] [--fail-over PCT] OLD NEW\n"
	      "       jetsam calibrate show [-f FMT] [--plist FILE] "
	      "[--header FILE] TABLE\n"
	      "       jetsam calibrate field [-f FMT] [--statistic S] "
	      "[--by-page] [--max-bad-rows N] FILE...\n"
	      "       jetsam calibrate lookup [-f FMT] [--profile NAME] "
	      "[--ram SIZE]\n"
	      "                               [--live-limit SIZE] TABLE "
	      "MODEL OS\n\n"
	      "Fuse lab evidence and field data into per-model danger "
	      "thresholds:\n"
	      "threshold = ceiling - page growth, floored at the field "
	      "baseline.\n"
	      "A summary is printed on stdout; tables are written only when "
	      "every\ninput was good.\n\n"
	      "Lab evidence:\n"
	      "  RUN...                 run records (run.json), or directories "
	      "searched\n"
	      "                         for run.json\n"
	      "      --probe-log FILE   a raw probe log (repeatable)\n"
	      "      --report PATH      a JetsamEvent report, or a directory "
	      "of them\n"
	      "      --profile NAME     profile of probe logs and lookups "
	      "(default app)\n"
	      "Field data (CSV with a header row, or JSON Lines; see "
	      "data/field-format.md):\n"
	      "      --field FILE       page growth or sessions, raw or "
	      "aggregated\n"
	      "      --statistic S      max (default), p99 or p999 of growth "
	      "and baseline\n"
	      "      --max-bad-rows N   malformed rows tolerated (default 0)\n"
	      "Outputs:\n"
	      "  -o, --output FILE      the JSON table "
	      "(data/table-schema.json)\n"
	      "      --plist FILE       the table as an XML property list\n"
	      "      --header FILE      a C header with the table and its "
	      "lookup\n"
	      "  -f, --format FMT       summary format: table (default), csv, "
	      "json, jsonl\n"
	      "      --release LABEL    release label recorded in the table\n"
	      "      --generated-at T   a timestamp to record (none by "
	      "default)\n"
	      "      --fraction F       last-resort fraction of the live "
	      "limit\n"
	      "                         (default 0.65, at most 3 decimals)\n"
	      "      --models FILE      device table instead of the built-in "
	      "one\n"
	      "diff:\n"
	      "      --fail-over PCT    exit 1 when a threshold moved by more "
	      "than PCT %\n"
	      "lookup:\n"
	      "      --ram SIZE         the device's RAM (for the runtime "
	      "rule)\n"
	      "      --live-limit SIZE  footprint + os_proc_available_memory()"
	      "\n"
	      "  -h, --help             show this help\n\n"
	      "Exit status: 0 ok, 1 bad input or a --fail-over gate, 2 "
	      "usage.\n",
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

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * walk - add to out every regular file under dir (sorted, recursive,
 * dot files skipped) whose name is want, or every file when want is NULL.
 */
static int
walk(const char *dir, const char *want, struct strv *out)
{
	struct strv names = {NULL, 0};
	struct dirent *d;
	DIR *dp = opendir(dir);
	size_t i;
	int rc = 0;

	if (dp == NULL) {
		jt_warn("%s: cannot open directory: %s", dir, strerror(errno));
		return -1;
	}
	while ((d = readdir(dp)) != NULL)
		if (d->d_name[0] != '.' && strv_add(&names, d->d_name) < 0)
			rc = -1;
	closedir(dp);
	qsort(names.v, names.n, sizeof(char *), str_cmp);
	for (i = 0; i < names.n && rc == 0; i++) {
		struct stat st;
		size_t len = strlen(dir) + strlen(names.v[i]) + 2;
		char *p = malloc(len);

		if (p == NULL) {
			rc = -1;
			break;
		}
		snprintf(p, len, "%s%s%s", dir,
			 dir[strlen(dir) - 1] == '/' ? "" : "/", names.v[i]);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rc = walk(p, want, out);
		else if (stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
			 (want == NULL || strcmp(names.v[i], want) == 0))
			rc = strv_add(out, p);
		free(p);
	}
	strv_free(&names);
	return rc;
}

/* expand - a path or, for a directory, the files walk() finds in it. */
static int
expand(const char *path, const char *want, struct strv *out, int *isdir)
{
	struct stat st;

	*isdir = 0;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		size_t before = out->n;

		*isdir = 1;
		if (walk(path, want, out) < 0)
			return -1;
		if (out->n == before) {
			jt_warn("%s: no %s found in the directory", path,
				want ? want : "files");
			return -1;
		}
		return 0;
	}
	return strv_add(out, path);
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

/* ---- calibrate ----------------------------------------------------------- */

struct outputs {
	const char *json, *plist, *header;
};

/* write_all - every requested output to a temporary file, then rename. */
static int
write_all(const struct jt_table *t, const struct outputs *o,
	  struct jt_error *err)
{
	struct jt_atomic a[3];
	const char *paths[3] = {o->json, o->plist, o->header};
	int open_[3] = {0, 0, 0}, i, rc = 0;

	for (i = 0; i < 3 && rc == 0; i++) {
		FILE *fp;
		json_t *j;

		if (paths[i] == NULL)
			continue;
		fp = jt_atomic_open(&a[i], paths[i], err);
		if (fp == NULL) {
			rc = -1;
			break;
		}
		open_[i] = 1;
		if (i == 0) {
			j = jt_table_to_json(t, err);
			rc = j != NULL ? jt_json_dump(fp, j, 1, err) : -1;
			json_decref(j);
		} else if (i == 1) {
			rc = jt_table_write_plist(t, fp, err);
		} else {
			rc = jt_table_write_header(t, fp, err);
		}
	}
	for (i = 0; i < 3; i++) {
		if (!open_[i])
			continue;
		if (rc == 0)
			rc = jt_atomic_commit(&a[i], 0, err);
		else
			jt_atomic_abort(&a[i]);
	}
	return rc;
}

static void
warn_entries(const struct jt_table *t)
{
	size_t i;

	for (i = 0; i < t->nentries; i++) {
		const struct jt_table_entry *e = &t->entries[i];

		if (!e->known_model &&
		    (i == 0 || strcmp(t->entries[i - 1].model, e->model) != 0))
			jt_warn("unknown model '%s': not in the device table "
				"(kept, flagged; no RAM class)",
				e->model);
		if (e->no_headroom)
			jt_warn("%s %s %s: no safe headroom (ceiling %lld, "
				"growth %lld, baseline %lld); threshold %lld "
				"by %s",
				e->model, e->os_version, e->profile,
				(long long)e->ceiling_bytes,
				(long long)e->growth_bytes,
				(long long)e->baseline_bytes,
				(long long)e->threshold_bytes,
				jt_rule_name(e->rule));
		if (e->disagree)
			jt_warn("%s %s %s: evidence disagrees by %lld bytes, "
				"more than one probe step (%lld)",
				e->model, e->os_version, e->profile,
				(long long)e->spread_bytes,
				(long long)(e->step_bytes > 0
						    ? e->step_bytes
						    : JT_DEFAULT_STEP_BYTES));
	}
	for (i = 0; i < t->nexcluded; i++)
		jt_warn("%s: kill excluded (%s): %s", t->excluded[i].input,
			t->excluded[i].reason ? t->excluded[i].reason
					      : "no reason",
			t->excluded[i].why);
}

static int
cmd_make(int argc, char **argv)
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
		O_RELEASE,
		O_GENAT,
		O_FRACTION,
		O_MODELS
	};
	static const struct option opts[] = {
		{"probe-log", required_argument, NULL, O_PROBELOG},
		{"report", required_argument, NULL, O_REPORT},
		{"profile", required_argument, NULL, O_PROFILE},
		{"field", required_argument, NULL, O_FIELD},
		{"statistic", required_argument, NULL, O_STATISTIC},
		{"max-bad-rows", required_argument, NULL, O_MAXBAD},
		{"output", required_argument, NULL, 'o'},
		{"plist", required_argument, NULL, O_PLIST},
		{"header", required_argument, NULL, O_HEADER},
		{"format", required_argument, NULL, 'f'},
		{"release", required_argument, NULL, O_RELEASE},
		{"generated-at", required_argument, NULL, O_GENAT},
		{"fraction", required_argument, NULL, O_FRACTION},
		{"models", required_argument, NULL, O_MODELS},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct jt_calibrate_options copt = {
		JT_STAT_MAX, JT_TABLE_DEFAULT_FRACTION, JT_VERSION, NULL, NULL};
	struct strv probelogs = {NULL, 0}, reports = {NULL, 0};
	struct strv fields = {NULL, 0}, runs = {NULL, 0};
	struct outputs out = {NULL, NULL, NULL};
	enum jt_format fmt = JT_FORMAT_TABLE;
	const char *profile = "app", *models_path = NULL;
	long max_bad = 0;
	struct jt_error err;
	struct jt_models *models = NULL;
	struct jt_lab *lab = NULL;
	struct jt_field *field = NULL;
	struct jt_table t;
	int c, i, failed = 0, status = JT_EXIT_FAIL, built = 0;
	size_t k;
	char *end;

	jt_error_init(&err);
	jt_table_init(&t);
	while ((c = getopt_long(argc, argv, "o:f:h", opts, NULL)) != -1) {
		switch (c) {
		case O_PROBELOG:
			if (strv_add(&probelogs, optarg) < 0)
				goto nomem;
			break;
		case O_REPORT:
			if (strv_add(&reports, optarg) < 0)
				goto nomem;
			break;
		case O_PROFILE:
			profile = optarg;
			break;
		case O_FIELD:
			if (strv_add(&fields, optarg) < 0)
				goto nomem;
			break;
		case O_STATISTIC:
			if (jt_statistic_parse(optarg, &copt.statistic, &err) <
			    0) {
				status = jt_usage_error("%s", err.text);
				goto done;
			}
			break;
		case O_MAXBAD:
			errno = 0;
			max_bad = strtol(optarg, &end, 10);
			if (errno != 0 || *optarg == '\0' || *end != '\0' ||
			    max_bad < 0) {
				status = jt_usage_error(
					"--max-bad-rows: '%s' is not a "
					"count",
					optarg);
				goto done;
			}
			break;
		case 'o':
			out.json = optarg;
			break;
		case O_PLIST:
			out.plist = optarg;
			break;
		case O_HEADER:
			out.header = optarg;
			break;
		case 'f':
			if (jt_format_parse(optarg, &fmt, &err) < 0) {
				status = jt_usage_error("%s", err.text);
				goto done;
			}
			break;
		case O_RELEASE:
			copt.release = optarg;
			break;
		case O_GENAT:
			copt.generated_at = optarg;
			break;
		case O_FRACTION: {
			double f = strtod(optarg, &end);

			if (*optarg == '\0' || *end != '\0' || !(f > 0) ||
			    f > 1 ||
			    (double)(long)(f * 1000 + 0.5) / 1000 != f) {
				status = jt_usage_error(
					"--fraction: '%s' is not in (0, 1] "
					"with at most 3 decimals",
					optarg);
				goto done;
			}
			copt.fraction = f;
			break;
		}
		case O_MODELS:
			models_path = optarg;
			break;
		case 'h':
			usage(stdout);
			status = JT_EXIT_OK;
			goto done;
		default:
			status = jt_bad_option(argv);
			goto done;
		}
	}
	if (optind == argc && probelogs.n == 0 && reports.n == 0) {
		status = jt_usage_error("no lab evidence: give run records, "
					"--probe-log or --report");
		goto done;
	}
	models = jt_models_load(models_path, &err);
	if (models == NULL) {
		jt_warn_error(&err);
		goto done;
	}
	lab = jt_lab_new(&err);
	field = lab ? jt_field_new(copt.statistic, max_bad, &err) : NULL;
	if (field == NULL) {
		jt_warn_error(&err);
		goto done;
	}

	/* Lab evidence: report every bad input, then stop before writing. */
	for (i = optind; i < argc; i++) {
		int isdir;

		if (expand(argv[i], "run.json", &runs, &isdir) < 0)
			failed = 1;
	}
	for (k = 0; k < runs.n; k++) {
		struct jt_runrec r;

		jt_error_init(&err);
		if (jt_runrec_load(&r, runs.v[k], &err) < 0 ||
		    jt_lab_add_input(lab, runs.v[k], "run", &err) < 0 ||
		    jt_lab_add_run(lab, &r, runs.v[k], &err) < 0) {
			jt_warn_error(&err);
			failed = 1;
		}
		jt_runrec_release(&r);
	}
	for (k = 0; k < probelogs.n; k++) {
		jt_error_init(&err);
		if (jt_ingest_probelog(lab, probelogs.v[k], profile, &err) <
		    0) {
			jt_warn_error(&err);
			failed = 1;
		}
	}
	for (k = 0; k < reports.n; k++) {
		struct strv files = {NULL, 0};
		size_t j;
		int isdir;

		if (expand(reports.v[k], NULL, &files, &isdir) < 0)
			failed = 1;
		for (j = 0; j < files.n; j++) {
			jt_error_init(&err);
			if (jt_ingest_report(lab, files.v[j], models, isdir,
					     &err) < 0) {
				jt_warn_error(&err);
				failed = 1;
			}
		}
		strv_free(&files);
	}

	/* Field data. */
	for (k = 0; k < fields.n; k++) {
		jt_error_init(&err);
		if (jt_field_read(field, fields.v[k], &err) < 0) {
			size_t j;

			for (j = 0; j < jt_field_nbad(field); j++)
				jt_warn_error(jt_field_bad_at(field, j));
			jt_warn_error(&err);
			failed = 1;
			break;
		}
	}
	if (!failed) {
		for (k = 0; k < jt_field_nbad(field); k++)
			jt_warn_error(jt_field_bad_at(field, k));
		if (jt_field_bad_total(field) > 0)
			jt_warn("%ld malformed rows skipped (--max-bad-rows "
				"%ld)",
				jt_field_bad_total(field), max_bad);
	}
	if (failed) {
		jt_warn("nothing written: fix the inputs above");
		goto done;
	}

	jt_error_init(&err);
	if (jt_calibrate_build(&t, lab, fields.n ? field : NULL, models, &copt,
			       &err) < 0) {
		jt_warn_error(&err);
		jt_warn("nothing written");
		goto done;
	}
	built = 1;
	warn_entries(&t);
	if (write_all(&t, &out, &err) < 0) {
		jt_warn_error(&err);
		goto done;
	}
	if (jt_table_summary(&t, stdout, fmt, &err) < 0) {
		jt_warn_error(&err);
		goto done;
	}
	status = JT_EXIT_OK;
	goto done;
nomem:
	jt_warn("out of memory");
done:
	if (built)
		jt_table_release(&t);
	jt_field_free(field);
	jt_lab_free(lab);
	jt_models_free(models);
	strv_free(&probelogs);
	strv_free(&reports);
	strv_free(&fields);
	strv_free(&runs);
	return status;
}

/* ---- diff, show, lookup -------------------------------------------------- */

static int
cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"fail-over", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	enum jt_format fmt = JT_FORMAT_TABLE;
	double fail_over = -1;
	struct jt_table a, b;
	struct jt_diff_stats st;
	struct jt_error err;
	char *end;
	int c, status = JT_EXIT_FAIL;

	jt_error_init(&err);
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (jt_format_parse(optarg, &fmt, &err) < 0)
				return jt_usage_error("%s", err.text);
			break;
		case 'F':
			fail_over = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' ||
			    !(fail_over >= 0))
				return jt_usage_error(
					"--fail-over: '%s' is not "
					"a percentage",
					optarg);
			break;
		case 'h':
			usage(stdout);
			return JT_EXIT_OK;
		default:
			return jt_bad_option(argv);
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
	if (jt_table_diff(&a, &b, stdout, fmt, fail_over, &st, &err) < 0) {
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
		{"plist", required_argument, NULL, 'p'},
		{"header", required_argument, NULL, 'H'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	enum jt_format fmt = JT_FORMAT_TABLE;
	struct outputs out = {NULL, NULL, NULL};
	struct jt_table t;
	struct jt_error err;
	int c, status = JT_EXIT_OK;

	jt_error_init(&err);
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (jt_format_parse(optarg, &fmt, &err) < 0)
				return jt_usage_error("%s", err.text);
			break;
		case 'p':
			out.plist = optarg;
			break;
		case 'H':
			out.header = optarg;
			break;
		case 'h':
			usage(stdout);
			return JT_EXIT_OK;
		default:
			return jt_bad_option(argv);
		}
	}
	if (argc - optind != 1)
		return jt_usage_error("show needs one table");
	if (jt_table_load(&t, argv[optind], &err) < 0) {
		jt_warn_error(&err);
		return JT_EXIT_FAIL;
	}
	if (write_all(&t, &out, &err) < 0 ||
	    jt_table_summary(&t, stdout, fmt, &err) < 0) {
		jt_warn_error(&err);
		status = JT_EXIT_FAIL;
	}
	jt_table_release(&t);
	return status;
}

static int
cmd_lookup(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"profile", required_argument, NULL, 'P'},
		{"ram", required_argument, NULL, 'r'},
		{"live-limit", required_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *const cols[] = {
		"model",  "os_version",      "profile",
		"source", "threshold_bytes", "from_os_version",
		"rule",   "ram_class_bytes"};
	enum jt_format fmt = JT_FORMAT_TABLE;
	const char *profile = "app";
	int64_t ram = -1, live = -1;
	struct jt_table t;
	struct jt_lookup lk;
	struct jt_error err;
	struct jt_emitter *em;
	int c, status = JT_EXIT_OK;

	jt_error_init(&err);
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (jt_format_parse(optarg, &fmt, &err) < 0)
				return jt_usage_error("%s", err.text);
			break;
		case 'P':
			profile = optarg;
			break;
		case 'r':
			if (parse_size_opt("--ram", optarg, &ram) < 0)
				return JT_EXIT_USAGE;
			break;
		case 'l':
			if (parse_size_opt("--live-limit", optarg, &live) < 0)
				return JT_EXIT_USAGE;
			break;
		case 'h':
			usage(stdout);
			return JT_EXIT_OK;
		default:
			return jt_bad_option(argv);
		}
	}
	if (argc - optind != 3)
		return jt_usage_error("lookup needs TABLE MODEL OS");
	if (jt_table_load(&t, argv[optind], &err) < 0) {
		jt_warn_error(&err);
		return JT_EXIT_FAIL;
	}
	jt_table_lookup(&t, argv[optind + 1], argv[optind + 2], profile, ram,
			live, &lk);
	em = jt_emitter_new(stdout, fmt, cols, sizeof(cols) / sizeof(cols[0]),
			    &err);
	if (em != NULL) {
		struct jt_cell row[] = {
			jt_cell_str(argv[optind + 1]),
			jt_cell_str(argv[optind + 2]),
			jt_cell_str(profile),
			jt_cell_str(jt_source_name(lk.source)),
			jt_cell_int_known(lk.threshold_bytes),
			jt_cell_str(lk.entry ? lk.entry->os_version : NULL),
			jt_cell_str(lk.entry ? jt_rule_name(lk.entry->rule)
					     : NULL),
			lk.ram_class ? jt_cell_int(lk.ram_class->ram_bytes)
				     : jt_cell_null()};

		if (jt_emitter_row(em, row, &err) < 0 ||
		    jt_emitter_end(em, &err) < 0)
			status = JT_EXIT_FAIL;
	} else {
		status = JT_EXIT_FAIL;
	}
	if (status != JT_EXIT_OK)
		jt_warn_error(&err);
	jt_emitter_free(em);
	jt_table_release(&t);
	return status;
}

static void
field_usage(FILE *out)
{
	fputs("usage: jetsam calibrate field [-f FMT] [--statistic S] "
	      "[--by-page]\n"
	      "                              [--max-bad-rows N] FILE...\n\n"
	      "Aggregate field data (CSV with a header row, or JSON Lines; "
	      "see\ndata/field-format.md) in one pass and print what it says "
	      "per model:\nthe largest page growth by the statistic, the page "
	      "that gave it, and\nthe session baseline.  FILE may be - for "
	      "standard input.\n\n"
	      "  -f, --format FMT       table (default), csv, json, jsonl\n"
	      "      --statistic S      max (default), p99 or p999 of growth "
	      "and baseline\n"
	      "      --by-page          one row per (model, page) instead: "
	      "count, max,\n"
	      "                         p99 and p999 growth (a "
	      "page-growth-aggregate file)\n"
	      "      --max-bad-rows N   malformed rows tolerated (default 0)\n"
	      "  -h, --help             show this help\n\n"
	      "Exit status: 0 ok, 1 bad input, 2 usage.\n",
	      out);
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
	struct jt_emitter *em = NULL;
	size_t n = 0, k;
	int rc = -1;

	fm = jt_field_summarize(f, &n, err);
	if (fm != NULL)
		em = jt_emitter_new(stdout, fmt, cols,
				    sizeof(cols) / sizeof(cols[0]), err);
	for (k = 0; em != NULL && k < n; k++) {
		struct jt_cell row[] = {jt_cell_str(fm[k].model),
					jt_cell_int_known(fm[k].growth_bytes),
					jt_cell_str(fm[k].growth_page),
					jt_cell_int(fm[k].growth_samples),
					jt_cell_int_known(fm[k].baseline_bytes),
					jt_cell_int(fm[k].session_samples),
					jt_cell_int(fm[k].oom_sessions)};

		if (jt_emitter_row(em, row, err) < 0)
			break;
	}
	if (em != NULL && k == n && jt_emitter_end(em, err) == 0)
		rc = 0;
	jt_emitter_free(em);
	free(fm);
	return rc;
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
	struct jt_emitter *em = NULL;
	size_t n = 0, k;
	int rc = -1;

	fp = jt_field_pages(f, &n, err);
	if (fp != NULL)
		em = jt_emitter_new(stdout, fmt, cols,
				    sizeof(cols) / sizeof(cols[0]), err);
	for (k = 0; em != NULL && k < n; k++) {
		struct jt_cell row[] = {jt_cell_str(fp[k].model),
					jt_cell_str(fp[k].page),
					jt_cell_int(fp[k].count),
					jt_cell_int_known(fp[k].max_bytes),
					jt_cell_int_known(fp[k].p99_bytes),
					jt_cell_int_known(fp[k].p999_bytes)};

		if (jt_emitter_row(em, row, err) < 0)
			break;
	}
	if (em != NULL && k == n && jt_emitter_end(em, err) == 0)
		rc = 0;
	jt_emitter_free(em);
	free(fp);
	return rc;
}

static int
cmd_field(int argc, char **argv)
{
	enum { O_BY_PAGE = 256 };
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"statistic", required_argument, NULL, 's'},
		{"by-page", no_argument, NULL, O_BY_PAGE},
		{"max-bad-rows", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	enum jt_format fmt = JT_FORMAT_TABLE;
	enum jt_statistic stat = JT_STAT_MAX;
	long max_bad = 0;
	struct jt_field *f;
	struct jt_error err;
	size_t k;
	char *end;
	int c, i, by_page = 0, status = JT_EXIT_FAIL;

	jt_error_init(&err);
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (jt_format_parse(optarg, &fmt, &err) < 0)
				return jt_usage_error("%s", err.text);
			break;
		case 's':
			if (jt_statistic_parse(optarg, &stat, &err) < 0)
				return jt_usage_error("%s", err.text);
			break;
		case O_BY_PAGE:
			by_page = 1;
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
		case 'h':
			field_usage(stdout);
			return JT_EXIT_OK;
		default:
			return jt_bad_option(argv);
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
	for (i = optind; i < argc; i++)
		if (jt_field_read(f, argv[i], &err) < 0)
			break;
	for (k = 0; k < jt_field_nbad(f); k++)
		jt_warn_error(jt_field_bad_at(f, k));
	if (!jt_error_isset(&err) &&
	    (by_page ? field_pages(f, fmt, &err)
		     : field_models(f, fmt, &err)) == 0)
		status = JT_EXIT_OK;
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
	if (argc > 1 && strcmp(argv[1], "diff") == 0) {
		jt_progname = "jetsam diff";
		return cmd_diff(argc - 1, argv + 1);
	}
	if (argc > 1 && strcmp(argv[1], "show") == 0) {
		jt_progname = "jetsam calibrate show";
		return cmd_show(argc - 1, argv + 1);
	}
	if (argc > 1 && strcmp(argv[1], "field") == 0) {
		jt_progname = "jetsam calibrate field";
		return cmd_field(argc - 1, argv + 1);
	}
	if (argc > 1 && strcmp(argv[1], "lookup") == 0) {
		jt_progname = "jetsam calibrate lookup";
		return cmd_lookup(argc - 1, argv + 1);
	}
	jt_progname = "jetsam calibrate";
	return cmd_make(argc, argv);
}
