/*
 * cmd_html.c - jetsam html (alias: jetsam report): the HTML lab report
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/html/htmlreport.h"
#include "cmd.h"
#include "jetsam/core/fileio.h"
#include "jetsam/walk/walk.h"

static void
usage(FILE *out)
{
	fputs("usage: jetsam html [--table TABLE.json] [--previous OLD.json] "
	      "[--title TEXT]\n"
	      "                     [--field FILE]... [--profile NAME] "
	      "-o REPORT.html RUN...\n"
	      "       (jetsam report is an old name for jetsam html)\n\n"
	      "Write one self-contained HTML page (inline SVG, nothing loaded "
	      "from\noutside): per run, footprint over time with the limit, "
	      "the first\nwarning, the kill and the overshoot; per model, "
	      "ceiling, growth,\nbaseline and danger threshold, and the "
	      "field-only models; the evidence\ntable; the changes against a "
	      "previous table; and a backtest of the\ntable on held-out field "
	      "data.  RUN is a run record (run.json) or a directory: every\n"
	      "run.json in it, read recursively (a run directory, or a "
	      "directory of\nruns, as jetsam run -o writes them).  A run that "
	      "cannot be read is\nreported and left out (exit 1); when nothing "
	      "can be read, no page is\nwritten.\n\n"
	      "  -o, --output FILE    where to write the page (atomically)\n"
	      "  -t, --table FILE     threshold table (jetsam calibrate -o, "
	      "or --ship-json)\n"
	      "  -p, --previous FILE  previous table, for the changes section\n"
	      "      --field FILE     held-out raw field data: a backtest "
	      "section\n"
	      "                       (as jetsam calibrate evaluate; "
	      "repeatable)\n"
	      "      --profile NAME   profile the backtest replays (default "
	      "app)\n"
	      "      --title TEXT     page title\n"
	      "  -h, --help           show this help\n",
	      out);
}

/* diag - one diagnostic from the library, on stderr. */
static void
diag(void *ctx, const struct jt_error *e)
{
	(void)ctx;
	jt_warn_error(e);
}

int
jt_cmd_html(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"table", required_argument, NULL, 't'},
		{"previous", required_argument, NULL, 'p'},
		{"title", required_argument, NULL, 'T'},
		{"field", required_argument, NULL, 'F'},
		{"profile", required_argument, NULL, 'P'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *output = NULL, *table_path = NULL, *prev_path = NULL;
	const char *profile = NULL;
	const char **fields = NULL;
	size_t nfields = 0;
	struct jt_html_input in = {0};
	struct jt_table table, previous;
	struct jt_eval ev;
	struct jt_error err;
	struct jt_outset set;
	FILE *fp;
	static const struct jt_walk_opts walk_opts = {"run.json", NULL, 0};
	struct jt_walk *w = NULL;
	int c, status = JT_EXIT_OK, evaluated = 0;
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
		case 'F': {
			const char **v =
				realloc(fields, (nfields + 1) * sizeof(*v));

			if (v == NULL) {
				free(fields);
				jt_warn("out of memory");
				return JT_EXIT_FAIL;
			}
			fields = v;
			fields[nfields++] = optarg;
			break;
		}
		case 'P':
			profile = optarg;
			break;
		default: /* -h, or an option getopt_long rejected */
			free(fields);
			return jt_cli_common_opt(c, optarg, NULL, usage, argv);
		}
	}
	status = output == NULL ? jt_usage_error("no output file (-o "
						 "REPORT.html)")
		: optind == argc && table_path == NULL
		? jt_usage_error("nothing to report: give runs or --table")
		: prev_path != NULL && table_path == NULL
		? jt_usage_error("--previous needs --table")
		: nfields > 0 && table_path == NULL
		? jt_usage_error("--field needs --table")
		: JT_EXIT_OK;
	if (status != JT_EXIT_OK) {
		free(fields);
		return status;
	}

	jt_table_init(&table);
	jt_table_init(&previous);
	jt_error_init(&err);
	if (table_path != NULL && jt_table_load(&table, table_path, &err) < 0)
		goto fail;
	in.table = table_path != NULL ? &table : NULL;
	if (prev_path != NULL && jt_table_load(&previous, prev_path, &err) < 0)
		goto fail;
	in.previous = prev_path != NULL ? &previous : NULL;
	if (nfields > 0) {
		if (jt_eval_files(&ev, &table, fields, nfields, profile, 0,
				  diag, NULL, &err) < 0)
			goto fail;
		evaluated = 1;
		in.eval = &ev;
	}
	jt_error_init(&err);
	w = jt_walk_run((const char *const *)argv + optind,
			(size_t)(argc - optind), &walk_opts, &err);
	in.runs = w != NULL ? calloc(jt_walk_nfiles(w) + 1, sizeof(*in.runs))
			    : NULL;
	if (in.runs == NULL) {
		jt_error_oom(&err, NULL);
		goto fail;
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
	jt_outset_init(&set);
	fp = jt_outset_add(&set, output, &err);
	if (fp == NULL || jt_html_emit(fp, &in, &err) < 0) {
		jt_outset_abort(&set);
		if (err.source[0] == '\0')
			snprintf(err.source, sizeof(err.source), "%s", output);
		jt_warn_error(&err);
		status = JT_EXIT_FAIL;
	} else if (jt_outset_commit(&set, &err) < 0) {
		jt_warn_error(&err);
		status = JT_EXIT_FAIL;
	} else {
		fprintf(stderr, "%s: wrote %s (%zu runs)\n", jt_progname,
			output, in.nruns);
	}
	goto out;
fail:
	jt_warn_error(&err);
	status = JT_EXIT_FAIL;
out:
	for (k = 0; k < in.nruns; k++)
		jt_html_run_release(&in.runs[k]);
	free(in.runs);
	jt_walk_free(w);
	if (evaluated)
		jt_eval_release(&ev);
	free(fields);
	jt_table_release(&table);
	jt_table_release(&previous);
	return status;
}
