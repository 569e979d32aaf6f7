/* shim: stdlib.h */
#ifndef SHIM_STDLIB_H
#define SHIM_STDLIB_H
#include <stddef.h>
void *calloc(size_t, size_t);
void free(void *);
#endif
