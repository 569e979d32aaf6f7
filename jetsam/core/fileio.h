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
 * beside it and returns a stream to write to (owned by a).  Returns NULL
 * with JT_EIO on failure, leaving nothing behind.  End with
 * jt_atomic_commit or jt_atomic_abort.
 */
FILE *jt_atomic_open(struct jt_atomic *a, const char *path,
		     struct jt_error *err);

/*
 * jt_atomic_commit - flush, fsync and move the file into place.  With
 * noclobber, an existing file at path is never replaced: returns -1 with
 * JT_EIO (errno EEXIST).  On any failure the temporary file is removed.
 */
int jt_atomic_commit(struct jt_atomic *a, int noclobber, struct jt_error *err);

/* jt_atomic_abort - drop the temporary file; safe after commit (no-op). */
void jt_atomic_abort(struct jt_atomic *a);

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
