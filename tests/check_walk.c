/*
 * check_walk.c - the one directory walker on hostile trees: link loops,
 * "up -> ..", FIFOs, sockets, unreadable folders, files under two names,
 * deep nesting; and reports read once by incident id
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jetsam/walk/walk.h"
#include "suite.h"

#define REPORT "tests/corpus/dev/iPhone12-1_iOS14.2_B04A36B1.ips"

static char root[64];

/* at - root + "/" + the formatted rest, in a static buffer. */
static const char *
at(const char *fmt, ...)
{
	static char buf[4][512];
	static int k;
	char rest[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rest, sizeof(rest), fmt, ap);
	va_end(ap);
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", root, rest);
	return buf[k];
}

static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

static void
copy(const char *from, const char *to)
{
	char buf[8192];
	size_t n;
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
	fclose(in);
	fclose(out);
}

static void
make_tree(void)
{
	strcpy(root, "/tmp/check_walk.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	ck_assert_int_eq(chmod(root, 0755), 0);
}

static void
remove_tree(void)
{
	char cmd[2 * sizeof(root) + 32];

	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx %s; rm -rf %s", root, root);
	ck_assert_int_eq(system(cmd), 0);
}

/* paths - the files of w as "a b c", relative to root. */
static const char *
paths(const struct jt_walk *w)
{
	static char buf[4096];
	size_t i, used = 0, skip = strlen(root) + 1;

	buf[0] = '\0';
	for (i = 0; i < jt_walk_nfiles(w); i++) {
		const char *p = jt_walk_file_at(w, i)->path;

		used += (size_t)snprintf(
			buf + used, sizeof(buf) - used, "%s%s", i ? " " : "",
			strncmp(p, root, skip - 1) == 0 ? p + skip : p);
	}
	return buf;
}

/* notes - the notes of w as "kind:path" lines, relative to root. */
static const char *
notes(const struct jt_walk *w)
{
	static const char *const kind[] = {"error", "linked-dir", "special",
					   "same-file", "same-dir"};
	static char buf[4096];
	size_t i, used = 0, skip = strlen(root) + 1;

	buf[0] = '\0';
	for (i = 0; i < jt_walk_nnotes(w); i++) {
		const struct jt_walk_note *n = jt_walk_note_at(w, i);
		const char *p = n->err.source;

		used += (size_t)snprintf(
			buf + used, sizeof(buf) - used, "%s:%s\n",
			kind[n->kind],
			strncmp(p, root, skip - 1) == 0 ? p + skip : p);
	}
	return buf;
}

static struct jt_walk *
walk1(const char *path, const struct jt_walk_opts *o)
{
	const char *roots[1];
	struct jt_walk *w;

	roots[0] = path;
	w = jt_walk_run(roots, 1, o, NULL);
	ck_assert_ptr_nonnull(w);
	return w;
}

/* walk2 - the walk of two named paths (borrowed: static buffers). */
static struct jt_walk *
walk2(const char *a, const char *b, const struct jt_walk_opts *o)
{
	static char first[512], second[512];
	static const char *roots[2] = {first, second};
	struct jt_walk *w;

	snprintf(first, sizeof(first), "%s", a);
	snprintf(second, sizeof(second), "%s", b);
	w = jt_walk_run(roots, 2, o, NULL);
	ck_assert_ptr_nonnull(w);
	return w;
}

START_TEST(files_come_sorted_in_byte_order_and_hidden_ones_are_left_out)
{
	struct jt_walk *w;

	make_tree();
	ck_assert_int_eq(mkdir(at("a"), 0755), 0);
	ck_assert_int_eq(mkdir(at("a/b"), 0755), 0);
	ck_assert_int_eq(mkdir(at(".git"), 0755), 0);
	put(at("a/b/z"), "");
	put(at("a-b"), "");
	put(at("B"), "");
	put(at("a/x"), "");
	put(at(".hidden"), "");
	put(at(".git/config"), "");
	w = walk1(root, NULL);
	/* '-' (0x2d) sorts before '/' (0x2f), 'B' before 'a'. */
	ck_assert_str_eq(paths(w), "B a-b a/b/z a/x");
	ck_assert_str_eq(notes(w), "");
	ck_assert_int_eq(jt_walk_failed(w), 0);
	ck_assert_int_eq(jt_walk_root_at(w, 0)->is_dir, 1);
	ck_assert_uint_eq(jt_walk_root_at(w, 0)->nfiles, 4);
	ck_assert_int_eq(jt_walk_file_at(w, 0)->named, 0);
	jt_walk_free(w);
	remove_tree();
}
END_TEST

START_TEST(links_to_folders_are_not_followed_so_up_dotdot_counts_once)
{
	struct jt_walk *w;

	make_tree();
	ck_assert_int_eq(mkdir(at("r"), 0755), 0);
	put(at("r/report.ips"), "x");
	ck_assert_int_eq(symlink("..", at("r/up")), 0);
	ck_assert_int_eq(symlink(".", at("r/self")), 0);
	ck_assert_int_eq(symlink("loop2", at("r/loop1")), 0);
	ck_assert_int_eq(symlink("loop1", at("r/loop2")), 0);
	w = walk1(at("r"), NULL);
	ck_assert_str_eq(paths(w), "r/report.ips");
	/* The link cycle cannot be read: an error, the walk goes on. */
	ck_assert_str_eq(notes(w),
			 "error:r/loop1\n"
			 "error:r/loop2\n"
			 "linked-dir:r/self\n"
			 "linked-dir:r/up\n");
	ck_assert_int_eq(jt_walk_failed(w), 1);
	jt_walk_free(w);
	remove_tree();
}
END_TEST

START_TEST(a_named_link_to_a_folder_is_followed)
{
	struct jt_walk *w;

	make_tree();
	ck_assert_int_eq(mkdir(at("real"), 0755), 0);
	put(at("real/f"), "");
	ck_assert_int_eq(symlink("real", at("named")), 0);
	w = walk1(at("named/"), NULL);
	ck_assert_str_eq(paths(w), "named/f");
	jt_walk_free(w);
	remove_tree();
}
END_TEST

static void
on_alarm(int sig)
{
	(void)sig;
	_exit(3); /* the walk blocked */
}

START_TEST(fifos_sockets_and_devices_are_never_opened)
{
	struct sockaddr_un sa;
	struct jt_walk *w;
	int s;

	make_tree();
	ck_assert_int_eq(mkfifo(at("fifo"), 0644), 0);
	ck_assert_int_eq(symlink("fifo", at("fifo-link")), 0);
	ck_assert_int_eq(symlink("/dev/null", at("null-link")), 0);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(s, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", at("sock"));
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	put(at("plain"), "");
	/* Opening the FIFO for reading would block with no writer. */
	signal(SIGALRM, on_alarm);
	alarm(10);
	w = walk1(root, NULL);
	alarm(0);
	ck_assert_str_eq(paths(w), "plain");
	ck_assert_str_eq(notes(w),
			 "special:fifo\n"
			 "special:fifo-link\n"
			 "special:null-link\n"
			 "special:sock\n");
	ck_assert_int_eq(jt_walk_failed(w), 0);
	jt_walk_free(w);
	close(s);
	remove_tree();
}
END_TEST

START_TEST(a_named_fifo_and_stdin_are_taken_as_named)
{
	struct jt_walk *w;

	make_tree();
	ck_assert_int_eq(mkfifo(at("fifo"), 0644), 0);
	w = walk2(at("fifo"), "-", NULL);
	ck_assert_uint_eq(jt_walk_nfiles(w), 2);
	ck_assert_str_eq(jt_walk_file_at(w, 0)->path, "-");
	ck_assert_int_eq(jt_walk_file_at(w, 0)->named, 1);
	ck_assert_uint_eq(jt_walk_file_at(w, 0)->root, 1);
	ck_assert_str_eq(jt_walk_file_at(w, 1)->path, at("fifo"));
	jt_walk_free(w);
	remove_tree();
}
END_TEST

START_TEST(an_unreadable_folder_is_an_error_and_the_rest_is_listed)
{
	struct jt_walk *w;
	pid_t pid;
	int status;

	make_tree();
	ck_assert_int_eq(mkdir(at("closed"), 0755), 0);
	ck_assert_int_eq(mkdir(at("open"), 0755), 0);
	put(at("closed/secret"), "");
	put(at("open/f"), "");
	ck_assert_int_eq(chmod(at("closed"), 0), 0);
	/* Root reads any folder: walk as nobody, in a child, which says by
	 * its exit status whether it saw what it should. */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int ok;

		if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
			_exit(2);
		w = walk1(root, NULL);
		ok = strcmp(paths(w), "open/f") == 0 &&
			strcmp(notes(w), "error:closed\n") == 0 &&
			strstr(jt_walk_note_at(w, 0)->err.text,
			       "Permission denied") != NULL &&
			jt_walk_failed(w) == 1;
		if (!ok)
			fprintf(stderr, "files '%s' notes '%s'\n", paths(w),
				notes(w));
		jt_walk_free(w);
		_exit(ok ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	remove_tree();
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "the walk as nobody went wrong (status %d)", status);
}
END_TEST

START_TEST(a_missing_path_is_an_error_naming_it)
{
	struct jt_walk *w;

	make_tree();
	put(at("f"), "");
	w = walk2(at("nope"), at("f"), NULL);
	ck_assert_str_eq(paths(w), "f");
	ck_assert_str_eq(notes(w), "error:nope\n");
	ck_assert_str_eq(jt_walk_note_at(w, 0)->err.text,
			 "cannot open: No such file or directory");
	jt_walk_free(w);
	remove_tree();
}
END_TEST

START_TEST(a_file_under_two_names_is_listed_once_under_the_first)
{
	struct jt_walk *w;

	make_tree();
	ck_assert_int_eq(mkdir(at("d"), 0755), 0);
	put(at("d/b.ips"), "x");
	ck_assert_int_eq(link(at("d/b.ips"), at("d/c.ips")), 0);
	ck_assert_int_eq(symlink("b.ips", at("d/a.ips")), 0);
	put(at("d/copy.ips"), "x"); /* same bytes, another file: kept */
	w = walk2(at("d"), at("d/b.ips"), NULL); /* also named */
	ck_assert_str_eq(paths(w), "d/a.ips d/copy.ips");
	ck_assert_str_eq(notes(w),
			 "same-file:d/b.ips\n"
			 "same-file:d/b.ips\n"
			 "same-file:d/c.ips\n");
	ck_assert_ptr_nonnull(
		strstr(jt_walk_note_at(w, 2)->err.text, "the same file as"));
	ck_assert_ptr_nonnull(
		strstr(jt_walk_note_at(w, 2)->err.text, "d/a.ips: read once"));
	ck_assert_uint_eq(jt_walk_root_at(w, 0)->nfiles, 2);
	ck_assert_uint_eq(jt_walk_root_at(w, 1)->nfiles, 0);
	ck_assert_int_eq(jt_walk_failed(w), 0);
	jt_walk_free(w);
	remove_tree();
}
END_TEST

START_TEST(a_path_named_twice_is_read_once)
{
	struct jt_walk *w;

	make_tree();
	put(at("f"), "");
	w = walk2(at("f"), at("f"), NULL);
	ck_assert_str_eq(paths(w), "f");
	ck_assert_str_eq(notes(w), "same-file:f\n");
	ck_assert_str_eq(jt_walk_note_at(w, 0)->err.text,
			 "reached twice: read once");
	ck_assert_uint_eq(jt_walk_root_at(w, 0)->nfiles, 1);
	ck_assert_uint_eq(jt_walk_root_at(w, 1)->nfiles, 0);
	jt_walk_free(w);
	remove_tree();
}
END_TEST

START_TEST(folders_nested_deeper_than_the_bound_are_an_error)
{
	struct jt_walk_opts o = {NULL, NULL, 2};
	struct jt_walk *w;

	make_tree();
	ck_assert_int_eq(mkdir(at("1"), 0755), 0);
	ck_assert_int_eq(mkdir(at("1/2"), 0755), 0);
	ck_assert_int_eq(mkdir(at("1/2/3"), 0755), 0);
	put(at("1/f"), "");
	put(at("1/2/f"), "");
	put(at("1/2/3/f"), "");
	w = walk1(root, &o);
	ck_assert_str_eq(paths(w), "1/2/f 1/f");
	ck_assert_str_eq(notes(w), "error:1/2/3\n");
	ck_assert_str_eq(jt_walk_note_at(w, 0)->err.text,
			 "directory nested too deep: not read");
	jt_walk_free(w);
	remove_tree();
}
END_TEST

START_TEST(name_and_suffix_pick_files_inside_folders_only)
{
	struct jt_walk_opts byname = {"run.json", NULL, 0};
	struct jt_walk_opts bysuffix = {NULL, ".jsonl", 0};
	struct jt_walk *w;

	make_tree();
	ck_assert_int_eq(mkdir(at("r1"), 0755), 0);
	ck_assert_int_eq(mkdir(at("r2"), 0755), 0);
	put(at("r1/run.json"), "{}");
	put(at("r1/probe.jsonl"), "");
	put(at("r2/run.json"), "{}");
	put(at("r2/run.json.tmp-abc"), "");
	put(at("other.json"), "");
	ck_assert_int_eq(mkfifo(at("r2/fifo.jsonl"), 0644), 0);
	w = walk2(root, at("other.json"), &byname);
	ck_assert_str_eq(paths(w), "other.json r1/run.json r2/run.json");
	ck_assert_str_eq(notes(w), "");
	jt_walk_free(w);
	w = walk1(root, &bysuffix);
	ck_assert_str_eq(paths(w), "r1/probe.jsonl");
	ck_assert_str_eq(notes(w), "special:r2/fifo.jsonl\n");
	jt_walk_free(w);
	remove_tree();
}
END_TEST

START_TEST(the_idset_remembers_where_an_id_came_first_and_grows)
{
	struct jt_idset *s = jt_idset_new(NULL);
	const char *first = NULL;
	char id[32], path[32];
	int i;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < 5000; i++) {
		snprintf(id, sizeof(id), "ID-%d", i);
		snprintf(path, sizeof(path), "p%d", i);
		ck_assert_int_eq(jt_idset_add(s, id, path, &first, NULL), 1);
	}
	for (i = 0; i < 5000; i += 499) {
		snprintf(id, sizeof(id), "ID-%d", i);
		snprintf(path, sizeof(path), "p%d", i);
		ck_assert_int_eq(jt_idset_add(s, id, "later", &first, NULL), 0);
		ck_assert_str_eq(first, path);
	}
	jt_idset_free(s);
	jt_idset_free(NULL);
}
END_TEST

START_TEST(a_report_under_two_names_is_read_once)
{
	struct jt_models *models = jt_models_load(NULL, NULL);
	struct jt_idset *seen = jt_idset_new(NULL);
	struct jt_walk_report r;
	struct jt_walk *w;
	size_t i, nnew = 0, ndup = 0, nfail = 0;

	make_tree();
	ck_assert_ptr_nonnull(models);
	copy(REPORT, at("JetsamEvent-1.ips"));
	copy(REPORT, at("JetsamEvent-1.ips.synced"));
	put(at("notes.txt"), "not a report\n");
	w = walk1(root, NULL);
	ck_assert_uint_eq(jt_walk_nfiles(w), 3);
	for (i = 0; i < jt_walk_nfiles(w); i++) {
		const char *p = jt_walk_file_at(w, i)->path;

		switch (jt_walk_report_load(p, models, seen, &r)) {
		case JT_WALK_REPORT_NEW:
			ck_assert_str_eq(p, at("JetsamEvent-1.ips"));
			ck_assert_ptr_nonnull(r.report);
			jt_report_free(r.report);
			nnew++;
			break;
		case JT_WALK_REPORT_DUPLICATE:
			ck_assert_str_eq(p, at("JetsamEvent-1.ips.synced"));
			ck_assert_ptr_null(r.report);
			ck_assert_str_eq(r.first, at("JetsamEvent-1.ips"));
			ck_assert_str_eq(r.err.source, p);
			ck_assert_ptr_nonnull(
				strstr(r.err.text, "incident B04A36B1-"));
			ck_assert_ptr_nonnull(
				strstr(r.err.text, "already read from"));
			ndup++;
			break;
		case JT_WALK_REPORT_FAILED:
			ck_assert_str_eq(p, at("notes.txt"));
			ck_assert_ptr_null(r.report);
			ck_assert_int_ne(r.err.code, JT_OK);
			nfail++;
			break;
		}
	}
	ck_assert_uint_eq(nnew, 1);
	ck_assert_uint_eq(ndup, 1);
	ck_assert_uint_eq(nfail, 1);
	/* Without a set, every copy is new. */
	ck_assert_int_eq(jt_walk_report_load(at("JetsamEvent-1.ips.synced"),
					     models, NULL, &r),
			 JT_WALK_REPORT_NEW);
	jt_report_free(r.report);
	jt_walk_free(w);
	jt_idset_free(seen);
	jt_models_free(models);
	remove_tree();
}
END_TEST

static Suite *
walk_suite(void)
{
	Suite *s = suite_create("walk");
	TCase *tc = tcase_create("core");

	tcase_add_test(
		tc,
		files_come_sorted_in_byte_order_and_hidden_ones_are_left_out);
	tcase_add_test(
		tc, links_to_folders_are_not_followed_so_up_dotdot_counts_once);
	tcase_add_test(tc, a_named_link_to_a_folder_is_followed);
	tcase_add_test(tc, fifos_sockets_and_devices_are_never_opened);
	tcase_add_test(tc, a_named_fifo_and_stdin_are_taken_as_named);
	tcase_add_test(tc,
		       an_unreadable_folder_is_an_error_and_the_rest_is_listed);
	tcase_add_test(tc, a_missing_path_is_an_error_naming_it);
	tcase_add_test(tc,
		       a_file_under_two_names_is_listed_once_under_the_first);
	tcase_add_test(tc, a_path_named_twice_is_read_once);
	tcase_add_test(tc, folders_nested_deeper_than_the_bound_are_an_error);
	tcase_add_test(tc, name_and_suffix_pick_files_inside_folders_only);
	tcase_add_test(tc,
		       the_idset_remembers_where_an_id_came_first_and_grows);
	tcase_add_test(tc, a_report_under_two_names_is_read_once);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(walk_suite)
