/*
 * device.c - jetsam/device/device.h over libimobiledevice 1.3.0
 *
 * The only file that includes libimobiledevice, so an API change of the
 * library (1.4 renamed and added a lot) touches one file.  Only 1.3.0 calls
 * are used; see ../shared/reference/libimobiledevice-1.3.0.md for the
 * traps this code avoids: AFC codes are positive, a syslog timeout of 0
 * blocks forever, syslog_relay_client_start_service hides the lockdown
 * error, the stock tools free lockdown twice.
 *
 * Syslog is read on the caller's thread with receive_with_timeout (no
 * capture thread), so a closed stream is an error the caller sees, and a
 * stream that ends is told apart from an unplugged device by asking
 * usbmuxd whether the device is still listed.
 *
 * Apps: installation_proxy's install runs on a thread of the library
 * (instproxy_install is asynchronous in 1.3.0 whatever its comment says),
 * so the callback hands the status over under a lock and we wait for
 * "Complete" or an error before instproxy_client_free: freeing first would
 * end that thread's loop at its next message, before the outcome. debugserver's
 * packets are framed and read here (gdbremote.h says why not with the library's
 * receive_response).
 */
#include "device.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <libimobiledevice/afc.h>
#include <libimobiledevice/debugserver.h>
#include <libimobiledevice/installation_proxy.h>
#include <libimobiledevice/libimobiledevice.h>
#include <libimobiledevice/lockdown.h>
#include <libimobiledevice/mobile_image_mounter.h>
#include <libimobiledevice/service.h>
#include <libimobiledevice/syslog_relay.h>
#include <plist/plist.h>

#include "gdbremote.h"
#include "jetsam/core/text.h"

#define LABEL "jetsamkit"
#define MOVER_SERVICE "com.apple.crashreportmover"
#define COPY_SERVICE "com.apple.crashreportcopymobile"

struct jt_device {
	idevice_t dev;
	lockdownd_client_t ld;
	afc_client_t afc;
	syslog_relay_client_t syslog;
	struct jt_device_info info;
};

static int
udid_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
jt_device_udids(char ***udids, size_t *n, struct jt_error *err)
{
	idevice_info_t *list = NULL;
	char **out;
	int count = 0, i;
	size_t k = 0, j;

	*udids = NULL;
	*n = 0;
	if (idevice_get_device_list_extended(&list, &count) !=
	    IDEVICE_E_SUCCESS)
		return jt_error_set_in(err, JT_EDEVICE, NULL,
				       "cannot reach usbmuxd: is it running?");
	out = calloc((size_t)count + 1, sizeof(*out));
	if (out == NULL) {
		idevice_device_list_extended_free(list);
		return jt_error_oom(err, NULL);
	}
	for (i = 0; i < count; i++) {
		int dup = 0;

		/* A phone on USB and Wi-Fi is listed twice: keep USB. */
		if (list[i]->conn_type != CONNECTION_USBMUXD)
			continue;
		for (j = 0; j < k; j++)
			if (strcmp(out[j], list[i]->udid) == 0)
				dup = 1;
		if (dup)
			continue;
		out[k] = strdup(list[i]->udid);
		if (out[k] == NULL) {
			idevice_device_list_extended_free(list);
			jt_device_udids_free(out);
			return jt_error_oom(err, NULL);
		}
		k++;
	}
	idevice_device_list_extended_free(list);
	qsort(out, k, sizeof(*out), udid_cmp);
	*udids = out;
	*n = k;
	return 0;
}

void
jt_device_udids_free(char **udids)
{
	size_t i;

	if (udids == NULL)
		return;
	for (i = 0; udids[i] != NULL; i++)
		free(udids[i]);
	free(udids);
}

/* still_listed - 1 when usbmuxd still lists udid, 0 when not (or down). */
static int
still_listed(const char *udid)
{
	char **udids;
	size_t n, i;
	int found = 0;

	if (jt_device_udids(&udids, &n, NULL) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(udids[i], udid) == 0)
			found = 1;
	jt_device_udids_free(udids);
	return found;
}

int
jt_device_listed(const char *udid)
{
	return udid != NULL && still_listed(udid);
}

/*
 * choose - check that udid (or the only device, when NULL) is connected;
 * a new copy of the udid to use, or NULL with the error.
 */
static char *
choose(const char *udid, struct jt_error *err)
{
	char **udids, *pick = NULL;
	size_t n, i;

	if (jt_device_udids(&udids, &n, err) < 0)
		return NULL;
	if (n == 0) {
		jt_error_set_in(err, JT_EDEVICE, udid,
				"no device connected (is it plugged in and "
				"unlocked?)");
	} else if (udid == NULL && n > 1) {
		jt_error_set_in(
			err, JT_EDEVICE, NULL,
			"%zu devices connected: choose one with -u UDID", n);
	} else if (udid == NULL) {
		pick = strdup(udids[0]);
	} else {
		for (i = 0; i < n; i++)
			if (strcmp(udids[i], udid) == 0)
				pick = strdup(udid);
		if (pick == NULL) {
			char shown[JT_ERROR_SOURCE];

			jt_error_set_in(
				err, JT_EUNKNOWN,
				jt_text_escape(shown, sizeof(shown), udid),
				"no connected device has this udid");
		}
	}
	jt_device_udids_free(udids);
	if (pick == NULL && !jt_error_isset(err))
		jt_error_oom(err, NULL);
	/* nothing is asked of a device whose udid is not one */
	if (pick != NULL && jt_device_udid_check(pick, err) < 0) {
		free(pick);
		pick = NULL;
	}
	return pick;
}

static enum jt_device_state
state_of(lockdownd_error_t le)
{
	switch (le) {
	case LOCKDOWN_E_SUCCESS:
		return JT_DEVICE_OK;
	case LOCKDOWN_E_PASSWORD_PROTECTED:
		return JT_DEVICE_LOCKED;
	case LOCKDOWN_E_PAIRING_DIALOG_RESPONSE_PENDING:
		return JT_DEVICE_PAIRING_PENDING;
	case LOCKDOWN_E_USER_DENIED_PAIRING:
	case LOCKDOWN_E_INVALID_HOST_ID:
	case LOCKDOWN_E_PAIRING_FAILED:
	case LOCKDOWN_E_INVALID_PAIR_RECORD:
	case LOCKDOWN_E_PAIRING_PROHIBITED_OVER_THIS_CONNECTION:
		return JT_DEVICE_UNTRUSTED;
	default:
		break;
	}
	return JT_DEVICE_UNREACHABLE;
}

/* lockdown_error - the one-line message for a handshake failure. */
static int
lockdown_error(struct jt_error *err, const char *udid, lockdownd_error_t le)
{
	switch (state_of(le)) {
	case JT_DEVICE_LOCKED:
		return jt_error_set_in(err, JT_EDEVICE, udid,
				       "passcode locked: unlock the device and "
				       "try again (lockdownd %d)",
				       le);
	case JT_DEVICE_PAIRING_PENDING:
		return jt_error_set_in(
			err, JT_EDEVICE, udid,
			"trust pending: unlock the device and tap "
			"Trust, then try again (lockdownd %d)",
			le);
	case JT_DEVICE_UNTRUSTED:
		return jt_error_set_in(err, JT_EDEVICE, udid,
				       "this computer is not trusted: %s; "
				       "re-plug the device and tap Trust "
				       "(lockdownd %d)",
				       lockdownd_strerror(le), le);
	default:
		break;
	}
	return jt_error_set_in(err, JT_EDEVICE, udid,
			       "lockdownd handshake failed: %s (%d)",
			       lockdownd_strerror(le), le);
}

/* get_string - a new copy of the string value key, or NULL. */
static char *
get_string(lockdownd_client_t ld, const char *key)
{
	plist_t node = NULL;
	char *s = NULL;

	if (lockdownd_get_value(ld, NULL, key, &node) == LOCKDOWN_E_SUCCESS &&
	    node != NULL && plist_get_node_type(node) == PLIST_STRING)
		plist_get_string_val(node, &s);
	plist_free(node);
	return s;
}

static void
read_identity(lockdownd_client_t ld, struct jt_device_info *info)
{
	info->product_type = get_string(ld, "ProductType");
	info->hardware_model = get_string(ld, "HardwareModel");
	info->product_version = get_string(ld, "ProductVersion");
	info->build_version = get_string(ld, "BuildVersion");
	info->device_name = get_string(ld, "DeviceName");
}

/*
 * connect_device - idevice + lockdownd session for udid (checked), and
 * info from lockdownd, checked (jt_device_identity_check).  On a lockdown
 * failure *le says which, and info gets what lockdownd still answers
 * without a session.  An identity that fails the checks fails the connect
 * (info->state JT_DEVICE_REFUSED) even when the handshake failed too: a
 * hostile device is the thing to say.
 */
static int
connect_device(const char *udid, idevice_t *devp, lockdownd_client_t *ldp,
	       struct jt_device_info *info, lockdownd_error_t *le,
	       struct jt_error *err)
{
	idevice_t dev = NULL;
	lockdownd_client_t ld = NULL;

	*le = LOCKDOWN_E_UNKNOWN_ERROR;
	if (idevice_new_with_options(&dev, udid, IDEVICE_LOOKUP_USBMUX) !=
	    IDEVICE_E_SUCCESS)
		return jt_error_set_in(err, JT_EDEVICE, udid,
				       "device is no longer connected");
	*le = lockdownd_client_new_with_handshake(dev, &ld, LABEL);
	if (*le != LOCKDOWN_E_SUCCESS) {
		lockdownd_client_t bare = NULL;

		info->state = state_of(*le);
		info->state_detail = strdup(lockdownd_strerror(*le));
		/* Without a session lockdownd still tells who it is. */
		if (lockdownd_client_new(dev, &bare, LABEL) ==
		    LOCKDOWN_E_SUCCESS) {
			read_identity(bare, info);
			lockdownd_client_free(bare);
		}
		idevice_free(dev);
		if (jt_device_identity_check(info, err) < 0) {
			info->state = JT_DEVICE_REFUSED;
			free(info->state_detail);
			info->state_detail = NULL;
			return -1;
		}
		return lockdown_error(err, udid, *le);
	}
	read_identity(ld, info);
	if (jt_device_identity_check(info, err) < 0) {
		info->state = JT_DEVICE_REFUSED;
		lockdownd_client_free(ld);
		idevice_free(dev);
		return -1;
	}
	info->state = JT_DEVICE_OK;
	*devp = dev;
	*ldp = ld;
	return 0;
}

int
jt_device_identify(const char *udid, struct jt_device_info *info,
		   struct jt_error *err)
{
	idevice_t dev = NULL;
	lockdownd_client_t ld = NULL;
	lockdownd_error_t le;
	struct jt_error local;

	memset(info, 0, sizeof(*info));
	jt_error_init(&local);
	if (jt_device_udid_check(udid, &local) < 0) {
		char shown[JT_ERROR_SOURCE];

		/* listed as refused, under its escaped udid, never asked */
		info->udid = strdup(jt_text_escape(shown, sizeof(shown), udid));
		info->state = JT_DEVICE_REFUSED;
		info->state_detail = strdup(local.text);
		if (info->udid == NULL || info->state_detail == NULL)
			return jt_error_oom(err, NULL);
		return 0;
	}
	info->udid = strdup(udid);
	if (info->udid == NULL)
		return jt_error_oom(err, udid);
	info->state = JT_DEVICE_UNREACHABLE;
	if (connect_device(udid, &dev, &ld, info, &le, &local) < 0) {
		/* Locked, untrusted, pending or refused: listed so. */
		if (info->state_detail == NULL)
			info->state_detail = strdup(local.text);
		return 0;
	}
	lockdownd_client_free(ld);
	idevice_free(dev);
	return 0;
}

struct jt_device *
jt_device_open(const char *udid, struct jt_error *err)
{
	struct jt_device *d;
	lockdownd_error_t le;
	char *pick;

	pick = choose(udid, err);
	if (pick == NULL)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (d == NULL) {
		free(pick);
		jt_error_oom(err, udid);
		return NULL;
	}
	d->info.udid = pick;
	if (connect_device(pick, &d->dev, &d->ld, &d->info, &le, err) < 0) {
		jt_device_close(d);
		return NULL;
	}
	return d;
}

void
jt_device_close(struct jt_device *d)
{
	if (d == NULL)
		return;
	if (d->syslog != NULL)
		syslog_relay_client_free(d->syslog);
	if (d->afc != NULL)
		afc_client_free(d->afc);
	if (d->ld != NULL)
		lockdownd_client_free(d->ld);
	if (d->dev != NULL)
		idevice_free(d->dev);
	jt_device_info_release(&d->info);
	free(d);
}

const struct jt_device_info *
jt_device_get_info(const struct jt_device *d)
{
	return &d->info;
}

/* start_service - a new service descriptor for name, or NULL + error. */
static lockdownd_service_descriptor_t
start_service(struct jt_device *d, const char *name, struct jt_error *err)
{
	lockdownd_service_descriptor_t svc = NULL;
	lockdownd_error_t le;

	le = lockdownd_start_service(d->ld, name, &svc);
	if (le == LOCKDOWN_E_SUCCESS && svc != NULL)
		return svc;
	lockdownd_service_descriptor_free(svc);
	if (le == LOCKDOWN_E_PASSWORD_PROTECTED)
		jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				"passcode locked: unlock the device to start "
				"'%s' (lockdownd %d)",
				name, le);
	else if (le == LOCKDOWN_E_INVALID_SERVICE)
		jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				"service '%s' is not available on this device "
				"(lockdownd %d)",
				name, le);
	else if (!still_listed(d->info.udid))
		jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				"device was unplugged while starting '%s'",
				name);
	else
		jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				"cannot start service '%s': %s (%d)", name,
				lockdownd_strerror(le), le);
	return NULL;
}

int
jt_device_reports_flush(struct jt_device *d, int *pinged, struct jt_error *err)
{
	lockdownd_service_descriptor_t svc;
	service_client_t mover = NULL;
	char ping[4];
	uint32_t got = 0;
	size_t have = 0;
	int tries;

	if (pinged != NULL)
		*pinged = 0;
	svc = start_service(d, MOVER_SERVICE, err);
	if (svc == NULL)
		return -1;
	if (service_client_new(d->dev, svc, &mover) != SERVICE_E_SUCCESS) {
		lockdownd_service_descriptor_free(svc);
		return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				       "cannot connect to '%s'", MOVER_SERVICE);
	}
	lockdownd_service_descriptor_free(svc);
	/* The mover says "ping" when it has moved everything. */
	for (tries = 0; tries < 10 && have < sizeof(ping); tries++) {
		service_error_t se = service_receive_with_timeout(
			mover, ping + have, (uint32_t)(sizeof(ping) - have),
			&got, 1000);

		if (se == SERVICE_E_SUCCESS)
			have += got;
		else if (se != SERVICE_E_TIMEOUT)
			break;
	}
	service_client_free(mover);
	if (pinged != NULL)
		*pinged = have == sizeof(ping) && memcmp(ping, "ping", 4) == 0;
	return 0;
}

static int
open_afc(struct jt_device *d, struct jt_error *err)
{
	lockdownd_service_descriptor_t svc;
	afc_error_t ae;

	if (d->afc != NULL)
		return 0;
	svc = start_service(d, COPY_SERVICE, err);
	if (svc == NULL)
		return -1;
	ae = afc_client_new(d->dev, svc, &d->afc);
	lockdownd_service_descriptor_free(svc);
	if (ae != AFC_E_SUCCESS) {
		d->afc = NULL;
		return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				       "cannot connect to '%s' (afc %d)",
				       COPY_SERVICE, ae);
	}
	return 0;
}

/*
 * afc_error - the error for a failed AFC call on name during what: a file
 * that is gone (JT_EIO, ENOENT) or that the device would not serve
 * (JT_EIO, when per_file) concerns that file only; an unplugged device, or
 * any failure that is not about one file, is JT_EDEVICE.
 */
static int
afc_error(struct jt_device *d, afc_error_t ae, const char *name,
	  const char *what, int per_file, struct jt_error *err)
{
	char shown[JT_ERROR_SOURCE];

	jt_text_escape(shown, sizeof(shown), name);
	if (ae == AFC_E_OBJECT_NOT_FOUND) {
		jt_error_set_in(err, JT_EIO, d->info.udid,
				"'%s' vanished from the device during %s",
				shown, what);
		if (err != NULL)
			err->errnum = ENOENT;
		return -1;
	}
	if (!still_listed(d->info.udid))
		return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				       "device was unplugged during %s of '%s'",
				       what, shown);
	jt_error_set_in(err, per_file ? JT_EIO : JT_EDEVICE, d->info.udid,
			"%s of '%s' failed (afc %d)", what, shown, ae);
	if (per_file && err != NULL)
		err->errnum = EIO;
	return -1;
}

/*
 * afc_path - "/" + name into a new string, after the name check: a name
 * that is refused is never sent back to the device.
 */
static char *
afc_path(struct jt_device *d, const char *name, struct jt_error *err)
{
	char *path;

	if (jt_device_file_name_check(name, d->info.udid, err) < 0)
		return NULL;
	path = malloc(strlen(name) + 2);
	if (path == NULL) {
		jt_error_oom(err, d->info.udid);
		return NULL;
	}
	path[0] = '/';
	strcpy(path + 1, name);
	return path;
}

static const char *
info_value(char **info, const char *key)
{
	size_t i;

	for (i = 0; info != NULL && info[i] != NULL && info[i + 1] != NULL;
	     i += 2)
		if (strcmp(info[i], key) == 0)
			return info[i + 1];
	return NULL;
}

/* info_number - the value of key as digits only (no sign, no blanks) that
 * fit an int64, or -1: a size the device states must be one. */
static int64_t
info_number(char **info, const char *key)
{
	const char *v = info_value(info, key);
	int64_t n = 0;
	size_t i;

	if (v == NULL || v[0] == '\0')
		return -1;
	for (i = 0; v[i] != '\0'; i++) {
		if (v[i] < '0' || v[i] > '9' || n > (INT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (v[i] - '0');
	}
	return n;
}

static int
file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct jt_device_file *)a)->name,
		      ((const struct jt_device_file *)b)->name);
}

/*
 * list_entry - fill f for the listed name: checked, then stat'ed.  Returns
 * 1 when f is to be listed, 0 when not (not a regular file, gone), -1 on
 * a device failure.
 */
static int
list_entry(struct jt_device *d, const char *name, struct jt_device_file *f,
	   struct jt_error *err)
{
	struct jt_error local;
	char **info = NULL, *path;
	const char *v;
	afc_error_t ae;
	int64_t mtime_ns;

	memset(f, 0, sizeof(*f));
	f->size_bytes = -1;
	f->mtime_unix_s = -1;
	f->name = strdup(name);
	if (f->name == NULL)
		return jt_error_oom(err, d->info.udid);
	jt_error_init(&local);
	path = afc_path(d, name, &local);
	if (path == NULL) {
		if (local.code == JT_ENOMEM)
			return jt_error_oom(err, d->info.udid);
		/* listed as refused, on its own */
		f->refused = strdup(local.text);
		if (f->refused == NULL)
			return jt_error_oom(err, d->info.udid);
		return 1;
	}
	ae = afc_get_file_info(d->afc, path, &info);
	free(path);
	if (ae == AFC_E_OBJECT_NOT_FOUND)
		return 0; /* gone since the listing */
	if (ae != AFC_E_SUCCESS)
		return afc_error(d, ae, name, "stat", 0, err);
	v = info_value(info, "st_ifmt");
	if (v == NULL || strcmp(v, "S_IFREG") != 0) {
		afc_dictionary_free(info);
		return 0;
	}
	f->size_bytes = info_number(info, "st_size");
	mtime_ns = info_number(info, "st_mtime");
	f->mtime_unix_s = mtime_ns >= 0 ? mtime_ns / 1000000000LL : -1;
	afc_dictionary_free(info);
	return 1;
}

int
jt_device_reports_list(struct jt_device *d, struct jt_device_file **files,
		       size_t *n, struct jt_error *err)
{
	struct jt_device_file *out = NULL;
	char **list = NULL;
	size_t k = 0, cap = 0, i;
	afc_error_t ae;

	*files = NULL;
	*n = 0;
	if (open_afc(d, err) < 0)
		return -1;
	ae = afc_read_directory(d->afc, "/", &list);
	if (ae != AFC_E_SUCCESS)
		return afc_error(d, ae, "/", "listing", 0, err);
	for (i = 0; list != NULL && list[i] != NULL; i++) {
		int rc;

		if (strcmp(list[i], ".") == 0 || strcmp(list[i], "..") == 0)
			continue;
		if (k == cap) {
			struct jt_device_file *grown;

			cap = cap ? 2 * cap : 16;
			grown = realloc(out, cap * sizeof(*out));
			if (grown == NULL) {
				afc_dictionary_free(list);
				jt_device_files_free(out, k);
				return jt_error_oom(err, NULL);
			}
			out = grown;
		}
		rc = list_entry(d, list[i], &out[k], err);
		if (rc < 0) {
			afc_dictionary_free(list);
			jt_device_files_free(out, k + 1);
			return -1;
		}
		if (rc == 0)
			jt_device_file_release(&out[k]);
		else
			k++;
	}
	afc_dictionary_free(list);
	if (k > 0)
		qsort(out, k, sizeof(*out), file_cmp);
	*files = out;
	*n = k;
	return 0;
}

int
jt_device_report_read(struct jt_device *d, const char *name,
		      int64_t expect_bytes, size_t max_bytes, char **buf,
		      size_t *len, struct jt_error *err)
{
	char *path, *data = NULL, shown[JT_ERROR_SOURCE];
	size_t have = 0, cap = 0, limit = max_bytes;
	uint64_t h = 0;
	afc_error_t ae;

	*buf = NULL;
	*len = 0;
	jt_text_escape(shown, sizeof(shown), name);
	if (expect_bytes >= 0 && (uint64_t)expect_bytes > max_bytes)
		return jt_error_set_in(err, JT_ELIMIT, d->info.udid,
				       "'%s' is %lld bytes, the device says: "
				       "more than the %zu a report may have",
				       shown, (long long)expect_bytes,
				       max_bytes);
	/* one byte past the stated size is enough to know it is wrong */
	if (expect_bytes >= 0)
		limit = (size_t)expect_bytes + 1;
	if (open_afc(d, err) < 0)
		return -1;
	path = afc_path(d, name, err);
	if (path == NULL)
		return -1;
	ae = afc_file_open(d->afc, path, AFC_FOPEN_RDONLY, &h);
	free(path);
	if (ae != AFC_E_SUCCESS)
		return afc_error(d, ae, name, "open", 1, err);
	for (;;) {
		uint32_t got = 0, want;

		if (cap - have < 65536 && cap < limit + 1) {
			char *grown;

			cap = cap ? 2 * cap : 131072;
			if (cap > limit + 1)
				cap = limit + 1;
			grown = realloc(data, cap + 1);
			if (grown == NULL) {
				free(data);
				afc_file_close(d->afc, h);
				return jt_error_oom(err, d->info.udid);
			}
			data = grown;
		}
		/* Each call returns at most one AFC packet; 0 is the end. */
		want = (uint32_t)(cap - have < 65536 ? cap - have : 65536);
		ae = afc_file_read(d->afc, h, data + have, want, &got);
		if (ae != AFC_E_SUCCESS) {
			free(data);
			afc_file_close(d->afc, h);
			return afc_error(d, ae, name, "transfer", 1, err);
		}
		if (got == 0)
			break;
		have += got;
		if (have > limit) {
			free(data);
			afc_file_close(d->afc, h);
			if (expect_bytes >= 0)
				return jt_error_set_in(
					err, JT_EINVAL, d->info.udid,
					"'%s': the copy is longer than the "
					"%lld bytes the device said: not "
					"verified",
					shown, (long long)expect_bytes);
			return jt_error_set_in(err, JT_ELIMIT, d->info.udid,
					       "'%s' is larger than the %zu "
					       "bytes a report may have",
					       shown, max_bytes);
		}
	}
	afc_file_close(d->afc, h);
	if (expect_bytes >= 0 && (int64_t)have != expect_bytes) {
		free(data);
		return jt_error_set_in(err, JT_EINVAL, d->info.udid,
				       "'%s': the copy is %zu bytes, the "
				       "device said %lld: not verified",
				       shown, have, (long long)expect_bytes);
	}
	if (data == NULL) {
		data = malloc(1);
		if (data == NULL)
			return jt_error_oom(err, d->info.udid);
	}
	data[have] = '\0';
	*buf = data;
	*len = have;
	return 0;
}

int
jt_device_report_remove(struct jt_device *d, const char *name,
			struct jt_error *err)
{
	char *path;
	afc_error_t ae;

	if (open_afc(d, err) < 0)
		return -1;
	path = afc_path(d, name, err);
	if (path == NULL)
		return -1;
	ae = afc_remove_path(d->afc, path);
	free(path);
	if (ae != AFC_E_SUCCESS)
		return afc_error(d, ae, name, "removal", 1, err);
	return 0;
}

int
jt_device_syslog_start(struct jt_device *d, struct jt_error *err)
{
	lockdownd_service_descriptor_t svc;
	syslog_relay_error_t se;

	if (d->syslog != NULL)
		return 0;
	/* Not syslog_relay_client_start_service: it hides a -17. */
	svc = start_service(d, SYSLOG_RELAY_SERVICE_NAME, err);
	if (svc == NULL)
		return -1;
	se = syslog_relay_client_new(d->dev, svc, &d->syslog);
	lockdownd_service_descriptor_free(svc);
	if (se != SYSLOG_RELAY_E_SUCCESS) {
		d->syslog = NULL;
		return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				       "cannot connect to '%s' (%d)",
				       SYSLOG_RELAY_SERVICE_NAME, se);
	}
	return 0;
}

int
jt_device_syslog_read(struct jt_device *d, char *buf, size_t size, size_t *got,
		      int timeout_ms, struct jt_error *err)
{
	syslog_relay_error_t se;
	uint32_t n = 0;

	*got = 0;
	if (d->syslog == NULL)
		return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				       "syslog was not started");
	/* A timeout of 0 would block forever in libusbmuxd. */
	se = syslog_relay_receive_with_timeout(
		d->syslog, buf, (uint32_t)size, &n,
		(unsigned int)(timeout_ms > 0 ? timeout_ms : 1));
	if (se == SYSLOG_RELAY_E_SUCCESS && n > 0) {
		*got = n;
		return 1;
	}
	if (se == SYSLOG_RELAY_E_SUCCESS || se == SYSLOG_RELAY_E_TIMEOUT)
		return 0;
	if (!still_listed(d->info.udid))
		return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				       "device was unplugged during capture");
	return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
			       "syslog stream closed by the device (%d)", se);
}

void
jt_device_syslog_stop(struct jt_device *d)
{
	if (d != NULL && d->syslog != NULL) {
		syslog_relay_client_free(d->syslog);
		d->syslog = NULL;
	}
}

/* ---- apps ----------------------------------------------------------------
 */

#define INSTALL_DIR "PublicStaging"
#define DEVIMAGE_TYPE "Developer"

void
jt_device_app_release(struct jt_device_app *app)
{
	if (app == NULL)
		return;
	free(app->bundle_id);
	free(app->executable);
	free(app->path);
	free(app->container);
	free(app->version);
	memset(app, 0, sizeof(*app));
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * app_value - a new copy of the string key of dict, checked: plain text
 * (and, when absolute, starting with '/' without a ".." component); NULL
 * when absent.  -1 for a value that fails, with the message naming key.
 */
static int
app_value(struct jt_device *d, plist_t dict, const char *key, int absolute,
	  char **out, struct jt_error *err)
{
	plist_t n = plist_dict_get_item(dict, key);
	char *v = NULL, shown[64];

	*out = NULL;
	if (n == NULL)
		return 0;
	if (plist_get_node_type(n) == PLIST_STRING)
		plist_get_string_val(n, &v);
	if (v != NULL && v[0] != '\0' && strlen(v) < 1024 &&
	    jt_text_is_plain(v) &&
	    (!absolute ||
	     (v[0] == '/' && strstr(v, "/../") == NULL &&
	      (strlen(v) < 3 || strcmp(v + strlen(v) - 3, "/..") != 0)))) {
		*out = v;
		return 0;
	}
	jt_text_escape(shown, sizeof(shown), v != NULL ? v : "(not a string)");
	free(v);
	return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
			       "refusing installation_proxy's answer: its "
			       "%s '%s' is not %s",
			       key, shown,
			       absolute ? "an absolute path" : "plain text");
}

/* instproxy_open - a client of installation_proxy, or NULL + error. */
static instproxy_client_t
instproxy_open(struct jt_device *d, struct jt_error *err)
{
	lockdownd_service_descriptor_t svc;
	instproxy_client_t ip = NULL;
	instproxy_error_t ie;

	svc = start_service(d, INSTPROXY_SERVICE_NAME, err);
	if (svc == NULL)
		return NULL;
	ie = instproxy_client_new(d->dev, svc, &ip);
	lockdownd_service_descriptor_free(svc);
	if (ie != INSTPROXY_E_SUCCESS) {
		jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				"cannot connect to '%s' (%d)",
				INSTPROXY_SERVICE_NAME, ie);
		return NULL;
	}
	return ip;
}

int
jt_device_app_lookup(struct jt_device *d, const char *bundle_id,
		     struct jt_device_app *app, struct jt_error *err)
{
	const char *ids[2] = {bundle_id, NULL};
	plist_t opts, result = NULL, entry;
	instproxy_client_t ip;
	instproxy_error_t ie;
	int rc;

	memset(app, 0, sizeof(*app));
	ip = instproxy_open(d, err);
	if (ip == NULL)
		return -1;
	opts = instproxy_client_options_new();
	instproxy_client_options_add(opts, "ApplicationType", "Any", NULL);
	instproxy_client_options_set_return_attributes(
		opts, "CFBundleIdentifier", "CFBundleExecutable", "Path",
		"Container", "CFBundleVersion", NULL);
	ie = instproxy_lookup(ip, ids, opts, &result);
	instproxy_client_options_free(opts);
	instproxy_client_free(ip);
	if (ie != INSTPROXY_E_SUCCESS) {
		plist_free(result);
		if (!still_listed(d->info.udid))
			return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
					       "device was unplugged while "
					       "looking up '%s'",
					       bundle_id);
		return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				       "installation_proxy could not look up "
				       "'%s' (%d)",
				       bundle_id, ie);
	}
	entry = result != NULL && plist_get_node_type(result) == PLIST_DICT
		? plist_dict_get_item(result, bundle_id)
		: NULL;
	if (entry == NULL || plist_get_node_type(entry) != PLIST_DICT) {
		plist_free(result);
		return 0;
	}
	rc = 0;
	app->bundle_id = strdup(bundle_id);
	if (app->bundle_id == NULL)
		rc = jt_error_oom(err, d->info.udid);
	if (rc == 0)
		rc = app_value(d, entry, "CFBundleExecutable", 0,
			       &app->executable, err);
	if (rc == 0)
		rc = app_value(d, entry, "Path", 1, &app->path, err);
	if (rc == 0)
		rc = app_value(d, entry, "Container", 1, &app->container, err);
	if (rc == 0)
		rc = app_value(d, entry, "CFBundleVersion", 0, &app->version,
			       err);
	plist_free(result);
	if (rc == 0 && (app->executable == NULL || app->path == NULL))
		rc = jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				     "installation_proxy gave no %s for '%s'",
				     app->path == NULL ? "Path"
						       : "CFBundleExecutable",
				     bundle_id);
	if (rc == 0 &&
	    jt_device_file_name_check(app->executable, d->info.udid, err) < 0)
		rc = -1;
	if (rc < 0) {
		jt_device_app_release(app);
		return -1;
	}
	return 1;
}

/* upload_file - copy the local file src to the device path dst over afc. */
static int
upload_file(struct jt_device *d, afc_client_t afc, const char *src,
	    const char *dst, struct jt_error *err)
{
	char buf[65536];
	uint64_t h = 0;
	afc_error_t ae;
	FILE *fp;
	size_t n;
	int rc = 0;

	fp = fopen(src, "rb");
	if (fp == NULL)
		return jt_error_set_errno(err, errno, src, "cannot open");
	ae = afc_file_open(afc, dst, AFC_FOPEN_WRONLY, &h);
	if (ae != AFC_E_SUCCESS) {
		fclose(fp);
		return afc_error(d, ae, dst, "upload", 0, err);
	}
	while (rc == 0 && (n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		uint32_t wrote = 0;

		ae = afc_file_write(afc, h, buf, (uint32_t)n, &wrote);
		if (ae != AFC_E_SUCCESS || wrote != n)
			rc = afc_error(
				d, ae != AFC_E_SUCCESS ? ae : AFC_E_IO_ERROR,
				dst, "upload", 0, err);
	}
	if (rc == 0 && ferror(fp))
		rc = jt_error_set_errno(err, EIO, src, "cannot read");
	fclose(fp);
	afc_file_close(afc, h);
	return rc;
}

/* upload_tree - src (a file, or a directory and everything in it) to the
 * device path dst; names are checked as a phone's are. */
static int
upload_tree(struct jt_device *d, afc_client_t afc, const char *src,
	    const char *dst, int depth, struct jt_error *err)
{
	struct dirent *de;
	struct stat st;
	DIR *dir;
	int rc = 0;

	if (stat(src, &st) < 0)
		return jt_error_set_errno(err, errno, src, "cannot read");
	if (S_ISREG(st.st_mode))
		return upload_file(d, afc, src, dst, err);
	if (!S_ISDIR(st.st_mode) || depth > 32)
		return jt_error_set_in(err, JT_EINVAL, src,
				       "neither a file nor a directory");
	if (afc_make_directory(afc, dst) != AFC_E_SUCCESS)
		return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				       "cannot make '%s' on the device", dst);
	dir = opendir(src);
	if (dir == NULL)
		return jt_error_set_errno(err, errno, src, "cannot open");
	while (rc == 0 && (de = readdir(dir)) != NULL) {
		char *s2, *d2;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (jt_device_file_name_check(de->d_name, src, err) < 0) {
			rc = -1;
			break;
		}
		s2 = malloc(strlen(src) + strlen(de->d_name) + 2);
		d2 = malloc(strlen(dst) + strlen(de->d_name) + 2);
		if (s2 == NULL || d2 == NULL) {
			rc = jt_error_oom(err, src);
		} else {
			sprintf(s2, "%s/%s", src, de->d_name);
			sprintf(d2, "%s/%s", dst, de->d_name);
			rc = upload_tree(d, afc, s2, d2, depth + 1, err);
		}
		free(s2);
		free(d2);
	}
	closedir(dir);
	return rc;
}

/* What installation_proxy's thread saw, handed over under lock. */
struct install_status {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int complete;
	char *error; /* "Name: description", escaped */
};

/* How long an install may take: a phone verifies the whole package. */
#define INSTALL_WAIT_S 600

static void
install_cb(plist_t command, plist_t status, void *ud)
{
	struct install_status *st = ud;
	char *name = NULL, *desc = NULL, *sname = NULL;
	uint64_t code = 0;

	(void)command;
	pthread_mutex_lock(&st->lock);
	if (instproxy_status_get_error(status, &name, &desc, &code) !=
		    INSTPROXY_E_SUCCESS &&
	    st->error == NULL) {
		char n1[128], d1[512];

		jt_text_escape(n1, sizeof(n1), name != NULL ? name : "error");
		jt_text_escape(d1, sizeof(d1), desc != NULL ? desc : "");
		st->error = malloc(strlen(n1) + strlen(d1) + 3);
		if (st->error != NULL)
			sprintf(st->error, "%s%s%s", n1, desc ? ": " : "",
				desc ? d1 : "");
	}
	instproxy_status_get_name(status, &sname);
	if (sname != NULL && strcmp(sname, "Complete") == 0)
		st->complete = 1;
	pthread_cond_signal(&st->cond);
	pthread_mutex_unlock(&st->lock);
	free(name);
	free(desc);
	free(sname);
}

/* install_wait - until the phone says Complete or an error, it is
 * unplugged, or INSTALL_WAIT_S pass. */
static void
install_wait(struct jt_device *d, struct install_status *st)
{
	int waited = 0;

	pthread_mutex_lock(&st->lock);
	while (!st->complete && st->error == NULL && waited < INSTALL_WAIT_S) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		if (pthread_cond_timedwait(&st->cond, &st->lock, &ts) != 0) {
			waited++;
			pthread_mutex_unlock(&st->lock);
			if (!still_listed(d->info.udid))
				return;
			pthread_mutex_lock(&st->lock);
		}
	}
	pthread_mutex_unlock(&st->lock);
}

int
jt_device_app_install(struct jt_device *d, const char *local_path,
		      struct jt_error *err)
{
	lockdownd_service_descriptor_t svc;
	struct install_status st;
	afc_client_t afc = NULL;
	instproxy_client_t ip;
	instproxy_error_t ie;
	const char *base;
	char *pkg = NULL;
	plist_t opts;
	struct stat sb;
	size_t blen;
	int rc;

	if (stat(local_path, &sb) < 0)
		return jt_error_set_errno(err, errno, local_path,
					  "cannot read");
	/* the package's name on the device: its last component */
	blen = strlen(local_path);
	while (blen > 1 && local_path[blen - 1] == '/')
		blen--;
	base = local_path + blen;
	while (base > local_path && base[-1] != '/')
		base--;
	pkg = malloc(sizeof(INSTALL_DIR) + 1 +
		     (size_t)(local_path + blen - base));
	if (pkg == NULL)
		return jt_error_oom(err, local_path);
	sprintf(pkg, "%s/%.*s", INSTALL_DIR, (int)(local_path + blen - base),
		base);
	if (jt_device_file_name_check(pkg + sizeof(INSTALL_DIR), local_path,
				      err) < 0) {
		free(pkg);
		return -1;
	}
	svc = start_service(d, AFC_SERVICE_NAME, err);
	if (svc == NULL) {
		free(pkg);
		return -1;
	}
	if (afc_client_new(d->dev, svc, &afc) != AFC_E_SUCCESS) {
		lockdownd_service_descriptor_free(svc);
		free(pkg);
		return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				       "cannot connect to '%s'",
				       AFC_SERVICE_NAME);
	}
	lockdownd_service_descriptor_free(svc);
	/* an old copy of the package would be merged with the new one */
	afc_remove_path_and_contents(afc, pkg);
	afc_make_directory(afc, INSTALL_DIR);
	rc = upload_tree(d, afc, local_path, pkg, 0, err);
	afc_client_free(afc);
	if (rc < 0) {
		free(pkg);
		return -1;
	}
	ip = instproxy_open(d, err);
	if (ip == NULL) {
		free(pkg);
		return -1;
	}
	opts = instproxy_client_options_new();
	if (S_ISDIR(sb.st_mode))
		instproxy_client_options_add(opts, "PackageType", "Developer",
					     NULL);
	pthread_mutex_init(&st.lock, NULL);
	pthread_cond_init(&st.cond, NULL);
	st.complete = 0;
	st.error = NULL;
	ie = instproxy_install(ip, pkg, opts, install_cb, &st);
	instproxy_client_options_free(opts);
	if (ie == INSTPROXY_E_SUCCESS)
		install_wait(d, &st);
	/* joins the status thread: st is final after this */
	instproxy_client_free(ip);
	pthread_mutex_destroy(&st.lock);
	pthread_cond_destroy(&st.cond);
	if (ie != INSTPROXY_E_SUCCESS)
		rc = jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				     "cannot start installing '%s' (%d)", pkg,
				     ie);
	else if (st.error != NULL)
		rc = jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				     "installing '%s' failed: %s", pkg,
				     st.error);
	else if (!st.complete)
		rc = jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				     "installing '%s' ended without "
				     "'Complete'%s",
				     pkg,
				     still_listed(d->info.udid)
					     ? ""
					     : ": the device was unplugged");
	free(st.error);
	free(pkg);
	return rc;
}

int
jt_device_developer_image(struct jt_device *d, struct jt_error *err)
{
	lockdownd_service_descriptor_t svc;
	mobile_image_mounter_client_t mim = NULL;
	mobile_image_mounter_error_t me;
	plist_t result = NULL, n;
	int mounted = 0;

	svc = start_service(d, MOBILE_IMAGE_MOUNTER_SERVICE_NAME, err);
	if (svc == NULL)
		return -1;
	me = mobile_image_mounter_new(d->dev, svc, &mim);
	lockdownd_service_descriptor_free(svc);
	if (me != MOBILE_IMAGE_MOUNTER_E_SUCCESS)
		return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				       "cannot connect to '%s' (%d)",
				       MOBILE_IMAGE_MOUNTER_SERVICE_NAME, me);
	me = mobile_image_mounter_lookup_image(mim, DEVIMAGE_TYPE, &result);
	mobile_image_mounter_hangup(mim);
	mobile_image_mounter_free(mim);
	if (me != MOBILE_IMAGE_MOUNTER_E_SUCCESS || result == NULL ||
	    plist_get_node_type(result) != PLIST_DICT) {
		plist_free(result);
		return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				       "mobile_image_mounter did not answer "
				       "LookupImage (%d)",
				       me);
	}
	n = plist_dict_get_item(result, "ImageSignature");
	if (n != NULL && plist_get_node_type(n) == PLIST_ARRAY &&
	    plist_array_get_size(n) > 0)
		mounted = 1;
	n = plist_dict_get_item(result, "ImagePresent");
	if (n != NULL && plist_get_node_type(n) == PLIST_BOOLEAN) {
		uint8_t b = 0;

		plist_get_bool_val(n, &b);
		if (b)
			mounted = 1;
	}
	plist_free(result);
	return mounted;
}

/* ---- debugserver ---------------------------------------------------------
 */

/* what - the name of the packet payload is, for messages ("A", "D",
 * "qLaunchSuccess", "vAttachName"), into buf. */
static const char *
packet_name(const char *payload, char *buf, size_t n)
{
	size_t k = strcspn(payload, ":;,");

	if (payload[0] == 'A' || payload[0] == 'D' || payload[0] == 'k')
		k = 1;
	snprintf(buf, n, "%.*s", (int)(k < 40 ? k : 40), payload);
	return buf;
}

/*
 * ds_exchange - send payload and wait up to wait_ms for its reply (into
 * reply, size JT_GDB_REPLY_MAX + 1).  Console output ('O' packets) on the
 * way is acknowledged and passed over.  A connection that closes counts as
 * an answer only when closing_ok (debugserver may hang up after 'k').
 */
static int
ds_exchange(struct jt_device *d, service_client_t c, const char *payload,
	    int64_t wait_ms, int closing_ok, char *reply, struct jt_error *err)
{
	int64_t deadline = now_ms() + wait_ms;
	struct jt_gdb_reader rd;
	char name[48], *frame;
	size_t flen;
	int sends = 0;

	packet_name(payload, name, sizeof(name));
	reply[0] = '\0';
	frame = jt_gdb_frame(payload, &flen, err);
	if (frame == NULL)
		return -1;
	jt_gdb_reader_init(&rd);
resend:
	if (++sends > 3) {
		free(frame);
		return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
				       "debugserver refused packet '%s' three "
				       "times",
				       name);
	}
	{
		uint32_t sent = 0, off = 0;

		while (off < flen) {
			if (service_send(c, frame + off, (uint32_t)(flen - off),
					 &sent) != SERVICE_E_SUCCESS ||
			    sent == 0) {
				free(frame);
				return jt_error_set_in(
					err, JT_EDEVICE, d->info.udid,
					"%s while sending '%s' to debugserver",
					still_listed(d->info.udid)
						? "connection lost"
						: "device was unplugged",
					name);
			}
			off += sent;
		}
	}
	while (now_ms() < deadline) {
		char buf[256];
		uint32_t got = 0, i;
		service_error_t de;

		de = service_receive_with_timeout(c, buf, sizeof(buf), &got,
						  100);
		if (de != SERVICE_E_SUCCESS && de != SERVICE_E_TIMEOUT) {
			free(frame);
			if (closing_ok)
				return 0;
			return jt_error_set_in(
				err, JT_EDEVICE, d->info.udid,
				"%s while waiting for debugserver's reply to "
				"'%s'",
				still_listed(d->info.udid)
					? "debugserver closed the connection"
					: "device was unplugged",
				name);
		}
		for (i = 0; i < got; i++) {
			switch (jt_gdb_reader_feed(&rd, buf[i])) {
			case JT_GDB_NAK:
				goto resend;
			case JT_GDB_BADSUM:
				service_send(c, "-", 1, NULL);
				break;
			case JT_GDB_TOOLONG:
			case JT_GDB_PACKET:
				service_send(c, "+", 1, NULL);
				/* console output is not the reply */
				if (rd.payload[0] == 'O' &&
				    strcmp(rd.payload, "OK") != 0)
					break;
				free(frame);
				memcpy(reply, rd.payload, rd.len + 1);
				return 0;
			default:
				break;
			}
		}
	}
	free(frame);
	return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
			       "debugserver did not answer '%s' within %lld s",
			       name, (long long)((wait_ms + 999) / 1000));
}

/* ds_connect - a connection to the service name, or NULL with *local
 * set. */
static service_client_t
ds_connect(struct jt_device *d, const char *name, struct jt_error *local)
{
	lockdownd_service_descriptor_t svc;
	service_client_t c = NULL;

	svc = start_service(d, name, local);
	if (svc == NULL)
		return NULL;
	if (service_client_new(d->dev, svc, &c) != SERVICE_E_SUCCESS) {
		lockdownd_service_descriptor_free(svc);
		jt_error_set_in(local, JT_EDEVICE, d->info.udid,
				"cannot connect to '%s'", name);
		return NULL;
	}
	lockdownd_service_descriptor_free(svc);
	return c;
}

/*
 * ds_open - a connection to debugserver, or NULL + error ("mount the
 * developer image" when the phone serves neither name).  iOS 14 and later
 * serve it as DVTSecureSocketProxy, over TLS when lockdownd says so;
 * older phones as com.apple.debugserver, in the clear (1.3.0's
 * debugserver_client_new turns TLS off on both, which breaks the first:
 * the reason for a plain service client here, as 1.4 does).
 */
static service_client_t
ds_open(struct jt_device *d, struct jt_error *err)
{
	struct jt_error local;
	service_client_t c;

	jt_error_init(&local);
	c = ds_connect(d, DEBUGSERVER_SECURE_SERVICE_NAME, &local);
	if (c != NULL)
		return c;
	jt_error_init(&local);
	c = ds_connect(d, DEBUGSERVER_SERVICE_NAME, &local);
	if (c != NULL) {
		service_disable_bypass_ssl(c, 1);
		return c;
	}
	if (err != NULL && !jt_error_isset(err)) {
		*err = local;
		if (strstr(local.text, "is not available") != NULL)
			snprintf(err->text, sizeof(err->text),
				 "debugserver is not served: mount the "
				 "developer disk image (Xcode, or "
				 "ideviceimagemounter) before a launch from "
				 "the host");
	}
	return NULL;
}

/* ds_expect_ok - exchange payload; anything but "OK" is an error saying
 * what was refused. */
static int
ds_expect_ok(struct jt_device *d, service_client_t c, const char *payload,
	     int64_t wait_ms, const char *what, struct jt_error *err)
{
	char reply[JT_GDB_REPLY_MAX + 1], shown[256];

	if (ds_exchange(d, c, payload, wait_ms, 0, reply, err) < 0)
		return -1;
	if (strcmp(reply, "OK") == 0)
		return 0;
	if (!jt_gdb_reply_error(reply, shown, sizeof(shown)))
		jt_text_escape(shown, sizeof(shown), reply);
	return jt_error_set_in(err, JT_EDEVICE, d->info.udid,
			       "debugserver refused %s: %s", what,
			       shown[0] != '\0' ? shown : "(no reason)");
}

/* ds_hex_packet - prefix + hex(value) into a new string. */
static char *
ds_hex_packet(const char *prefix, const char *value, struct jt_error *err)
{
	char *hex = jt_gdb_hex(value, err), *p;

	if (hex == NULL)
		return NULL;
	p = malloc(strlen(prefix) + strlen(hex) + 1);
	if (p == NULL)
		jt_error_oom(err, NULL);
	else
		sprintf(p, "%s%s", prefix, hex);
	free(hex);
	return p;
}

int
jt_device_app_launch(struct jt_device *d, const struct jt_device_launch *l,
		     struct jt_error *err)
{
	const struct jt_device_app *app = l->app;
	int64_t wait = l->wait_ms > 0 ? l->wait_ms : 30000;
	const char **argv = NULL;
	size_t nargs = 0, i;
	service_client_t c;
	char *exe = NULL, *pkt = NULL;
	int rc = -1;

	c = ds_open(d, err);
	if (c == NULL)
		return -1;
	if (app->container != NULL) {
		pkt = ds_hex_packet("QSetWorkingDir:", app->container, err);
		if (pkt == NULL ||
		    ds_expect_ok(d, c, pkt, 10000, "the working directory",
				 err) < 0)
			goto out;
		free(pkt);
		pkt = NULL;
	}
	for (i = 0; l->env != NULL && l->env[i] != NULL; i++) {
		pkt = ds_hex_packet("QEnvironmentHexEncoded:", l->env[i], err);
		if (pkt == NULL ||
		    ds_expect_ok(d, c, pkt, 10000, "the environment", err) < 0)
			goto out;
		free(pkt);
		pkt = NULL;
	}
	while (l->args != NULL && l->args[nargs] != NULL)
		nargs++;
	exe = malloc(strlen(app->path) + strlen(app->executable) + 2);
	argv = calloc(nargs + 1, sizeof(*argv));
	if (exe == NULL || argv == NULL) {
		jt_error_oom(err, d->info.udid);
		goto out;
	}
	sprintf(exe, "%s/%s", app->path, app->executable);
	argv[0] = exe;
	for (i = 0; i < nargs; i++)
		argv[i + 1] = l->args[i];
	pkt = jt_gdb_argv_packet(argv, nargs + 1, err);
	if (pkt == NULL ||
	    ds_expect_ok(d, c, pkt, wait, "the launch of the app", err) < 0 ||
	    ds_expect_ok(d, c, "qLaunchSuccess", wait, "the launch of the app",
			 err) < 0)
		goto out;
	/* Launched and stopped at its entry: let it go, undebugged. */
	if (ds_expect_ok(d, c, "D", 10000, "detaching from the app", err) < 0) {
		char reply[JT_GDB_REPLY_MAX + 1];

		(void)ds_exchange(d, c, "k", 5000, 1, reply, NULL);
		goto out;
	}
	rc = 0;
out:
	free(pkt);
	free(exe);
	free(argv);
	service_client_free(c);
	return rc;
}

int
jt_device_app_kill(struct jt_device *d, const char *executable,
		   struct jt_error *err)
{
	char reply[JT_GDB_REPLY_MAX + 1], *pkt;
	service_client_t c;
	int rc;

	c = ds_open(d, err);
	if (c == NULL)
		return -1;
	pkt = ds_hex_packet("vAttachName;", executable, err);
	rc = pkt == NULL ? -1 : ds_exchange(d, c, pkt, 15000, 0, reply, err);
	free(pkt);
	if (rc == 0 && (reply[0] == 'T' || reply[0] == 'S')) {
		/* attached and stopped: kill it; it may hang up after */
		rc = ds_exchange(d, c, "k", 10000, 1, reply, err) < 0 ? -1 : 1;
	} else if (rc == 0) {
		rc = 0; /* 'E': no such process to attach to */
	}
	service_client_free(c);
	return rc;
}
