/*
 * probelog.h - reading the probe's JSON Lines log
 *
 * CONTRACT for the reader (jetsam/lab/probelog.c), used by local runs, device
 * captures, the calibrator and the HTML report.  The log format itself is
 * documented in data/probelog-format.md.  -1 means unknown.
 */
#ifndef JT_PROBELOG_H
#define JT_PROBELOG_H

#include <stddef.h>
#include <stdint.h>

#include "jetsam/core/error.h"

struct jt_probe_header {
	char *probe_version;
	char *platform;   /* "linux", "ios", "darwin" */
	char *model;      /* hw.machine, e.g. "iPhone12,1" */
	char *os_version; /* "14.2" */
	int64_t ram_bytes;
	int64_t page_size_bytes;
	int64_t rate_bytes_per_s;
	int64_t step_bytes;
	char *fill; /* "touch", "constant", "random" */
	int64_t start_unix_ms;
	/* Added with the probe: -1 when absent or null. */
	int64_t pid;
	int64_t limit_bytes;   /* a limit the probe was told of */
	int64_t ramp_to_bytes; /* the --ramp-to target */
	/* Added with the iOS profiles: NULL when absent (older probes). */
	char *profile; /* "app", "notification-service-extension", ... */
	char *run_id;  /* the host's id for the run, or NULL */
};

struct jt_probe_sample {
	int64_t seq;
	int64_t t_ms; /* since probe start, monotonic */
	int64_t allocated_bytes;
	int64_t footprint_bytes;
	int64_t remaining_bytes; /* -1 when the OS does not say */
	int64_t peak_bytes;      /* -1 when the OS does not say */
};

struct jt_probe_event {
	int64_t t_ms;
	char *kind;              /* "warning", "alloc-failed", "end", or a
				    captured kernel line: "kill" */
	char *detail;            /* level, reason or message; may be NULL */
	int64_t footprint_bytes; /* -1 when not given */
	size_t after_samples;    /* sample records before it in the log */
};

struct jt_probelog {
	char *source;
	int has_header;
	struct jt_probe_header header;
	struct jt_probe_sample *samples;
	size_t nsamples;
	struct jt_probe_event *events;
	size_t nevents;
	int torn_tail;  /* the last line was incomplete: skipped */
	long bad_lines; /* lines that were not valid records */
};

struct jt_probe_summary {
	int64_t last_footprint_bytes;       /* last sample */
	int64_t limit_from_remaining_bytes; /* footprint + remaining */
	int64_t crossing_bytes;             /* probe-only limit estimate */
	int64_t first_warning_bytes;        /* footprint at first warning */
	int64_t overshoot_bytes; /* last footprint - limit, if known */
	int64_t effective_rate_bytes_per_s; /* allocated/s while paced */
	int64_t duration_ms;
	/* Added with the probe. */
	int64_t samples;              /* sample records */
	int64_t last_allocated_bytes; /* allocated at the last sample */
	int ended;                    /* an "end" event: no kill */
	int alloc_failed;             /* an "alloc-failed" event */
	/* A "state" or "scene" event said "background": the app left the
	 * foreground, where its limit applies, so the kill says nothing
	 * about that limit. */
	int left_foreground;
};

/*
 * jt_probelog_parse - read a log from len bytes at buf (borrowed).  A torn
 * last line is skipped and flagged; an invalid line elsewhere is JT_EPARSE
 * with its line number unless lenient is set, in which case it is counted
 * in bad_lines.  Returns a new log (jt_probelog_free) or NULL.
 */
struct jt_probelog *jt_probelog_parse(const char *buf, size_t len,
				      const char *source, int lenient,
				      struct jt_error *err);

/* jt_probelog_load - read the file at path and parse it. */
struct jt_probelog *jt_probelog_load(const char *path, int lenient,
				     struct jt_error *err);

/* jt_probelog_free - release log; NULL is a no-op. */
void jt_probelog_free(struct jt_probelog *log);

/*
 * jt_probelog_summarize - fill out from log.  known_limit_bytes (-1 if
 * unknown) is used for the overshoot when the log itself gives no limit.
 * Returns 0, or -1 with JT_EINVAL when the log has no samples.
 */
int jt_probelog_summarize(const struct jt_probelog *log,
			  int64_t known_limit_bytes,
			  struct jt_probe_summary *out, struct jt_error *err);

#endif
