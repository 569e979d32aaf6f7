/*
 * runrec.c - run records to and from JSON
 *
 * One table describes every field, so writing and reading cannot drift
 * apart and adding a field is one line.
 */
#include "runrec.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jetsam/core/json.h"

#define MAX_RECORD_BYTES (1u << 20)

enum kind { STR, I64, INT, BOOL };

static const struct field {
	const char *key;
	enum kind kind;
	size_t off;
} fields[] = {
	{"run_id", STR, offsetof(struct jt_runrec, run_id)},
	{"kind", STR, offsetof(struct jt_runrec, kind)},
	{"enforcer", STR, offsetof(struct jt_runrec, enforcer)},
	{"model", STR, offsetof(struct jt_runrec, model)},
	{"os_version", STR, offsetof(struct jt_runrec, os_version)},
	{"profile", STR, offsetof(struct jt_runrec, profile)},
	{"udid", STR, offsetof(struct jt_runrec, udid)},
	{"probe_log", STR, offsetof(struct jt_runrec, probe_log)},
	{"report", STR, offsetof(struct jt_runrec, report)},
	{"truth_limit_bytes", I64,
	 offsetof(struct jt_runrec, truth_limit_bytes)},
	{"kernel_limit_bytes", I64,
	 offsetof(struct jt_runrec, kernel_limit_bytes)},
	{"step_bytes", I64, offsetof(struct jt_runrec, step_bytes)},
	{"rate_bytes_per_s", I64, offsetof(struct jt_runrec, rate_bytes_per_s)},
	{"ramp_to_bytes", I64, offsetof(struct jt_runrec, ramp_to_bytes)},
	{"last_sample_bytes", I64,
	 offsetof(struct jt_runrec, last_sample_bytes)},
	{"crossing_bytes", I64, offsetof(struct jt_runrec, crossing_bytes)},
	{"footprint_remaining_bytes", I64,
	 offsetof(struct jt_runrec, footprint_remaining_bytes)},
	{"report_bytes", I64, offsetof(struct jt_runrec, report_bytes)},
	{"first_warning_bytes", I64,
	 offsetof(struct jt_runrec, first_warning_bytes)},
	{"overshoot_bytes", I64, offsetof(struct jt_runrec, overshoot_bytes)},
	{"duration_ms", I64, offsetof(struct jt_runrec, duration_ms)},
	{"samples", I64, offsetof(struct jt_runrec, samples)},
	{"effective_rate_bytes_per_s", I64,
	 offsetof(struct jt_runrec, effective_rate_bytes_per_s)},
	{"kill_reason", STR, offsetof(struct jt_runrec, kill_reason)},
	{"exit_signal", INT, offsetof(struct jt_runrec, exit_signal)},
	{"exit_status", INT, offsetof(struct jt_runrec, exit_status)},
	{"left_foreground", BOOL, offsetof(struct jt_runrec, left_foreground)},
	{"failure", STR, offsetof(struct jt_runrec, failure)},
	{"failure_detail", STR, offsetof(struct jt_runrec, failure_detail)},
};
enum { NFIELDS = sizeof(fields) / sizeof(fields[0]) };

#define AT(r, f, type) ((type *)((char *)(r) + (f)->off))

void
jt_runrec_init(struct jt_runrec *r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < NFIELDS; i++)
		if (fields[i].kind == I64)
			*AT(r, &fields[i], int64_t) = -1;
}

void
jt_runrec_release(struct jt_runrec *r)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (fields[i].kind == STR) {
			free(*AT(r, &fields[i], char *));
			*AT(r, &fields[i], char *) = NULL;
		}
}

json_t *
jt_runrec_to_json(const struct jt_runrec *r, struct jt_error *err)
{
	json_t *o = json_object();
	size_t i;
	int bad = o == NULL;

	for (i = 0; i < NFIELDS && !bad; i++) {
		const struct field *f = &fields[i];
		json_t *v;

		if (f->kind == STR) {
			const char *s = *AT(r, f, char *const);
			v = s != NULL ? json_string(s) : json_null();
		} else if (f->kind == I64) {
			int64_t x = *AT(r, f, const int64_t);
			v = x >= 0 ? json_integer(x) : json_null();
		} else if (f->kind == BOOL) {
			v = json_boolean(*AT(r, f, const int));
		} else {
			v = json_integer(*AT(r, f, const int));
		}
		bad = json_object_set_new(o, f->key, v) != 0;
	}
	if (!bad)
		bad = json_object_set_new(o, "version",
					  json_integer(JT_RUNREC_VERSION)) != 0;
	if (bad) {
		json_decref(o);
		jt_error_oom(err, NULL);
		return NULL;
	}
	return o;
}

int
jt_runrec_from_json(struct jt_runrec *r, const json_t *obj, const char *source,
		    struct jt_error *err)
{
	size_t i;

	jt_runrec_init(r);
	if (!json_is_object(obj))
		return jt_error_set_in(err, JT_EPARSE, source,
				       "run record is not a JSON object");
	for (i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		json_t *v = json_object_get(obj, f->key);

		if (v == NULL || json_is_null(v))
			continue;
		if (f->kind == STR) {
			if (!json_is_string(v))
				goto type;
			*AT(r, f, char *) = strdup(json_string_value(v));
			if (*AT(r, f, char *) == NULL) {
				jt_runrec_release(r);
				return jt_error_oom(err, source);
			}
		} else if (f->kind == BOOL) {
			if (!json_is_boolean(v))
				goto type;
			*AT(r, f, int) = json_is_true(v);
		} else {
			if (!json_is_integer(v) || json_integer_value(v) < 0)
				goto type;
			if (f->kind == I64)
				*AT(r, f, int64_t) = json_integer_value(v);
			else
				*AT(r, f, int) = (int)json_integer_value(v);
		}
		continue;
	type:
		jt_runrec_release(r);
		return jt_error_set_in(
			err, JT_EPARSE, source,
			"run record field '%s' should be %s", f->key,
			f->kind == STR            ? "a string"
				: f->kind == BOOL ? "true or false"
						  : "a non-negative integer");
	}
	if (r->model == NULL) {
		jt_runrec_release(r);
		return jt_error_set_in(err, JT_EPARSE, source,
				       "run record has no 'model'");
	}
	return 0;
}

int
jt_runrec_load(struct jt_runrec *r, const char *path, struct jt_error *err)
{
	json_t *obj;
	int rc;

	jt_runrec_init(r);
	obj = jt_json_load_file(path, MAX_RECORD_BYTES, err);
	if (obj == NULL)
		return -1;
	rc = jt_runrec_from_json(r, obj, path, err);
	json_decref(obj);
	return rc;
}

int
jt_runrec_save(const struct jt_runrec *r, const char *path,
	       struct jt_error *err)
{
	json_t *o = jt_runrec_to_json(r, err);
	int rc;

	if (o == NULL)
		return -1;
	rc = jt_json_save_file(path, o, err);
	json_decref(o);
	return rc;
}

/*
 * name_part_check - a model or OS name may become part of a directory
 * name only when it cannot leave that directory or hide in a listing:
 * 1 to JT_RUNREC_NAME_PART_MAX bytes, no '/', no "..", no control bytes.
 * The device layer checks what a device says (devinfo.c) before it gets
 * here; this is the last line, for every caller.
 */
static int
name_part_check(const char *what, const char *part, struct jt_error *err)
{
	size_t n = strlen(part), i;

	if (n == 0 || n > JT_RUNREC_NAME_PART_MAX)
		return jt_error_set_in(err, JT_EINVAL, NULL,
				       "refusing a %s of %zu bytes as part of "
				       "a run directory name (1 to %d)",
				       what, n, JT_RUNREC_NAME_PART_MAX);
	for (i = 0; i < n; i++)
		if ((unsigned char)part[i] < 0x20 || part[i] == 0x7f)
			return jt_error_set_in(
				err, JT_EINVAL, NULL,
				"refusing a %s with control characters as "
				"part of a run directory name",
				what);
	if (strchr(part, '/') != NULL || strstr(part, "..") != NULL)
		return jt_error_set_in(err, JT_EINVAL, NULL,
				       "refusing the %s '%s' as part of a run "
				       "directory name: it holds '/' or '..'",
				       what, part);
	return 0;
}

int
jt_runrec_mkdir(const char *dir, const char *model, const char *os,
		char *run_id, size_t idlen, char *path, size_t pathlen,
		struct jt_error *err)
{
	int n;

	if (name_part_check("model", model, err) < 0 ||
	    name_part_check("OS version", os, err) < 0)
		return -1;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return jt_error_set_errno(err, errno, dir,
					  "cannot create directory");
	for (n = 1; n < 100000; n++) {
		int a = snprintf(run_id, idlen, "%s-%s-%d", model, os, n);
		int b = snprintf(path, pathlen, "%s/%s", dir, run_id);

		/* a cut name would be another directory than the one meant */
		if (a < 0 || (size_t)a >= idlen || b < 0 ||
		    (size_t)b >= pathlen)
			return jt_error_set_in(err, JT_ELIMIT, dir,
					       "run directory name too long");
		if (mkdir(path, 0755) == 0)
			return 0;
		if (errno != EEXIST)
			return jt_error_set_errno(err, errno, path,
						  "cannot create directory");
	}
	return jt_error_set_in(err, JT_ELIMIT, dir, "too many runs");
}

void
jt_runrec_set_probe_evidence(struct jt_runrec *r, const struct jt_probelog *log,
			     const struct jt_probe_summary *s)
{
	if (log->has_header) {
		if (log->header.step_bytes > 0)
			r->step_bytes = log->header.step_bytes;
		if (log->header.rate_bytes_per_s > 0)
			r->rate_bytes_per_s = log->header.rate_bytes_per_s;
		r->ramp_to_bytes = log->header.ramp_to_bytes;
	}
	if (s == NULL)
		return;
	r->last_sample_bytes = s->last_footprint_bytes;
	r->crossing_bytes = s->crossing_bytes;
	r->footprint_remaining_bytes = s->limit_from_remaining_bytes;
	r->first_warning_bytes = s->first_warning_bytes;
	r->overshoot_bytes = s->overshoot_bytes;
	r->duration_ms = s->duration_ms;
	r->samples = s->samples;
	r->effective_rate_bytes_per_s = s->effective_rate_bytes_per_s;
	r->left_foreground = s->left_foreground;
}

char *
jt_runrec_probe_log_path(const struct jt_runrec *r, const char *record_path,
			 struct jt_error *err)
{
	const char *slash = strrchr(record_path, '/');
	size_t dir =
		slash != NULL && r->probe_log != NULL && r->probe_log[0] != '/'
		? (size_t)(slash - record_path) + 1
		: 0;
	char *p;

	if (r->probe_log == NULL || r->probe_log[0] == '\0') {
		jt_error_set_in(err, JT_EINVAL, record_path,
				"run record names no probe log");
		return NULL;
	}
	p = malloc(dir + strlen(r->probe_log) + 1);
	if (p == NULL) {
		jt_error_oom(err, record_path);
		return NULL;
	}
	memcpy(p, record_path, dir);
	strcpy(p + dir, r->probe_log);
	return p;
}

struct jt_probelog *
jt_runrec_probelog_load(const char *path, int lenient, char **log_path,
			struct jt_error *err)
{
	struct jt_error as_log, as_rec;
	struct jt_probelog *log;
	struct jt_runrec r;
	char *lp;

	*log_path = NULL;
	jt_error_init(&as_log);
	log = jt_probelog_load(path, lenient, &as_log);
	if (log != NULL) {
		*log_path = strdup(path);
		if (*log_path == NULL) {
			jt_probelog_free(log);
			jt_error_oom(err, path);
			return NULL;
		}
		return log;
	}
	/* Not a probe log; a run record names one.  A file that cannot be
	 * read at all is not tried twice. */
	jt_error_init(&as_rec);
	if (as_log.code == JT_EIO || as_log.code == JT_ENOMEM ||
	    as_log.code == JT_ELIMIT || jt_runrec_load(&r, path, &as_rec) < 0) {
		if (err != NULL && !jt_error_isset(err))
			*err = as_log;
		return NULL;
	}
	lp = jt_runrec_probe_log_path(&r, path, err);
	jt_runrec_release(&r);
	if (lp == NULL)
		return NULL;
	jt_error_init(&as_log);
	log = jt_probelog_load(lp, lenient, &as_log);
	if (log == NULL) {
		/* Say where the name came from. */
		size_t n = strlen(as_log.text);

		snprintf(as_log.text + n, sizeof(as_log.text) - n,
			 " (the probe log %s names)", path);
		if (err != NULL && !jt_error_isset(err))
			*err = as_log;
		free(lp);
		return NULL;
	}
	*log_path = lp;
	return log;
}
