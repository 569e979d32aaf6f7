/*
 * cmd_devrun.c - jetsam run -u UDID: a device lab run (not written yet:
 * see the open device issue)
 */
#include "cmd.h"

int
jt_cmd_run_device(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	jt_warn("device runs are not implemented yet");
	return JT_EXIT_FAIL;
}
