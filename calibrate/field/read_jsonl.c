/*
 * read_jsonl.c - the JSON Lines format of field data
 *
 * Each line is one object whose keys are the CSV columns.  Most lines are
 * flat objects of plain strings and integers, and those are cut in place
 * by fieldp_flat_object(), as CSV records are; any line it does not fully
 * understand (escapes, non-ASCII text, reals, nesting, repeated keys, a
 * syntax error) goes to jansson, which decides.  Either way the line
 * becomes a list of key/value pairs laid out in the header's column order
 * and handed to fieldp_row, so both formats share one check and one set
 * of messages.  A tests/fuzz target checks that the two paths agree.
 */
#include "field_private.h"

#include <stdio.h>
#include <string.h>

#include "jetsam/core/json.h"

/* plain_string_end - the closing quote of a string starting at p, or NULL
 * if it has an escape, a control or a non-ASCII byte (jansson's job). */
static char *
plain_string_end(char *p, const char *end)
{
	for (; p < end; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch == '"')
			return p;
		if (ch == '\\' || ch < 0x20 || ch >= 0x80)
			return NULL;
	}
	return NULL;
}

static int
is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* literal - the text a CSV cell holds for true, false or null at p. */
static const char *
literal(char **pp, const char *end)
{
	static const struct {
		const char *word, *cell;
	} lit[] = {{"true", "1"}, {"false", "0"}, {"null", ""}};
	size_t i, n;

	for (i = 0; i < sizeof(lit) / sizeof(lit[0]); i++) {
		n = strlen(lit[i].word);
		if ((size_t)(end - *pp) >= n &&
		    memcmp(*pp, lit[i].word, n) == 0) {
			*pp += n;
			return lit[i].cell;
		}
	}
	return NULL;
}

int
fieldp_flat_object(char *s, size_t len, struct fieldp_kv *kv, size_t *np)
{
	char *p = s, *end = s + len, *cut[2 * FIELDP_MAX_KV];
	size_t n = 0, ncut = 0, i;

	while (p < end && is_ws(*p))
		p++;
	if (p == end || *p != '{')
		return 0;
	p++;
	for (;;) {
		char *k, *ke;
		const char *v;

		while (p < end && is_ws(*p))
			p++;
		if (n == FIELDP_MAX_KV || p == end || *p != '"')
			return 0; /* also {}: let jansson judge it */
		k = p + 1;
		if ((ke = plain_string_end(k, end)) == NULL)
			return 0;
		for (i = 0; i < n; i++)
			if (kv[i].klen == (size_t)(ke - k) &&
			    memcmp(kv[i].key, k, kv[i].klen) == 0)
				return 0; /* repeated key */
		cut[ncut++] = ke;
		p = ke + 1;
		while (p < end && is_ws(*p))
			p++;
		if (p == end || *p != ':')
			return 0;
		p++;
		while (p < end && is_ws(*p))
			p++;
		if (p == end)
			return 0;
		if (*p == '"') {
			char *ve = plain_string_end(p + 1, end);

			if (ve == NULL)
				return 0;
			v = p + 1;
			cut[ncut++] = ve;
			p = ve + 1;
		} else if (*p == '-' || (*p >= '0' && *p <= '9')) {
			char *d = *p == '-' ? p + 1 : p;
			char *de = d;

			while (de < end && *de >= '0' && *de <= '9')
				de++;
			/* Integers that %lld prints back the same: no
			 * leading zeros, no -0, no overflow; a fraction or
			 * an exponent is a real, for jansson. */
			if (de == d || de - d > 18 ||
			    (*d == '0' && de - d > 1) ||
			    (d != p && *d == '0') || de == end || *de == '.' ||
			    *de == 'e' || *de == 'E')
				return 0;
			v = p;
			cut[ncut++] = de;
			p = de;
		} else if ((v = literal(&p, end)) == NULL) {
			return 0;
		}
		kv[n].key = k;
		kv[n].klen = (size_t)(ke - k);
		kv[n].val = v;
		kv[n].kind = FIELDP_KV_PLAIN;
		n++;
		while (p < end && is_ws(*p))
			p++;
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		if (p < end && *p == '}')
			break;
		return 0;
	}
	for (p++; p < end && is_ws(*p); p++)
		;
	if (p != end)
		return 0;
	for (i = 0; i < ncut; i++)
		*cut[i] = '\0';
	*np = n;
	return 1;
}

const char *
fieldp_json_cell(const json_t *v, char *buf, size_t len)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_true(v))
		return "1";
	if (json_is_false(v))
		return "0";
	return "";
}

/*
 * why_invalid - jansson's reason in the project's words: its option names
 * ("without JSON_ALLOW_NUL") mean nothing to someone fixing an export.
 */
static const char *
why_invalid(const json_error_t *je)
{
	if (strstr(je->text, "JSON_ALLOW_NUL") != NULL ||
	    strstr(je->text, "NUL byte in object key") != NULL)
		return "a string holds a NUL character (\\u0000)";
	return je->text;
}

/*
 * not_object - a line that is not a JSON object: fatal on the first line
 * (no header can come from it), a bad row after it.
 */
static int
not_object(struct fieldp_reader *r, json_t *o, const json_error_t *je,
	   int first, struct jt_error *err)
{
	char text[JT_ERROR_TEXT];

	if (o == NULL)
		snprintf(text, sizeof(text), "invalid JSON: %s",
			 why_invalid(je));
	else
		snprintf(text, sizeof(text), "expected a JSON object, found %s",
			 jt_json_kind(o));
	json_decref(o);
	if (first)
		return jt_error_set(err, JT_EPARSE, r->name, r->line, 0, "%s",
				    text);
	fieldp_bad(r, "%s", text);
	return 0;
}

static int
jsonl_row(struct fieldp_reader *r, char *line, size_t len, int first,
	  struct jt_error *err)
{
	struct fieldp_kv kv[FIELDP_MAX_KV];
	char *cells[FP_NCOLS], bufs[FIELDP_MAX_KV][32];
	json_t *o = NULL;
	size_t n = 0, i, j;
	int rc, more = 0;

	if (!fieldp_flat_object(line, len, kv, &n)) {
		json_error_t je;
		const char *key;
		json_t *v;

		/* Any value decodes, so that a line which is not an
		 * object can be named for what it is. */
		o = json_loadb(line, len, JSON_DECODE_ANY, &je);
		if (o == NULL || !json_is_object(o))
			return not_object(r, o, &je, first, err);
		json_object_foreach(o, key, v)
		{
			if (n == FIELDP_MAX_KV) {
				more = 1;
				break;
			}
			kv[n].key = key;
			kv[n].klen = strlen(key);
			kv[n].kind = json_is_real(v) ? FIELDP_KV_REAL
				: json_is_object(v) || json_is_array(v)
				? FIELDP_KV_COMPOUND
				: FIELDP_KV_PLAIN;
			kv[n].val =
				fieldp_json_cell(v, bufs[n], sizeof(bufs[n]));
			n++;
		}
	}
	if (first) {
		const char *names[FIELDP_MAX_KV];

		if (n > FP_NCOLS || more) {
			json_decref(o);
			return jt_error_set(err, JT_EPARSE, r->name, r->line, 0,
					    "too many keys");
		}
		for (i = 0; i < n; i++)
			names[i] = kv[i].key;
		if (fieldp_header(r, names, n, err) < 0) {
			json_decref(o);
			return -1;
		}
		if (r->header_only) {
			json_decref(o);
			return 0;
		}
	}
	/* Lay the values out in the header's column order.  With more than
	 * FP_NCOLS distinct keys, one of the first FIELDP_MAX_KV is
	 * unexpected. */
	for (i = 0; i < n; i++) {
		for (j = 0; j < FP_NCOLS; j++)
			if (strcmp(kv[i].key, fieldp_col_names[j]) == 0)
				break;
		if (j == FP_NCOLS || r->pos[j] < 0)
			fieldp_bad(r, "unexpected key '%.60s'", kv[i].key);
		else if (kv[i].kind == FIELDP_KV_REAL)
			fieldp_bad(r, "%s: not a whole number of bytes",
				   kv[i].key);
		else if (kv[i].kind == FIELDP_KV_COMPOUND)
			fieldp_bad(r, "%s: not a plain value", kv[i].key);
		else {
			cells[r->pos[j]] = (char *)kv[i].val;
			continue;
		}
		json_decref(o);
		return 0;
	}
	if (n != r->ncols) {
		for (j = 0; j < FP_NCOLS; j++) {
			if (r->pos[j] < 0)
				continue;
			for (i = 0; i < n; i++)
				if (strcmp(kv[i].key, fieldp_col_names[j]) == 0)
					break;
			if (i == n)
				break;
		}
		json_decref(o);
		fieldp_bad(r, "missing key '%s'",
			   j < FP_NCOLS ? fieldp_col_names[j] : "?");
		return 0;
	}
	rc = fieldp_row(r, cells, NULL, n, err); /* the values may live in o */
	json_decref(o);
	return rc;
}

static int
jsonl_claims(const char *line, size_t len)
{
	return len > 0 && (*line == '{' || *line == '[');
}

static int
jsonl_read(struct fieldp_reader *r, struct jt_csv *in, struct jt_error *err)
{
	char *line;
	size_t len, k;
	int first = r->shape == NULL, rc; /* a later byte range has its
					     header's layout */

	while ((rc = jt_csv_next_line(in, &line, &len, err)) > 0) {
		r->line = jt_csv_line(in);
		for (k = 0; k < len; k++)
			if (!is_ws(line[k]))
				break;
		if (k == len)
			continue;
		if (jsonl_row(r, line, len, first, err) < 0)
			return -1;
		if (r->header_only)
			return 0;
		first = 0;
	}
	if (rc < 0)
		return -1;
	if (first)
		return jt_error_set(err, JT_EPARSE, r->name, 1, 0,
				    "empty file: expected JSON objects");
	return 0;
}

const struct fieldp_format fieldp_jsonl = {"jsonl", jsonl_claims, jsonl_read};
