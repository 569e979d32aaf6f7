/*
 * cmd_calibrate.c - jetsam calibrate: make, show, look up and diff tables
 *
 * Reached as "jetsam calibrate ..." and "jetsam diff OLD NEW" through the
 * dispatcher in jetsam/cli/main.c.  This file turns argv into library calls:
 * every input is read and checked first (all problems are reported, not
 * just the first), and only when nothing failed are the outputs written,
 * each to a temporary name, and renamed into place together.
 */
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
#include "jetsam/core/size.h"
#include "calibrate/engine/ingest.h"
#include "calibrate/table/table.h"
#include "calibrate/table/write.h"
#include "jetsam/walk/walk.h"

static void
usage(FILE *out)
{
	fputs("usage: jetsam calibrate [options] [RUN...]\n"
	      "       jetsam calibrate diff ...   (= jetsam diff: see jetsam "
	      "diff --help)\n"
	      "       jetsam calibrate show [-f FMT] [--plist FILE] "
	      "[--header FILE] TABLE\n"
	      "       jetsam calibrate field [-f FMT] [--statistic S] "
	      "[--max-bad-rows N] FILE...\n"
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

static void
diff_usage(FILE *out)
{
	fputs("usage: jetsam diff [-f table|csv|json|jsonl] [--fail-over PCT] "
	      "OLD.json NEW.json\n"
	      "       (also jetsam calibrate diff)\n\n"
	      "Compare two threshold tables (the JSON of jetsam calibrate -o): "
	      "entries\nadded and removed, threshold changes in bytes and "
	      "percent, rule\nchanges, models added and removed.  A summary "
	      "line goes to stderr.\n\n"
	      "  -f, --format FMT     table (default), csv, json or jsonl\n"
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
	struct strv fields = {NULL, 0};
	struct jt_walk *runs = NULL, *report_files = NULL;
	struct jt_idset *seen = NULL;
	struct outputs out = {NULL, NULL, NULL};
	enum jt_format fmt = JT_FORMAT_TABLE;
	const char *profile = "app", *models_path = NULL;
	long max_bad = 0;
	struct jt_error err;
	struct jt_models *models = NULL;
	struct jt_lab *lab = NULL;
	struct jt_field *field = NULL;
	struct jt_table t;
	int c, failed = 0, status = JT_EXIT_FAIL, built = 0;
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
	runs = lab_files(argv + optind, (size_t)(argc - optind), "run.json",
			 &failed);
	for (k = 0; runs != NULL && k < jt_walk_nfiles(runs); k++) {
		const char *path = jt_walk_file_at(runs, k)->path;
		struct jt_runrec r;

		jt_error_init(&err);
		if (jt_runrec_load(&r, path, &err) < 0 ||
		    jt_lab_add_input(lab, path, "run", &err) < 0 ||
		    jt_lab_add_run(lab, &r, path, &err) < 0) {
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
	/* Reports as jetsam parse lists them: one per incident. */
	report_files = reports.n > 0
		? lab_files(reports.v, reports.n, NULL, &failed)
		: NULL;
	seen = report_files != NULL ? jt_idset_new(&err) : NULL;
	if (report_files != NULL && seen == NULL) {
		jt_warn_error(&err);
		failed = 1;
	}
	for (k = 0; seen != NULL && k < jt_walk_nfiles(report_files); k++) {
		const struct jt_walk_file *f = jt_walk_file_at(report_files, k);
		struct jt_walk_report wr;

		switch (jt_walk_report_load(f->path, models, seen, &wr)) {
		case JT_WALK_REPORT_FAILED:
			if (!f->named && wr.err.code == JT_ENOTJETSAM)
				continue;
			jt_warn_error(&wr.err);
			failed = 1;
			continue;
		case JT_WALK_REPORT_DUPLICATE:
			jt_warn_error(&wr.err);
			continue;
		case JT_WALK_REPORT_NEW:
			jt_report_free(wr.report);
			break;
		}
		jt_error_init(&err);
		if (jt_ingest_report(lab, f->path, models, !f->named, &err) <
		    0) {
			jt_warn_error(&err);
			failed = 1;
		}
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
	jt_walk_free(runs);
	jt_walk_free(report_files);
	jt_idset_free(seen);
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
			diff_usage(stdout);
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

static int
cmd_field(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"statistic", required_argument, NULL, 's'},
		{"max-bad-rows", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *const cols[] = {"model",          "growth_bytes",
					   "growth_page",    "growth_samples",
					   "baseline_bytes", "session_samples",
					   "oom_sessions"};
	enum jt_format fmt = JT_FORMAT_TABLE;
	enum jt_statistic stat = JT_STAT_MAX;
	long max_bad = 0;
	struct jt_field *f;
	struct jt_field_model *fm = NULL;
	struct jt_emitter *em = NULL;
	struct jt_error err;
	size_t n = 0, k;
	char *end;
	int c, i, status = JT_EXIT_FAIL;

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
			usage(stdout);
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
	for (i = optind; i < argc; i++)
		if (jt_field_read(f, argv[i], &err) < 0)
			break;
	for (k = 0; k < jt_field_nbad(f); k++)
		jt_warn_error(jt_field_bad_at(f, k));
	if (jt_error_isset(&err))
		goto out;
	fm = jt_field_summarize(f, &n, &err);
	if (fm == NULL)
		goto out;
	em = jt_emitter_new(stdout, fmt, cols, sizeof(cols) / sizeof(cols[0]),
			    &err);
	for (k = 0; em != NULL && k < n; k++) {
		struct jt_cell row[] = {jt_cell_str(fm[k].model),
					jt_cell_int_known(fm[k].growth_bytes),
					jt_cell_str(fm[k].growth_page),
					jt_cell_int(fm[k].growth_samples),
					jt_cell_int_known(fm[k].baseline_bytes),
					jt_cell_int(fm[k].session_samples),
					jt_cell_int(fm[k].oom_sessions)};

		if (jt_emitter_row(em, row, &err) < 0)
			break;
	}
	if (em != NULL && !jt_error_isset(&err) &&
	    jt_emitter_end(em, &err) == 0)
		status = JT_EXIT_OK;
out:
	if (jt_error_isset(&err))
		jt_warn_error(&err);
	jt_emitter_free(em);
	free(fm);
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
