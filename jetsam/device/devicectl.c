/*
 * devicectl.c - xcrun devicectl device process launch, run and waited for
 *
 * Decided at run time (uname), not by #ifdef, so the command line it
 * builds is tested on every system; only the exec is Mac-only in effect.
 * Not run on a Mac: the options follow `xcrun devicectl device process
 * launch --help` of Xcode 15 as documented, and are listed in the README
 * as not run.
 */
#include "devicectl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "jetsam/core/text.h"

int
jt_devicectl_available(void)
{
	struct utsname u;
	const char *path = getenv("PATH");
	char dir[4096];

	if (uname(&u) < 0 || strcmp(u.sysname, "Darwin") != 0 || path == NULL)
		return 0;
	while (*path != '\0') {
		size_t n = strcspn(path, ":");

		if (n > 0 && n + sizeof("/xcrun") < sizeof(dir)) {
			snprintf(dir, sizeof(dir), "%.*s/xcrun", (int)n, path);
			if (access(dir, X_OK) == 0)
				return 1;
		}
		path += n;
		if (*path == ':')
			path++;
	}
	return 0;
}

void
jt_devicectl_argv_free(char **argv)
{
	size_t i;

	for (i = 0; argv != NULL && argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

char **
jt_devicectl_argv(const char *udid, const char *bundle_id,
		  const char *const *env, struct jt_error *err)
{
	static const char *const head[] = {
		"xcrun", "devicectl", "device", "process", "launch", "--device",
	};
	json_t *vars = json_object();
	char **argv = calloc(12, sizeof(*argv)), *json = NULL;
	size_t n = 0, i;

	if (vars == NULL || argv == NULL)
		goto oom;
	for (i = 0; env != NULL && env[i] != NULL; i++) {
		const char *eq = strchr(env[i], '=');
		char *name;

		if (eq == NULL || eq == env[i]) {
			json_decref(vars);
			free(argv);
			jt_error_set_in(err, JT_EINVAL, NULL,
					"an environment entry needs NAME=");
			return NULL;
		}
		name = strndup(env[i], (size_t)(eq - env[i]));
		if (name == NULL ||
		    json_object_set_new(vars, name, json_string(eq + 1)) < 0) {
			free(name);
			goto oom;
		}
		free(name);
	}
	json = json_dumps(vars, JSON_COMPACT | JSON_SORT_KEYS);
	if (json == NULL)
		goto oom;
	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		if ((argv[n++] = strdup(head[i])) == NULL)
			goto oom;
	if ((argv[n++] = strdup(udid)) == NULL ||
	    (argv[n++] = strdup("--terminate-existing")) == NULL ||
	    (argv[n++] = strdup("--environment-variables")) == NULL)
		goto oom;
	argv[n++] = json;
	json = NULL;
	if ((argv[n++] = strdup(bundle_id)) == NULL)
		goto oom;
	json_decref(vars);
	return argv;
oom:
	free(json);
	json_decref(vars);
	jt_devicectl_argv_free(argv);
	jt_error_oom(err, NULL);
	return NULL;
}

int
jt_devicectl_launch(const char *udid, const char *bundle_id,
		    const char *const *env, int64_t wait_ms,
		    struct jt_error *err)
{
	char **argv, said[1024], shown[512];
	size_t have = 0;
	int pipefd[2], status = 0;
	int64_t waited = 0;
	pid_t pid;

	argv = jt_devicectl_argv(udid, bundle_id, env, err);
	if (argv == NULL)
		return -1;
	if (pipe(pipefd) < 0) {
		jt_devicectl_argv_free(argv);
		return jt_error_set_errno(err, errno, "xcrun", "cannot run");
	}
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		jt_devicectl_argv_free(argv);
		return jt_error_set_errno(err, errno, "xcrun", "cannot run");
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
		}
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	jt_devicectl_argv_free(argv);
	/* read what it says while it runs, so a full pipe cannot stall it */
	for (;;) {
		struct pollfd p = {pipefd[0], POLLIN, 0};
		pid_t w;

		if (poll(&p, 1, 100) > 0) {
			char buf[256];
			ssize_t r = read(pipefd[0], buf, sizeof(buf));

			if (r > 0 && have < sizeof(said) - 1) {
				size_t k = (size_t)r < sizeof(said) - 1 - have
					? (size_t)r
					: sizeof(said) - 1 - have;

				memcpy(said + have, buf, k);
				have += k;
			}
		}
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		waited += 100;
		if (waited > wait_ms) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			close(pipefd[0]);
			return jt_error_set_in(err, JT_EDEVICE, udid,
					       "xcrun devicectl did not "
					       "launch the app within %lld s",
					       (long long)(wait_ms / 1000));
		}
	}
	close(pipefd[0]);
	said[have] = '\0';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	jt_text_escape(shown, sizeof(shown), said);
	return jt_error_set_in(err, JT_EDEVICE, udid,
			       "xcrun devicectl could not launch the app "
			       "(status %d): %s",
			       WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			       shown);
}
