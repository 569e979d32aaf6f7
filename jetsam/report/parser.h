/*
 * parser.h - what the files of the JetsamEvent parser share
 *
 * The parser is layered, with no circle between its files:
 *
 *   report.c   public API: recognise the input, dispatch, finish
 *     |-> json.c     bug_type 298 JSON (validating scanner)
 *     |-> text.c     bug_type 198 LowMemory text (iOS 7/8)
 *     |-> elided.c   copies cut with "..." or hard-wrapped (line scan)
 *     |-> check.c    page size, plausibility, kills and their classes
 *   all of them -> parse.c (first error, processes, lines) and arena.c
 *
 * Not installed, not for other modules.
 */
#ifndef JT_REPORT_PARSER_H
#define JT_REPORT_PARSER_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"

/* ---- arena.c ------------------------------------------------------------ */

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

/* ---- parse.c ------------------------------------------------------------ */

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
	/* A value of the wrong type: the report is still read whole. */
	int noted;
	size_t note_off;
	char note[200];
	/* memoryStatus.pageSize as written (for check.c), "" if absent. */
	char page_size_raw[48];
};

/* jt_parse_fail - record the first error at offset off; returns -1. */
int jt_parse_fail(struct jt_parse *ps, enum jt_error_code code, size_t off,
		  const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* jt_parse_oom - jt_parse_fail with JT_ENOMEM; returns -1. */
int jt_parse_oom(struct jt_parse *ps, size_t off);

/*
 * jt_parse_note - record the first value of the wrong type at offset off:
 * reading goes on, and report.c marks the report partial with this
 * message and position.
 */
void jt_parse_note(struct jt_parse *ps, size_t off, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* jt_parse_page_size_raw - keep n bytes at s as the pageSize written. */
void jt_parse_page_size_raw(struct jt_parse *ps, const char *s, size_t n);

/* jt_process_init - every field absent. */
void jt_process_init(struct jt_process *p);

/* jt_parse_add_process - append a copy of p to ps->r; -1 out of memory. */
int jt_parse_add_process(struct jt_parse *ps, const struct jt_process *p);

/* jt_parse_set_states - copy n state strings into p (arena); -1 on OOM. */
int jt_parse_set_states(struct jt_parse *ps, struct jt_process *p,
			char *const *states, size_t n);

/* jt_find - memmem (which C11 and POSIX lack): needle in h, or NULL. */
const char *jt_find(const char *h, size_t hn, const char *needle, size_t n);

/* One line of the input, trimmed of blanks and CR. */
struct jt_line {
	const char *s; /* trimmed */
	size_t n;
	size_t off; /* offset of the untrimmed line in the buffer */
};

/* jt_line_next - the line at *pos into l, *pos past it; 0 at the end. */
int jt_line_next(const char *buf, size_t len, size_t *pos, struct jt_line *l);

/* jt_line_is_elision - 1 for a line that is only "...", "." or U+2026. */
int jt_line_is_elision(const struct jt_line *l);

/* jt_has_elision - 1 when some line of buf is an elision. */
int jt_has_elision(const char *buf, size_t len);

/* jt_parse_dup_trim - s[0..n) without outer blanks, in the arena. */
char *jt_parse_dup_trim(struct jt_parse *ps, const char *s, size_t n);

/* jt_text_int - a whole number from s[0..n), or -1 ("-" and junk too). */
int64_t jt_text_int(const char *s, size_t n);

/* Offset of a field of struct jt_report, for the label tables. */
#define JT_RS(f) offsetof(struct jt_report, f)

/* ---- the readers -------------------------------------------------------- */

/* What jt_json_read found. */
enum {
	JT_JSON_DONE = 0,        /* a complete report */
	JT_JSON_TEXT_FOLLOWS = 1 /* a bug_type 198 header: text at *text_off */
};

/*
 * jt_json_read - read a bug_type 298 JSON report starting at ps->buf.
 * Returns JT_JSON_DONE, JT_JSON_TEXT_FOLLOWS with *text_off set, or -1
 * with the error recorded in ps (ENOTJETSAM, ETRUNCATED with what was
 * recovered, EPARSE, ENOMEM).
 */
int jt_json_read(struct jt_parse *ps, size_t *text_off);

/*
 * jt_json_read_process - read one process object at offset at of ps->buf
 * and append it to ps->r if it is complete, valid JSON with a name and a
 * pid or rpages.  Returns 1 with *next past it, 0 if it is not (nothing
 * recorded in ps), -1 when out of memory.
 */
int jt_json_read_process(struct jt_parse *ps, size_t at, size_t *next);

/*
 * jt_text_read - read the iOS 7/8 LowMemory text format from offset off.
 * Returns 0, or -1 with the error recorded in ps.
 */
int jt_text_read(struct jt_parse *ps, size_t off);

/* jt_looks_like_text - 1 when buf at off starts a LowMemory text report. */
int jt_looks_like_text(const char *buf, size_t len, size_t off);

/*
 * jt_elided_read - the tolerant line scan for copies with "..." cuts:
 * recovers product, build, pageSize, memory counts and process blocks.
 * Returns 0 when it recovered anything, else -1.
 */
int jt_elided_read(struct jt_parse *ps);

/* ---- check.c ------------------------------------------------------------ */

/*
 * jt_report_check - decide the effective page size (models borrowed, NULL
 * accepted; page_size_raw is the pageSize as written, NULL if absent),
 * say what is implausible, then list and classify the kills.  Returns 0,
 * or -1 when out of memory.
 */
int jt_report_check(struct jt_report *r, const struct jt_models *models,
		    const char *page_size_raw, struct jt_arena *a);

#endif
