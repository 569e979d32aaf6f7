/*
 * read_metrickit.c - MetricKit payloads as field data (MXMetricPayload JSON)
 *
 * Every iOS app can subscribe to MetricKit and gets, once a day per
 * device, a payload whose jsonRepresentation() a team forwards to its
 * backend unchanged.  Such payloads come here as one pretty-printed file
 * each, as a JSON array of them, as JSON Lines, or as such files
 * concatenated: the reader splits the input into top-level JSON values by
 * their brackets (strings and escapes followed), so memory holds one
 * payload at a time however long the input, and hands each to jansson.
 * Entering a top-level array makes its elements the values.
 *
 * A metric payload gives the model (metaData.deviceType), the OS version
 * (the number in metaData.osVersion, "iPhone OS 14.0.1 (18A393)"), the
 * day's peak footprint (memoryMetrics.peakMemoryUsage) and the day's
 * memory-limit exits (cumulativeMemoryResourceLimitExitCount in
 * applicationExitMetrics' foreground and background data).  It becomes
 * sessions rows, checked and folded (and replayed to a row hook) by the
 * same code as a sessions file: a day without a memory-limit exit is one
 * session that was not killed, its peak a baseline sample; a day with
 * exits is that many sessions killed for memory, and its peak is not a
 * baseline (MetricKit's peak need not be the footprint at the kill).  A
 * day with no applicationExitMetrics (iOS 13 has none) cannot say
 * whether it was killed, so it is skipped, as are diagnostic payloads and
 * days with neither a peak nor an exit; the file record counts them.
 *
 * Values are written as the device's formatter made them
 * (../shared/reference/metrickit.md): "200000 kB" from iOS 15 on, and
 * before it in the device's locale: "200,000 kB", "1,106,818千字节".
 * Digit grouping is dropped only where it is grouping (groups of two or
 * three digits, one kind of separator, a last group of three), and kB
 * is 1024 bytes (PowerLog writes bytes >> 10 and labels them kB).
 */
#include "field_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jetsam/core/json.h"

/* Most memory-limit exits one payload may count. */
#define MAX_EXITS 100000

/* Largest payload kept in memory (real ones are under 100 KB). */
#define MAX_PAYLOAD ((size_t)64 << 20)

/* Top-level keys of metric and diagnostic payloads. */
static const char *const payload_keys[] = {
	"metaData",
	"memoryMetrics",
	"applicationExitMetrics",
	"timeStampBegin",
	"timeStampEnd",
	"appVersion",
	"multipleAppVersions",
	"cpuMetrics",
	"gpuMetrics",
	"diskIOMetrics",
	"networkTransferMetrics",
	"applicationTimeMetrics",
	"applicationLaunchMetrics",
	"applicationResponsivenessMetrics",
	"animationMetrics",
	"displayMetrics",
	"cellularConditionMetrics",
	"locationActivityMetrics",
	"signpostMetrics",
	"diskSpaceUsageMetrics",
	"crashDiagnostics",
	"hangDiagnostics",
	"cpuExceptionDiagnostics",
	"diskWriteExceptionDiagnostics",
	"appLaunchDiagnostics",
};

static const char *const diagnostic_keys[] = {
	"crashDiagnostics", "hangDiagnostics", "cpuExceptionDiagnostics",
	"diskWriteExceptionDiagnostics", "appLaunchDiagnostics"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
in_list(const char *key, size_t len, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && memcmp(list[i], key, len) == 0)
			return 1;
	return 0;
}

/* ---- telling a MetricKit input ----------------------------------------------
 */

/*
 * first_key - the first object key of a JSON text starting at p ('{' or
 * '"', after any '[' and blanks): its text and length, or NULL.
 */
static const char *
first_key(const char *p, const char *end, size_t *len)
{
	const char *q;

	while (p < end && (*p == '[' || *p == '{' || *p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p != '"')
		return NULL;
	for (q = ++p; q < end && *q != '"' && *q != '\\'; q++)
		;
	if (q == end || *q != '"')
		return NULL;
	*len = (size_t)(q - p);
	return p;
}

/* has_payload_key - whether object o has a payload key and no column. */
static int
is_payload_object(json_t *o)
{
	const char *key;
	json_t *v;
	int payload = 0;

	if (!json_is_object(o))
		return 0;
	json_object_foreach(o, key, v)
	{
		size_t j;

		for (j = 0; j < FP_NCOLS; j++)
			if (strcmp(key, fieldp_col_names[j]) == 0)
				return 0;
		payload |= in_list(key, strlen(key), payload_keys,
				   NELEM(payload_keys));
	}
	return payload;
}

/*
 * mk_claims - a first line that is a payload (JSON Lines), an array of
 * payloads, the start of a JSON value that goes on over the next lines
 * (a pretty-printed payload: "{" alone, or a first key of a payload), or
 * a quoted payload key (a fragment cut out of a payload, to be named as
 * such).  A field-data JSON Lines file never looks like any of these.
 */
static int
mk_claims(const char *line, size_t len)
{
	const char *end = line + len, *k;
	json_error_t je;
	json_t *j;
	size_t kl, i;
	int yes = 0;

	if (len == 0)
		return 0;
	if (*line == '"') {
		k = first_key(line, end, &kl);
		return k != NULL &&
			in_list(k, kl, payload_keys, NELEM(payload_keys));
	}
	if (*line != '{' && *line != '[')
		return 0;
	j = json_loadb(line, len, JSON_DECODE_ANY, &je);
	if (j == NULL) {
		/* Valid so far and cut short: a value over several lines.
		 * Only brackets and blanks, or a payload key first. */
		if ((size_t)je.position < len)
			return 0;
		for (i = 0; i < len && strchr("[{ \t", line[i]) != NULL; i++)
			;
		if (i == len)
			return 1;
		k = first_key(line, end, &kl);
		return k != NULL &&
			in_list(k, kl, payload_keys, NELEM(payload_keys));
	}
	if (json_is_array(j))
		yes = json_array_size(j) > 0 &&
			is_payload_object(json_array_get(j, 0));
	else
		yes = is_payload_object(j);
	json_decref(j);
	return yes;
}

/* ---- values ------------------------------------------------------------- */

/*
 * separator - the length of a digit-group separator at p (',', '.', ' ',
 * '\'', no-break space, narrow no-break space, right single quote), or 0.
 */
static size_t
separator(const char *p, const char *end)
{
	static const char *const seps[] = {
		",", ".", " ", "'", "\xc2\xa0", "\xe2\x80\xaf", "\xe2\x80\x99"};
	size_t i, n;

	for (i = 0; i < NELEM(seps); i++) {
		n = strlen(seps[i]);
		if ((size_t)(end - p) >= n && memcmp(p, seps[i], n) == 0)
			return n;
	}
	return 0;
}

int
fieldp_mk_bytes(const char *s, int64_t *out, char *why, size_t whylen)
{
	static const struct {
		const char *unit;
		int64_t scale;
	} units[] = {{"kB", 1024},
		     {"KB", 1024},
		     {"\xe5\x8d\x83\xe5\xad\x97\xe8\x8a\x82", 1024},
		     {"byte", 1},
		     {"bytes", 1},
		     {"B", 1}};
	const char *p = s, *end = s + strlen(s), *sep = NULL, *u;
	size_t seplen = 0, n, ngroups = 0, glen = 0, i, ulen;
	int64_t v = 0;

	while (p < end && *p == ' ')
		p++;
	if (p == end || *p < '0' || *p > '9') {
		snprintf(why, whylen, "'%.40s' does not start with a number",
			 s);
		return -1;
	}
	for (;;) {
		if (p < end && *p >= '0' && *p <= '9') {
			if (v > (INT64_MAX - 9) / 10) {
				snprintf(why, whylen, "'%.40s' is out of range",
					 s);
				return -1;
			}
			v = v * 10 + (*p++ - '0');
			glen++;
			continue;
		}
		/* The end of a group of digits. */
		n = separator(p, end);
		if (n == 0 || p + n == end || p[n] < '0' || p[n] > '9')
			break;
		if (ngroups == 0 ? glen > 3 : (glen != 2 && glen != 3))
			goto grouping;
		if (sep != NULL && (n != seplen || memcmp(p, sep, n) != 0))
			goto grouping;
		sep = p;
		seplen = n;
		ngroups++;
		glen = 0;
		p += n;
	}
	if (ngroups > 0 && glen != 3)
		goto grouping;
	/* The unit: after blanks, to the end. */
	while ((n = separator(p, end)) != 0 && (*p == ' ' || n > 1))
		p += n;
	u = p;
	ulen = (size_t)(end - u);
	while (ulen > 0 && u[ulen - 1] == ' ')
		ulen--;
	if (ulen == 0) {
		snprintf(why, whylen,
			 "'%.40s' has no unit (MetricKit writes "
			 "\"200000 kB\")",
			 s);
		return -1;
	}
	for (i = 0; i < NELEM(units); i++)
		if (strlen(units[i].unit) == ulen &&
		    memcmp(units[i].unit, u, ulen) == 0)
			break;
	if (i == NELEM(units)) {
		snprintf(why, whylen,
			 "'%.40s': unit '%.*s' is not one MetricKit writes "
			 "for memory (kB)",
			 s, (int)(ulen > 20 ? 20 : ulen), u);
		return -1;
	}
	if (v > INT64_MAX / units[i].scale) {
		snprintf(why, whylen, "'%.40s' is out of range", s);
		return -1;
	}
	*out = v * units[i].scale;
	return 0;
grouping:
	snprintf(why, whylen,
		 "'%.40s' is not a whole number with digit grouping "
		 "(MetricKit writes whole kB: \"200000 kB\", \"200,000 kB\")",
		 s);
	return -1;
}

int
fieldp_mk_os_version(const char *s, char *out, size_t outlen)
{
	const char *end = s + strlen(s), *p, *tok, *best = NULL;
	size_t bestlen = 0;

	/* The last dotted number that is not inside the "(build)". */
	for (p = s; p < end;) {
		int digits = 0, ok = 1;

		while (p < end && *p == ' ')
			p++;
		if (*p == '(') {
			p = memchr(p, ')', (size_t)(end - p));
			if (p == NULL)
				break;
			p++;
			continue;
		}
		for (tok = p; p < end && *p != ' ' && *p != '('; p++) {
			if (*p >= '0' && *p <= '9')
				digits = 1;
			else if (*p == '.' && digits && p + 1 < end &&
				 p[1] >= '0' && p[1] <= '9')
				digits = 0;
			else
				ok = 0;
		}
		if (ok && digits && p > tok) {
			best = tok;
			bestlen = (size_t)(p - tok);
		}
	}
	if (best == NULL || bestlen >= outlen)
		return -1;
	memcpy(out, best, bestlen);
	out[bestlen] = '\0';
	return 0;
}

/* exits - a section's exit counters; 0, or -1 with why. */
static int
exits(const json_t *sec, const char *name, long *limit, long *pressure,
      struct fieldp_mk_payload *out)
{
	static const char *const keys[] = {
		"cumulativeMemoryResourceLimitExitCount",
		"cumulativeMemoryPressureExitCount"};
	long *dst[] = {limit, pressure};
	size_t i;

	*limit = *pressure = 0;
	if (sec == NULL)
		return 0;
	if (!json_is_object(sec)) {
		snprintf(out->why, sizeof(out->why),
			 "applicationExitMetrics.%s: expected an object, "
			 "found %s",
			 name, jt_json_kind(sec));
		out->why_key = name;
		return -1;
	}
	for (i = 0; i < NELEM(keys); i++) {
		const json_t *c = json_object_get(sec, keys[i]);

		if (c == NULL)
			continue; /* MetricKit omits zero counters */
		if (!json_is_integer(c) || json_integer_value(c) < 0 ||
		    json_integer_value(c) > MAX_EXITS) {
			snprintf(out->why, sizeof(out->why),
				 "applicationExitMetrics.%s.%s: expected a "
				 "count of 0 to %d, found %s",
				 name, keys[i], MAX_EXITS,
				 json_is_integer(c) ? "a number out of range"
						    : jt_json_kind(c));
			out->why_key = keys[i];
			return -1;
		}
		*dst[i] = (long)json_integer_value(c);
	}
	return 0;
}

/* string_at - obj[key] as a non-empty string, or NULL with why. */
static const char *
string_at(const json_t *obj, const char *path, const char *key,
	  struct fieldp_mk_payload *out)
{
	const json_t *v = json_object_get(obj, key);

	out->why_key = key;
	if (v == NULL)
		snprintf(out->why, sizeof(out->why), "no %s", path);
	else if (!json_is_string(v))
		snprintf(out->why, sizeof(out->why),
			 "%s: expected a string, found %s", path,
			 jt_json_kind(v));
	else if (json_string_length(v) == 0)
		snprintf(out->why, sizeof(out->why), "%s is empty", path);
	else
		return json_string_value(v);
	return NULL;
}

int
fieldp_mk_payload(const json_t *o, struct fieldp_mk_payload *out)
{
	const json_t *meta, *mem, *peak, *ex;
	const char *os;
	char w[160];
	size_t i;

	memset(out, 0, sizeof(*out));
	out->peak_bytes = -1;
	if (!json_is_object(o)) {
		snprintf(out->why, sizeof(out->why),
			 "expected a MetricKit payload (a JSON object), found "
			 "%s",
			 jt_json_kind(o));
		return -1;
	}
	meta = json_object_get(o, "metaData");
	if (meta == NULL) {
		for (i = 0; i < NELEM(diagnostic_keys); i++)
			if (json_object_get(o, diagnostic_keys[i]) != NULL) {
				out->diagnostic = 1;
				return 0;
			}
		if (json_object_get(o, "model") != NULL) {
			snprintf(out->why, sizeof(out->why),
				 "a field-data row inside a JSON document: "
				 "field data is JSON Lines, one object per "
				 "line");
			return -1;
		}
		if (json_object_get(o, "_source") != NULL ||
		    json_object_get(o, "hits") != NULL) {
			snprintf(out->why, sizeof(out->why),
				 "an Elasticsearch response, not a payload: "
				 "export each hit's _source");
			out->why_key = "hits";
			return -1;
		}
		snprintf(out->why, sizeof(out->why),
			 "no metaData: not an MXMetricPayload");
		return -1;
	}
	if (!json_is_object(meta)) {
		snprintf(out->why, sizeof(out->why),
			 "metaData: expected an object, found %s",
			 jt_json_kind(meta));
		out->why_key = "metaData";
		return -1;
	}
	out->model = string_at(meta, "metaData.deviceType", "deviceType", out);
	if (out->model == NULL)
		return -1;
	os = string_at(meta, "metaData.osVersion", "osVersion", out);
	if (os == NULL)
		return -1;
	if (fieldp_mk_os_version(os, out->os_version, sizeof(out->os_version)) <
	    0) {
		snprintf(out->why, sizeof(out->why),
			 "metaData.osVersion '%.60s' holds no version number",
			 os);
		return -1;
	}
	mem = json_object_get(o, "memoryMetrics");
	peak = mem != NULL ? json_object_get(mem, "peakMemoryUsage") : NULL;
	out->why_key = "memoryMetrics";
	if (mem != NULL && !json_is_object(mem)) {
		snprintf(out->why, sizeof(out->why),
			 "memoryMetrics: expected an object, found %s",
			 jt_json_kind(mem));
		return -1;
	}
	out->why_key = "peakMemoryUsage";
	if (peak != NULL && !json_is_string(peak)) {
		snprintf(out->why, sizeof(out->why),
			 "memoryMetrics.peakMemoryUsage: expected a "
			 "measurement such as \"200000 kB\", found %s",
			 jt_json_kind(peak));
		return -1;
	}
	if (peak != NULL &&
	    fieldp_mk_bytes(json_string_value(peak), &out->peak_bytes, w,
			    sizeof(w)) < 0) {
		snprintf(out->why, sizeof(out->why),
			 "memoryMetrics.peakMemoryUsage: %s", w);
		return -1;
	}
	ex = json_object_get(o, "applicationExitMetrics");
	if (ex == NULL)
		return 0;
	out->why_key = "applicationExitMetrics";
	if (!json_is_object(ex)) {
		snprintf(out->why, sizeof(out->why),
			 "applicationExitMetrics: expected an object, found "
			 "%s",
			 jt_json_kind(ex));
		return -1;
	}
	out->exits_reported = 1;
	if (exits(json_object_get(ex, "foregroundExitData"),
		  "foregroundExitData", &out->fg_limit_exits,
		  &out->fg_pressure_exits, out) < 0 ||
	    exits(json_object_get(ex, "backgroundExitData"),
		  "backgroundExitData", &out->bg_limit_exits,
		  &out->bg_pressure_exits, out) < 0)
		return -1;
	return 0;
}

/* ---- the reader ---------------------------------------------------------- */

struct mk {
	struct fieldp_reader *r;
	char *buf; /* the value being collected */
	size_t len, cap;
	long start; /* its first line */
	int depth;  /* of brackets inside it; 0 between values */
	int in_str, esc;
	int in_array; /* inside a top-level array */
	long array_line;
	int over;      /* larger than MAX_PAYLOAD: not kept */
	int skip_line; /* resynchronising after text that is no value */
	int nvalues;   /* values seen */
	int at_start;  /* the value began a line */
	int lines;     /* JSON Lines: a value ends with its line */
};

static int
append(struct mk *m, const char *p, size_t n)
{
	if (m->over)
		return 0;
	if (m->len + n + 1 > MAX_PAYLOAD) {
		m->over = 1;
		return 0;
	}
	if (m->len + n + 1 > m->cap) {
		size_t cap = m->cap ? m->cap : 4096;
		char *b;

		while (cap < m->len + n + 1)
			cap *= 2;
		b = realloc(m->buf, cap);
		if (b == NULL)
			return -1;
		m->buf = b;
		m->cap = cap;
	}
	memcpy(m->buf + m->len, p, n);
	m->len += n;
	m->buf[m->len] = '\0';
	return 0;
}

/* line_of - the input line of the first "key" in the value, else its start. */
static long
line_of(const struct mk *m, const char *key)
{
	char pat[80];
	const char *at, *p;
	long line = m->start;

	if (key == NULL)
		return m->start;
	snprintf(pat, sizeof(pat), "\"%s\"", key);
	at = strstr(m->buf, pat);
	if (at == NULL)
		return m->start;
	for (p = m->buf; (p = memchr(p, '\n', (size_t)(at - p))) != NULL; p++)
		line++;
	return line;
}

/*
 * dict_hint - when jansson failed at a line that reads "key = value;", as
 * an NSDictionary description does, say what the text is.
 */
static const char *
dict_hint(const struct mk *m, int jline)
{
	const char *p = m->buf;
	int l = 1;

	while (l < jline && (p = strchr(p, '\n')) != NULL) {
		p++;
		l++;
	}
	if (p == NULL)
		return "";
	while (*p == ' ' || *p == '\t')
		p++;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	return strncmp(p, " = ", 3) == 0
		? " (this is an NSDictionary description, as print() or %@ "
		  "writes it: send the payload's jsonRepresentation())"
		: "";
}

/* row - one sessions row of the payload, checked and folded as such. */
static int
row(struct mk *m, const char *model, const char *os, int64_t peak, int oom,
    struct jt_error *err)
{
	char bytes[32], *cells[4];

	snprintf(bytes, sizeof(bytes), "%lld",
		 (long long)(peak >= 0 ? peak : 0));
	cells[0] = (char *)model;
	cells[1] = (char *)os;
	cells[2] = bytes;
	cells[3] = oom ? "1" : "0";
	return fieldp_row(m->r, cells, NULL, 4, err);
}

/* payload - one complete top-level value. */
static int
payload(struct mk *m, struct jt_error *err)
{
	struct fieldp_reader *r = m->r;
	struct fieldp_mk_payload pl;
	json_error_t je;
	json_t *o;
	long k, n;
	int rc = 0;

	r->line = m->start;
	if (m->over) {
		fieldp_bad(r, "a JSON value larger than %zu MiB",
			   MAX_PAYLOAD >> 20);
		return 0;
	}
	o = json_loadb(m->buf, m->len, 0, &je);
	if (o == NULL) {
		r->line = m->start + je.line - 1;
		fieldp_bad(r, "invalid JSON: %s%s", je.text,
			   dict_hint(m, je.line));
		return 0;
	}
	if (fieldp_mk_payload(o, &pl) < 0) {
		r->line = line_of(m, pl.why_key);
		fieldp_bad(r, "%s", pl.why);
	} else if (pl.diagnostic || !pl.exits_reported ||
		   (pl.fg_limit_exits + pl.bg_limit_exits == 0 &&
		    pl.peak_bytes < 0)) {
		r->skipped++;
	} else if ((n = pl.fg_limit_exits + pl.bg_limit_exits) == 0) {
		rc = row(m, pl.model, pl.os_version, pl.peak_bytes, 0, err);
	} else {
		for (k = 0; k < n && rc == 0; k++)
			rc = row(m, pl.model, pl.os_version, pl.peak_bytes, 1,
				 err);
	}
	json_decref(o);
	return rc;
}

/* junk - text where a value should start: one bad row, then resync. */
static void
junk(struct mk *m, const char *p, const char *end, long line)
{
	size_t kl;
	const char *k = first_key(p, end, &kl);

	while (end > p && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	m->r->line = line;
	fieldp_bad(
		m->r,
		"expected a MetricKit payload (a JSON object), "
		"found '%.*s'%s",
		(int)(end - p > 40 ? 40 : end - p), p,
		k != NULL && in_list(k, kl, payload_keys, NELEM(payload_keys))
			? ": a fragment of a payload; send the whole "
			  "jsonRepresentation()"
			: "");
	m->skip_line = 1;
}

/*
 * cut_short - in JSON Lines, a line that ends inside its value: a bad
 * row in jansson's words, and the next line starts afresh.
 */
static void
cut_short(struct mk *m)
{
	json_error_t je;
	json_t *o = json_loadb(m->buf, m->len, 0, &je);

	json_decref(o);
	m->r->line = m->start;
	fieldp_bad(m->r, "invalid JSON: %s",
		   o != NULL ? "the line ends inside its value" : je.text);
	m->depth = m->in_str = m->esc = 0;
	m->len = 0;
}

/* blank - whether [p, end) holds only blanks and line breaks. */
static int
blank(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			return 0;
	return 1;
}

/* feed - one line of input (with its line break restored). */
static int
feed(struct mk *m, char *text, size_t len, long line, struct jt_error *err)
{
	char *p = text, *end = text + len, *s;

	if (m->skip_line) {
		/* After junk, only a line that starts a value resumes. */
		for (s = p; s < end && (*s == ' ' || *s == '\t'); s++)
			;
		if (s == end || *s != '{')
			return 0;
		m->skip_line = 0;
	}
	while (p < end) {
		if (m->depth == 0) {
			char ch = *p;

			if (ch == ' ' || ch == '\t' || ch == '\r' ||
			    ch == '\n' || (ch == ',' && m->in_array)) {
				p++;
				continue;
			}
			if (ch == '[' && !m->in_array) {
				m->in_array = 1;
				m->array_line = line;
				p++;
				continue;
			}
			if (ch == ']' && m->in_array) {
				m->in_array = 0;
				p++;
				continue;
			}
			if (ch != '{' && ch != '[') {
				junk(m, p, end, line);
				return 0;
			}
			m->len = 0;
			m->over = 0;
			m->start = line;
			m->at_start = !m->in_array && blank(text, p);
		}
		/* Inside a value: copy up to the next byte that matters. */
		for (s = p; s < end; s++) {
			char ch = *s;

			if (m->in_str) {
				if (m->esc)
					m->esc = 0;
				else if (ch == '\\')
					m->esc = 1;
				else if (ch == '"')
					m->in_str = 0;
			} else if (ch == '"') {
				m->in_str = 1;
			} else if (ch == '{' || ch == '[') {
				m->depth++;
			} else if (ch == '}' || ch == ']') {
				if (--m->depth == 0) {
					s++;
					break;
				}
			}
		}
		if (append(m, p, (size_t)(s - p)) < 0)
			return jt_error_oom(err, m->r->name);
		p = s;
		if (m->depth > 0)
			continue;
		/* A first value that is its line makes the input JSON
		 * Lines: from then on a line is a value, whole or not. */
		if (m->nvalues++ == 0 && m->at_start && m->start == line &&
		    blank(p, end))
			m->lines = 1;
		if (payload(m, err) < 0)
			return -1;
	}
	if (m->lines && m->depth > 0)
		cut_short(m);
	return 0;
}

static int
mk_read(struct fieldp_reader *r, struct jt_csv *in, struct jt_error *err)
{
	static const char *const names[] = {"model", "os_version",
					    "peak_footprint_bytes", "oom"};
	struct mk m;
	char *line;
	size_t len;
	int rc;

	/* The rows are sessions, laid out as a sessions file's. */
	if (fieldp_header(r, names, 4, err) < 0)
		return -1;
	if (r->header_only)
		return 0;
	memset(&m, 0, sizeof(m));
	m.r = r;
	while ((rc = jt_csv_next_line(in, &line, &len, err)) > 0) {
		long at = jt_csv_line(in);

		line[len] = '\n'; /* the NUL the reader put there */
		rc = feed(&m, line, len + 1, at, err);
		if (rc < 0)
			break;
	}
	if (rc == 0 && m.depth > 0) {
		/* Cut short: jansson says where, in its words. */
		json_error_t je;
		json_t *o = json_loadb(m.buf, m.len, 0, &je);

		json_decref(o);
		r->line = m.start;
		if (o == NULL && (size_t)je.position < m.len) {
			r->line = m.start + je.line - 1;
			fieldp_bad(r, "invalid JSON: %s%s", je.text,
				   dict_hint(&m, je.line));
		} else {
			fieldp_bad(r,
				   "invalid JSON: the value that starts at "
				   "line %ld is not closed at the end of the "
				   "file",
				   m.start);
		}
	} else if (rc == 0 && m.in_array && !m.skip_line) {
		r->line = m.array_line;
		fieldp_bad(r,
			   "the array that starts here is not closed at "
			   "the end of the file");
	}
	free(m.buf);
	return rc < 0 ? -1 : 0;
}

const struct fieldp_format fieldp_metrickit = {"metrickit", mk_claims, mk_read};
