/*
 * check.c - what a parsed report's numbers mean: the effective page size,
 * the kills and their classes
 *
 * A kill's size is rpages x page size, and the page size a report states
 * is not always the unit of its counts (iOS 8 on A7/A8 says 16384 over
 * 4 KiB counts), so the effective page size is the one under which the
 * memory counts add up to the device's RAM.  The readers only record what
 * the report says; every judgement about it is made here, once, for all
 * formats.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_private.h"

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

/* ---- the kills ----------------------------------------------------------- */

static int
is_kill(const struct jt_process *p)
{
	return p->reason != NULL || p->kill_delta_ticks >= 0 ||
		p->gen_count >= 0;
}

int
jt_report_check(struct jt_report *r, const struct jt_models *models,
		struct jt_arena *a)
{
	size_t i, n = 0;

	check_page_size(r, models, a);
	for (i = 0; i < r->nprocesses; i++)
		n += is_kill(&r->processes[i]);
	if (n == 0)
		return 0;
	r->kills = calloc(n, sizeof(*r->kills));
	if (r->kills == NULL)
		return -1;
	for (i = 0; i < r->nprocesses; i++) {
		const struct jt_process *p = &r->processes[i];
		struct jt_kill *k;

		if (!is_kill(p))
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
