/*
 * check_calibrate_tablewrite.c - the threshold table's JSON form (round
 * trip, strict reading), atomic saving, the plist, the C header's escaping,
 * the summary and the diff
 *
 * Runs from the repository root (tests/run.sh does), reading the golden
 * table tests/golden/calibrate/table.json.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <plist/plist.h>

#include "calibrate/table/diff.h"
#include "jetsam/core/fileio.h"
#include "suite.h"
#include "calibrate/table/table.h"
#include "calibrate/table/write.h"

#define GOLDEN "tests/golden/calibrate/table.json"

static char *
slurp(const char *path, size_t *len)
{
	char *buf;
	size_t n;

	ck_assert_int_eq(jt_read_file(path, 1 << 24, &buf, &n, NULL), 0);
	if (len != NULL)
		*len = n;
	return buf;
}

/* render - what fn writes for t, as a new string. */
static char *
render_json(const struct jt_table *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	json_t *j = jt_table_to_json(t, NULL);

	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(jt_json_dump(fp, j, 1, NULL), 0);
	json_decref(j);
	fclose(fp);
	return buf;
}

START_TEST(a_table_reads_back_to_the_same_bytes)
{
	struct jt_table t;
	struct jt_error err;
	char *want = slurp(GOLDEN, NULL), *got;

	jt_error_init(&err);
	ck_assert_int_eq(jt_table_load(&t, GOLDEN, &err), 0);
	ck_assert_uint_eq(t.nentries, 7);
	got = render_json(&t);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	jt_table_release(&t);
}
END_TEST

/* load_edit - the golden table with one edit made by jq-like code. */
static int
load_edited(const char *key, json_t *value, int in_entry, struct jt_error *err)
{
	json_error_t je;
	json_t *o = json_load_file(GOLDEN, 0, &je);
	struct jt_table t;
	int rc;

	ck_assert_ptr_nonnull(o);
	if (in_entry)
		json_object_set_new(
			json_array_get(json_object_get(o, "entries"), 0), key,
			value);
	else
		json_object_set_new(o, key, value);
	jt_error_init(err);
	rc = jt_table_from_json(&t, o, "t.json", err);
	if (rc == 0)
		jt_table_release(&t);
	json_decref(o);
	return rc;
}

START_TEST(reading_is_strict_about_schema_version_and_types)
{
	struct jt_error err;

	ck_assert_int_eq(load_edited("schema", json_string("other"), 0, &err),
			 -1);
	ck_assert_str_eq(err.text,
			 "not a threshold table (schema is not "
			 "'jetsamkit-threshold-table' or "
			 "'jetsamkit-ship-table')");
	ck_assert_int_eq(load_edited("version", json_integer(3), 0, &err), -1);
	ck_assert_str_eq(err.text, "threshold table version is not 1 to 2");
	/* A version 1 table (before field-only models) is still read. */
	ck_assert_int_eq(load_edited("version", json_integer(1), 0, &err), 0);
	ck_assert_int_eq(
		load_edited("model", json_string("a\x1b]0;x\x07"), 1, &err),
		-1);
	ck_assert_str_eq(err.text,
			 "threshold table entries[0] model name "
			 "'a\\x1b]0;x\\x07' holds the control character "
			 "U+001B");
	ck_assert_int_eq(
		load_edited("ceiling_bytes", json_string("2G"), 1, &err), -1);
	ck_assert_str_eq(err.text,
			 "threshold table entries[0] "
			 "'ceiling_bytes' should be a non-negative "
			 "integer");
	ck_assert_int_eq(load_edited("rule", json_string("guess"), 1, &err),
			 -1);
	ck_assert_str_eq(err.text,
			 "threshold table entries[0] 'rule' should "
			 "be a known rule name");
	ck_assert_int_eq(
		load_edited("threshold_bytes", json_integer(67108865), 1, &err),
		-1);
	ck_assert_str_eq(err.text,
			 "threshold table entries[0] "
			 "'threshold_bytes' should be in (0, "
			 "ceiling_bytes]");
	ck_assert_int_eq(load_edited("entries", json_object(), 0, &err), -1);
	ck_assert_str_eq(err.text,
			 "threshold table 'entries' should be an array");
	ck_assert_int_eq(load_edited("unknown_new_key", json_true(), 0, &err),
			 0);
}
END_TEST

START_TEST(a_table_that_is_not_json_is_a_parse_error_with_position)
{
	char path[] = "/tmp/jt_tableXXXXXX";
	int fd = mkstemp(path);
	struct jt_table t;
	struct jt_error err;

	ck_assert_int_eq(write(fd, "{\n  \"schema\": ,\n}", 17), 17);
	close(fd);
	jt_error_init(&err);
	ck_assert_int_eq(jt_table_load(&t, path, &err), -1);
	ck_assert_int_eq(err.code, JT_EPARSE);
	ck_assert_int_eq(err.line, 2);
	unlink(path);
}
END_TEST

START_TEST(saving_is_atomic_and_a_failed_save_leaves_nothing)
{
	char dir[] = "/tmp/jt_saveXXXXXX", path[64], bad[80];
	struct jt_table t;
	struct jt_error err;
	char *a, *b;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.json", dir);
	snprintf(bad, sizeof(bad), "%s/missing/t.json", dir);
	jt_error_init(&err);
	ck_assert_int_eq(jt_table_load(&t, GOLDEN, &err), 0);
	ck_assert_int_eq(jt_table_save(&t, path, &err), 0);
	a = slurp(path, NULL);
	b = slurp(GOLDEN, NULL);
	ck_assert_str_eq(a, b);
	ck_assert_int_eq(jt_table_save(&t, bad, &err), -1);
	ck_assert_int_eq(err.code, JT_EIO);
	ck_assert_int_eq(access(bad, F_OK), -1);
	free(a);
	free(b);
	jt_table_release(&t);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* plist_of - the ship table of the golden table as a plist (libplist's
 * own reader over what the writer wrote). */
static plist_t
plist_of(const struct jt_table *ship)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	plist_t p = NULL;

	ck_assert_int_eq(jt_table_write_plist(ship, fp, NULL), 0);
	fclose(fp);
	plist_from_xml(buf, (uint32_t)len, &p);
	ck_assert_ptr_nonnull(p);
	free(buf);
	return p;
}

/* one_entry - t holding only e: model on OS 1.0, ceiling 100, threshold
 * 90, made by hand (no name check). */
static void
one_entry(struct jt_table *t, struct jt_table_entry *e, const char *model,
	  const char *profile)
{
	jt_table_init(t);
	memset(e, 0, sizeof(*e));
	e->model = (char *)model;
	e->os_version = "1.0";
	e->profile = (char *)profile;
	e->known_model = 1;
	e->ceiling_bytes = 100;
	e->threshold_bytes = 90;
	t->entries = e;
	t->nentries = 1;
}

START_TEST(the_plist_is_a_dictionary_keyed_model_os_profile)
{
	struct jt_table t, ship;
	plist_t p, e, v;
	uint64_t u = 0;
	char *s = NULL;
	size_t i;

	ck_assert_int_eq(jt_table_load(&t, GOLDEN, NULL), 0);
	ck_assert_int_eq(jt_table_ship(&t, 0, &ship, NULL), 0);
	p = plist_of(&ship);
	/* Every known entry is one O(1) look-up away. */
	for (i = 0; i < t.nentries; i++) {
		const struct jt_table_entry *x = &t.entries[i];

		e = plist_dict_get_item(
			plist_dict_get_item(
				plist_dict_get_item(
					plist_dict_get_item(p, "thresholds"),
					x->model),
				x->os_version),
			x->profile);
		if (!x->known_model) {
			ck_assert_ptr_null(e); /* Emulated1,1: left out */
			continue;
		}
		ck_assert_ptr_nonnull(e);
		plist_get_uint_val(plist_dict_get_item(e, "threshold_bytes"),
				   &u);
		ck_assert_uint_eq(u, (uint64_t)x->threshold_bytes);
		plist_get_string_val(plist_dict_get_item(e, "rule"), &s);
		ck_assert_str_eq(s, jt_rule_name(x->rule));
		free(s);
		s = NULL;
	}
	ck_assert_ptr_nonnull(plist_dict_get_item(p, "fraction"));
	plist_get_string_val(plist_dict_get_item(p, "schema"), &s);
	ck_assert_str_eq(s, JT_SHIP_SCHEMA);
	free(s);
	/* Nothing of the audit: no evidence, inputs or hashes. */
	ck_assert_ptr_null(plist_dict_get_item(p, "inputs"));
	ck_assert_ptr_null(plist_dict_get_item(p, "excluded"));
	v = plist_dict_get_item(p, "ram_classes");
	ck_assert_uint_eq(plist_array_get_size(v), t.nclasses);
	ck_assert_ptr_null(
		plist_dict_get_item(plist_array_get_item(v, 0), "models"));
	plist_free(p);
	jt_table_release(&ship);
	jt_table_release(&t);
}
END_TEST

START_TEST(ship_outputs_keep_unknown_models_only_when_asked)
{
	struct jt_table t, ship, back;
	json_t *j;
	char *a, *b;

	ck_assert_int_eq(jt_table_load(&t, GOLDEN, NULL), 0);
	ck_assert_int_eq(jt_table_ship(&t, 0, &ship, NULL), 0);
	ck_assert_uint_eq(ship.nentries, t.nentries - 1);
	jt_table_release(&ship);
	ck_assert_int_eq(jt_table_ship(&t, 1, &ship, NULL), 0);
	ck_assert_uint_eq(ship.nentries, t.nentries);
	/* The ship JSON reads back to the same bytes, and refuses to be
	 * written as an audit table (it has no evidence). */
	j = jt_table_to_ship_json(&ship, NULL);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(jt_table_from_json(&back, j, "ship.json", NULL), 0);
	ck_assert_int_eq(back.ship, 1);
	ck_assert_ptr_null(jt_table_to_json(&back, NULL));
	a = json_dumps(j, JSON_SORT_KEYS);
	json_decref(j);
	j = jt_table_to_ship_json(&back, NULL);
	b = json_dumps(j, JSON_SORT_KEYS);
	ck_assert_str_eq(a, b);
	ck_assert_ptr_null(strstr(a, "sha256"));
	ck_assert_ptr_null(strstr(a, "run.json"));
	free(a);
	free(b);
	json_decref(j);
	jt_table_release(&back);
	jt_table_release(&ship);
	jt_table_release(&t);
}
END_TEST

START_TEST(the_plist_refuses_what_xml_forbids_and_names_must_be_clean)
{
	struct jt_table t;
	struct jt_table_entry e;
	struct jt_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	/* A table made by hand around the name check: the writer refuses
	 * rather than write a plist no XML parser loads. */
	one_entry(&t, &e, "iPhone\x1b[2J", "app");
	t.ship = 1;
	jt_error_init(&err);
	ck_assert_int_eq(jt_table_write_plist(&t, fp, &err), -1);
	ck_assert_str_eq(err.text,
			 "cannot write a plist: key 'iPhone\\x1b[2J' holds "
			 "U+001B, which XML 1.0 forbids");
	fclose(fp);
	free(buf);
	/* The names a table may hold. */
	jt_error_init(&err);
	ck_assert_int_eq(
		jt_table_name_check("model", "iPhone12,1", 64, NULL, 0, &err),
		0);
	ck_assert_int_eq(
		jt_table_name_check("model", "x\x7f", 64, "r.json", 0, &err),
		-1);
	ck_assert_str_eq(err.source, "r.json");
	ck_assert_str_eq(err.text,
			 "model name 'x\\x7f' holds the control "
			 "character U+007F");
	jt_error_init(&err);
	ck_assert_int_eq(jt_table_name_check("os_version", "\xc3\x28", 32, NULL,
					     0, &err),
			 -1);
	ck_assert_str_eq(err.text,
			 "os_version name '\\xc3(' is not valid UTF-8");
	jt_error_init(&err);
	ck_assert_int_eq(jt_table_name_check("profile", "", 8, NULL, 0, &err),
			 -1);
	ck_assert_str_eq(err.text, "empty profile name");
	jt_error_init(&err);
	ck_assert_int_eq(
		jt_table_name_check("model", "123456789", 8, NULL, 0, &err),
		-1);
	ck_assert_str_eq(err.text,
			 "model name '123456789' is 9 bytes, over "
			 "the limit of 8");
	/* Non-ASCII letters are fine. */
	ck_assert_int_eq(jt_table_name_check("profile",
					     "extension:\xc3\xa9t\xc3\xa9", 64,
					     NULL, 0, NULL),
			 0);
}
END_TEST

START_TEST(the_c_header_escapes_every_string)
{
	struct jt_table t;
	struct jt_table_entry e;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	/* "??=" is a trigraph in C11: the header must not contain one. */
	one_entry(&t, &e,
		  "a\"b\\c?"
		  "?=\n\x01",
		  "*/ app");
	t.release = "r\"1";
	ck_assert_int_eq(jt_table_write_header(&t, fp, NULL), 0);
	fclose(fp);
	ck_assert_ptr_nonnull(
		strstr(buf,
		       "{\"a\\\"b\\\\c\\?\\?=\\012\\001\", \"1.0\", "
		       "\"*/ app\", 100LL, 90LL, \"ceiling-minus-growth\", "
		       "0},"));
	ck_assert_ptr_nonnull(
		strstr(buf, "#define JETSAM_TABLE_RELEASE \"r\\\"1\""));
	free(buf);
}
END_TEST

START_TEST(the_summary_has_one_row_per_entry_with_warnings)
{
	struct jt_table t;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_int_eq(jt_table_load(&t, GOLDEN, NULL), 0);
	ck_assert_int_eq(jt_table_summary(&t, fp, JT_FORMAT_CSV, NULL), 0);
	fclose(fp);
	ck_assert_ptr_nonnull(
		strstr(buf,
		       "Emulated1,1\",15.0,app,,67108864,83886080,,43620761,"
		       "fraction-of-ceiling,1,6291456,disagree no-headroom "
		       "unknown-model\r\n"));
	free(buf);
	jt_table_release(&t);
}
END_TEST

START_TEST(the_diff_counts_changes_and_gates_on_percent)
{
	struct jt_table a, b;
	struct jt_diff_stats st;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_int_eq(jt_table_load(&a, GOLDEN, NULL), 0);
	ck_assert_int_eq(jt_table_load(&b, GOLDEN, NULL), 0);
	/* Move entry 1 by -10 %, change entry 2's rule only, drop the last
	 * entry from b and rename entry 3 (removed + added). */
	b.entries[1].threshold_bytes -= a.entries[1].threshold_bytes / 10;
	b.entries[2].rule = JT_RULE_BASELINE_FLOOR;
	free(b.entries[3].os_version);
	b.entries[3].os_version = strdup("14.3");
	b.nentries--;
	ck_assert_int_eq(jt_table_diff(&a, &b, fp, JT_FORMAT_CSV, 5, &st, NULL),
			 0);
	fclose(fp);
	ck_assert_int_eq(st.changed, 1);
	ck_assert_int_eq(st.rule_changed, 1);
	ck_assert_int_eq(st.removed, 2);
	ck_assert_int_eq(st.added, 1);
	ck_assert_int_eq(st.over, 1);
	/* iPhone14,7 (the last entry) is gone altogether; no new model. */
	ck_assert_int_eq(st.models_removed, 1);
	ck_assert_int_eq(st.models_added, 0);
	ck_assert_double_eq_tol(st.max_abs_pct, 10.0, 0.01);
	ck_assert_ptr_nonnull(strstr(buf,
				     "changed,\"iPhone10,3\",12.1,app,"
				     "1887436800,1698693120,-188743680,"
				     "-10,ceiling-cap,ceiling-cap\r\n"));
	ck_assert_ptr_nonnull(strstr(buf, "rule-changed,\"iPhone12,1\",13.7"));
	b.nentries++; /* so that release frees the dropped entry */
	free(buf);
	jt_table_release(&a);
	jt_table_release(&b);
}
END_TEST

START_TEST(rule_and_source_names_round_trip_and_unknown_ones_fail)
{
	enum jt_rule r;
	enum jt_source src;
	struct jt_error err;
	int i;

	for (i = 0; i < JT_NSOURCES; i++) {
		if (i < 4) {
			ck_assert_int_eq(
				jt_rule_parse(jt_rule_name((enum jt_rule)i), &r,
					      NULL),
				0);
			ck_assert_int_eq(r, i);
		}
		ck_assert_int_eq(
			jt_source_parse(jt_source_name((enum jt_source)i), &src,
					NULL),
			0);
		ck_assert_int_eq(src, i);
	}
	jt_error_init(&err);
	ck_assert_int_eq(jt_source_parse("guess", &src, &err), -1);
	ck_assert_str_eq(err.text, "unknown lookup source 'guess'");
	jt_error_init(&err);
	ck_assert_int_eq(jt_rule_parse(NULL, &r, &err), -1);
	ck_assert_int_eq(err.code, JT_EPARSE);
}
END_TEST

static Suite *
tablewrite_suite(void)
{
	Suite *s = suite_create("calibrate_tablewrite");
	TCase *tc = tcase_create("json");

	tcase_add_test(tc, a_table_reads_back_to_the_same_bytes);
	tcase_add_test(tc, reading_is_strict_about_schema_version_and_types);
	tcase_add_test(tc,
		       a_table_that_is_not_json_is_a_parse_error_with_position);
	tcase_add_test(tc, saving_is_atomic_and_a_failed_save_leaves_nothing);
	tcase_add_test(tc,
		       rule_and_source_names_round_trip_and_unknown_ones_fail);
	suite_add_tcase(s, tc);
	tc = tcase_create("writers");
	tcase_add_test(tc, the_plist_is_a_dictionary_keyed_model_os_profile);
	tcase_add_test(tc, ship_outputs_keep_unknown_models_only_when_asked);
	tcase_add_test(
		tc, the_plist_refuses_what_xml_forbids_and_names_must_be_clean);
	tcase_add_test(tc, the_c_header_escapes_every_string);
	tcase_add_test(tc, the_summary_has_one_row_per_entry_with_warnings);
	tcase_add_test(tc, the_diff_counts_changes_and_gates_on_percent);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(tablewrite_suite)
