/*
 * report_int.h - what the parts of the JetsamEvent parser share
 *
 * report.c owns the public API, the page-size check and the kill
 * classification; report_json.c reads bug_type 298 JSON with a validating
 * scanner that decodes only the keys the toolkit uses; report_text.c reads
 * the bug_type 198 text formats and recovers elided copies line by line.
 * Not installed, not for other modules.
 */
#ifndef JT_REPORT_INT_H
#define JT_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"

/*
 * An arena: every string of a report lives in a few large blocks, so a
 * report with 10,000 processes costs a handful of mallocs, not 50,000.
 */
struct jt_arena;

/* jt_arena_new - a new empty arena, or NULL when out of memory. */
struct jt_arena *jt_arena_new(void);

/* jt_arena_free - release a and everything allocated in it; NULL is ok. */
void jt_arena_free(struct jt_arena *a);

/* jt_arena_alloc - n bytes aligned for any scalar, or NULL. */
void *jt_arena_alloc(struct jt_arena *a, size_t n);

/* jt_arena_strndup - a NUL-terminated copy of n bytes at s, or NULL. */
char *jt_arena_strndup(struct jt_arena *a, const char *s, size_t n);

/*
 * The parse state shared by the readers.  The readers fill r and, on
 * damage, record the first error offset and message; report.c turns the
 * offset into line and column once, at the end.
 */
struct jt_parse {
	const char *buf;
	size_t len;
	const char *source;
	struct jt_report *r;
	struct jt_arena *arena;
	size_t cap_processes;
	int failed;  /* an error was recorded */
	int wrapped; /* a string was broken by a line break */
	enum jt_error_code code;
	size_t err_off; /* byte offset of the error */
	char msg[200];
};

/* jt_parse_fail - record the first error at offset off; returns -1. */
int jt_parse_fail(struct jt_parse *ps, enum jt_error_code code, size_t off,
		  const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* jt_process_init - every field absent. */
void jt_process_init(struct jt_process *p);

/* jt_parse_add_process - append a copy of p to ps->r; -1 out of memory. */
int jt_parse_add_process(struct jt_parse *ps, const struct jt_process *p);

/* jt_parse_set_states - copy n state strings into p (arena); -1 on OOM. */
int jt_parse_set_states(struct jt_parse *ps, struct jt_process *p,
			char *const *states, size_t n);

/*
 * jt_report_parse_json - read a bug_type 298 JSON report starting at
 * ps->buf.  Returns 0 when complete; 1 when the body is damaged but a line
 * scan may recover it (ps records the error); -1 for a hard failure (ps
 * records the error; ENOTJETSAM, ETRUNCATED with what was recovered, ...).
 */
int jt_report_parse_json(struct jt_parse *ps);

/*
 * jt_report_parse_text - read the iOS 7/8 LowMemory text format from
 * offset off.  Returns 0, or -1 with the error recorded in ps.
 */
int jt_report_parse_text(struct jt_parse *ps, size_t off);

/*
 * jt_report_scan_elided - the tolerant line scan for copies with "..."
 * cuts: recovers product, build, pageSize, memory counts and process
 * blocks.  Returns 0 when it recovered anything, else -1.
 */
int jt_report_scan_elided(struct jt_parse *ps);

/* jt_find - memmem (which C11 and POSIX lack): needle in h, or NULL. */
const char *jt_find(const char *h, size_t hn, const char *needle, size_t n);

/* jt_looks_like_text - 1 when buf at off starts a LowMemory text report. */
int jt_looks_like_text(const char *buf, size_t len, size_t off);

#endif
