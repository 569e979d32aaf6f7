/*
 * engine_private.h - the evidence set's insides, shared by the engine's files
 *
 * Not a public interface: front-ends use calibrate.h.
 */
#ifndef JT_LAB_H
#define JT_LAB_H

#include <stddef.h>
#include <stdint.h>

#include "jetsam/core/error.h"
#include "calibrate/table/table.h"

struct jt_lab_piece {
	char *model, *os_version, *profile;
	char *input, *kind, *method;
	int64_t bytes, step_bytes;
};

struct jt_lab {
	struct jt_lab_piece *pieces;
	size_t npieces;
	struct jt_table_input *inputs;
	size_t ninputs;
	struct jt_excluded *excluded;
	size_t nexcluded;
	char **run_ids, **run_inputs;
	size_t nruns;
};

/*
 * jt_lab_piece - add one estimate (ignored when bytes <= 0: that source
 * gave none).  Strings are copied.  -1 with JT_ENOMEM.
 */
int jt_lab_piece(struct jt_lab *lab, const char *model, const char *os_version,
		 const char *profile, const char *input, const char *kind,
		 const char *method, int64_t bytes, int64_t step_bytes,
		 struct jt_error *err);

/*
 * Why a run or probe log whose app went to the background is not used: a
 * different (inactive) limit applied from then on, so its kill reads like
 * a foreground one and is not.
 */
#define JT_WHY_LEFT_FOREGROUND "app left the foreground during the run"

/* jt_lab_exclude - list a kill that is not used (strings copied). */
int jt_lab_exclude(struct jt_lab *lab, const char *input, const char *model,
		   const char *os_version, const char *reason, const char *why,
		   struct jt_error *err);

/* jt_round_mib - bytes rounded to the nearest MiB (the kernel's unit). */
int64_t jt_round_mib(int64_t bytes);

#endif
