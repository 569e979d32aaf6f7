/*
 * check_field_shard.c - field files read on N threads, in whole files and
 * byte ranges, give what one thread gives: the same key state (to the
 * byte of its sketch), files, hashes, bad rows at the same lines, and the
 * same first error, whatever the thread count and range size
 *
 * The inputs are made to be awkward for a cut: a byte-order mark, CRLF
 * line ends, blank lines, quoted fields holding line breaks (one holding
 * a hundred of them, so that cuts land inside it), bad rows spread over
 * the file, and every other kind of input (JSON Lines, MetricKit, a
 * sketch, an aggregate).  Ranges are made a few hundred bytes long so a
 * small file is cut in dozens of places; the module counts the ranges it
 * merged, so a test cannot pass by never cutting.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calibrate/field/field.h"
#include "calibrate/field/field_private.h"
#include "suite.h"

static char dir[] = "/tmp/jt_shard_XXXXXX";
static char path[8][300];
enum { BIG, SESS, LONGQ, MK, SKETCH, AGG, FATAL, MISSING };

static void
put_file(int which, const char *name, const char *text, size_t len)
{
	FILE *fp;

	snprintf(path[which], sizeof(path[which]), "%s/%s", dir, name);
	if (text == NULL)
		return;
	fp = fopen(path[which], "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
}

struct buf {
	char *s;
	size_t len, cap;
};

static void
add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if ((size_t)n < b->cap - b->len)
			break;
		b->cap = b->cap * 2 + (size_t)n + 4096;
		b->s = realloc(b->s, b->cap);
		ck_assert_ptr_nonnull(b->s);
	}
	b->len += (size_t)n;
}

static uint64_t rng = 42;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* make_inputs - write the inputs into a fresh directory. */
static void
make_inputs(void)
{
	struct buf b = {NULL, 0, 0};
	struct jt_field *f;
	FILE *fp;
	int i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* Page growth: BOM, CRLF, blank lines, quoted line breaks, bad
	 * rows every 997 rows. */
	add(&b, "\xef\xbb\xbfmodel,os_version,page,growth_bytes\r\n");
	for (i = 0; i < 30000; i++) {
		int m = (int)(next() % 40), p = (int)(next() % 6);

		if (i % 997 == 500)
			add(&b, "\"iPhone%d,1\",16.%d,p%d,20M\r\n", m, i % 3,
			    p);
		else if (i % 1000 == 7)
			add(&b,
			    "\"iPhone%d,1\",16.%d,\"two\r\nlines\",%llu\r\n", m,
			    i % 3, (unsigned long long)(next() % 100000000));
		else if (i % 2500 == 3)
			add(&b, "\r\n");
		else
			add(&b, "\"iPhone%d,1\",16.%d,p%d,%llu\r\n", m, i % 3,
			    p, (unsigned long long)(next() % 100000000));
	}
	put_file(BIG, "big.csv", b.s, b.len);
	/* The same with a stray quote at row 20000: fatal there. */
	{
		char *at = b.s;

		for (i = 0; i < 20000; i++)
			at = strstr(at + 1, "\r\n\"iPhone");
		at[2] = 'X'; /* XiPhone12,1",...: a stray quote */
		put_file(FATAL, "fatal.csv", b.s, b.len);
	}
	b.len = 0;
	/* Sessions as JSON Lines, a bad line every 1500. */
	for (i = 0; i < 20000; i++) {
		if (i % 1500 == 99)
			add(&b,
			    "{\"model\":\"iPad%d,1\",\"os_version\":\"17\"\n",
			    i % 9);
		else
			add(&b,
			    "{\"model\":\"iPad%d,1\",\"os_version\":\"17.%d\","
			    "\"peak_footprint_bytes\":%llu,\"oom\":%d}\n",
			    (int)(next() % 9), i % 4,
			    (unsigned long long)(next() % 3000000000ull),
			    next() % 20 == 0);
	}
	put_file(SESS, "sess.jsonl", b.s, b.len);
	b.len = 0;
	/* A quoted field of 100 line breaks: cuts land inside it. */
	add(&b, "model,os_version,page,growth_bytes\n");
	for (i = 0; i < 5000; i++) {
		if (i == 2500) {
			int k;

			add(&b, "\"iPhone9,9\",15.0,\"long");
			for (k = 0; k < 100; k++)
				add(&b, "\n line %d of a quoted page", k);
			add(&b, "\",12345\n");
		} else {
			add(&b, "\"iPhone9,%d\",15.0,q%d,%llu\n", i % 5, i % 3,
			    (unsigned long long)(next() % 50000000));
		}
	}
	put_file(LONGQ, "longq.csv", b.s, b.len);
	b.len = 0;
	put_file(MK, "mk.json", NULL, 0);
	snprintf(path[MK], sizeof(path[MK]), "%s",
		 "tests/corpus/metrickit/transcribed/"
		 "nicepk-sim_ios14.2_iPhone10-3.reduced.json");
	/* A sketch of some rows of models the others also have. */
	f = jt_field_new(JT_STAT_MAX, 0, NULL);
	add(&b, "model,os_version,page,growth_bytes\n");
	for (i = 0; i < 3000; i++)
		add(&b, "\"iPhone%d,1\",16.0,p%d,%llu\n", i % 50, i % 7,
		    (unsigned long long)(next() % 90000000));
	ck_assert_int_eq(jt_field_read_mem(f, b.s, b.len, "x.csv", NULL), 0);
	put_file(SKETCH, "s.sketch", NULL, 0);
	fp = fopen(path[SKETCH], "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(jt_field_sketch_write(f, fp, NULL), 0);
	ck_assert_int_eq(fclose(fp), 0);
	jt_field_free(f);
	b.len = 0;
	add(&b,
	    "model,page,count,max_growth_bytes,p99_growth_bytes,"
	    "p999_growth_bytes\n\"iPhone3,1\",feed,10,500,400,450\n");
	put_file(AGG, "agg.csv", b.s, b.len);
	put_file(MISSING, "missing.csv", NULL, 0);
	free(b.s);
}

static void
remove_inputs(void)
{
	static const char *const names[] = {"big.csv",    "fatal.csv",
					    "sess.jsonl", "longq.csv",
					    "s.sketch",   "agg.csv"};
	char p[400];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* One read of a list of files. */
struct run {
	struct jt_field *f;
	int rc;
	struct jt_error err;
	char *sketch;
};

static struct run
read_list(const int *which, size_t n, int jobs, int64_t range_bytes,
	  enum jt_statistic stat, long max_bad)
{
	const char *paths[8];
	struct run r;
	size_t i, len = 0;
	FILE *m;

	for (i = 0; i < n; i++)
		paths[i] = path[which[i]];
	r.f = jt_field_new(stat, max_bad, NULL);
	fieldp_set_shard_bytes(r.f, range_bytes);
	jt_error_init(&r.err);
	r.rc = jt_field_read_files(r.f, paths, n, jobs, &r.err);
	r.sketch = NULL;
	m = open_memstream(&r.sketch, &len);
	ck_assert_ptr_nonnull(m);
	jt_field_sketch_write(r.f, m, NULL); /* fails with aggregates */
	fclose(m);
	return r;
}

static void
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		ck_assert_ptr_eq(a, b);
	else
		ck_assert_str_eq(a, b);
}

/* same - everything a caller can see of one and many agrees. */
static void
same(const struct run *one, const struct run *many)
{
	const struct jt_field *a = one->f, *b = many->f;
	struct jt_field_model *ma, *mb;
	struct jt_field_page *pa, *pb;
	size_t na, nb, i;

	ck_assert_int_eq(one->rc, many->rc);
	ck_assert_int_eq(one->err.code, many->err.code);
	ck_assert_str_eq(one->err.source, many->err.source);
	ck_assert_int_eq(one->err.line, many->err.line);
	ck_assert_int_eq(one->err.column, many->err.column);
	ck_assert_str_eq(one->err.text, many->err.text);
	ck_assert_uint_eq(jt_field_nfiles(a), jt_field_nfiles(b));
	for (i = 0; i < jt_field_nfiles(a); i++) {
		const struct jt_field_file *x = jt_field_file_at(a, i);
		const struct jt_field_file *y = jt_field_file_at(b, i);

		ck_assert_str_eq(x->path, y->path);
		ck_assert_int_eq(x->shape, y->shape);
		ck_assert_int_eq(x->jsonl, y->jsonl);
		ck_assert_str_eq(x->sha256, y->sha256);
		ck_assert_int_eq(x->bytes, y->bytes);
		ck_assert_int_eq(x->rows, y->rows);
		ck_assert_int_eq(x->bad_rows, y->bad_rows);
		ck_assert_int_eq(x->skipped, y->skipped);
	}
	ck_assert_int_eq(jt_field_bad_total(a), jt_field_bad_total(b));
	ck_assert_uint_eq(jt_field_nbad(a), jt_field_nbad(b));
	for (i = 0; i < jt_field_nbad(a); i++) {
		const struct jt_error *x = jt_field_bad_at(a, i);
		const struct jt_error *y = jt_field_bad_at(b, i);

		ck_assert_str_eq(x->source, y->source);
		ck_assert_int_eq(x->line, y->line);
		ck_assert_str_eq(x->text, y->text);
	}
	ma = jt_field_summarize(a, &na, NULL);
	mb = jt_field_summarize(b, &nb, NULL);
	ck_assert_uint_eq(na, nb);
	for (i = 0; i < na; i++) {
		ck_assert_str_eq(ma[i].model, mb[i].model);
		ck_assert_int_eq(ma[i].growth_bytes, mb[i].growth_bytes);
		same_str(ma[i].growth_page, mb[i].growth_page);
		ck_assert_int_eq(ma[i].growth_samples, mb[i].growth_samples);
		ck_assert_int_eq(ma[i].baseline_bytes, mb[i].baseline_bytes);
		ck_assert_int_eq(ma[i].session_samples, mb[i].session_samples);
		ck_assert_msg(ma[i].oom_sessions == mb[i].oom_sessions,
			      "%s: %ld against %ld", ma[i].model,
			      ma[i].oom_sessions, mb[i].oom_sessions);
		same_str(ma[i].first_source, mb[i].first_source);
		ck_assert_int_eq(ma[i].first_line, mb[i].first_line);
	}
	free(ma);
	free(mb);
	pa = jt_field_pages(a, &na, NULL);
	pb = jt_field_pages(b, &nb, NULL);
	ck_assert_uint_eq(na, nb);
	for (i = 0; i < na; i++) {
		ck_assert_str_eq(pa[i].model, pb[i].model);
		ck_assert_str_eq(pa[i].page, pb[i].page);
		ck_assert_int_eq(pa[i].count, pb[i].count);
		ck_assert_int_eq(pa[i].max_bytes, pb[i].max_bytes);
		ck_assert_int_eq(pa[i].p99_bytes, pb[i].p99_bytes);
		ck_assert_int_eq(pa[i].p999_bytes, pb[i].p999_bytes);
	}
	free(pa);
	free(pb);
	ck_assert_msg(strcmp(one->sketch, many->sketch) == 0,
		      "the sketches differ");
}

static void
release(struct run *r)
{
	jt_field_free(r->f);
	free(r->sketch);
}

/*
 * check_list - which[] read on 1 thread and on several, with ranges of a
 * few sizes; returns the ranges merged over all the runs.
 */
static size_t
check_list(const int *which, size_t n, enum jt_statistic stat, long max_bad)
{
	static const int jobs[] = {2, 3, 7};
	static const int64_t range_bytes[] = {256, 4096, 100000};
	struct run one = read_list(which, n, 1, 256, stat, max_bad);
	size_t i, j, ranges = 0;

	ck_assert_uint_eq(one.f->ranges_merged, 0);
	for (i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++)
		for (j = 0; j < sizeof(range_bytes) / sizeof(range_bytes[0]);
		     j++) {
			struct run many =
				read_list(which, n, jobs[i], range_bytes[j],
					  stat, max_bad);

			same(&one, &many);
			ranges += many.f->ranges_merged;
			release(&many);
		}
	release(&one);
	return ranges;
}

START_TEST(every_kind_of_input_reads_the_same_on_many_threads)
{
	static const int list[] = {BIG, SESS, LONGQ, MK, SKETCH, AGG};
	static const enum jt_statistic stats[] = {JT_STAT_MAX, JT_STAT_P99,
						  JT_STAT_P999};
	size_t i;

	for (i = 0; i < 3; i++)
		ck_assert_uint_gt(check_list(list, 6, stats[i], 1000), 100);
	/* Without the aggregate, so the sketches are compared too. */
	ck_assert_uint_gt(check_list(list, 5, JT_STAT_P99, 1000), 100);
}
END_TEST

START_TEST(the_bad_row_limit_stops_at_the_same_file_with_the_same_rows)
{
	/* big.csv has 30 bad rows (rows 500, 1497, ... of 30000: every
	 * 997th), the first on line 503 (the header, and row 7 holds a
	 * line break); sess.jsonl has 14: a limit of 40 is passed in
	 * sess.jsonl. */
	static const int list[] = {BIG, SESS, LONGQ};
	struct run one = read_list(list, 3, 1, 256, JT_STAT_MAX, 40);

	ck_assert_int_eq(one.rc, -1);
	ck_assert_int_eq(one.err.code, JT_ELIMIT);
	ck_assert_str_eq(one.err.source, path[SESS]);
	ck_assert_int_eq(jt_field_bad_total(one.f), 30 + 14);
	ck_assert_int_eq(jt_field_bad_at(one.f, 0)->line, 503);
	release(&one);
	check_list(list, 3, JT_STAT_MAX, 40);
	/* And past the hundred messages kept. */
	{
		static const int twice[] = {BIG, BIG, SESS, BIG, SESS};

		check_list(twice, 5, JT_STAT_MAX, 1000);
	}
}
END_TEST

START_TEST(a_fatal_error_inside_a_range_is_the_same_error_at_the_same_line)
{
	static const int list[] = {SESS, FATAL, LONGQ};
	static const int gone[] = {BIG, MISSING, SESS};
	struct run one = read_list(list, 3, 1, 256, JT_STAT_MAX, 1000);

	ck_assert_int_eq(one.rc, -1);
	ck_assert_int_eq(one.err.code, JT_EPARSE);
	ck_assert_str_eq(one.err.source, path[FATAL]);
	ck_assert_str_eq(one.err.text, "stray quote inside an unquoted field");
	ck_assert_int_gt(one.err.line, 19000);
	release(&one);
	check_list(list, 3, JT_STAT_MAX, 1000);
	check_list(gone, 3, JT_STAT_MAX, 1000);
}
END_TEST

START_TEST(a_bucket_overflow_seen_only_in_the_merge_is_reported_at_its_row)
{
	static const char rec[] =
		"{\"buckets\":\"5:4294967295\",\"count\":4294967295,"
		"\"kind\":\"growth\",\"max_bytes\":5,\"min_bytes\":5,"
		"\"model\":\"A\",\"oom_count\":0,\"page\":\"p\","
		"\"sketch\":\"v1:log2x64\"}\n";
	static const int list[] = {SKETCH, AGG};
	struct run one, many;

	/* Two files of one key each: only their sum overflows. */
	put_file(SKETCH, "o1.sketch", rec, strlen(rec));
	put_file(AGG, "o2.sketch", rec, strlen(rec));
	one = read_list(list, 2, 1, 256, JT_STAT_MAX, 0);
	many = read_list(list, 2, 2, 256, JT_STAT_MAX, 0);
	ck_assert_int_eq(one.err.code, JT_ELIMIT);
	ck_assert_str_eq(one.err.source, path[AGG]);
	ck_assert_int_eq(one.err.line, 1);
	same(&one, &many);
	release(&one);
	release(&many);
	unlink(path[SKETCH]);
	unlink(path[AGG]);
}
END_TEST

static Suite *
field_shard_suite(void)
{
	Suite *s = suite_create("field_shard");
	TCase *tc = tcase_create("core");

	tcase_add_unchecked_fixture(tc, make_inputs, remove_inputs);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, every_kind_of_input_reads_the_same_on_many_threads);
	tcase_add_test(
		tc,
		the_bad_row_limit_stops_at_the_same_file_with_the_same_rows);
	tcase_add_test(
		tc,
		a_fatal_error_inside_a_range_is_the_same_error_at_the_same_line);
	tcase_add_test(
		tc,
		a_bucket_overflow_seen_only_in_the_merge_is_reported_at_its_row);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(field_shard_suite)
