/*
 * check_csv.c - the RFC 4180 reader: quoting, line ends, positions, errors
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
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(csv_suite)
