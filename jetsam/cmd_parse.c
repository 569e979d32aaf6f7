/*
 * cmd_parse.c - jetsam parse (not written yet: see the open issue)
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

int
jt_cmd_parse(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		puts("usage: jetsam parse [-f table|csv|json|jsonl] [--process NAME] [--reason R] [--killed-only|--all-processes] [--top N] PATH...\n\nNot implemented yet.");
		return JT_EXIT_OK;
	}
	jt_warn("not implemented yet");
	return JT_EXIT_FAIL;
}
