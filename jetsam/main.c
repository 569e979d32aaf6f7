/*
 * main.c - the jetsam command: dispatch to a subcommand
 *
 * Built-in subcommands live in jetsam/cmd_*.c.  Others are found git-style
 * as an executable "jetsam-<name>" beside this program or on PATH; that is
 * how "calibrate" and "report" are reached, so calibrate/ can depend on the
 * jetsam/ core without the core depending back on it.
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
	{"calibrate", NULL, "make threshold tables (jetsam-calibrate)"},
	{"diff", NULL, "compare two threshold tables (jetsam-calibrate diff)"},
	{"report", NULL, "write the HTML lab report (jetsam-report)"},
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
	fputs("\nRun 'jetsam <command> --help' for a command's options.\n"
	      "Exit status: 0 ok, 1 failed (bad input, no device), 2 usage.\n",
	      out);
}

/* exec_external - run jetsam-<name> beside argv0, then from PATH. */
static int
exec_external(const char *argv0, const char *name, int argc, char **argv)
{
	char prog[PATH_MAX], self[PATH_MAX];
	char **args;
	ssize_t n;
	char *slash;
	int i, shift = 0;

	/* "jetsam diff" is "jetsam-calibrate diff". */
	if (strcmp(name, "diff") == 0) {
		name = "calibrate";
		shift = 1;
	}
	args = calloc((size_t)argc + 2, sizeof(char *));
	if (args == NULL) {
		jt_warn("out of memory");
		return JT_EXIT_FAIL;
	}
	snprintf(prog, sizeof(prog), "jetsam-%s", name);
	args[0] = prog;
	if (shift)
		args[1] = "diff";
	for (i = 1; i < argc; i++)
		args[i + shift] = argv[i];

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0)
		self[n] = '\0';
	else
		snprintf(self, sizeof(self), "%s", argv0);
	slash = strrchr(self, '/');
	if (slash != NULL) {
		char path[PATH_MAX + 32];

		*slash = '\0';
		snprintf(path, sizeof(path), "%s/jetsam-%s", self, name);
		if (access(path, X_OK) == 0)
			execv(path, args);
	}
	execvp(prog, args);
	jt_warn("cannot run '%s': %s", prog, strerror(errno));
	free(args);
	return JT_EXIT_FAIL;
}

int
main(int argc, char **argv)
{
	static char progname[64];
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
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		snprintf(progname, sizeof(progname), "jetsam %s",
			 commands[i].name);
		jt_progname = progname;
		if (commands[i].fn == NULL)
			return exec_external(argv[0], commands[i].name,
					     argc - 1, argv + 1);
		return commands[i].fn(argc - 1, argv + 1);
	}
	jt_warn("'%s' is not a jetsam command", argv[1]);
	usage(stderr);
	return JT_EXIT_USAGE;
}
