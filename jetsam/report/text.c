/*
 * text.c - LowMemory text reports (bug_type 198, iOS 7/8)
 *
 * Read line by line.  The iOS 7 text has a column table with right-aligned
 * names cut to 16 characters; iOS 8 added "Page Size:" and a pipe-separated
 * header, and its names may contain spaces, so each row is read from its
 * <uuid> token: the name is what comes before it, the values what comes
 * after.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

static int
starts(const struct jt_line *l, const char *lit)
{
	size_t n = strlen(lit);

	return l->n >= n && memcmp(l->s, lit, n) == 0;
}

int
jt_looks_like_text(const char *buf, size_t len, size_t off)
{
	const char *s = buf + off;
	size_t n = len - off;

	return jt_find(s, n, "Largest process:", 16) != NULL ||
		(jt_find(s, n, "Free pages:", 11) != NULL &&
		 jt_find(s, n, "<UUID>", 6) != NULL);
}

/* ---- the text format ---------------------------------------------------- */

enum col {
	COL_SKIP,
	COL_RPAGES,
	COL_RECENT_MAX,
	COL_LIFETIME_MAX,
	COL_PURGEABLE,
	COL_FDS,
	COL_PID
};

#define MAX_COLS 16

static enum col
col_of(const char *s, size_t n)
{
	static const struct {
		const char *name;
		enum col c;
	} names[] = {
		{"rpages", COL_RPAGES},
		{"recent_max", COL_RECENT_MAX},
		{"lifetime_max", COL_LIFETIME_MAX},
		{"purgeable", COL_PURGEABLE},
		{"fds", COL_FDS},
		{"pid", COL_PID},
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n &&
		    memcmp(names[i].name, s, n) == 0)
			return names[i].c;
	return COL_SKIP;
}

/*
 * read_columns - the value columns named after "<UUID>" in a table
 * header: pipe-separated (iOS 8) or blank-separated (iOS 7).  "[reason]"
 * and "(state)" are not value columns.
 */
static size_t
read_columns(const struct jt_line *l, enum col *cols)
{
	const char *p = jt_find(l->s, l->n, "<UUID>", 6), *e = l->s + l->n;
	int pipes;
	size_t nc = 0;

	p += 6;
	pipes = memchr(p, '|', (size_t)(e - p)) != NULL;
	while (p < e && nc < MAX_COLS) {
		const char *t, *te;

		while (p < e && (*p == ' ' || *p == '|' || *p == '\t'))
			p++;
		if (p >= e)
			break;
		t = p;
		if (pipes) {
			while (p < e && *p != '|')
				p++;
		} else {
			while (p < e && *p != ' ' && *p != '\t')
				p++;
		}
		te = p;
		while (te > t && (te[-1] == ' ' || te[-1] == '\t'))
			te--;
		if (*t == '[' || *t == '(')
			continue;
		cols[nc++] = col_of(t, (size_t)(te - t));
	}
	return nc;
}

/* uuid_token - where a "<32 hex>" (dashes allowed) token starts, or NULL. */
static const char *
uuid_token(const struct jt_line *l, const char **after)
{
	const char *p = l->s, *e = l->s + l->n;

	while ((p = memchr(p, '<', (size_t)(e - p))) != NULL) {
		const char *q = p + 1;
		size_t hex = 0;

		while (q < e &&
		       (((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f') ||
			 (*q >= 'A' && *q <= 'F')) ||
			*q == '-')) {
			if (*q != '-')
				hex++;
			q++;
		}
		if (q < e && *q == '>' && hex == 32) {
			*after = q + 1;
			return p;
		}
		p++;
	}
	return NULL;
}

static int
read_row(struct jt_parse *ps, const struct jt_line *l, const enum col *cols,
	 size_t ncols)
{
	struct jt_process p;
	const char *after, *u = uuid_token(l, &after), *e = l->s + l->n;
	char *states[16];
	size_t nstates = 0, ci = 0;

	jt_process_init(&p);
	p.name = jt_parse_dup_trim(ps, l->s, (size_t)(u - l->s));
	p.uuid = jt_arena_strndup(ps->arena, u + 1, (size_t)(after - u - 2));
	if (p.name == NULL || p.uuid == NULL)
		return -1;
	while (after < e) {
		const char *t;
		size_t n;

		while (after < e && (*after == ' ' || *after == '\t'))
			after++;
		if (after >= e)
			break;
		t = after;
		if (*t == '[' || *t == '(') {
			char close = *t == '[' ? ']' : ')';
			const char *c = memchr(t, close, (size_t)(e - t));

			after = c ? c + 1 : e;
			n = (size_t)((c ? c : e) - t - 1);
			if (*t == '[') {
				p.reason =
					jt_arena_strndup(ps->arena, t + 1, n);
				if (p.reason == NULL)
					return -1;
			} else if (nstates < 16) {
				states[nstates] =
					jt_arena_strndup(ps->arena, t + 1, n);
				if (states[nstates++] == NULL)
					return -1;
			}
			continue;
		}
		while (after < e && *after != ' ' && *after != '\t')
			after++;
		n = (size_t)(after - t);
		if (ci < ncols) {
			switch (cols[ci]) {
			case COL_RPAGES:
				p.rpages = jt_text_int(t, n);
				break;
			case COL_RECENT_MAX:
				p.recent_max_pages = jt_text_int(t, n);
				break;
			case COL_LIFETIME_MAX:
				p.lifetime_max_pages = jt_text_int(t, n);
				break;
			case COL_PURGEABLE:
				p.purgeable_pages = jt_text_int(t, n);
				break;
			case COL_FDS:
				p.fds = jt_text_int(t, n);
				break;
			case COL_PID:
				p.pid = jt_text_int(t, n);
				break;
			case COL_SKIP:
				break;
			}
		}
		ci++;
	}
	if (jt_parse_set_states(ps, &p, states, nstates) < 0)
		return -1;
	return jt_parse_add_process(ps, &p);
}

struct label {
	const char *text;
	int kind; /* 0 string, 1 int */
	size_t field;
};

static const struct label labels[] = {
	{"Incident Identifier:", 0, JT_RS(body_incident)},
	{"CrashReporter Key:", 0, JT_RS(crash_reporter_key)},
	{"Hardware Model:", 0, JT_RS(product)},
	{"OS Version:", 0, JT_RS(build)},
	{"Kernel Version:", 0, JT_RS(kernel)},
	{"Date:", 0, JT_RS(date)},
	{"Largest process:", 0, JT_RS(largest_process)},
	{"Time since snapshot:", 1, JT_RS(time_delta_ms)},
	{"Page Size:", 1, JT_RS(page_size_stated)},
	{"Free pages:", 1, JT_RS(free_pages)},
	{"Active pages:", 1, JT_RS(active_pages)},
	{"Inactive pages:", 1, JT_RS(inactive_pages)},
	{"Speculative pages:", 1, JT_RS(speculative_pages)},
	{"Throttled pages:", 1, JT_RS(throttled_pages)},
	{"Purgeable pages:", 1, JT_RS(purgeable_pages)},
	{"Wired pages:", 1, JT_RS(wired_pages)},
	{"File-backed pages:", 1, JT_RS(file_backed_pages)},
	{"Anonymous pages:", 1, JT_RS(anonymous_pages)},
	{"Compressions:", 1, JT_RS(compressions)},
	{"Decompressions:", 1, JT_RS(decompressions)},
	{"Compressor Size:", 1, JT_RS(compressor_pages)},
	{"Uncompressed Pages in Compressor:", 1, JT_RS(uncompressed_pages)},
};

int
jt_text_read(struct jt_parse *ps, size_t off)
{
	struct jt_report *r = ps->r;
	struct jt_line l;
	size_t pos = off, i, ncols = 3;
	enum col cols[MAX_COLS] = {COL_RPAGES, COL_RECENT_MAX, COL_FDS};
	int in_table = 0;
	size_t first_cut = (size_t)-1;

	r->format = JT_REPORT_TEXT;
	while (jt_line_next(ps->buf, ps->len, &pos, &l)) {
		const char *after;

		if (jt_line_is_elision(&l)) {
			if (first_cut == (size_t)-1)
				first_cut = l.off;
			continue;
		}
		if (jt_find(l.s, l.n, "<UUID>", 6) != NULL) {
			ncols = read_columns(&l, cols);
			in_table = 1;
			continue;
		}
		if (uuid_token(&l, &after) != NULL) {
			if (read_row(ps, &l, cols, ncols) < 0)
				return jt_parse_oom(ps, l.off);
			continue;
		}
		if (in_table)
			continue;
		for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
			size_t n = strlen(labels[i].text);
			char *base = (char *)r + labels[i].field;

			if (!starts(&l, labels[i].text))
				continue;
			if (labels[i].kind == 0) {
				char *v =
					jt_parse_dup_trim(ps, l.s + n, l.n - n);

				if (v == NULL)
					return jt_parse_oom(ps, l.off);
				memcpy(base, &v, sizeof(v));
			} else {
				const char *v = l.s + n;
				size_t vn = l.n - n, w = 0;
				int64_t x;

				/* "56 ms": the number is the first word. */
				while (vn > 0 && (*v == ' ' || *v == '\t'))
					v++, vn--;
				while (w < vn && v[w] != ' ')
					w++;
				x = jt_text_int(v, w);
				memcpy(base, &x, sizeof(x));
				if (labels[i].field == JT_RS(page_size_stated))
					jt_parse_page_size_raw(ps, v, w);
			}
			break;
		}
	}
	if (r->os_version == NULL)
		r->os_version = r->build;
	if (r->bug_type == NULL)
		r->bug_type = jt_arena_strndup(ps->arena, "198", 3);
	if (r->nprocesses == 0 && r->product == NULL)
		return jt_parse_fail(ps, JT_ENOTJETSAM, off,
				     "not a JetsamEvent report (text without "
				     "a LowMemory process table)");
	if (first_cut != (size_t)-1)
		return jt_parse_fail(ps, JT_EPARSE, first_cut,
				     "elided copy ('...' line): the processes "
				     "cut out are missing");
	return 0;
}
