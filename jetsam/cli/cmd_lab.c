/*
 * cmd_lab.c - what the device-run front-ends share: their options, the
 * launcher they set up, and the progress they print
 *
 * "jetsam run -u" (cmd_devrun.c) and "jetsam refresh" (cmd_refresh.c)
 * take the same device-run options and show the same progress, so both
 * live here, once.  Progress goes to stderr: on a terminal, one status
 * line redrawn in place (per phone: run i/N, footprint against the limit)
 * with events printed above it; otherwise one line per event, so a log
 * file reads as a story.  Job threads call in; one lock orders the output.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "jetsam/core/fileio.h"
#include "jetsam/core/text.h"
#include "jetsam/device/devicectl.h"

static const struct option lab_options[] = {
	{"udid", required_argument, NULL, 'u'},
	{"all", no_argument, NULL, JT_LAB_OPT_ALL},
	{"runs", required_argument, NULL, 'n'},
	{"retries", required_argument, NULL, JT_LAB_OPT_RETRIES},
	{"timeout", required_argument, NULL, JT_LAB_OPT_TIMEOUT},
	{"report-wait", required_argument, NULL, JT_LAB_OPT_WAIT},
	{"marker", required_argument, NULL, JT_LAB_OPT_MARKER},
	{"profile", required_argument, NULL, JT_LAB_OPT_PROFILE},
	{"keep", no_argument, NULL, 'k'},
	{"launch", required_argument, NULL, JT_LAB_OPT_LAUNCH},
	{"install", required_argument, NULL, JT_LAB_OPT_INSTALL},
	{"resume", no_argument, NULL, JT_LAB_OPT_RESUME},
	{"rate", required_argument, NULL, JT_LAB_OPT_RATE},
	{"step", required_argument, NULL, JT_LAB_OPT_STEP},
	{"ramp-to", required_argument, NULL, JT_LAB_OPT_RAMP},
	{"fill", required_argument, NULL, JT_LAB_OPT_FILL},
	{"max", required_argument, NULL, JT_LAB_OPT_MAX},
};

struct option *
jt_lab_longopts(const struct option *extra)
{
	size_t nlab = sizeof(lab_options) / sizeof(lab_options[0]), n = 0;
	struct option *all;

	while (extra[n].name != NULL)
		n++;
	all = calloc(nlab + n + 1, sizeof(*all));
	if (all == NULL)
		return NULL;
	memcpy(all, lab_options, sizeof(lab_options));
	memcpy(all + nlab, extra, n * sizeof(*all));
	return all;
}

void
jt_lab_args_init(struct jt_lab_args *a)
{
	memset(a, 0, sizeof(*a));
	a->runs = 1;
	a->retries = 2;
	a->run.silence_ms = 120000;
	a->run.grace_ms = 2000;
	a->run.report_wait_ms = 60000;
}

static int
parse_count(const char *name, const char *arg, long min, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(arg, &end, 10);
	if (errno != 0 || *arg == '\0' || *end != '\0' || *out < min ||
	    *out > 10000)
		return jt_usage_error("bad %s '%s'", name, arg);
	return 0;
}

int
jt_lab_opt(int c, const char *arg, struct jt_lab_args *a)
{
	struct jt_probe_params *p = &a->launch.params;
	struct jt_error err;

	jt_error_init(&err);
	switch (c) {
	case 'u':
		a->udids[a->nudids++] = arg;
		return 0;
	case JT_LAB_OPT_ALL:
		a->all = 1;
		return 0;
	case 'n':
		return parse_count("--runs", arg, 1, &a->runs);
	case JT_LAB_OPT_RETRIES:
		return parse_count("--retries", arg, 0, &a->retries);
	case JT_LAB_OPT_TIMEOUT:
	case JT_LAB_OPT_WAIT:
		if (jt_seconds_parse(arg, 86400, 1,
				     c == JT_LAB_OPT_TIMEOUT
					     ? &a->run.silence_ms
					     : &a->run.report_wait_ms,
				     &err) < 0)
			return jt_usage_error("%s: %s",
					      c == JT_LAB_OPT_TIMEOUT
						      ? "--timeout"
						      : "--report-wait",
					      err.text);
		return 0;
	case JT_LAB_OPT_MARKER:
		a->run.marker = arg;
		p->marker = arg;
		return 0;
	case JT_LAB_OPT_PROFILE:
		a->run.profile = arg;
		return 0;
	case 'k':
		a->run.keep = 1;
		return 0;
	case JT_LAB_OPT_LAUNCH:
		a->launch.bundle_id = arg;
		return 0;
	case JT_LAB_OPT_INSTALL:
		a->launch.install_path = arg;
		return 0;
	case JT_LAB_OPT_RESUME:
		a->resume = 1;
		return 0;
	case JT_LAB_OPT_RATE:
		p->rate = arg;
		break;
	case JT_LAB_OPT_STEP:
		p->step = arg;
		break;
	case JT_LAB_OPT_RAMP:
		p->ramp_to = arg;
		break;
	case JT_LAB_OPT_FILL:
		p->fill = arg;
		break;
	case JT_LAB_OPT_MAX:
		p->max = arg;
		break;
	default:
		return -1;
	}
	a->probe_params = 1;
	return 0;
}

int
jt_lab_check(const struct jt_lab_args *a)
{
	struct jt_error err;

	jt_error_init(&err);
	if (a->all && a->nudids > 0)
		return jt_usage_error("give -u or --all, not both");
	if (a->launch.bundle_id == NULL &&
	    (a->probe_params || a->launch.install_path != NULL))
		return jt_usage_error("--install and the probe's options "
				      "(--rate, --step, --ramp-to, --fill, "
				      "--max) need --launch BUNDLE_ID");
	if (a->probe_params &&
	    jt_probe_params_check(&a->launch.params, &err) < 0)
		return jt_usage_error("%s", err.text);
	return -1;
}

int
jt_lab_parse(int argc, char **argv, const char *shortopts,
	     const struct option *extra, struct jt_lab_args *a,
	     int (*other)(int c, const char *arg, char **argv, void *ud),
	     void *ud)
{
	struct option *opts;
	int c, rc = -1;

	/* -u may be given as often as there are arguments */
	a->udids = calloc((size_t)argc + 1, sizeof(*a->udids));
	opts = jt_lab_longopts(extra);
	if (a->udids == NULL || opts == NULL) {
		free(opts);
		jt_warn("out of memory");
		return JT_EXIT_FAIL;
	}
	optind = 1;
	while (rc < 0 &&
	       (c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		rc = jt_lab_opt(c, optarg, a);
		if (rc < 0)
			rc = other(c, optarg, argv, ud);
		else if (rc == 0)
			rc = -1;
	}
	free(opts);
	if (rc < 0 && jt_cli_no_operands(argc, argv) < 0)
		rc = JT_EXIT_USAGE;
	return rc;
}

/* ---- progress -------------------------------------------------------------
 */

struct phone_line {
	char udid[40];   /* the udid's last digits, for the status line */
	long run, nruns; /* run under way, 1-based */
	int64_t footprint_bytes, limit_bytes;
	const char *state; /* "", "done", "failed" */
};

struct jt_progress {
	pthread_mutex_t lock;
	int tty;
	size_t drawn; /* status lines on the screen, one per phone */
	long retries;
	struct phone_line *phones;
	size_t n;
	int64_t last_draw_ms;
};

static int64_t
clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct jt_progress *
jt_progress_new(const struct jt_devjob *jobs, size_t n, long retries)
{
	struct jt_progress *p = calloc(1, sizeof(*p));
	size_t i;

	if (p == NULL)
		return NULL;
	p->phones = calloc(n > 0 ? n : 1, sizeof(*p->phones));
	if (p->phones == NULL) {
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	p->tty = isatty(STDERR_FILENO);
	p->retries = retries;
	p->n = n;
	for (i = 0; i < n; i++) {
		const char *u = jobs[i].udid != NULL ? jobs[i].udid : "device";
		size_t len = strlen(u);
		char shown[32];

		jt_text_escape(shown, sizeof(shown), len > 4 ? u + len - 4 : u);
		snprintf(p->phones[i].udid, sizeof(p->phones[i].udid), "%s",
			 shown);
		p->phones[i].nruns = jobs[i].nruns;
		p->phones[i].footprint_bytes = -1;
		p->phones[i].limit_bytes = -1;
		p->phones[i].state = "";
	}
	return p;
}

/*
 * clear - take the status lines off the screen (lock held): the cursor is
 * at the end of the last one; each is erased, from the last up, and the
 * cursor is left at the start of the first.
 */
static void
clear(struct jt_progress *p)
{
	size_t i;

	if (!p->tty || p->drawn == 0)
		return;
	fputs("\r\033[K", stderr);
	for (i = 1; i < p->drawn; i++)
		fputs("\033[A\033[K", stderr);
	p->drawn = 0;
}

/*
 * term_size - the terminal's columns and rows (80 x 24 when it cannot be
 * asked).
 */
static void
term_size(size_t *cols, size_t *rows)
{
	struct winsize ws;

	*cols = 80;
	*rows = 24;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0) {
		if (ws.ws_col > 0)
			*cols = ws.ws_col;
		if (ws.ws_row > 0)
			*rows = ws.ws_row;
	}
}

static void
mib(char *buf, size_t n, int64_t bytes)
{
	if (bytes < 0)
		snprintf(buf, n, "?");
	else
		snprintf(buf, n, "%lld", (long long)(bytes / 1048576));
}

/* phone_text - one phone's status line into line; its length. */
static size_t
phone_text(const struct phone_line *ph, char *line, size_t n)
{
	char fp[32], lim[32];
	int len;

	mib(fp, sizeof(fp), ph->footprint_bytes);
	mib(lim, sizeof(lim), ph->limit_bytes);
	if (ph->state[0] != '\0')
		len = snprintf(line, n, "%s %s", ph->udid, ph->state);
	else if (ph->run == 0)
		len = snprintf(line, n, "%s waiting", ph->udid);
	else
		len = snprintf(line, n, "%s run %ld/%ld %s/%s MiB", ph->udid,
			       ph->run, ph->nruns, fp, lim);
	if (len < 0)
		return 0;
	return (size_t)len < n ? (size_t)len : n - 1;
}

/*
 * put_line - one more status line (lock held), below the ones drawn, cut
 * to cols - 1 characters so that it never wraps (clear counts lines).
 */
static void
put_line(struct jt_progress *p, const char *line, size_t len, size_t cols)
{
	if (cols > 1 && len > cols - 1)
		len = cols - 1;
	if (p->drawn > 0)
		fputc('\n', stderr);
	fwrite(line, 1, len, stderr);
	p->drawn++;
}

/*
 * draw - the status lines (lock held), on a terminal only: one per phone;
 * when there are more phones than rows, the last line sums up the phones
 * left out.
 */
static void
draw(struct jt_progress *p)
{
	size_t i, cols, rows, shown, done = 0, failed = 0;
	char line[160];
	int n;

	if (!p->tty)
		return;
	clear(p);
	term_size(&cols, &rows);
	shown = p->n;
	if (rows > 2 && p->n > rows - 1)
		shown = rows - 2;
	for (i = 0; i < shown; i++)
		put_line(p, line, phone_text(&p->phones[i], line, sizeof(line)),
			 cols);
	if (shown < p->n) {
		for (i = shown; i < p->n; i++) {
			done += strcmp(p->phones[i].state, "done") == 0;
			failed += strcmp(p->phones[i].state, "failed") == 0;
		}
		n = snprintf(line, sizeof(line),
			     "%zu more phones: %zu done, %zu failed",
			     p->n - shown, done, failed);
		put_line(p, line, n < 0 ? 0 : strlen(line), cols);
	}
	p->last_draw_ms = clock_ms();
	fflush(stderr);
}

void
jt_progress_say(struct jt_progress *p, const char *fmt, ...)
{
	va_list ap;

	if (p != NULL) {
		pthread_mutex_lock(&p->lock);
		clear(p);
	}
	flockfile(stderr);
	fprintf(stderr, "%s: ", jt_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
	if (p != NULL) {
		draw(p);
		pthread_mutex_unlock(&p->lock);
	}
}

/*
 * set_state - a phone's state for its status line, under the lock the
 * drawing holds (the jobs report from their own threads); ph NULL ok.
 */
static void
set_state(struct jt_progress *p, struct phone_line *ph, const char *state)
{
	if (ph == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	ph->state = state;
	pthread_mutex_unlock(&p->lock);
}

/* index_of - which phone job is (the jobs are an array in order). */
static struct phone_line *
phone_of(struct jt_progress *p, const struct jt_devjob *job,
	 const struct jt_devjob *first)
{
	size_t i = (size_t)(job - first);

	return i < p->n ? &p->phones[i] : NULL;
}

static const char *
udid_of(const struct jt_devjob *job, char *buf, size_t n)
{
	if (job->udid == NULL)
		return "the device";
	return jt_text_escape(buf, n, job->udid);
}

void
jt_progress_event(const struct jt_devjob_event *ev, void *ud)
{
	struct jt_progress_ctx *ctx = ud;
	struct jt_progress *p = ctx->progress;
	struct phone_line *ph = phone_of(p, ev->job, ctx->jobs);
	const struct jt_devjob_run *r = ev->result;
	char u[80], lim[32];
	int again;

	udid_of(ev->job, u, sizeof(u));
	switch (ev->kind) {
	case JT_DEVJOB_SAMPLE:
		pthread_mutex_lock(&p->lock);
		if (ph != NULL) {
			ph->footprint_bytes = ev->footprint_bytes;
			if (ev->limit_bytes >= 0)
				ph->limit_bytes = ev->limit_bytes;
		}
		/* at most ten redraws a second */
		if (clock_ms() - p->last_draw_ms >= 100)
			draw(p);
		pthread_mutex_unlock(&p->lock);
		return;
	case JT_DEVJOB_OPEN_FAILED: {
		char buf[JT_ERROR_TEXT + JT_ERROR_SOURCE + 64];

		set_state(p, ph, "failed");
		jt_progress_say(
			p, "%s",
			jt_error_format(&ev->job->err, buf, sizeof(buf)));
		return;
	}
	case JT_DEVJOB_RESUMED:
		if (ev->run >= ev->job->nruns)
			set_state(p, ph, "done");
		jt_progress_say(p,
				"%s: %ld of %ld runs already done "
				"(resumed), %ld failed attempts before",
				u, ev->run, ev->job->nruns,
				ev->job->failed_attempts);
		return;
	case JT_DEVJOB_RUN_START:
		pthread_mutex_lock(&p->lock);
		if (ph != NULL) {
			ph->run = ev->run;
			ph->footprint_bytes = -1;
			ph->limit_bytes = -1;
		}
		pthread_mutex_unlock(&p->lock);
		if (ev->attempt > 1)
			jt_progress_say(
				p, "%s: run %ld/%ld, attempt %d: started", u,
				ev->run, ev->job->nruns, ev->attempt);
		else
			jt_progress_say(p, "%s: run %ld/%ld: started", u,
					ev->run, ev->job->nruns);
		return;
	case JT_DEVJOB_RUN_END:
		break;
	}
	if (r->recorded) {
		mib(lim, sizeof(lim),
		    r->rec.footprint_remaining_bytes >= 0
			    ? r->rec.footprint_remaining_bytes
			    : r->rec.report_bytes);
		if (ev->run == ev->job->nruns)
			set_state(p, ph, "done");
		jt_progress_say(p, "%s: run %ld/%ld: recorded %s: limit %s MiB",
				u, ev->run, ev->job->nruns,
				r->rec.run_id != NULL ? r->rec.run_id : "?",
				lim);
		return;
	}
	/* the job tries again unless it is the last attempt, the phone is
	 * gone or the user stopped it (devjobs.h) */
	again = ev->attempt <= p->retries && r->rec.failure != NULL &&
		strcmp(r->rec.failure, "interrupted") != 0 &&
		(ev->job->udid == NULL || jt_device_listed(ev->job->udid));
	if (!again)
		set_state(p, ph, "failed");
	jt_progress_say(p, "%s: run %ld/%ld attempt %d failed (%s): %s%s", u,
			ev->run, ev->job->nruns, ev->attempt,
			r->rec.failure != NULL ? r->rec.failure : "no run",
			r->err.text, again ? "; trying again" : "");
}

void
jt_progress_note(void *ud, const char *udid, enum jt_launch_note what,
		 const char *run_id, const char *text)
{
	struct jt_progress_ctx *ctx = ud;
	char u[80], t[600];

	jt_text_escape(u, sizeof(u), udid);
	jt_text_escape(t, sizeof(t), text != NULL ? text : "");
	switch (what) {
	case JT_LAUNCH_NOTE_ROUTE:
		jt_progress_say(ctx->progress, "%s: %s", u, t);
		break;
	case JT_LAUNCH_NOTE_INSTALLED:
		jt_progress_say(ctx->progress, "%s: installed %s", u, t);
		break;
	case JT_LAUNCH_NOTE_PROMPT:
		jt_progress_say(ctx->progress,
				"%s: %s: ready: launch the probe app now", u,
				run_id);
		break;
	case JT_LAUNCH_NOTE_ENDED:
		jt_progress_say(ctx->progress,
				"%s: ended the probe left running (%s)", u, t);
		break;
	}
}

/* The launch hook without a launcher: a person at the bench. */
static int
prompt_launch(struct jt_device *dev, const char *run_id, void *ud,
	      struct jt_error *err)
{
	(void)err;
	jt_progress_note(ud, jt_device_get_info(dev)->udid,
			 JT_LAUNCH_NOTE_PROMPT, run_id, NULL);
	return 0;
}

void
jt_progress_done(struct jt_progress *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	clear(p);
	fflush(stderr);
	pthread_mutex_unlock(&p->lock);
}

void
jt_progress_free(struct jt_progress *p)
{
	if (p == NULL)
		return;
	pthread_mutex_destroy(&p->lock);
	free(p->phones);
	free(p);
}

int
jt_lab_setup(struct jt_lab_args *a, struct jt_lab_setup *s,
	     struct jt_devjobs_opts *jo)
{
	struct jt_error err;

	memset(s, 0, sizeof(*s));
	jt_error_init(&err);
	if (a->all &&
	    (jt_device_udids(&s->all, &a->nudids, &err) < 0 ||
	     a->nudids == 0)) {
		if (jt_error_isset(&err))
			jt_warn_error(&err);
		else
			jt_warn("no device connected");
		return -1;
	}
	s->njobs = a->nudids > 0 ? a->nudids : 1;
	s->models = jt_models_load(NULL, &err);
	s->jobs = s->models == NULL
		? NULL
		: jt_devjobs_new(a->all ? (const char *const *)s->all
					: a->udids,
				 a->nudids, a->runs, &err);
	s->progress = s->jobs != NULL
		? jt_progress_new(s->jobs, s->njobs, a->retries)
		: NULL;
	if (s->progress == NULL) {
		if (jt_error_isset(&err))
			jt_warn_error(&err);
		else
			jt_warn("out of memory");
		return -1;
	}
	s->ctx.progress = s->progress;
	s->ctx.jobs = s->jobs;
	if (a->launch.bundle_id != NULL) {
		a->launch.devicectl = jt_devicectl_available();
		a->launch.note = jt_progress_note;
		a->launch.ud = &s->ctx;
		s->launcher = jt_launcher_new(&a->launch, &err);
		if (s->launcher == NULL) {
			jt_warn_error(&err);
			return -1;
		}
		a->run.launch = jt_launcher_launch;
		a->run.abandon = jt_launcher_abandon;
		a->run.ud = s->launcher;
	} else {
		a->run.launch = prompt_launch;
		a->run.ud = &s->ctx;
	}
	a->run.models = s->models;
	memset(jo, 0, sizeof(*jo));
	jo->run = a->run;
	jo->retries = a->retries;
	jo->resume = a->resume;
	jo->event = jt_progress_event;
	jo->ud = &s->ctx;
	return 0;
}

void
jt_lab_release(struct jt_lab_setup *s)
{
	jt_progress_done(s->progress);
	jt_launcher_free(s->launcher);
	jt_progress_free(s->progress);
	jt_devjobs_free(s->jobs, s->njobs);
	jt_models_free(s->models);
	jt_device_udids_free(s->all);
	memset(s, 0, sizeof(*s));
}
