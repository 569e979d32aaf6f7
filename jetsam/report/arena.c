/*
 * arena.c - the block allocator that owns every string of a report
 *
 * A report with 10,000 processes holds some 50,000 short strings; taking
 * them from a few 64 KiB blocks costs a handful of mallocs and one free
 * pass instead of 50,000 of each.
 */
#include <stdlib.h>
#include <string.h>

#include "parser.h"

#define ARENA_BLOCK 65536

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[]; /* cap bytes */
};

struct jt_arena {
	struct arena_block *head;
};

struct jt_arena *
jt_arena_new(void)
{
	return calloc(1, sizeof(struct jt_arena));
}

void
jt_arena_free(struct jt_arena *a)
{
	struct arena_block *b, *next;

	if (a == NULL)
		return;
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

void *
jt_arena_alloc(struct jt_arena *a, size_t n)
{
	struct arena_block *b = a->head;
	size_t align = sizeof(max_align_t);
	void *p;

	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	if (b == NULL || b->cap - b->used < n) {
		size_t cap = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;

		b = malloc(sizeof(*b) + cap);
		if (b == NULL)
			return NULL;
		b->cap = cap;
		b->used = 0;
		if (a->head != NULL && cap != ARENA_BLOCK) {
			/* A big block goes second, keeping the head open. */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

char *
jt_arena_strndup(struct jt_arena *a, const char *s, size_t n)
{
	char *p = jt_arena_alloc(a, n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
