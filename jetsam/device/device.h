/*
 * device.h - the phones on this computer: identity, reports, syslog
 *
 * A thin layer over libimobiledevice 1.3.0 (jetsam/device/device.c, the only
 * file that includes it) so that the rest of the toolkit sees plain C structs
 * and struct jt_error, never a lockdownd code.  A build without the library
 * (WITH_DEVICE=0) links jetsam/device/device_none.c instead: the same
 * functions, each failing with JT_EUNSUPPORTED.
 *
 * Every failure is JT_EDEVICE (JT_EUNKNOWN for a udid that is not
 * connected) with err->source set to the udid when one is known, and a
 * message that says what to do: "usbmuxd is not running", "trust pending:
 * unlock the device and tap Trust", "passcode locked: unlock the device",
 * "service 'X' is not available", "device was unplugged during ...".
 */
#ifndef JT_DEVICE_H
#define JT_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "jetsam/core/error.h"

enum jt_device_state {
	JT_DEVICE_OK,              /* paired, session started */
	JT_DEVICE_LOCKED,          /* passcode locked (-17) */
	JT_DEVICE_PAIRING_PENDING, /* the Trust dialog waits (-19) */
	JT_DEVICE_UNTRUSTED,       /* pairing denied or pair record stale */
	JT_DEVICE_UNREACHABLE      /* listed by usbmuxd, lockdownd silent */
};

/* What lockdownd says about a device.  Strings are NULL when unknown. */
struct jt_device_info {
	char *udid;
	char *product_type;    /* "iPhone12,1" */
	char *hardware_model;  /* "N104AP" */
	char *product_version; /* "14.2" */
	char *build_version;   /* "18B92" */
	char *device_name;     /* the name the owner gave it */
	enum jt_device_state state;
	char *state_detail; /* lockdownd's own words when not OK, else NULL */
};

/* jt_device_state_name - "ok", "locked", "pairing-pending", "untrusted",
 * "unreachable". */
const char *jt_device_state_name(enum jt_device_state s);

/* jt_device_info_release - free the strings of info (NULL accepted). */
void jt_device_info_release(struct jt_device_info *info);

/*
 * jt_device_udids - the udids of the USB devices usbmuxd lists, each once,
 * sorted, in a new NULL-terminated array (jt_device_udids_free).  *n gets
 * the count (0 is not an error).  Fails when usbmuxd cannot be reached.
 */
int jt_device_udids(char ***udids, size_t *n, struct jt_error *err);

/* jt_device_udids_free - free an array from jt_device_udids (NULL ok). */
void jt_device_udids_free(char **udids);

/*
 * jt_device_identify - fill info (caller-owned, released by the caller
 * even on failure) for udid.  A device that is locked, untrusted or waiting
 * for Trust is not a failure: info->state says so and the identity keys it
 * still answers are filled.  Fails only when usbmuxd or the device cannot
 * be reached at all.
 */
int jt_device_identify(const char *udid, struct jt_device_info *info,
		       struct jt_error *err);

struct jt_device;

/*
 * jt_device_open - connect to udid (NULL: the one device connected; an
 * error when none or several are) and start a lockdownd session.  Returns a
 * new handle (jt_device_close), or NULL: usbmuxd not running, no device,
 * several devices, unknown udid (JT_EUNKNOWN), trust pending, passcode
 * locked, untrusted.
 */
struct jt_device *jt_device_open(const char *udid, struct jt_error *err);

/* jt_device_close - end the session and free dev; NULL is a no-op. */
void jt_device_close(struct jt_device *dev);

/* jt_device_get_info - the identity read at open (borrowed from dev). */
const struct jt_device_info *jt_device_get_info(const struct jt_device *dev);

/*
 * jt_device_reports_flush - ask com.apple.crashreportmover to move pending
 * reports into the jail and wait for its "ping" (up to about 10 s, as the
 * stock tool does).  Fails when the service cannot be started; a missing
 * ping is not a failure (*pinged is set to 0 when pinged is not NULL).
 */
int jt_device_reports_flush(struct jt_device *dev, int *pinged,
			    struct jt_error *err);

/* One regular file at the top of the crash-report jail. */
struct jt_device_file {
	char *name;           /* "JetsamEvent-2020-10-15-172958.ips" */
	int64_t size_bytes;   /* st_size */
	int64_t mtime_unix_s; /* st_mtime, -1 when not given */
};

/*
 * jt_device_reports_list - the regular files at the top of the crash
 * report jail (com.apple.crashreportcopymobile), sorted by name, in a new
 * array (*files, jt_device_files_free).  A file that disappears between
 * the listing and its stat is left out.
 */
int jt_device_reports_list(struct jt_device *dev, struct jt_device_file **files,
			   size_t *n, struct jt_error *err);

/* jt_device_files_free - free n files from jt_device_reports_list. */
void jt_device_files_free(struct jt_device_file *files, size_t n);

/*
 * jt_device_report_read - read the file name (from the jail's top) into a
 * new buffer (*buf, NUL-terminated, free()), *len bytes.  The copy is
 * verified: fewer or more bytes than expect_bytes (when >= 0) is an error.
 * max_bytes bounds the read (JT_ELIMIT).  A file that vanished fails with
 * err->errnum ENOENT; an unplugged device says so.
 */
int jt_device_report_read(struct jt_device *dev, const char *name,
			  int64_t expect_bytes, size_t max_bytes, char **buf,
			  size_t *len, struct jt_error *err);

/* jt_device_report_remove - delete name from the jail. */
int jt_device_report_remove(struct jt_device *dev, const char *name,
			    struct jt_error *err);

/*
 * jt_device_syslog_start - start com.apple.syslog_relay.  Fails when the
 * device is passcode locked or lacks the service.
 */
int jt_device_syslog_start(struct jt_device *dev, struct jt_error *err);

/*
 * jt_device_syslog_read - wait up to timeout_ms (> 0) for syslog bytes.
 * Returns 1 with *got > 0 bytes in buf, 0 on timeout, or -1 when the
 * stream ended: "device was unplugged during capture" when usbmuxd no
 * longer lists it, else "syslog stream closed by the device".
 */
int jt_device_syslog_read(struct jt_device *dev, char *buf, size_t size,
			  size_t *got, int timeout_ms, struct jt_error *err);

/* jt_device_syslog_stop - close the syslog stream (no-op if none), so
 * the next jt_device_syslog_start begins a fresh one. */
void jt_device_syslog_stop(struct jt_device *dev);

#endif
