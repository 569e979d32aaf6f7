/*
 * check_csv.c - the RFC 4180 reader: quoting, line ends, positions, errors,
 * the byte-order mark, lines mode and the input hook
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jetsam/core/csv.h"
#include "suite.h"

START_TEST(plain_records_split_on_commas_and_keep_line_numbers)
{
	const char *in = "a,b,c\n1,2,3\n\n4,,6\n";
	struct jt_csv *r = jt_csv_open_mem(in, strlen(in), "t.csv", NULL);
	char **f;
	size_t n;

	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), 1);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(f[2], "c");
	ck_assert_int_eq(jt_csv_line(r), 1);
	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), 1);
	ck_assert_str_eq(f[0], "1");
	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), 1);
	ck_assert_int_eq(jt_csv_line(r), 4); /* the blank line is skipped */
	ck_assert_str_eq(f[1], "");
	ck_assert_str_eq(f[2], "6");
	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), 0);
	jt_csv_close(r);
}
END_TEST

START_TEST(quoted_fields_hold_commas_quotes_and_line_breaks)
{
	const char *in =
		"\"iPhone12,1\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n"
		"x,y,z";
	struct jt_csv *r = jt_csv_open_mem(in, strlen(in), "t.csv", NULL);
	char **f;
	size_t n;

	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), 1);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(f[0], "iPhone12,1");
	ck_assert_str_eq(f[1], "say \"hi\"");
	ck_assert_str_eq(f[2], "two\r\nlines");
	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), 1);
	ck_assert_int_eq(jt_csv_line(r), 3);
	ck_assert_str_eq(f[2], "z"); /* no final newline */
	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), 0);
	jt_csv_close(r);
}
END_TEST

START_TEST(unclosed_quote_is_a_parse_error_at_the_opening_quote)
{
	const char *in = "a,b\n1,\"open\n";
	struct jt_csv *r = jt_csv_open_mem(in, strlen(in), "t.csv", NULL);
	struct jt_error err;
	char **f;
	size_t n;

	jt_error_init(&err);
	ck_assert_int_eq(jt_csv_next(r, &f, &n, &err), 1);
	ck_assert_int_eq(jt_csv_next(r, &f, &n, &err), -1);
	ck_assert_int_eq(err.code, JT_EPARSE);
	ck_assert_str_eq(err.source, "t.csv");
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.column, 3);
	jt_csv_close(r);
}
END_TEST

START_TEST(stray_quote_in_an_unquoted_field_is_a_parse_error)
{
	const char *in = "ab\"c,d\n";
	struct jt_csv *r = jt_csv_open_mem(in, strlen(in), "t.csv", NULL);
	struct jt_error err;
	char **f;
	size_t n;

	jt_error_init(&err);
	ck_assert_int_eq(jt_csv_next(r, &f, &n, &err), -1);
	ck_assert_int_eq(err.code, JT_EPARSE);
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(err.column, 3);
	jt_csv_close(r);
}
END_TEST

START_TEST(missing_file_is_an_io_error_naming_it)
{
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_ptr_null(jt_csv_open("/nonexistent/x.csv", &err));
	ck_assert_int_eq(err.code, JT_EIO);
	ck_assert_str_eq(err.source, "/nonexistent/x.csv");
}
END_TEST

START_TEST(records_spanning_read_blocks_come_back_whole)
{
	char path[] = "/tmp/jt-csv-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");
	struct jt_csv *r;
	char **f;
	size_t n;
	long i, rows = 0;

	/* ~2 MB: many 256 KiB block boundaries fall inside records. */
	for (i = 0; i < 100000; i++)
		fprintf(fp, "\"iPhone%ld,1\",%ld,\"q\"\"%ld\"\n", i % 17, i, i);
	fclose(fp);
	r = jt_csv_open(path, NULL);
	ck_assert_ptr_nonnull(r);
	while (jt_csv_next(r, &f, &n, NULL) == 1) {
		char want[64];

		ck_assert_uint_eq(n, 3);
		snprintf(want, sizeof(want), "%ld", rows);
		ck_assert_str_eq(f[1], want);
		snprintf(want, sizeof(want), "q\"%ld", rows);
		ck_assert_str_eq(f[2], want);
		ck_assert_int_eq(jt_csv_line(r), rows + 1);
		rows++;
	}
	ck_assert_int_eq(rows, 100000);
	jt_csv_close(r);
	unlink(path);
}
END_TEST

START_TEST(text_after_a_closing_quote_is_an_error_with_position)
{
	/* "104"8576 once became 1048576, silently. */
	static const struct {
		const char *in;
		long line, column;
	} cases[] = {
		{"a,\"104\"8576\n", 1, 8},
		{"x\n\"x\"feed,1\n", 2, 4},
		{"a,\"two\nlines\" ,b\n", 2, 7}, /* a blank counts too */
		{"\"a\"\"b\"c\n", 1, 7},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct jt_csv *r = jt_csv_open_mem(
			cases[i].in, strlen(cases[i].in), "t.csv", NULL);
		struct jt_error err;
		char **f;
		size_t n;
		int rc;

		jt_error_init(&err);
		while ((rc = jt_csv_next(r, &f, &n, &err)) == 1)
			;
		ck_assert_int_eq(rc, -1);
		ck_assert_int_eq(err.code, JT_EPARSE);
		ck_assert_int_eq(err.line, cases[i].line);
		ck_assert_int_eq(err.column, cases[i].column);
		ck_assert_ptr_nonnull(
			strstr(err.text, "after the closing quote"));
		jt_csv_close(r);
	}
}
END_TEST

START_TEST(a_byte_order_mark_at_the_start_is_skipped_and_only_there)
{
	const char *in = "\xef\xbb\xbf"
			 "a,b\n\xef\xbb\xbf"
			 "c,d\n";
	struct jt_csv *r = jt_csv_open_mem(in, strlen(in), "t.csv", NULL);
	const char *peek;
	char **f;
	size_t n;

	ck_assert_int_eq(jt_csv_peek_line(r, &peek, &n, NULL), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(memcmp(peek, "a,b", 3), 0);
	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), 1);
	ck_assert_str_eq(f[0], "a");
	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), 1);
	ck_assert_str_eq(f[0],
			 "\xef\xbb\xbf"
			 "c");
	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), 0);
	jt_csv_close(r);
}
END_TEST

START_TEST(lengths_count_nul_bytes_a_field_holds)
{
	static const char in[] = "a\0b,\"q\0\"\"\",c\n";
	struct jt_csv *r = jt_csv_open_mem(in, sizeof(in) - 1, "t.csv", NULL);
	char **f;
	size_t n;

	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), 1);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(jt_csv_lengths(r)[0], 3);
	ck_assert_uint_eq(jt_csv_lengths(r)[1], 3); /* q, NUL, quote */
	ck_assert_int_eq(memcmp(f[1], "q\0\"", 4), 0);
	ck_assert_uint_eq(jt_csv_lengths(r)[2], 1);
	jt_csv_close(r);
}
END_TEST

START_TEST(lines_mode_hands_out_raw_lines_with_their_numbers)
{
	const char *in = "\xef\xbb\xbf  \n{\"a\":1}\r\n\n\"x,y\"";
	struct jt_csv *r = jt_csv_open_mem(in, strlen(in), "t.jsonl", NULL);
	const char *peek;
	char *line;
	size_t len;

	/* The first line that is not blank, without its CR, not taken. */
	ck_assert_int_eq(jt_csv_peek_line(r, &peek, &len, NULL), 0);
	ck_assert_uint_eq(len, 7);
	ck_assert_int_eq(memcmp(peek, "{\"a\":1}", 7), 0);
	ck_assert_int_eq(jt_csv_next_line(r, &line, &len, NULL), 1);
	ck_assert_str_eq(line, "  ");
	ck_assert_int_eq(jt_csv_next_line(r, &line, &len, NULL), 1);
	ck_assert_str_eq(line, "{\"a\":1}\r"); /* CR is the caller's */
	ck_assert_int_eq(jt_csv_line(r), 2);
	ck_assert_int_eq(jt_csv_next_line(r, &line, &len, NULL), 1);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(jt_csv_next_line(r, &line, &len, NULL), 1);
	ck_assert_str_eq(line, "\"x,y\""); /* no final line break */
	ck_assert_int_eq(jt_csv_line(r), 4);
	ck_assert_int_eq(jt_csv_next_line(r, &line, &len, NULL), 0);
	ck_assert_int_eq(jt_csv_peek_line(r, &peek, &len, NULL), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(jt_csv_lines_read(r), 4);
	jt_csv_close(r);
}
END_TEST

struct seen {
	size_t bytes;
	unsigned long sum;
};

static void
count_input(void *arg, const void *p, size_t n)
{
	struct seen *s = arg;
	size_t i;

	s->bytes += n;
	for (i = 0; i < n; i++)
		s->sum = s->sum * 31 + ((const unsigned char *)p)[i];
}

START_TEST(every_byte_read_is_shown_to_the_input_hook_in_order)
{
	/* 3 MB from memory: the memory reader streams in blocks too. */
	size_t len = 3 * 1024 * 1024 + 17, i;
	char *in = malloc(len);
	struct seen seen = {0, 0}, want = {0, 0};
	struct jt_csv *r;
	char **f;
	size_t n;
	long rows = 0;

	ck_assert_ptr_nonnull(in);
	memcpy(in, "\xef\xbb\xbf", 3);
	for (i = 3; i < len; i++)
		in[i] = i % 10 == 9 ? '\n' : (char)('a' + i % 7);
	count_input(&want, in, len);
	r = jt_csv_open_mem(in, len, "t.csv", NULL);
	jt_csv_on_input(r, count_input, &seen);
	while (jt_csv_next(r, &f, &n, NULL) == 1)
		rows++;
	ck_assert_int_eq(rows, (long)((len - 1) / 10 + 1));
	ck_assert_uint_eq(seen.bytes, len);
	ck_assert_uint_eq(seen.sum, want.sum);
	ck_assert_int_eq(jt_csv_bytes(r), (int64_t)len);
	jt_csv_close(r);
	free(in);
}
END_TEST

START_TEST(a_byte_range_reads_as_a_file_of_its_own)
{
	/* Byte 0: header; 4: "ab" record; 9: a quoted record over two
	 * lines; 17: a BOM-like start that is data here; 24: the rest. */
	static const char in[] = "h,i\n"
				 "ab,1\n"
				 "\"q\nq\",2\n"
				 "\xef\xbb\xbfz,3\n"
				 "cd,4\n";
	char path[] = "/tmp/jt_csv_range_XXXXXX";
	int fd = mkstemp(path);
	struct jt_csv *r;
	char **f;
	size_t n;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, in, sizeof(in) - 1),
			 (ssize_t)sizeof(in) - 1);
	close(fd);
	r = jt_csv_open_range(path, 4, 13, NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), 1);
	ck_assert_str_eq(f[0], "ab");
	ck_assert_int_eq(jt_csv_line(r), 1);
	ck_assert_int_eq(jt_csv_offset(r), 5);
	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), 1);
	ck_assert_str_eq(f[0], "q\nq");
	ck_assert_int_eq(jt_csv_line(r), 2);
	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), 0);
	ck_assert_int_eq(jt_csv_lines_read(r), 3);
	ck_assert_int_eq(jt_csv_bytes(r), 13);
	jt_csv_close(r);
	/* A range starting with the bytes of a BOM keeps them. */
	r = jt_csv_open_range(path, 17, 7, NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), 1);
	ck_assert_str_eq(f[0], "\xef\xbb\xbfz");
	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), 0);
	jt_csv_close(r);
	/* A range that ends inside a quoted field fails as a file would. */
	r = jt_csv_open_range(path, 9, 4, NULL);
	ck_assert_int_eq(jt_csv_next(r, &f, &n, NULL), -1);
	jt_csv_close(r);
	ck_assert_ptr_null(jt_csv_open_range("/nonexistent/x", 0, 1, NULL));
	unlink(path);
}
END_TEST

static Suite *
csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, plain_records_split_on_commas_and_keep_line_numbers);
	tcase_add_test(tc, quoted_fields_hold_commas_quotes_and_line_breaks);
	tcase_add_test(tc,
		       unclosed_quote_is_a_parse_error_at_the_opening_quote);
	tcase_add_test(tc, stray_quote_in_an_unquoted_field_is_a_parse_error);
	tcase_add_test(tc, missing_file_is_an_io_error_naming_it);
	tcase_add_test(tc, records_spanning_read_blocks_come_back_whole);
	tcase_add_test(tc,
		       text_after_a_closing_quote_is_an_error_with_position);
	tcase_add_test(
		tc, a_byte_order_mark_at_the_start_is_skipped_and_only_there);
	tcase_add_test(tc, lengths_count_nul_bytes_a_field_holds);
	tcase_add_test(tc, lines_mode_hands_out_raw_lines_with_their_numbers);
	tcase_add_test(tc, a_byte_range_reads_as_a_file_of_its_own);
	tcase_add_test(tc, every_byte_read_is_shown_to_the_input_hook_in_order);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(csv_suite)
