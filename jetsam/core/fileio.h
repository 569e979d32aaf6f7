/*
 * fileio.h - whole-file reads and atomic writes
 *
 * Files that other programs consume (threshold tables, pulled reports, run
 * records) are written under a temporary name in the same directory and
 * renamed into place, so a crash never leaves half a file (git's lockfile
 * idea).  Reads are bounded so a 2 GB file is an error, not an OOM.
 */
#ifndef JT_FILEIO_H
#define JT_FILEIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

struct jt_atomic {
	char *path; /* final name */
	char *tmp;  /* temporary name, NULL once committed or aborted */
	FILE *fp;
};

/*
 * jt_atomic_open - start writing path: creates a unique temporary file
 * beside it and returns a stream to write to (owned by a).  The file gets
 * the mode of the file it will replace or, for a new file, 0666 less the
 * umask (as open(2) gives).  Returns NULL with JT_EIO naming path on
 * failure (path is a directory, the directory cannot be written), leaving
 * nothing behind.  End with jt_atomic_commit or jt_atomic_abort.
 */
FILE *jt_atomic_open(struct jt_atomic *a, const char *path,
		     struct jt_error *err);

/*
 * jt_atomic_commit - flush, fsync and move the file into place.  With
 * noclobber, an existing file at path is never replaced: returns -1 with
 * JT_EIO (errno EEXIST).  On any failure the temporary file is removed
 * and the error names path.
 */
int jt_atomic_commit(struct jt_atomic *a, int noclobber, struct jt_error *err);

/* jt_atomic_abort - drop the temporary file; safe after commit (no-op). */
void jt_atomic_abort(struct jt_atomic *a);

/*
 * A set of outputs committed together (jetsam calibrate's table, plist
 * and header).  Each file is written to memory first; the commit then
 * writes every file to its temporary name and fsyncs it, and only when all
 * of them are complete renames them all.  If anything fails before the
 * renames, none is replaced and every temporary file is removed; if a
 * rename fails, the files already renamed are put back (an old one from a
 * hard link made just before, a new one removed), so the set is all old or
 * all new.  Every error names the file it concerns, with the system's
 * reason ("t.h: cannot write: No space left on device").  Modes are as
 * jt_atomic_open gives them.
 */
struct jt_outfile {
	char *path; /* final name */
	char *buf;  /* the contents, while they are written (open_memstream) */
	size_t len;
	FILE *fp;
	char *tmp; /* temporary name during the commit */
};

struct jt_outset {
	struct jt_outfile **files; /* one block each: the streams hold
				      pointers into them */
	size_t n;
};

/* jt_outset_init - an empty set (caller-owned struct). */
void jt_outset_init(struct jt_outset *s);

/*
 * jt_outset_add - start writing path as part of s; returns the stream to
 * write to (owned by s; nothing touches the disk until the commit), or
 * NULL with JT_EIO naming path (a directory, or already in the set) or
 * JT_ENOMEM.  On failure s is unchanged: the caller still commits or
 * aborts what it holds.
 */
FILE *jt_outset_add(struct jt_outset *s, const char *path,
		    struct jt_error *err);

/*
 * jt_outset_commit - commit every file of s as described above.  Returns
 * 0, or -1 with the first error (naming its file), every old file in
 * place and no temporary file left.  s is empty afterwards either way.
 */
int jt_outset_commit(struct jt_outset *s, struct jt_error *err);

/* jt_outset_abort - drop every temporary file of s; s is empty after. */
void jt_outset_abort(struct jt_outset *s);

/*
 * jt_path_join - "dir/name" in a new string (free it), or NULL when out of
 * memory.  Neither part is checked: names that come from a device or a
 * file must have been checked before they are joined.
 */
char *jt_path_join(const char *dir, const char *name);

/*
 * jt_path_relative - path as seen from the directory root, for records
 * that must not carry the build machine's layout.  Both are made absolute
 * and free of ".", ".." and symbolic links in its directories (realpath(3)
 * of the directory; the last name is kept as written; a path that does
 * not exist is resolved by its directory, else taken as it is), the
 * common leading directories are dropped and each remaining one of root
 * becomes "..": the result is never absolute ("." when path is root).
 * A new string (free it), or NULL with JT_EIO naming root when root cannot
 * be resolved, or JT_ENOMEM.
 */
char *jt_path_relative(const char *root, const char *path,
		       struct jt_error *err);

/*
 * jt_read_file - read the whole file at path ("-" is stdin) into a new
 * NUL-terminated buffer (*buf, free with free()), *len bytes without the NUL.
 * Fails with JT_ELIMIT when the file is larger than max_bytes, JT_EIO when it
 * cannot be read (a directory included).
 */
int jt_read_file(const char *path, size_t max_bytes, char **buf, size_t *len,
		 struct jt_error *err);

/*
 * jt_seconds_parse - a duration in milliseconds from "30", "0.5" or "90s"
 * (seconds, fractions allowed, at most max_seconds).  Zero is accepted only
 * when allow_zero is set.  Returns 0, or -1 with JT_EUSAGE naming text.
 */
int jt_seconds_parse(const char *text, double max_seconds, int allow_zero,
		     int64_t *ms, struct jt_error *err);

#endif
