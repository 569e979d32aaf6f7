/*
 * fileio.c - bounded reads, atomic writes (one file or a set), and size
 * arguments
 */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * open_unique - create path + ".tmp-XXXXXX" with O_EXCL and mode 0666, so
 * the kernel applies the umask (mkstemp's fixed 0600 would need the umask,
 * which a library cannot read without a race between threads).
 */
static int
open_unique(char *tmp, size_t n)
{
	static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned long counter;
	struct timespec ts;
	unsigned long x;
	int tries, i, fd;

	for (tries = 0; tries < 100; tries++) {
		clock_gettime(CLOCK_REALTIME, &ts);
		x = (unsigned long)ts.tv_nsec ^
			((unsigned long)getpid() << 16) ^
			(__atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED) *
			 2654435761UL);
		for (i = 0; i < 6; i++) {
			tmp[n + 5 + (size_t)i] = digits[x % 36];
			x /= 36;
		}
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

/*
 * temp_open - a new temporary file beside path (mode as jt_atomic_open
 * gives), its name in *tmp; the descriptor, or -1 with errno.
 */
static int
temp_open(const char *path, char **tmp)
{
	size_t n = strlen(path);
	struct stat st;
	int fd, e;

	*tmp = malloc(n + sizeof(".tmp-XXXXXX"));
	if (*tmp == NULL) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(*tmp, path, n);
	memcpy(*tmp + n, ".tmp-XXXXXX", sizeof(".tmp-XXXXXX"));
	fd = open_unique(*tmp, n);
	if (fd < 0) {
		e = errno;
		free(*tmp);
		*tmp = NULL;
		errno = e;
		return -1;
	}
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    fchmod(fd, st.st_mode & 07777) != 0) {
		e = errno;
		close(fd);
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
		errno = e;
		return -1;
	}
	return fd;
}

FILE *
jt_atomic_open(struct jt_atomic *a, const char *path, struct jt_error *err)
{
	struct stat st;
	int fd;

	memset(a, 0, sizeof(*a));
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		jt_error_set_in(err, JT_EIO, path,
				"cannot write: is a directory");
		return NULL;
	}
	a->path = strdup(path);
	if (a->path == NULL) {
		jt_error_oom(err, path);
		return NULL;
	}
	fd = temp_open(path, &a->tmp);
	if (fd < 0) {
		jt_error_set_errno(err, errno, path, "cannot create");
		jt_atomic_abort(a);
		return NULL;
	}
	a->fp = fdopen(fd, "w");
	if (a->fp == NULL) {
		jt_error_set_errno(err, errno, path, "cannot create");
		close(fd);
		jt_atomic_abort(a);
		return NULL;
	}
	return a->fp;
}

/* finish - flush, fsync and close the temporary file; 0 or an errno. */
static int
finish(struct jt_atomic *a)
{
	int e = 0;

	if (fflush(a->fp) != 0 || fsync(fileno(a->fp)) != 0)
		e = errno != 0 ? errno : EIO;
	else if (ferror(a->fp))
		e = EIO;
	if (fclose(a->fp) != 0 && e == 0)
		e = errno;
	a->fp = NULL;
	return e;
}

/* drop - forget a committed file's names. */
static void
drop(struct jt_atomic *a)
{
	free(a->tmp);
	a->tmp = NULL;
	free(a->path);
	a->path = NULL;
}

int
jt_atomic_commit(struct jt_atomic *a, int noclobber, struct jt_error *err)
{
	int e;

	if (a->tmp == NULL)
		return jt_error_set_in(err, JT_EIO, a->path,
				       "file already committed");
	errno = 0;
	e = finish(a);
	if (e != 0) {
		jt_error_set_errno(err, e, a->path, "cannot write");
		jt_atomic_abort(a);
		return -1;
	}
	if (noclobber) {
		/* link(2) fails with EEXIST instead of replacing. */
		if (link(a->tmp, a->path) != 0) {
			e = errno;
			jt_error_set_errno(err, e, a->path, "will not replace");
			jt_atomic_abort(a);
			return -1;
		}
		unlink(a->tmp);
	} else if (rename(a->tmp, a->path) != 0) {
		e = errno;
		jt_error_set_errno(err, e, a->path, "cannot rename into place");
		jt_atomic_abort(a);
		return -1;
	}
	drop(a);
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
	drop(a);
}

/* ---- a set of outputs ---------------------------------------------------- */

void
jt_outset_init(struct jt_outset *s)
{
	s->files = NULL;
	s->n = 0;
}

FILE *
jt_outset_add(struct jt_outset *s, const char *path, struct jt_error *err)
{
	struct jt_outfile **v, *f;
	struct stat a, b;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->files[i]->path, path) == 0 ||
		    (stat(s->files[i]->path, &a) == 0 && stat(path, &b) == 0 &&
		     a.st_dev == b.st_dev && a.st_ino == b.st_ino)) {
			jt_error_set_in(err, JT_EIO, path,
					"given twice as an output");
			return NULL;
		}
	if (stat(path, &a) == 0 && S_ISDIR(a.st_mode)) {
		jt_error_set_in(err, JT_EIO, path,
				"cannot write: is a directory");
		return NULL;
	}
	v = realloc(s->files, (s->n + 1) * sizeof(*v));
	if (v == NULL) {
		jt_error_oom(err, path);
		return NULL;
	}
	s->files = v;
	f = calloc(1, sizeof(*f));
	if (f != NULL && (f->path = strdup(path)) != NULL)
		f->fp = open_memstream(&f->buf, &f->len);
	if (f == NULL || f->fp == NULL) {
		if (f != NULL)
			free(f->path);
		free(f);
		jt_error_oom(err, path);
		return NULL;
	}
	s->files[s->n++] = f;
	return f->fp;
}

void
jt_outset_abort(struct jt_outset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		struct jt_outfile *f = s->files[i];

		if (f->fp != NULL)
			fclose(f->fp);
		if (f->tmp != NULL)
			unlink(f->tmp);
		free(f->tmp);
		free(f->buf);
		free(f->path);
		free(f);
	}
	free(s->files);
	jt_outset_init(s);
}

/* write_out - f's contents to a new temporary file, fsync'd and closed. */
static int
write_out(struct jt_outfile *f, struct jt_error *err)
{
	size_t off = 0;
	int fd, e;

	if (fclose(f->fp) != 0) {
		f->fp = NULL;
		return jt_error_oom(err, f->path);
	}
	f->fp = NULL;
	fd = temp_open(f->path, &f->tmp);
	if (fd < 0)
		return jt_error_set_errno(err, errno, f->path, "cannot create");
	while (off < f->len) {
		ssize_t w = write(fd, f->buf + off, f->len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			e = w < 0 ? errno : EIO;
			close(fd);
			return jt_error_set_errno(err, e, f->path,
						  "cannot write");
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0) {
		e = errno;
		close(fd);
		return jt_error_set_errno(err, e, f->path, "cannot write");
	}
	if (close(fd) != 0)
		return jt_error_set_errno(err, errno, f->path, "cannot write");
	return 0;
}

/* backup - path + ".old-XXXXXX", a second link to path; NULL if none. */
static char *
backup(const char *path)
{
	size_t n = strlen(path);
	char *b = malloc(n + sizeof(".old-XXXXXX"));
	int fd;

	if (b == NULL)
		return NULL;
	memcpy(b, path, n);
	memcpy(b + n, ".old-XXXXXX", sizeof(".old-XXXXXX"));
	/* Reserve a unique name, then make it a second link to path. */
	fd = open_unique(b, n);
	if (fd < 0) {
		free(b);
		return NULL;
	}
	close(fd);
	unlink(b);
	if (link(path, b) != 0) {
		free(b);
		return NULL;
	}
	return b;
}

/* sync_dir - fsync the directory holding path, so the renames last. */
static void
sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (slash == NULL)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (dir == NULL)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

int
jt_outset_commit(struct jt_outset *s, struct jt_error *err)
{
	char **old = NULL;
	int *had = NULL, rc = -1;
	size_t i, j, done;

	/* 1. Every temporary file complete and on disk, or nothing moves. */
	for (i = 0; i < s->n; i++)
		if (write_out(s->files[i], err) < 0)
			goto out;
	/* 2. Hard links to the files about to be replaced, for a rollback. */
	old = calloc(s->n + 1, sizeof(*old));
	had = calloc(s->n + 1, sizeof(*had));
	if (old == NULL || had == NULL) {
		jt_error_oom(err, s->n ? s->files[0]->path : NULL);
		goto out;
	}
	for (i = 0; i < s->n; i++) {
		struct stat st;

		had[i] = lstat(s->files[i]->path, &st) == 0;
		if (had[i])
			old[i] = backup(s->files[i]->path);
	}
	/* 3. The renames; a failure puts back those already done. */
	for (done = 0; done < s->n; done++) {
		struct jt_outfile *f = s->files[done];

		if (rename(f->tmp, f->path) != 0) {
			jt_error_set_errno(err, errno, f->path,
					   "cannot rename into place");
			for (j = 0; j < done; j++) {
				if (old[j] != NULL)
					(void)rename(old[j], s->files[j]->path);
				else if (!had[j])
					(void)unlink(s->files[j]->path);
			}
			goto out;
		}
		free(f->tmp);
		f->tmp = NULL;
	}
	for (i = 0; i < s->n; i++)
		sync_dir(s->files[i]->path);
	rc = 0;
out:
	for (i = 0; old != NULL && i < s->n; i++)
		if (old[i] != NULL) {
			(void)unlink(old[i]); /* gone already if rolled back */
			free(old[i]);
		}
	free(old);
	free(had);
	jt_outset_abort(s); /* removes what is left of the temporary files */
	return rc;
}

/*
 * resolve - path made absolute (see jt_path_relative); new or NULL.  The
 * directory is resolved and the last name kept as written, so a file read
 * through a symbolic link is recorded under the name it was read by.
 */
static char *
resolve(const char *path)
{
	char *r, *dir, *slash, *out;
	const char *base;

	slash = strrchr(path, '/');
	base = slash == NULL ? path : slash + 1;
	if (*base == '\0' || strcmp(base, ".") == 0 ||
	    strcmp(base, "..") == 0) {
		r = realpath(path, NULL);
		return r != NULL ? r : strdup(path);
	}
	dir = slash == NULL     ? strdup(".")
		: slash == path ? strdup("/")
				: strndup(path, (size_t)(slash - path));
	r = dir != NULL ? realpath(dir, NULL) : NULL;
	free(dir);
	if (r == NULL) {
		char cwd[4096];

		if (path[0] == '/')
			return strdup(path);
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return NULL;
		r = strdup(cwd);
		base = path;
		if (r == NULL)
			return NULL;
	}
	out = malloc(strlen(r) + strlen(base) + 2);
	if (out != NULL)
		sprintf(out, "%s%s%s", r, strcmp(r, "/") == 0 ? "" : "/", base);
	free(r);
	return out;
}

char *
jt_path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

char *
jt_path_relative(const char *root, const char *path, struct jt_error *err)
{
	char *r = realpath(root, NULL), *p = resolve(path), *out = NULL;
	size_t i = 0, common = 0, up = 0, o;
	const char *rest;

	if (r == NULL) {
		jt_error_set_errno(err, errno, root, "cannot resolve the root");
		free(p);
		return NULL;
	}
	if (p == NULL) {
		free(r);
		jt_error_oom(err, path);
		return NULL;
	}
	/* The longest common prefix ending at a directory boundary. */
	for (i = 0; r[i] != '\0' && r[i] == p[i]; i++)
		if (r[i] == '/')
			common = i;
	if ((r[i] == '\0' && (p[i] == '/' || p[i] == '\0')) ||
	    (p[i] == '\0' && r[i] == '/'))
		common = i;
	else if (strcmp(r, "/") == 0)
		common = 0;
	/* Directories of root below the common prefix: one ".." each. */
	for (i = common; r[i] != '\0'; i++)
		if (r[i] == '/' && r[i + 1] != '\0')
			up++;
	rest = p + common;
	while (*rest == '/')
		rest++;
	out = malloc(up * 3 + strlen(rest) + 2);
	if (out == NULL) {
		jt_error_oom(err, path);
	} else {
		for (o = 0, i = 0; i < up; i++, o += 3)
			memcpy(out + o, "../", 3);
		strcpy(out + o, rest);
		if (out[0] == '\0')
			strcpy(out, ".");
		else if (rest[0] == '\0')
			out[o - 1] = '\0'; /* "../../" -> "../.." */
	}
	free(r);
	free(p);
	return out;
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
