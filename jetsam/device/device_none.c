/*
 * device_none.c - jetsam/device/device.h for a build without libimobiledevice
 *
 * "make WITH_DEVICE=0" links this file instead of device.c, so every
 * command still builds and runs; the device commands fail with one clear
 * message instead of a link error.
 */
#include "device.h"

#include <string.h>

#define NONE "built without libimobiledevice (WITH_DEVICE=0)"

int
jt_device_udids(char ***udids, size_t *n, struct jt_error *err)
{
	*udids = NULL;
	*n = 0;
	return jt_error_set_in(err, JT_EUNSUPPORTED, NULL, NONE);
}

void
jt_device_udids_free(char **udids)
{
	(void)udids;
}

int
jt_device_listed(const char *udid)
{
	(void)udid;
	return 0;
}

int
jt_device_identify(const char *udid, struct jt_device_info *info,
		   struct jt_error *err)
{
	memset(info, 0, sizeof(*info));
	return jt_error_set_in(err, JT_EUNSUPPORTED, udid, NONE);
}

struct jt_device *
jt_device_open(const char *udid, struct jt_error *err)
{
	jt_error_set_in(err, JT_EUNSUPPORTED, udid, NONE);
	return NULL;
}

void
jt_device_close(struct jt_device *dev)
{
	(void)dev;
}

const struct jt_device_info *
jt_device_get_info(const struct jt_device *dev)
{
	(void)dev;
	return NULL;
}

int
jt_device_reports_flush(struct jt_device *dev, int *pinged,
			struct jt_error *err)
{
	(void)dev;
	if (pinged != NULL)
		*pinged = 0;
	return jt_error_set_in(err, JT_EUNSUPPORTED, NULL, NONE);
}

int
jt_device_reports_list(struct jt_device *dev, struct jt_device_file **files,
		       size_t *n, struct jt_error *err)
{
	(void)dev;
	*files = NULL;
	*n = 0;
	return jt_error_set_in(err, JT_EUNSUPPORTED, NULL, NONE);
}

int
jt_device_report_read(struct jt_device *dev, const char *name,
		      int64_t expect_bytes, size_t max_bytes, char **buf,
		      size_t *len, struct jt_error *err)
{
	(void)dev;
	(void)expect_bytes;
	(void)max_bytes;
	*buf = NULL;
	*len = 0;
	return jt_error_set_in(err, JT_EUNSUPPORTED, name, NONE);
}

int
jt_device_report_remove(struct jt_device *dev, const char *name,
			struct jt_error *err)
{
	(void)dev;
	return jt_error_set_in(err, JT_EUNSUPPORTED, name, NONE);
}

int
jt_device_syslog_start(struct jt_device *dev, struct jt_error *err)
{
	(void)dev;
	return jt_error_set_in(err, JT_EUNSUPPORTED, NULL, NONE);
}

int
jt_device_syslog_read(struct jt_device *dev, char *buf, size_t size,
		      size_t *got, int timeout_ms, struct jt_error *err)
{
	(void)dev;
	(void)buf;
	(void)size;
	(void)timeout_ms;
	*got = 0;
	return jt_error_set_in(err, JT_EUNSUPPORTED, NULL, NONE);
}

void
jt_device_syslog_stop(struct jt_device *dev)
{
	(void)dev;
}

void
jt_device_app_release(struct jt_device_app *app)
{
	(void)app;
}

int
jt_device_app_lookup(struct jt_device *dev, const char *bundle_id,
		     struct jt_device_app *app, struct jt_error *err)
{
	(void)dev;
	(void)bundle_id;
	memset(app, 0, sizeof(*app));
	return jt_error_set_in(err, JT_EUNSUPPORTED, NULL, NONE);
}

int
jt_device_app_install(struct jt_device *dev, const char *local_path,
		      struct jt_error *err)
{
	(void)dev;
	(void)local_path;
	return jt_error_set_in(err, JT_EUNSUPPORTED, NULL, NONE);
}

int
jt_device_developer_image(struct jt_device *dev, struct jt_error *err)
{
	(void)dev;
	return jt_error_set_in(err, JT_EUNSUPPORTED, NULL, NONE);
}

int
jt_device_app_launch(struct jt_device *dev, const struct jt_device_launch *l,
		     struct jt_error *err)
{
	(void)dev;
	(void)l;
	return jt_error_set_in(err, JT_EUNSUPPORTED, NULL, NONE);
}

int
jt_device_app_kill(struct jt_device *dev, const char *executable,
		   struct jt_error *err)
{
	(void)dev;
	(void)executable;
	return jt_error_set_in(err, JT_EUNSUPPORTED, NULL, NONE);
}
