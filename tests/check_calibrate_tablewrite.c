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
			 "'jetsamkit-threshold-table')");
	ck_assert_int_eq(load_edited("version", json_integer(2), 0, &err), -1);
	ck_assert_str_eq(err.text, "threshold table version is not 1");
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

START_TEST(the_plist_carries_the_same_entries)
{
	struct jt_table t;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	plist_t p = NULL, entries, e0, v;
	uint64_t u = 0;
	char *s = NULL;

	ck_assert_int_eq(jt_table_load(&t, GOLDEN, NULL), 0);
	ck_assert_int_eq(jt_table_write_plist(&t, fp, NULL), 0);
	fclose(fp);
	plist_from_xml(buf, (uint32_t)len, &p);
	ck_assert_ptr_nonnull(p);
	entries = plist_dict_get_item(p, "entries");
	ck_assert_uint_eq(plist_array_get_size(entries), t.nentries);
	e0 = plist_array_get_item(entries, 0);
	plist_get_uint_val(plist_dict_get_item(e0, "threshold_bytes"), &u);
	ck_assert_uint_eq(u, (uint64_t)t.entries[0].threshold_bytes);
	plist_get_string_val(plist_dict_get_item(e0, "rule"), &s);
	ck_assert_str_eq(s, jt_rule_name(t.entries[0].rule));
	/* A JSON null (Emulated1,1 has no marketing name) is left out. */
	ck_assert_ptr_null(plist_dict_get_item(e0, "model_name"));
	v = plist_dict_get_item(plist_dict_get_item(p, "lookup"), "fraction");
	ck_assert_ptr_nonnull(v);
	free(s);
	plist_free(p);
	free(buf);
	jt_table_release(&t);
}
END_TEST

START_TEST(the_c_header_escapes_every_string)
{
	struct jt_table t;
	struct jt_table_entry e;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	jt_table_init(&t);
	memset(&e, 0, sizeof(e));
	/* "??=" is a trigraph in C11: the header must not contain one. */
	e.model = "a\"b\\c?"
		  "?=\n\x01";
	e.os_version = "1.0";
	e.profile = "*/ app";
	e.ceiling_bytes = 100;
	e.threshold_bytes = 90;
	t.entries = &e;
	t.nentries = 1;
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

	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(
			jt_rule_parse(jt_rule_name((enum jt_rule)i), &r, NULL),
			0);
		ck_assert_int_eq(r, i);
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
	tcase_add_test(tc, the_plist_carries_the_same_entries);
	tcase_add_test(tc, the_c_header_escapes_every_string);
	tcase_add_test(tc, the_summary_has_one_row_per_entry_with_warnings);
	tcase_add_test(tc, the_diff_counts_changes_and_gates_on_percent);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(tablewrite_suite)
