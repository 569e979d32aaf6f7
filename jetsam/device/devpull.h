/*
 * devpull.h - copying JetsamEvent reports off a device, safely
 *
 * The rules the lab relies on: a report is removed from the device only
 * after its copy was verified against the size the device states (a file
 * whose size the device does not state as a number >= 0 cannot be
 * verified, so it is neither copied nor removed) and is on disk under its
 * final name; a file already in the output directory is never replaced by
 * a different one; every file is written under a temporary name and
 * renamed, so a crash or a pulled cable never leaves half a report.  Each
 * file has its own outcome: a refused, oversized, unverifiable or
 * mismatched file is listed with the reason and the others are still
 * pulled.  The device identity is recorded beside the reports
 * (DIR/device.json).
 */
#ifndef JT_DEVPULL_H
#define JT_DEVPULL_H

#include <stddef.h>
#include <stdint.h>

#include "device.h"
#include "jetsam/core/error.h"

/* Reports above this size are refused (the largest real ones are ~1 MB). */
#define JT_PULL_MAX_BYTES (64u << 20)

struct jt_pull_opts {
	int keep;             /* leave the reports on the device */
	int all_reports;      /* every report, not only JetsamEvent-* */
	int64_t since_unix_s; /* only files modified at or after; -1: all */
};

enum jt_pull_status {
	JT_PULL_COPIED,     /* new file written */
	JT_PULL_SAME,       /* an identical file was already there */
	JT_PULL_CONFLICT,   /* a different file has the name: left alone */
	JT_PULL_VANISHED,   /* listed, then gone before it could be read */
	JT_PULL_REFUSED,    /* its name: a path, control characters, too long */
	JT_PULL_OVERSIZED,  /* stated or streamed past JT_PULL_MAX_BYTES */
	JT_PULL_UNVERIFIED, /* no usable size stated: not copied */
	JT_PULL_MISMATCH,   /* the copy's size is not the stated one */
	JT_PULL_FAILED      /* unreadable, or not writable here */
};

struct jt_pulled {
	char *name;         /* the device's file name (REFUSED: escaped) */
	char *path;         /* DIR/name; NULL when REFUSED */
	int64_t size_bytes; /* as listed by the device, -1 unknown */
	enum jt_pull_status status;
	int removed;  /* deleted from the device after the copy */
	char *detail; /* why, for a file that failed; else NULL */
};

/* jt_pull_status_name - "copied", "same", "conflict", "vanished",
 * "refused", "oversized", "unverified", "mismatch", "failed". */
const char *jt_pull_status_name(enum jt_pull_status s);

/*
 * jt_pull_wanted - whether a file from the listing is to be pulled under
 * opts: a JetsamEvent report (name starts "JetsamEvent") unless
 * all_reports, and not older than since_unix_s.
 */
int jt_pull_wanted(const struct jt_device_file *f,
		   const struct jt_pull_opts *opts);

/*
 * jt_pull_ok - 1 when s counts as pulled (copied, same, vanished), 0 for
 * a file that failed.
 */
int jt_pull_ok(enum jt_pull_status s);

/*
 * jt_pull_save - write len bytes to dir/name atomically, never replacing
 * a different file: *status is JT_PULL_COPIED, JT_PULL_SAME or
 * JT_PULL_CONFLICT (0 returned for all three).  -1 with JT_EINVAL for a
 * name that jt_device_file_name_check refuses, JT_EIO when the file
 * cannot be written (nothing is left behind).
 */
int jt_pull_save(const char *dir, const char *name, const char *buf, size_t len,
		 enum jt_pull_status *status, struct jt_error *err);

/*
 * jt_pull_write_identity - write dir/device.json (sorted keys) for info.
 * Fails with JT_EINVAL when dir already holds a device.json of another
 * udid: one directory, one device.
 */
int jt_pull_write_identity(const char *dir, const struct jt_device_info *info,
			   struct jt_error *err);

/*
 * jt_pull_reports - flush the crash reporter, then copy every wanted
 * report of dev into dir (created if missing), removing each verified
 * copy from the device unless opts->keep.  *items (new array of *n,
 * jt_pull_free) lists every wanted file and what happened to it; a file
 * that fails has its reason in detail and the others are still pulled.
 * Returns 0 when every wanted file was copied or already there (vanished
 * files are only listed), -1 otherwise.  err is set only when the pull
 * stopped: a device failure (unplugged, locked, service missing) or a
 * directory that cannot be made, with what was done so far in *items.
 */
int jt_pull_reports(struct jt_device *dev, const char *dir,
		    const struct jt_pull_opts *opts, struct jt_pulled **items,
		    size_t *n, struct jt_error *err);

/*
 * jt_pull_parse_since - "2020-10-15", "2020-10-15 17:29" or
 * "2020-10-15T17:29:58" (UTC) to seconds since the epoch.  Returns 0, or
 * -1 with JT_EUSAGE naming text.
 */
int jt_pull_parse_since(const char *text, int64_t *unix_s,
			struct jt_error *err);

/* jt_pull_free - free n items from jt_pull_reports (NULL accepted). */
void jt_pull_free(struct jt_pulled *items, size_t n);

#endif
