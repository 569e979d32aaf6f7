/*
 * report.h - JetsamEvent reports (bug_type 298 JSON, bug_type 198 text)
 *
 * CONTRACT for the parser (jetsam/report/).  The fields below are what the
 * rest of the toolkit (pull, device runs, the calibrator, the HTML report)
 * relies on; the parser may add fields but must not change these.
 * Integers are int64; -1 means "absent from the report".
 */
#ifndef JT_REPORT_H
#define JT_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "jetsam/core/error.h"
#include "jetsam/core/models.h"

enum jt_report_format {
	JT_REPORT_JSON,  /* bug_type 298 */
	JT_REPORT_TEXT,  /* bug_type 198 "LowMemory" text (iOS 7/8) */
	JT_REPORT_ELIDED /* 298 with "..." cuts, recovered by line scan */
};

/*
 * What a kill says, from its reason and the process's states (a report
 * carries no bundle id, so an app extension cannot be told from an app).
 * Only JT_KILL_LIMIT measures an app's own limit.
 */
enum jt_kill_class {
	JT_KILL_LIMIT,            /* per-process-limit, "frontmost" in states */
	JT_KILL_DAEMON_LIMIT,     /* per-process-limit, "daemon" in states */
	JT_KILL_BACKGROUND_LIMIT, /* per-process-limit, neither (suspended or
				     background apps, extensions, no states) */
	JT_KILL_PRESSURE, /* vm-pageshortage and other system pressure */
	JT_KILL_OTHER     /* any other reason, kept verbatim */
};

struct jt_process {
	int64_t pid;   /* -1 in text reports */
	char *name;    /* as in the report (truncated to 32/16) */
	char *uuid;    /* NULL if absent */
	char **states; /* NULL-terminated, may be empty */
	int64_t rpages;
	int64_t lifetime_max_pages;
	int64_t purgeable_pages;
	int64_t priority;
	int64_t fds;
	int64_t coalition;
	int64_t age_ticks;
	int64_t idle_delta_ticks;
	int64_t kill_delta_ticks;
	int64_t gen_count;
	char *reason; /* NULL unless killed */
	char *freeze_skip_reason;
	int frontmost; /* "frontmost" is among states */
	/* Added by the parser (not part of the original contract). */
	size_t nstates;
	int64_t recent_max_pages; /* text reports only */
	int64_t cs_flags;         /* iOS 18: can exceed 2^31 */
	int64_t cs_trust_level;   /* can be 4294967295 */
	int64_t mem_regions;
	int64_t physical_internal_pages[2]; /* physicalPages.internal */
	int64_t frozen_to_swap_pages;
};

struct jt_kill {
	size_t process; /* index into jt_report.processes */
	enum jt_kill_class class_;
	int64_t footprint_bytes; /* rpages x effective page size */
	/* Added by the parser: */
	int reason_missing; /* killDelta/genCount marked a kill, no reason */
};

struct jt_report {
	char *source; /* file name given to the parser */
	enum jt_report_format format;
	int partial;       /* truncated, elided, or a value of the wrong type:
			      fields may be absent; error_text says what */
	char *bug_type;    /* "298", "198" */
	char *timestamp;   /* header timestamp, NULL if no header */
	char *os_version;  /* "iPhone OS 14.2 (18B5061e)" */
	char *incident_id; /* header or body incident, NULL if absent */
	char *product;     /* "iPhone12,1" */
	char *build;
	char *kernel;
	char *date;
	char *largest_process;
	int64_t page_size_stated; /* memoryStatus.pageSize, -1 if absent or
				     not a whole number */
	int64_t page_size_bytes;  /* the effective page size after the check */
	char *page_size_warning;  /* why they differ, or NULL */
	int64_t compressor_pages;
	struct jt_process *processes;
	size_t nprocesses;
	struct jt_kill *kills; /* every process with a reason, in order */
	size_t nkills;
	/* Added by the parser (not part of the original contract). */
	char *body_bug_type; /* iOS 18 repeats bug_type in the body */
	char *body_incident; /* the body's "incident" */
	char *crash_reporter_key;
	char *largest_zone;
	int64_t time_delta_ms;
	int64_t gen_counter;
	int64_t compressions;
	int64_t decompressions;
	int64_t uncompressed_pages; /* pages held compressed */
	int64_t zone_map_size_bytes;
	int64_t zone_map_cap_bytes;
	int64_t largest_zone_size_bytes;
	int64_t active_pages; /* memoryStatus.memoryPages.* */
	int64_t inactive_pages;
	int64_t free_pages;
	int64_t speculative_pages;
	int64_t throttled_pages;
	int64_t wired_pages;
	int64_t file_backed_pages;
	int64_t anonymous_pages;
	int64_t purgeable_pages;
	int64_t ram_bytes;     /* the model's RAM, -1 if the model is unknown */
	int64_t counted_bytes; /* memory counts x effective page size */
	char *error_text;      /* for partial reports: what was damaged */
	/*
	 * Why the report's numbers cannot be true, or NULL: a stated page
	 * size that is not one (0, 1, 3, 2^40), or a footprint (rpages or
	 * lifetimeMax x the page size) above the RAM of a known model.  The
	 * first reason found; the calibrator does not use such a report.
	 */
	char *implausible;
	void *arena_; /* private: owns every string above */
};

/*
 * jt_report_parse - parse len bytes at buf (borrowed).  source names the
 * input in errors; models (borrowed, NULL accepted) drives the page-size
 * check.  Returns a new report (free with jt_report_free), or NULL:
 *  - JT_ENOTJETSAM: valid input of another kind ("not a JetsamEvent report
 *    (bug_type 211)");
 *  - JT_EPARSE / JT_ETRUNCATED with line and column when nothing usable was
 *    recovered.
 * A damaged report from which something was recovered is returned with
 * partial set AND err filled with the position of the damage; so is a
 * whole report with a count of the wrong type (JT_EPARSE at the first
 * one; that field is left absent).  Numbers that parse but cannot be true
 * are not errors: they are named in r->implausible.
 */
struct jt_report *jt_report_parse(const char *buf, size_t len,
				  const char *source,
				  const struct jt_models *models,
				  struct jt_error *err);

/* jt_report_load - read the file at path ("-" is stdin) and parse it. */
struct jt_report *jt_report_load(const char *path,
				 const struct jt_models *models,
				 struct jt_error *err);

/* jt_report_free - release r; NULL is a no-op. */
void jt_report_free(struct jt_report *r);

/*
 * jt_kill_class_name - "frontmost-limit", "daemon-limit",
 * "background-limit", "pressure" or "other".  Pressure reasons:
 * vm-pageshortage, vm-thrashing, proc-thrashing, fc-thrashing,
 * vm-compressor-thrashing, vm-compressor-space-shortage,
 * zone-map-exhaustion, low-swap, sustained-memory-pressure,
 * vm-pageout-starvation and highwater (XNU kills processes above their
 * high-water mark only when the system is short of memory, so it does not
 * witness an app's hard limit).
 */
const char *jt_kill_class_name(enum jt_kill_class c);

/*
 * jt_pages_to_bytes - pages x page_size_bytes, the one place pages become
 * bytes; -1 when either is unknown (< 0) or the product overflows int64.
 */
int64_t jt_pages_to_bytes(int64_t pages, int64_t page_size_bytes);

/* jt_report_format_name - "json", "text", "elided". */
const char *jt_report_format_name(enum jt_report_format f);

/* Largest input jt_report_load reads; bigger files fail with JT_ELIMIT. */
#define JT_REPORT_MAX_BYTES ((size_t)256 * 1024 * 1024)

/* Deepest JSON nesting the parser accepts; deeper is JT_EPARSE. */
#define JT_REPORT_MAX_DEPTH 64

/*
 * jt_report_os_number - the dotted version from an os_version string
 * ("iPhone OS 14.2 (18B5061e)" -> "14.2") into buf; returns buf, or NULL if
 * none is found.
 */
const char *jt_report_os_number(const char *os_version, char *buf, size_t len);

#endif
