/*
 * size.h - the one parser for sizes given on a command line
 *
 * The probe (--rate 20M, JETSAM_PROBE_LIMIT_BYTES=2G) and the host
 * (jetsam run --limit 512M, calibrate lookup --ram 4G) read sizes the same
 * way, so the definition lives here, once.  Libc only, built on every OS.
 */
#ifndef JT_SIZE_H
#define JT_SIZE_H

#include <stdint.h>

/*
 * jt_probe_size_parse - a byte count from text: digits, an optional
 * fraction (".5"), and an optional suffix, case ignored.  Every suffix is
 * binary, as Apple's jetsam logs use MB for MiB: B (or none) = 1, K KB KiB
 * = 2^10, M MB MiB = 2^20, G GB GiB = 2^30, T TB TiB = 2^40, P PB PiB =
 * 2^50.  A fraction is rounded to the nearest byte, but a plain byte count
 * must be whole.  Signs, spaces, hexadecimal, exponents, "inf" and "nan"
 * are refused, and so is anything at or above 2^63 bytes.  Returns 0 with
 * *bytes set, or -1 with *bytes untouched.
 */
int jt_probe_size_parse(const char *text, int64_t *bytes);

/*
 * jt_probe_ramp_parse - a --ramp-to target: a size (as above) into *bytes,
 * or a percentage of the limit, "90%" (a whole number from 1 to 99), into
 * *pct.  Returns 0 with one of them set, or -1 with neither touched.
 */
int jt_probe_ramp_parse(const char *text, int64_t *bytes, int *pct);

#endif
