/*
 * json.c - bug_type 298 JetsamEvent JSON, read by a validating scanner
 *
 * A JetsamEvent report is a header line and a pretty-printed body of a few
 * hundred KB.  Building a full jansson tree of it costs about ten times
 * what the toolkit needs, so this scanner checks the whole text against the
 * JSON grammar (strings, escapes, UTF-8, numbers, nesting depth) but
 * decodes only the keys the toolkit uses, straight into struct jt_report,
 * and skips everything else without allocating.  Each process object is
 * read whole before it is kept, because killed entries put "reason" before
 * "name" (a streaming reader would pin the kill on the previous process).
 * When the input ends early, every complete process read so far is kept
 * and the report is marked partial by report.c.  A header that says
 * bug_type 198 is handed back to report.c, which reads the text after it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jetsam/core/text.h"
#include "parser.h"

struct js {
	struct jt_parse *ps;
	const unsigned char *base, *p, *end;
	int depth;
	int saw_body;     /* a key only bodies have */
	char *bug_type;   /* of the object being read */
	const char *what; /* what is being read, for messages */
};

static size_t
off(const struct js *j)
{
	return (size_t)(j->p - j->base);
}

/* at - 1 when the next byte is c (0 at the end of the input). */
static int
at(const struct js *j, unsigned char c)
{
	return j->p < j->end && *j->p == c;
}

static int
fail_here(struct js *j, const char *expected)
{
	if (j->p >= j->end)
		return jt_parse_fail(j->ps, JT_ETRUNCATED, off(j),
				     "report ends early, inside %s", j->what);
	if (*j->p >= 0x20 && *j->p < 0x7f)
		return jt_parse_fail(j->ps, JT_EPARSE, off(j),
				     "expected %s near '%c' in %s", expected,
				     *j->p, j->what);
	return jt_parse_fail(j->ps, JT_EPARSE, off(j),
			     "expected %s near byte 0x%02x in %s", expected,
			     *j->p, j->what);
}

/*
 * Word-at-a-time scanning.  Reports are pretty-printed, so most of their
 * bytes are indentation and short plain strings; both are crossed eight
 * bytes per step where the target is little-endian (where the first
 * matching byte of a word is its lowest set bit), a byte per step
 * elsewhere (or with -DJT_REPORT_NO_SWAR, to test that path).  Every byte
 * is still looked at: nothing is skipped unchecked.
 */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
	__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ &&                           \
	!defined(JT_REPORT_NO_SWAR)
#define SWAR 1
#define ONES ((uint64_t)0x0101010101010101)
#define HIGHS ((uint64_t)0x8080808080808080)

static uint64_t
load8(const unsigned char *p)
{
	uint64_t x;

	memcpy(&x, p, sizeof(x));
	return x;
}

/* first_byte - index of the lowest byte whose high bit is set in m. */
static size_t
first_byte(uint64_t m)
{
	return (size_t)__builtin_ctzll(m) / 8;
}

/* not_space - the high bit of every byte of x that is not ' '. */
static uint64_t
not_space(uint64_t x)
{
	uint64_t t = x ^ (ONES * ' ');

	return (((t & ~HIGHS) + ~HIGHS) | t) & HIGHS;
}

/*
 * string_stop - the high bit of the first byte of x that ends a plain run
 * in a string ('"', '\\', a control byte or a non-ASCII byte); bits above
 * the first may be wrong, so only the lowest is used.
 */
static uint64_t
string_stop(uint64_t x)
{
	uint64_t q = x ^ (ONES * '"'), b = x ^ (ONES * '\\');

	return (((q - ONES) & ~q) | ((b - ONES) & ~b) |
		((x - ONES * 0x20) & ~x) | x) &
		HIGHS;
}
/*
 * not_digit - the high bit of the first byte of x that is not an ASCII
 * digit (bits above the first may be wrong).
 */
static uint64_t
not_digit(uint64_t x)
{
	uint64_t hi = ONES * 0xf0, want = ONES * '0';
	uint64_t t = ((x & hi) ^ want) | (((x + ONES * 6) & hi) ^ want);

	return (((t & ~HIGHS) + ~HIGHS) | t) & HIGHS;
}

/*
 * digits8 - the value of the 8 ASCII digits in x, the first in its lowest
 * byte; zero bytes count as leading zeros.
 */
static uint64_t
digits8(uint64_t x)
{
	x = (x & (ONES * 0x0f)) * 2561 >> 8;
	x = (x & 0x00ff00ff00ff00ff) * 6553601 >> 16;
	return (x & 0x0000ffff0000ffff) * 42949672960001 >> 32;
}
#else
#define SWAR 0
#endif

/* JSON's four blanks. */
static const unsigned char blank[256] = {
	[' '] = 1,
	['\t'] = 1,
	['\n'] = 1,
	['\r'] = 1,
};

static void
skip_blanks(struct js *j)
{
	const unsigned char *p = j->p, *end = j->end;

	while (p < end && blank[*p]) {
		if (*p != ' ') {
			p++;
			continue;
		}
		/* A run of spaces: the indentation of a pretty-printed line. */
#if SWAR
		while (end - p >= 8) {
			uint64_t m = not_space(load8(p));

			if (m != 0) {
				p += first_byte(m);
				break;
			}
			p += 8;
		}
#endif
		while (p < end && *p == ' ')
			p++;
	}
	j->p = p;
}

/*
 * skip_ws - step over blanks.  Most calls find none or the one space of
 * " : ", so those are decided here without a call.
 */
static inline void
skip_ws(struct js *j)
{
	const unsigned char *p = j->p;

	if (p < j->end && blank[*p]) {
		if (*p == ' ' && j->end - p > 1 && !blank[p[1]])
			j->p = p + 1;
		else
			skip_blanks(j);
	}
}

/*
 * skip_line_break - after a ',': "\n" and the next line's indentation as
 * NSJSONSerialization writes them, else whatever skip_ws takes.
 */
static inline void
skip_line_break(struct js *j)
{
#if SWAR
	const unsigned char *p = j->p;

	if (j->end - p > 9 && *p == '\n') {
		uint64_t m = not_space(load8(p + 1));

		if (m != 0 && !blank[p[1 + first_byte(m)]]) {
			j->p = p + 1 + first_byte(m);
			return;
		}
	}
#endif
	skip_ws(j);
}

/* utf8_len - length of the valid UTF-8 sequence at s, 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, const unsigned char *end)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if ((size_t)(end - s) < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* scan_string_slow - scan_string for escapes, UTF-8 and short tails. */
static int
scan_string_slow(struct js *j, const unsigned char **s, size_t *n, int *esc)
{
	const unsigned char *q = j->p + 1, *end = j->end;

	*esc = 0;
	for (;;) {
#if SWAR
		while (end - q >= 8) {
			uint64_t m = string_stop(load8(q));

			if (m != 0) {
				q += first_byte(m);
				break;
			}
			q += 8;
		}
#endif
		while (q < end && *q >= 0x20 && *q < 0x80 && *q != '"' &&
		       *q != '\\')
			q++;
		if (q >= end) {
			j->p = q;
			return fail_here(j, "'\"'");
		}
		if (*q == '"')
			break;
		if (*q == '\\') {
			*esc = 1;
			if (q + 1 >= end) {
				j->p = end;
				return fail_here(j, "an escape");
			}
			switch (q[1]) {
			case '"':
			case '\\':
			case '/':
			case 'b':
			case 'f':
			case 'n':
			case 'r':
			case 't':
				q += 2;
				break;
			case 'u':
				if (end - q < 6 || jt_hex_digit(q[2]) < 0 ||
				    jt_hex_digit(q[3]) < 0 ||
				    jt_hex_digit(q[4]) < 0 ||
				    jt_hex_digit(q[5]) < 0) {
					j->p = q;
					return jt_parse_fail(
						j->ps,
						end - q < 6 ? JT_ETRUNCATED
							    : JT_EPARSE,
						off(j),
						"bad \\u escape in string in %s",
						j->what);
				}
				q += 6;
				break;
			default:
				j->p = q;
				return jt_parse_fail(j->ps, JT_EPARSE, off(j),
						     "bad escape '\\%c' in "
						     "string in %s",
						     q[1] >= 0x20 && q[1] < 0x7f
							     ? q[1]
							     : '?',
						     j->what);
			}
		} else if (*q < 0x20) {
			j->p = q;
			j->ps->wrapped = *q == '\n' || *q == '\r';
			return jt_parse_fail(j->ps, JT_EPARSE, off(j),
					     "control character 0x%02x inside "
					     "a string in %s (line broken "
					     "mid-string?)",
					     *q, j->what);
		} else {
			size_t k = utf8_len(q, end);

			if (k == 0) {
				j->p = q;
				return jt_parse_fail(j->ps, JT_EPARSE, off(j),
						     "invalid UTF-8 in string "
						     "in %s",
						     j->what);
			}
			q += k;
		}
	}
	*s = j->p + 1;
	*n = (size_t)(q - (j->p + 1));
	j->p = q + 1;
	return 0;
}

/*
 * scan_string - check the string at j->p (which is at '"') and leave j->p
 * after it; *s and *n give the raw text between the quotes and *esc
 * whether it holds escapes.  Keys and most values are plain ASCII: they
 * are decided here, the rest by scan_string_slow.
 */
static inline int
scan_string(struct js *j, const unsigned char **s, size_t *n, int *esc)
{
#if SWAR
	const unsigned char *q = j->p + 1, *end = j->end;

	while (end - q >= 8) {
		uint64_t m = string_stop(load8(q));

		if (m != 0) {
			q += first_byte(m);
			if (*q != '"')
				break;
			*s = j->p + 1;
			*n = (size_t)(q - *s);
			*esc = 0;
			j->p = q + 1;
			return 0;
		}
		q += 8;
	}
#endif
	return scan_string_slow(j, s, n, esc);
}

static void
put_utf8(char **o, unsigned int cp)
{
	unsigned char *u = (unsigned char *)*o;

	if (cp < 0x80) {
		*u++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*u++ = (unsigned char)(0xc0 | (cp >> 6));
		*u++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*u++ = (unsigned char)(0xe0 | (cp >> 12));
		*u++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*u++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		*u++ = (unsigned char)(0xf0 | (cp >> 18));
		*u++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		*u++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*u++ = (unsigned char)(0x80 | (cp & 0x3f));
	}
	*o = (char *)u;
}

static unsigned int
hex4(const unsigned char *s)
{
	return (unsigned int)(jt_hex_digit(s[0]) << 12 |
			      jt_hex_digit(s[1]) << 8 |
			      jt_hex_digit(s[2]) << 4 | jt_hex_digit(s[3]));
}

/*
 * decode - the string (already checked by scan_string) as a new arena
 * string.  \u0000 and lone surrogates become U+FFFD so that C strings stay
 * whole.
 */
static char *
decode(struct js *j, const unsigned char *s, size_t n, int esc)
{
	char *out, *o;
	size_t i = 0;

	if (!esc)
		return jt_arena_strndup(j->ps->arena, (const char *)s, n);
	/* An escape never decodes to more bytes than it takes. */
	out = jt_arena_alloc(j->ps->arena, n + 1);
	if (out == NULL)
		return NULL;
	o = out;
	while (i < n) {
		unsigned int cp;

		if (s[i] != '\\') {
			*o++ = (char)s[i++];
			continue;
		}
		switch (s[i + 1]) {
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u':
			cp = hex4(s + i + 2);
			i += 6;
			if (cp >= 0xd800 && cp <= 0xdbff && i + 6 <= n &&
			    s[i] == '\\' && s[i + 1] == 'u') {
				unsigned int lo = hex4(s + i + 2);

				if (lo >= 0xdc00 && lo <= 0xdfff) {
					cp = 0x10000 + ((cp - 0xd800) << 10) +
						(lo - 0xdc00);
					i += 6;
				}
			}
			if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
				cp = 0xfffd;
			put_utf8(&o, cp);
			continue;
		default: /* '"', '\\', '/' */
			*o++ = (char)s[i + 1];
			break;
		}
		i += 2;
	}
	*o = '\0';
	return out;
}

static int
expect_char(struct js *j, unsigned char c, const char *name)
{
	skip_ws(j);
	if (j->p >= j->end || *j->p != c)
		return fail_here(j, name);
	j->p++;
	return 0;
}

/*
 * scan_number - check a JSON number at j->p; *iv is its value when it is a
 * whole number that fits int64 (*is_int 1).  Nothing the toolkit reads is
 * a real, so reals are checked, never converted.
 */
static int
scan_number(struct js *j, int64_t *iv, int *is_int)
{
	const unsigned char *q = j->p, *digits;
	int neg = 0;
	uint64_t v = 0;

	*is_int = 1;
	if (q < j->end && *q == '-')
		neg = 1, q++;
	if (q >= j->end || *q < '0' || *q > '9') {
		j->p = q;
		return fail_here(j, "a digit");
	}
	digits = q;
	if (*q == '0') {
		q++;
	} else {
		/* 19 digits cannot wrap uint64; more are not an int64. */
		while (q < j->end && (unsigned)(*q - '0') <= 9) {
			v = v * 10 + (uint64_t)(*q - '0');
			q++;
		}
	}
	if (q < j->end && *q == '.') {
		*is_int = 0;
		q++;
		if (q >= j->end || *q < '0' || *q > '9') {
			j->p = q;
			return fail_here(j, "a digit after '.'");
		}
		while (q < j->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < j->end && (*q == 'e' || *q == 'E')) {
		*is_int = 0;
		q++;
		if (q < j->end && (*q == '+' || *q == '-'))
			q++;
		if (q >= j->end || *q < '0' || *q > '9') {
			j->p = q;
			return fail_here(j, "an exponent");
		}
		while (q < j->end && *q >= '0' && *q <= '9')
			q++;
	}
	j->p = q;
	if (*is_int && q - digits <= 19 && v <= (uint64_t)INT64_MAX) {
		*iv = neg ? -(int64_t)v : (int64_t)v;
		return 0;
	}
	*is_int = 0;
	return 0;
}

static int
scan_literal(struct js *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n) {
		if (memcmp(j->p, lit, (size_t)(j->end - j->p)) == 0) {
			j->p = j->end;
			return fail_here(j, lit);
		}
		return fail_here(j, "a value");
	}
	if (memcmp(j->p, lit, n) != 0)
		return fail_here(j, "a value");
	j->p += n;
	return 0;
}

static int skip_value(struct js *j);

static int
enter(struct js *j)
{
	if (++j->depth > JT_REPORT_MAX_DEPTH)
		return jt_parse_fail(j->ps, JT_EPARSE, off(j),
				     "JSON nested deeper than %d levels in %s",
				     JT_REPORT_MAX_DEPTH, j->what);
	j->p++;
	return 0;
}

/*
 * next_member - step to the next member of the object being read: returns
 * 1 with the key in *k and *kn and j->p at its value, 0 after the closing '}',
 * -1 on error.  *first is 1 before the first member.
 */
static int
next_member(struct js *j, int *first, const unsigned char **k, size_t *kn)
{
	int esc;

	skip_ws(j);
	if (j->p < j->end && *j->p == '}' && *first) {
		j->p++;
		j->depth--;
		return 0;
	}
	if (!*first) {
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			j->depth--;
			return 0;
		}
		if (j->p >= j->end || *j->p != ',')
			return fail_here(j, "',' or '}'");
		j->p++;
		skip_line_break(j);
	}
	*first = 0;
	if (j->p >= j->end || *j->p != '"')
		return fail_here(j, "a key");
	if (scan_string(j, k, kn, &esc) < 0)
		return -1;
	/* NSJSONSerialization writes " : ". */
	if (j->end - j->p > 3 && memcmp(j->p, " : ", 3) == 0 &&
	    !blank[j->p[3]]) {
		j->p += 3;
		return 1;
	}
	if (expect_char(j, ':', "':'") < 0)
		return -1;
	skip_ws(j);
	return 1;
}

/* next_element - like next_member for arrays: 1 at a value, 0 after ']'. */
static int
next_element(struct js *j, int *first)
{
	skip_ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		j->depth--;
		return 0;
	}
	if (!*first) {
		if (j->p >= j->end || *j->p != ',')
			return fail_here(j, "',' or ']'");
		j->p++;
		skip_line_break(j);
	}
	*first = 0;
	return 1;
}

static int
skip_value(struct js *j)
{
	const unsigned char *s;
	size_t n;
	int esc, first = 1, rc;
	int64_t iv;

	skip_ws(j);
	if (j->p >= j->end)
		return fail_here(j, "a value");
	switch (*j->p) {
	case '{':
		if (enter(j) < 0)
			return -1;
		while ((rc = next_member(j, &first, &s, &n)) == 1)
			if (skip_value(j) < 0)
				return -1;
		return rc;
	case '[':
		if (enter(j) < 0)
			return -1;
		while ((rc = next_element(j, &first)) == 1)
			if (skip_value(j) < 0)
				return -1;
		return rc;
	case '"':
		return scan_string(j, &s, &n, &esc);
	case 't':
		return scan_literal(j, "true");
	case 'f':
		return scan_literal(j, "false");
	case 'n':
		return scan_literal(j, "null");
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
			return scan_number(j, &iv, &esc);
		return fail_here(j, "a value");
	}
}

/*
 * bad_count - the value at j->p should have been a count: step over it
 * and note what it was (the key k[0..kn) names it).
 */
static int
bad_count(struct js *j, const unsigned char *k, size_t kn)
{
	const unsigned char *start = j->p;
	size_t n, at = off(j);
	char found[48];

	if (skip_value(j) < 0)
		return -1;
	n = (size_t)(j->p - start);
	if (*start == '{' || *start == '[')
		snprintf(found, sizeof(found), "%s",
			 *start == '{' ? "an object" : "an array");
	else if (n <= 30)
		snprintf(found, sizeof(found), "%.*s", (int)n,
			 (const char *)start);
	else
		snprintf(found, sizeof(found), "%.26s...%c",
			 (const char *)start, *start == '"' ? '"' : ' ');
	jt_parse_note(j->ps, at,
		      "expected a whole number from 0 to 2^63-1 for \"%.*s\" "
		      "in %s, found %s",
		      (int)(kn < 40 ? kn : 40), (const char *)k, j->what,
		      found);
	return 0;
}

/* get_int_slow - get_int for what its fast path does not decide. */
static int
get_int_slow(struct js *j, int64_t *out, const unsigned char *k, size_t kn)
{
	const unsigned char *p = j->p, *end = j->end;
	int64_t iv;
	int is_int;

	/* A count of up to 18 digits, a byte at a time. */
	if (p < end && (unsigned)(*p - '1') <= 8) {
		const unsigned char *d = p;
		unsigned c = (unsigned)(*p - '0');
		uint64_t v = 0;

		do {
			v = v * 10 + c;
			if (++p >= end)
				break;
			c = (unsigned)(*p - '0');
		} while (c <= 9);
		if (p - d <= 18 && p < end && *p != '.' && *p != 'e' &&
		    *p != 'E') {
			*out = (int64_t)v;
			j->p = p;
			return 0;
		}
	}
	if (j->p < j->end && (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))) {
		const unsigned char *start = j->p;

		if (scan_number(j, &iv, &is_int) < 0)
			return -1;
		if (is_int && iv >= 0) {
			*out = iv;
			return 0;
		}
		j->p = start;
	}
	return bad_count(j, k, kn);
}

/*
 * get_int - a count (a whole number from 0 to 2^63-1) into *out; anything
 * else leaves *out alone and is noted by bad_count.  k[0..kn) is the key.
 * The common case, 1 to 15 digits followed by something that is not part
 * of a number, is read two words at a time.
 */
static inline int
get_int(struct js *j, int64_t *out, const unsigned char *k, size_t kn)
{
#if SWAR
	static const uint64_t pow10[9] = {
		1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
	const unsigned char *p = j->p;

	if (j->end - p >= 16 && (unsigned)(*p - '0') <= 9) {
		uint64_t x = load8(p), m = not_digit(x), v;
		size_t nd = m != 0 ? first_byte(m) : 8;

		if (nd < 8) {
			v = digits8(x << (8 * (8 - nd)));
		} else {
			uint64_t x2 = load8(p + 8), m2 = not_digit(x2);
			size_t nd2 = m2 != 0 ? first_byte(m2) : 8;

			if (nd2 == 8)
				return get_int_slow(j, out, k, kn);
			v = digits8(x) * pow10[nd2] +
				(nd2 ? digits8(x2 << (8 * (8 - nd2))) : 0);
			nd += nd2;
		}
		if ((*p != '0' || nd == 1) && p[nd] != '.' && p[nd] != 'e' &&
		    p[nd] != 'E') {
			*out = (int64_t)v;
			j->p = p + nd;
			return 0;
		}
	}
#endif
	return get_int_slow(j, out, k, kn);
}

/*
 * get_str - a string into *out (arena); a number is kept as its text
 * (bug_type is a string, but tolerate 298); other types are skipped.
 */
static int
get_str(struct js *j, char **out)
{
	const unsigned char *s, *start = j->p;
	size_t n;
	int esc;

	if (j->p < j->end && *j->p == '"') {
		if (scan_string(j, &s, &n, &esc) < 0)
			return -1;
		*out = decode(j, s, n, esc);
		if (*out == NULL)
			return jt_parse_oom(j->ps, off(j));
		return 0;
	}
	if (j->p < j->end && (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))) {
		int64_t iv;

		if (scan_number(j, &iv, &esc) < 0)
			return -1;
		*out = jt_arena_strndup(j->ps->arena, (const char *)start,
					(size_t)(j->p - start));
		return *out ? 0 : jt_parse_oom(j->ps, off(j));
	}
	return skip_value(j);
}

/* KEY_IS - the key k[0..n) is the string literal lit (length known). */
#define KEY_IS(k, n, lit)                                                      \
	((n) == sizeof(lit) - 1 && memcmp((k), (lit), sizeof(lit) - 1) == 0)

static int
begin_object(struct js *j)
{
	skip_ws(j);
	if (j->p >= j->end || *j->p != '{')
		return fail_here(j, "'{'");
	return enter(j);
}

static int
begin_array(struct js *j)
{
	skip_ws(j);
	if (j->p >= j->end || *j->p != '[')
		return fail_here(j, "'['");
	return enter(j);
}

static int
not_jetsam(struct js *j, const char *why)
{
	return jt_parse_fail(j->ps, JT_ENOTJETSAM, off(j),
			     "not a JetsamEvent report (%s)", why);
}

static int
read_memory_pages(struct js *j)
{
	struct jt_report *r = j->ps->r;
	const unsigned char *k;
	size_t n;
	int first = 1, rc;

	if (!at(j, '{'))
		return skip_value(j);
	if (begin_object(j) < 0)
		return -1;
	while ((rc = next_member(j, &first, &k, &n)) == 1) {
		int64_t *dst = NULL;

		if (KEY_IS(k, n, "active"))
			dst = &r->active_pages;
		else if (KEY_IS(k, n, "inactive"))
			dst = &r->inactive_pages;
		else if (KEY_IS(k, n, "free"))
			dst = &r->free_pages;
		else if (KEY_IS(k, n, "speculative"))
			dst = &r->speculative_pages;
		else if (KEY_IS(k, n, "throttled"))
			dst = &r->throttled_pages;
		else if (KEY_IS(k, n, "wired"))
			dst = &r->wired_pages;
		else if (KEY_IS(k, n, "fileBacked"))
			dst = &r->file_backed_pages;
		else if (KEY_IS(k, n, "anonymous"))
			dst = &r->anonymous_pages;
		else if (KEY_IS(k, n, "purgeable"))
			dst = &r->purgeable_pages;
		if ((dst ? get_int(j, dst, k, n) : skip_value(j)) < 0)
			return -1;
	}
	return rc;
}

static int
read_memory_status(struct js *j)
{
	struct jt_report *r = j->ps->r;
	const unsigned char *k;
	size_t n;
	int first = 1, rc;
	const char *saved = j->what;

	if (!at(j, '{'))
		return skip_value(j);
	if (begin_object(j) < 0)
		return -1;
	j->what = "memoryStatus";
	while ((rc = next_member(j, &first, &k, &n)) == 1) {
		int64_t *dst = NULL;

		if (KEY_IS(k, n, "pageSize")) {
			const unsigned char *v = j->p;

			if (get_int(j, &r->page_size_stated, k, n) < 0)
				return -1;
			jt_parse_page_size_raw(j->ps, (const char *)v,
					       (size_t)(j->p - v));
			continue;
		} else if (KEY_IS(k, n, "compressorSize"))
			dst = &r->compressor_pages;
		else if (KEY_IS(k, n, "compressions"))
			dst = &r->compressions;
		else if (KEY_IS(k, n, "decompressions"))
			dst = &r->decompressions;
		else if (KEY_IS(k, n, "uncompressed"))
			dst = &r->uncompressed_pages;
		else if (KEY_IS(k, n, "zoneMapSize"))
			dst = &r->zone_map_size_bytes;
		else if (KEY_IS(k, n, "zoneMapCap"))
			dst = &r->zone_map_cap_bytes;
		else if (KEY_IS(k, n, "largestZoneSize"))
			dst = &r->largest_zone_size_bytes;
		else if (KEY_IS(k, n, "largestZone")) {
			if (get_str(j, &r->largest_zone) < 0)
				return -1;
			continue;
		} else if (KEY_IS(k, n, "memoryPages")) {
			j->what = "memoryStatus.memoryPages";
			if (read_memory_pages(j) < 0)
				return -1;
			j->what = "memoryStatus";
			continue;
		} else if (KEY_IS(k, n, "busyBufferCount") ||
			   KEY_IS(k, n, "memoryPressure")) {
			return not_jetsam(j,
					  "stackshot report: memoryStatus "
					  "has busyBufferCount");
		}
		if ((dst ? get_int(j, dst, k, n) : skip_value(j)) < 0)
			return -1;
	}
	j->what = saved;
	return rc;
}

static int
read_states(struct js *j, struct jt_process *p)
{
	char *v[64];
	size_t nv = 0;
	int first = 1, rc;

	if (!at(j, '['))
		return skip_value(j);
	if (begin_array(j) < 0)
		return -1;
	while ((rc = next_element(j, &first)) == 1) {
		char *s = NULL;

		if (get_str(j, &s) < 0)
			return -1;
		/* More than 64 states is not a real report: keep 64. */
		if (s != NULL && nv < sizeof(v) / sizeof(v[0]))
			v[nv++] = s;
	}
	if (rc < 0)
		return -1;
	if (jt_parse_set_states(j->ps, p, v, nv) < 0)
		return jt_parse_oom(j->ps, off(j));
	return 0;
}

static int
read_physical_pages(struct js *j, struct jt_process *p)
{
	const unsigned char *k;
	size_t n;
	int first = 1, rc;

	if (!at(j, '{'))
		return skip_value(j);
	if (begin_object(j) < 0)
		return -1;
	while ((rc = next_member(j, &first, &k, &n)) == 1) {
		if (KEY_IS(k, n, "internal") && at(j, '[')) {
			int f2 = 1, i = 0, rc2;

			if (begin_array(j) < 0)
				return -1;
			while ((rc2 = next_element(j, &f2)) == 1) {
				int64_t v = -1;

				if (get_int(j, &v, k, n) < 0)
					return -1;
				if (i < 2)
					p->physical_internal_pages[i++] = v;
			}
			if (rc2 < 0)
				return -1;
		} else if (KEY_IS(k, n, "frozen_to_swap_pages")) {
			if (get_int(j, &p->frozen_to_swap_pages, k, n) < 0)
				return -1;
		} else if (skip_value(j) < 0) {
			return -1;
		}
	}
	return rc;
}

static int
read_process(struct js *j)
{
	struct jt_process p;
	const unsigned char *k;
	size_t n;
	int first = 1, rc;

	jt_process_init(&p);
	if (!at(j, '{'))
		return skip_value(j);
	if (begin_object(j) < 0)
		return -1;
	while ((rc = next_member(j, &first, &k, &n)) == 1) {
		int64_t *ip = NULL;
		char **sp = NULL;

		switch (n) {
		case 3:
			if (KEY_IS(k, n, "pid"))
				ip = &p.pid;
			else if (KEY_IS(k, n, "age"))
				ip = &p.age_ticks;
			else if (KEY_IS(k, n, "fds"))
				ip = &p.fds;
			break;
		case 4:
			if (KEY_IS(k, n, "name"))
				sp = &p.name;
			else if (KEY_IS(k, n, "uuid"))
				sp = &p.uuid;
			break;
		case 6:
			if (KEY_IS(k, n, "rpages"))
				ip = &p.rpages;
			else if (KEY_IS(k, n, "reason"))
				sp = &p.reason;
			else if (KEY_IS(k, n, "states")) {
				if (read_states(j, &p) < 0)
					return -1;
				continue;
			}
			break;
		default:
			if (KEY_IS(k, n, "lifetimeMax"))
				ip = &p.lifetime_max_pages;
			else if (KEY_IS(k, n, "purgeable"))
				ip = &p.purgeable_pages;
			else if (KEY_IS(k, n, "priority"))
				ip = &p.priority;
			else if (KEY_IS(k, n, "coalition"))
				ip = &p.coalition;
			else if (KEY_IS(k, n, "idleDelta"))
				ip = &p.idle_delta_ticks;
			else if (KEY_IS(k, n, "killDelta"))
				ip = &p.kill_delta_ticks;
			else if (KEY_IS(k, n, "genCount"))
				ip = &p.gen_count;
			else if (KEY_IS(k, n, "csFlags"))
				ip = &p.cs_flags;
			else if (KEY_IS(k, n, "csTrustLevel"))
				ip = &p.cs_trust_level;
			else if (KEY_IS(k, n, "mem_regions"))
				ip = &p.mem_regions;
			else if (KEY_IS(k, n, "freeze_skip_reason:") ||
				 KEY_IS(k, n, "freeze_skip_reason"))
				sp = &p.freeze_skip_reason;
			else if (KEY_IS(k, n, "physicalPages")) {
				if (read_physical_pages(j, &p) < 0)
					return -1;
				continue;
			}
			break;
		}
		if (ip)
			rc = get_int(j, ip, k, n);
		else if (sp)
			rc = get_str(j, sp);
		else
			rc = skip_value(j);
		if (rc < 0)
			return -1;
	}
	if (rc < 0)
		return -1;
	if (jt_parse_add_process(j->ps, &p) < 0)
		return jt_parse_oom(j->ps, off(j));
	return 0;
}

static int
read_processes(struct js *j)
{
	int first = 1, rc;
	const char *saved = j->what;

	if (!at(j, '['))
		return skip_value(j);
	if (begin_array(j) < 0)
		return -1;
	while ((rc = next_element(j, &first)) == 1) {
		j->what = "processes";
		if (read_process(j) < 0)
			return -1;
	}
	j->what = saved;
	return rc;
}

/*
 * read_top - one top-level object: the header or the body (the same key
 * reader serves both, since truncated copies start with the body and the
 * iOS 18 body repeats bug_type).
 */
static int
read_top(struct js *j)
{
	struct jt_report *r = j->ps->r;
	const unsigned char *k;
	size_t n;
	int first = 1, rc;

	if (begin_object(j) < 0)
		return -1;
	while ((rc = next_member(j, &first, &k, &n)) == 1) {
		char **sp = NULL;
		int64_t *ip = NULL;
		int body = 1;

		if (KEY_IS(k, n, "bug_type")) {
			sp = &j->bug_type;
			body = 0;
		} else if (KEY_IS(k, n, "timestamp")) {
			sp = &r->timestamp;
			body = 0;
		} else if (KEY_IS(k, n, "os_version")) {
			sp = &r->os_version;
			body = 0;
		} else if (KEY_IS(k, n, "incident_id")) {
			sp = &r->incident_id;
			body = 0;
		} else if (KEY_IS(k, n, "product"))
			sp = &r->product;
		else if (KEY_IS(k, n, "build"))
			sp = &r->build;
		else if (KEY_IS(k, n, "kernel"))
			sp = &r->kernel;
		else if (KEY_IS(k, n, "date"))
			sp = &r->date;
		else if (KEY_IS(k, n, "incident"))
			sp = &r->body_incident;
		else if (KEY_IS(k, n, "crashReporterKey"))
			sp = &r->crash_reporter_key;
		else if (KEY_IS(k, n, "largestProcess"))
			sp = &r->largest_process;
		else if (KEY_IS(k, n, "timeDelta"))
			ip = &r->time_delta_ms;
		else if (KEY_IS(k, n, "genCounter"))
			ip = &r->gen_counter;
		else if (KEY_IS(k, n, "memoryStatus")) {
			j->saw_body = 1;
			if (read_memory_status(j) < 0)
				return -1;
			continue;
		} else if (KEY_IS(k, n, "processes")) {
			j->saw_body = 1;
			if (read_processes(j) < 0)
				return -1;
			continue;
		} else if (KEY_IS(k, n, "processByPid") ||
			   KEY_IS(k, n, "exception") ||
			   KEY_IS(k, n, "frontmostPids")) {
			return not_jetsam(j, "stackshot report");
		} else {
			body = 0;
		}
		if (body)
			j->saw_body = 1;
		if (ip)
			rc = get_int(j, ip, k, n);
		else if (sp)
			rc = get_str(j, sp);
		else
			rc = skip_value(j);
		if (rc < 0)
			return -1;
	}
	return rc;
}

int
jt_json_read(struct jt_parse *ps, size_t *text_off)
{
	struct js j;
	struct jt_report *r = ps->r;
	char *header_bug_type = NULL;

	memset(&j, 0, sizeof(j));
	j.ps = ps;
	j.base = (const unsigned char *)ps->buf;
	j.end = j.base + ps->len;
	j.p = j.base;
	skip_ws(&j);
	j.what = "the report";
	if (read_top(&j) < 0)
		return -1;
	if (!j.saw_body) {
		/* That was the header. */
		header_bug_type = j.bug_type;
		j.bug_type = NULL;
		if (header_bug_type == NULL)
			return not_jetsam(&j,
					  "no bug_type in its first "
					  "JSON object");
		r->bug_type = header_bug_type;
		if (strcmp(header_bug_type, "198") == 0) {
			skip_ws(&j);
			*text_off = off(&j);
			return JT_JSON_TEXT_FOLLOWS;
		}
		if (strcmp(header_bug_type, "298") != 0) {
			char why[64];

			snprintf(why, sizeof(why), "bug_type %.40s",
				 header_bug_type);
			j.p = j.base;
			return not_jetsam(&j, why);
		}
		skip_ws(&j);
		if (j.p >= j.end)
			return jt_parse_fail(ps, JT_ETRUNCATED, off(&j),
					     "report ends after its header");
		j.what = "the report body";
		if (*j.p != '{')
			return fail_here(&j, "the report body ('{')");
		if (read_top(&j) < 0)
			return -1;
		r->body_bug_type = j.bug_type;
	} else {
		/* No header: a truncated copy that starts with the body. */
		r->body_bug_type = j.bug_type;
		if (j.bug_type != NULL && strcmp(j.bug_type, "298") != 0) {
			char why[64];

			snprintf(why, sizeof(why), "bug_type %.40s",
				 j.bug_type);
			j.p = j.base;
			return not_jetsam(&j, why);
		}
	}
	skip_ws(&j);
	if (j.p < j.end)
		return jt_parse_fail(ps, JT_EPARSE, off(&j),
				     "unexpected data after the report body");
	return 0;
}

int
jt_json_read_process(struct jt_parse *ps, size_t at, size_t *next)
{
	struct jt_parse sub = *ps;
	struct jt_report *r = ps->r;
	size_t before = r->nprocesses;
	struct js j;
	int rc;

	/* The attempt may fail: its error and notes stay in sub. */
	sub.failed = 0;
	sub.noted = 1;
	memset(&j, 0, sizeof(j));
	j.ps = &sub;
	j.base = (const unsigned char *)ps->buf;
	j.p = j.base + at;
	j.end = j.base + ps->len;
	j.what = "processes";
	rc = read_process(&j);
	ps->cap_processes = sub.cap_processes;
	if (rc < 0)
		return sub.code == JT_ENOMEM ? -1 : 0;
	if (r->nprocesses == before)
		return 0;
	if (r->processes[before].name == NULL ||
	    (r->processes[before].pid < 0 && r->processes[before].rpages < 0)) {
		r->nprocesses = before; /* an object, but not a process */
		return 0;
	}
	*next = off(&j);
	return 1;
}
