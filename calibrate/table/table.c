/*
 * table.c - the threshold table in memory: names, the ship subset, lookup
 *
 * The lookup here is the reference every other output (the ship JSON, the
 * plist an SDK reads, the generated C header) must agree with; tests
 * compare them.  The JSON forms are in table_json.c.
 */
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "jetsam/core/text.h"
#include "table_private.h"

static const char *const rule_names[] = {"ceiling-minus-growth",
					 "baseline-floor", "ceiling-cap",
					 "fraction-of-ceiling"};
static const char *const source_names[JT_NSOURCES] = {
	"measured", "carried-over", "field-only", "runtime-rule", "fraction"};

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
jt_field_only_release(struct jt_field_only *f)
{
	free(f->model);
	free(f->model_name);
	free(f->growth_page);
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
	for (i = 0; i < t->nfield_only; i++)
		jt_field_only_release(&t->field_only[i]);
	free(t->field_only);
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
	if ((unsigned)source < JT_NSOURCES)
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

	for (i = 0; i < JT_NSOURCES; i++)
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

int
jt_nullcmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

int
jt_table_entry_cmp(const struct jt_table_entry *a,
		   const struct jt_table_entry *b)
{
	int c;

	if ((c = jt_nullcmp(a->model, b->model)) != 0)
		return c;
	if ((c = jt_os_compare(a->os_version, b->os_version)) != 0)
		return c;
	if ((c = jt_nullcmp(a->os_version, b->os_version)) != 0)
		return c;
	return jt_nullcmp(a->profile, b->profile);
}

/* ---- names --------------------------------------------------------------- */

/*
 * utf8_char - the length of the valid UTF-8 sequence at s (1-4) and its
 * code point in *cp, or 0 when it is not valid (overlong, surrogate, out
 * of range, cut short).
 */
static size_t
utf8_char(const unsigned char *s, unsigned long *cp)
{
	size_t n, i;
	unsigned long c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

int
jt_text_xml_ok(const char *s, unsigned long *bad)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		unsigned long cp;
		size_t n = utf8_char(p, &cp);

		if (n == 0) {
			*bad = *p;
			return 0;
		}
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    cp == 0xfffe || cp == 0xffff) {
			*bad = cp;
			return 0;
		}
		p += n;
	}
	return 1;
}

int
jt_table_name_check(const char *what, const char *name, size_t max,
		    const char *source, long line, struct jt_error *err)
{
	const unsigned char *p = (const unsigned char *)name;
	char shown[96];
	size_t len;

	if (name == NULL || *name == '\0')
		return jt_error_set(err, JT_EINVAL, source, line, 0,
				    "empty %s name", what);
	len = strlen(name);
	if (len > max)
		return jt_error_set(err, JT_EINVAL, source, line, 0,
				    "%s name '%s' is %zu bytes, over the "
				    "limit of %zu",
				    what, jt_text_escape(shown, 40, name), len,
				    max);
	while (*p != '\0') {
		unsigned long cp;
		size_t n = utf8_char(p, &cp);

		if (n == 0)
			return jt_error_set(
				err, JT_EINVAL, source, line, 0,
				"%s name '%s' is not valid UTF-8", what,
				jt_text_escape(shown, sizeof(shown), name));
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return jt_error_set(
				err, JT_EINVAL, source, line, 0,
				"%s name '%s' holds the control "
				"character U+%04lX",
				what,
				jt_text_escape(shown, sizeof(shown), name), cp);
		p += n;
	}
	return 0;
}

/* ---- the ship subset ----------------------------------------------------- */

int
jt_table_ship(const struct jt_table *t, int include_unknown,
	      struct jt_table *ship, struct jt_error *err)
{
	size_t i, j;
	int bad = 0;

	jt_table_init(ship);
	ship->ship = 1;
	ship->tool_version = jt_text_dup(t->tool_version, &bad);
	ship->release = jt_text_dup(t->release, &bad);
	ship->statistic = jt_text_dup(t->statistic, &bad);
	ship->sketch_relative_error = t->sketch_relative_error;
	ship->fraction = t->fraction;
	ship->entries = calloc(t->nentries + 1, sizeof(*ship->entries));
	ship->field_only =
		calloc(t->nfield_only + 1, sizeof(*ship->field_only));
	ship->classes = calloc(t->nclasses + 1, sizeof(*ship->classes));
	if (ship->entries == NULL || ship->field_only == NULL ||
	    ship->classes == NULL)
		bad = 1;
	for (i = 0; !bad && i < t->nentries; i++) {
		const struct jt_table_entry *e = &t->entries[i];
		struct jt_table_entry *s;

		if (!e->known_model && !include_unknown)
			continue;
		s = &ship->entries[ship->nentries++];
		s->model = jt_text_dup(e->model, &bad);
		s->os_version = jt_text_dup(e->os_version, &bad);
		s->profile = jt_text_dup(e->profile, &bad);
		s->known_model = e->known_model;
		s->ram_bytes = -1;
		s->ceiling_bytes = e->ceiling_bytes;
		s->ceiling_low_bytes = s->ceiling_high_bytes = -1;
		s->spread_bytes = s->step_bytes = -1;
		s->ceiling_method = jt_text_dup(e->ceiling_method, &bad);
		s->runs = e->runs;
		s->disagree = e->disagree;
		s->growth_bytes = s->baseline_bytes = -1;
		s->no_field_growth = e->no_field_growth;
		s->threshold_bytes = e->threshold_bytes;
		s->rule = e->rule;
		s->no_headroom = e->no_headroom;
	}
	for (i = 0; !bad && i < t->nfield_only; i++) {
		const struct jt_field_only *f = &t->field_only[i];
		struct jt_field_only *s;

		if (f->growth_bytes < 0 ||
		    (!f->known_model && !include_unknown))
			continue;
		s = &ship->field_only[ship->nfield_only++];
		s->model = jt_text_dup(f->model, &bad);
		s->known_model = f->known_model;
		s->ram_bytes = -1;
		s->growth_bytes = f->growth_bytes;
		s->baseline_bytes = f->baseline_bytes;
		s->growth_samples = f->growth_samples;
		s->session_samples = f->session_samples;
	}
	for (i = 0; !bad && i < t->nclasses; i++) {
		struct jt_ram_class *c = &ship->classes[ship->nclasses++];

		c->ram_bytes = t->classes[i].ram_bytes;
		c->growth_bytes = t->classes[i].growth_bytes;
		c->models = calloc(t->classes[i].nmodels + 1, sizeof(char *));
		if (c->models == NULL) {
			bad = 1;
			break;
		}
		for (j = 0; j < t->classes[i].nmodels; j++)
			c->models[c->nmodels++] =
				jt_text_dup(t->classes[i].models[j], &bad);
	}
	if (bad) {
		jt_table_release(ship);
		return jt_error_oom(err, NULL);
	}
	return 0;
}

/* ---- lookup -------------------------------------------------------------- */

const struct jt_table_entry *
jt_table_find(const struct jt_table *t, const char *model,
	      const char *os_version, const char *profile)
{
	size_t i;

	for (i = 0; i < t->nentries; i++) {
		const struct jt_table_entry *e = &t->entries[i];

		if (jt_nullcmp(e->model, model) == 0 &&
		    jt_nullcmp(e->os_version, os_version) == 0 &&
		    jt_nullcmp(e->profile, profile) == 0)
			return e;
	}
	return NULL;
}

const struct jt_field_only *
jt_table_find_field(const struct jt_table *t, const char *model)
{
	size_t lo = 0, hi = t->nfield_only;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = jt_nullcmp(t->field_only[mid].model, model);

		if (c == 0)
			return &t->field_only[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* nearest_class - the RAM class nearest to ram_bytes (ties: smaller). */
static const struct jt_ram_class *
nearest_class(const struct jt_table *t, int64_t ram_bytes)
{
	const struct jt_ram_class *cls = NULL;
	int64_t best = 0;
	size_t i;

	for (i = 0; ram_bytes > 0 && i < t->nclasses; i++) {
		const struct jt_ram_class *c = &t->classes[i];
		int64_t d = c->ram_bytes - ram_bytes;

		if (d < 0)
			d = -d;
		if (cls == NULL || d < best ||
		    (d == best && c->ram_bytes < cls->ram_bytes)) {
			cls = c;
			best = d;
		}
	}
	return cls;
}

/*
 * nearest_os - the entry of the same model and profile at the newest OS
 * not newer than os_version (*older set), else the oldest newer one, or
 * NULL.
 */
static const struct jt_table_entry *
nearest_os(const struct jt_table *t, const char *model, const char *os_version,
	   const char *profile, int *older)
{
	const struct jt_table_entry *below = NULL, *above = NULL;
	size_t i;

	for (i = 0; i < t->nentries; i++) {
		const struct jt_table_entry *e = &t->entries[i];

		if (jt_nullcmp(e->model, model) != 0 ||
		    jt_nullcmp(e->profile, profile) != 0)
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
	*older = below != NULL;
	return below != NULL ? below : above;
}

void
jt_table_lookup(const struct jt_table *t, const char *model,
		const char *os_version, const char *profile, int64_t ram_bytes,
		int64_t live_limit_bytes, struct jt_lookup *out)
{
	const struct jt_field_only *f;
	const struct jt_ram_class *cls;
	int live = live_limit_bytes > 0, older = 0;

	memset(out, 0, sizeof(*out));
	out->threshold_bytes = -1;
	out->entry = jt_table_find(t, model, os_version, profile);
	if (out->entry != NULL) {
		out->source = JT_SOURCE_MEASURED;
		out->threshold_bytes = out->entry->threshold_bytes;
		out->rule = out->entry->rule;
		out->why = "measured for this model, OS and profile";
		return;
	}
	out->entry = nearest_os(t, model, os_version, profile, &older);
	if (out->entry != NULL) {
		out->source = JT_SOURCE_CARRIED_OVER;
		out->threshold_bytes = out->entry->threshold_bytes;
		out->rule = out->entry->rule;
		out->why = older
			? "measured for this model and profile on an older OS"
			: "measured for this model and profile on a newer OS "
			  "only";
		return;
	}
	f = jt_table_find_field(t, model);
	if (f != NULL && f->growth_bytes >= 0) {
		int no_headroom;

		out->source = JT_SOURCE_FIELD_ONLY;
		out->field_model = f;
		if (live) {
			out->rule = jt_rule_apply(
				live_limit_bytes, f->growth_bytes,
				f->baseline_bytes, t->fraction,
				&out->threshold_bytes, &no_headroom);
			out->why = "no lab data: live limit - this model's "
				   "field growth, floored at its baseline";
		} else {
			out->why = "no lab data for this model: needs the live "
				   "limit, which the SDK knows on the device";
		}
		return;
	}
	cls = nearest_class(t, ram_bytes);
	if (cls != NULL &&
	    (!live || live_limit_bytes - cls->growth_bytes > 0)) {
		out->source = JT_SOURCE_RUNTIME_RULE;
		out->ram_class = cls;
		if (live) {
			out->threshold_bytes =
				live_limit_bytes - cls->growth_bytes;
			out->why = f != NULL
				? "no field growth for this model: live "
				  "limit - the growth of the nearest RAM class"
				: "no data for this model: live limit - the "
				  "growth of the nearest RAM class";
		} else {
			out->why = f != NULL
				? "no field growth for this model: needs the "
				  "live limit, which the SDK knows on the "
				  "device"
				: "no data for this model: needs the live "
				  "limit, which the SDK knows on the device";
		}
		return;
	}
	out->source = JT_SOURCE_FRACTION;
	if (cls != NULL)
		out->why = "the live limit is not above the nearest RAM "
			   "class's growth";
	else if (ram_bytes <= 0)
		out->why = "no data for this model and its RAM is unknown, so "
			   "no RAM class applies";
	else
		out->why = "no data for this model and no RAM classes in the "
			   "table (no field growth)";
	if (live)
		out->threshold_bytes =
			jt_fraction_of(live_limit_bytes, t->fraction);
	else if (cls == NULL)
		out->why = ram_bytes <= 0
			? "no data for this model and its RAM is unknown: "
			  "fraction of the live limit, which the SDK knows "
			  "on the device"
			: "no data for this model and no RAM classes in the "
			  "table: fraction of the live limit, which the SDK "
			  "knows on the device";
}
