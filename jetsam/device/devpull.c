/*
 * devpull.c - copying JetsamEvent reports off a device, safely
 *
 * Works through jetsam/device/device.h only, so it links in a build without
 * libimobiledevice too (where every device call fails cleanly).
 */
#include "devpull.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "jetsam/core/emit.h"
#include "jetsam/core/fileio.h"
#include "jetsam/core/text.h"

const char *
jt_pull_status_name(enum jt_pull_status s)
{
	switch (s) {
	case JT_PULL_COPIED:
		return "copied";
	case JT_PULL_SAME:
		return "same";
	case JT_PULL_CONFLICT:
		return "conflict";
	case JT_PULL_VANISHED:
		return "vanished";
	case JT_PULL_REFUSED:
		return "refused";
	case JT_PULL_OVERSIZED:
		return "oversized";
	case JT_PULL_UNVERIFIED:
		return "unverified";
	case JT_PULL_MISMATCH:
		return "mismatch";
	case JT_PULL_FAILED:
		break;
	}
	return "failed";
}

int
jt_pull_ok(enum jt_pull_status s)
{
	return s == JT_PULL_COPIED || s == JT_PULL_SAME ||
		s == JT_PULL_VANISHED;
}

int
jt_pull_wanted(const struct jt_device_file *f, const struct jt_pull_opts *o)
{
	if (!o->all_reports && strncmp(f->name, "JetsamEvent", 11) != 0)
		return 0;
	if (o->since_unix_s >= 0 && f->mtime_unix_s >= 0 &&
	    f->mtime_unix_s < o->since_unix_s)
		return 0;
	return 1;
}

/* same_content - 1 when path holds exactly buf, 0 when not, -1 error. */
static int
same_content(const char *path, const char *buf, size_t len,
	     struct jt_error *err)
{
	char *old = NULL;
	size_t oldlen = 0;
	int same;

	if (jt_read_file(path, len + 1, &old, &oldlen, NULL) < 0) {
		struct stat st;

		/* larger than buf: different; unreadable: an error */
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    (size_t)st.st_size > len)
			return 0;
		return jt_error_set_errno(err, errno, path, "cannot read");
	}
	same = oldlen == len && memcmp(old, buf, len) == 0;
	free(old);
	return same;
}

int
jt_pull_save(const char *dir, const char *name, const char *buf, size_t len,
	     enum jt_pull_status *status, struct jt_error *err)
{
	struct jt_atomic a;
	struct jt_error local;
	char *path;
	FILE *fp;
	int rc;

	*status = JT_PULL_FAILED;
	if (jt_device_file_name_check(name, dir, err) < 0)
		return -1;
	path = jt_path_join(dir, name);
	if (path == NULL)
		return jt_error_oom(err, name);
	if (access(path, F_OK) == 0) {
		rc = same_content(path, buf, len, err);
		free(path);
		if (rc < 0)
			return -1;
		*status = rc ? JT_PULL_SAME : JT_PULL_CONFLICT;
		return 0;
	}
	fp = jt_atomic_open(&a, path, err);
	if (fp == NULL) {
		free(path);
		return -1;
	}
	if (len > 0 && fwrite(buf, 1, len, fp) != len) {
		int e = errno;

		jt_atomic_abort(&a);
		rc = jt_error_set_errno(err, e, path, "cannot write");
		free(path);
		return rc;
	}
	jt_error_init(&local);
	if (jt_atomic_commit(&a, 1, &local) < 0) {
		/* someone else wrote the name meanwhile */
		if (local.errnum == EEXIST) {
			rc = same_content(path, buf, len, NULL);
			*status = rc == 1 ? JT_PULL_SAME : JT_PULL_CONFLICT;
			free(path);
			return 0;
		}
		if (err != NULL && !jt_error_isset(err))
			*err = local;
		free(path);
		return -1;
	}
	free(path);
	*status = JT_PULL_COPIED;
	return 0;
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

int
jt_pull_write_identity(const char *dir, const struct jt_device_info *info,
		       struct jt_error *err)
{
	json_t *obj, *old;
	json_error_t je;
	char *path;
	int rc;

	path = jt_path_join(dir, "device.json");
	if (path == NULL)
		return jt_error_oom(err, dir);
	old = json_load_file(path, 0, &je);
	if (old != NULL) {
		const char *u = json_string_value(json_object_get(old, "udid"));

		if (u == NULL || info->udid == NULL ||
		    strcmp(u, info->udid) != 0) {
			jt_error_set_in(err, JT_EINVAL, path,
					"this directory holds reports of "
					"another device (udid %s): use another "
					"-o DIR",
					u != NULL ? u : "unknown");
			json_decref(old);
			free(path);
			return -1;
		}
		json_decref(old);
	}
	obj = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "udid",
			str_or_null(info->udid), "product_type",
			str_or_null(info->product_type), "hardware_model",
			str_or_null(info->hardware_model), "product_version",
			str_or_null(info->product_version), "build_version",
			str_or_null(info->build_version), "device_name",
			str_or_null(info->device_name));
	if (obj == NULL) {
		free(path);
		return jt_error_oom(err, dir);
	}
	rc = jt_json_save_file(path, obj, err);
	json_decref(obj);
	free(path);
	return rc;
}

static int
make_dir(const char *dir, struct jt_error *err)
{
	struct stat st;

	if (mkdir(dir, 0755) == 0)
		return 0;
	if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return jt_error_set_errno(err, errno, dir, "cannot create directory");
}

void
jt_pull_free(struct jt_pulled *items, size_t n)
{
	size_t i;

	for (i = 0; items != NULL && i < n; i++) {
		free(items[i].name);
		free(items[i].path);
		free(items[i].detail);
	}
	free(items);
}

/* fail - p failed with status s for the reason in e (formatted into
 * detail).  Returns 0, or -1 when out of memory. */
static int
fail(struct jt_pulled *p, enum jt_pull_status s, const struct jt_error *e)
{
	char buf[JT_ERROR_TEXT + JT_ERROR_SOURCE + 64];

	p->status = s;
	free(p->detail);
	p->detail = strdup(jt_error_format(e, buf, sizeof(buf)));
	return p->detail != NULL ? 0 : -1;
}

/* read_status - the outcome of a failed read: the file's own (vanished,
 * oversized, mismatch, unreadable), or -1 when the device failed. */
static int
read_status(const struct jt_error *e)
{
	switch (e->code) {
	case JT_ELIMIT:
		return JT_PULL_OVERSIZED;
	case JT_EINVAL:
		return JT_PULL_MISMATCH;
	case JT_EIO:
		return e->errnum == ENOENT ? JT_PULL_VANISHED : JT_PULL_FAILED;
	default:
		break;
	}
	return -1;
}

/*
 * pull_one - copy the wanted file f of dev into p (name, path and size
 * set).  Returns 0 when p says what happened to the file, -1 when the
 * pull must stop (err set).
 */
static int
pull_one(struct jt_device *dev, const char *dir, const struct jt_pull_opts *o,
	 const struct jt_device_file *f, struct jt_pulled *p,
	 struct jt_error *err)
{
	const char *udid = jt_device_get_info(dev)->udid;
	char shown[JT_ERROR_SOURCE];
	struct jt_error local;
	char *buf = NULL;
	size_t len = 0;
	int st;

	jt_error_init(&local);
	jt_text_escape(shown, sizeof(shown), p->name);
	if (f->size_bytes < 0) {
		/* nothing to verify a copy against: leave it where it is */
		jt_error_set_in(&local, JT_EINVAL, udid,
				"'%s': the device states no usable size, so a "
				"copy cannot be verified: not copied, left on "
				"the device",
				shown);
		return fail(p, JT_PULL_UNVERIFIED, &local) < 0
			? jt_error_oom(err, NULL)
			: 0;
	}
	if (jt_device_report_read(dev, f->name, f->size_bytes,
				  JT_PULL_MAX_BYTES, &buf, &len, &local) < 0) {
		st = read_status(&local);
		if (st < 0) {
			if (err != NULL && !jt_error_isset(err))
				*err = local;
			return -1;
		}
		if (st == JT_PULL_VANISHED) {
			p->status = JT_PULL_VANISHED;
			return 0;
		}
		return fail(p, (enum jt_pull_status)st, &local) < 0
			? jt_error_oom(err, NULL)
			: 0;
	}
	st = jt_pull_save(dir, f->name, buf, len, &p->status, &local);
	free(buf);
	if (st < 0)
		return fail(p, JT_PULL_FAILED, &local) < 0
			? jt_error_oom(err, NULL)
			: 0;
	if (p->status == JT_PULL_CONFLICT) {
		jt_error_set_in(&local, JT_EIO, p->path,
				"a different file of this name exists: left "
				"it and the device's copy alone");
		return fail(p, JT_PULL_CONFLICT, &local) < 0
			? jt_error_oom(err, NULL)
			: 0;
	}
	if (o->keep)
		return 0;
	/* verified against the stated size and on disk: now it may go */
	if (jt_device_report_remove(dev, f->name, &local) < 0) {
		if (local.code == JT_EDEVICE || local.code == JT_ENOMEM) {
			if (err != NULL && !jt_error_isset(err))
				*err = local;
			return -1;
		}
		if (local.errnum != ENOENT) {
			/* copied, but still on the device: say so */
			p->detail = strdup(local.text);
			if (p->detail == NULL)
				return jt_error_oom(err, NULL);
		}
		return 0;
	}
	p->removed = 1;
	return 0;
}

int
jt_pull_reports(struct jt_device *dev, const char *dir,
		const struct jt_pull_opts *o, struct jt_pulled **items,
		size_t *n, struct jt_error *err)
{
	struct jt_device_file *files = NULL;
	struct jt_pulled *out;
	size_t nfiles = 0, i, k = 0;
	int rc = 0;

	*items = NULL;
	*n = 0;
	/* Ask the device first: a device that refuses leaves no directory. */
	if (jt_device_reports_flush(dev, NULL, err) < 0 ||
	    jt_device_reports_list(dev, &files, &nfiles, err) < 0)
		return -1;
	if (make_dir(dir, err) < 0 ||
	    jt_pull_write_identity(dir, jt_device_get_info(dev), err) < 0) {
		jt_device_files_free(files, nfiles);
		return -1;
	}
	out = calloc(nfiles + 1, sizeof(*out));
	if (out == NULL) {
		jt_device_files_free(files, nfiles);
		return jt_error_oom(err, NULL);
	}
	for (i = 0; i < nfiles; i++) {
		const struct jt_device_file *f = &files[i];
		struct jt_pulled *p = &out[k];

		if (!jt_pull_wanted(f, o))
			continue;
		k++;
		p->size_bytes = f->size_bytes;
		p->status = JT_PULL_FAILED;
		if (f->refused != NULL) {
			char shown[JT_ERROR_SOURCE];
			struct jt_error e;

			/* never the raw name: not even in memory for later */
			p->name = strdup(
				jt_text_escape(shown, sizeof(shown), f->name));
			jt_error_init(&e);
			jt_error_set_in(&e, JT_EINVAL,
					jt_device_get_info(dev)->udid, "%s",
					f->refused);
			if (p->name == NULL ||
			    fail(p, JT_PULL_REFUSED, &e) < 0) {
				rc = jt_error_oom(err, NULL);
				break;
			}
			rc = -1;
			continue;
		}
		p->name = strdup(f->name);
		p->path = jt_path_join(dir, f->name);
		if (p->name == NULL || p->path == NULL) {
			rc = jt_error_oom(err, NULL);
			break;
		}
		if (pull_one(dev, dir, o, f, p, err) < 0) {
			rc = -1;
			break;
		}
		if (!jt_pull_ok(p->status) || p->detail != NULL)
			rc = -1;
	}
	jt_device_files_free(files, nfiles);
	*items = out;
	*n = k;
	return rc;
}

int
jt_pull_parse_since(const char *text, int64_t *unix_s, struct jt_error *err)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, used = 0, n;
	struct tm tm;
	time_t t;

	n = sscanf(text, "%4d-%2d-%2d%n", &y, &mo, &d, &used);
	if (n == 3 && (text[used] == 'T' || text[used] == ' ')) {
		int more = 0;

		n = sscanf(text + used + 1, "%2d:%2d%n", &h, &mi, &more);
		if (n != 2)
			goto bad;
		used += 1 + more;
		if (text[used] == ':') {
			more = 0;
			if (sscanf(text + used + 1, "%2d%n", &sec, &more) != 1)
				goto bad;
			used += 1 + more;
		}
	} else if (n != 3) {
		goto bad;
	}
	if (text[used] != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || sec > 60 || y < 1970)
		goto bad;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (t == (time_t)-1)
		goto bad;
	*unix_s = (int64_t)t;
	return 0;
bad:
	return jt_error_set_in(
		err, JT_EUSAGE, NULL,
		"bad date '%s': expected YYYY-MM-DD[THH:MM[:SS]] "
		"(UTC)",
		text);
}
