/*
 * main.c - jetsam-probe: the probe as a command
 *
 * Everything but argv and the exit status lives in probe.c, so the iOS app
 * shell can run the same code with parameters from its launch arguments.
 */
#include <stdio.h>
#include <string.h>

#include "probe.h"

int
main(int argc, char **argv)
{
	struct jt_probe_config c;
	char msg[512] = "";
	int rc;

	rc = jt_probe_parse_args(&c, argc, argv, msg, sizeof(msg));
	if (rc == 1) {
		fputs(jt_probe_usage(), stdout);
		return JT_PROBE_EXIT_OK;
	}
	if (rc < 0) {
		fprintf(stderr,
			"jetsam-probe: %s (see 'jetsam-probe --help')\n", msg);
		return JT_PROBE_EXIT_USAGE;
	}
	rc = jt_probe_run(&c, msg, sizeof(msg));
	if (rc != JT_PROBE_EXIT_OK && msg[0] != '\0')
		fprintf(stderr, "jetsam-probe: %s\n", msg);
	return rc;
}
