/*
 * probe.h - the memory probe: allocate, touch, log phys_footprint until
 * killed
 *
 * libc only, so the same code builds for a phone: no jansson, no jetsam/
 * headers.  The log it writes is data/probelog-format.md.  The OS-specific
 * part (footprint, headroom, warnings, device facts, syslog) sits behind
 * the jt_probe_os_* functions, one file per OS (footprint_linux.c,
 * footprint_darwin.c), chosen by the Makefile.
 */
#ifndef JT_PROBE_H
#define JT_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "size.h" /* jt_probe_size_parse */

#define JT_PROBE_VERSION "0.2.0"

/* Exit statuses of jetsam-probe. */
#define JT_PROBE_EXIT_OK 0
#define JT_PROBE_EXIT_FAIL 1 /* log could not be opened or written */
#define JT_PROBE_EXIT_USAGE 2
#define JT_PROBE_EXIT_NOMEM 3 /* malloc refused: logged as alloc-failed */

/* Environment variable by which a local supervisor hands over the limit. */
#define JT_PROBE_LIMIT_ENV "JETSAM_PROBE_LIMIT_BYTES"

/* The default marker in front of each record sent to the system log. */
#define JT_PROBE_SYSLOG_MARKER "JETSAMKIT: "

/*
 * How a host launcher decides the run without a command line (an app
 * started by devicectl or debugserver gets an environment as easily as
 * arguments): each variable is read as its option, before argv, so an
 * argument wins.  Documented in data/probelog-format.md.
 */
#define JT_PROBE_ENV_PREFIX "JETSAM_PROBE_"
#define JT_PROBE_ENV_RATE "JETSAM_PROBE_RATE"           /* --rate */
#define JT_PROBE_ENV_STEP "JETSAM_PROBE_STEP"           /* --step */
#define JT_PROBE_ENV_MAX "JETSAM_PROBE_MAX"             /* --max */
#define JT_PROBE_ENV_RAMP_TO "JETSAM_PROBE_RAMP_TO"     /* --ramp-to */
#define JT_PROBE_ENV_HOLD "JETSAM_PROBE_HOLD"           /* --hold */
#define JT_PROBE_ENV_HOLD_TIME "JETSAM_PROBE_HOLD_TIME" /* --hold-time */
#define JT_PROBE_ENV_FILL "JETSAM_PROBE_FILL"           /* --fill */
#define JT_PROBE_ENV_MARKER "JETSAM_PROBE_MARKER"       /* --marker */
#define JT_PROBE_ENV_RUN_ID "JETSAM_PROBE_RUN_ID"       /* --run-id */
#define JT_PROBE_ENV_PROFILE "JETSAM_PROBE_PROFILE"     /* --profile */

/* Bounds that keep the header record under JT_PROBE_LINE_MAX. */
#define JT_PROBE_MARKER_MAX 32
#define JT_PROBE_RUN_ID_MAX 48
#define JT_PROBE_PROFILE_MAX 40

/* A log line never exceeds this (POSIX PIPE_BUF minimum is 512). */
#define JT_PROBE_LINE_MAX 512

enum jt_probe_fill {
	JT_PROBE_FILL_TOUCH,    /* one byte per 4 KiB page */
	JT_PROBE_FILL_CONSTANT, /* memset with one value */
	JT_PROBE_FILL_RANDOM    /* incompressible pseudo-random words */
};

struct jt_probe_config {
	int64_t rate_bytes_per_s; /* paced allocation rate, default 20 MiB/s */
	int64_t step_bytes;       /* one block per step, default 1 MiB */
	int64_t max_bytes;        /* stop normally at this allocation, -1 */
	int64_t ramp_to_bytes;    /* fast-allocate until this footprint, -1 */
	int ramp_to_pct;          /* or this percent of the limit, 0 = none */
	int64_t hold_bytes;       /* stop allocating here, keep sampling, -1 */
	int64_t hold_ms;          /* how long to hold, -1 = until a signal */
	enum jt_probe_fill fill;
	const char *log_path; /* file sink (O_EXCL), or NULL */
	int log_fd;           /* descriptor sink, or -1 */
	int use_syslog;       /* also send records to the system log */
	int fsync_each;       /* fdatasync the file after each line */
	int quiet;            /* no progress line even on a TTY */
	const char *profile;  /* header "profile": what kind of process */
	const char *run_id;   /* header "run_id" from the host, or NULL */
	const char *marker;   /* system log marker, JT_PROBE_SYSLOG_MARKER */
};

/* jt_probe_config_init - the defaults above (profile "app"); no sink. */
void jt_probe_config_init(struct jt_probe_config *c);

/*
 * jt_probe_parse_args - fill c (initialised here) from the JETSAM_PROBE_*
 * environment variables, then from argv (an argument wins).  On a usage
 * error returns -1 with a one-line message naming the bad value (and the
 * variable, for the environment) in msg (size msglen); returns 1 for
 * --help, 0 otherwise.  Strings in c borrow from argv or the environment.
 */
int jt_probe_parse_args(struct jt_probe_config *c, int argc, char **argv,
			char *msg, size_t msglen);

/* jt_probe_usage - the --help text (static). */
const char *jt_probe_usage(void);

/*
 * jt_probe_run - run the probe with c until it is killed, reaches its
 * max, its hold time runs out, or SIGINT/SIGTERM arrives.  Returns a
 * JT_PROBE_EXIT_* status; diagnostics for failures go to msg.  Every block
 * is freed before it returns.
 */
int jt_probe_run(const struct jt_probe_config *c, char *msg, size_t msglen);

/*
 * jt_probe_post - queue an event for the running probe's log from any
 * thread (the app shell's main thread: app and scene state, UIKit's
 * memory warning), timed now.  kind and detail (NULL accepted) are copied,
 * cut to 15 and 31 bytes.  The probe logs queued events after its next
 * sample, in order; events posted before the run starts are logged at its
 * first sample, with t_ms 0.  Returns 0, or -1 when the queue (64 events)
 * is full: the event is counted and the count logged as a "dropped"
 * event.  Not for signal handlers (it takes a mutex).
 */
int jt_probe_post(const char *kind, const char *detail);

/* ---- the per-OS part: footprint_linux.c / footprint_darwin.c ---------- */

struct jt_probe_os_info {
	char platform[16];   /* "linux", "ios", "darwin" */
	char model[64];      /* hw.machine, or "linux" */
	char os_version[64]; /* "14.2", or the kernel release */
	int64_t ram_bytes;   /* -1 if unknown */
	int64_t page_size_bytes;
};

struct jt_probe_footprint {
	int64_t footprint_bytes; /* the phys_footprint analogue */
	int64_t remaining_bytes; /* headroom under the limit, -1 if unknown */
	int64_t peak_bytes;      /* lifetime peak footprint, -1 if unknown */
	int64_t limit_bytes;     /* the limit the headroom is taken from, -1 */
};

/* jt_probe_os_info - fill info with what the OS says about the device. */
void jt_probe_os_info(struct jt_probe_os_info *info);

/*
 * jt_probe_os_open - set up footprint reading and memory-pressure
 * notifications.  Returns 0, or -1 when the footprint cannot be read at
 * all (the probe then refuses to start).
 */
int jt_probe_os_open(void);

/* jt_probe_os_close - undo jt_probe_os_open. */
void jt_probe_os_close(void);

/* jt_probe_os_footprint - read the footprint now.  Returns 0 or -1. */
int jt_probe_os_footprint(struct jt_probe_footprint *fp);

/*
 * jt_probe_os_pressure - a pending memory-pressure notification from the
 * OS, if any: returns 1 and sets *level to a static string ("limit-warn"
 * for the kernel's warning near this process's own limit, "warn" or
 * "critical" for system-wide pressure; data/probelog-format.md), else 0.
 * Never blocks.
 */
int jt_probe_os_pressure(const char **level);

/*
 * jt_probe_os_datasync - make what was written to fd durable (fdatasync
 * on Linux, fsync on Darwin, whose headers lack fdatasync).  0 or -1.
 */
int jt_probe_os_datasync(int fd);

/* jt_probe_os_now_ns - the monotonic clock in nanoseconds. */
int64_t jt_probe_os_now_ns(void);

/*
 * jt_probe_os_sleep_until - sleep until the monotonic clock reaches
 * mono_ns (an absolute deadline); may return early on a signal.
 */
void jt_probe_os_sleep_until(int64_t mono_ns);

/*
 * jt_probe_os_syslog - send one record (len bytes, no newline) to the
 * system log behind marker.  Returns 0, or -1 where the OS has no such
 * log (Linux).
 */
int jt_probe_os_syslog(const char *marker, const char *line, size_t len);

#endif
