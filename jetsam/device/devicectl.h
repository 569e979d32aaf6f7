/*
 * devicectl.h - launching an app with Xcode's devicectl, on a Mac
 *
 * From iOS 17 a phone serves its developer services (debugserver among
 * them) through CoreDevice over a tunnel that libimobiledevice 1.3.0
 * cannot open.  On a Mac with Xcode 15 or later, `xcrun devicectl device
 * process launch` can; this is the small wrapper the launcher
 * (jetsam/device/launch.h) uses there.  It has not run: no Mac here.
 * Elsewhere jt_devicectl_available says 0 and nothing is executed.
 */
#ifndef JT_DEVICECTL_H
#define JT_DEVICECTL_H

#include <stdint.h>

#include "jetsam/core/error.h"

/* jt_devicectl_available - 1 on macOS (uname) with xcrun on PATH. */
int jt_devicectl_available(void);

/*
 * jt_devicectl_argv - the command that launches bundle_id on udid with
 * env ("NAME=VALUE", NULL-terminated, NULL ok): xcrun devicectl device
 * process launch --device UDID --terminate-existing
 * --environment-variables JSON BUNDLE (JSON with sorted keys).  New
 * NULL-terminated array (jt_devicectl_argv_free), or NULL with JT_ENOMEM,
 * JT_EINVAL for an entry without '='.
 */
char **jt_devicectl_argv(const char *udid, const char *bundle_id,
			 const char *const *env, struct jt_error *err);

/* jt_devicectl_argv_free - free an array from jt_devicectl_argv. */
void jt_devicectl_argv_free(char **argv);

/*
 * jt_devicectl_launch - run that command and wait up to wait_ms for it.
 * 0 when it exits 0; else -1 with JT_EDEVICE and the start of what it
 * wrote on stderr (escaped), or JT_EIO when it cannot be run.
 */
int jt_devicectl_launch(const char *udid, const char *bundle_id,
			const char *const *env, int64_t wait_ms,
			struct jt_error *err);

#endif
