/*
 * cmd_common.c - diagnostics and exit statuses for the front-ends
 *
 * Everything here writes to stderr: stdout carries data only.
 */
#include "cmd.h"

#include "jetsam/walk/walk.h"

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
jt_warn_walk(const struct jt_walk *w)
{
	size_t i;

	for (i = 0; i < jt_walk_nnotes(w); i++)
		jt_warn_error(&jt_walk_note_at(w, i)->err);
	return jt_walk_failed(w);
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
