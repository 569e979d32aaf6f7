/*
 * emit.c - rows to table, CSV, JSON and JSON Lines
 *
 * Table output is buffered so column widths fit the widest cell; numbers
 * are right-aligned, text left-aligned.  CSV follows RFC 4180 to the letter
 * (CRLF line ends, fields quoted when they hold a comma, quote, CR or LF, or
 * start or end with a space).  JSON goes through jansson with sorted keys.
 */
#include "emit.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

#define REAL_FMT "%.6g"
#define JSON_FLAGS_PRETTY                                                      \
	(JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(6))
#define JSON_FLAGS_COMPACT                                                     \
	(JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(6))

struct jt_emitter {
	FILE *out;
	enum jt_format fmt;
	char **columns;
	size_t ncolumns;
	size_t nrows; /* rows seen */
	char **cells; /* table: nrows * ncolumns copies */
	size_t cap_rows;
	int *numeric; /* table: column held only numbers */
};

struct jt_cell
jt_cell_null(void)
{
	struct jt_cell c = {JT_CELL_NULL, NULL, 0, 0.0};
	return c;
}

struct jt_cell
jt_cell_str(const char *s)
{
	struct jt_cell c = {s != NULL ? JT_CELL_STR : JT_CELL_NULL, s, 0, 0.0};
	return c;
}

struct jt_cell
jt_cell_int(int64_t i)
{
	struct jt_cell c = {JT_CELL_INT, NULL, i, 0.0};
	return c;
}

struct jt_cell
jt_cell_int_known(int64_t i)
{
	return i < 0 ? jt_cell_null() : jt_cell_int(i);
}

struct jt_cell
jt_cell_real(double r)
{
	struct jt_cell c = {JT_CELL_REAL, NULL, 0, r};
	return c;
}

struct jt_cell
jt_cell_bool(int b)
{
	struct jt_cell c = {JT_CELL_BOOL, NULL, b != 0, 0.0};
	return c;
}

static const char *const format_names[] = {"table", "csv", "json", "jsonl"};

int
jt_format_parse(const char *name, enum jt_format *out, struct jt_error *err)
{
	size_t i;

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		if (name != NULL && strcmp(name, format_names[i]) == 0) {
			*out = (enum jt_format)i;
			return 0;
		}
	}
	return jt_error_set_in(
		err, JT_EUSAGE, NULL,
		"unknown output format '%s' (expected table, csv, "
		"json or jsonl)",
		name != NULL ? name : "");
}

const char *
jt_format_name(enum jt_format fmt)
{
	return format_names[fmt];
}

struct jt_emitter *
jt_emitter_new(FILE *out, enum jt_format fmt, const char *const *columns,
	       size_t ncolumns, struct jt_error *err)
{
	struct jt_emitter *em;
	size_t i;

	em = calloc(1, sizeof(*em));
	if (em == NULL)
		goto nomem;
	em->out = out;
	em->fmt = fmt;
	em->ncolumns = ncolumns;
	em->columns = calloc(ncolumns ? ncolumns : 1, sizeof(char *));
	em->numeric = calloc(ncolumns ? ncolumns : 1, sizeof(int));
	if (em->columns == NULL || em->numeric == NULL)
		goto nomem;
	for (i = 0; i < ncolumns; i++) {
		em->columns[i] = strdup(columns[i]);
		if (em->columns[i] == NULL)
			goto nomem;
		em->numeric[i] = 1;
	}
	if (fmt == JT_FORMAT_CSV) {
		for (i = 0; i < ncolumns; i++) {
			if (i > 0)
				fputc(',', out);
			fputs(columns[i], out);
		}
		fputs("\r\n", out);
	} else if (fmt == JT_FORMAT_JSON) {
		fputc('[', out);
	}
	return em;
nomem:
	jt_emitter_free(em);
	jt_error_oom(err, NULL);
	return NULL;
}

/* cell_text - the cell as text for table and CSV; *owned is set if freed. */
static char *
cell_text(const struct jt_cell *c)
{
	char buf[64];

	switch (c->type) {
	case JT_CELL_STR:
		return strdup(c->s);
	case JT_CELL_INT:
		snprintf(buf, sizeof(buf), "%" PRId64, c->i);
		return strdup(buf);
	case JT_CELL_REAL:
		snprintf(buf, sizeof(buf), REAL_FMT, c->r);
		return strdup(buf);
	case JT_CELL_BOOL:
		return strdup(c->i ? "true" : "false");
	case JT_CELL_NULL:
		break;
	}
	return strdup("");
}

static json_t *
cell_json(const struct jt_cell *c)
{
	switch (c->type) {
	case JT_CELL_STR:
		return json_string(c->s);
	case JT_CELL_INT:
		return json_integer((json_int_t)c->i);
	case JT_CELL_REAL:
		return json_real(c->r);
	case JT_CELL_BOOL:
		return json_boolean(c->i);
	case JT_CELL_NULL:
		break;
	}
	return json_null();
}

static void
csv_field(FILE *out, const char *s)
{
	size_t n = strlen(s);
	int quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');

	if (strpbrk(s, ",\"\r\n") != NULL)
		quote = 1;
	if (!quote) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static int
emit_json_row(struct jt_emitter *em, const struct jt_cell *cells,
	      struct jt_error *err)
{
	json_t *obj;
	size_t i;
	int rc = 0;
	char *text;

	obj = json_object();
	if (obj == NULL)
		return jt_error_oom(err, NULL);
	for (i = 0; i < em->ncolumns; i++) {
		if (json_object_set_new(obj, em->columns[i],
					cell_json(&cells[i])) != 0) {
			json_decref(obj);
			return jt_error_oom(err, NULL);
		}
	}
	if (em->fmt == JT_FORMAT_JSONL) {
		text = json_dumps(obj, JSON_FLAGS_COMPACT);
	} else {
		text = json_dumps(obj, JSON_FLAGS_PRETTY);
	}
	json_decref(obj);
	if (text == NULL)
		return jt_error_oom(err, NULL);
	if (em->fmt == JT_FORMAT_JSONL) {
		fputs(text, em->out);
		fputc('\n', em->out);
	} else {
		/* Indent the object by two spaces inside the array. */
		const char *p;

		fputs(em->nrows == 0 ? "\n  " : ",\n  ", em->out);
		for (p = text; *p != '\0'; p++) {
			fputc(*p, em->out);
			if (*p == '\n')
				fputs("  ", em->out);
		}
	}
	free(text);
	return rc;
}

static int
buffer_row(struct jt_emitter *em, const struct jt_cell *cells,
	   struct jt_error *err)
{
	size_t i;

	if (em->nrows == em->cap_rows) {
		size_t cap = em->cap_rows ? em->cap_rows * 2 : 16;
		char **p = realloc(em->cells,
				   cap * (em->ncolumns ? em->ncolumns : 1) *
					   sizeof(char *));
		if (p == NULL)
			return jt_error_oom(err, NULL);
		em->cells = p;
		em->cap_rows = cap;
	}
	for (i = 0; i < em->ncolumns; i++) {
		char *t = cell_text(&cells[i]);

		if (t == NULL) {
			size_t j;

			for (j = 0; j < i; j++)
				free(em->cells[em->nrows * em->ncolumns + j]);
			return jt_error_oom(err, NULL);
		}
		em->cells[em->nrows * em->ncolumns + i] = t;
		if (cells[i].type != JT_CELL_INT &&
		    cells[i].type != JT_CELL_REAL &&
		    cells[i].type != JT_CELL_NULL)
			em->numeric[i] = 0;
	}
	return 0;
}

int
jt_emitter_row(struct jt_emitter *em, const struct jt_cell *cells,
	       struct jt_error *err)
{
	size_t i;
	int rc = 0;

	switch (em->fmt) {
	case JT_FORMAT_TABLE:
		rc = buffer_row(em, cells, err);
		break;
	case JT_FORMAT_CSV:
		for (i = 0; i < em->ncolumns; i++) {
			char *t = cell_text(&cells[i]);

			if (t == NULL)
				return jt_error_oom(err, NULL);
			if (i > 0)
				fputc(',', em->out);
			csv_field(em->out, t);
			free(t);
		}
		fputs("\r\n", em->out);
		break;
	case JT_FORMAT_JSON:
	case JT_FORMAT_JSONL:
		rc = emit_json_row(em, cells, err);
		break;
	}
	if (rc == 0)
		em->nrows++;
	return rc;
}

static void
pad(FILE *out, size_t n)
{
	while (n-- > 0)
		fputc(' ', out);
}

static void
flush_table(struct jt_emitter *em)
{
	size_t *width;
	size_t r, c;

	width = calloc(em->ncolumns ? em->ncolumns : 1, sizeof(size_t));
	if (width == NULL)
		return;
	for (c = 0; c < em->ncolumns; c++)
		width[c] = strlen(em->columns[c]);
	for (r = 0; r < em->nrows; r++)
		for (c = 0; c < em->ncolumns; c++) {
			size_t n = strlen(em->cells[r * em->ncolumns + c]);
			if (n > width[c])
				width[c] = n;
		}
	for (r = 0; r <= em->nrows; r++) {
		for (c = 0; c < em->ncolumns; c++) {
			const char *t = r == 0
				? em->columns[c]
				: em->cells[(r - 1) * em->ncolumns + c];
			size_t n = strlen(t);
			int last = c + 1 == em->ncolumns;

			if (c > 0)
				fputs("  ", em->out);
			if (em->numeric[c]) {
				pad(em->out, width[c] - n);
				fputs(t, em->out);
			} else {
				fputs(t, em->out);
				if (!last)
					pad(em->out, width[c] - n);
			}
		}
		fputc('\n', em->out);
	}
	free(width);
}

int
jt_emitter_end(struct jt_emitter *em, struct jt_error *err)
{
	if (em->fmt == JT_FORMAT_TABLE)
		flush_table(em);
	else if (em->fmt == JT_FORMAT_JSON)
		fputs(em->nrows == 0 ? "]\n" : "\n]\n", em->out);
	if (fflush(em->out) != 0 || ferror(em->out))
		return jt_error_set_errno(err, errno, NULL,
					  "cannot write output");
	return 0;
}

void
jt_emitter_free(struct jt_emitter *em)
{
	size_t i;

	if (em == NULL)
		return;
	if (em->cells != NULL)
		for (i = 0; i < em->nrows * em->ncolumns; i++)
			free(em->cells[i]);
	free(em->cells);
	if (em->columns != NULL)
		for (i = 0; i < em->ncolumns; i++)
			free(em->columns[i]);
	free(em->columns);
	free(em->numeric);
	free(em);
}

int
jt_json_dump(FILE *out, const json_t *value, int pretty, struct jt_error *err)
{
	if (json_dumpf(value, out,
		       pretty ? JSON_FLAGS_PRETTY : JSON_FLAGS_COMPACT) != 0 ||
	    fputc('\n', out) == EOF)
		return jt_error_set_errno(err, errno, NULL,
					  "cannot write output");
	return 0;
}

json_t *
jt_json_load_file(const char *path, size_t max_bytes, struct jt_error *err)
{
	char *buf;
	size_t len;
	json_t *obj;
	json_error_t je;

	if (jt_read_file(path, max_bytes, &buf, &len, err) < 0)
		return NULL;
	obj = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	free(buf);
	if (obj == NULL)
		jt_error_set(err, JT_EPARSE, path, je.line, je.column, "%s",
			     je.text);
	return obj;
}

int
jt_json_save_file(const char *path, const json_t *value, struct jt_error *err)
{
	struct jt_atomic a;
	FILE *fp = jt_atomic_open(&a, path, err);

	if (fp == NULL)
		return -1;
	if (jt_json_dump(fp, value, 1, err) < 0) {
		jt_atomic_abort(&a);
		return -1;
	}
	return jt_atomic_commit(&a, 0, err);
}
