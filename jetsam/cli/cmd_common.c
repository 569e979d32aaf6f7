/*
 * cmd_common.c - diagnostics, exit statuses and the shared options of the
 * front-ends
 *
 * Diagnostics go to stderr: stdout carries data only (and --help).
 */
#include "cmd.h"

#include "jetsam/walk/walk.h"

#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *jt_progname = "jetsam";

/* vsay - "progname: " and the message on stderr, without the newline. */
static void
vsay(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", jt_progname);
	vfprintf(stderr, fmt, ap);
}

void
jt_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
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

	va_start(ap, fmt);
	vsay(fmt, ap);
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

void
jt_cli_common_init(struct jt_cli_common *co)
{
	co->fmt = JT_FORMAT_TABLE;
	co->models_path = NULL;
	co->bytes = 0;
}

int
jt_cli_common_opt(int c, const char *arg, struct jt_cli_common *co,
		  void (*usage)(FILE *out), char **argv)
{
	struct jt_error err;

	if (c == 'h') {
		usage(stdout);
		return JT_EXIT_OK;
	}
	if (co == NULL)
		return jt_bad_option(argv);
	switch (c) {
	case 'f':
		jt_error_init(&err);
		if (jt_format_parse(arg, &co->fmt, &err) < 0)
			return jt_usage_error("%s", err.text);
		return -1;
	case 'm':
		co->models_path = arg;
		return -1;
	case JT_OPT_BYTES:
		co->bytes = 1;
		return -1;
	default:
		return jt_bad_option(argv);
	}
}

enum jt_format
jt_cli_format(const struct jt_cli_common *co)
{
	return co->bytes ? jt_format_exact_bytes(co->fmt) : co->fmt;
}

int
jt_cli_no_operands(int argc, char **argv)
{
	if (optind >= argc)
		return 0;
	jt_usage_error("unexpected argument '%s'", argv[optind]);
	return -1;
}

int
jt_cli_emit(enum jt_format fmt, const char *const *cols, size_t ncols,
	    size_t nrows,
	    void (*fill)(const void *ctx, size_t k, struct jt_cell *row),
	    const void *ctx, struct jt_error *err)
{
	struct jt_emitter *em;
	struct jt_cell *row;
	size_t k;
	int rc = -1;

	row = calloc(ncols, sizeof(*row));
	if (row == NULL)
		return jt_error_oom(err, NULL);
	em = jt_emitter_new(stdout, fmt, cols, ncols, err);
	for (k = 0; em != NULL && k < nrows; k++) {
		fill(ctx, k, row);
		if (jt_emitter_row(em, row, err) < 0)
			break;
	}
	if (em != NULL && k == nrows && jt_emitter_end(em, err) == 0)
		rc = 0;
	jt_emitter_free(em);
	free(row);
	return rc;
}

int
jt_cli_emit_end(struct jt_emitter *em)
{
	struct jt_error err;
	int rc;

	jt_error_init(&err);
	rc = jt_emitter_end(em, &err);
	if (rc < 0)
		jt_warn_error(&err);
	jt_emitter_free(em);
	return rc < 0 ? -1 : 0;
}

volatile sig_atomic_t jt_cli_stop;

static void
on_stop_signal(int sig)
{
	(void)sig;
	jt_cli_stop = 1;
}

void
jt_cli_catch_stop(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}
