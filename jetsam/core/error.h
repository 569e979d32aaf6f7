/*
 * error.h - how every jetsamkit library function reports failure
 *
 * Modelled on jansson's json_error_t: functions take an optional trailing
 * struct jt_error *, fill it on failure and return -1 or NULL.  The first
 * error wins, so a caller can pass one struct down a chain of calls and read
 * the root cause.  The library never prints; front-ends format the message.
 */
#ifndef JT_ERROR_H
#define JT_ERROR_H

#include <stddef.h>

#define JT_ERROR_TEXT 512
#define JT_ERROR_SOURCE 256

/* Error classes.  Front-ends map them to exit statuses (JT_EUSAGE -> 2). */
enum jt_error_code {
	JT_OK = 0,
	JT_EUSAGE,      /* bad argument or option value */
	JT_EIO,         /* a system call failed; errnum says why */
	JT_EPARSE,      /* malformed input; line/column say where */
	JT_ENOTJETSAM,  /* valid input that is not a JetsamEvent report */
	JT_ETRUNCATED,  /* input ends early; partial results may exist */
	JT_ENOMEM,      /* allocation failed */
	JT_EUNKNOWN,    /* a key (model, udid) that is not known */
	JT_EDEVICE,     /* a device or usbmuxd failure */
	JT_ELIMIT,      /* an input exceeds a size or count limit */
	JT_EINVAL,      /* data that parses but makes no sense */
	JT_EUNSUPPORTED /* a feature this build or platform lacks */
};

struct jt_error {
	enum jt_error_code code;
	int errnum;                   /* errno at the failure, 0 if none */
	char source[JT_ERROR_SOURCE]; /* file name, device udid, or "" */
	long line;                    /* 1-based, 0 when unknown */
	long column;                  /* 1-based, 0 when unknown */
	char text[JT_ERROR_TEXT];     /* lower case, failure first */
};

/*
 * jt_error_init - clear err (NULL accepted).  Call before handing a fresh
 * struct to the library; a zeroed struct is equally valid.
 */
void jt_error_init(struct jt_error *err);

/*
 * jt_error_set - record an error unless err is NULL or already holds one
 * (first error wins).  source may be NULL.  Always returns -1 so that
 * "return jt_error_set(...)" reads like git's "return error(...)".
 */
int jt_error_set(struct jt_error *err, enum jt_error_code code,
		 const char *source, long line, long column, const char *fmt,
		 ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;

/*
 * jt_error_set_in - jt_error_set for an error that has a source (a file, a
 * device) but no line or column in it.  Returns -1.
 */
int jt_error_set_in(struct jt_error *err, enum jt_error_code code,
		    const char *source, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/*
 * jt_error_oom - record "out of memory" (JT_ENOMEM) for source (NULL
 * accepted).  Returns -1.
 */
int jt_error_oom(struct jt_error *err, const char *source);

/*
 * jt_error_set_errno - like jt_error_set with code JT_EIO, keeping errnum
 * and appending strerror(errnum) to the message.
 */
int jt_error_set_errno(struct jt_error *err, int errnum, const char *source,
		       const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* jt_error_isset - 1 when err is non-NULL and holds an error. */
int jt_error_isset(const struct jt_error *err);

/*
 * jt_error_format - write "source:line:column: text" (parts that are
 * unknown are left out) into buf of size len; returns buf.  err must not be
 * NULL.
 */
const char *jt_error_format(const struct jt_error *err, char *buf, size_t len);

/* jt_error_code_name - a short stable name ("parse", "io", ...). */
const char *jt_error_code_name(enum jt_error_code code);

#endif
