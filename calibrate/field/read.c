/*
 * read.c - one field-data file: open it, hash it, pick its format, check
 * the end
 *
 * The format is chosen by the first line that is not blank: MetricKit
 * claims payloads (read_metrickit.c says how it tells them), JSON Lines
 * any other line starting with '{' or '[', CSV everything else.  A threshold
 * table records the SHA-256 of every input, and that hash is taken from the
 * very blocks the reader parses, in the same pass: the file is read once, no
 * second thread competes for the CPU, and the hash is of exactly the bytes that
 * gave the numbers, even if the file changes while it is read.  It costs
 * one SHA-256 pass over the input (with the x86 SHA extensions, a small
 * fraction of the parse); a caller that only prints aggregates turns it
 * off (jt_field_hash_inputs).
 */
#include "field_private.h"

#include <stdlib.h>
#include <string.h>

#include "sha256.h"

/* Formats in the order they are asked; the last claims anything. */
static const struct fieldp_format *const formats[] = {
	&fieldp_metrickit, &fieldp_jsonl, &fieldp_csv};

static void
hash_block(void *ctx, const void *p, size_t n)
{
	jt_sha256_update(ctx, p, n);
}

const struct fieldp_format *
fieldp_choose(struct jt_csv *in, struct jt_error *err)
{
	const char *line;
	size_t len, i;

	if (jt_csv_peek_line(in, &line, &len, err) < 0)
		return NULL;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]) - 1; i++)
		if (formats[i]->claims(line, len))
			break;
	return formats[i];
}

static struct jt_field_file *
add_file(struct jt_field *f, const char *name, struct jt_error *err)
{
	struct jt_field_file *nf;

	nf = realloc(f->files, (f->nfiles + 1) * sizeof(*nf));
	if (nf == NULL)
		goto nomem;
	f->files = nf;
	nf = &f->files[f->nfiles];
	memset(nf, 0, sizeof(*nf));
	if ((nf->path = strdup(name)) == NULL)
		goto nomem;
	f->nfiles++;
	return nf;
nomem:
	jt_error_oom(err, name);
	return NULL;
}

int
fieldp_bad_limit(const struct jt_field *f, const char *name,
		 struct jt_error *err)
{
	if (f->bad_total <= f->max_bad)
		return 0;
	return jt_error_set_in(err, JT_ELIMIT, name,
			       "%ld malformed rows in the field data, more "
			       "than --max-bad-rows %ld allows",
			       f->bad_total, f->max_bad);
}

/* read_body - the rows of in after r's set-up, then the last batch. */
static int
read_body(struct fieldp_reader *r, const struct fieldp_format *fmt,
	  struct jt_csv *in, struct jt_error *err)
{
	int rc = fmt->read(r, in, err);

	if (rc == 0)
		rc = fieldp_flush(r, err);
	free(r->batch);
	r->batch = NULL;
	return rc;
}

/* read_input - read all of in into f as the file ff; closes in. */
static int
read_input(struct jt_field *f, struct jt_csv *in, const char *name,
	   struct jt_error *err)
{
	struct jt_field_file *ff = add_file(f, name, err);
	const struct fieldp_format *fmt;
	struct fieldp_reader r;
	struct jt_sha256 ctx;
	int rc = -1;

	if (ff == NULL)
		goto out;
	memset(&r, 0, sizeof(r));
	r.f = f;
	r.name = ff->path;
	r.line = 1;
	if (f->hash_inputs) {
		jt_sha256_init(&ctx);
		jt_csv_on_input(in, hash_block, &ctx);
	}
	fmt = fieldp_choose(in, err);
	if (fmt == NULL || read_body(&r, fmt, in, err) < 0)
		goto out;
	if (f->hash_inputs)
		jt_sha256_final(&ctx, ff->sha256);
	ff->bytes = jt_csv_bytes(in);
	ff->shape =
		fmt == &fieldp_metrickit ? JT_FIELD_METRICKIT : r.shape->shape;
	ff->jsonl = fmt != &fieldp_csv;
	ff->rows = r.rows;
	ff->bad_rows = r.bad;
	ff->skipped = r.skipped;
	if (r.rows == 0 && r.bad == 0 && fmt == &fieldp_metrickit)
		jt_error_set_in(err, JT_EPARSE, r.name,
				"no MetricKit metric payload with a peak or "
				"an exit count (%ld skipped: diagnostic "
				"payloads, days without applicationExitMetrics "
				"as on iOS 13, days with neither)",
				r.skipped);
	else if (r.rows == 0 && r.bad == 0)
		jt_error_set(err, JT_EPARSE, r.name, r.line, 0,
			     "no data rows after the header");
	else if (fieldp_bad_limit(f, r.name, err) == 0)
		rc = 0;
out:
	jt_csv_close(in);
	return rc;
}

int
jt_field_read(struct jt_field *f, const char *path, struct jt_error *err)
{
	struct jt_csv *in = jt_csv_open(path, err);

	return in != NULL ? read_input(f, in, path, err) : -1;
}

int
jt_field_read_mem(struct jt_field *f, const char *buf, size_t len,
		  const char *name, struct jt_error *err)
{
	struct jt_csv *in = jt_csv_open_mem(buf, len, name, err);

	return in != NULL ? read_input(f, in, name, err) : -1;
}

int
fieldp_header_only(struct jt_field *f, const char *path,
		   const struct fieldp_format **fmt, struct fieldp_reader *r,
		   int64_t *end, struct jt_error *err)
{
	struct jt_csv *in = jt_csv_open(path, err);
	int rc = -1;

	if (in == NULL)
		return -1;
	memset(r, 0, sizeof(*r));
	r->f = f;
	r->name = path;
	r->line = 1;
	r->header_only = 1;
	*fmt = fieldp_choose(in, err);
	/* MetricKit has no header and is never cut: nothing to read. */
	if (*fmt == &fieldp_metrickit) {
		*end = 0;
		rc = 0;
	} else if (*fmt != NULL && (*fmt)->read(r, in, err) == 0) {
		*end = jt_csv_offset(in);
		rc = 0;
	}
	free(r->batch);
	r->batch = NULL;
	r->header_only = 0;
	jt_csv_close(in);
	return rc;
}

int
fieldp_read_range(struct jt_field *f, const char *path,
		  const struct fieldp_format *fmt,
		  const struct fieldp_reader *layout, int64_t offset,
		  int64_t length, struct fieldp_range *out,
		  struct jt_error *err)
{
	struct jt_csv *in = jt_csv_open_range(path, offset, length, err);
	struct fieldp_reader r;
	int rc;

	if (in == NULL)
		return -1;
	memset(&r, 0, sizeof(r));
	if (layout != NULL)
		r = *layout;
	r.f = f;
	r.name = path;
	r.line = 1;
	r.rows = r.bad = 0;
	r.batch = NULL;
	r.nbatch = 0;
	r.header_only = 0;
	rc = read_body(&r, fmt, in, err);
	out->rows = r.rows;
	out->bad = r.bad;
	out->lines = jt_csv_lines_read(in);
	out->bytes = jt_csv_bytes(in);
	jt_csv_close(in);
	return rc;
}
