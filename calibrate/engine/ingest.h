/*
 * ingest.h - raw lab files into the evidence set: probe logs and
 * JetsamEvent reports (run records go through jt_lab_add_run)
 */
#ifndef JT_INGEST_H
#define JT_INGEST_H

#include "calibrate.h"

/*
 * jt_ingest_probelog - load the probe log at path (a torn last line is
 * allowed, other bad lines are an error), list it as an input and add its
 * footprint+remaining and crossing estimates under the profile its header
 * names, or under profile (borrowed) when it names none.  A log whose app
 * left the foreground is listed as excluded, not used.  -1 with the
 * reader's error, or JT_EINVAL when the header lacks model or OS version
 * or the log gives no estimate.
 */
int jt_ingest_probelog(struct jt_lab *lab, const char *path,
		       const char *profile, struct jt_error *err);

/*
 * jt_ingest_report - load the JetsamEvent report at path and add it.  When
 * from_dir is set, a file that is not a JetsamEvent report is skipped
 * (returns 0) rather than an error.  A damaged report the parser only
 * partly recovered is listed as excluded (its numbers may be cut), not
 * used and not an error.
 */
int jt_ingest_report(struct jt_lab *lab, const char *path,
		     const struct jt_models *models, int from_dir,
		     struct jt_error *err);

#endif
