/*
 * cmd_probelog.c - jetsam probelog: summarise probe logs
 *
 * One row per log: what each piece of evidence in it says about the limit
 * (footprint + remaining, the crossing, the first warning), the last
 * sample, the overshoot and the paced rate.  Logs are named, found in
 * directories by the shared walker (jetsam/walk/), or named by a run
 * record.  A bad log is reported and the others are still summarised; the
 * exit status is 1 at the end.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "jetsam/core/emit.h"
#include "jetsam/core/fileio.h"
#include "jetsam/core/size.h"
#include "jetsam/lab/probelog.h"
#include "jetsam/lab/runrec.h"
#include "jetsam/walk/walk.h"

static const char usage_text[] =
	"usage: jetsam probelog [-f table|csv|json|jsonl] [--bytes] "
	"[--limit SIZE] [--lenient]\n"
	"                       LOG...\n"
	"\n"
	"Summarise probe logs (JSON Lines written by jetsam-probe): per log "
	"the\nsamples, the last footprint, the limit from footprint + "
	"remaining, the\nprobe-only crossing estimate, the footprint at the "
	"first memory warning,\nthe overshoot past the limit, the paced rate "
	"and how the run ended.\n"
	"LOG is a probe log, a run record (run.json: the probe log it names "
	"is\nread), or a directory: every *.jsonl in it, read recursively "
	"(a run\ndirectory's probe.jsonl).\n"
	"\n"
	"  -f, --format FMT  table (default), csv, json or jsonl\n"
	"      --bytes       exact byte counts in the table (not 5.000 "
	"MiB)\n"
	"      --limit SIZE  the known limit, for the overshoot when the log "
	"gives none\n"
	"      --lenient     count bad lines instead of rejecting the log\n"
	"  -h, --help        show this help\n"
	"\n"
	"A torn last line (the probe killed mid-write) is skipped and "
	"flagged.\n"
	"Exit status: 0 ok, 1 a log could not be read, 2 usage.\n";

static void
usage(FILE *out)
{
	fputs(usage_text, out);
}

static const char *const columns[] = {
	"log",
	"samples",
	"last_footprint_bytes",
	"limit_from_remaining_bytes",
	"crossing_bytes",
	"first_warning_bytes",
	"overshoot_bytes",
	"rate_bytes_per_s",
	"duration_ms",
	"end",
	"torn_tail",
	"bad_lines",
};
enum { NCOLS = sizeof(columns) / sizeof(columns[0]) };

/* how_ended - "killed", "alloc-failed" or "end:<why>". */
static const char *
how_ended(const struct jt_probelog *log, const struct jt_probe_summary *s,
	  char *buf, size_t len)
{
	size_t i;

	if (s->alloc_failed)
		return "alloc-failed";
	for (i = 0; i < log->nevents; i++)
		if (strcmp(log->events[i].kind, "end") == 0) {
			snprintf(buf, len, "end:%s",
				 log->events[i].detail ? log->events[i].detail
						       : "?");
			return buf;
		}
	return "killed";
}

/* summarize - one row for the log at path; -1 when it cannot be read. */
static int
summarize(struct jt_emitter *em, const char *path, int lenient, int64_t limit)
{
	struct jt_probelog *log;
	struct jt_probe_summary s;
	struct jt_error err;
	char endbuf[64], *log_path;
	int rc;

	jt_error_init(&err);
	log = jt_runrec_probelog_load(path, lenient, &log_path, &err);
	if (log == NULL || jt_probelog_summarize(log, limit, &s, &err) < 0) {
		jt_warn_error(&err);
		jt_probelog_free(log);
		free(log_path);
		return -1;
	}
	{
		struct jt_cell row[NCOLS] = {
			jt_cell_str(log_path),
			jt_cell_int(s.samples),
			jt_cell_int_known(s.last_footprint_bytes),
			jt_cell_int_known(s.limit_from_remaining_bytes),
			jt_cell_int_known(s.crossing_bytes),
			jt_cell_int_known(s.first_warning_bytes),
			jt_cell_int_known(s.overshoot_bytes),
			jt_cell_int_known(s.effective_rate_bytes_per_s),
			jt_cell_int_known(s.duration_ms),
			jt_cell_str(how_ended(log, &s, endbuf, sizeof(endbuf))),
			jt_cell_bool(log->torn_tail),
			jt_cell_int(log->bad_lines),
		};

		rc = jt_emitter_row(em, row, &err);
		if (rc < 0)
			jt_warn_error(&err);
	}
	jt_probelog_free(log);
	free(log_path);
	return rc;
}

int
jt_cmd_probelog(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"limit", required_argument, NULL, 'L'},
		{"lenient", no_argument, NULL, 'l'},
		{"bytes", no_argument, NULL, JT_OPT_BYTES},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const struct jt_walk_opts walk_opts = {NULL, ".jsonl", 0};
	struct jt_cli_common co;
	struct jt_emitter *em;
	struct jt_walk *w;
	struct jt_error err;
	int64_t limit = -1;
	int ch, rc, lenient = 0, status = JT_EXIT_OK;
	size_t i, nroots;

	jt_cli_common_init(&co);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		jt_error_init(&err);
		switch (ch) {
		case 'L':
			if (jt_size_parse(optarg, &limit, &err) < 0)
				return jt_usage_error("%s", err.text);
			break;
		case 'l':
			lenient = 1;
			break;
		default:
			rc = jt_cli_common_opt(ch, optarg, &co, usage, argv);
			if (rc >= 0)
				return rc;
		}
	}
	if (optind >= argc)
		return jt_usage_error("no probe log given");
	nroots = (size_t)(argc - optind);
	jt_error_init(&err);
	w = jt_walk_run((const char *const *)argv + optind, nroots, &walk_opts,
			&err);
	if (w == NULL) {
		jt_warn_error(&err);
		return JT_EXIT_FAIL;
	}
	if (jt_warn_walk(w))
		status = JT_EXIT_FAIL;
	for (i = 0; i < nroots; i++) {
		const struct jt_walk_root *r = jt_walk_root_at(w, i);

		if (r->is_dir && r->nfiles == 0) {
			jt_warn("%s: no probe logs (*.jsonl) in this directory",
				r->path);
			status = JT_EXIT_FAIL;
		}
	}
	em = jt_emitter_new(stdout, jt_cli_format(&co), columns, NCOLS, &err);
	if (em == NULL) {
		jt_warn_error(&err);
		jt_walk_free(w);
		return JT_EXIT_FAIL;
	}
	for (i = 0; i < jt_walk_nfiles(w); i++)
		if (summarize(em, jt_walk_file_at(w, i)->path, lenient, limit) <
		    0)
			status = JT_EXIT_FAIL;
	if (jt_cli_emit_end(em) < 0)
		status = JT_EXIT_FAIL;
	jt_walk_free(w);
	return status;
}
