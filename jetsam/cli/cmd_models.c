/*
 * cmd_models.c - jetsam models: look up the device-model table
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "jetsam/core/emit.h"
#include "jetsam/core/models.h"

static void
usage(FILE *out)
{
	fputs("usage: jetsam models [-f table|csv|json|jsonl] [--bytes] "
	      "[--models FILE]\n"
	      "                     [PRODUCT_TYPE...]\n\n"
	      "List the device-model table, or look up the given product "
	      "types\n(e.g. iPhone12,1).  An unknown product type is an error "
	      "(exit 1);\nthe others are still listed.\n\n"
	      "  -f, --format FMT   table (default), csv, json or jsonl\n"
	      "      --bytes        exact byte counts in the table (not "
	      "4.000 GiB)\n"
	      "      --models FILE  use FILE instead of the built-in "
	      "data/devices.csv\n"
	      "  -h, --help         show this help\n",
	      out);
}

/* model_row - row k: the model ctx[k] (ctx an array of model pointers). */
static void
model_row(const void *ctx, size_t k, struct jt_cell *row)
{
	const struct jt_model *m = ((const struct jt_model *const *)ctx)[k];

	row[0] = jt_cell_str(m->product_type);
	row[1] = jt_cell_str(m->name);
	row[2] = jt_cell_str(m->board);
	row[3] = jt_cell_str(m->soc);
	row[4] = jt_cell_int(m->ram_bytes);
	row[5] = jt_cell_int(m->page_size_bytes);
}

int
jt_cmd_models(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"models", required_argument, NULL, 'm'},
		{"bytes", no_argument, NULL, JT_OPT_BYTES},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *const cols[] = {"product_type", "name",
					   "board",        "soc",
					   "ram_bytes",    "page_size_bytes"};
	struct jt_cli_common co;
	struct jt_error err;
	struct jt_models *models;
	const struct jt_model **list;
	int c, i, rc, status = JT_EXIT_OK;
	size_t n, k;

	jt_error_init(&err);
	jt_cli_common_init(&co);
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1)
		if ((rc = jt_cli_common_opt(c, optarg, &co, usage, argv)) >= 0)
			return rc;
	models = jt_models_load(co.models_path, &err);
	if (models == NULL) {
		jt_warn_error(&err);
		return JT_EXIT_FAIL;
	}
	/* the rows: the whole table, or the known ones of the operands */
	list = calloc(jt_models_count(models) + (size_t)(argc - optind) + 1,
		      sizeof(*list));
	if (list == NULL) {
		jt_error_oom(&err, NULL);
		jt_warn_error(&err);
		jt_models_free(models);
		return JT_EXIT_FAIL;
	}
	n = 0;
	if (optind == argc)
		for (k = 0; k < jt_models_count(models); k++)
			list[n++] = jt_models_at(models, k);
	for (i = optind; i < argc; i++) {
		const struct jt_model *m = jt_models_find(models, argv[i]);

		if (m == NULL) {
			jt_warn("unknown model '%s'", argv[i]);
			status = JT_EXIT_FAIL;
			continue;
		}
		list[n++] = m;
	}
	if (jt_cli_emit(jt_cli_format(&co), cols,
			sizeof(cols) / sizeof(cols[0]), n, model_row, list,
			&err) < 0) {
		jt_warn_error(&err);
		status = JT_EXIT_FAIL;
	}
	free(list);
	jt_models_free(models);
	return status;
}
