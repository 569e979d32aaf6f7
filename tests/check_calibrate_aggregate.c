/*
 * check_calibrate_aggregate.c - field data: the four shapes in CSV and
 * JSON Lines, the results they give, and every way a file can be bad
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calibrate/field/field.h"
#include "calibrate/field/sketch.h"
#include "suite.h"

#define MIB ((int64_t)1024 * 1024)

static const char growth_hdr[] = "model,os_version,page,growth_bytes\n";

/* read_text - read text as one file; returns rc, fills err. */
static int
read_text(struct jt_field *f, const char *text, struct jt_error *err)
{
	jt_error_init(err);
	return jt_field_read_mem(f, text, strlen(text), "f.csv", err);
}

/* summary - the field model record for model (or fail). */
static struct jt_field_model
summary(struct jt_field *f, const char *model)
{
	struct jt_field_model *fm, m;
	size_t n, i;

	fm = jt_field_summarize(f, &n, NULL);
	ck_assert_ptr_nonnull(fm);
	for (i = 0; i < n; i++)
		if (strcmp(fm[i].model, model) == 0)
			break;
	ck_assert_uint_lt(i, n);
	m = fm[i];
	free(fm);
	return m;
}

START_TEST(raw_growth_gives_the_largest_page_and_its_count)
{
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_error err;
	struct jt_field_model m;

	ck_assert_int_eq(read_text(f,
				   "model,os_version,page,growth_bytes\n"
				   "\"iPhone12,1\",14.2,feed,100\n"
				   "\"iPhone12,1\",15.0,video,300\n"
				   "\"iPhone12,1\",14.2,feed,200\n",
				   &err),
			 0);
	m = summary(f, "iPhone12,1");
	ck_assert_int_eq(m.growth_bytes, 300);
	ck_assert_str_eq(m.growth_page, "video");
	ck_assert_int_eq(m.growth_samples, 3);
	ck_assert_int_eq(m.baseline_bytes, -1);
	ck_assert_str_eq(jt_field_shape_name(jt_field_file_at(f, 0)->shape),
			 "page-growth");
	ck_assert_int_eq(jt_field_file_at(f, 0)->rows, 3);
	ck_assert_uint_eq(jt_field_keys(f), 3); /* 2 pages + 1 model */
	jt_field_free(f);
}
END_TEST

START_TEST(p99_ignores_one_bad_sample_that_max_keeps)
{
	struct jt_field *fmax = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_field *fp99 = jt_field_new(JT_STAT_P99, 0, NULL);
	struct jt_error err;
	char *text = malloc(200 * 40 + 100);
	size_t len;
	int i;

	ck_assert_ptr_nonnull(text);
	strcpy(text, growth_hdr);
	len = strlen(text);
	for (i = 0; i < 200; i++)
		len += (size_t)sprintf(text + len, "A,1.0,feed,%d\n",
				       i == 7 ? 1000000000 : 1000 + i);
	ck_assert_int_eq(read_text(fmax, text, &err), 0);
	ck_assert_int_eq(read_text(fp99, text, &err), 0);
	ck_assert_int_eq(summary(fmax, "A").growth_bytes, 1000000000);
	/* Rank floor(199 x 0.99) = 197 of 1000..1199 without the outlier:
	 * 1198, within 1/128. */
	ck_assert_int_le(llabs(summary(fp99, "A").growth_bytes - 1198),
			 1198 / 128);
	free(text);
	jt_field_free(fmax);
	jt_field_free(fp99);
}
END_TEST

START_TEST(sessions_baseline_leaves_out_oom_sessions)
{
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_error err;
	struct jt_field_model m;

	ck_assert_int_eq(
		read_text(
			f,
			"{\"model\":\"A\",\"os_version\":\"1.0\","
			"\"peak_footprint_bytes\":500,\"oom\":0}\n"
			"\n"
			"{\"model\":\"A\",\"os_version\":\"1.0\","
			"\"peak_footprint_bytes\":900,\"oom\":true}\n"
			"{\"oom\":false,\"model\":\"A\",\"os_version\":\"1.1\","
			"\"peak_footprint_bytes\":700}\n",
			&err),
		0);
	m = summary(f, "A");
	ck_assert_int_eq(m.baseline_bytes, 700);
	ck_assert_int_eq(m.session_samples, 2);
	ck_assert_int_eq(m.oom_sessions, 1);
	ck_assert_int_eq(m.first_line, 0); /* no growth data */
	ck_assert_int_eq(jt_field_file_at(f, 0)->jsonl, 1);
	jt_field_free(f);
}
END_TEST

START_TEST(aggregates_give_the_chosen_statistic_column)
{
	static const char g[] =
		"model,page,count,max_growth_bytes,p99_growth_bytes\n"
		"A,feed,100,500,300\n"
		"A,video,100,400,350\n";
	static const char s[] =
		"model,os_version,count,max_peak_bytes,p99_peak_bytes\n"
		"A,1.0,10,900,800\n";
	struct jt_field *f = jt_field_new(JT_STAT_P99, 0, NULL);
	struct jt_error err;
	struct jt_field_model m;

	ck_assert_int_eq(read_text(f, g, &err), 0);
	ck_assert_int_eq(read_text(f, s, &err), 0);
	m = summary(f, "A");
	ck_assert_int_eq(m.growth_bytes, 350); /* p99 column, max of pages */
	ck_assert_str_eq(m.growth_page, "video");
	ck_assert_int_eq(m.growth_samples, 200);
	ck_assert_int_eq(m.baseline_bytes, 800);
	ck_assert_str_eq(jt_field_shape_name(jt_field_file_at(f, 1)->shape),
			 "sessions-aggregate");
	jt_field_free(f);
}
END_TEST

START_TEST(quoted_fields_crlf_and_blank_lines_are_read_as_rfc_4180)
{
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_error err;

	ck_assert_int_eq(read_text(f,
				   "model,os_version,page,growth_bytes\r\n"
				   "\r\n"
				   "A,1.0,\"a \"\"b\"\", c\",5\r\n"
				   "A,1.0,\"two\nlines\",9\r\n"
				   "A,1.0,x,7",
				   &err),
			 0);
	ck_assert_str_eq(summary(f, "A").growth_page, "two\nlines");
	ck_assert_int_eq(summary(f, "A").growth_samples, 3);
	jt_field_free(f);
}
END_TEST

START_TEST(a_file_on_disk_is_read_and_hashed)
{
	char path[] = "/tmp/jt_fieldXXXXXX";
	int fd = mkstemp(path);
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_error err;
	const char *text = "model,os_version,page,growth_bytes\nA,1.0,p,1\n";

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	jt_error_init(&err);
	ck_assert_int_eq(jt_field_read(f, path, &err), 0);
	/* What coreutils' sha256sum prints for that text. */
	ck_assert_str_eq(jt_field_file_at(f, 0)->sha256,
			 "b9cab57c8a9fe57a2b3dd43f9a1f073d"
			 "066f5939c1077e732adfafecae29d5eb");
	unlink(path);
	jt_field_free(f);
}
END_TEST

START_TEST(a_record_longer_than_the_read_block_is_read_whole)
{
	char path[] = "/tmp/jt_fieldXXXXXX";
	int fd = mkstemp(path);
	size_t big = 3 * 1024 * 1024, i;
	char *page = malloc(big + 1);
	FILE *fp = fdopen(fd, "w");
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 2, NULL);
	struct jt_error err;

	ck_assert_ptr_nonnull(page);
	ck_assert_ptr_nonnull(fp);
	for (i = 0; i < big; i++)
		page[i] = i % 1000 == 999 ? '\n' : 'x';
	page[big] = '\0';
	/* A 3 MiB quoted page name with line breaks, then a good row. */
	fprintf(fp, "%sA,1.0,\"%s\",7\nA,1.0,p,5\nA,1.0,p,x\n", growth_hdr,
		page);
	fclose(fp);
	jt_error_init(&err);
	ck_assert_int_eq(jt_field_read(f, path, &err), 0);
	ck_assert_int_eq(jt_field_bad_total(f), 2);
	ck_assert_str_eq(jt_field_bad_at(f, 0)->text,
			 "model and page names are too long");
	ck_assert_int_eq(jt_field_bad_at(f, 0)->line, 2);
	/* Line numbers count the 3145 breaks inside the quotes: the record
	 * on line 2 ends on line 3147, the bad row is on line 3149. */
	ck_assert_int_eq(jt_field_bad_at(f, 1)->line, 3149);
	ck_assert_int_eq(summary(f, "A").growth_bytes, 5);
	ck_assert_int_eq(jt_field_file_at(f, 0)->rows, 1);
	unlink(path);
	free(page);
	jt_field_free(f);
}
END_TEST

/*
 * JSON Lines are read by a fast in-place cutter for flat lines of plain
 * strings and integers, and by jansson for anything else.  The same rows
 * written both ways must give the same results.
 */
START_TEST(jsonl_rows_read_by_either_path_agree)
{
	/* Each pair: a line the fast path takes, and the same row as only
	 * jansson reads it (escapes, non-ASCII, 19 digits, repeated keys, -0).
	 */
	static const char plain[] =
		"{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\","
		"\"growth_bytes\":100}\n"
		"{ \"page\" : \"q\" , \"growth_bytes\" : 250 ,"
		" \"model\" : \"A\" , \"os_version\" : \"1\" }\r\n"
		"{\"model\":\"B\",\"os_version\":\"2\",\"page\":\"caf\","
		"\"growth_bytes\":999999999999999999}\n"
		"{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\","
		"\"growth_bytes\":\"300\"}\n"
		"{\"model\":\"C\",\"os_version\":\"1\",\"page\":\"p\","
		"\"growth_bytes\":0}";
	static const char jansson[] =
		"{\"model\":\"\\u0041\",\"os_version\":\"1\",\"page\":\"p\","
		"\"growth_bytes\":100}\n"
		"{\"page\":\"q\",\"growth_bytes\":1,\"model\":\"A\","
		"\"os_version\":\"1\",\"growth_bytes\":250}\n"
		"{\"model\":\"B\",\"os_version\":\"2\",\"page\":\"caf\\u00e9\","
		"\"growth_bytes\":1000000000000000000}\n"
		"{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\\/\","
		"\"growth_bytes\":\"300\"}\n"
		"{\"model\":\"C\",\"os_version\":\"1\",\"page\":\"p\","
		"\"growth_bytes\":-0}";
	struct jt_field *fa = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_field *fb = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_error err;
	struct jt_field_model a, b;

	ck_assert_int_eq(read_text(fa, plain, &err), 0);
	ck_assert_int_eq(read_text(fb, jansson, &err), 0);
	a = summary(fa, "A");
	b = summary(fb, "A");
	ck_assert_int_eq(a.growth_bytes, 300);
	ck_assert_str_eq(a.growth_page, "p");
	ck_assert_int_eq(b.growth_bytes, 300);
	ck_assert_str_eq(b.growth_page, "p/");
	ck_assert_int_eq(a.growth_samples, 3);
	ck_assert_int_eq(b.growth_samples, 3);
	ck_assert_int_eq(summary(fa, "B").growth_bytes, 999999999999999999);
	ck_assert_int_eq(summary(fb, "B").growth_bytes, 1000000000000000000);
	ck_assert_str_eq(summary(fb, "B").growth_page, "caf\xc3\xa9");
	ck_assert_int_eq(summary(fa, "C").growth_bytes, 0);
	ck_assert_int_eq(summary(fb, "C").growth_bytes, 0);
	ck_assert_int_eq(jt_field_file_at(fa, 0)->rows, 5);
	ck_assert_int_eq(jt_field_file_at(fb, 0)->rows, 5);
	ck_assert_int_eq(jt_field_bad_total(fa), 0);
	ck_assert_int_eq(jt_field_bad_total(fb), 0);
	jt_field_free(fa);
	jt_field_free(fb);
}
END_TEST

START_TEST(jsonl_lines_the_fast_path_refuses_get_jansson_s_verdict)
{
	/* Lines that look almost flat but are not valid JSON, or hold what
	 * no column may: each must be a bad row with jansson's wording or
	 * the column's, on its own line; the good rows still count. */
	static const char *const rows[][2] = {
		{"{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\","
		 "\"growth_bytes\":012}",
		 "invalid JSON: invalid token near '0'"},
		{"{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\","
		 "\"growth_bytes\":5,}",
		 "invalid JSON: string or '}' expected near '}'"},
		{"{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\","
		 "\"growth_bytes\":5} x",
		 "invalid JSON: end of file expected near 'x'"},
		/* jansson's own option names stay out of the message. */
		{"{\"model\":\"A\\u0000B\",\"os_version\":\"1\","
		 "\"page\":\"p\",\"growth_bytes\":5}",
		 "invalid JSON: a string holds a NUL character (\\u0000)"},
		{"{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\","
		 "\"growth_bytes\":1e3}",
		 "growth_bytes: not a whole number of bytes"},
		{"{\"model\":\"A\",\"os_version\":\"1\",\"page\":[1],"
		 "\"growth_bytes\":5}",
		 "page: not a plain value"},
		{"{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\","
		 "\"growth_bytes\":-5}",
		 "growth_bytes: negative size '-5'"},
		{"{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\","
		 "\"growth_bytes\":99999999999999999999}",
		 "invalid JSON: too big integer near "
		 "'99999999999999999999'"},
		{"{}", "missing key 'model'"},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char text[512];
		struct jt_field *f = jt_field_new(JT_STAT_MAX, 5, NULL);
		struct jt_error err;

		snprintf(text, sizeof(text),
			 "{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\","
			 "\"growth_bytes\":1}\n%s\n"
			 "{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\","
			 "\"growth_bytes\":7}\n",
			 rows[i][0]);
		ck_assert_int_eq(read_text(f, text, &err), 0);
		ck_assert_int_eq(jt_field_bad_total(f), 1);
		ck_assert_int_eq(jt_field_bad_at(f, 0)->line, 2);
		ck_assert_str_eq(jt_field_bad_at(f, 0)->text, rows[i][1]);
		ck_assert_int_eq(summary(f, "A").growth_bytes, 7);
		ck_assert_int_eq(jt_field_file_at(f, 0)->rows, 2);
		jt_field_free(f);
	}
}
END_TEST

START_TEST(jsonl_is_streamed_across_read_blocks)
{
	/* A 3 MiB line (blanks between tokens) spans several 1 MiB reads;
	 * the last line has no line break.  Both must be read whole, and
	 * the line numbers stay right. */
	char path[] = "/tmp/jt_fieldXXXXXX";
	int fd = mkstemp(path);
	size_t big = 3 * 1024 * 1024, i;
	char *pad = malloc(big + 1);
	FILE *fp = fdopen(fd, "w");
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 1, NULL);
	struct jt_error err;

	ck_assert_ptr_nonnull(pad);
	ck_assert_ptr_nonnull(fp);
	memset(pad, ' ', big);
	pad[big] = '\0';
	for (i = 0; i < 1000; i++)
		fprintf(fp,
			"{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\","
			"\"growth_bytes\":%zu}\n",
			i + 1);
	fprintf(fp,
		"{\"model\":\"A\",%s\"os_version\":\"1\",\"page\":\"q\","
		"\"growth_bytes\":5000}\n",
		pad);
	fprintf(fp,
		"{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\","
		"\"growth_bytes\":\"x\"}\n");
	fprintf(fp,
		"{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"r\","
		"\"growth_bytes\":6000}");
	fclose(fp);
	jt_error_init(&err);
	ck_assert_int_eq(jt_field_read(f, path, &err), 0);
	ck_assert_int_eq(jt_field_file_at(f, 0)->rows, 1002);
	ck_assert_int_eq(jt_field_bad_total(f), 1);
	ck_assert_int_eq(jt_field_bad_at(f, 0)->line, 1002);
	ck_assert_int_eq(summary(f, "A").growth_bytes, 6000);
	ck_assert_str_eq(summary(f, "A").growth_page, "r");
	ck_assert_int_eq(jt_field_file_at(f, 0)->jsonl, 1);
	unlink(path);
	free(pad);
	jt_field_free(f);
}
END_TEST

/* ---- bad input: each a message with file:line ---------------------------- */

struct bad_case {
	const char *text;
	long line;
	const char *msg;
};

/* bad_row_case - one malformed row: counted, reported, fatal at 0. */
static void
bad_row_case(const char *row_text, const char *msg)
{
	char text[512];
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_error err;

	snprintf(text, sizeof(text), "%sA,1.0,p,1\n%s\n", growth_hdr, row_text);
	ck_assert_int_eq(read_text(f, text, &err), -1);
	ck_assert_int_eq(err.code, JT_ELIMIT);
	ck_assert_int_eq(jt_field_bad_total(f), 1);
	ck_assert_uint_eq(jt_field_nbad(f), 1);
	ck_assert_str_eq(jt_field_bad_at(f, 0)->source, "f.csv");
	ck_assert_int_eq(jt_field_bad_at(f, 0)->line, 3);
	ck_assert_str_eq(jt_field_bad_at(f, 0)->text, msg);
	jt_field_free(f);
}

START_TEST(malformed_rows_are_reported_with_their_line)
{
	bad_row_case("A,1.0,p", "expected 4 fields, found 3");
	bad_row_case("A,1.0,p,1,2",
		     "expected 4 fields, found 5 (quote any "
		     "value that holds a comma)");
	/* The commonest export mistake gets its own hint. */
	bad_row_case("iPhone12,1,14.2,feed,100",
		     "expected 4 fields, found 5: model 'iPhone12,1' holds a "
		     "comma, so quote it (\"iPhone12,1\")");
	bad_row_case("A,1.0,p,abc", "growth_bytes: 'abc' is not a number");
	bad_row_case("A,1.0,p,-5", "growth_bytes: negative size '-5'");
	bad_row_case("A,1.0,p,NaN", "growth_bytes: NaN is not a byte count");
	bad_row_case("A,1.0,p,20M",
		     "growth_bytes: '20M' has a unit; give plain bytes here");
	bad_row_case("A,1.0,p,1.5 GiB",
		     "growth_bytes: '1.5 GiB' has a unit; give plain bytes "
		     "here");
	/* Hexadecimal, or digits with other text, have no unit. */
	bad_row_case("A,1.0,p,0x10",
		     "growth_bytes: '0x10' is not a decimal integer");
	bad_row_case("A,1.0,p,12abc",
		     "growth_bytes: '12abc' is not a decimal integer");
	bad_row_case("A,1.0,p,1.5",
		     "growth_bytes: '1.5' is not a whole number of bytes");
	bad_row_case("A,1.0,p,", "growth_bytes: missing value");
	bad_row_case("A,1.0,p,99999999999999999999",
		     "growth_bytes: '99999999999999999999' is out of range");
	bad_row_case(",1.0,p,1", "empty model");
	bad_row_case("A,14.x,p,1", "os_version '14.x' is not a dotted version");
	bad_row_case("A,1.0,,1", "empty page");
}
END_TEST

START_TEST(max_bad_rows_lets_a_run_go_on_and_still_counts)
{
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 2, NULL);
	struct jt_error err;

	ck_assert_int_eq(read_text(f,
				   "model,os_version,page,growth_bytes\n"
				   "A,1.0,p,x\nA,1.0,p,5\nA,1.0,p,-1\n",
				   &err),
			 0);
	ck_assert_int_eq(jt_field_bad_total(f), 2);
	ck_assert_int_eq(summary(f, "A").growth_bytes, 5);
	/* A third bad row in another file crosses the limit. */
	ck_assert_int_eq(read_text(f,
				   "model,os_version,page,growth_bytes\n"
				   "A,1.0,p,y\n",
				   &err),
			 -1);
	ck_assert_int_eq(err.code, JT_ELIMIT);
	ck_assert_str_eq(err.text,
			 "3 malformed rows in the field data, more "
			 "than --max-bad-rows 2 allows");
	jt_field_free(f);
}
END_TEST

static void
fatal_case(enum jt_statistic stat, const char *text, long line, const char *msg)
{
	struct jt_field *f = jt_field_new(stat, 100, NULL);
	struct jt_error err;

	ck_assert_int_eq(read_text(f, text, &err), -1);
	ck_assert_int_eq(err.code, JT_EPARSE);
	ck_assert_str_eq(err.source, "f.csv");
	ck_assert_int_eq(err.line, line);
	ck_assert_str_eq(err.text, msg);
	jt_field_free(f);
}

START_TEST(bad_headers_and_files_are_errors_with_position)
{
	fatal_case(JT_STAT_MAX, "", 1, "empty file: expected a header row");
	fatal_case(JT_STAT_MAX, "\n\n", 1, "empty file: expected a header row");
	fatal_case(JT_STAT_MAX, growth_hdr, 1, "no data rows after the header");
	fatal_case(JT_STAT_MAX, "model,os_version,page\nA,1,p\n", 1,
		   "header fits no field-data shape: expected a "
		   "'growth_bytes', 'peak_footprint_bytes', "
		   "'max_growth_bytes', 'max_peak_bytes' or 'buckets' "
		   "column");
	fatal_case(JT_STAT_MAX, "model,page,growth_bytes\nA,p,1\n", 1,
		   "missing column 'os_version' (page-growth file)");
	fatal_case(JT_STAT_MAX, "model,os_version,page,growth_bytes,note\n", 1,
		   "unexpected column 'note'");
	fatal_case(JT_STAT_MAX, "model,os_version,page,growth_bytes,oom\n", 1,
		   "unexpected column 'oom' in a page-growth file");
	fatal_case(JT_STAT_MAX, "model,model,os_version,page,growth_bytes\n", 1,
		   "column 'model' appears twice");
	fatal_case(JT_STAT_P999, "model,count,max_growth_bytes\nA,1,5\n", 1,
		   "statistic p999 needs column 'p999_growth_bytes'");
	fatal_case(JT_STAT_MAX,
		   "model,page,count,max_growth_bytes\nA,p,1,5\nB,p,1,5\n"
		   "A,p,2,6\n",
		   4,
		   "duplicate key model 'A' os_version '' page 'p' (first at "
		   "line 2)");
	fatal_case(JT_STAT_MAX,
		   "model,os_version,page,growth_bytes\nA,1,p\"q\",1\n", 2,
		   "stray quote inside an unquoted field");
	fatal_case(JT_STAT_MAX,
		   "model,os_version,page,growth_bytes\nA,1,\"open,1\n", 2,
		   "quoted field not closed before end of file");
	fatal_case(JT_STAT_MAX, "{\"model\": 1\n", 1,
		   "invalid JSON: '}' expected near end of file");
	/* A first line that is JSON but not an object is named for what
	 * it is (it once read as CSV with "a stray quote"). */
	fatal_case(JT_STAT_MAX, "[\"model\",\"os_version\"]\n", 1,
		   "expected a JSON object, found an array");
	/* Text after a closing quote is not silently joined to the field. */
	fatal_case(JT_STAT_MAX,
		   "model,os_version,page,growth_bytes\nA,1,p,\"104\"8576\n", 2,
		   "text after the closing quote of a field: '\"104\"8576' "
		   "(quote the whole field)");
	fatal_case(JT_STAT_MAX,
		   "model,os_version,page,growth_bytes\nA,1,\"x\"feed,1\n", 2,
		   "text after the closing quote of a field: '\"x\"feed' "
		   "(quote the whole field)");
}
END_TEST

START_TEST(jsonl_rows_are_checked_like_csv_rows)
{
	static const char *const rows[][2] = {
		{"{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\","
		 "\"growth_bytes\":\"20M\"}",
		 "growth_bytes: '20M' has a unit; give plain bytes here"},
		{"{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\","
		 "\"growth_bytes\":1.5}",
		 "growth_bytes: not a whole number of bytes"},
		{"{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\"}",
		 "missing key 'growth_bytes'"},
		{"{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\","
		 "\"growth_bytes\":1,\"extra\":2}",
		 "unexpected key 'extra'"},
		{"[1,2]", "expected a JSON object, found an array"},
		{"\"x\"", "expected a JSON object, found a string"},
		{"5", "expected a JSON object, found a number"},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char text[512];
		struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
		struct jt_error err;

		snprintf(text, sizeof(text),
			 "{\"model\":\"A\",\"os_version\":\"1\",\"page\":\"p\","
			 "\"growth_bytes\":1}\n%s\n",
			 rows[i][0]);
		ck_assert_int_eq(read_text(f, text, &err), -1);
		ck_assert_int_eq(jt_field_bad_at(f, 0)->line, 2);
		ck_assert_str_eq(jt_field_bad_at(f, 0)->text, rows[i][1]);
		jt_field_free(f);
	}
}
END_TEST

START_TEST(a_missing_file_is_an_io_error)
{
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_int_eq(jt_field_read(f, "/nonexistent/field.csv", &err), -1);
	ck_assert_int_eq(err.code, JT_EIO);
	jt_field_free(f);
}
END_TEST

START_TEST(statistic_names_parse_and_bad_ones_are_usage_errors)
{
	enum jt_statistic s;
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_int_eq(jt_statistic_parse("p999", &s, &err), 0);
	ck_assert_str_eq(jt_statistic_name(s), "p999");
	ck_assert_int_eq(jt_statistic_parse("p50", &s, &err), -1);
	ck_assert_int_eq(err.code, JT_EUSAGE);
}
END_TEST

START_TEST(a_utf8_byte_order_mark_before_the_header_is_skipped)
{
	/* Spreadsheet exports start with one; it used to make the first
	 * column "\xef\xbb\xbfmodel", an unexpected column. */
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_error err;

	ck_assert_int_eq(read_text(f,
				   "\xef\xbb\xbfmodel,os_version,page,"
				   "growth_bytes\nA,1.0,p,5\n",
				   &err),
			 0);
	ck_assert_int_eq(summary(f, "A").growth_bytes, 5);
	ck_assert_int_eq(
		read_text(f,
			  "\xef\xbb\xbf{\"model\":\"B\",\"os_version\":"
			  "\"1\",\"page\":\"p\",\"growth_bytes\":7}\n",
			  &err),
		0);
	ck_assert_int_eq(summary(f, "B").growth_bytes, 7);
	ck_assert_int_eq(jt_field_file_at(f, 1)->jsonl, 1);
	/* The BOM is part of the file: it is hashed and counted. */
	ck_assert_int_eq(jt_field_file_at(f, 0)->bytes, 3 + 35 + 10);
	jt_field_free(f);
}
END_TEST

START_TEST(pages_give_count_max_and_quantiles_per_key)
{
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_field_page *p;
	struct jt_sketch sk;
	struct jt_error err;
	char *text = malloc(1000 * 40 + 100);
	size_t len, n;
	int i;

	ck_assert_ptr_nonnull(text);
	strcpy(text, growth_hdr);
	len = strlen(text);
	jt_sketch_init(&sk);
	for (i = 0; i < 1000; i++) {
		int64_t v = (int64_t)i * 7919 % 100003 * 1000;

		len += (size_t)sprintf(text + len, "\"B,1\",1.0,%s,%lld\n",
				       i % 2 ? "feed" : "chat", (long long)v);
		if (i % 2)
			ck_assert_int_eq(jt_sketch_add(&sk, v, NULL), 0);
	}
	ck_assert_int_eq(read_text(f, text, &err), 0);
	/* An aggregate without quantile columns for another model. */
	ck_assert_int_eq(read_text(f,
				   "model,page,count,max_growth_bytes\n"
				   "A,feed,10,400\n",
				   &err),
			 0);
	p = jt_field_pages(f, &n, &err);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(n, 3);
	/* Sorted by model, then page. */
	ck_assert_str_eq(p[0].model, "A");
	ck_assert_int_eq(p[0].count, 10);
	ck_assert_int_eq(p[0].max_bytes, 400);
	ck_assert_int_eq(p[0].p99_bytes, -1); /* not given: unknown */
	ck_assert_str_eq(p[1].model, "B,1");
	ck_assert_str_eq(p[1].page, "chat");
	ck_assert_str_eq(p[2].page, "feed");
	ck_assert_int_eq(p[2].count, 500);
	ck_assert_int_eq(p[2].max_bytes, sk.max);
	ck_assert_int_eq(p[2].p99_bytes, jt_sketch_quantile(&sk, 99, 100));
	ck_assert_int_eq(p[2].p999_bytes, jt_sketch_quantile(&sk, 999, 1000));
	ck_assert_int_ne(p[2].p99_bytes, p[2].max_bytes);
	free(p);
	jt_sketch_release(&sk);
	free(text);
	jt_field_free(f);
}
END_TEST

START_TEST(hashing_can_be_turned_off_and_is_of_the_bytes_read)
{
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_error err;
	const char *text = "model,os_version,page,growth_bytes\nA,1.0,p,1\n";

	/* The same text as a_file_on_disk_is_read_and_hashed. */
	ck_assert_int_eq(read_text(f, text, &err), 0);
	ck_assert_str_eq(jt_field_file_at(f, 0)->sha256,
			 "b9cab57c8a9fe57a2b3dd43f9a1f073d"
			 "066f5939c1077e732adfafecae29d5eb");
	jt_field_hash_inputs(f, 0);
	ck_assert_int_eq(read_text(f, text, &err), 0);
	ck_assert_str_eq(jt_field_file_at(f, 1)->sha256, "");
	ck_assert_int_eq(jt_field_file_at(f, 1)->bytes, (int64_t)strlen(text));
	jt_field_free(f);
}
END_TEST

START_TEST(a_nul_byte_in_a_csv_cell_is_a_bad_row)
{
	static const char text[] = "model,os_version,page,growth_bytes\n"
				   "A\0B,1.0,p,1\n"
				   "A,1.0,p\0q,1\n"
				   "A,1.0,p,1\0002\n"
				   "A,1.0,p,5\n";
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 5, NULL);
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_int_eq(
		jt_field_read_mem(f, text, sizeof(text) - 1, "f.csv", &err), 0);
	ck_assert_int_eq(jt_field_bad_total(f), 3);
	ck_assert_str_eq(jt_field_bad_at(f, 0)->text,
			 "model 'A' holds a NUL byte");
	ck_assert_str_eq(jt_field_bad_at(f, 1)->text,
			 "page 'p' holds a NUL byte");
	ck_assert_str_eq(jt_field_bad_at(f, 2)->text,
			 "growth_bytes: '1' holds a NUL byte");
	ck_assert_int_eq(summary(f, "A").growth_bytes, 5);
	jt_field_free(f);
}
END_TEST

static Suite *
aggregate_suite(void)
{
	Suite *s = suite_create("calibrate_aggregate");
	TCase *tc = tcase_create("shapes");

	tcase_add_test(tc, raw_growth_gives_the_largest_page_and_its_count);
	tcase_add_test(tc, p99_ignores_one_bad_sample_that_max_keeps);
	tcase_add_test(tc, sessions_baseline_leaves_out_oom_sessions);
	tcase_add_test(tc, aggregates_give_the_chosen_statistic_column);
	tcase_add_test(tc,
		       quoted_fields_crlf_and_blank_lines_are_read_as_rfc_4180);
	tcase_add_test(tc, a_file_on_disk_is_read_and_hashed);
	tcase_add_test(tc, a_record_longer_than_the_read_block_is_read_whole);
	tcase_add_test(tc, jsonl_rows_read_by_either_path_agree);
	tcase_add_test(tc, jsonl_is_streamed_across_read_blocks);
	tcase_add_test(tc, a_utf8_byte_order_mark_before_the_header_is_skipped);
	tcase_add_test(tc, pages_give_count_max_and_quantiles_per_key);
	tcase_add_test(tc, hashing_can_be_turned_off_and_is_of_the_bytes_read);
	suite_add_tcase(s, tc);
	tc = tcase_create("bad_input");
	tcase_add_test(tc, malformed_rows_are_reported_with_their_line);
	tcase_add_test(tc, max_bad_rows_lets_a_run_go_on_and_still_counts);
	tcase_add_test(tc, bad_headers_and_files_are_errors_with_position);
	tcase_add_test(tc, jsonl_rows_are_checked_like_csv_rows);
	tcase_add_test(tc,
		       jsonl_lines_the_fast_path_refuses_get_jansson_s_verdict);
	tcase_add_test(tc, a_nul_byte_in_a_csv_cell_is_a_bad_row);
	tcase_add_test(tc, a_missing_file_is_an_io_error);
	tcase_add_test(tc, statistic_names_parse_and_bad_ones_are_usage_errors);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(aggregate_suite)
