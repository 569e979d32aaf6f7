/*
 * models.h - the device-model table (data/devices.csv)
 *
 * Maps a product type ("iPhone12,1") to its marketing name, SoC, RAM and
 * kernel page size.  The table is compiled into the library from
 * data/devices.csv, and a newer file can be loaded in its place.  An unknown
 * product type is reported as unknown, never guessed.
 */
#ifndef JT_MODELS_H
#define JT_MODELS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct jt_model {
	char *product_type;      /* "iPhone12,1" */
	char *name;              /* "iPhone 11" */
	char *board;             /* "N104AP" */
	char *soc;               /* "A13" */
	int64_t ram_bytes;       /* physical RAM */
	int64_t page_size_bytes; /* kernel page size: 4096 or 16384 */
	int year;                /* release year, 0 if unknown */
	int max_ios;             /* last major OS, 0 if still current */
};

struct jt_models;

/*
 * jt_models_load - a new table from the CSV file at path, or the built-in
 * copy of data/devices.csv when path is NULL.  Returns NULL with JT_EIO or
 * JT_EPARSE (file:line and what was wrong) on failure.  Free with
 * jt_models_free.
 */
struct jt_models *jt_models_load(const char *path, struct jt_error *err);

/* jt_models_free - release m; NULL is a no-op. */
void jt_models_free(struct jt_models *m);

/*
 * jt_models_find - the entry for product_type (exact, case-sensitive), or
 * NULL when the model is unknown.  The result is borrowed from m.
 */
const struct jt_model *jt_models_find(const struct jt_models *m,
				      const char *product_type);

/* jt_models_count / jt_models_at - iterate in file order (borrowed). */
size_t jt_models_count(const struct jt_models *m);
const struct jt_model *jt_models_at(const struct jt_models *m, size_t i);

#endif
