/*
 * write.c - plist, C header and summary writers for the threshold table,
 * and the one commit step for a calibration's output files
 *
 * The plist is made from the ship table's JSON form, key by key in sorted
 * order, so the two cannot disagree and libplist's output is stable.  The
 * header is plain C with no dependency: an SDK drops it in and calls
 * jetsam_threshold_lookup() with the live limit from
 * jetsam_live_limit_bytes().
 */
#include "jetsam/core/text.h"
#include "write.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <plist/plist.h>

#include "jetsam/core/fileio.h"
#include "table_private.h"

/* ---- plist --------------------------------------------------------------- */

static plist_t json_to_plist(const json_t *v);

static int
keycmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static plist_t
json_to_plist(const json_t *v)
{
	plist_t p = NULL;
	size_t i, n;

	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char **keys;
		const char *k;
		json_t *x;

		n = json_object_size(v);
		keys = calloc(n + 1, sizeof(*keys));
		if (keys == NULL)
			return NULL;
		i = 0;
		json_object_foreach((json_t *)v, k, x)
		{
			keys[i++] = k;
		}
		qsort(keys, n, sizeof(*keys), keycmp);
		p = plist_new_dict();
		for (i = 0; p != NULL && i < n; i++) {
			const json_t *item = json_object_get(v, keys[i]);
			plist_t c;

			if (json_is_null(item))
				continue;
			c = json_to_plist(item);
			if (c == NULL) {
				plist_free(p);
				p = NULL;
				break;
			}
			plist_dict_set_item(p, keys[i], c);
		}
		free(keys);
		return p;
	}
	case JSON_ARRAY:
		p = plist_new_array();
		n = json_array_size(v);
		for (i = 0; p != NULL && i < n; i++) {
			plist_t c = json_to_plist(json_array_get(v, i));

			if (c == NULL) {
				plist_free(p);
				return NULL;
			}
			plist_array_append_item(p, c);
		}
		return p;
	case JSON_STRING:
		return plist_new_string(json_string_value(v));
	case JSON_INTEGER:
		return plist_new_uint((uint64_t)json_integer_value(v));
	case JSON_REAL:
		return plist_new_real(json_real_value(v));
	case JSON_TRUE:
		return plist_new_bool(1);
	case JSON_FALSE:
		return plist_new_bool(0);
	default:
		return NULL;
	}
}

/*
 * xml_check - 0 when every key and string in v is text XML 1.0 can hold
 * (libplist writes them as they are); else -1 with JT_EINVAL naming the
 * first offender.
 */
static int
xml_check(const json_t *v, const char *where, struct jt_error *err)
{
	unsigned long bad;
	const char *k;
	json_t *x;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach((json_t *)v, k, x)
		{
			char shown[96];

			if (!jt_text_xml_ok(k, &bad))
				return jt_error_set_in(
					err, JT_EINVAL, NULL,
					"cannot write a plist: key '%s' holds "
					"U+%04lX, which XML 1.0 forbids",
					jt_text_escape(shown, sizeof(shown), k),
					bad);
			if (xml_check(x, k, err) < 0)
				return -1;
		}
		return 0;
	case JSON_ARRAY:
		for (i = 0; i < json_array_size(v); i++)
			if (xml_check(json_array_get(v, i), where, err) < 0)
				return -1;
		return 0;
	case JSON_STRING:
		if (!jt_text_xml_ok(json_string_value(v), &bad)) {
			char shown[96];

			return jt_error_set_in(
				err, JT_EINVAL, NULL,
				"cannot write a plist: '%s' under '%s' holds "
				"U+%04lX, which XML 1.0 forbids",
				jt_text_escape(shown, sizeof(shown),
					       json_string_value(v)),
				where, bad);
		}
		return 0;
	default:
		return 0;
	}
}

int
jt_table_write_plist(const struct jt_table *ship, FILE *out,
		     struct jt_error *err)
{
	json_t *j = jt_table_to_ship_json(ship, err);
	plist_t p;
	char *xml = NULL;
	uint32_t len = 0;
	int rc = 0;

	if (j == NULL)
		return -1;
	if (xml_check(j, "", err) < 0) {
		json_decref(j);
		return -1;
	}
	p = json_to_plist(j);
	json_decref(j);
	if (p == NULL)
		return jt_error_oom(err, NULL);
	plist_to_xml(p, &xml, &len);
	plist_free(p);
	if (xml == NULL)
		return jt_error_oom(err, NULL);
	if (fwrite(xml, 1, len, out) != len)
		rc = jt_error_set_errno(err, errno, NULL, "cannot write");
	plist_to_xml_free(xml);
	return rc;
}

/* ---- C header ------------------------------------------------------------ */

/* c_string - s as a C string literal: quotes, backslashes, '?', controls. */
static void
c_string(FILE *out, const char *s)
{
	if (s == NULL) {
		fputs("0", out);
		return;
	}
	fputc('"', out);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\' || c == '?')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\%03o", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/*
 * The header's fixed text: how to call it, the types, and the lookup of
 * jt_table_lookup() (table.c) and jt_rule_apply() (rules.c) translated
 * line for line.  Arrays end with a sentinel and are walked to it, so a
 * table with no entries or no RAM classes compiles without
 * -Wtype-limits warnings.
 */
static const char header_usage[] =
	"/*\n"
	" * jetsam_thresholds.h - per-model danger thresholds for this app\n"
	" *\n"
	" * Generated by jetsam-calibrate from a threshold table (ship schema\n"
	" * jetsamkit-ship-table 1): do not edit.  C99 or later, C++, or\n"
	" * Objective-C; no library needed.  Above the threshold the app\n"
	" * should release caches and degrade: one more page may be killed.\n"
	" *\n"
	" * How to call it (the live limit MUST come from\n"
	" * jetsam_live_limit_bytes(): os_proc_available_memory() returns 0\n"
	" * when the app is already at its limit, or is not an app, and a\n"
	" * live limit made from that 0 would be the footprint itself):\n"
	" *\n"
	" *   C / Objective-C (iOS 13+):\n"
	" *     #include <mach/mach.h>\n"
	" *     #include <os/proc.h>\n"
	" *     #include <sys/sysctl.h>\n"
	" *     char model[64]; size_t n = sizeof(model);\n"
	" *     sysctlbyname(\"hw.machine\", model, &n, NULL, 0); // \"iPhone12,1\"\n"
	" *     uint64_t ram = 0; n = sizeof(ram);\n"
	" *     sysctlbyname(\"hw.memsize\", &ram, &n, NULL, 0);\n"
	" *     // OS as \"major.minor\" or \"major.minor.patch\", e.g. from\n"
	" *     // NSProcessInfo.processInfo.operatingSystemVersion\n"
	" *     task_vm_info_data_t vm; mach_msg_type_number_t c =\n"
	" *         TASK_VM_INFO_COUNT;\n"
	" *     task_info(mach_task_self(), TASK_VM_INFO, (task_info_t)&vm, &c);\n"
	" *     int64_t live = jetsam_live_limit_bytes(\n"
	" *         (int64_t)vm.phys_footprint, os_proc_available_memory());\n"
	" *     enum jetsam_source src;\n"
	" *     int64_t t = jetsam_threshold_lookup(model, os, \"app\",\n"
	" *         (int64_t)ram, live, &src);\n"
	" *     if (t < 0) ... no threshold: the live limit is unknown\n"
	" *     else if ((int64_t)vm.phys_footprint >= t) ... degrade\n"
	" *\n"
	" *   Swift: import the header in the bridging header; the same calls:\n"
	" *     var size = 0; sysctlbyname(\"hw.machine\", nil, &size, nil, 0)\n"
	" *     var buf = [CChar](repeating: 0, count: size)\n"
	" *     sysctlbyname(\"hw.machine\", &buf, &size, nil, 0)\n"
	" *     let v = ProcessInfo.processInfo.operatingSystemVersion\n"
	" *     let os = \"\\(v.majorVersion).\\(v.minorVersion)\"\n"
	" *     let live = jetsam_live_limit_bytes(footprint,\n"
	" *         os_proc_available_memory())\n"
	" *     var src = JETSAM_SOURCE_MEASURED\n"
	" *     let t = jetsam_threshold_lookup(buf, os, \"app\", ram, live, &src)\n"
	" *\n"
	" * data/sdk-example/ in jetsamkit has both as complete files.  Call\n"
	" * the lookup once per launch (the answer changes only with the live\n"
	" * limit), then compare phys_footprint with it as often as needed.\n"
	" */\n";

static const char header_types[] =
	"enum jetsam_source {\n"
	"\tJETSAM_SOURCE_MEASURED,     /* this model, OS and profile */\n"
	"\tJETSAM_SOURCE_CARRIED_OVER, /* this model and profile, another OS */\n"
	"\tJETSAM_SOURCE_FIELD_ONLY,   /* live limit - this model's field "
	"growth */\n"
	"\tJETSAM_SOURCE_RUNTIME_RULE, /* live limit - its RAM class's growth "
	"*/\n"
	"\tJETSAM_SOURCE_FRACTION      /* JETSAM_FRACTION x live limit */\n"
	"};\n\n"
	"struct jetsam_threshold {\n"
	"\tconst char *model;\n"
	"\tconst char *os_version;\n"
	"\tconst char *profile;\n"
	"\tint64_t ceiling_bytes;\n"
	"\tint64_t threshold_bytes;\n"
	"\tconst char *rule;\n"
	"\tint no_headroom;\n"
	"};\n\n"
	"struct jetsam_field_model {\n"
	"\tconst char *model;\n"
	"\tint64_t growth_bytes;\n"
	"\tint64_t baseline_bytes; /* -1 when unknown */\n"
	"};\n\n"
	"struct jetsam_ram_class {\n"
	"\tint64_t ram_bytes;\n"
	"\tint64_t growth_bytes;\n"
	"};\n\n";

static const char helpers_src[] =
	"/*\n"
	" * jetsam_live_limit_bytes - the app's live limit: phys_footprint +\n"
	" * os_proc_available_memory(), or -1 (unknown) when the latter is 0\n"
	" * (the app is at its limit already, or is not an app).\n"
	" */\n"
	"static inline int64_t\n"
	"jetsam_live_limit_bytes(int64_t phys_footprint_bytes,\n"
	"\t\t\tsize_t available_bytes)\n"
	"{\n"
	"\tif (available_bytes == 0 || phys_footprint_bytes < 0)\n"
	"\t\treturn -1;\n"
	"\treturn phys_footprint_bytes + (int64_t)available_bytes;\n"
	"}\n"
	"\n"
	"static inline int\n"
	"jetsam_os_compare(const char *a, const char *b)\n"
	"{\n"
	"\twhile (*a != '\\0' || *b != '\\0') {\n"
	"\t\tunsigned long x = 0, y = 0;\n"
	"\t\tint dx = 0, dy = 0;\n"
	"\n"
	"\t\twhile (*a >= '0' && *a <= '9') {\n"
	"\t\t\tx = x * 10 + (unsigned long)(*a++ - '0');\n"
	"\t\t\tdx = 1;\n"
	"\t\t}\n"
	"\t\twhile (*b >= '0' && *b <= '9') {\n"
	"\t\t\ty = y * 10 + (unsigned long)(*b++ - '0');\n"
	"\t\t\tdy = 1;\n"
	"\t\t}\n"
	"\t\tif (dx && dy && x != y)\n"
	"\t\t\treturn x < y ? -1 : 1;\n"
	"\t\tif (dx != dy)\n"
	"\t\t\treturn dx < dy ? 1 : -1;\n"
	"\t\tif (*a != *b) {\n"
	"\t\t\tif (*a == '\\0')\n"
	"\t\t\t\treturn -1;\n"
	"\t\t\tif (*b == '\\0')\n"
	"\t\t\t\treturn 1;\n"
	"\t\t\treturn (unsigned char)*a < (unsigned char)*b ? -1 : 1;\n"
	"\t\t}\n"
	"\t\tif (*a != '\\0') {\n"
	"\t\t\ta++;\n"
	"\t\t\tb++;\n"
	"\t\t}\n"
	"\t}\n"
	"\treturn 0;\n"
	"}\n"
	"\n"
	"/* jetsam_fraction_of - JETSAM_FRACTION x bytes, at least 1. */\n"
	"static inline int64_t\n"
	"jetsam_fraction_of(int64_t bytes)\n"
	"{\n"
	"\tint64_t t = (int64_t)((double)bytes * JETSAM_FRACTION);\n"
	"\n"
	"\treturn t > 0 ? t : 1;\n"
	"}\n"
	"\n";

static const char lookup_src[] =
	"/*\n"
	" * jetsam_threshold_lookup - the danger threshold in bytes for this\n"
	" * device, and in *source (may be NULL) where it came from:\n"
	" *  1. measured: the entry for (model, os_version, profile);\n"
	" *  2. carried-over: same model and profile, the newest measured OS\n"
	" *     not newer than os_version, else the oldest newer one;\n"
	" *  3. field-only: a model with field data and no lab data: live\n"
	" *     limit - its growth, floored at its baseline, capped at the live\n"
	" *     limit (JETSAM_FRACTION x live limit when growth >= live limit);\n"
	" *  4. runtime-rule: live_limit_bytes - growth of the RAM class whose\n"
	" *     ram_bytes is nearest to ram_bytes (ties: the smaller class),\n"
	" *     when ram_bytes > 0 and the result is positive;\n"
	" *  5. fraction: JETSAM_FRACTION x live_limit_bytes (at least 1).\n"
	" * live_limit_bytes comes from jetsam_live_limit_bytes(); when it is\n"
	" * -1 (unknown), steps 3-5 return -1 (source still set).\n"
	" */\n"
	"static inline int64_t\n"
	"jetsam_threshold_lookup(const char *model, const char *os_version,\n"
	"\t\t\tconst char *profile, int64_t ram_bytes,\n"
	"\t\t\tint64_t live_limit_bytes, enum jetsam_source *source)\n"
	"{\n"
	"\tconst struct jetsam_threshold *e, *below = 0, *above = 0;\n"
	"\tconst struct jetsam_field_model *f;\n"
	"\tconst struct jetsam_ram_class *c, *cls = 0;\n"
	"\tenum jetsam_source src;\n"
	"\tint64_t t, d, best = 0;\n"
	"\n"
	"\tif (source == 0)\n"
	"\t\tsource = &src;\n"
	"\tfor (e = jetsam_thresholds; e->model != 0; e++) {\n"
	"\t\tif (strcmp(e->model, model) != 0 ||\n"
	"\t\t    strcmp(e->profile, profile) != 0)\n"
	"\t\t\tcontinue;\n"
	"\t\tif (strcmp(e->os_version, os_version) == 0) {\n"
	"\t\t\t*source = JETSAM_SOURCE_MEASURED;\n"
	"\t\t\treturn e->threshold_bytes;\n"
	"\t\t}\n"
	"\t\tif (jetsam_os_compare(e->os_version, os_version) <= 0) {\n"
	"\t\t\tif (below == 0 ||\n"
	"\t\t\t    jetsam_os_compare(e->os_version, below->os_version) > 0)\n"
	"\t\t\t\tbelow = e;\n"
	"\t\t} else if (above == 0 ||\n"
	"\t\t\t   jetsam_os_compare(e->os_version, above->os_version) < 0) {\n"
	"\t\t\tabove = e;\n"
	"\t\t}\n"
	"\t}\n"
	"\tif (below != 0 || above != 0) {\n"
	"\t\t*source = JETSAM_SOURCE_CARRIED_OVER;\n"
	"\t\treturn (below != 0 ? below : above)->threshold_bytes;\n"
	"\t}\n"
	"\tfor (f = jetsam_field_models; f->model != 0; f++) {\n"
	"\t\tif (strcmp(f->model, model) != 0)\n"
	"\t\t\tcontinue;\n"
	"\t\t*source = JETSAM_SOURCE_FIELD_ONLY;\n"
	"\t\tif (live_limit_bytes <= 0)\n"
	"\t\t\treturn -1;\n"
	"\t\tif (live_limit_bytes - f->growth_bytes > 0)\n"
	"\t\t\tt = live_limit_bytes - f->growth_bytes;\n"
	"\t\telse\n"
	"\t\t\tt = jetsam_fraction_of(live_limit_bytes);\n"
	"\t\tif (f->baseline_bytes > t)\n"
	"\t\t\tt = f->baseline_bytes;\n"
	"\t\treturn t > live_limit_bytes ? live_limit_bytes : t;\n"
	"\t}\n"
	"\tfor (c = jetsam_ram_classes; ram_bytes > 0 && c->ram_bytes > 0; "
	"c++) {\n"
	"\t\td = c->ram_bytes - ram_bytes;\n"
	"\t\tif (d < 0)\n"
	"\t\t\td = -d;\n"
	"\t\tif (cls == 0 || d < best ||\n"
	"\t\t    (d == best && c->ram_bytes < cls->ram_bytes)) {\n"
	"\t\t\tcls = c;\n"
	"\t\t\tbest = d;\n"
	"\t\t}\n"
	"\t}\n"
	"\tif (cls != 0 && (live_limit_bytes <= 0 ||\n"
	"\t\t\t   live_limit_bytes - cls->growth_bytes > 0)) {\n"
	"\t\t*source = JETSAM_SOURCE_RUNTIME_RULE;\n"
	"\t\treturn live_limit_bytes > 0 ? live_limit_bytes - cls->growth_bytes\n"
	"\t\t\t\t\t     : -1;\n"
	"\t}\n"
	"\t*source = JETSAM_SOURCE_FRACTION;\n"
	"\treturn live_limit_bytes > 0 ? jetsam_fraction_of(live_limit_bytes)\n"
	"\t\t\t\t     : -1;\n"
	"}\n";

int
jt_table_write_header(const struct jt_table *ship, FILE *out,
		      struct jt_error *err)
{
	size_t i, nfield = 0;

	fputs(header_usage, out);
	fputs("#ifndef JETSAM_THRESHOLDS_H\n"
	      "#define JETSAM_THRESHOLDS_H\n\n"
	      "#include <stddef.h>\n#include <stdint.h>\n#include <string.h>\n\n",
	      out);
	for (i = 0; i < ship->nfield_only; i++)
		nfield += ship->field_only[i].growth_bytes >= 0;
	fprintf(out, "#define JETSAM_SHIP_SCHEMA_VERSION %d\n",
		JT_SHIP_VERSION);
	fputs("#define JETSAM_TABLE_TOOL_VERSION ", out);
	c_string(out, ship->tool_version ? ship->tool_version : "");
	fputs("\n#define JETSAM_TABLE_RELEASE ", out);
	c_string(out, ship->release ? ship->release : "");
	fprintf(out, "\n#define JETSAM_FRACTION %.17g\n", ship->fraction);
	fprintf(out, "#define JETSAM_NTHRESHOLDS %zu\n", ship->nentries);
	fprintf(out, "#define JETSAM_NFIELD_MODELS %zu\n", nfield);
	fprintf(out, "#define JETSAM_NRAM_CLASSES %zu\n\n", ship->nclasses);
	fputs(header_types, out);
	/* Each array ends with a sentinel (and so is never empty, as C
	 * requires); the lookup walks to it. */
	fputs("static const struct jetsam_threshold jetsam_thresholds[] = {\n",
	      out);
	for (i = 0; i < ship->nentries; i++) {
		const struct jt_table_entry *e = &ship->entries[i];

		fputs("\t{", out);
		c_string(out, e->model);
		fputs(", ", out);
		c_string(out, e->os_version);
		fputs(", ", out);
		c_string(out, e->profile);
		fprintf(out, ", %lldLL, %lldLL, ", (long long)e->ceiling_bytes,
			(long long)e->threshold_bytes);
		c_string(out, jt_rule_name(e->rule));
		fprintf(out, ", %d},\n", e->no_headroom);
	}
	fputs("\t{0, 0, 0, 0, 0, 0, 0}\n};\n\n", out);
	fputs("static const struct jetsam_field_model jetsam_field_models[] = "
	      "{\n",
	      out);
	for (i = 0; i < ship->nfield_only; i++) {
		const struct jt_field_only *f = &ship->field_only[i];

		if (f->growth_bytes < 0)
			continue;
		fputs("\t{", out);
		c_string(out, f->model);
		fprintf(out, ", %lldLL, %lldLL},\n", (long long)f->growth_bytes,
			(long long)(f->baseline_bytes >= 0 ? f->baseline_bytes
							   : -1));
	}
	fputs("\t{0, 0, 0}\n};\n\n", out);
	fputs("static const struct jetsam_ram_class jetsam_ram_classes[] = {\n",
	      out);
	for (i = 0; i < ship->nclasses; i++)
		fprintf(out, "\t{%lldLL, %lldLL},\n",
			(long long)ship->classes[i].ram_bytes,
			(long long)ship->classes[i].growth_bytes);
	fputs("\t{0, 0}\n};\n\n", out);
	fputs(helpers_src, out);
	fputs(lookup_src, out);
	fputs("\n#endif /* JETSAM_THRESHOLDS_H */\n", out);
	if (ferror(out))
		return jt_error_set_errno(err, errno, NULL, "cannot write");
	return 0;
}

/* ---- summary ------------------------------------------------------------- */

const char *
jt_table_warnings(const struct jt_table_entry *e, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", e->disagree ? "disagree " : "",
		 e->no_field_growth ? "no-field-growth " : "",
		 e->no_headroom ? "no-headroom " : "",
		 e->known_model ? "" : "unknown-model ");
	if (buf[0] != '\0')
		buf[strlen(buf) - 1] = '\0';
	return buf;
}

int
jt_table_summary(const struct jt_table *t, FILE *out, enum jt_format fmt,
		 struct jt_error *err)
{
	static const char *const cols[] = {
		"model",          "os_version",      "profile",
		"name",           "ceiling_bytes",   "growth_bytes",
		"baseline_bytes", "threshold_bytes", "rule",
		"runs",           "spread_bytes",    "warnings"};
	struct jt_emitter *em = jt_emitter_new(
		out, fmt, cols, sizeof(cols) / sizeof(cols[0]), err);
	size_t i;
	int rc = 0;

	if (em == NULL)
		return -1;
	for (i = 0; i < t->nentries && rc == 0; i++) {
		const struct jt_table_entry *e = &t->entries[i];
		char w[128];
		struct jt_cell c[] = {
			jt_cell_str(e->model),
			jt_cell_str(e->os_version),
			jt_cell_str(e->profile),
			jt_cell_str(e->model_name),
			jt_cell_int_known(e->ceiling_bytes),
			jt_cell_int_known(e->growth_bytes),
			jt_cell_int_known(e->baseline_bytes),
			jt_cell_int_known(e->threshold_bytes),
			jt_cell_str(jt_rule_name(e->rule)),
			jt_cell_int(e->runs),
			jt_cell_int_known(e->spread_bytes),
			jt_cell_str(jt_table_warnings(e, w, sizeof(w)))};

		rc = jt_emitter_row(em, c, err);
	}
	for (i = 0; i < t->nfield_only && rc == 0; i++) {
		const struct jt_field_only *f = &t->field_only[i];
		char w[64];
		struct jt_cell c[] = {
			jt_cell_str(f->model),
			jt_cell_null(),
			jt_cell_null(),
			jt_cell_str(f->model_name),
			jt_cell_null(),
			jt_cell_int_known(f->growth_bytes),
			jt_cell_int_known(f->baseline_bytes),
			jt_cell_null(),
			jt_cell_str("field-only"),
			jt_cell_int(0),
			jt_cell_null(),
			jt_cell_str(jt_field_only_warnings(f, w, sizeof(w)))};

		rc = jt_emitter_row(em, c, err);
	}
	if (rc == 0)
		rc = jt_emitter_end(em, err);
	jt_emitter_free(em);
	return rc;
}

const char *
jt_field_only_warnings(const struct jt_field_only *f, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s",
		 f->growth_bytes < 0 ? "no-field-growth " : "",
		 f->known_model ? "" : "unknown-model ");
	if (buf[0] != '\0')
		buf[strlen(buf) - 1] = '\0';
	return buf;
}

/* ---- the output files ---------------------------------------------------- */

/* add - one output: a stream for path in s, written by fn; errors of fn
 * that name no file are given path. */
static int
add(struct jt_outset *s, const char *path, const struct jt_table *t,
    int (*fn)(const struct jt_table *, FILE *, struct jt_error *),
    struct jt_error *err)
{
	struct jt_error sub;
	FILE *fp;

	if (path == NULL)
		return 0;
	fp = jt_outset_add(s, path, err);
	if (fp == NULL)
		return -1;
	jt_error_init(&sub);
	if (fn(t, fp, &sub) == 0)
		return 0;
	if (sub.source[0] == '\0')
		snprintf(sub.source, sizeof(sub.source), "%s", path);
	if (err != NULL && !jt_error_isset(err))
		*err = sub;
	return -1;
}

static int
write_audit(const struct jt_table *t, FILE *out, struct jt_error *err)
{
	json_t *j = jt_table_to_json(t, err);
	int rc = j != NULL ? jt_json_dump(out, j, 1, err) : -1;

	json_decref(j);
	return rc;
}

static int
write_ship_json(const struct jt_table *ship, FILE *out, struct jt_error *err)
{
	json_t *j = jt_table_to_ship_json(ship, err);
	int rc = j != NULL ? jt_json_dump(out, j, 1, err) : -1;

	json_decref(j);
	return rc;
}

int
jt_table_write_files(const struct jt_table *t, const struct jt_table_files *f,
		     struct jt_error *err)
{
	struct jt_table ship;
	struct jt_outset s;
	int rc = -1;

	jt_table_init(&ship);
	jt_outset_init(&s);
	if ((f->ship_json != NULL || f->plist != NULL || f->header != NULL) &&
	    jt_table_ship(t, f->include_unknown, &ship, err) < 0)
		return -1;
	if (add(&s, f->audit_json, t, write_audit, err) < 0 ||
	    add(&s, f->ship_json, &ship, write_ship_json, err) < 0 ||
	    add(&s, f->plist, &ship, jt_table_write_plist, err) < 0 ||
	    add(&s, f->header, &ship, jt_table_write_header, err) < 0)
		jt_outset_abort(&s);
	else
		rc = jt_outset_commit(&s, err);
	jt_table_release(&ship);
	return rc;
}
