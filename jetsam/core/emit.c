/*
 * emit.c - rows to table, CSV, JSON and JSON Lines
 *
 * Table output is buffered so column widths fit the widest cell; numbers
 * are right-aligned, text left-aligned.  Byte counts are shown in binary
 * units and every cell is escaped for the terminal (see emit.h).  CSV
 * follows RFC 4180 to the letter (CRLF line ends, fields quoted when they
 * hold a comma, quote, CR or LF, or start or end with a space) and keeps
 * the bytes as they are.  JSON goes through jansson with sorted keys.
 */
#include "emit.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define REAL_FMT "%.6g"
#define JSON_FLAGS_PRETTY                                                      \
	(JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(6))
#define JSON_FLAGS_COMPACT                                                     \
	(JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(6))

struct jt_emitter {
	FILE *out;
	enum jt_format fmt;
	char **columns;
	unsigned *flags; /* per column: JT_COLUMN_* */
	size_t ncolumns;
	unsigned options; /* JT_EMIT_* */
	size_t nrows;     /* rows seen */
	char **cells;     /* table: nrows * ncolumns escaped copies */
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

static const char *const format_names[] = {"table", "csv", "json", "jsonl",
					   "table"};

int
jt_format_parse(const char *name, enum jt_format *out, struct jt_error *err)
{
	size_t i;

	for (i = JT_FORMAT_TABLE; i <= JT_FORMAT_JSONL; i++) {
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

enum jt_format
jt_format_exact_bytes(enum jt_format fmt)
{
	return fmt == JT_FORMAT_TABLE ? JT_FORMAT_TABLE_BYTES : fmt;
}

static int
is_table(enum jt_format fmt)
{
	return fmt == JT_FORMAT_TABLE || fmt == JT_FORMAT_TABLE_BYTES;
}

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n > m && strcmp(s + n - m, tail) == 0;
}

unsigned
jt_column_flags_of(const char *name)
{
	if (ends_with(name, "_bytes"))
		return JT_COLUMN_BYTES;
	if (ends_with(name, "_bytes_per_s"))
		return JT_COLUMN_BYTES_PER_S;
	return 0;
}

const char *
jt_size_text(int64_t bytes, int per_second, char *buf, size_t len)
{
	static const char *const units[] = {"KiB", "MiB", "GiB",
					    "TiB", "PiB", "EiB"};
	const char *rate = per_second ? "/s" : "";
	/* The magnitude as unsigned, so INT64_MIN has one too. */
	uint64_t mag = bytes < 0 ? 0 - (uint64_t)bytes : (uint64_t)bytes;
	const char *sign = bytes < 0 ? "-" : "";
	double v;
	size_t u;

	if (mag < 1024) {
		snprintf(buf, len, "%s%" PRIu64 " B%s", sign, mag, rate);
		return buf;
	}
	/* The largest unit whose value, as printed, is under 1024: 1048575
	 * bytes is "1.000 MiB", not "1024.0 KiB". */
	v = (double)mag / 1024;
	for (u = 0; u + 1 < sizeof(units) / sizeof(units[0]) && v >= 1023.95;
	     u++)
		v /= 1024;
	/* Four significant digits: a limit of 2098 MiB reads "2.049 GiB",
	 * not a "2.0 GiB" that hides the 50 MiB a lab run cares about. */
	snprintf(buf, len, "%s%.*f %s%s", sign,
		 v < 9.9995           ? 3
			 : v < 99.995 ? 2
				      : 1,
		 v, units[u], rate);
	return buf;
}

struct jt_emitter *
jt_emitter_open(FILE *out, enum jt_format fmt, const struct jt_column *columns,
		size_t ncolumns, unsigned options, struct jt_error *err)
{
	struct jt_emitter *em;
	size_t i;

	em = calloc(1, sizeof(*em));
	if (em == NULL)
		goto nomem;
	em->out = out;
	em->fmt = fmt;
	em->options = options;
	em->ncolumns = ncolumns;
	em->columns = calloc(ncolumns ? ncolumns : 1, sizeof(char *));
	em->flags = calloc(ncolumns ? ncolumns : 1, sizeof(unsigned));
	em->numeric = calloc(ncolumns ? ncolumns : 1, sizeof(int));
	if (em->columns == NULL || em->flags == NULL || em->numeric == NULL)
		goto nomem;
	for (i = 0; i < ncolumns; i++) {
		em->columns[i] = strdup(columns[i].name);
		if (em->columns[i] == NULL)
			goto nomem;
		em->flags[i] = columns[i].flags;
		em->numeric[i] = 1;
	}
	if (fmt == JT_FORMAT_CSV) {
		for (i = 0; i < ncolumns; i++) {
			if (i > 0)
				fputc(',', out);
			fputs(columns[i].name, out);
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

struct jt_emitter *
jt_emitter_new(FILE *out, enum jt_format fmt, const char *const *columns,
	       size_t ncolumns, struct jt_error *err)
{
	struct jt_column *cols;
	struct jt_emitter *em;
	size_t i;

	cols = calloc(ncolumns ? ncolumns : 1, sizeof(*cols));
	if (cols == NULL) {
		jt_error_oom(err, NULL);
		return NULL;
	}
	for (i = 0; i < ncolumns; i++) {
		cols[i].name = columns[i];
		cols[i].flags = jt_column_flags_of(columns[i]);
	}
	em = jt_emitter_open(out, fmt, cols, ncolumns, 0, err);
	free(cols);
	return em;
}

/* cell_text - the cell as exact text for CSV (new, NULL out of memory). */
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

/* ---- UTF-8 ----------------------------------------------------------------
 */

/*
 * utf8_char - the length of the well-formed UTF-8 sequence at s (1 to 4)
 * and its code point in *cp, or 0 when s does not start one (a stray
 * continuation byte, an overlong form, a surrogate, above U+10FFFF, or a
 * sequence cut short).
 */
static size_t
utf8_char(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0; /* also stops at the NUL */
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

/*
 * shown_escaped - code points a table shows as \uXXXX: the C1 controls,
 * and the bidirectional marks, embeddings, overrides and isolates and the
 * line and paragraph separators, which reorder or break what follows.
 */
static int
shown_escaped(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
		cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
		(cp >= 0x2066 && cp <= 0x2069);
}

enum rewrite {
	FOR_TABLE, /* escaped, safe on a terminal */
	FOR_JSON   /* valid UTF-8 */
};

/*
 * rewrite - a new copy of s, how a format needs it.  FOR_TABLE: backslash,
 * tab, CR and LF as \\ \t \r \n; other C0 controls, DEL and each byte of
 * invalid UTF-8 as \xHH; the code points shown_escaped() names as \uXXXX.
 * FOR_JSON: each byte of invalid UTF-8 replaced by U+FFFD, since a JSON
 * text must be UTF-8 (RFC 8259, 8.1).  *width (may be NULL) is the number
 * of characters shown.  NULL when out of memory.
 */
static char *
rewrite(const char *s, enum rewrite how, size_t *width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), o = 0, w = 0;
	char *out = malloc(len * 6 + 1); /* \uXXXX is the longest: 6 */

	if (out == NULL)
		return NULL;
	while (*p != '\0') {
		uint32_t cp;
		size_t n = utf8_char(p, &cp);

		if (n == 0 && how == FOR_JSON) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			w++;
		} else if (n == 0) {
			o += (size_t)sprintf(out + o, "\\x%02x", *p);
			w += 4;
		} else if (how == FOR_JSON) {
			memcpy(out + o, p, n);
			o += n;
			w++;
		} else if (cp == '\\' || cp == '\t' || cp == '\r' ||
			   cp == '\n') {
			out[o++] = '\\';
			out[o++] = cp == '\\' ? '\\'
				: cp == '\t'  ? 't'
				: cp == '\r'  ? 'r'
					      : 'n';
			w += 2;
		} else if (cp < 0x20 || cp == 0x7f) {
			o += (size_t)sprintf(out + o, "\\x%02x", (unsigned)cp);
			w += 4;
		} else if (shown_escaped(cp)) {
			o += (size_t)sprintf(out + o, "\\u%04x", (unsigned)cp);
			w += 6;
		} else {
			memcpy(out + o, p, n);
			o += n;
			w++;
		}
		p += n > 0 ? n : 1;
	}
	out[o] = '\0';
	if (width != NULL)
		*width = w;
	return out;
}

/* ---- formats --------------------------------------------------------------
 */

static json_t *
cell_json(const struct jt_cell *c)
{
	json_t *j;
	char *fixed;

	switch (c->type) {
	case JT_CELL_STR:
		j = json_string(c->s);
		if (j != NULL ||
		    (fixed = rewrite(c->s, FOR_JSON, NULL)) == NULL)
			return j;
		j = json_string(fixed);
		free(fixed);
		return j;
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
	return 0;
}

/* table_cell - the cell as a table shows it (new, NULL out of memory). */
static char *
table_cell(const struct jt_emitter *em, size_t col, const struct jt_cell *c)
{
	unsigned f = em->flags[col];
	char buf[64];

	if (c->type == JT_CELL_INT && em->fmt == JT_FORMAT_TABLE &&
	    (f & (JT_COLUMN_BYTES | JT_COLUMN_BYTES_PER_S)) != 0)
		return strdup(jt_size_text(c->i,
					   (f & JT_COLUMN_BYTES_PER_S) != 0,
					   buf, sizeof(buf)));
	if (c->type == JT_CELL_STR)
		return rewrite(c->s, FOR_TABLE, NULL);
	return cell_text(c);
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
		char *t = table_cell(em, i, &cells[i]);

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
	case JT_FORMAT_TABLE_BYTES:
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

/* shown - the number of characters a terminal shows for escaped text. */
static size_t
shown(const char *t)
{
	size_t n = 0;

	for (; *t != '\0'; t++)
		if (((unsigned char)*t & 0xc0) != 0x80)
			n++;
	return n;
}

static int
flush_table(struct jt_emitter *em, struct jt_error *err)
{
	size_t *width;
	char **head;
	size_t r, c, last = 0;
	int *show;

	width = calloc(em->ncolumns ? em->ncolumns : 1, sizeof(size_t));
	head = calloc(em->ncolumns ? em->ncolumns : 1, sizeof(char *));
	show = calloc(em->ncolumns ? em->ncolumns : 1, sizeof(int));
	if (width == NULL || head == NULL || show == NULL) {
		free(width);
		free(head);
		free(show);
		return jt_error_oom(err, NULL);
	}
	for (c = 0; c < em->ncolumns; c++) {
		show[c] = !(em->flags[c] & JT_COLUMN_DETAIL) ||
			(em->options & JT_EMIT_WIDE);
		if (show[c])
			last = c;
		head[c] = rewrite(em->columns[c], FOR_TABLE, &width[c]);
		if (head[c] == NULL)
			goto nomem;
	}
	for (r = 0; r < em->nrows; r++)
		for (c = 0; c < em->ncolumns; c++) {
			size_t n = shown(em->cells[r * em->ncolumns + c]);

			if (n > width[c])
				width[c] = n;
		}
	for (r = 0; r <= em->nrows; r++) {
		int first = 1;

		for (c = 0; c < em->ncolumns; c++) {
			const char *t = r == 0
				? head[c]
				: em->cells[(r - 1) * em->ncolumns + c];
			size_t n = shown(t);

			if (!show[c])
				continue;
			if (!first)
				fputs("  ", em->out);
			first = 0;
			if (em->numeric[c]) {
				pad(em->out, width[c] - n);
				fputs(t, em->out);
			} else {
				fputs(t, em->out);
				if (c != last)
					pad(em->out, width[c] - n);
			}
		}
		fputc('\n', em->out);
	}
	for (c = 0; c < em->ncolumns; c++)
		free(head[c]);
	free(head);
	free(width);
	free(show);
	return 0;
nomem:
	for (c = 0; c < em->ncolumns; c++)
		free(head[c]);
	free(head);
	free(width);
	free(show);
	return jt_error_oom(err, NULL);
}

int
jt_emitter_end(struct jt_emitter *em, struct jt_error *err)
{
	if (is_table(em->fmt)) {
		if (flush_table(em, err) < 0)
			return -1;
	} else if (em->fmt == JT_FORMAT_JSON) {
		fputs(em->nrows == 0 ? "]\n" : "\n]\n", em->out);
	}
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
	free(em->flags);
	free(em->numeric);
	free(em);
}
