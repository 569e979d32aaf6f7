/*
 * write.h - the table in the forms other programs take: Apple plist, a C
 * header for the SDK, and a summary for people (table/CSV/JSON rows)
 *
 * Every writer takes the same struct jt_table, so the outputs cannot drift
 * apart; the C header carries the lookup of table.h (jt_table_lookup)
 * translated line for line, and tests/it/calibrate_header.sh compiles it
 * and compares its answers with the library's.
 */
#ifndef JT_WRITE_H
#define JT_WRITE_H

#include <stdio.h>

#include "jetsam/core/emit.h"
#include "jetsam/core/error.h"
#include "table.h"

/*
 * jt_table_write_plist - the JSON table as an XML property list (through
 * libplist's plist_to_xml), written to out (borrowed).  JSON nulls are
 * left out, as plists have none.  -1 with JT_ENOMEM or JT_EIO.
 */
int jt_table_write_plist(const struct jt_table *t, FILE *out,
			 struct jt_error *err);

/*
 * jt_table_write_header - a self-contained C header (C99 or later, no
 * library needed) with the entries, the RAM classes, the fraction and
 * static inline jetsam_threshold_lookup().  Strings are written as escaped
 * C literals.  -1 with JT_EIO on a write error.
 */
int jt_table_write_header(const struct jt_table *t, FILE *out,
			  struct jt_error *err);

/*
 * jt_table_summary - one row per entry (model, os_version, profile, name,
 * ceiling, growth, baseline, threshold, rule, runs, spread, warnings) to
 * out in fmt.  -1 with JT_EIO or JT_ENOMEM.
 */
int jt_table_summary(const struct jt_table *t, FILE *out, enum jt_format fmt,
		     struct jt_error *err);

/*
 * jt_table_warnings - the entry's warnings as one space-separated string
 * into buf ("" when none); returns buf.
 */
const char *jt_table_warnings(const struct jt_table_entry *e, char *buf,
			      size_t len);

#endif
