/*
 * fuzz_field_jsonl.c - libFuzzer target over the field-data JSON Lines reader
 *
 * Differential: whenever the fast in-place cutter (fieldp_flat_object)
 * accepts a line, jansson must parse the same line to an object with the
 * same keys in the same order and the same cell text for every value; a
 * mismatch aborts.  Then the whole input is read as a field file, which
 * must end in a result or an error, never a crash, a leak or undefined
 * behaviour (the target is built with ASan and UBSan).
 *
 * The cutter is reached through the module's private header; run.sh links
 * every file of calibrate/field and the CSV reader.
 */
#include <stdlib.h>
#include <string.h>

#include "calibrate/field/field_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_line(const char *line, size_t len)
{
	struct fieldp_kv kv[FIELDP_MAX_KV];
	char *copy = malloc(len + 1), buf[32];
	json_error_t je;
	const char *key;
	json_t *o, *v;
	size_t n = 0, i = 0;

	if (copy == NULL)
		return;
	memcpy(copy, line, len);
	copy[len] = '\0';
	if (!fieldp_flat_object(copy, len, kv, &n)) {
		/* Refused lines are left as they were, for jansson. */
		if (memcmp(copy, line, len) != 0)
			abort();
		free(copy);
		return;
	}
	o = json_loadb(line, len, 0, &je);
	if (o == NULL || !json_is_object(o) || json_object_size(o) != n)
		abort();
	json_object_foreach(o, key, v)
	{
		if (i >= n || strcmp(key, kv[i].key) != 0 ||
		    strlen(key) != kv[i].klen || json_is_real(v) ||
		    json_is_object(v) || json_is_array(v) ||
		    strcmp(fieldp_json_cell(v, buf, sizeof(buf)), kv[i].val) !=
			    0)
			abort();
		i++;
	}
	json_decref(o);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct jt_field *f;
	struct jt_error err;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		check_line(p, len);
		p += len + 1;
	}
	f = jt_field_new(JT_STAT_P99, 1000000, NULL);
	if (f == NULL)
		return 0;
	jt_error_init(&err);
	if (jt_field_read_mem(f, (const char *)data, size, "fuzz", &err) < 0 &&
	    !jt_error_isset(&err))
		abort(); /* a failure must say why */
	jt_field_free(f);
	return 0;
}
