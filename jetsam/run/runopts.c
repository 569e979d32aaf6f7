/*
 * runopts.c - what a local run needs before it starts: its options
 * checked, the simulated model's page size and RAM, the probe program
 *
 * jetsam run --local only turns argv into struct jt_run_opts and prints;
 * the decisions live here, where a test can reach them.
 */
#include "run.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROBE_NAME "jetsam-probe"

int
jt_run_opts_check(const struct jt_run_opts *o, struct jt_error *err)
{
	if (o->limit_bytes <= 0)
		return jt_error_set_in(err, JT_EUSAGE, NULL,
				       "a local run needs a limit above 0");
	if (o->ramp_to_bytes >= o->limit_bytes)
		return jt_error_set_in(err, JT_EUSAGE, NULL,
				       "ramp-to must be below the limit");
	if (o->poll_hz > 0 && (o->poll_hz < 100 || o->poll_hz > 10000))
		return jt_error_set_in(err, JT_EUSAGE, NULL,
				       "poll-hz %d is outside 100 to 10000",
				       o->poll_hz);
	return 0;
}

int
jt_run_opts_set_model(struct jt_run_opts *o, const struct jt_models *models)
{
	const struct jt_model *m = models != NULL && o->model != NULL
		? jt_models_find(models, o->model)
		: NULL;

	if (m == NULL)
		return 0;
	o->page_size_bytes = m->page_size_bytes;
	o->device_ram_bytes = m->ram_bytes;
	return 1;
}

/* executable - a new copy of dir/PROBE_NAME when it can be run. */
static char *
executable(const char *dir, size_t dirlen)
{
	char *p = malloc(dirlen + sizeof("/" PROBE_NAME));

	if (p == NULL)
		return NULL;
	memcpy(p, dir, dirlen);
	memcpy(p + dirlen, "/" PROBE_NAME, sizeof("/" PROBE_NAME));
	if (access(p, X_OK) == 0)
		return p;
	free(p);
	return NULL;
}

char *
jt_run_find_probe(struct jt_error *err)
{
	char self[PATH_MAX];
	const char *path, *dir, *colon;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *p;

	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash != NULL &&
		    (p = executable(self, (size_t)(slash - self))) != NULL)
			return p;
	}
	path = getenv("PATH");
	for (dir = path; dir != NULL && *dir != '\0'; dir = colon + 1) {
		colon = strchr(dir, ':');
		if (colon == NULL)
			colon = dir + strlen(dir);
		/* An empty entry is the current directory. */
		p = colon > dir ? executable(dir, (size_t)(colon - dir))
				: executable(".", 1);
		if (p != NULL)
			return p;
		if (*colon == '\0')
			break;
	}
	jt_error_set_in(err, JT_EUNKNOWN, PROBE_NAME,
			"cannot find it beside this program or on PATH (use "
			"--probe PATH)");
	return NULL;
}
