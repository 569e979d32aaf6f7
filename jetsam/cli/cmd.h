/*
 * cmd.h - what the front-ends (jetsam/cli/main.c, jetsam/cli/cmd_*.c)
 * share: diagnostics on stderr and exit statuses
 *
 * This is front-end code: it prints.  The libraries under jetsam/ and
 * calibrate/ never do.
 */
#ifndef JT_CMD_H
#define JT_CMD_H

#include "jetsam/core/error.h"

#define JT_EXIT_OK 0
#define JT_EXIT_FAIL 1
#define JT_EXIT_USAGE 2

#define JT_VERSION "0.1.0"

/* The name diagnostics start with, e.g. "jetsam parse". */
extern const char *jt_progname;

/* jt_warn - "progname: message" on stderr. */
void jt_warn(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* jt_warn_error - "progname: source:line:col: text" on stderr. */
void jt_warn_error(const struct jt_error *err);

/*
 * jt_usage_error - print one line, "progname: message (see 'progname
 * --help')", on stderr; returns JT_EXIT_USAGE.
 */
int jt_usage_error(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

struct jt_walk;

/*
 * jt_warn_walk - print each note of a walk (jetsam/walk/walk.h) on
 * stderr; returns 1 when one of them is an error (an entry that could not
 * be read), else 0.
 */
int jt_warn_walk(const struct jt_walk *w);

/*
 * jt_bad_option - report the option getopt_long rejected (optopt, or the
 * argv element for long options) and return JT_EXIT_USAGE.
 */
int jt_bad_option(char **argv);

/*
 * The getopt value of --bytes, the option of every command whose rows hold
 * byte counts: tables show them as exact integers instead of "1.500 GiB"
 * (jt_format_exact_bytes).  Above the values commands give their own
 * long-only options.
 */
#define JT_OPT_BYTES 0x4000

/* Built-in subcommands of jetsam.  Each returns an exit status. */
int jt_cmd_parse(int argc, char **argv);
int jt_cmd_devices(int argc, char **argv);
int jt_cmd_pull(int argc, char **argv);
int jt_cmd_capture(int argc, char **argv);
int jt_cmd_run(int argc, char **argv);
int jt_cmd_models(int argc, char **argv);
int jt_cmd_probelog(int argc, char **argv);
int jt_cmd_calibrate(int argc, char **argv);
int jt_cmd_diff(int argc, char **argv);
int jt_cmd_html(int argc, char **argv);

/*
 * jt_cmd_run_device - "jetsam run" without --local: a device lab run
 * (jetsam/cli/cmd_devrun.c).  cmd_run.c hands argv over unchanged.
 */
int jt_cmd_run_device(int argc, char **argv);

#endif
