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

#include "parser.h"

/* ---- names and classification ------------------------------------------ */

const char *
jt_kill_class_name(enum jt_kill_class c)
{
	switch (c) {
	case JT_KILL_LIMIT:
		return "frontmost-limit";
	case JT_KILL_DAEMON_LIMIT:
		return "daemon-limit";
	case JT_KILL_BACKGROUND_LIMIT:
		return "background-limit";
	case JT_KILL_PRESSURE:
		return "pressure";
	case JT_KILL_OTHER:
		break;
	}
	return "other";
}

static int
has_state(const struct jt_process *p, const char *state)
{
	size_t i;

	for (i = 0; i < p->nstates; i++)
		if (strcmp(p->states[i], state) == 0)
			return 1;
	return 0;
}

/* classify - the class of p's kill, from its reason and its states. */
static enum jt_kill_class
classify(const struct jt_process *p)
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

	if (p->reason == NULL)
		return JT_KILL_OTHER;
	if (strcmp(p->reason, "per-process-limit") == 0)
		return p->frontmost              ? JT_KILL_LIMIT
			: has_state(p, "daemon") ? JT_KILL_DAEMON_LIMIT
						 : JT_KILL_BACKGROUND_LIMIT;
	for (i = 0; i < sizeof(pressure) / sizeof(pressure[0]); i++)
		if (strcmp(p->reason, pressure[i]) == 0)
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

static char *format(struct jt_arena *a, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static char *
format(struct jt_arena *a, const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return jt_arena_strndup(a, buf, strlen(buf));
}

/* A page size: a power of two from 4 KiB to 64 KiB (ARM64's granules). */
#define PAGE_MIN 4096
#define PAGE_MAX 65536

static int
is_page_size(int64_t v)
{
	return v >= PAGE_MIN && v <= PAGE_MAX && (v & (v - 1)) == 0;
}

/*
 * check_page_size - the effective page size and why it differs from the
 * stated one.  raw is the pageSize as written (NULL if absent), so that a
 * value that is not a page size is named, not called missing.
 */
static void
check_page_size(struct jt_report *r, const struct jt_models *models,
		const char *raw, struct jt_arena *a)
{
	const struct jt_model *m = NULL;
	int64_t stated = r->page_size_stated, pages = 0, best = -1;
	const int64_t *need[] = {&r->active_pages, &r->inactive_pages,
				 &r->free_pages, &r->wired_pages};
	const int64_t more[] = {r->speculative_pages, r->throttled_pages,
				r->compressor_pages};
	char lead[128] = "no pageSize";
	int have_counts = 1;
	size_t i;

	if (models != NULL && r->product != NULL)
		m = jt_models_find(models, r->product);
	r->ram_bytes = m ? m->ram_bytes : -1;
	r->page_size_bytes = -1;
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (*need[i] < 0 || *need[i] > INT64_MAX / 8 - pages)
			have_counts = 0;
		else
			pages += *need[i];
	}
	for (i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		if (more[i] > 0 && more[i] <= INT64_MAX / 8 - pages)
			pages += more[i];
	if (raw != NULL && !is_page_size(stated)) {
		snprintf(lead, sizeof(lead),
			 "pageSize %.40s is not a page size (a power of two "
			 "from %d to %d)",
			 raw, PAGE_MIN, PAGE_MAX);
		r->implausible = format(a, "%s", lead);
		stated = -1;
	}

	if (m == NULL) {
		const char *why = r->product == NULL
			? "no product in the report"
			: models == NULL ? "no device table"
					 : "unknown model";

		if (stated > 0) {
			r->page_size_bytes = stated;
			r->page_size_warning = format(
				a,
				"%s%s%s: pageSize %lld taken from the report "
				"without the RAM check",
				why, r->product ? " " : "",
				r->product ? r->product : "",
				(long long)stated);
		} else if (r->kernel != NULL &&
			   strstr(r->kernel, "RELEASE_ARM_") != NULL) {
			r->page_size_bytes = 4096;
			r->page_size_warning = format(
				a,
				"%s%s%s and %s: 4096 because the kernel is "
				"32-bit ARM",
				why, r->product ? " " : "",
				r->product ? r->product : "", lead);
		} else {
			r->page_size_warning = format(
				a,
				"%s%s%s and %s: page size unknown, sizes "
				"left out",
				why, r->product ? " " : "",
				r->product ? r->product : "", lead);
		}
	} else if (!have_counts) {
		if (stated > 0) {
			r->page_size_bytes = stated;
			r->page_size_warning = format(
				a,
				"memory counts incomplete: pageSize %lld not "
				"checked against the RAM of %s",
				(long long)stated, r->product);
		} else {
			r->page_size_bytes = m->page_size_bytes;
			r->page_size_warning =
				format(a,
				       "%s and no memory counts: %lld from the "
				       "device table for %s",
				       lead, (long long)m->page_size_bytes,
				       r->product);
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
			r->page_size_warning = format(
				a,
				"pageSize %lld disagrees with RAM: the memory "
				"counts x %lld = %.2f GiB but %s has %.2f GiB; "
				"using %lld (%.2f GiB)",
				(long long)stated, (long long)stated,
				gib_pages(pages, stated), r->product,
				gib(m->ram_bytes), (long long)best,
				gib_pages(pages, best));
		} else if (best > 0) {
			r->page_size_bytes = best;
			r->page_size_warning = format(
				a,
				"%s: the memory counts fit %lld-byte pages "
				"(%.2f GiB of %.2f GiB RAM in %s)",
				lead, (long long)best, gib_pages(pages, best),
				gib(m->ram_bytes), r->product);
		} else {
			r->page_size_bytes =
				stated > 0 ? stated : m->page_size_bytes;
			r->page_size_warning = format(
				a,
				"the memory counts (%lld pages) do not fit the "
				"%.2f GiB RAM of %s under any page size; using "
				"%lld",
				(long long)pages, gib(m->ram_bytes), r->product,
				(long long)r->page_size_bytes);
		}
	}
	if (have_counts)
		r->counted_bytes = jt_pages_to_bytes(pages, r->page_size_bytes);
}

/*
 * check_footprints - the first process whose footprint (rpages, then
 * lifetimeMax, x the effective page size) is above the device's RAM.
 */
static void
check_footprints(struct jt_report *r, struct jt_arena *a)
{
	size_t i;

	if (r->implausible != NULL || r->ram_bytes <= 0 ||
	    r->page_size_bytes <= 0)
		return;
	for (i = 0; i < r->nprocesses; i++) {
		const struct jt_process *p = &r->processes[i];
		const int64_t pages[] = {p->rpages, p->lifetime_max_pages};
		const char *const key[] = {"rpages", "lifetimeMax"};
		size_t k;

		for (k = 0; k < 2; k++) {
			int64_t b =
				jt_pages_to_bytes(pages[k], r->page_size_bytes);

			if (pages[k] < 0 || (b >= 0 && b <= r->ram_bytes))
				continue;
			r->implausible = format(
				a,
				"%s %lld of '%s' (pid %lld) x %lld = %.2f GiB "
				"is more than the %.2f GiB RAM of %s",
				key[k], (long long)pages[k],
				p->name ? p->name : "?", (long long)p->pid,
				(long long)r->page_size_bytes,
				gib_pages(pages[k], r->page_size_bytes),
				gib(r->ram_bytes), r->product);
			return;
		}
	}
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
		const char *page_size_raw, struct jt_arena *a)
{
	size_t i, n = 0;

	check_page_size(r, models, page_size_raw, a);
	check_footprints(r, a);
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
		k->class_ = classify(p);
		k->reason_missing = p->reason == NULL;
		k->footprint_bytes =
			jt_pages_to_bytes(p->rpages, r->page_size_bytes);
	}
	return 0;
}
