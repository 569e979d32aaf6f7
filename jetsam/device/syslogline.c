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
	if (!is_month_day_time(rec, len) || memchr(rec, '\0', len) != NULL)
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
		/* a pid is an int: more is not a record (and no overflow) */
		if (!isdigit((unsigned char)*d) || out->pid > 214748364L)
			return -1;
		out->pid = out->pid * 10 + (*d - '0');
	}
	if (out->pid > 2147483647L)
		return -1;
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

/* number - the digits at *p (up to end), at most 15 of them; -1 when
 * there are none or more (a figure no kernel prints). */
static long long
number(const char **p, const char *end)
{
	long long v = 0;
	int n = 0;

	while (*p < end && isdigit((unsigned char)**p)) {
		if (++n > 15)
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	return n > 0 ? v : -1;
}

/* lit - skip the literal s at *p; 0 when it is not there. */
static int
lit(const char **p, const char *end, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(end - *p) < n || memcmp(*p, s, n) != 0)
		return 0;
	*p += n;
	return 1;
}

static void
copy_name(char *out, size_t size, const char *from, const char *to)
{
	size_t n = (size_t)(to - from);

	if (n >= size)
		n = size - 1;
	memcpy(out, from, n);
	out[n] = '\0';
}

/* limit_kind - "ActiveHard", "ActiveSoft", "InactiveHard" or
 * "InactiveSoft" (XNU's "%s%s") at *p, copied to out; 0 when not. */
static int
limit_kind(const char **p, const char *end, char *out, size_t size)
{
	const char *start = *p;

	if (!lit(p, end, "Active") && !lit(p, end, "Inactive"))
		return 0;
	if (!lit(p, end, "Hard") && !lit(p, end, "Soft"))
		return 0;
	copy_name(out, size, start, *p);
	return 1;
}

/*
 * limit_tail - " N MB" and the optional " (fatal)" / " (non-fatal)" after
 * the limit kind at *p.  A line without the verdict is fatal when the
 * limit is a hard one, as XNU decides it.
 */
static int
limit_tail(const char *p, const char *end, struct jt_kill_line *out)
{
	long long v;

	if (!lit(&p, end, " "))
		return 0;
	v = number(&p, end);
	if (v < 0 || v > 2147483647LL || !lit(&p, end, " MB"))
		return 0;
	out->kind = JT_KILL_LINE_EXCEEDED;
	out->limit_bytes = (int64_t)v * 1048576;
	if (lit(&p, end, " (fatal)"))
		out->fatal = 1;
	else if (lit(&p, end, " (non-fatal)"))
		out->fatal = 0;
	else
		out->fatal = strstr(out->limit_kind, "Hard") != NULL;
	return 1;
}

/*
 * bracket_pid - the "[PID]" that ends at close (exclusive) and starts
 * after from: *open_out is its '['.  -1 when there is none.
 */
static long
bracket_pid(const char *from, const char *close, const char **open_out)
{
	const char *open, *p;
	long long v;

	if (close - from < 3 || close[-1] != ']')
		return -1;
	for (open = close - 2; open > from && *open != '['; open--)
		;
	if (*open != '[' || open == from)
		return -1;
	p = open + 1;
	v = number(&p, close - 1);
	if (v < 0 || p != close - 1 || v > 2147483647LL)
		return -1;
	*open_out = open;
	return (long)v;
}

/*
 * "EXC_RESOURCE -> NAME[PID] exceeded mem limit: KIND N MB (fatal)"
 * (xnu-4570 to xnu-11215: iOS 11 to 18.3) and
 * "memorystatus: NAME [PID] exceeded mem limit: KIND N MB (fatal)"
 * (xnu-11417 on), from the text after the prefix.  spaced: the newer form
 * with a blank before '['.
 */
static int
parse_exceeded(const char *p, const char *end, int spaced,
	       struct jt_kill_line *out)
{
	static const char ex[] = " exceeded mem limit: ";
	const char *hit = NULL, *open, *q;
	size_t i;

	for (i = 0; p + i + sizeof(ex) - 1 <= end; i++)
		if (memcmp(p + i, ex, sizeof(ex) - 1) == 0) {
			hit = p + i;
			break;
		}
	if (hit == NULL)
		return 0;
	out->pid = bracket_pid(p, hit, &open);
	if (out->pid < 0)
		return 0;
	if (spaced) {
		if (open - p < 2 || open[-1] != ' ')
			return 0;
		copy_name(out->name, sizeof(out->name), p, open - 1);
	} else {
		copy_name(out->name, sizeof(out->name), p, open);
	}
	q = hit + sizeof(ex) - 1;
	if (!limit_kind(&q, end, out->limit_kind, sizeof(out->limit_kind)))
		return 0;
	return limit_tail(q, end, out);
}

/*
 * "process PID (NAME) exceeded physical memory footprint, the
 * KINDMemoryLimit of N MB" (xnu-3789: iOS 10).
 */
static int
parse_exceeded_ios10(const char *p, const char *end, struct jt_kill_line *out)
{
	static const char ex[] = ") exceeded physical memory footprint, the ";
	const char *name, *close = NULL, *q;
	long long v;
	size_t i;

	v = number(&p, end);
	if (v < 0 || v > 2147483647LL || !lit(&p, end, " ("))
		return 0;
	out->pid = (long)v;
	name = p;
	/* the last match: a name may hold the words too */
	for (i = 0; p + i + sizeof(ex) - 1 <= end; i++)
		if (memcmp(p + i, ex, sizeof(ex) - 1) == 0)
			close = p + i;
	if (close == NULL || close == name)
		return 0;
	copy_name(out->name, sizeof(out->name), name, close);
	q = close + sizeof(ex) - 1;
	if (!limit_kind(&q, end, out->limit_kind, sizeof(out->limit_kind)) ||
	    !lit(&q, end, "MemoryLimit of"))
		return 0;
	return limit_tail(q, end, out);
}

/*
 * "killing_WHICH_process pid PID [NAME] (REASON PRIO[ Ns rf:F[ type:T]])
 *  [NKB ]- memorystatus_available_pages: N" (the KB figure from xnu-6153,
 * iOS 13; the time in band and relaunch flags from xnu-11417), or iOS 10's
 * "specifically killing pid PID [NAME] (REASON PRIO)[ - ...]", from the
 * text after "memorystatus: ".
 */
static int
parse_killing(const char *p, const char *end, struct jt_kill_line *out)
{
	const char *name, *close = NULL;
	long long v;

	if (lit(&p, end, "killing_")) {
		/* "specific_process", "top_process_elevated1", ... */
		const char *w = p;
		int has_process = 0;

		while (p < end &&
		       (islower((unsigned char)*p) ||
			isdigit((unsigned char)*p) || *p == '_')) {
			if (end - p >= 7 && memcmp(p, "process", 7) == 0)
				has_process = 1;
			p++;
		}
		if (p == w || !has_process || !lit(&p, end, " pid "))
			return 0;
	} else if (!lit(&p, end, "specifically killing pid ")) {
		return 0;
	}
	v = number(&p, end);
	if (v < 0 || v > 2147483647LL || !lit(&p, end, " ["))
		return 0;
	out->pid = (long)v;
	name = p;
	for (; p + 3 <= end; p++)
		if (p[0] == ']' && p[1] == ' ' && p[2] == '(') {
			close = p;
			break;
		}
	if (close == NULL)
		return 0;
	copy_name(out->name, sizeof(out->name), name, close);
	p = close + 3;
	/* REASON, then the fields up to ')' */
	{
		const char *r = p;

		while (p < end && *p != ' ' && *p != ')')
			p++;
		if (p == r)
			return 0;
		copy_name(out->reason, sizeof(out->reason), r, p);
	}
	if (lit(&p, end, " ")) {
		int neg = lit(&p, end, "-");

		v = number(&p, end);
		if (v >= 0 && v <= 2147483647LL)
			out->priority = neg ? -(int)v : (int)v;
	}
	if (lit(&p, end, " ")) {
		v = number(&p, end);
		if (v >= 0 && lit(&p, end, "s"))
			out->band_s = v;
	}
	while (p < end && *p != ')')
		p++;
	if (!lit(&p, end, ")"))
		return 0;
	out->kind = JT_KILL_LINE_KILLING;
	if (lit(&p, end, " ")) {
		v = number(&p, end);
		if (v >= 0 && lit(&p, end, "KB")) {
			out->footprint_bytes = (int64_t)v * 1024;
			(void)lit(&p, end, " ");
		}
	}
	if (lit(&p, end, "- memorystatus_available_pages: ")) {
		v = number(&p, end);
		if (v >= 0)
			out->available_pages = v;
	}
	return 1;
}

static void
kill_init(struct jt_kill_line *out)
{
	memset(out, 0, sizeof(*out));
	out->limit_bytes = -1;
	out->footprint_bytes = -1;
	out->pid = -1;
	out->priority = -1;
	out->band_s = -1;
	out->available_pages = -1;
}

int
jt_syslog_kill_parse(const char *msg, size_t len, struct jt_kill_line *out)
{
	const char *p = msg, *end = msg + len;

	kill_init(out);
	/* the kernel writes C strings: a NUL inside is not its line (and
	 * would cut a name or reason short without saying so) */
	if (memchr(msg, '\0', len) != NULL)
		return 0;
	if (lit(&p, end, "EXC_RESOURCE -> "))
		return parse_exceeded(p, end, 0, out);
	if (lit(&p, end, "process "))
		return parse_exceeded_ios10(p, end, out);
	/* the kernel's kill lines may start with its uptime, "1401.082 " */
	if (p < end && isdigit((unsigned char)*p)) {
		const char *q = p;

		if (number(&q, end) >= 0 && lit(&q, end, ".") &&
		    number(&q, end) >= 0 && lit(&q, end, " "))
			p = q;
	}
	if (!lit(&p, end, "memorystatus: "))
		return 0;
	if (parse_killing(p, end, out))
		return 1;
	/* a process may be called "killing_x": try the other form afresh */
	kill_init(out);
	return parse_exceeded(p, end, 1, out);
}
