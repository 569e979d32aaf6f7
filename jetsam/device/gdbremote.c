/*
 * gdbremote.c - GDB remote packets: framing, hex, and a byte-wise reader
 *
 * Only what launching an app needs: plain packets (no binary escapes, no
 * run-length encoding, which debugserver uses only when asked to), and a
 * reader that resynchronises on '$' so that a lost byte costs one packet,
 * never the alignment of every later reply.
 */
#include "gdbremote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jetsam/core/text.h"

enum { ST_IDLE, ST_PAYLOAD, ST_SUM };

unsigned
jt_gdb_checksum(const char *p, size_t n)
{
	unsigned sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += (unsigned char)p[i];
	return sum & 0xff;
}

char *
jt_gdb_frame(const char *payload, size_t *len, struct jt_error *err)
{
	size_t n = strlen(payload);
	char *out;

	if (strpbrk(payload, "$#}") != NULL) {
		jt_error_set_in(err, JT_EINVAL, NULL,
				"a debugserver packet may not hold '$', '#' "
				"or '}'");
		return NULL;
	}
	out = malloc(n + 5);
	if (out == NULL) {
		jt_error_oom(err, NULL);
		return NULL;
	}
	snprintf(out, n + 5, "$%s#%02x", payload, jt_gdb_checksum(payload, n));
	if (len != NULL)
		*len = n + 4;
	return out;
}

char *
jt_gdb_hex(const char *s, struct jt_error *err)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t n = strlen(s), i;
	char *out = malloc(2 * n + 1);

	if (out == NULL) {
		jt_error_oom(err, NULL);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		out[2 * i] = digits[(unsigned char)s[i] >> 4];
		out[2 * i + 1] = digits[(unsigned char)s[i] & 0xf];
	}
	out[2 * n] = '\0';
	return out;
}

char *
jt_gdb_argv_packet(const char *const *argv, size_t argc, struct jt_error *err)
{
	size_t cap = 2, i, off;
	char *out;

	if (argc < 1) {
		jt_error_set_in(err, JT_EINVAL, NULL,
				"a launch needs the executable's path");
		return NULL;
	}
	/* ",<len>,<i>," is at most 2 * 20 + 3 bytes, plus the hex */
	for (i = 0; i < argc; i++)
		cap += 48 + 2 * strlen(argv[i]);
	out = malloc(cap);
	if (out == NULL) {
		jt_error_oom(err, NULL);
		return NULL;
	}
	out[0] = 'A';
	off = 1;
	for (i = 0; i < argc; i++) {
		char *hex = jt_gdb_hex(argv[i], err);

		if (hex == NULL) {
			free(out);
			return NULL;
		}
		off += (size_t)snprintf(out + off, cap - off, "%s%zu,%zu,%s",
					i > 0 ? "," : "", strlen(hex), i, hex);
		free(hex);
	}
	return out;
}

void
jt_gdb_reader_init(struct jt_gdb_reader *r)
{
	memset(r, 0, sizeof(*r));
	r->state = ST_IDLE;
}

enum jt_gdb_event
jt_gdb_reader_feed(struct jt_gdb_reader *r, char c)
{
	if (c == '$') {
		/* a new packet, even inside one: resynchronise */
		r->state = ST_PAYLOAD;
		r->len = 0;
		r->sum = 0;
		r->ncs = 0;
		r->overflow = 0;
		return JT_GDB_NONE;
	}
	switch (r->state) {
	case ST_IDLE:
		if (c == '+')
			return JT_GDB_ACK;
		if (c == '-')
			return JT_GDB_NAK;
		return JT_GDB_NONE;
	case ST_PAYLOAD:
		if (c == '#') {
			r->state = ST_SUM;
			return JT_GDB_NONE;
		}
		r->sum += (unsigned char)c;
		if (r->len < JT_GDB_REPLY_MAX)
			r->payload[r->len++] = c;
		else
			r->overflow = 1;
		return JT_GDB_NONE;
	default:
		r->cs[r->ncs++] = jt_hex_digit((unsigned char)c);
		if (r->ncs < 2)
			return JT_GDB_NONE;
		r->state = ST_IDLE;
		r->payload[r->len] = '\0';
		if (r->overflow)
			return JT_GDB_TOOLONG;
		if (r->cs[0] < 0 || r->cs[1] < 0 ||
		    (unsigned)(r->cs[0] << 4 | r->cs[1]) != (r->sum & 0xff))
			return JT_GDB_BADSUM;
		return JT_GDB_PACKET;
	}
}

int
jt_gdb_reply_error(const char *reply, char *buf, size_t n)
{
	if (reply == NULL || reply[0] != 'E')
		return 0;
	jt_text_escape(buf, n, reply + 1);
	return 1;
}
