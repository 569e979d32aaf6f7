/*
 * check_text.c - jetsam/core/text.h: escaping untrusted text for a terminal
 */
#include <check.h>
#include <string.h>

#include "jetsam/core/text.h"
#include "suite.h"

static const char *
esc(const char *s)
{
	static char buf[256];

	return jt_text_escape(buf, sizeof(buf), s);
}

START_TEST(plain_text_and_utf8_pass_unchanged)
{
	ck_assert_str_eq(esc("JetsamEvent-2020-10-15-172958.ips"),
			 "JetsamEvent-2020-10-15-172958.ips");
	ck_assert_str_eq(esc("Zoë’s iPhone 🍎"), "Zoë’s iPhone 🍎");
	ck_assert_str_eq(esc(""), "");
	ck_assert_str_eq(esc(NULL), "(null)");
}
END_TEST

START_TEST(control_characters_become_hex_escapes)
{
	/* a terminal title sequence, a forged line, a carriage return */
	ck_assert_str_eq(esc("\x1b]0;owned\a"), "\\x1b]0;owned\\x07");
	ck_assert_str_eq(esc("a\nb\rc\td"), "a\\x0ab\\x0dc\\x09d");
	ck_assert_str_eq(esc("del\x7f"), "del\\x7f");
	/* C1 controls in UTF-8: U+009B is an 8-bit CSI */
	ck_assert_str_eq(esc("\xc2\x9b"
			     "2J"),
			 "\\xc2\\x9b2J");
}
END_TEST

START_TEST(a_backslash_is_doubled_so_the_result_is_unambiguous)
{
	char a[16], b[16];

	ck_assert_str_eq(esc("a\\x1b"), "a\\\\x1b");
	/* the text "\x1b" and an ESC do not come out the same */
	jt_text_escape(a, sizeof(a), "\\x1b");
	jt_text_escape(b, sizeof(b), "\x1b");
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(invalid_utf8_is_escaped_byte_by_byte)
{
	/* a lone continuation byte, a raw 8-bit CSI, a cut sequence */
	ck_assert_str_eq(esc("a\x80z"), "a\\x80z");
	ck_assert_str_eq(esc("\x9b"), "\\x9b");
	ck_assert_str_eq(esc("\xe2\x82"), "\\xe2\\x82");
	/* overlong ESC (C0 9B) and an overlong '/' (C0 AF) */
	ck_assert_str_eq(esc("\xc0\x9b"), "\\xc0\\x9b");
	ck_assert_str_eq(esc("\xc0\xaf"), "\\xc0\\xaf");
	/* a UTF-16 surrogate and a code point above U+10FFFF */
	ck_assert_str_eq(esc("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	ck_assert_str_eq(esc("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
}
END_TEST

START_TEST(a_long_text_is_cut_at_a_character_and_marked)
{
	char big[5001], buf[32];
	size_t i;

	for (i = 0; i < 5000; i++)
		big[i] = 'A';
	big[5000] = '\0';
	jt_text_escape(buf, sizeof(buf), big);
	ck_assert_uint_eq(strlen(buf), sizeof(buf) - 1);
	ck_assert_str_eq(buf + sizeof(buf) - 4, "...");
	/* never half an escape or half a UTF-8 character */
	jt_text_escape(buf, 12, "\x1b\x1b\x1b");
	ck_assert_str_eq(buf, "\\x1b\\x1b...");
	jt_text_escape(buf, 12, "éééééééé");
	ck_assert_str_eq(buf, "éééé...");
	/* exactly fitting is not cut */
	jt_text_escape(buf, 8, "1234567");
	ck_assert_str_eq(buf, "1234567");
	jt_text_escape(buf, 8, "12345678");
	ck_assert_str_eq(buf, "1234...");
}
END_TEST

START_TEST(plain_means_utf8_without_controls)
{
	ck_assert(jt_text_is_plain("Lab iPhone"));
	ck_assert(jt_text_is_plain("Zoë’s iPhone \\ 🍎"));
	ck_assert(jt_text_is_plain(""));
	ck_assert(!jt_text_is_plain("Lab\niPhone"));
	ck_assert(!jt_text_is_plain("\x1b[2J"));
	ck_assert(!jt_text_is_plain("\xc2\x85"));
	ck_assert(!jt_text_is_plain("\xff"));
}
END_TEST

static Suite *
text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *t = tcase_create("escape");

	tcase_add_test(t, plain_text_and_utf8_pass_unchanged);
	tcase_add_test(t, control_characters_become_hex_escapes);
	tcase_add_test(t, a_backslash_is_doubled_so_the_result_is_unambiguous);
	tcase_add_test(t, invalid_utf8_is_escaped_byte_by_byte);
	tcase_add_test(t, a_long_text_is_cut_at_a_character_and_marked);
	tcase_add_test(t, plain_means_utf8_without_controls);
	suite_add_tcase(s, t);
	return s;
}

JT_CHECK_MAIN(text_suite)
