/*
 * csv.c - block-buffered RFC 4180 reader that cuts records in place
 *
 * Copying every field into a record buffer was most of the cost of
 * reading ten million rows, so records are parsed where they lie: a block
 * is read, one pass finds a record's field boundaries without writing
 * anything (a quoted field is skipped with memchr from quote to quote),
 * and only when the whole record is in the block is it cut: NULs written
 * over the delimiters, quoted fields unquoted in place.  When a record
 * runs past the end of the block, the unread input is moved to the front,
 * more is read (the block doubles when one record fills it) and the scan
 * starts again from the record's first byte.  Positions in errors are
 * worked out only on the error path, by counting back to the record start.
 */
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK (1 << 20)

/* A field found by the scan: text [s, e), e its delimiter. */
struct span {
	char *s, *e;
	int quoted; /* 1: "text", 2: with a doubled quote inside */
};

struct jt_csv {
	char *name;
	int fd; /* -1 for a memory reader */
	int close_fd;
	const char *mem; /* memory reader: its input, and how much was taken */
	size_t mem_len, mem_pos;
	int64_t left; /* a range reader: bytes still to read; -1 unbounded */
	char *buf;
	size_t cap, pos, len; /* unread input is buf[pos..len) */
	int eof;
	int started; /* the byte-order mark has been looked for */
	long line;   /* line of the next record */
	long rec_line;
	int64_t bytes;
	void (*on_input)(void *, const void *, size_t);
	void *on_input_arg;
	/* The last record's fields, and the scan's boundaries. */
	char **fld;
	size_t *flen;
	struct span *span;
	size_t fcap;
};

/* Bytes that end a run of unquoted text. */
static const unsigned char stop[256] = {
	[','] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1};

static struct jt_csv *
csv_new(const char *name, size_t cap, struct jt_error *err)
{
	struct jt_csv *r = calloc(1, sizeof(*r));

	if (r == NULL || (r->name = strdup(name)) == NULL ||
	    (r->buf = malloc(cap)) == NULL) {
		if (r != NULL)
			free(r->name);
		free(r);
		jt_error_oom(err, name);
		return NULL;
	}
	r->buf[0] = '\n'; /* the sentinel, see fill() */
	r->cap = cap;
	r->fd = -1;
	r->line = 1;
	r->left = -1;
	return r;
}

struct jt_csv *
jt_csv_open(const char *path, struct jt_error *err)
{
	struct jt_csv *r = csv_new(path, BLOCK, err);

	if (r == NULL)
		return NULL;
	if (strcmp(path, "-") == 0) {
		r->fd = STDIN_FILENO;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			jt_error_set_errno(err, errno, path, "cannot open");
			jt_csv_close(r);
			return NULL;
		}
		r->close_fd = 1;
	}
	return r;
}

struct jt_csv *
jt_csv_open_range(const char *path, int64_t offset, int64_t length,
		  struct jt_error *err)
{
	struct jt_csv *r = csv_new(path, BLOCK, err);

	if (r == NULL)
		return NULL;
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		jt_error_set_errno(err, errno, path, "cannot open");
		jt_csv_close(r);
		return NULL;
	}
	r->close_fd = 1;
	if (offset > 0 && lseek(r->fd, (off_t)offset, SEEK_SET) < 0) {
		jt_error_set_errno(err, errno, path, "cannot seek");
		jt_csv_close(r);
		return NULL;
	}
	r->left = length;
	r->started = offset > 0; /* a byte-order mark only at the start */
	return r;
}

struct jt_csv *
jt_csv_open_mem(const char *buf, size_t len, const char *name,
		struct jt_error *err)
{
	struct jt_csv *r;
	size_t cap = len < BLOCK ? len + 1 : BLOCK;

	r = csv_new(name, cap < 64 ? 64 : cap, err);
	if (r == NULL)
		return NULL;
	r->mem = buf;
	r->mem_len = len;
	return r;
}

void
jt_csv_on_input(struct jt_csv *r, void (*fn)(void *, const void *, size_t),
		void *arg)
{
	r->on_input = fn;
	r->on_input_arg = arg;
}

/*
 * fill - move the unread input to the front and read more after it,
 * doubling the block when the unread input fills it.  Sets eof at the
 * end.  0 or -1 on error.
 */
static int
fill(struct jt_csv *r, struct jt_error *err)
{
	size_t room;
	ssize_t n;

	if (r->eof)
		return 0;
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
		r->buf[r->len] = '\n';
	}
	if (r->fd < 0 && r->mem_pos == r->mem_len) {
		r->eof = 1;
		return 0;
	}
	if (r->len + 1 >= r->cap) {
		char *nb = realloc(r->buf, r->cap * 2);

		if (nb == NULL)
			return jt_error_set(err, JT_ENOMEM, r->name, r->line, 0,
					    "out of memory");
		r->buf = nb;
		r->cap *= 2;
	}
	/* One byte is kept free: the scan's sentinel, or the NUL after a
	 * last line. */
	room = r->cap - 1 - r->len;
	if (r->fd < 0) {
		n = (ssize_t)(r->mem_len - r->mem_pos < room
				      ? r->mem_len - r->mem_pos
				      : room);
		memcpy(r->buf + r->len, r->mem + r->mem_pos, (size_t)n);
		r->mem_pos += (size_t)n;
	} else {
		if (r->left >= 0 && (int64_t)room > r->left)
			room = (size_t)r->left;
		do
			n = room > 0 ? read(r->fd, r->buf + r->len, room) : 0;
		while (n < 0 && errno == EINTR);
		if (n > 0 && r->left >= 0)
			r->left -= n;
		if (n < 0)
			return jt_error_set_errno(err, errno, r->name,
						  "cannot read");
	}
	if (n == 0)
		r->eof = 1;
	else if (r->on_input != NULL)
		r->on_input(r->on_input_arg, r->buf + r->len, (size_t)n);
	r->len += (size_t)n;
	r->bytes += n;
	r->buf[r->len] = '\n'; /* stops the scan of unquoted text */
	return 0;
}

/* start - on the first read, skip a UTF-8 byte-order mark. */
static int
start(struct jt_csv *r, struct jt_error *err)
{
	if (r->started)
		return 0;
	while (r->len - r->pos < 3 && !r->eof)
		if (fill(r, err) < 0)
			return -1;
	if (r->len - r->pos >= 3 &&
	    memcmp(r->buf + r->pos, "\xef\xbb\xbf", 3) == 0)
		r->pos += 3;
	r->started = 1;
	return 0;
}

/* where - the line and column of at, inside the record starting at rec. */
static void
where(const struct jt_csv *r, const char *rec, const char *at, long *line,
      long *col)
{
	const char *ls = rec, *p;

	*line = r->line;
	for (p = rec; p < at; p++)
		if (*p == '\n') {
			++*line;
			ls = p + 1;
		}
	*col = (long)(at - ls) + 1;
}

/*
 * after_quote - the error for text after a field's closing quote at p
 * ("104"8576): the field as written is quoted in the message.
 */
static int
after_quote(const struct jt_csv *r, const char *rec, const char *s,
	    const char *p, const char *end, struct jt_error *err)
{
	const char *e = p;
	long line, col;

	while (e < end && *e != ',' && *e != '\n' && *e != '\r' && e - s < 40)
		e++;
	where(r, rec, p, &line, &col);
	return jt_error_set(err, JT_EPARSE, r->name, line, col,
			    "text after the closing quote of a field: '%.*s' "
			    "(quote the whole field)",
			    (int)(e - s), s);
}

/* grow - room for at least n fields. */
static int
grow(struct jt_csv *r, size_t n, struct jt_error *err)
{
	size_t cap = r->fcap ? r->fcap : 16;
	char **f;
	size_t *l;
	struct span *s;

	while (cap < n)
		cap *= 2;
	f = realloc(r->fld, cap * sizeof(*f));
	if (f != NULL)
		r->fld = f;
	l = realloc(r->flen, cap * sizeof(*l));
	if (l != NULL)
		r->flen = l;
	s = realloc(r->span, cap * sizeof(*s));
	if (s != NULL)
		r->span = s;
	if (f == NULL || l == NULL || s == NULL)
		return jt_error_set(err, JT_ENOMEM, r->name, r->line, 0,
				    "out of memory");
	r->fcap = cap;
	return 0;
}

/* cut - NUL-terminate and unquote the nf fields of a scanned record. */
static long
cut(struct jt_csv *r, size_t nf)
{
	long breaks = 0;
	size_t i;

	for (i = 0; i < nf; i++) {
		const struct span *sp = &r->span[i];
		char *d = sp->s, *x;

		if (!sp->quoted) {
			*sp->e = '\0';
			r->fld[i] = sp->s;
			r->flen[i] = (size_t)(sp->e - sp->s);
			continue;
		}
		if (sp->quoted == 1) {
			/* No doubled quote: the text between the quotes is
			 * the field as it lies; the closing quote becomes
			 * its NUL. */
			size_t n = (size_t)(sp->e - sp->s) - 2;

			d = sp->s + 1;
			d[n] = '\0';
			r->fld[i] = d;
			r->flen[i] = n;
			for (x = d;
			     (x = memchr(x, '\n', (size_t)(d + n - x))) != NULL;
			     x++)
				breaks++;
			continue;
		}
		/* "" -> ", the opening and closing quotes dropped. */
		for (x = sp->s + 1; x < sp->e; x++) {
			if (*x == '"') {
				if (x + 1 < sp->e && x[1] == '"')
					x++;
				else
					continue;
			} else if (*x == '\n') {
				breaks++;
			}
			*d++ = *x;
		}
		*d = '\0';
		r->fld[i] = sp->s;
		r->flen[i] = (size_t)(d - sp->s);
	}
	return breaks;
}

int
jt_csv_next(struct jt_csv *r, char ***fields, size_t *nfields,
	    struct jt_error *err)
{
	char *rec, *p, *end;
	size_t nf;
	long line, col;

	if (start(r, err) < 0)
		return -1;
again:
	rec = p = r->buf + r->pos;
	end = r->buf + r->len;
	nf = 0;
	if (p == end) {
		if (r->eof)
			return 0;
		goto more;
	}
	for (;;) {
		char *s = p;
		int quoted = 0;

		if (p < end && *p == '"') {
			quoted = 1;
			for (p++;;) {
				char *x = memchr(p, '"', (size_t)(end - p));

				if (x == NULL) {
					if (!r->eof)
						goto more;
					where(r, rec, s, &line, &col);
					return jt_error_set(
						err, JT_EPARSE, r->name, line,
						col,
						"quoted field not closed "
						"before end of file");
				}
				p = x + 1;
				if (p == end && !r->eof)
					goto more;
				if (p < end && *p == '"') {
					quoted = 2;
					p++;
					continue;
				}
				break;
			}
			if (p < end && *p != ',' && *p != '\n' && *p != '\r')
				return after_quote(r, rec, s, p, end, err);
		} else {
			/* buf[len] is a sentinel: no bound check. */
			while (!stop[(unsigned char)*p])
				p++;
			if (p < end && *p == '"') {
				where(r, rec, p, &line, &col);
				return jt_error_set(err, JT_EPARSE, r->name,
						    line, col,
						    "stray quote inside an "
						    "unquoted field");
			}
		}
		if (p == end && !r->eof)
			goto more;
		if (nf == r->fcap && grow(r, nf + 1, err) < 0)
			return -1;
		r->span[nf].s = s;
		r->span[nf].e = p;
		r->span[nf].quoted = quoted;
		nf++;
		if (p == end)
			break;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\r') {
			if (p + 1 == end && !r->eof)
				goto more;
			if (p + 1 < end && p[1] == '\n')
				p++;
		}
		p++;
		break;
	}

	/* A whole record: cut it. */
	r->pos = (size_t)(p - r->buf);
	r->rec_line = r->line;
	r->line += 1 + cut(r, nf);
	if (nf == 1 && r->flen[0] == 0)
		goto again; /* blank line */
	*fields = r->fld;
	*nfields = nf;
	return 1;
more:
	if (fill(r, err) < 0)
		return -1;
	goto again;
}

const size_t *
jt_csv_lengths(const struct jt_csv *r)
{
	return r->flen;
}

int
jt_csv_next_line(struct jt_csv *r, char **text, size_t *len,
		 struct jt_error *err)
{
	if (start(r, err) < 0)
		return -1;
	for (;;) {
		char *p = r->buf + r->pos;
		size_t avail = r->len - r->pos;
		char *nl = memchr(p, '\n', avail);

		if (nl != NULL || (r->eof && avail > 0)) {
			*len = nl != NULL ? (size_t)(nl - p) : avail;
			p[*len] = '\0';
			*text = p;
			r->pos += *len + (nl != NULL);
			r->rec_line = r->line++;
			return 1;
		}
		if (r->eof)
			return 0;
		if (fill(r, err) < 0)
			return -1;
	}
}

int
jt_csv_peek_line(struct jt_csv *r, const char **text, size_t *len,
		 struct jt_error *err)
{
	if (start(r, err) < 0)
		return -1;
	for (;;) {
		const char *s = r->buf + r->pos, *end = r->buf + r->len, *e;

		/* Blank lines, and the first line's leading blanks. */
		while (s < end &&
		       (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
			s++;
		e = s < end ? memchr(s, '\n', (size_t)(end - s)) : NULL;
		if (e != NULL || r->eof || r->len - r->pos >= BLOCK - 1) {
			if (e == NULL)
				e = end;
			while (e > s && e[-1] == '\r')
				e--;
			*text = s;
			*len = (size_t)(e - s);
			return 0;
		}
		if (fill(r, err) < 0)
			return -1;
	}
}

long
jt_csv_line(const struct jt_csv *r)
{
	return r->rec_line;
}

long
jt_csv_lines_read(const struct jt_csv *r)
{
	return r->line - 1;
}

int64_t
jt_csv_offset(const struct jt_csv *r)
{
	return r->bytes - (int64_t)(r->len - r->pos);
}

int64_t
jt_csv_bytes(const struct jt_csv *r)
{
	return r->bytes;
}

const char *
jt_csv_name(const struct jt_csv *r)
{
	return r->name;
}

void
jt_csv_close(struct jt_csv *r)
{
	if (r == NULL)
		return;
	if (r->close_fd)
		close(r->fd);
	free(r->buf);
	free(r->name);
	free(r->fld);
	free(r->flen);
	free(r->span);
	free(r);
}
