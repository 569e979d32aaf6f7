/*
 * cmd_parse.c - jetsam parse: JetsamEvent reports to rows
 *
 * Lab engineers feed this whatever they have: single files, directories
 * pulled by idevicecrashreport or Xcode, sysdiagnose trees, pastes on
 * stdin.  Reports are recognised by content (jetsam/report/); folders are
 * walked by jetsam/walk/, the walker calibrate uses too, so files are read
 * in sorted path order whatever the order of the arguments or of readdir,
 * and a report seen twice (same incident id, e.g. a .ips beside its
 * .ips.synced copy) is listed once.  The table shows the columns a person
 * reads (--wide: all); CSV and JSON always have every column.  A bad file is
 * reported on stderr and skipped; the others are still listed and the exit
 * status is 1 at the end.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "jetsam/core/emit.h"
#include "jetsam/core/models.h"
#include "jetsam/report/report.h"
#include "jetsam/walk/walk.h"

enum view { VIEW_KILLS, VIEW_KILLED_ONLY, VIEW_ALL, VIEW_TOP };

struct opts {
	struct jt_cli_common co; /* -f, --models, --bytes */
	unsigned emit_options;   /* JT_EMIT_WIDE */
	enum view view;
	long top;
	const char *process;
	const char *reason;
};

static void
usage(FILE *out)
{
	fputs("usage: jetsam parse [-f table|csv|json|jsonl] [-w] [--bytes] "
	      "[--process NAME]\n"
	      "                    [--reason R] [--killed-only|--all-processes|"
	      "--top N]\n"
	      "                    [--models FILE] PATH...\n\n"
	      "Read JetsamEvent reports (bug_type 298 JSON, the iOS 7/8 "
	      "LowMemory text,\ncopies cut with '...') and list their killed "
	      "processes, one row each;\na report with no kill gets one row "
	      "of its own.  PATH is a file, - for\nstdin, or a directory, "
	      "read recursively (links to directories, FIFOs,\nsockets, "
	      "devices and hidden files are left out).  Reports are "
	      "recognised\nby content, read in path order, and a report seen "
	      "twice (same incident\nid) is listed once.  footprint_bytes = "
	      "rpages x the page size that fits\nthe device's RAM "
	      "(page_size_warning says when that is not the stated one);\n"
	      "implausible says why a report's numbers cannot be true (a "
	      "page size\nthat is not one, a footprint above the RAM).\n\n"
	      "  -f, --format FMT    table (default), csv, json or jsonl\n"
	      "  -w, --wide          the table with every column (CSV and "
	      "JSON always have\n"
	      "                      them): incident_id, date, format, page "
	      "size, states,\n"
	      "                      rpages, lifetime_max_bytes\n"
	      "      --bytes         exact byte counts in the table (not "
	      "1.500 GiB)\n"
	      "      --killed-only   only killed processes (no row for a "
	      "report without kills)\n"
	      "      --all-processes every process of every report\n"
	      "      --top N         the N processes with most rpages of "
	      "each report\n"
	      "      --process NAME  only processes named NAME (names are "
	      "cut to 16 or 32\n"
	      "                      characters in reports; a cut name "
	      "matches its start)\n"
	      "      --reason R      only kills with reason R (verbatim, "
	      "e.g. per-process-limit)\n"
	      "                      or class R (frontmost-limit, "
	      "daemon-limit,\n"
	      "                      background-limit, pressure, other)\n"
	      "      --models FILE   device table to use instead of the "
	      "built-in one\n"
	      "  -h, --help          show this help\n\n"
	      "Exit status: 0 all inputs read, 1 some input was bad or "
	      "damaged (the rest\nis still listed; damaged reports are "
	      "listed with partial=true), 2 usage.\nFiles found in a "
	      "directory that are not JetsamEvent reports are skipped with\na "
	      "note; named files that are not are an error.\n",
	      out);
}

/* ---- rows ---------------------------------------------------------------- */

/* The table shows the columns without JT_COLUMN_DETAIL; --wide all. */
#define DETAIL JT_COLUMN_DETAIL
#define BYTES JT_COLUMN_BYTES
static const struct jt_column cols[] = {
	{"source", 0},
	{"incident_id", DETAIL},
	{"date", DETAIL},
	{"product", 0},
	{"os_version", 0},
	{"format", DETAIL},
	{"partial", 0},
	{"page_size_bytes", DETAIL | BYTES},
	{"page_size_warning", DETAIL},
	{"implausible", 0},
	{"pid", 0},
	{"name", 0},
	{"states", DETAIL},
	{"reason", 0},
	{"kill_class", 0},
	{"rpages", DETAIL},
	{"footprint_bytes", BYTES},
	{"lifetime_max_bytes", DETAIL | BYTES},
};
enum { NCOLS = sizeof(cols) / sizeof(cols[0]) };

static int
name_matches(const char *name, const char *want)
{
	size_t n;

	if (name == NULL)
		return 0;
	if (strstr(name, want) != NULL)
		return 1;
	/* Reports cut names to 16 (text) or 32 (JSON) characters. */
	n = strlen(name);
	return n >= 16 && strncmp(want, name, n) == 0;
}

static int
emit_row(struct jt_emitter *em, const struct jt_report *r,
	 const struct jt_process *p, const struct jt_kill *k,
	 struct jt_error *err)
{
	struct jt_cell c[NCOLS];
	char states[512];
	size_t i, used = 0;
	int rc;

	states[0] = '\0';
	for (i = 0; p != NULL && i < p->nstates; i++) {
		int w = snprintf(states + used, sizeof(states) - used, "%s%s",
				 i ? "," : "", p->states[i]);

		if (w < 0 || (size_t)w >= sizeof(states) - used)
			break;
		used += (size_t)w;
	}
	c[0] = jt_cell_str(r->source);
	c[1] = jt_cell_str(r->incident_id);
	c[2] = jt_cell_str(r->date ? r->date : r->timestamp);
	c[3] = jt_cell_str(r->product);
	c[4] = jt_cell_str(r->os_version);
	c[5] = jt_cell_str(jt_report_format_name(r->format));
	c[6] = jt_cell_bool(r->partial);
	c[7] = jt_cell_int_known(r->page_size_bytes);
	c[8] = jt_cell_str(r->page_size_warning);
	c[9] = jt_cell_str(r->implausible);
	if (p == NULL) {
		for (i = 10; i < NCOLS; i++)
			c[i] = jt_cell_null();
	} else {
		c[10] = jt_cell_int_known(p->pid);
		c[11] = jt_cell_str(p->name);
		c[12] = jt_cell_str(states);
		c[13] = jt_cell_str(p->reason);
		c[14] = k ? jt_cell_str(jt_kill_class_name(k->class_))
			  : jt_cell_null();
		c[15] = jt_cell_int_known(p->rpages);
		c[16] = jt_cell_int_known(
			jt_pages_to_bytes(p->rpages, r->page_size_bytes));
		c[17] = jt_cell_int_known(jt_pages_to_bytes(
			p->lifetime_max_pages, r->page_size_bytes));
	}
	rc = jt_emitter_row(em, c, err);
	return rc;
}

static int
kill_passes(const struct opts *o, const struct jt_process *p,
	    const struct jt_kill *k)
{
	if (o->process != NULL && !name_matches(p->name, o->process))
		return 0;
	if (o->reason != NULL && k == NULL)
		return 0;
	if (o->reason != NULL &&
	    !(p->reason != NULL && strcmp(p->reason, o->reason) == 0) &&
	    strcmp(jt_kill_class_name(k->class_), o->reason) != 0)
		return 0;
	return 1;
}

static const struct jt_report *top_report;

static int
cmp_rpages(const void *a, const void *b)
{
	const struct jt_process *x = &top_report->processes[*(const size_t *)a];
	const struct jt_process *y = &top_report->processes[*(const size_t *)b];

	if (x->rpages != y->rpages)
		return x->rpages > y->rpages ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int
emit_report(struct jt_emitter *em, const struct opts *o,
	    const struct jt_report *r, struct jt_error *err)
{
	const struct jt_kill **kill_of = NULL;
	size_t i, n = 0;
	int rc = 0;

	if (o->view == VIEW_KILLS || o->view == VIEW_KILLED_ONLY) {
		for (i = 0; i < r->nkills && rc == 0; i++) {
			const struct jt_kill *k = &r->kills[i];
			const struct jt_process *p = &r->processes[k->process];

			if (!kill_passes(o, p, k))
				continue;
			rc = emit_row(em, r, p, k, err);
			n++;
		}
		if (rc == 0 && n == 0 && r->nkills == 0 &&
		    o->view == VIEW_KILLS && o->process == NULL &&
		    o->reason == NULL)
			rc = emit_row(em, r, NULL, NULL, err);
		return rc;
	}
	if (r->nprocesses == 0)
		return 0;
	kill_of = calloc(r->nprocesses, sizeof(*kill_of));
	if (kill_of == NULL)
		return jt_error_oom(err, NULL);
	for (i = 0; i < r->nkills; i++)
		kill_of[r->kills[i].process] = &r->kills[i];
	if (o->view == VIEW_TOP) {
		size_t *idx = malloc(r->nprocesses * sizeof(*idx)), m = 0;

		if (idx == NULL) {
			free(kill_of);
			return jt_error_oom(err, NULL);
		}
		for (i = 0; i < r->nprocesses; i++)
			if (kill_passes(o, &r->processes[i], kill_of[i]))
				idx[m++] = i;
		top_report = r;
		qsort(idx, m, sizeof(*idx), cmp_rpages);
		for (i = 0; i < m && i < (size_t)o->top && rc == 0; i++)
			rc = emit_row(em, r, &r->processes[idx[i]],
				      kill_of[idx[i]], err);
		free(idx);
	} else {
		for (i = 0; i < r->nprocesses && rc == 0; i++)
			if (kill_passes(o, &r->processes[i], kill_of[i]))
				rc = emit_row(em, r, &r->processes[i],
					      kill_of[i], err);
	}
	free(kill_of);
	return rc;
}

static int
parse_opts(int argc, char **argv, struct opts *o, int *status)
{
	static const struct option lopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"process", required_argument, NULL, 'p'},
		{"reason", required_argument, NULL, 'r'},
		{"killed-only", no_argument, NULL, 'k'},
		{"all-processes", no_argument, NULL, 'a'},
		{"top", required_argument, NULL, 't'},
		{"models", required_argument, NULL, 'm'},
		{"wide", no_argument, NULL, 'w'},
		{"bytes", no_argument, NULL, JT_OPT_BYTES},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, rc, killed = 0, all = 0;
	char *end;

	memset(o, 0, sizeof(*o));
	jt_cli_common_init(&o->co);
	while ((c = getopt_long(argc, argv, "f:wh", lopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o->process = optarg;
			break;
		case 'r':
			o->reason = optarg;
			break;
		case 'k':
			killed = 1;
			break;
		case 'a':
			all = 1;
			break;
		case 't':
			errno = 0;
			o->top = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    o->top < 1) {
				*status = jt_usage_error(
					"--top '%s' is not a positive whole "
					"number",
					optarg);
				return -1;
			}
			break;
		case 'w':
			o->emit_options |= JT_EMIT_WIDE;
			break;
		default:
			rc = jt_cli_common_opt(c, optarg, &o->co, usage, argv);
			if (rc >= 0) {
				*status = rc;
				return -1;
			}
		}
	}
	if (killed + all + (o->top > 0) > 1) {
		*status = jt_usage_error("--killed-only, --all-processes and "
					 "--top exclude each other");
		return -1;
	}
	o->view = killed ? VIEW_KILLED_ONLY
		: all    ? VIEW_ALL
		: o->top ? VIEW_TOP
			 : VIEW_KILLS;
	if (optind == argc) {
		*status = jt_usage_error("no PATH given (use - for stdin)");
		return -1;
	}
	return 0;
}

int
jt_cmd_parse(int argc, char **argv)
{
	struct opts o;
	struct jt_walk *w = NULL;
	struct jt_idset *seen = NULL;
	struct jt_models *models = NULL;
	struct jt_emitter *em = NULL;
	struct jt_error err;
	size_t i, nroots, *found = NULL;
	int status = JT_EXIT_OK, bad = 0;

	if (parse_opts(argc, argv, &o, &status) < 0)
		return status;
	jt_error_init(&err);
	models = jt_models_load(o.co.models_path, &err);
	if (models == NULL) {
		jt_warn_error(&err);
		return JT_EXIT_FAIL;
	}
	nroots = (size_t)(argc - optind);
	found = calloc(nroots, sizeof(*found));
	seen = jt_idset_new(&err);
	w = found != NULL && seen != NULL
		? jt_walk_run((const char *const *)argv + optind, nroots, NULL,
			      &err)
		: NULL;
	if (w == NULL) {
		jt_warn("out of memory");
		status = JT_EXIT_FAIL;
		goto out;
	}
	if (jt_warn_walk(w))
		bad = 1;
	em = jt_emitter_open(stdout, jt_cli_format(&o.co), cols, NCOLS,
			     o.emit_options, &err);
	if (em == NULL) {
		jt_warn_error(&err);
		status = JT_EXIT_FAIL;
		goto out;
	}
	for (i = 0; i < jt_walk_nfiles(w); i++) {
		const struct jt_walk_file *f = jt_walk_file_at(w, i);
		struct jt_walk_report r;

		switch (jt_walk_report_load(f->path, models, seen, &r)) {
		case JT_WALK_REPORT_FAILED:
			jt_warn_error(&r.err);
			if (r.err.code == JT_ENOMEM) {
				status = JT_EXIT_FAIL;
				goto out;
			}
			if (f->named || r.err.code != JT_ENOTJETSAM)
				bad = 1;
			continue;
		case JT_WALK_REPORT_DUPLICATE:
			found[f->root]++;
			jt_warn_error(&r.err);
			continue;
		case JT_WALK_REPORT_NEW:
			break;
		}
		found[f->root]++;
		if (jt_error_isset(&r.err)) {
			/* Damaged but something was recovered: partial. */
			jt_warn_error(&r.err);
			bad = 1;
		}
		jt_error_init(&err);
		if (emit_report(em, &o, r.report, &err) < 0) {
			jt_warn_error(&err);
			jt_report_free(r.report);
			status = JT_EXIT_FAIL;
			goto out;
		}
		jt_report_free(r.report);
	}
	for (i = 0; i < nroots; i++) {
		const struct jt_walk_root *root = jt_walk_root_at(w, i);

		if (root->is_dir && found[i] == 0) {
			jt_warn("%s: no JetsamEvent reports in this directory",
				root->path);
			bad = 1;
		}
	}
	jt_error_init(&err);
	if (jt_emitter_end(em, &err) < 0) {
		jt_warn_error(&err);
		status = JT_EXIT_FAIL;
	}
	if (bad)
		status = JT_EXIT_FAIL;
out:
	jt_emitter_free(em);
	jt_walk_free(w);
	jt_idset_free(seen);
	free(found);
	jt_models_free(models);
	return status;
}
