/*
 * capture.c - keep the probe's records and the kernel's kill lines
 *
 * The probe's records are copied byte for byte (after a check that each is
 * a JSON object), so a captured log reads exactly like one written on the
 * device.  The kill events get a t_ms on the probe's clock, extrapolated
 * from the last probe record by the host clock: the kernel line has no
 * probe time of its own.
 */
#include "capture.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "device.h"

#define DEFAULT_GRACE_MS 2000

int64_t
jt_capture_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
jt_capture_init(struct jt_capture *c, int fd,
		const struct jt_capture_opts *opts, int64_t now_ms)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	if (opts != NULL)
		c->opts = *opts;
	else
		c->opts.grace_ms = DEFAULT_GRACE_MS;
	if (c->opts.marker == NULL || c->opts.marker[0] == '\0')
		c->opts.marker = JT_CAPTURE_MARKER;
	jt_syslog_splitter_init(&c->sp);
	c->end = JT_CAPTURE_RUNNING;
	c->probe_pid = -1;
	c->last_t_ms = -1;
	c->last_host_ms = now_ms;
	c->last_record_host_ms = now_ms;
	c->first_kill_host_ms = -1;
	c->kernel_limit_bytes = -1;
	c->kill_footprint_bytes = -1;
}

void
jt_capture_release(struct jt_capture *c)
{
	jt_syslog_splitter_release(&c->sp);
}

const char *
jt_capture_end_name(enum jt_capture_end e)
{
	switch (e) {
	case JT_CAPTURE_RUNNING:
		return "running";
	case JT_CAPTURE_KILLED:
		return "killed";
	case JT_CAPTURE_SILENCE:
		return "silence";
	case JT_CAPTURE_INTERRUPTED:
		return "interrupted";
	case JT_CAPTURE_BACKGROUND:
		return "background";
	case JT_CAPTURE_FAILED:
		break;
	}
	return "failed";
}

/* write_line - text + "\n" with one write(2), then fsync. */
static int
write_line(struct jt_capture *c, const char *text, size_t n,
	   struct jt_error *err)
{
	char stackbuf[4096], *buf = stackbuf;
	size_t off = 0;

	if (n + 1 > sizeof(stackbuf)) {
		buf = malloc(n + 1);
		if (buf == NULL)
			return jt_error_oom(err, NULL);
	}
	memcpy(buf, text, n);
	buf[n] = '\n';
	while (off < n + 1) {
		ssize_t w = write(c->fd, buf + off, n + 1 - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = errno;

			if (buf != stackbuf)
				free(buf);
			c->write_failed = 1;
			return jt_error_set_errno(err, e, NULL,
						  "cannot write the capture");
		}
		off += (size_t)w;
	}
	if (buf != stackbuf)
		free(buf);
	if (fsync(c->fd) < 0 && errno != EINVAL && errno != EROFS) {
		c->write_failed = 1;
		return jt_error_set_errno(err, errno, NULL,
					  "cannot sync the capture");
	}
	return 0;
}

/* int_or - the integer member key of obj, or -1. */
static int64_t
int_or(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
}

/*
 * note_record - what the capture itself needs from a probe record: a
 * sample's footprint for progress, and whether the app left the
 * foreground (as jt_probelog_summarize counts it: a "state" or "scene"
 * event whose detail is "background").
 */
static void
note_record(struct jt_capture *c, const json_t *obj)
{
	const char *type = json_string_value(json_object_get(obj, "type"));
	const char *kind = json_string_value(json_object_get(obj, "kind"));
	const char *detail = json_string_value(json_object_get(obj, "detail"));

	if (strcmp(type, "sample") == 0 && c->opts.on_sample != NULL)
		c->opts.on_sample(c->opts.sample_ud,
				  int_or(obj, "footprint_bytes"),
				  int_or(obj, "remaining_bytes"));
	if (strcmp(type, "event") == 0 && kind != NULL && detail != NULL &&
	    (strcmp(kind, "state") == 0 || strcmp(kind, "scene") == 0) &&
	    strcmp(detail, "background") == 0)
		c->left_foreground = 1;
}

static int
probe_record(struct jt_capture *c, const struct jt_syslog_record *r,
	     const char *payload, size_t n, int64_t now_ms,
	     struct jt_error *err)
{
	json_error_t je;
	json_t *obj = json_loadb(payload, n, 0, &je), *t;

	if (obj == NULL || !json_is_object(obj) ||
	    !json_is_string(json_object_get(obj, "type"))) {
		json_decref(obj);
		c->bad_records++;
		return 0;
	}
	note_record(c, obj);
	t = json_object_get(obj, "t_ms");
	if (json_is_integer(t)) {
		c->last_t_ms = json_integer_value(t);
		c->last_host_ms = now_ms;
	} else if (strcmp(json_string_value(json_object_get(obj, "type")),
			  "header") == 0) {
		c->last_t_ms = 0;
		c->last_host_ms = now_ms;
	}
	json_decref(obj);
	c->probe_pid = r->pid;
	snprintf(c->probe_name, sizeof(c->probe_name), "%s", r->process);
	c->last_record_host_ms = now_ms;
	if (write_line(c, payload, n, err) < 0)
		return -1;
	c->records++;
	return 0;
}

static int
kill_record(struct jt_capture *c, const struct jt_kill_line *k, const char *msg,
	    size_t n, int64_t now_ms, struct jt_error *err)
{
	json_t *ev;
	char *text;
	int64_t t = 0;
	int rc;

	if (c->probe_pid < 0 || k->pid != c->probe_pid)
		return 0; /* some other process */
	if (c->last_t_ms >= 0)
		t = c->last_t_ms + (now_ms - c->last_host_ms);
	ev = json_pack("{s:s, s:I, s:s, s:s%, s:o}", "type", "event", "t_ms",
		       (json_int_t)t, "kind", "kill", "detail", msg, n,
		       "footprint_bytes",
		       k->footprint_bytes >= 0
			       ? json_integer(k->footprint_bytes)
			       : json_null());
	if (ev == NULL)
		return jt_error_oom(err, NULL);
	text = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(ev);
	if (text == NULL)
		return jt_error_oom(err, NULL);
	rc = write_line(c, text, strlen(text), err);
	free(text);
	if (rc < 0)
		return -1;
	c->kill_lines++;
	if (c->first_kill_host_ms < 0)
		c->first_kill_host_ms = now_ms;
	if (k->kind == JT_KILL_LINE_EXCEEDED) {
		c->saw_exceeded = 1;
		if (k->fatal)
			c->kernel_limit_bytes = k->limit_bytes;
	} else {
		c->saw_killing = 1;
		c->kill_footprint_bytes = k->footprint_bytes;
		snprintf(c->kill_reason, sizeof(c->kill_reason), "%s",
			 k->reason);
	}
	return 0;
}

struct feed_ctx {
	struct jt_capture *c;
	int64_t now_ms;
	struct jt_error *err;
};

static int
on_record(const char *rec, size_t len, int cut, void *ud)
{
	struct feed_ctx *f = ud;
	struct jt_syslog_record r;
	struct jt_kill_line k;
	const char *payload;
	size_t n;

	if (jt_syslog_record_parse(rec, len, &r) < 0)
		return 0;
	payload = jt_syslog_marker(r.msg, r.msg_len, f->c->opts.marker, &n);
	if (payload != NULL) {
		if (cut) {
			f->c->bad_records++;
			return 0;
		}
		return probe_record(f->c, &r, payload, n, f->now_ms, f->err);
	}
	if (jt_syslog_kill_parse(r.msg, r.msg_len, &k))
		return kill_record(f->c, &k, r.msg, r.msg_len, f->now_ms,
				   f->err);
	return 0;
}

int
jt_capture_feed(struct jt_capture *c, const char *data, size_t n,
		int64_t now_ms, struct jt_error *err)
{
	struct feed_ctx f = {c, now_ms, err};

	return jt_syslog_feed(&c->sp, data, n, on_record, &f, err) != 0 ? -1
									: 0;
}

enum jt_capture_end
jt_capture_check(struct jt_capture *c, int64_t now_ms)
{
	if (c->end != JT_CAPTURE_RUNNING)
		return c->end;
	if (c->first_kill_host_ms >= 0 &&
	    ((c->saw_exceeded && c->saw_killing) ||
	     now_ms - c->first_kill_host_ms >= c->opts.grace_ms))
		c->end = JT_CAPTURE_KILLED;
	else if (c->left_foreground && c->opts.end_on_background)
		c->end = JT_CAPTURE_BACKGROUND;
	else if (c->opts.stop != NULL && *c->opts.stop)
		c->end = JT_CAPTURE_INTERRUPTED;
	else if (c->opts.silence_ms > 0 &&
		 now_ms - c->last_record_host_ms >= c->opts.silence_ms)
		c->end = JT_CAPTURE_SILENCE;
	return c->end;
}

int
jt_capture_device(struct jt_device *dev, struct jt_capture *c,
		  jt_capture_launch_fn launch, void *ud, struct jt_error *err)
{
	char buf[16384];

	if (jt_device_syslog_start(dev, err) < 0) {
		c->end = JT_CAPTURE_FAILED;
		return -1;
	}
	if (launch != NULL && launch(ud, err) < 0) {
		c->end = JT_CAPTURE_FAILED;
		return -1;
	}
	while (jt_capture_check(c, jt_capture_now_ms()) == JT_CAPTURE_RUNNING) {
		struct jt_error local;
		size_t got = 0;
		int rc;

		jt_error_init(&local);
		rc = jt_device_syslog_read(dev, buf, sizeof(buf), &got, 200,
					   &local);
		if (rc < 0 && c->opts.stop != NULL && *c->opts.stop) {
			/* Ctrl-C can break the wait itself */
			c->end = JT_CAPTURE_INTERRUPTED;
			return 0;
		}
		if (rc < 0) {
			if (err != NULL && !jt_error_isset(err))
				*err = local;
			c->end = JT_CAPTURE_FAILED;
			return -1;
		}
		if (rc > 0 &&
		    jt_capture_feed(c, buf, got, jt_capture_now_ms(), err) <
			    0) {
			c->end = JT_CAPTURE_FAILED;
			return -1;
		}
	}
	return 0;
}
