/*
 * report.c - JetsamEvent reports: recognise, parse, check the page size,
 * classify the kills
 *
 * A kill's size is rpages x page size, and the page size a report states
 * is not always the unit of its counts (iOS 8 on A7/A8 says 16384 over
 * 4 KiB counts), so the effective page size is the one under which the
 * memory counts add up to the device's RAM.  Reports are recognised by
 * content, never by file name: the JSON readers live in report_json.c, the
 * text and elided-copy readers in report_text.c.
 */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jetsam/core/fileio.h"
#include "report_private.h"

/* ---- arena -------------------------------------------------------------- */

#define ARENA_BLOCK 65536

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[]; /* cap bytes */
};

struct jt_arena {
	struct arena_block *head;
};

struct jt_arena *
jt_arena_new(void)
{
	return calloc(1, sizeof(struct jt_arena));
}

void
jt_arena_free(struct jt_arena *a)
{
	struct arena_block *b, *next;

	if (a == NULL)
		return;
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

void *
jt_arena_alloc(struct jt_arena *a, size_t n)
{
	struct arena_block *b = a->head;
	size_t align = sizeof(max_align_t);
	void *p;

	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	if (b == NULL || b->cap - b->used < n) {
		size_t cap = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;

		b = malloc(sizeof(*b) + cap);
		if (b == NULL)
			return NULL;
		b->cap = cap;
		b->used = 0;
		if (a->head != NULL && cap != ARENA_BLOCK) {
			/* A big block goes second, keeping the head open. */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

char *
jt_arena_strndup(struct jt_arena *a, const char *s, size_t n)
{
	char *p = jt_arena_alloc(a, n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* ---- shared parse helpers ----------------------------------------------- */

int
jt_parse_fail(struct jt_parse *ps, enum jt_error_code code, size_t off,
	      const char *fmt, ...)
{
	va_list ap;

	if (ps->failed)
		return -1;
	ps->failed = 1;
	ps->code = code;
	ps->err_off = off;
	va_start(ap, fmt);
	vsnprintf(ps->msg, sizeof(ps->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void
jt_process_init(struct jt_process *p)
{
	memset(p, 0, sizeof(*p));
	p->pid = p->rpages = p->lifetime_max_pages = p->purgeable_pages = -1;
	p->priority = p->fds = p->coalition = p->age_ticks = -1;
	p->idle_delta_ticks = p->kill_delta_ticks = p->gen_count = -1;
	p->recent_max_pages = p->cs_flags = p->cs_trust_level = -1;
	p->mem_regions = p->frozen_to_swap_pages = -1;
	p->physical_internal_pages[0] = p->physical_internal_pages[1] = -1;
	p->cpu_time_s = -1.0;
}

int
jt_parse_add_process(struct jt_parse *ps, const struct jt_process *p)
{
	struct jt_report *r = ps->r;

	if (r->nprocesses == ps->cap_processes) {
		size_t cap = ps->cap_processes ? ps->cap_processes * 2 : 256;
		struct jt_process *v = realloc(r->processes, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		r->processes = v;
		ps->cap_processes = cap;
	}
	r->processes[r->nprocesses++] = *p;
	return 0;
}

int
jt_parse_set_states(struct jt_parse *ps, struct jt_process *p,
		    char *const *states, size_t n)
{
	char **v = jt_arena_alloc(ps->arena, (n + 1) * sizeof(*v));
	size_t i;

	if (v == NULL)
		return -1;
	p->frontmost = 0;
	for (i = 0; i < n; i++) {
		v[i] = states[i];
		if (strcmp(states[i], "frontmost") == 0)
			p->frontmost = 1;
	}
	v[n] = NULL;
	p->states = v;
	p->nstates = n;
	return 0;
}

/* ---- names and classification ------------------------------------------ */

const char *
jt_kill_class_name(enum jt_kill_class c)
{
	switch (c) {
	case JT_KILL_LIMIT:
		return "limit";
	case JT_KILL_EXTENSION_LIMIT:
		return "extension-limit";
	case JT_KILL_PRESSURE:
		return "pressure";
	case JT_KILL_OTHER:
		break;
	}
	return "other";
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

enum jt_kill_class
jt_kill_classify(const char *reason, int frontmost)
{
	static const char *const pressure[] = {
		"vm-pageshortage",
		"vm-thrashing",
		"proc-thrashing",
		"fc-thrashing",
		"vm-compressor-thrashing",
		"vm-compressor-space-shortage",
		"zone-map-exhaustion",
		"low-swap",
		"sustained-memory-pressure",
		"vm-pageout-starvation",
		"highwater",
	};
	size_t i;

	if (reason == NULL)
		return JT_KILL_OTHER;
	if (strcmp(reason, "per-process-limit") == 0)
		return frontmost ? JT_KILL_LIMIT : JT_KILL_EXTENSION_LIMIT;
	for (i = 0; i < sizeof(pressure) / sizeof(pressure[0]); i++)
		if (strcmp(reason, pressure[i]) == 0)
			return JT_KILL_PRESSURE;
	return JT_KILL_OTHER;
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

/* ---- the page-size check ------------------------------------------------ */

/* Share of RAM the counts must cover: 87-104% was seen in real reports. */
#define FIT_LO 0.75
#define FIT_HI 1.15

static double
gib(int64_t b)
{
	return (double)b / (1024.0 * 1024.0 * 1024.0);
}

/* gib_pages - pages x page in GiB, in floating point (no overflow). */
static double
gib_pages(int64_t pages, int64_t page)
{
	return (double)pages * (double)page / (1024.0 * 1024.0 * 1024.0);
}

int64_t
jt_pages_to_bytes(int64_t pages, int64_t page_size_bytes)
{
	if (pages < 0 || page_size_bytes <= 0 ||
	    pages > INT64_MAX / page_size_bytes)
		return -1;
	return pages * page_size_bytes;
}

static int
fits(int64_t pages, int64_t page, int64_t ram)
{
	double ratio = (double)pages * (double)page / (double)ram;

	return ratio >= FIT_LO && ratio <= FIT_HI;
}

static void warn(struct jt_report *r, struct jt_arena *a, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void
warn(struct jt_report *r, struct jt_arena *a, const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->page_size_warning = jt_arena_strndup(a, buf, strlen(buf));
}

static void
check_page_size(struct jt_report *r, const struct jt_models *models,
		struct jt_arena *a)
{
	const struct jt_model *m = NULL;
	int64_t stated = r->page_size_stated, pages = 0, best = -1;
	const int64_t *need[] = {&r->active_pages, &r->inactive_pages,
				 &r->free_pages, &r->wired_pages};
	int have_counts = 1;
	size_t i;

	if (models != NULL && r->product != NULL)
		m = jt_models_find(models, r->product);
	r->ram_bytes = m ? m->ram_bytes : -1;
	r->page_size_bytes = -1;
	const int64_t more[] = {r->speculative_pages, r->throttled_pages,
				r->compressor_pages};

	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (*need[i] < 0 || *need[i] > INT64_MAX / 8 - pages)
			have_counts = 0;
		else
			pages += *need[i];
	}
	for (i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		if (more[i] > 0 && more[i] <= INT64_MAX / 8 - pages)
			pages += more[i];
	if (stated > 0 &&
	    (stated < 4096 || stated > 65536 || (stated & (stated - 1)) != 0)) {
		warn(r, a, "pageSize %lld is not a page size; ignored",
		     (long long)stated);
		stated = -1;
	}

	if (m == NULL) {
		const char *why = r->product == NULL
			? "no product in the report"
			: models == NULL ? "no device table"
					 : "unknown model";

		if (stated > 0) {
			r->page_size_bytes = stated;
			warn(r, a,
			     "%s%s%s: pageSize %lld taken from the report "
			     "without the RAM check",
			     why, r->product ? " " : "",
			     r->product ? r->product : "", (long long)stated);
		} else if (r->kernel != NULL &&
			   strstr(r->kernel, "RELEASE_ARM_") != NULL) {
			r->page_size_bytes = 4096;
			warn(r, a,
			     "%s%s%s and no pageSize: 4096 because the kernel "
			     "is 32-bit ARM",
			     why, r->product ? " " : "",
			     r->product ? r->product : "");
		} else {
			warn(r, a,
			     "%s%s%s and no pageSize: page size unknown, "
			     "sizes left out",
			     why, r->product ? " " : "",
			     r->product ? r->product : "");
		}
	} else if (!have_counts) {
		if (stated > 0) {
			r->page_size_bytes = stated;
			warn(r, a,
			     "memory counts incomplete: pageSize %lld not "
			     "checked against the RAM of %s",
			     (long long)stated, r->product);
		} else {
			r->page_size_bytes = m->page_size_bytes;
			warn(r, a,
			     "no pageSize and no memory counts: %lld from the "
			     "device table for %s",
			     (long long)m->page_size_bytes, r->product);
		}
	} else if (stated > 0 && fits(pages, stated, m->ram_bytes)) {
		r->page_size_bytes = stated;
	} else {
		static const int64_t cand[] = {4096, 16384};
		double best_d = 0;

		for (i = 0; i < 2; i++) {
			double ratio = (double)pages * (double)cand[i] /
				(double)m->ram_bytes;
			double d = ratio > 1 ? ratio - 1 : 1 - ratio;

			if (fits(pages, cand[i], m->ram_bytes) &&
			    (best < 0 || d < best_d))
				best = cand[i], best_d = d;
		}
		if (best > 0 && stated > 0) {
			r->page_size_bytes = best;
			warn(r, a,
			     "pageSize %lld disagrees with RAM: the memory "
			     "counts x %lld = %.2f GiB but %s has %.2f GiB; "
			     "using %lld (%.2f GiB)",
			     (long long)stated, (long long)stated,
			     gib_pages(pages, stated), r->product,
			     gib(m->ram_bytes), (long long)best,
			     gib_pages(pages, best));
		} else if (best > 0) {
			r->page_size_bytes = best;
			warn(r, a,
			     "no pageSize: the memory counts fit %lld-byte "
			     "pages (%.2f GiB of %.2f GiB RAM in %s)",
			     (long long)best, gib_pages(pages, best),
			     gib(m->ram_bytes), r->product);
		} else {
			r->page_size_bytes =
				stated > 0 ? stated : m->page_size_bytes;
			warn(r, a,
			     "the memory counts (%lld pages) fit the %.2f GiB "
			     "RAM of %s with no page size; using %lld",
			     (long long)pages, gib(m->ram_bytes), r->product,
			     (long long)r->page_size_bytes);
		}
	}
	if (have_counts)
		r->counted_bytes = jt_pages_to_bytes(pages, r->page_size_bytes);
}

/* ---- finishing a report ------------------------------------------------- */

static int
finish(struct jt_report *r, const struct jt_models *models, struct jt_arena *a)
{
	size_t i, n = 0;

	if (r->incident_id == NULL)
		r->incident_id = r->body_incident;
	if (r->os_version == NULL)
		r->os_version = r->build;
	if (r->bug_type == NULL && r->format != JT_REPORT_TEXT)
		/* A header-less body: its keys already said JetsamEvent. */
		r->bug_type = r->body_bug_type ? r->body_bug_type
					       : jt_arena_strndup(a, "298", 3);
	check_page_size(r, models, a);
	for (i = 0; i < r->nprocesses; i++) {
		const struct jt_process *p = &r->processes[i];

		if (p->reason != NULL || p->kill_delta_ticks >= 0 ||
		    p->gen_count >= 0)
			n++;
	}
	if (n == 0)
		return 0;
	r->kills = calloc(n, sizeof(*r->kills));
	if (r->kills == NULL)
		return -1;
	for (i = 0; i < r->nprocesses; i++) {
		const struct jt_process *p = &r->processes[i];
		struct jt_kill *k;

		if (p->reason == NULL && p->kill_delta_ticks < 0 &&
		    p->gen_count < 0)
			continue;
		k = &r->kills[r->nkills++];
		k->process = i;
		k->class_ = jt_kill_classify(p->reason, p->frontmost);
		k->reason_missing = p->reason == NULL;
		k->footprint_bytes =
			jt_pages_to_bytes(p->rpages, r->page_size_bytes);
	}
	return 0;
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

static int
has_elision(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;

		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		while (e > p &&
		       (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if ((e - p == 3 && memcmp(p, "...", 3) == 0) ||
		    (e - p == 1 && *p == '.') ||
		    (e - p == 3 && memcmp(p, "\xe2\x80\xa6", 3) == 0))
			return 1;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return 0;
}

/* valid_utf8_prefix - 0 when the first bytes are not UTF-8 text. */
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

		sub.buf = buf + start;
		sub.len = len - start;
		rc = jt_report_parse_json(&sub);
		ps = sub;
		ps.err_off += start;
		ps.buf = buf;
		ps.len = len;
	} else if (jt_looks_like_text(buf, len, start)) {
		rc = jt_report_parse_text(&ps, start);
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
	    (ps.wrapped || has_elision(buf, len))) {
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
		if (jt_report_scan_elided(&ls) == 0) {
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
