/*
 * procstatus.c - the Linux footprint from /proc/<pid>/status text
 *
 * /proc/<pid>/status is a constant-time read (smaps_rollup walks every
 * mapping), which matters to a supervisor polling at 200 Hz.
 */
#include "procstatus.h"

#include <stdlib.h>
#include <string.h>

/* status_kb - the value in kB of "key:" at the start of a line, or -1. */
static int64_t
status_kb(const char *text, const char *key)
{
	size_t n = strlen(key);
	const char *p = text;

	while ((p = strstr(p, key)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == ':')
			return strtoll(p + n + 1, NULL, 10);
		p += n;
	}
	return -1;
}

int64_t
jt_procstatus_footprint(const char *status_text)
{
	int64_t anon = status_kb(status_text, "RssAnon");
	int64_t swap = status_kb(status_text, "VmSwap");
	int64_t pte = status_kb(status_text, "VmPTE");

	if (anon < 0)
		return -1;
	return (anon + (swap > 0 ? swap : 0) + (pte > 0 ? pte : 0)) * 1024;
}
