/*
 * read_csv.c - the CSV format of field data
 *
 * Records come from jetsam/core/csv.h, the project's one CSV reader, which
 * cuts them in place; this file only turns the first record into a header
 * and hands every other one, with its cell lengths, to fieldp_row.
 */
#include "field_private.h"

static int
csv_claims(const char *line, size_t len)
{
	(void)line;
	(void)len;
	return 1; /* anything that is not JSON */
}

static int
csv_read(struct fieldp_reader *r, struct jt_csv *in, struct jt_error *err)
{
	char **cells;
	size_t n;
	int rc;

	/* A byte range after the first comes with its header's layout. */
	if (r->shape == NULL) {
		rc = jt_csv_next(in, &cells, &n, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return jt_error_set(err, JT_EPARSE, r->name, 1, 0,
					    "empty file: expected a header "
					    "row");
		r->line = jt_csv_line(in);
		if (fieldp_header(r, (const char *const *)cells, n, err) < 0)
			return -1;
		if (r->header_only)
			return 0;
	}
	while ((rc = jt_csv_next(in, &cells, &n, err)) > 0) {
		r->line = jt_csv_line(in);
		if (fieldp_row(r, cells, jt_csv_lengths(in), n, err) < 0)
			return -1;
	}
	return rc;
}

const struct fieldp_format fieldp_csv = {"csv", csv_claims, csv_read};
