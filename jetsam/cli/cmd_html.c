/*
 * cmd_html.c - jetsam html (alias: jetsam report): the HTML lab report
 *
 * "report" alone means a JetsamEvent report; the page is "html".  Runs are
 * named or found in directories by the walker every command shares
 * (jetsam/walk/): each run.json, read with the probe log it names.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "jetsam/core/fileio.h"
#include "calibrate/html/htmlreport.h"
#include "jetsam/walk/walk.h"

static void
usage(FILE *out)
{
	fputs("usage: jetsam html [--table TABLE.json] [--previous OLD.json] "
	      "[--title TEXT]\n"
	      "                   -o REPORT.html RUN...\n"
	      "       (jetsam report is an old name for jetsam html)\n\n"
	      "Write one self-contained HTML page (inline SVG, nothing loaded "
	      "from\noutside): per run, footprint over time with the limit, "
	      "the first\nwarning, the kill and the overshoot; per model, "
	      "ceiling, growth,\nbaseline and danger threshold; the evidence "
	      "table; and the changes\nagainst a previous table.  RUN is a "
	      "run record (run.json) or a directory:\nevery run.json in it, "
	      "read recursively (a run directory, or a directory\nof runs, "
	      "as jetsam run -o writes them).  A run that cannot be read is\n"
	      "reported and left out (exit 1); when nothing can be read, no "
	      "page is\nwritten.\n\n"
	      "  -o, --output FILE    where to write the page (atomically)\n"
	      "  -t, --table FILE     threshold table (the JSON of jetsam "
	      "calibrate -o)\n"
	      "  -p, --previous FILE  previous table, for the changes section\n"
	      "      --title TEXT     page title\n"
	      "  -h, --help           show this help\n",
	      out);
}

int
jt_cmd_html(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"table", required_argument, NULL, 't'},
		{"previous", required_argument, NULL, 'p'},
		{"title", required_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *output = NULL, *table_path = NULL, *prev_path = NULL;
	struct jt_html_input in = {0};
	struct jt_table table, previous;
	struct jt_error err;
	static const struct jt_walk_opts walk_opts = {"run.json", NULL, 0};
	struct jt_walk *w = NULL;
	struct jt_atomic a;
	FILE *fp;
	int c, status = JT_EXIT_OK;
	size_t k;

	while ((c = getopt_long(argc, argv, "o:t:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 't':
			table_path = optarg;
			break;
		case 'p':
			prev_path = optarg;
			break;
		case 'T':
			in.title = optarg;
			break;
		case 'h':
			usage(stdout);
			return JT_EXIT_OK;
		default:
			return jt_bad_option(argv);
		}
	}
	if (output == NULL)
		return jt_usage_error("no output file (-o REPORT.html)");
	if (optind == argc && table_path == NULL)
		return jt_usage_error("nothing to report: give runs or "
				      "--table");
	if (prev_path != NULL && table_path == NULL)
		return jt_usage_error("--previous needs --table");

	jt_table_init(&table);
	jt_table_init(&previous);
	jt_error_init(&err);
	if (table_path != NULL) {
		if (jt_table_load(&table, table_path, &err) < 0) {
			jt_warn_error(&err);
			return JT_EXIT_FAIL;
		}
		in.table = &table;
	}
	if (prev_path != NULL) {
		if (jt_table_load(&previous, prev_path, &err) < 0) {
			jt_warn_error(&err);
			jt_table_release(&table);
			return JT_EXIT_FAIL;
		}
		in.previous = &previous;
	}
	jt_error_init(&err);
	w = jt_walk_run((const char *const *)argv + optind,
			(size_t)(argc - optind), &walk_opts, &err);
	in.runs = w != NULL ? calloc(jt_walk_nfiles(w) + 1, sizeof(*in.runs))
			    : NULL;
	if (in.runs == NULL) {
		jt_warn("out of memory");
		status = JT_EXIT_FAIL;
		goto out;
	}
	if (jt_warn_walk(w))
		status = JT_EXIT_FAIL;
	for (k = 0; k < (size_t)(argc - optind); k++) {
		const struct jt_walk_root *r = jt_walk_root_at(w, k);

		if (r->is_dir && r->nfiles == 0) {
			jt_warn("%s: no run.json in this directory", r->path);
			status = JT_EXIT_FAIL;
		}
	}
	for (k = 0; k < jt_walk_nfiles(w); k++) {
		const char *path = jt_walk_file_at(w, k)->path;

		jt_error_init(&err);
		if (jt_html_run_load(&in.runs[in.nruns], path, &err) < 0) {
			jt_warn_error(&err);
			jt_html_run_release(&in.runs[in.nruns]);
			status = JT_EXIT_FAIL;
			continue;
		}
		if (in.runs[in.nruns].log == NULL)
			jt_warn("%s: probe log missing or unreadable; chart "
				"left out",
				path);
		in.nruns++;
	}
	if (in.nruns == 0 && in.table == NULL) {
		jt_warn("nothing to report: no run could be read; %s not "
			"written",
			output);
		status = JT_EXIT_FAIL;
		goto out;
	}
	jt_error_init(&err);
	fp = jt_atomic_open(&a, output, &err);
	if (fp == NULL || jt_html_emit(fp, &in, &err) < 0 ||
	    jt_atomic_commit(&a, 0, &err) < 0) {
		if (fp != NULL)
			jt_atomic_abort(&a);
		jt_warn_error(&err);
		status = JT_EXIT_FAIL;
	} else {
		fprintf(stderr, "%s: wrote %s (%zu runs)\n", jt_progname,
			output, in.nruns);
	}
out:
	for (k = 0; k < in.nruns; k++)
		jt_html_run_release(&in.runs[k]);
	free(in.runs);
	jt_walk_free(w);
	jt_table_release(&table);
	jt_table_release(&previous);
	return status;
}
