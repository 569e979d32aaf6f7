/*
 * cmd_common.c - diagnostics and exit statuses for the front-ends
 *
 * Everything here writes to stderr: stdout carries data only.
 */
#include "cmd.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>

const char *jt_progname = "jetsam";

void
jt_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", jt_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
jt_warn_error(const struct jt_error *err)
{
	char buf[JT_ERROR_TEXT + JT_ERROR_SOURCE + 64];

	fprintf(stderr, "%s: %s\n", jt_progname,
		jt_error_format(err, buf, sizeof(buf)));
}

int
jt_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", jt_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see '%s --help')\n", jt_progname);
	return JT_EXIT_USAGE;
}

int
jt_exit_status(const struct jt_error *err)
{
	return err != NULL && err->code == JT_EUSAGE ? JT_EXIT_USAGE
						     : JT_EXIT_FAIL;
}

int
jt_bad_option(char **argv)
{
	if (optopt != 0)
		return jt_usage_error("invalid or incomplete option '-%c'",
				      optopt);
	return jt_usage_error("invalid or incomplete option '%s'",
			      argv[optind - 1]);
}
