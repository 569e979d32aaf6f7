/*
 * check_emit.c - the emitter pins exact output for every format
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jetsam/core/emit.h"
#include "suite.h"

static const char *const cols[] = {"name", "bytes", "note"};

/* render - emit two fixed rows in fmt and return the text (free it). */
static char *
render(enum jt_format fmt, int nrows)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct jt_error err;
	struct jt_emitter *em;
	struct jt_cell r1[] = {jt_cell_str("iPhone12,1"), jt_cell_int(2048),
			       jt_cell_str("a \"quoted\", comma")};
	struct jt_cell r2[] = {jt_cell_str("x"), jt_cell_int(-5),
			       jt_cell_str("two\nlines")};

	jt_error_init(&err);
	ck_assert_ptr_nonnull(fp);
	em = jt_emitter_new(fp, fmt, cols, 3, &err);
	ck_assert_ptr_nonnull(em);
	if (nrows > 0)
		ck_assert_int_eq(jt_emitter_row(em, r1, &err), 0);
	if (nrows > 1)
		ck_assert_int_eq(jt_emitter_row(em, r2, &err), 0);
	ck_assert_int_eq(jt_emitter_end(em, &err), 0);
	jt_emitter_free(em);
	fclose(fp);
	return buf;
}

START_TEST(table_aligns_text_left_and_numbers_right)
{
	char *out = render(JT_FORMAT_TABLE, 2);

	ck_assert_str_eq(out,
			 "name        bytes  note\n"
			 "iPhone12,1   2048  a \"quoted\", comma\n"
			 "x              -5  two\nlines\n");
	free(out);
}
END_TEST

START_TEST(csv_quotes_commas_quotes_and_newlines_per_rfc4180)
{
	char *out = render(JT_FORMAT_CSV, 2);

	ck_assert_str_eq(out,
			 "name,bytes,note\r\n"
			 "\"iPhone12,1\",2048,\"a \"\"quoted\"\", comma\"\r\n"
			 "x,-5,\"two\nlines\"\r\n");
	free(out);
}
END_TEST

START_TEST(csv_quotes_the_comma_inside_a_product_type)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	static const char *const c1[] = {"product_type", "pad"};
	struct jt_cell row[] = {jt_cell_str("iPhone12,1"), jt_cell_str(" x")};
	struct jt_emitter *em = jt_emitter_new(fp, JT_FORMAT_CSV, c1, 2, NULL);

	ck_assert_int_eq(jt_emitter_row(em, row, NULL), 0);
	ck_assert_int_eq(jt_emitter_end(em, NULL), 0);
	jt_emitter_free(em);
	fclose(fp);
	ck_assert_str_eq(buf, "product_type,pad\r\n\"iPhone12,1\",\" x\"\r\n");
	free(buf);
}
END_TEST

START_TEST(json_is_an_array_of_objects_with_sorted_keys)
{
	char *out = render(JT_FORMAT_JSON, 2);

	ck_assert_str_eq(out,
			 "[\n"
			 "  {\n"
			 "    \"bytes\": 2048,\n"
			 "    \"name\": \"iPhone12,1\",\n"
			 "    \"note\": \"a \\\"quoted\\\", comma\"\n"
			 "  },\n"
			 "  {\n"
			 "    \"bytes\": -5,\n"
			 "    \"name\": \"x\",\n"
			 "    \"note\": \"two\\nlines\"\n"
			 "  }\n"
			 "]\n");
	free(out);
}
END_TEST

START_TEST(jsonl_writes_one_compact_sorted_object_per_line)
{
	char *out = render(JT_FORMAT_JSONL, 2);

	ck_assert_str_eq(
		out,
		"{\"bytes\":2048,\"name\":\"iPhone12,1\",\"note\":\"a "
		"\\\"quoted\\\", comma\"}\n"
		"{\"bytes\":-5,\"name\":\"x\",\"note\":\"two\\nlines\"}\n");
	free(out);
}
END_TEST

START_TEST(empty_output_is_still_well_formed)
{
	char *t = render(JT_FORMAT_TABLE, 0), *c = render(JT_FORMAT_CSV, 0);
	char *j = render(JT_FORMAT_JSON, 0), *l = render(JT_FORMAT_JSONL, 0);

	ck_assert_str_eq(t, "name  bytes  note\n");
	ck_assert_str_eq(c, "name,bytes,note\r\n");
	ck_assert_str_eq(j, "[]\n");
	ck_assert_str_eq(l, "");
	free(t);
	free(c);
	free(j);
	free(l);
}
END_TEST

START_TEST(null_bool_and_real_cells_render_in_every_format)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	static const char *const c3[] = {"a", "b", "c"};
	struct jt_cell row[] = {jt_cell_int_known(-1), jt_cell_bool(1),
				jt_cell_real(0.25)};
	struct jt_emitter *em =
		jt_emitter_new(fp, JT_FORMAT_JSONL, c3, 3, NULL);

	ck_assert_int_eq(jt_emitter_row(em, row, NULL), 0);
	ck_assert_int_eq(jt_emitter_end(em, NULL), 0);
	jt_emitter_free(em);
	fclose(fp);
	ck_assert_str_eq(buf, "{\"a\":null,\"b\":true,\"c\":0.25}\n");
	free(buf);
}
END_TEST

START_TEST(format_names_round_trip_and_unknown_is_a_usage_error)
{
	enum jt_format f;
	struct jt_error err;
	int i;

	for (i = JT_FORMAT_TABLE; i <= JT_FORMAT_JSONL; i++) {
		ck_assert_int_eq(
			jt_format_parse(jt_format_name((enum jt_format)i), &f,
					NULL),
			0);
		ck_assert_int_eq(f, i);
	}
	jt_error_init(&err);
	ck_assert_int_eq(jt_format_parse("xml", &f, &err), -1);
	ck_assert_int_eq(err.code, JT_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.text, "'xml'"));
}
END_TEST

static Suite *
emit_suite(void)
{
	Suite *s = suite_create("emit");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, table_aligns_text_left_and_numbers_right);
	tcase_add_test(tc, csv_quotes_commas_quotes_and_newlines_per_rfc4180);
	tcase_add_test(tc, csv_quotes_the_comma_inside_a_product_type);
	tcase_add_test(tc, json_is_an_array_of_objects_with_sorted_keys);
	tcase_add_test(tc, jsonl_writes_one_compact_sorted_object_per_line);
	tcase_add_test(tc, empty_output_is_still_well_formed);
	tcase_add_test(tc, null_bool_and_real_cells_render_in_every_format);
	tcase_add_test(tc,
		       format_names_round_trip_and_unknown_is_a_usage_error);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(emit_suite)
