/*
 * cmd_parse.c - jetsam parse: JetsamEvent reports to rows
 *
 * Lab engineers feed this whatever they have: single files, directories
 * pulled by idevicecrashreport or Xcode, sysdiagnose trees, pastes on
 * stdin.  Reports are recognised by content (jetsam/report/), files are
 * read in sorted path order so the output never depends on the order of
 * the arguments or of readdir, and a report seen twice (same incident id,
 * e.g. a .ips beside its .ips.synced copy) is listed once.  A bad file is
 * reported on stderr and skipped; the others are still listed and the exit
 * status is 1 at the end.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "jetsam/core/emit.h"
#include "jetsam/core/models.h"
#include "jetsam/report/report.h"

enum view { VIEW_KILLS, VIEW_KILLED_ONLY, VIEW_ALL, VIEW_TOP };

struct input {
	char *path;
	size_t arg;   /* index of the argument that named it */
	int from_dir; /* found by walking a directory */
};

struct opts {
	enum jt_format fmt;
	enum view view;
	long top;
	const char *process;
	const char *reason;
	const char *models_path;
};

struct inputs {
	struct input *v;
	size_t n, cap;
};

static void
usage(FILE *out)
{
	fputs("usage: jetsam parse [-f table|csv|json|jsonl] [--process NAME] "
	      "[--reason R]\n"
	      "                    [--killed-only|--all-processes] [--top N] "
	      "[--models FILE] PATH...\n\n"
	      "Read JetsamEvent reports (bug_type 298 JSON, the iOS 7/8 "
	      "LowMemory text,\ncopies cut with '...') and list their killed "
	      "processes, one row each;\na report with no kill gets one row "
	      "of its own.  PATH is a file, a\ndirectory (read recursively) "
	      "or - for stdin.  Reports are recognised by\ncontent, read in "
	      "path order, and a report seen twice (same incident id)\nis "
	      "listed once.  footprint_bytes = rpages x the page size that "
	      "fits the\ndevice's RAM (page_size_warning says when that is "
	      "not the stated one);\nimplausible says why a report's numbers "
	      "cannot be true (a page size that\nis not one, a footprint "
	      "above the RAM).\n\n"
	      "  -f, --format FMT    table (default), csv, json or jsonl\n"
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

static int
add_input(struct inputs *in, const char *path, size_t arg, int from_dir)
{
	if (in->n == in->cap) {
		size_t cap = in->cap ? in->cap * 2 : 64;
		struct input *v = realloc(in->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		in->v = v;
		in->cap = cap;
	}
	in->v[in->n].path = strdup(path);
	if (in->v[in->n].path == NULL)
		return -1;
	in->v[in->n].arg = arg;
	in->v[in->n].from_dir = from_dir;
	in->n++;
	return 0;
}

/*
 * walk - add every regular file under dir.  Symbolic links to directories
 * are not followed, so a link loop cannot make the walk endless.  Returns
 * -1 when out of memory; an unreadable directory is reported and counted
 * in *bad.
 */
static int
walk(struct inputs *in, const char *dir, size_t arg, int *bad)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL) {
		jt_warn("%s: cannot read directory: %s", dir, strerror(errno));
		*bad = 1;
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		char path[PATH_MAX];
		struct stat st, lst;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     de->d_name) >= sizeof(path)) {
			jt_warn("%s/%s: path too long, skipped", dir,
				de->d_name);
			*bad = 1;
			continue;
		}
		if (lstat(path, &lst) < 0 || stat(path, &st) < 0) {
			jt_warn("%s: %s", path, strerror(errno));
			*bad = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (!S_ISLNK(lst.st_mode) &&
			    walk(in, path, arg, bad) < 0) {
				closedir(d);
				return -1;
			}
		} else if (S_ISREG(st.st_mode)) {
			if (add_input(in, path, arg, 1) < 0) {
				closedir(d);
				return -1;
			}
		}
	}
	closedir(d);
	return 0;
}

static int
cmp_input(const void *a, const void *b)
{
	const struct input *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c != 0)
		return c;
	return x->arg < y->arg ? -1 : x->arg > y->arg;
}

/* ---- incident ids seen (open addressing, grows at half full) ---------- */

struct seen {
	char **slot;
	char **where; /* the path that brought the id */
	size_t cap, n;
};

static size_t
hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/*
 * seen_add - remember id from path; returns NULL if it is new, else the
 * path that had it first (borrowed), or (const char *)-1 out of memory.
 */
static const char *
seen_add(struct seen *s, const char *id, const char *path)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024, j;
		char **slot = calloc(cap, sizeof(*slot));
		char **where = calloc(cap, sizeof(*where));

		if (slot == NULL || where == NULL) {
			free(slot);
			free(where);
			return (const char *)-1;
		}
		for (j = 0; j < s->cap; j++) {
			if (s->slot[j] == NULL)
				continue;
			i = hash(s->slot[j]) & (cap - 1);
			while (slot[i] != NULL)
				i = (i + 1) & (cap - 1);
			slot[i] = s->slot[j];
			where[i] = s->where[j];
		}
		free(s->slot);
		free(s->where);
		s->slot = slot;
		s->where = where;
		s->cap = cap;
	}
	i = hash(id) & (s->cap - 1);
	while (s->slot[i] != NULL) {
		if (strcmp(s->slot[i], id) == 0)
			return s->where[i];
		i = (i + 1) & (s->cap - 1);
	}
	s->slot[i] = strdup(id);
	s->where[i] = strdup(path);
	if (s->slot[i] == NULL || s->where[i] == NULL) {
		free(s->slot[i]);
		free(s->where[i]);
		s->slot[i] = NULL;
		return (const char *)-1;
	}
	s->n++;
	return NULL;
}

static void
seen_free(struct seen *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++) {
		free(s->slot[i]);
		free(s->where[i]);
	}
	free(s->slot);
	free(s->where);
}

/* ---- rows ---------------------------------------------------------------- */

static const char *const cols[] = {
	"source",
	"incident_id",
	"date",
	"product",
	"os_version",
	"format",
	"partial",
	"page_size_bytes",
	"page_size_warning",
	"implausible",
	"pid",
	"name",
	"states",
	"reason",
	"kill_class",
	"rpages",
	"footprint_bytes",
	"lifetime_max_bytes",
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
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct jt_error err;
	int c, killed = 0, all = 0;
	char *end;

	jt_error_init(&err);
	memset(o, 0, sizeof(*o));
	o->fmt = JT_FORMAT_TABLE;
	while ((c = getopt_long(argc, argv, "f:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (jt_format_parse(optarg, &o->fmt, &err) < 0) {
				*status = jt_usage_error("%s", err.text);
				return -1;
			}
			break;
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
		case 'm':
			o->models_path = optarg;
			break;
		case 'h':
			usage(stdout);
			*status = JT_EXIT_OK;
			return -1;
		default:
			*status = jt_bad_option(argv);
			return -1;
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

/* collect - every input file in path order; -1 when out of memory. */
static int
collect(int argc, char **argv, struct inputs *in, int *bad)
{
	int i;

	for (i = optind; i < argc; i++) {
		struct stat st;
		size_t arg = (size_t)i;

		if (strcmp(argv[i], "-") == 0) {
			if (add_input(in, "-", arg, 0) < 0)
				return -1;
			continue;
		}
		if (stat(argv[i], &st) < 0) {
			jt_warn("%s: cannot open: %s", argv[i],
				strerror(errno));
			*bad = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			char *dir = strdup(argv[i]);
			size_t n = dir ? strlen(dir) : 0;
			int rc;

			if (dir == NULL)
				return -1;
			while (n > 1 && dir[n - 1] == '/')
				dir[--n] = '\0';
			rc = walk(in, dir, arg, bad);
			free(dir);
			if (rc < 0)
				return -1;
		} else if (add_input(in, argv[i], arg, 0) < 0) {
			return -1;
		}
	}
	if (in->n > 1)
		qsort(in->v, in->n, sizeof(*in->v), cmp_input);
	return 0;
}

int
jt_cmd_parse(int argc, char **argv)
{
	struct opts o;
	struct inputs in = {NULL, 0, 0};
	struct seen seen = {NULL, NULL, 0, 0};
	struct jt_models *models = NULL;
	struct jt_emitter *em = NULL;
	struct jt_error err;
	size_t i, *found = NULL;
	int status = JT_EXIT_OK, bad = 0, a;

	if (parse_opts(argc, argv, &o, &status) < 0)
		return status;
	jt_error_init(&err);
	models = jt_models_load(o.models_path, &err);
	if (models == NULL) {
		jt_warn_error(&err);
		return JT_EXIT_FAIL;
	}
	found = calloc((size_t)argc, sizeof(*found));
	if (found == NULL || collect(argc, argv, &in, &bad) < 0) {
		jt_warn("out of memory");
		status = JT_EXIT_FAIL;
		goto out;
	}
	em = jt_emitter_new(stdout, o.fmt, cols, NCOLS, &err);
	if (em == NULL) {
		jt_warn_error(&err);
		status = JT_EXIT_FAIL;
		goto out;
	}
	for (i = 0; i < in.n; i++) {
		struct jt_report *r;
		const char *first;

		jt_error_init(&err);
		r = jt_report_load(in.v[i].path, models, &err);
		if (r == NULL) {
			if (err.code == JT_ENOMEM) {
				jt_warn_error(&err);
				status = JT_EXIT_FAIL;
				goto out;
			}
			jt_warn_error(&err);
			if (!(in.v[i].from_dir && err.code == JT_ENOTJETSAM))
				bad = 1;
			continue;
		}
		found[in.v[i].arg]++;
		if (jt_error_isset(&err)) {
			/* Damaged but something was recovered: partial. */
			jt_warn_error(&err);
			bad = 1;
		}
		first = r->incident_id
			? seen_add(&seen, r->incident_id, in.v[i].path)
			: NULL;
		if (first == (const char *)-1) {
			jt_warn("out of memory");
			jt_report_free(r);
			status = JT_EXIT_FAIL;
			goto out;
		}
		if (first != NULL) {
			jt_warn("%s: incident %s already read from %s; skipped",
				in.v[i].path, r->incident_id, first);
			jt_report_free(r);
			continue;
		}
		jt_error_init(&err);
		if (emit_report(em, &o, r, &err) < 0) {
			jt_warn_error(&err);
			jt_report_free(r);
			status = JT_EXIT_FAIL;
			goto out;
		}
		jt_report_free(r);
	}
	for (a = optind; a < argc; a++) {
		struct stat st;

		if (found[a] == 0 && strcmp(argv[a], "-") != 0 &&
		    stat(argv[a], &st) == 0 && S_ISDIR(st.st_mode)) {
			jt_warn("%s: no JetsamEvent reports in this directory",
				argv[a]);
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
	for (i = 0; i < in.n; i++)
		free(in.v[i].path);
	free(in.v);
	free(found);
	seen_free(&seen);
	jt_models_free(models);
	return status;
}
