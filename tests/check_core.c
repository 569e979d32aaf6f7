/*
 * check_core.c - errors, run records, atomic files and size arguments
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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
	r.left_foreground = 1;
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
	ck_assert_int_eq(back.left_foreground, 1);
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
	fputs("{\"model\":\"iPhone12,1\",\"left_foreground\":1}\n", fp);
	fclose(fp);
	jt_error_init(&err);
	ck_assert_int_eq(jt_runrec_load(&r, path, &err), -1);
	ck_assert_str_eq(err.text,
			 "run record field 'left_foreground' should "
			 "be true or false");
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

START_TEST(run_directory_names_cannot_leave_the_directory)
{
	static const char *const bad[] = {
		"/../../../../ANYDIR/x",
		"../x",
		"a/b",
		"..",
		"x..y",
		"iPhone12,1\n",
		"\x1b]0;t\a",
		"",
		"0123456789012345678901234567890123456789012345678901234567890123"
		"4",
	};
	char dir[128], id[64], path[256];
	struct jt_error err;
	size_t i;

	snprintf(dir, sizeof(dir), "%s/runs-hostile", tmpdir);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		jt_error_init(&err);
		ck_assert_int_eq(jt_runrec_mkdir(dir, bad[i], "14.2", id,
						 sizeof(id), path, sizeof(path),
						 &err),
				 -1);
		ck_assert_int_eq(err.code, JT_EINVAL);
		ck_assert_ptr_nonnull(strstr(err.text, "model"));
		jt_error_init(&err);
		ck_assert_int_eq(jt_runrec_mkdir(dir, "iPhone12,1", bad[i], id,
						 sizeof(id), path, sizeof(path),
						 &err),
				 -1);
		ck_assert_ptr_nonnull(strstr(err.text, "OS version"));
	}
	/* nothing was created, not even dir */
	ck_assert_int_ne(access(dir, F_OK), 0);
	/* a name that would not fit is refused, never cut */
	jt_error_init(&err);
	ck_assert_int_eq(jt_runrec_mkdir(dir, "iPhone12,1", "14.2", id, 8, path,
					 sizeof(path), &err),
			 -1);
	ck_assert_int_eq(err.code, JT_ELIMIT);
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

/* put - write text to dir/name (a plain write, not through fileio). */
static void
put(const char *dir, const char *name, const char *text, mode_t mode)
{
	char path[160];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* content - the first line of dir/name, or "" when there is none. */
static const char *
content(const char *dir, const char *name)
{
	static char buf[64];
	char path[160];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf[0] = '\0';
	fp = fopen(path, "r");
	if (fp != NULL) {
		if (fgets(buf, sizeof(buf), fp) == NULL)
			buf[0] = '\0';
		fclose(fp);
	}
	return buf;
}

static FILE *
add(struct jt_outset *s, const char *name, struct jt_error *err)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return jt_outset_add(s, path, err);
}

START_TEST(an_output_set_commits_all_files_together)
{
	struct jt_outset s;
	FILE *a, *b;

	put(tmpdir, "t.json", "old json", 0644);
	jt_outset_init(&s);
	a = add(&s, "t.json", NULL);
	b = add(&s, "t.h", NULL);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	fputs("new json", a);
	fputs("new header", b);
	/* Nothing is visible before the commit. */
	ck_assert_str_eq(content(tmpdir, "t.json"), "old json");
	ck_assert_str_eq(content(tmpdir, "t.h"), "");
	ck_assert_int_eq(jt_outset_commit(&s, NULL), 0);
	ck_assert_str_eq(content(tmpdir, "t.json"), "new json");
	ck_assert_str_eq(content(tmpdir, "t.h"), "new header");
	ck_assert_int_eq(count_entries(tmpdir), 2);
}
END_TEST

/*
 * A write that fails on the last file (a fault injected with
 * RLIMIT_FSIZE: the kernel refuses to grow a file past the limit with
 * EFBIG) replaces none: the first two files keep their old contents.
 */
START_TEST(a_failed_write_replaces_no_file_and_names_its_file)
{
	struct rlimit rl = {4096, RLIM_INFINITY};
	struct jt_outset s;
	struct jt_error err;
	char big[8192], want[160];
	FILE *fp;

	put(tmpdir, "t.json", "old json", 0644);
	put(tmpdir, "t.plist", "old plist", 0644);
	put(tmpdir, "t.h", "old header", 0644);
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	memset(big, 'x', sizeof(big));
	jt_outset_init(&s);
	fputs("new json", add(&s, "t.json", NULL));
	fputs("new plist", add(&s, "t.plist", NULL));
	fp = add(&s, "t.h", NULL);
	fwrite(big, 1, sizeof(big), fp);
	jt_error_init(&err);
	ck_assert_int_eq(jt_outset_commit(&s, &err), -1);
	snprintf(want, sizeof(want), "%s/t.h", tmpdir);
	ck_assert_str_eq(err.source, want);
	ck_assert_int_eq(err.errnum, EFBIG);
	ck_assert_ptr_nonnull(strstr(err.text, "cannot write"));
	ck_assert_str_eq(content(tmpdir, "t.json"), "old json");
	ck_assert_str_eq(content(tmpdir, "t.plist"), "old plist");
	ck_assert_str_eq(content(tmpdir, "t.h"), "old header");
	ck_assert_int_eq(count_entries(tmpdir), 3); /* no temporary left */
}
END_TEST

/*
 * A rename that fails (the last target became a directory after it was
 * added) puts back the files already renamed: the old one from its hard
 * link, a new one removed.
 */
START_TEST(a_failed_rename_puts_back_the_files_already_renamed)
{
	struct jt_outset s;
	struct jt_error err;
	char dir[160];

	put(tmpdir, "t.json", "old json", 0644);
	jt_outset_init(&s);
	fputs("new json", add(&s, "t.json", NULL));
	fputs("new plist", add(&s, "t.plist", NULL));
	fputs("new header", add(&s, "t.h", NULL));
	snprintf(dir, sizeof(dir), "%s/t.h", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	put(dir, "keep", "x", 0644);
	jt_error_init(&err);
	ck_assert_int_eq(jt_outset_commit(&s, &err), -1);
	ck_assert_str_eq(err.source, dir);
	ck_assert_ptr_nonnull(strstr(err.text, "cannot rename"));
	ck_assert_str_eq(content(tmpdir, "t.json"), "old json");
	ck_assert_int_eq(access(dir, F_OK), 0);
	ck_assert_str_eq(content(dir, "keep"), "x");
	/* t.plist was new: removed again.  Left: t.json and the directory. */
	ck_assert_int_eq(count_entries(tmpdir), 2);
}
END_TEST

START_TEST(outputs_keep_the_mode_they_replace_and_new_ones_follow_umask)
{
	struct jt_outset s;
	struct stat st;
	char path[160];

	put(tmpdir, "private.json", "old", 0600);
	put(tmpdir, "shared.h", "old", 0664);
	umask(027);
	jt_outset_init(&s);
	fputs("new", add(&s, "private.json", NULL));
	fputs("new", add(&s, "shared.h", NULL));
	fputs("new", add(&s, "new.plist", NULL));
	ck_assert_int_eq(jt_outset_commit(&s, NULL), 0);
	snprintf(path, sizeof(path), "%s/private.json", tmpdir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	snprintf(path, sizeof(path), "%s/shared.h", tmpdir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0664);
	snprintf(path, sizeof(path), "%s/new.plist", tmpdir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0640);
	umask(022);
}
END_TEST

START_TEST(an_output_given_twice_or_a_directory_is_refused_by_name)
{
	struct jt_outset s;
	struct jt_error err;
	char want[160];

	jt_outset_init(&s);
	ck_assert_ptr_nonnull(add(&s, "t.json", NULL));
	jt_error_init(&err);
	ck_assert_ptr_null(add(&s, "t.json", &err));
	snprintf(want, sizeof(want), "%s/t.json", tmpdir);
	ck_assert_str_eq(err.source, want);
	ck_assert_str_eq(err.text, "given twice as an output");
	jt_error_init(&err);
	ck_assert_ptr_null(add(&s, ".", &err));
	ck_assert_str_eq(err.text, "cannot write: is a directory");
	jt_outset_abort(&s);
	ck_assert_int_eq(count_entries(tmpdir), 0);
}
END_TEST

static void
rel_is(const char *root, const char *path, const char *want)
{
	char *got = jt_path_relative(root, path, NULL);

	ck_assert_ptr_nonnull(got);
	ck_assert_msg(strcmp(got, want) == 0, "%s from %s: '%s', want '%s'",
		      path, root, got, want);
	free(got);
}

START_TEST(paths_are_made_relative_to_a_root_and_never_absolute)
{
	char a[160], ab[160], abx[200], abc[160], x[200];
	struct jt_error err;

	snprintf(a, sizeof(a), "%s/a", tmpdir);
	snprintf(ab, sizeof(ab), "%s/a/b", tmpdir);
	snprintf(abc, sizeof(abc), "%s/a/bc", tmpdir);
	ck_assert_int_eq(mkdir(a, 0755), 0);
	ck_assert_int_eq(mkdir(ab, 0755), 0);
	ck_assert_int_eq(mkdir(abc, 0755), 0);
	put(ab, "run.json", "{}", 0644);
	snprintf(abx, sizeof(abx), "%s/run.json", ab);
	rel_is(a, abx, "b/run.json");
	rel_is(ab, abx, "run.json");
	rel_is(abc, abx, "../b/run.json");
	rel_is(ab, a, "..");
	rel_is(ab, ab, ".");
	rel_is("/", abx, abx + 1);
	/* "." and ".." and a symbolic link are resolved first. */
	snprintf(x, sizeof(x), "%s/./b/../b//run.json", a);
	rel_is(a, x, "b/run.json");
	snprintf(x, sizeof(x), "%s/link", tmpdir);
	ck_assert_int_eq(symlink(ab, x), 0);
	snprintf(x, sizeof(x), "%s/link/run.json", tmpdir);
	rel_is(a, x, "b/run.json");
	/* A file that does not exist (yet) is placed by its directory. */
	snprintf(x, sizeof(x), "%s/new.json", ab);
	rel_is(a, x, "b/new.json");
	jt_error_init(&err);
	ck_assert_ptr_null(jt_path_relative("/no/such/root", abx, &err));
	ck_assert_str_eq(err.source, "/no/such/root");
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
	tcase_add_test(tc, run_directory_names_cannot_leave_the_directory);
	tcase_add_test(
		tc,
		atomic_write_leaves_nothing_until_commit_and_nothing_on_abort);
	tcase_add_test(tc,
		       noclobber_commit_refuses_to_replace_an_existing_file);
	tcase_add_test(tc, an_output_set_commits_all_files_together);
	tcase_add_test(tc, a_failed_write_replaces_no_file_and_names_its_file);
	tcase_add_test(tc, a_failed_rename_puts_back_the_files_already_renamed);
	tcase_add_test(
		tc,
		outputs_keep_the_mode_they_replace_and_new_ones_follow_umask);
	tcase_add_test(tc,
		       an_output_given_twice_or_a_directory_is_refused_by_name);
	tcase_add_test(tc,
		       paths_are_made_relative_to_a_root_and_never_absolute);
	tcase_add_test(tc,
		       read_file_refuses_files_over_the_limit_and_directories);
	tcase_add_test(tc, sizes_use_binary_suffixes_and_reject_nonsense);
	tcase_add_test(tc, durations_are_seconds_with_fractions_and_bounds);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(core_suite)
