/*
 * sketchfile.c - the per-key state as a file: records written and read back
 *
 * What the streaming path keeps for each key (count, exact min and max,
 * the buckets of sketch.h, and for a model its OOM sessions) is written as
 * one record per key, sorted, so the same state always gives the same
 * bytes (data/field-format.md, "Sketches").  A record read back is merged
 * into its key exactly as another shard of the same rows would be, so a
 * file may hold several records of one key: that is how a SQL engine
 * hands over its buckets (one record per key and bucket), and how sketch
 * files concatenated with cat still read as the sum of their parts.
 *
 * Every record names the format version and the bucket rule in its
 * "sketch" field, and is checked in full before it is merged: buckets in
 * ascending order, counts adding up, min and max in the first and last
 * bucket.  A record that breaks a rule is a bad row at its file:line.
 */
#include "field_private.h"

#include <stdlib.h>
#include <string.h>

/* key_cmp - order of two keys' "model\0page\0" names. */
static int
key_cmp(const struct fieldp_key *a, const struct fieldp_key *b)
{
	int c = strcmp(a->name, b->name);

	if (c != 0)
		return c;
	return strcmp(a->name + strlen(a->name) + 1,
		      b->name + strlen(b->name) + 1);
}

static int
key_ptr_cmp(const void *a, const void *b)
{
	return key_cmp(*(const struct fieldp_key *const *)a,
		       *(const struct fieldp_key *const *)b);
}

/* buckets_text - "index:count ..." of the non-empty buckets of sk (new). */
static char *
buckets_text(const struct jt_sketch *sk)
{
	char *s = malloc((size_t)sk->nbins * 24 + 1), *p = s;
	int32_t i;

	if (s == NULL)
		return NULL;
	*p = '\0';
	for (i = 0; i < sk->nbins; i++)
		if (sk->bins[i] != 0)
			p += sprintf(p, "%s%ld:%lu", p == s ? "" : " ",
				     (long)(sk->off + i),
				     (unsigned long)sk->bins[i]);
	return s;
}

/* set - o[key] = v, consuming v; -1 when either is NULL. */
static int
set(json_t *o, const char *key, json_t *v)
{
	return o == NULL || json_object_set_new(o, key, v) != 0 ? -1 : 0;
}

/* write_record - one key's record as a JSON line. */
static int
write_record(FILE *out, const char *kind, const char *model, const char *page,
	     const struct fieldp_state *st, struct jt_error *err)
{
	const struct jt_sketch *sk = &st->sketch;
	char *b = buckets_text(sk);
	json_t *o = json_object();
	int bad = b == NULL;

	bad |= set(o, "sketch", json_string(FIELDP_SKETCH_FORMAT));
	bad |= set(o, "kind", json_string(kind));
	bad |= set(o, "model", json_string(model));
	bad |= set(o, "page", json_string(page));
	bad |= set(o, "count", json_integer(sk->count));
	bad |= set(o, "min_bytes",
		   sk->count > 0 ? json_integer(sk->min) : json_null());
	bad |= set(o, "max_bytes",
		   sk->count > 0 ? json_integer(sk->max) : json_null());
	bad |= set(o, "oom_count", json_integer(st->oom));
	bad |= set(o, "buckets", json_string(b != NULL ? b : ""));
	free(b);
	if (bad) {
		json_decref(o);
		return jt_error_oom(err, NULL);
	}
	bad = json_dumpf(o, out, JSON_SORT_KEYS | JSON_COMPACT) != 0 ||
		fputc('\n', out) == EOF;
	json_decref(o);
	return bad
		? jt_error_set_in(err, JT_EIO, NULL, "cannot write the sketch")
		: 0;
}

/* sorted - the keys of t that pass keep, sorted by name (new array). */
static const struct fieldp_key **
sorted(const struct fieldp_table *t, int sessions, size_t *n)
{
	const struct fieldp_key **v = malloc((t->n + 1) * sizeof(*v));
	size_t i;

	*n = 0;
	if (v == NULL)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (!sessions || t->keys[i].st.sketch.count > 0 ||
		    t->keys[i].st.oom > 0 || t->keys[i].st.agg_count > 0)
			v[(*n)++] = &t->keys[i];
	qsort(v, *n, sizeof(*v), key_ptr_cmp);
	return v;
}

int
jt_field_sketch_write(const struct jt_field *f, FILE *out, struct jt_error *err)
{
	const struct fieldp_key **g, **m = NULL;
	size_t ng, nm = 0, i;
	int rc = -1;

	g = sorted(&f->growth, 0, &ng);
	if (g != NULL)
		m = sorted(&f->models, 1, &nm);
	if (g == NULL || m == NULL) {
		jt_error_oom(err, NULL);
		goto out;
	}
	/* Aggregate rows keep a statistic, not buckets: nothing to merge. */
	for (i = 0; i < ng + nm; i++) {
		const struct fieldp_key *k = i < ng ? g[i] : m[i - ng];

		if (k->st.agg_count > 0) {
			const char *page = k->name + strlen(k->name) + 1;

			jt_error_set_in(
				err, JT_EINVAL, NULL,
				"cannot write a sketch: model '%s'%s%s%s "
				"has pre-aggregated rows, which keep "
				"no buckets (give raw rows or "
				"sketches)",
				k->name, i < ng ? " page '" : "",
				i < ng ? page : "", i < ng ? "'" : "");
			goto out;
		}
	}
	for (i = 0; i < ng; i++)
		if (write_record(out, "growth", g[i]->name,
				 g[i]->name + strlen(g[i]->name) + 1, &g[i]->st,
				 err) < 0)
			goto out;
	for (i = 0; i < nm; i++)
		if (write_record(out, "sessions", m[i]->name, "", &m[i]->st,
				 err) < 0)
			goto out;
	rc = 0;
out:
	free(g);
	free(m);
	return rc;
}

/*
 * parse_buckets - "index:count ..." into sk (initialised empty), checking
 * that indexes ascend and counts are positive.  0, 1 when bad (why
 * written), -1 out of memory.
 */
static int
parse_buckets(const char *s, struct jt_sketch *sk, char *why, size_t whylen,
	      struct jt_error *err)
{
	const char *p;
	long first = -1, last = -1, b, nb = 0;
	unsigned long long c;
	char *end;

	/* First pass: the range, and the syntax. */
	for (p = s; *p != '\0';) {
		if (p != s) {
			if (*p != ' ')
				goto syntax;
			p++;
		}
		if (*p < '0' || *p > '9')
			goto syntax;
		b = strtol(p, &end, 10);
		if (*end != ':' || end[1] < '0' || end[1] > '9')
			goto syntax;
		if (b > JT_SKETCH_LAST_BUCKET || end - p > 4) {
			snprintf(why, whylen, "bucket %.12s is out of range",
				 p);
			return 1;
		}
		if (b <= last) {
			snprintf(why, whylen,
				 "buckets out of order: %ld after %ld", b,
				 last);
			return 1;
		}
		c = strtoull(end + 1, &end, 10);
		if (c == 0 || c > UINT32_MAX || (*end != ' ' && *end != '\0')) {
			snprintf(why, whylen,
				 "bucket %ld: count is not 1 to %lu", b,
				 (unsigned long)UINT32_MAX);
			return 1;
		}
		if (first < 0)
			first = b;
		last = b;
		nb++;
		p = end;
	}
	if (nb == 0)
		return 0;
	sk->bins = calloc((size_t)(last - first + 1), sizeof(*sk->bins));
	if (sk->bins == NULL)
		return jt_error_oom(err, NULL);
	sk->off = (int32_t)first;
	sk->nbins = (int32_t)(last - first + 1);
	for (p = s; *p != '\0'; p = end) {
		b = strtol(p, &end, 10);
		c = strtoull(end + 1, &end, 10);
		sk->bins[b - first] = (uint32_t)c;
		sk->count += (int64_t)c;
		if (*end == ' ')
			end++;
	}
	return 0;
syntax:
	snprintf(why, whylen,
		 "buckets: expected 'index:count' pairs separated by one "
		 "space, near '%.20s'",
		 p);
	return 1;
}

/* opt_bytes - an empty cell (-1) or a byte count; 0, or 1 with why. */
static int
opt_bytes(const char *name, const char *s, size_t len, int64_t *out, char *why,
	  size_t whylen)
{
	char w[120];

	*out = -1;
	if (len == 0 || (len == (size_t)-1 && *s == '\0'))
		return 0;
	if (fieldp_parse_bytes(s, len, out, w, sizeof(w)) == 0)
		return 0;
	snprintf(why, whylen, "%s: %s", name, w);
	return 1;
}

int
fieldp_sketch_record(struct fieldp_reader *r, char **cells, const size_t *lens,
		     const struct fieldp_values *x, struct jt_sketch *sk,
		     int *growth, struct jt_error *err)
{
	const char *fmt = cells[r->pos[FP_SKETCH]];
	const char *kind = cells[r->pos[FP_KIND]];
	int c, pmin = r->pos[FP_MIN_BYTES], pmax = r->pos[FP_MAX_BYTES];
	int64_t mn, mx, count = x->v[FP_COUNT], oom = x->v[FP_OOM_COUNT];
	char why[160];

	jt_sketch_init(sk);
	if (strcmp(fmt, FIELDP_SKETCH_FORMAT) != 0)
		return fieldp_bad(r,
				  "sketch '%.40s' is not a format this jetsam "
				  "reads ('%s')",
				  fmt, FIELDP_SKETCH_FORMAT);
	if (strcmp(kind, "growth") == 0)
		*growth = 1;
	else if (strcmp(kind, "sessions") == 0)
		*growth = 0;
	else
		return fieldp_bad(r, "kind '%.40s' is not growth or sessions",
				  kind);
	if (*growth && x->page_len == 0)
		return fieldp_bad(r, "empty page");
	if (!*growth && x->page_len != 0)
		return fieldp_bad(r, "a sessions record has page '%.40s'",
				  x->page);
	if (*growth && oom != 0)
		return fieldp_bad(r, "a growth record has oom_count %lld",
				  (long long)oom);
	if (opt_bytes("min_bytes", cells[pmin],
		      lens != NULL ? lens[pmin] : (size_t)-1, &mn, why,
		      sizeof(why)) ||
	    opt_bytes("max_bytes", cells[pmax],
		      lens != NULL ? lens[pmax] : (size_t)-1, &mx, why,
		      sizeof(why)))
		return fieldp_bad(r, "%s", why);
	if (count == 0 && oom == 0)
		return fieldp_bad(r, "a record with no samples and no OOM");
	if (count == 0 && (mn >= 0 || mx >= 0))
		return fieldp_bad(r,
				  "count is 0 but min_bytes or max_bytes "
				  "is given");
	if (count > 0 && (mn < 0 || mx < 0))
		return fieldp_bad(r,
				  "count is %lld but min_bytes or "
				  "max_bytes is empty",
				  (long long)count);
	if (mn > mx)
		return fieldp_bad(r, "min_bytes %lld is above max_bytes %lld",
				  (long long)mn, (long long)mx);
	c = parse_buckets(cells[r->pos[FP_BUCKETS]], sk, why, sizeof(why), err);
	if (c < 0)
		return -1;
	if (c > 0) {
		jt_sketch_release(sk);
		return fieldp_bad(r, "%s", why);
	}
	if (sk->count != count) {
		fieldp_bad(r, "buckets hold %lld samples, count says %lld",
			   (long long)sk->count, (long long)count);
		jt_sketch_release(sk);
		return 1;
	}
	if (count > 0 &&
	    (jt_sketch_bucket(mn) != sk->off ||
	     jt_sketch_bucket(mx) != sk->off + sk->nbins - 1)) {
		fieldp_bad(r,
			   "min_bytes %lld and max_bytes %lld are not in the "
			   "first and last bucket (%ld, %ld)",
			   (long long)mn, (long long)mx, (long)sk->off,
			   (long)(sk->off + sk->nbins - 1));
		jt_sketch_release(sk);
		return 1;
	}
	sk->min = mn;
	sk->max = mx;
	return 0;
}
