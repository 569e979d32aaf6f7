/*
 * table_json.c - the audit table and the ship table as JSON, both ways
 *
 * The shapes are data/table-schema.json (audit) and data/ship-schema.json
 * (ship).  Reading is strict about the schema name, version, the types of
 * known fields and the names a table may hold (a table is what an SDK
 * ships, so a wrong type must not pass silently) and lenient about unknown
 * keys, so a newer writer's additions do not break older readers.
 */
#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "jetsam/core/emit.h"
#include "table_private.h"

#define MAX_TABLE_BYTES (64 * 1024 * 1024)

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
	if (e->no_field_growth)
		append(b, w, json_string("no-field-growth"));
	if (e->no_headroom)
		append(b, w, json_string("no-headroom"));
	if (!e->known_model)
		append(b, w, json_string("unknown-model"));
	put(b, o, "warnings", w);
	return o;
}

/* field_only_json - one field-only model of the audit table. */
static json_t *
field_only_json(struct jb *b, const struct jt_field_only *f)
{
	json_t *o = json_object(), *w = json_array();

	if (o == NULL || w == NULL) {
		json_decref(o);
		json_decref(w);
		b->bad = 1;
		return NULL;
	}
	put(b, o, "model", jstr(f->model));
	put(b, o, "model_name", jstr(f->model_name));
	put(b, o, "known_model", json_boolean(f->known_model));
	put(b, o, "ram_bytes", jbytes(f->ram_bytes));
	put(b, o, "growth_bytes", jbytes(f->growth_bytes));
	put(b, o, "growth_page", jstr(f->growth_page));
	put(b, o, "growth_samples", json_integer(f->growth_samples));
	put(b, o, "baseline_bytes", jbytes(f->baseline_bytes));
	put(b, o, "session_samples", json_integer(f->session_samples));
	if (f->growth_bytes < 0)
		append(b, w, json_string("no-field-growth"));
	if (!f->known_model)
		append(b, w, json_string("unknown-model"));
	put(b, o, "warnings", w);
	return o;
}

/* lookup_order - the sources in lookup order, as a new array. */
static json_t *
lookup_order(struct jb *b)
{
	json_t *a = json_array();
	int i;

	if (a == NULL)
		b->bad = 1;
	for (i = 0; a != NULL && i < JT_NSOURCES; i++)
		append(b, a, json_string(jt_source_name((enum jt_source)i)));
	return a;
}

json_t *
jt_table_to_json(const struct jt_table *t, struct jt_error *err)
{
	struct jb b = {0};
	json_t *o, *g, *lk, *in, *en, *fo, *rc, *ex;
	size_t i, j;

	if (t->ship) {
		jt_error_set_in(err, JT_EINVAL, NULL,
				"a ship table has no evidence to write as an "
				"audit table");
		return NULL;
	}
	o = json_object();
	if (o == NULL) {
		jt_error_oom(err, NULL);
		return NULL;
	}
	put(&b, o, "schema", json_string(JT_TABLE_SCHEMA));
	put(&b, o, "version", json_integer(JT_TABLE_VERSION));
	put(&b, o, "generator", g = json_object());
	put(&b, g, "tool", json_string("jetsam-calibrate"));
	put(&b, g, "tool_version", jstr(t->tool_version));
	put(&b, g, "release", jstr(t->release));
	put(&b, g, "generated_at", jstr(t->generated_at));
	put(&b, g, "statistic", jstr(t->statistic));
	put(&b, g, "sketch_relative_error",
	    json_real(t->sketch_relative_error));
	put(&b, o, "lookup", lk = json_object());
	put(&b, lk, "order", lookup_order(&b));
	put(&b, lk, "fraction", json_real(t->fraction));
	put(&b, o, "inputs", in = json_array());
	for (i = 0; !b.bad && i < t->ninputs; i++) {
		json_t *x = json_object();

		append(&b, in, x);
		put(&b, x, "path", jstr(t->inputs[i].path));
		put(&b, x, "kind", jstr(t->inputs[i].kind));
		put(&b, x, "sha256", json_string(t->inputs[i].sha256));
		put(&b, x, "bytes", json_integer(t->inputs[i].bytes));
	}
	put(&b, o, "entries", en = json_array());
	for (i = 0; !b.bad && i < t->nentries; i++)
		append(&b, en, entry_json(&b, &t->entries[i]));
	put(&b, o, "field_only", fo = json_array());
	for (i = 0; !b.bad && i < t->nfield_only; i++)
		append(&b, fo, field_only_json(&b, &t->field_only[i]));
	put(&b, o, "ram_classes", rc = json_array());
	for (i = 0; !b.bad && i < t->nclasses; i++) {
		json_t *x = json_object(), *m = json_array();

		append(&b, rc, x);
		put(&b, x, "ram_bytes", jbytes(t->classes[i].ram_bytes));
		put(&b, x, "growth_bytes", jbytes(t->classes[i].growth_bytes));
		put(&b, x, "models", m);
		for (j = 0; !b.bad && j < t->classes[i].nmodels; j++)
			append(&b, m, jstr(t->classes[i].models[j]));
	}
	put(&b, o, "excluded", ex = json_array());
	for (i = 0; !b.bad && i < t->nexcluded; i++) {
		const struct jt_excluded *e = &t->excluded[i];
		json_t *x = json_object();

		append(&b, ex, x);
		put(&b, x, "input", jstr(e->input));
		put(&b, x, "model", jstr(e->model));
		put(&b, x, "os_version", jstr(e->os_version));
		put(&b, x, "reason", jstr(e->reason));
		put(&b, x, "why", jstr(e->why));
	}
	if (b.bad) {
		json_decref(o);
		jt_error_oom(err, NULL);
		return NULL;
	}
	return o;
}

/* ---- the ship table as JSON --------------------------------------------- */

/* flags_json - an entry's warnings as a new array of names. */
static json_t *
flags_json(struct jb *b, const struct jt_table_entry *e)
{
	json_t *w = json_array();

	if (w == NULL) {
		b->bad = 1;
		return NULL;
	}
	if (e->disagree)
		append(b, w, json_string("disagree"));
	if (e->no_field_growth)
		append(b, w, json_string("no-field-growth"));
	if (e->no_headroom)
		append(b, w, json_string("no-headroom"));
	if (!e->known_model)
		append(b, w, json_string("unknown-model"));
	return w;
}

/* child - the object under key in o, made when missing (borrowed). */
static json_t *
child(struct jb *b, json_t *o, const char *key)
{
	json_t *c = json_object_get(o, key);

	if (c == NULL && !b->bad) {
		c = json_object();
		put(b, o, key, c);
	}
	return b->bad ? NULL : c;
}

json_t *
jt_table_to_ship_json(const struct jt_table *ship, struct jt_error *err)
{
	struct jb b = {0};
	json_t *o = json_object(), *th, *fo, *rc;
	size_t i;

	if (o == NULL) {
		jt_error_oom(err, NULL);
		return NULL;
	}
	put(&b, o, "schema", json_string(JT_SHIP_SCHEMA));
	put(&b, o, "version", json_integer(JT_SHIP_VERSION));
	put(&b, o, "tool_version", jstr(ship->tool_version));
	put(&b, o, "release", jstr(ship->release));
	put(&b, o, "fraction", json_real(ship->fraction));
	put(&b, o, "lookup_order", lookup_order(&b));
	put(&b, o, "thresholds", th = json_object());
	for (i = 0; !b.bad && i < ship->nentries; i++) {
		const struct jt_table_entry *e = &ship->entries[i];
		json_t *m = child(&b, th, e->model);
		json_t *os = m ? child(&b, m, e->os_version) : NULL;
		json_t *x = json_object();

		if (os == NULL) {
			json_decref(x);
			break;
		}
		put(&b, os, e->profile, x);
		put(&b, x, "ceiling_bytes", jbytes(e->ceiling_bytes));
		put(&b, x, "threshold_bytes", jbytes(e->threshold_bytes));
		put(&b, x, "rule", json_string(jt_rule_name(e->rule)));
		put(&b, x, "ceiling_method", jstr(e->ceiling_method));
		put(&b, x, "flags", flags_json(&b, e));
	}
	put(&b, o, "field_only", fo = json_object());
	for (i = 0; !b.bad && i < ship->nfield_only; i++) {
		const struct jt_field_only *f = &ship->field_only[i];
		json_t *x, *w;

		if (f->growth_bytes < 0)
			continue; /* answered by its RAM class */
		x = json_object();
		w = json_array();
		put(&b, fo, f->model, x);
		put(&b, x, "growth_bytes", jbytes(f->growth_bytes));
		put(&b, x, "baseline_bytes", jbytes(f->baseline_bytes));
		put(&b, x, "flags", w);
		if (!b.bad && !f->known_model)
			append(&b, w, json_string("unknown-model"));
	}
	put(&b, o, "ram_classes", rc = json_array());
	for (i = 0; !b.bad && i < ship->nclasses; i++) {
		json_t *x = json_object();

		append(&b, rc, x);
		put(&b, x, "ram_bytes", jbytes(ship->classes[i].ram_bytes));
		put(&b, x, "growth_bytes",
		    jbytes(ship->classes[i].growth_bytes));
	}
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

/* jr_name - the check of jt_table_name_check on a name just read. */
static void
jr_name(struct jr *r, const char *what, const char *name, size_t max)
{
	struct jt_error sub;

	jt_error_init(&sub);
	if (r->bad || name == NULL ||
	    jt_table_name_check(what, name, max, NULL, 0, &sub) == 0)
		return;
	jt_error_set_in(r->err, JT_EPARSE, r->source, "threshold table %s%s",
			r->where, sub.text);
	r->bad = 1;
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
	jr_name(r, "model", e->model, JT_TABLE_MODEL_MAX);
	jr_name(r, "os_version", e->os_version, JT_TABLE_OS_MAX);
	jr_name(r, "profile", e->profile, JT_TABLE_PROFILE_MAX);
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
	e->no_field_growth = e->growth_bytes < 0;
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

/*
 * jr_keyed - the member x of a ship table's dictionary named key: an
 * object, whose key is returned as a new copy (NULL after a failure).
 */
static char *
jr_keyed(struct jr *r, const char *where, const char *key, const json_t *x)
{
	char *k;

	snprintf(r->where, sizeof(r->where), "%s entry ", where);
	if (!json_is_object(x)) {
		jr_fail(r, key, "an object");
		return NULL;
	}
	k = strdup(key);
	if (k == NULL) {
		jt_error_oom(r->err, r->source);
		r->bad = 1;
	}
	return k;
}

static void
read_field_only(struct jr *r, const json_t *o, struct jt_field_only *f)
{
	f->model = jr_str(r, o, "model", 0);
	jr_name(r, "model", f->model, JT_TABLE_MODEL_MAX);
	f->model_name = jr_str(r, o, "model_name", 1);
	f->known_model = jr_bool(r, o, "known_model");
	f->ram_bytes = jr_int(r, o, "ram_bytes", 1);
	f->growth_bytes = jr_int(r, o, "growth_bytes", 1);
	f->growth_page = jr_str(r, o, "growth_page", 1);
	f->growth_samples = (long)jr_int(r, o, "growth_samples", 0);
	f->baseline_bytes = jr_int(r, o, "baseline_bytes", 1);
	f->session_samples = (long)jr_int(r, o, "session_samples", 0);
}

/* read_classes - the RAM classes (with their models when listed). */
static void
read_classes(struct jr *r, struct jt_table *t, const json_t *a, size_t n,
	     int with_models)
{
	size_t i, j;

	if (a == NULL || n == 0 ||
	    (t->classes = jr_calloc(r, n, sizeof(*t->classes))) == NULL)
		return;
	for (i = 0; i < n && !r->bad; i++) {
		const json_t *x = jr_item(r, a, i, "ram_classes");
		struct jt_ram_class *c = &t->classes[i];
		const json_t *m;
		size_t nm;

		if (x == NULL)
			break;
		t->nclasses++;
		c->ram_bytes = jr_int(r, x, "ram_bytes", 0);
		c->growth_bytes = jr_int(r, x, "growth_bytes", 0);
		if (!with_models)
			continue;
		m = jr_array(r, x, "models", &nm);
		if (m == NULL || nm == 0 ||
		    (c->models = jr_calloc(r, nm, sizeof(char *))) == NULL)
			continue;
		for (j = 0; j < nm && !r->bad; j++) {
			const json_t *s = json_array_get(m, j);

			if (!json_is_string(s)) {
				jr_fail(r, "models", "an array of strings");
				break;
			}
			c->models[j] = strdup(json_string_value(s));
			c->nmodels++;
			if (c->models[j] == NULL) {
				jt_error_oom(r->err, r->source);
				r->bad = 1;
			}
		}
	}
}

static int
audit_from_json(struct jr *r, struct jt_table *t, const json_t *obj,
		int version)
{
	const json_t *g, *lk, *a;
	size_t i, n;

	g = jr_get(r, obj, "generator");
	if (g != NULL && !json_is_object(g))
		jr_fail(r, "generator", "an object");
	if (!r->bad) {
		snprintf(r->where, sizeof(r->where), "generator ");
		t->tool_version = jr_str(r, g, "tool_version", 0);
		t->release = jr_str(r, g, "release", 1);
		t->generated_at = jr_str(r, g, "generated_at", 1);
		t->statistic = jr_str(r, g, "statistic", 0);
		t->sketch_relative_error =
			jr_real(r, g, "sketch_relative_error");
	}
	lk = r->bad ? NULL : jr_get(r, obj, "lookup");
	if (lk != NULL && !json_is_object(lk))
		jr_fail(r, "lookup", "an object");
	if (!r->bad) {
		snprintf(r->where, sizeof(r->where), "lookup ");
		t->fraction = jr_real(r, lk, "fraction");
		if (!r->bad && !(t->fraction > 0 && t->fraction <= 1))
			jr_fail(r, "fraction", "in (0, 1]");
		r->where[0] = '\0';
	}

	a = r->bad ? NULL : jr_array(r, obj, "inputs", &n);
	if (a != NULL && n > 0 &&
	    (t->inputs = jr_calloc(r, n, sizeof(*t->inputs))) != NULL)
		for (i = 0; i < n && !r->bad; i++) {
			const json_t *x = jr_item(r, a, i, "inputs");
			char *h;

			if (x == NULL)
				break;
			t->ninputs++;
			t->inputs[i].path = jr_str(r, x, "path", 0);
			t->inputs[i].kind = jr_str(r, x, "kind", 0);
			t->inputs[i].bytes = jr_int(r, x, "bytes", 0);
			h = jr_str(r, x, "sha256", 0);
			if (h != NULL && strlen(h) != 64)
				jr_fail(r, "sha256", "64 hex digits");
			else if (h != NULL)
				memcpy(t->inputs[i].sha256, h, 65);
			free(h);
		}

	r->where[0] = '\0';
	a = r->bad ? NULL : jr_array(r, obj, "entries", &n);
	if (a != NULL && n > 0 &&
	    (t->entries = jr_calloc(r, n, sizeof(*t->entries))) != NULL)
		for (i = 0; i < n && !r->bad; i++) {
			const json_t *x = jr_item(r, a, i, "entries");

			if (x == NULL)
				break;
			t->nentries++;
			read_entry(r, x, &t->entries[i]);
		}

	/* Version 1 tables had no field-only models. */
	r->where[0] = '\0';
	a = r->bad || version < 2 ? NULL : jr_array(r, obj, "field_only", &n);
	if (a != NULL && n > 0 &&
	    (t->field_only = jr_calloc(r, n, sizeof(*t->field_only))) != NULL)
		for (i = 0; i < n && !r->bad; i++) {
			const json_t *x = jr_item(r, a, i, "field_only");

			if (x == NULL)
				break;
			t->nfield_only++;
			read_field_only(r, x, &t->field_only[i]);
			if (!r->bad && i > 0 &&
			    strcmp(t->field_only[i - 1].model,
				   t->field_only[i].model) >= 0)
				jr_fail(r, "model", "sorted and unique");
		}

	r->where[0] = '\0';
	a = r->bad ? NULL : jr_array(r, obj, "ram_classes", &n);
	read_classes(r, t, a, n, 1);

	r->where[0] = '\0';
	a = r->bad ? NULL : jr_array(r, obj, "excluded", &n);
	if (a != NULL && n > 0 &&
	    (t->excluded = jr_calloc(r, n, sizeof(*t->excluded))) != NULL)
		for (i = 0; i < n && !r->bad; i++) {
			const json_t *x = jr_item(r, a, i, "excluded");
			struct jt_excluded *e = &t->excluded[i];

			if (x == NULL)
				break;
			t->nexcluded++;
			e->input = jr_str(r, x, "input", 0);
			e->model = jr_str(r, x, "model", 1);
			e->os_version = jr_str(r, x, "os_version", 1);
			e->reason = jr_str(r, x, "reason", 1);
			e->why = jr_str(r, x, "why", 0);
		}
	return r->bad ? -1 : 0;
}

/* read_flags - the warning names of a ship entry into e. */
static void
read_flags(struct jr *r, const json_t *x, struct jt_table_entry *e)
{
	size_t i, n;
	const json_t *a = jr_array(r, x, "flags", &n);

	e->known_model = 1;
	for (i = 0; a != NULL && i < n && !r->bad; i++) {
		const char *f = json_string_value(json_array_get(a, i));

		if (f == NULL)
			jr_fail(r, "flags", "an array of strings");
		else if (strcmp(f, "disagree") == 0)
			e->disagree = 1;
		else if (strcmp(f, "no-field-growth") == 0)
			e->no_field_growth = 1;
		else if (strcmp(f, "no-headroom") == 0)
			e->no_headroom = 1;
		else if (strcmp(f, "unknown-model") == 0)
			e->known_model = 0;
	}
}

static int
entry_qcmp(const void *a, const void *b)
{
	return jt_table_entry_cmp(a, b);
}

/* ship_entries - thresholds: model -> OS -> profile -> entry. */
static void
ship_entries(struct jr *r, struct jt_table *t, const json_t *th)
{
	const char *model, *os, *profile;
	json_t *m, *o, *x;
	size_t n = 0, cap = 0;

	json_object_foreach((json_t *)th, model, m)
	{
		if (!json_is_object(m)) {
			jr_fail(r, model, "an object of OS versions");
			return;
		}
		json_object_foreach(m, os, o)
		{
			if (!json_is_object(o)) {
				jr_fail(r, os, "an object of profiles");
				return;
			}
			n += json_object_size(o);
		}
	}
	if (n == 0 ||
	    (t->entries = jr_calloc(r, n, sizeof(*t->entries))) == NULL)
		return;
	cap = n;
	json_object_foreach((json_t *)th, model, m)
	{
		json_object_foreach(m, os, o)
		{
			json_object_foreach(o, profile, x)
			{
				struct jt_table_entry *e;
				char *rule, *p;
				struct jt_error sub;

				if (r->bad || t->nentries == cap)
					return;
				p = jr_keyed(r, "thresholds", profile, x);
				if (p == NULL)
					return;
				e = &t->entries[t->nentries++];
				e->profile = p;
				e->model = jr_keyed(r, "thresholds", model, m);
				e->os_version =
					jr_keyed(r, "thresholds", os, o);
				if (r->bad)
					return;
				jr_name(r, "model", model, JT_TABLE_MODEL_MAX);
				jr_name(r, "os_version", os, JT_TABLE_OS_MAX);
				jr_name(r, "profile", profile,
					JT_TABLE_PROFILE_MAX);
				e->ram_bytes = -1;
				e->ceiling_low_bytes = e->ceiling_high_bytes =
					-1;
				e->spread_bytes = e->step_bytes = -1;
				e->growth_bytes = e->baseline_bytes = -1;
				e->ceiling_bytes =
					jr_int(r, x, "ceiling_bytes", 0);
				e->threshold_bytes =
					jr_int(r, x, "threshold_bytes", 0);
				e->ceiling_method =
					jr_str(r, x, "ceiling_method", 0);
				read_flags(r, x, e);
				rule = jr_str(r, x, "rule", 0);
				jt_error_init(&sub);
				if (rule != NULL &&
				    jt_rule_parse(rule, &e->rule, &sub) < 0)
					jr_fail(r, "rule", "a known rule name");
				free(rule);
				if (!r->bad &&
				    (e->threshold_bytes <= 0 ||
				     e->threshold_bytes > e->ceiling_bytes))
					jr_fail(r, "threshold_bytes",
						"in (0, ceiling_bytes]");
			}
		}
	}
	qsort(t->entries, t->nentries, sizeof(*t->entries), entry_qcmp);
}

static int
field_qcmp(const void *a, const void *b)
{
	return strcmp(((const struct jt_field_only *)a)->model,
		      ((const struct jt_field_only *)b)->model);
}

static int
ship_from_json(struct jr *r, struct jt_table *t, const json_t *obj)
{
	const json_t *th, *fo, *a;
	const char *model;
	json_t *x;
	size_t n;

	t->ship = 1;
	t->tool_version = jr_str(r, obj, "tool_version", 0);
	t->release = jr_str(r, obj, "release", 1);
	t->fraction = jr_real(r, obj, "fraction");
	if (!r->bad && !(t->fraction > 0 && t->fraction <= 1))
		jr_fail(r, "fraction", "in (0, 1]");
	th = r->bad ? NULL : jr_get(r, obj, "thresholds");
	if (th != NULL && !json_is_object(th))
		jr_fail(r, "thresholds", "an object");
	if (!r->bad)
		ship_entries(r, t, th);
	r->where[0] = '\0';
	fo = r->bad ? NULL : jr_get(r, obj, "field_only");
	if (fo != NULL && !json_is_object(fo))
		jr_fail(r, "field_only", "an object");
	n = fo != NULL ? json_object_size(fo) : 0;
	if (!r->bad && n > 0 &&
	    (t->field_only = jr_calloc(r, n, sizeof(*t->field_only))) != NULL)
		json_object_foreach((json_t *)fo, model, x)
		{
			struct jt_field_only *f;
			char *k;

			if (r->bad || t->nfield_only == n)
				break;
			k = jr_keyed(r, "field_only", model, x);
			if (k == NULL)
				break;
			f = &t->field_only[t->nfield_only++];
			f->model = k;
			jr_name(r, "model", model, JT_TABLE_MODEL_MAX);
			f->known_model = 1;
			f->ram_bytes = -1;
			f->growth_bytes = jr_int(r, x, "growth_bytes", 0);
			f->baseline_bytes = jr_int(r, x, "baseline_bytes", 1);
		}
	if (!r->bad && t->nfield_only > 1)
		qsort(t->field_only, t->nfield_only, sizeof(*t->field_only),
		      field_qcmp);
	r->where[0] = '\0';
	a = r->bad ? NULL : jr_array(r, obj, "ram_classes", &n);
	read_classes(r, t, a, n, 0);
	return r->bad ? -1 : 0;
}

int
jt_table_from_json(struct jt_table *t, const json_t *obj, const char *source,
		   struct jt_error *err)
{
	struct jr r = {source, err, 0, ""};
	const char *schema;
	json_t *v;
	json_int_t version;
	int ship;

	jt_table_init(t);
	if (!json_is_object(obj))
		return jt_error_set_in(err, JT_EPARSE, source,
				       "threshold table is not a JSON object");
	schema = json_string_value(json_object_get(obj, "schema"));
	if (schema == NULL ||
	    (strcmp(schema, JT_TABLE_SCHEMA) != 0 &&
	     strcmp(schema, JT_SHIP_SCHEMA) != 0))
		return jt_error_set_in(err, JT_EPARSE, source,
				       "not a threshold table (schema is not "
				       "'%s' or '%s')",
				       JT_TABLE_SCHEMA, JT_SHIP_SCHEMA);
	ship = strcmp(schema, JT_SHIP_SCHEMA) == 0;
	v = json_object_get(obj, "version");
	version = json_is_integer(v) ? json_integer_value(v) : -1;
	if (ship && version != JT_SHIP_VERSION)
		return jt_error_set_in(err, JT_EPARSE, source,
				       "ship table version is not %d",
				       JT_SHIP_VERSION);
	if (!ship && (version < 1 || version > JT_TABLE_VERSION))
		return jt_error_set_in(err, JT_EPARSE, source,
				       "threshold table version is not 1 to "
				       "%d",
				       JT_TABLE_VERSION);
	if ((ship ? ship_from_json(&r, t, obj)
		  : audit_from_json(&r, t, obj, (int)version)) < 0) {
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
