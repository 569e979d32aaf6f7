/*
 * gdbremote.h - the GDB remote serial protocol, as debugserver speaks it
 *
 * A phone's debugserver (com.apple.debugserver) launches an app when it is
 * sent GDB remote packets: "$payload#cs", cs the two hex digits of the sum
 * of the payload's bytes mod 256, each packet acknowledged with '+' (or
 * '-' to ask for it again).  jetsam/device/device.c frames and reads the
 * packets with these functions over a plain service connection, not with
 * libimobiledevice 1.3.0's debugserver client: its receive_response gives
 * up on a reply that takes more than a second (an app launch often does)
 * and leaves it in the stream as the answer to the next packet, it never
 * returns when the connection closes inside a packet, and its
 * debugserver_client_new turns off the TLS that iOS 14 and later need.
 * Pure functions, no I/O, so they are tested without a device.
 */
#ifndef JT_GDBREMOTE_H
#define JT_GDBREMOTE_H

#include <stddef.h>

#include "jetsam/core/error.h"

/* The longest reply kept; debugserver's replies to what we send are
 * a few bytes ("OK", "E96", a stop reply). */
#define JT_GDB_REPLY_MAX 4096

/* jt_gdb_checksum - the sum of n bytes of p, mod 256. */
unsigned jt_gdb_checksum(const char *p, size_t n);

/*
 * jt_gdb_frame - "$" payload "#" and the checksum in two lower-case hex
 * digits, in a new string (free()); *len (NULL ok) its length.  NULL with
 * JT_ENOMEM, or JT_EINVAL for a payload holding '$', '#' or '}', which
 * would need escaping (nothing we send does).
 */
char *jt_gdb_frame(const char *payload, size_t *len, struct jt_error *err);

/* jt_gdb_hex - s hex-encoded (two upper-case digits a byte) in a new
 * string, as debugserver takes paths, variables and arguments; NULL with
 * JT_ENOMEM. */
char *jt_gdb_hex(const char *s, struct jt_error *err);

/*
 * jt_gdb_argv_packet - the 'A' packet that sets argv and launches:
 * "A" then, for each argument i, "<hex length>,<i>,<hex>" joined by ',',
 * lengths in decimal as libimobiledevice and lldb send them.  argc >= 1
 * (argv[0] is the executable's path on the device).  New string, or NULL
 * with JT_ENOMEM / JT_EINVAL (argc < 1).
 */
char *jt_gdb_argv_packet(const char *const *argv, size_t argc,
			 struct jt_error *err);

/* What one byte completed, for jt_gdb_reader_feed. */
enum jt_gdb_event {
	JT_GDB_NONE,    /* nothing yet */
	JT_GDB_ACK,     /* '+' between packets */
	JT_GDB_NAK,     /* '-': send the last packet again */
	JT_GDB_PACKET,  /* a packet with a good checksum: r->payload */
	JT_GDB_BADSUM,  /* a packet with a wrong checksum: answer '-' */
	JT_GDB_TOOLONG, /* a packet longer than JT_GDB_REPLY_MAX: dropped */
};

/* A reader of the stream from debugserver, byte by byte. */
struct jt_gdb_reader {
	int state; /* between packets, in a payload, in the checksum */
	char payload[JT_GDB_REPLY_MAX + 1]; /* NUL-terminated on PACKET */
	size_t len;
	unsigned sum;
	int cs[2];
	int ncs;
	int overflow;
};

/* jt_gdb_reader_init - a reader between packets. */
void jt_gdb_reader_init(struct jt_gdb_reader *r);

/*
 * jt_gdb_reader_feed - take one byte.  Bytes outside a packet other than
 * '+', '-' and '$' are skipped (a reply is never shifted by noise).
 */
enum jt_gdb_event jt_gdb_reader_feed(struct jt_gdb_reader *r, char c);

/*
 * jt_gdb_reply_error - when reply is an error ("E" and a number or a
 * message, as debugserver answers a launch that failed), its text after
 * the 'E' escaped for a terminal into buf (size n) and 1; 0 when it is
 * not an error.
 */
int jt_gdb_reply_error(const char *reply, char *buf, size_t n);

#endif
