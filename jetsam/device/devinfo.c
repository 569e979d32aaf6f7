/*
 * devinfo.c - what a device says about itself: the one place where it is
 * checked before anything else uses it, and the plain structs of device.h
 *
 * A device chooses its ProductType, versions, name and the names of the
 * files in its crash-report jail.  The product type and the OS version
 * become part of run directory names; file names become file names in the
 * output directory; all of them end up in messages.  So every value is
 * checked here against a strict character set and a length, and a device
 * or file that fails is refused with a message that names it (escaped)
 * and the field.  Pure logic, no libimobiledevice: it links in a build
 * without the device layer too, and its cases are unit tests.
 */
#include "device.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "jetsam/core/text.h"

/* How much of a refused value a message shows. */
#define SHOW_BYTES 48

/* "iPhone12,1", "iPad8,11", "AudioAccessory5,1", "Watch4,2" */
static int
is_product_type(const char *s)
{
	const char *p = s;

	while (isalpha((unsigned char)*p))
		p++;
	if (p == s || !isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p++ != ',' || !isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	return *p == '\0';
}

/* "14.2", "11.3.1", "17": digits in dot-separated groups */
static int
is_version(const char *s)
{
	const char *p = s;

	for (;;) {
		const char *group = p;

		while (isdigit((unsigned char)*p))
			p++;
		if (p == group)
			return 0;
		if (*p == '\0')
			return 1;
		if (*p++ != '.')
			return 0;
	}
}

/* "18B92", "21A5248v", "N104AP" */
static int
is_alnum(const char *s)
{
	const char *p = s;

	while (isalnum((unsigned char)*p))
		p++;
	return p != s && *p == '\0';
}

static int
is_plain(const char *s)
{
	return s[0] != '\0' && jt_text_is_plain(s);
}

static int
hex_run(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int
jt_device_udid_check(const char *udid, struct jt_error *err)
{
	char shown[SHOW_BYTES];
	size_t n = udid != NULL ? strlen(udid) : 0;

	/* 40 hex digits, or (iPhone XS on) 8 and 16 hex digits with a dash */
	if ((n == 40 && hex_run(udid, 40)) ||
	    (n == 25 && hex_run(udid, 8) && udid[8] == '-' &&
	     hex_run(udid + 9, 16)))
		return 0;
	jt_text_escape(shown, sizeof(shown), udid);
	return jt_error_set_in(err, JT_EDEVICE, shown,
			       "refusing this device: its udid is not 40 hex "
			       "digits or 8 and 16 hex digits joined by '-'");
}

static const struct field {
	const char *key; /* lockdownd's name for it */
	size_t off;
	size_t max_bytes;
	int (*ok)(const char *);
	const char *want;
} fields[] = {
	{"ProductType", offsetof(struct jt_device_info, product_type),
	 JT_DEVICE_PRODUCT_TYPE_MAX, is_product_type,
	 "letters, digits, ',', digits, as in 'iPhone12,1'"},
	{"ProductVersion", offsetof(struct jt_device_info, product_version),
	 JT_DEVICE_VERSION_MAX, is_version, "digits and dots, as in '14.2'"},
	{"BuildVersion", offsetof(struct jt_device_info, build_version),
	 JT_DEVICE_VERSION_MAX, is_alnum, "letters and digits, as in '18B92'"},
	{"HardwareModel", offsetof(struct jt_device_info, hardware_model),
	 JT_DEVICE_PRODUCT_TYPE_MAX, is_alnum,
	 "letters and digits, as in 'N104AP'"},
	{"DeviceName", offsetof(struct jt_device_info, device_name),
	 JT_DEVICE_NAME_MAX, is_plain,
	 "text without control characters, in UTF-8"},
};

int
jt_device_identity_check(struct jt_device_info *info, struct jt_error *err)
{
	char udid[SHOW_BYTES], shown[SHOW_BYTES];
	size_t i;
	int rc = 0;

	jt_text_escape(udid, sizeof(udid), info->udid);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field *f = &fields[i];
		char **v = (char **)((char *)info + f->off);
		size_t n;

		if (*v == NULL)
			continue; /* not answered: unknown, not hostile */
		n = strlen(*v);
		if (n > f->max_bytes)
			rc = jt_error_set_in(err, JT_EDEVICE, udid,
					     "refusing this device: its %s is "
					     "%zu bytes long (at most %zu)",
					     f->key, n, f->max_bytes);
		else if (!f->ok(*v))
			rc = jt_error_set_in(
				err, JT_EDEVICE, udid,
				"refusing this device: its %s '%s' is not %s",
				f->key,
				jt_text_escape(shown, sizeof(shown), *v),
				f->want);
		else
			continue;
		/* what failed is never used, not even shown */
		free(*v);
		*v = NULL;
	}
	return rc;
}

int
jt_device_file_name_check(const char *name, const char *source,
			  struct jt_error *err)
{
	char shown[SHOW_BYTES];
	size_t n = strlen(name);
	const char *why;

	if (n > JT_DEVICE_FILE_NAME_MAX)
		return jt_error_set_in(
			err, JT_EINVAL, source,
			"refusing the file '%s': its name is "
			"%zu bytes long (at most %d)",
			jt_text_escape(shown, sizeof(shown), name), n,
			JT_DEVICE_FILE_NAME_MAX);
	if (n == 0)
		why = "nothing in it";
	else if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
		 strchr(name, '/') != NULL)
		why = "a path in it";
	else if (!jt_text_is_plain(name))
		why = "control characters or invalid UTF-8 in it";
	else
		return 0;
	return jt_error_set_in(err, JT_EINVAL, source,
			       "refusing the file '%s': its name has %s",
			       jt_text_escape(shown, sizeof(shown), name), why);
}

const char *
jt_device_state_name(enum jt_device_state s)
{
	switch (s) {
	case JT_DEVICE_OK:
		return "ok";
	case JT_DEVICE_LOCKED:
		return "locked";
	case JT_DEVICE_PAIRING_PENDING:
		return "pairing-pending";
	case JT_DEVICE_UNTRUSTED:
		return "untrusted";
	case JT_DEVICE_REFUSED:
		return "refused";
	case JT_DEVICE_UNREACHABLE:
		break;
	}
	return "unreachable";
}

void
jt_device_info_release(struct jt_device_info *info)
{
	if (info == NULL)
		return;
	free(info->udid);
	free(info->product_type);
	free(info->hardware_model);
	free(info->product_version);
	free(info->build_version);
	free(info->device_name);
	free(info->state_detail);
	memset(info, 0, sizeof(*info));
}

void
jt_device_file_release(struct jt_device_file *f)
{
	free(f->name);
	free(f->refused);
	f->name = NULL;
	f->refused = NULL;
}

void
jt_device_files_free(struct jt_device_file *files, size_t n)
{
	size_t i;

	for (i = 0; files != NULL && i < n; i++)
		jt_device_file_release(&files[i]);
	free(files);
}
