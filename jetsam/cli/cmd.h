/*
 * cmd.h - what the front-ends (jetsam/cli/main.c, jetsam/cli/cmd_*.c)
 * share: diagnostics on stderr, exit statuses, the options most commands
 * take and the rows they print
 *
 * This is front-end code: it prints.  The libraries under jetsam/ and
 * calibrate/ never do.
 */
#ifndef JT_CMD_H
#define JT_CMD_H

#include <signal.h>
#include <stdio.h>

#include "jetsam/core/emit.h"
#include "jetsam/core/error.h"
#include "jetsam/core/models.h"
#include "jetsam/device/devjobs.h"
#include "jetsam/device/launch.h"

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

/* ---- the options most commands share (cmd_common.c) ---- */

/*
 * What -f/--format, --models and --bytes ask for.  A command puts in its
 * getopt table only those it takes, with 'f', 'm' and JT_OPT_BYTES as the
 * values; the fields of the others keep their defaults.
 */
struct jt_cli_common {
	enum jt_format fmt;      /* -f, --format */
	const char *models_path; /* --models FILE; NULL: the built-in table */
	int bytes;               /* --bytes */
};

/* jt_cli_common_init - the defaults: a table, the built-in device table,
 * sizes in binary units. */
void jt_cli_common_init(struct jt_cli_common *co);

/*
 * jt_cli_common_opt - the arms every command's getopt_long switch ends
 * with.  Call it from the default arm, after the command's own cases, so
 * that a command's own meaning of a letter (capture's --marker as 'm')
 * wins.  c is getopt_long's value, arg its optarg:
 *   'f'           -f/--format FMT into co->fmt (jt_format_parse)
 *   'm'           --models FILE into co->models_path
 *   JT_OPT_BYTES  --bytes: co->bytes = 1
 *   'h'           -h/--help: usage(stdout)
 *   anything else an option getopt_long rejected: jt_bad_option(argv)
 * Returns -1 when the option was taken and parsing goes on, else the exit
 * status to end with: JT_EXIT_OK after the help, JT_EXIT_USAGE after
 * saying on stderr what is wrong.  co may be NULL for a command whose
 * table has none of 'f', 'm' and JT_OPT_BYTES; usage must not be NULL.
 */
int jt_cli_common_opt(int c, const char *arg, struct jt_cli_common *co,
		      void (*usage)(FILE *out), char **argv);

/* jt_cli_format - the format to print with: co->fmt, a table with exact
 * byte counts after --bytes (jt_format_exact_bytes), whatever the order of
 * -f and --bytes. */
enum jt_format jt_cli_format(const struct jt_cli_common *co);

/*
 * jt_cli_no_operands - after getopt_long, for a command that takes no
 * operands: 0 when all of argv was options (optind == argc), else -1 after
 * "unexpected argument 'X'" on stderr (exit with JT_EXIT_USAGE).
 */
int jt_cli_no_operands(int argc, char **argv);

/*
 * jt_cli_emit - a list on stdout: nrows rows in fmt under the ncols
 * columns cols (jt_emitter_new), row k filled by fill(ctx, k, row) into
 * ncols cells, which may borrow from ctx.  For a plain loop over rows a
 * command already has; a loop that does other work per row keeps its own
 * emitter.  Returns 0, or -1 with err set (the emitter could not be made
 * or a write failed: no row after it is asked for).  Says nothing on
 * stderr; the caller does.
 */
int jt_cli_emit(enum jt_format fmt, const char *const *cols, size_t ncols,
		size_t nrows,
		void (*fill)(const void *ctx, size_t k, struct jt_cell *row),
		const void *ctx, struct jt_error *err);

/*
 * jt_cli_emit_end - for a command that keeps its own emitter: end em
 * (jt_emitter_end), saying a failure on stderr, and free it.  Returns 0,
 * or -1 when the end failed.
 */
int jt_cli_emit_end(struct jt_emitter *em);

/*
 * jt_cli_stop - set to 1 by SIGINT or SIGTERM once jt_cli_catch_stop has
 * run: the flag the libraries' stop options point at (Ctrl-C ends a
 * capture or a device run, keeping what it has).
 */
extern volatile sig_atomic_t jt_cli_stop;

/* jt_cli_catch_stop - from now on SIGINT and SIGTERM set jt_cli_stop
 * instead of ending the process. */
void jt_cli_catch_stop(void);

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

/* jt_cmd_refresh - "jetsam refresh": a release refresh in one command
 * (jetsam/cli/cmd_refresh.c). */
int jt_cmd_refresh(int argc, char **argv);

/* ---- device-run options and progress, shared (cmd_lab.c) ---- */

enum {
	JT_LAB_OPT_ALL = 300,
	JT_LAB_OPT_RETRIES,
	JT_LAB_OPT_TIMEOUT,
	JT_LAB_OPT_WAIT,
	JT_LAB_OPT_MARKER,
	JT_LAB_OPT_PROFILE,
	JT_LAB_OPT_LAUNCH,
	JT_LAB_OPT_INSTALL,
	JT_LAB_OPT_RESUME,
	JT_LAB_OPT_RATE,
	JT_LAB_OPT_STEP,
	JT_LAB_OPT_RAMP,
	JT_LAB_OPT_FILL,
	JT_LAB_OPT_MAX
};

struct option;

/* jt_lab_longopts - the device-run long options followed by extra (up to
 * its all-zero entry), in a new array (free()); NULL when out of memory. */
struct option *jt_lab_longopts(const struct option *extra);

/* What the device-run options ask for. */
struct jt_lab_args {
	const char **udids; /* -u, in order (the caller allocates argc) */
	size_t nudids;
	int all;
	long runs;    /* good runs per phone */
	long retries; /* more attempts per failed run */
	int resume;
	int probe_params; /* a probe option was given */
	struct jt_devrun_opts run;
	struct jt_launcher_opts launch; /* bundle_id NULL: a person launches */
};

/* jt_lab_args_init - the defaults (1 run, 2 retries, 120 s silence, 60 s
 * for the report). */
void jt_lab_args_init(struct jt_lab_args *a);

/* jt_lab_opt - apply getopt_long's c (arg its optarg) when it is a
 * device-run option: 0 done, JT_EXIT_USAGE after saying what is wrong,
 * -1 when c is not one. */
int jt_lab_opt(int c, const char *arg, struct jt_lab_args *a);

/*
 * jt_lab_parse - getopt_long over argv with the device-run options
 * (applied to a; a->udids allocated here, the caller frees it) and extra,
 * whose options go to other(c, optarg, argv, ud): -1 to go on, or the
 * exit status to end with.  Returns -1 when all of argv was taken, else
 * the exit status (a usage error already said).
 */
int jt_lab_parse(int argc, char **argv, const char *shortopts,
		 const struct option *extra, struct jt_lab_args *a,
		 int (*other)(int c, const char *arg, char **argv, void *ud),
		 void *ud);

/* jt_lab_check - after parsing: JT_EXIT_USAGE for options that do not go
 * together (said on stderr), -1 when all is well. */
int jt_lab_check(const struct jt_lab_args *a);

struct jt_progress;

/* What the hooks get as ud. */
struct jt_progress_ctx {
	struct jt_progress *progress;
	const struct jt_devjob *jobs;
};

/* Everything a device run sets up; jt_lab_release frees it. */
struct jt_lab_setup {
	char **all; /* --all: the udids found */
	size_t njobs;
	struct jt_models *models;
	struct jt_devjob *jobs;
	struct jt_progress *progress;
	struct jt_launcher *launcher;
	struct jt_progress_ctx ctx;
};

/*
 * jt_lab_setup - the phones (--all), the jobs, the progress display and
 * the launcher (or a prompt) for a, into s; *jo gets the job options with
 * the hooks set (dir left for the caller).  -1 after saying why.
 */
int jt_lab_setup(struct jt_lab_args *a, struct jt_lab_setup *s,
		 struct jt_devjobs_opts *jo);

/* jt_lab_release - free what jt_lab_setup made (the status lines are
 * cleared). */
void jt_lab_release(struct jt_lab_setup *s);

/* jt_progress_say - one line "progname: ..." on stderr, above the status
 * lines (p NULL ok). */
void jt_progress_say(struct jt_progress *p, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* The hooks: jobs' events and the launcher's notes (ud a progress ctx). */
void jt_progress_event(const struct jt_devjob_event *ev, void *ud);
void jt_progress_note(void *ud, const char *udid, enum jt_launch_note what,
		      const char *run_id, const char *text);

/* jt_progress_new / _done / _free - the display for n jobs. */
struct jt_progress *jt_progress_new(const struct jt_devjob *jobs, size_t n,
				    long retries);
void jt_progress_done(struct jt_progress *p);
void jt_progress_free(struct jt_progress *p);

#endif
