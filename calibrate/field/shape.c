/*
 * shape.c - the columns of field data, its four shapes, and row checks
 *
 * A file's shape is told from its column names alone (a CSV header or the
 * keys of the first JSON object), so that a warehouse export can come in
 * any column order.  Every row then goes through one check, whatever the
 * format it came in, so the same mistake gets the same message in CSV and
 * JSON Lines: the message says what is wrong with the value and, where a
 * common export mistake explains it, what to do (quote a model that holds
 * a comma, give plain bytes rather than a unit).
 */
#include "field_private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const fieldp_col_names[FP_NCOLS] = {"model",
						"os_version",
						"page",
						"sketch",
						"kind",
						"buckets",
						"growth_bytes",
						"peak_footprint_bytes",
						"oom",
						"count",
						"max_growth_bytes",
						"p99_growth_bytes",
						"p999_growth_bytes",
						"max_peak_bytes",
						"p99_peak_bytes",
						"p999_peak_bytes",
						"oom_count",
						"min_bytes",
						"max_bytes"};

#define BIT(c) (1u << (c))

static const struct fieldp_shape shapes[] = {
	{JT_FIELD_GROWTH, FP_GROWTH,
	 BIT(FP_MODEL) | BIT(FP_OS) | BIT(FP_PAGE) | BIT(FP_GROWTH), 0},
	{JT_FIELD_SESSIONS, FP_PEAK,
	 BIT(FP_MODEL) | BIT(FP_OS) | BIT(FP_PEAK) | BIT(FP_OOM), 0},
	{JT_FIELD_GROWTH_AGGREGATE, FP_MAX_GROWTH,
	 BIT(FP_MODEL) | BIT(FP_COUNT) | BIT(FP_MAX_GROWTH),
	 BIT(FP_OS) | BIT(FP_PAGE) | BIT(FP_P99_GROWTH) | BIT(FP_P999_GROWTH)},
	{JT_FIELD_SESSIONS_AGGREGATE, FP_MAX_PEAK,
	 BIT(FP_MODEL) | BIT(FP_COUNT) | BIT(FP_MAX_PEAK),
	 BIT(FP_OS) | BIT(FP_P99_PEAK) | BIT(FP_P999_PEAK) | BIT(FP_OOM_COUNT)},
	{JT_FIELD_SKETCH, FP_BUCKETS,
	 BIT(FP_SKETCH) | BIT(FP_KIND) | BIT(FP_MODEL) | BIT(FP_PAGE) |
		 BIT(FP_COUNT) | BIT(FP_MIN_BYTES) | BIT(FP_MAX_BYTES) |
		 BIT(FP_OOM_COUNT) | BIT(FP_BUCKETS),
	 0},
};

#define NSHAPES (sizeof(shapes) / sizeof(shapes[0]))

static const char *const stat_names[] = {"max", "p99", "p999"};
static const char *const shape_names[] = {
	"page-growth",        "sessions",     "page-growth-aggregate",
	"sessions-aggregate", "field-sketch", "metrickit"};

int
jt_statistic_parse(const char *name, enum jt_statistic *out,
		   struct jt_error *err)
{
	size_t i;

	for (i = 0; i < 3; i++)
		if (strcmp(name, stat_names[i]) == 0) {
			*out = (enum jt_statistic)i;
			return 0;
		}
	return jt_error_set_in(err, JT_EUSAGE, NULL,
			       "unknown statistic '%s' (max, p99 or p999)",
			       name);
}

const char *
jt_statistic_name(enum jt_statistic stat)
{
	return (unsigned)stat < 3 ? stat_names[stat] : "unknown";
}

const char *
jt_field_shape_name(enum jt_field_shape shape)
{
	return (unsigned)shape < sizeof(shape_names) / sizeof(shape_names[0])
		? shape_names[shape]
		: "unknown";
}

int
fieldp_header(struct fieldp_reader *r, const char *const *names, size_t n,
	      struct jt_error *err)
{
	const struct fieldp_shape *sd;
	unsigned have = 0, allowed;
	size_t i, j;

	for (i = 0; i < FP_NCOLS; i++)
		r->pos[i] = -1;
	for (i = 0; i < n; i++) {
		for (j = 0; j < FP_NCOLS; j++)
			if (strcmp(names[i], fieldp_col_names[j]) == 0)
				break;
		if (j == FP_NCOLS)
			return jt_error_set(err, JT_EPARSE, r->name, r->line, 0,
					    "unexpected column '%.60s'",
					    names[i]);
		if (have & BIT(j))
			return jt_error_set(err, JT_EPARSE, r->name, r->line, 0,
					    "column '%s' appears twice",
					    fieldp_col_names[j]);
		have |= BIT(j);
		r->pos[j] = (int)i;
	}
	r->ncols = n;
	for (i = 0; i < NSHAPES; i++)
		if (have & BIT(shapes[i].signature))
			break;
	if (i == NSHAPES)
		return jt_error_set(
			err, JT_EPARSE, r->name, r->line, 0,
			"header fits no field-data shape: expected a "
			"'growth_bytes', 'peak_footprint_bytes', "
			"'max_growth_bytes', 'max_peak_bytes' or 'buckets' "
			"column");
	sd = &shapes[i];
	allowed = sd->required | sd->optional;
	for (j = 0; j < FP_NCOLS; j++) {
		if ((sd->required & BIT(j)) && !(have & BIT(j)))
			return jt_error_set(err, JT_EPARSE, r->name, r->line, 0,
					    "missing column '%s' (%s file)",
					    fieldp_col_names[j],
					    shape_names[sd->shape]);
		if ((have & BIT(j)) && !(allowed & BIT(j)))
			return jt_error_set(err, JT_EPARSE, r->name, r->line, 0,
					    "unexpected column '%s' in a %s "
					    "file",
					    fieldp_col_names[j],
					    shape_names[sd->shape]);
	}
	if (sd->shape == JT_FIELD_GROWTH_AGGREGATE ||
	    sd->shape == JT_FIELD_SESSIONS_AGGREGATE) {
		int g = sd->shape == JT_FIELD_GROWTH_AGGREGATE;
		enum fieldp_col need = r->f->stat == JT_STAT_MAX
			? (g ? FP_MAX_GROWTH : FP_MAX_PEAK)
			: r->f->stat == JT_STAT_P99
			? (g ? FP_P99_GROWTH : FP_P99_PEAK)
			: (g ? FP_P999_GROWTH : FP_P999_PEAK);

		if (!(have & BIT(need)))
			return jt_error_set(err, JT_EPARSE, r->name, r->line, 0,
					    "statistic %s needs column '%s'",
					    stat_names[r->f->stat],
					    fieldp_col_names[need]);
	}
	r->nnum = 0;
	/* Byte counts and counts are checked for every row; a sketch
	 * record's min and max may be empty (sketch.c checks them). */
	for (j = FP_GROWTH; j < FP_NCOLS; j++)
		if (r->pos[j] >= 0 && j != FP_OOM &&
		    !(sd->shape == JT_FIELD_SKETCH &&
		      (j == FP_MIN_BYTES || j == FP_MAX_BYTES)))
			r->num[r->nnum++] = (unsigned char)j;
	r->shape = sd;
	return 0;
}

int
fieldp_bad(struct fieldp_reader *r, const char *fmt, ...)
{
	struct jt_field *f = r->f;
	va_list ap;

	r->bad++;
	f->bad_total++;
	if (f->nbad < JT_FIELD_MAX_REPORTED) {
		struct jt_error *e;
		char text[JT_ERROR_TEXT];

		if (f->bad == NULL) {
			f->bad = calloc(JT_FIELD_MAX_REPORTED, sizeof(*f->bad));
			if (f->bad == NULL)
				return 1;
		}
		e = &f->bad[f->nbad++];
		va_start(ap, fmt);
		vsnprintf(text, sizeof(text), fmt, ap);
		va_end(ap);
		jt_error_init(e);
		jt_error_set(e, JT_EPARSE, r->name, r->line, 0, "%s", text);
	}
	return 1;
}

/* is_unit - whether s (to its end) reads as a size unit: "M", " KiB"... */
static int
is_unit(const char *s)
{
	static const char *const units[] = {
		"b",  "k",   "kb", "kib", "m",   "mb",   "mib",  "g",
		"gb", "gib", "t",  "tb",  "tib", "byte", "bytes"};
	size_t i;

	if (*s == ' ')
		s++;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcasecmp(s, units[i]) == 0)
			return 1;
	return 0;
}

int
fieldp_parse_bytes(const char *s, size_t len, int64_t *out, char *why,
		   size_t whylen)
{
	const char *p = s;
	int64_t v = 0;
	size_t i;

	/* The common case first: 1 to 18 digits cannot overflow. */
	if (len - 1 < 18) {
		for (i = 0; i < len; i++) {
			unsigned d = (unsigned)(unsigned char)s[i] - '0';

			if (d > 9)
				break;
			v = v * 10 + (int64_t)d;
		}
		if (i == len) {
			*out = v;
			return 0;
		}
		v = 0;
	}
	if (*p == '\0' && (len == 0 || len == (size_t)-1)) {
		snprintf(why, whylen, "missing value");
		return -1;
	}
	if (*p >= '0' && *p <= '9') {
		/* 18 digits cannot overflow; check only past them. */
		for (; p < s + 18 && (unsigned)(*p - '0') <= 9; p++)
			v = v * 10 + (*p - '0');
		for (; *p >= '0' && *p <= '9'; p++) {
			if (v > (INT64_MAX - (*p - '0')) / 10) {
				snprintf(why, whylen, "'%.40s' is out of range",
					 s);
				return -1;
			}
			v = v * 10 + (*p - '0');
		}
		if (*p == '\0' &&
		    (len == (size_t)-1 || (size_t)(p - s) == len)) {
			*out = v;
			return 0;
		}
		if (*p == '\0') {
			snprintf(why, whylen, "'%.40s' holds a NUL byte", s);
			return -1;
		}
		while ((*p >= '0' && *p <= '9') || *p == '.')
			p++;
		if (*p == '\0' ||
		    ((*p == 'e' || *p == 'E') &&
		     strspn(p + 1, "+-0123456789") == strlen(p + 1)))
			snprintf(why, whylen,
				 "'%.40s' is not a whole number of bytes", s);
		else if (is_unit(p))
			snprintf(why, whylen,
				 "'%.40s' has a unit; give plain bytes here",
				 s);
		else
			snprintf(why, whylen,
				 "'%.40s' is not a decimal integer", s);
		return -1;
	}
	if (*p == '-')
		snprintf(why, whylen, "negative size '%.40s'", s);
	else if (strncasecmp(p, "nan", 3) == 0 ||
		 strncasecmp(p, "+nan", 4) == 0)
		snprintf(why, whylen, "NaN is not a byte count");
	else if (strncasecmp(p, "inf", 3) == 0)
		snprintf(why, whylen, "infinity is not a byte count");
	else
		snprintf(why, whylen, "'%.40s' is not a number", s);
	return -1;
}

/* valid_version - digits in dot-separated groups ("14", "16.4.1"). */
static int
valid_version(const char *s, size_t len)
{
	int digits = 0;
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits = 1;
		else if (s[i] == '.' && digits)
			digits = 0;
		else
			return 0;
	}
	return digits;
}

/* all_of - whether s[0..n) is non-empty and every byte is in set. */
static int
all_of(const char *s, size_t n, const char *set)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\0' || strchr(set, s[i]) == NULL)
			return 0;
	return n > 0;
}

/*
 * split_model - whether cells m and m + 1 read as one product type cut at
 * its comma ("iPhone12" and "1"): the commonest export mistake.
 */
static int
split_model(char **cells, size_t n, int m)
{
	const char *a;
	size_t la, digits;

	if (m < 0 || (size_t)m + 1 >= n)
		return 0;
	a = cells[m];
	la = strlen(a);
	for (digits = 0; digits < la && a[la - 1 - digits] >= '0' &&
	     a[la - 1 - digits] <= '9';
	     digits++)
		;
	return digits > 0 && digits < la &&
		all_of(a, la - digits,
		       "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") &&
		all_of(cells[m + 1], strlen(cells[m + 1]), "0123456789");
}

int
fieldp_check(struct fieldp_reader *r, char **cells, const size_t *lens,
	     size_t n, struct fieldp_values *out)
{
	static const int64_t absent[FP_NCOLS] = {-1, -1, -1, -1, -1, -1, -1,
						 -1, -1, -1, -1, -1, -1, -1};
	const struct fieldp_shape *sd = r->shape;
	char why[160];
	size_t i, len;

	if (n != r->ncols) {
		int m = r->pos[FP_MODEL];

		if (n == r->ncols + 1 && split_model(cells, n, m))
			return fieldp_bad(r,
					  "expected %zu fields, found %zu: "
					  "model '%.40s,%.20s' holds a comma, "
					  "so quote it (\"%.40s,%.20s\")",
					  r->ncols, n, cells[m], cells[m + 1],
					  cells[m], cells[m + 1]);
		return fieldp_bad(r, "expected %zu fields, found %zu%s",
				  r->ncols, n,
				  n > r->ncols ? " (quote any value that holds "
						 "a comma)"
					       : "");
	}
	out->model = cells[r->pos[FP_MODEL]];
	out->model_len = strlen(out->model);
	if (out->model_len == 0 &&
	    (lens == NULL || lens[r->pos[FP_MODEL]] == 0))
		return fieldp_bad(r, "empty model");
	if (lens != NULL && out->model_len != lens[r->pos[FP_MODEL]])
		return fieldp_bad(r, "model '%.40s' holds a NUL byte",
				  out->model);
	out->os = "";
	if (r->pos[FP_OS] >= 0) {
		out->os = cells[r->pos[FP_OS]];
		len = lens != NULL ? lens[r->pos[FP_OS]] : strlen(out->os);
		if (!valid_version(out->os, len))
			return fieldp_bad(r,
					  "os_version '%.40s' is not a dotted "
					  "version",
					  out->os);
	}
	out->page = "";
	out->page_len = 0;
	if (r->pos[FP_PAGE] >= 0) {
		out->page = cells[r->pos[FP_PAGE]];
		out->page_len = strlen(out->page);
		if (lens != NULL && out->page_len != lens[r->pos[FP_PAGE]])
			return fieldp_bad(r, "page '%.40s' holds a NUL byte",
					  out->page);
		if (out->page_len == 0 && sd->shape == JT_FIELD_GROWTH)
			return fieldp_bad(r, "empty page");
	}
	memcpy(out->v, absent, sizeof(absent));
	for (i = 0; i < r->nnum; i++) {
		int col = r->num[i], c = r->pos[col];

		if (fieldp_parse_bytes(cells[c],
				       lens != NULL ? lens[c] : (size_t)-1,
				       &out->v[col], why, sizeof(why)) < 0)
			return fieldp_bad(r, "%s: %s", fieldp_col_names[col],
					  why);
	}
	if (r->pos[FP_OOM] >= 0) {
		const char *o = cells[r->pos[FP_OOM]];
		size_t ol = lens != NULL ? lens[r->pos[FP_OOM]] : strlen(o);

		if ((ol == 1 && *o == '0') ||
		    (ol == 5 && memcmp(o, "false", 5) == 0))
			out->v[FP_OOM] = 0;
		else if ((ol == 1 && *o == '1') ||
			 (ol == 4 && memcmp(o, "true", 4) == 0))
			out->v[FP_OOM] = 1;
		else
			return fieldp_bad(r, "oom: '%.40s' is not 0 or 1", o);
	}
	if (out->model_len + out->page_len + 2 > FIELDP_MAX_KEY)
		return fieldp_bad(r, "model and page names are too long");
	return 0;
}
