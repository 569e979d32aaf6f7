/*
 * cmd_html.c - jetsam html (alias: jetsam report): the HTML lab report
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "jetsam/core/fileio.h"
#include "calibrate/html/htmlreport.h"

static void
usage(FILE *out)
{
	fputs("usage: jetsam html [--table TABLE.json] [--previous OLD.json] "
	      "[--title TEXT]\n"
	      "                     -o REPORT.html RUN...\n\n"
	      "Write one self-contained HTML page (inline SVG, nothing loaded "
	      "from\noutside): per run, footprint over time with the limit, "
	      "the first\nwarning, the kill and the overshoot; per model, "
	      "ceiling, growth,\nbaseline and danger threshold; the evidence "
	      "table; and the changes\nagainst a previous table.  RUN is a run "
	      "directory or its run.json.\nA run that cannot be read is "
	      "reported and left out (exit 1).\n\n"
	      "  -o, --output FILE    where to write the page (atomically)\n"
	      "  -t, --table FILE     threshold table (jetsam calibrate "
	      "--json)\n"
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
	struct jt_atomic a;
	FILE *fp;
	int c, i, status = JT_EXIT_OK;
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
	in.runs = calloc((size_t)(argc - optind) + 1, sizeof(*in.runs));
	if (in.runs == NULL) {
		jt_warn("out of memory");
		return JT_EXIT_FAIL;
	}
	for (i = optind; i < argc; i++) {
		jt_error_init(&err);
		if (jt_html_run_load(&in.runs[in.nruns], argv[i], &err) < 0) {
			jt_warn_error(&err);
			jt_html_run_release(&in.runs[in.nruns]);
			status = JT_EXIT_FAIL;
			continue;
		}
		if (in.runs[in.nruns].log == NULL)
			jt_warn("%s: probe log missing or unreadable; chart "
				"left out",
				argv[i]);
		in.nruns++;
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
	for (k = 0; k < in.nruns; k++)
		jt_html_run_release(&in.runs[k]);
	free(in.runs);
	jt_table_release(&table);
	jt_table_release(&previous);
	return status;
}
