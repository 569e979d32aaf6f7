/*
 * fuzz_report.c - libFuzzer target over jt_report_parse
 *
 * Every input must come back as a report or an error, never a crash, a
 * leak or undefined behaviour (the target is built with ASan and UBSan),
 * and a report that comes back must be consistent: every kill points at a
 * process, its size is rpages x the effective page size, a frontmost
 * limit kill is of a frontmost process, the effective page size is a page
 * size, and a report not called implausible has no footprint above the
 * device's RAM.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "jetsam/report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct jt_models *models;

static int
is_page_size(int64_t v)
{
	return v >= 4096 && v <= 65536 && (v & (v - 1)) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jt_error err;
	struct jt_report *r;
	size_t i;

	if (models == NULL)
		models = jt_models_load(NULL, NULL);
	jt_error_init(&err);
	r = jt_report_parse((const char *)data, size, "fuzz", models, &err);
	if (r == NULL) {
		if (!jt_error_isset(&err))
			abort(); /* NULL without a reason */
		return 0;
	}
	if (r->partial && !jt_error_isset(&err))
		abort(); /* partial must say where the damage is */
	if (r->page_size_bytes != -1 && !is_page_size(r->page_size_bytes))
		abort();
	for (i = 0; i < r->nkills; i++) {
		const struct jt_kill *k = &r->kills[i];

		if (k->process >= r->nprocesses)
			abort();
		if (k->footprint_bytes !=
		    jt_pages_to_bytes(r->processes[k->process].rpages,
				      r->page_size_bytes))
			abort();
		if (k->class_ == JT_KILL_LIMIT &&
		    !r->processes[k->process].frontmost)
			abort();
	}
	for (i = 0;
	     r->implausible == NULL && r->ram_bytes > 0 && i < r->nprocesses;
	     i++) {
		int64_t b = jt_pages_to_bytes(r->processes[i].rpages,
					      r->page_size_bytes);

		if (b > r->ram_bytes ||
		    (b < 0 && r->processes[i].rpages >= 0 &&
		     r->page_size_bytes > 0))
			abort(); /* above the RAM, not called implausible */
	}
	jt_report_free(r);
	return 0;
}
