/* shim: stdio.h */
#ifndef SHIM_STDIO_H
#define SHIM_STDIO_H
#include <stddef.h>
int snprintf(char *, size_t, const char *, ...)
	__attribute__((format(printf, 3, 4)));
#endif
