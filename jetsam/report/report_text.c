/*
 * report_text.c - LowMemory text reports (iOS 7/8) and elided JSON copies
 *
 * Both are read line by line.  The iOS 7 text has a column table with
 * right-aligned names cut to 16 characters; iOS 8 added "Page Size:" and a
 * pipe-separated header, and its names may contain spaces, so each row is
 * read from its <uuid> token: the name is what comes before it, the values
 * what comes after.  Copies of JSON reports in books and docs are cut with
 * bare "..." lines and are no longer JSON; the tolerant scan below still
 * recovers product, build, pageSize, the memory counts and every process
 * block it can see, and the report is marked partial.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_private.h"

const char *
jt_find(const char *h, size_t hn, const char *needle, size_t n)
{
	const char *p = h, *end = h + hn;

	if (n == 0 || hn < n)
		return NULL;
	while ((p = memchr(p, needle[0], (size_t)(end - p))) != NULL) {
		if ((size_t)(end - p) < n)
			return NULL;
		if (memcmp(p, needle, n) == 0)
			return p;
		p++;
	}
	return NULL;
}

struct line {
	const char *s; /* trimmed */
	size_t n;
	size_t off; /* offset of the untrimmed line in the buffer */
};

/* next_line - the line at *pos, trimmed of blanks and CR; 0 at the end. */
static int
next_line(const char *buf, size_t len, size_t *pos, struct line *l)
{
	const char *s, *e, *nl;

	if (*pos >= len)
		return 0;
	s = buf + *pos;
	nl = memchr(s, '\n', len - *pos);
	e = nl ? nl : buf + len;
	l->off = *pos;
	*pos = nl ? (size_t)(nl - buf) + 1 : len;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	l->s = s;
	l->n = (size_t)(e - s);
	return 1;
}

static int
starts(const struct line *l, const char *lit)
{
	size_t n = strlen(lit);

	return l->n >= n && memcmp(l->s, lit, n) == 0;
}

static int
is_elision(const struct line *l)
{
	return (l->n == 3 && memcmp(l->s, "...", 3) == 0) ||
		(l->n == 1 && l->s[0] == '.') ||
		(l->n == 3 && memcmp(l->s, "\xe2\x80\xa6", 3) == 0);
}

static char *
dup_trim(struct jt_parse *ps, const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return jt_arena_strndup(ps->arena, s, n);
}

/* to_int - a whole number from s[0..n), or -1 ("-" and junk included). */
static int64_t
to_int(const char *s, size_t n)
{
	int64_t v = 0;
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n)
		return -1;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
		i++;
	return i == n ? v : -1;
}

static double
to_double(const char *s, size_t n)
{
	char tmp[64];
	char *end;
	double d;

	if (n == 0 || n >= sizeof(tmp))
		return -1.0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	d = strtod(tmp, &end);
	return *end == '\0' ? d : -1.0;
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
	COL_CPU,
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
		{"CPU Time", COL_CPU},
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
read_columns(const struct line *l, enum col *cols)
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
uuid_token(const struct line *l, const char **after)
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
read_row(struct jt_parse *ps, const struct line *l, const enum col *cols,
	 size_t ncols)
{
	struct jt_process p;
	const char *after, *u = uuid_token(l, &after), *e = l->s + l->n;
	char *states[16];
	size_t nstates = 0, ci = 0;

	jt_process_init(&p);
	p.name = dup_trim(ps, l->s, (size_t)(u - l->s));
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
				p.rpages = to_int(t, n);
				break;
			case COL_RECENT_MAX:
				p.recent_max_pages = to_int(t, n);
				break;
			case COL_LIFETIME_MAX:
				p.lifetime_max_pages = to_int(t, n);
				break;
			case COL_PURGEABLE:
				p.purgeable_pages = to_int(t, n);
				break;
			case COL_FDS:
				p.fds = to_int(t, n);
				break;
			case COL_CPU:
				p.cpu_time_s = to_double(t, n);
				break;
			case COL_PID:
				p.pid = to_int(t, n);
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

#define RS(f) offsetof(struct jt_report, f)

static const struct label labels[] = {
	{"Incident Identifier:", 0, RS(body_incident)},
	{"CrashReporter Key:", 0, RS(crash_reporter_key)},
	{"Hardware Model:", 0, RS(product)},
	{"OS Version:", 0, RS(build)},
	{"Kernel Version:", 0, RS(kernel)},
	{"Date:", 0, RS(date)},
	{"Largest process:", 0, RS(largest_process)},
	{"Time since snapshot:", 1, RS(time_delta_ms)},
	{"Page Size:", 1, RS(page_size_stated)},
	{"Free pages:", 1, RS(free_pages)},
	{"Active pages:", 1, RS(active_pages)},
	{"Inactive pages:", 1, RS(inactive_pages)},
	{"Speculative pages:", 1, RS(speculative_pages)},
	{"Throttled pages:", 1, RS(throttled_pages)},
	{"Purgeable pages:", 1, RS(purgeable_pages)},
	{"Wired pages:", 1, RS(wired_pages)},
	{"File-backed pages:", 1, RS(file_backed_pages)},
	{"Anonymous pages:", 1, RS(anonymous_pages)},
	{"Compressions:", 1, RS(compressions)},
	{"Decompressions:", 1, RS(decompressions)},
	{"Compressor Size:", 1, RS(compressor_pages)},
	{"Uncompressed Pages in Compressor:", 1, RS(uncompressed_pages)},
};

int
jt_report_parse_text(struct jt_parse *ps, size_t off)
{
	struct jt_report *r = ps->r;
	struct line l;
	size_t pos = off, i, ncols = 3;
	enum col cols[MAX_COLS] = {COL_RPAGES, COL_RECENT_MAX, COL_FDS};
	int in_table = 0;
	size_t first_cut = (size_t)-1;

	r->format = JT_REPORT_TEXT;
	while (next_line(ps->buf, ps->len, &pos, &l)) {
		const char *after;

		if (is_elision(&l)) {
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
				return jt_parse_fail(ps, JT_ENOMEM, l.off,
						     "out of memory");
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
				char *v = dup_trim(ps, l.s + n, l.n - n);

				if (v == NULL)
					return jt_parse_fail(ps, JT_ENOMEM,
							     l.off,
							     "out of memory");
				memcpy(base, &v, sizeof(v));
			} else {
				const char *v = l.s + n;
				size_t vn = l.n - n;
				int64_t x;

				/* "56 ms": the number is the first word. */
				while (vn > 0 && (*v == ' ' || *v == '\t'))
					v++, vn--;
				for (i = 0; i < vn && v[i] != ' '; i++)
					;
				x = to_int(v, i);
				memcpy(base, &x, sizeof(x));
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

/* ---- elided JSON copies ------------------------------------------------- */

struct kv {
	const char *k, *v;
	size_t kn, vn;
	int str; /* the value is a string (v without quotes) */
};

/* split_kv - a '"key" : value' line into kv; 0 if the line is not one. */
static int
split_kv(const struct line *l, struct kv *kv)
{
	const char *p = l->s, *e = l->s + l->n;

	if (p >= e || *p != '"')
		return 0;
	kv->k = ++p;
	while (p < e && *p != '"')
		p += *p == '\\' ? 2 : 1;
	if (p >= e)
		return 0;
	kv->kn = (size_t)(p - kv->k);
	p++;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= e || *p != ':')
		return 0;
	p++;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (e > p && e[-1] == ',')
		e--;
	kv->str = p < e && *p == '"';
	if (kv->str) {
		p++;
		if (e > p && e[-1] == '"')
			e--;
	}
	kv->v = p;
	kv->vn = (size_t)(e - p);
	return 1;
}

static int
kv_key(const struct kv *kv, const char *lit)
{
	return strlen(lit) == kv->kn && memcmp(kv->k, lit, kv->kn) == 0;
}

/* kv_str - the value as a new string, with \/ and \" undone. */
static char *
kv_str(struct jt_parse *ps, const struct kv *kv)
{
	char *out = jt_arena_alloc(ps->arena, kv->vn + 1), *o = out;
	size_t i;

	if (out == NULL)
		return NULL;
	for (i = 0; i < kv->vn; i++) {
		if (kv->v[i] == '\\' && i + 1 < kv->vn)
			i++;
		*o++ = kv->v[i];
	}
	*o = '\0';
	return out;
}

enum where { TOP, MSTATUS, MPAGES, PROCS, PROC, STATES, NESTED };

/*
 * scan_header - the header's fields when the copy starts with one (even
 * one broken over lines); returns the offset where the body starts.
 */
static size_t
scan_header(struct jt_parse *ps)
{
	static const char *const keys[] = {"bug_type", "timestamp",
					   "os_version", "incident_id"};
	char **dst[4];
	const char *s = ps->buf, *e = ps->buf + ps->len, *close, *nl;
	size_t i;

	dst[0] = &ps->r->bug_type;
	dst[1] = &ps->r->timestamp;
	dst[2] = &ps->r->os_version;
	dst[3] = &ps->r->incident_id;
	while (s < e && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'))
		s++;
	if (s >= e || *s != '{')
		return 0;
	close = memchr(s, '}', (size_t)(e - s));
	nl = memchr(s, '\n', (size_t)(e - s));
	/* A header is a flat object: no '{' before its '}'. */
	if (close == NULL ||
	    jt_find(s, (size_t)(close - s), "bug_type", 8) == NULL ||
	    memchr(s + 1, '{', (size_t)(close - s - 1)) != NULL)
		return 0;
	(void)nl;
	for (i = 0; i < 4; i++) {
		const char *h = jt_find(s, (size_t)(close - s), keys[i],
					strlen(keys[i]));
		const char *q;
		char *v, *o;

		if (h == NULL || h[-1] != '"')
			continue;
		h += strlen(keys[i]) + 1;
		while (h < close &&
		       (*h == ' ' || *h == ':' || *h == '\n' || *h == '\r' ||
			*h == '\t'))
			h++;
		if (h >= close || *h != '"')
			continue;
		h++;
		q = memchr(h, '"', (size_t)(close - h));
		if (q == NULL)
			continue;
		/* Drop line breaks a hard-wrapped copy put inside values. */
		v = jt_arena_alloc(ps->arena, (size_t)(q - h) + 1);
		if (v == NULL)
			return 0;
		for (o = v; h < q; h++)
			if (*h != '\n' && *h != '\r')
				*o++ = *h;
		*o = '\0';
		*dst[i] = v;
	}
	nl = memchr(close, '\n', (size_t)(e - close));
	return nl ? (size_t)(nl - ps->buf) + 1 : ps->len;
}

int
jt_report_scan_elided(struct jt_parse *ps)
{
	struct jt_report *r = ps->r;
	struct jt_process cur;
	struct line l;
	struct kv kv;
	size_t pos = 0, nstates = 0;
	char *states[16];
	enum where w = TOP, back = TOP;
	int nested = 0, have_cur = 0;

	r->format = JT_REPORT_ELIDED;
	jt_process_init(&cur);
	pos = scan_header(ps);
	while (next_line(ps->buf, ps->len, &pos, &l)) {
		int opens, closes;

		if (l.n == 0 || is_elision(&l))
			continue;
		opens = l.s[l.n - 1] == '{' || l.s[l.n - 1] == '[';
		closes = l.s[0] == '}' || l.s[0] == ']';
		if (w == NESTED) {
			if (opens)
				nested++;
			else if (closes && --nested == 0)
				w = back;
			continue;
		}
		if (w == STATES) {
			if (closes) {
				w = PROC;
			} else if (l.s[0] == '"' && nstates < 16) {
				const char *e = memchr(l.s + 1, '"', l.n - 1);

				if (e != NULL)
					states[nstates++] = jt_arena_strndup(
						ps->arena, l.s + 1,
						(size_t)(e - l.s - 1));
			}
			continue;
		}
		if (closes && !split_kv(&l, &kv)) {
			if (w == PROC) {
				if (have_cur) {
					if (jt_parse_set_states(ps, &cur,
								states,
								nstates) < 0 ||
					    jt_parse_add_process(ps, &cur) < 0)
						return -1;
				}
				w = PROCS;
			} else if (w == MPAGES) {
				w = MSTATUS;
			} else if (w == MSTATUS || w == PROCS) {
				w = TOP;
			}
			continue;
		}
		if (l.n == 1 && l.s[0] == '{') {
			if (w == PROCS || w == PROC) {
				/* A new process (a cut may hide the '}'). */
				jt_process_init(&cur);
				nstates = 0;
				have_cur = 0;
				w = PROC;
			}
			continue;
		}
		if (!split_kv(&l, &kv))
			continue;
		if (opens && !kv.str) {
			if (w == TOP && kv_key(&kv, "memoryStatus"))
				w = MSTATUS;
			else if (w == MSTATUS && kv_key(&kv, "memoryPages"))
				w = MPAGES;
			else if (w == TOP && kv_key(&kv, "processes"))
				w = PROCS;
			else if (w == PROC && kv_key(&kv, "states"))
				w = STATES;
			else
				back = w, w = NESTED, nested = 1;
			continue;
		}
		if (w == TOP) {
			char **sp = NULL;
			int64_t *ip = NULL;

			if (kv_key(&kv, "product"))
				sp = &r->product;
			else if (kv_key(&kv, "build"))
				sp = &r->build;
			else if (kv_key(&kv, "kernel"))
				sp = &r->kernel;
			else if (kv_key(&kv, "date"))
				sp = &r->date;
			else if (kv_key(&kv, "incident"))
				sp = &r->body_incident;
			else if (kv_key(&kv, "crashReporterKey"))
				sp = &r->crash_reporter_key;
			else if (kv_key(&kv, "largestProcess"))
				sp = &r->largest_process;
			else if (kv_key(&kv, "bug_type"))
				sp = &r->body_bug_type;
			else if (kv_key(&kv, "timeDelta"))
				ip = &r->time_delta_ms;
			else if (kv_key(&kv, "genCounter"))
				ip = &r->gen_counter;
			if (sp)
				*sp = kv_str(ps, &kv);
			if (ip)
				*ip = to_int(kv.v, kv.vn);
		} else if (w == MSTATUS || w == MPAGES) {
			static const struct {
				const char *k;
				size_t f;
				int pages;
			} f[] = {
				{"pageSize", RS(page_size_stated), 0},
				{"compressorSize", RS(compressor_pages), 0},
				{"compressions", RS(compressions), 0},
				{"decompressions", RS(decompressions), 0},
				{"uncompressed", RS(uncompressed_pages), 0},
				{"zoneMapSize", RS(zone_map_size_bytes), 0},
				{"zoneMapCap", RS(zone_map_cap_bytes), 0},
				{"largestZoneSize", RS(largest_zone_size_bytes),
				 0},
				{"active", RS(active_pages), 1},
				{"inactive", RS(inactive_pages), 1},
				{"free", RS(free_pages), 1},
				{"speculative", RS(speculative_pages), 1},
				{"throttled", RS(throttled_pages), 1},
				{"wired", RS(wired_pages), 1},
				{"fileBacked", RS(file_backed_pages), 1},
				{"anonymous", RS(anonymous_pages), 1},
				{"purgeable", RS(purgeable_pages), 1},
			};
			size_t i;

			for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
				if (f[i].pages != (w == MPAGES) ||
				    !kv_key(&kv, f[i].k))
					continue;
				int64_t x = to_int(kv.v, kv.vn);

				memcpy((char *)r + f[i].f, &x, sizeof(x));
			}
			if (w == MSTATUS && kv_key(&kv, "largestZone"))
				r->largest_zone = kv_str(ps, &kv);
		} else if (w == PROC) {
			char **sp = NULL;
			int64_t *ip = NULL;

			have_cur = 1;
			if (kv_key(&kv, "name"))
				sp = &cur.name;
			else if (kv_key(&kv, "uuid"))
				sp = &cur.uuid;
			else if (kv_key(&kv, "reason"))
				sp = &cur.reason;
			else if (kv_key(&kv, "freeze_skip_reason:"))
				sp = &cur.freeze_skip_reason;
			else if (kv_key(&kv, "pid"))
				ip = &cur.pid;
			else if (kv_key(&kv, "rpages"))
				ip = &cur.rpages;
			else if (kv_key(&kv, "lifetimeMax"))
				ip = &cur.lifetime_max_pages;
			else if (kv_key(&kv, "purgeable"))
				ip = &cur.purgeable_pages;
			else if (kv_key(&kv, "priority"))
				ip = &cur.priority;
			else if (kv_key(&kv, "fds"))
				ip = &cur.fds;
			else if (kv_key(&kv, "coalition"))
				ip = &cur.coalition;
			else if (kv_key(&kv, "age"))
				ip = &cur.age_ticks;
			else if (kv_key(&kv, "idleDelta"))
				ip = &cur.idle_delta_ticks;
			else if (kv_key(&kv, "killDelta"))
				ip = &cur.kill_delta_ticks;
			else if (kv_key(&kv, "genCount"))
				ip = &cur.gen_count;
			else if (kv_key(&kv, "csFlags"))
				ip = &cur.cs_flags;
			else if (kv_key(&kv, "csTrustLevel"))
				ip = &cur.cs_trust_level;
			else if (kv_key(&kv, "cpuTime"))
				cur.cpu_time_s = to_double(kv.v, kv.vn);
			if (sp)
				*sp = kv_str(ps, &kv);
			if (ip)
				*ip = to_int(kv.v, kv.vn);
		}
	}
	if (r->os_version == NULL)
		r->os_version = r->build;
	return r->product != NULL || r->nprocesses > 0 ? 0 : -1;
}
