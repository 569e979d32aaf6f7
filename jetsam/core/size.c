/*
 * size.c - jt_size_parse: probe/size.c's parser with a jt_error
 */
#include "size.h"

#include "probe/size.h"

int
jt_size_parse(const char *text, int64_t *bytes, struct jt_error *err)
{
	if (jt_probe_size_parse(text, bytes) == 0)
		return 0;
	return jt_error_set_in(err, JT_EUSAGE, NULL,
			       "invalid size '%s' (expected bytes, or a number "
			       "with K, M, G, T or P)",
			       text != NULL ? text : "");
}
