/*
 * fileio.c - bounded reads, atomic writes, and size arguments
 */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

FILE *
jt_atomic_open(struct jt_atomic *a, const char *path, struct jt_error *err)
{
	size_t n = strlen(path);
	int fd;

	memset(a, 0, sizeof(*a));
	a->path = strdup(path);
	a->tmp = malloc(n + sizeof(".tmp-XXXXXX"));
	if (a->path == NULL || a->tmp == NULL) {
		jt_atomic_abort(a);
		jt_error_oom(err, path);
		return NULL;
	}
	memcpy(a->tmp, path, n);
	memcpy(a->tmp + n, ".tmp-XXXXXX", sizeof(".tmp-XXXXXX"));
	fd = mkstemp(a->tmp);
	if (fd < 0) {
		jt_error_set_errno(err, errno, path, "cannot create");
		free(a->tmp);
		a->tmp = NULL;
		jt_atomic_abort(a);
		return NULL;
	}
	/* mkstemp gives 0600; tables and reports are for sharing. */
	(void)fchmod(fd, 0644);
	a->fp = fdopen(fd, "w");
	if (a->fp == NULL) {
		jt_error_set_errno(err, errno, path, "cannot create");
		close(fd);
		jt_atomic_abort(a);
		return NULL;
	}
	return a->fp;
}

int
jt_atomic_commit(struct jt_atomic *a, int noclobber, struct jt_error *err)
{
	int e;

	if (a->tmp == NULL)
		return jt_error_set_in(err, JT_EIO, a->path,
				       "file already committed");
	if (fflush(a->fp) != 0 || ferror(a->fp) || fsync(fileno(a->fp)) != 0) {
		e = errno;
		jt_atomic_abort(a);
		return jt_error_set_errno(err, e, a->path, "cannot write");
	}
	e = fclose(a->fp);
	a->fp = NULL;
	if (e != 0) {
		e = errno;
		jt_atomic_abort(a);
		return jt_error_set_errno(err, e, a->path, "cannot write");
	}
	if (noclobber) {
		/* link(2) fails with EEXIST instead of replacing. */
		if (link(a->tmp, a->path) != 0) {
			e = errno;
			jt_atomic_abort(a);
			return jt_error_set_errno(err, e, a->path,
						  "will not replace");
		}
		unlink(a->tmp);
	} else if (rename(a->tmp, a->path) != 0) {
		e = errno;
		jt_atomic_abort(a);
		return jt_error_set_errno(err, e, a->path, "cannot rename");
	}
	free(a->tmp);
	a->tmp = NULL;
	free(a->path);
	a->path = NULL;
	return 0;
}

void
jt_atomic_abort(struct jt_atomic *a)
{
	if (a->fp != NULL)
		fclose(a->fp);
	a->fp = NULL;
	if (a->tmp != NULL)
		unlink(a->tmp);
	free(a->tmp);
	a->tmp = NULL;
	free(a->path);
	a->path = NULL;
}

int
jt_read_file(const char *path, size_t max_bytes, char **buf, size_t *len,
	     struct jt_error *err)
{
	int fd, e;
	struct stat st;
	char *b = NULL;
	size_t n = 0, cap = 0;

	*buf = NULL;
	*len = 0;
	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return jt_error_set_errno(err, errno, path,
						  "cannot open");
	}
	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			if (fd != STDIN_FILENO)
				close(fd);
			return jt_error_set_in(err, JT_EIO, path,
					       "is a directory");
		}
		if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max_bytes) {
			if (fd != STDIN_FILENO)
				close(fd);
			return jt_error_set_in(err, JT_ELIMIT, path,
					       "file is %lld bytes, over the "
					       "%zu-byte limit",
					       (long long)st.st_size,
					       max_bytes);
		}
		if (S_ISREG(st.st_mode))
			cap = (size_t)st.st_size + 1;
	}
	/* A regular file's size is known: one read of size+1 sees EOF. */
	cap = cap ? cap + 1 : 65536;
	b = malloc(cap);
	if (b == NULL) {
		e = jt_error_oom(err, path);
		goto out;
	}
	for (;;) {
		ssize_t got;

		if (n + 1 >= cap) {
			char *p = realloc(b, cap * 2);

			if (p == NULL) {
				e = jt_error_oom(err, path);
				goto out;
			}
			b = p;
			cap *= 2;
		}
		got = read(fd, b + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			e = jt_error_set_errno(err, errno, path, "cannot read");
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max_bytes) {
			e = jt_error_set_in(err, JT_ELIMIT, path,
					    "input is over the %zu-byte limit",
					    max_bytes);
			goto out;
		}
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	b = NULL;
	e = 0;
out:
	free(b);
	if (fd != STDIN_FILENO)
		close(fd);
	return e;
}

int
jt_seconds_parse(const char *text, double max_seconds, int allow_zero,
		 int64_t *ms, struct jt_error *err)
{
	char *end;
	double v;

	if (text == NULL || *text < '0' || *text > '9')
		goto bad;
	errno = 0;
	v = strtod(text, &end);
	if (errno != 0 || end == text || !isfinite(v))
		goto bad;
	if (*end == 's')
		end++;
	if (*end != '\0' || v > max_seconds || (v == 0 && !allow_zero))
		goto bad;
	*ms = (int64_t)(v * 1000.0 + 0.5);
	return 0;
bad:
	return jt_error_set_in(err, JT_EUSAGE, NULL,
			       "invalid duration '%s' (expected seconds, %s%g)",
			       text != NULL ? text : "",
			       allow_zero ? "0 to " : "above 0, at most ",
			       max_seconds);
}
