/*
 * table.c - the threshold table in memory, as JSON, and its lookup
 *
 * The JSON shape is data/table-schema.json.  Reading is strict about the
 * schema name, version and the types of known fields (a table is what an
 * SDK ships, so a wrong type must not pass silently) and lenient about
 * unknown keys, so a newer writer's additions do not break older readers.
 * The lookup here is the reference every other output (plist consumers,
 * the generated C header) must agree with; tests compare them.
 */
#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "jetsam/core/emit.h"

#define MAX_TABLE_BYTES (64 * 1024 * 1024)

static const char *const rule_names[] = {"ceiling-minus-growth",
					 "baseline-floor", "ceiling-cap",
					 "fraction-of-ceiling"};
static const char *const source_names[] = {"measured", "carried-over",
					   "runtime-rule", "fraction"};

void
jt_table_init(struct jt_table *t)
{
	memset(t, 0, sizeof(*t));
	t->version = JT_TABLE_VERSION;
	t->fraction = JT_TABLE_DEFAULT_FRACTION;
}

static void
entry_release(struct jt_table_entry *e)
{
	size_t i;

	free(e->model);
	free(e->os_version);
	free(e->profile);
	free(e->model_name);
	free(e->ceiling_method);
	free(e->growth_page);
	for (i = 0; i < e->nevidence; i++) {
		free(e->evidence[i].input);
		free(e->evidence[i].kind);
		free(e->evidence[i].method);
	}
	free(e->evidence);
}

void
jt_table_release(struct jt_table *t)
{
	size_t i, j;

	free(t->tool_version);
	free(t->release);
	free(t->generated_at);
	free(t->statistic);
	for (i = 0; i < t->ninputs; i++) {
		free(t->inputs[i].path);
		free(t->inputs[i].kind);
	}
	free(t->inputs);
	for (i = 0; i < t->nentries; i++)
		entry_release(&t->entries[i]);
	free(t->entries);
	for (i = 0; i < t->nclasses; i++) {
		for (j = 0; j < t->classes[i].nmodels; j++)
			free(t->classes[i].models[j]);
		free(t->classes[i].models);
	}
	free(t->classes);
	for (i = 0; i < t->nexcluded; i++) {
		free(t->excluded[i].input);
		free(t->excluded[i].model);
		free(t->excluded[i].os_version);
		free(t->excluded[i].reason);
		free(t->excluded[i].why);
	}
	free(t->excluded);
	jt_table_init(t);
}

const char *
jt_rule_name(enum jt_rule rule)
{
	if ((unsigned)rule < sizeof(rule_names) / sizeof(rule_names[0]))
		return rule_names[rule];
	return "unknown";
}

const char *
jt_source_name(enum jt_source source)
{
	if ((unsigned)source < sizeof(source_names) / sizeof(source_names[0]))
		return source_names[source];
	return "unknown";
}

int
jt_rule_parse(const char *name, enum jt_rule *out, struct jt_error *err)
{
	size_t i;

	for (i = 0; i < sizeof(rule_names) / sizeof(rule_names[0]); i++)
		if (name != NULL && strcmp(name, rule_names[i]) == 0) {
			*out = (enum jt_rule)i;
			return 0;
		}
	return jt_error_set_in(err, JT_EPARSE, NULL, "unknown rule '%s'",
			       name ? name : "(null)");
}

int
jt_source_parse(const char *name, enum jt_source *out, struct jt_error *err)
{
	size_t i;

	for (i = 0; i < sizeof(source_names) / sizeof(source_names[0]); i++)
		if (name != NULL && strcmp(name, source_names[i]) == 0) {
			*out = (enum jt_source)i;
			return 0;
		}
	return jt_error_set_in(err, JT_EPARSE, NULL,
			       "unknown lookup source '%s'",
			       name ? name : "(null)");
}

int
jt_os_compare(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	while (*a != '\0' || *b != '\0') {
		unsigned long x = 0, y = 0;
		int dx = 0, dy = 0;

		while (*a >= '0' && *a <= '9') {
			x = x * 10 + (unsigned long)(*a++ - '0');
			dx = 1;
		}
		while (*b >= '0' && *b <= '9') {
			y = y * 10 + (unsigned long)(*b++ - '0');
			dy = 1;
		}
		if (dx && dy && x != y)
			return x < y ? -1 : 1;
		if (dx != dy)
			return dx < dy ? 1 : -1; /* "14" < "14.x", digits win */
		if (*a != *b) {
			if (*a == '\0')
				return -1;
			if (*b == '\0')
				return 1;
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		}
		if (*a != '\0') {
			a++;
			b++;
		}
	}
	return 0;
}

static int
nullcmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
entry_cmp(const void *pa, const void *pb)
{
	const struct jt_table_entry *a = pa, *b = pb;
	int c;

	if ((c = nullcmp(a->model, b->model)) != 0)
		return c;
	if ((c = jt_os_compare(a->os_version, b->os_version)) != 0)
		return c;
	if ((c = nullcmp(a->os_version, b->os_version)) != 0)
		return c;
	return nullcmp(a->profile, b->profile);
}

int
jt_table_entry_cmp(const struct jt_table_entry *a,
		   const struct jt_table_entry *b)
{
	return entry_cmp(a, b);
}

void
jt_table_sort(struct jt_table *t)
{
	if (t->nentries > 1)
		qsort(t->entries, t->nentries, sizeof(t->entries[0]),
		      entry_cmp);
}

/* ---- to JSON ------------------------------------------------------------ */

/* A small builder: the first allocation failure sticks in bad. */
struct jb {
	int bad;
};

static json_t *
jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
jbytes(int64_t v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

static void
put(struct jb *b, json_t *o, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(o, key, v) != 0)
		b->bad = 1;
}

static void
append(struct jb *b, json_t *a, json_t *v)
{
	if (v == NULL || json_array_append_new(a, v) != 0)
		b->bad = 1;
}

static json_t *
entry_json(struct jb *b, const struct jt_table_entry *e)
{
	json_t *o = json_object(), *ev = json_array(), *w = json_array();
	size_t i;

	if (o == NULL || ev == NULL || w == NULL) {
		json_decref(o);
		json_decref(ev);
		json_decref(w);
		b->bad = 1;
		return NULL;
	}
	put(b, o, "model", jstr(e->model));
	put(b, o, "os_version", jstr(e->os_version));
	put(b, o, "profile", jstr(e->profile));
	put(b, o, "model_name", jstr(e->model_name));
	put(b, o, "known_model", json_boolean(e->known_model));
	put(b, o, "ram_bytes", jbytes(e->ram_bytes));
	put(b, o, "ceiling_bytes", jbytes(e->ceiling_bytes));
	put(b, o, "ceiling_low_bytes", jbytes(e->ceiling_low_bytes));
	put(b, o, "ceiling_high_bytes", jbytes(e->ceiling_high_bytes));
	put(b, o, "spread_bytes", jbytes(e->spread_bytes));
	put(b, o, "step_bytes", jbytes(e->step_bytes));
	put(b, o, "ceiling_method", jstr(e->ceiling_method));
	put(b, o, "runs", json_integer(e->runs));
	put(b, o, "disagree", json_boolean(e->disagree));
	for (i = 0; i < e->nevidence; i++) {
		const struct jt_evidence *x = &e->evidence[i];
		json_t *xo = json_object();

		if (xo == NULL) {
			b->bad = 1;
			break;
		}
		put(b, xo, "input", jstr(x->input));
		put(b, xo, "kind", jstr(x->kind));
		put(b, xo, "method", jstr(x->method));
		put(b, xo, "bytes", jbytes(x->bytes));
		put(b, xo, "step_bytes", jbytes(x->step_bytes));
		append(b, ev, xo);
	}
	put(b, o, "evidence", ev);
	put(b, o, "growth_bytes", jbytes(e->growth_bytes));
	put(b, o, "growth_page", jstr(e->growth_page));
	put(b, o, "growth_samples", json_integer(e->growth_samples));
	put(b, o, "baseline_bytes", jbytes(e->baseline_bytes));
	put(b, o, "session_samples", json_integer(e->session_samples));
	put(b, o, "threshold_bytes", jbytes(e->threshold_bytes));
	put(b, o, "rule", json_string(jt_rule_name(e->rule)));
	put(b, o, "no_headroom", json_boolean(e->no_headroom));
	if (e->disagree)
		append(b, w, json_string("disagree"));
	if (e->growth_bytes < 0)
		append(b, w, json_string("no-field-growth"));
	if (e->no_headroom)
		append(b, w, json_string("no-headroom"));
	if (!e->known_model)
		append(b, w, json_string("unknown-model"));
	put(b, o, "warnings", w);
	return o;
}

json_t *
jt_table_to_json(const struct jt_table *t, struct jt_error *err)
{
	struct jb b = {0};
	json_t *o = json_object(), *g = json_object(), *lk = json_object();
	json_t *in = json_array(), *en = json_array(), *rc = json_array();
	json_t *ex = json_array(), *order = json_array();
	size_t i, j;

	if (o == NULL || g == NULL || lk == NULL || in == NULL || en == NULL ||
	    rc == NULL || ex == NULL || order == NULL) {
		json_decref(o);
		json_decref(g);
		json_decref(lk);
		json_decref(in);
		json_decref(en);
		json_decref(rc);
		json_decref(ex);
		json_decref(order);
		jt_error_oom(err, NULL);
		return NULL;
	}
	put(&b, o, "schema", json_string(JT_TABLE_SCHEMA));
	put(&b, o, "version", json_integer(t->version));
	put(&b, g, "tool", json_string("jetsam-calibrate"));
	put(&b, g, "tool_version", jstr(t->tool_version));
	put(&b, g, "release", jstr(t->release));
	put(&b, g, "generated_at", jstr(t->generated_at));
	put(&b, g, "statistic", jstr(t->statistic));
	put(&b, g, "sketch_relative_error",
	    json_real(t->sketch_relative_error));
	put(&b, o, "generator", g);
	for (i = 0; i < 4; i++)
		append(&b, order, json_string(source_names[i]));
	put(&b, lk, "order", order);
	put(&b, lk, "fraction", json_real(t->fraction));
	put(&b, o, "lookup", lk);
	for (i = 0; i < t->ninputs; i++) {
		json_t *x = json_object();

		if (x == NULL) {
			b.bad = 1;
			break;
		}
		put(&b, x, "path", jstr(t->inputs[i].path));
		put(&b, x, "kind", jstr(t->inputs[i].kind));
		put(&b, x, "sha256", json_string(t->inputs[i].sha256));
		put(&b, x, "bytes", json_integer(t->inputs[i].bytes));
		append(&b, in, x);
	}
	put(&b, o, "inputs", in);
	for (i = 0; i < t->nentries; i++)
		append(&b, en, entry_json(&b, &t->entries[i]));
	put(&b, o, "entries", en);
	for (i = 0; i < t->nclasses; i++) {
		json_t *x = json_object(), *m = json_array();

		if (x == NULL || m == NULL) {
			json_decref(x);
			json_decref(m);
			b.bad = 1;
			break;
		}
		put(&b, x, "ram_bytes", jbytes(t->classes[i].ram_bytes));
		put(&b, x, "growth_bytes", jbytes(t->classes[i].growth_bytes));
		for (j = 0; j < t->classes[i].nmodels; j++)
			append(&b, m, jstr(t->classes[i].models[j]));
		put(&b, x, "models", m);
		append(&b, rc, x);
	}
	put(&b, o, "ram_classes", rc);
	for (i = 0; i < t->nexcluded; i++) {
		const struct jt_excluded *e = &t->excluded[i];
		json_t *x = json_object();

		if (x == NULL) {
			b.bad = 1;
			break;
		}
		put(&b, x, "input", jstr(e->input));
		put(&b, x, "model", jstr(e->model));
		put(&b, x, "os_version", jstr(e->os_version));
		put(&b, x, "reason", jstr(e->reason));
		put(&b, x, "why", jstr(e->why));
		append(&b, ex, x);
	}
	put(&b, o, "excluded", ex);
	if (b.bad) {
		json_decref(o);
		jt_error_oom(err, NULL);
		return NULL;
	}
	return o;
}

/* ---- from JSON ---------------------------------------------------------- */

/* A reader context: the first problem is recorded, later ones ignored. */
struct jr {
	const char *source;
	struct jt_error *err;
	int bad;
	char where[96];
};

static int
jr_fail(struct jr *r, const char *key, const char *what)
{
	if (!r->bad)
		jt_error_set_in(r->err, JT_EPARSE, r->source,
				"threshold table %s'%s' should be %s", r->where,
				key, what);
	r->bad = 1;
	return -1;
}

static json_t *
jr_get(struct jr *r, const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL)
		jr_fail(r, key, "present");
	return v;
}

/* jr_str - a new copy of a string field; NULL for null when nullable. */
static char *
jr_str(struct jr *r, const json_t *o, const char *key, int nullable)
{
	json_t *v = jr_get(r, o, key);
	char *s;

	if (v == NULL)
		return NULL;
	if (nullable && json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		jr_fail(r, key, nullable ? "a string or null" : "a string");
		return NULL;
	}
	s = strdup(json_string_value(v));
	if (s == NULL && !r->bad) {
		jt_error_oom(r->err, r->source);
		r->bad = 1;
	}
	return s;
}

/* jr_int - a non-negative integer; null gives -1 when nullable. */
static int64_t
jr_int(struct jr *r, const json_t *o, const char *key, int nullable)
{
	json_t *v = jr_get(r, o, key);

	if (v == NULL)
		return -1;
	if (nullable && json_is_null(v))
		return -1;
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		jr_fail(r, key,
			nullable ? "a non-negative integer or null"
				 : "a non-negative integer");
		return -1;
	}
	return json_integer_value(v);
}

static int
jr_bool(struct jr *r, const json_t *o, const char *key)
{
	json_t *v = jr_get(r, o, key);

	if (v != NULL && !json_is_boolean(v))
		jr_fail(r, key, "true or false");
	return v != NULL && json_is_true(v);
}

static double
jr_real(struct jr *r, const json_t *o, const char *key)
{
	json_t *v = jr_get(r, o, key);

	if (v != NULL && !json_is_number(v)) {
		jr_fail(r, key, "a number");
		return 0;
	}
	return v != NULL ? json_number_value(v) : 0;
}

static const json_t *
jr_array(struct jr *r, const json_t *o, const char *key, size_t *n)
{
	json_t *v = jr_get(r, o, key);

	*n = 0;
	if (v != NULL && !json_is_array(v)) {
		jr_fail(r, key, "an array");
		return NULL;
	}
	if (v != NULL)
		*n = json_array_size(v);
	return v;
}

static const json_t *
jr_item(struct jr *r, const json_t *a, size_t i, const char *what)
{
	json_t *v = json_array_get(a, i);

	snprintf(r->where, sizeof(r->where), "%s[%zu] ", what, i);
	if (v == NULL || !json_is_object(v)) {
		jr_fail(r, "", "an object");
		return NULL;
	}
	return v;
}

static void *
jr_calloc(struct jr *r, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL && !r->bad) {
		jt_error_oom(r->err, r->source);
		r->bad = 1;
	}
	return p;
}

static void
read_entry(struct jr *r, const json_t *o, struct jt_table_entry *e)
{
	const json_t *ev;
	struct jt_error sub;
	char *rule;
	size_t i, n;

	e->model = jr_str(r, o, "model", 0);
	e->os_version = jr_str(r, o, "os_version", 0);
	e->profile = jr_str(r, o, "profile", 0);
	e->model_name = jr_str(r, o, "model_name", 1);
	e->known_model = jr_bool(r, o, "known_model");
	e->ram_bytes = jr_int(r, o, "ram_bytes", 1);
	e->ceiling_bytes = jr_int(r, o, "ceiling_bytes", 0);
	e->ceiling_low_bytes = jr_int(r, o, "ceiling_low_bytes", 0);
	e->ceiling_high_bytes = jr_int(r, o, "ceiling_high_bytes", 0);
	e->spread_bytes = jr_int(r, o, "spread_bytes", 0);
	e->step_bytes = jr_int(r, o, "step_bytes", 1);
	e->ceiling_method = jr_str(r, o, "ceiling_method", 0);
	e->runs = (long)jr_int(r, o, "runs", 0);
	e->disagree = jr_bool(r, o, "disagree");
	e->growth_bytes = jr_int(r, o, "growth_bytes", 1);
	e->growth_page = jr_str(r, o, "growth_page", 1);
	e->growth_samples = (long)jr_int(r, o, "growth_samples", 0);
	e->baseline_bytes = jr_int(r, o, "baseline_bytes", 1);
	e->session_samples = (long)jr_int(r, o, "session_samples", 0);
	e->threshold_bytes = jr_int(r, o, "threshold_bytes", 0);
	e->no_headroom = jr_bool(r, o, "no_headroom");
	rule = jr_str(r, o, "rule", 0);
	jt_error_init(&sub);
	if (rule != NULL && jt_rule_parse(rule, &e->rule, &sub) < 0)
		jr_fail(r, "rule", "a known rule name");
	free(rule);
	if (!r->bad &&
	    (e->threshold_bytes <= 0 || e->threshold_bytes > e->ceiling_bytes))
		jr_fail(r, "threshold_bytes", "in (0, ceiling_bytes]");
	ev = jr_array(r, o, "evidence", &n);
	if (r->bad || n == 0)
		return;
	e->evidence = jr_calloc(r, n, sizeof(*e->evidence));
	if (e->evidence == NULL)
		return;
	for (i = 0; i < n && !r->bad; i++) {
		const json_t *x = json_array_get(ev, i);
		struct jt_evidence *y = &e->evidence[i];

		if (!json_is_object(x)) {
			jr_fail(r, "evidence", "an array of objects");
			break;
		}
		e->nevidence++;
		y->input = jr_str(r, x, "input", 0);
		y->kind = jr_str(r, x, "kind", 0);
		y->method = jr_str(r, x, "method", 0);
		y->bytes = jr_int(r, x, "bytes", 0);
		y->step_bytes = jr_int(r, x, "step_bytes", 1);
	}
}

int
jt_table_from_json(struct jt_table *t, const json_t *obj, const char *source,
		   struct jt_error *err)
{
	struct jr r = {source, err, 0, ""};
	const json_t *g, *lk, *a;
	json_t *v;
	size_t i, j, n;

	jt_table_init(t);
	if (!json_is_object(obj))
		return jt_error_set_in(err, JT_EPARSE, source,
				       "threshold table is not a JSON object");
	v = json_object_get(obj, "schema");
	if (!json_is_string(v) ||
	    strcmp(json_string_value(v), JT_TABLE_SCHEMA) != 0)
		return jt_error_set_in(err, JT_EPARSE, source,
				       "not a threshold table (schema is not "
				       "'%s')",
				       JT_TABLE_SCHEMA);
	v = json_object_get(obj, "version");
	if (!json_is_integer(v) || json_integer_value(v) != JT_TABLE_VERSION)
		return jt_error_set_in(err, JT_EPARSE, source,
				       "threshold table version is not %d",
				       JT_TABLE_VERSION);
	g = jr_get(&r, obj, "generator");
	if (g != NULL && !json_is_object(g))
		jr_fail(&r, "generator", "an object");
	if (!r.bad) {
		snprintf(r.where, sizeof(r.where), "generator ");
		t->tool_version = jr_str(&r, g, "tool_version", 0);
		t->release = jr_str(&r, g, "release", 1);
		t->generated_at = jr_str(&r, g, "generated_at", 1);
		t->statistic = jr_str(&r, g, "statistic", 0);
		t->sketch_relative_error =
			jr_real(&r, g, "sketch_relative_error");
	}
	lk = r.bad ? NULL : jr_get(&r, obj, "lookup");
	if (lk != NULL && !json_is_object(lk))
		jr_fail(&r, "lookup", "an object");
	if (!r.bad) {
		snprintf(r.where, sizeof(r.where), "lookup ");
		t->fraction = jr_real(&r, lk, "fraction");
		if (!r.bad && !(t->fraction > 0 && t->fraction <= 1))
			jr_fail(&r, "fraction", "in (0, 1]");
		r.where[0] = '\0';
	}

	a = r.bad ? NULL : jr_array(&r, obj, "inputs", &n);
	if (a != NULL && n > 0 &&
	    (t->inputs = jr_calloc(&r, n, sizeof(*t->inputs))) != NULL)
		for (i = 0; i < n && !r.bad; i++) {
			const json_t *x = jr_item(&r, a, i, "inputs");
			char *h;

			if (x == NULL)
				break;
			t->ninputs++;
			t->inputs[i].path = jr_str(&r, x, "path", 0);
			t->inputs[i].kind = jr_str(&r, x, "kind", 0);
			t->inputs[i].bytes = jr_int(&r, x, "bytes", 0);
			h = jr_str(&r, x, "sha256", 0);
			if (h != NULL && strlen(h) != 64)
				jr_fail(&r, "sha256", "64 hex digits");
			else if (h != NULL)
				memcpy(t->inputs[i].sha256, h, 65);
			free(h);
		}

	r.where[0] = '\0';
	a = r.bad ? NULL : jr_array(&r, obj, "entries", &n);
	if (a != NULL && n > 0 &&
	    (t->entries = jr_calloc(&r, n, sizeof(*t->entries))) != NULL)
		for (i = 0; i < n && !r.bad; i++) {
			const json_t *x = jr_item(&r, a, i, "entries");

			if (x == NULL)
				break;
			t->nentries++;
			read_entry(&r, x, &t->entries[i]);
		}

	r.where[0] = '\0';
	a = r.bad ? NULL : jr_array(&r, obj, "ram_classes", &n);
	if (a != NULL && n > 0 &&
	    (t->classes = jr_calloc(&r, n, sizeof(*t->classes))) != NULL)
		for (i = 0; i < n && !r.bad; i++) {
			const json_t *x = jr_item(&r, a, i, "ram_classes");
			struct jt_ram_class *c = &t->classes[i];
			const json_t *m;
			size_t nm;

			if (x == NULL)
				break;
			t->nclasses++;
			c->ram_bytes = jr_int(&r, x, "ram_bytes", 0);
			c->growth_bytes = jr_int(&r, x, "growth_bytes", 0);
			m = jr_array(&r, x, "models", &nm);
			if (m == NULL || nm == 0 ||
			    (c->models = jr_calloc(&r, nm, sizeof(char *))) ==
				    NULL)
				continue;
			for (j = 0; j < nm && !r.bad; j++) {
				const json_t *s = json_array_get(m, j);

				if (!json_is_string(s)) {
					jr_fail(&r, "models",
						"an array of strings");
					break;
				}
				c->models[j] = strdup(json_string_value(s));
				c->nmodels++;
			}
		}

	r.where[0] = '\0';
	a = r.bad ? NULL : jr_array(&r, obj, "excluded", &n);
	if (a != NULL && n > 0 &&
	    (t->excluded = jr_calloc(&r, n, sizeof(*t->excluded))) != NULL)
		for (i = 0; i < n && !r.bad; i++) {
			const json_t *x = jr_item(&r, a, i, "excluded");
			struct jt_excluded *e = &t->excluded[i];

			if (x == NULL)
				break;
			t->nexcluded++;
			e->input = jr_str(&r, x, "input", 0);
			e->model = jr_str(&r, x, "model", 1);
			e->os_version = jr_str(&r, x, "os_version", 1);
			e->reason = jr_str(&r, x, "reason", 1);
			e->why = jr_str(&r, x, "why", 0);
		}

	if (r.bad) {
		jt_table_release(t);
		return -1;
	}
	return 0;
}

int
jt_table_load(struct jt_table *t, const char *path, struct jt_error *err)
{
	json_t *obj;
	int rc;

	jt_table_init(t);
	obj = jt_json_load_file(path, MAX_TABLE_BYTES, err);
	if (obj == NULL)
		return -1;
	rc = jt_table_from_json(t, obj, path, err);
	json_decref(obj);
	return rc;
}

int
jt_table_save(const struct jt_table *t, const char *path, struct jt_error *err)
{
	json_t *o = jt_table_to_json(t, err);
	int rc;

	if (o == NULL)
		return -1;
	rc = jt_json_save_file(path, o, err);
	json_decref(o);
	return rc;
}

/* ---- lookup ------------------------------------------------------------- */

const struct jt_table_entry *
jt_table_find(const struct jt_table *t, const char *model,
	      const char *os_version, const char *profile)
{
	size_t i;

	for (i = 0; i < t->nentries; i++) {
		const struct jt_table_entry *e = &t->entries[i];

		if (nullcmp(e->model, model) == 0 &&
		    nullcmp(e->os_version, os_version) == 0 &&
		    nullcmp(e->profile, profile) == 0)
			return e;
	}
	return NULL;
}

void
jt_table_lookup(const struct jt_table *t, const char *model,
		const char *os_version, const char *profile, int64_t ram_bytes,
		int64_t live_limit_bytes, struct jt_lookup *out)
{
	const struct jt_table_entry *below = NULL, *above = NULL;
	const struct jt_ram_class *cls = NULL;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->threshold_bytes = -1;
	out->entry = jt_table_find(t, model, os_version, profile);
	if (out->entry != NULL) {
		out->source = JT_SOURCE_MEASURED;
		out->threshold_bytes = out->entry->threshold_bytes;
		return;
	}
	for (i = 0; i < t->nentries; i++) {
		const struct jt_table_entry *e = &t->entries[i];

		if (nullcmp(e->model, model) != 0 ||
		    nullcmp(e->profile, profile) != 0)
			continue;
		if (jt_os_compare(e->os_version, os_version) <= 0) {
			if (below == NULL ||
			    jt_os_compare(e->os_version, below->os_version) > 0)
				below = e;
		} else if (above == NULL ||
			   jt_os_compare(e->os_version, above->os_version) <
				   0) {
			above = e;
		}
	}
	if (below != NULL || above != NULL) {
		out->entry = below != NULL ? below : above;
		out->source = JT_SOURCE_CARRIED_OVER;
		out->threshold_bytes = out->entry->threshold_bytes;
		return;
	}
	if (ram_bytes > 0)
		for (i = 0; i < t->nclasses; i++) {
			const struct jt_ram_class *c = &t->classes[i];
			int64_t d = c->ram_bytes - ram_bytes;

			if (d < 0)
				d = -d;
			if (cls == NULL) {
				cls = c;
			} else {
				int64_t best = cls->ram_bytes - ram_bytes;

				if (best < 0)
					best = -best;
				if (d < best ||
				    (d == best &&
				     c->ram_bytes < cls->ram_bytes))
					cls = c;
			}
		}
	if (cls != NULL &&
	    (live_limit_bytes <= 0 ||
	     live_limit_bytes - cls->growth_bytes > 0)) {
		out->source = JT_SOURCE_RUNTIME_RULE;
		out->ram_class = cls;
		if (live_limit_bytes > 0)
			out->threshold_bytes =
				live_limit_bytes - cls->growth_bytes;
		return;
	}
	out->source = JT_SOURCE_FRACTION;
	if (live_limit_bytes > 0) {
		out->threshold_bytes =
			(int64_t)((double)live_limit_bytes * t->fraction);
		if (out->threshold_bytes <= 0)
			out->threshold_bytes = 1;
	}
}
