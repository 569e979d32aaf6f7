/*
 * text.c - escaping untrusted text for a terminal
 *
 * One scanner decides, character by character, what may pass: valid UTF-8
 * that is not a control character.  Overlong forms, surrogates and code
 * points above U+10FFFF are not valid UTF-8 and are escaped byte by byte,
 * so a terminal that decodes leniently cannot be fed a control character
 * in disguise (an overlong ESC is C0 9B, an 8-bit CSI).
 */
#include "text.h"

#include <stdlib.h>
#include <string.h>

/*
 * utf8_char - the length (1..4) of the valid UTF-8 character at p, with its
 * code point in *cp; 0 when p does not start one.  p is NUL-terminated, so
 * a sequence cut by the terminator is invalid without reading past it.
 */
static size_t
utf8_char(const unsigned char *p, unsigned long *cp)
{
	unsigned long c = p[0], min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static int
is_control(unsigned long cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

int
jt_text_is_plain(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		unsigned long cp;
		size_t n = utf8_char(p, &cp);

		if (n == 0 || is_control(cp))
			return 0;
		p += n;
	}
	return 1;
}

/*
 * piece - the escaped form of the character at p into out (room for 16
 * bytes); *used gets how many bytes of p it covers.  Returns its length.
 */
static size_t
piece(const unsigned char *p, char *out, size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	unsigned long cp;
	size_t n = utf8_char(p, &cp), len = 0, i;

	if (n > 0 && !is_control(cp) && cp != '\\') {
		memcpy(out, p, n);
		*used = n;
		return n;
	}
	if (n == 1 && cp == '\\') {
		out[0] = out[1] = '\\';
		*used = 1;
		return 2;
	}
	if (n == 0)
		n = 1; /* an invalid byte: on to the next one */
	for (i = 0; i < n; i++) {
		out[len++] = '\\';
		out[len++] = 'x';
		out[len++] = hex[p[i] >> 4];
		out[len++] = hex[p[i] & 0xf];
	}
	*used = n;
	return len;
}

const char *
jt_text_escape(char *buf, size_t size, const char *s)
{
	const unsigned char *start = (const unsigned char *)(s ? s : "(null)");
	const unsigned char *p;
	size_t total = 0, out = 0, room;
	char tmp[16];

	if (size == 0)
		return buf;
	for (p = start; *p != '\0';) {
		size_t used;

		total += piece(p, tmp, &used);
		p += used;
	}
	/* all of it, or as much as leaves room for "..." */
	room = total < size ? size - 1 : (size > 4 ? size - 4 : 0);
	for (p = start; *p != '\0';) {
		size_t used, len = piece(p, tmp, &used);

		if (out + len > room)
			break;
		memcpy(buf + out, tmp, len);
		out += len;
		p += used;
	}
	if (total >= size && size > 4) {
		memcpy(buf + out, "...", 3);
		out += 3;
	}
	buf[out] = '\0';
	return buf;
}

char *
jt_text_dup(const char *s, int *bad)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL && bad != NULL)
		*bad = 1;
	return d;
}
