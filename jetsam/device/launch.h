/*
 * launch.h - starting the probe app on a phone with nobody at it
 *
 * The launch hook of a device run (jetsam/device/devrun.h) that needs no
 * person: per phone, once, it installs the probe build when asked
 * (installation_proxy), checks the app is there, and chooses how to start
 * it; then, per run, it starts the app with the run's parameters as the
 * JETSAM_PROBE_* environment the probe reads (data/probelog-format.md),
 * the run's id among them, so the log names the run it belongs to.
 *
 * How, per phone, and why (told once through the note hook):
 *   - debugserver, where the phone serves it: iOS below 17 with a
 *     developer disk image mounted (mobile_image_mounter says so);
 *   - xcrun devicectl, for iOS 17 and later (developer services moved to
 *     CoreDevice, which libimobiledevice 1.3.0 does not speak), on a Mac
 *     with Xcode (jetsam/device/devicectl.h);
 *   - else a person: the note hook is asked to prompt at each run, as
 *     without a launcher, and says why once.
 * After a run that failed with the probe perhaps still running, the
 * abandon hook ends it (debugserver: attach by name and kill), so it
 * cannot weigh on the next run.
 *
 * Thread-safe: one launcher serves every job's thread; each phone's
 * state is its own.  It prints nothing.
 */
#ifndef JT_LAUNCH_H
#define JT_LAUNCH_H

#include <stdint.h>

#include "device.h"
#include "jetsam/core/error.h"

/* What a run asks of the probe: the text its JETSAM_PROBE_* variables
 * take ("20M", "75%", "touch"); NULL leaves the probe's default. */
struct jt_probe_params {
	const char *rate;    /* JETSAM_PROBE_RATE */
	const char *step;    /* JETSAM_PROBE_STEP */
	const char *max;     /* JETSAM_PROBE_MAX */
	const char *ramp_to; /* JETSAM_PROBE_RAMP_TO */
	const char *fill;    /* JETSAM_PROBE_FILL */
	const char *marker;  /* JETSAM_PROBE_MARKER */
};

enum jt_launch_route {
	JT_LAUNCH_DEBUGSERVER, /* com.apple.debugserver over usbmuxd */
	JT_LAUNCH_DEVICECTL,   /* xcrun devicectl on this Mac */
	JT_LAUNCH_PROMPT       /* a person opens the app */
};

/* What the note hook is told. */
enum jt_launch_note {
	JT_LAUNCH_NOTE_ROUTE,     /* once per phone: text says how and why */
	JT_LAUNCH_NOTE_INSTALLED, /* the probe build went on: text the file */
	JT_LAUNCH_NOTE_PROMPT,    /* a person must open the app for run_id */
	JT_LAUNCH_NOTE_ENDED      /* a probe left running was ended */
};

struct jt_launcher_opts {
	const char *bundle_id;    /* the probe app's (required) */
	const char *install_path; /* an .ipa or .app to install first; NULL:
				     it must be installed already */
	struct jt_probe_params params;
	int64_t wait_ms; /* how long a launch may take (0: 30 s) */
	int devicectl;   /* 1: xcrun devicectl may be used (see
			    jt_devicectl_available), 0: not */
	/*
	 * note - told on the job's thread (NULL ok); run_id is NULL except
	 * for JT_LAUNCH_NOTE_PROMPT.  Output must hold its own lock.
	 */
	void (*note)(void *ud, const char *udid, enum jt_launch_note what,
		     const char *run_id, const char *text);
	void *ud;
};

struct jt_launcher;

/*
 * jt_launcher_new - a launcher for o (copied; its strings and ud are
 * borrowed and must outlive it).  NULL with JT_EUSAGE for no bundle id or
 * parameters the probe would refuse (jt_probe_params_check), JT_ENOMEM.
 */
struct jt_launcher *jt_launcher_new(const struct jt_launcher_opts *o,
				    struct jt_error *err);

/* jt_launcher_free - free l; NULL is a no-op. */
void jt_launcher_free(struct jt_launcher *l);

/*
 * jt_launcher_launch - the launch hook (jt_devrun_opts.launch, with the
 * launcher as ud): start the probe on dev for run_id.  -1 with err when
 * the phone could not be prepared (install, lookup: every run of the
 * phone then fails the same way) or the launch failed.
 */
int jt_launcher_launch(struct jt_device *dev, const char *run_id, void *ud,
		       struct jt_error *err);

/* jt_launcher_abandon - the abandon hook: end the probe this launcher
 * started on dev, if it can (debugserver); errors are not the run's. */
void jt_launcher_abandon(struct jt_device *dev, void *ud);

/*
 * jt_launch_route_choose - how to start an app on a phone with iOS
 * product_version (NULL: unknown), a developer image mounted (1), not
 * (0) or unknown (-1), and devicectl usable here: the route, and in *why
 * (static text) the reason given to the person at the bench.
 */
enum jt_launch_route jt_launch_route_choose(const char *product_version,
					    int image_mounted, int devicectl,
					    const char **why);

/*
 * jt_launch_env - the environment for a run: "JETSAM_PROBE_<NAME>=value"
 * for each parameter set, sorted, then JETSAM_PROBE_RUN_ID when run_id is
 * one the probe takes (1-48 of A-Z a-z 0-9 . _ : , -; else left out).
 * New NULL-terminated array (jt_launch_env_free), or NULL with JT_ENOMEM.
 */
char **jt_launch_env(const struct jt_probe_params *p, const char *run_id,
		     struct jt_error *err);

/* jt_launch_env_free - free an array from jt_launch_env (NULL ok). */
void jt_launch_env_free(char **env);

/*
 * jt_probe_params_check - whether the probe accepts p, checked with the
 * probe's own option parser (probe/probe.h): 0, or -1 with JT_EUSAGE and
 * its message naming the bad value.
 */
int jt_probe_params_check(const struct jt_probe_params *p,
			  struct jt_error *err);

#endif
