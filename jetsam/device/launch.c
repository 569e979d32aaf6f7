/*
 * launch.c - the unattended launcher: install, check, choose, start, end
 *
 * Each phone is prepared once, on its job's thread, the first time a run
 * asks for a launch: what fails there (an install the phone refused, an
 * app that is not installed) fails every run of that phone the same way,
 * quickly, instead of being retried against a phone that cannot do it.
 * The phones' states are reached under a lock; each is then touched by
 * its own job's thread only.
 */
#include "launch.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devicectl.h"
#include "probe/probe.h"

/* One phone, as far as it was prepared. */
struct phone {
	char *udid;
	int ready; /* prepared (or failed: err set) */
	enum jt_launch_route route;
	struct jt_device_app app;
	struct jt_error err; /* why no run of this phone can launch */
};

struct jt_launcher {
	struct jt_launcher_opts o;
	pthread_mutex_t lock;
	struct phone **phones;
	size_t nphones;
};

/* The variables, in the sorted order they are sent. */
static const struct {
	const char *name;
	size_t off;
} params[] = {
	{"JETSAM_PROBE_FILL", offsetof(struct jt_probe_params, fill)},
	{"JETSAM_PROBE_MARKER", offsetof(struct jt_probe_params, marker)},
	{"JETSAM_PROBE_MAX", offsetof(struct jt_probe_params, max)},
	{"JETSAM_PROBE_RAMP_TO", offsetof(struct jt_probe_params, ramp_to)},
	{"JETSAM_PROBE_RATE", offsetof(struct jt_probe_params, rate)},
	{"JETSAM_PROBE_STEP", offsetof(struct jt_probe_params, step)},
};
enum { NPARAMS = sizeof(params) / sizeof(params[0]) };

#define PARAM(p, i) (*(const char *const *)((const char *)(p) + params[i].off))

/* The option of each variable, for the probe's own parser. */
static const char *const options[NPARAMS] = {
	"--fill", "--marker", "--max", "--ramp-to", "--rate", "--step",
};

static int
run_id_ok(const char *id)
{
	size_t n = id != NULL ? strlen(id) : 0, i;

	if (n < 1 || n > 48)
		return 0;
	for (i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') ||
		      (id[i] >= 'A' && id[i] <= 'Z') ||
		      (id[i] >= '0' && id[i] <= '9') ||
		      strchr("._:,-", id[i]) != NULL))
			return 0;
	return 1;
}

void
jt_launch_env_free(char **env)
{
	size_t i;

	for (i = 0; env != NULL && env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

char **
jt_launch_env(const struct jt_probe_params *p, const char *run_id,
	      struct jt_error *err)
{
	char **env = calloc(NPARAMS + 2, sizeof(*env));
	size_t i, n = 0;

	if (env == NULL) {
		jt_error_oom(err, NULL);
		return NULL;
	}
	for (i = 0; i <= NPARAMS; i++) {
		const char *name, *value;
		size_t len;

		if (i < NPARAMS) {
			name = params[i].name;
			value = PARAM(p, i);
		} else {
			name = "JETSAM_PROBE_RUN_ID";
			value = run_id_ok(run_id) ? run_id : NULL;
		}
		if (value == NULL)
			continue;
		len = strlen(name) + strlen(value) + 2;
		env[n] = malloc(len);
		if (env[n] == NULL) {
			jt_launch_env_free(env);
			jt_error_oom(err, NULL);
			return NULL;
		}
		snprintf(env[n++], len, "%s=%s", name, value);
	}
	return env;
}

int
jt_probe_params_check(const struct jt_probe_params *p, struct jt_error *err)
{
	char *argv[2 * NPARAMS + 3], msg[256];
	struct jt_probe_config c;
	int argc = 0;
	size_t i;

	argv[argc++] = "jetsam-probe";
	argv[argc++] = "--syslog"; /* the app's sink; the parser wants one */
	for (i = 0; i < NPARAMS; i++)
		if (PARAM(p, i) != NULL) {
			argv[argc++] = (char *)options[i];
			argv[argc++] = (char *)PARAM(p, i);
		}
	argv[argc] = NULL;
	msg[0] = '\0';
	if (jt_probe_parse_args(&c, argc, argv, msg, sizeof(msg)) != 0)
		return jt_error_set_in(err, JT_EUSAGE, NULL,
				       "the probe would refuse this run: %s",
				       msg[0] != '\0' ? msg : "bad option");
	return 0;
}

enum jt_launch_route
jt_launch_route_choose(const char *product_version, int image_mounted,
		       int devicectl, const char **why)
{
	long major =
		product_version != NULL ? strtol(product_version, NULL, 10) : 0;

	if (major >= 17) {
		if (devicectl) {
			*why = "iOS 17 or later: developer services are "
			       "CoreDevice's, started with xcrun devicectl";
			return JT_LAUNCH_DEVICECTL;
		}
		*why = "iOS 17 or later serves debugserver only through "
		       "CoreDevice, which libimobiledevice 1.3.0 does not "
		       "speak; on a Mac with Xcode jetsam launches it with "
		       "xcrun devicectl";
		return JT_LAUNCH_PROMPT;
	}
	if (image_mounted == 1) {
		*why = "debugserver (the developer disk image is mounted)";
		return JT_LAUNCH_DEBUGSERVER;
	}
	if (image_mounted == 0)
		*why = "the developer disk image is not mounted, so "
		       "debugserver is not served: mount it (Xcode with the "
		       "phone attached, or ideviceimagemounter) to launch "
		       "from the host";
	else
		*why = "cannot ask mobile_image_mounter whether the developer "
		       "disk image is mounted";
	return JT_LAUNCH_PROMPT;
}

struct jt_launcher *
jt_launcher_new(const struct jt_launcher_opts *o, struct jt_error *err)
{
	struct jt_launcher *l;

	if (o->bundle_id == NULL || o->bundle_id[0] == '\0') {
		jt_error_set_in(err, JT_EUSAGE, NULL,
				"a launch needs the probe app's bundle id");
		return NULL;
	}
	if (jt_probe_params_check(&o->params, err) < 0)
		return NULL;
	l = calloc(1, sizeof(*l));
	if (l == NULL) {
		jt_error_oom(err, NULL);
		return NULL;
	}
	l->o = *o;
	if (l->o.wait_ms <= 0)
		l->o.wait_ms = 30000;
	pthread_mutex_init(&l->lock, NULL);
	return l;
}

void
jt_launcher_free(struct jt_launcher *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nphones; i++) {
		free(l->phones[i]->udid);
		jt_device_app_release(&l->phones[i]->app);
		free(l->phones[i]);
	}
	free(l->phones);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

/* phone_of - the state of udid, made on first use; NULL on ENOMEM. */
static struct phone *
phone_of(struct jt_launcher *l, const char *udid)
{
	struct phone *p = NULL, **grown;
	size_t i;

	pthread_mutex_lock(&l->lock);
	for (i = 0; i < l->nphones && p == NULL; i++)
		if (strcmp(l->phones[i]->udid, udid) == 0)
			p = l->phones[i];
	if (p == NULL) {
		grown = realloc(l->phones, (l->nphones + 1) * sizeof(*grown));
		p = grown != NULL ? calloc(1, sizeof(*p)) : NULL;
		if (grown != NULL)
			l->phones = grown;
		if (p != NULL && (p->udid = strdup(udid)) == NULL) {
			free(p);
			p = NULL;
		}
		if (p != NULL) {
			jt_error_init(&p->err);
			l->phones[l->nphones++] = p;
		}
	}
	pthread_mutex_unlock(&l->lock);
	return p;
}

static void
note(const struct jt_launcher *l, const char *udid, enum jt_launch_note what,
     const char *run_id, const char *text)
{
	if (l->o.note != NULL)
		l->o.note(l->o.ud, udid, what, run_id, text);
}

/* prepare - install if asked, check the app, choose the route, once. */
static void
prepare(struct jt_launcher *l, struct phone *p, struct jt_device *dev)
{
	const struct jt_device_info *info = jt_device_get_info(dev);
	struct jt_error local;
	const char *why = NULL;
	char text[JT_ERROR_TEXT + 512];
	int mounted = -1, rc;

	p->ready = 1;
	if (l->o.install_path != NULL) {
		if (jt_device_app_install(dev, l->o.install_path, &p->err) < 0)
			return;
		note(l, p->udid, JT_LAUNCH_NOTE_INSTALLED, NULL,
		     l->o.install_path);
	}
	rc = jt_device_app_lookup(dev, l->o.bundle_id, &p->app, &p->err);
	if (rc < 0)
		return;
	if (rc == 0) {
		jt_error_set_in(&p->err, JT_EDEVICE, p->udid,
				"the probe app '%s' is not installed on this "
				"phone: install it, or give --install PATH",
				l->o.bundle_id);
		return;
	}
	jt_error_init(&local);
	if (info->product_version == NULL ||
	    strtol(info->product_version, NULL, 10) < 17)
		mounted = jt_device_developer_image(dev, &local);
	p->route = jt_launch_route_choose(info->product_version, mounted,
					  l->o.devicectl, &why);
	if (p->route == JT_LAUNCH_PROMPT)
		snprintf(text, sizeof(text), "launch by hand: %s%s%s", why,
			 mounted < 0 && jt_error_isset(&local) ? ": " : "",
			 mounted < 0 && jt_error_isset(&local) ? local.text
							       : "");
	else
		snprintf(text, sizeof(text), "launching '%s' from the host: %s",
			 l->o.bundle_id, why);
	note(l, p->udid, JT_LAUNCH_NOTE_ROUTE, NULL, text);
}

int
jt_launcher_launch(struct jt_device *dev, const char *run_id, void *ud,
		   struct jt_error *err)
{
	struct jt_launcher *l = ud;
	const char *udid = jt_device_get_info(dev)->udid;
	struct jt_device_launch dl;
	struct phone *p = phone_of(l, udid);
	char **env;
	int rc;

	if (p == NULL)
		return jt_error_oom(err, udid);
	if (!p->ready)
		prepare(l, p, dev);
	if (jt_error_isset(&p->err)) {
		if (err != NULL && !jt_error_isset(err))
			*err = p->err;
		return -1;
	}
	if (p->route == JT_LAUNCH_PROMPT) {
		note(l, udid, JT_LAUNCH_NOTE_PROMPT, run_id, NULL);
		return 0;
	}
	env = jt_launch_env(&l->o.params, run_id, err);
	if (env == NULL)
		return -1;
	if (p->route == JT_LAUNCH_DEVICECTL) {
		rc = jt_devicectl_launch(udid, l->o.bundle_id,
					 (const char *const *)env, l->o.wait_ms,
					 err);
	} else {
		memset(&dl, 0, sizeof(dl));
		dl.app = &p->app;
		dl.env = (const char *const *)env;
		dl.wait_ms = l->o.wait_ms;
		rc = jt_device_app_launch(dev, &dl, err);
	}
	jt_launch_env_free(env);
	return rc;
}

void
jt_launcher_abandon(struct jt_device *dev, void *ud)
{
	struct jt_launcher *l = ud;
	const char *udid = jt_device_get_info(dev)->udid;
	struct phone *p = phone_of(l, udid);

	/* devicectl ends a running copy itself (--terminate-existing); a
	 * person force-quits it */
	if (p == NULL || !p->ready || jt_error_isset(&p->err) ||
	    p->route != JT_LAUNCH_DEBUGSERVER)
		return;
	if (jt_device_app_kill(dev, p->app.executable, NULL) == 1)
		note(l, udid, JT_LAUNCH_NOTE_ENDED, NULL, p->app.executable);
}
