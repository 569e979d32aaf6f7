/*
 * field.c - streaming aggregation of field data
 *
 * One pass per file: each row is validated, then folded into its (model,
 * page) key (growth) or its model (sessions).  Keys live in an
 * open-addressing hash table; a key's sketch holds only the buckets its
 * values span, so memory follows the number of keys.  The file's SHA-256
 * is computed by a second thread reading the same file while this one
 * parses, so hashing does not add to the wall time on a machine with two
 * cores.  JSON Lines rows are turned into the same text fields a CSV row
 * gives, so both formats share one validator and one set of messages.
 */
#include "field.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "sha256.h"
#include "sketch.h"

/* Columns, in the order rows are handed to the folding functions. */
enum col {
	C_MODEL,
	C_OS,
	C_PAGE,
	C_GROWTH,
	C_PEAK,
	C_OOM,
	C_COUNT,
	C_MAX_GROWTH,
	C_P99_GROWTH,
	C_P999_GROWTH,
	C_MAX_PEAK,
	C_P99_PEAK,
	C_P999_PEAK,
	C_OOM_COUNT,
	NCOLS
};

static const char *const col_names[NCOLS] = {"model",
					     "os_version",
					     "page",
					     "growth_bytes",
					     "peak_footprint_bytes",
					     "oom",
					     "count",
					     "max_growth_bytes",
					     "p99_growth_bytes",
					     "p999_growth_bytes",
					     "max_peak_bytes",
					     "p99_peak_bytes",
					     "p999_peak_bytes",
					     "oom_count"};

/* Per shape: required and optional columns (bit masks), and signature. */
static const struct shape_def {
	enum jt_field_shape shape;
	enum col signature;
	unsigned required, optional;
} shapes[] = {
	{JT_FIELD_GROWTH, C_GROWTH,
	 1u << C_MODEL | 1u << C_OS | 1u << C_PAGE | 1u << C_GROWTH, 0},
	{JT_FIELD_SESSIONS, C_PEAK,
	 1u << C_MODEL | 1u << C_OS | 1u << C_PEAK | 1u << C_OOM, 0},
	{JT_FIELD_GROWTH_AGGREGATE, C_MAX_GROWTH,
	 1u << C_MODEL | 1u << C_COUNT | 1u << C_MAX_GROWTH,
	 1u << C_OS | 1u << C_PAGE | 1u << C_P99_GROWTH | 1u << C_P999_GROWTH},
	{JT_FIELD_SESSIONS_AGGREGATE, C_MAX_PEAK,
	 1u << C_MODEL | 1u << C_COUNT | 1u << C_MAX_PEAK,
	 1u << C_OS | 1u << C_P99_PEAK | 1u << C_P999_PEAK | 1u << C_OOM_COUNT},
};

/* A growth key (model, page) or a model's session data. */
struct key {
	char *name; /* "model\0page\0" for growth keys, "model\0" for models */
	size_t len; /* bytes of name used for comparison */
	uint64_t hash;
	size_t model; /* index of the model record (growth keys) */
	struct jt_sketch sketch;
	int64_t agg_count;
	int64_t agg_stat; /* statistic from aggregates, -1 if none */
	/* model records only */
	long oom;
	const char *first_source;
	long first_line;
	int has_growth;
};

struct table {
	struct key *keys;
	size_t n, cap;
	size_t *slots; /* index + 1, 0 = empty */
	size_t nslots;
};

struct jt_field {
	enum jt_statistic stat;
	long max_bad;
	struct table growth, models, aggkeys;
	struct jt_field_file *files;
	size_t nfiles;
	long bad_total;
	struct jt_error *bad;
	size_t nbad;
	char **names; /* file names kept for first_source */
	size_t nnames;
	jt_field_row_fn row_fn; /* jt_field_set_row_hook */
	void *row_ctx;
};

static const char *const stat_names[] = {"max", "p99", "p999"};
static const char *const shape_names[] = {"page-growth", "sessions",
					  "page-growth-aggregate",
					  "sessions-aggregate"};

int
jt_statistic_parse(const char *name, enum jt_statistic *out,
		   struct jt_error *err)
{
	size_t i;

	for (i = 0; i < 3; i++)
		if (strcmp(name, stat_names[i]) == 0) {
			*out = (enum jt_statistic)i;
			return 0;
		}
	return jt_error_set_in(err, JT_EUSAGE, NULL,
			       "unknown statistic '%s' (max, p99 or p999)",
			       name);
}

const char *
jt_statistic_name(enum jt_statistic stat)
{
	return (unsigned)stat < 3 ? stat_names[stat] : "unknown";
}

const char *
jt_field_shape_name(enum jt_field_shape shape)
{
	return (unsigned)shape < 4 ? shape_names[shape] : "unknown";
}

/* ---- hash table ---------------------------------------------------------- */

/* hash - 8 bytes at a time, multiply-xorshift mixing (not for security). */
static uint64_t
hash(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;

	while (n >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		p += 8;
		n -= 8;
	}
	w = 0;
	memcpy(&w, p, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return h;
}

static void
table_release(struct table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->keys[i].name);
		jt_sketch_release(&t->keys[i].sketch);
	}
	free(t->keys);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

static int
table_grow(struct table *t)
{
	size_t ns = t->nslots ? t->nslots * 2 : 64, i;
	size_t *s = calloc(ns, sizeof(*s));

	if (s == NULL)
		return -1;
	for (i = 0; i < t->n; i++) {
		size_t j = t->keys[i].hash & (ns - 1);

		while (s[j] != 0)
			j = (j + 1) & (ns - 1);
		s[j] = i + 1;
	}
	free(t->slots);
	t->slots = s;
	t->nslots = ns;
	return 0;
}

/*
 * table_get - the key named name[0..len), created when absent (*created
 * set).  Returns its index, or (size_t)-1 when out of memory.
 */
static size_t
table_get_h(struct table *t, const char *name, size_t len, uint64_t h,
	    int *created)
{
	size_t j;
	struct key *k;

	*created = 0;
	if (t->nslots == 0 && table_grow(t) < 0)
		return (size_t)-1;
	for (j = h & (t->nslots - 1); t->slots[j] != 0;
	     j = (j + 1) & (t->nslots - 1)) {
		k = &t->keys[t->slots[j] - 1];
		if (k->hash == h && k->len == len &&
		    memcmp(k->name, name, len) == 0)
			return t->slots[j] - 1;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		struct key *nk = realloc(t->keys, cap * sizeof(*nk));

		if (nk == NULL)
			return (size_t)-1;
		t->keys = nk;
		t->cap = cap;
	}
	k = &t->keys[t->n];
	memset(k, 0, sizeof(*k));
	k->name = malloc(len + 1);
	if (k->name == NULL)
		return (size_t)-1;
	memcpy(k->name, name, len);
	k->name[len] = '\0';
	k->len = len;
	k->hash = h;
	k->agg_stat = -1;
	jt_sketch_init(&k->sketch);
	t->slots[j] = ++t->n;
	*created = 1;
	if (t->n * 2 > t->nslots && table_grow(t) < 0)
		return (size_t)-1;
	return t->n - 1;
}

static size_t
table_get(struct table *t, const char *name, size_t len, int *created)
{
	return table_get_h(t, name, len, hash(name, len), created);
}

/* ---- lifecycle ----------------------------------------------------------- */

struct jt_field *
jt_field_new(enum jt_statistic stat, long max_bad_rows, struct jt_error *err)
{
	struct jt_field *f = calloc(1, sizeof(*f));

	if (f == NULL) {
		jt_error_oom(err, NULL);
		return NULL;
	}
	f->stat = stat;
	f->max_bad = max_bad_rows;
	return f;
}

void
jt_field_free(struct jt_field *f)
{
	size_t i;

	if (f == NULL)
		return;
	table_release(&f->growth);
	table_release(&f->models);
	table_release(&f->aggkeys);
	for (i = 0; i < f->nfiles; i++)
		free(f->files[i].path);
	free(f->files);
	free(f->bad);
	for (i = 0; i < f->nnames; i++)
		free(f->names[i]);
	free(f->names);
	free(f);
}

size_t
jt_field_nfiles(const struct jt_field *f)
{
	return f->nfiles;
}

const struct jt_field_file *
jt_field_file_at(const struct jt_field *f, size_t i)
{
	return i < f->nfiles ? &f->files[i] : NULL;
}

long
jt_field_bad_total(const struct jt_field *f)
{
	return f->bad_total;
}

size_t
jt_field_nbad(const struct jt_field *f)
{
	return f->nbad;
}

const struct jt_error *
jt_field_bad_at(const struct jt_field *f, size_t i)
{
	return i < f->nbad ? &f->bad[i] : NULL;
}

size_t
jt_field_keys(const struct jt_field *f)
{
	return f->growth.n + f->models.n;
}

/* ---- one file ------------------------------------------------------------ */

struct reader {
	struct jt_field *f;
	const char *name; /* kept copy, outlives the read */
	const struct shape_def *shape;
	int pos[NCOLS]; /* field index of each column, -1 if absent */
	size_t ncols;   /* fields in a row */
	long line;
	long rows, bad;
	int jsonl;
	const char *keyname; /* which column the statistic needs */
};

/* bad_row - record a malformed row; always returns 1 (bad, keep going). */
static int bad_row(struct reader *r, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static int
bad_row(struct reader *r, const char *fmt, ...)
{
	struct jt_field *f = r->f;
	va_list ap;

	r->bad++;
	f->bad_total++;
	if (f->nbad < JT_FIELD_MAX_REPORTED) {
		struct jt_error *e;
		char text[JT_ERROR_TEXT];

		if (f->bad == NULL) {
			f->bad = calloc(JT_FIELD_MAX_REPORTED, sizeof(*f->bad));
			if (f->bad == NULL)
				return 1;
		}
		e = &f->bad[f->nbad++];
		va_start(ap, fmt);
		vsnprintf(text, sizeof(text), fmt, ap);
		va_end(ap);
		jt_error_init(e);
		jt_error_set(e, JT_EPARSE, r->name, r->line, 0, "%s", text);
	}
	return 1;
}

/*
 * parse_bytes - a byte count: decimal digits only.  On failure writes why
 * into why and returns -1.
 */
static int
parse_bytes(const char *s, int64_t *out, char *why, size_t whylen)
{
	const char *p = s;
	int64_t v = 0;

	if (*p == '\0') {
		snprintf(why, whylen, "missing value");
		return -1;
	}
	if (*p >= '0' && *p <= '9') {
		/* 18 digits cannot overflow; check only past them. */
		for (; *p >= '0' && *p <= '9'; p++) {
			if (p - s >= 18 && v > (INT64_MAX - (*p - '0')) / 10) {
				snprintf(why, whylen, "'%.40s' is out of range",
					 s);
				return -1;
			}
			v = v * 10 + (*p - '0');
		}
		if (*p == '\0') {
			*out = v;
			return 0;
		}
		while ((*p >= '0' && *p <= '9') || *p == '.')
			p++;
		if (*p == '\0' ||
		    ((*p == 'e' || *p == 'E') &&
		     strspn(p + 1, "+-0123456789") == strlen(p + 1)))
			snprintf(why, whylen,
				 "'%.40s' is not a whole number of bytes", s);
		else
			snprintf(why, whylen,
				 "'%.40s' has a unit; give plain bytes here",
				 s);
		return -1;
	}
	if (*p == '-')
		snprintf(why, whylen, "negative size '%.40s'", s);
	else if (strncasecmp(p, "nan", 3) == 0 ||
		 strncasecmp(p, "+nan", 4) == 0)
		snprintf(why, whylen, "NaN is not a byte count");
	else if (strncasecmp(p, "inf", 3) == 0)
		snprintf(why, whylen, "infinity is not a byte count");
	else
		snprintf(why, whylen, "'%.40s' is not a number", s);
	return -1;
}

static int
valid_version(const char *s)
{
	int digits = 0;

	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			digits = 1;
		else if (*s == '.' && digits)
			digits = 0;
		else
			return 0;
	}
	return digits;
}

static const char *
source_name(struct jt_field *f, const char *name)
{
	return f->nnames > 0 && strcmp(f->names[f->nnames - 1], name) == 0
		? f->names[f->nnames - 1]
		: NULL;
}

/* model_get - the model record for name, noting where growth began. */
static size_t
model_get(struct reader *r, const char *model, int growth)
{
	int created;
	size_t i = table_get(&r->f->models, model, strlen(model) + 1, &created);

	if (i != (size_t)-1 && growth && !r->f->models.keys[i].has_growth) {
		struct key *k = &r->f->models.keys[i];

		k->has_growth = 1;
		k->first_source = source_name(r->f, r->name);
		k->first_line = r->line;
	}
	return i;
}

/* statistic - value of a sketch for the collection's statistic. */
static int64_t
statistic(enum jt_statistic stat, const struct jt_sketch *s)
{
	switch (stat) {
	case JT_STAT_P99:
		return jt_sketch_quantile(s, 99, 100);
	case JT_STAT_P999:
		return jt_sketch_quantile(s, 999, 1000);
	default:
		return s->max;
	}
}

/*
 * row - validate and fold one row of text fields.  Returns 0 (bad rows
 * are recorded, not fatal) or -1 on a fatal error (out of memory,
 * duplicate aggregate key).
 */
#define MAX_KEY 512

/*
 * validate - check one row's fields and parse its numbers into v.  Returns
 * 0 when the row is good, 1 when it was bad (recorded).
 */
static int
validate(struct reader *r, char **fld, const size_t *lens, size_t n, int64_t *v,
	 const char **modelp, const char **osp, const char **pagep)
{
	const struct shape_def *sd = r->shape;
	char why[160];
	const char *model, *os = "", *page = "";
	size_t i;

	if (n != r->ncols)
		return bad_row(r, "expected %zu fields, found %zu", r->ncols,
			       n);
	model = fld[r->pos[C_MODEL]];
	if (*model == '\0')
		return bad_row(r, "empty model");
	if (r->pos[C_OS] >= 0) {
		os = fld[r->pos[C_OS]];
		if (!valid_version(os))
			return bad_row(r,
				       "os_version '%.40s' is not a dotted "
				       "version",
				       os);
	}
	if (r->pos[C_PAGE] >= 0) {
		page = fld[r->pos[C_PAGE]];
		if (*page == '\0' && sd->shape == JT_FIELD_GROWTH)
			return bad_row(r, "empty page");
	}
	for (i = C_GROWTH; i < NCOLS; i++) {
		v[i] = -1;
		if (r->pos[i] < 0 || i == C_OOM)
			continue;
		if (parse_bytes(fld[r->pos[i]], &v[i], why, sizeof(why)) < 0)
			return bad_row(r, "%s: %s", col_names[i], why);
	}
	if (r->pos[C_OOM] >= 0) {
		const char *o = fld[r->pos[C_OOM]];

		if (strcmp(o, "0") == 0 || strcmp(o, "false") == 0)
			v[C_OOM] = 0;
		else if (strcmp(o, "1") == 0 || strcmp(o, "true") == 0)
			v[C_OOM] = 1;
		else
			return bad_row(r, "oom: '%.40s' is not 0 or 1", o);
	}
	if ((lens != NULL ? lens[r->pos[C_MODEL]] : strlen(model)) +
		    (r->pos[C_PAGE] < 0     ? 0
			     : lens != NULL ? lens[r->pos[C_PAGE]]
					    : strlen(page)) +
		    2 >
	    MAX_KEY)
		return bad_row(r, "model and page names are too long");
	*modelp = model;
	*osp = os;
	*pagep = page;
	return 0;
}

static int
row(struct reader *r, char **fld, size_t n, struct jt_error *err)
{
	struct jt_field *f = r->f;
	const struct shape_def *sd = r->shape;
	int64_t v[NCOLS];
	char keybuf[MAX_KEY];
	const char *model = "", *os = "", *page = "";
	size_t ml, pl;
	int created;

	if (validate(r, fld, NULL, n, v, &model, &os, &page) != 0)
		return 0;
	ml = strlen(model);
	pl = strlen(page);

	if (sd->shape == JT_FIELD_GROWTH_AGGREGATE ||
	    sd->shape == JT_FIELD_SESSIONS_AGGREGATE) {
		/* Warehouse rows: one per key; a repeat is an error. */
		char akey[600];
		size_t al = (size_t)snprintf(akey, sizeof(akey),
					     "%d\x1f%s\x1f%s\x1f%s",
					     (int)sd->shape, model, os, page);
		size_t ai = table_get(&f->aggkeys, akey, al, &created);

		if (ai == (size_t)-1)
			goto nomem;
		if (!created) {
			struct key *k = &f->aggkeys.keys[ai];

			return jt_error_set(err, JT_EPARSE, r->name, r->line, 0,
					    "duplicate key model '%s' "
					    "os_version '%s' page '%s' (first "
					    "at line %ld)",
					    model, os, page, k->first_line);
		}
		f->aggkeys.keys[ai].first_line = r->line;
		if (v[C_COUNT] == 0)
			return bad_row(r, "count is 0");
	}

	if (sd->shape == JT_FIELD_GROWTH ||
	    sd->shape == JT_FIELD_GROWTH_AGGREGATE) {
		size_t gi;
		struct key *k;

		memcpy(keybuf, model, ml + 1);
		memcpy(keybuf + ml + 1, page, pl + 1);
		gi = table_get(&f->growth, keybuf, ml + pl + 2, &created);
		if (gi == (size_t)-1)
			goto nomem;
		if (created) {
			/* A new key: find (or make) its model once. */
			size_t mi = model_get(r, model, 1);

			if (mi == (size_t)-1)
				goto nomem;
			f->growth.keys[gi].model = mi;
		}
		k = &f->growth.keys[gi];
		if (sd->shape == JT_FIELD_GROWTH) {
			if (jt_sketch_add(&k->sketch, v[C_GROWTH], err) < 0)
				return -1;
		} else {
			int64_t s = f->stat == JT_STAT_MAX ? v[C_MAX_GROWTH]
				: f->stat == JT_STAT_P99   ? v[C_P99_GROWTH]
							   : v[C_P999_GROWTH];

			k->agg_count += v[C_COUNT];
			if (s > k->agg_stat)
				k->agg_stat = s;
		}
	} else {
		size_t mi = model_get(r, model, 0);
		struct key *k;

		if (mi == (size_t)-1)
			goto nomem;
		k = &f->models.keys[mi];
		if (sd->shape == JT_FIELD_SESSIONS) {
			if (v[C_OOM] == 1)
				k->oom++;
			else if (jt_sketch_add(&k->sketch, v[C_PEAK], err) < 0)
				return -1;
		} else {
			int64_t s = f->stat == JT_STAT_MAX ? v[C_MAX_PEAK]
				: f->stat == JT_STAT_P99   ? v[C_P99_PEAK]
							   : v[C_P999_PEAK];

			k->agg_count += v[C_COUNT];
			if (v[C_OOM_COUNT] > 0)
				k->oom += (long)v[C_OOM_COUNT];
			if (s > k->agg_stat)
				k->agg_stat = s;
		}
	}
	if (f->row_fn != NULL &&
	    (sd->shape == JT_FIELD_GROWTH || sd->shape == JT_FIELD_SESSIONS)) {
		struct jt_field_row fr = {
			sd->shape,
			r->name,
			r->line,
			model,
			os,
			page,
			sd->shape == JT_FIELD_GROWTH ? v[C_GROWTH] : v[C_PEAK],
			sd->shape == JT_FIELD_SESSIONS && v[C_OOM] == 1};

		if (f->row_fn(f->row_ctx, &fr, err) < 0)
			return -1;
	}
	r->rows++;
	return 0;
nomem:
	return jt_error_set(err, JT_ENOMEM, r->name, r->line, 0,
			    "out of memory");
}

void
jt_field_set_row_hook(struct jt_field *f, jt_field_row_fn fn, void *ctx)
{
	f->row_fn = fn;
	f->row_ctx = ctx;
}

/* header - decide the shape from the column names. */
static int
header(struct reader *r, char **fld, size_t n, struct jt_error *err)
{
	unsigned have = 0, allowed;
	size_t i, j;

	for (i = 0; i < NCOLS; i++)
		r->pos[i] = -1;
	for (i = 0; i < n; i++) {
		for (j = 0; j < NCOLS; j++)
			if (strcmp(fld[i], col_names[j]) == 0)
				break;
		if (j == NCOLS)
			return jt_error_set(err, JT_EPARSE, r->name, r->line, 0,
					    "unexpected column '%.60s'",
					    fld[i]);
		if (have & 1u << j)
			return jt_error_set(err, JT_EPARSE, r->name, r->line, 0,
					    "column '%s' appears twice",
					    col_names[j]);
		have |= 1u << j;
		r->pos[j] = (int)i;
	}
	r->ncols = n;
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		if (have & 1u << shapes[i].signature)
			break;
	if (i == sizeof(shapes) / sizeof(shapes[0]))
		return jt_error_set(
			err, JT_EPARSE, r->name, r->line, 0,
			"header fits no field-data shape: expected a "
			"'growth_bytes', 'peak_footprint_bytes', "
			"'max_growth_bytes' or 'max_peak_bytes' column");
	r->shape = &shapes[i];
	allowed = r->shape->required | r->shape->optional;
	for (j = 0; j < NCOLS; j++) {
		if ((r->shape->required & 1u << j) && !(have & 1u << j))
			return jt_error_set(err, JT_EPARSE, r->name, r->line, 0,
					    "missing column '%s' (%s file)",
					    col_names[j],
					    shape_names[r->shape->shape]);
		if ((have & 1u << j) && !(allowed & 1u << j))
			return jt_error_set(err, JT_EPARSE, r->name, r->line, 0,
					    "unexpected column '%s' in a %s "
					    "file",
					    col_names[j],
					    shape_names[r->shape->shape]);
	}
	if (r->shape->shape == JT_FIELD_GROWTH_AGGREGATE ||
	    r->shape->shape == JT_FIELD_SESSIONS_AGGREGATE) {
		int g = r->shape->shape == JT_FIELD_GROWTH_AGGREGATE;
		enum col need = r->f->stat == JT_STAT_MAX
			? (g ? C_MAX_GROWTH : C_MAX_PEAK)
			: r->f->stat == JT_STAT_P99
			? (g ? C_P99_GROWTH : C_P99_PEAK)
			: (g ? C_P999_GROWTH : C_P999_PEAK);

		if (!(have & 1u << need))
			return jt_error_set(err, JT_EPARSE, r->name, r->line, 0,
					    "statistic %s needs column '%s'",
					    stat_names[r->f->stat],
					    col_names[need]);
	}
	return 0;
}

/* ---- CSV and JSON Lines drivers ------------------------------------------ */

/*
 * The CSV reader for field data.  jt_csv copies every field into its own
 * buffer; at ten million rows that copy is most of the cost, so field
 * files are parsed in place instead: a block is read, a record's end is
 * found by counting quotes up to a line break (an odd count means the
 * break is inside a quoted field), and only then is the record cut into
 * NUL-terminated fields inside the block.  The grammar is jt_csv's:
 * quoted fields with doubled quotes and line breaks, LF or CRLF, blank
 * lines skipped, and the same two fatal errors.
 */
#define FAST_BLOCK (1 << 20)
#define FAST_MAXF 64

struct fastcsv {
	int fd; /* -1 for memory */
	char *buf;
	size_t cap, pos, len; /* unread input is buf[pos..len) */
	int eof;
	long line; /* line of the next record */
	const char *name;
	char *fld[FAST_MAXF];
	size_t flen[FAST_MAXF];
};

/* fast_fill - move unread input to the front and read more. */
static int
fast_fill(struct fastcsv *c, struct jt_error *err)
{
	ssize_t n;

	if (c->eof)
		return 0;
	if (c->pos > 0) {
		memmove(c->buf, c->buf + c->pos, c->len - c->pos);
		c->len -= c->pos;
		c->pos = 0;
	}
	if (c->len + 1 >= c->cap) {
		char *nb = realloc(c->buf, c->cap * 2);

		if (nb == NULL)
			return jt_error_set(err, JT_ENOMEM, c->name, c->line, 0,
					    "out of memory");
		c->buf = nb;
		c->cap *= 2;
	}
	do
		n = read(c->fd, c->buf + c->len, c->cap - 1 - c->len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return jt_error_set_errno(err, errno, c->name, "cannot read");
	if (n == 0)
		c->eof = 1;
	c->len += (size_t)n;
	return 1;
}

/*
 * fast_next - the next record's fields in c->fld, their lengths in c->flen
 * (at most FAST_MAXF kept, *n counts them all).  1, 0 at end of input, -1
 * on error.  *line is the line the record started on.
 *
 * One pass finds the field boundaries without writing anything; when the
 * record is not complete in the block, more is read and the scan starts
 * again.  Only a complete record is cut: NULs written over the
 * delimiters, quoted fields unquoted in place.
 */
static int
fast_next(struct fastcsv *c, size_t *n, long *line, struct jt_error *err)
{
	struct {
		char *s, *e; /* field text [s, e): e is its delimiter */
		int q;       /* starts with a quote */
	} f[FAST_MAXF];
	char *rec, *p, *end;
	size_t nf, i;
	long breaks;

again:
	rec = p = c->buf + c->pos;
	end = c->buf + c->len;
	nf = 0;
	if (p == end) {
		if (c->eof)
			return 0;
		goto more;
	}
	for (;;) {
		char *s = p;
		int q = 0;

		if (p < end && *p == '"') {
			q = 1;
			p++;
			for (;;) {
				char *x = memchr(p, '"', (size_t)(end - p));

				if (x == NULL) {
					if (c->eof)
						return jt_error_set(
							err, JT_EPARSE, c->name,
							c->line,
							(long)(s - rec) + 1,
							"quoted field not "
							"closed before end of "
							"file");
					goto more;
				}
				p = x + 1;
				if (p == end && !c->eof)
					goto more;
				if (p < end && *p == '"') {
					p++;
					continue;
				}
				break;
			}
		}
		/* Unquoted text, or text after a closing quote. */
		while (p < end && *p != ',' && *p != '\n' && *p != '\r' &&
		       *p != '"')
			p++;
		if (p < end && *p == '"')
			return jt_error_set(err, JT_EPARSE, c->name, c->line,
					    (long)(p - rec) + 1,
					    "stray quote inside an unquoted "
					    "field");
		if (p == end && !c->eof)
			goto more;
		if (nf < FAST_MAXF) {
			f[nf].s = s;
			f[nf].e = p;
			f[nf].q = q;
		}
		nf++;
		if (p == end)
			break;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\r') {
			if (p + 1 == end && !c->eof)
				goto more;
			if (p + 1 < end && p[1] == '\n')
				p++;
		}
		p++;
		break;
	}

	/* A whole record: cut it. */
	c->pos = (size_t)(p - c->buf);
	*line = c->line;
	breaks = 0;
	for (i = 0; i < nf && i < FAST_MAXF; i++) {
		char *d = f[i].s, *x;

		if (!f[i].q) {
			*f[i].e = '\0';
			c->fld[i] = f[i].s;
			c->flen[i] = (size_t)(f[i].e - f[i].s);
			continue;
		}
		/* Unquote: "" -> ", the lone closing quote dropped. */
		for (x = f[i].s + 1; x < f[i].e; x++) {
			if (*x == '"') {
				if (x + 1 < f[i].e && x[1] == '"')
					x++;
				else
					continue;
			} else if (*x == '\n') {
				breaks++;
			}
			*d++ = *x;
		}
		*d = '\0';
		c->fld[i] = f[i].s;
		c->flen[i] = (size_t)(d - f[i].s);
	}
	/* (Line breaks quoted in fields past FAST_MAXF are not counted: such
	 * a row is reported as having too many fields anyway.) */
	c->line += 1 + breaks;
	if (nf == 1 && c->flen[0] == 0)
		goto again; /* blank line */
	*n = nf;
	return 1;
more:
	if (fast_fill(c, err) < 0)
		return -1;
	goto again;
}

/*
 * read_growth - raw page growth, the shape that comes by the million.
 * Rows are handled in batches of BATCH: first validated, their keys copied
 * out and hashed, and the hash slots prefetched; then the keys are looked
 * up and the sketch buckets prefetched; then counted.  With thousands of
 * keys the tables do not fit in the L2 cache, and overlapping the misses
 * of a batch is what keeps the per-row cost near the parsing cost.
 */
#define BATCH 32

struct pending {
	char key[MAX_KEY];
	size_t len;
	uint64_t hash;
	int64_t value;
	long line;
	size_t index;
};

static int
read_growth(struct reader *r, struct fastcsv *c, struct jt_error *err)
{
	struct jt_field *f = r->f;
	struct table *t = &f->growth;
	struct pending *b = malloc(BATCH * sizeof(*b));
	int64_t v[NCOLS];
	const char *model, *os, *page;
	size_t n, nb, i;
	int rc = 1, created;

	if (b == NULL)
		return jt_error_oom(err, r->name);
	while (rc > 0) {
		for (nb = 0; nb < BATCH;) {
			size_t ml, pl;

			rc = fast_next(c, &n, &r->line, err);
			if (rc <= 0)
				break;
			if (validate(r, c->fld, c->flen, n, v, &model, &os,
				     &page) != 0)
				continue;
			ml = c->flen[r->pos[C_MODEL]];
			pl = c->flen[r->pos[C_PAGE]];
			memcpy(b[nb].key, model, ml + 1);
			memcpy(b[nb].key + ml + 1, page, pl + 1);
			b[nb].len = ml + pl + 2;
			b[nb].hash = hash(b[nb].key, b[nb].len);
			b[nb].value = v[C_GROWTH];
			b[nb].line = r->line;
			if (t->nslots > 0)
				__builtin_prefetch(&t->slots[b[nb].hash &
							     (t->nslots - 1)]);
			nb++;
		}
		if (rc < 0)
			break;
		for (i = 0; i < nb; i++) {
			struct jt_sketch *sk;
			int32_t bk;

			b[i].index = table_get_h(t, b[i].key, b[i].len,
						 b[i].hash, &created);
			if (b[i].index == (size_t)-1)
				goto nomem;
			if (created) {
				size_t mi;

				r->line = b[i].line;
				mi = model_get(r, b[i].key, 1);
				if (mi == (size_t)-1)
					goto nomem;
				t->keys[b[i].index].model = mi;
			}
			sk = &t->keys[b[i].index].sketch;
			bk = jt_sketch_bucket(b[i].value);
			if (bk >= sk->off && bk < sk->off + sk->nbins)
				__builtin_prefetch(&sk->bins[bk - sk->off], 1);
		}
		for (i = 0; i < nb; i++) {
			if (jt_sketch_add(&t->keys[b[i].index].sketch,
					  b[i].value, err) < 0) {
				rc = -1;
				break;
			}
			r->rows++;
		}
	}
	free(b);
	return rc < 0 ? -1 : 0;
nomem:
	free(b);
	return jt_error_set(err, JT_ENOMEM, r->name, r->line, 0,
			    "out of memory");
}

static int
read_csv(struct reader *r, struct fastcsv *c, struct jt_error *err)
{
	size_t n;
	int rc;

	rc = fast_next(c, &n, &r->line, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return jt_error_set(err, JT_EPARSE, r->name, 1, 0,
				    "empty file: expected a header row");
	if (n > FAST_MAXF)
		return jt_error_set(err, JT_EPARSE, r->name, r->line, 0,
				    "too many columns (%zu)", n);
	if (header(r, c->fld, n, err) < 0)
		return -1;
	/* The batched path for raw growth; a row hook needs each row. */
	if (r->shape->shape == JT_FIELD_GROWTH && r->f->row_fn == NULL)
		return read_growth(r, c, err);
	while ((rc = fast_next(c, &n, &r->line, err)) > 0)
		if (row(r, c->fld, n, err) < 0)
			return -1;
	return rc;
}

/*
 * JSON Lines.  Each line is one object whose keys are the CSV columns.
 * Most lines are flat objects of plain strings and integers, and those
 * are cut in place by flat_object(), as CSV records are; any line it does
 * not fully understand (escapes, non-ASCII text, reals, nesting, repeated
 * keys, a syntax error) goes to jansson, which decides and words the
 * error.  Either way the line becomes a list of key/value pairs that one
 * piece of code checks against the header.
 */
struct kv {
	const char *key;
	size_t klen;
	const char *val;
	int kind; /* KV_PLAIN, or a value no column can hold */
};

enum { KV_PLAIN, KV_REAL, KV_COMPOUND };

#define MAX_KV (NCOLS + 1)

/* plain_string_end - the closing quote of a string starting at p, or NULL
 * if it has an escape, a control or a non-ASCII byte (jansson's job). */
static char *
plain_string_end(char *p, const char *end)
{
	for (; p < end; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch == '"')
			return p;
		if (ch == '\\' || ch < 0x20 || ch >= 0x80)
			return NULL;
	}
	return NULL;
}

static int
is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* literal - the text a CSV cell holds for true, false or null at p. */
static const char *
literal(char **pp, const char *end)
{
	static const struct {
		const char *word, *cell;
	} lit[] = {{"true", "1"}, {"false", "0"}, {"null", ""}};
	size_t i, n;

	for (i = 0; i < sizeof(lit) / sizeof(lit[0]); i++) {
		n = strlen(lit[i].word);
		if ((size_t)(end - *pp) >= n &&
		    memcmp(*pp, lit[i].word, n) == 0) {
			*pp += n;
			return lit[i].cell;
		}
	}
	return NULL;
}

/*
 * flat_object - cut a flat object of at most MAX_KV plain pairs in place:
 * keys and values NUL-terminated inside s.  1 on success; 0 (s untouched)
 * when jansson must read the line.
 */
static int
flat_object(char *s, size_t len, struct kv *kv, size_t *np)
{
	char *p = s, *end = s + len, *cut[2 * MAX_KV];
	size_t n = 0, ncut = 0, i;

	while (p < end && is_ws(*p))
		p++;
	if (p == end || *p != '{')
		return 0;
	p++;
	for (;;) {
		char *k, *ke;
		const char *v;

		while (p < end && is_ws(*p))
			p++;
		if (n == MAX_KV || p == end || *p != '"')
			return 0; /* also {}: let jansson judge it */
		k = p + 1;
		if ((ke = plain_string_end(k, end)) == NULL)
			return 0;
		for (i = 0; i < n; i++)
			if (kv[i].klen == (size_t)(ke - k) &&
			    memcmp(kv[i].key, k, kv[i].klen) == 0)
				return 0; /* repeated key */
		cut[ncut++] = ke;
		p = ke + 1;
		while (p < end && is_ws(*p))
			p++;
		if (p == end || *p != ':')
			return 0;
		p++;
		while (p < end && is_ws(*p))
			p++;
		if (p == end)
			return 0;
		if (*p == '"') {
			char *ve = plain_string_end(p + 1, end);

			if (ve == NULL)
				return 0;
			v = p + 1;
			cut[ncut++] = ve;
			p = ve + 1;
		} else if (*p == '-' || (*p >= '0' && *p <= '9')) {
			char *d = *p == '-' ? p + 1 : p;
			char *de = d;

			while (de < end && *de >= '0' && *de <= '9')
				de++;
			/* Integers that %lld prints back the same: no
			 * leading zeros, no -0, no overflow; a fraction or
			 * an exponent is a real, for jansson. */
			if (de == d || de - d > 18 ||
			    (*d == '0' && de - d > 1) ||
			    (d != p && *d == '0') || de == end || *de == '.' ||
			    *de == 'e' || *de == 'E')
				return 0;
			v = p;
			cut[ncut++] = de;
			p = de;
		} else if ((v = literal(&p, end)) == NULL) {
			return 0;
		}
		kv[n].key = k;
		kv[n].klen = (size_t)(ke - k);
		kv[n].val = v;
		kv[n].kind = KV_PLAIN;
		n++;
		while (p < end && is_ws(*p))
			p++;
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		if (p < end && *p == '}')
			break;
		return 0;
	}
	for (p++; p < end && is_ws(*p); p++)
		;
	if (p != end)
		return 0;
	for (i = 0; i < ncut; i++)
		*cut[i] = '\0';
	*np = n;
	return 1;
}

/* json_field - the text a CSV cell would hold for v, in buf. */
static const char *
json_field(const json_t *v, char *buf, size_t len)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_true(v))
		return "1";
	if (json_is_false(v))
		return "0";
	return "";
}

static int
jsonl_row(struct reader *r, char *line, size_t len, int first,
	  struct jt_error *err)
{
	struct kv kv[MAX_KV];
	char *fld[NCOLS], bufs[MAX_KV][32];
	json_t *o = NULL;
	size_t n = 0, i, j;
	int rc, more = 0;

	if (!flat_object(line, len, kv, &n)) {
		json_error_t je;
		const char *key;
		json_t *v;

		o = json_loadb(line, len, 0, &je);
		if (o == NULL || !json_is_object(o)) {
			json_decref(o);
			if (first)
				return jt_error_set(
					err, JT_EPARSE, r->name, r->line, 0,
					"not a JSON object: %s",
					o == NULL ? je.text : "wrong type");
			return bad_row(r, "not a JSON object%s%s",
				       o == NULL ? ": " : "",
				       o == NULL ? je.text : "");
		}
		json_object_foreach(o, key, v)
		{
			if (n == MAX_KV) {
				more = 1;
				break;
			}
			kv[n].key = key;
			kv[n].klen = strlen(key);
			kv[n].kind = json_is_real(v) ? KV_REAL
				: json_is_object(v) || json_is_array(v)
				? KV_COMPOUND
				: KV_PLAIN;
			kv[n].val = json_field(v, bufs[n], sizeof(bufs[n]));
			n++;
		}
	}
	if (first) {
		const char *names[MAX_KV];

		if (n > NCOLS || more) {
			json_decref(o);
			return jt_error_set(err, JT_EPARSE, r->name, r->line, 0,
					    "too many keys");
		}
		for (i = 0; i < n; i++)
			names[i] = kv[i].key;
		if (header(r, (char **)names, n, err) < 0) {
			json_decref(o);
			return -1;
		}
	}
	/* Lay the values out in the header's column order.  With more than
	 * NCOLS distinct keys, one of the first MAX_KV is unexpected. */
	for (i = 0; i < n; i++) {
		for (j = 0; j < NCOLS; j++)
			if (strcmp(kv[i].key, col_names[j]) == 0)
				break;
		if (j == NCOLS || r->pos[j] < 0)
			rc = bad_row(r, "unexpected key '%.60s'", kv[i].key);
		else if (kv[i].kind == KV_REAL)
			rc = bad_row(r, "%s: not a whole number of bytes",
				     kv[i].key);
		else if (kv[i].kind == KV_COMPOUND)
			rc = bad_row(r, "%s: not a plain value", kv[i].key);
		else {
			fld[r->pos[j]] = (char *)kv[i].val;
			continue;
		}
		json_decref(o);
		return rc;
	}
	if (n != r->ncols) {
		for (j = 0; j < NCOLS; j++) {
			if (r->pos[j] < 0)
				continue;
			for (i = 0; i < n; i++)
				if (strcmp(kv[i].key, col_names[j]) == 0)
					break;
			if (i == n)
				break;
		}
		json_decref(o);
		return bad_row(r, "missing key '%s'",
			       j < NCOLS ? col_names[j] : "?");
	}
	rc = row(r, fld, n, err); /* the values may live in o */
	json_decref(o);
	return rc;
}

/*
 * fast_line - the next line, NUL-terminated in place (its LF dropped), in
 * *s and *len; 1, 0 at end of input, -1 on error.  Memory stays a block
 * plus the longest line.
 */
static int
fast_line(struct fastcsv *c, char **s, size_t *len, struct jt_error *err)
{
	for (;;) {
		char *p = c->buf + c->pos;
		size_t avail = c->len - c->pos;
		char *nl = memchr(p, '\n', avail);

		if (nl != NULL || (c->eof && avail > 0)) {
			*len = nl != NULL ? (size_t)(nl - p) : avail;
			p[*len] = '\0';
			*s = p;
			c->pos += *len + (nl != NULL);
			return 1;
		}
		if (c->eof)
			return 0;
		if (fast_fill(c, err) < 0)
			return -1;
	}
}

static int
read_jsonl(struct reader *r, struct fastcsv *c, struct jt_error *err)
{
	char *line;
	size_t len, k;
	int first = 1, rc;

	r->line = 0;
	while ((rc = fast_line(c, &line, &len, err)) > 0) {
		r->line++;
		for (k = 0; k < len; k++)
			if (!is_ws(line[k]))
				break;
		if (k == len)
			continue;
		if (jsonl_row(r, line, len, first, err) < 0)
			return -1;
		first = 0;
	}
	if (rc < 0)
		return -1;
	if (first)
		return jt_error_set(err, JT_EPARSE, r->name, 1, 0,
				    "empty file: expected JSON objects");
	return 0;
}

/* ---- hashing thread ------------------------------------------------------ */

struct hasher {
	const char *path;
	char hex[65];
	int64_t bytes;
	struct jt_error err;
	int rc;
};

static void *
hash_main(void *arg)
{
	struct hasher *h = arg;

	h->rc = jt_sha256_file(h->path, h->hex, &h->bytes, &h->err);
	return NULL;
}

/* ---- entry points -------------------------------------------------------- */

static struct jt_field_file *
add_file(struct jt_field *f, const char *name, struct jt_error *err)
{
	struct jt_field_file *nf;
	char **nn;

	nf = realloc(f->files, (f->nfiles + 1) * sizeof(*nf));
	if (nf == NULL)
		goto nomem;
	f->files = nf;
	nn = realloc(f->names, (f->nnames + 1) * sizeof(*nn));
	if (nn == NULL)
		goto nomem;
	f->names = nn;
	if ((f->names[f->nnames] = strdup(name)) == NULL)
		goto nomem;
	f->nnames++;
	nf = &f->files[f->nfiles];
	memset(nf, 0, sizeof(*nf));
	if ((nf->path = strdup(name)) == NULL)
		goto nomem;
	f->nfiles++;
	return nf;
nomem:
	jt_error_oom(err, name);
	return NULL;
}

static int
finish(struct reader *r, struct jt_field_file *ff, struct jt_error *err)
{
	ff->shape = r->shape->shape;
	ff->jsonl = r->jsonl;
	ff->rows = r->rows;
	ff->bad_rows = r->bad;
	if (r->rows == 0 && r->bad == 0)
		return jt_error_set(err, JT_EPARSE, r->name, r->line, 0,
				    "no data rows after the header");
	if (r->f->bad_total > r->f->max_bad)
		return jt_error_set_in(err, JT_ELIMIT, r->name,
				       "%ld malformed rows in the field data, "
				       "more than --max-bad-rows %ld allows",
				       r->f->bad_total, r->f->max_bad);
	return 0;
}

/* first_char - the first byte that is not blank, or 0. */
static int
first_char(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return (unsigned char)p[i];
	return 0;
}

int
jt_field_read_mem(struct jt_field *f, const char *buf, size_t len,
		  const char *name, struct jt_error *err)
{
	struct jt_field_file *ff = add_file(f, name, err);
	struct reader r;
	struct jt_sha256 ctx;
	struct fastcsv c;
	int rc;

	if (ff == NULL)
		return -1;
	memset(&r, 0, sizeof(r));
	r.f = f;
	r.name = ff->path;
	jt_sha256_init(&ctx);
	jt_sha256_update(&ctx, buf, len);
	jt_sha256_final(&ctx, ff->sha256);
	ff->bytes = (int64_t)len;
	if (first_char(buf, len) == 0)
		return jt_error_set(err, JT_EPARSE, name, 1, 0,
				    "empty file: expected a header row");
	memset(&c, 0, sizeof(c));
	c.fd = -1;
	c.eof = 1;
	c.line = 1;
	c.name = ff->path;
	c.cap = len + 1;
	c.len = len;
	c.buf = malloc(c.cap);
	if (c.buf == NULL)
		return jt_error_oom(err, name);
	memcpy(c.buf, buf, len);
	r.jsonl = first_char(buf, len) == '{';
	rc = r.jsonl ? read_jsonl(&r, &c, err) : read_csv(&r, &c, err);
	free(c.buf);
	if (rc < 0)
		return -1;
	return finish(&r, ff, err);
}

int
jt_field_read(struct jt_field *f, const char *path, struct jt_error *err)
{
	struct jt_field_file *ff;
	struct hasher h;
	pthread_t tid;
	struct reader r;
	char peek[256];
	size_t npeek;
	FILE *fp;
	int rc, threaded;

	fp = fopen(path, "rb");
	if (fp == NULL)
		return jt_error_set_errno(err, errno, path, "cannot open");
	npeek = fread(peek, 1, sizeof(peek), fp);
	fclose(fp);
	ff = add_file(f, path, err);
	if (ff == NULL)
		return -1;
	memset(&h, 0, sizeof(h));
	h.path = path;
	jt_error_init(&h.err);
	/* Decide the SHA-256 code path here, not racing in the thread. */
	(void)jt_sha256_accelerated();
	threaded = pthread_create(&tid, NULL, hash_main, &h) == 0;
	if (!threaded)
		hash_main(&h);

	memset(&r, 0, sizeof(r));
	r.f = f;
	r.name = ff->path;
	r.jsonl = first_char(peek, npeek) == '{';
	if (first_char(peek, npeek) == 0 && npeek < sizeof(peek)) {
		rc = jt_error_set(err, JT_EPARSE, path, 1, 0,
				  "empty file: expected a header row");
	} else {
		struct fastcsv c;

		memset(&c, 0, sizeof(c));
		c.line = 1;
		c.name = ff->path;
		c.cap = FAST_BLOCK;
		c.buf = malloc(c.cap);
		c.fd = open(path, O_RDONLY | O_CLOEXEC);
		if (c.buf == NULL)
			rc = jt_error_oom(err, path);
		else if (c.fd < 0)
			rc = jt_error_set_errno(err, errno, path,
						"cannot open");
		else if (r.jsonl)
			rc = read_jsonl(&r, &c, err);
		else
			rc = read_csv(&r, &c, err);
		if (c.fd >= 0)
			close(c.fd);
		free(c.buf);
	}
	if (threaded)
		pthread_join(tid, NULL);
	if (rc < 0)
		return -1;
	if (h.rc < 0) {
		if (err != NULL && !jt_error_isset(err))
			*err = h.err;
		return -1;
	}
	memcpy(ff->sha256, h.hex, sizeof(h.hex));
	ff->bytes = h.bytes;
	return finish(&r, ff, err);
}

/* ---- results ------------------------------------------------------------- */

static int
model_cmp(const void *a, const void *b)
{
	return strcmp(((const struct jt_field_model *)a)->model,
		      ((const struct jt_field_model *)b)->model);
}

struct jt_field_model *
jt_field_summarize(const struct jt_field *f, size_t *n, struct jt_error *err)
{
	struct jt_field_model *out = calloc(f->models.n + 1, sizeof(*out));
	size_t i;

	*n = 0;
	if (out == NULL) {
		jt_error_oom(err, NULL);
		return NULL;
	}
	for (i = 0; i < f->models.n; i++) {
		const struct key *k = &f->models.keys[i];
		struct jt_field_model *m = &out[i];
		int64_t s = statistic(f->stat, &k->sketch);

		m->model = k->name;
		m->growth_bytes = -1;
		m->baseline_bytes = s > k->agg_stat ? s : k->agg_stat;
		m->session_samples = (long)(k->sketch.count + k->agg_count);
		m->oom_sessions = k->oom;
		m->first_source = k->first_source;
		m->first_line = k->has_growth ? k->first_line : 0;
	}
	for (i = 0; i < f->growth.n; i++) {
		const struct key *k = &f->growth.keys[i];
		struct jt_field_model *m = &out[k->model];
		const char *page = k->name + strlen(k->name) + 1;
		int64_t s = statistic(f->stat, &k->sketch);

		if (k->agg_stat > s)
			s = k->agg_stat;
		m->growth_samples += (long)(k->sketch.count + k->agg_count);
		if (s > m->growth_bytes ||
		    (s == m->growth_bytes &&
		     (m->growth_page == NULL ||
		      strcmp(page, m->growth_page) < 0))) {
			m->growth_bytes = s;
			m->growth_page = *page != '\0' ? page : NULL;
		}
	}
	*n = f->models.n;
	qsort(out, *n, sizeof(*out), model_cmp);
	return out;
}
