/*
 * cmd_devices.c - jetsam devices: every connected device and its state
 *
 * One row per device, joined with the model table for the marketing name,
 * RAM and page size.  A locked, untrusted or pending device is a row with
 * that state, not a failure: the lab wants to see all of them at once.  A
 * device whose identity fails the checks is a row too ("refused", without
 * the values that failed), named on stderr, and makes the exit status 1.
 */
#include <getopt.h>
#include <stdio.h>

#include "cmd.h"
#include "jetsam/device/device.h"
#include "jetsam/core/emit.h"
#include "jetsam/core/models.h"

static void
usage(FILE *out)
{
	fputs("usage: jetsam devices [-f table|csv|json|jsonl] [--models "
	      "FILE]\n\n"
	      "List every connected device: udid, product type, model name, "
	      "RAM and page\nsize (from the model table), hardware model, OS "
	      "version and build, device\nname, and state: ok, locked, "
	      "pairing-pending, untrusted, unreachable or refused\n(its "
	      "identity fails the checks: named on stderr).\n\n"
	      "  -f, --format FMT   table (default), csv, json or jsonl\n"
	      "      --models FILE  use FILE instead of the built-in "
	      "data/devices.csv\n"
	      "  -h, --help         show this help\n\n"
	      "Exit status: 0 listed, 1 usbmuxd not reachable, no device or a "
	      "device refused,\n2 usage.\n",
	      out);
}

int
jt_cmd_devices(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"models", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *const cols[] = {"udid",
					   "product_type",
					   "name",
					   "ram_bytes",
					   "page_size_bytes",
					   "hardware_model",
					   "product_version",
					   "build_version",
					   "device_name",
					   "state",
					   "state_detail"};
	struct jt_cli_common co;
	struct jt_models *models;
	struct jt_emitter *em;
	struct jt_error err;
	char **udids = NULL;
	size_t n = 0, i;
	int c, rc, status = JT_EXIT_OK;

	jt_error_init(&err);
	jt_cli_common_init(&co);
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1)
		if ((rc = jt_cli_common_opt(c, optarg, &co, usage, argv)) >= 0)
			return rc;
	if (jt_cli_no_operands(argc, argv) < 0)
		return JT_EXIT_USAGE;
	models = jt_models_load(co.models_path, &err);
	if (models == NULL || jt_device_udids(&udids, &n, &err) < 0) {
		jt_warn_error(&err);
		jt_models_free(models);
		return JT_EXIT_FAIL;
	}
	em = jt_emitter_new(stdout, jt_cli_format(&co), cols,
			    sizeof(cols) / sizeof(cols[0]), &err);
	for (i = 0; em != NULL && i < n; i++) {
		struct jt_device_info info;
		const struct jt_model *m;

		if (jt_device_identify(udids[i], &info, &err) < 0) {
			jt_warn_error(&err);
			jt_error_init(&err);
			jt_device_info_release(&info);
			status = JT_EXIT_FAIL;
			continue;
		}
		m = info.product_type != NULL
			? jt_models_find(models, info.product_type)
			: NULL;
		{
			struct jt_cell row[] = {
				jt_cell_str(info.udid),
				jt_cell_str(info.product_type),
				jt_cell_str(m != NULL ? m->name : NULL),
				m != NULL ? jt_cell_int(m->ram_bytes)
					  : jt_cell_null(),
				m != NULL ? jt_cell_int(m->page_size_bytes)
					  : jt_cell_null(),
				jt_cell_str(info.hardware_model),
				jt_cell_str(info.product_version),
				jt_cell_str(info.build_version),
				jt_cell_str(info.device_name),
				jt_cell_str(jt_device_state_name(info.state)),
				jt_cell_str(info.state_detail),
			};

			if (jt_emitter_row(em, row, &err) < 0)
				status = JT_EXIT_FAIL;
		}
		if (info.state == JT_DEVICE_REFUSED)
			status = JT_EXIT_FAIL;
		/* udid and detail are checked or escaped by the library */
		if (info.state != JT_DEVICE_OK)
			jt_warn("%s: %s%s%s", info.udid,
				jt_device_state_name(info.state),
				info.state_detail ? ": " : "",
				info.state_detail ? info.state_detail : "");
		jt_device_info_release(&info);
	}
	if (em == NULL || jt_emitter_end(em, &err) < 0)
		status = JT_EXIT_FAIL;
	jt_emitter_free(em);
	if (jt_error_isset(&err))
		jt_warn_error(&err);
	if (n == 0) {
		jt_warn("no device connected (is it plugged in?)");
		status = JT_EXIT_FAIL;
	}
	jt_device_udids_free(udids);
	jt_models_free(models);
	return status;
}
