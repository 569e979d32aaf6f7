/*
 * capture.h - the probe's log out of a device's syslog, kept durably
 *
 * The probe app writes each log record to the syslog behind a marker
 * ("JETSAMKIT: "); the kernel writes its memorystatus lines when it kills
 * the app.  A capture keeps the records after the marker, exactly as the
 * probe wrote them, so the captured file is an ordinary probe log
 * (data/probelog-format.md), and adds the kernel's kill lines about the
 * probe as {"type":"event","kind":"kill",...} records.  Every line is
 * written with one write(2) and fsync'd as it arrives: when the capture
 * ends badly (unplugged, Ctrl-C) everything received so far is on disk,
 * whole.
 *
 * The state machine (jt_capture_feed) is separate from the device loop
 * (jt_capture_device), so it is tested without a device.
 */
#ifndef JT_CAPTURE_H
#define JT_CAPTURE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "jetsam/core/error.h"
#include "syslogline.h"

#define JT_CAPTURE_MARKER "JETSAMKIT: "

struct jt_device;

struct jt_capture_opts {
	const char *marker; /* NULL: JT_CAPTURE_MARKER */
	int64_t silence_ms; /* end when the probe is silent this long; <= 0:
			       never */
	int64_t grace_ms;   /* after the first kill line, wait this long
			       for the second one */
	volatile sig_atomic_t *stop; /* set (by SIGINT) to end; NULL ok */
	int end_on_background;       /* end (JT_CAPTURE_BACKGROUND) when the
					app leaves the foreground */
	/*
	 * on_sample - called for each probe sample record with its
	 * footprint and remaining bytes (-1 when the record has none), on
	 * the capturing thread, for progress.  NULL ok.
	 */
	void (*on_sample)(void *ud, int64_t footprint_bytes,
			  int64_t remaining_bytes);
	void *sample_ud;
};

enum jt_capture_end {
	JT_CAPTURE_RUNNING,
	JT_CAPTURE_KILLED,      /* the kernel killed the probe */
	JT_CAPTURE_SILENCE,     /* the probe said nothing for silence_ms */
	JT_CAPTURE_INTERRUPTED, /* *stop was set */
	JT_CAPTURE_BACKGROUND,  /* the app left the foreground: whatever
				   follows is not evidence */
	JT_CAPTURE_FAILED       /* the stream broke: see the error */
};

struct jt_capture {
	int fd; /* borrowed output */
	struct jt_capture_opts opts;
	struct jt_syslog_splitter sp;
	enum jt_capture_end end;
	long probe_pid; /* pid of the process writing marker lines */
	char probe_name[64];
	long records;         /* probe records written */
	long bad_records;     /* marker lines that were not a JSON object */
	long kill_lines;      /* kill events written */
	int64_t last_t_ms;    /* t_ms of the last probe record, -1 */
	int64_t last_host_ms; /* host clock when it arrived */
	int64_t last_record_host_ms;
	int64_t first_kill_host_ms; /* -1 until a kill line */
	int saw_exceeded, saw_killing;
	int64_t kernel_limit_bytes;   /* "exceeded mem limit: N MB", -1 */
	int64_t kill_footprint_bytes; /* "killing_...: NKB", -1 */
	char kill_reason[64];         /* "per-process-limit", "" */
	int left_foreground; /* a "state" or "scene" event said background
				(data/probelog-format.md) */
	int write_failed;
};

/* jt_capture_init - start a capture writing to fd (borrowed), at host
 * time now_ms.  opts is copied; NULL gives the defaults. */
void jt_capture_init(struct jt_capture *c, int fd,
		     const struct jt_capture_opts *opts, int64_t now_ms);

/* jt_capture_release - free what c holds (not the fd). */
void jt_capture_release(struct jt_capture *c);

/*
 * jt_capture_feed - take n stream bytes received at host time now_ms.
 * Returns 0, or -1 with JT_EIO when the output cannot be written.
 */
int jt_capture_feed(struct jt_capture *c, const char *data, size_t n,
		    int64_t now_ms, struct jt_error *err);

/*
 * jt_capture_check - whether the capture is over at now_ms (kill seen and
 * its second line or the grace period passed, the app left the
 * foreground when opts.end_on_background, silence, *stop).  Sets and returns
 * c->end (JT_CAPTURE_RUNNING while it goes on).
 */
enum jt_capture_end jt_capture_check(struct jt_capture *c, int64_t now_ms);

/* jt_capture_end_name - "killed", "silence", "interrupted", "background",
 * "failed". */
const char *jt_capture_end_name(enum jt_capture_end e);

/*
 * jt_capture_launch_fn - called once the syslog stream is up, so nothing
 * the probe logs is missed: it starts the probe (or tells someone to).
 * Returns 0, or -1 with err set when the probe could not be started.
 */
typedef int (*jt_capture_launch_fn)(void *ud, struct jt_error *err);

/*
 * jt_capture_device - run c on dev's syslog (started here) until it ends.
 * Returns 0 with c->end set, or -1 when the syslog cannot be started, the
 * stream broke, or launch (NULL ok) failed (c->end JT_CAPTURE_FAILED; what
 * was received is kept).
 */
int jt_capture_device(struct jt_device *dev, struct jt_capture *c,
		      jt_capture_launch_fn launch, void *ud,
		      struct jt_error *err);

/* jt_capture_now_ms - the monotonic host clock in ms. */
int64_t jt_capture_now_ms(void);

#endif
