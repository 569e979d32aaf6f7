/*
 * header_lookup.c - a program on a generated header: one
 * jetsam_threshold_lookup() per line of the file argv[1] (model, os,
 * profile, ram, live; tab-separated), printing "source threshold".
 * Compiled by tests/it/calibrate_header.sh (as C, C++ and Objective-C)
 * and tests/it/calibrate_ship.sh with -DJETSAM_HEADER='"file.h"'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include JETSAM_HEADER

/* One query per line: model, os, profile, ram, live (tab-separated). */
int
main(int argc, char **argv)
{
	static const char *const names[] = {"measured", "carried-over",
					    "field-only", "runtime-rule",
					    "fraction"};
	FILE *fp = fopen(argv[1], "r");
	char line[1024];

	(void)argc;
	if (fp == NULL)
		return 1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *f[5], *p = line;
		enum jetsam_source src;
		long long t;
		int i;

		line[strcspn(line, "\n")] = '\0';
		for (i = 0; i < 5; i++) {
			f[i] = p;
			p += strcspn(p, "\t");
			if (*p != '\0')
				*p++ = '\0';
		}
		t = (long long)jetsam_threshold_lookup(
			f[0], f[1], f[2], strtoll(f[3], NULL, 10),
			strtoll(f[4], NULL, 10), &src);
		printf("%s %lld\n", names[src], t);
	}
	fclose(fp);
	return 0;
}
