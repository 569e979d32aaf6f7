/*
 * killprobe.c - SIGKILL the probe at random moments and check its log
 *
 * usage: killprobe PROBE RUNS SEED DIR
 *
 * Each run starts the probe with its log in a file and, as well, on a pipe
 * (--log-fd).  The probe writes a record to the file before the pipe, so
 * every record that reached the pipe must be whole in the file: the pipe
 * is the witness of what the probe had written when it died.  After a
 * SIGKILL at a random moment the file must parse strictly with the real
 * reader, begin with exactly what the pipe saw, hold at most one record
 * more plus a torn tail (flagged, never read), and its last sample must be
 * the pipe's last sample or the one after it.  Prints one summary line;
 * exit 0 if every run passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jetsam/core/fileio.h"
#include "jetsam/lab/probelog.h"

struct buf {
	char *p;
	size_t len, cap;
};

static void
drain(int fd, struct buf *b)
{
	for (;;) {
		ssize_t n;

		if (b->cap - b->len < 4096) {
			b->cap = b->cap ? b->cap * 2 : 65536;
			b->p = realloc(b->p, b->cap);
			if (b->p == NULL)
				abort();
		}
		n = read(fd, b->p + b->len, b->cap - b->len);
		if (n <= 0)
			return;
		b->len += (size_t)n;
	}
}

/* last_seq - the seq of the last sample line in text, -1 if none. */
static long
last_seq(const char *text, size_t len)
{
	long seq = -1;
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		const char *s;

		if (nl == NULL)
			break;
		s = strstr(text + i, "\"type\":\"sample\",\"seq\":");
		if (s != NULL && s < nl)
			seq = strtol(s + 22, NULL, 10);
		i = (size_t)(nl - text) + 1;
	}
	return seq;
}

static int
one_run(const char *probe, const char *log, unsigned *seed, int i, int *torn,
	int *empty)
{
	struct buf pipe_buf = {NULL, 0, 0};
	char *file = NULL;
	size_t file_len = 0;
	struct jt_error err;
	struct jt_probelog *pl;
	struct timespec delay;
	long want, got;
	int fds[2], status, ok = 1;
	pid_t pid;

	if (pipe(fds) < 0)
		return 0;
	pid = fork();
	if (pid == 0) {
		const char *fill = i % 3 == 1 ? "random" : "touch";

		dup2(fds[1], 3);
		if (fds[0] != 3)
			close(fds[0]);
		if (fds[1] != 3)
			close(fds[1]);
		if (i % 4 == 0)
			execl(probe, probe, "--log", log, "--log-fd", "3",
			      "--quiet", "--rate", "64M", "--step", "64K",
			      "--fill", fill, "--fsync", (char *)NULL);
		else
			execl(probe, probe, "--log", log, "--log-fd", "3",
			      "--quiet", "--rate", "64M", "--step", "64K",
			      "--fill", fill, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	/* A random moment in the first 80 ms, start-up included. */
	delay.tv_sec = 0;
	delay.tv_nsec = (long)(rand_r(seed) % 80000) * 1000;
	nanosleep(&delay, NULL);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	fcntl(fds[0], F_SETFL, 0);
	drain(fds[0], &pipe_buf);
	close(fds[0]);

	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
		fprintf(stderr, "run %d: probe was not killed (status %d)\n", i,
			status);
		ok = 0;
		goto out;
	}
	jt_error_init(&err);
	if (jt_read_file(log, (size_t)1 << 26, &file, &file_len, &err) < 0) {
		/* Killed before it created the log: nothing was written. */
		if (pipe_buf.len != 0) {
			fprintf(stderr,
				"run %d: no log but the pipe has %zu "
				"bytes\n",
				i, pipe_buf.len);
			ok = 0;
		}
		(*empty)++;
		goto out;
	}
	pl = jt_probelog_parse(file, file_len, log, 0, &err);
	if (pl == NULL) {
		fprintf(stderr, "run %d: log does not parse: %s:%ld: %s\n", i,
			log, err.line, err.text);
		ok = 0;
		goto out;
	}
	if (file_len < pipe_buf.len ||
	    memcmp(file, pipe_buf.p, pipe_buf.len) != 0) {
		fprintf(stderr, "run %d: the file lacks records the pipe saw\n",
			i);
		ok = 0;
	}
	want = last_seq(pipe_buf.p, pipe_buf.len);
	got = pl->nsamples ? (long)pl->samples[pl->nsamples - 1].seq : -1;
	if (got < want || got > want + 1) {
		fprintf(stderr, "run %d: last sample %ld, pipe saw %ld\n", i,
			got, want);
		ok = 0;
	}
	if ((file_len > 0 && file[file_len - 1] != '\n') != pl->torn_tail) {
		fprintf(stderr, "run %d: torn tail not flagged\n", i);
		ok = 0;
	}
	*torn += pl->torn_tail;
	if (file_len == 0)
		(*empty)++;
	jt_probelog_free(pl);
out:
	free(file);
	free(pipe_buf.p);
	if (ok)
		unlink(log);
	return ok;
}

int
main(int argc, char **argv)
{
	unsigned seed;
	int runs, i, failed = 0, torn = 0, empty = 0;
	char log[4096];

	if (argc != 5) {
		fprintf(stderr, "usage: killprobe PROBE RUNS SEED DIR\n");
		return 2;
	}
	runs = atoi(argv[2]);
	seed = (unsigned)strtoul(argv[3], NULL, 10);
	for (i = 0; i < runs; i++) {
		snprintf(log, sizeof(log), "%s/kill-%d.jsonl", argv[4], i);
		if (!one_run(argv[1], log, &seed, i, &torn, &empty))
			failed++;
	}
	printf("killprobe: %d kills, %d failed, %d torn tails skipped, %d "
	       "empty logs\n",
	       runs, failed, torn, empty);
	return failed ? 1 : 0;
}
