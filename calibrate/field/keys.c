/*
 * keys.c - the key table of field data: one entry per (model, page) or model
 *
 * Millions of rows fall on a few thousand keys, so the lookup is the
 * aggregation's inner loop: open addressing with linear probing over a
 * power-of-two slot array that holds indexes into a dense key array (kept
 * in insertion order, so results do not depend on hash values), a hash
 * computed 8 bytes at a time, and the table kept at most half full.
 */
#include "field_private.h"

#include <stdlib.h>
#include <string.h>

uint64_t
fieldp_hash(const char *p, size_t n)
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

void
fieldp_table_release(struct fieldp_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->keys[i].name);
		jt_sketch_release(&t->keys[i].st.sketch);
	}
	free(t->keys);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* rehash - twice the slots (64 at first), every key placed again. */
static int
rehash(struct fieldp_table *t)
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

static void
state_init(struct fieldp_state *st)
{
	memset(st, 0, sizeof(*st));
	jt_sketch_init(&st->sketch);
	st->agg[0] = st->agg[1] = st->agg[2] = -1;
}

size_t
fieldp_table_get(struct fieldp_table *t, const char *name, size_t len,
		 uint64_t h, int *created)
{
	size_t j;
	struct fieldp_key *k;

	*created = 0;
	if (t->nslots == 0 && rehash(t) < 0)
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
		struct fieldp_key *nk = realloc(t->keys, cap * sizeof(*nk));

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
	state_init(&k->st);
	t->slots[j] = ++t->n;
	*created = 1;
	if (t->n * 2 > t->nslots && rehash(t) < 0)
		return (size_t)-1;
	return t->n - 1;
}

void
fieldp_table_prefetch(const struct fieldp_table *t, uint64_t h)
{
#if defined(__GNUC__)
	if (t->nslots > 0)
		__builtin_prefetch(&t->slots[h & (t->nslots - 1)]);
#else
	(void)t;
	(void)h;
#endif
}

int64_t
fieldp_state_stat(const struct fieldp_state *st, enum jt_statistic stat)
{
	int64_t s;

	if (st->agg_count > 0 && (st->agg_missing & 1u << stat))
		return -1;
	switch (stat) {
	case JT_STAT_P99:
		s = jt_sketch_quantile(&st->sketch, 99, 100);
		break;
	case JT_STAT_P999:
		s = jt_sketch_quantile(&st->sketch, 999, 1000);
		break;
	default:
		s = st->sketch.max;
		break;
	}
	return s > st->agg[stat] ? s : st->agg[stat];
}

int
fieldp_state_merge(struct fieldp_state *dst, const struct fieldp_state *src,
		   struct jt_error *err)
{
	int s;

	if (jt_sketch_merge(&dst->sketch, &src->sketch, err) < 0)
		return -1;
	dst->agg_count += src->agg_count;
	for (s = 0; s < 3; s++)
		if (src->agg[s] > dst->agg[s])
			dst->agg[s] = src->agg[s];
	dst->agg_missing |= src->agg_missing;
	dst->oom += src->oom;
	return 0;
}
