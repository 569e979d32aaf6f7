/*
 * error.c - the one place error structs are filled and formatted
 *
 * Keeping this tiny and allocation-free means an out-of-memory path can still
 * report itself.
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
jt_error_init(struct jt_error *err)
{
	if (err != NULL)
		memset(err, 0, sizeof(*err));
}

int
jt_error_isset(const struct jt_error *err)
{
	return err != NULL && err->code != JT_OK;
}

static void
fill(struct jt_error *err, enum jt_error_code code, int errnum,
     const char *source, long line, long column, const char *fmt, va_list ap)
{
	err->code = code;
	err->errnum = errnum;
	err->line = line;
	err->column = column;
	snprintf(err->source, sizeof(err->source), "%s",
		 source != NULL ? source : "");
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
}

int
jt_error_set(struct jt_error *err, enum jt_error_code code, const char *source,
	     long line, long column, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || err->code != JT_OK)
		return -1;
	va_start(ap, fmt);
	fill(err, code, 0, source, line, column, fmt, ap);
	va_end(ap);
	return -1;
}

int
jt_error_set_in(struct jt_error *err, enum jt_error_code code,
		const char *source, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || err->code != JT_OK)
		return -1;
	va_start(ap, fmt);
	fill(err, code, 0, source, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int
jt_error_oom(struct jt_error *err, const char *source)
{
	return jt_error_set_in(err, JT_ENOMEM, source, "out of memory");
}

int
jt_error_set_errno(struct jt_error *err, int errnum, const char *source,
		   const char *fmt, ...)
{
	va_list ap;
	size_t used;

	if (err == NULL || err->code != JT_OK)
		return -1;
	va_start(ap, fmt);
	fill(err, JT_EIO, errnum, source, 0, 0, fmt, ap);
	va_end(ap);
	used = strlen(err->text);
	if (errnum != 0 && used < sizeof(err->text))
		snprintf(err->text + used, sizeof(err->text) - used, ": %s",
			 strerror(errnum));
	return -1;
}

const char *
jt_error_format(const struct jt_error *err, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	if (err->source[0] == '\0')
		snprintf(buf, len, "%s", err->text);
	else if (err->line > 0 && err->column > 0)
		snprintf(buf, len, "%s:%ld:%ld: %s", err->source, err->line,
			 err->column, err->text);
	else if (err->line > 0)
		snprintf(buf, len, "%s:%ld: %s", err->source, err->line,
			 err->text);
	else
		snprintf(buf, len, "%s: %s", err->source, err->text);
	return buf;
}

const char *
jt_error_code_name(enum jt_error_code code)
{
	static const char *const names[] = {
		[JT_OK] = "ok",
		[JT_EUSAGE] = "usage",
		[JT_EIO] = "io",
		[JT_EPARSE] = "parse",
		[JT_ENOTJETSAM] = "not-jetsam",
		[JT_ETRUNCATED] = "truncated",
		[JT_ENOMEM] = "nomem",
		[JT_EUNKNOWN] = "unknown",
		[JT_EDEVICE] = "device",
		[JT_ELIMIT] = "limit",
		[JT_EINVAL] = "invalid",
		[JT_EUNSUPPORTED] = "unsupported",
	};

	if ((size_t)code < sizeof(names) / sizeof(names[0]) &&
	    names[code] != NULL)
		return names[code];
	return "error";
}
