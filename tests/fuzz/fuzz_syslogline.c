/*
 * fuzz_syslogline.c - libFuzzer target over the syslog_relay stream reader
 * and the kernel kill-line parser (jetsam/device/syslogline.c), and the
 * capture state machine above them (jetsam/device/capture.c)
 *
 * The bytes are a stream as a phone would send it.  Every input must come
 * back without a crash, a leak or undefined behaviour (ASan, UBSan), and:
 *   - the splitter gives the same records, in the same order, whether the
 *     stream arrives in one read or cut into reads of any size (the first
 *     byte chooses the cut);
 *   - no record is longer than JT_SYSLOG_MAX_RECORD, and only a cut one
 *     is flagged;
 *   - a recognised kill line is consistent: a pid >= 0, names that are
 *     NUL-terminated within their arrays, a limit that is a whole number
 *     of MB of a known kind, a reason, sizes that are -1 or >= 0.
 * The kill-line parser also gets the raw bytes, so mutations reach it
 * without the record framing.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jetsam/device/capture.h"
#include "jetsam/device/syslogline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_kill(const char *msg, size_t len)
{
	struct jt_kill_line k;

	if (!jt_syslog_kill_parse(msg, len, &k))
		return;
	if (k.pid < 0 || memchr(k.name, '\0', sizeof(k.name)) == NULL ||
	    memchr(k.reason, '\0', sizeof(k.reason)) == NULL ||
	    memchr(k.limit_kind, '\0', sizeof(k.limit_kind)) == NULL)
		abort();
	if (k.kind == JT_KILL_LINE_EXCEEDED) {
		if (k.limit_bytes < 0 || k.limit_bytes % 1048576 != 0 ||
		    (strcmp(k.limit_kind, "ActiveHard") != 0 &&
		     strcmp(k.limit_kind, "ActiveSoft") != 0 &&
		     strcmp(k.limit_kind, "InactiveHard") != 0 &&
		     strcmp(k.limit_kind, "InactiveSoft") != 0) ||
		    k.reason[0] != '\0' || k.footprint_bytes != -1)
			abort();
	} else if (k.kind == JT_KILL_LINE_KILLING) {
		if (k.reason[0] == '\0' || k.limit_bytes != -1 ||
		    (k.footprint_bytes < -1) ||
		    (k.footprint_bytes > 0 && k.footprint_bytes % 1024 != 0) ||
		    k.band_s < -1 || k.available_pages < -1)
			abort();
	} else {
		abort();
	}
}

/* A running digest of the records seen, to compare two splittings. */
struct digest {
	uint64_t h;
	size_t n;
};

static int
on_record(const char *rec, size_t len, int cut, void *ud)
{
	struct digest *d = ud;
	struct jt_syslog_record r;
	size_t i, plen;

	if (len == 0 || len > JT_SYSLOG_MAX_RECORD ||
	    (cut && len != JT_SYSLOG_MAX_RECORD))
		abort();
	d->h ^= (uint64_t)len * 0x9e3779b97f4a7c15ULL + (uint64_t)cut;
	for (i = 0; i < len; i++)
		d->h = (d->h ^ (unsigned char)rec[i]) * 0x100000001b3ULL;
	d->n++;
	if (jt_syslog_record_parse(rec, len, &r) == 0) {
		if (r.msg < rec || r.msg + r.msg_len > rec + len ||
		    memchr(r.process, '\0', sizeof(r.process)) == NULL ||
		    memchr(r.level, '\0', sizeof(r.level)) == NULL || r.pid < 0)
			abort();
		if (jt_syslog_marker(r.msg, r.msg_len, JT_CAPTURE_MARKER,
				     &plen) != NULL &&
		    plen > r.msg_len)
			abort();
		check_kill(r.msg, r.msg_len);
	}
	return 0;
}

static struct digest
split(const char *data, size_t size, size_t step)
{
	struct jt_syslog_splitter sp;
	struct digest d = {0xcbf29ce484222325ULL, 0};
	size_t off;

	jt_syslog_splitter_init(&sp);
	for (off = 0; off < size; off += step)
		if (jt_syslog_feed(&sp, data + off,
				   size - off < step ? size - off : step,
				   on_record, &d, NULL) != 0)
			abort();
	if (jt_syslog_pending(&sp) > JT_SYSLOG_MAX_RECORD)
		abort();
	jt_syslog_splitter_release(&sp);
	return d;
}

static int devnull = -1;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct digest whole, cut;
	struct jt_capture c;
	size_t step;

	if (size == 0)
		return 0;
	step = (size_t)data[0] % 17 + 1;
	s++;
	size--;
	check_kill(s, size);
	whole = split(s, size, size > 0 ? size : 1);
	cut = split(s, size, step);
	if (whole.n != cut.n || whole.h != cut.h)
		abort();
	/* the capture over the same stream, in the same reads */
	if (devnull < 0)
		devnull = open("/dev/null", O_WRONLY);
	jt_capture_init(&c, devnull, NULL, 0);
	if (jt_capture_feed(&c, s, size, 1, NULL) == 0)
		(void)jt_capture_check(&c, 2);
	if (c.kernel_limit_bytes < -1 || c.kill_footprint_bytes < -1)
		abort();
	jt_capture_release(&c);
	return 0;
}
