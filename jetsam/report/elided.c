/*
 * elided.c - JSON copies that are no longer JSON: cut with "..." lines or
 * hard-wrapped inside strings
 *
 * Copies of reports in books, docs and tickets are cut with bare "..."
 * lines.  This tolerant line scan still recovers product, build, pageSize,
 * the memory counts and every process block it can see; report.c marks the
 * report partial.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

struct kv {
	const char *k, *v;
	size_t kn, vn;
	int str; /* the value is a string (v without quotes) */
};

/* split_kv - a '"key" : value' line into kv; 0 if the line is not one. */
static int
split_kv(const struct jt_line *l, struct kv *kv)
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
 * try_process - 1 when the line may start a process object: it opens with
 * '{' (after the ',' of a compact copy), and is not the body's own brace.
 */
static int
try_process(const struct jt_line *l, enum where w, int opened)
{
	size_t i = 0;

	while (i < l->n &&
	       (l->s[i] == ',' || l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	return i < l->n && l->s[i] == '{' && (opened || w != TOP);
}

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

/* set_top - a top-level value of the report body (product, build...). */
static void
set_top(struct jt_parse *ps, const struct kv *kv)
{
	struct jt_report *r = ps->r;
	char **sp = NULL;
	int64_t *ip = NULL;

	if (kv_key(kv, "product"))
		sp = &r->product;
	else if (kv_key(kv, "build"))
		sp = &r->build;
	else if (kv_key(kv, "kernel"))
		sp = &r->kernel;
	else if (kv_key(kv, "date"))
		sp = &r->date;
	else if (kv_key(kv, "incident"))
		sp = &r->body_incident;
	else if (kv_key(kv, "crashReporterKey"))
		sp = &r->crash_reporter_key;
	else if (kv_key(kv, "largestProcess"))
		sp = &r->largest_process;
	else if (kv_key(kv, "bug_type"))
		sp = &r->body_bug_type;
	else if (kv_key(kv, "timeDelta"))
		ip = &r->time_delta_ms;
	else if (kv_key(kv, "genCounter"))
		ip = &r->gen_counter;
	if (sp)
		*sp = kv_str(ps, kv);
	if (ip)
		*ip = jt_text_int(kv->v, kv->vn);
}

/*
 * set_memory - a value of memoryStatus, or of its memoryPages when pages
 * is 1.
 */
static void
set_memory(struct jt_parse *ps, const struct kv *kv, int pages)
{
	static const struct {
		const char *k;
		size_t f;
		int pages;
	} f[] = {
		{"pageSize", JT_RS(page_size_stated), 0},
		{"compressorSize", JT_RS(compressor_pages), 0},
		{"compressions", JT_RS(compressions), 0},
		{"decompressions", JT_RS(decompressions), 0},
		{"uncompressed", JT_RS(uncompressed_pages), 0},
		{"zoneMapSize", JT_RS(zone_map_size_bytes), 0},
		{"zoneMapCap", JT_RS(zone_map_cap_bytes), 0},
		{"largestZoneSize", JT_RS(largest_zone_size_bytes), 0},
		{"active", JT_RS(active_pages), 1},
		{"inactive", JT_RS(inactive_pages), 1},
		{"free", JT_RS(free_pages), 1},
		{"speculative", JT_RS(speculative_pages), 1},
		{"throttled", JT_RS(throttled_pages), 1},
		{"wired", JT_RS(wired_pages), 1},
		{"fileBacked", JT_RS(file_backed_pages), 1},
		{"anonymous", JT_RS(anonymous_pages), 1},
		{"purgeable", JT_RS(purgeable_pages), 1},
	};
	struct jt_report *r = ps->r;
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		int64_t x;

		if (f[i].pages != pages || !kv_key(kv, f[i].k))
			continue;
		x = jt_text_int(kv->v, kv->vn);
		memcpy((char *)r + f[i].f, &x, sizeof(x));
		if (f[i].f == JT_RS(page_size_stated))
			jt_parse_page_size_raw(ps, kv->v, kv->vn);
	}
	if (!pages && kv_key(kv, "largestZone"))
		r->largest_zone = kv_str(ps, kv);
}

/* set_process - a value of the process being read. */
static void
set_process(struct jt_parse *ps, struct jt_process *cur, const struct kv *kv)
{
	char **sp = NULL;
	int64_t *ip = NULL;

	if (kv_key(kv, "name"))
		sp = &cur->name;
	else if (kv_key(kv, "uuid"))
		sp = &cur->uuid;
	else if (kv_key(kv, "reason"))
		sp = &cur->reason;
	else if (kv_key(kv, "freeze_skip_reason:"))
		sp = &cur->freeze_skip_reason;
	else if (kv_key(kv, "pid"))
		ip = &cur->pid;
	else if (kv_key(kv, "rpages"))
		ip = &cur->rpages;
	else if (kv_key(kv, "lifetimeMax"))
		ip = &cur->lifetime_max_pages;
	else if (kv_key(kv, "purgeable"))
		ip = &cur->purgeable_pages;
	else if (kv_key(kv, "priority"))
		ip = &cur->priority;
	else if (kv_key(kv, "fds"))
		ip = &cur->fds;
	else if (kv_key(kv, "coalition"))
		ip = &cur->coalition;
	else if (kv_key(kv, "age"))
		ip = &cur->age_ticks;
	else if (kv_key(kv, "idleDelta"))
		ip = &cur->idle_delta_ticks;
	else if (kv_key(kv, "killDelta"))
		ip = &cur->kill_delta_ticks;
	else if (kv_key(kv, "genCount"))
		ip = &cur->gen_count;
	else if (kv_key(kv, "csFlags"))
		ip = &cur->cs_flags;
	else if (kv_key(kv, "csTrustLevel"))
		ip = &cur->cs_trust_level;
	if (sp)
		*sp = kv_str(ps, kv);
	if (ip)
		*ip = jt_text_int(kv->v, kv->vn);
}

int
jt_elided_read(struct jt_parse *ps)
{
	struct jt_report *r = ps->r;
	struct jt_process cur;
	struct jt_line l;
	struct kv kv;
	size_t pos = 0, nstates = 0;
	char *states[16];
	enum where w = TOP, back = TOP;
	int nested = 0, have_cur = 0, opened = 0;

	r->format = JT_REPORT_ELIDED;
	jt_process_init(&cur);
	pos = scan_header(ps);
	while (jt_line_next(ps->buf, ps->len, &pos, &l)) {
		int opens, closes;

		if (l.n == 0 || jt_line_is_elision(&l))
			continue;
		if (try_process(&l, w, opened)) {
			/* A complete process object, wherever a cut left it. */
			size_t next;
			int got = jt_json_read_process(
				ps,
				(size_t)((const char *)memchr(l.s, '{', l.n) -
					 ps->buf),
				&next);

			if (got < 0)
				return -1;
			if (got > 0) {
				pos = next;
				w = PROCS;
				nested = 0;
				have_cur = 0;
				continue;
			}
		}
		if (w == TOP && l.s[0] == '{')
			opened = 1; /* the body's own brace */
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
		if (w == TOP)
			set_top(ps, &kv);
		else if (w == MSTATUS || w == MPAGES)
			set_memory(ps, &kv, w == MPAGES);
		else if (w == PROC) {
			have_cur = 1;
			set_process(ps, &cur, &kv);
		}
	}
	if (r->os_version == NULL)
		r->os_version = r->build;
	return r->product != NULL || r->nprocesses > 0 ? 0 : -1;
}
