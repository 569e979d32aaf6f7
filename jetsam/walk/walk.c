/*
 * walk.c - folders to a sorted list of files, and reports read once
 *
 * Folders are read through descriptors (openat, fstatat with
 * AT_SYMLINK_NOFOLLOW, O_NOFOLLOW on every folder below a named one), so
 * what is classified is what is entered: a folder swapped for a link
 * between the two steps is refused, not followed.  Each folder's names are
 * read whole and sorted before anything below it is opened; at most
 * max_depth descriptors are open at once.
 */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct entry {
	struct jt_walk_file f;
	dev_t dev;
	ino_t ino;
	int has_id; /* dev/ino known (a regular file) */
};

struct jt_walk {
	struct jt_walk_opts o;
	struct entry *files;
	size_t nfiles, capfiles;
	struct jt_walk_note *notes;
	size_t nnotes, capnotes;
	struct jt_walk_root *roots;
	size_t nroots;
	int failed;
};

/* The folders from a named one down to the one being read. */
struct ancestors {
	dev_t dev[JT_WALK_MAX_DEPTH + 1];
	ino_t ino[JT_WALK_MAX_DEPTH + 1];
	int n;
};

static int
grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 64;
	p = realloc(*v, c * size);
	if (p == NULL)
		return -1;
	*v = p;
	*cap = c;
	return 0;
}

/* note - add a note about path; -1 out of memory. */
static int
note(struct jt_walk *w, enum jt_walk_note_kind kind, const char *path,
     int errnum, const char *what)
{
	struct jt_walk_note *n;

	if (grow((void **)&w->notes, &w->capnotes, w->nnotes, sizeof(*n)) < 0)
		return -1;
	n = &w->notes[w->nnotes++];
	n->kind = kind;
	jt_error_init(&n->err);
	if (errnum != 0)
		jt_error_set_errno(&n->err, errnum, path, "%s", what);
	else
		jt_error_set_in(&n->err, JT_EIO, path, "%s", what);
	if (kind == JT_WALK_ERROR)
		w->failed = 1;
	return 0;
}

static int
add_file(struct jt_walk *w, char *path, size_t root, int named,
	 const struct stat *st)
{
	struct entry *e;

	if (grow((void **)&w->files, &w->capfiles, w->nfiles, sizeof(*e)) < 0) {
		free(path);
		return -1;
	}
	e = &w->files[w->nfiles++];
	e->f.path = path;
	e->f.root = root;
	e->f.named = named;
	e->has_id = st != NULL && S_ISREG(st->st_mode);
	e->dev = e->has_id ? st->st_dev : 0;
	e->ino = e->has_id ? st->st_ino : 0;
	w->roots[root].nfiles++;
	return 0;
}

static int
wanted(const struct jt_walk *w, const char *name)
{
	size_t n = strlen(name), m;

	if (w->o.name != NULL && strcmp(name, w->o.name) != 0)
		return 0;
	if (w->o.suffix != NULL) {
		m = strlen(w->o.suffix);
		if (n < m || strcmp(name + n - m, w->o.suffix) != 0)
			return 0;
	}
	return 1;
}

static char *
join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = malloc(a + b + 2);

	if (p == NULL)
		return NULL;
	memcpy(p, dir, a);
	/* "/" named alone must not give "//etc". */
	if (a == 0 || dir[a - 1] != '/')
		p[a++] = '/';
	memcpy(p + a, name, b + 1);
	return p;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * read_names - the names in the open folder d, without "." and "..", and
 * without hidden ones, sorted; *names is new (free each and it).  Returns
 * the count, or -1 with errno set (ENOMEM, or readdir's error).
 */
static long
read_names(DIR *d, char ***names)
{
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0;

	*names = NULL;
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (de == NULL)
			break;
		if (de->d_name[0] == '.')
			continue; /* ".", "..", hidden files */
		if (grow((void **)&v, &cap, n, sizeof(*v)) < 0 ||
		    (v[n] = strdup(de->d_name)) == NULL)
			goto fail;
		n++;
	}
	if (errno != 0)
		goto fail;
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_name);
	*names = v;
	return (long)n;
fail : {
	int e = errno != 0 ? errno : ENOMEM;

	while (n > 0)
		free(v[--n]);
	free(v);
	errno = e;
	return -1;
}
}

static int walk_dir(struct jt_walk *w, int fd, const char *path, size_t root,
		    struct ancestors *up);

/* visit - one entry of a folder; -1 out of memory. */
static int
visit(struct jt_walk *w, int dfd, const char *dir, const char *name,
      size_t root, struct ancestors *up)
{
	struct stat st, target;
	char *path = join(dir, name);
	int fd, rc = 0;

	if (path == NULL)
		return -1;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		rc = note(w, JT_WALK_ERROR, path, errno, "cannot read");
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		/* up->n folders are open: this one is that deep. */
		if (up->n > w->o.max_depth) {
			rc = note(w, JT_WALK_ERROR, path, 0,
				  "directory nested too deep: not read");
			goto out;
		}
		fd = openat(dfd, name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			rc = note(w, JT_WALK_ERROR, path, errno,
				  "cannot read directory");
			goto out;
		}
		rc = walk_dir(w, fd, path, root, up);
		goto out;
	}
	if (!wanted(w, name))
		goto out;
	if (S_ISLNK(st.st_mode)) {
		if (fstatat(dfd, name, &target, 0) < 0) {
			rc = note(w, JT_WALK_ERROR, path, errno,
				  "cannot follow the link");
			goto out;
		}
		if (S_ISDIR(target.st_mode)) {
			rc = note(w, JT_WALK_LINKED_DIR, path, 0,
				  "a link to a directory: not followed");
			goto out;
		}
		st = target;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = note(w, JT_WALK_SPECIAL, path, 0,
			  S_ISFIFO(st.st_mode) ? "a FIFO: not read"
				  : S_ISSOCK(st.st_mode)
				  ? "a socket: not read"
				  : "a device: not read");
		goto out;
	}
	rc = add_file(w, path, root, 0, &st);
	return rc;
out:
	free(path);
	return rc;
}

/*
 * walk_dir - every entry of the open folder fd (taken: closed here) at
 * path; -1 out of memory.
 */
static int
walk_dir(struct jt_walk *w, int fd, const char *path, size_t root,
	 struct ancestors *up)
{
	struct stat st;
	char **names;
	long n, i;
	DIR *d;
	int k, rc = 0;

	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return note(w, JT_WALK_ERROR, path, e, "cannot read directory");
	}
	for (k = 0; k < up->n; k++)
		if (up->dev[k] == st.st_dev && up->ino[k] == st.st_ino) {
			close(fd);
			return note(w, JT_WALK_SAME_DIR, path, 0,
				    "a directory inside itself (a mount loop): "
				    "read once");
		}
	d = fdopendir(fd);
	if (d == NULL) {
		int e = errno;

		close(fd);
		return note(w, JT_WALK_ERROR, path, e, "cannot read directory");
	}
	n = read_names(d, &names);
	if (n < 0) {
		int e = errno;

		closedir(d);
		if (e == ENOMEM)
			return -1;
		return note(w, JT_WALK_ERROR, path, e, "cannot read directory");
	}
	up->dev[up->n] = st.st_dev;
	up->ino[up->n] = st.st_ino;
	up->n++;
	for (i = 0; i < n && rc == 0; i++)
		rc = visit(w, dirfd(d), path, names[i], root, up);
	up->n--;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

/* add_root - one named path; -1 out of memory. */
static int
add_root(struct jt_walk *w, size_t i)
{
	const char *path = w->roots[i].path;
	struct ancestors up;
	struct stat st;
	char *dir, *p;
	size_t n;
	int fd, rc;

	if (strcmp(path, "-") == 0)
		return (p = strdup(path)) == NULL ? -1
						  : add_file(w, p, i, 1, NULL);
	if (stat(path, &st) < 0)
		return note(w, JT_WALK_ERROR, path, errno, "cannot open");
	if (!S_ISDIR(st.st_mode))
		return (p = strdup(path)) == NULL ? -1
						  : add_file(w, p, i, 1, &st);
	w->roots[i].is_dir = 1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return note(w, JT_WALK_ERROR, path, errno,
			    "cannot read directory");
	/* "runs/" and "runs" give the same paths: "runs/a/run.json". */
	dir = strdup(path);
	if (dir == NULL) {
		close(fd);
		return -1;
	}
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	up.n = 0;
	rc = walk_dir(w, fd, dir, i, &up);
	free(dir);
	return rc;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->f.path, y->f.path);

	if (c != 0)
		return c;
	return x->f.root < y->f.root ? -1 : x->f.root > y->f.root;
}

/* By file identity, then by position in the sorted list. */
static const struct entry *id_base;

static int
cmp_id(const void *a, const void *b)
{
	const struct entry *x = &id_base[*(const size_t *)a];
	const struct entry *y = &id_base[*(const size_t *)b];

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* drop_same_files - keep the first name of each file; -1 out of memory. */
static int
drop_same_files(struct jt_walk *w)
{
	size_t *idx, *first, i, m = 0, k;
	char *gone;

	if (w->nfiles < 2)
		return 0;
	idx = malloc(w->nfiles * sizeof(*idx));
	first = malloc(w->nfiles * sizeof(*first));
	gone = calloc(w->nfiles, 1);
	if (idx == NULL || first == NULL || gone == NULL) {
		free(idx);
		free(first);
		free(gone);
		return -1;
	}
	for (i = 0; i < w->nfiles; i++)
		if (w->files[i].has_id)
			idx[m++] = i;
	id_base = w->files;
	qsort(idx, m, sizeof(*idx), cmp_id);
	for (i = 1; i < m; i++) {
		const struct entry *a = &w->files[idx[i - 1]];
		const struct entry *b = &w->files[idx[i]];

		if (a->dev == b->dev && a->ino == b->ino) {
			gone[idx[i]] = 1;
			first[idx[i]] = gone[idx[i - 1]] ? first[idx[i - 1]]
							 : idx[i - 1];
		}
	}
	for (i = 0, k = 0; i < w->nfiles; i++) {
		if (!gone[i]) {
			w->files[k++] = w->files[i];
			continue;
		}
		{
			char what[JT_ERROR_TEXT];

			if (strcmp(w->files[i].f.path,
				   w->files[first[i]].f.path) == 0)
				snprintf(what, sizeof(what),
					 "reached twice: read once");
			else
				snprintf(what, sizeof(what),
					 "the same file as %s: read once",
					 w->files[first[i]].f.path);
			if (note(w, JT_WALK_SAME_FILE, w->files[i].f.path, 0,
				 what) < 0) {
				/* Keep the list whole: nothing freed yet. */
				for (; i < w->nfiles; i++)
					w->files[k++] = w->files[i];
				w->nfiles = k;
				free(idx);
				free(first);
				free(gone);
				return -1;
			}
		}
		w->roots[w->files[i].f.root].nfiles--;
		free(w->files[i].f.path);
	}
	w->nfiles = k;
	free(idx);
	free(first);
	free(gone);
	return 0;
}

struct jt_walk *
jt_walk_run(const char *const *roots, size_t nroots,
	    const struct jt_walk_opts *o, struct jt_error *err)
{
	struct jt_walk *w = calloc(1, sizeof(*w));
	size_t i;

	if (w == NULL)
		goto nomem;
	if (o != NULL)
		w->o = *o;
	if (w->o.max_depth <= 0 || w->o.max_depth > JT_WALK_MAX_DEPTH)
		w->o.max_depth = JT_WALK_MAX_DEPTH;
	w->roots = calloc(nroots ? nroots : 1, sizeof(*w->roots));
	if (w->roots == NULL)
		goto nomem;
	w->nroots = nroots;
	for (i = 0; i < nroots; i++)
		w->roots[i].path = roots[i];
	for (i = 0; i < nroots; i++)
		if (add_root(w, i) < 0)
			goto nomem;
	if (w->nfiles > 1)
		qsort(w->files, w->nfiles, sizeof(*w->files), cmp_entry);
	if (drop_same_files(w) < 0)
		goto nomem;
	return w;
nomem:
	jt_walk_free(w);
	jt_error_oom(err, NULL);
	return NULL;
}

size_t
jt_walk_nfiles(const struct jt_walk *w)
{
	return w->nfiles;
}

const struct jt_walk_file *
jt_walk_file_at(const struct jt_walk *w, size_t i)
{
	return &w->files[i].f;
}

size_t
jt_walk_nnotes(const struct jt_walk *w)
{
	return w->nnotes;
}

const struct jt_walk_note *
jt_walk_note_at(const struct jt_walk *w, size_t i)
{
	return &w->notes[i];
}

const struct jt_walk_root *
jt_walk_root_at(const struct jt_walk *w, size_t i)
{
	return &w->roots[i];
}

int
jt_walk_failed(const struct jt_walk *w)
{
	return w->failed;
}

void
jt_walk_free(struct jt_walk *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->nfiles; i++)
		free(w->files[i].f.path);
	free(w->files);
	free(w->notes);
	free(w->roots);
	free(w);
}

/* ---- incident ids (open addressing, grows at half full) ------------------ */

struct jt_idset {
	char **id;
	char **path; /* the path that brought the id */
	size_t cap, n;
};

struct jt_idset *
jt_idset_new(struct jt_error *err)
{
	struct jt_idset *s = calloc(1, sizeof(*s));

	if (s == NULL)
		jt_error_oom(err, NULL);
	return s;
}

static size_t
hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static int
idset_grow(struct jt_idset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1024, i, j;
	char **id = calloc(cap, sizeof(*id));
	char **path = calloc(cap, sizeof(*path));

	if (id == NULL || path == NULL) {
		free(id);
		free(path);
		return -1;
	}
	for (j = 0; j < s->cap; j++) {
		if (s->id[j] == NULL)
			continue;
		i = hash(s->id[j]) & (cap - 1);
		while (id[i] != NULL)
			i = (i + 1) & (cap - 1);
		id[i] = s->id[j];
		path[i] = s->path[j];
	}
	free(s->id);
	free(s->path);
	s->id = id;
	s->path = path;
	s->cap = cap;
	return 0;
}

int
jt_idset_add(struct jt_idset *s, const char *id, const char *path,
	     const char **first, struct jt_error *err)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap && idset_grow(s) < 0)
		return jt_error_oom(err, NULL);
	i = hash(id) & (s->cap - 1);
	while (s->id[i] != NULL) {
		if (strcmp(s->id[i], id) == 0) {
			if (first != NULL)
				*first = s->path[i];
			return 0;
		}
		i = (i + 1) & (s->cap - 1);
	}
	s->id[i] = strdup(id);
	s->path[i] = strdup(path);
	if (s->id[i] == NULL || s->path[i] == NULL) {
		free(s->id[i]);
		free(s->path[i]);
		s->id[i] = NULL;
		s->path[i] = NULL;
		return jt_error_oom(err, NULL);
	}
	s->n++;
	return 1;
}

void
jt_idset_free(struct jt_idset *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->cap; i++) {
		free(s->id[i]);
		free(s->path[i]);
	}
	free(s->id);
	free(s->path);
	free(s);
}

/* ---- reports --------------------------------------------------------------
 */

enum jt_walk_report_status
jt_walk_report_load(const char *path, const struct jt_models *models,
		    struct jt_idset *seen, struct jt_walk_report *out)
{
	struct jt_error damage;
	int rc;

	out->first = NULL;
	jt_error_init(&out->err);
	out->report = jt_report_load(path, models, &out->err);
	if (out->report == NULL)
		return JT_WALK_REPORT_FAILED;
	if (seen == NULL || out->report->incident_id == NULL)
		return JT_WALK_REPORT_NEW;
	damage = out->err; /* a damaged copy is still a copy */
	jt_error_init(&out->err);
	rc = jt_idset_add(seen, out->report->incident_id, path, &out->first,
			  &out->err);
	if (rc == 1) {
		out->err = damage;
		return JT_WALK_REPORT_NEW;
	}
	if (rc == 0)
		jt_error_set_in(&out->err, JT_EINVAL, path,
				"incident %s already read from %s; skipped",
				out->report->incident_id, out->first);
	jt_report_free(out->report);
	out->report = NULL;
	return rc == 0 ? JT_WALK_REPORT_DUPLICATE : JT_WALK_REPORT_FAILED;
}
