/*
 * probe.c - the probe's schedule, touch and log
 *
 * The probe allocates one block per step on absolute monotonic deadlines
 * (so a slow step never makes the rate drift), touches every 4 KiB of it so
 * the pages really count against the footprint, and writes one JSON Lines
 * record per step with a single write(2) of less than PIPE_BUF bytes, so a
 * SIGKILL at any moment leaves either the whole line or nothing of it in a
 * pipe, and at worst a torn last line in a file, which readers skip.  No
 * stdio touches the log.  Blocks are chained and freed on a normal exit.
 */
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024 * 1024)
#define TOUCH_BYTES 4096
#define NS_PER_S 1000000000LL

/* Only these are touched from signal handlers. */
static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t warn_signal;

struct block {
	struct block *next;
};

/*
 * Events posted by other threads (jt_probe_post): a fixed ring under a
 * mutex, so posting never allocates and the probe thread alone writes the
 * log.  Times are taken when posted, not when logged.
 */
#define POST_SLOTS 64

struct posted {
	int64_t mono_ns;
	char kind[16];
	char detail[32];
	int has_detail;
};

static struct {
	pthread_mutex_t lock;
	struct posted slot[POST_SLOTS];
	unsigned head, count;
	long dropped;
} post = {PTHREAD_MUTEX_INITIALIZER, {{0, "", "", 0}}, 0, 0, 0};

struct sink {
	int file_fd; /* owned; -1 if none */
	int fd;      /* borrowed; -1 if none */
	int syslog;
	int fsync_each;
};

struct state {
	const struct jt_probe_config *c;
	struct sink sink;
	struct block *blocks;
	int64_t allocated_bytes;
	int64_t seq;
	int64_t start_ns;
	uint64_t rng;
	int progress;
	int64_t last_progress_ns;
	char *msg;
	size_t msglen;
};

void
jt_probe_config_init(struct jt_probe_config *c)
{
	memset(c, 0, sizeof(*c));
	c->rate_bytes_per_s = 20 * MIB;
	c->step_bytes = 1 * MIB;
	c->max_bytes = -1;
	c->ramp_to_bytes = -1;
	c->hold_bytes = -1;
	c->hold_ms = -1;
	c->fill = JT_PROBE_FILL_TOUCH;
	c->log_fd = -1;
	c->profile = "app";
	c->marker = JT_PROBE_SYSLOG_MARKER;
}

const char *
jt_probe_usage(void)
{
	return "usage: jetsam-probe [options] (--log PATH | --log-fd N | "
	       "--syslog)\n"
	       "\n"
	       "Allocate memory step by step, touch it, and log the footprint "
	       "as JSON Lines\nuntil the OS kills the probe.\n"
	       "\n"
	       "  --rate SIZE      bytes per second once paced (default 20M)\n"
	       "  --step SIZE      bytes per block and per sample (default 1M)\n"
	       "  --max SIZE       stop normally once this much is allocated\n"
	       "  --ramp-to SIZE|PCT%\n"
	       "                   allocate without pauses until the footprint "
	       "reaches SIZE,\n"
	       "                   or PCT percent of the known limit, then "
	       "pace at --rate\n"
	       "  --hold SIZE      stop allocating at SIZE and keep sampling\n"
	       "  --hold-time SEC  how long to hold (default: until a signal)\n"
	       "  --fill MODE      touch: one byte per 4 KiB page (default);\n"
	       "                   constant: memset one value (compresses to "
	       "nothing);\n"
	       "                   random: incompressible pseudo-random "
	       "content\n"
	       "  --profile NAME   what kind of process this is, for the header\n"
	       "                   (default app; see data/probelog-format.md)\n"
	       "  --run-id ID      the host's id of this run, for the header\n"
	       "  --marker STR     system log marker (default \"" JT_PROBE_SYSLOG_MARKER
	       "\")\n"
	       "  --log PATH       write the log to PATH; never overwrites\n"
	       "  --log-fd N       write the log to descriptor N as well\n"
	       "  --syslog         send each record to the system log (Darwin)\n"
	       "  --fsync          fdatasync the log file after every line\n"
	       "  --quiet          no progress line on a terminal\n"
	       "  --help           this text\n"
	       "\n"
	       "Each option from --rate to --profile may instead come from the "
	       "environment\nas " JT_PROBE_ENV_PREFIX
	       "NAME (JETSAM_PROBE_RATE, JETSAM_PROBE_RAMP_TO, ...);\n"
	       "an argument wins.  "
	       "A supervisor may hand the probe its limit in\n" JT_PROBE_LIMIT_ENV
	       "; the probe then logs limit - footprint as remaining_bytes.\n"
	       "SIGUSR1 is a memory warning; SIGINT and SIGTERM end the run "
	       "normally.\n"
	       "Exit status: 0 normal end, 1 log failure, 2 usage, 3 malloc "
	       "refused.\n";
}

enum {
	OPT_RATE = 256,
	OPT_STEP,
	OPT_MAX,
	OPT_RAMP,
	OPT_HOLD,
	OPT_HOLD_TIME,
	OPT_FILL,
	OPT_MARKER,
	OPT_RUN_ID,
	OPT_PROFILE,
	OPT_LOG,
	OPT_LOG_FD,
	OPT_SYSLOG,
	OPT_FSYNC,
	OPT_QUIET,
	OPT_HELP
};

/* The options a host may also set in the environment, in this order. */
static const struct {
	const char *name;
	int opt;
} env_opts[] = {
	{JT_PROBE_ENV_RATE, OPT_RATE},
	{JT_PROBE_ENV_STEP, OPT_STEP},
	{JT_PROBE_ENV_MAX, OPT_MAX},
	{JT_PROBE_ENV_RAMP_TO, OPT_RAMP},
	{JT_PROBE_ENV_HOLD, OPT_HOLD},
	{JT_PROBE_ENV_HOLD_TIME, OPT_HOLD_TIME},
	{JT_PROBE_ENV_FILL, OPT_FILL},
	{JT_PROBE_ENV_MARKER, OPT_MARKER},
	{JT_PROBE_ENV_RUN_ID, OPT_RUN_ID},
	{JT_PROBE_ENV_PROFILE, OPT_PROFILE},
};

static int
usage_msg(char *msg, size_t msglen, const char *what, const char *value)
{
	snprintf(msg, msglen, "invalid %s '%s'", what, value);
	return -1;
}

/*
 * word_ok - s is 1..max bytes, each a letter, digit or one of extra: what
 * a run id or a profile may hold, so that it needs no escaping anywhere.
 */
static int
word_ok(const char *s, size_t max, const char *extra)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      (ch >= 'A' && ch <= 'Z') || strchr(extra, ch) != NULL))
			return 0;
	}
	return 1;
}

/* marker_ok - 1..JT_PROBE_MARKER_MAX printable ASCII bytes. */
static int
marker_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > JT_PROBE_MARKER_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return 0;
	return 1;
}

/*
 * apply_opt - one option with its value (NULL for flags) into c; what
 * names the option or the environment variable in a message.  Returns 0,
 * 1 for --help, -1 with msg set.
 */
static int
apply_opt(struct jt_probe_config *c, int opt, const char *arg, const char *what,
	  char *msg, size_t msglen)
{
	char *end;
	long v;
	double d;

	switch (opt) {
	case OPT_RATE:
		if (jt_probe_size_parse(arg, &c->rate_bytes_per_s) < 0 ||
		    c->rate_bytes_per_s <= 0)
			return usage_msg(msg, msglen, what, arg);
		break;
	case OPT_STEP:
		if (jt_probe_size_parse(arg, &c->step_bytes) < 0 ||
		    c->step_bytes <= 0)
			return usage_msg(msg, msglen, what, arg);
		break;
	case OPT_MAX:
		if (jt_probe_size_parse(arg, &c->max_bytes) < 0)
			return usage_msg(msg, msglen, what, arg);
		break;
	case OPT_RAMP:
		c->ramp_to_pct = 0;
		c->ramp_to_bytes = -1;
		if (jt_probe_ramp_parse(arg, &c->ramp_to_bytes,
					&c->ramp_to_pct) < 0)
			return usage_msg(msg, msglen, what, arg);
		break;
	case OPT_HOLD:
		if (jt_probe_size_parse(arg, &c->hold_bytes) < 0)
			return usage_msg(msg, msglen, what, arg);
		break;
	case OPT_HOLD_TIME:
		errno = 0;
		d = strtod(arg, &end);
		if (errno != 0 || end == arg || *end != '\0' ||
		    !(d >= 0 && d < 1e9))
			return usage_msg(msg, msglen, what, arg);
		c->hold_ms = (int64_t)(d * 1000 + 0.5);
		break;
	case OPT_FILL:
		if (strcmp(arg, "touch") == 0)
			c->fill = JT_PROBE_FILL_TOUCH;
		else if (strcmp(arg, "constant") == 0)
			c->fill = JT_PROBE_FILL_CONSTANT;
		else if (strcmp(arg, "random") == 0)
			c->fill = JT_PROBE_FILL_RANDOM;
		else
			return usage_msg(msg, msglen, what, arg);
		break;
	case OPT_MARKER:
		if (!marker_ok(arg))
			return usage_msg(msg, msglen, what, arg);
		c->marker = arg;
		break;
	case OPT_RUN_ID:
		if (!word_ok(arg, JT_PROBE_RUN_ID_MAX, "._:,-"))
			return usage_msg(msg, msglen, what, arg);
		c->run_id = arg;
		break;
	case OPT_PROFILE:
		if (!word_ok(arg, JT_PROBE_PROFILE_MAX, "-"))
			return usage_msg(msg, msglen, what, arg);
		c->profile = arg;
		break;
	case OPT_LOG:
		c->log_path = arg;
		break;
	case OPT_LOG_FD:
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno != 0 || end == arg || *end != '\0' || v < 0 ||
		    v > 1 << 20)
			return usage_msg(msg, msglen, what, arg);
		c->log_fd = (int)v;
		break;
	case OPT_SYSLOG:
		c->use_syslog = 1;
		break;
	case OPT_FSYNC:
		c->fsync_each = 1;
		break;
	case OPT_QUIET:
		c->quiet = 1;
		break;
	default: /* OPT_HELP */
		return 1;
	}
	return 0;
}

int
jt_probe_parse_args(struct jt_probe_config *c, int argc, char **argv, char *msg,
		    size_t msglen)
{
	static const struct option opts[] = {
		{"rate", required_argument, NULL, OPT_RATE},
		{"step", required_argument, NULL, OPT_STEP},
		{"max", required_argument, NULL, OPT_MAX},
		{"ramp-to", required_argument, NULL, OPT_RAMP},
		{"hold", required_argument, NULL, OPT_HOLD},
		{"hold-time", required_argument, NULL, OPT_HOLD_TIME},
		{"fill", required_argument, NULL, OPT_FILL},
		{"marker", required_argument, NULL, OPT_MARKER},
		{"run-id", required_argument, NULL, OPT_RUN_ID},
		{"profile", required_argument, NULL, OPT_PROFILE},
		{"log", required_argument, NULL, OPT_LOG},
		{"log-fd", required_argument, NULL, OPT_LOG_FD},
		{"syslog", no_argument, NULL, OPT_SYSLOG},
		{"fsync", no_argument, NULL, OPT_FSYNC},
		{"quiet", no_argument, NULL, OPT_QUIET},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	size_t i;
	int ch, rc;

	jt_probe_config_init(c);
	for (i = 0; i < sizeof(env_opts) / sizeof(env_opts[0]); i++) {
		const char *v = getenv(env_opts[i].name);

		if (v != NULL &&
		    apply_opt(c, env_opts[i].opt, v, env_opts[i].name, msg,
			      msglen) < 0)
			return -1;
	}
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		const char *what = NULL;

		for (i = 0; opts[i].name != NULL && what == NULL; i++)
			if (opts[i].val == ch)
				what = opts[i].name;
		if (what == NULL) {
			if (optopt != 0)
				snprintf(msg, msglen,
					 "invalid or incomplete option '-%c'",
					 optopt);
			else
				snprintf(msg, msglen,
					 "invalid or incomplete option '%s'",
					 argv[optind - 1]);
			return -1;
		}
		if ((rc = apply_opt(c, ch, optarg, what, msg, msglen)) != 0)
			return rc;
	}
	if (optind < argc) {
		snprintf(msg, msglen, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (c->log_path == NULL && c->log_fd < 0 && !c->use_syslog) {
		snprintf(
			msg, msglen,
			"no log given: use --log PATH, --log-fd N or --syslog");
		return -1;
	}
	if (c->hold_ms >= 0 && c->hold_bytes < 0) {
		snprintf(msg, msglen, "--hold-time needs --hold");
		return -1;
	}
	return 0;
}

/* ---- JSON without stdio's buffering -------------------------------- */

struct line {
	char buf[JT_PROBE_LINE_MAX];
	size_t len;
	int overflow;
};

static void line_put(struct line *l, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void
line_put(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(l->buf) - l->len)
		l->overflow = 1;
	else
		l->len += (size_t)n;
}

/* line_str - "key":"value" with JSON escapes; NULL writes null. */
static void
line_str(struct line *l, const char *key, const char *s)
{
	line_put(l, ",\"%s\":", key);
	if (s == NULL) {
		line_put(l, "null");
		return;
	}
	line_put(l, "\"");
	for (; *s != '\0' && !l->overflow; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			line_put(l, "\\%c", ch);
		else if (ch < 0x20)
			line_put(l, "\\u%04x", ch);
		else
			line_put(l, "%c", ch);
	}
	line_put(l, "\"");
}

/* line_int - "key":n, or null when n is negative (unknown). */
static void
line_int(struct line *l, const char *key, int64_t n)
{
	if (n < 0)
		line_put(l, ",\"%s\":null", key);
	else
		line_put(l, ",\"%s\":%" PRId64, key, n);
}

/* write_all_once - one write(2); a short write is an error. */
static int
write_once(int fd, const char *buf, size_t len)
{
	ssize_t n;

	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* emit - end the record and send it to every sink. */
static int
emit(struct state *s, struct line *l)
{
	line_put(l, "}\n");
	if (l->overflow) {
		snprintf(s->msg, s->msglen, "log record too long");
		errno = EOVERFLOW;
		return -1;
	}
	if (s->sink.file_fd >= 0) {
		if (write_once(s->sink.file_fd, l->buf, l->len) < 0 ||
		    (s->sink.fsync_each &&
		     jt_probe_os_datasync(s->sink.file_fd) < 0)) {
			snprintf(s->msg, s->msglen, "cannot write '%s': %s",
				 s->c->log_path, strerror(errno));
			return -1;
		}
	}
	if (s->sink.fd >= 0 && write_once(s->sink.fd, l->buf, l->len) < 0) {
		snprintf(s->msg, s->msglen, "cannot write descriptor %d: %s",
			 s->sink.fd, strerror(errno));
		return -1;
	}
	if (s->sink.syslog)
		(void)jt_probe_os_syslog(s->c->marker, l->buf, l->len - 1);
	return 0;
}

static int64_t
elapsed_ms(const struct state *s)
{
	return (jt_probe_os_now_ns() - s->start_ns) / 1000000;
}

static const char *
fill_name(enum jt_probe_fill f)
{
	return f == JT_PROBE_FILL_CONSTANT  ? "constant"
		: f == JT_PROBE_FILL_RANDOM ? "random"
					    : "touch";
}

static int
log_header(struct state *s, const struct jt_probe_footprint *fp,
	   int64_t ramp_to_bytes)
{
	struct jt_probe_os_info info;
	struct timeval tv;
	struct line l = {{0}, 0, 0};

	jt_probe_os_info(&info);
	gettimeofday(&tv, NULL);
	line_put(&l, "{\"type\":\"header\"");
	line_str(&l, "probe_version", JT_PROBE_VERSION);
	line_str(&l, "platform", info.platform);
	line_str(&l, "model", info.model);
	line_str(&l, "os_version", info.os_version);
	line_int(&l, "ram_bytes", info.ram_bytes);
	line_int(&l, "page_size_bytes", info.page_size_bytes);
	line_int(&l, "rate_bytes_per_s", s->c->rate_bytes_per_s);
	line_int(&l, "step_bytes", s->c->step_bytes);
	line_str(&l, "fill", fill_name(s->c->fill));
	line_int(&l, "start_unix_ms",
		 (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000);
	line_int(&l, "pid", (int64_t)getpid());
	line_int(&l, "limit_bytes", fp->limit_bytes);
	line_int(&l, "ramp_to_bytes", ramp_to_bytes);
	line_str(&l, "profile", s->c->profile);
	line_str(&l, "run_id", s->c->run_id);
	return emit(s, &l);
}

static int
log_sample(struct state *s, const struct jt_probe_footprint *fp)
{
	struct line l = {{0}, 0, 0};

	line_put(&l, "{\"type\":\"sample\"");
	line_int(&l, "seq", s->seq++);
	line_int(&l, "t_ms", elapsed_ms(s));
	line_int(&l, "allocated_bytes", s->allocated_bytes);
	line_int(&l, "footprint_bytes", fp->footprint_bytes);
	line_int(&l, "remaining_bytes", fp->remaining_bytes);
	line_int(&l, "peak_bytes", fp->peak_bytes);
	return emit(s, &l);
}

static int
log_event_at(struct state *s, int64_t t_ms, const char *kind,
	     const char *detail, int64_t footprint_bytes)
{
	struct line l = {{0}, 0, 0};

	line_put(&l, "{\"type\":\"event\"");
	line_int(&l, "t_ms", t_ms);
	line_str(&l, "kind", kind);
	line_str(&l, "detail", detail);
	line_int(&l, "footprint_bytes", footprint_bytes);
	return emit(s, &l);
}

static int
log_event(struct state *s, const char *kind, const char *detail,
	  int64_t footprint_bytes)
{
	return log_event_at(s, elapsed_ms(s), kind, detail, footprint_bytes);
}

/* ---- events from other threads -------------------------------------- */

int
jt_probe_post(const char *kind, const char *detail)
{
	int64_t now = jt_probe_os_now_ns();
	struct posted *p;
	int rc = 0;

	pthread_mutex_lock(&post.lock);
	if (post.count == POST_SLOTS) {
		post.dropped++;
		rc = -1;
	} else {
		p = &post.slot[(post.head + post.count++) % POST_SLOTS];
		p->mono_ns = now;
		snprintf(p->kind, sizeof(p->kind), "%s", kind);
		p->has_detail = detail != NULL;
		snprintf(p->detail, sizeof(p->detail), "%s",
			 detail != NULL ? detail : "");
	}
	pthread_mutex_unlock(&post.lock);
	return rc;
}

/*
 * log_posted - write the events other threads posted, oldest first.  One
 * is taken off the ring at a time, so a poster never waits on a write.
 */
static int
log_posted(struct state *s, const struct jt_probe_footprint *fp)
{
	for (;;) {
		struct posted p;
		long dropped;
		int have;
		char n[24];

		pthread_mutex_lock(&post.lock);
		have = post.count > 0;
		if (have) {
			p = post.slot[post.head];
			post.head = (post.head + 1) % POST_SLOTS;
			post.count--;
		}
		dropped = post.dropped;
		post.dropped = 0;
		pthread_mutex_unlock(&post.lock);
		if (dropped > 0) {
			snprintf(n, sizeof(n), "%ld", dropped);
			if (log_event(s, "dropped", n, fp->footprint_bytes) < 0)
				return -1;
		}
		if (!have)
			return 0;
		if (log_event_at(s,
				 p.mono_ns > s->start_ns
					 ? (p.mono_ns - s->start_ns) / 1000000
					 : 0,
				 p.kind, p.has_detail ? p.detail : NULL,
				 fp->footprint_bytes) < 0)
			return -1;
	}
}

/* ---- allocation ------------------------------------------------------ */

static uint64_t
next_random(uint64_t *x)
{
	/* xorshift64*: fast, and its output does not compress. */
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 2685821657736338717ULL;
}

static void
fill_block(struct state *s, unsigned char *p, size_t n)
{
	size_t off;

	switch (s->c->fill) {
	case JT_PROBE_FILL_TOUCH:
		/* One nonzero byte per 4 KiB dirties every page, even the
		 * last, partial one. */
		for (off = 0; off < n; off += TOUCH_BYTES)
			p[off] = (unsigned char)(s->seq | 1);
		p[n - 1] = 1;
		break;
	case JT_PROBE_FILL_CONSTANT:
		memset(p, 0xa5, n);
		break;
	case JT_PROBE_FILL_RANDOM:
		for (off = 0; off + 8 <= n; off += 8) {
			uint64_t r = next_random(&s->rng);
			memcpy(p + off, &r, 8);
		}
		for (; off < n; off++)
			p[off] = (unsigned char)next_random(&s->rng);
		break;
	}
}

/* allocate - one block of n bytes, touched and chained.  -1 if refused. */
static int
allocate(struct state *s, int64_t n)
{
	struct block *b;
	size_t sz = (size_t)n < sizeof(*b) ? sizeof(*b) : (size_t)n;

	b = malloc(sz);
	if (b == NULL)
		return -1;
	fill_block(s, (unsigned char *)b, sz);
	b->next = s->blocks;
	s->blocks = b;
	s->allocated_bytes += n;
	return 0;
}

static void
free_blocks(struct state *s)
{
	while (s->blocks != NULL) {
		struct block *b = s->blocks;

		s->blocks = b->next;
		free(b);
	}
}

/* ---- signals and progress ------------------------------------------- */

static void
on_stop(int sig)
{
	stop_signal = sig;
}

static void
on_warn(int sig)
{
	(void)sig;
	warn_signal = 1;
}

static void
install_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_warn;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static void
progress(struct state *s, const struct jt_probe_footprint *fp, int last)
{
	char buf[160];
	int64_t now = jt_probe_os_now_ns();
	int n;

	if (!s->progress || (!last && now - s->last_progress_ns < NS_PER_S / 4))
		return;
	s->last_progress_ns = now;
	if (fp->remaining_bytes >= 0)
		n = snprintf(buf, sizeof(buf),
			     "\rfootprint %" PRId64 " MiB, remaining %" PRId64
			     " MiB, %" PRId64 " samples   %s",
			     fp->footprint_bytes / MIB,
			     fp->remaining_bytes / MIB, s->seq,
			     last ? "\n" : "");
	else
		n = snprintf(
			buf, sizeof(buf),
			"\rfootprint %" PRId64 " MiB, %" PRId64 " samples   %s",
			fp->footprint_bytes / MIB, s->seq, last ? "\n" : "");
	if (n > 0)
		(void)!write(STDERR_FILENO, buf, (size_t)n);
}

/* ---- the run ---------------------------------------------------------- */

static int
open_sinks(struct state *s)
{
	const struct jt_probe_config *c = s->c;

	s->sink.file_fd = -1;
	s->sink.fd = c->log_fd;
	s->sink.syslog = c->use_syslog;
	s->sink.fsync_each = c->fsync_each;
	if (c->log_path != NULL) {
		s->sink.file_fd =
			open(c->log_path,
			     O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC,
			     0644);
		if (s->sink.file_fd < 0) {
			snprintf(s->msg, s->msglen, "cannot create '%s': %s",
				 c->log_path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* poll_warnings - log the OS's and the supervisor's memory warnings. */
static int
poll_warnings(struct state *s, const struct jt_probe_footprint *fp)
{
	const char *level;

	while (jt_probe_os_pressure(&level))
		if (log_event(s, "warning", level, fp->footprint_bytes) < 0)
			return -1;
	if (warn_signal) {
		warn_signal = 0;
		if (log_event(s, "warning", "warn", fp->footprint_bytes) < 0)
			return -1;
	}
	return log_posted(s, fp);
}

/* sleep_until - wait for the deadline; a stop signal cuts it short. */
static void
sleep_until(int64_t deadline_ns)
{
	while (!stop_signal && jt_probe_os_now_ns() < deadline_ns)
		jt_probe_os_sleep_until(deadline_ns);
}

static int
run_loop(struct state *s, int64_t ramp_to)
{
	const struct jt_probe_config *c = s->c;
	struct jt_probe_footprint fp;
	double interval_ns =
		(double)c->step_bytes * NS_PER_S / (double)c->rate_bytes_per_s;
	int64_t base_ns, k = 0, hold_start_ms = -1;
	int ramping = ramp_to >= 0;
	const char *end = NULL;
	char detail[32];

	if (jt_probe_os_footprint(&fp) < 0 || log_sample(s, &fp) < 0 ||
	    poll_warnings(s, &fp) < 0)
		return JT_PROBE_EXIT_FAIL;
	base_ns = jt_probe_os_now_ns();
	for (;;) {
		int64_t limit = c->max_bytes;

		if (c->hold_bytes >= 0 && (limit < 0 || c->hold_bytes < limit))
			limit = c->hold_bytes;
		if (!ramping) {
			/* Step k is due at base + k intervals, however long
			 * the steps before it took. */
			k++;
			sleep_until(base_ns +
				    (int64_t)((double)k * interval_ns));
		}
		if (stop_signal) {
			end = "signal";
			break;
		}
		if (limit >= 0 && s->allocated_bytes >= limit) {
			if (limit != c->hold_bytes) {
				end = "max";
				break;
			}
			if (hold_start_ms < 0) {
				hold_start_ms = elapsed_ms(s);
				if (log_event(s, "hold", NULL,
					      fp.footprint_bytes) < 0)
					return JT_PROBE_EXIT_FAIL;
			}
			if (c->hold_ms >= 0 &&
			    elapsed_ms(s) - hold_start_ms >= c->hold_ms) {
				end = "hold-timeout";
				break;
			}
		} else {
			int64_t n = c->step_bytes;

			if (limit >= 0 && limit - s->allocated_bytes < n)
				n = limit - s->allocated_bytes;
			if (allocate(s, n) < 0) {
				snprintf(detail, sizeof(detail), "%" PRId64, n);
				(void)jt_probe_os_footprint(&fp);
				if (log_event(s, "alloc-failed", detail,
					      fp.footprint_bytes) < 0)
					return JT_PROBE_EXIT_FAIL;
				snprintf(s->msg, s->msglen,
					 "malloc refused %" PRId64
					 " bytes after %" PRId64,
					 n, s->allocated_bytes);
				return JT_PROBE_EXIT_NOMEM;
			}
		}
		if (jt_probe_os_footprint(&fp) < 0 || log_sample(s, &fp) < 0 ||
		    poll_warnings(s, &fp) < 0)
			return JT_PROBE_EXIT_FAIL;
		progress(s, &fp, 0);
		if (ramping) {
			if (fp.footprint_bytes < ramp_to)
				continue;
			ramping = 0;
			if (log_event(s, "ramp-done", NULL,
				      fp.footprint_bytes) < 0)
				return JT_PROBE_EXIT_FAIL;
			base_ns = jt_probe_os_now_ns();
			k = 0;
		}
	}
	(void)jt_probe_os_footprint(&fp);
	progress(s, &fp, 1);
	if (poll_warnings(s, &fp) < 0 ||
	    log_event(s, "end", end, fp.footprint_bytes) < 0)
		return JT_PROBE_EXIT_FAIL;
	return JT_PROBE_EXIT_OK;
}

int
jt_probe_run(const struct jt_probe_config *c, char *msg, size_t msglen)
{
	struct state s;
	struct jt_probe_footprint fp;
	int64_t ramp_to = c->ramp_to_bytes;
	int rc;

	memset(&s, 0, sizeof(s));
	s.c = c;
	s.msg = msg;
	s.msglen = msglen;
	s.rng = 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
	s.progress = !c->quiet && isatty(STDERR_FILENO);
	stop_signal = 0;
	warn_signal = 0;
	install_handlers();
	if (jt_probe_os_open() < 0) {
		snprintf(msg, msglen, "cannot read this process's footprint");
		return JT_PROBE_EXIT_FAIL;
	}
	if (jt_probe_os_footprint(&fp) < 0) {
		snprintf(msg, msglen, "cannot read this process's footprint");
		jt_probe_os_close();
		return JT_PROBE_EXIT_FAIL;
	}
	if (c->ramp_to_pct > 0) {
		if (fp.limit_bytes < 0) {
			snprintf(msg, msglen,
				 "--ramp-to %d%% needs a known limit, and "
				 "the OS gives none",
				 c->ramp_to_pct);
			jt_probe_os_close();
			return JT_PROBE_EXIT_USAGE;
		}
		ramp_to = fp.limit_bytes / 100 * c->ramp_to_pct +
			fp.limit_bytes % 100 * c->ramp_to_pct / 100;
	}
	s.start_ns = jt_probe_os_now_ns();
	/* Sinks first, so an unwritable log fails before any allocation. */
	if (open_sinks(&s) < 0 || log_header(&s, &fp, ramp_to) < 0)
		rc = JT_PROBE_EXIT_FAIL;
	else
		rc = run_loop(&s, ramp_to);
	free_blocks(&s);
	if (s.sink.file_fd >= 0 && close(s.sink.file_fd) < 0 &&
	    rc == JT_PROBE_EXIT_OK) {
		snprintf(msg, msglen, "cannot write '%s': %s", c->log_path,
			 strerror(errno));
		rc = JT_PROBE_EXIT_FAIL;
	}
	jt_probe_os_close();
	return rc;
}
