/*
 * size.h - sizes on the command line ("512M", "1.5G") to bytes
 *
 * The host's face of the one size parser, probe/size.c, which the probe
 * uses too: the same text means the same bytes on both sides.
 */
#ifndef JT_CORE_SIZE_H
#define JT_CORE_SIZE_H

#include <stdint.h>

#include "error.h"

/*
 * jt_size_parse - a byte count from "123", "512K", "20M", "1.5G", "2GiB",
 * "2098MB".  Suffixes (case ignored) are all binary: B, K/KB/KiB, M/MB/MiB,
 * G/GB/GiB, T/TB/TiB, P/PB/PiB; 1 MB = 1 MiB = 1048576 bytes, as Apple's
 * jetsam logs use MB.  A fraction is rounded to the nearest byte; a plain
 * byte count must be whole.  Returns 0 with *bytes set, or -1 with
 * JT_EUSAGE naming text (*bytes untouched).  text may be NULL (an error).
 */
int jt_size_parse(const char *text, int64_t *bytes, struct jt_error *err);

#endif
