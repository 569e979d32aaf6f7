/*
 * check_core.c - errors, run records, atomic files and size arguments
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jetsam/core/error.h"
#include "jetsam/core/fileio.h"
#include "jetsam/core/size.h"
#include "jetsam/lab/runrec.h"
#include "suite.h"

static char tmpdir[64];

static void
setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/jt-core-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static int
count_entries(const char *dir)
{
	char cmd[160];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	ck_assert_int_eq(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

START_TEST(first_error_wins_and_formats_with_its_position)
{
	struct jt_error err;
	char buf[256];

	jt_error_init(&err);
	ck_assert_int_eq(jt_error_set(&err, JT_EPARSE, "report.ips", 3, 14,
				      "expected ':' near '%s'", "\"pid\""),
			 -1);
	ck_assert_int_eq(jt_error_set(&err, JT_EIO, "other", 0, 0, "later"),
			 -1);
	ck_assert_str_eq(jt_error_format(&err, buf, sizeof(buf)),
			 "report.ips:3:14: expected ':' near '\"pid\"'");
	ck_assert_str_eq(jt_error_code_name(err.code), "parse");
	ck_assert_int_eq(jt_error_set(NULL, JT_EIO, NULL, 0, 0, "x"), -1);
}
END_TEST

START_TEST(errno_errors_keep_errno_and_say_why)
{
	struct jt_error err;
	char buf[256];

	jt_error_init(&err);
	jt_error_set_errno(&err, ENOENT, "a.json", "cannot open");
	ck_assert_int_eq(err.code, JT_EIO);
	ck_assert_int_eq(err.errnum, ENOENT);
	ck_assert_str_eq(jt_error_format(&err, buf, sizeof(buf)),
			 "a.json: cannot open: No such file or directory");
}
END_TEST

START_TEST(source_only_errors_and_out_of_memory_name_their_source)
{
	struct jt_error err;
	char buf[256];

	jt_error_init(&err);
	ck_assert_int_eq(jt_error_set_in(&err, JT_ELIMIT, "t.csv",
					 "more than %d rows", 3),
			 -1);
	ck_assert_str_eq(jt_error_format(&err, buf, sizeof(buf)),
			 "t.csv: more than 3 rows");
	ck_assert_int_eq(err.line, 0);
	jt_error_init(&err);
	ck_assert_int_eq(jt_error_oom(&err, "big.ips"), -1);
	ck_assert_int_eq(err.code, JT_ENOMEM);
	ck_assert_str_eq(jt_error_format(&err, buf, sizeof(buf)),
			 "big.ips: out of memory");
	ck_assert_int_eq(jt_error_oom(NULL, NULL), -1);
}
END_TEST

START_TEST(run_record_round_trips_with_nulls_for_unknowns)
{
	struct jt_runrec r, back;
	char path[128];
	struct jt_error err;

	jt_runrec_init(&r);
	r.model = strdup("iPhone12,1");
	r.kind = strdup("local");
	r.truth_limit_bytes = 512LL << 20;
	r.crossing_bytes = 510LL << 20;
	r.exit_signal = 9;
	snprintf(path, sizeof(path), "%s/run.json", tmpdir);
	jt_error_init(&err);
	ck_assert_int_eq(jt_runrec_save(&r, path, &err), 0);
	ck_assert_int_eq(jt_runrec_load(&back, path, &err), 0);
	ck_assert_str_eq(back.model, "iPhone12,1");
	ck_assert_ptr_null(back.udid);
	ck_assert_int_eq(back.truth_limit_bytes, 512LL << 20);
	ck_assert_int_eq(back.crossing_bytes, 510LL << 20);
	ck_assert_int_eq(back.report_bytes, -1);
	ck_assert_int_eq(back.exit_signal, 9);
	ck_assert_int_eq(count_entries(tmpdir), 1); /* no temporary left */
	jt_runrec_release(&r);
	jt_runrec_release(&back);
}
END_TEST

START_TEST(run_record_with_a_wrong_type_names_the_field)
{
	char path[128];
	FILE *fp;
	struct jt_runrec r;
	struct jt_error err;

	snprintf(path, sizeof(path), "%s/bad.json", tmpdir);
	fp = fopen(path, "w");
	fputs("{\"model\":\"iPhone12,1\",\"crossing_bytes\":\"big\"}\n", fp);
	fclose(fp);
	jt_error_init(&err);
	ck_assert_int_eq(jt_runrec_load(&r, path, &err), -1);
	ck_assert_int_eq(err.code, JT_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.text, "'crossing_bytes'"));
	fp = fopen(path, "w");
	fputs("{\"model\": \"x\",\n  \"kind\" ", fp);
	fclose(fp);
	jt_error_init(&err);
	ck_assert_int_eq(jt_runrec_load(&r, path, &err), -1);
	ck_assert_int_eq(err.line, 2);
}
END_TEST

START_TEST(run_directories_take_the_first_free_number)
{
	char dir[128], id[64], path[256];
	struct jt_error err;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/runs", tmpdir);
	ck_assert_int_eq(jt_runrec_mkdir(dir, "iPhone12,1", "14.2", id,
					 sizeof(id), path, sizeof(path), NULL),
			 0);
	ck_assert_str_eq(id, "iPhone12,1-14.2-1");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(jt_runrec_mkdir(dir, "iPhone12,1", "14.2", id,
					 sizeof(id), path, sizeof(path), NULL),
			 0);
	ck_assert_str_eq(id, "iPhone12,1-14.2-2");
	jt_error_init(&err);
	snprintf(dir, sizeof(dir), "%s/no/such/parent", tmpdir);
	ck_assert_int_eq(jt_runrec_mkdir(dir, "m", "1", id, sizeof(id), path,
					 sizeof(path), &err),
			 -1);
	ck_assert_int_eq(err.code, JT_EIO);
	ck_assert_str_eq(err.source, dir);
}
END_TEST

START_TEST(atomic_write_leaves_nothing_until_commit_and_nothing_on_abort)
{
	struct jt_atomic a;
	char path[128];
	FILE *fp;
	struct stat st;

	snprintf(path, sizeof(path), "%s/table.json", tmpdir);
	fp = jt_atomic_open(&a, path, NULL);
	ck_assert_ptr_nonnull(fp);
	fputs("half", fp);
	ck_assert_int_eq(stat(path, &st), -1);
	jt_atomic_abort(&a);
	ck_assert_int_eq(count_entries(tmpdir), 0);

	fp = jt_atomic_open(&a, path, NULL);
	fputs("whole\n", fp);
	ck_assert_int_eq(jt_atomic_commit(&a, 0, NULL), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 6);
	ck_assert_int_eq(count_entries(tmpdir), 1);
}
END_TEST

START_TEST(noclobber_commit_refuses_to_replace_an_existing_file)
{
	struct jt_atomic a;
	char path[128];
	struct jt_error err;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/r.ips", tmpdir);
	fp = jt_atomic_open(&a, path, NULL);
	fputs("one", fp);
	ck_assert_int_eq(jt_atomic_commit(&a, 1, NULL), 0);
	fp = jt_atomic_open(&a, path, NULL);
	fputs("two", fp);
	jt_error_init(&err);
	ck_assert_int_eq(jt_atomic_commit(&a, 1, &err), -1);
	ck_assert_int_eq(err.errnum, EEXIST);
	ck_assert_int_eq(count_entries(tmpdir), 1);
}
END_TEST

START_TEST(read_file_refuses_files_over_the_limit_and_directories)
{
	char path[128], *buf;
	size_t len;
	FILE *fp;
	struct jt_error err;

	snprintf(path, sizeof(path), "%s/big", tmpdir);
	fp = fopen(path, "w");
	fputs("0123456789", fp);
	fclose(fp);
	ck_assert_int_eq(jt_read_file(path, 10, &buf, &len, NULL), 0);
	ck_assert_uint_eq(len, 10);
	ck_assert_str_eq(buf, "0123456789");
	free(buf);
	jt_error_init(&err);
	ck_assert_int_eq(jt_read_file(path, 9, &buf, &len, &err), -1);
	ck_assert_int_eq(err.code, JT_ELIMIT);
	jt_error_init(&err);
	ck_assert_int_eq(jt_read_file(tmpdir, 9, &buf, &len, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "directory"));
}
END_TEST

START_TEST(sizes_use_binary_suffixes_and_reject_nonsense)
{
	int64_t b;
	struct jt_error err;
	static const char *const bad[] = {"",  "-1",  "12Q",  "1.5",
					  "M", "nan", "1e30G"};
	size_t i;

	ck_assert_int_eq(jt_size_parse("4096", &b, NULL), 0);
	ck_assert_int_eq(b, 4096);
	ck_assert_int_eq(jt_size_parse("20M", &b, NULL), 0);
	ck_assert_int_eq(b, 20LL << 20);
	ck_assert_int_eq(jt_size_parse("2098MB", &b, NULL), 0);
	ck_assert_int_eq(b, 2098LL << 20);
	ck_assert_int_eq(jt_size_parse("1.5GiB", &b, NULL), 0);
	ck_assert_int_eq(b, 3LL << 29);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		jt_error_init(&err);
		ck_assert_int_eq(jt_size_parse(bad[i], &b, &err), -1);
		ck_assert_int_eq(err.code, JT_EUSAGE);
	}
}
END_TEST

START_TEST(durations_are_seconds_with_fractions_and_bounds)
{
	int64_t ms;
	struct jt_error err;
	static const char *const bad[] = {"",    "-1",  "abc",  "1.5m",
					  "nan", "inf", "90001"};
	size_t i;

	ck_assert_int_eq(jt_seconds_parse("30", 86400, 0, &ms, NULL), 0);
	ck_assert_int_eq(ms, 30000);
	ck_assert_int_eq(jt_seconds_parse("0.25s", 86400, 0, &ms, NULL), 0);
	ck_assert_int_eq(ms, 250);
	ck_assert_int_eq(jt_seconds_parse("0", 86400, 1, &ms, NULL), 0);
	ck_assert_int_eq(ms, 0);
	jt_error_init(&err);
	ck_assert_int_eq(jt_seconds_parse("0", 86400, 0, &ms, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "above 0"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		jt_error_init(&err);
		ck_assert_int_eq(jt_seconds_parse(bad[i], 86400, 1, &ms, &err),
				 -1);
		ck_assert_int_eq(err.code, JT_EUSAGE);
	}
}
END_TEST

static Suite *
core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, first_error_wins_and_formats_with_its_position);
	tcase_add_test(tc, errno_errors_keep_errno_and_say_why);
	tcase_add_test(tc,
		       source_only_errors_and_out_of_memory_name_their_source);
	tcase_add_test(tc, run_record_round_trips_with_nulls_for_unknowns);
	tcase_add_test(tc, run_record_with_a_wrong_type_names_the_field);
	tcase_add_test(tc, run_directories_take_the_first_free_number);
	tcase_add_test(
		tc,
		atomic_write_leaves_nothing_until_commit_and_nothing_on_abort);
	tcase_add_test(tc,
		       noclobber_commit_refuses_to_replace_an_existing_file);
	tcase_add_test(tc,
		       read_file_refuses_files_over_the_limit_and_directories);
	tcase_add_test(tc, sizes_use_binary_suffixes_and_reject_nonsense);
	tcase_add_test(tc, durations_are_seconds_with_fractions_and_bounds);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(core_suite)
