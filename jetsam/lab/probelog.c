/*
 * probelog.c - the probe log reader and its summary
 *
 * The probe writes each record with one write(2), so a complete record is
 * always a whole line ending in '\n'.  A last line without its newline was
 * cut by a kill (or a full disk): it is skipped and flagged, never read,
 * even when the part that arrived happens to parse.  Any other bad line is
 * an error with its line number, or a count in lenient mode.
 */
#include "probelog.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jetsam/core/fileio.h"

#define MAX_LOG_BYTES ((size_t)1 << 30)

void
jt_probelog_free(struct jt_probelog *log)
{
	size_t i;

	if (log == NULL)
		return;
	free(log->source);
	free(log->header.probe_version);
	free(log->header.platform);
	free(log->header.model);
	free(log->header.os_version);
	free(log->header.fill);
	free(log->header.profile);
	free(log->header.run_id);
	for (i = 0; i < log->nevents; i++) {
		free(log->events[i].kind);
		free(log->events[i].detail);
	}
	free(log->events);
	free(log->samples);
	free(log);
}

/*
 * get_int - obj[key] as an int64 into *out: -1 for null (or absent when
 * !required).  Returns 0, or -1 with a message in why.
 */
static int
get_int(const json_t *obj, const char *key, int required, int64_t *out,
	const char **why)
{
	const json_t *v = json_object_get(obj, key);

	*out = -1;
	if (v == NULL) {
		if (!required)
			return 0;
		*why = "is missing";
		return -1;
	}
	if (json_is_null(v) && !required)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		*why = "should be a non-negative integer";
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

/* get_str - obj[key] as a new string, NULL for null/absent. */
static int
get_str(const json_t *obj, const char *key, int required, char **out,
	const char **why)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		*why = "is missing";
		return -1;
	}
	if (!json_is_string(v)) {
		*why = "should be a string";
		return -1;
	}
	*out = strdup(json_string_value(v));
	if (*out == NULL) {
		*why = "out of memory";
		return -1;
	}
	return 0;
}

static int
grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *q;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 64;
	q = realloc(*p, c * size);
	if (q == NULL)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

struct parser {
	struct jt_probelog *log;
	size_t scap, ecap;
	const char *key; /* the field a message is about */
};

static int
read_header(struct parser *p, const json_t *o, const char **why)
{
	struct jt_probe_header *h = &p->log->header;
	static const char *const skeys[] = {
		"probe_version", "platform", "model", "os_version",
		"fill",          "profile",  "run_id"};
	char **sfields[] = {&h->probe_version, &h->platform, &h->model,
			    &h->os_version,    &h->fill,     &h->profile,
			    &h->run_id};
	static const char *const ikeys[] = {
		"ram_bytes",   "page_size_bytes", "rate_bytes_per_s",
		"step_bytes",  "start_unix_ms",   "pid",
		"limit_bytes", "ramp_to_bytes"};
	int64_t *ifields[] = {&h->ram_bytes,        &h->page_size_bytes,
			      &h->rate_bytes_per_s, &h->step_bytes,
			      &h->start_unix_ms,    &h->pid,
			      &h->limit_bytes,      &h->ramp_to_bytes};
	size_t i;

	if (p->log->has_header || p->log->nsamples || p->log->nevents) {
		*why = "header is not the first record";
		p->key = NULL;
		return -1;
	}
	for (i = 0; i < sizeof(skeys) / sizeof(skeys[0]); i++) {
		p->key = skeys[i];
		if (get_str(o, skeys[i], i == 1, sfields[i], why) < 0)
			return -1;
	}
	for (i = 0; i < 8; i++) {
		p->key = ikeys[i];
		if (get_int(o, ikeys[i], i == 2 || i == 3, ifields[i], why) < 0)
			return -1;
	}
	p->log->has_header = 1;
	return 0;
}

static int
read_sample(struct parser *p, const json_t *o, const char **why)
{
	struct jt_probelog *log = p->log;
	struct jt_probe_sample s = {-1, -1, -1, -1, -1, -1};
	static const char *const keys[] = {"seq",
					   "t_ms",
					   "allocated_bytes",
					   "footprint_bytes",
					   "remaining_bytes",
					   "peak_bytes"};
	int64_t *f[] = {&s.seq,
			&s.t_ms,
			&s.allocated_bytes,
			&s.footprint_bytes,
			&s.remaining_bytes,
			&s.peak_bytes};
	size_t i;

	for (i = 0; i < 6; i++) {
		p->key = keys[i];
		if (get_int(o, keys[i], i < 4, f[i], why) < 0)
			return -1;
	}
	p->key = NULL;
	if (grow((void **)&log->samples, &p->scap, log->nsamples, sizeof(s)) <
	    0) {
		*why = "out of memory";
		return -1;
	}
	log->samples[log->nsamples++] = s;
	return 0;
}

static int
read_event(struct parser *p, const json_t *o, const char **why)
{
	struct jt_probelog *log = p->log;
	struct jt_probe_event e = {-1, NULL, NULL, -1, 0};

	e.after_samples = log->nsamples;

	p->key = "t_ms";
	if (get_int(o, "t_ms", 1, &e.t_ms, why) < 0)
		return -1;
	p->key = "footprint_bytes";
	if (get_int(o, "footprint_bytes", 0, &e.footprint_bytes, why) < 0)
		return -1;
	p->key = "kind";
	if (get_str(o, "kind", 1, &e.kind, why) < 0)
		return -1;
	p->key = "detail";
	if (get_str(o, "detail", 0, &e.detail, why) < 0 ||
	    grow((void **)&log->events, &p->ecap, log->nevents, sizeof(e)) <
		    0) {
		if (e.detail != NULL)
			*why = "out of memory";
		free(e.kind);
		free(e.detail);
		return -1;
	}
	log->events[log->nevents++] = e;
	return 0;
}

/* read_line - one record; -1 with why (and p->key) when it is bad. */
static int
read_line(struct parser *p, const char *line, size_t len, const char **why)
{
	json_error_t je;
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	const char *type;
	int rc;

	p->key = NULL;
	if (o == NULL) {
		*why = "not valid JSON";
		return -1;
	}
	type = json_string_value(json_object_get(o, "type"));
	if (!json_is_object(o) || type == NULL) {
		*why = "not a record (no \"type\")";
		rc = -1;
	} else if (strcmp(type, "sample") == 0) {
		rc = read_sample(p, o, why);
	} else if (strcmp(type, "event") == 0) {
		rc = read_event(p, o, why);
	} else if (strcmp(type, "header") == 0) {
		rc = read_header(p, o, why);
	} else {
		*why = "unknown record type";
		rc = -1;
	}
	json_decref(o);
	return rc;
}

struct jt_probelog *
jt_probelog_parse(const char *buf, size_t len, const char *source, int lenient,
		  struct jt_error *err)
{
	struct parser p;
	size_t pos = 0;
	long lineno = 0;

	memset(&p, 0, sizeof(p));
	p.log = calloc(1, sizeof(*p.log));
	if (p.log == NULL ||
	    (p.log->source = strdup(source ? source : "")) == NULL) {
		jt_probelog_free(p.log);
		jt_error_oom(err, source);
		return NULL;
	}
	p.log->header.ram_bytes = p.log->header.page_size_bytes = -1;
	p.log->header.rate_bytes_per_s = p.log->header.step_bytes = -1;
	p.log->header.start_unix_ms = p.log->header.pid = -1;
	p.log->header.limit_bytes = p.log->header.ramp_to_bytes = -1;
	while (pos < len) {
		const char *line = buf + pos;
		const char *nl = memchr(line, '\n', len - pos);
		const char *why = NULL;

		lineno++;
		if (nl == NULL) {
			/* No newline: the write was cut.  Never read it. */
			p.log->torn_tail = 1;
			break;
		}
		pos = (size_t)(nl - buf) + 1;
		if (read_line(&p, line, (size_t)(nl - line), &why) == 0)
			continue;
		if (strcmp(why, "out of memory") == 0) {
			jt_error_set(err, JT_ENOMEM, source, lineno, 0,
				     "out of memory");
			jt_probelog_free(p.log);
			return NULL;
		}
		if (lenient) {
			p.log->bad_lines++;
			continue;
		}
		if (p.key != NULL)
			jt_error_set(err, JT_EPARSE, source, lineno, 0,
				     "bad probe record: '%s' %s", p.key, why);
		else
			jt_error_set(err, JT_EPARSE, source, lineno, 0,
				     "bad probe record: %s", why);
		jt_probelog_free(p.log);
		return NULL;
	}
	return p.log;
}

struct jt_probelog *
jt_probelog_load(const char *path, int lenient, struct jt_error *err)
{
	struct jt_probelog *log;
	char *buf;
	size_t len;

	if (jt_read_file(path, MAX_LOG_BYTES, &buf, &len, err) < 0)
		return NULL;
	log = jt_probelog_parse(buf, len, path, lenient, err);
	free(buf);
	return log;
}

/* find_event - the first event of kind, or NULL. */
static const struct jt_probe_event *
find_event(const struct jt_probelog *log, const char *kind)
{
	size_t i;

	for (i = 0; i < log->nevents; i++)
		if (strcmp(log->events[i].kind, kind) == 0)
			return &log->events[i];
	return NULL;
}

/*
 * paced_rate - allocated bytes per second while the probe was pacing (after
 * any ramp, before any hold): what the schedule achieved.  Allocated, not
 * footprint, because the footprint also grows by the allocator's own
 * per-block overhead (a page per block for glibc's mmap'd blocks, more
 * under a sanitizer), which is not the probe's rate.
 */
static int64_t
paced_rate(const struct jt_probelog *log)
{
	const struct jt_probe_event *ramp = find_event(log, "ramp-done");
	const struct jt_probe_event *hold = find_event(log, "hold");
	const struct jt_probe_sample *a, *b;

	if (log->nsamples == 0)
		return -1;
	a = &log->samples[0];
	b = &log->samples[log->nsamples - 1];
	/* The pace starts at the sample that ended the ramp and stops at
	 * the last one before the hold. */
	if (ramp != NULL && ramp->after_samples > 0)
		a = &log->samples[ramp->after_samples - 1];
	if (hold != NULL && hold->after_samples > 0)
		b = &log->samples[hold->after_samples - 1];
	if (a == NULL || b == a || b->t_ms <= a->t_ms ||
	    b->allocated_bytes < a->allocated_bytes)
		return -1;
	return (int64_t)((double)(b->allocated_bytes - a->allocated_bytes) *
				 1000.0 / (double)(b->t_ms - a->t_ms) +
			 0.5);
}

int
jt_probelog_summarize(const struct jt_probelog *log, int64_t known_limit_bytes,
		      struct jt_probe_summary *out, struct jt_error *err)
{
	const struct jt_probe_sample *last, *over = NULL;
	const struct jt_probe_event *warn;
	int64_t limit, step;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (log->nsamples == 0)
		return jt_error_set_in(err, JT_EINVAL, log->source,
				       "probe log has no samples");
	last = &log->samples[log->nsamples - 1];
	out->samples = (int64_t)log->nsamples;
	out->last_footprint_bytes = last->footprint_bytes;
	out->last_allocated_bytes = last->allocated_bytes;
	out->ended = find_event(log, "end") != NULL;
	out->alloc_failed = find_event(log, "alloc-failed") != NULL;
	for (i = 0; i < log->nevents; i++) {
		const struct jt_probe_event *e = &log->events[i];

		if ((strcmp(e->kind, "state") == 0 ||
		     strcmp(e->kind, "scene") == 0) &&
		    e->detail != NULL && strcmp(e->detail, "background") == 0)
			out->left_foreground = 1;
	}

	/* iOS 13+: limit = footprint + remaining, exactly, until the limit
	 * is reached; after that remaining reads 0 and says only "over". */
	out->limit_from_remaining_bytes = -1;
	for (i = 0; i < log->nsamples; i++) {
		const struct jt_probe_sample *s = &log->samples[i];

		if (s->remaining_bytes > 0)
			out->limit_from_remaining_bytes =
				s->footprint_bytes + s->remaining_bytes;
		else if (s->remaining_bytes == 0 && over == NULL)
			over = s;
	}

	/* The crossing lies between the last sample under the limit and
	 * the first one over it: the first with remaining 0, or, when the
	 * kill came before any such sample, one step past the last one. */
	step = log->header.step_bytes;
	if (step <= 0 && log->nsamples > 1)
		step = last->allocated_bytes - log->samples[0].allocated_bytes;
	out->crossing_bytes = -1;
	if (over != NULL && over != log->samples) {
		out->crossing_bytes =
			(over[-1].footprint_bytes + over->footprint_bytes) / 2;
	} else if (out->alloc_failed) {
		out->crossing_bytes = last->footprint_bytes;
	} else if (!out->ended && step > 0) {
		out->crossing_bytes = last->footprint_bytes + step / 2;
	}

	warn = find_event(log, "warning");
	out->first_warning_bytes = warn != NULL && warn->footprint_bytes >= 0
		? warn->footprint_bytes
		: -1;

	limit = out->limit_from_remaining_bytes >= 0
		? out->limit_from_remaining_bytes
		: known_limit_bytes;
	out->overshoot_bytes = -1;
	if (limit >= 0)
		out->overshoot_bytes = last->footprint_bytes > limit
			? last->footprint_bytes - limit
			: 0;
	out->effective_rate_bytes_per_s = paced_rate(log);
	out->duration_ms = last->t_ms;
	for (i = 0; i < log->nevents; i++)
		if (log->events[i].t_ms > out->duration_ms)
			out->duration_ms = log->events[i].t_ms;
	return 0;
}
