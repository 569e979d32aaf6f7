/*
 * calibrate_measure.c - run a command; print its wall and CPU time and
 * peak RSS
 *
 * usage: calibrate_measure OUTFILE CMD [ARG...]
 *
 * stdout of CMD goes to OUTFILE, and one line "WALL USER SYS MAXRSS_KB"
 * to stdout (seconds, seconds, seconds, KiB).  USER and SYS come from the
 * rusage wait4 returns, which sums every thread of the child (and of any
 * children it waited for), so a tool that works on several threads is
 * charged for all of them: CPU = USER + SYS is what a benchmark ratio
 * should be taken on.  MAXRSS is ru_maxrss, what /usr/bin/time -v calls
 * "Maximum resident set size" (that tool is not installed everywhere).
 * This wrapper is small, so the pages the child shares with it before
 * exec do not inflate the figure, as they would from a Python parent.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status, fd;
	pid_t pid;

	if (argc < 3) {
		fputs("usage: calibrate_measure OUTFILE CMD [ARG...]\n",
		      stderr);
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		dup2(fd, 1);
		close(fd);
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	close(fd);
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "calibrate_measure: %s failed (status %d)\n",
			argv[2], status);
		return 1;
	}
	printf("%.3f %.3f %.3f %ld\n",
	       (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
	       ru.ru_maxrss);
	return 0;
}
