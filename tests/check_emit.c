/*
 * check_emit.c - the emitter pins exact output for every format
 */
#include <stdint.h>
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
			 "x              -5  two\\nlines\n");
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

/* render_cols - one row through jt_emitter_open; the text (free it). */
static char *
render_cols(enum jt_format fmt, const struct jt_column *c, size_t n,
	    const struct jt_cell *row, unsigned options)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct jt_emitter *em;

	ck_assert_ptr_nonnull(fp);
	em = jt_emitter_open(fp, fmt, c, n, options, NULL);
	ck_assert_ptr_nonnull(em);
	if (row != NULL)
		ck_assert_int_eq(jt_emitter_row(em, row, NULL), 0);
	ck_assert_int_eq(jt_emitter_end(em, NULL), 0);
	jt_emitter_free(em);
	fclose(fp);
	return buf;
}

/* A process name as a hostile report could give it: an OSC sequence that
 * retitles an xterm (ESC ] 0 ; ... BEL), CR, LF, DEL, a C1 CSI (U+009B),
 * a right-to-left override (U+202E), a lone 0xff and a cut sequence. */
static const char hostile[] = "a\x1b]0;pwned\x07"
			      "b\rc\nd\x7f"
			      "e\xc2\x9b"
			      "f\xe2\x80\xae"
			      "g\xff"
			      "h\\\xe2\x82";

START_TEST(table_escapes_control_characters_and_invalid_utf8)
{
	static const struct jt_column c[] = {{"name", 0}, {"n", 0}};
	struct jt_cell row[] = {jt_cell_str(hostile), jt_cell_int(1)};
	char *out = render_cols(JT_FORMAT_TABLE, c, 2, row, 0);
	const char *want_cell = "a\\x1b]0;pwned\\x07b\\rc\\nd\\x7fe\\u009bf"
				"\\u202eg\\xffh\\\\\\xe2\\x82";
	char want[256];
	size_t i;

	snprintf(want, sizeof(want), "name%*s  n\n%s  1\n",
		 (int)(strlen(want_cell) - 4), "", want_cell);
	ck_assert_str_eq(out, want);
	/* Nothing a terminal acts on is left. */
	for (i = 0; out[i] != '\0'; i++)
		ck_assert_msg(((unsigned char)out[i] >= 0x20 &&
			       (unsigned char)out[i] != 0x7f) ||
				      out[i] == '\n',
			      "raw byte 0x%02x at %zu", (unsigned char)out[i],
			      i);
	free(out);
}
END_TEST

START_TEST(csv_keeps_hostile_text_exact)
{
	static const struct jt_column c[] = {{"name", 0}};
	struct jt_cell row[] = {jt_cell_str(hostile)};
	char *out = render_cols(JT_FORMAT_CSV, c, 1, row, 0);
	char want[256];

	/* Quoted for its CR and LF, every byte kept. */
	snprintf(want, sizeof(want), "name\r\n\"%s\"\r\n", hostile);
	ck_assert_str_eq(out, want);
	free(out);
}
END_TEST

START_TEST(json_escapes_controls_per_rfc8259_and_replaces_invalid_utf8)
{
	static const struct jt_column c[] = {{"name", 0}};
	struct jt_cell row[] = {jt_cell_str(hostile)};
	char *out = render_cols(JT_FORMAT_JSONL, c, 1, row, 0);
	json_error_t je;
	json_t *back;

	/* C0 controls escaped, DEL, C1 and U+202E valid as they are; the
	 * lone 0xff and the cut sequence become U+FFFD. */
	ck_assert_str_eq(out,
			 "{\"name\":\"a\\u001B]0;pwned\\u0007b\\rc\\nd\x7f"
			 "e\xc2\x9b"
			 "f\xe2\x80\xae"
			 "g\xef\xbf\xbd"
			 "h\\\\\xef\xbf\xbd\xef\xbf\xbd\"}\n");
	back = json_loads(out, 0, &je);
	ck_assert_ptr_nonnull(back);
	json_decref(back);
	free(out);
}
END_TEST

START_TEST(sizes_read_in_binary_units)
{
	static const struct {
		int64_t bytes;
		const char *text;
	} t[] = {
		{0, "0 B"},
		{1023, "1023 B"},
		{1024, "1.000 KiB"},
		{16384, "16.00 KiB"},
		{1048575, "1.000 MiB"},
		{536870912, "512.0 MiB"},
		{1610612736, "1.500 GiB"},
		{-12582912, "-12.00 MiB"},
		{2199912448, "2.049 GiB"},
		{102449152, "97.70 MiB"},
		{1073689395, "1023.9 MiB"},
		{1073689396, "1.000 GiB"},
		{INT64_MAX, "8.000 EiB"},
		{INT64_MIN, "-8.000 EiB"},
	};
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_str_eq(jt_size_text(t[i].bytes, 0, buf, sizeof(buf)),
				 t[i].text);
	ck_assert_str_eq(jt_size_text(67108864, 1, buf, sizeof(buf)),
			 "64.00 MiB/s");
}
END_TEST

START_TEST(tables_show_byte_columns_in_units_and_other_formats_keep_bytes)
{
	static const char *const names[] = {"model", "footprint_bytes",
					    "rate_bytes_per_s", "rpages"};
	struct jt_column c[4];
	struct jt_cell row[] = {jt_cell_str("iPhone12,1"),
				jt_cell_int(1610612736), jt_cell_int(67108864),
				jt_cell_int(98304)};
	char *t, *b, *csv;
	size_t i;

	for (i = 0; i < 4; i++) {
		c[i].name = names[i];
		c[i].flags = jt_column_flags_of(names[i]);
	}
	ck_assert_uint_eq(c[1].flags, JT_COLUMN_BYTES);
	ck_assert_uint_eq(c[2].flags, JT_COLUMN_BYTES_PER_S);
	ck_assert_uint_eq(c[3].flags, 0);
	ck_assert_uint_eq(jt_column_flags_of("bytes"), 0);
	t = render_cols(JT_FORMAT_TABLE, c, 4, row, 0);
	ck_assert_str_eq(t,
			 "model       footprint_bytes  rate_bytes_per_s  "
			 "rpages\n"
			 "iPhone12,1        1.500 GiB       64.00 MiB/s   "
			 "98304\n");
	b = render_cols(jt_format_exact_bytes(JT_FORMAT_TABLE), c, 4, row, 0);
	ck_assert_str_eq(b,
			 "model       footprint_bytes  rate_bytes_per_s  "
			 "rpages\n"
			 "iPhone12,1       1610612736          67108864   "
			 "98304\n");
	csv = render_cols(jt_format_exact_bytes(JT_FORMAT_CSV), c, 4, row, 0);
	ck_assert_str_eq(csv,
			 "model,footprint_bytes,rate_bytes_per_s,rpages"
			 "\r\n\"iPhone12,1\",1610612736,67108864,98304\r\n");
	free(t);
	free(b);
	free(csv);
}
END_TEST

START_TEST(detail_columns_show_in_wide_tables_and_always_in_csv)
{
	static const struct jt_column c[] = {
		{"name", 0}, {"warning", JT_COLUMN_DETAIL}, {"pid", 0}};
	struct jt_cell row[] = {jt_cell_str("x"), jt_cell_str("long text"),
				jt_cell_int(7)};
	char *narrow = render_cols(JT_FORMAT_TABLE, c, 3, row, 0);
	char *wide = render_cols(JT_FORMAT_TABLE, c, 3, row, JT_EMIT_WIDE);
	char *csv = render_cols(JT_FORMAT_CSV, c, 3, row, 0);

	ck_assert_str_eq(narrow, "name  pid\nx       7\n");
	ck_assert_str_eq(wide, "name  warning    pid\nx     long text    7\n");
	ck_assert_str_eq(csv, "name,warning,pid\r\nx,long text,7\r\n");
	free(narrow);
	free(wide);
	free(csv);
}
END_TEST

START_TEST(table_aligns_by_characters_not_bytes)
{
	static const struct jt_column c[] = {{"name", 0}, {"pid", 0}};
	struct jt_cell r1[] = {jt_cell_str("K\xc3\xa4se"), jt_cell_int(1)};
	char *out = render_cols(JT_FORMAT_TABLE, c, 2, r1, 0);

	ck_assert_str_eq(out, "name  pid\nK\xc3\xa4se    1\n");
	free(out);
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
	tcase_add_test(tc, table_escapes_control_characters_and_invalid_utf8);
	tcase_add_test(tc, csv_keeps_hostile_text_exact);
	tcase_add_test(
		tc,
		json_escapes_controls_per_rfc8259_and_replaces_invalid_utf8);
	tcase_add_test(tc, sizes_read_in_binary_units);
	tcase_add_test(
		tc,
		tables_show_byte_columns_in_units_and_other_formats_keep_bytes);
	tcase_add_test(tc,
		       detail_columns_show_in_wide_tables_and_always_in_csv);
	tcase_add_test(tc, table_aligns_by_characters_not_bytes);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(emit_suite)
