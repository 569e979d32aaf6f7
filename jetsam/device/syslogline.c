/*
 * syslogline.c - cutting and reading syslog_relay records (pure logic)
 *
 * Records end in "\n" followed by a NUL; either byte ends a record, so a
 * relay that sends only one of them still works.  The kernel's lines are
 * recognised by their fixed XNU wording (kern_memorystatus.c), tolerating
 * the variations of the footprint figure between releases.
 */
#include "syslogline.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void
jt_syslog_splitter_init(struct jt_syslog_splitter *sp)
{
	memset(sp, 0, sizeof(*sp));
}

void
jt_syslog_splitter_release(struct jt_syslog_splitter *sp)
{
	free(sp->buf);
	memset(sp, 0, sizeof(*sp));
}

size_t
jt_syslog_pending(const struct jt_syslog_splitter *sp)
{
	return sp->len;
}

static int
append(struct jt_syslog_splitter *sp, const char *p, size_t n,
       struct jt_error *err)
{
	if (sp->len + n > JT_SYSLOG_MAX_RECORD) {
		n = JT_SYSLOG_MAX_RECORD - sp->len;
		sp->overlong = 1;
	}
	if (n == 0)
		return 0;
	if (sp->len + n > sp->cap) {
		size_t cap = sp->cap ? sp->cap : 1024;
		char *grown;

		while (cap < sp->len + n)
			cap *= 2;
		grown = realloc(sp->buf, cap);
		if (grown == NULL)
			return jt_error_oom(err, NULL);
		sp->buf = grown;
		sp->cap = cap;
	}
	memcpy(sp->buf + sp->len, p, n);
	sp->len += n;
	return 0;
}

int
jt_syslog_feed(struct jt_syslog_splitter *sp, const char *data, size_t n,
	       jt_syslog_record_cb cb, void *ud, struct jt_error *err)
{
	size_t start = 0, i;

	for (i = 0; i < n; i++) {
		int rc = 0;

		if (data[i] != '\n' && data[i] != '\0')
			continue;
		if (sp->len > 0 || sp->overlong) {
			/* finish the record carried over from before */
			if (append(sp, data + start, i - start, err) < 0)
				return -1;
			if (sp->len > 0)
				rc = cb(sp->buf, sp->len, sp->overlong, ud);
			sp->len = 0;
			sp->overlong = 0;
		} else if (i > start) {
			size_t len = i - start;
			int cut = len > JT_SYSLOG_MAX_RECORD;

			rc = cb(data + start, cut ? JT_SYSLOG_MAX_RECORD : len,
				cut, ud);
		}
		start = i + 1;
		if (rc != 0)
			return rc;
	}
	if (start < n)
		return append(sp, data + start, n - start, err);
	return 0;
}

static int
is_month_day_time(const char *p, size_t len)
{
	/* "Oct 15 17:29:41 " or "Oct  5 07:09:01 " */
	return len >= 16 && isalpha((unsigned char)p[0]) && p[3] == ' ' &&
		(isdigit((unsigned char)p[4]) || p[4] == ' ') &&
		isdigit((unsigned char)p[5]) && p[6] == ' ' && p[9] == ':' &&
		p[12] == ':' && p[15] == ' ';
}

int
jt_syslog_record_parse(const char *rec, size_t len,
		       struct jt_syslog_record *out)
{
	const char *p, *end = rec + len, *host_end, *open, *close, *lt, *gt;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!is_month_day_time(rec, len))
		return -1;
	p = rec + 16;
	host_end = memchr(p, ' ', (size_t)(end - p));
	if (host_end == NULL)
		return -1;
	p = host_end + 1;
	/* "Proc(Lib)[pid] <Level>: msg" - the name may hold blanks, so
	 * look for the "] <" that closes the pid. */
	for (close = p; close + 2 < end; close++)
		if (close[0] == ']' && close[1] == ' ' && close[2] == '<')
			break;
	if (close + 2 >= end)
		return -1;
	for (open = close; open > p && *open != '['; open--)
		;
	if (*open != '[' || open + 1 == close)
		return -1;
	out->pid = 0;
	for (const char *d = open + 1; d < close; d++) {
		if (!isdigit((unsigned char)*d))
			return -1;
		out->pid = out->pid * 10 + (*d - '0');
	}
	n = (size_t)(open - p);
	{
		const char *paren = memchr(p, '(', n);

		if (paren != NULL)
			n = (size_t)(paren - p);
	}
	if (n == 0)
		return -1;
	if (n >= sizeof(out->process))
		n = sizeof(out->process) - 1;
	memcpy(out->process, p, n);
	out->process[n] = '\0';
	lt = close + 2;
	gt = memchr(lt, '>', (size_t)(end - lt));
	if (gt == NULL || gt + 1 >= end || gt[1] != ':')
		return -1;
	n = (size_t)(gt - lt - 1);
	if (n >= sizeof(out->level))
		n = sizeof(out->level) - 1;
	memcpy(out->level, lt + 1, n);
	out->level[n] = '\0';
	p = gt + 2;
	if (p < end && *p == ' ')
		p++;
	out->msg = p;
	out->msg_len = (size_t)(end - p);
	return 0;
}

static const char *
find(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	if (n == 0 || n > len)
		return NULL;
	for (i = 0; i + n <= len; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
			return hay + i;
	return NULL;
}

const char *
jt_syslog_marker(const char *msg, size_t len, const char *marker, size_t *plen)
{
	const char *m = find(msg, len, marker), *p, *end = msg + len;

	*plen = 0;
	if (m == NULL)
		return NULL;
	p = m + strlen(marker);
	while (end > p &&
	       (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*plen = (size_t)(end - p);
	return p;
}

/* number - parse digits at *p (up to end); -1 when none. */
static long long
number(const char **p, const char *end)
{
	long long v = 0;
	int any = 0;

	while (*p < end && isdigit((unsigned char)**p)) {
		if (v < 1000000000000LL)
			v = v * 10 + (**p - '0');
		(*p)++;
		any = 1;
	}
	return any ? v : -1;
}

static void
skip_blanks(const char **p, const char *end)
{
	while (*p < end && **p == ' ')
		(*p)++;
}

static int
word(const char **p, const char *end, char *out, size_t size, char stop)
{
	size_t n = 0;

	while (*p < end && **p != stop && **p != ' ') {
		if (n + 1 < size)
			out[n++] = **p;
		(*p)++;
	}
	out[n] = '\0';
	return n > 0 ? 0 : -1;
}

/* "memorystatus: NAME [PID] exceeded mem limit: ActiveHard N MB (fatal)" */
static int
parse_exceeded(const char *msg, const char *end, struct jt_kill_line *out)
{
	const char *ex =
		find(msg, (size_t)(end - msg), " exceeded mem limit: ");
	const char *p, *open, *close;
	long long v;
	size_t n;

	if (ex == NULL)
		return 0;
	p = msg + strlen("memorystatus: ");
	close = ex;
	if (close <= p || close[-1] != ']')
		return 0;
	for (open = close - 1; open > p && *open != '['; open--)
		;
	if (*open != '[' || open == p || open[-1] != ' ')
		return 0;
	n = (size_t)(open - 1 - p);
	if (n >= sizeof(out->name))
		n = sizeof(out->name) - 1;
	memcpy(out->name, p, n);
	out->name[n] = '\0';
	p = open + 1;
	out->pid = (long)number(&p, close - 1);
	if (out->pid < 0 || p != close - 1)
		return 0;
	p = ex + strlen(" exceeded mem limit: ");
	if (word(&p, end, out->limit_kind, sizeof(out->limit_kind), ' ') < 0)
		return 0;
	skip_blanks(&p, end);
	v = number(&p, end);
	if (v < 0)
		return 0;
	skip_blanks(&p, end);
	if (end - p < 2 || memcmp(p, "MB", 2) != 0)
		return 0;
	out->kind = JT_KILL_LINE_EXCEEDED;
	out->limit_bytes = (int64_t)v * 1048576;
	out->fatal = find(p, (size_t)(end - p), "(fatal)") != NULL;
	return 1;
}

/* "memorystatus: killing_specific_process pid N [NAME] (REASON PRIO)
 *  NKB - memorystatus_available_pages: N" (the KB figure is newer) */
static int
parse_killing(const char *msg, const char *end, struct jt_kill_line *out)
{
	const char *p = msg + strlen("memorystatus: killing_");
	const char *us, *close;
	long long v;
	size_t n;

	us = find(p, (size_t)(end - p), "_process pid ");
	if (us == NULL)
		return 0;
	for (const char *c = p; c < us; c++)
		if (!islower((unsigned char)*c) && *c != '_')
			return 0;
	p = us + strlen("_process pid ");
	out->pid = (long)number(&p, end);
	if (out->pid < 0)
		return 0;
	skip_blanks(&p, end);
	if (p >= end || *p != '[')
		return 0;
	p++;
	close = find(p, (size_t)(end - p), "] (");
	if (close == NULL)
		return 0;
	n = (size_t)(close - p);
	if (n >= sizeof(out->name))
		n = sizeof(out->name) - 1;
	memcpy(out->name, p, n);
	out->name[n] = '\0';
	p = close + 3;
	if (word(&p, end, out->reason, sizeof(out->reason), ')') < 0)
		return 0;
	while (p < end && *p != ')')
		p++;
	if (p < end)
		p++;
	skip_blanks(&p, end);
	v = number(&p, end);
	if (v >= 0 && end - p >= 2 && memcmp(p, "KB", 2) == 0)
		out->footprint_bytes = (int64_t)v * 1024;
	out->kind = JT_KILL_LINE_KILLING;
	return 1;
}

int
jt_syslog_kill_parse(const char *msg, size_t len, struct jt_kill_line *out)
{
	static const char pfx[] = "memorystatus: ";
	const char *end = msg + len;

	memset(out, 0, sizeof(*out));
	out->limit_bytes = -1;
	out->footprint_bytes = -1;
	out->pid = -1;
	if (len < sizeof(pfx) - 1 || memcmp(msg, pfx, sizeof(pfx) - 1) != 0)
		return 0;
	if (len > strlen("memorystatus: killing_") &&
	    memcmp(msg, "memorystatus: killing_", 22) == 0)
		return parse_killing(msg, end, out);
	return parse_exceeded(msg, end, out);
}
