/*
 * check_field_sketch.c - the sketch as a file: written sorted and the same
 * for the same state, read back exactly, merged exactly (the sketch of
 * all the rows is the merge of the sketches of any split of them, empty
 * parts and keys of one part included), and every way a record can be
 * bad, at its line
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/field/field.h"
#include "calibrate/field/field_private.h"
#include "suite.h"

/* ---- helpers ---------------------------------------------------------------
 */

/* sketch_of - f's sketch file as a new string. */
static char *
sketch_of(const struct jt_field *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct jt_error err;

	ck_assert_ptr_nonnull(m);
	jt_error_init(&err);
	ck_assert_msg(jt_field_sketch_write(f, m, &err) == 0, "%s", err.text);
	ck_assert_int_eq(fclose(m), 0);
	return buf;
}

/* read_str - text as one file named name into f; 0 or -1. */
static int
read_str(struct jt_field *f, const char *text, const char *name,
	 struct jt_error *err)
{
	jt_error_init(err);
	return jt_field_read_mem(f, text, strlen(text), name, err);
}

static uint64_t rng;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/*
 * value - a byte count that exercises the buckets: small exact values,
 * powers of two and their neighbours, and a log-uniform spread.
 */
static int64_t
value(void)
{
	uint64_t r = next();
	int e = (int)(r % 46);

	switch ((r >> 8) % 4) {
	case 0:
		return (int64_t)((r >> 16) % 200);
	case 1:
		return ((int64_t)1 << e) + (int64_t)((r >> 16) % 3) - 1;
	default:
		return ((int64_t)1 << e) +
			(int64_t)((r >> 16) & (((uint64_t)1 << e) - 1));
	}
}

/* A growing text buffer. */
struct text {
	char *s;
	size_t len, cap;
};

static void
add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		ck_assert_int_ge(n, 0);
		if ((size_t)n < t->cap - t->len)
			break;
		t->cap = t->cap ? t->cap * 2 + (size_t)n : 4096 + (size_t)n;
		t->s = realloc(t->s, t->cap);
		ck_assert_ptr_nonnull(t->s);
	}
	t->len += (size_t)n;
}

/* same_text - a and b equal; else fail naming the first line that differs. */
static void
same_text(const char *a, const char *b, const char *what)
{
	const char *p = a, *q = b;
	long line = 1;

	for (; *p != '\0' && *p == *q; p++, q++)
		line += *p == '\n';
	ck_assert_msg(*p == *q,
		      "%s: differ at line %ld: '%.80s' against '%.80s'", what,
		      line, p, q);
}

/* compare_results - the summaries and per-page rows of a and b agree. */
static void
compare_results(const struct jt_field *a, const struct jt_field *b)
{
	struct jt_field_model *ma, *mb;
	struct jt_field_page *pa, *pb;
	size_t na, nb, i;

	ma = jt_field_summarize(a, &na, NULL);
	mb = jt_field_summarize(b, &nb, NULL);
	ck_assert_uint_eq(na, nb);
	for (i = 0; i < na; i++) {
		ck_assert_str_eq(ma[i].model, mb[i].model);
		ck_assert_int_eq(ma[i].growth_bytes, mb[i].growth_bytes);
		ck_assert_int_eq(ma[i].baseline_bytes, mb[i].baseline_bytes);
		ck_assert_int_eq(ma[i].growth_samples, mb[i].growth_samples);
		ck_assert_int_eq(ma[i].session_samples, mb[i].session_samples);
		ck_assert_int_eq(ma[i].oom_sessions, mb[i].oom_sessions);
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
}

/* ---- the sketch of a sketch ------------------------------------------------
 */

START_TEST(sketches_merge_exactly)
{
	struct jt_sketch whole, a, b, c;
	int i;

	rng = 1234567;
	jt_sketch_init(&whole);
	jt_sketch_init(&a);
	jt_sketch_init(&b);
	jt_sketch_init(&c);
	for (i = 0; i < 20000; i++) {
		int64_t v = value();

		ck_assert_int_eq(jt_sketch_add(&whole, v, NULL), 0);
		ck_assert_int_eq(jt_sketch_add(i % 3 ? &a : &b, v, NULL), 0);
	}
	/* Into an empty one, then the other half; and an empty one in. */
	ck_assert_int_eq(jt_sketch_merge(&c, &a, NULL), 0);
	ck_assert_int_eq(jt_sketch_merge(&c, &b, NULL), 0);
	jt_sketch_release(&a);
	ck_assert_int_eq(jt_sketch_merge(&c, &a, NULL), 0);
	ck_assert_int_eq(c.count, whole.count);
	ck_assert_int_eq(c.min, whole.min);
	ck_assert_int_eq(c.max, whole.max);
	ck_assert_int_eq(c.off, whole.off);
	ck_assert_int_eq(c.nbins, whole.nbins);
	ck_assert_mem_eq(c.bins, whole.bins,
			 (size_t)whole.nbins * sizeof(*whole.bins));
	jt_sketch_release(&whole);
	jt_sketch_release(&b);
	jt_sketch_release(&c);
}
END_TEST

START_TEST(a_bucket_past_four_billion_is_refused_and_leaves_the_sketch)
{
	struct jt_sketch a, b;
	struct jt_error err;

	jt_sketch_init(&a);
	jt_sketch_init(&b);
	ck_assert_int_eq(jt_sketch_add(&a, 1000, NULL), 0);
	ck_assert_int_eq(jt_sketch_add(&b, 1000, NULL), 0);
	a.bins[0] = UINT32_MAX;
	jt_error_init(&err);
	ck_assert_int_eq(jt_sketch_merge(&a, &b, &err), -1);
	ck_assert_int_eq(err.code, JT_ELIMIT);
	ck_assert_int_eq(a.count, 1);
	ck_assert_uint_eq(a.bins[0], UINT32_MAX);
	jt_sketch_release(&a);
	jt_sketch_release(&b);
}
END_TEST

START_TEST(bucket_bounds_cover_every_value_once)
{
	int32_t b;
	int64_t next_low = 0;

	for (b = 0; b <= JT_SKETCH_LAST_BUCKET; b++) {
		int64_t lo = jt_sketch_bucket_low(b);
		int64_t w = jt_sketch_bucket_width(b);

		ck_assert_int_eq(lo, next_low);
		ck_assert_int_eq(jt_sketch_bucket(lo), b);
		ck_assert_int_eq(jt_sketch_bucket(lo + (w - 1)), b);
		next_low = b < JT_SKETCH_LAST_BUCKET ? lo + w : 0;
	}
	ck_assert_int_eq(jt_sketch_bucket(INT64_MAX), JT_SKETCH_LAST_BUCKET);
}
END_TEST

/* ---- the file --------------------------------------------------------------
 */

static const char growth_hdr[] = "model,os_version,page,growth_bytes\n";
static const char sessions_hdr[] =
	"model,os_version,peak_footprint_bytes,oom\n";

START_TEST(a_sketch_is_sorted_and_names_its_format)
{
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_error err;
	char *s;

	ck_assert_int_eq(read_str(f,
				  "model,os_version,page,growth_bytes\n"
				  "B,1,p,300\nA,1,q,5\nA,1,p,200\nA,1,p,130\n",
				  "g.csv", &err),
			 0);
	ck_assert_int_eq(read_str(f,
				  "model,os_version,peak_footprint_bytes,oom\n"
				  "B,1,1000,0\nC,1,9,1\nC,1,9,true\n",
				  "s.csv", &err),
			 0);
	s = sketch_of(f);
	/* Buckets by hand: 130 and 200 have e = 7, so 64 + (v >> 1): 129
	 * and 164; 300 has e = 8: 128 + (300 >> 2) = 203; 1000 has e = 9:
	 * 192 + (1000 >> 3) = 317; 5 is below 128: its own bucket. */
	ck_assert_str_eq(
		s,
		"{\"buckets\":\"129:1 164:1\",\"count\":2,\"kind\":\"growth\","
		"\"max_bytes\":200,\"min_bytes\":130,\"model\":\"A\","
		"\"oom_count\":0,\"page\":\"p\",\"sketch\":\"v1:log2x64\"}\n"
		"{\"buckets\":\"5:1\",\"count\":1,\"kind\":\"growth\","
		"\"max_bytes\":5,\"min_bytes\":5,\"model\":\"A\","
		"\"oom_count\":0,\"page\":\"q\",\"sketch\":\"v1:log2x64\"}\n"
		"{\"buckets\":\"203:1\",\"count\":1,\"kind\":\"growth\","
		"\"max_bytes\":300,\"min_bytes\":300,\"model\":\"B\","
		"\"oom_count\":0,\"page\":\"p\",\"sketch\":\"v1:log2x64\"}\n"
		"{\"buckets\":\"317:1\",\"count\":1,\"kind\":\"sessions\","
		"\"max_bytes\":1000,\"min_bytes\":1000,\"model\":\"B\","
		"\"oom_count\":0,\"page\":\"\",\"sketch\":\"v1:log2x64\"}\n"
		"{\"buckets\":\"\",\"count\":0,\"kind\":\"sessions\","
		"\"max_bytes\":null,\"min_bytes\":null,\"model\":\"C\","
		"\"oom_count\":2,\"page\":\"\",\"sketch\":\"v1:log2x64\"}\n");
	ck_assert_int_eq(jt_sketch_bucket(130), 129);
	ck_assert_int_eq(jt_sketch_bucket(200), 164);
	ck_assert_int_eq(jt_sketch_bucket(300), 203);
	ck_assert_int_eq(jt_sketch_bucket(1000), 317);
	free(s);
	jt_field_free(f);
}
END_TEST

START_TEST(a_sketch_read_back_gives_the_same_results_and_bytes)
{
	struct jt_field *raw = jt_field_new(JT_STAT_P99, 0, NULL);
	struct jt_field *back = jt_field_new(JT_STAT_P99, 0, NULL);
	struct text g = {NULL, 0, 0}, ses = {NULL, 0, 0};
	struct jt_error err;
	char *s1, *s2;
	int i;

	rng = 99;
	add(&g, "%s", growth_hdr);
	add(&ses, "%s", sessions_hdr);
	for (i = 0; i < 5000; i++) {
		add(&g, "\"iPhone%d,1\",16.%d,page%d,%lld\n", (int)(next() % 7),
		    i % 3, (int)(next() % 5), (long long)value());
		add(&ses, "\"iPhone%d,1\",16.1,%lld,%d\n", (int)(next() % 9),
		    (long long)value(), next() % 10 == 0);
	}
	ck_assert_int_eq(read_str(raw, g.s, "g.csv", &err), 0);
	ck_assert_int_eq(read_str(raw, ses.s, "s.csv", &err), 0);
	s1 = sketch_of(raw);
	ck_assert_int_eq(read_str(back, s1, "s.sketch", &err), 0);
	ck_assert_int_eq(jt_field_file_at(back, 0)->shape, JT_FIELD_SKETCH);
	ck_assert_str_eq(jt_field_shape_name(JT_FIELD_SKETCH), "field-sketch");
	compare_results(raw, back);
	s2 = sketch_of(back);
	same_text(s2, s1, "read back");
	free(s1);
	free(s2);
	free(g.s);
	free(ses.s);
	jt_field_free(raw);
	jt_field_free(back);
}
END_TEST

/*
 * as_bucket_rows - a sketch file rewritten as CSV with one record per key
 * and bucket, as a SQL engine gives it: each record a valid one-bucket
 * sketch whose min and max lie in its bucket, the key's min in the first
 * and its max in the last.
 */
static char *
as_bucket_rows(const char *sketch)
{
	struct text t = {NULL, 0, 0};
	const char *line = sketch;

	add(&t,
	    "sketch,kind,model,page,count,min_bytes,max_bytes,oom_count,"
	    "buckets\n");
	while (*line != '\0') {
		const char *nl = strchr(line, '\n');
		json_t *o = json_loadb(line, (size_t)(nl - line), 0, NULL);
		const char *b =
			json_string_value(json_object_get(o, "buckets"));
		const char *kind =
			json_string_value(json_object_get(o, "kind"));
		const char *model =
			json_string_value(json_object_get(o, "model"));
		const char *page =
			json_string_value(json_object_get(o, "page"));
		long long mn =
			json_integer_value(json_object_get(o, "min_bytes"));
		long long mx =
			json_integer_value(json_object_get(o, "max_bytes"));
		long long oom =
			json_integer_value(json_object_get(o, "oom_count"));
		int first = 1;

		ck_assert_ptr_nonnull(o);
		if (oom > 0)
			add(&t, "v1:log2x64,%s,\"%s\",\"%s\",0,,,%lld,\n", kind,
			    model, page, oom);
		while (*b != '\0') {
			long bk = strtol(b, (char **)&b, 10);
			long n = strtol(b + 1, (char **)&b, 10);
			long long lo, hi;

			if (*b == ' ')
				b++;
			lo = first ? mn : jt_sketch_bucket_low((int32_t)bk);
			hi = *b == '\0' ? mx : lo;
			if (first && *b != '\0')
				hi = mn;
			add(&t,
			    "v1:log2x64,%s,\"%s\",\"%s\",%ld,%lld,%lld,0,%ld:%ld\n",
			    kind, model, page, n, lo, hi, bk, n);
			first = 0;
		}
		json_decref(o);
		line = nl + 1;
	}
	return t.s;
}

START_TEST(a_sketch_as_one_csv_record_per_bucket_reads_the_same)
{
	struct jt_field *raw = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_field *rows = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct text g = {NULL, 0, 0}, ses = {NULL, 0, 0};
	struct jt_error err;
	char *s1, *csv, *s2;
	int i;

	rng = 7;
	add(&g, "%s", growth_hdr);
	add(&ses, "%s", sessions_hdr);
	for (i = 0; i < 3000; i++) {
		add(&g, "\"iPad%d,2\",17.0,p%d,%lld\n", (int)(next() % 4),
		    (int)(next() % 3), (long long)value());
		add(&ses, "\"iPad%d,2\",17.0,%lld,%d\n", (int)(next() % 5),
		    (long long)value(), next() % 4 == 0);
	}
	ck_assert_int_eq(read_str(raw, g.s, "g.csv", &err), 0);
	ck_assert_int_eq(read_str(raw, ses.s, "s.csv", &err), 0);
	s1 = sketch_of(raw);
	csv = as_bucket_rows(s1);
	ck_assert_msg(read_str(rows, csv, "rows.csv", &err) == 0, "%s",
		      err.text);
	ck_assert_int_gt(jt_field_file_at(rows, 0)->rows,
			 jt_field_file_at(raw, 0)->rows / 100);
	s2 = sketch_of(rows);
	same_text(s2, s1, "bucket records");
	compare_results(raw, rows);
	free(s1);
	free(s2);
	free(csv);
	free(g.s);
	free(ses.s);
	jt_field_free(raw);
	jt_field_free(rows);
}
END_TEST

/* ---- merging: the property ------------------------------------------------
 */

#define NSHARDS_MAX 6

START_TEST(the_sketch_of_all_rows_is_the_merge_of_any_split)
{
	static const enum jt_statistic stats[] = {JT_STAT_MAX, JT_STAT_P99,
						  JT_STAT_P999};
	int round;

	for (round = 0; round < 30; round++) {
		enum jt_statistic stat = stats[round % 3];
		int k = 1 + round % NSHARDS_MAX, i, s;
		struct text g[NSHARDS_MAX + 1], ses[NSHARDS_MAX + 1];
		struct text cat = {NULL, 0, 0};
		struct jt_field *whole = jt_field_new(stat, 0, NULL);
		struct jt_field *merged = jt_field_new(stat, 0, NULL);
		struct jt_field *catf = jt_field_new(stat, 0, NULL);
		struct jt_field *part;
		char *sw, *sm, *sc, *sk[NSHARDS_MAX];
		struct jt_error err;
		int nrows;

		rng = 0x9e3779b97f4a7c15ull * (uint64_t)(round + 1);
		nrows = 200 + (int)(next() % 3000);
		memset(g, 0, sizeof(g));
		memset(ses, 0, sizeof(ses));
		for (s = 0; s <= k; s++) {
			add(&g[s], "%s", growth_hdr);
			add(&ses[s], "%s", sessions_hdr);
		}
		/* g[k] and ses[k] hold every row. */
		for (i = 0; i < nrows; i++) {
			int model = (int)(next() % 12),
			    page = (int)(next() % 4);
			int key = model * 4 + page, to;
			int64_t v = value();

			/* Keys of model 0 and 1 live in one shard only; the
			 * last shard of an odd round stays empty. */
			if (model < 2)
				to = key % k;
			else
				to = (int)(next() % (uint64_t)k);
			if (round % 2 && k > 1 && to == k - 1)
				to = 0;
			add(&g[to], "\"M%d,1\",15.%d,p%d,%lld\n", model, i % 4,
			    page, (long long)v);
			add(&g[k], "\"M%d,1\",15.%d,p%d,%lld\n", model, i % 4,
			    page, (long long)v);
			if (i % 3 == 0) {
				int oom = next() % 8 == 0;

				add(&ses[to], "\"M%d,1\",15.0,%lld,%d\n", model,
				    (long long)v, oom);
				add(&ses[k], "\"M%d,1\",15.0,%lld,%d\n", model,
				    (long long)v, oom);
			}
		}
		ck_assert_int_eq(read_str(whole, g[k].s, "g.csv", &err), 0);
		ck_assert_int_eq(read_str(whole, ses[k].s, "s.csv", &err), 0);
		sw = sketch_of(whole);
		/* Each shard on its own; an empty one writes nothing. */
		for (s = 0; s < k; s++) {
			part = jt_field_new(stat, 0, NULL);
			if (g[s].len > sizeof(growth_hdr) - 1)
				ck_assert_int_eq(
					read_str(part, g[s].s, "g.csv", &err),
					0);
			if (ses[s].len > sizeof(sessions_hdr) - 1)
				ck_assert_int_eq(
					read_str(part, ses[s].s, "s.csv", &err),
					0);
			sk[s] = sketch_of(part);
			jt_field_free(part);
		}
		if (round % 2 && k > 1)
			ck_assert_str_eq(sk[k - 1], "");
		/* Merged as separate files, in reverse order. */
		for (s = k - 1; s >= 0; s--)
			if (*sk[s] != '\0')
				ck_assert_int_eq(read_str(merged, sk[s],
							  "shard.sketch", &err),
						 0);
		sm = sketch_of(merged);
		same_text(sm, sw, "merged shards");
		compare_results(whole, merged);
		/* And concatenated into one file, empty parts included. */
		for (s = 0; s < k; s++)
			add(&cat, "%s", sk[s]);
		ck_assert_int_eq(read_str(catf, cat.s, "cat.sketch", &err), 0);
		sc = sketch_of(catf);
		same_text(sc, sw, "concatenated shards");
		compare_results(whole, catf);
		for (s = 0; s <= k; s++) {
			free(g[s].s);
			free(ses[s].s);
			if (s < k)
				free(sk[s]);
		}
		free(cat.s);
		free(sw);
		free(sm);
		free(sc);
		jt_field_free(whole);
		jt_field_free(merged);
		jt_field_free(catf);
	}
}
END_TEST

/* ---- bad records
 * -------------------------------------------------------------- */

START_TEST(bad_sketch_records_are_errors_at_their_line)
{
	static const struct {
		const char *row, *msg;
	} cases[] = {
		{"v2:log2x64,growth,A,p,1,5,5,0,5:1",
		 "sketch 'v2:log2x64' is not a format this jetsam reads "
		 "('v1:log2x64')"},
		{"v1:log2x64,pages,A,p,1,5,5,0,5:1",
		 "kind 'pages' is not growth or sessions"},
		{"v1:log2x64,growth,A,,1,5,5,0,5:1", "empty page"},
		{"v1:log2x64,sessions,A,p,1,5,5,0,5:1",
		 "a sessions record has page 'p'"},
		{"v1:log2x64,growth,A,p,1,5,5,1,5:1",
		 "a growth record has oom_count 1"},
		{"v1:log2x64,sessions,A,,0,,,0,",
		 "a record with no samples and no OOM"},
		{"v1:log2x64,sessions,A,,0,5,,2,",
		 "count is 0 but min_bytes or max_bytes is given"},
		{"v1:log2x64,growth,A,p,2,5,,0,5:2",
		 "count is 2 but min_bytes or max_bytes is empty"},
		{"v1:log2x64,growth,A,p,2,6,5,0,5:2",
		 "min_bytes 6 is above max_bytes 5"},
		{"v1:log2x64,growth,A,p,2,5,5M,0,5:2",
		 "max_bytes: '5M' has a unit; give plain bytes here"},
		{"v1:log2x64,growth,A,p,2,5,6,0,5-1 6:1",
		 "buckets: expected 'index:count' pairs separated by one "
		 "space, near '5-1 6:1'"},
		{"v1:log2x64,growth,A,p,2,5,6,0,5:1  6:1",
		 "buckets: expected 'index:count' pairs separated by one "
		 "space, near ' 6:1'"},
		{"v1:log2x64,growth,A,p,2,5,6,0,6:1 5:1",
		 "buckets out of order: 5 after 6"},
		{"v1:log2x64,growth,A,p,2,5,6,0,5:1 5:1",
		 "buckets out of order: 5 after 5"},
		{"v1:log2x64,growth,A,p,1,5,5,0,5:0",
		 "bucket 5: count is not 1 to 4294967295"},
		{"v1:log2x64,growth,A,p,1,5,5,0,5:4294967296",
		 "bucket 5: count is not 1 to 4294967295"},
		{"v1:log2x64,growth,A,p,1,5,5,0,3712:1",
		 "bucket 3712:1 is out of range"},
		{"v1:log2x64,growth,A,p,3,5,6,0,5:1 6:1",
		 "buckets hold 2 samples, count says 3"},
		{"v1:log2x64,growth,A,p,1,6,6,0,5:1",
		 "min_bytes 6 and max_bytes 6 are not in the first and last "
		 "bucket (5, 5)"},
		{"v1:log2x64,growth,A,p,2,5,300,0,5:1 6:1",
		 "min_bytes 5 and max_bytes 300 are not in the first and last "
		 "bucket (5, 6)"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[512];
		struct jt_field *f = jt_field_new(JT_STAT_MAX, 5, NULL);
		struct jt_error err;

		snprintf(text, sizeof(text),
			 "sketch,kind,model,page,count,min_bytes,max_bytes,"
			 "oom_count,buckets\n"
			 "v1:log2x64,growth,B,q,1,7,7,0,7:1\n%s\n",
			 cases[i].row);
		ck_assert_int_eq(read_str(f, text, "k.csv", &err), 0);
		ck_assert_uint_eq(jt_field_nbad(f), 1);
		ck_assert_int_eq(jt_field_bad_at(f, 0)->line, 3);
		ck_assert_msg(
			strcmp(jt_field_bad_at(f, 0)->text, cases[i].msg) == 0,
			"case %zu: got '%s'", i, jt_field_bad_at(f, 0)->text);
		ck_assert_int_eq(jt_field_file_at(f, 0)->rows, 1);
		jt_field_free(f);
	}
}
END_TEST

START_TEST(a_sketch_keeps_no_aggregates_and_an_overflow_names_its_row)
{
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_error err;
	FILE *null = fopen("/dev/null", "w");
	static const char big[] =
		"sketch,kind,model,page,count,min_bytes,max_bytes,oom_count,"
		"buckets\n"
		"v1:log2x64,growth,A,p,4294967295,5,5,0,5:4294967295\n"
		"v1:log2x64,growth,A,p,1,5,5,0,5:1\n";

	ck_assert_int_eq(read_str(f,
				  "model,page,count,max_growth_bytes\n"
				  "A,p,10,500\n",
				  "agg.csv", &err),
			 0);
	jt_error_init(&err);
	ck_assert_int_eq(jt_field_sketch_write(f, null, &err), -1);
	ck_assert_int_eq(err.code, JT_EINVAL);
	ck_assert_str_eq(err.text,
			 "cannot write a sketch: model 'A' page 'p' has "
			 "pre-aggregated rows, which keep no buckets (give raw "
			 "rows or sketches)");
	fclose(null);
	jt_field_free(f);

	/* A bucket passing 2^32 - 1 in a merge: fatal, at its row. */
	f = jt_field_new(JT_STAT_MAX, 0, NULL);
	ck_assert_int_eq(read_str(f, big, "big.csv", &err), -1);
	ck_assert_int_eq(err.code, JT_ELIMIT);
	ck_assert_str_eq(err.source, "big.csv");
	ck_assert_int_eq(err.line, 3);
	ck_assert_str_eq(err.text,
			 "more than 4294967295 values in one sketch bucket");
	jt_field_free(f);
}
END_TEST

static Suite *
field_sketch_suite(void)
{
	Suite *s = suite_create("field_sketch");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, sketches_merge_exactly);
	tcase_add_test(
		tc,
		a_bucket_past_four_billion_is_refused_and_leaves_the_sketch);
	tcase_add_test(tc, bucket_bounds_cover_every_value_once);
	tcase_add_test(tc, a_sketch_is_sorted_and_names_its_format);
	tcase_add_test(tc, a_sketch_read_back_gives_the_same_results_and_bytes);
	tcase_add_test(tc,
		       a_sketch_as_one_csv_record_per_bucket_reads_the_same);
	tcase_add_test(tc, the_sketch_of_all_rows_is_the_merge_of_any_split);
	tcase_add_test(tc, bad_sketch_records_are_errors_at_their_line);
	tcase_add_test(
		tc, a_sketch_keeps_no_aggregates_and_an_overflow_names_its_row);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(field_sketch_suite)
