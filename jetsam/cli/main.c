/*
 * main.c - the jetsam command: dispatch to a subcommand
 *
 * One binary for every command: the front-ends (jetsam/cli/cmd_*.c) sit
 * above both libraries (the jetsam/ core and calibrate/), so the
 * dependency direction probe <- jetsam core <- calibrate <- front-ends
 * holds without a second program.  "report" is kept as an alias of "html"
 * for scripts written before "report" came to mean only a JetsamEvent
 * report.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

static const struct command {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} commands[] = {
	{"parse", jt_cmd_parse,
	 "parse JetsamEvent reports: victim, reason, bytes"},
	{"probelog", jt_cmd_probelog,
	 "summarise a probe log: limit, crossing, overshoot"},
	{"run", jt_cmd_run, "lab runs: kill the probe locally or on a device"},
	{"devices", jt_cmd_devices,
	 "list connected devices: model, OS, RAM, state"},
	{"pull", jt_cmd_pull, "copy JetsamEvent reports off a device"},
	{"capture", jt_cmd_capture,
	 "capture the probe's log from a device's syslog"},
	{"models", jt_cmd_models, "look up the device-model table"},
	{"calibrate", jt_cmd_calibrate,
	 "make, show and look up threshold tables"},
	{"diff", jt_cmd_diff, "compare two threshold tables"},
	{"html", jt_cmd_html, "write the HTML page of runs and thresholds"},
	{"refresh", jt_cmd_refresh,
	 "a release refresh: runs on every phone, table, diff, report"},
};

/* Old names kept working; not listed in the usage. */
static const struct alias {
	const char *name, *target;
} aliases[] = {
	{"report", "html"},
};
enum { NCOMMANDS = sizeof(commands) / sizeof(commands[0]) };

static void
usage(FILE *out)
{
	size_t i;

	fputs("usage: jetsam [--version] [--help] <command> [<args>]\n\n"
	      "Measure how much memory an iOS app may use before Jetsam kills "
	      "it,\nand turn the measurements into per-model thresholds.\n\n"
	      "Commands:\n",
	      out);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\nA report is a JetsamEvent report; 'jetsam report' is kept as "
	      "an old name\nfor 'jetsam html'.  Run 'jetsam <command> --help' "
	      "for a command's options.\n"
	      "Exit status: 0 ok, 1 failed (bad input, no device), 2 usage.\n",
	      out);
}

int
main(int argc, char **argv)
{
	static char progname[64];
	const char *name;
	size_t i;

	opterr = 0;
	if (argc < 2) {
		usage(stderr);
		return JT_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return JT_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("jetsam %s\n", JT_VERSION);
		return JT_EXIT_OK;
	}
	if (argv[1][0] == '-')
		return jt_usage_error("unknown option '%s'", argv[1]);
	name = argv[1];
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(name, aliases[i].name) == 0)
			name = aliases[i].target;
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(name, commands[i].name) != 0)
			continue;
		snprintf(progname, sizeof(progname), "jetsam %s",
			 commands[i].name);
		jt_progname = progname;
		return commands[i].fn(argc - 1, argv + 1);
	}
	jt_warn("'%s' is not a jetsam command", argv[1]);
	usage(stderr);
	return JT_EXIT_USAGE;
}
