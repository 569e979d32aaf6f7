/*
 * report.c - JetsamEvent reports: the public API and the dispatch
 *
 * Reports are recognised by content, never by file name: a body that opens
 * with '{' goes to the JSON reader (json.c), LowMemory text to text.c, and
 * a JSON copy cut with "..." or hard-wrapped, which is no longer JSON, to
 * the line scan of elided.c.  Whatever was read is then judged once, by
 * check.c.  See report_private.h for how the files depend on each other.
 */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jetsam/core/fileio.h"
#include "report_private.h"

/* ---- finishing a report ------------------------------------------------- */

static int
finish(struct jt_report *r, const struct jt_models *models, struct jt_arena *a)
{
	if (r->incident_id == NULL)
		r->incident_id = r->body_incident;
	if (r->os_version == NULL)
		r->os_version = r->build;
	if (r->bug_type == NULL && r->format != JT_REPORT_TEXT)
		/* A header-less body: its keys already said JetsamEvent. */
		r->bug_type = r->body_bug_type ? r->body_bug_type
					       : jt_arena_strndup(a, "298", 3);
	return jt_report_check(r, models, a);
}

static struct jt_report *
report_new(const char *source, struct jt_arena **ap)
{
	struct jt_report *r = calloc(1, sizeof(*r));
	struct jt_arena *a = jt_arena_new();

	if (r == NULL || a == NULL) {
		free(r);
		jt_arena_free(a);
		return NULL;
	}
	r->arena_ = a;
	r->source = jt_arena_strndup(a, source, strlen(source));
	r->format = JT_REPORT_JSON;
	r->page_size_stated = r->page_size_bytes = -1;
	r->compressor_pages = r->time_delta_ms = r->gen_counter = -1;
	r->compressions = r->decompressions = r->uncompressed_pages = -1;
	r->zone_map_size_bytes = r->zone_map_cap_bytes = -1;
	r->largest_zone_size_bytes = -1;
	r->active_pages = r->inactive_pages = r->free_pages = -1;
	r->speculative_pages = r->throttled_pages = r->wired_pages = -1;
	r->file_backed_pages = r->anonymous_pages = r->purgeable_pages = -1;
	r->ram_bytes = r->counted_bytes = -1;
	*ap = a;
	return r;
}

void
jt_report_free(struct jt_report *r)
{
	if (r == NULL)
		return;
	free(r->processes);
	free(r->kills);
	jt_arena_free(r->arena_);
	free(r);
}

/* position - 1-based line and column of byte offset off. */
static void
position(const char *buf, size_t len, size_t off, long *line, long *col)
{
	const char *p = buf, *end = buf + (off < len ? off : len), *nl;

	*line = 1;
	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		(*line)++;
		p = nl + 1;
	}
	*col = (long)(end - p) + 1;
}

/* looks_binary - 1 when the first bytes are not UTF-8 text. */
static int
looks_binary(const char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t i, n = len < 512 ? len : 512;

	for (i = 0; i < n; i++) {
		if (p[i] == 0x7f ||
		    (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' &&
		     p[i] != '\t'))
			return 1;
		if (p[i] >= 0x80) {
			size_t k = 1;

			if (p[i] >= 0xc2 && p[i] <= 0xdf)
				k = 2;
			else if (p[i] >= 0xe0 && p[i] <= 0xef)
				k = 3;
			else if (p[i] >= 0xf0 && p[i] <= 0xf4)
				k = 4;
			else
				return 1;
			if (i + k > len)
				return i + k <= n;
			while (--k > 0)
				if ((p[++i] & 0xc0) != 0x80)
					return 1;
		}
	}
	return 0;
}

/*
 * pasted_json - where a report pasted after some prose (a ticket, a chat)
 * starts: the first line that opens with '{' and is followed closely by
 * "bug_type" or "memoryStatus".  Returns start unchanged if none.
 */
static size_t
pasted_json(const char *buf, size_t len, size_t start)
{
	const char *p = buf + start, *end = buf + len;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		const char *q = ++p;
		size_t n;

		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q >= end || *q != '{')
			continue;
		n = (size_t)(end - q) < 4096 ? (size_t)(end - q) : 4096;
		if (jt_find(q, n, "\"bug_type\"", 10) != NULL ||
		    jt_find(q, n, "\"memoryStatus\"", 14) != NULL)
			return (size_t)(q - buf);
	}
	return start;
}

static void
set_error(const struct jt_parse *ps, const char *source, const char *buf,
	  size_t len, const char *suffix, struct jt_error *err)
{
	long line, col;

	position(buf, len, ps->err_off, &line, &col);
	jt_error_set(err, ps->code, source, line, col, "%s%s", ps->msg, suffix);
}

struct jt_report *
jt_report_parse(const char *buf, size_t len, const char *source,
		const struct jt_models *models, struct jt_error *err)
{
	struct jt_parse ps;
	struct jt_report *r;
	struct jt_arena *a;
	const char *nul;
	size_t start = 0;
	int rc;

	if (source == NULL)
		source = "-";
	if (buf == NULL || len == 0) {
		jt_error_set_in(err, JT_EPARSE, source, "empty file");
		return NULL;
	}
	if ((nul = memchr(buf, '\0', len)) != NULL) {
		long line, col;

		position(buf, len, (size_t)(nul - buf), &line, &col);
		jt_error_set(err, JT_EPARSE, source, line, col,
			     "binary data (a NUL byte), not a report");
		return NULL;
	}
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		start = 3;
	while (start < len &&
	       (buf[start] == ' ' || buf[start] == '\n' || buf[start] == '\r' ||
		buf[start] == '\t'))
		start++;
	if (start == len) {
		jt_error_set_in(err, JT_EPARSE, source,
				"empty file (blank space only)");
		return NULL;
	}
	r = report_new(source, &a);
	if (r == NULL) {
		jt_error_oom(err, source);
		return NULL;
	}
	memset(&ps, 0, sizeof(ps));
	ps.buf = buf;
	ps.len = len;
	ps.source = source;
	ps.r = r;
	ps.arena = a;
	if (buf[start] != '{' && !jt_looks_like_text(buf, len, start))
		start = pasted_json(buf, len, start);
	if (buf[start] == '{') {
		struct jt_parse sub = ps;
		size_t text_off = 0;

		sub.buf = buf + start;
		sub.len = len - start;
		rc = jt_json_read(&sub, &text_off);
		ps = sub;
		ps.err_off += start;
		ps.buf = buf;
		ps.len = len;
		if (rc == JT_JSON_TEXT_FOLLOWS) {
			/* A bug_type 198 header over a LowMemory text. */
			r->format = JT_REPORT_TEXT;
			rc = jt_text_read(&ps, start + text_off);
		}
	} else if (jt_looks_like_text(buf, len, start)) {
		rc = jt_text_read(&ps, start);
	} else if (looks_binary(buf + start, len - start)) {
		jt_report_free(r);
		jt_error_set_in(err, JT_EPARSE, source,
				"binary data, not a report");
		return NULL;
	} else {
		jt_report_free(r);
		jt_error_set_in(err, JT_ENOTJETSAM, source,
				"not a JetsamEvent report (neither JSON nor "
				"LowMemory text)");
		return NULL;
	}
	if (rc == 0 && !ps.failed) {
		if (finish(r, models, a) < 0)
			goto oom;
		return r;
	}
	if (ps.code == JT_ENOTJETSAM || ps.code == JT_ENOMEM) {
		set_error(&ps, source, buf, len, "", err);
		jt_report_free(r);
		return NULL;
	}
	if (r->format == JT_REPORT_JSON && ps.code == JT_EPARSE &&
	    (ps.wrapped || jt_has_elision(buf, len))) {
		/* A copy cut with "..." lines: scan it line by line. */
		struct jt_arena *a2;
		struct jt_report *r2 = report_new(source, &a2);
		struct jt_parse ls;

		if (r2 == NULL)
			goto oom;
		memset(&ls, 0, sizeof(ls));
		ls.buf = buf;
		ls.len = len;
		ls.source = source;
		ls.r = r2;
		ls.arena = a2;
		if (jt_elided_read(&ls) == 0) {
			jt_report_free(r);
			r = r2;
			a = a2;
			snprintf(ps.msg, sizeof(ps.msg), "%s",
				 ps.wrapped ? "line break inside a string "
					      "(hard-wrapped copy): recovered "
					      "by line scan"
					    : "elided copy ('...' where JSON "
					      "continues): recovered by line "
					      "scan");
			set_error(&ps, source, buf, len, "", err);
		} else {
			jt_report_free(r2);
		}
	}
	if (r->product == NULL && r->nprocesses == 0) {
		set_error(&ps, source, buf, len, "", err);
		jt_report_free(r);
		return NULL;
	}
	set_error(&ps, source, buf, len, "", err);
	r->partial = 1;
	r->error_text = jt_arena_strndup(a, ps.msg, strlen(ps.msg));
	if (finish(r, models, a) < 0)
		goto oom;
	return r;
oom:
	jt_report_free(r);
	jt_error_oom(err, source);
	return NULL;
}

struct jt_report *
jt_report_load(const char *path, const struct jt_models *models,
	       struct jt_error *err)
{
	char *buf;
	size_t len;
	struct jt_report *r;

	if (jt_read_file(path, JT_REPORT_MAX_BYTES, &buf, &len, err) < 0)
		return NULL;
	r = jt_report_parse(buf, len, strcmp(path, "-") == 0 ? "<stdin>" : path,
			    models, err);
	free(buf);
	return r;
}

const char *
jt_report_format_name(enum jt_report_format f)
{
	switch (f) {
	case JT_REPORT_JSON:
		return "json";
	case JT_REPORT_TEXT:
		return "text";
	case JT_REPORT_ELIDED:
		break;
	}
	return "elided";
}

const char *
jt_report_os_number(const char *os_version, char *buf, size_t len)
{
	const char *p;

	if (os_version == NULL || len == 0)
		return NULL;
	for (p = os_version; *p != '\0'; p++) {
		size_t n = 0;

		if (*p < '0' || *p > '9' || (p > os_version && p[-1] != ' '))
			continue;
		while ((p[n] >= '0' && p[n] <= '9') || p[n] == '.')
			n++;
		while (n > 0 && p[n - 1] == '.')
			n--;
		if (n + 1 > len)
			return NULL;
		memcpy(buf, p, n);
		buf[n] = '\0';
		return buf;
	}
	return NULL;
}

/* ---- JSON view ---------------------------------------------------------- */

static json_t *
jint(int64_t v)
{
	return v < 0 ? json_null() : json_integer((json_int_t)v);
}

static json_t *
jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
process_json(const struct jt_process *p)
{
	json_t *o = json_object(), *st = json_array(), *phys = json_array();
	size_t i;

	for (i = 0; i < p->nstates; i++)
		json_array_append_new(st, json_string(p->states[i]));
	for (i = 0; i < 2; i++)
		json_array_append_new(phys,
				      jint(p->physical_internal_pages[i]));
	json_object_set_new(o, "pid", jint(p->pid));
	json_object_set_new(o, "name", jstr(p->name));
	json_object_set_new(o, "uuid", jstr(p->uuid));
	json_object_set_new(o, "states", st);
	json_object_set_new(o, "frontmost", json_boolean(p->frontmost));
	json_object_set_new(o, "rpages", jint(p->rpages));
	json_object_set_new(o, "lifetime_max_pages",
			    jint(p->lifetime_max_pages));
	json_object_set_new(o, "recent_max_pages", jint(p->recent_max_pages));
	json_object_set_new(o, "purgeable_pages", jint(p->purgeable_pages));
	json_object_set_new(o, "priority", jint(p->priority));
	json_object_set_new(o, "fds", jint(p->fds));
	json_object_set_new(o, "coalition", jint(p->coalition));
	json_object_set_new(o, "age_ticks", jint(p->age_ticks));
	json_object_set_new(o, "idle_delta_ticks", jint(p->idle_delta_ticks));
	json_object_set_new(o, "kill_delta_ticks", jint(p->kill_delta_ticks));
	json_object_set_new(o, "gen_count", jint(p->gen_count));
	json_object_set_new(o, "cpu_time_s",
			    p->cpu_time_s < 0 ? json_null()
					      : json_real(p->cpu_time_s));
	json_object_set_new(o, "reason", jstr(p->reason));
	json_object_set_new(o, "freeze_skip_reason",
			    jstr(p->freeze_skip_reason));
	json_object_set_new(o, "cs_flags", jint(p->cs_flags));
	json_object_set_new(o, "cs_trust_level", jint(p->cs_trust_level));
	json_object_set_new(o, "mem_regions", jint(p->mem_regions));
	json_object_set_new(o, "physical_internal_pages", phys);
	json_object_set_new(o, "frozen_to_swap_pages",
			    jint(p->frozen_to_swap_pages));
	return o;
}

json_t *
jt_report_to_json(const struct jt_report *r)
{
	json_t *o = json_object(), *mem = json_object(), *pg = json_object();
	json_t *procs = json_array(), *kills = json_array();
	size_t i;

	if (o == NULL || mem == NULL || pg == NULL || procs == NULL ||
	    kills == NULL) {
		json_decref(o);
		json_decref(mem);
		json_decref(pg);
		json_decref(procs);
		json_decref(kills);
		return NULL;
	}
	json_object_set_new(o, "source", jstr(r->source));
	json_object_set_new(o, "format",
			    json_string(jt_report_format_name(r->format)));
	json_object_set_new(o, "partial", json_boolean(r->partial));
	json_object_set_new(o, "error", jstr(r->error_text));
	json_object_set_new(o, "bug_type", jstr(r->bug_type));
	json_object_set_new(o, "body_bug_type", jstr(r->body_bug_type));
	json_object_set_new(o, "timestamp", jstr(r->timestamp));
	json_object_set_new(o, "os_version", jstr(r->os_version));
	json_object_set_new(o, "incident_id", jstr(r->incident_id));
	json_object_set_new(o, "product", jstr(r->product));
	json_object_set_new(o, "build", jstr(r->build));
	json_object_set_new(o, "kernel", jstr(r->kernel));
	json_object_set_new(o, "date", jstr(r->date));
	json_object_set_new(o, "crash_reporter_key",
			    jstr(r->crash_reporter_key));
	json_object_set_new(o, "largest_process", jstr(r->largest_process));
	json_object_set_new(o, "time_delta_ms", jint(r->time_delta_ms));
	json_object_set_new(o, "gen_counter", jint(r->gen_counter));

	json_object_set_new(mem, "page_size_stated", jint(r->page_size_stated));
	json_object_set_new(mem, "page_size_bytes", jint(r->page_size_bytes));
	json_object_set_new(mem, "page_size_warning",
			    jstr(r->page_size_warning));
	json_object_set_new(mem, "ram_bytes", jint(r->ram_bytes));
	json_object_set_new(mem, "counted_bytes", jint(r->counted_bytes));
	json_object_set_new(mem, "compressor_pages", jint(r->compressor_pages));
	json_object_set_new(mem, "compressions", jint(r->compressions));
	json_object_set_new(mem, "decompressions", jint(r->decompressions));
	json_object_set_new(mem, "uncompressed_pages",
			    jint(r->uncompressed_pages));
	json_object_set_new(mem, "zone_map_size_bytes",
			    jint(r->zone_map_size_bytes));
	json_object_set_new(mem, "zone_map_cap_bytes",
			    jint(r->zone_map_cap_bytes));
	json_object_set_new(mem, "largest_zone", jstr(r->largest_zone));
	json_object_set_new(mem, "largest_zone_size_bytes",
			    jint(r->largest_zone_size_bytes));
	json_object_set_new(pg, "active", jint(r->active_pages));
	json_object_set_new(pg, "inactive", jint(r->inactive_pages));
	json_object_set_new(pg, "free", jint(r->free_pages));
	json_object_set_new(pg, "speculative", jint(r->speculative_pages));
	json_object_set_new(pg, "throttled", jint(r->throttled_pages));
	json_object_set_new(pg, "wired", jint(r->wired_pages));
	json_object_set_new(pg, "file_backed", jint(r->file_backed_pages));
	json_object_set_new(pg, "anonymous", jint(r->anonymous_pages));
	json_object_set_new(pg, "purgeable", jint(r->purgeable_pages));
	json_object_set_new(mem, "pages", pg);
	json_object_set_new(o, "memory", mem);

	for (i = 0; i < r->nprocesses; i++)
		json_array_append_new(procs, process_json(&r->processes[i]));
	json_object_set_new(o, "processes", procs);
	for (i = 0; i < r->nkills; i++) {
		const struct jt_kill *k = &r->kills[i];
		const struct jt_process *p = &r->processes[k->process];
		json_t *ko = json_object();

		json_object_set_new(ko, "process",
				    json_integer((json_int_t)k->process));
		json_object_set_new(ko, "pid", jint(p->pid));
		json_object_set_new(ko, "name", jstr(p->name));
		json_object_set_new(ko, "reason", jstr(p->reason));
		json_object_set_new(ko, "class",
				    json_string(jt_kill_class_name(k->class_)));
		json_object_set_new(ko, "rpages", jint(p->rpages));
		json_object_set_new(ko, "reason_missing",
				    json_boolean(k->reason_missing));
		json_object_set_new(ko, "footprint_bytes",
				    jint(k->footprint_bytes));
		json_array_append_new(kills, ko);
	}
	json_object_set_new(o, "kills", kills);
	return o;
}
