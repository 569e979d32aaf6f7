/*
 * parse.c - what the readers of jetsam/report/ share: the first-error
 * record, appending processes, and the line helpers of the text readers
 *
 * Every reader fills the same struct jt_parse; report.c turns its error
 * offset into a line and column once, at the end.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

int
jt_parse_fail(struct jt_parse *ps, enum jt_error_code code, size_t off,
	      const char *fmt, ...)
{
	va_list ap;

	if (ps->failed)
		return -1;
	ps->failed = 1;
	ps->code = code;
	ps->err_off = off;
	va_start(ap, fmt);
	vsnprintf(ps->msg, sizeof(ps->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int
jt_parse_oom(struct jt_parse *ps, size_t off)
{
	return jt_parse_fail(ps, JT_ENOMEM, off, "out of memory");
}

void
jt_parse_note(struct jt_parse *ps, size_t off, const char *fmt, ...)
{
	va_list ap;

	if (ps->noted)
		return;
	ps->noted = 1;
	ps->note_off = off;
	va_start(ap, fmt);
	vsnprintf(ps->note, sizeof(ps->note), fmt, ap);
	va_end(ap);
}

void
jt_parse_page_size_raw(struct jt_parse *ps, const char *s, size_t n)
{
	if (n > 0 && (*s == '{' || *s == '['))
		s = *s == '{' ? "an object" : "an array", n = strlen(s);
	if (n >= sizeof(ps->page_size_raw))
		n = sizeof(ps->page_size_raw) - 1;
	memcpy(ps->page_size_raw, s, n);
	ps->page_size_raw[n] = '\0';
	if (n == 0)
		memcpy(ps->page_size_raw, "\"\"", 3);
}

void
jt_process_init(struct jt_process *p)
{
	memset(p, 0, sizeof(*p));
	p->pid = p->rpages = p->lifetime_max_pages = p->purgeable_pages = -1;
	p->priority = p->fds = p->coalition = p->age_ticks = -1;
	p->idle_delta_ticks = p->kill_delta_ticks = p->gen_count = -1;
	p->recent_max_pages = p->cs_flags = p->cs_trust_level = -1;
	p->mem_regions = p->frozen_to_swap_pages = -1;
	p->physical_internal_pages[0] = p->physical_internal_pages[1] = -1;
}

int
jt_parse_add_process(struct jt_parse *ps, const struct jt_process *p)
{
	struct jt_report *r = ps->r;

	if (r->nprocesses == ps->cap_processes) {
		size_t cap = ps->cap_processes ? ps->cap_processes * 2 : 256;
		struct jt_process *v = realloc(r->processes, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		r->processes = v;
		ps->cap_processes = cap;
	}
	r->processes[r->nprocesses++] = *p;
	return 0;
}

int
jt_parse_set_states(struct jt_parse *ps, struct jt_process *p,
		    char *const *states, size_t n)
{
	char **v = jt_arena_alloc(ps->arena, (n + 1) * sizeof(*v));
	size_t i;

	if (v == NULL)
		return -1;
	p->frontmost = 0;
	for (i = 0; i < n; i++) {
		v[i] = states[i];
		if (strcmp(states[i], "frontmost") == 0)
			p->frontmost = 1;
	}
	v[n] = NULL;
	p->states = v;
	p->nstates = n;
	return 0;
}

const char *
jt_find(const char *h, size_t hn, const char *needle, size_t n)
{
	const char *p = h, *end = h + hn;

	if (n == 0 || hn < n)
		return NULL;
	while ((p = memchr(p, needle[0], (size_t)(end - p))) != NULL) {
		if ((size_t)(end - p) < n)
			return NULL;
		if (memcmp(p, needle, n) == 0)
			return p;
		p++;
	}
	return NULL;
}

/* ---- lines --------------------------------------------------------------- */

int
jt_line_next(const char *buf, size_t len, size_t *pos, struct jt_line *l)
{
	const char *s, *e, *nl;

	if (*pos >= len)
		return 0;
	s = buf + *pos;
	nl = memchr(s, '\n', len - *pos);
	e = nl ? nl : buf + len;
	l->off = *pos;
	*pos = nl ? (size_t)(nl - buf) + 1 : len;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	l->s = s;
	l->n = (size_t)(e - s);
	return 1;
}

int
jt_line_is_elision(const struct jt_line *l)
{
	return (l->n == 3 && memcmp(l->s, "...", 3) == 0) ||
		(l->n == 1 && l->s[0] == '.') ||
		(l->n == 3 && memcmp(l->s, "\xe2\x80\xa6", 3) == 0);
}

int
jt_has_elision(const char *buf, size_t len)
{
	struct jt_line l;
	size_t pos = 0;

	while (jt_line_next(buf, len, &pos, &l))
		if (jt_line_is_elision(&l))
			return 1;
	return 0;
}

char *
jt_parse_dup_trim(struct jt_parse *ps, const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return jt_arena_strndup(ps->arena, s, n);
}

int64_t
jt_text_int(const char *s, size_t n)
{
	int64_t v = 0;
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n)
		return -1;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
		i++;
	return i == n ? v : -1;
}
