/*
 * jetsamwriter.h - writing a JetsamEvent report (bug_type 298) as a phone
 * would
 *
 * Local lab runs end with the report a phone would have left, so the
 * parser and calibrator downstream see real-format input: a compact
 * header line, then the body pretty-printed the way NSJSONSerialization
 * does it (" : ", two-space indent, objects under the top level not
 * re-indented, "/" escaped, killed entries with their keys reordered).
 */
#ifndef JT_JETSAMWRITER_H
#define JT_JETSAMWRITER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jetsam/core/error.h"

/* One entry of "processes".  Strings are borrowed. */
struct jt_jetsam_proc {
	const char *name;          /* truncated to 32 bytes on output */
	const char *uuid;          /* lower-case UUID */
	const char *const *states; /* NULL-terminated, may be empty */
	int64_t pid;
	int64_t rpages; /* phys_footprint / pageSize */
	int64_t lifetime_max_pages;
	int64_t priority;
	int64_t fds;
	int64_t coalition;
	int64_t age_ticks;
	int64_t kill_delta_ticks; /* killed entries only */
	double cpu_time_s;
	const char *reason; /* non-NULL marks the process as killed */
};

/* memoryStatus.memoryPages, in pages of page_size_bytes. */
struct jt_jetsam_pages {
	int64_t active, throttled, file_backed, wired, anonymous, purgeable,
		inactive, free, speculative;
};

/* The whole report.  Strings are borrowed. */
struct jt_jetsam_event {
	const char *product;            /* "iPhone12,1" */
	const char *os_version;         /* "14.2" */
	const char *os_build;           /* "18B92" */
	const char *kernel;             /* the kernel string */
	const char *incident;           /* upper-case UUID */
	const char *crash_reporter_key; /* 40 hex digits */
	int64_t unix_ms;                /* the snapshot time (UTC) */
	int64_t time_delta_ms;
	int64_t page_size_bytes; /* memoryStatus.pageSize */
	int64_t compressor_pages;
	struct jt_jetsam_pages pages;
	const char *largest_process;
	const struct jt_jetsam_proc *procs;
	size_t nprocs;
};

/*
 * jt_jetsam_write - write ev to out (borrowed, not closed).  Returns 0, or
 * -1 with JT_EINVAL when a required field (product, os_version, os_build,
 * page size, at least one process) is missing, or JT_EIO when the stream
 * reports a write error.
 */
int jt_jetsam_write(FILE *out, const struct jt_jetsam_event *ev,
		    struct jt_error *err);

/*
 * jt_jetsam_save - write ev to path atomically (temporary name + rename);
 * never replaces an existing file (JT_EIO, EEXIST).
 */
int jt_jetsam_save(const char *path, const struct jt_jetsam_event *ev,
		   struct jt_error *err);

/*
 * jt_jetsam_file_name - the device's name for a report taken at unix_ms,
 * "JetsamEvent-YYYY-MM-DD-HHMMSS.ips" (UTC), into buf; returns buf.
 */
const char *jt_jetsam_file_name(int64_t unix_ms, char *buf, size_t len);

#endif
