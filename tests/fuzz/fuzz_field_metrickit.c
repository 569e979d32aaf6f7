/*
 * fuzz_field_metrickit.c - libFuzzer target over the MetricKit reader
 *
 * Every input is read as a field file, which must end in a result or an
 * error that says why, never a crash, a leak or undefined behaviour (the
 * target is built with ASan and UBSan).  Differential: when jansson reads
 * the whole input as a sequence of JSON values, the same values written
 * again as JSON Lines (one compact value a line) and as one array must,
 * whenever all three are taken for MetricKit, give the same rows,
 * skipped and bad payloads and the same per-model results: the bracket
 * splitter must cut the input where jansson would.
 *
 * run.sh links every file of calibrate/field and the CSV reader.
 */
#include <stdlib.h>
#include <string.h>

#include "calibrate/field/field_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct result {
	int metrickit;
	long rows, skipped, bad;
	struct jt_field *f;
};

static struct result
read_as(const char *text, size_t len)
{
	struct result r;
	struct jt_error err;

	memset(&r, 0, sizeof(r));
	r.f = jt_field_new(JT_STAT_P99, 1000000, NULL);
	if (r.f == NULL)
		return r;
	jt_error_init(&err);
	if (jt_field_read_mem(r.f, text, len, "fuzz", &err) < 0 &&
	    !jt_error_isset(&err))
		abort(); /* a failure must say why */
	if (jt_field_nfiles(r.f) == 1) {
		const struct jt_field_file *ff = jt_field_file_at(r.f, 0);

		r.metrickit = ff->shape == JT_FIELD_METRICKIT;
		r.rows = ff->rows;
		r.skipped = ff->skipped;
		r.bad = ff->bad_rows;
	}
	return r;
}

static void
same(const struct result *a, const struct result *b)
{
	struct jt_field_model *ma, *mb;
	size_t na, nb, i;

	if (a->rows != b->rows || a->skipped != b->skipped || a->bad != b->bad)
		abort();
	ma = jt_field_summarize(a->f, &na, NULL);
	mb = jt_field_summarize(b->f, &nb, NULL);
	if (ma == NULL || mb == NULL || na != nb)
		abort();
	for (i = 0; i < na; i++)
		if (strcmp(ma[i].model, mb[i].model) != 0 ||
		    ma[i].baseline_bytes != mb[i].baseline_bytes ||
		    ma[i].session_samples != mb[i].session_samples ||
		    ma[i].oom_sessions != mb[i].oom_sessions)
			abort();
	free(ma);
	free(mb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct result whole, lines, array;
	char *jl = NULL, *ar = NULL;
	size_t off = 0, jn = 0, an = 0, nvalues = 0;
	int ok = 1;

	whole = read_as(text, size);
	/* The same values, by jansson's reading of the input. */
	while (ok && off < size) {
		json_error_t je;
		json_t *v;
		char *one, *tj, *ta;
		size_t n;

		while (off < size && strchr(" \t\r\n", text[off]) != NULL &&
		       text[off] != '\0')
			off++;
		if (off == size)
			break;
		v = json_loadb(text + off, size - off,
			       JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &je);
		if (v == NULL || !(json_is_object(v) || json_is_array(v))) {
			json_decref(v);
			ok = 0;
			break;
		}
		off += (size_t)je.position;
		one = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(v);
		if (one == NULL)
			break;
		n = strlen(one);
		tj = realloc(jl, jn + n + 2);
		if (tj == NULL)
			abort();
		jl = tj;
		ta = realloc(ar, an + n + 3);
		if (ta == NULL)
			abort();
		ar = ta;
		memcpy(jl + jn, one, n);
		jl[jn + n] = '\n';
		jn += n + 1;
		jl[jn] = '\0'; /* for the strstr below */
		ar[an] = nvalues == 0 ? '[' : ',';
		memcpy(ar + an + 1, one, n);
		an += n + 1;
		nvalues++;
		free(one);
	}
	if (ok && nvalues > 0 && whole.metrickit) {
		ar[an++] = ']';
		lines = read_as(jl, jn);
		array = read_as(ar, an);
		/* Top-level arrays nest inside the array form: compare it
		 * only when every value was an object. */
		if (lines.metrickit)
			same(&whole, &lines);
		if (array.metrickit && memchr(jl, '[', 1) == NULL &&
		    strstr(jl, "\n[") == NULL)
			same(&whole, &array);
		jt_field_free(lines.f);
		jt_field_free(array.f);
	}
	free(jl);
	free(ar);
	jt_field_free(whole.f);
	return 0;
}
