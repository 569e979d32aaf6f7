/*
 * procstatus.h - the Linux footprint, from the text of /proc/<pid>/status
 *
 * The probe reads its own status and the local supervisor reads the
 * probe's: both must judge the same number, so the definition lives here,
 * once.  Pure text parsing, libc only, built on every OS.
 */
#ifndef JT_PROCSTATUS_H
#define JT_PROCSTATUS_H

#include <stdint.h>

/*
 * jt_procstatus_footprint - RssAnon + VmSwap + VmPTE in bytes from the
 * NUL-terminated text of a /proc status file (borrowed): private anonymous
 * memory, resident or swapped, plus the page tables that map it, which is
 * what phys_footprint counts.  -1 when RssAnon is missing (a zombie, or not
 * Linux).
 */
int64_t jt_procstatus_footprint(const char *status_text);

#endif
