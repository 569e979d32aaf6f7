/*
 * cmd_probelog.c - jetsam probelog: summarise probe logs
 *
 * One row per log: what each piece of evidence in it says about the limit
 * (footprint + remaining, the crossing, the first warning), the last
 * sample, the overshoot and the paced rate.  A bad log is reported and the
 * others are still summarised; the exit status is 1 at the end.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "jetsam/core/emit.h"
#include "jetsam/core/fileio.h"
#include "jetsam/core/size.h"
#include "jetsam/lab/probelog.h"

static const char usage_text[] =
	"usage: jetsam probelog [-f table|csv|json|jsonl] [--limit SIZE] "
	"[--lenient] LOG...\n"
	"\n"
	"Summarise probe logs (JSON Lines written by jetsam-probe): per log "
	"the\nsamples, the last footprint, the limit from footprint + "
	"remaining, the\nprobe-only crossing estimate, the footprint at the "
	"first memory warning,\nthe overshoot past the limit, the paced rate "
	"and how the run ended.\n"
	"\n"
	"  -f, --format FMT  table (default), csv, json or jsonl\n"
	"  --limit SIZE      the known limit, for the overshoot when the log "
	"gives none\n"
	"  --lenient         count bad lines instead of rejecting the log\n"
	"  -h, --help        this text\n"
	"\n"
	"A torn last line (the probe killed mid-write) is skipped and "
	"flagged.\n"
	"Exit status: 0 ok, 1 a log could not be read, 2 usage.\n";

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

int
jt_cmd_probelog(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"limit", required_argument, NULL, 'L'},
		{"lenient", no_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	enum jt_format fmt = JT_FORMAT_TABLE;
	struct jt_emitter *em;
	struct jt_error err;
	int64_t limit = -1;
	int ch, lenient = 0, status = JT_EXIT_OK;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		jt_error_init(&err);
		switch (ch) {
		case 'f':
			if (jt_format_parse(optarg, &fmt, &err) < 0)
				return jt_usage_error("%s", err.text);
			break;
		case 'L':
			if (jt_size_parse(optarg, &limit, &err) < 0)
				return jt_usage_error("%s", err.text);
			break;
		case 'l':
			lenient = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return JT_EXIT_OK;
		default:
			return jt_bad_option(argv);
		}
	}
	if (optind >= argc)
		return jt_usage_error("no probe log given");
	jt_error_init(&err);
	em = jt_emitter_new(stdout, fmt, columns, NCOLS, &err);
	if (em == NULL) {
		jt_warn_error(&err);
		return JT_EXIT_FAIL;
	}
	for (; optind < argc; optind++) {
		const char *path = argv[optind];
		struct jt_probelog *log;
		struct jt_probe_summary s;
		char endbuf[64];

		jt_error_init(&err);
		log = jt_probelog_load(path, lenient, &err);
		if (log == NULL ||
		    jt_probelog_summarize(log, limit, &s, &err) < 0) {
			jt_warn_error(&err);
			jt_probelog_free(log);
			status = JT_EXIT_FAIL;
			continue;
		}
		{
			struct jt_cell row[NCOLS] = {
				jt_cell_str(path),
				jt_cell_int(s.samples),
				jt_cell_int_known(s.last_footprint_bytes),
				jt_cell_int_known(s.limit_from_remaining_bytes),
				jt_cell_int_known(s.crossing_bytes),
				jt_cell_int_known(s.first_warning_bytes),
				jt_cell_int_known(s.overshoot_bytes),
				jt_cell_int_known(s.effective_rate_bytes_per_s),
				jt_cell_int_known(s.duration_ms),
				jt_cell_str(how_ended(log, &s, endbuf,
						      sizeof(endbuf))),
				jt_cell_bool(log->torn_tail),
				jt_cell_int(log->bad_lines),
			};

			if (jt_emitter_row(em, row, &err) < 0) {
				jt_warn_error(&err);
				status = JT_EXIT_FAIL;
			}
		}
		jt_probelog_free(log);
	}
	if (jt_emitter_end(em, &err) < 0) {
		jt_warn_error(&err);
		status = JT_EXIT_FAIL;
	}
	jt_emitter_free(em);
	return status;
}
