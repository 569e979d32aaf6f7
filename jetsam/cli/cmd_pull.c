/*
 * cmd_pull.c - jetsam pull: JetsamEvent reports off a device
 *
 * The copying rules live in jetsam/device/devpull.c; this front-end adds the
 * parse summary of each pulled report (jetsam/report/report.h), one row each,
 * and one line on stderr for each file that failed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "jetsam/core/emit.h"
#include "jetsam/core/models.h"
#include "jetsam/core/text.h"
#include "jetsam/device/devpull.h"
#include "jetsam/report/report.h"

static void
usage(FILE *out)
{
	fputs("usage: jetsam pull [-u UDID] [--keep] [--all-reports] "
	      "[--since DATE] [-f FMT] -o DIR\n\n"
	      "Ask the device's crash reporter to flush, copy its JetsamEvent "
	      "reports into\nDIR (verified size, written atomically, never "
	      "replacing a different file),\nremove each from the device after "
	      "its verified copy unless --keep, record\nthe device in "
	      "DIR/device.json, and list each report with its kill.\n\n"
	      "  -u, --udid UDID    the device (default: the only one "
	      "connected)\n"
	      "  -o, --output DIR   where the reports go (created if missing)\n"
	      "  -k, --keep         leave the reports on the device\n"
	      "      --all-reports  every crash report, not only JetsamEvent\n"
	      "      --since DATE   only reports modified since DATE "
	      "(YYYY-MM-DD[THH:MM[:SS]], UTC)\n"
	      "  -f, --format FMT   table (default), csv, json or jsonl\n"
	      "      --models FILE  device table for the page-size check\n"
	      "  -h, --help         show this help\n\n"
	      "A file that cannot be pulled (a name with a path or control "
	      "characters in it,\nlarger than 64 MiB, no size stated, a copy "
	      "of the wrong size, a different\nfile of that name in DIR) is "
	      "named on stderr, left on the device, and the\nothers are "
	      "still pulled.\n\n"
	      "Exit status: 0 all copied, 1 a file failed or a device error, "
	      "2 usage.\n",
	      out);
}

/* main_kill - the kill to show: the first per-process-limit, else the
 * first kill; NULL when the report has none. */
static const struct jt_kill *
main_kill(const struct jt_report *r)
{
	size_t i;

	for (i = 0; i < r->nkills; i++)
		if (r->kills[i].class_ == JT_KILL_LIMIT)
			return &r->kills[i];
	return r->nkills > 0 ? &r->kills[0] : NULL;
}

static int
emit_item(struct jt_emitter *em, const struct jt_pulled *p,
	  const struct jt_models *models, struct jt_error *err)
{
	struct jt_report *r = NULL;
	const struct jt_kill *k = NULL;
	const struct jt_process *v = NULL;
	/* the path only for a file that is there; else the device's name */
	int in_dir = p->path != NULL &&
		(p->status == JT_PULL_COPIED || p->status == JT_PULL_SAME ||
		 p->status == JT_PULL_CONFLICT);
	int rc;

	if (p->status == JT_PULL_COPIED || p->status == JT_PULL_SAME) {
		struct jt_error perr;

		jt_error_init(&perr);
		r = jt_report_load(p->path, models, &perr);
		if (r == NULL && perr.code != JT_ENOTJETSAM) {
			char line[JT_ERROR_TEXT + JT_ERROR_SOURCE + 64];
			char shown[sizeof(line)];

			/* a parse error may quote the report: the device's */
			jt_error_format(&perr, line, sizeof(line));
			jt_warn("%s",
				jt_text_escape(shown, sizeof(shown), line));
		}
		if (r != NULL)
			k = main_kill(r);
		if (k != NULL)
			v = &r->processes[k->process];
	}
	{
		struct jt_cell row[] = {
			jt_cell_str(in_dir ? p->path : p->name),
			jt_cell_str(jt_pull_status_name(p->status)),
			jt_cell_int_known(p->size_bytes),
			jt_cell_bool(p->removed),
			jt_cell_str(r != NULL ? r->product : NULL),
			jt_cell_str(r != NULL ? r->os_version : NULL),
			r != NULL ? jt_cell_int((int64_t)r->nkills)
				  : jt_cell_null(),
			jt_cell_str(v != NULL ? v->name : NULL),
			v != NULL ? jt_cell_int_known(v->pid) : jt_cell_null(),
			jt_cell_str(v != NULL ? v->reason : NULL),
			k != NULL ? jt_cell_int_known(k->footprint_bytes)
				  : jt_cell_null(),
		};

		rc = jt_emitter_row(em, row, err);
	}
	jt_report_free(r);
	return rc;
}

int
jt_cmd_pull(int argc, char **argv)
{
	static const struct option opts[] = {
		{"udid", required_argument, NULL, 'u'},
		{"output", required_argument, NULL, 'o'},
		{"keep", no_argument, NULL, 'k'},
		{"all-reports", no_argument, NULL, 'a'},
		{"since", required_argument, NULL, 's'},
		{"format", required_argument, NULL, 'f'},
		{"models", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *const cols[] = {
		"file",    "status",     "size_bytes",     "removed",
		"product", "os_version", "kills",          "victim",
		"pid",     "reason",     "footprint_bytes"};
	struct jt_pull_opts po = {0, 0, -1};
	struct jt_cli_common co;
	const char *udid = NULL, *dir = NULL;
	struct jt_models *models = NULL;
	struct jt_device *dev = NULL;
	struct jt_pulled *items = NULL;
	struct jt_emitter *em;
	struct jt_error err, eerr;
	size_t n = 0, i;
	int c, rc, status = JT_EXIT_OK;

	jt_error_init(&err);
	jt_cli_common_init(&co);
	while ((c = getopt_long(argc, argv, "u:o:kf:h", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			udid = optarg;
			break;
		case 'o':
			dir = optarg;
			break;
		case 'k':
			po.keep = 1;
			break;
		case 'a':
			po.all_reports = 1;
			break;
		case 's':
			if (jt_pull_parse_since(optarg, &po.since_unix_s,
						&err) < 0)
				return jt_usage_error("%s", err.text);
			break;
		default:
			rc = jt_cli_common_opt(c, optarg, &co, usage, argv);
			if (rc >= 0)
				return rc;
		}
	}
	if (jt_cli_no_operands(argc, argv) < 0)
		return JT_EXIT_USAGE;
	if (dir == NULL)
		return jt_usage_error("missing -o DIR");
	models = jt_models_load(co.models_path, &err);
	if (models == NULL) {
		jt_warn_error(&err);
		return JT_EXIT_FAIL;
	}
	dev = jt_device_open(udid, &err);
	if (dev == NULL) {
		jt_warn_error(&err);
		jt_models_free(models);
		return JT_EXIT_FAIL;
	}
	rc = jt_pull_reports(dev, dir, &po, &items, &n, &err);
	for (i = 0; i < n; i++) {
		char shown[JT_ERROR_SOURCE];

		/* details are escaped by the library; names here too */
		if (items[i].status == JT_PULL_VANISHED)
			jt_warn("%s: vanished from the device before it "
				"could be copied",
				jt_text_escape(shown, sizeof(shown),
					       items[i].name));
		else if (items[i].detail != NULL)
			jt_warn("%s", items[i].detail);
	}
	if (rc < 0)
		status = JT_EXIT_FAIL;
	if (jt_error_isset(&err))
		jt_warn_error(&err);
	jt_error_init(&eerr);
	em = jt_emitter_new(stdout, jt_cli_format(&co), cols,
			    sizeof(cols) / sizeof(cols[0]), &eerr);
	for (i = 0; em != NULL && i < n; i++)
		if (emit_item(em, &items[i], models, &eerr) < 0)
			break;
	if (em == NULL || jt_emitter_end(em, &eerr) < 0 ||
	    jt_error_isset(&eerr)) {
		jt_warn_error(&eerr);
		status = JT_EXIT_FAIL;
	}
	jt_emitter_free(em);
	if (!jt_error_isset(&err)) {
		size_t copied = 0, failed = 0;

		for (i = 0; i < n; i++)
			if (items[i].status == JT_PULL_COPIED ||
			    items[i].status == JT_PULL_SAME)
				copied++;
			else if (!jt_pull_ok(items[i].status))
				failed++;
		if (failed > 0)
			jt_warn("%zu report(s) pulled into %s, %zu failed",
				copied, dir, failed);
		else
			jt_warn("%zu report(s) pulled into %s", copied, dir);
	}
	jt_pull_free(items, n);
	jt_device_close(dev);
	jt_models_free(models);
	return status;
}
