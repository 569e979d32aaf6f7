/*
 * csv.c - block-buffered RFC 4180 record reader
 *
 * The reader keeps a block of input and a record buffer.  Fields are copied
 * into the record buffer (unescaping doubled quotes) and NUL-terminated, so
 * callers get plain C strings; the copy is what lets a record span a block
 * boundary without special cases.
 */
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK (256 * 1024)

struct jt_csv {
	char *name;
	int fd; /* -1 for a memory reader */
	int close_fd;
	const char *mem; /* memory reader input */
	size_t mem_len;
	char *block;     /* file reader input block */
	size_t pos, len; /* unread input is block[pos..len) */
	int eof;
	long line;     /* line the reader is on (1-based) */
	long rec_line; /* line the last record started on */
	char *rec;     /* unescaped fields, NUL-separated */
	size_t rec_len, rec_cap;
	size_t *offs;  /* field start offsets into rec */
	char **fields; /* handed to the caller */
	size_t fields_cap;
	size_t nfields, cap_fields;
};

static struct jt_csv *
csv_new(const char *name, struct jt_error *err)
{
	struct jt_csv *r = calloc(1, sizeof(*r));

	if (r == NULL || (r->name = strdup(name)) == NULL) {
		free(r);
		jt_error_oom(err, name);
		return NULL;
	}
	r->fd = -1;
	r->line = 1;
	return r;
}

struct jt_csv *
jt_csv_open(const char *path, struct jt_error *err)
{
	struct jt_csv *r = csv_new(path, err);

	if (r == NULL)
		return NULL;
	if (strcmp(path, "-") == 0) {
		r->fd = STDIN_FILENO;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			jt_error_set_errno(err, errno, path, "cannot open");
			jt_csv_close(r);
			return NULL;
		}
		r->close_fd = 1;
	}
	r->block = malloc(BLOCK);
	if (r->block == NULL) {
		jt_error_oom(err, path);
		jt_csv_close(r);
		return NULL;
	}
	return r;
}

struct jt_csv *
jt_csv_open_mem(const char *buf, size_t len, const char *name,
		struct jt_error *err)
{
	struct jt_csv *r = csv_new(name, err);

	if (r == NULL)
		return NULL;
	r->mem = buf;
	r->mem_len = len;
	r->block = (char *)buf; /* read-only use below */
	r->len = len;
	r->eof = 1;
	return r;
}

/* fill - make input available; returns 1 if any, 0 at EOF, -1 on error. */
static int
fill(struct jt_csv *r, struct jt_error *err)
{
	ssize_t n;

	if (r->pos < r->len)
		return 1;
	if (r->eof)
		return 0;
	do
		n = read(r->fd, r->block, BLOCK);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return jt_error_set_errno(err, errno, r->name, "cannot read");
	r->pos = 0;
	r->len = (size_t)n;
	if (n == 0) {
		r->eof = 1;
		return 0;
	}
	return 1;
}

static int
rec_put(struct jt_csv *r, const char *p, size_t n, struct jt_error *err)
{
	if (r->rec_len + n + 1 > r->rec_cap) {
		size_t cap = r->rec_cap ? r->rec_cap : 256;
		char *q;

		while (r->rec_len + n + 1 > cap)
			cap *= 2;
		q = realloc(r->rec, cap);
		if (q == NULL)
			return jt_error_set(err, JT_ENOMEM, r->name, r->line, 0,
					    "out of memory");
		r->rec = q;
		r->rec_cap = cap;
	}
	memcpy(r->rec + r->rec_len, p, n);
	r->rec_len += n;
	return 0;
}

static int
field_start(struct jt_csv *r, struct jt_error *err)
{
	if (r->nfields == r->cap_fields) {
		size_t cap = r->cap_fields ? r->cap_fields * 2 : 16;
		size_t *o = realloc(r->offs, cap * sizeof(*o));

		if (o == NULL)
			return jt_error_set(err, JT_ENOMEM, r->name, r->line, 0,
					    "out of memory");
		r->offs = o;
		r->cap_fields = cap;
	}
	r->offs[r->nfields++] = r->rec_len;
	return 0;
}

int
jt_csv_next(struct jt_csv *r, char ***fields, size_t *nfields,
	    struct jt_error *err)
{
	int quoted, after_quote, rc;
	long col = 1, quote_line = 0, quote_col = 0;
	size_t i;
	char nul = '\0';

again:
	r->rec_len = 0;
	r->nfields = 0;
	rc = fill(r, err);
	if (rc <= 0)
		return rc;
	r->rec_line = r->line;
	if (field_start(r, err) < 0)
		return -1;
	quoted = 0;
	after_quote = 0;
	for (;;) {
		const char *p, *end;
		char c;

		rc = fill(r, err);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			if (quoted)
				return jt_error_set(err, JT_EPARSE, r->name,
						    quote_line, quote_col,
						    "quoted field not closed "
						    "before end of file");
			break;
		}
		p = r->block + r->pos;
		end = r->block + r->len;
		if (!quoted) {
			/* Fast path: copy a run of plain characters. */
			const char *q = p;

			while (q < end && *q != ',' && *q != '\n' &&
			       *q != '\r' && *q != '"')
				q++;
			if (q > p) {
				if (rec_put(r, p, (size_t)(q - p), err) < 0)
					return -1;
				col += q - p;
				r->pos += (size_t)(q - p);
				continue;
			}
		} else {
			/* Inside quotes: copy up to the next quote or line
			 * break (line breaks are counted one at a time). */
			const char *q = p;

			while (q < end && *q != '"' && *q != '\n')
				q++;
			if (q > p) {
				if (rec_put(r, p, (size_t)(q - p), err) < 0)
					return -1;
				col += q - p;
				r->pos += (size_t)(q - p);
				continue;
			}
		}
		c = *p;
		r->pos++;
		col++;
		if (quoted) {
			if (c == '"') {
				/* A doubled quote or the closing quote. */
				if (fill(r, err) > 0 &&
				    r->block[r->pos] == '"') {
					r->pos++;
					col++;
					if (rec_put(r, "\"", 1, err) < 0)
						return -1;
				} else {
					quoted = 0;
					after_quote = 1;
				}
			} else {
				if (c == '\n') {
					r->line++;
					col = 1;
				}
				if (rec_put(r, &c, 1, err) < 0)
					return -1;
			}
			continue;
		}
		if (c == ',') {
			if (rec_put(r, &nul, 1, err) < 0 ||
			    field_start(r, err) < 0)
				return -1;
			after_quote = 0;
		} else if (c == '\n') {
			r->line++;
			break;
		} else if (c == '\r') {
			/* CR ends the record; a following LF is eaten. */
			if (fill(r, err) > 0 && r->block[r->pos] == '\n')
				r->pos++;
			r->line++;
			break;
		} else if (c == '"') {
			if (r->rec_len != r->offs[r->nfields - 1] ||
			    after_quote)
				return jt_error_set(err, JT_EPARSE, r->name,
						    r->line, col - 1,
						    "stray quote inside an "
						    "unquoted field");
			quoted = 1;
			quote_line = r->line;
			quote_col = col - 1;
		}
	}
	if (rec_put(r, &nul, 1, err) < 0)
		return -1;
	if (r->nfields == 1 && r->rec_len == 1)
		goto again; /* blank line */
	if (r->fields_cap < r->cap_fields) {
		char **f = realloc(r->fields, r->cap_fields * sizeof(char *));

		if (f == NULL)
			return jt_error_set(err, JT_ENOMEM, r->name, r->line, 0,
					    "out of memory");
		r->fields = f;
		r->fields_cap = r->cap_fields;
	}
	for (i = 0; i < r->nfields; i++)
		r->fields[i] = r->rec + r->offs[i];
	*fields = r->fields;
	*nfields = r->nfields;
	return 1;
}

long
jt_csv_line(const struct jt_csv *r)
{
	return r->rec_line;
}

const char *
jt_csv_name(const struct jt_csv *r)
{
	return r->name;
}

void
jt_csv_close(struct jt_csv *r)
{
	if (r == NULL)
		return;
	if (r->close_fd)
		close(r->fd);
	if (r->mem == NULL)
		free(r->block);
	free(r->name);
	free(r->rec);
	free(r->offs);
	free(r->fields);
	free(r);
}
