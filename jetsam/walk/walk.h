/*
 * walk.h - the one directory walker: the files a command reads
 *
 * Every command that reads runs or reports takes files and folders alike
 * (parse, calibrate, html, probelog), and they all walk folders here, with
 * one set of rules, so that two commands never count the same tree
 * differently:
 *  - files come out sorted by path in byte order, whatever the order of
 *    the arguments or of readdir;
 *  - a symbolic link to a directory is never followed (a link "up -> .."
 *    must not multiply the evidence); a link to a file is read as a file;
 *  - FIFOs, sockets and devices inside a folder are never opened (a FIFO
 *    would block the read), and names starting with "." are left out
 *    (hidden files, .git);
 *  - a file reached under two names (a hard link, a link to a file) is
 *    listed once, under the first name in byte order;
 *  - folders nest at most max_depth levels below the named one, and a
 *    folder met twice (a bind mount loop) is read once;
 *  - an entry that cannot be read is a note of kind JT_WALK_ERROR and the
 *    walk goes on.
 * A path named on the command line is taken as it is, even a FIFO or a
 * link to a directory: the user asked for it.  "-" is stdin.
 *
 * JetsamEvent reports seen twice (the same incident id under two names,
 * e.g. a .ips beside its .ips.synced copy) are read once:
 * jt_walk_report_load checks each against a jt_idset.
 */
#ifndef JT_WALK_H
#define JT_WALK_H

#include <stddef.h>

#include "jetsam/core/error.h"
#include "jetsam/core/models.h"
#include "jetsam/report/report.h"

/* Folder levels read below a named folder unless the options say less. */
#define JT_WALK_MAX_DEPTH 64

struct jt_walk_opts {
	/* Inside folders, only files with this exact name ("run.json"), or
	 * ending so (".jsonl"); NULL: every file.  Named files always pass. */
	const char *name;
	const char *suffix;
	int max_depth; /* folder levels below a named one; <= 0: the default */
};

struct jt_walk_file {
	char *path;  /* as named, or the named folder + "/" + the rest */
	size_t root; /* index of the named path that brought it */
	int named;   /* 1: named itself; 0: found inside a folder */
};

/* Why an entry is not among the files. */
enum jt_walk_note_kind {
	JT_WALK_ERROR,      /* could not be read: the command has failed */
	JT_WALK_LINKED_DIR, /* a symbolic link to a folder, not followed */
	JT_WALK_SPECIAL,    /* a FIFO, socket or device, never opened */
	JT_WALK_SAME_FILE,  /* a second name of a file already listed */
	JT_WALK_SAME_DIR    /* a folder already read (a mount loop) */
};

struct jt_walk_note {
	enum jt_walk_note_kind kind;
	struct jt_error err; /* the entry as source, what happened as text */
};

/* A named path and what came of it. */
struct jt_walk_root {
	const char *path; /* borrowed from the caller's array */
	int is_dir;       /* a folder (walked), else a file or "-" */
	size_t nfiles;    /* files listed from it */
};

struct jt_walk;

/*
 * jt_walk_run - walk the nroots paths (borrowed; they must outlive the
 * walk) under o (NULL: every file, default depth) and return the new list
 * of files, notes and roots (free with jt_walk_free).  Unreadable entries
 * are notes, not failures of the call: NULL only with JT_ENOMEM.
 */
struct jt_walk *jt_walk_run(const char *const *roots, size_t nroots,
			    const struct jt_walk_opts *o, struct jt_error *err);

/* jt_walk_nfiles, jt_walk_file_at - the files, sorted (borrowed). */
size_t jt_walk_nfiles(const struct jt_walk *w);
const struct jt_walk_file *jt_walk_file_at(const struct jt_walk *w, size_t i);

/* jt_walk_nnotes, jt_walk_note_at - the notes, in walk order (borrowed). */
size_t jt_walk_nnotes(const struct jt_walk *w);
const struct jt_walk_note *jt_walk_note_at(const struct jt_walk *w, size_t i);

/* jt_walk_root_at - the i-th named path (i < nroots given to the run). */
const struct jt_walk_root *jt_walk_root_at(const struct jt_walk *w, size_t i);

/* jt_walk_failed - 1 when a note is JT_WALK_ERROR, else 0. */
int jt_walk_failed(const struct jt_walk *w);

/* jt_walk_free - release w; NULL is a no-op. */
void jt_walk_free(struct jt_walk *w);

/* ---- incident ids -------------------------------------------------------- */

struct jt_idset;

/* jt_idset_new - an empty set, or NULL with JT_ENOMEM. */
struct jt_idset *jt_idset_new(struct jt_error *err);

/*
 * jt_idset_add - remember id as seen in path (both copied).  Returns 1 when
 * id is new, 0 when it was seen before (then *first, if not NULL, is the
 * path that brought it, borrowed from the set), -1 with JT_ENOMEM.
 */
int jt_idset_add(struct jt_idset *s, const char *id, const char *path,
		 const char **first, struct jt_error *err);

/* jt_idset_free - release s; NULL is a no-op. */
void jt_idset_free(struct jt_idset *s);

/* ---- reports --------------------------------------------------------------
 */

enum jt_walk_report_status {
	JT_WALK_REPORT_NEW,       /* read; an incident not seen before */
	JT_WALK_REPORT_DUPLICATE, /* read; its incident was seen before */
	JT_WALK_REPORT_FAILED     /* not read */
};

struct jt_walk_report {
	struct jt_report *report; /* NEW: the report (jt_report_free it) */
	const char *first;   /* DUPLICATE: the path that had it (borrowed) */
	struct jt_error err; /* FAILED: why (JT_ENOTJETSAM for another kind
				of file, JT_ENOMEM); DUPLICATE: "incident ID
				already read from FIRST; skipped"; NEW: the
				damage, when report->partial, else clear */
};

/*
 * jt_walk_report_load - read the JetsamEvent report at path with models
 * (borrowed) and check its incident id against seen (NULL: no check; a
 * report without an id is always new).  Fills *out and returns its status.
 */
enum jt_walk_report_status jt_walk_report_load(const char *path,
					       const struct jt_models *models,
					       struct jt_idset *seen,
					       struct jt_walk_report *out);

#endif
