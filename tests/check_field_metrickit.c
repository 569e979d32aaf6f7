/*
 * check_field_metrickit.c - MetricKit payloads as field data: every sample
 * of tests/corpus/metrickit read to the values a person read off it, the
 * forms payloads come in, the measurements as devices write them, and
 * every way a payload can be bad, at its line
 *
 * The expected values in the tables below were written by hand from
 * reading each sample (tests/corpus/metrickit/SOURCES.tsv says where each
 * came from), not produced by the code under test: a peak of "5,888 kB"
 * is 5888 * 1024 = 6029312 bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/field/field.h"
#include "calibrate/field/field_private.h"
#include "jetsam/core/fileio.h"
#include "suite.h"

#define DIR "tests/corpus/metrickit/"
#define KIB ((int64_t)1024)

/*
 * One sample: what its payload says (NULL model: no payload to read, or
 * a diagnostic payload) and what reading the file gives.
 */
struct sample {
	const char *file;
	/* the payload, read by a person */
	int diagnostic;
	const char *model, *os;
	int64_t peak_bytes;
	int exits_reported;
	long fg_limit, bg_limit, fg_pressure, bg_pressure;
	/* the file read as field data */
	long rows, skipped, bad;
	long bad_line;       /* of the first bad payload */
	const char *bad_msg; /* the start of its message */
	int64_t baseline;    /* the model's baseline, -1 none */
	long sessions, ooms; /* non-OOM sessions, OOM sessions */
};

static const struct sample samples[] = {
	/* iOS 13 simulated: a peak, but no applicationExitMetrics at all
	 * (iOS 13 has none), so it cannot say whether the day had a kill:
	 * skipped, and a file of nothing else is an error. */
	{"nshipster-sim_ios13.1.3_iPhone9-2.json", 0, "iPhone9,2", "13.1.3",
	 200000 * KIB, 0, 0, 0, 0, 0, 0, 1, 0, 0, NULL, -1, 0, 0},
	/* Diagnostic payloads (crashes, hangs...): no memory data. */
	{"meter-real_diag_crash_ios14.json", 1, NULL, NULL, -1, 0, 0, 0, 0, 0,
	 0, 1, 0, 0, NULL, -1, 0, 0},
	{"meter-real_diag_exception_ios14.0.1.json", 1, NULL, NULL, -1, 0, 0, 0,
	 0, 0, 0, 1, 0, 0, NULL, -1, 0, 0},
	{"meter-sim_diag_ios14.0.1.json", 1, NULL, NULL, -1, 0, 0, 0, 0, 0, 0,
	 1, 0, 0, NULL, -1, 0, 0},
	{"meter-sim_diag_macos12.2.json", 1, NULL, NULL, -1, 0, 0, 0, 0, 0, 0,
	 1, 0, 0, NULL, -1, 0, 0},
	{"meter-sim_diag_macos13.0.json", 1, NULL, NULL, -1, 0, 0, 0, 0, 0, 0,
	 1, 0, 0, NULL, -1, 0, 0},
	/* Printed NSDictionary descriptions: not JSON, named as such at the
	 * first line jansson refuses ("appVersion = ..." on line 2). */
	{"nicepk-real_ios14.2_iPhone10-3.dictdesc.txt", 0, NULL, NULL, -1, 0, 0,
	 0, 0, 0, 0, 0, 1, 2,
	 "invalid JSON: string or '}' expected near 'appVersion' (this is an "
	 "NSDictionary description",
	 -1, 0, 0},
	{"nicepk-sim_ios14.2_iPhone10-3.dictdesc.txt", 0, NULL, NULL, -1, 0, 0,
	 0, 0, 0, 0, 0, 1, 2,
	 "invalid JSON: string or '}' expected near 'animationMetrics' (this "
	 "is an NSDictionary description",
	 -1, 0, 0},
	/* An Elasticsearch response cut short by "// ..." on line 191. */
	{"unknownrepo-esblog-real_zh_ios14.0.1_iPhone9-2.excerpt.txt", 0, NULL,
	 NULL, -1, 0, 0, 0, 0, 0, 0, 0, 1, 191,
	 "invalid JSON: string or '}' expected near '/'", -1, 0, 0},
	/* A fragment: two keys of a payload, no braces. */
	{"unknownrepo-snapsync-probe-real_ios26.6_iPhone12-8.fragment.txt", 0,
	 NULL, NULL, -1, 0, 0, 0, 0, 0, 0, 0, 1, 1,
	 "expected a MetricKit payload (a JSON object), found "
	 "'\"applicationExitMetrics\": {': a fragment of a payload",
	 -1, 0, 0},
	/* The same real payloads as JSON (transcribed/, see SOURCES.tsv).
	 * iOS 14.2, CN region, English: "5,888 kB"; a memory-pressure exit
	 * in the background is not a memory-limit exit: a baseline day. */
	{"transcribed/nicepk-real_ios14.2_iPhone10-3.json", 0, "iPhone10,3",
	 "14.2", 5888 * KIB, 1, 0, 0, 0, 1, 1, 0, 0, 0, NULL, 5888 * KIB, 1, 0},
	/* Simulated: every counter 1, so one memory-limit exit in the
	 * foreground and one in the background: two OOM sessions, and the
	 * peak is no baseline. */
	{"transcribed/nicepk-sim_ios14.2_iPhone10-3.reduced.json", 0,
	 "iPhone10,3", "14.2", 200000 * KIB, 1, 1, 1, 0, 1, 2, 0, 0, 0, NULL,
	 -1, 0, 2},
	/* zh-CN: "1,106,818千字节"; 13 memory-pressure exits, none at the
	 * limit, "foregroundExitData" : { }. */
	{"transcribed/esblog-real_zh_ios14.0.1_iPhone9-2.source.json", 0,
	 "iPhone9,2", "14.0.1", 1106818 * KIB, 1, 0, 0, 0, 13, 1, 0, 0, 0, NULL,
	 1106818 * KIB, 1, 0},
	/* iOS 26.6, POSIX format "99409 kB", one foreground limit exit. */
	{"transcribed/snapsync-real_ios26.6_iPhone12-8.wrapped.json", 0,
	 "iPhone12,8", "26.6", 99409 * KIB, 1, 1, 0, 0, 0, 1, 0, 0, 0, NULL, -1,
	 0, 1},
};

#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

/* model_of - the summary of model in f; fails the test when absent. */
static struct jt_field_model
model_of(struct jt_field *f, const char *model)
{
	struct jt_field_model *fm, m;
	size_t n, i;

	fm = jt_field_summarize(f, &n, NULL);
	ck_assert_ptr_nonnull(fm);
	for (i = 0; i < n; i++)
		if (strcmp(fm[i].model, model) == 0)
			break;
	ck_assert_msg(i < n, "no model %s", model);
	m = fm[i];
	free(fm);
	return m;
}

START_TEST(every_corpus_sample_reads_to_its_hand_checked_values)
{
	const struct sample *s = &samples[_i];
	char path[256];
	const struct jt_field_file *ff;
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 10, NULL);
	struct jt_error err;
	json_error_t je;
	json_t *o;
	int rc;

	snprintf(path, sizeof(path), DIR "%s", s->file);
	/* The payload itself, where the file is one. */
	o = json_load_file(path, 0, &je);
	if (s->model != NULL || s->diagnostic) {
		struct fieldp_mk_payload pl;

		ck_assert_msg(o != NULL, "%s: %s", path, je.text);
		ck_assert_int_eq(fieldp_mk_payload(o, &pl), 0);
		ck_assert_int_eq(pl.diagnostic, s->diagnostic);
		if (s->model != NULL) {
			ck_assert_str_eq(pl.model, s->model);
			ck_assert_str_eq(pl.os_version, s->os);
			ck_assert_int_eq(pl.peak_bytes, s->peak_bytes);
			ck_assert_int_eq(pl.exits_reported, s->exits_reported);
			ck_assert_int_eq(pl.fg_limit_exits, s->fg_limit);
			ck_assert_int_eq(pl.bg_limit_exits, s->bg_limit);
			ck_assert_int_eq(pl.fg_pressure_exits, s->fg_pressure);
			ck_assert_int_eq(pl.bg_pressure_exits, s->bg_pressure);
		}
	} else {
		ck_assert_msg(o == NULL, "%s is JSON", path);
	}
	json_decref(o);

	/* The file, read as field data. */
	jt_error_init(&err);
	rc = jt_field_read(f, path, &err);
	ck_assert_uint_eq(jt_field_nfiles(f), 1);
	ff = jt_field_file_at(f, 0);
	ck_assert_int_eq(ff->shape, JT_FIELD_METRICKIT);
	ck_assert_int_eq(ff->rows, s->rows);
	ck_assert_int_eq(ff->skipped, s->skipped);
	ck_assert_int_eq(ff->bad_rows, s->bad);
	if (s->bad > 0) {
		const struct jt_error *b = jt_field_bad_at(f, 0);

		ck_assert_int_eq(rc, 0); /* max_bad_rows 10 */
		ck_assert_str_eq(b->source, path);
		ck_assert_int_eq(b->line, s->bad_line);
		ck_assert_msg(
			strncmp(b->text, s->bad_msg, strlen(s->bad_msg)) == 0,
			"%s: got '%s'", s->file, b->text);
	} else if (s->rows == 0) {
		ck_assert_int_eq(rc, -1);
		ck_assert_int_eq(err.code, JT_EPARSE);
		ck_assert_msg(strstr(err.text,
				     "no MetricKit metric payload "
				     "with a peak or an exit count") != NULL,
			      "%s", err.text);
	} else {
		struct jt_field_model m = model_of(f, s->model);

		ck_assert_int_eq(rc, 0);
		ck_assert_int_eq(m.baseline_bytes, s->baseline);
		ck_assert_int_eq(m.session_samples, s->sessions);
		ck_assert_int_eq(m.oom_sessions, s->ooms);
		ck_assert_int_eq(m.growth_bytes, -1);
	}
	jt_field_free(f);
}
END_TEST

/* The transcribed payloads, as text. */
static char *
slurp(const char *name, size_t *len)
{
	char path[256], *buf = NULL;

	snprintf(path, sizeof(path), DIR "transcribed/%s", name);
	ck_assert_int_eq(jt_read_file(path, 1 << 20, &buf, len, NULL), 0);
	return buf;
}

static const char *const transcribed[] = {
	"nicepk-real_ios14.2_iPhone10-3.json",
	"nicepk-sim_ios14.2_iPhone10-3.reduced.json",
	"esblog-real_zh_ios14.0.1_iPhone9-2.source.json",
	"snapsync-real_ios26.6_iPhone12-8.wrapped.json"};

#define NTRANS (sizeof(transcribed) / sizeof(transcribed[0]))

/* check_all_four - what the four transcribed payloads say together. */
static void
check_all_four(const char *form, const char *text)
{
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct jt_field_model m;
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_msg(jt_field_read_mem(f, text, strlen(text), form, &err) == 0,
		      "%s: %s", form, err.text);
	ck_assert_int_eq(jt_field_file_at(f, 0)->shape, JT_FIELD_METRICKIT);
	ck_assert_int_eq(jt_field_file_at(f, 0)->rows, 5);
	m = model_of(f, "iPhone10,3");
	ck_assert_int_eq(m.baseline_bytes, 5888 * KIB);
	ck_assert_int_eq(m.session_samples, 1);
	ck_assert_int_eq(m.oom_sessions, 2);
	m = model_of(f, "iPhone9,2");
	ck_assert_int_eq(m.baseline_bytes, 1106818 * KIB);
	m = model_of(f, "iPhone12,8");
	ck_assert_int_eq(m.baseline_bytes, -1);
	ck_assert_int_eq(m.oom_sessions, 1);
	jt_field_free(f);
}

START_TEST(payloads_read_the_same_one_by_one_in_an_array_or_as_json_lines)
{
	char *text[NTRANS], *array, *lines, *cat, *compact;
	size_t len[NTRANS], total = 64, i;

	for (i = 0; i < NTRANS; i++) {
		text[i] = slurp(transcribed[i], &len[i]);
		total += len[i] * 2 + 8;
	}
	array = calloc(1, total);
	lines = calloc(1, total);
	cat = calloc(1, total);
	compact = calloc(1, total);
	strcpy(array, "[\n");
	strcpy(compact, "[");
	for (i = 0; i < NTRANS; i++) {
		json_t *o = json_loads(text[i], 0, NULL);
		char *one = json_dumps(o, JSON_COMPACT);

		/* A pretty-printed array, as NSJSONSerialization writes one. */
		strcat(array, text[i]);
		strcat(array, i + 1 < NTRANS ? ",\n" : "]\n");
		/* JSON Lines: one compact payload a line. */
		strcat(lines, one);
		strcat(lines, "\n");
		/* Files concatenated with cat. */
		strcat(cat, text[i]);
		/* One line holding the whole array. */
		strcat(compact, one);
		strcat(compact, i + 1 < NTRANS ? "," : "]");
		free(one);
		json_decref(o);
	}
	check_all_four("array.json", array);
	check_all_four("payloads.jsonl", lines);
	check_all_four("cat.json", cat);
	check_all_four("compact.json", compact);
	for (i = 0; i < NTRANS; i++)
		free(text[i]);
	free(array);
	free(lines);
	free(cat);
	free(compact);
}
END_TEST

START_TEST(measurements_are_read_as_devices_write_them)
{
	static const struct {
		const char *text;
		int64_t bytes; /* -1: an error starting with msg */
		const char *msg;
	} cases[] = {
		/* iOS 15+: en_US_POSIX, whole kB. */
		{"200000 kB", 204800000, NULL},
		{"99409 kB", 101794816, NULL},
		{"0 kB", 0, NULL},
		/* iOS 13/14 in the device's locale. */
		{"200,000 kB", 204800000, NULL},
		{"5,888 kB", 6029312, NULL},
		{"1,106,818\xe5\x8d\x83\xe5\xad\x97\xe8\x8a\x82", 1133381632,
		 NULL},
		{"2,000 byte", 2000, NULL},
		{"2000 byte", 2000, NULL},
		/* Grouping other locales use (not seen, expected). */
		{"1.106.818 kB", 1133381632, NULL},
		{"1 106 818 kB", 1133381632, NULL},
		{"1\xc2\xa0"
		 "106\xc2\xa0"
		 "818\xc2\xa0kB",
		 1133381632, NULL},
		{"1\xe2\x80\xaf"
		 "106\xe2\x80\xaf"
		 "818 kB",
		 1133381632, NULL},
		{"11,06,818 kB", 1133381632, NULL}, /* en_IN */
		{"1'106'818 kB", 1133381632, NULL},
		{"200000 KB", 204800000, NULL},
		/* Not a whole number of kB, or not grouping. */
		{"5.5 kB", -1, "'5.5 kB' is not a whole number with digit"},
		{"1,5 kB", -1, "'1,5 kB' is not a whole number"},
		{"1,2345 kB", -1, "'1,2345 kB' is not a whole number"},
		{"1234,567 kB", -1, "'1234,567 kB' is not a whole number"},
		{"1,000.500 kB", -1, "'1,000.500 kB' is not a whole number"},
		/* Units MetricKit does not write for memory, or none. */
		{"12 MB", -1, "'12 MB': unit 'MB' is not one MetricKit writes"},
		{"12 kiB", -1, "'12 kiB': unit 'kiB' is not one"},
		{"12", -1, "'12' has no unit"},
		{"kB", -1, "'kB' does not start with a number"},
		{"-5 kB", -1, "'-5 kB' does not start with a number"},
		{"", -1, "'' does not start with a number"},
		{"99999999999999999 kB", -1, "'99999999999999999 kB' is out"},
		{"99999999999999999999 kB", -1,
		 "'99999999999999999999 kB' is "
		 "out of range"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t v = -2;
		char why[160] = "";
		int rc = fieldp_mk_bytes(cases[i].text, &v, why, sizeof(why));

		if (cases[i].bytes >= 0) {
			ck_assert_msg(rc == 0, "'%s': %s", cases[i].text, why);
			ck_assert_int_eq(v, cases[i].bytes);
		} else {
			ck_assert_msg(rc == -1, "'%s' read as %lld",
				      cases[i].text, (long long)v);
			ck_assert_msg(strncmp(why, cases[i].msg,
					      strlen(cases[i].msg)) == 0,
				      "'%s': got '%s'", cases[i].text, why);
		}
	}
}
END_TEST

START_TEST(os_versions_come_out_of_the_product_string)
{
	static const char *const cases[][2] = {
		{"iPhone OS 14.0.1 (18A393)", "14.0.1"},
		{"iPhone OS 13.1.3 (17A878)", "13.1.3"},
		{"iPhone OS 26.6 (23G71)", "26.6"},
		{"macOS 13.0 (22A5358e)", "13.0"},
		{"iPadOS 17.4 (21E219)", "17.4"},
		{"Version 12.2 (Build 21D49)", "12.2"},
		{"16.0", "16.0"},
		{"iPhone OS 17", "17"},
		{"iPhone OS (18A393)", NULL},
		{"iPhone OS 14. (x)", NULL},
		{"", NULL},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[32] = "";
		int rc = fieldp_mk_os_version(cases[i][0], out, sizeof(out));

		if (cases[i][1] == NULL) {
			ck_assert_msg(rc == -1, "'%s' gave '%s'", cases[i][0],
				      out);
		} else {
			ck_assert_int_eq(rc, 0);
			ck_assert_str_eq(out, cases[i][1]);
		}
	}
}
END_TEST

/* A payload of the given parts, one key per line. */
#define META                                                                   \
	"  \"metaData\" : {\n    \"deviceType\" : \"iPhone12,1\",\n"           \
	"    \"osVersion\" : \"iPhone OS 16.1 (20B82)\"\n  },\n"
#define PEAK(v)                                                                \
	"  \"memoryMetrics\" : {\n    \"peakMemoryUsage\" : " v "\n  },\n"
#define EXITS(fg)                                                              \
	"  \"applicationExitMetrics\" : {\n    \"foregroundExitData\" : {\n"   \
	"      \"cumulativeMemoryResourceLimitExitCount\" : " fg               \
	"\n    }\n  }\n"

START_TEST(bad_payloads_are_errors_at_their_line)
{
	static const struct {
		const char *text;
		long line;
		const char *msg;
	} cases[] = {
		{"{\n" META PEAK("200000") EXITS("0") "}\n", 7,
		 "memoryMetrics.peakMemoryUsage: expected a measurement such "
		 "as \"200000 kB\", found a number"},
		{"{\n" META PEAK("\"12 MB\"") EXITS("0") "}\n", 7,
		 "memoryMetrics.peakMemoryUsage: '12 MB': unit 'MB' is not "
		 "one MetricKit writes for memory (kB)"},
		{"{\n" META PEAK("\"200000 kB\"") EXITS("\"1\"") "}\n", 11,
		 "applicationExitMetrics.foregroundExitData."
		 "cumulativeMemoryResourceLimitExitCount: expected a count of "
		 "0 to 100000, found a string"},
		{"{\n" META PEAK("\"200000 kB\"") EXITS("-1") "}\n", 11,
		 "applicationExitMetrics.foregroundExitData."
		 "cumulativeMemoryResourceLimitExitCount: expected a count of "
		 "0 to 100000, found a number out of range"},
		{"{\n  \"metaData\" : {\n    \"osVersion\" : \"iPhone OS 16.1 "
		 "(20B82)\"\n  },\n" PEAK("\"1 kB\"") EXITS("0") "}\n",
		 1, "no metaData.deviceType"},
		{"{\n  \"metaData\" : {\n    \"deviceType\" : \"iPhone12,1\",\n"
		 "    \"osVersion\" : \"iPhone OS (20B82)\"\n  },\n" EXITS(
			 "0") "}\n",
		 4,
		 "metaData.osVersion 'iPhone OS (20B82)' holds no version "
		 "number"},
		{"{\n  \"metaData\" : [],\n" EXITS("0") "}\n", 2,
		 "metaData: expected an object, found an array"},
		{"{\n" PEAK("\"1 kB\"") EXITS("0") "}\n", 1,
		 "no metaData: not an MXMetricPayload"},
		{"{\n  \"took\" : 3,\n  \"hits\" : {\n    \"hits\" : []\n  }\n}\n",
		 3,
		 "an Elasticsearch response, not a payload: export each hit's "
		 "_source"},
		{"[\n  {\"model\" : \"iPhone12,1\", \"oom\" : 0}\n]\n", 2,
		 "a field-data row inside a JSON document"},
		{"[\n  5,\n  {\"metaData\" : {}}\n]\n", 2,
		 "expected a MetricKit payload (a JSON object), found '5,'"},
		{"[\n  [1]\n]\n", 2,
		 "expected a MetricKit payload (a JSON object), found an "
		 "array"},
		{"{\n" META PEAK("\"1 kB\"") "  \"x\" : 1,\n}\n", 10,
		 "invalid JSON: string or '}' expected near '}'"},
		{"{\n" META PEAK("\"1 kB\"") EXITS("0"), 1,
		 "invalid JSON: the value that starts at line 1 is not closed "
		 "at the end of the file"},
		{"[\n{\n" META EXITS("1") "}\n", 1,
		 "the array that starts here is not closed at the end of the "
		 "file"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct jt_field *f = jt_field_new(JT_STAT_MAX, 10, NULL);
		const struct jt_error *b;
		struct jt_error err;

		jt_error_init(&err);
		jt_field_read_mem(f, cases[i].text, strlen(cases[i].text),
				  "p.json", &err);
		ck_assert_msg(jt_field_nbad(f) >= 1,
			      "case %zu: no bad row (%s)", i, err.text);
		ck_assert_int_eq(jt_field_file_at(f, 0)->shape,
				 JT_FIELD_METRICKIT);
		b = jt_field_bad_at(f, 0);
		ck_assert_str_eq(b->source, "p.json");
		ck_assert_msg(b->line == cases[i].line &&
				      strncmp(b->text, cases[i].msg,
					      strlen(cases[i].msg)) == 0,
			      "case %zu: got %ld: %s", i, b->line, b->text);
		jt_field_free(f);
	}
}
END_TEST

START_TEST(a_bad_payload_is_skipped_and_the_others_count)
{
	/* JSON Lines: line 2 is cut short, lines 1 and 3 are good; the
	 * cut line does not swallow the next. */
	static const char text[] =
		"{\"metaData\":{\"deviceType\":\"iPhone12,1\",\"osVersion\":"
		"\"iPhone OS 16.1 (20B82)\"},\"memoryMetrics\":{"
		"\"peakMemoryUsage\":\"300000 kB\"},\"applicationExitMetrics\":{"
		"\"foregroundExitData\":{}}}\n"
		"{\"metaData\":{\"deviceType\":\"iPhone12,1\"\n"
		"{\"metaData\":{\"deviceType\":\"iPhone12,1\",\"osVersion\":"
		"\"iPhone OS 16.1 (20B82)\"},\"memoryMetrics\":{"
		"\"peakMemoryUsage\":\"400000 kB\"},\"applicationExitMetrics\":{"
		"\"backgroundExitData\":{}}}\n";
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 1, NULL);
	struct jt_field_model m;
	struct jt_error err;

	jt_error_init(&err);
	ck_assert_int_eq(
		jt_field_read_mem(f, text, strlen(text), "p.jsonl", &err), 0);
	ck_assert_uint_eq(jt_field_nbad(f), 1);
	ck_assert_int_eq(jt_field_bad_at(f, 0)->line, 2);
	ck_assert_str_eq(jt_field_bad_at(f, 0)->text,
			 "invalid JSON: '}' expected near end of file");
	m = model_of(f, "iPhone12,1");
	ck_assert_int_eq(m.baseline_bytes, 400000 * KIB);
	ck_assert_int_eq(m.session_samples, 2);
	jt_field_free(f);
}
END_TEST

struct seen {
	int n;
	struct jt_field_row rows[8];
	char models[8][32];
};

static int
on_row(void *ctx, const struct jt_field_row *row, struct jt_error *err)
{
	struct seen *s = ctx;

	(void)err;
	ck_assert_int_lt(s->n, 8);
	s->rows[s->n] = *row;
	snprintf(s->models[s->n], sizeof(s->models[0]), "%s", row->model);
	s->n++;
	return 0;
}

START_TEST(metrickit_rows_reach_the_row_hook_as_sessions)
{
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);
	struct seen s;
	struct jt_error err;

	memset(&s, 0, sizeof(s));
	jt_error_init(&err);
	jt_field_set_row_hook(f, on_row, &s);
	ck_assert_int_eq(
		jt_field_read(f,
			      DIR "transcribed/"
				  "nicepk-sim_ios14.2_iPhone10-3.reduced.json",
			      &err),
		0);
	ck_assert_int_eq(jt_field_read(f,
				       DIR
				       "transcribed/"
				       "nicepk-real_ios14.2_iPhone10-3.json",
				       &err),
			 0);
	/* Two memory-limit exits: two OOM sessions; then a baseline day. */
	ck_assert_int_eq(s.n, 3);
	ck_assert_int_eq(s.rows[0].shape, JT_FIELD_SESSIONS);
	ck_assert_int_eq(s.rows[0].oom, 1);
	ck_assert_int_eq(s.rows[1].oom, 1);
	ck_assert_int_eq(s.rows[0].line, 1);
	ck_assert_str_eq(s.models[0], "iPhone10,3");
	ck_assert_int_eq(s.rows[2].shape, JT_FIELD_SESSIONS);
	ck_assert_int_eq(s.rows[2].oom, 0);
	ck_assert_int_eq(s.rows[2].bytes, 5888 * KIB);
	ck_assert_int_eq(s.rows[2].line, 1);
	jt_field_free(f);
}
END_TEST

START_TEST(field_json_lines_are_not_taken_for_metrickit)
{
	static const char text[] =
		"{\"model\":\"iPhone12,1\",\"os_version\":\"16.1\","
		"\"peak_footprint_bytes\":5,\"oom\":0}\n";
	struct jt_field *f = jt_field_new(JT_STAT_MAX, 0, NULL);

	ck_assert_int_eq(
		jt_field_read_mem(f, text, strlen(text), "s.jsonl", NULL), 0);
	ck_assert_int_eq(jt_field_file_at(f, 0)->shape, JT_FIELD_SESSIONS);
	ck_assert_str_eq(jt_field_shape_name(JT_FIELD_METRICKIT), "metrickit");
	jt_field_free(f);
}
END_TEST

static Suite *
field_metrickit_suite(void)
{
	Suite *s = suite_create("field_metrickit");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(
		tc, every_corpus_sample_reads_to_its_hand_checked_values, 0,
		(int)NSAMPLES);
	tcase_add_test(
		tc,
		payloads_read_the_same_one_by_one_in_an_array_or_as_json_lines);
	tcase_add_test(tc, measurements_are_read_as_devices_write_them);
	tcase_add_test(tc, os_versions_come_out_of_the_product_string);
	tcase_add_test(tc, bad_payloads_are_errors_at_their_line);
	tcase_add_test(tc, a_bad_payload_is_skipped_and_the_others_count);
	tcase_add_test(tc, metrickit_rows_reach_the_row_hook_as_sessions);
	tcase_add_test(tc, field_json_lines_are_not_taken_for_metrickit);
	suite_add_tcase(s, tc);
	return s;
}

JT_CHECK_MAIN(field_metrickit_suite)
