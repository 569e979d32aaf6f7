/*
 * text.h - text from a device or a file, made safe to show on a terminal
 *
 * A phone's name, a crash report's file name or a process name is chosen
 * by whoever controls the phone or wrote the file.  Printed raw, ESC and
 * BEL retitle or reprogram the terminal, CR hides what came before it, and
 * a newline forges a line of output.  Every such string passes through
 * jt_text_escape before it reaches a diagnostic.
 */
#ifndef JT_TEXT_H
#define JT_TEXT_H

#include <stddef.h>

/*
 * jt_hex_digit - the value of the hex digit c (0-9, a-f, A-F), or -1.
 * Inline: the report parser calls it per byte of a JSON unicode escape.
 */
static inline int
jt_hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * jt_text_escape - s (NUL-terminated, borrowed; NULL shows as "(null)")
 * escaped into buf of size bytes (size >= 8; always NUL-terminated).
 * Control characters (bytes below 0x20, DEL, and the C1 controls
 * U+0080..U+009F), bytes that are not part of valid UTF-8, and the
 * backslash itself are written as \xNN (the backslash as \\), so the
 * result is unambiguous; everything else, including valid multi-byte
 * UTF-8, passes unchanged.  A result that does not fit is cut at a
 * character boundary and ends in "...".  Returns buf.
 */
const char *jt_text_escape(char *buf, size_t size, const char *s);

/*
 * jt_text_is_plain - 1 when s (NUL-terminated) is valid UTF-8 with no
 * control character (the characters jt_text_escape would write as \xNN;
 * a backslash is allowed), else 0.
 */
int jt_text_is_plain(const char *s);

/*
 * jt_text_dup - a new copy of s (NULL stays NULL).  Out of memory it
 * returns NULL and sets *bad to 1 (bad may be NULL), so a caller can copy
 * several fields and check once.
 */
char *jt_text_dup(const char *s, int *bad);

#endif
