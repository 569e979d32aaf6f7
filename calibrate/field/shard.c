/*
 * shard.c - field files read on N threads, merged into what one thread gives
 *
 * Work is cut into units: a whole file, or one byte range of a large raw
 * file (page growth or sessions, CSV or JSON Lines), plus, when inputs are
 * hashed, one unit that hashes such a file from start to end.  N threads
 * take units in order from a queue; each reads its unit into key tables
 * of its own.  The calling thread merges finished units strictly in file
 * and range order, so the merged state, the list of files, the bad rows
 * kept (the first JT_FIELD_MAX_REPORTED over all files) and the file that
 * stops the run are those of reading the files one after the other.
 *
 * Cut rule.  A range starts just after a line break at or past its share
 * of the file, and past the header's line; ranges after the first are
 * given the header's column layout.  A range of a CSV file is read as if
 * it were a whole file: if a cut fell inside a quoted field (a quoted
 * line break), the range before it ends inside an open quote and fails,
 * so a range that reads to its end without error ended on a record
 * boundary, and the next range starts on one.  Line numbers count from 1
 * in each range and are shifted by the lines of the ranges before it
 * when merged, so messages name the true line.  Whenever anything about
 * a split file is not plain (a range failed, a quoted line break was cut,
 * the file changed size, no rows) its units are dropped and the file is
 * read again whole, in order, on the calling thread, which gives exactly
 * the sequential result and error.  Aggregate files, whose repeated keys
 * are checked across files, are always merged by reading them again in
 * order (they are small).  A sketch bucket passing 2^32 - 1 only when
 * merged (more than 4 billion samples of one key in one bucket) makes the
 * whole read start again on one thread, for the error at its row.
 */
#include "field_private.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"

enum unit_kind { U_FILE, U_RANGE, U_HASH };

struct unit {
	enum unit_kind kind;
	size_t file;          /* index into the pool's files */
	int64_t off, len;     /* U_RANGE */
	struct jt_field *sub; /* U_FILE, U_RANGE: what it read */
	int rc;
	struct jt_error err;
	struct fieldp_range res;
	char sha256[65]; /* U_HASH */
	int64_t hashed;
	int done;
};

struct pfile {
	const char *path;
	size_t first, n; /* its units */
	int split;
	int64_t size;
	const struct fieldp_format *fmt;
	struct fieldp_reader layout; /* split: the header's */
};

struct pool {
	struct jt_field *f;
	struct pfile *files;
	size_t nfiles;
	struct unit *units;
	size_t nunits, cap, next;
	int stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* ---- planning ------------------------------------------------------------ */

static struct unit *
unit_add(struct pool *p, enum unit_kind kind, size_t file)
{
	struct unit *u;

	if (p->nunits == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;

		u = realloc(p->units, cap * sizeof(*u));
		if (u == NULL)
			return NULL;
		p->units = u;
		p->cap = cap;
	}
	u = &p->units[p->nunits++];
	memset(u, 0, sizeof(*u));
	u->kind = kind;
	u->file = file;
	jt_error_init(&u->err);
	return u;
}

/* line_start - the offset just after the first '\n' at or after from. */
static int64_t
line_start(int fd, int64_t from, int64_t size)
{
	char buf[1 << 16];

	while (from < size) {
		ssize_t n = pread(fd, buf, sizeof(buf), (off_t)from);
		char *nl;

		if (n <= 0)
			return -1;
		nl = memchr(buf, '\n', (size_t)n);
		if (nl != NULL)
			return from + (nl - buf) + 1;
		from += n;
	}
	return -1;
}

/*
 * plan_file - cut file i into ranges when it is a large raw file;
 * otherwise one unit reads it whole.  -1 only when out of memory.
 */
static int
plan_file(struct pool *p, size_t i, int jobs)
{
	struct jt_field *f = p->f;
	struct pfile *pf = &p->files[i];
	struct jt_error e;
	struct stat st;
	int64_t hend, cuts[4 * 64 + 1], c;
	size_t k, nk = 0, want;
	int fd;

	pf->first = p->nunits;
	if (strcmp(pf->path, "-") == 0 || stat(pf->path, &st) != 0 ||
	    !S_ISREG(st.st_mode) || st.st_size < 2 * f->shard_bytes)
		goto whole;
	pf->size = (int64_t)st.st_size;
	jt_error_init(&e);
	if (fieldp_header_only(f, pf->path, &pf->fmt, &pf->layout, &hend, &e) <
		    0 ||
	    pf->fmt == &fieldp_metrickit || pf->layout.shape == NULL ||
	    (pf->layout.shape->shape != JT_FIELD_GROWTH &&
	     pf->layout.shape->shape != JT_FIELD_SESSIONS))
		goto whole;
	want = (size_t)(pf->size / f->shard_bytes);
	if (want > (size_t)jobs * 4)
		want = (size_t)jobs * 4;
	fd = open(pf->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto whole;
	cuts[nk++] = 0;
	for (k = 1; k < want; k++) {
		int64_t t = pf->size / (int64_t)want * (int64_t)k;

		if (t < hend)
			t = hend;
		if (t <= cuts[nk - 1])
			t = cuts[nk - 1] + 1;
		c = line_start(fd, t > 0 ? t - 1 : 0, pf->size);
		if (c < 0 || c >= pf->size)
			break;
		if (c > cuts[nk - 1] && c >= hend)
			cuts[nk++] = c;
	}
	close(fd);
	if (nk < 2)
		goto whole;
	pf->split = 1;
	if (f->hash_inputs && unit_add(p, U_HASH, i) == NULL)
		return -1;
	for (k = 0; k < nk; k++) {
		struct unit *u = unit_add(p, U_RANGE, i);

		if (u == NULL)
			return -1;
		u->off = cuts[k];
		u->len = (k + 1 < nk ? cuts[k + 1] : pf->size) - cuts[k];
	}
	pf->n = p->nunits - pf->first;
	return 0;
whole:
	pf->split = 0;
	if (unit_add(p, U_FILE, i) == NULL)
		return -1;
	pf->n = 1;
	return 0;
}

/* ---- the workers -----------------------------------------------------------
 */

static void
run_unit(struct pool *p, struct unit *u)
{
	struct pfile *pf = &p->files[u->file];
	const struct fieldp_reader *layout;

	if (u->kind == U_HASH) {
		u->rc = jt_sha256_file(pf->path, u->sha256, &u->hashed,
				       &u->err);
		return;
	}
	u->sub = jt_field_new(p->f->stat, LONG_MAX, &u->err);
	if (u->sub == NULL) {
		u->rc = -1;
		return;
	}
	/* Only a whole file is hashed here; a split file has its own unit. */
	u->sub->hash_inputs = u->kind == U_FILE && p->f->hash_inputs;
	if (u->kind == U_FILE) {
		u->rc = jt_field_read(u->sub, pf->path, &u->err);
		return;
	}
	layout = u->off == 0 ? NULL : &pf->layout;
	u->rc = fieldp_read_range(u->sub, pf->path, pf->fmt, layout, u->off,
				  u->len, &u->res, &u->err);
}

static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct unit *u;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		if (p->stop || p->next == p->nunits) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		u = &p->units[p->next++];
		pthread_mutex_unlock(&p->mu);
		run_unit(p, u);
		pthread_mutex_lock(&p->mu);
		u->done = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
}

/* ---- merging ------------------------------------------------------------- */

/* copy_error - *src into err, unless err already holds one (NULL ok). */
static int
copy_error(struct jt_error *err, const struct jt_error *src)
{
	if (err != NULL && !jt_error_isset(err))
		*err = *src;
	return -1;
}

/* merge_bad - src's bad rows after dst's, their lines shifted by off. */
static void
merge_bad(struct jt_field *dst, const struct jt_field *src, long off)
{
	size_t i;

	dst->bad_total += src->bad_total;
	for (i = 0; i < src->nbad && dst->nbad < JT_FIELD_MAX_REPORTED; i++) {
		if (dst->bad == NULL) {
			dst->bad = calloc(JT_FIELD_MAX_REPORTED,
					  sizeof(*dst->bad));
			if (dst->bad == NULL)
				return; /* as fieldp_bad: counted, not kept */
		}
		dst->bad[dst->nbad] = src->bad[i];
		dst->bad[dst->nbad].line += off;
		dst->nbad++;
	}
}

/*
 * merge_tables - src's keys into dst; a model's growth first seen in src
 * is placed at source, its line shifted by off.  0, or -1 with JT_ENOMEM
 * or JT_ELIMIT.
 */
static int
merge_tables(struct jt_field *dst, const struct jt_field *src,
	     const char *source, long off, struct jt_error *err)
{
	size_t *map = malloc((src->models.n + 1) * sizeof(*map)), i, j;
	int created, rc = -1;

	if (map == NULL)
		return jt_error_oom(err, source);
	for (i = 0; i < src->models.n; i++) {
		const struct fieldp_key *k = &src->models.keys[i];
		struct fieldp_key *d;

		j = fieldp_table_get(&dst->models, k->name, k->len, k->hash,
				     &created);
		if (j == (size_t)-1) {
			jt_error_oom(err, source);
			goto out;
		}
		d = &dst->models.keys[j];
		if (fieldp_state_merge(&d->st, &k->st, err) < 0)
			goto out;
		if (k->has_growth && !d->has_growth) {
			d->has_growth = 1;
			d->first_source = source;
			d->first_line = k->first_line + off;
		}
		map[i] = j;
	}
	for (i = 0; i < src->growth.n; i++) {
		const struct fieldp_key *k = &src->growth.keys[i];

		j = fieldp_table_get(&dst->growth, k->name, k->len, k->hash,
				     &created);
		if (j == (size_t)-1) {
			jt_error_oom(err, source);
			goto out;
		}
		if (created)
			dst->growth.keys[j].model = map[k->model];
		if (fieldp_state_merge(&dst->growth.keys[j].st, &k->st, err) <
		    0)
			goto out;
	}
	rc = 0;
out:
	free(map);
	return rc;
}

/* Results of merging one file. */
enum { MERGED = 0, FAILED = -1, RESTART = -2 };

/* add_file - a copy of *ff as f's next file record; NULL out of memory. */
static struct jt_field_file *
add_file(struct jt_field *f, const struct jt_field_file *ff)
{
	struct jt_field_file *nf =
		realloc(f->files, (f->nfiles + 1) * sizeof(*nf));

	if (nf == NULL)
		return NULL;
	f->files = nf;
	nf = &f->files[f->nfiles];
	*nf = *ff;
	if ((nf->path = strdup(ff->path)) == NULL)
		return NULL;
	f->nfiles++;
	return nf;
}

static int
merge_whole(struct pool *p, struct pfile *pf, struct unit *u,
	    struct jt_error *err)
{
	struct jt_field *f = p->f, *s = u->sub;
	struct jt_field_file *ff = NULL;
	struct jt_error e;

	if (s == NULL)
		return copy_error(err, &u->err);
	if (s->aggkeys.n > 0) /* repeated keys are checked across files */
		return jt_field_read(f, pf->path, err);
	if (s->nfiles > 0 && (ff = add_file(f, &s->files[0])) == NULL)
		return jt_error_oom(err, pf->path);
	merge_bad(f, s, 0);
	jt_error_init(&e);
	if (merge_tables(f, s, ff != NULL ? ff->path : pf->path, 0, &e) < 0)
		return e.code == JT_ELIMIT ? RESTART : copy_error(err, &e);
	if (u->rc < 0)
		return copy_error(err, &u->err);
	return fieldp_bad_limit(f, pf->path, err);
}

static int
merge_split(struct pool *p, struct pfile *pf, struct jt_error *err)
{
	struct jt_field *f = p->f;
	struct jt_field_file rec, *ff;
	struct jt_error e;
	int64_t bytes = 0;
	long line = 0;
	size_t k;
	int plain = 1;

	memset(&rec, 0, sizeof(rec));
	rec.path = (char *)pf->path;
	rec.shape = pf->layout.shape->shape;
	rec.jsonl = pf->fmt != &fieldp_csv;
	for (k = pf->first; k < pf->first + pf->n; k++) {
		struct unit *u = &p->units[k];

		if (u->rc < 0)
			plain = 0;
		else if (u->kind == U_HASH)
			plain &= u->hashed == pf->size;
		else {
			bytes += u->res.bytes;
			rec.rows += u->res.rows;
			rec.bad_rows += u->res.bad;
		}
		if (u->kind == U_HASH)
			memcpy(rec.sha256, u->sha256, sizeof(rec.sha256));
	}
	if (!plain || bytes != pf->size || rec.rows + rec.bad_rows == 0)
		return jt_field_read(f, pf->path, err);
	rec.bytes = bytes;
	if ((ff = add_file(f, &rec)) == NULL)
		return jt_error_oom(err, pf->path);
	for (k = pf->first; k < pf->first + pf->n; k++) {
		struct unit *u = &p->units[k];

		if (u->kind != U_RANGE)
			continue;
		merge_bad(f, u->sub, line);
		jt_error_init(&e);
		if (merge_tables(f, u->sub, ff->path, line, &e) < 0)
			return e.code == JT_ELIMIT ? RESTART
						   : copy_error(err, &e);
		line += u->res.lines;
		f->ranges_merged++;
	}
	return fieldp_bad_limit(f, pf->path, err);
}

/* wait_file - block until every unit of pf is done. */
static void
wait_file(struct pool *p, const struct pfile *pf)
{
	size_t k;

	pthread_mutex_lock(&p->mu);
	for (k = pf->first; k < pf->first + pf->n; k++)
		while (!p->units[k].done)
			pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

static int
read_in_turn(struct jt_field *f, const char *const *paths, size_t n,
	     struct jt_error *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (jt_field_read(f, paths[i], err) < 0)
			return -1;
	return 0;
}

int
jt_field_read_files(struct jt_field *f, const char *const *paths, size_t n,
		    int jobs, struct jt_error *err)
{
	struct pool p;
	pthread_t *th = NULL;
	size_t i, nth = 0, k;
	int rc = MERGED;

	if (jobs <= 1 || f->row_fn != NULL || n == 0)
		return read_in_turn(f, paths, n, err);
	memset(&p, 0, sizeof(p));
	p.f = f;
	p.nfiles = n;
	p.files = calloc(n, sizeof(*p.files));
	if (p.files == NULL)
		return jt_error_oom(err, NULL);
	for (i = 0; i < n; i++) {
		p.files[i].path = paths[i];
		if (plan_file(&p, i, jobs > 64 ? 64 : jobs) < 0) {
			rc = jt_error_oom(err, paths[i]);
			goto out;
		}
	}
	/* One file in one piece gains nothing from a thread. */
	if (p.nunits == 1) {
		rc = read_in_turn(f, paths, n, err);
		goto out;
	}
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	th = calloc((size_t)jobs, sizeof(*th));
	for (i = 0; th != NULL && i < (size_t)jobs && i < p.nunits; i++)
		if (pthread_create(&th[nth], NULL, worker, &p) == 0)
			nth++;
	if (nth == 0) {
		pthread_mutex_destroy(&p.mu);
		pthread_cond_destroy(&p.cv);
		rc = read_in_turn(f, paths, n, err);
		goto out;
	}
	for (i = 0; i < n && rc == MERGED; i++) {
		struct pfile *pf = &p.files[i];

		wait_file(&p, pf);
		rc = pf->split ? merge_split(&p, pf, err)
			       : merge_whole(&p, pf, &p.units[pf->first], err);
		for (k = pf->first; k < pf->first + pf->n; k++) {
			jt_field_free(p.units[k].sub);
			p.units[k].sub = NULL;
		}
	}
	pthread_mutex_lock(&p.mu);
	p.stop = 1;
	pthread_mutex_unlock(&p.mu);
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	if (rc == RESTART) {
		fieldp_reset(f);
		rc = read_in_turn(f, paths, n, err);
	}
out:
	for (k = 0; k < p.nunits; k++)
		jt_field_free(p.units[k].sub);
	free(p.units);
	free(p.files);
	free(th);
	return rc < 0 ? -1 : 0;
}
