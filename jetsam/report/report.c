/*
 * report.c - JetsamEvent reports: the public API and the dispatch
 *
 * Reports are recognised by content, never by file name: a body that opens
 * with '{' goes to the JSON reader (json.c), LowMemory text to text.c, and
 * a JSON copy cut with "..." or hard-wrapped, which is no longer JSON, to
 * the line scan of elided.c.  Whatever was read is then judged once, by
 * check.c.  See parser.h for how the files depend on each other.
 */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jetsam/core/fileio.h"
#include "parser.h"

/* ---- finishing a report ------------------------------------------------- */

static int
finish(struct jt_report *r, const struct jt_models *models,
       const struct jt_parse *ps, struct jt_arena *a)
{
	if (r->incident_id == NULL)
		r->incident_id = r->body_incident;
	if (r->os_version == NULL)
		r->os_version = r->build;
	if (r->bug_type == NULL && r->format != JT_REPORT_TEXT)
		/* A header-less body: its keys already said JetsamEvent. */
		r->bug_type = r->body_bug_type ? r->body_bug_type
					       : jt_arena_strndup(a, "298", 3);
	return jt_report_check(
		r, models, ps->page_size_raw[0] ? ps->page_size_raw : NULL, a);
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
	if (rc == 0 && !ps.failed && ps.noted) {
		/* Whole, but a value had the wrong type: partial. */
		long line, col;

		position(buf, len, ps.note_off, &line, &col);
		jt_error_set(err, JT_EPARSE, source, line, col, "%s", ps.note);
		r->partial = 1;
		r->error_text = jt_arena_strndup(a, ps.note, strlen(ps.note));
		if (r->error_text == NULL || finish(r, models, &ps, a) < 0)
			goto oom;
		return r;
	}
	if (rc == 0 && !ps.failed) {
		if (finish(r, models, &ps, a) < 0)
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
			memcpy(ps.page_size_raw, ls.page_size_raw,
			       sizeof(ps.page_size_raw));
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
	if (finish(r, models, &ps, a) < 0)
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
