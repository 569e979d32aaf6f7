/*
 * cmd_capture.c - jetsam capture (not written yet: see the open issue)
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

int
jt_cmd_capture(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		puts("usage: jetsam capture [-u UDID] [--marker STR] [--timeout S] -o FILE\n\nNot implemented yet.");
		return JT_EXIT_OK;
	}
	jt_warn("not implemented yet");
	return JT_EXIT_FAIL;
}
