/*
 * syslogline.h - reading an iPhone's syslog_relay stream, pure logic
 *
 * The relay sends records "Mon dd HH:MM:SS Host Proc(Lib)[pid] <Level>:
 * msg" ended by "\n" and a NUL, in reads of any size.  These functions cut
 * the stream into records, take a record apart, find the probe's marker
 * and recognise the kernel's kill lines.  No I/O, so every case is a unit
 * test (tests/check_syslogline.c).
 */
#ifndef JT_SYSLOGLINE_H
#define JT_SYSLOGLINE_H

#include <stddef.h>
#include <stdint.h>

#include "jetsam/core/error.h"

/* Records longer than this are cut and flagged, never buffered forever. */
#define JT_SYSLOG_MAX_RECORD 65536

struct jt_syslog_splitter {
	char *buf; /* the partial record carried over between reads */
	size_t len;
	size_t cap;
	int overlong; /* the current record passed JT_SYSLOG_MAX_RECORD */
};

/* jt_syslog_record_cb - called once per whole record (borrowed text). */
typedef int (*jt_syslog_record_cb)(const char *rec, size_t len, int cut,
				   void *ud);

/* jt_syslog_splitter_init / _release - caller-owned state. */
void jt_syslog_splitter_init(struct jt_syslog_splitter *sp);
void jt_syslog_splitter_release(struct jt_syslog_splitter *sp);

/*
 * jt_syslog_feed - split n bytes of stream into records, calling cb for
 * each complete one (empty records skipped; cut is 1 when the record was
 * longer than JT_SYSLOG_MAX_RECORD and lost its tail).  A record split
 * across reads is kept until its end arrives.  Returns 0, -1 with JT_ENOMEM,
 * or the first non-zero value cb returned (feeding stops there).
 */
int jt_syslog_feed(struct jt_syslog_splitter *sp, const char *data, size_t n,
		   jt_syslog_record_cb cb, void *ud, struct jt_error *err);

/* jt_syslog_pending - bytes of an unfinished record held (a torn tail). */
size_t jt_syslog_pending(const struct jt_syslog_splitter *sp);

struct jt_syslog_record {
	char process[64]; /* "JetsamProbe" (the "(Lib)" part dropped) */
	long pid;
	char level[16];  /* "Notice" */
	const char *msg; /* points into the record */
	size_t msg_len;
};

/*
 * jt_syslog_record_parse - take rec apart.  Returns 0, or -1 when rec is
 * not in the relay's record form or holds a NUL (then out is
 * unspecified).
 */
int jt_syslog_record_parse(const char *rec, size_t len,
			   struct jt_syslog_record *out);

/*
 * jt_syslog_marker - the text after the first occurrence of marker in
 * msg (borrowed, *plen bytes, trailing blanks trimmed), or NULL.
 */
const char *jt_syslog_marker(const char *msg, size_t len, const char *marker,
			     size_t *plen);

enum jt_kill_line_kind {
	JT_KILL_LINE_EXCEEDED, /* "... exceeded mem limit: ActiveHard N MB" */
	JT_KILL_LINE_KILLING   /* "killing_specific_process pid N [name]" */
};

struct jt_kill_line {
	enum jt_kill_line_kind kind;
	long pid;
	char name[64];           /* cut to fit; the kernel's is 32 at most */
	int64_t limit_bytes;     /* EXCEEDED: N MB in bytes; else -1 */
	int fatal;               /* EXCEEDED: "(fatal)", or a Hard limit */
	char limit_kind[32];     /* EXCEEDED: "ActiveHard", ... */
	char reason[64];         /* KILLING: "per-process-limit"; else "" */
	int priority;            /* KILLING: the jetsam band; else -1 */
	int64_t band_s;          /* KILLING: seconds in that band (newer), -1 */
	int64_t footprint_bytes; /* KILLING: the "NKB" figure; else -1 */
	int64_t available_pages; /* KILLING: memorystatus_available_pages, -1 */
};

/*
 * jt_syslog_kill_parse - recognise the kernel's memorystatus lines about
 * a process in a record's message, in the forms XNU's format strings
 * (bsd/kern/kern_memorystatus.c) have had:
 *
 *   EXC_RESOURCE -> NAME[PID] exceeded mem limit: KIND N MB (fatal)
 *                                          (xnu-4570..11215, iOS 11-18.3)
 *   memorystatus: NAME [PID] exceeded mem limit: KIND N MB (non-fatal)
 *                                          (xnu-11417 on, iOS 18.4 on)
 *   process PID (NAME) exceeded physical memory footprint, the
 *       KINDMemoryLimit of N MB            (xnu-3789, iOS 10)
 *   [UPTIME ]memorystatus: killing_specific_process pid PID [NAME]
 *       (REASON PRIO[ Ns rf:F[ type:T]])[ NKB] - memorystatus_available_pages:
 * N [UPTIME ]memorystatus: specifically killing pid PID [NAME] (REASON PRIO)
 *
 * KIND is Active or Inactive, then Hard or Soft.  Returns 1 and fills out,
 * or 0 when msg is none of them or holds a NUL (out is then unspecified).
 */
int jt_syslog_kill_parse(const char *msg, size_t len, struct jt_kill_line *out);

#endif
