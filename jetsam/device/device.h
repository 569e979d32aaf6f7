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
 *
 * Everything a device says about itself is hostile until checked: the
 * identity (udid, ProductType, versions, names) is checked once, where it
 * is read (jt_device_identity_check), and the crash-report file names where
 * they are listed (jt_device_file_name_check).  A refused device cannot be
 * opened; a refused file is listed with the reason and never touched.
 * Device-supplied text in error messages is escaped (jetsam/core/text.h).
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
	JT_DEVICE_UNREACHABLE,     /* listed by usbmuxd, lockdownd silent */
	JT_DEVICE_REFUSED          /* its identity failed the checks */
};

/* Bounds of the identity values and file names a device may give. */
#define JT_DEVICE_PRODUCT_TYPE_MAX 32 /* also HardwareModel */
#define JT_DEVICE_VERSION_MAX 16      /* ProductVersion, BuildVersion */
#define JT_DEVICE_NAME_MAX 255        /* DeviceName */
#define JT_DEVICE_FILE_NAME_MAX 255   /* a file in the crash-report jail */

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
 * "unreachable", "refused". */
const char *jt_device_state_name(enum jt_device_state s);

/* jt_device_info_release - free the strings of info (NULL accepted). */
void jt_device_info_release(struct jt_device_info *info);

/*
 * jt_device_udid_check - 0 when udid is 40 hex digits (older devices) or
 * 8 and 16 hex digits joined by '-' (iPhone XS and later); else -1 with
 * JT_EDEVICE, the udid (escaped, cut) as the source and a message that
 * says what a udid looks like.  NULL is refused.
 */
int jt_device_udid_check(const char *udid, struct jt_error *err);

/*
 * jt_device_identity_check - check the values of info (udid excluded, see
 * jt_device_udid_check; NULL values are unknown and pass): ProductType
 * letters, digits, ',', digits (at most JT_DEVICE_PRODUCT_TYPE_MAX
 * bytes), ProductVersion digits and dots, BuildVersion and HardwareModel
 * letters and digits (JT_DEVICE_VERSION_MAX, JT_DEVICE_PRODUCT_TYPE_MAX),
 * DeviceName UTF-8 without control characters (JT_DEVICE_NAME_MAX).
 * Every value that fails is freed and set to NULL, so nothing refused is
 * used or shown; -1 with JT_EDEVICE naming the device (its udid, escaped)
 * and the first field that failed, 0 when all pass.
 */
int jt_device_identity_check(struct jt_device_info *info, struct jt_error *err);

/*
 * jt_device_file_name_check - 0 when name may be a file name in an output
 * directory: 1 to JT_DEVICE_FILE_NAME_MAX bytes, no '/', not "." or "..",
 * valid UTF-8 without control characters.  Else -1 with JT_EINVAL, source
 * (NULL accepted; not escaped: pass a checked udid or a path of the user)
 * as the error's source, and the name escaped and cut in the message.
 */
int jt_device_file_name_check(const char *name, const char *source,
			      struct jt_error *err);

/*
 * jt_device_udids - the udids of the USB devices usbmuxd lists, each once,
 * sorted, in a new NULL-terminated array (jt_device_udids_free).  *n gets
 * the count (0 is not an error).  Fails when usbmuxd cannot be reached.
 */
int jt_device_udids(char ***udids, size_t *n, struct jt_error *err);

/* jt_device_udids_free - free an array from jt_device_udids (NULL ok). */
void jt_device_udids_free(char **udids);

/* jt_device_listed - 1 when usbmuxd lists udid, 0 when it does not (or
 * cannot be asked, or udid is NULL): whether a phone is still attached. */
int jt_device_listed(const char *udid);

/*
 * jt_device_identify - fill info (caller-owned, released by the caller
 * even on failure) for udid.  A device that is locked, untrusted or waiting
 * for Trust is not a failure: info->state says so and the identity keys it
 * still answers are filled.  A device whose identity fails the checks is
 * JT_DEVICE_REFUSED with the reason in state_detail, the refused values
 * NULL, and, when the udid itself was refused, info->udid its escaped
 * form (nothing is asked of such a device).  Fails only when usbmuxd or
 * the device cannot be reached at all.
 */
int jt_device_identify(const char *udid, struct jt_device_info *info,
		       struct jt_error *err);

struct jt_device;

/*
 * jt_device_open - connect to udid (NULL: the one device connected; an
 * error when none or several are) and start a lockdownd session.  Returns a
 * new handle (jt_device_close), or NULL: usbmuxd not running, no device,
 * several devices, unknown udid (JT_EUNKNOWN), trust pending, passcode
 * locked, untrusted, an identity that fails the checks (refused: the
 * message names the field).
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
	int64_t size_bytes;   /* st_size; -1 when absent or not a size >= 0 */
	int64_t mtime_unix_s; /* st_mtime, -1 when not given */
	char *refused;        /* NULL, or why the name is refused (message) */
};

/*
 * jt_device_reports_list - the regular files at the top of the crash
 * report jail (com.apple.crashreportcopymobile), sorted by name, in a new
 * array (*files, jt_device_files_free).  A file that disappears between
 * the listing and its stat is left out.  An entry whose name fails
 * jt_device_file_name_check (a path, control characters, longer than
 * JT_DEVICE_FILE_NAME_MAX: it is never cut) is listed with the reason in
 * refused, size and mtime -1, and is not stat'ed.
 */
int jt_device_reports_list(struct jt_device *dev, struct jt_device_file **files,
			   size_t *n, struct jt_error *err);

/* jt_device_file_release - free what f holds (its strings). */
void jt_device_file_release(struct jt_device_file *f);

/* jt_device_files_free - free n files from jt_device_reports_list. */
void jt_device_files_free(struct jt_device_file *files, size_t n);

/*
 * jt_device_report_read - read the file name (from the jail's top) into a
 * new buffer (*buf, NUL-terminated, free()), *len bytes.  The copy is
 * verified: fewer or more bytes than expect_bytes (when >= 0) is an error
 * (JT_EINVAL; the read stops one byte past expect_bytes).  max_bytes
 * bounds the read (JT_ELIMIT), and an expect_bytes above it is refused
 * before reading.  Errors that concern this file only have codes other
 * than JT_EDEVICE: a refused name (JT_EINVAL), a file that vanished
 * (JT_EIO, errnum ENOENT), one the device will not read (JT_EIO); an
 * unplugged device or a lost connection is JT_EDEVICE.
 */
int jt_device_report_read(struct jt_device *dev, const char *name,
			  int64_t expect_bytes, size_t max_bytes, char **buf,
			  size_t *len, struct jt_error *err);

/* jt_device_report_remove - delete name from the jail (a refused name
 * is never asked for; errors as for jt_device_report_read). */
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

/* ---- apps: installation_proxy, the developer image, debugserver ---- */

/* One installed app as installation_proxy describes it (checked: every
 * value is plain text, path and container absolute, the executable a
 * file name). */
struct jt_device_app {
	char *bundle_id;  /* CFBundleIdentifier */
	char *executable; /* CFBundleExecutable, the process name */
	char *path;       /* the .app bundle on the device */
	char *container;  /* its data container (the working directory),
			     NULL when not given */
	char *version;    /* CFBundleVersion, NULL when not given */
};

/* jt_device_app_release - free what app holds (NULL accepted). */
void jt_device_app_release(struct jt_device_app *app);

/*
 * jt_device_app_lookup - ask installation_proxy (Lookup) whether
 * bundle_id is installed.  Returns 1 with *app filled (caller-owned,
 * released by the caller), 0 when it is not installed, -1 on a device
 * failure or an answer that fails the checks (JT_EDEVICE, the udid as the
 * source, the value escaped in the message).
 */
int jt_device_app_lookup(struct jt_device *dev, const char *bundle_id,
			 struct jt_device_app *app, struct jt_error *err);

/*
 * jt_device_app_install - install local_path (an .ipa file, or an .app
 * directory, on this computer): copy it over AFC (com.apple.afc) into
 * /PublicStaging, then have installation_proxy install it (an .app as a
 * developer package) and wait until it says Complete.  -1 with the
 * device's error name and description (escaped), JT_EIO naming a local
 * file that cannot be read, or JT_EDEVICE.  The 1.3.0 client waits as long
 * as the phone keeps the connection open without answering.
 */
int jt_device_app_install(struct jt_device *dev, const char *local_path,
			  struct jt_error *err);

/*
 * jt_device_developer_image - whether a Developer disk image is mounted
 * (mobile_image_mounter LookupImage: a non-empty ImageSignature, or
 * ImagePresent on older iOS): 1 mounted, 0 not, -1 when the service
 * cannot be asked (the error says why).
 */
int jt_device_developer_image(struct jt_device *dev, struct jt_error *err);

/* What jt_device_app_launch starts. */
struct jt_device_launch {
	const struct jt_device_app *app; /* from jt_device_app_lookup */
	const char *const *env;  /* "NAME=VALUE", NULL-terminated; NULL ok */
	const char *const *args; /* after argv[0], NULL-terminated; NULL ok */
	int64_t wait_ms;         /* how long a launch may take to be answered */
};

/*
 * jt_device_app_launch - launch l->app through debugserver
 * (com.apple.debugserver, served while a developer image is mounted):
 * working directory, each environment variable, argv (the 'A' packet),
 * qLaunchSuccess, then detach ('D') so the app runs on undebugged, as in
 * the field: a debugger would catch the EXC_RESOURCE the kernel sends
 * before a limit kill.  A launch that debugserver refuses is JT_EDEVICE
 * with its words ("launch refused by debugserver: ..."); if it launched
 * but could not be detached, it is killed ('k') before failing.
 */
int jt_device_app_launch(struct jt_device *dev,
			 const struct jt_device_launch *l,
			 struct jt_error *err);

/*
 * jt_device_app_kill - end a running copy of the process named executable
 * (attach by name, then 'k'), so that a probe left behind by a run that
 * went wrong cannot disturb the next.  1 killed, 0 none was running, -1
 * on a device failure.
 */
int jt_device_app_kill(struct jt_device *dev, const char *executable,
		       struct jt_error *err);

#endif
