/*
 * read.c - one field-data file: open it, hash it, pick its format, check
 * the end
 *
 * The format is chosen by the first byte that is not blank: JSON Lines
 * claims '{' and '[', CSV everything else.  A threshold table records the
 * SHA-256 of every input, and that hash is taken from the very blocks the
 * reader parses, in the same pass: the file is read once, no second
 * thread competes for the CPU, and the hash is of exactly the bytes that
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
static const struct fieldp_format *const formats[] = {&fieldp_jsonl,
						      &fieldp_csv};

static void
hash_block(void *ctx, const void *p, size_t n)
{
	jt_sha256_update(ctx, p, n);
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

/* read_input - read all of in into f as the file ff; closes in. */
static int
read_input(struct jt_field *f, struct jt_csv *in, const char *name,
	   struct jt_error *err)
{
	struct jt_field_file *ff = add_file(f, name, err);
	const struct fieldp_format *fmt;
	struct fieldp_reader r;
	struct jt_sha256 ctx;
	size_t i;
	int c, rc = -1;

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
	c = jt_csv_first_byte(in, err);
	if (c < 0)
		goto out;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]) - 1; i++)
		if (formats[i]->claims(c))
			break;
	fmt = formats[i];
	rc = fmt->read(&r, in, err);
	if (rc == 0)
		rc = fieldp_flush(&r, err);
	free(r.batch);
	if (rc < 0)
		goto out;
	if (f->hash_inputs)
		jt_sha256_final(&ctx, ff->sha256);
	ff->bytes = jt_csv_bytes(in);
	ff->shape = r.shape->shape;
	ff->jsonl = fmt == &fieldp_jsonl;
	ff->rows = r.rows;
	ff->bad_rows = r.bad;
	rc = -1;
	if (r.rows == 0 && r.bad == 0)
		jt_error_set(err, JT_EPARSE, r.name, r.line, 0,
			     "no data rows after the header");
	else if (f->bad_total > f->max_bad)
		jt_error_set_in(err, JT_ELIMIT, r.name,
				"%ld malformed rows in the field data, more "
				"than --max-bad-rows %ld allows",
				f->bad_total, f->max_bad);
	else
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
