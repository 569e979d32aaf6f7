/*
 * size.c - sizes such as "512M", "1.5G" or "2098MB" to bytes, and "90%"
 * as a --ramp-to target
 *
 * Scanned by hand rather than with strtod, which would also take "0x10",
 * "1e3", "inf" and a locale's decimal comma.  The whole part is exact in
 * int64 arithmetic; only the fraction goes through a double, which is
 * exact to well under a byte for every suffix.
 */
#include "size.h"

#include <stddef.h>
#include <strings.h>

int
jt_probe_size_parse(const char *text, int64_t *bytes)
{
	static const struct {
		const char *suffix;
		int shift;
	} units[] = {
		{"", 0},     {"b", 0},    {"k", 10},   {"kb", 10},  {"kib", 10},
		{"m", 20},   {"mb", 20},  {"mib", 20}, {"g", 30},   {"gb", 30},
		{"gib", 30}, {"t", 40},   {"tb", 40},  {"tib", 40}, {"p", 50},
		{"pb", 50},  {"pib", 50},
	};
	const char *p = text;
	int64_t whole = 0, mult, frac_bytes;
	double frac = 0, scale = 0.1;
	size_t i;

	if (p == NULL || *p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (whole > (INT64_MAX - (*p - '0')) / 10)
			return -1;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		for (; *p >= '0' && *p <= '9'; p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcasecmp(p, units[i].suffix) == 0)
			break;
	if (i == sizeof(units) / sizeof(units[0]))
		return -1;
	mult = (int64_t)1 << units[i].shift;
	if (mult == 1 && frac != 0)
		return -1; /* a fraction of a byte */
	frac_bytes = (int64_t)(frac * (double)mult + 0.5);
	if (whole > (INT64_MAX - frac_bytes) / mult)
		return -1;
	*bytes = whole * mult + frac_bytes;
	return 0;
}

int
jt_probe_ramp_parse(const char *text, int64_t *bytes, int *pct)
{
	const char *p = text;
	int v = 0;

	if (p == NULL || *p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9' && v < 100)
		v = v * 10 + (*p++ - '0');
	if (*p == '%' && p[1] == '\0') {
		if (v < 1 || v > 99)
			return -1;
		*pct = v;
		return 0;
	}
	return jt_probe_size_parse(text, bytes);
}
