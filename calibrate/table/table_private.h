/*
 * table_private.h - helpers shared by the table module's files only
 *
 * Not a public interface: other modules use table.h, write.h, diff.h.
 */
#ifndef JT_TABLE_PRIVATE_H
#define JT_TABLE_PRIVATE_H

#include <stddef.h>

#include "table.h"

/* jt_nullcmp - strcmp with NULL sorting first. */
int jt_nullcmp(const char *a, const char *b);

/* jt_field_only_release - free what f owns. */
void jt_field_only_release(struct jt_field_only *f);

/*
 * jt_text_xml_ok - 1 when s is valid UTF-8 holding only characters XML
 * 1.0 allows; else 0 with the offending code point (or byte) in *bad.
 */
int jt_text_xml_ok(const char *s, unsigned long *bad);

#endif
