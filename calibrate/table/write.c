/*
 * write.c - plist, C header and summary writers for the threshold table
 *
 * The plist is made from the JSON form, key by key in sorted order, so the
 * two cannot disagree and libplist's output is stable.  The header is
 * plain C with no dependency: an SDK drops it in and calls
 * jetsam_threshold_lookup() with the live limit (phys_footprint +
 * os_proc_available_memory()).
 */
#include "write.h"

#include <stdlib.h>
#include <string.h>

#include <plist/plist.h>

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

int
jt_table_write_plist(const struct jt_table *t, FILE *out, struct jt_error *err)
{
	json_t *j = jt_table_to_json(t, err);
	plist_t p;
	char *xml = NULL;
	uint32_t len = 0;
	int rc = 0;

	if (j == NULL)
		return -1;
	p = json_to_plist(j);
	json_decref(j);
	if (p == NULL)
		return jt_error_oom(err, NULL);
	plist_to_xml(p, &xml, &len);
	plist_free(p);
	if (xml == NULL)
		return jt_error_oom(err, NULL);
	if (fwrite(xml, 1, len, out) != len)
		rc = jt_error_set_in(err, JT_EIO, NULL,
				     "cannot write the plist");
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

/* The lookup, translated from jt_table_lookup() in table.c. */
static const char lookup_src[] =
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
	"/*\n"
	" * jetsam_threshold_lookup - the danger threshold in bytes for this\n"
	" * device, and in *source (may be NULL) where it came from:\n"
	" *  1. measured: the entry for (model, os_version, profile);\n"
	" *  2. carried-over: same model and profile, the newest measured OS\n"
	" *     not newer than os_version, else the oldest newer one;\n"
	" *  3. runtime-rule: live_limit_bytes - growth of the RAM class whose\n"
	" *     ram_bytes is nearest to ram_bytes (ties: the smaller class),\n"
	" *     when ram_bytes > 0 and the result is positive;\n"
	" *  4. fraction: JETSAM_FRACTION x live_limit_bytes (at least 1).\n"
	" * live_limit_bytes = phys_footprint + os_proc_available_memory();\n"
	" * pass -1 when unknown: steps 3-4 then return -1 (source still set).\n"
	" */\n"
	"static inline int64_t\n"
	"jetsam_threshold_lookup(const char *model, const char *os_version,\n"
	"\t\t\tconst char *profile, int64_t ram_bytes,\n"
	"\t\t\tint64_t live_limit_bytes, enum jetsam_source *source)\n"
	"{\n"
	"\tconst struct jetsam_threshold *below = 0, *above = 0;\n"
	"\tconst struct jetsam_ram_class *cls = 0;\n"
	"\tenum jetsam_source src;\n"
	"\tint64_t t = -1;\n"
	"\tsize_t i;\n"
	"\n"
	"\tif (source == 0)\n"
	"\t\tsource = &src;\n"
	"\tfor (i = 0; i < JETSAM_NTHRESHOLDS; i++) {\n"
	"\t\tconst struct jetsam_threshold *e = &jetsam_thresholds[i];\n"
	"\n"
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
	"\tfor (i = 0; ram_bytes > 0 && i < JETSAM_NRAM_CLASSES; i++) {\n"
	"\t\tconst struct jetsam_ram_class *c = &jetsam_ram_classes[i];\n"
	"\t\tint64_t d = c->ram_bytes - ram_bytes, best;\n"
	"\n"
	"\t\tif (d < 0)\n"
	"\t\t\td = -d;\n"
	"\t\tif (cls == 0) {\n"
	"\t\t\tcls = c;\n"
	"\t\t\tcontinue;\n"
	"\t\t}\n"
	"\t\tbest = cls->ram_bytes - ram_bytes;\n"
	"\t\tif (best < 0)\n"
	"\t\t\tbest = -best;\n"
	"\t\tif (d < best || (d == best && c->ram_bytes < cls->ram_bytes))\n"
	"\t\t\tcls = c;\n"
	"\t}\n"
	"\tif (cls != 0 && (live_limit_bytes <= 0 ||\n"
	"\t\t\t   live_limit_bytes - cls->growth_bytes > 0)) {\n"
	"\t\t*source = JETSAM_SOURCE_RUNTIME_RULE;\n"
	"\t\treturn live_limit_bytes > 0 ? live_limit_bytes - cls->growth_bytes\n"
	"\t\t\t\t\t     : -1;\n"
	"\t}\n"
	"\t*source = JETSAM_SOURCE_FRACTION;\n"
	"\tif (live_limit_bytes > 0) {\n"
	"\t\tt = (int64_t)((double)live_limit_bytes * JETSAM_FRACTION);\n"
	"\t\tif (t <= 0)\n"
	"\t\t\tt = 1;\n"
	"\t}\n"
	"\treturn t;\n"
	"}\n";

int
jt_table_write_header(const struct jt_table *t, FILE *out, struct jt_error *err)
{
	size_t i;

	fputs("/*\n"
	      " * jetsam_thresholds.h - per-model danger thresholds\n"
	      " *\n"
	      " * Generated by jetsam-calibrate from a threshold table "
	      "(schema\n"
	      " * jetsamkit-threshold-table 1): do not edit.  Compare the "
	      "app's\n"
	      " * phys_footprint with jetsam_threshold_lookup(); see its "
	      "comment\n"
	      " * for the fallback order, which every table output shares.\n"
	      " */\n"
	      "#ifndef JETSAM_THRESHOLDS_H\n"
	      "#define JETSAM_THRESHOLDS_H\n\n"
	      "#include <stddef.h>\n#include <stdint.h>\n#include <string.h>\n\n",
	      out);
	fputs("#define JETSAM_TABLE_TOOL_VERSION ", out);
	c_string(out, t->tool_version ? t->tool_version : "");
	fputs("\n#define JETSAM_TABLE_RELEASE ", out);
	c_string(out, t->release ? t->release : "");
	fputs("\n#define JETSAM_TABLE_STATISTIC ", out);
	c_string(out, t->statistic ? t->statistic : "");
	fprintf(out, "\n#define JETSAM_FRACTION %.17g\n", t->fraction);
	fprintf(out, "#define JETSAM_NTHRESHOLDS %zu\n", t->nentries);
	fprintf(out, "#define JETSAM_NRAM_CLASSES %zu\n\n", t->nclasses);
	fputs("enum jetsam_source {\n"
	      "\tJETSAM_SOURCE_MEASURED,\n"
	      "\tJETSAM_SOURCE_CARRIED_OVER,\n"
	      "\tJETSAM_SOURCE_RUNTIME_RULE,\n"
	      "\tJETSAM_SOURCE_FRACTION\n"
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
	      "struct jetsam_ram_class {\n"
	      "\tint64_t ram_bytes;\n"
	      "\tint64_t growth_bytes;\n"
	      "};\n\n",
	      out);
	/* A sentinel keeps the arrays non-empty, which C requires. */
	fputs("static const struct jetsam_threshold jetsam_thresholds[] = {\n",
	      out);
	for (i = 0; i < t->nentries; i++) {
		const struct jt_table_entry *e = &t->entries[i];

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
	fputs("static const struct jetsam_ram_class jetsam_ram_classes[] = {\n",
	      out);
	for (i = 0; i < t->nclasses; i++)
		fprintf(out, "\t{%lldLL, %lldLL},\n",
			(long long)t->classes[i].ram_bytes,
			(long long)t->classes[i].growth_bytes);
	fputs("\t{0, 0}\n};\n\n", out);
	fputs(lookup_src, out);
	fputs("\n#endif /* JETSAM_THRESHOLDS_H */\n", out);
	if (ferror(out))
		return jt_error_set_in(err, JT_EIO, NULL,
				       "cannot write the C header");
	return 0;
}

/* ---- summary ------------------------------------------------------------- */

const char *
jt_table_warnings(const struct jt_table_entry *e, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", e->disagree ? "disagree " : "",
		 e->growth_bytes < 0 ? "no-field-growth " : "",
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
	if (rc == 0)
		rc = jt_emitter_end(em, err);
	jt_emitter_free(em);
	return rc;
}
