/*
 * optdump.c - preloaded into jetsam by tests/it/help_and_usage.sh: the
 * first getopt_long call prints the option table it was given, one option
 * a line ("-f", "--format"), and ends the program
 *
 * This reads the real table each command parses with, so the test can
 * compare it with the command's --help without a second list to keep up
 * to date.  Nothing else of the program runs after the dump.
 */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

int
getopt_long(int argc, char *const argv[], const char *optstring,
	    const struct option *longopts, int *longindex)
{
	const char *p;

	(void)argc;
	(void)argv;
	(void)longindex;
	for (p = optstring; *p != '\0'; p++)
		if (*p != ':' && *p != '+' && *p != '-')
			printf("-%c\n", *p);
	for (; longopts != NULL && longopts->name != NULL; longopts++)
		printf("--%s\n", longopts->name);
	fflush(stdout);
	/* _exit: no atexit handlers, so a sanitizer's leak check does not
	 * report what the command had not freed yet. */
	_exit(0);
}
