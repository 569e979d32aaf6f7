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
 */
#include "device.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libimobiledevice/afc.h>
#include <libimobiledevice/libimobiledevice.h>
#include <libimobiledevice/lockdown.h>
#include <libimobiledevice/service.h>
#include <libimobiledevice/syslog_relay.h>
#include <plist/plist.h>

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
