/*
 * write.h - the table in the forms other programs take: the audit JSON,
 * the ship table as JSON, Apple plist and a C header for the SDK, and a
 * summary for people (table/CSV/JSON rows)
 *
 * Every writer takes a struct jt_table, so the outputs cannot drift apart;
 * the C header carries the lookup of table.h (jt_table_lookup) translated
 * line for line, and tests/it/calibrate_header.sh compiles it and compares
 * its answers with the library's.
 */
#ifndef JT_WRITE_H
#define JT_WRITE_H

#include <stdio.h>

#include "jetsam/core/emit.h"
#include "jetsam/core/error.h"
#include "table.h"

/*
 * jt_table_write_plist - the ship table (from jt_table_ship, or read from
 * a ship JSON) as an XML property list through libplist's plist_to_xml,
 * written to out (borrowed): the dictionary of data/ship-schema.json, so
 * an app finds thresholds[model][os][profile] in O(1).  JSON nulls are
 * left out, as plists have none.  A string XML 1.0 cannot hold (a control
 * character, invalid UTF-8) is refused with JT_EINVAL naming it, so the
 * file is never one an XML parser rejects.  -1 with JT_EINVAL, JT_ENOMEM
 * or JT_EIO (no file named: the caller knows it).
 */
int jt_table_write_plist(const struct jt_table *ship, FILE *out,
			 struct jt_error *err);

/*
 * jt_table_write_header - the ship table as a self-contained C header
 * (C99 or later, C++, Objective-C; no library needed) with the entries,
 * the field-only models, the RAM classes, the fraction,
 * jetsam_live_limit_bytes() and jetsam_threshold_lookup(), and a comment
 * saying how to call them from C, Objective-C and Swift.  Strings are
 * escaped C literals.  It compiles with -Wall -Wextra -Wpedantic -Werror
 * for any table jt_table_name_check admits (no entries, no RAM classes
 * included).  -1 with JT_EIO on a write error.
 */
int jt_table_write_header(const struct jt_table *ship, FILE *out,
			  struct jt_error *err);

/* The files one calibration writes (NULL: not wanted). */
struct jt_table_files {
	const char *audit_json; /* the audit table (jt_table_to_json) */
	const char *ship_json;  /* the ship table as JSON */
	const char *plist;      /* the ship table as a plist */
	const char *header;     /* the ship table as a C header */
	int include_unknown;    /* keep models missing from the device
				   table in the ship outputs */
};

/*
 * jt_table_write_files - write every file f names from t (borrowed) as
 * one set (jt_outset, jetsam/core/fileio.h): all are replaced or none,
 * no temporary file is left, every error names its file.  -1 with the
 * first error.
 */
int jt_table_write_files(const struct jt_table *t,
			 const struct jt_table_files *f, struct jt_error *err);

/*
 * jt_table_summary - one row per entry (model, os_version, profile, name,
 * ceiling, growth, baseline, threshold, rule, runs, spread, warnings),
 * then one per field-only model (rule "field-only", no OS, profile,
 * ceiling or threshold: the SDK computes it from the live limit), to out
 * in fmt.  -1 with JT_EIO or JT_ENOMEM.
 */
int jt_table_summary(const struct jt_table *t, FILE *out, enum jt_format fmt,
		     struct jt_error *err);

/*
 * jt_table_warnings - the entry's warnings as one space-separated string
 * into buf ("" when none); returns buf.
 */
const char *jt_table_warnings(const struct jt_table_entry *e, char *buf,
			      size_t len);

/* jt_field_only_warnings - the same for a field-only model. */
const char *jt_field_only_warnings(const struct jt_field_only *f, char *buf,
				   size_t len);

#endif
