/*
 * fuzz_field_jsonl.c - libFuzzer target over the field-data JSON Lines reader
 *
 * Differential: whenever the fast in-place cutter (flat_object) accepts a
 * line, jansson must parse the same line to an object with the same keys
 * in the same order and the same cell text for every value; a mismatch
 * aborts.  Then the whole input is read as a field file, which must end in
 * a result or an error, never a crash, a leak or undefined behaviour (the
 * target is built with ASan and UBSan).
 *
 * The reader's static functions are reached by including its source.
 */
#include "../../calibrate/field/field.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_line(const char *line, size_t len)
{
	struct kv kv[MAX_KV];
	char *copy = malloc(len + 1), buf[32];
	json_error_t je;
	const char *key;
	json_t *o, *v;
	size_t n = 0, i = 0;

	if (copy == NULL)
		return;
	memcpy(copy, line, len);
	copy[len] = '\0';
	if (!flat_object(copy, len, kv, &n)) {
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
		    strcmp(json_field(v, buf, sizeof(buf)), kv[i].val) != 0)
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
